"""Loading articles: text, Markdown, saved web pages, PDF and Word files, or pasted text.

The readers in `app.core.readers` turn a file into text plus the metadata the file carries;
every loader ends in `article_from_text`, which normalises line endings, pulls out metadata the
text gives (headline, dateline, byline, source, publication date), names the outlet
(`app.core.outlets`) and marks page furniture (image credits, "Advertisement", gallery counters,
video durations, a PDF's running heads and page numbers) as boilerplate.

A file that cannot be read raises `ArticleError` naming the file; `load_paths` collects those
errors so that one bad file never stops the others.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from app.core.model import Article
from app.core.outlets import credit_from_text, outlet_from_filename
from app.core.readers import Extracted, ReadError

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".mhtml", ".mht", ".pdf",
    ".docx",
)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MHTML_SUFFIXES = (".mhtml", ".mht")
MAX_BYTES = 20 * 1024 * 1024  # a news article is < 100 kB; 20 MB is a mistake, not an article
MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class ArticleError(Exception):
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


# ---------------------------------------------------------------------------------------------
# Decoding


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: BOMs first, then UTF-16 without BOM, UTF-8, finally cp1252.

    Raises ValueError with a reader-facing reason when the bytes are not text.
    """
    if not data.strip():
        raise ValueError("the file is empty")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked_text(data.decode(enc))
            except UnicodeDecodeError as exc:
                raise ValueError(f"it starts like {enc.upper()} text but does not decode") from exc
    utf16 = _guess_utf16(data)
    if utf16:
        try:
            return _checked_text(data.decode(utf16))
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ValueError("it looks like a binary file, not text")
    try:
        return _checked_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return _checked_text(data.decode("cp1252"))
    except UnicodeDecodeError as exc:
        raise ValueError(
            "its encoding could not be recognised (tried UTF-8, UTF-16 and Windows-1252)"
        ) from exc


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    odd_zero = sample[1::2].count(0) / len(sample[1::2])
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _checked_text(text: str) -> str:
    controls = len(_CONTROL.findall(text[:20000]))
    if controls > max(8, len(text[:20000]) // 100):
        raise ValueError("it looks like a binary file, not text")
    if not text.strip():
        raise ValueError("the file has no text")
    return text


# ---------------------------------------------------------------------------------------------
# Metadata found in the text itself

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_MDY = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE}),?\s+(\d{{4}})\b", re.I)
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DATE_PREFIX = re.compile(
    r"^\s*(?:date|published|posted|updated)\s*:?\s*(\d{4}-\d{2}-\d{2})\s*", re.I
)
_PERSON = r"[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)*"
_BY_LINE = re.compile(rf"^\s*By\s+({_PERSON}(?:\s*(?:,|and|&)\s*{_PERSON})*)\s*$")
_NAME_LINE = re.compile(r"^[A-Z][a-z.'-]+(?:\s+[A-Z][a-z.'-]+){1,3}$")
_DATELINE_SOURCE = re.compile(
    r"^\s*[A-Z][A-Z .,/'-]{2,60}\s*\(([A-Z][\w.&' -]{1,40})\)\s*[-–—]"
)
_OTHER_REPORTS = re.compile(
    r"^\s*(?:Other|More) (?:reports|stories|news) (?:by|from)\s+(.+?)\s*$", re.I
)


