"""Saved web pages: the article's main text and the page's own metadata.

trafilatura (Apache-2.0) finds the main text; it was chosen by measurement over readability-lxml,
jusText, boilerpy3 and Parallax's former hand-written reader (`python -m app.bench_import --html`,
figures in CHANGELOG.md). When it finds too little (very short pages, odd markup), the
hand-written reader below still gives the page's text so that no real page is refused.

Nothing is fetched and no script runs: both readers only parse the markup they are given.
`.mhtml` ("web page, single file") is unpacked with the standard library's MIME parser.
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
from collections.abc import Iterable
from email.message import EmailMessage
from html.parser import HTMLParser
from urllib.parse import urlsplit

from app.core.readers import Extracted, ReadError

# trafilatura's own verdicts ("discarding data", "not enough text") are not the user's business.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# Below this many characters the library's result may not be the whole article: try harder.
ENOUGH_TEXT = 250
# Below this, the library found no article at all: Parallax's own reader takes the page's text.
NEXT_TO_NOTHING = 80

COMMENTS_HEADING = "Readers' comments"

_TEASER = re.compile(r"\[(?:…|\.\.\.)\]\s*$")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)


def read_html(markup: str, url: str | None = None) -> Extracted:
    """Main text, title, outlet, authors and date of one saved page."""
    if url is None:
        m = _SAVED_FROM.search(markup[:4000])
        url = m.group(1) if m else None
    fallback = _fallback(markup)
    doc = _trafilatura(markup, url)
    text = doc.get("text") or ""
    if len(text) < ENOUGH_TEXT:
        # A short page: the library without its precision filters (what a browser hides was
        # already pruned), and only when that finds next to nothing, every visible text.
        recall = _trafilatura(markup, url, favor_recall=True)
        if len(recall.get("text") or "") > len(text):
            doc = {**recall, **{k: v for k, v in doc.items() if k != "text" and v}}
            text = recall.get("text") or ""
    if len(text) < NEXT_TO_NOTHING and len(fallback.text) > len(text):
        text = fallback.text
    text = _paragraphs(text.split("\n"))
    if not text.strip():
        raise ReadError("the web page has no readable article text")
    # Readers' comments stay on the page for the journalist to see, after the article and
    # marked as page furniture: never matched, never reported as unique.
    # Teasers for other posts end in a bracketed ellipsis ("… on percussion […]"): an excerpt
    # that links elsewhere, not this article's text.
    furniture = {p for p in text.split("\n\n") if _TEASER.search(p)}
    comments = _paragraphs((doc.get("comments") or "").split("\n"))
    if comments and text is not fallback.text:
        furniture |= {COMMENTS_HEADING, *comments.split("\n\n")}
        text = f"{text}\n\n{COMMENTS_HEADING}\n\n{comments}"
    meta = fallback  # the hand-written reader's <meta> findings fill in what trafilatura lacks
    title = _clean(doc.get("title")) or meta.title
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    author = _clean(doc.get("author"))
    byline = tuple(_split_names(author)) if author and "://" not in author else meta.byline
    # trafilatura reads the publisher from JSON-LD before og:site_name, which some sites fill
    # with an edition ("U.S.") rather than their name.
    outlet = (
        _clean(doc.get("sitename"))
        or meta.outlet
        or outlet_from_host(doc.get("hostname") or (urlsplit(url).hostname if url else None))
    )
    published = _iso(doc.get("date")) or meta.published
    # `source` keeps its meaning in the JSON contract (the outlet the page names itself).
    return Extracted(
        text=text, title=title, outlet=outlet, source=outlet, byline=byline, published=published,
        furniture=frozenset(furniture),
    )


def _pruned(markup: str) -> object | None:
    """The page's tree without what a browser never shows (<noscript>, hidden elements)."""
    from trafilatura.utils import load_html

    tree = load_html(markup)
    if tree is None:
        return None
    for el in tree.xpath(
        "//noscript|//template|//*[@hidden]|//*[@aria-hidden='true']"
        "|//*[contains(translate(@style,' ',''),'display:none')]"
    ):
        parent = el.getparent()
        if parent is not None and el.tag not in ("html", "body"):
            el.drop_tree() if hasattr(el, "drop_tree") else parent.remove(el)
    return tree


