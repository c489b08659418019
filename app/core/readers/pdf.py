"""PDF articles: the text layer in reading order, page furniture marked, metadata as fallback.

PDFium (through pypdfium2, Apache-2.0 / BSD-3-Clause) gives every character with its box; it
was chosen over pypdf and pdfminer.six by measurement (`python -m app.bench_import --pdf`,
figures in CHANGELOG.md): the same text quality on real pages, 7–9 times faster, and it marks
the hyphens that typesetting added at line ends, so they can be joined without guessing.

On top of PDFium's lines this module does the layout a reader expects:
- reading order: text lines are ordered top to bottom, and a page set in two columns is read
  left column first (lines running across both, such as a headline, stay where they are);
- paragraphs: lines are joined into paragraphs by the vertical gaps between them; a word split
  by hyphenation at a line end is joined ("man-" + "agement" -> "management"), a compound
  ("Russian-" + "backed") keeps its hyphen;
- page furniture: lines in the top and bottom margins that repeat from page to page (running
  heads, footers) and page numbers are returned as `furniture`, so that the article marks them
  as boilerplate; a paragraph broken by a page turn is joined again.

A scanned PDF (no text layer), an encrypted or a damaged one raises ReadError with a reason a
reader understands. PDFium is not thread-safe, so every use holds one lock.
"""

from __future__ import annotations

import itertools
import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass, field

from app.core.readers import Extracted, ReadError

_LOCK = threading.Lock()
MAX_PAGES = 500  # an article is a few pages; a book-length PDF is refused rather than read

_SOFT_HYPHENS = ("\x02", "\xad", "\ufffe")
_PAGE_NUMBER = re.compile(
    r"^(?:page|seite|p\.)?\s*[-–—]?\s*\d{1,4}\s*(?:(?:/|of|von|sur)\s*\d{1,4})?\s*[-–—]?$", re.I
)
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]]$")


@dataclass
class _Line:
    text: str
    x0: float
    y0: float  # bottom (PDF coordinates grow upwards)
    x1: float
    y1: float  # top
    size: float
    page: int = 0
    furniture: bool = False

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, self.size * 0.7, 1.0)


@dataclass
class _Page:
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    images: int = 0


def read_pdf(data: bytes) -> Extracted:
    with _LOCK:
        pages, meta = _read_pages(data)
    total_chars = sum(len(ln.text.strip()) for p in pages for ln in p.lines)
    if total_chars < 20:
        if any(p.images for p in pages):
            raise ReadError(
                "the PDF has no text layer: it is a scanned image. Run it through text "
                "recognition (OCR) first, or copy the text from the original"
            )
        raise ReadError("the PDF has no text")
    warnings: list[str] = []
    empty = [i + 1 for i, p in enumerate(pages) if not p.lines and p.images]
    if empty:
        shown = ", ".join(str(n) for n in empty[:10]) + (" …" if len(empty) > 10 else "")
        warnings.append(
            f"page{'s' if len(empty) > 1 else ''} {shown} of the PDF "
            f"{'are' if len(empty) > 1 else 'is'} only an image (scanned?); "
            "its text could not be read"
        )
    furniture = _mark_furniture(pages)
    ordered = [_reading_order(p) for p in pages]
    text = _paragraphs(ordered)
    headline = _headline(pages[0] if pages else None)
    title = headline or _meta_title(meta.get("Title", ""))
    published = _meta_date(meta.get("CreationDate", "")) or _meta_date(meta.get("ModDate", ""))
    author = (meta.get("Author") or "").strip()
    byline = tuple(a.strip() for a in re.split(r"\s*(?:,|;|\band\b|&)\s*", author) if a.strip())
    return Extracted(
        text=text,
        title=title,
        byline=byline if 0 < len(author) <= 80 else (),
        published=published,
        furniture=frozenset(furniture),
        published_is_fallback=True,
        # A headline set large on page one is the text's own; else the metadata's title is
        # used only when the text's first line is no headline.
        title_is_fallback=headline is None,
        warnings=tuple(warnings),
    )


