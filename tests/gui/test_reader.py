"""The reader window on the sample story: panel counts, linked navigation, paste, cancel."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from app.core.model import CONFLICT_KINDS, KINDS, Comparison, Fact, Finding, Span
from app.ui.mainwindow import MainWindow
from app.ui.theme import Theme
from app.ui.widgets.columns import ArticleColumn
from tests.gold import SEEDS
from tests.gui.conftest import COMPARE_TIMEOUT_MS

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says this once per top-level window; it is not our warning.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def span_visible(col: ArticleColumn, span: Span) -> bool:
    """The start of the passage is inside the column's viewport."""
    view = col.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.index.to_qt(span.start))
    rect = view.cursorRect(cursor)
    return view.viewport().rect().contains(rect)


def scroll_all_to(window: MainWindow, where: str) -> None:
    for col in window.columns.columns:
        bar = col.view.verticalScrollBar()
        bar.setValue(bar.maximum() if where == "bottom" else 0)


def deep_finding(comparison: Comparison, kinds: tuple[str, ...]) -> Finding | None:
    """A finding of these kinds whose passages sit far down their articles (so selecting it
    must scroll), with spans in at least two articles."""
    found = [f for f in comparison.findings if f.kind in kinds and len(f.articles) >= 2]
    return max(found, key=lambda f: min(s.start for s in f.spans), default=None)


def check_selection_scrolls(qtbot, window: MainWindow, finding: Finding) -> None:
    scroll_all_to(window, "top")
    involved = [window.column_for(a) for a in finding.articles]
    assert all(c is not None for c in involved)
    # Select through the panel, the way a reader does (two-way binding).
    index = window.findings_panel.model.index_for_finding(finding.id)
    with qtbot.waitSignal(window.finding_selected, timeout=5000) as blocker:
        window.findings_panel.tree.setCurrentIndex(index)
    assert blocker.args[0].id == finding.id
    for col in involved:
        assert col is not None
        span = next(s for s in finding.spans if s.article == col.article_id)
        assert span_visible(col, span), f"{finding.id} not visible in {col.article_id}"
        assert col.view.flashing
        # The flash is an extra selection over exactly the finding's passage.
        sel = col.view.extraSelections()
        assert sel
        assert sel[0].cursor.selectionStart() == col.view.index.to_qt(span.start)


def test_panel_counts_equal_engine(seeds_window: MainWindow, seed_comparison: Comparison) -> None:
    shown = seeds_window.comparison
    assert shown is not None
    panel = seeds_window.findings_panel.model.group_counts()
    assert panel == shown.counts()
    # The window's background comparison is the same as the engine run directly.
    assert panel == seed_comparison.counts()
    assert [f.id for f in seeds_window.findings_panel.model.visible_findings()] == [
        f.id for f in seed_comparison.findings
    ]
    label = seeds_window.findings_panel.model.index(1, 0).data()
    assert label == f"Matches ({seed_comparison.counts()['match']})"
    assert seeds_window.counts_label.text().count(str(seed_comparison.counts()["unique"])) >= 1


def test_selecting_a_match_scrolls_every_column_to_it(qtbot, seeds_window: MainWindow) -> None:
    assert seeds_window.comparison is not None
    finding = deep_finding(seeds_window.comparison, ("match",))
    assert finding is not None
    # Without the selection the passage is out of view in at least one column.
    scroll_all_to(seeds_window, "top")
    assert not all(
        span_visible(c, next(s for s in finding.spans if s.article == c.article_id))
        for c in (seeds_window.column_for(a) for a in finding.articles) if c is not None
    )
    check_selection_scrolls(qtbot, seeds_window, finding)


def test_selecting_a_conflict_scrolls_every_column_to_it(qtbot, seeds_window: MainWindow) -> None:
    assert seeds_window.comparison is not None
    finding = deep_finding(seeds_window.comparison, CONFLICT_KINDS)
    if finding is None:
        pytest.skip("the engine finds no conflicts in the seeds yet (app/core/conflicts.py)")
    check_selection_scrolls(qtbot, seeds_window, finding)
    assert seeds_window.findings_panel.current_finding() == finding


