"""Real PDF files for the tests, written with Qt (which Parallax ships) and, for encryption,
by hand following the PDF standard security handler (RC4, revision 2).

`article_pdf` lays text out itself so that a test controls what a reader has to undo: columns,
words hyphenated at line ends, running heads and page numbers, and the order in which the text
is drawn (the right column first, so that a reader that trusts drawing order gets it wrong).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

_DPI = 72  # one device unit = one PDF point


def _writer(path: Path, title: str = "") -> QPdfWriter:
    w = QPdfWriter(str(path))
    w.setResolution(_DPI)
    w.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    w.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    if title:
        w.setTitle(title)
    w.setCreator("Parallax tests")
    return w


def _wrap(words: list[str], fm: QFontMetricsF, width: float, hyphenate: bool) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in words:
        trial = f"{line} {word}".strip()
        if fm.horizontalAdvance(trial) <= width:
            line = trial
            continue
        if hyphenate and len(word) >= 8 and line:
            # Split the word where the head (with its hyphen) still fits the line.
            for cut in range(len(word) - 3, 2, -1):
                head = f"{line} {word[:cut]}-"
                if fm.horizontalAdvance(head) <= width and word[:cut].isalpha():
                    lines.append(head)
                    line = word[cut:]
                    break
            else:
                lines.append(line)
                line = word
            continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def article_pdf(
    path: Path,
    headline: str,
    paragraphs: list[str],
    *,
    columns: int = 1,
    running_head: str = "",
    page_numbers: bool = True,
    hyphenate: bool = True,
    right_column_first: bool = False,
    title: str = "",
    image_page: bool = False,
) -> Path:
    """Headline across the page, then the paragraphs in 1 or 2 columns over as many pages as
    they need. With `image_page`, a last page holds only a picture of text (a "scan")."""
    w = _writer(path, title)
    p = QPainter(w)
    page_w, page_h = 595.0, 842.0
    margin, gutter = 56.0, 24.0
    body_font = QFont("DejaVu Serif")
    body_font.setPixelSize(11)
    head_font = QFont("DejaVu Sans")
    head_font.setPixelSize(22)
    head_font.setBold(True)
    small = QFont("DejaVu Sans")
    small.setPixelSize(8)
    fm = QFontMetricsF(body_font)
    col_w = (page_w - 2 * margin - gutter * (columns - 1)) / columns
    leading = fm.height() * 1.25
    # Lay out: a list of pages, each a list of (x, y, text, font) draws per column.
    lines: list[str | None] = []  # None marks a paragraph gap
    for para in paragraphs:
        lines += _wrap(para.split(), fm, col_w, hyphenate)
        lines.append(None)
    pages: list[list[list[tuple[float, float, str]]]] = []
    top_first = margin + 60
    i = 0
    while i < len(lines):
        page_cols: list[list[tuple[float, float, str]]] = []
        top = top_first if not pages else margin + 20
        for c in range(columns):
            x = margin + c * (col_w + gutter)
            y = top
            col: list[tuple[float, float, str]] = []
            while i < len(lines) and y + leading < page_h - margin - 20:
                line = lines[i]
                i += 1
                if line is None:
                    y += leading * 0.8
                    continue
                col.append((x, y, line))
                y += leading
            page_cols.append(col)
        pages.append(page_cols)
    total = len(pages) + (1 if image_page else 0)
    for n, page_cols in enumerate(pages):
        if n:
            w.newPage()
        if running_head:
            p.setFont(small)
            p.drawText(QPointF(margin, margin - 16), running_head)
        if page_numbers:
            p.setFont(small)
            p.drawText(QPointF(page_w / 2 - 20, page_h - margin + 10), f"Page {n + 1} of {total}")
        if n == 0:
            p.setFont(head_font)
            p.drawText(QRectF(margin, margin, page_w - 2 * margin, 60),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), headline)
        p.setFont(body_font)
        order = list(reversed(page_cols)) if right_column_first else page_cols
        for col in order:
            for x, y, text in col:
                p.drawText(QPointF(x, y + fm.ascent()), text)
    if image_page:
        w.newPage()
        img = QImage(800, 400, QImage.Format.Format_RGB32)
        img.fill(QColor("white"))
        ip = QPainter(img)
        f = QFont("DejaVu Serif")
        f.setPixelSize(28)
        ip.setFont(f)
        ip.drawText(QPointF(20, 60), "A scanned page: its words are only pixels.")
        ip.end()
        p.drawImage(QRectF(margin, margin, page_w - 2 * margin, 200), img)
    p.end()
    return path


def image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A "scanned" document: every page a picture of text, no text layer at all."""
    w = _writer(path)
    p = QPainter(w)
    for n in range(pages):
        if n:
            w.newPage()
        img = QImage(600, 300, QImage.Format.Format_RGB32)
        img.fill(QColor("white"))
        ip = QPainter(img)
        ip.drawText(QPointF(20, 40), f"Scanned page {n + 1}: 14,000 people were killed.")
        ip.end()
        p.drawImage(QRectF(50, 50, 495, 250), img)
    p.end()
    return path


def text_document_pdf(path: Path, text: str, title: str = "") -> Path:
    """Plain text through QTextDocument's own pagination (it numbers the pages itself)."""
    doc = QTextDocument()
    f = QFont("DejaVu Serif")
    f.setPointSize(11)
    doc.setDefaultFont(f)
    doc.setPlainText(text)
    w = _writer(path, title)
    w.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter)
    doc.print_(w)
    return path


# ---------------------------------------------------------------------------------------------
# Encryption (PDF 1.7, 7.6.3: standard security handler, revision 2, 40-bit RC4)

_PAD = bytes.fromhex(
    "28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A"
)


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(path: Path, text: str, user_password: str, owner_password: str = "owner") -> Path:
    """A one-page PDF whose content stream is RC4-encrypted and needs `user_password`."""
    file_id = hashlib.md5(text.encode()).digest()
    perms = -44  # print and copy allowed; the value does not matter for opening
    o_key = hashlib.md5((owner_password.encode() + _PAD)[:32]).digest()[:5]
    o_value = _rc4(o_key, (user_password.encode() + _PAD)[:32])
    key = hashlib.md5(
        (user_password.encode() + _PAD)[:32] + o_value + perms.to_bytes(4, "little", signed=True)
        + file_id
    ).digest()[:5]
    u_value = _rc4(key, _PAD)
    safe = re.sub(r"([()\\])", r"\\\1", text)
    content = f"BT /F1 14 Tf 72 760 Td ({safe}) Tj ET".encode("latin-1")
    obj_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()
    stream = _rc4(obj_key[:10], content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <"
        + u_value.hex().encode() + b"> /P " + str(perms).encode() + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Encrypt 6 0 R "
        f"/ID [<{file_id.hex()}> <{file_id.hex()}>] >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(out))
    return path