def _read_pages(data: bytes) -> tuple[list[_Page], dict[str, str]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise ReadError(
                "the PDF is password-protected (encrypted); open it in a PDF viewer with its "
                "password and save or print an unprotected copy"
            ) from exc
        if "security" in message:
            raise ReadError("the PDF uses an unsupported security handler") from exc
        raise ReadError("the PDF is damaged or not a PDF (its structure cannot be read)") from exc
    try:
        if len(doc) == 0:
            raise ReadError("the PDF has no pages")
        if len(doc) > MAX_PAGES:
            raise ReadError(
                f"the PDF has {len(doc)} pages; the limit for one article is {MAX_PAGES}"
            )
        try:
            meta = {k: str(v) for k, v in doc.get_metadata_dict(skip_empty=True).items()}
        except Exception:
            meta = {}
        pages: list[_Page] = []
        for index in range(len(doc)):
            try:
                page = doc[index]
            except pdfium.PdfiumError as exc:
                raise ReadError(f"page {index + 1} of the PDF is damaged") from exc
            try:
                width, height = page.get_size()
                out = _Page(width=width, height=height)
                textpage = page.get_textpage()
                try:
                    out.lines = _page_lines(textpage, raw, index)
                finally:
                    textpage.close()
                if not out.lines:
                    out.images = sum(
                        1 for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2)
                    )
                pages.append(out)
            finally:
                page.close()
        return pages, meta
    finally:
        doc.close()


def _page_lines(textpage: object, raw: object, page: int) -> list[_Line]:
    """PDFium's lines, each split where a wide horizontal gap shows two columns side by side."""
    text: str = textpage.get_text_range()  # type: ignore[attr-defined]
    lines: list[_Line] = []
    start = 0
    for raw_line in re.split(r"(\r\n|\n|\r)", text):
        if raw_line in ("\r\n", "\n", "\r"):
            start += len(raw_line)
            continue
        lines.extend(_split_line(textpage, raw, raw_line, start, page))
        start += len(raw_line)
    return lines


def _split_line(textpage: object, raw: object, s: str, offset: int, page: int) -> list[_Line]:
    out: list[_Line] = []
    chars: list[str] = []
    box: list[float] = []
    size = 0.0
    prev_x1: float | None = None

    def flush() -> None:
        t = "".join(chars).strip()
        if t and box:
            out.append(_Line(t, box[0], box[1], box[2], box[3], size or 10.0, page))

    for i, ch in enumerate(s):
        if ch.isspace():
            chars.append(" ")
            continue
        x0, y0, x1, y1 = textpage.get_charbox(offset + i)  # type: ignore[attr-defined]
        if x1 <= x0 and y1 <= y0:  # generated character without a box
            chars.append(ch)
            continue
        csize = float(raw.FPDFText_GetFontSize(textpage.raw, offset + i))  # type: ignore[attr-defined]
        if prev_x1 is not None and box and (
            x0 - prev_x1 > 2.5 * max(size, csize, 4.0) or x0 < prev_x1 - 4 * max(size, 4.0)
        ):
            flush()
            chars, box, size = [], [], 0.0
        if not box:
            box = [x0, y0, x1, y1]
            size = csize
        else:
            box = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
        chars.append(ch)
        prev_x1 = x1
    flush()
    return out


# ---------------------------------------------------------------------------------------------
# Page furniture


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _mark_furniture(pages: list[_Page]) -> set[str]:
    """Running heads, footers and page numbers: lines in the margins that repeat or count."""
    margin: list[_Line] = []
    for p in pages:
        band = p.height * 0.09
        for ln in p.lines:
            if ln.y0 >= p.height - band or ln.y1 <= band:
                margin.append(ln)
    shapes = Counter(_shape(ln.text) for ln in margin)
    repeats_needed = 2 if len(pages) >= 2 else 10**9
    found: set[str] = set()
    for ln in margin:
        if _PAGE_NUMBER.match(ln.text.strip()) or shapes[_shape(ln.text)] >= repeats_needed:
            ln.furniture = True
            found.add(" ".join(ln.text.split()))
    return found


# ---------------------------------------------------------------------------------------------
# Reading order and paragraphs


