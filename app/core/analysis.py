"""The intermediate analysis that the matchers and the conflict finders share.

`compare.py` builds one `Analysis` per comparison: the articles, their parsed Docs, the passages
(sentences) of each article, and the links between passages that say the same thing. The
conflict finders read it and never parse again.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.core.model import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

PassageRef = tuple[int, int]  # (article index, passage index within that article)


@dataclass(frozen=True)
class Passage:
    """One sentence (or caption line) of an article."""

    article: int  # index into Analysis.articles
    index: int  # index into Analysis.passages[article]
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]  # normalised: lemmas, lower case, no stop words, numbers kept
    boilerplate: bool  # page furniture: never matched, never unique
    content: bool  # a real statement (not a heading, dateline or credit)

    @functools.cached_property
    def ref(self) -> PassageRef:
        # Cached: the conflict finders ask for it millions of times on a large story.
        return (self.article, self.index)


@dataclass(frozen=True)
class PassageLink:
    """Two passages in different articles that say the same thing (a < b, ordered)."""

    a: PassageRef
    b: PassageRef
    score: float  # 0..1


@dataclass
class Analysis:
    articles: tuple[Article, ...]
    docs: list[Doc]
    passages: list[list[Passage]]
    links: list[PassageLink] = field(default_factory=list)
    # Clusters of linked passages spanning several articles (connected components).
    groups: list[list[PassageRef]] = field(default_factory=list)
    # Derived data the finders share (incident frames, entity mentions), computed once.
    cache: dict[str, object] = field(default_factory=dict, repr=False)
    _starts: list[list[int]] = field(default_factory=list, repr=False)
    _neighbours: dict[PassageRef, dict[PassageRef, float]] = field(
        default_factory=dict, repr=False
    )
    # passage_at answers, by (article, offset): the finders ask for the same mentions often.
    _at: dict[tuple[int, int], Passage | None] = field(default_factory=dict, repr=False)

    def index(self) -> None:
        """Build look-up tables; call after links are set."""
        self._starts = [[p.start for p in ps] for ps in self.passages]
        self._at = {}
        self._neighbours = {}
        for link in self.links:
            self._neighbours.setdefault(link.a, {})[link.b] = link.score
            self._neighbours.setdefault(link.b, {})[link.a] = link.score

    def passage(self, ref: PassageRef) -> Passage:
        return self.passages[ref[0]][ref[1]]

    def passage_at(self, article: int, offset: int) -> Passage | None:
        """The passage of `article` containing character `offset`."""
        key = (article, offset)
        if key in self._at:
            return self._at[key]
        found = self._passage_at(article, offset)
        if self._starts:  # only once the tables are built: passages do not change after
            self._at[key] = found
        return found

    def _passage_at(self, article: int, offset: int) -> Passage | None:
        starts = (
            self._starts[article] if self._starts else [p.start for p in self.passages[article]]
        )
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        p = self.passages[article][i]
        return p if p.start <= offset < p.end else None

    def linked(self, ref: PassageRef) -> dict[PassageRef, float]:
        """Passages in other articles matched to `ref`, with their scores."""
        return self._neighbours.get(ref, {})

    def link_score(self, a: PassageRef, b: PassageRef) -> float:
        near = self._neighbours.get(a)
        return near.get(b, 0.0) if near else 0.0

    def all_passages(self) -> Iterator[Passage]:
        for ps in self.passages:
            yield from ps