def test_clicking_a_highlight_selects_its_finding(qtbot, seeds_window: MainWindow) -> None:
    comparison = seeds_window.comparison
    assert comparison is not None
    finding = comparison.by_kind("match")[0]
    span = finding.spans[0]
    seeds_window.scroll_to_passage(span.article, span.start, span.end, flash=False)
    col = seeds_window.column_for(span.article)
    assert col is not None
    mid = span.start + (span.end - span.start) // 2
    cursor = QTextCursor(col.view.document())
    cursor.setPosition(col.view.index.to_qt(mid))
    point = col.view.cursorRect(cursor).center()
    with qtbot.waitSignal(seeds_window.finding_selected, timeout=5000) as blocker:
        qtbot.mouseClick(col.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args[0].id == finding.id
    assert seeds_window.findings_panel.current_finding() == finding


def test_f8_walks_the_findings_in_order(qtbot, seeds_window: MainWindow) -> None:
    order = [f.id for f in seeds_window.findings_panel.model.visible_findings()]
    assert len(order) > 5
    seen = []
    for _ in range(5):
        qtbot.keyClick(seeds_window, Qt.Key.Key_F8)
        assert seeds_window.current_finding is not None
        seen.append(seeds_window.current_finding.id)
    assert seen == order[:5]
    assert seeds_window.findings_panel.current_finding().id == order[4]  # type: ignore[union-attr]
    qtbot.keyClick(seeds_window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert seeds_window.current_finding.id == order[3]  # type: ignore[union-attr]
    # Filtering narrows the walk to what the panel shows.
    seeds_window.findings_panel.filter.setText("Stoltenberg")
    shown = [f.id for f in seeds_window.findings_panel.model.visible_findings()]
    assert 0 < len(shown) < len(order)
    qtbot.keyClick(seeds_window, Qt.Key.Key_F8)
    assert seeds_window.current_finding.id in shown  # type: ignore[union-attr]


def test_next_conflict_visits_only_conflicts(qtbot, seeds_window: MainWindow) -> None:
    assert seeds_window.comparison is not None
    conflicts = [f.id for f in seeds_window.comparison.findings if f.is_conflict]
    if not conflicts:
        pytest.skip("the engine finds no conflicts in the seeds yet (app/core/conflicts.py)")
    seen = []
    for _ in range(min(3, len(conflicts))):
        qtbot.keyClick(seeds_window, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)
        seen.append(seeds_window.current_finding.id)  # type: ignore[union-attr]
    assert seen == conflicts[: len(seen)]


def test_paste_dialog_adds_an_article_and_the_comparison_updates(
    qtbot, seeds_window: MainWindow
) -> None:
    base = seeds_window.articles[3]
    # An edited copy of a seed, with an emoji and curly quotes before the shared passages.
    text = "Kyiv 🇺🇦 “update” 👍\n\n" + base.text.replace("Biden", "President Biden", 1)
    dialog = seeds_window.paste_dialog()
    dialog.text.setPlainText(text)
    dialog.title.setText("Pasted wire copy")
    dialog.source.setText("Test Wire")
    assert dialog.add_button.isEnabled()
    with qtbot.waitSignal(seeds_window.comparison_shown, timeout=COMPARE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    comparison = blocker.args[0]
    assert len(comparison.articles) == 6
    new = comparison.articles[5]
    assert new.source == "Test Wire"
    assert new.title == "Pasted wire copy"
    assert len(seeds_window.columns.visible_columns()) == 6
    col = seeds_window.column_for(new.id)
    assert col is not None
    assert col.header.source.text() == "Test Wire"
    # The copy shares passages with its original, and the panel shows the new counts.
    assert any({base.id, new.id} <= set(f.articles) for f in comparison.by_kind("match"))
    assert seeds_window.findings_panel.model.group_counts() == comparison.counts()
    # The UTF-16 boundary in the real widget: highlights and selections land on the right
    # characters after the flags and emoji.
    match = next(f for f in comparison.by_kind("match") if new.id in f.articles)
    span = next(s for s in match.spans if s.article == new.id)
    cursor = QTextCursor(col.view.document())
    cursor.setPosition(col.view.index.to_qt(span.start))
    cursor.setPosition(col.view.index.to_qt(span.end), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == span.text.replace("\n", "\u2029")
    col.view.setTextCursor(cursor)
    col.view.setFocus()
    assert seeds_window.current_selection() == (new.id, span.start, span.end)


def test_cancel_stops_a_running_comparison(qtbot, window: MainWindow) -> None:
    twenty = [SEEDS] * 4  # 20 articles: long enough to cancel mid-way
    with qtbot.waitSignal(window.runner.progress, timeout=COMPARE_TIMEOUT_MS):
        window.open_paths(twenty)
    assert window.comparing
    assert window.cancel_button.isVisible()
    with (
        qtbot.assertNotEmitted(window.comparison_shown, wait=0),
        qtbot.waitSignal(window.runner.cancelled, timeout=COMPARE_TIMEOUT_MS),
    ):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.comparison is None
    assert not window.comparing
    assert not window.cancel_button.isVisible()
    assert len(window.articles) == 20  # the articles stay; F5 compares again
    assert "cancelled" in window.statusBar().currentMessage()


def test_remove_article_recompares(qtbot, seeds_window: MainWindow) -> None:
    removed = seeds_window.articles[1]
    with qtbot.waitSignal(seeds_window.comparison_shown, timeout=COMPARE_TIMEOUT_MS) as blocker:
        seeds_window.remove_article(removed.id)
    comparison = blocker.args[0]
    assert len(comparison.articles) == 4
    assert removed.text not in [a.text for a in comparison.articles]
    assert len(seeds_window.columns.columns) == 4
    assert [c.article_id for c in seeds_window.columns.ordered_columns()] == [
        a.id for a in comparison.articles
    ]
    assert seeds_window.findings_panel.model.group_counts() == comparison.counts()


def test_many_articles_keep_a_readable_width_and_scroll(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.columns_ready, timeout=10_000):
        window.open_paths([SEEDS, SEEDS])  # 10 columns, built a slice at a time
    window.cancel_comparison()
    area = window.columns
    min_w = area.column_min_width()
    assert all(c.width() >= min_w for c in area.visible_columns())
    assert area.horizontalScrollBar().maximum() > 0
    # Hide, show and reorder.
    first, second = area.ordered_columns()[:2]
    area.move_column(first, 1)
    assert area.ordered_columns()[:2] == [second, first]
    window.set_column_hidden(second, True)
    assert second not in area.visible_columns()
    assert len(area.visible_columns()) == 9
    window.show_all_columns()
    assert len(area.visible_columns()) == 10


# QToolTip raises its window, which the offscreen platform cannot do and says so.
@pytest.mark.qt_log_ignore("does not support raise", "does not support propagateSizeHints")
def test_tooltip_shows_the_other_sources_versions(seeds_window: MainWindow) -> None:
    comparison = seeds_window.comparison
    assert comparison is not None
    finding = comparison.by_kind("match")[0]
    span, other = finding.spans[0], finding.spans[1]
    seeds_window.scroll_to_passage(span.article, span.start, span.end, flash=False)
    col = seeds_window.column_for(span.article)
    assert col is not None
    cursor = QTextCursor(col.view.document())
    cursor.setPosition(col.view.index.to_qt(span.start + 2))
    pos = col.view.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, col.view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(col.view.viewport(), event)
    tip = QToolTip.text()
    other_col = seeds_window.column_for(other.article)
    assert other_col is not None
    assert other_col.header.source.text() in tip
    assert other.text[:30].replace("&", "&amp;").replace("<", "&lt;") in tip.replace("\n", " ")
    QToolTip.hideText()


def test_facts_table_click_jumps_to_the_passage(qtbot, seeds_window: MainWindow) -> None:
    comparison = seeds_window.comparison
    assert comparison is not None
    if not comparison.facts:
        # No facts from the engine yet: a real match's passages stand in as one fact row.
        f = deep_finding(comparison, ("match",))
        assert f is not None
        fact = Fact(id="k1", label="test claim", counted="passages", event=None,
                    cells=tuple(replace(s, value="x") for s in f.spans), finding=f.id)
        comparison = replace(comparison, facts=(fact,))
        with qtbot.waitSignal(seeds_window.comparison_shown, timeout=10_000):
            seeds_window.show_comparison(comparison)
    # A conflicting fact when the engine has one: its row is bound to the conflict finding.
    row = next((i for i, k in enumerate(comparison.facts) if k.finding), 0)
    fact = comparison.facts[row]
    table = seeds_window.facts_table
    cell = fact.cells[-1]
    col_index = 2 + [a.id for a in comparison.articles].index(cell.article)
    scroll_all_to(seeds_window, "top")
    index = table.facts_model.index(row, col_index)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    col = seeds_window.column_for(cell.article)
    assert col is not None
    assert span_visible(col, cell)
    if fact.finding:
        assert seeds_window.current_finding is not None
        assert seeds_window.current_finding.id == fact.finding
        # Two-way: selecting the conflict elsewhere selects its fact row.
        table.clearSelection()
        seeds_window.select_finding(fact.finding, origin="panel")
        assert {i.row() for i in table.selectionModel().selectedIndexes()} == {row}


def test_scroll_lock_keeps_matched_passages_level(qtbot, seeds_window: MainWindow) -> None:
    comparison = seeds_window.comparison
    assert comparison is not None
    def middle(s: Span) -> bool:
        length = len(comparison.article(s.article).text)
        return 0.25 * length < s.start < 0.6 * length

    # A passage two sources share, in the middle of both (so both columns can scroll to it).
    finding = next(
        f for f in comparison.by_kind("match")
        if len(f.spans) == 2 and len(f.articles) == 2 and all(middle(s) for s in f.spans)
    )
    a, b = finding.spans
    col_a, col_b = seeds_window.column_for(a.article), seeds_window.column_for(b.article)
    assert col_a is not None
    assert col_b is not None
    scroll_all_to(seeds_window, "top")
    seeds_window.actions["scroll_lock"].setChecked(True)
    # Scroll column A so the passage is at the top: B follows to the same height.
    col_a.view.scroll_to_span(a.start, a.end, y=6)
    anchor = seeds_window.scroll_anchor(col_a)
    assert anchor is not None
    assert anchor[0].id == finding.id
    y_a = col_a.view.span_rect(a.start, a.end).top()
    y_b = col_b.view.span_rect(b.start, b.end).top()
    line = col_a.view.fontMetrics().lineSpacing()
    assert y_a < 3 * line  # column A really moved
    assert abs(y_a - y_b) <= line, (y_a, y_b)
    # Without the lock, columns scroll on their own.
    seeds_window.actions["scroll_lock"].setChecked(False)
    before = col_b.view.verticalScrollBar().value()
    col_a.view.verticalScrollBar().setValue(0)
    assert col_b.view.verticalScrollBar().value() == before


def test_dark_theme_repaints_highlights(seeds_window: MainWindow) -> None:
    comparison = seeds_window.comparison
    assert comparison is not None
    span = comparison.by_kind("match")[0].spans[0]
    col = seeds_window.column_for(span.article)
    assert col is not None

    def background() -> str:
        c = QTextCursor(col.view.document())
        c.setPosition(col.view.index.to_qt(span.start) + 1)
        return c.charFormat().background().color().name()

    light = background()
    seeds_window.apply_theme(Theme.for_mode(True))
    dark = background()
    assert light != dark
    assert col.view.document().findBlock(0).isValid()
    total = len(comparison.articles)
    agreeing = len(comparison.by_kind("match")[0].articles)
    assert dark == Theme.for_mode(True).heat(agreeing, total).name()


def test_conflicts_are_underlined_not_only_coloured(seeds_window: MainWindow) -> None:
    comparison = seeds_window.comparison
    assert comparison is not None
    conflicts = [f for f in comparison.findings if f.is_conflict]
    if not conflicts:
        pytest.skip("the engine finds no conflicts in the seeds yet (app/core/conflicts.py)")
    span = conflicts[0].spans[0]
    col = seeds_window.column_for(span.article)
    assert col is not None
    c = QTextCursor(col.view.document())
    c.setPosition(col.view.index.to_qt(span.start) + 1)
    fmt = c.charFormat()
    assert fmt.underlineStyle() == fmt.UnderlineStyle.WaveUnderline
    assert fmt.background().color() == seeds_window.theme.conflict_bg


def test_zoom_changes_text_size(qtbot, seeds_window: MainWindow) -> None:
    view = seeds_window.columns.columns[0].view
    before = view.font().pointSizeF()
    qtbot.keyClick(seeds_window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSizeF() > before
    qtbot.keyClick(seeds_window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSizeF() == pytest.approx(before)


def test_layout_and_recent_files_are_remembered(qtbot, seeds_window: MainWindow, settings) -> None:
    seeds_window.facts_dock.hide()
    seeds_window.save_layout()
    assert str(SEEDS.resolve()) in seeds_window.recent_files()
    again = MainWindow(settings=settings, restore_layout=True)
    qtbot.addWidget(again)
    again.show()
    assert again.facts_dock.isHidden()
    assert again.recent_files()[0] == str(SEEDS.resolve())
    again.runner.shutdown()


def test_every_action_is_reachable_from_the_keyboard(window: MainWindow) -> None:
    in_menus = set()
    for menu in window.menus.values():
        for act in menu.actions():
            in_menus.add(act)
    for key, act in window.actions.items():
        assert act in in_menus or key == "about_qt" or not act.shortcut().isEmpty(), key
    for key in ("next", "previous", "next_conflict", "previous_conflict", "paste", "open",
                "zoom_in", "zoom_out", "scroll_lock"):
        assert not window.actions[key].shortcut().isEmpty(), key
    assert window.actions["next"].shortcut().toString() == "F8"
    assert window.actions["paste"].shortcut().toString() == "Ctrl+Shift+V"


def test_counts_cover_every_kind(seeds_window: MainWindow) -> None:
    assert set(seeds_window.findings_panel.model.group_counts()) == set(KINDS)
