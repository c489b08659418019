"""Who says what, and when, in the window: claimants in the facts table and tooltips, updated
tolls and disputes apart from conflicts, agency copy marked in the margin and hideable.

Real engine on real reports: FA-KES clusters in tests/data/realworld/ (2017-04-16-aleppo: a
Reuters story run by Ahram and NNA, and the Observatory's toll rising from 112 to 126;
2016-07-10-aleppo: an AFP item the New Arab and NNA both carry).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from app.core.articles import load_paths
from app.core.compare import compare_articles
from app.core.model import COPY, DISPUTE, Comparison
from app.ui.attribution import Claimants, is_conflict, is_copy, is_update
from app.ui.highlights import HighlightPlan
from app.ui.mainwindow import MainWindow, counts_text
from app.ui.models.facts import FIRST_SOURCE_COL, SAID_ROLE, STATUS_COL, FactsModel
from app.ui.models.findings import FindingsModel
from app.ui.tasks import TaskRunner
from app.ui.theme import COPY_PROPERTY
from app.ui.widgets.columns import ArticleColumn
from app.ui.widgets.panels import cell_size
from tests.gui.conftest import COMPARE_TIMEOUT_MS, activate, menu_keys
from tests.realworld import DATA

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

CONVOY = "2017-04-16-aleppo"  # Reuters copy (ahram-1923848127 / nna), SOHR toll 112 -> 126
CASTELLO = "2016-07-10-aleppo"  # AFP copy (alaraby / nna), everyone agrees on 29
TOKHAR = "2016-07-06-aleppo"  # Daily Sabah reports Anadolu's 85 against Aamaq's 160


@functools.cache
def compared(cluster: str) -> Comparison:
    articles, errors = load_paths([DATA / cluster])
    assert not errors, errors
    return compare_articles(articles)


def by_file(comparison: Comparison) -> dict[str, str]:
    """Article id by file name."""
    return {Path(a.path or "").name: a.id for a in comparison.articles}


def open_cluster(qtbot, window: MainWindow, cluster: str) -> Comparison:
    with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS) as shown:
        window.open_paths([DATA / cluster])
    activate(qtbot, window)
    comparison = shown.args[0]
    assert isinstance(comparison, Comparison)
    return comparison


def point_at(col: ArticleColumn, offset: int):
    cursor = QTextCursor(col.view.document())
    cursor.setPosition(col.view.index.to_qt(offset))
    return col.view.cursorRect(cursor).center()


def hover(col: ArticleColumn, offset: int) -> str:
    """What the tooltip says over a character (the event the platform sends on hover)."""
    pos = point_at(col, offset)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, col.view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(col.view.viewport(), event)
    return QToolTip.text()


def has_copy_format(col: ArticleColumn, offset: int) -> bool:
    cursor = QTextCursor(col.view.document())
    cursor.setPosition(col.view.index.to_qt(offset) + 1)  # the format of the char before
    return bool(cursor.charFormat().property(COPY_PROPERTY))


def bar_pixel(col: ArticleColumn, offset: int) -> QColor:
    """The colour painted in the left margin, level with a character."""
    image = col.view.viewport().grab().toImage()
    y = point_at(col, offset).y()
    return image.pixelColor(col.view.COPY_BAR_X + 1, y)


# The findings panel -------------------------------------------------------------------------


def test_models_with_copies_and_updates_pass_modeltester(qapp, qtmodeltester) -> None:
    comparison = compared(CONVOY)
    assert any(is_copy(f) for f in comparison.findings)
    assert any(is_update(f) for f in comparison.findings)
    findings = FindingsModel()
    findings.set_comparison(comparison)
    qtmodeltester.check(findings)
    findings.set_filter("Observatory")  # finds figures by their claimant too
    qtmodeltester.check(findings)
    findings.set_filter("")
    facts = FactsModel()
    facts.set_comparison(comparison)
    qtmodeltester.check(facts)
    facts.set_comparison(compared(CASTELLO))
    qtmodeltester.check(facts)


@pytest.mark.parametrize("cluster", [CONVOY, CASTELLO])
def test_agency_copy_has_its_own_group_with_the_labelled_pair(qapp, cluster: str) -> None:
    comparison = compared(cluster)
    model = FindingsModel()
    model.set_comparison(comparison)
    copies = [f for f in comparison.findings if f.kind == COPY]
    assert model.group_title(COPY) == f"Agency copy ({len(copies)})"
    # Exactly the pairs the labels say republish one agency text.
    labels = json.loads((DATA / cluster / "labels.json").read_text())
    ids = by_file(comparison)
    assert {frozenset(f.articles) for f in copies} == {
        frozenset(ids[name] for name in pair["articles"]) for pair in labels["copies"]}
    # Listed in their group, labelled with the share, and never under Conflicts.
    shown = model.visible_findings()
    assert [f for f in shown if f.kind == COPY] == copies
    assert model.group_totals()["conflicts"] == sum(1 for f in comparison.findings
                                                   if is_conflict(f))
    row = model.index_for_finding(copies[0].id)
    assert row.parent().data() == f"Agency copy ({len(copies)})"
    assert "share" in row.data()
    assert "%" in row.data()
    tip = row.data(Qt.ItemDataRole.ToolTipRole)
    assert "not an independent confirmation" in tip


def test_no_copy_group_between_independent_reports(qapp, seed_comparison: Comparison) -> None:
    model = FindingsModel()
    model.set_comparison(seed_comparison)
    assert model.group_title(COPY) is None
    assert model.group_counts()[COPY] == 0 == seed_comparison.counts()[COPY]


def test_an_updated_toll_is_listed_apart_and_names_its_claimant(qapp) -> None:
    comparison = compared(CONVOY)
    model = FindingsModel()
    model.set_comparison(comparison)
    updates = [f for f in comparison.findings if is_update(f)]
    assert updates
    assert model.group_title("update") == f"Updated figures ({len(updates)})"
    row = model.index_for_finding(updates[0].id)
    assert row.parent().data().startswith("Updated figures")
    # Not among the conflicts' figures.
    conflicts = model.index(0, 0)
    figures = model.index(0, 0, conflicts)
    assert figures.data().startswith("Figures")
    assert updates[0] not in [model.finding_at(model.index(r, 0, figures))
                              for r in range(model.rowCount(figures))]
    tip = row.data(Qt.ItemDataRole.ToolTipRole)
    assert "according to the Syrian Observatory for Human Rights" in tip
    assert "earlier figure, since updated" in tip
    assert "updated by the same claimant" in tip
    # Per kind, the panel still shows every finding the engine gave.
    assert model.group_counts() == comparison.counts()


def test_a_dispute_in_one_source_is_listed_apart(qapp) -> None:
    # Daily Sabah: Anadolu "put the death toll at least at 85", while Aamaq "claimed 160
    # civilians ... were killed in Tokhar": one article reporting two claimants' tolls.
    comparison = compared(TOKHAR)
    disputes = [f for f in comparison.findings if f.severity == DISPUTE]
    assert len(disputes) == 1
    model = FindingsModel()
    model.set_comparison(comparison)
    assert model.group_title("dispute") == "Disputes in one source (1)"
    assert model.index_for_finding(disputes[0].id).parent().data().startswith("Disputes")
    conflicts = sum(1 for f in comparison.findings if is_conflict(f))
    assert model.group_totals()["conflicts"] == conflicts
    text = counts_text(comparison)
    assert "1 dispute in one source" in text
    assert f"{conflicts} conflict" in text


# The window ---------------------------------------------------------------------------------


@pytest.mark.qt_log_ignore("does not support raise", "does not support propagateSizeHints")
def test_updates_are_not_counted_or_walked_as_conflicts(qtbot, window: MainWindow) -> None:
    comparison = open_cluster(qtbot, window, CONVOY)
    conflicts = [f for f in comparison.findings if is_conflict(f)]
    updates = [f for f in comparison.findings if is_update(f)]
    assert updates
    assert not any(f.is_conflict for f in updates)
    assert conflicts == [f for f in comparison.findings if f.is_conflict]
    counts = window.counts_label.text()
    plural = "s" if len(conflicts) != 1 else ""
    assert f"{len(conflicts)} conflict{plural} " in counts
    assert f"{len(updates)} updated figure" in counts
    assert "1 agency copy" in counts
    # Ctrl+F8 visits the conflicts between outlets only, round and back to the first.
    seen = []
    for _ in range(len(conflicts) + 1):
        qtbot.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)
        assert window.current_finding is not None
        seen.append(window.current_finding.id)
    assert seen == [f.id for f in conflicts] + [conflicts[0].id]
    # F8 visits everything the panel lists, the update and the copy among them.
    walked = set()
    for _ in range(len(window.findings_panel.model.visible_findings())):
        qtbot.keyClick(window, Qt.Key.Key_F8)
        assert window.current_finding is not None
        walked.add(window.current_finding.id)
    assert {updates[0].id, next(f.id for f in comparison.findings if is_copy(f))} <= walked
    # The facts row of the updated toll says so, not "Conflict".
    model = window.facts_table.facts_model
    row = next(r for r in range(model.rowCount())
               if model.fact(r) is not None and model.fact(r).finding == updates[0].id)
    assert model.index(row, STATUS_COL).data() == "↻ Updated"


@pytest.mark.qt_log_ignore("does not support raise", "does not support propagateSizeHints",
                           "does not support grabbing the keyboard")
def test_copied_stretches_are_marked_and_the_mark_can_be_hidden(
    qtbot, window: MainWindow, settings: QSettings
) -> None:
    comparison = open_cluster(qtbot, window, CONVOY)
    copy = next(f for f in comparison.findings if is_copy(f))
    span = copy.spans[0]
    col = window.column_for(span.article)
    assert col is not None
    window.scroll_to_passage(span.article, span.start, span.end, flash=False)
    qtbot.waitUntil(lambda: bar_pixel(col, span.start + 5) == window.theme.copy_bar,
                    timeout=3000)
    inside = span.start + (span.end - span.start) // 2
    assert has_copy_format(col, inside)
    assert col.view.copy_bar_rects()
    # Not on text outside every copied stretch, nor in an article nobody copied.
    ids = by_file(comparison)
    mine = [s for s in copy.spans if s.article == span.article]
    outside = next(o for o in range(len(col.view.article.text) - 1, 0, -1)  # type: ignore[union-attr]
                   if not any(s.start <= o < s.end for s in mine))
    assert not has_copy_format(col, outside)
    alalam = window.column_for(ids["alalam-1962495733.txt"])
    assert alalam is not None
    assert not alalam.view.copy_ranges
    assert not any(has_copy_format(alalam, o) for o in range(0, len(alalam.article.text), 40))  # type: ignore[union-attr]
    # View > Hide Agency Copy (Alt+V, G): the marks go, the conflicts and matches stay.
    assert not window.actions["hide_copy"].isChecked()
    menu_keys(qtbot, window, "V", "G")
    qtbot.waitUntil(lambda: window.actions["hide_copy"].isChecked(), timeout=2000)
    assert not has_copy_format(col, inside)
    assert col.view.copy_bar_rects() == []
    qtbot.waitUntil(lambda: bar_pixel(col, span.start + 5) != window.theme.copy_bar,
                    timeout=3000)
    assert "Agency copy" not in window.legend.texts()
    assert window.plan is not None
    assert any(m.layer for m in window.plan.marks[span.article])  # other highlights kept
    # Remembered: a new window starts with the marks hidden.
    settings.sync()
    again = MainWindow(runner=TaskRunner("thread"), settings=QSettings(
        settings.fileName(), QSettings.Format.IniFormat), restore_layout=False)
    qtbot.addWidget(again)
    try:
        assert again.actions["hide_copy"].isChecked()
    finally:
        again.runner.shutdown(wait=True)
        again.close()
    # And shown again the same way.
    menu_keys(qtbot, window, "V", "G")
    qtbot.waitUntil(lambda: not window.actions["hide_copy"].isChecked(), timeout=2000)
    assert has_copy_format(col, inside)
    assert "Agency copy" in window.legend.texts()


@pytest.mark.qt_log_ignore("does not support raise", "does not support propagateSizeHints",
                           "does not support grabbing the keyboard")
def test_hovering_copied_text_names_the_other_article_and_the_agency(
    qtbot, window: MainWindow
) -> None:
    comparison = open_cluster(qtbot, window, CASTELLO)
    copy = next(f for f in comparison.findings if is_copy(f))
    assert "AFP" in copy.label
    ids = by_file(comparison)
    span = next(s for s in copy.spans if s.article == ids["nna-1914947535.txt"])
    window.scroll_to_passage(span.article, span.start, span.end, flash=False)
    col = window.column_for(span.article)
    assert col is not None
    tip = hover(col, span.start + 3)
    assert "Agency copy (AFP)" in tip
    assert "alaraby" in tip
    assert f"{round(100 * copy.score)}% of their text" in tip
    QToolTip.hideText()
    # Hidden marks, no copy note.
    menu_keys(qtbot, window, "V", "G")
    qtbot.waitUntil(lambda: window.actions["hide_copy"].isChecked(), timeout=2000)
    assert "Agency copy" not in hover(col, span.start + 3)
    QToolTip.hideText()


@pytest.mark.qt_log_ignore("does not support raise", "does not support propagateSizeHints")
def test_facts_cells_say_who_gives_each_figure(qtbot, window: MainWindow) -> None:
    comparison = open_cluster(qtbot, window, CONVOY)
    table = window.facts_table
    model = table.facts_model
    claimants = Claimants.of(comparison)
    named = 0
    for row in range(model.rowCount()):
        fact = model.fact(row)
        assert fact is not None
        finding = next((f for f in comparison.findings if f.id == fact.finding), None)
        for col, article in enumerate(comparison.articles, FIRST_SOURCE_COL):
            index = model.index(row, col)
            said = index.data(SAID_ROLE)
            cells = [c for c in fact.cells if c.article == article.id]
            assert sorted(s.span.start for s in said) == sorted(c.start for c in cells)
            for s in said:
                # The cell's own claimant, else the one the finding gives the same figure.
                twin = next((t for t in finding.spans if (t.article, t.start, t.end) == (
                    s.span.article, s.span.start, s.span.end)), None) if finding else None
                who = s.span if s.span.claimant or twin is None else twin
                assert s.claimant == claimants.name(who)
                assert s.superseded == (s.span.superseded or bool(twin and twin.superseded))
                if s.claimant:
                    named += 1
                    assert s.claimant in index.data()
                    tip = index.data(Qt.ItemDataRole.ToolTipRole)
                    assert "according to" in tip
                if s.superseded:
                    assert f"{s.text} (earlier)" in index.data()
                    assert "<s>" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert named >= 4  # the toll row: every source quotes the Observatory
    toll = next(r for r in range(model.rowCount()) if model.fact(r).finding)  # type: ignore[union-attr]
    texts = [model.index(toll, c).data() for c in range(FIRST_SOURCE_COL, model.columnCount())]
    assert all("Syrian Observatory for Human Rights" in t for t in texts)
    assert any("(earlier)" in t for t in texts)
    # Two lines a row: the figure, and who gives it; every column wide enough for its figures
    # and at least the start of the name.
    assert table.rowHeight(toll) >= 2 * table.fontMetrics().height()
    for c in range(FIRST_SOURCE_COL, model.columnCount()):
        said = model.index(toll, c).data(SAID_ROLE)
        assert table.columnWidth(c) >= cell_size(table.font(), said).width()


def test_highlight_plan_keeps_copy_apart(qapp) -> None:
    comparison = compared(CONVOY)
    plan = HighlightPlan(comparison)
    copy = next(f for f in comparison.findings if is_copy(f))
    span = copy.spans[0]
    assert all(m.finding != copy.id for marks in plan.marks.values() for m in marks)
    assert any(m.finding == copy.id for m in plan.copies[span.article])
    at = span.start + 1
    assert plan.copy_findings_at(span.article, at) == [copy]
    assert copy in plan.findings_at(span.article, at)
    assert copy not in plan.findings_at(span.article, at, copies=False)
    # A click on copied text that is also matched picks the match, not the copy.
    hits = plan.findings_at(span.article, at)
    assert len(hits) > 1
    assert hits[-1] == copy