def _iso_date(s: str) -> str | None:
    s = s.strip()
    if not s:
        return None
    m = _DATE_ISO.search(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None
    m = _DATE_MDY.search(s)
    if m:
        mo = _MONTHS[m.group(1).lower()[:3]]
        return f"{int(m.group(3)):04d}-{mo:02d}-{int(m.group(2)):02d}"
    m = _DATE_DMY.search(s)
    if m:
        mo = _MONTHS[m.group(2).lower()[:3]]
        return f"{int(m.group(3)):04d}-{mo:02d}-{int(m.group(1)):02d}"
    return None


def _split_names(s: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", s)
    return [p.strip() for p in parts if p.strip()]


# Lines that are page furniture, not reporting.
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        advertisement | sponsored(?:\ content)? | ad
      | (?:image|photo|picture|video|graphic|credit|source|photograph)s?\s*(?:credit)?\s*:.*
      | ©.* | \(c\)\ .* | copyright\b.*
      | \d+\s+images?\s*\d*\s*\|\s*\d+          # "8 images1 | 8" gallery counter
      | \d{1,2}:\d{2}(?::\d{2})?                # video duration "06:15"
      | this\ browser\ does\ not\ support\ the\ (?:video|audio)\ element\.?
      | comments\ are\ closed\.?
      | \d+\s+(?:second|minute|hour|day|week)s?\ ago
      | (?:share|tweet|email|print)(?:\s*(?:this|article|story))?
      | (?:read|see)\ (?:more|also)\b.*
      | related(?:\ (?:articles?|stories|content|topics))?:?
      | (?:sign\ up|subscribe)\b.*
      | (?:follow\ us|click\ here)\b.*
      | (?:other|more)\ (?:reports|stories|news)\ (?:by|from)\b.*
      | skip\ to\ (?:main\ )?content
    )\s*$""",
    re.I | re.X,
)
_DURATION_LINE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline."""
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\ufeff", "").replace("\x00", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.strip("\n")


def article_from_text(
    text: str,
    *,
    article_id: str = "a0",
    path: str | None = None,
    name: str = "",
    title: str | None = None,
    source: str | None = None,
    byline: Sequence[str] = (),
    published: str | None = None,
    outlet: str | None = None,
    furniture: frozenset[str] = frozenset(),
    warnings: Sequence[str] = (),
) -> Article:
    """Build an Article from raw text: metadata from the text where the caller gave none.

    `outlet` is the publication the file's metadata names (else the caller's `source`, then the
    file name, then a credit in the text); `furniture` lists whole lines the reader knows are page
    furniture (a PDF's running heads and page numbers), marked as boilerplate wherever they are.
    """
    text = _normalise(text)
    if not text.strip():
        raise ArticleError(path or name or "pasted text", "there is no text")
    if len(text) > MAX_CHARS:
        raise ArticleError(
            path or name or "pasted text",
            f"it is too long for one article ({len(text):,} characters; the limit is "
            f"{MAX_CHARS:,}). Split it into the separate articles it contains.",
        )
    lines = _lines(text)
    boiler: list[tuple[int, int]] = []
    found_title = title
    found_source = source
    found_byline = list(byline)
    found_date: str | None = None

    first_content = next((i for i, (s, e) in enumerate(lines) if text[s:e].strip()), 0)
    nonblank_seen = 0
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        stripped = line.strip()
        if not stripped:
            continue
        nonblank_seen += 1
        head = nonblank_seen <= 6  # metadata lives in the first few lines
        if stripped in furniture:
            boiler.append((s, e))
            continue
        m = _DATE_PREFIX.match(line)
        if m and head:
            found_date = found_date or _iso_date(m.group(1))
            boiler.append((s, s + m.end()))
            continue
        m_by = _BY_LINE.match(stripped)
        if m_by and head:
            found_byline = found_byline or _split_names(m_by.group(1))
            boiler.append((s, e))
            continue
        if head and i != first_content and len(stripped) <= 40:
            iso = _iso_date(stripped)
            if iso and re.fullmatch(r"[\w ,.:-]+", stripped):
                found_date = found_date or iso
                boiler.append((s, e))
                # A bare name just above a bare date is the byline ("Andrew Cummings").
                prev = _previous_nonblank(text, lines, i)
                if prev is not None and _NAME_LINE.match(text[prev[0]:prev[1]].strip()):
                    found_byline = found_byline or [text[prev[0]:prev[1]].strip()]
                    boiler.append(prev)
                continue
        m_src = _DATELINE_SOURCE.match(line)
        if m_src and head:
            found_source = found_source or m_src.group(1).strip()
        m_other = _OTHER_REPORTS.match(stripped)
        if m_other:
            found_source = found_source or m_other.group(1).strip().rstrip(".")
        if _BOILERPLATE_LINE.match(stripped):
            boiler.append((s, e))
            if _DURATION_LINE.match(stripped):
                # The line above a video duration is the video's title card.
                prev = _previous_nonblank(text, lines, i)
                if prev is not None:
                    title = text[prev[0]:prev[1]].strip()
                    if len(title) < 120 and not title.endswith((".", "!", "?")):
                        boiler.append(prev)
    if found_title is None:
        s, e = lines[first_content]
        line = text[s:e]
        m = _DATE_PREFIX.match(line)
        if m:
            line = line[m.end():]
        found_title = _headline(line)
    boiler = _merge_ranges(boiler)
    found_outlet = (
        outlet or source or outlet_from_filename(path or name) or credit_from_text(text)
        or found_source
    )
    return Article(
        id=article_id,
        text=text,
        path=path,
        name=name or (Path(path).name if path else "pasted text"),
        title=found_title,
        source=found_source,
        byline=tuple(found_byline),
        published=published or found_date,
        boilerplate=tuple(boiler),
        warnings=tuple(warnings),
        outlet=found_outlet,
    )


def _previous_nonblank(
    text: str, lines: list[tuple[int, int]], i: int
) -> tuple[int, int] | None:
    for j in range(i - 1, -1, -1):
        s, e = lines[j]
        if text[s:e].strip():
            return (s, e)
    return None


def _headline(line: str) -> str:
    line = " ".join(line.split())
    if len(line) <= 120:
        return line
    # A headline glued to its standfirst: keep the first sentence, else cut at a word.
    m = re.search(r"^(.{20,120}?[.!?])\s", line)
    if m:
        return m.group(1)
    cut = line[:120].rsplit(" ", 1)[0]
    return cut + "…"


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# ---------------------------------------------------------------------------------------------
# Files and folders


def load_path(path: str | Path, article_id: str = "a0", display_path: str | None = None) -> Article:
    p = Path(path)
    shown = display_path or str(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ArticleError(shown, f"cannot be opened ({exc.strerror or exc})") from exc
    if size == 0:
        raise ArticleError(shown, "the file is empty")
    if size > MAX_BYTES:
        raise ArticleError(
            shown, f"the file is too large to be one article ({size / 1e6:.0f} MB)"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ArticleError(shown, f"cannot be read ({exc.strerror or exc})") from exc
    suffix = p.suffix.lower()
    try:
        ex = read_bytes(data, suffix)
    except ReadError as exc:
        raise ArticleError(shown, str(exc)) from exc
    title_from_text = ex.title_is_fallback
    art = article_from_text(
        ex.text, article_id=article_id, path=shown, name=p.name,
        title=None if title_from_text else ex.title,
        outlet=ex.outlet, source=ex.source, byline=ex.byline,
        published=None if ex.published_is_fallback else ex.published,
        furniture=ex.furniture, warnings=ex.warnings,
    )
    if ex.published_is_fallback and art.published is None and ex.published:
        art = replace(art, published=ex.published)
    if title_from_text and ex.title and not _looks_like_headline(art.title):
        art = replace(art, title=ex.title)
    return art


def read_bytes(data: bytes, suffix: str) -> Extracted:
    """Pick the reader by file type (and by content when the suffix says nothing)."""
    if suffix == ".docx":
        from app.core.readers.docx import read_docx

        return read_docx(data)
    if suffix == ".pdf" or (suffix not in (".txt", ".text", ".md", ".markdown")
                            and data[:1024].lstrip().startswith(b"%PDF-")):
        from app.core.readers.pdf import read_pdf

        return read_pdf(data)
    if suffix in MHTML_SUFFIXES:
        from app.core.readers.html import read_mhtml

        return read_mhtml(data)
    try:
        text = decode_bytes(data)
    except ValueError as exc:
        raise ReadError(str(exc)) from exc
    if suffix in HTML_SUFFIXES or (
        suffix not in (".txt", ".text", ".md", ".markdown")
        and re.match(r"\s*(<!doctype html|<html)", text[:200], re.I)
    ):
        from app.core.readers.html import read_html

        return read_html(text)
    if suffix in (".md", ".markdown"):
        text = _strip_markdown(text)
    return Extracted(text=text)


def _looks_like_headline(title: str | None) -> bool:
    """A first line fit to be a headline: short, not a sentence run on into the next."""
    return bool(title) and len(title or "") <= 150 and not (title or "").endswith("…")


def _strip_markdown(text: str) -> str:
    """Keep Markdown prose readable; offsets index the stripped text."""
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.M)  # headings
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)  # images -> alt text
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links -> their text
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.M)
    return text


