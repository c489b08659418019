"""Word (.docx): paragraphs of word/document.xml, metadata from docProps/core.xml."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from app.core.readers import Extracted, ReadError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            document = zf.read("word/document.xml")
            core = zf.read("docProps/core.xml") if "docProps/core.xml" in zf.namelist() else b""
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ReadError("this is not a readable Word (.docx) document") from exc
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError as exc:
        raise ReadError("the Word document is damaged (its text cannot be read)") from exc
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
                    names = re.split(r"\s*(?:,|;|\band\b|&)\s*", el.text)
                    byline = tuple(p.strip() for p in names if p.strip())
                elif tag == "created" and el.text:
                    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", el.text)
                    published = m.group(1) if m else None
        except ElementTree.ParseError:
            pass
    text = "\n\n".join(paragraphs)
    if not text.strip():
        raise ReadError("the Word document has no text")
    # A document's creation date is when the file was made, not when the story ran; keep it
    # only as a fallback below the date the text itself states.
    return Extracted(
        text=text, title=title, byline=byline, published=published, published_is_fallback=True
    )


__all__ = ["read_docx"]
