"""What to paint where: a comparison turned into marks per article, and look-ups by position.

Plain Python over the engine's findings (offsets in code points); the views convert to UTF-16.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.core.model import MATCH, UNIQUE, Article, Comparison, Finding

# Paint order: later layers win where they overlap.
LAYER_BOILERPLATE = 0
LAYER_UNIQUE = 1
LAYER_MATCH = 2
LAYER_CONFLICT = 3


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


class HighlightPlan:
    """Marks per article and which findings cover a position."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.total = len(comparison.articles)
        self.marks: dict[str, list[Mark]] = defaultdict(list)
        self.findings: dict[str, Finding] = {f.id: f for f in comparison.findings}
        for a in comparison.articles:
            for start, end in a.boilerplate:
                self.marks[a.id].append(Mark(start, end, LAYER_BOILERPLATE))
        for f in comparison.findings:
            if f.kind == MATCH:
                layer, agreeing = LAYER_MATCH, len(f.articles)
            elif f.kind == UNIQUE:
                layer, agreeing = LAYER_UNIQUE, 1
            else:
                layer, agreeing = LAYER_CONFLICT, len(f.articles)
            for s in f.spans:
                if s.end > s.start:
                    self.marks[s.article].append(Mark(s.start, s.end, layer, agreeing, f.id))
        for marks in self.marks.values():
            marks.sort(key=lambda m: (m.layer, m.agreeing, m.start))

    def findings_at(self, article_id: str, offset: int) -> list[Finding]:
        """Findings with a span in this article covering `offset`: conflicts first, then the
        narrowest span, so a click on a figure inside a matched sentence picks the figure."""
        hits: list[tuple[int, int, Finding]] = []
        for m in self.marks.get(article_id, ()):
            if m.finding and m.start <= offset < m.end:
                hits.append((-m.layer, m.end - m.start, self.findings[m.finding]))
        hits.sort(key=lambda h: (h[0], h[1]))
        seen: dict[str, Finding] = {}
        for _, _, f in hits:
            seen.setdefault(f.id, f)
        return list(seen.values())
