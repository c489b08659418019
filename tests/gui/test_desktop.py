"""The window as people really use it (issue 13): it fits the screen it opens on, panels come
back where they were (and never over the menu bar), opening files asks before mixing two
stories, Close All / New Comparison, the guide and the shortcuts list, the app reopening what
the reader was working on, and a quit signal closing the app cleanly.

Real windows (offscreen: one 800x800 screen, a small one), real project files, the real
engine. `run_app` runs the app's own `run()` (the code behind `parallax`) in this process."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox

from app.__main__ import _gui_parser
from app.store.project import Project
from app.ui import main as gui
from app.ui import screenfit
from app.ui.annotations import ProjectController, install_project_support
from app.ui.dialogs.guide import GuideDialog, ShortcutsDialog
from app.ui.mainwindow import MainWindow
from app.ui.tasks import LOADING_MESSAGE, TaskRunner
from app.ui.termination import QuitOnSignal
from tests.gold import SEEDS
from tests.gui.conftest import COMPARE_TIMEOUT_MS, activate, close_windows, menu_keys, open_seeds
from tests.gui.test_annotations import a_quote, annotate_by_keyboard, stored

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def app_window(qtbot, settings: QSettings) -> Iterator[Callable[..., MainWindow]]:
    """Windows made the way `parallax` makes them: docks first, then the saved layout."""
    made: list[MainWindow] = []

    def make(project: Path | None = None) -> MainWindow:
        w = MainWindow(runner=TaskRunner("thread"), settings=settings, restore_layout=False)
        qtbot.addWidget(w)
        w.controller = install_project_support(w, str(project) if project else None)  # type: ignore[attr-defined]
        w.restore_layout()
        w.show()
        qtbot.waitExposed(w)
        made.append(w)
        return w

    yield make
    close_windows(qtbot, made)


def controller_of(window: MainWindow) -> ProjectController:
    return window.controller  # type: ignore[attr-defined,no-any-return]


def available() -> QRect:
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def on_screen(window: MainWindow, widget) -> bool:
    """The widget's whole rectangle is inside the screen's available area."""
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return available().contains(QRect(top_left, widget.size()))


def assert_docks_in_place(window: MainWindow, homes: dict[QDockWidget, Qt.DockWidgetArea]) -> None:
    """Each dock docked in its area, and each one on view (a tab behind another is not) inside
    the window below the menu bar and toolbar, none drawn over another."""
    bar = window.menuBar().geometry()
    tools = window.toolbar.geometry()
    for dock, area in homes.items():
        assert not dock.isFloating(), dock.objectName()
        assert window.dockWidgetArea(dock) == area, (dock.objectName(),
                                                     window.dockWidgetArea(dock))
    on_view = [d for d in homes if d.isVisible() and not d.visibleRegion().isEmpty()]
    assert on_view
    for dock in on_view:
        g = dock.geometry()
        assert not g.intersects(bar), (dock.objectName(), g, bar)
        assert g.top() > tools.bottom(), (dock.objectName(), g, tools)
        assert window.rect().contains(g), (dock.objectName(), g)
    for i, a in enumerate(on_view):
        for b in on_view[i + 1:]:
            assert not a.geometry().intersects(b.geometry()), (a.objectName(), b.objectName())


# Screen -------------------------------------------------------------------------------------


def test_screenfit_places_and_pulls_in_frames() -> None:
    small = QRect(0, 0, 1366, 768)
    pos, size = screenfit.default_geometry(small)
    assert size.width() <= 1366 - screenfit.FRAME_GUESS.width()
    assert size.height() <= 768 - screenfit.FRAME_GUESS.height()
    assert small.contains(QRect(pos, size + screenfit.FRAME_GUESS))
    big = QRect(0, 0, 2560, 1440)
    pos, size = screenfit.default_geometry(big)
    assert size == QSize(1600, 1000)
    assert abs((pos.x() + 808) - 1280) <= 8  # centred
    # A 1600x1000 window framed by a window manager on a 1600x1000 screen: the frame sticks
    # out by its title bar, so the status bar was below the edge (issue 13, item 3).
    screen = QRect(0, 0, 1600, 1000)
    client = QRect(1, 20, 1600, 1000)
    frame = QRect(0, 0, 1602, 1021)
    pos, size = screenfit.fit_frame(frame, client, screen)
    assert screen.contains(QRect(pos, QSize(size.width() + 2, size.height() + 21)))
    assert (size.width(), size.height()) == (1598, 979)
    assert screenfit.mostly_visible(QRect(100, 100, 800, 600), screen)
    assert not screenfit.mostly_visible(QRect(1400, 900, 800, 600), screen)
    assert not screenfit.mostly_visible(QRect(100, -300, 800, 600), screen)  # title bar off


def test_window_fits_the_screen_with_its_status_bar(qtbot, app_window, settings) -> None:
    window = app_window()
    qtbot.waitUntil(lambda: available().contains(window.frameGeometry()), timeout=3000)
    for widget in (window.statusBar(), window.menuBar(), window.findings_dock,
                   window.facts_dock, window.columns):
        assert on_screen(window, widget), widget.objectName()
    # A layout remembered from a larger screen, or a window dragged half off the screen,
    # comes back fitted to this one.
    window.showNormal()
    window.setGeometry(300, 400, 1500, 950)
    window.save_layout()
    window.close()
    again = app_window()
    qtbot.waitUntil(lambda: available().contains(again.frameGeometry()), timeout=3000)
    assert on_screen(again, again.statusBar())
    # Per screen: the key names this screen's size.
    key = screenfit.screen_key(again.screen())
    assert settings.contains(f"window/{key}/geometry")
    assert key.endswith(f"_{again.screen().geometry().width()}x"
                        f"{again.screen().geometry().height()}")


# Panels -------------------------------------------------------------------------------------


def test_reopened_project_panels_are_docked_where_they_were(
    qtbot, app_window, tmp_path: Path
) -> None:
    path = tmp_path / "story.parallax"
    window = app_window(path)
    open_seeds(qtbot, window)
    controller = controller_of(window)
    annotate_by_keyboard(qtbot, window, controller, 1, a_quote(window))
    qtbot.keyClicks(controller.dock.note, "check the figure")
    # The reader puts the Annotations panel in a tab behind the Findings panel.
    window.tabifyDockWidget(window.findings_dock, controller.dock)
    controller.dock.raise_()
    homes = {window.findings_dock: Qt.DockWidgetArea.LeftDockWidgetArea,
             window.facts_dock: Qt.DockWidgetArea.BottomDockWidgetArea,
             controller.dock: Qt.DockWidgetArea.LeftDockWidgetArea}
    assert_docks_in_place(window, homes)
    window.close()

    # --project: the panels come back where they were.
    again = app_window(path)
    qtbot.waitUntil(lambda: again.shown is not None, timeout=COMPARE_TIMEOUT_MS)
    c2 = controller_of(again)
    qtbot.waitUntil(c2.dock.isVisible, timeout=5000)
    homes = {again.findings_dock: Qt.DockWidgetArea.LeftDockWidgetArea,
             again.facts_dock: Qt.DockWidgetArea.BottomDockWidgetArea,
             c2.dock: Qt.DockWidgetArea.LeftDockWidgetArea}
    assert_docks_in_place(again, homes)
    assert stored(path, c2.dock.model.entries()[0].id) == ("check the figure", [])

    # Another story, then File > Open Recent Project back to the first: still in place.
    other = tmp_path / "other.parallax"
    with Project.open(other, create=True) as p:
        p.add_articles(again.articles[:2])
    with qtbot.waitSignal(again.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        assert c2.open_project(other)
    c2.recent_menu.aboutToShow.emit()
    recent = next(a for a in c2.recent_menu.actions() if a.text().endswith(str(path.resolve())))
    with qtbot.waitSignal(again.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        recent.trigger()
    qtbot.waitUntil(c2.dock.isVisible, timeout=5000)
    assert len(again.articles) == 5
    assert_docks_in_place(again, homes)


def test_a_saved_layout_that_does_not_fit_is_brought_back(qtbot, app_window) -> None:
    window = app_window()
    # A floating panel on a screen that is not there any more, the Facts panel made as tall
    # as the window: neither may hide the articles next time.
    window.findings_dock.setFloating(True)
    window.findings_dock.move(5000, 5000)
    window.resizeDocks([window.facts_dock], [window.height()], Qt.Orientation.Vertical)
    window.save_layout()
    window.close()
    again = app_window()
    dock = again.findings_dock
    qtbot.waitUntil(lambda: screenfit.mostly_visible(dock.frameGeometry(), available()),
                    timeout=3000)
    assert dock.isFloating()  # floating, as it was, but on a screen that exists
    qtbot.waitUntil(lambda: again.columns.height() >= min(200, again.height() // 3),
                    timeout=3000)
    assert_docks_in_place(again, {again.facts_dock: Qt.DockWidgetArea.BottomDockWidgetArea})


# Opening, New Comparison, Close All ---------------------------------------------------------


def answer(qtbot, window: MainWindow, label: str) -> None:
    qtbot.waitUntil(lambda: window.open_question is not None, timeout=2000)
    box = window.open_question
    assert isinstance(box, QMessageBox)
    qtbot.waitExposed(box)
    button = next(b for b in box.buttons() if b.text().replace("&", "") == label)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise",
                            "does not support grabbing the keyboard")
def test_opening_files_over_a_story_asks_first(qtbot, seeds_window: MainWindow) -> None:
    first_texts = [a.text for a in seeds_window.articles]
    seeds_window.settings.remove("recentFiles")
    for f in (SEED_FILES[1], SEED_FILES[0], SEED_FILES[4]):
        seeds_window._remember_recent(str(f))  # as earlier File > Open Articles did
    # File > Open Recent > 1 (SEED_FILES[4]), "New Comparison": only that file, not six
    # columns of two stories.
    menu_keys(qtbot, seeds_window, "F", "R", "1")
    # The files are read on a worker thread, then the columns built.
    with qtbot.waitSignal(seeds_window.articles_loaded, timeout=COMPARE_TIMEOUT_MS):
        answer(qtbot, seeds_window, "New Comparison")
    qtbot.waitUntil(lambda: len(seeds_window.columns.columns) == 1, timeout=COMPARE_TIMEOUT_MS)
    assert [a.text for a in seeds_window.articles] == first_texts[4:5]
    assert len(seeds_window.columns.columns) == 1
    # "Add to This One" (the list now starts with the file just opened).
    menu_keys(qtbot, seeds_window, "F", "R", "2")
    # (The one-article comparison may still be on its way: wait for the two-article one.)
    with qtbot.waitSignal(seeds_window.comparison_shown, timeout=COMPARE_TIMEOUT_MS,
                          check_params_cb=lambda c: len(c.articles) == 2) as shown:
        answer(qtbot, seeds_window, "Add to This One")
    assert [a.text for a in shown.args[0].articles] == [first_texts[4], first_texts[0]]
    # Cancel: nothing changes.
    menu_keys(qtbot, seeds_window, "F", "R", "3")
    answer(qtbot, seeds_window, "Cancel")
    qtbot.waitUntil(lambda: seeds_window.open_question is None, timeout=2000)
    assert len(seeds_window.articles) == 2


def test_menu_letters_are_unique(window: MainWindow) -> None:
    """Alt+letter must reach one item: two items sharing a letter make it only select."""
    install_project_support(window, None)
    for name, menu in [("menu bar", window.menuBar()), *window.menus.items()]:
        letters = [a.text().split("&", 1)[1][0].lower() for a in menu.actions()
                   if "&" in a.text().replace("&&", "")]
        assert len(letters) == len(set(letters)), (name, sorted(letters))


@pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise",
                            "does not support grabbing the keyboard")
def test_close_all_and_the_sample_story(qtbot, app_window, tmp_path: Path) -> None:
    path = tmp_path / "s.parallax"
    window = app_window(path)
    with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        window.open_paths([SEEDS])
    controller = controller_of(window)
    assert controller.project is not None
    assert window.windowTitle() == "s — Parallax"
    assert not window.columns.empty_hint.isVisible()
    menu_keys(qtbot, window, "F", "L")  # File > Close All Articles
    assert window.articles == []
    qtbot.waitUntil(lambda: window.columns.columns == [], timeout=3000)
    assert window.columns.empty_hint.isVisible()
    assert controller.project is None  # closed; it keeps the story
    assert window.windowTitle() == "Parallax"
    assert controller.dock.model.rowCount() == 0
    assert window.legend.agree_text() == "Agree"
    with Project.open(path, read_only=True) as p:
        assert len(p.articles()) == 5
    # The sample story is one click away (Help menu).
    with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        menu_keys(qtbot, window, "H", "S")  # Help > Open the Sample Story
    assert len(window.articles) == 5
    assert window.legend.agree_text() == "Agree (2–5 sources)"
    assert controller.project is None  # a new story: its annotations go to a new project


def test_removing_an_article_keeps_the_model_and_the_columns(
    qtbot, seeds_window: MainWindow
) -> None:
    kept = {c.article.text: c for c in seeds_window.columns.columns if c.article is not None}
    messages: list[str] = []
    seeds_window.runner.progress.connect(lambda _j, _f, m: messages.append(m))
    removed = seeds_window.articles[2]
    with qtbot.waitSignal(seeds_window.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        seeds_window.remove_article(removed.id)
    assert messages, "the comparison reports progress"
    assert LOADING_MESSAGE not in messages
    # The other four columns are the same widgets, not rebuilt.
    for col in seeds_window.columns.columns:
        assert col.article is not None
        assert kept[col.article.text] is col


# Help ---------------------------------------------------------------------------------------


def test_guide_and_every_shortcut_listed(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.findChild(GuideDialog)
    assert guide is not None
    qtbot.waitUntil(guide.isVisible, timeout=2000)
    text = guide.text.toPlainText()
    for words in ("What the colours mean", "Ctrl+M", "New Comparison", "Only this source"):
        assert words.lower() in text.lower(), words
    qtbot.mouseClick(guide.shortcuts_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    listed = {keys for _what, keys in dialog.rows()}
    flat = ", ".join(listed)
    for key, act in window.actions.items():
        for seq in act.shortcuts():
            text = seq.toString(QKeySequence.SequenceFormat.NativeText)
            assert text in flat, (key, text)
    for dock in (window.findings_dock, window.facts_dock):
        assert dock.toggleViewAction().shortcut().toString() in flat
    assert ("Help › Keyboard Shortcuts", "Ctrl+/") in dialog.rows()
    guide.close()
    dialog.close()


def test_legend_and_title_words(window: MainWindow) -> None:
    assert window.legend.agree_text() == "Agree"  # not "Agree (2–2 sources)"
    assert "Furniture" not in window.legend.toolTip()
    assert window.windowTitle() == "Parallax"
    window.project_path = "/tmp/story.parallax"
    window.update_title()
    assert window.windowTitle() == "story — Parallax"  # the app's name once, at the end


# Relaunch and quit signals ------------------------------------------------------------------


def run_app(qtbot, argv: list[str], drive: Callable[[MainWindow], None]) -> int:
    """Run `parallax ARGV` (app/ui/main.py's run) here; `drive` acts on its window, then the
    window is closed, which ends the app."""
    before = set(QApplication.topLevelWidgets())
    errors: list[BaseException] = []

    def start() -> None:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w not in before)
        try:
            qtbot.waitExposed(window)
            drive(window)
        except BaseException as exc:
            errors.append(exc)
        finally:
            if window.isVisible():
                window.close()
            QApplication.quit()

    QTimer.singleShot(0, start)
    # Ended by start() alone: a "last window closed" quit would be posted, and would end the
    # next test's event loop instead.
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        code = gui.run(_gui_parser().parse_args(argv))
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    gc.collect()
    if errors:
        raise errors[0]
    return code


# run() installs its own Qt message handler, so Qt's messages do not reach pytest-qt here.
@pytest.mark.qt_log_level_fail("CRITICAL")
def test_relaunch_reopens_what_the_reader_was_working_on(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("PARALLAX_DATA_DIR", str(data))
    seen: dict[str, object] = {}

    def first(window: MainWindow) -> None:
        # A first run: the sample story and the guide.
        qtbot.waitUntil(lambda: window.shown is not None, timeout=COMPARE_TIMEOUT_MS)
        guide = window.findChild(GuideDialog)
        assert guide is not None
        assert guide.isVisible()
        guide.close()
        activate(qtbot, window)
        controller = window.findChild(ProjectController)
        assert controller is not None
        aid = annotate_by_keyboard(qtbot, window, controller, 0, a_quote(window, 0))
        qtbot.keyClicks(controller.dock.note, "ask the ministry")
        assert controller.project is not None
        seen["project"], seen["id"] = controller.project.path, aid
        qtbot.keyClick(controller.dock.note, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    assert run_app(qtbot, [], first) == 0
    project = seen["project"]
    assert isinstance(project, Path)
    assert stored(project, str(seen["id"])) == ("ask the ministry", [])

    def second(window: MainWindow) -> None:
        # The project worked on last time, its note listed; no guide the second time.
        assert window.project_path == str(project.resolve())
        assert window.windowTitle() == f"{project.stem} — Parallax"
        assert window.findChild(GuideDialog) is None
        qtbot.waitUntil(lambda: window.shown is not None, timeout=COMPARE_TIMEOUT_MS)
        controller = window.findChild(ProjectController)
        assert controller is not None
        assert [e.anchored.annotation.note for e in controller.dock.model.entries()] == [
            "ask the ministry"]
        menu_keys(qtbot, window, "F", "L")  # File > Close All Articles

    assert run_app(qtbot, [], second) == 0

    def third(window: MainWindow) -> None:
        # Closed everything last time: an empty window that says what to do.
        assert window.articles == []
        assert window.project_path is None
        qtbot.waitUntil(window.columns.empty_hint.isVisible, timeout=2000)
        assert "sample story" in window.columns.empty_hint.text()

    assert run_app(qtbot, [], third) == 0


def test_sigterm_closes_the_window_and_keeps_the_note(
    qtbot, app_window, tmp_path: Path
) -> None:
    path = tmp_path / "term.parallax"
    window = app_window(path)
    open_seeds(qtbot, window)
    controller = controller_of(window)
    aid = annotate_by_keyboard(qtbot, window, controller, 2, a_quote(window, 2))
    got: list[int] = []
    before = signal.getsignal(signal.SIGTERM)
    quitter = QuitOnSignal(lambda n: (got.append(n), window.close()))
    try:
        qtbot.keyClicks(controller.dock.note, "typed just before logout")
        os.kill(os.getpid(), signal.SIGTERM)  # no pause: the signal comes at once
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    finally:
        quitter.uninstall()
    assert got == [signal.SIGTERM]
    assert stored(path, aid) == ("typed just before logout", [])
    assert controller.project is None  # closed
    assert signal.getsignal(signal.SIGTERM) == before  # handlers put back


# Smaller items ------------------------------------------------------------------------------


@pytest.mark.qt_log_ignore("does not support raise", "does not support propagateSizeHints")
def test_tooltip_names_each_source_once(seeds_window: MainWindow) -> None:
    from collections import Counter

    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent, QTextCursor
    from PySide6.QtWidgets import QToolTip

    comparison = seeds_window.comparison
    assert comparison is not None
    # A finding with several passages in one source (a quote given five times, say).
    finding = next(f for f in comparison.findings
                   if max(Counter(s.article for s in f.spans).values()) >= 3)
    span = finding.spans[0]
    seeds_window.scroll_to_passage(span.article, span.start, span.end, flash=False)
    col = seeds_window.column_for(span.article)
    assert col is not None
    cursor = QTextCursor(col.view.document())
    cursor.setPosition(col.view.index.to_qt(span.start + 1))
    pos = col.view.cursorRect(cursor).center()
    QApplication.sendEvent(col.view.viewport(), QHelpEvent(
        QEvent.Type.ToolTip, pos, col.view.viewport().mapToGlobal(pos)))
    tip = QToolTip.text()
    labels = {seeds_window.column_for(a).header.source.text()  # type: ignore[union-attr]
              for a in finding.articles if a != span.article}
    assert labels
    parts = tip.split("<hr>")  # one part per finding under the pointer
    for label in labels:
        assert any(f"<b>{label}:</b>" in part for part in parts), (label, tip)
        for part in parts:
            assert part.count(f"<b>{label}:</b>") <= 1, (label, part)
    QToolTip.hideText()


def test_a_long_status_message_stops_before_the_counters(seeds_window: MainWindow) -> None:
    bar = seeds_window.statusBar()
    long = "Could not read: " + "; ".join(f"/very/long/path/number/{i}/article.docx: damaged"
                                         for i in range(12))
    bar.showMessage(long)
    assert bar.currentMessage() == long  # the whole message is kept (and is the tooltip)
    shown = bar.shown_message()  # type: ignore[attr-defined]
    assert shown.endswith("…")
    assert len(shown) < len(long)
    counts = seeds_window.counts_label
    assert counts.isVisible()
    right = bar.message_rect().right()  # type: ignore[attr-defined]
    assert right < counts.x()
    assert bar.fontMetrics().horizontalAdvance(shown) <= bar.message_rect().width()  # type: ignore[attr-defined]
    assert bar.toolTip() == long