def _trafilatura(markup: str, url: str | None, favor_recall: bool = False) -> dict[str, str]:
    import trafilatura

    try:
        tree = _pruned(markup)
        if tree is None:
            return {}
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=True,  # returned apart from the text: kept, marked as furniture
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_recall=favor_recall,
            with_metadata=True,
        )
    except Exception:
        return {}
    if doc is None:
        return {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {k: v for k, v in data.items() if isinstance(v, str)}


def _clean(s: str | None) -> str | None:
    if not s:
        return None
    s = " ".join(s.split())
    return s or None


def _iso(s: str | None) -> str | None:
    if s and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.strip()):
        return s.strip()
    return None


def outlet_from_host(host: str | None) -> str | None:
    """"www.theguardian.com" -> "theguardian.com": the name a reader recognises from the URL."""
    if not host:
        return None
    host = host.lower().strip(".")
    for prefix in ("www.", "m.", "amp.", "mobile.", "edition."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host or None


# ---------------------------------------------------------------------------------------------
# MHTML ("web page, single file"): the first text/html part of a MIME document


def read_mhtml(data: bytes) -> Extracted:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(msg, EmailMessage) or (not msg.is_multipart() and (
        msg.get_content_type() != "text/html"
    )):
        raise ReadError("this is not a saved web page archive (.mhtml)")
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        try:
            markup = part.get_content()
        except (LookupError, ValueError) as exc:  # unknown charset, broken encoding
            raise ReadError("the web page archive is damaged (its page cannot be decoded)") from exc
        if isinstance(markup, bytes):
            markup = markup.decode("utf-8", "replace")
        url = part.get("Content-Location") or msg.get("Snapshot-Content-Location")
        return read_html(markup, url=str(url) if url else None)
    raise ReadError("the web page archive holds no web page")


# ---------------------------------------------------------------------------------------------
# The hand-written reader: every visible text, <article>/<main> first; <meta> tags.

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
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
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


def _paragraphs(lines: Iterable[str]) -> str:
    return "\n\n".join(s for s in (" ".join(line.split()) for line in lines) if s)


def _fallback(markup: str) -> Extracted:
    """The former reader: kept for pages the library finds nothing in, and for <meta> tags."""
    parser = _MainTextParser()
    parser.feed(markup)
    parser.close()
    main = _paragraphs("".join(parser.main_chunks).split("\n"))
    text = main if len(main) >= 200 else _paragraphs("".join(parser.chunks).split("\n"))
    meta = parser.meta
    title = (
        _clean(meta.get("og:title"))
        or _clean("".join(parser.h1_parts))
        or _clean("".join(parser.title_parts))
    )
    published = _iso_prefix(
        meta.get("article:published_time") or meta.get("date") or meta.get("pubdate")
        or meta.get("datepublished") or ""
    )
    author = meta.get("author") or meta.get("article:author") or ""
    byline = tuple(_split_names(author)) if author and "://" not in author else ()
    outlet = _clean(meta.get("og:site_name") or meta.get("application-name"))
    return Extracted(text=text, title=title, outlet=outlet, byline=byline, published=published)


def _iso_prefix(s: str) -> str | None:
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", s)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def _split_names(s: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", s)
    return [p.strip() for p in parts if p.strip()]


def fallback_text(markup: str) -> str:
    """The hand-written reader's text alone (for the benchmark's comparison)."""
    return _fallback(markup).text


__all__ = ["fallback_text", "outlet_from_host", "read_html", "read_mhtml"]
