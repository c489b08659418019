"""Annotations and project files in the real reader window: Ctrl+M on a selected passage, the
dock's note and tags saved at once, undo/redo in the file, a restarted window finding the
annotation underlined, the list's filters, conflict decisions, Save a Copy As, refused files.

Real MainWindow (offscreen), real project files in tmp_path, the real comparison engine
(in the window's worker thread; tests wait for `comparison_shown`)."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from app.core.model import Article
from app.store.project import Project
from app.store.records import RESOLVED, finding_key
from app.ui.annotations import ProjectController, install_project_support
from app.ui.annotations.controller import LAYER
from app.ui.annotations.dock import NOTE_SAVE_DELAY_MS, AnnotationsDock
from app.ui.annotations.models import ORPHAN_SOURCE, AnnotationFilter, AnnotationsModel
from app.ui.mainwindow import MainWindow
from app.ui.tasks import TaskRunner
from app.ui.widgets.article_view import ArticleView
from tests.gold import SEEDS
from tests.gui.conftest import COMPARE_TIMEOUT_MS, activate, close_windows

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

Maker = Callable[..., tuple[MainWindow, ProjectController]]


@pytest.fixture
def make_window(qtbot, settings: QSettings) -> Iterator[Maker]:
    """Windows with project support, as app/ui/main.py makes them (one line after the window)."""
    made: list[MainWindow] = []

    def make(
        project: Path | None = None, seeds: bool = False
    ) -> tuple[MainWindow, ProjectController]:
        w = MainWindow(runner=TaskRunner("thread"), settings=settings, restore_layout=False)
        qtbot.addWidget(w)
        w.resize(1500, 950)
        w.show()
        qtbot.waitExposed(w)
        if project is not None and has_articles(project):
            with qtbot.waitSignal(w.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
                c = install_project_support(w, str(project))
        else:
            c = install_project_support(w, str(project) if project else None)
        if seeds:
            with qtbot.waitSignal(w.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
                w.open_paths([SEEDS])
        made.append(w)
        return w, c

    yield make
    close_windows(qtbot, made)


def has_articles(path: Path) -> bool:
    if not path.exists():
        return False
    with Project.open(path, read_only=True) as p:
        return bool(p.articles())


def select(window: MainWindow, article_index: int, quote: str) -> tuple[str, int, int]:
    """Select the first occurrence of `quote` in a column, as a mouse drag would."""
    article = window.articles[article_index]
    start = article.text.index(quote)
    end = start + len(quote)
    col = window.column_for(article.id)
    assert col is not None
    cursor = QTextCursor(col.view.document())
    cursor.setPosition(col.view.index.to_qt(start))
    cursor.setPosition(col.view.index.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    col.view.setTextCursor(cursor)
    col.view.setFocus()
    assert window.current_selection() == (article.id, start, end)
    return article.id, start, end


def select_by_keyboard(qtbot, window: MainWindow, article_index: int, quote: str) -> ArticleView:
    """Select `quote` as a reader does: click just before it, then Shift+Right to its end."""
    article = window.articles[article_index]
    start = article.text.index(quote)
    col = window.column_for(article.id)
    assert col is not None
    view = col.view
    view.scroll_to_span(start, start + len(quote))
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.index.to_qt(start))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.cursorRect(cursor).center())
    assert view.index.to_py(view.textCursor().position()) == start
    for _ in range(len(quote)):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.current_selection() == (article.id, start, start + len(quote))
    return view


def stored(path: Path, annotation_id: str) -> tuple[str, list[str]] | None:
    """(note, tags) as the project file holds them now, read through a connection of its own
    (not the window's Project), so only what was really written counts."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT note, tags FROM annotations WHERE id = ? AND deleted IS NULL",
                           (annotation_id,)).fetchone()
    finally:
        conn.close()
    return None if row is None else (row[0], json.loads(row[1]))


