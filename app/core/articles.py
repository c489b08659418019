"""Loading articles: text, Markdown, HTML and Word files, or pasted text.

Every loader ends in `article_from_text`, which normalises line endings, pulls out metadata the
text gives (headline, dateline, byline, source, publication date) and marks page furniture
(image credits, "Advertisement", gallery counters, video durations) as boilerplate.

A file that cannot be read raises `ArticleError` naming the file; `load_paths` collects those
errors so that one bad file never stops the others.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from app.core.model import Article

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx",
)
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
# HTML: main text only. Nothing is fetched and no script runs; we only read the markup.

_SKIP_TAGS = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "nav", "header", "footer", "aside", "form", "button", "select", "textarea", "head", "menu",
}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4",
    "h5", "h6", "blockquote", "figcaption", "figure", "tr", "table", "pre", "hr", "dd", "dt",
}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col"}


class _MainTextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[str] = []
        self.chunks: list[str] = []  # all visible text
        self.main_chunks: list[str] = []  # text inside <article>/<main>
        self.main_depth = 0
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.in_title = False
        self.in_h1 = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
            return
        if tag in _VOID_TAGS:
            if tag in ("br", "hr"):
                self._emit("\n")
            return
        self.stack.append(tag)
        if tag in _SKIP_TAGS or "hidden" in a or a.get("aria-hidden") == "true":
            self.skip_depth += 1
        if tag in ("article", "main"):
            self.main_depth += 1
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS or tag not in self.stack:
            return
        while self.stack:
            t = self.stack.pop()
            if t in _SKIP_TAGS:
                self.skip_depth -= 1
            if t in ("article", "main"):
                self.main_depth -= 1
            if t == "title":
                self.in_title = False
            if t == "h1":
                self.in_h1 = False
            if t in _BLOCK_TAGS:
                self._emit("\n")
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth > 0:
            return
        if self.in_h1:
            self.h1_parts.append(data)
        self._emit(re.sub(r"\s+", " ", data))

    def _emit(self, s: str) -> None:
        if self.skip_depth > 0 and s != "\n":
            return
        self.chunks.append(s)
        if self.main_depth > 0:
            self.main_chunks.append(s)


def _join_lines(chunks: Iterable[str]) -> str:
    lines = [line.strip() for line in "".join(chunks).split("\n")]
    out: list[str] = []
    for line in lines:
        if line:
            out.append(line)
    return "\n\n".join(out)


@dataclass(frozen=True)
class _Extracted:
    text: str
    title: str | None = None
    source: str | None = None
    byline: tuple[str, ...] = ()
    published: str | None = None


def html_to_text(markup: str) -> _Extracted:
    parser = _MainTextParser()
    parser.feed(markup)
    parser.close()
    main = _join_lines(parser.main_chunks)
    text = main if len(main) >= 200 else _join_lines(parser.chunks)
    meta = parser.meta
    title = (
        meta.get("og:title")
        or " ".join("".join(parser.h1_parts).split())
        or " ".join("".join(parser.title_parts).split())
        or None
    )
    published = _iso_date(
        meta.get("article:published_time") or meta.get("date") or meta.get("pubdate") or ""
    )
    author = meta.get("author") or meta.get("article:author") or ""
    byline = tuple(_split_names(author)) if author and "://" not in author else ()
    source = meta.get("og:site_name") or None
    if title and text and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return _Extracted(text=text, title=title, source=source, byline=byline, published=published)


# ---------------------------------------------------------------------------------------------
# Word (.docx): paragraphs of word/document.xml, metadata from docProps/core.xml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_to_text(data: bytes, path: str) -> _Extracted:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            document = zf.read("word/document.xml")
            core = zf.read("docProps/core.xml") if "docProps/core.xml" in zf.namelist() else b""
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ArticleError(path, "this is not a readable Word (.docx) document") from exc
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError as exc:
        raise ArticleError(path, "the Word document is damaged (its text cannot be read)") from exc
    paragraphs: list[str] = []
    for p in root.iter(f"{_W}p"):
        parts: list[str] = []
        for el in p.iter():
            if el.tag == f"{_W}t" and el.text:
                parts.append(el.text)
            elif el.tag == f"{_W}tab":
                parts.append("\t")
            elif el.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        line = "".join(parts).strip()
        if line:
            paragraphs.append(line)
    title = None
    byline: tuple[str, ...] = ()
    published = None
    if core:
        try:
            croot = ElementTree.fromstring(core)
            for el in croot.iter():
                tag = el.tag.rsplit("}", 1)[-1]
                if tag == "title" and el.text and el.text.strip():
                    title = el.text.strip()
                elif tag == "creator" and el.text and el.text.strip():
                    byline = tuple(_split_names(el.text.strip()))
                elif tag == "created" and el.text:
                    published = _iso_date(el.text)
        except ElementTree.ParseError:
            pass
    # A document's creation date is when the file was made, not when the story ran; keep it
    # only as a fallback below the date the text itself states.
    return _Extracted(text="\n\n".join(paragraphs), title=title, byline=byline, published=published)


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
) -> Article:
    """Build an Article from raw text: metadata from the text where the caller gave none."""
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
    if suffix == ".docx":
        ex = docx_to_text(data, shown)
        if not ex.text.strip():
            raise ArticleError(shown, "the Word document has no text")
        art = article_from_text(
            ex.text, article_id=article_id, path=shown, name=p.name, title=ex.title,
            byline=ex.byline,
        )
        if art.published is None and ex.published:
            art = replace(art, published=ex.published)
        return art
    try:
        text = decode_bytes(data)
    except ValueError as exc:
        raise ArticleError(shown, str(exc)) from exc
    if suffix in (".html", ".htm") or (
        suffix not in (".txt", ".text", ".md", ".markdown")
        and re.match(r"\s*(<!doctype html|<html)", text[:200], re.I)
    ):
        ex = html_to_text(text)
        if not ex.text.strip():
            raise ArticleError(shown, "the web page has no readable article text")
        return article_from_text(
            ex.text, article_id=article_id, path=shown, name=p.name, title=ex.title,
            source=ex.source, byline=ex.byline, published=ex.published,
        )
    if suffix in (".md", ".markdown"):
        text = _strip_markdown(text)
    return article_from_text(text, article_id=article_id, path=shown, name=p.name)


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
    "docx_to_text",
    "expand_paths",
    "html_to_text",
    "load_path",
    "load_paths",
    "renumber",
]
