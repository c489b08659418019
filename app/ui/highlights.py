"""What to paint where: a comparison turned into marks per article, and look-ups by position.

Plain Python over the engine's findings (offsets in code points); the views convert to UTF-16.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.core.model import MATCH, UNIQUE, Article, Comparison, Finding
from app.ui.attribution import Claimants, is_copy, is_dispute, is_update

# Paint order: later layers win where they overlap (and a click picks the highest layer).
# Agency copy is painted in the margin, beside every other mark, and picked last.
LAYER_COPY = 0
LAYER_BOILERPLATE = 1
LAYER_UNIQUE = 2
LAYER_MATCH = 3
LAYER_UPDATE = 4
LAYER_DISPUTE = 5
LAYER_CONFLICT = 6


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: int
    agreeing: int = 0  # sources sharing a match
    finding: str | None = None


def short_label(article: Article, index: int) -> str:
    """What a column or table header calls a source: the outlet, else "Article N"."""
    return article.outlet or article.source or f"Article {index + 1}"


def article_labels(articles: tuple[Article, ...] | list[Article]) -> dict[str, str]:
    return {a.id: short_label(a, i) for i, a in enumerate(articles)}


def layer_of(f: Finding) -> int:
    if f.kind == MATCH:
        return LAYER_MATCH
    if f.kind == UNIQUE:
        return LAYER_UNIQUE
    if is_copy(f):
        return LAYER_COPY
    if is_update(f):
        return LAYER_UPDATE
    if is_dispute(f):
        return LAYER_DISPUTE
    return LAYER_CONFLICT


class HighlightPlan:
    """Marks per article and which findings cover a position. Agency-copy stretches are kept
    apart in `copies`, so the window can leave them out (View > Hide Agency Copy)."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.total = len(comparison.articles)
        self.marks: dict[str, list[Mark]] = defaultdict(list)
        self.copies: dict[str, list[Mark]] = defaultdict(list)
        self.findings: dict[str, Finding] = {f.id: f for f in comparison.findings}
        self.claimants = Claimants.of(comparison)
        for a in comparison.articles:
            for start, end in a.boilerplate:
                self.marks[a.id].append(Mark(start, end, LAYER_BOILERPLATE))
        for f in comparison.findings:
            layer = layer_of(f)
            agreeing = 1 if layer == LAYER_UNIQUE else len(f.articles)
            into = self.copies if layer == LAYER_COPY else self.marks
            for s in f.spans:
                if s.end > s.start:
                    into[s.article].append(Mark(s.start, s.end, layer, agreeing, f.id))
        for marks in (*self.marks.values(), *self.copies.values()):
            marks.sort(key=lambda m: (m.layer, m.agreeing, m.start))

    def copy_findings_at(self, article_id: str, offset: int) -> list[Finding]:
        """The agency-copy findings whose shared stretch in this article covers `offset`."""
        seen: dict[str, Finding] = {}
        for m in self.copies.get(article_id, ()):
            if m.finding and m.start <= offset < m.end:
                seen.setdefault(m.finding, self.findings[m.finding])
        return list(seen.values())

    def findings_at(self, article_id: str, offset: int, copies: bool = True) -> list[Finding]:
        """Findings with a span in this article covering `offset`: conflicts first, then the
        narrowest span, so a click on a figure inside a matched sentence picks the figure;
        agency copy last (and not at all with `copies=False`: its marks are hidden)."""
        hits: list[tuple[int, int, Finding]] = []
        marks = list(self.marks.get(article_id, ()))
        if copies:
            marks += self.copies.get(article_id, ())
        for m in marks:
            if m.finding and m.start <= offset < m.end:
                hits.append((-m.layer, m.end - m.start, self.findings[m.finding]))
        hits.sort(key=lambda h: (h[0], h[1]))
        seen: dict[str, Finding] = {}
        for _, _, f in hits:
            seen.setdefault(f.id, f)
        return list(seen.values())