def click_tag(qtbot, dock: AnnotationsDock, name: str) -> None:
    """Tick or untick a tag: click its row, then Space (what a keyboard user does)."""
    item = dock.tags.findItems(name, Qt.MatchFlag.MatchExactly)[0]
    rect = dock.tags.visualItemRect(item)
    qtbot.mouseClick(dock.tags.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center() + QPoint(rect.width() // 4, 0))
    qtbot.keyClick(dock.tags, Qt.Key.Key_Space)


def annotate_by_keyboard(qtbot, window: MainWindow, controller: ProjectController,
                         article_index: int, quote: str) -> str:
    view = select_by_keyboard(qtbot, window, article_index, quote)
    with qtbot.waitSignal(controller.annotations_changed):
        qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dock = controller.dock
    qtbot.waitUntil(dock.note.hasFocus, timeout=2000)
    assert dock.current_id is not None
    return dock.current_id


def format_at(window: MainWindow, article_id: str, offset: int) -> QTextCharFormat:
    col = window.column_for(article_id)
    assert col is not None
    cursor = QTextCursor(col.view.document())
    # The format of the character after `offset` is the one left of position offset + 1.
    cursor.setPosition(col.view.index.to_qt(offset) + 1)
    return cursor.charFormat()


def a_quote(window: MainWindow, index: int = 1) -> str:
    """A sentence-sized passage from the middle of an article."""
    text = window.articles[index].text
    para = max(text.split("\n"), key=len)
    return para[: min(60, len(para))].strip()


# -------------------------------------------------------------------------------------------


def test_annotate_undo_redo_and_restart(qtbot, make_window: Maker, tmp_path: Path) -> None:
    path = tmp_path / "story.parallax"
    window, controller = make_window(path, seeds=True)
    assert path.exists()
    assert window.project_path == str(path)
    quote = a_quote(window)
    article_id, start, end = select(window, 1, quote)
    sha = window.articles[1].sha256

    activate(qtbot, window)
    with qtbot.waitSignal(controller.annotations_changed):
        qtbot.keyClick(window.column_for(article_id).view, Qt.Key.Key_M,
                       Qt.KeyboardModifier.ControlModifier)
    dock = controller.dock
    assert dock.isVisible()
    assert dock.current_id is not None
    aid = dock.current_id

    # The note (saved when typing pauses) and tags, straight into the file.
    qtbot.keyClicks(dock.note, "Confirmed by the ministry at 14:00")
    click_tag(qtbot, dock, "Verified")
    with Project.open(path, read_only=True) as other:
        saved = other.annotation(aid)
        assert saved.note == "Confirmed by the ministry at 14:00"
        assert saved.tags == ("Verified",)
        assert saved.exact == quote
        assert saved.article_sha256 == sha
        assert [a.sha256 for a in other.articles()] == [a.sha256 for a in window.articles]

    # Underlined in its column, on exactly the passage.
    layer = window.format_layers[LAYER]
    assert [(s, e) for s, e, _f in layer[article_id]] == [(start, end)]
    assert format_at(window, article_id, start).underlineStyle() == (
        QTextCharFormat.UnderlineStyle.SingleUnderline)
    assert format_at(window, article_id, end).underlineStyle() != (
        QTextCharFormat.UnderlineStyle.SingleUnderline)

    # Undo the tag, the note, then the annotation itself: each reaches the file.
    stack = controller.undo_stack
    assert stack.count() == 3
    window.actions["undo"].trigger()
    with Project.open(path, read_only=True) as other:
        assert other.annotation(aid).tags == ()
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    with Project.open(path, read_only=True) as other:
        assert other.annotations() == []
    assert LAYER not in window.format_layers
    assert dock.model.rowCount() == 0
    for _ in range(3):
        window.actions["redo"].trigger()
    with Project.open(path, read_only=True) as other:
        [back] = other.annotations()
        assert (back.id, back.note, back.tags) == (aid, "Confirmed by the ministry at 14:00",
                                                   ("Verified",))
    assert dock.model.rowCount() == 1

    # Restart: a new window on the same project shows the same story, annotation underlined.
    window.close()
    assert controller.project is None
    again, controller2 = make_window(path)
    assert [a.sha256 for a in again.articles] == [a.sha256 for a in window.articles]
    shown_id = next(a.id for a in again.articles if a.sha256 == sha)
    assert [(s, e) for s, e, _f in again.format_layers[LAYER][shown_id]] == [(start, end)]
    assert format_at(again, shown_id, start).underlineStyle() == (
        QTextCharFormat.UnderlineStyle.SingleUnderline)
    assert controller2.dock.model.rowCount() == 1
    entry = controller2.dock.model.entries()[0]
    assert entry.anchored.annotation.note == "Confirmed by the ministry at 14:00"


def test_a_typed_note_left_alone_reaches_the_file(qtbot, make_window: Maker,
                                                  tmp_path: Path) -> None:
    """Issue 13: select, Ctrl+M, type key by key, stop. Nothing else happens, yet the note must
    be in the file within moments (the old save timer only saved when something followed)."""
    path = tmp_path / "typed.parallax"
    window, controller = make_window(path, seeds=True)
    activate(qtbot, window)
    aid = annotate_by_keyboard(qtbot, window, controller, 1, a_quote(window))
    dock = controller.dock
    assert stored(path, aid) == ("", [])
    qtbot.keyClicks(dock.note, "Confirmed by the ministry")
    typed = time.monotonic()
    qtbot.waitUntil(lambda: stored(path, aid) == ("Confirmed by the ministry", []),
                    timeout=2000)
    assert time.monotonic() - typed < NOTE_SAVE_DELAY_MS / 1000 + 1.0
    assert not dock.note_pending

    # More typing, a pause, then a tag ticked: the typed words survive the tick.
    qtbot.keyClicks(dock.note, " at 14:00")
    qtbot.wait(2 * NOTE_SAVE_DELAY_MS)
    click_tag(qtbot, dock, "Verified")
    assert stored(path, aid) == ("Confirmed by the ministry at 14:00", ["Verified"])
    assert dock.note.toPlainText() == "Confirmed by the ministry at 14:00"

    # Typing then, at once, another tag: no pause at all, and still nothing is lost.
    dock.note.setFocus()
    qtbot.keyClick(dock.note, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dock.note, "; call back")
    click_tag(qtbot, dock, "Disputed")
    assert stored(path, aid) == ("Confirmed by the ministry at 14:00; call back",
                                 ["Verified", "Disputed"])
    assert dock.note.toPlainText() == "Confirmed by the ministry at 14:00; call back"
    qtbot.wait(2 * NOTE_SAVE_DELAY_MS)  # the pause timer must not write anything else
    assert stored(path, aid) == ("Confirmed by the ministry at 14:00; call back",
                                 ["Verified", "Disputed"])


def test_typing_is_saved_by_whatever_comes_next(qtbot, make_window: Maker,
                                               tmp_path: Path) -> None:
    """No pause: the next thing the reader does writes the note first (another annotation,
    undo, closing the window)."""
    path = tmp_path / "next.parallax"
    window, controller = make_window(path, seeds=True)
    activate(qtbot, window)
    dock = controller.dock
    first = annotate_by_keyboard(qtbot, window, controller, 0, a_quote(window, 0))
    qtbot.keyClicks(dock.note, "first note")
    second = annotate_by_keyboard(qtbot, window, controller, 2, a_quote(window, 2))
    assert stored(path, first) == ("first note", [])
    qtbot.keyClicks(dock.note, "second note")
    # Back to the first in the list with the keyboard: the second's typing is written first.
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert dock.current_id == first
    assert stored(path, second) == ("second note", [])
    assert dock.note.toPlainText() == "first note"
    # Type, then Undo from the Edit menu's shortcut at once: the undo takes back that very edit.
    dock.note.setFocus()
    qtbot.keyClick(dock.note, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dock.note, " (checked)")
    window.columns.columns[0].view.setFocus()
    assert stored(path, first) == ("first note (checked)", [])
    qtbot.keyClick(window.columns.columns[0].view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier)
    assert stored(path, first) == ("first note", [])
    assert dock.note.toPlainText() == "first note"
    # Type and close the window straight away.
    dock.note.setFocus()
    qtbot.keyClicks(dock.note, ", ministry")
    qtbot.keyClick(dock.note, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert stored(path, first) == ("first note, ministry", [])


def test_untitled_autosave_project(qtbot, make_window: Maker) -> None:
    window, controller = make_window(None, seeds=True)
    assert controller.project is None
    select(window, 0, a_quote(window, 0))
    record = controller.annotate_selection()
    assert record is not None
    p = controller.project
    assert p is not None
    assert p.path.name.startswith("Untitled-")
    assert p.path.parent == Path(__import__("app.paths").paths.user_data_dir())
    assert p.path.name in controller.status_label.text()
    assert str(p.path) == window.project_path


def test_nothing_selected_makes_no_project(make_window: Maker) -> None:
    window, controller = make_window(None, seeds=True)
    assert controller.annotate_selection() is None
    assert controller.project is None
    assert "Select a passage" in window.statusBar().currentMessage()


def test_list_filters_and_jump(qtbot, make_window: Maker, tmp_path: Path) -> None:
    window, controller = make_window(tmp_path / "f.parallax", seeds=True)
    notes = [(0, "ministry figure", ["Verified"]), (1, "who said this?", ["Disputed"]),
             (2, "call the mayor", ["Needs source", "Disputed"])]
    for index, note, tags in notes:
        select(window, index, a_quote(window, index))
        rec = controller.annotate_selection()
        assert rec is not None
        controller.update(rec.id, note=note)
        controller.update(rec.id, tags=tags)
    dock = controller.dock
    proxy = dock.proxy
    assert proxy.rowCount() == 3
    dock.filter_tag.setCurrentIndex(dock.filter_tag.findData("Disputed"))
    assert proxy.rowCount() == 2
    dock.filter_source.setCurrentIndex(dock.filter_source.findData(window.articles[2].sha256))
    assert proxy.rowCount() == 1
    assert proxy.index(0, 1).data() == "call the mayor"
    dock.clear_filters()
    dock.filter_text.setText("MAYOR")
    assert proxy.rowCount() == 1
    dock.filter_text.setText("nothing like this")
    assert proxy.rowCount() == 0
    assert "0 of 3" in dock.count_label.text()
    dock.clear_filters()
    # A click jumps to the passage in its column.
    target = window.articles[1]
    col = window.column_for(target.id)
    assert col is not None
    col.view.verticalScrollBar().setValue(0)
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 1).data() == "who said this?")
    dock.show()
    qtbot.waitExposed(dock)
    rect = dock.table.visualRect(proxy.index(row, 0))
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    start = target.text.index(a_quote(window, 1))
    assert col.view.extraSelections()
    assert col.view.extraSelections()[0].cursor.selectionStart() == col.view.index.to_qt(start)


def test_orphan_listed_reattached_and_deleted(
    qtbot, make_window: Maker, tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    path = tmp_path / "o.parallax"
    text = seed_articles[0].text
    m = re.search(r"\d[\d,]*\d", text)
    assert m is not None, "the sample story has figures"
    figure = m.group(0)
    quote = text[max(0, m.start() - 25): m.end()].lstrip()
    with Project.open(path, create=True, articles=seed_articles) as p:
        note = p.annotate_quote(p.articles()[0].id, quote, note="check this figure")
    # The article's text is corrected in the file (as an import of a newer copy would): the
    # figure changed, so the note must not silently move onto the new figure.
    changed = text[: m.start()] + "9" + figure + text[m.end():]
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE articles SET text = ?, sha256 = ? WHERE id = ?",
            (changed, replace(seed_articles[0], text=changed).sha256, note.article_id),
        )
    conn.close()

    window, controller = make_window(path)
    assert window.articles[0].text == changed
    dock = controller.dock
    entry = dock.model.entry(note.id)
    assert entry is not None
    assert entry.is_orphan
    assert LAYER not in window.format_layers  # nothing underlined for a lost passage
    dock.filter_source.setCurrentIndex(dock.filter_source.findData(ORPHAN_SOURCE))
    assert dock.proxy.rowCount() == 1
    assert dock.count_label.text() == "1 annotation · 1 lost its passage"
    dock.select(note.id)
    assert "no longer in the article" in dock.passage.text()

    # Re-attach to the passage selected now (the corrected figure).
    article_id, start, end = select(window, 0, changed[m.start(): m.end() + 1])
    dock.reattach_button.click()
    entry = dock.model.entry(note.id)
    assert entry is not None
    assert not entry.is_orphan
    assert (entry.window_article, entry.anchored.start, entry.anchored.end) == (
        article_id, start, end)
    assert [(s, e) for s, e, _f in window.format_layers[LAYER][article_id]] == [(start, end)]
    with Project.open(path, read_only=True) as other:
        assert other.annotation(note.id).exact == changed[start:end]
        assert other.orphans() == []
    window.actions["undo"].trigger()
    entry = dock.model.entry(note.id)
    assert entry is not None
    assert entry.is_orphan

    # Delete it (kept as a tombstone in the file), and undo the delete.
    dock.select(note.id)
    dock.delete_button.click()
    assert dock.model.entry(note.id) is None
    with Project.open(path, read_only=True) as other:
        assert other.annotations() == []
    window.actions["undo"].trigger()
    with Project.open(path, read_only=True) as other:
        assert [a.note for a in other.annotations()] == ["check this figure"]


def decision(path: Path, key: str) -> tuple[str, str | None, str] | None:
    """A conflict's decision as the file holds it, read through a connection of its own."""
    with Project.open(path, read_only=True) as other:
        s = other.conflict_status(key)
    return None if s is None else (s.status, s.right, s.note)


def test_conflict_decision_saved_as_you_go(qtbot, make_window: Maker, tmp_path: Path) -> None:
    path = tmp_path / "c.parallax"
    window, controller = make_window(path, seeds=True)
    assert window.comparison is not None
    conflict = next(f for f in window.comparison.findings if f.is_conflict)
    activate(qtbot, window)
    window.findings_panel.tree.setFocus()
    window.select_finding(conflict.id)
    assert window.actions["decide_conflict"].isEnabled()
    qtbot.keyClick(window.findings_panel.tree, Qt.Key.Key_M,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = controller.conflict_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    key = finding_key(conflict, window.articles)
    assert decision(path, key) is None  # opening the dialog decides nothing
    # The first source named: chosen with the keyboard, saved at once and marked resolved.
    right_sha = next(a.sha256 for a in window.articles if a.id == conflict.articles[0])
    dialog.right.setFocus()
    qtbot.keyClick(dialog.right, Qt.Key.Key_Down)
    assert dialog.right.currentData() == right_sha
    assert decision(path, key) == (RESOLVED, right_sha, "")
    # The note is saved when typing pauses, with nothing else done.
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "The ministry's release says so")
    qtbot.waitUntil(lambda: decision(path, key) == (RESOLVED, right_sha,
                                                    "The ministry's release says so"),
                    timeout=2000)
    # Typing then closing at once (Esc) keeps the words too.
    qtbot.keyClicks(dialog.note, ", twice")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert decision(path, key) == (RESOLVED, right_sha, "The ministry's release says so, twice")
    # One undo step for the whole decision, as typed.
    window.actions["undo"].trigger()
    assert decision(path, key) is None
    window.actions["redo"].trigger()
    assert decision(path, key) == (RESOLVED, right_sha, "The ministry's release says so, twice")
    # The dialog opens on the saved decision.
    dialog = controller.decide_dialog()
    assert dialog is not None
    assert dialog.values() == (RESOLVED, right_sha, "The ministry's release says so, twice")
    dialog.reject()
    assert decision(path, key) == (RESOLVED, right_sha, "The ministry's release says so, twice")


def test_save_copy_as(qtbot, make_window: Maker, tmp_path: Path) -> None:
    window, controller = make_window(tmp_path / "orig.parallax", seeds=True)
    select(window, 3, a_quote(window, 3))
    rec = controller.annotate_selection()
    assert rec is not None
    controller.update(rec.id, note="copy me", tags=["Needs source"])
    out = controller.save_copy_as(tmp_path / "stick" / "copy")
    assert out is None  # the folder does not exist: refused with a message
    assert controller.last_error
    (tmp_path / "stick").mkdir()
    out = controller.save_copy_as(tmp_path / "stick" / "copy")
    assert out == tmp_path / "stick" / "copy.parallax"
    with Project.open(out) as copy, Project.open(tmp_path / "orig.parallax") as orig:
        assert copy.integrity_check() == ["ok"]
        assert copy.annotations() == orig.annotations()
        assert copy.annotations()[0].note == "copy me"
    # The original stays the open project.
    assert controller.project is not None
    assert controller.project.path == tmp_path / "orig.parallax"
    assert str(out.resolve()) in controller.recent_projects()


@pytest.mark.parametrize(
    "content", [b"", b"not a project at all", b"SQLite format 3\x00" + b"\x01" * 50]
)
def test_bad_file_refused_untouched(
    qtbot, make_window: Maker, tmp_path: Path, content: bytes
) -> None:
    good = tmp_path / "good.parallax"
    _window, controller = make_window(good, seeds=True)
    bad = tmp_path / "bad.parallax"
    bad.write_bytes(content)
    with qtbot.waitSignal(controller.error_shown) as blocker:
        assert not controller.open_project(bad)
    assert "bad.parallax" in blocker.args[0]
    assert controller.error_box is not None
    assert controller.error_box.isVisible()
    assert bad.read_bytes() == content
    assert controller.project is not None
    assert controller.project.path == good
    controller.error_box.close()


def test_read_only_project(qtbot, make_window: Maker, tmp_path: Path) -> None:
    path = tmp_path / "ro.parallax"
    window, _controller = make_window(path, seeds=True)
    window.close()
    path.chmod(0o444)
    try:
        again, controller2 = make_window(path)
        assert controller2.project is not None
        assert controller2.project.read_only
        assert again.windowTitle() == "ro (read-only) — Parallax"
        assert not again.actions["annotate"].isEnabled()
        assert len(again.articles) == 5
    finally:
        path.chmod(0o644)


def test_open_project_switches_story(qtbot, make_window: Maker, tmp_path: Path) -> None:
    first = tmp_path / "first.parallax"
    window, controller = make_window(first, seeds=True)
    window.remove_article(window.articles[4].id)
    qtbot.waitUntil(lambda: len(window.columns.columns) == 4)
    with Project.open(first, read_only=True) as other:
        assert len(other.articles()) == 4
        assert len(other.articles(include_hidden=True)) == 5
    second = tmp_path / "second.parallax"
    assert controller.new_project(second)
    assert controller.project is not None
    assert controller.project.path == second
    with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        window.add_articles([])  # same story, compared again
    assert controller.open_project(first)
    assert len(window.articles) == 4
    assert window.windowTitle() == "first — Parallax"


def test_models_pass_modeltester(qtmodeltester, make_window: Maker, tmp_path: Path) -> None:
    window, controller = make_window(tmp_path / "m.parallax", seeds=True)
    for index in range(3):
        select(window, index, a_quote(window, index))
        rec = controller.annotate_selection()
        assert rec is not None
        controller.update(rec.id, tags=["Verified"] if index else ["Disputed"])
    model = controller.dock.model
    assert isinstance(model, AnnotationsModel)
    qtmodeltester.check(model)
    proxy = controller.dock.proxy
    assert isinstance(proxy, AnnotationFilter)
    proxy.set_tag("Verified")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 2
    empty = AnnotationsModel()
    qtmodeltester.check(empty)
