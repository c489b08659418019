"""Readers turn one file's bytes into plain text plus the metadata the file itself carries.

Each reader returns an `Extracted`; `app.core.articles.load_path` picks the reader by file type
and hands the result to `article_from_text`, which finds what the text says about itself
(dateline, byline, credits) and marks page furniture. A reader that cannot read a file raises
`ReadError` with a reader-facing reason; the caller adds the file's name.
"""

from __future__ import annotations

from dataclasses import dataclass


class ReadError(ValueError):
    """The file cannot be read as an article; the message says why, in the reader's words."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    # The publication that put the text out (og:site_name, a PDF's author field is not one).
    outlet: str | None = None
    source: str | None = None
    byline: tuple[str, ...] = ()
    published: str | None = None
    # Whole lines of `text` that are page furniture the reader recognised (PDF running heads,
    # footers and page numbers); article_from_text marks them as boilerplate wherever they occur.
    furniture: frozenset[str] = frozenset()
    # When True, `published` came from the file rather than the story (a PDF's or a Word
    # document's creation date): it only fills in when the text states no date.
    published_is_fallback: bool = False
    # When True, `title` is the file's metadata title: used only when the text has no headline.
    title_is_fallback: bool = False
    warnings: tuple[str, ...] = ()


__all__ = ["Extracted", "ReadError"]
