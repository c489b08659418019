"""What the finders read from one article alone, read where its Doc is made.

A large comparison parses its articles in forked helpers (`nlp.parse_articles`). An article
just parsed is also read there for everything that needs no other article: its passages, its
figures with their incidents and claimants, its quotes, its names and the word runs of the
agency-copy check. The reading travels back with the Doc and is kept where the finders look
first (the memories that keep an open comparison's articles), so this work runs on every core
while the others parse instead of afterwards on one, and the findings are the same whichever
process read an article (tested, byte for byte).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core import align, conflicts, copies, names, quotes
from app.core.analysis import Analysis
from app.core.entities import keep_on_doc

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from app.core.analysis import Passage
    from app.core.claims import Claim
    from app.core.incidents import ArticlePart
    from app.core.model import Article


@dataclass(frozen=True)
class Reading:
    """One article read on its own (as article 0 of a comparison of one)."""

    passages: list[Passage]
    claims: list[Claim]
    part: ArticlePart
    quotes: list[quotes.Quote]
    mentions: list[names.Mention]
    words: object  # copies.read_article


class Reader:
    """The `nlp.ArticleReader` of a comparison."""

    def read(self, article: Article, doc: Doc) -> Reading:
        passages = align.passages_for(0, article, doc)
        analysis = Analysis(articles=(article,), docs=[doc], passages=[passages])
        analysis.index()
        claims, part = conflicts.read_article(analysis, 0)
        return Reading(passages, claims, part, quotes.read_article(analysis, 0),
                       names.mentions(analysis), copies.read_article(article))

    def keep(self, article: Article, doc: Doc, reading: object) -> None:
        if not isinstance(reading, Reading):
            return
        keep_on_doc(doc, "passages", article, reading.passages)
        keep_on_doc(doc, "mentions", article, reading.mentions)
        conflicts.keep_read(article, reading.passages, reading.claims, reading.part)
        quotes.keep_read(article, reading.quotes)
        copies.keep_read(article, reading.words)  # type: ignore[arg-type]
