"""The plain data every part of Parallax reads: articles, spans, findings, comparisons.

Offsets are Python code-point offsets into `Article.text`. The GUI converts to UTF-16 at its own
boundary; nothing here knows about Qt.

`Comparison.to_json()` is the stable contract `parallax.comparison/1` that other tools read:
extend it only by adding fields.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "parallax.comparison/1"

# Finding kinds. Conflict kinds are listed in the order a journalist wants to see them.
MATCH = "match"
UNIQUE = "unique"
NUMBER = "number"
QUOTE = "quote"
NAME = "name"
DATE = "date"
CONFLICT_KINDS: tuple[str, ...] = (NUMBER, QUOTE, NAME, DATE)
# Articles that republish one text (agency copy): not a conflict, not a match of one passage.
COPY = "copy"
KINDS: tuple[str, ...] = (MATCH, UNIQUE, *CONFLICT_KINDS, COPY)

# Conflict severities, strongest first.
CONTRADICTION = "contradiction"
DISCREPANCY = "discrepancy"
VARIANT = "variant"
# The same claimant's earlier toll and its later one: not a disagreement (number findings).
UPDATE = "update"
# Two claimants quoted by one article disagree: the article reports a dispute (number findings).
DISPUTE = "dispute"

ProgressFn = Callable[[float, str], None]
CancelledFn = Callable[[], bool]


class Cancelled(Exception):
    """Raised inside long work when the caller's `cancelled()` returns True."""


def no_progress(fraction: float, message: str) -> None:
    """Default progress sink."""


def never_cancelled() -> bool:
    return False


@dataclass(frozen=True)
class Article:
    """One source text, as loaded. `text` is what every offset indexes."""

    id: str
    text: str
    path: str | None = None
    name: str = ""
    title: str | None = None
    source: str | None = None
    byline: tuple[str, ...] = ()
    published: str | None = None  # ISO date, YYYY-MM-DD
    # Character ranges of lines that are page furniture (captions, credits, "Advertisement"):
    # never matched, never reported as unique, dimmed in the reader.
    boilerplate: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = ()
    # The outlet the column is headed with: the file's metadata, a newsroom-style file name or
    # a credit in the text (app/core/outlets.py), or the name the user gave the column.
    outlet: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def label(self) -> str:
        """Short name for headers and conflict labels: the outlet, else the file name."""
        return self.outlet or self.source or self.name or self.id

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def is_boilerplate(self, start: int, end: int) -> bool:
        """True when [start, end) lies mostly inside boilerplate ranges."""
        if end <= start:
            return False
        covered = 0
        for b_start, b_end in self.boilerplate:
            lo, hi = max(start, b_start), min(end, b_end)
            if hi > lo:
                covered += hi - lo
        return covered * 2 >= end - start

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "text": self.text,
            # Added fields (schema extension): metadata the reader shows.
            "name": self.name,
            "byline": list(self.byline),
            "sha256": self.sha256,
            "boilerplate": [list(r) for r in self.boilerplate],
            "outlet": self.outlet,
        }


@dataclass(frozen=True)
class Span:
    """A passage in one article. `value` carries a normalised figure for number conflicts."""

    article: str
    start: int
    end: int
    text: str
    value: Any = None
    # For conflicts: which side of the disagreement this source is on (0, 1, ...).
    side: int | None = None
    # Figures and quotes: who gives them as the article tells it ({"text", "key"}); None: the
    # outlet in its own voice.
    claimant: dict[str, str] | None = None
    # An earlier toll the same claimant has since replaced.
    superseded: bool = False

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
        }
        if self.side is not None:
            d["side"] = self.side
        if self.claimant is not None:
            d["claimant"] = self.claimant
        if self.superseded:
            d["superseded"] = True
        return d


@dataclass(frozen=True)
class Run:
    """An exact shared word run inside a match span, for highlighting."""

    article: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Finding:
    id: str
    kind: str
    label: str
    score: float
    spans: tuple[Span, ...]
    severity: str | None = None  # conflicts only
    runs: tuple[Run, ...] = ()  # matches only: exact shared word runs
    # Figures and dates: the incident the finding is about ({"event", "place", "day", "total"}).
    incident: dict[str, Any] | None = None

    @property
    def is_conflict(self) -> bool:
        """A disagreement between sources: not one claimant's update of its own toll, nor two
        claimants' figures one article reports side by side."""
        return self.kind in CONFLICT_KINDS and self.severity not in (UPDATE, DISPUTE)

    @property
    def articles(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in self.spans:
            seen.setdefault(s.article, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "score": round(self.score, 4),
            "spans": [s.to_dict() for s in self.spans],
        }
        if self.severity is not None:
            d["severity"] = self.severity
        if self.runs:
            d["runs"] = [r.to_dict() for r in self.runs]
        if self.incident is not None:
            d["incident"] = self.incident
        return d


@dataclass(frozen=True)
class Fact:
    """One compared claim for the facts table: what is counted, and each source's figure.

    `cells` holds one span per source that states the figure (value = display text of the figure).
    `finding` is the id of the conflict finding when the sources disagree.
    """

    id: str
    label: str
    counted: str
    event: str | None
    cells: tuple[Span, ...]
    finding: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "counted": self.counted,
            "event": self.event,
            "cells": [c.to_dict() for c in self.cells],
            "finding": self.finding,
        }


@dataclass(frozen=True)
class Comparison:
    articles: tuple[Article, ...]
    findings: tuple[Finding, ...]
    facts: tuple[Fact, ...] = ()
    warnings: tuple[str, ...] = ()
    pipeline: str = ""
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def by_kind(self, kind: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == kind)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(KINDS, 0)
        for f in self.findings:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "articles": [a.to_dict() for a in self.articles],
            "findings": [f.to_dict() for f in self.findings],
            # Added fields (schema extension).
            "facts": [f.to_dict() for f in self.facts],
            "warnings": list(self.warnings),
            "pipeline": self.pipeline,
        }
