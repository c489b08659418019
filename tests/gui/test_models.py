"""Every item model passes Qt's model tester, on real engine output."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from app.core.model import Comparison, Fact
from app.ui.attribution import Claimants, is_conflict
from app.ui.models.facts import FIRST_SOURCE_COL, FactsModel
from app.ui.models.findings import FindingsModel

pytestmark = [pytest.mark.qt_log_level_fail("WARNING")]


def with_facts(comparison: Comparison) -> Comparison:
    """The engine's facts, or (until it produces some) rows made from its real matches."""
    if comparison.facts:
        return comparison
    facts = tuple(
        Fact(id=f"k{i}", label=f"claim {i}", counted="passages", event=None,
             cells=tuple(replace(s, value=str(len(s.text))) for s in f.spans),
             finding=f.id if i % 2 else None)
        for i, f in enumerate(comparison.by_kind("match")[:4], 1)
    )
    return replace(comparison, facts=facts)


def test_findings_model_passes_modeltester(
    qapp, qtmodeltester, seed_comparison: Comparison
) -> None:
    model = FindingsModel()
    qtmodeltester.check(model)
    model.set_comparison(seed_comparison)
    qtmodeltester.check(model)
    model.set_filter("Putin")
    qtmodeltester.check(model)
    model.set_filter("")
    model.set_comparison(None)
    qtmodeltester.check(model)


def test_findings_model_groups_and_filter(qapp, seed_comparison: Comparison) -> None:
    model = FindingsModel()
    model.set_comparison(seed_comparison)
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert [t.split(" (")[0] for t in titles] == ["Conflicts", "Matches", "Only in one source"]
    conflicts = model.index(0, 0)
    assert [model.index(r, 0, conflicts).data().split(" (")[0]
            for r in range(model.rowCount(conflicts))] == ["Figures", "Quotes", "Names", "Dates"]
    total = len(model.visible_findings())
    assert total == len(seed_comparison.findings)
    model.set_filter("Stoltenberg")
    shown = model.visible_findings()
    assert 0 < len(shown) < total
    assert all(
        "stoltenberg" in (f.label + " ".join(s.text for s in f.spans)).casefold() for f in shown
    )
    unique_row = model.index(2, 0).data()
    assert " of " in unique_row  # "Only in one source (n of m)" while filtering
    first = shown[0]
    assert model.finding_at(model.index_for_finding(first.id)) == first


def test_facts_model_passes_modeltester(qapp, qtmodeltester, seed_comparison: Comparison) -> None:
    comparison = with_facts(seed_comparison)
    model = FactsModel()
    qtmodeltester.check(model)
    model.set_comparison(comparison)
    qtmodeltester.check(model)
    assert model.rowCount() == len(comparison.facts)
    assert model.columnCount() == FIRST_SOURCE_COL + len(comparison.articles)


def test_facts_model_cells_and_conflict_marks(qapp, seed_comparison: Comparison) -> None:
    comparison = with_facts(seed_comparison)
    model = FactsModel()
    model.set_comparison(comparison)
    ids = [a.id for a in comparison.articles]
    findings = {f.id: f for f in comparison.findings}
    claimants = Claimants.of(comparison)
    for row, fact in enumerate(comparison.facts):
        status = model.index(row, 1).data()
        finding = findings.get(fact.finding or "")
        assert status.startswith("≠") == (finding is not None and is_conflict(finding))
        for article in {c.article for c in fact.cells}:
            cells = [c for c in fact.cells if c.article == article]
            index = model.index(row, FIRST_SOURCE_COL + ids.index(article))
            assert model.spans_at(index) == cells
            # Every figure the source gives, then who gives it ("14,000 — Kiev").
            text = index.data()
            assert all(FactsModel.cell_text(c) in text for c in cells)
            for c in cells:
                name = claimants.name(c)
                assert name is None or name in text
        missing = [a for a in ids if a not in {c.article for c in fact.cells}]
        for a in missing:
            assert model.index(row, FIRST_SOURCE_COL + ids.index(a)).data() == "—"
    header = model.headerData(FIRST_SOURCE_COL, Qt.Orientation.Horizontal)
    assert header == (comparison.articles[0].source or "Article 1")
