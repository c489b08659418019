"""Project files and annotations in the reader window, wired from outside the window through
its public seams (menus, actions, add_dock, current_selection, format layers, signals).

`install_project_support(window, project_path)` is the only entry point. With a path the
project is opened (created when the file does not exist yet) and its articles shown; without
one, the first annotation creates an autosave project `Untitled-<date>.parallax` in the user
data folder, and the status bar says where it is (File > Save a Copy As puts it elsewhere).

Ids: the window renumbers its articles a0..aN; annotations name the project's article. The two
are matched by the sha256 of the article text, never by id.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QUndoStack
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from app import paths
from app.core.model import Article, Finding
from app.store.anchoring import ORPHAN, Anchorer
from app.store.errors import ProjectError
from app.store.project import SUFFIX, Project
from app.store.records import OPEN, Anchored, Annotation, ConflictStatus, finding_key
from app.ui.annotations.commands import (
    AddAnnotation,
    ChangeAnnotation,
    DeleteAnnotation,
    SetConflictStatus,
)
from app.ui.annotations.dialogs import ConflictDialog
from app.ui.annotations.dock import AnnotationsDock
from app.ui.annotations.models import Entry, excerpt
from app.ui.highlights import article_labels
from app.ui.mainwindow import MainWindow

LAYER = "annotations"
MAX_RECENT_PROJECTS = 10
RECENT_KEY = "recentProjects"
LAST_PROJECT_KEY = "session/project"
LAYOUT_KEY = "window"
UNDERLINE = {False: "#8E24AA", True: "#CE93D8"}  # light / dark theme: purple, unused elsewhere
READ_ONLY = " (read-only)"
FILE_FILTER = f"Parallax projects (*{SUFFIX});;All files (*)"


def install_project_support(window: MainWindow, project_path: str | None) -> ProjectController:
    """Add project files, annotations and conflict decisions to a reader window."""
    controller = ProjectController(window)
    if project_path:
        controller.open_project(project_path, create=True)
    return controller


class ProjectController(QObject):
    project_changed = Signal(object)  # Project | None
    annotations_changed = Signal()
    conflicts_changed = Signal()
    error_shown = Signal(str)  # the store's message, also shown in a (non-modal) message box

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.project: Project | None = None
        self.anchored: list[Anchored] = []
        self.last_error: str | None = None
        self.error_box: QMessageBox | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self._project_articles: dict[str, Article] = {}  # sha256 -> project article
        self._anchorers: dict[str, Anchorer] = {}
        self._layout_pending: dict[str, Any] | None = None
        self.undo_stack = QUndoStack(self)
        self.dock = AnnotationsDock(self, window)
        window.add_dock(self.dock, Qt.DockWidgetArea.RightDockWidgetArea, "Ctrl+Shift+3")
        self.dock.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("projectLabel")
        window.statusBar().addPermanentWidget(self.status_label)
        self._build_actions()
        window.articles_changed.connect(self._articles_changed)
        window.columns_ready.connect(self._columns_ready)
        window.finding_selected.connect(self._finding_selected)
        window.story_closed.connect(self.put_story_away)
        window.installEventFilter(self)
        self.flush_on_every_action()
        self._update_state()

    # Actions and menus --------------------------------------------------------------------

    def _action(self, key: str, text: str, slot: Any, shortcut: Any = None,
                tip: str | None = None) -> QAction:
        act = QAction(text, self.window)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(act)
        self.window.actions[key] = act
        return act

    def _build_actions(self) -> None:
        w = self.window
        a = self._action
        undo = self._undo_action("&Undo", self.undo_stack.undo, self.undo_stack.canUndoChanged,
                                 self.undo_stack.undoTextChanged)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self._undo_action("&Redo", self.undo_stack.redo, self.undo_stack.canRedoChanged,
                                 self.undo_stack.redoTextChanged)
        redo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        for key, act in (("undo", undo), ("redo", redo)):
            w.addAction(act)
            w.actions[key] = act
        a("annotate", "&Annotate Selection", self.annotate_selection, "Ctrl+M",
          "Add a note to the passage selected in a column")
        a("decide_conflict", "&Decide on This Conflict…", self.decide_dialog, "Ctrl+Shift+M",
          "Mark the current conflict open or resolved, say which source is right")
        a("new_project", "&New Project…", self.new_project_dialog, None,
          "Start a new project file for the articles now open")
        a("open_project", "Open Pro&ject…", self.open_project_dialog, "Ctrl+Shift+O",
          "Open a Parallax project file: its articles, annotations and decisions")
        a("save_copy", "Save a Cop&y As…", self.save_copy_dialog, QKeySequence.StandardKey.SaveAs,
          "Write a copy of the project file elsewhere (a USB stick, a colleague)")

        f = w.menus["file"]
        first = f.actions()[0] if f.actions() else None
        f.insertAction(first, w.actions["new_project"])
        f.insertAction(first, w.actions["open_project"])
        self.recent_menu = f.addMenu("Open Recent Projec&t")
        f.insertMenu(first, self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        w.menus["recent_projects"] = self.recent_menu
        f.insertAction(first, w.actions["save_copy"])
        f.insertSeparator(first)

        e = w.menus["edit"]
        first = e.actions()[0] if e.actions() else None
        e.insertAction(first, undo)
        e.insertAction(first, redo)
        e.insertSeparator(first)
        e.addSeparator()
        e.addAction(w.actions["annotate"])
        e.addAction(w.actions["decide_conflict"])

    def _undo_action(self, text: str, step: Any, can_changed: Any, text_changed: Any) -> QAction:
        """Undo/Redo that first write the note being typed, so that undo never races a
        pending save (QUndoStack's own actions would step before the note is saved)."""
        act = QAction(text, self.window)
        base = text.replace("&", "")

        def run(_checked: bool = False) -> None:
            self.flush_edits()
            step()

        act.triggered.connect(run)
        act.setEnabled(False)
        can_changed.connect(act.setEnabled)
        text_changed.connect(
            lambda what: act.setText(f"{text} {what}" if what else text))
        act.setToolTip(base)
        return act

    def flush_on_every_action(self) -> None:
        """Any menu command or shortcut also writes the note being typed (the pause timer
        would anyway; this closes the gap of the last fraction of a second)."""
        for key, act in self.window.actions.items():
            if key not in ("undo", "redo"):
                act.triggered.connect(lambda _checked=False: self.flush_edits())
        for menu in self.window.menus.values():
            menu.aboutToShow.connect(self.flush_edits)

    # State --------------------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        return self.project is None or not self.project.read_only

    def _update_state(self) -> None:
        w = self.window
        w.actions["annotate"].setEnabled(self.writable)
        w.actions["decide_conflict"].setEnabled(
            self.writable and w.current_finding is not None and w.current_finding.is_conflict
        )
        w.actions["save_copy"].setEnabled(self.project is not None)
        p = self.project
        if p is None:
            self.status_label.setText("")
            self.status_label.setToolTip("")
        else:
            ro = READ_ONLY if p.read_only else ""
            self.status_label.setText(f"Project: {p.path.name}{ro}")
            self.status_label.setToolTip(
                f"Annotations are saved as you go in {p.path}"
                + ("\nThis file is read-only here: use Save a Copy As to keep working." if ro
                   else "")
            )
        w.title_note = READ_ONLY if p is not None and p.read_only else ""
        w.update_title()

    def show_error(self, message: str, title: str = "Parallax") -> None:
        """Tell the user (non-modal box; tests watch `error_shown` / `last_error`)."""
        self.last_error = message
        self.window.statusBar().showMessage(message, 15000)
        if self.error_box is not None and shiboken6.isValid(self.error_box):
            self.error_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                          self.window)
        # Not WA_DeleteOnClose: a Python slot on `destroyed` can run during interpreter
        # shutdown, after the controller is gone.
        box.finished.connect(box.deleteLater)
        self.error_box = box
        box.open()
        self.error_shown.emit(message)

    # Opening, creating, copying -----------------------------------------------------------

    def open_project(self, path: str | Path, create: bool = False) -> bool:
        """Open (or with create=True make) a project and show its articles. On failure the
        current project stays open and the user is told why."""
        p = Path(path).expanduser()
        if create and not p.exists() and p.suffix != SUFFIX:
            p = p.with_name(p.name + SUFFIX)
        try:
            project = Project.open(p, create=create, articles=self.window.articles)
        except ProjectError as exc:
            self.show_error(str(exc), "Cannot Open Project")
            return False
        self._switch_to(project)
        if project.backup_path is not None:
            self.window.statusBar().showMessage(
                f"Upgraded {p.name} to this version's format; the original is kept as "
                f"{project.backup_path.name}", 15000)
        return True

    def new_project(self, path: str | Path) -> bool:
        """A new project file holding the articles now open (no annotations yet)."""
        p = Path(path)
        if p.suffix != SUFFIX:
            p = p.with_name(p.name + SUFFIX)
        if p.exists():
            self.show_error(f"“{p.name}” already exists; choose another name.", "New Project")
            return False
        return self.open_project(p, create=True)

    def _switch_to(self, project: Project) -> None:
        self.flush_edits()
        old = self.project
        if old is not None:
            self._save_layout()
            old.close()
        self.project = project
        self.undo_stack.clear()
        self._remember_recent(str(project.path.resolve()))
        # Reopened at the next start (the sample story stays in the Help and File menus).
        self.window.settings.setValue(LAST_PROJECT_KEY, str(project.path.resolve()))
        self.window.project_path = str(project.path)
        stored = project.articles()
        self._layout_pending = project.layout(LAYOUT_KEY) or None
        self._index_articles()
        if stored and [a.sha256 for a in stored] != [a.sha256 for a in self.window.articles]:
            # The project remembers its story: show it without the original files.
            self.window.set_articles(stored)
        else:
            self._sync_articles(self.window.articles)
            # Same story, no columns rebuilt: the project's layout applies now.
            self._apply_layout()
        self._reload()
        self.project_changed.emit(project)
        self._update_state()

    def _ensure_project(self) -> Project | None:
        """The open project, or a new autosave project in the user data folder."""
        if self.project is not None:
            return self.project
        folder = paths.user_data_dir()
        stem = f"Untitled-{date.today().isoformat()}"
        target = folder / f"{stem}{SUFFIX}"
        n = 2
        while target.exists():
            target = folder / f"{stem}-{n}{SUFFIX}"
            n += 1
        if not self.open_project(target, create=True):
            return None
        self.window.statusBar().showMessage(
            f"Annotations are saved as you go in {target} (File > Save a Copy As to keep "
            "them elsewhere)", 15000)
        return self.project

    def save_copy_as(self, path: str | Path) -> Path | None:
        if self.project is None:
            return None
        self.flush_edits()
        p = Path(path)
        if p.suffix != SUFFIX:
            p = p.with_name(p.name + SUFFIX)
        try:
            out = self.project.save_copy_as(p)
        except ProjectError as exc:
            self.show_error(str(exc), "Cannot Save a Copy")
            return None
        self._remember_recent(str(out.resolve()))
        self.window.statusBar().showMessage(f"Saved a copy as {out}", 8000)
        return out

    def close_project(self) -> None:
        if self.project is not None:
            self.flush_edits()
            self._save_layout()
            self.project.close()
            self.project = None
        self.undo_stack.clear()

    def put_story_away(self) -> None:
        """New Comparison / Close All: close the project (it keeps everything) so that the
        next story's annotations go to a project of their own."""
        self.close_project()
        self.window.project_path = None
        self.window.settings.setValue(LAST_PROJECT_KEY, "")
        self._index_articles()
        self.anchored = []
        self._refresh_view()
        self.project_changed.emit(None)
        self._update_state()

    def _ask_path(self, title: str, save: bool) -> str | None:
        start = str(self.window.settings.value("lastProjectDir", str(Path.home())))
        if save:
            path, _ = QFileDialog.getSaveFileName(self.window, title, start, FILE_FILTER)
        else:
            path, _ = QFileDialog.getOpenFileName(self.window, title, start, FILE_FILTER)
        if path:
            self.window.settings.setValue("lastProjectDir", str(Path(path).parent))
        return path or None

    def new_project_dialog(self) -> None:
        path = self._ask_path("New Project", save=True)
        if path:
            self.new_project(path)

    def open_project_dialog(self) -> None:
        path = self._ask_path("Open Project", save=False)
        if path:
            self.open_project(path)

    def save_copy_dialog(self) -> None:
        if self.project is not None:
            path = self._ask_path("Save a Copy As", save=True)
            if path:
                self.save_copy_as(path)

    def recent_projects(self) -> list[str]:
        value = self.window.settings.value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: str) -> None:
        items = [p for p in self.recent_projects() if p != path]
        self.window.settings.setValue(RECENT_KEY, [path, *items][:MAX_RECENT_PROJECTS])

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        items = self.recent_projects()
        for i, p in enumerate(items):
            act = menu.addAction(f"&{(i + 1) % 10}  {p}")
            act.triggered.connect(lambda _c=False, p=p: self.open_project(p))
        if not items:
            menu.addAction("No recent projects").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("&Clear Menu", lambda: self.window.settings.remove(RECENT_KEY))

    # Articles -----------------------------------------------------------------------------

    def _stored_article(self, p: Project, article: Article) -> Article:
        """The project's copy of a window article (same text), stored now if it is new."""
        stored = self._project_articles.get(article.sha256)
        if stored is None:
            p.add_articles([article])
            self._index_articles()
            stored = self._project_articles[article.sha256]
        return stored

    def _index_articles(self) -> None:
        p = self.project
        self._project_articles = (
            {a.sha256: a for a in p.articles(include_hidden=True)} if p else {}
        )
        self._anchorers = {}

    def _articles_changed(self, articles: list[Article]) -> None:
        if self.project is not None:
            self._sync_articles(articles)
            self._refresh_view()

    def _sync_articles(self, articles: Sequence[Article]) -> None:
        """Store articles new to the project; remember which are shown and in what order."""
        p = self.project
        if p is None or p.read_only:
            return
        try:
            new = [a for a in articles if a.sha256 not in self._project_articles]
            if new:
                p.add_articles(new)
                self._index_articles()
            shown = {a.sha256 for a in articles}
            for sha, stored in self._project_articles.items():
                hidden = sha not in shown
                if p.article_hidden(stored.id) != hidden:
                    p.set_article_hidden(stored.id, hidden)
            order = [self._project_articles[a.sha256].id for a in articles]
            if order and [a.id for a in p.articles()] != order:
                p.set_article_order(order)
        except ProjectError as exc:
            self.show_error(str(exc))

    def window_article_id(self, sha256: str) -> str | None:
        return next((a.id for a in self.window.articles if a.sha256 == sha256), None)

    def _project_article_sha(self, project_article_id: str | None) -> str | None:
        if project_article_id is None:
            return None
        return next(
            (sha for sha, a in self._project_articles.items() if a.id == project_article_id),
            None,
        )

    # Annotations: reading -----------------------------------------------------------------

    def _reload(self) -> None:
        """Re-anchor every annotation (opening a project, undo across many)."""
        p = self.project
        if p is None:
            self.anchored = []
        else:
            try:
                self.anchored = p.anchored()
                self.dock.set_tags(p.tags())
            except ProjectError as exc:
                self.anchored = []
                self.show_error(str(exc))
        self._refresh_view()

    def _anchor(self, a: Annotation) -> Anchored:
        """Place one annotation (as Project.anchored does, without re-reading the rest)."""
        article = self._project_articles.get(a.article_sha256) or next(
            (x for x in self._project_articles.values() if x.id == a.article_id), None
        )
        if article is None:
            return Anchored(a, None, None, None, ORPHAN)
        anchorer = self._anchorers.get(article.id)
        if anchorer is None:
            anchorer = self._anchorers[article.id] = Anchorer(article.text)
        hit = anchorer.anchor(a.selector)
        if hit is None:
            return Anchored(a, article.id, None, None, ORPHAN)
        return Anchored(a, article.id, hit.start, hit.end, hit.method)

    def after_change(self, records: Sequence[Annotation] | None) -> None:
        """Bring the list and underlines up to date with records just saved."""
        if records is None:
            self.conflicts_changed.emit()
            self._finding_selected(self.window.current_finding, quiet=True)
            return
        changed = {r.id: r for r in records}
        kept = [x for x in self.anchored if x.annotation.id not in changed]
        kept += [self._anchor(r) for r in changed.values() if r.deleted is None]
        self.anchored = kept
        self.anchored.sort(key=lambda x: (x.annotation.created, x.annotation.id))
        if self.project is not None:
            with contextlib.suppress(ProjectError):
                self.dock.set_tags(self.project.tags())
        self._refresh_view()

    def entries(self) -> list[Entry]:
        labels = article_labels(self.window.articles)
        by_sha = {a.sha256: a for a in self.window.articles}
        out = []
        for x in self.anchored:
            sha = self._project_article_sha(x.article_id) or x.annotation.article_sha256
            shown = by_sha.get(sha)
            if shown is not None:
                label = labels.get(shown.id, shown.id)
            else:
                stored = self._project_articles.get(sha)
                label = (stored.source or stored.name) if stored else "(article not in project)"
            out.append(Entry(x, shown.id if shown else None, sha, label))
        return out

    def _refresh_view(self) -> None:
        entries = self.entries()
        sources = [
            (label, a.sha256)
            for a, label in zip(
                self.window.articles, article_labels(self.window.articles).values(), strict=True
            )
        ]
        self.dock.show_entries(entries, sources)
        self._paint(entries)
        self.annotations_changed.emit()

    def _paint(self, entries: Sequence[Entry] | None = None) -> None:
        ranges = self.layer_ranges(entries if entries is not None else self.entries())
        if ranges:
            self.window.set_format_layer(LAYER, ranges)
        else:
            self.window.clear_format_layer(LAYER)

    def layer_ranges(self, entries: Sequence[Entry]) -> dict[str, list[tuple[int, int, Any]]]:
        dark = bool(getattr(self.window.theme, "dark", False))
        tag_colours: dict[str, str | None] = {}
        if self.project is not None:
            with contextlib.suppress(ProjectError):
                tag_colours = {t.name: t.colour for t in self.project.tags()}
        ranges: dict[str, list[tuple[int, int, Any]]] = {}
        for e in entries:
            x = e.anchored
            if e.window_article is None or x.start is None or x.end is None:
                continue
            a = x.annotation
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            first_tag = next((tag_colours[t] for t in a.tags if tag_colours.get(t)), None)
            line = QColor(UNDERLINE[dark])
            if first_tag and not dark:
                line = QColor(first_tag).darker(200)
            fmt.setUnderlineColor(line)
            if a.colour:
                # A chosen colour is a highlighter pen: it shows over the comparison colours.
                bg = QColor(a.colour)
                fmt.setBackground(bg.darker(250) if dark else bg)
            fmt.setToolTip(a.note or "Annotated passage")
            ranges.setdefault(e.window_article, []).append((x.start, x.end, fmt))
        return ranges

    def _columns_ready(self) -> None:
        # Columns built after the layer was set show no highlights until painted again.
        if LAYER in self.window.format_layers:
            self.window.repaint_highlights()
        self._apply_layout()

    # Annotations: changing ----------------------------------------------------------------

    def annotate_selection(self) -> Annotation | None:
        """Ctrl+M: annotate the passage selected in a column and open it in the dock."""
        w = self.window
        sel = w.current_selection()
        if sel is None:
            w.statusBar().showMessage("Select a passage in a column first, then press Ctrl+M",
                                      6000)
            return None
        window_id, start, end = sel
        article = next((a for a in w.articles if a.id == window_id), None)
        if article is None:
            return None
        # A selection dragged a little too far keeps its spaces and line breaks out.
        text = article.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            w.statusBar().showMessage("Select some words to annotate", 6000)
            return None
        p = self._ensure_project()
        if p is None:
            return None
        if p.read_only:
            self.show_error(f"“{p.path.name}” is open read-only; use Save a Copy As to annotate "
                            "a copy.")
            return None
        try:
            stored = self._stored_article(p, article)
            record = p.add_annotation(stored.id, start, end)
        except ProjectError as exc:
            self.show_error(str(exc))
            return None
        self.undo_stack.push(AddAnnotation(self, p, record))
        self.after_change([record])
        self.dock.edit_new(record.id)
        w.statusBar().showMessage(f"Annotated “{excerpt(record.exact, 60)}”", 4000)
        return record

    def update(self, annotation_id: str, *, note: str | None = None,
               tags: Sequence[str] | None = None, colour: str | None = None,
               clear_colour: bool = False) -> Annotation | None:
        p = self.project
        if p is None:
            return None
        try:
            before, after = p.update_annotation(annotation_id, note=note, tags=tags,
                                                colour=colour, clear_colour=clear_colour)
        except ProjectError as exc:
            self.show_error(str(exc))
            self._reload()
            return None
        note_only = note is not None and tags is None and colour is None and not clear_colour
        text = ("Edit Note" if note_only else "Change Tags" if tags is not None
                else "Change Colour")
        self.undo_stack.push(ChangeAnnotation(self, p, before, after, text, note_only))
        self.after_change([after])
        return after

    def add_tag(self, name: str) -> bool:
        p = self.project
        if p is None:
            return False
        try:
            p.add_tag(name)
            self.dock.set_tags(p.tags())
        except ProjectError as exc:
            self.show_error(str(exc))
            return False
        return True

    def delete(self, annotation_id: str) -> bool:
        p = self.project
        if p is None:
            return False
        try:
            record = p.delete_annotation(annotation_id)
            gone = p.annotation(annotation_id)
        except ProjectError as exc:
            self.show_error(str(exc))
            return False
        self.undo_stack.push(DeleteAnnotation(self, p, record))
        self.after_change([gone])
        return True

    def reattach(self, annotation_id: str) -> bool:
        """Attach an annotation (an orphan, usually) to the passage selected in a column."""
        p = self.project
        sel = self.window.current_selection()
        if p is None:
            return False
        if sel is None:
            self.window.statusBar().showMessage(
                "Select the passage in a column first, then choose Re-attach", 6000)
            return False
        window_id, start, end = sel
        article = next((a for a in self.window.articles if a.id == window_id), None)
        if article is None:
            return False
        try:
            stored = self._stored_article(p, article)
            before, after = p.reattach_annotation(annotation_id, start, end, stored.id)
        except ProjectError as exc:
            self.show_error(str(exc))
            return False
        self.undo_stack.push(ChangeAnnotation(self, p, before, after, "Re-attach Annotation"))
        self.after_change([after])
        return True

    def jump_to(self, annotation_id: str) -> None:
        entry = self.dock.model.entry(annotation_id)
        if entry is None:
            return
        x = entry.anchored
        if entry.window_article is None:
            self.window.statusBar().showMessage(
                "That article is not open in this window", 6000)
        elif x.start is None or x.end is None:
            self.window.statusBar().showMessage(
                "This annotation lost its passage: select it again and choose Re-attach", 6000)
        else:
            self.window.scroll_to_passage(entry.window_article, x.start, x.end)

    # Conflicts ----------------------------------------------------------------------------

    def conflict_key(self, finding: Finding) -> str:
        return finding_key(finding, self.window.articles)

    def conflict_status(self, finding: Finding) -> ConflictStatus | None:
        if self.project is None:
            return None
        try:
            return self.project.conflict_status(self.conflict_key(finding))
        except ProjectError:
            return None

    def decide_dialog(self) -> ConflictDialog | None:
        """Ctrl+Shift+M on the current conflict: a non-modal dialog; Save stores the decision."""
        f = self.window.current_finding
        if f is None or not f.is_conflict:
            self.window.statusBar().showMessage(
                "Select a conflict in the findings panel first", 6000)
            return None
        labels = article_labels(self.window.articles)
        by_id = {a.id: a for a in self.window.articles}
        sources = [(labels.get(aid, aid), by_id[aid].sha256) for aid in f.articles
                   if aid in by_id]
        if self.conflict_dialog is not None and shiboken6.isValid(self.conflict_dialog):
            self.conflict_dialog.close()
        dialog = ConflictDialog(f"{f.kind.capitalize()} conflict: {f.label}", sources,
                                self.conflict_status(f), self.window)
        dialog.edited.connect(lambda: self._decision_edited(f, dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.conflict_dialog = dialog
        dialog.open()
        return dialog

    def _decision_edited(self, finding: Finding, dialog: ConflictDialog) -> None:
        status, right, note = dialog.values()
        now = self.conflict_status(finding)
        saved = (now.status, now.right, now.note) if now is not None else (OPEN, None, "")
        if (status, right, note) != saved:
            self.decide(finding, status, right, note)

    def flush_edits(self) -> None:
        """Write every edit still being typed (annotation note, conflict decision note)."""
        self.dock.flush_note()
        if self.conflict_dialog is not None and shiboken6.isValid(self.conflict_dialog):
            self.conflict_dialog.flush()

    def decide(self, finding: Finding, status: str, right: str | None, note: str) -> bool:
        p = self._ensure_project()
        if p is None:
            return False
        key = self.conflict_key(finding)
        try:
            before = p.set_conflict_status(key, status, right, note, finding.kind, finding.label)
            after = p.conflict_status(key)
        except (ProjectError, ValueError) as exc:
            self.show_error(str(exc))
            return False
        assert after is not None
        self.undo_stack.push(SetConflictStatus(self, p, before, after))
        self.after_change(None)
        return True

    def describe_status(self, s: ConflictStatus) -> str:
        who = ""
        if s.right:
            labels = article_labels(self.window.articles)
            aid = self.window_article_id(s.right)
            name = labels.get(aid, aid) if aid else "a source no longer open"
            who = f" — {name} is right"
        note = f": {excerpt(s.note, 80)}" if s.note else ""
        return f"{'Resolved' if s.status == 'resolved' else 'Open'}{who}{note}"

    def _finding_selected(self, f: Finding | None, quiet: bool = False) -> None:
        self._update_state()
        if f is None or not f.is_conflict:
            return
        s = self.conflict_status(f)
        if s is not None and not quiet:
            bar = self.window.statusBar()
            current = bar.currentMessage()
            bar.showMessage(f"{current}   ·   Your decision: {self.describe_status(s)}"
                            if current else f"Your decision: {self.describe_status(s)}", 10000)

    # Layout -------------------------------------------------------------------------------

    def _layout_now(self) -> dict[str, Any]:
        w = self.window
        hidden = [c.article.sha256 for c in w.columns.columns
                  if c.article is not None and c.isHidden()]
        return {"zoom": w.zoom_steps, "hidden": hidden,
                "annotations_dock": self.dock.isVisible()}

    def _save_layout(self) -> None:
        p = self.project
        if p is None or p.read_only:
            return
        value = self._layout_now()
        with contextlib.suppress(ProjectError):
            if p.layout(LAYOUT_KEY) != value:
                p.set_layout(LAYOUT_KEY, value)

    def _apply_layout(self) -> None:
        value, self._layout_pending = self._layout_pending, None
        if not isinstance(value, dict):
            return
        w = self.window
        with contextlib.suppress(TypeError, ValueError):
            w.zoom(int(value.get("zoom", 0)) - w.zoom_steps)
        hidden = set(value.get("hidden") or ())
        for col in w.columns.columns:
            if col.article is not None and col.article.sha256 in hidden:
                w.set_column_hidden(col, True)
        if value.get("annotations_dock"):
            w.show_dock(self.dock)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close_project()
        return False