def expand_paths(paths: Sequence[str | Path]) -> tuple[list[Path], list[ArticleError]]:
    """Files as given, folders expanded to their supported files (sorted by name)."""
    files: list[Path] = []
    errors: list[ArticleError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                q for q in p.iterdir()
                if q.is_file()
                and q.suffix.lower() in SUPPORTED_SUFFIXES
                and not q.name.startswith(".")
            )
            if not found:
                errors.append(ArticleError(str(p), "the folder has no article files "
                                           f"({', '.join(SUPPORTED_SUFFIXES)})"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            errors.append(ArticleError(str(p), "no such file or folder"))
    return files, errors


def load_paths(paths: Sequence[str | Path]) -> tuple[list[Article], list[ArticleError]]:
    """Load every file; errors are collected, never raised. Ids are a0, a1, ... in order."""
    files, errors = expand_paths(paths)
    articles: list[Article] = []
    for f in files:
        try:
            articles.append(load_path(f, article_id=f"a{len(articles)}"))
        except ArticleError as exc:
            errors.append(exc)
    return articles, errors


def renumber(articles: Sequence[Article]) -> list[Article]:
    """Give articles the ids a0, a1, ... in their current order."""
    return [a if a.id == f"a{i}" else replace(a, id=f"a{i}") for i, a in enumerate(articles)]


__all__ = [
    "SUPPORTED_SUFFIXES",
    "ArticleError",
    "article_from_text",
    "decode_bytes",
    "expand_paths",
    "load_path",
    "load_paths",
    "renumber",
]
