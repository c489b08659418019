"""Who says what: claimants, superseded tolls and agency copy, put into the reader's words.

Plain Python over the engine's findings and facts (no Qt), shared by the findings panel, the
facts table, the columns' tooltips and the status bar.

- A finding is a *conflict* between outlets only when its severity says sources disagree
  (contradiction, discrepancy, variant). One claimant's updated toll (`update`) and two claimants
  one article quotes (`dispute`) are shown, but not counted or walked as conflicts.
- A claimant is named the way the article names it ("the Syrian Observatory for Human Rights");
  a pronoun or a description ("he", "the monitor") is replaced by the name the comparison gives
  that claimant elsewhere.
- A facts-table cell is joined with its conflict finding's span at the same place: the finding
  knows whether the figure is an earlier, superseded toll and who the figure is attributed to.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.model import (
    CONFLICT_KINDS,
    COPY,
    DISPUTE,
    UPDATE,
    Comparison,
    Fact,
    Finding,
    Span,
)

# Panel groups for findings of conflict kinds that are not conflicts between outlets.
UPDATES = UPDATE
DISPUTES = DISPUTE
NOT_CONFLICTS = frozenset({UPDATE, DISPUTE})


def is_conflict(f: Finding) -> bool:
    """Sources disagree: what the status bar counts as a conflict and Ctrl+F8 walks."""
    return f.kind in CONFLICT_KINDS and f.severity not in NOT_CONFLICTS


def is_update(f: Finding) -> bool:
    return f.kind in CONFLICT_KINDS and f.severity == UPDATE


def is_dispute(f: Finding) -> bool:
    return f.kind in CONFLICT_KINDS and f.severity == DISPUTE


def is_copy(f: Finding) -> bool:
    return f.kind == COPY


_COPY_AGENCY = re.compile(r":\s*(.+?) copy\s*$")


def copy_agency(f: Finding) -> str | None:
    """The agency a copy finding names ("AFP"), None when the engine could not tell."""
    m = _COPY_AGENCY.search(f.label)
    if m is None or m.group(1).strip().lower() == "agency":
        return None
    return m.group(1).strip()


def _strip_article(text: str) -> str:
    return text[4:] if text[:4].lower() == "the " else text


def _is_named(text: str) -> bool:
    """"Syrian Observatory", "Kiev", "U.S. officials"; not "he", "the monitor", "activists"."""
    return any(ch.isupper() for ch in _strip_article(text))


class Claimants:
    """Display names for the claimants of one comparison."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        named: dict[str, Counter[str]] = {}
        for s in spans:
            c = s.claimant
            if not c or not c.get("key") or not c.get("text"):
                continue
            if _is_named(c["text"]):
                named.setdefault(c["key"], Counter())[_strip_article(c["text"])] += 1
        # The name used most often; the longer one on a tie ("Syrian Observatory for Human
        # Rights" over "Observatory"), then by text for determinism.
        self._names = {
            key: min(counts, key=lambda t, counts=counts: (-counts[t], -len(t), t))  # type: ignore[misc]
            for key, counts in named.items()
        }

    @classmethod
    def of(cls, comparison: Comparison | None) -> Claimants:
        if comparison is None:
            return cls()
        spans = [s for f in comparison.findings for s in f.spans]
        spans += [c for fact in comparison.facts for c in fact.cells]
        return cls(spans)

    def name(self, span: Span) -> str | None:
        """Who gives this figure or quote, for a cell or a list ("Syrian Observatory for Human
        Rights"); None when the outlet says it in its own voice."""
        c = span.claimant
        if not c or not c.get("text"):
            return None
        text = c["text"]
        if _is_named(text):
            return _strip_article(text)
        return self._names.get(c.get("key", ""), text)

    def according_to(self, span: Span) -> str | None:
        """"according to the Syrian Observatory for Human Rights" (as the article writes it,
        with the name the comparison uses when the article says "the monitor" or "he")."""
        c = span.claimant
        if not c or not c.get("text"):
            return None
        text = c["text"]
        name = self.name(span)
        if _is_named(text) or name is None or name == text:
            return f"according to {text}"
        return f"according to {name} (“{text}”)"


@dataclass(frozen=True)
class Said:
    """One figure a source gives in a facts-table cell, with who gives it."""

    span: Span
    text: str  # the figure as the source wrote it
    claimant: str | None  # display name, None: the outlet itself
    according_to: str | None  # "according to …" for tooltips
    superseded: bool  # an earlier toll the same claimant has since replaced


def cell_claims(fact: Fact, article_id: str, finding: Finding | None,
                claimants: Claimants) -> list[Said]:
    """What one source says in a fact's row, joined with the conflict finding's span at the
    same place (which knows about superseded tolls and figures attributed from other reports)."""
    at: dict[tuple[str, int, int], Span] = {}
    if finding is not None:
        for s in finding.spans:
            at.setdefault((s.article, s.start, s.end), s)
    out: list[Said] = []
    for cell in fact.cells:
        if cell.article != article_id:
            continue
        twin = at.get((cell.article, cell.start, cell.end))
        who = cell if cell.claimant or twin is None else twin
        superseded = cell.superseded or (twin is not None and twin.superseded)
        text = cell.value if isinstance(cell.value, str) and cell.value else cell.text
        out.append(Said(cell, text, claimants.name(who), claimants.according_to(who),
                        superseded))
    # Earlier tolls first: the cell reads in time ("112, 126").
    out.sort(key=lambda s: not s.superseded)
    return out


def cell_text(said: list[Said]) -> str:
    """A cell as plain text (copying, screen readers, column widths): "112 (earlier) / 126 —
    Syrian Observatory for Human Rights"; with figures from different claimants, each named."""
    if not said:
        return "—"
    names = {s.claimant for s in said}
    if len(names) == 1:
        figures = " / ".join(_figure(s) for s in said)
        name = next(iter(names))
        return f"{figures} — {name}" if name else figures
    return " / ".join(f"{_figure(s)} ({s.claimant or UNATTRIBUTED})" for s in said)


def claimant_line(said: list[Said]) -> str:
    """Who gives a cell's figures: one name when they all come from one claimant, else one per
    figure in the figures' order ("Ukraine's government / unattributed"); "" when the outlet
    gives them all in its own voice."""
    names = [s.claimant for s in said]
    if len(set(names)) == 1:
        return names[0] or ""
    return " / ".join(n or UNATTRIBUTED for n in names)


UNATTRIBUTED = "unattributed"


def _figure(s: Said) -> str:
    return s.text + (" (earlier)" if s.superseded else "")