def _reading_order(page: _Page) -> list[_Line]:
    body = [ln for ln in page.lines if not ln.furniture]
    furniture = [ln for ln in page.lines if ln.furniture]
    body.sort(key=lambda ln: (-round(ln.y1, 0), ln.x0))
    gutter = _gutter(body, page.width)
    if gutter is None:
        ordered = body
    else:
        ordered = []
        left: list[_Line] = []
        right: list[_Line] = []
        for ln in body:
            if ln.x0 < gutter < ln.x1:  # runs across both columns: a headline, a wide figure
                ordered += left + right
                left, right = [], []
                ordered.append(ln)
            elif ln.x1 <= gutter:
                left.append(ln)
            else:
                right.append(ln)
        ordered += left + right
    # Heads above the text, footers and page numbers after it: out of the paragraphs' way.
    heads = [ln for ln in furniture if ln.y0 >= page.height / 2]
    feet = [ln for ln in furniture if ln.y0 < page.height / 2]
    heads.sort(key=lambda ln: (-ln.y1, ln.x0))
    feet.sort(key=lambda ln: (-ln.y1, ln.x0))
    return heads + ordered + feet


def _gutter(lines: list[_Line], width: float) -> float | None:
    """The x of a vertical gap between two columns of text, if the page has one."""
    if len(lines) < 6:
        return None
    best: tuple[int, float] | None = None
    x = width * 0.3
    while x <= width * 0.7:
        crossing = sum(1 for ln in lines if ln.x0 < x < ln.x1)
        left = sum(1 for ln in lines if ln.x1 <= x)
        right = sum(1 for ln in lines if ln.x0 >= x)
        if left >= 3 and right >= 3 and crossing <= 0.25 * len(lines):
            score = (crossing, abs(x - width / 2))
            if best is None or score < (best[0], abs(best[1] - width / 2)):
                best = (crossing, x)
        x += 2.0
    if best is None:
        return None
    # Both sides must really be columns: lines beside each other at the same heights.
    g = best[1]
    left_ys = {round(ln.y1) for ln in lines if ln.x1 <= g}
    right_ys = {round(ln.y1) for ln in lines if ln.x0 >= g}
    side_by_side = sum(1 for y in right_ys if any(abs(y - ly) <= 3 for ly in left_ys))
    return g if side_by_side >= 3 else None


def _paragraphs(pages: list[list[_Line]]) -> str:
    vocabulary = Counter(
        w.lower() for page in pages for ln in page for w in re.findall(r"[^\W\d_]+", ln.text)
    )
    hyphenated = {
        m.group(0).lower()
        for page in pages for ln in page
        for m in re.finditer(r"[^\W\d_]+-[^\W\d_]+", ln.text)
    }
    paragraphs: list[list[str]] = []  # each: [text]; furniture lines are paragraphs of their own
    pending_furniture: list[str] = []
    current: list[str] | None = None
    prev: _Line | None = None
    gaps = [
        a.y0 - b.y1
        for page in pages for a, b in itertools.pairwise(page)
        if not a.furniture and not b.furniture and 0 < a.y0 - b.y1 < 3 * a.height
    ]
    usual_gap = statistics.median(gaps) if gaps else 2.0
    for page in pages:
        # Where each column's lines end when they run full width: keyed by their left edge.
        right_edge: dict[int, float] = {}
        for ln in page:
            if not ln.furniture:
                key = round(ln.x0 / 6)
                right_edge[key] = max(right_edge.get(key, 0.0), ln.x1)
        for ln in page:
            if ln.furniture:
                if current is not None and not _SENTENCE_END.search(current[-1]):
                    pending_furniture.append(ln.text)  # after the paragraph the page turn broke
                else:
                    paragraphs.append([ln.text])
                continue
            new_paragraph = current is None or prev is None or _breaks(
                prev, ln, usual_gap, current[-1], right_edge.get(round(prev.x0 / 6), prev.x1)
            )
            if new_paragraph:
                if current is not None:
                    paragraphs.append(current)
                    for f in pending_furniture:
                        paragraphs.append([f])
                    pending_furniture = []
                current = [ln.text]
            else:
                assert current is not None
                current[-1] = _join(current[-1], ln.text, vocabulary, hyphenated)
            prev = ln
    if current is not None:
        paragraphs.append(current)
    paragraphs.extend([f] for f in pending_furniture)
    text = "\n\n".join(" ".join(p).strip() for p in paragraphs if "".join(p).strip())
    for mark in _SOFT_HYPHENS:
        text = text.replace(mark, "")
    return text


