"""Which outlet an article comes from, for column headers and labels.

In order: what the file's metadata names (a web page's og:site_name or publisher), what the
file's name says when it is named the way newsrooms name files ("reuters-0412.txt",
"ahram_2017-04-05.html": an outlet followed by a number or date), then the credits in the text
itself: a dateline ("MOSCOW (Reuters) -", "(AFP) —"), a credit line ("Source: dpa", "— AFP"),
"Other reports by ...". A file name the user chose outranks a credit in the text because a
paper that reprints a wire story is still the paper the user saved it from; the agency stays
visible as the article's `source`.
"""

from __future__ import annotations

import re
from pathlib import PurePath

# Words that name what a file is, not who published it.
_GENERIC = {
    "article", "articles", "story", "stories", "page", "news", "text", "untitled", "document",
    "doc", "copy", "final", "draft", "print", "printout", "pdf", "web", "download", "downloads",
    "file", "new", "saved", "seed", "sample", "test", "report", "press", "release", "item",
    "source", "scan", "export", "version", "rev", "part",
}
_ID_TOKEN = re.compile(
    r"^(?:\d+|[0-9a-f]{6,}|\d{4}-\d{2}-\d{2}|\d{1,2}[a-z]{3}\d{2,4}|v\d+)$", re.I
)
_WORD_TOKEN = re.compile(r"^[^\W\d_][\w&'.]*$")


def outlet_from_filename(path: str | None) -> str | None:
    """"reuters-0412.txt" -> "reuters"; "biden-putin-summit.txt" -> None (that is a topic)."""
    if not path:
        return None
    stem = PurePath(path).stem
    if "." in stem:  # "reuters.com-0412" keeps its dot; "page.en" drops a language suffix
        stem = stem if re.search(r"\.[a-z]{2,6}(?:[-_ ]|$)", stem) else stem.split(".")[0]
    tokens = [t for t in re.split(r"[-_\s]+", stem) if t]
    words: list[str] = []
    for i, tok in enumerate(tokens):
        if _ID_TOKEN.match(tok):
            # Words followed by an id: the words are the outlet.
            if words and i > 0:
                return " ".join(words)
            return None
        if not _WORD_TOKEN.match(tok) or tok.lower() in _GENERIC or len(words) >= 2:
            return None
        words.append(tok)
    return None


_AGENCIES = (
    "Reuters", "AFP", "Agence France-Presse", "AP", "Associated Press", "dpa", "DPA",
    "Bloomberg", "Xinhua", "TASS", "Interfax", "ANSA", "EFE", "Anadolu Agency", "Anadolu",
    "UPI", "PA Media", "PA", "Kyodo", "Yonhap", "SANA", "IRNA", "KUNA", "WAM", "MENA", "AAP",
    "CP", "Canadian Press", "APA", "KNA", "epd", "Sputnik", "RIA Novosti", "Ukrinform", "PTI",
)
_AGENCY_RE = "|".join(re.escape(a) for a in sorted(_AGENCIES, key=len, reverse=True))
_DASH = r"[-–—]"
# "WASHINGTON / MOSCOW (Reuters) –", "(AFP) -", "BEIRUT, April 5 (Reuters) -"
_DATELINE = re.compile(
    rf"^\s*(?:[A-Z][\w .,/'’-]{{1,60}}\s*)?\(([A-Z][\w.&'’ -]{{1,40}}?)\)\s*{_DASH}"
)
_CREDIT_LINE = re.compile(
    rf"^\s*(?:(?:Source|Quelle|Credit|Via)\s*:\s*(?P<src>[^\n:]{{2,50}}?)\.?"
    rf"|{_DASH}\s*(?P<tail>{_AGENCY_RE})\.?"
    rf"|\(?(?P<alone>{_AGENCY_RE})\)?\.?)\s*$"
)
_OTHER_REPORTS = re.compile(
    r"^\s*(?:Other|More) (?:reports|stories|news|articles) (?:by|from)\s+(.+?)\.?\s*$", re.I
)


# A wire dateline inside run-on text (copies that lost their line breaks): "... (AFP) - ...".
_INLINE_DATELINE = re.compile(rf"\(({_AGENCY_RE})\)\s*{_DASH}")
# House signatures that name the outlet wherever they stand.
_SIGNATURES = ((re.compile(r"Thomson Reuters Trust Principles"), "Reuters"),)


def is_agency(name: str) -> bool:
    """"Reuters", "AFP", "Anadolu Agency": a news agency, not a party to the story."""
    return re.fullmatch(_AGENCY_RE, name.strip()) is not None


def credit_from_text(text: str) -> str | None:
    """The outlet or agency the text credits, if it names one where credits are written."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    head, tail = lines[:8], lines[-6:]
    for ln in head:
        m = _DATELINE.match(ln)
        if m:
            return m.group(1).strip()
    m = _INLINE_DATELINE.search(text[:600])
    if m:
        return m.group(1)
    for ln in head + tail:
        m = _CREDIT_LINE.match(ln)
        if m:
            found = (m.group("src") or m.group("tail") or m.group("alone") or "").strip()
            if found and "://" not in found and not found.lower().startswith("www."):
                return found
        m = _OTHER_REPORTS.match(ln)
        if m:
            return m.group(1).strip()
    for pattern, name in _SIGNATURES:
        if pattern.search(text[-2000:]):
            return name
    return None


__all__ = ["credit_from_text", "is_agency", "outlet_from_filename"]