def _breaks(prev: _Line, ln: _Line, usual_gap: float, so_far: str, edge: float) -> bool:
    if ln.page != prev.page:
        # A page turn: the paragraph goes on when it stopped mid-sentence.
        return bool(_SENTENCE_END.search(so_far)) or not ln.text[:1].islower()
    if abs(ln.size - prev.size) > 0.15 * max(ln.size, prev.size):
        return True  # a headline or a caption in another size
    gap = prev.y0 - ln.y1
    if gap < -prev.height:  # moved up: the next column
        return bool(_SENTENCE_END.search(so_far)) or not ln.text[:1].islower()
    if gap > max(usual_gap * 1.8, usual_gap + 0.5 * ln.size):
        return True
    # No space between paragraphs: a line that stops well short of the column's edge ends
    # one (a paragraph's last line, a heading, "Advertisement").
    # Short = the next line's first word would have fitted at the end of this one.
    per_char = (prev.x1 - prev.x0) / max(len(prev.text), 1)
    first_word = len(ln.text.split(" ", 1)[0]) + 1
    short = edge - prev.x1 > per_char * first_word + 1.0
    return short and (
        bool(_SENTENCE_END.search(so_far)) or not prev.text[-1:].isalnum()
        or ln.text[:1].isupper() or ln.text[:1] in "\"“‘'("
    )


def _join(left: str, right: str, vocabulary: Counter[str], hyphenated: set[str]) -> str:
    left = left.rstrip()
    if left.endswith(_SOFT_HYPHENS):  # PDFium marks a typesetter's hyphen
        return left[:-1] + right.lstrip()
    m = re.search(r"([^\W\d_]+)-$", left)
    n = re.match(r"([^\W\d_]+)", right)
    if m and n:
        head, tail = m.group(1), n.group(1)
        if tail[0].islower():
            joined = (head + tail).lower()
            compound = f"{head}-{tail}".lower()
            if compound in hyphenated and joined not in vocabulary:
                return left + right.lstrip()
            return left[:-1] + right.lstrip()
        return left + right.lstrip()  # "Russian-" + "Backed": keep the hyphen, no space
    return left + " " + right.lstrip()


def _headline(page: _Page | None) -> str | None:
    """The largest type in the top half of page one, when it stands out from the body text."""
    if page is None:
        return None
    body = [ln for ln in page.lines if not ln.furniture]
    if len(body) < 2:
        return None
    usual = statistics.median(ln.size for ln in body)
    top = [ln for ln in body if ln.y1 >= page.height * 0.5]
    if not top:
        return None
    biggest = max(ln.size for ln in top)
    if biggest < usual * 1.25:
        return None
    lines = sorted((ln for ln in top if abs(ln.size - biggest) < 0.05 * biggest),
                   key=lambda ln: (-ln.y1, ln.x0))
    # The first run of headline-size lines, one under the other.
    run = [lines[0]]
    for ln in lines[1:]:
        if run[-1].y0 - ln.y1 > 1.2 * biggest:
            break
        run.append(ln)
    title = " ".join(" ".join(ln.text.split()) for ln in run)
    for mark in _SOFT_HYPHENS:
        title = title.replace(mark, "")
    return title if 0 < len(title) <= 200 else None


# ---------------------------------------------------------------------------------------------
# Metadata


def _meta_title(title: str) -> str | None:
    title = " ".join(title.split())
    if not title or len(title) > 300:
        return None
    low = title.lower()
    if low in {"untitled", "title", "document", "pdf"} or re.search(
        r"\.(?:docx?|pdf|odt|rtf|txt|html?)$|^microsoft word - |^untitled", low
    ):
        return None
    return title


def _meta_date(value: str) -> str | None:
    m = re.match(r"^\s*(?:D:)?(\d{4})(\d{2})(\d{2})", value)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2200:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


__all__ = ["read_pdf"]
