"""The reader window: article columns, findings panel, facts table, and the actions around them.

Seams for features built in their own files (annotations, project files):
- `menus`: the menu bar's menus by key ("file", "edit", "view", "go", "help");
  `actions`: every action by key.
- `add_dock(dock, area)`: a dock that takes part in View > Panels and the saved layout.
- `current_selection()`: (article id, start, end) in code points, or None.
- `set_format_layer(name, ranges)` / `clear_format_layer(name)`: extra char formats (e.g.
  annotation underlines) painted over the highlights and kept across comparisons.
- `scroll_to_passage(article_id, start, end)`; signals `comparison_shown`, `finding_selected`,
  `articles_changed`, `story_closed` (New Comparison / Close All); `project_path` holds
  --project; `shown` is the comparison once painted in full; `title_note` is added to the
  story's name in the title (" (read-only)").
- `restore_layout()` places the window on its screen (remembered per screen, fitted to the
  available area) and its panels; call it once every dock is added.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QScreen,
    QShowEvent,
    QTextCharFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QToolTip,
    QWidget,
)

from app import APP_NAME, paths
from app.core.articles import (
    SUPPORTED_SUFFIXES,
    ArticleError,
    article_from_text,
    load_paths,
    renumber,
)
from app.core.model import Article, Comparison, Finding, Span
from app.ui import screenfit
from app.ui.attribution import (
    Claimants,
    copy_agency,
    is_conflict,
    is_copy,
    is_dispute,
    is_update,
)
from app.ui.dialogs.about import AboutDialog
from app.ui.dialogs.paste import PasteDialog
from app.ui.highlights import HighlightPlan, article_labels, short_label
from app.ui.models.facts import FIRST_SOURCE_COL
from app.ui.models.findings import SEVERITY_WORDS, excerpt
from app.ui.tasks import (
    SliceQueue,
    TaskRunner,
    clear_parse_cache_task,
    compare_task,
    default_task_mode,
    load_paths_task,
    warm_up_task,
)
from app.ui.theme import Theme, article_colour
from app.ui.widgets.article_view import ArticleView, FormatRange
from app.ui.widgets.columns import ArticleColumn, ColumnsArea
from app.ui.widgets.legend import Legend
from app.ui.widgets.panels import FactsTable, FindingsPanel
from app.ui.widgets.statusbar import StatusBar

MAX_RECENT = 10
ZOOM_LIMIT = 8
KIND_NAMES = {
    "match": "matches",
    "unique": "only in one source",
    "number": "figures",
    "quote": "quotes",
    "name": "names",
    "date": "dates",
    "copy": "agency copy",
}


def app_icon() -> QIcon:
    icon = QIcon()
    for name in ("parallax.svg", "parallax.png"):
        p = paths.resource("icons", name)
        if p.exists():
            icon.addFile(str(p))
    return icon


def default_settings() -> QSettings:
    """Settings in the user data folder (PARALLAX_DATA_DIR in tests), never the registry."""
    return QSettings(str(paths.user_data_dir() / "parallax.ini"), QSettings.Format.IniFormat)


# ms after a GUI slice whose result Qt paints before the next one (one frame; >= 10 ms lets
# the event loop serve input and timers between that paint and the next slice).
PAINT_PAUSE_MS = 16

class MainWindow(QMainWindow):
    comparison_shown = Signal(object)  # Comparison, after highlights are painted
    comparison_failed = Signal(str)
    finding_selected = Signal(object)  # Finding | None
    articles_changed = Signal(list)  # list[Article]
    columns_ready = Signal()  # every article has its column (built in slices)
    articles_loaded = Signal(list)  # list[Article] read by open_paths_in_background
    story_closed = Signal()  # New Comparison / Close All: the articles are about to go
    parse_cache_cleared = Signal(int, int)  # entries, bytes deleted (Edit > Clear Parse Cache)

    def __init__(
        self,
        runner: TaskRunner | None = None,
        settings: QSettings | None = None,
        project: str | None = None,
        restore_layout: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.project_path = project
        self.settings = settings if settings is not None else default_settings()
        self.runner = runner if runner is not None else TaskRunner(default_task_mode(), self)
        if self.runner.parent() is None:
            self.runner.setParent(self)
        self.articles: list[Article] = []
        self.comparison: Comparison | None = None
        # The comparison whose highlights, findings and facts are all painted (what a reader
        # sees); None while one is being shown or none is.
        self.shown: Comparison | None = None
        self.plan: HighlightPlan | None = None
        self.theme = Theme.system()
        self.current_finding: Finding | None = None
        self.format_layers: dict[str, dict[str, list[FormatRange]]] = {}
        self.load_errors: list[ArticleError] = []
        self._loader: TaskRunner | None = None  # reads files off the GUI thread (made on use)
        # Work to start once the window has been painted (`after_first_paint`).
        self._after_paint: list[Callable[[], object]] | None = []
        self.installEventFilter(self)
        self._loading: dict[int, tuple[list[str | Path], bool]] = {}
        self.menus: dict[str, QMenu] = {}
        self.actions: dict[str, QAction] = {}
        self._job: int | None = None
        self._job_started = 0.0
        self._clear_cache_job: int | None = None
        self._current_column: ArticleColumn | None = None
        self._syncing = False
        self._hidden_keys: set[str] = set()
        self.zoom_steps = 0
        self._slices = SliceQueue(parent=self)
        self.title_note = ""
        # Where each dock belongs when the saved layout does not place it (or puts it wrong).
        self._dock_homes: dict[QDockWidget, Qt.DockWidgetArea] = {}
        self._fit_screen = False  # set by restore_layout: the app's window, not a test's
        self.open_question: QMessageBox | None = None

        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )
        self.columns = ColumnsArea()
        self.setCentralWidget(self.columns)
        self.setStatusBar(StatusBar(self))
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_statusbar()
        self._connect_runner()
        # Remembered across sessions at once (not with the layout: a test's window too).
        self.actions["hide_copy"].setChecked(
            str(self.settings.value("view/hideCopy", "false")).lower() == "true")
        self.update_title()
        self._update_enabled()
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)
        if restore_layout:
            self.restore_layout()
        if self.runner.mode == "process" and runner is None:
            # Start the worker and load the language model while the reader looks at the
            # window; the first comparison queues behind this.
            QTimer.singleShot(0, lambda: self.runner.submit(warm_up_task))

    # Construction -------------------------------------------------------------------------

    def _build_docks(self) -> None:
        self.findings_panel = FindingsPanel()
        self.findings_dock = QDockWidget("Findings", self)
        self.findings_dock.setObjectName("findingsDock")
        self.findings_dock.setWidget(self.findings_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.findings_dock)
        self.facts_table = FactsTable()
        self.facts_dock = QDockWidget("Facts", self)
        self.facts_dock.setObjectName("factsDock")
        self.facts_dock.setWidget(self.facts_table)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.facts_dock)
        self._dock_homes[self.findings_dock] = Qt.DockWidgetArea.LeftDockWidgetArea
        self._dock_homes[self.facts_dock] = Qt.DockWidgetArea.BottomDockWidgetArea
        self.resizeDocks([self.findings_dock], [370], Qt.Orientation.Horizontal)
        self.resizeDocks([self.facts_dock], [210], Qt.Orientation.Vertical)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.findings_panel.finding_activated.connect(
            lambda f: self.select_finding(f.id, origin="panel")
        )
        self.facts_table.cell_activated.connect(self._fact_cell_activated)
        self.findings_panel.model.set_theme(self.theme)
        self.facts_table.facts_model.set_theme(self.theme)

    def _action(
        self,
        key: str,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | Sequence[object] | None = None,
        tip: str | None = None,
        checkable: bool = False,
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list | tuple):
                act.setShortcuts([QKeySequence(s) for s in shortcut])  # type: ignore[arg-type]
            else:
                act.setShortcut(QKeySequence(shortcut))  # type: ignore[arg-type]
        if tip:
            act.setStatusTip(tip)
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{tip} ({keys})" if keys else tip)
        act.setCheckable(checkable)
        if checkable:
            act.toggled.connect(slot)  # type: ignore[arg-type]
        else:
            act.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.addAction(act)
        self.actions[key] = act
        return act

    def _build_actions(self) -> None:
        a = self._action
        a("new_comparison", "New &Comparison…", self.new_comparison, "Ctrl+N",
          "Put the articles away and choose the files of another story")
        a("open", "&Open Articles…", self.open_dialog, QKeySequence.StandardKey.Open,
          "Open article files: add them to this comparison or start a new one")
        a("paste", "&Paste Article…", self.paste_dialog, "Ctrl+Shift+V",
          "Paste an article's text as a new source")
        a("remove", "Re&move Article", self.remove_current_article, "Ctrl+Shift+W",
          "Remove the current column's article from the comparison")
        a("close_all", "C&lose All Articles", self.close_all, None,
          "Put every article away (the project file keeps them)")
        a("recompare", "Compare &Again", self.start_comparison, "F5", "Run the comparison again")
        a("cancel", "Cancel Compar&ison", self.cancel_comparison, "Esc",
          "Stop the comparison that is running")
        # Ctrl+Q spelled out: the Quit standard key is empty on some Linux desktops.
        a("quit", "&Quit", self.close, "Ctrl+Q")
        a("filter", "&Filter Findings", self.focus_filter, QKeySequence.StandardKey.Find,
          "Filter the findings panel")
        a("copy_passage", "&Copy Finding Passages", self.copy_current_finding, "Ctrl+Shift+C",
          "Copy every source's version of the current finding")
        a("zoom_in", "Zoom &In", lambda: self.zoom(1), ["Ctrl++", "Ctrl+="], "Larger text")
        a("zoom_out", "Zoom &Out", lambda: self.zoom(-1), "Ctrl+-", "Smaller text")
        a("zoom_reset", "&Actual Size", lambda: self.zoom(-self.zoom_steps), "Ctrl+0")
        a("scroll_lock", "Scroll &Lock", self.set_scroll_lock, "Ctrl+L",
          "Keep matched passages level across columns while scrolling", checkable=True)
        a("hide_copy", "Hide A&gency Copy", self.set_copy_hidden, None,
          "Hide the grey margin bars beside text several articles copy from one agency story",
          checkable=True)
        a("move_left", "Move Column L&eft", lambda: self._move_current(-1), "Ctrl+Shift+PgUp")
        a("move_right", "Move Column &Right", lambda: self._move_current(1), "Ctrl+Shift+PgDown")
        a("hide_column", "&Hide Column", self._hide_current, "Ctrl+Shift+H")
        a("show_columns", "&Show All Columns", self.show_all_columns, "Ctrl+Shift+J")
        a("next", "&Next Finding", lambda: self.step_finding(1), "F8", "Go to the next finding")
        a("previous", "&Previous Finding", lambda: self.step_finding(-1), "Shift+F8",
          "Go to the previous finding")
        a("next_conflict", "Next &Conflict", lambda: self.step_finding(1, conflicts=True),
          "Ctrl+F8", "Go to the next conflict")
        a("previous_conflict", "Previous C&onflict",
          lambda: self.step_finding(-1, conflicts=True), "Ctrl+Shift+F8",
          "Go to the previous conflict")
        a("next_pane", "Next Pan&e", lambda: self.cycle_focus(1), "F6")
        a("previous_pane", "Previous P&ane", lambda: self.cycle_focus(-1), "Shift+F6")
        a("guide", "&Getting Started", self.show_guide, "F1",
          "What the colours mean, how to annotate, how to compare your own articles")
        a("shortcuts", "&Keyboard Shortcuts", self.show_shortcuts, "Ctrl+/",
          "Every keyboard shortcut")
        a("sample", "Open the &Sample Story", self.open_sample_story, None,
          "Five reports of one event, to try Parallax on")
        a("clear_parse_cache", "Clear &Parse Cache", self.clear_parse_cache, None,
          "Delete the parsed articles and comparisons kept to make comparisons fast (made "
          "again when needed)")
        a("about", "&About Parallax", self.about)
        a("about_qt", "About &Qt", QApplication.aboutQt)
        self.actions["cancel"].setEnabled(False)
        self.actions["cancel"].setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        f = self.menus["file"] = bar.addMenu("&File")
        f.addAction(self.actions["new_comparison"])
        f.addAction(self.actions["open"])
        self.recent_menu = f.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.menus["recent"] = self.recent_menu
        f.addAction(self.actions["paste"])
        f.addAction(self.actions["sample"])
        f.addAction(self.actions["remove"])
        f.addAction(self.actions["close_all"])
        f.addSeparator()
        f.addAction(self.actions["recompare"])
        f.addAction(self.actions["cancel"])
        f.addSeparator()
        f.addAction(self.actions["quit"])
        e = self.menus["edit"] = bar.addMenu("&Edit")
        e.addAction(self.actions["copy_passage"])
        e.addAction(self.actions["filter"])
        e.addSeparator()
        e.addAction(self.actions["clear_parse_cache"])
        v = self.menus["view"] = bar.addMenu("&View")
        v.addAction(self.actions["zoom_in"])
        v.addAction(self.actions["zoom_out"])
        v.addAction(self.actions["zoom_reset"])
        v.addSeparator()
        v.addAction(self.actions["scroll_lock"])
        v.addAction(self.actions["hide_copy"])
        self.columns_menu = v.addMenu("&Columns")
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        self.menus["columns"] = self.columns_menu
        v.addAction(self.actions["move_left"])
        v.addAction(self.actions["move_right"])
        v.addAction(self.actions["hide_column"])
        v.addAction(self.actions["show_columns"])
        v.addSeparator()
        self.panels_menu = v.addMenu("&Panels")
        self.menus["panels"] = self.panels_menu
        docks = ((self.findings_dock, "Ctrl+Shift+1"), (self.facts_dock, "Ctrl+Shift+2"))
        for dock, shortcut in docks:
            act = dock.toggleViewAction()
            act.setShortcut(QKeySequence(shortcut))
            self.panels_menu.addAction(act)
        g = self.menus["go"] = bar.addMenu("&Go")
        for key in ("next", "previous", "next_conflict", "previous_conflict"):
            g.addAction(self.actions[key])
        g.addSeparator()
        g.addAction(self.actions["next_pane"])
        g.addAction(self.actions["previous_pane"])
        h = self.menus["help"] = bar.addMenu("&Help")
        h.addAction(self.actions["guide"])
        h.addAction(self.actions["shortcuts"])
        h.addAction(self.actions["sample"])
        h.addSeparator()
        h.addAction(self.actions["about"])
        h.addAction(self.actions["about_qt"])

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main toolbar", self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for key in ("open", "paste"):
            tb.addAction(self.actions[key])
        tb.addSeparator()
        for key in ("previous", "next", "previous_conflict", "next_conflict"):
            tb.addAction(self.actions[key])
        tb.addSeparator()
        tb.addAction(self.actions["scroll_lock"])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        self.legend = Legend()
        tb.addWidget(self.legend)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb
        self.panels_menu.addAction(tb.toggleViewAction())

    def _build_statusbar(self) -> None:
        sb = self.statusBar()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFixedWidth(220)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Comparison progress")
        self.cancel_button = QToolButton()
        # Not the action as default action: the button would take the menu's long text
        # ("Cancel Comparison") whenever the action changes.
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop the comparison that is running (Esc)")
        self.cancel_button.clicked.connect(self.actions["cancel"].trigger)
        sb.addPermanentWidget(self.counts_label)
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

    def _connect_runner(self) -> None:
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.finished.connect(self._on_parse_cache_cleared)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)

    # Seams ---------------------------------------------------------------------------------

    def add_dock(
        self, dock: QDockWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        shortcut: str | None = None,
    ) -> None:
        """Add a dock that shows up in View > Panels and is saved with the layout
        (give it an objectName)."""
        if not dock.objectName():
            dock.setObjectName(dock.windowTitle().replace(" ", "") + "Dock")
        self.addDockWidget(area, dock)
        self._dock_homes[dock] = area
        act = dock.toggleViewAction()
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        self.panels_menu.addAction(act)

    def current_selection(self) -> tuple[str, int, int] | None:
        """The text selected in the current column: (article id, start, end) in code points."""
        for col in self._column_candidates():
            rng = col.view.selected_range()
            if rng is not None and col.article is not None:
                return col.article.id, rng[0], rng[1]
        return None

    def set_format_layer(self, name: str, ranges: dict[str, list[FormatRange]]) -> None:
        """Extra char formats per article id, painted over the highlights until cleared."""
        self.format_layers[name] = {k: list(v) for k, v in ranges.items()}
        self.repaint_highlights()

    def clear_format_layer(self, name: str) -> None:
        if self.format_layers.pop(name, None) is not None:
            self.repaint_highlights()

    def column_for(self, article_id: str) -> ArticleColumn | None:
        return next((c for c in self.columns.columns if c.article_id == article_id), None)

    def scroll_to_passage(self, article_id: str, start: int, end: int, flash: bool = True) -> None:
        col = self.column_for(article_id)
        if col is None:
            return
        if col.isHidden():
            self.columns.set_column_visible(col, True)
        self.columns.ensureWidgetVisible(col, 0, 0)
        col.view.scroll_to_span(start, end)
        col.view.set_current([(start, end)], flash=flash)

    # Loading articles ----------------------------------------------------------------------

    def open_paths(self, raw_paths: Sequence[str | Path], new: bool = False) -> list[Article]:
        """Load files and folders and add them to the comparison (new=True: in place of the
        articles shown, as a new comparison). Returns the articles read."""
        articles, errors = load_paths(list(raw_paths))
        return self._paths_loaded(raw_paths, articles, errors, new)

    def open_paths_in_background(self, raw_paths: Sequence[str | Path], new: bool = False) -> int:
        """As open_paths, reading the files on a worker thread (a long PDF takes a while);
        `articles_loaded` is emitted with the new articles. Returns the job id."""
        if self._loader is None:
            self._loader = TaskRunner("thread", self)
            self._loader.finished.connect(self._background_loaded)
            self._loader.failed.connect(
                lambda _job, msg: self.statusBar().showMessage(f"Could not read: {msg}", 15000)
            )
        self.statusBar().showMessage("Reading files…")
        job = self._loader.submit(load_paths_task, list(raw_paths))
        self._loading[job] = (list(raw_paths), new)
        return job

    def _background_loaded(self, job: int, result: object) -> None:
        raw_paths, new = self._loading.pop(job, ([], False))
        articles, errors = cast("tuple[list[Article], list[ArticleError]]", result)
        self.articles_loaded.emit(self._paths_loaded(raw_paths, articles, errors, new))

    def _paths_loaded(
        self, raw_paths: Sequence[str | Path], articles: list[Article],
        errors: list[ArticleError], new: bool = False,
    ) -> list[Article]:
        self.load_errors = list(errors)
        for p in raw_paths:
            if Path(p).exists():
                self._remember_recent(str(Path(p).resolve()))
        if errors:
            msg = "; ".join(str(e) for e in errors[:3])
            more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
            self.statusBar().showMessage(f"Could not read: {msg}{more}", 15000)
        if articles and new:
            self.close_all()
            self.set_articles(articles)
        elif articles:
            self.add_articles(articles)
        return articles

    def open_asking(self, raw_paths: Sequence[str | Path]) -> None:
        """Open files the reader chose (dialog, drop, recent): with a story already shown, ask
        first whether they join it or start a new comparison (two stories side by side
        would make up conflicts between them)."""
        if not self.articles:
            self.open_paths_in_background(raw_paths)
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Open Articles",
                          "Add these articles to the comparison shown, or start a new "
                          "comparison with only them?", parent=self)
        names = [Path(p).name for p in raw_paths]
        box.setInformativeText(", ".join(names[:4]) + (f" and {len(names) - 4} more"
                                                        if len(names) > 4 else ""))
        new = box.addButton("&New Comparison", QMessageBox.ButtonRole.AcceptRole)
        add = box.addButton("&Add to This One", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(new)
        self.open_question = box

        def answered() -> None:
            chosen = box.clickedButton()
            self.open_question = None
            box.deleteLater()
            if chosen is new:
                self.open_paths_in_background(raw_paths, new=True)
            elif chosen is add:
                self.open_paths_in_background(raw_paths)

        box.finished.connect(answered)
        box.open()

    def new_comparison(self) -> None:
        """File > New Comparison: put the story away, then choose the files of the next one."""
        self.close_all()
        self.open_dialog()

    def close_all(self) -> None:
        """File > Close All Articles: an empty window. The project (if any) is closed first
        and keeps everything; the next annotation starts a new one."""
        if not self.articles and self.comparison is None:
            return
        self.story_closed.emit()
        self._hidden_keys.clear()
        self.set_articles([])
        self.statusBar().showMessage("All articles closed: open others with Ctrl+O", 6000)

    def open_sample_story(self) -> None:
        """The bundled sample story, as a new comparison (one click away, always)."""
        self.open_paths([paths.seeds_dir()], new=True)

    def add_articles(self, articles: Sequence[Article]) -> None:
        self.set_articles([*self.articles, *articles])

    def add_pasted(self, text: str, title: str | None = None, source: str | None = None) -> Article:
        n = len(self.articles)
        article = article_from_text(
            text, article_id=f"a{n}", name=title or source or f"Pasted article {n + 1}",
            title=title, source=source,
        )
        self.add_articles([article])
        return article

    def remove_article(self, article_id: str) -> None:
        self.set_articles([a for a in self.articles if a.id != article_id])

    def set_articles(self, articles: Sequence[Article]) -> None:
        """Show these articles at once (plain text) and compare them in the background."""
        self._slices.clear()
        self.articles = renumber(articles)
        self.comparison = None
        self.shown = None
        self.plan = None
        self.current_finding = None
        self._rebuild_columns()
        self.findings_panel.model.set_comparison(None)
        self.facts_table.facts_model.set_comparison(None)
        self.update_title()
        self._update_counts()
        self.articles_changed.emit(list(self.articles))
        if len(self.articles) >= 1:
            self.start_comparison()
        else:
            self.cancel_comparison()
            self._update_legend()
        self._update_enabled()

    def _article_key(self, a: Article) -> str:
        return f"{a.sha256}:{a.name}"

    def _rebuild_columns(self) -> None:
        """Columns for the current articles, one per GUI-thread slice (a column costs ~10 ms;
        twenty at once would freeze the window). Texts are laid out after every column has its
        place and width: a column added beside laid-out texts makes all of them lay out again
        at their new widths, a cost that grew with every column."""
        # Matched by text, not id: ids are renumbered when an article is removed, and the
        # columns after it are worth keeping (their text laid out, their highlights painted).
        old: dict[str, list[ArticleColumn]] = {}
        for c in self.columns.columns:
            if c.article is not None:
                old.setdefault(c.article.text, []).append(c)
        keep: list[ArticleColumn | None] = [
            old[a.text].pop(0) if old.get(a.text) else None for a in self.articles]
        self.columns.set_columns([c for c in keep if c is not None])
        cols: list[ArticleColumn] = []
        # A new column, and the columns' final places, make Qt repaint the whole row of columns
        # (30 ms with twenty): the pause after them lets input and timers in before the next.
        for i, a in enumerate(self.articles):
            self._slices.add(lambda i=i, a=a, c=keep[i]: self._build_column(i, a, c, cols),
                             pause_ms=PAINT_PAUSE_MS if keep[i] is None else 0)
        self._slices.add(lambda: self._columns_placed(cols), pause_ms=PAINT_PAUSE_MS)
        for i in range(len(self.articles)):
            # (A kept column's text is laid out already: nothing for Qt to paint after it.)
            self._slices.add(lambda i=i: self._fill_column(cols[i]),
                             pause_ms=PAINT_PAUSE_MS if keep[i] is None else 0)
        self._slices.add(lambda: self._columns_built(cols))

    def _build_column(
        self, i: int, a: Article, col: ArticleColumn | None, cols: list[ArticleColumn]
    ) -> None:
        if col is None:
            col = ArticleColumn()
            col.view.setAcceptDrops(False)
            col.move_requested.connect(lambda c, d: self.columns.move_column(c, d))
            col.hide_requested.connect(lambda c: self.set_column_hidden(c, True))
            col.remove_requested.connect(lambda c: self.remove_article(c.article_id))
            col.view.passage_clicked.connect(
                lambda off, c=col: self._passage_clicked(c, off)
            )
            col.view.tooltip_requested.connect(
                lambda off, pos, c=col: self._show_tooltip(c, off, pos)
            )
            col.view.verticalScrollBar().valueChanged.connect(
                lambda _v, c=col: self._column_scrolled(c)
            )
        col.set_article(a, i, article_colour(i), text=False)
        cols.append(col)
        # Into the splitter before any show: a parentless column would open as its own window.
        self.columns.place_column(i, col)
        col.setVisible(self._article_key(a) not in self._hidden_keys)

    def _columns_placed(self, cols: list[ArticleColumn]) -> None:
        self.columns.set_columns(cols)
        self.columns.equalise()
        if self._current_column not in cols:
            self._current_column = None

    def _fill_column(self, col: ArticleColumn) -> None:
        """A column's text (a no-op for a kept column), laid out at its final width."""
        if col.article is not None:
            col.view.set_article(col.article)
            self._apply_zoom(col.view)

    def _columns_built(self, cols: list[ArticleColumn]) -> None:
        self.columns_ready.emit()

    # Comparison ----------------------------------------------------------------------------

    def start_comparison(self) -> None:
        if not self.articles:
            return
        if self._job is not None:
            self.runner.cancel(self._job)
        self._job_started = time.perf_counter()
        self._job = self.runner.submit(compare_task, list(self.articles))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.actions["cancel"].setEnabled(True)
        self.statusBar().showMessage(f"Comparing {len(self.articles)} articles…")

    def cancel_comparison(self) -> None:
        if self._job is not None:
            self.runner.cancel(self._job)
            self.statusBar().showMessage("Cancelling…")

    @property
    def comparing(self) -> bool:
        return self._job is not None

    def _end_job(self) -> None:
        self._job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.actions["cancel"].setEnabled(False)

    def _on_progress(self, job: int, fraction: float, message: str) -> None:
        if job == self._job:
            self.progress.setValue(int(fraction * 1000))
            self.statusBar().showMessage(message)

    def _on_finished(self, job: int, comparison: Comparison) -> None:
        if job != self._job:
            return
        self._end_job()
        took = time.perf_counter() - self._job_started
        self.show_comparison(comparison)
        self.statusBar().showMessage(
            f"Compared {len(comparison.articles)} articles in {took:.1f} s"
            + (f" — {comparison.warnings[0]}" if comparison.warnings else ""), 8000
        )

    def _on_failed(self, job: int, message: str) -> None:
        if job != self._job:
            return
        self._end_job()
        self.statusBar().showMessage(f"The comparison failed: {message}")
        self.comparison_failed.emit(message)

    def _on_cancelled(self, job: int) -> None:
        if job != self._job:
            return
        self._end_job()
        self.statusBar().showMessage("Comparison cancelled (F5 compares again)", 8000)

    def show_comparison(self, comparison: Comparison) -> None:
        """Show a finished comparison: highlights column by column, then the panel, the facts
        and the counts, in GUI slices; `comparison_shown` is emitted when all is painted."""
        if [a.id for a in comparison.articles] != [a.id for a in self.articles]:
            return  # articles changed since this comparison started
        self.comparison = comparison
        self.shown = None
        self.plan = HighlightPlan(comparison)
        self.current_finding = None
        # Queued behind any column still being built.
        self._slices.add(lambda: self._show_in_slices(comparison))

    def _show_in_slices(self, comparison: Comparison) -> None:
        def current() -> bool:
            return self.comparison is comparison

        for col in self.columns.columns:
            self._slices.add(lambda c=col: current() and self._paint_column(c))
        # A panel's first paint after new contents is long: Qt paints it, and handles input,
        # in the pause after its slice.
        self._slices.add(lambda: current() and self.findings_panel.show_comparison(
            comparison, paint=False), pause_ms=PAINT_PAUSE_MS)
        self._slices.add(lambda: current() and self.facts_table.show_comparison(
            comparison, fit=False), pause_ms=PAINT_PAUSE_MS)
        # The facts table's cells measured a few columns at a time, then the columns sized.
        for first in range(0, len(comparison.articles) + FIRST_SOURCE_COL, 4):
            self._slices.add(lambda r=range(first, first + 4): current() and (
                self.facts_table.measure_columns(r)))
        self._slices.add(lambda: current() and self.facts_table.fit(), pause_ms=PAINT_PAUSE_MS)
        self._slices.add(lambda: current() and self._comparison_painted(comparison))

    def _comparison_painted(self, comparison: Comparison) -> None:
        self._update_legend()
        self._update_counts()
        self._update_enabled()
        self.shown = comparison
        self.comparison_shown.emit(comparison)

    @property
    def copy_hidden(self) -> bool:
        return self.actions["hide_copy"].isChecked()

    def set_copy_hidden(self, hidden: bool) -> None:
        """View > Hide Agency Copy: the copy bars off (or on), remembered."""
        self.settings.setValue("view/hideCopy", hidden)
        self.repaint_highlights()
        self._update_legend()

    def _paint_column(self, col: ArticleColumn) -> None:
        plan = self.plan
        aid = col.article_id
        extra = [r for layer in self.format_layers.values() for r in layer.get(aid, ())]
        marks = plan.marks.get(aid, []) if plan else []
        if plan is not None and not self.copy_hidden and plan.copies.get(aid):
            marks = [*plan.copies[aid], *marks]
        bar = col.view.verticalScrollBar()
        keep = bar.value()
        col.view.apply_highlights(marks, plan.total if plan else 0, self.theme, extra)
        bar.setValue(keep)
        if col.isVisible():
            # Paint now, inside this slice, rather than all columns in one later burst.
            col.view.viewport().repaint()

    def repaint_highlights(self) -> None:
        """Repaint every column's highlights now (theme or format layers changed)."""
        for col in self.columns.columns:
            self._paint_column(col)

    # Findings and navigation ---------------------------------------------------------------

    def finding(self, finding_id: str) -> Finding | None:
        return self.plan.findings.get(finding_id) if self.plan else None

    def select_finding(
        self, finding_id: str | None, origin: str = "api", flash: bool = True
    ) -> None:
        """Make a finding current: panel row selected, every involved column scrolled to it."""
        f = self.finding(finding_id) if finding_id else None
        self.current_finding = f
        if origin != "panel":
            self.findings_panel.select_finding(f.id if f else None)
        if origin != "facts":
            self.facts_table.select_fact_for(f.id if f else None)
        for col in self.columns.columns:
            spans = [(s.start, s.end) for s in f.spans if s.article == col.article_id] if f else []
            col.view.set_current(spans, flash=flash)
            if spans and not col.isHidden():
                col.view.scroll_to_span(*spans[0])
        if f is not None:
            first = next((c for c in self.columns.visible_columns()
                          if any(s.article == c.article_id for s in f.spans)), None)
            if first is not None:
                self.columns.ensureWidgetVisible(first, 0, 0)
            self.statusBar().showMessage(self._describe(f), 10000)
        self.finding_selected.emit(f)

    def step_finding(self, step: int, conflicts: bool = False) -> None:
        order = self.findings_panel.model.visible_findings()
        if conflicts:
            order = [f for f in order if is_conflict(f)]
        if not order:
            self.statusBar().showMessage(
                "No conflicts found" if conflicts else "No findings to go to", 4000
            )
            return
        ids = [f.id for f in order]
        cur = self.current_finding.id if self.current_finding else None
        if cur in ids:
            i = (ids.index(cur) + step) % len(ids)
        elif cur is not None and self.current_finding is not None:
            # Keep the walk in panel order even from a finding outside this list.
            full = [f.id for f in self.findings_panel.model.visible_findings()]
            pos = full.index(cur) if cur in full else -1
            after = [j for j, fid in enumerate(ids) if full.index(fid) > pos]
            i = (after[0] if after else 0) if step > 0 else (
                [j for j, fid in enumerate(ids) if full.index(fid) < pos] or [len(ids) - 1])[-1]
        else:
            i = 0 if step > 0 else len(ids) - 1
        self.select_finding(ids[i], origin="nav")

    def _passage_clicked(self, col: ArticleColumn, offset: int) -> None:
        self._current_column = col
        if self.plan is None:
            return
        hits = self.plan.findings_at(col.article_id, offset, copies=not self.copy_hidden)
        if hits:
            self.select_finding(hits[0].id, origin="click")

    def _fact_cell_activated(self, span: Span | None, finding_id: str | None) -> None:
        if finding_id:
            self.select_finding(finding_id, origin="facts", flash=span is None)
        if span is not None:
            self.scroll_to_passage(span.article, span.start, span.end)

    def _describe(self, f: Finding) -> str:
        labels = article_labels(self.articles)
        names = ", ".join(labels.get(a, a) for a in f.articles)
        if is_update(f):
            return f"Updated figure (not a conflict): {f.label}"
        if is_dispute(f):
            return f"Dispute reported in one source: {f.label}"
        if is_copy(f):
            return f"Agency copy (one text, not independent confirmation): {f.label}"
        if f.is_conflict:
            sev = SEVERITY_WORDS.get(f.severity or "", "")
            return f"{f.kind.capitalize()} conflict{f' ({sev})' if sev else ''}: {f.label}"
        if f.kind == "match":
            return f"{len(f.articles)} sources agree: {names}"
        return f"Only in {names}"

    def _show_tooltip(self, col: ArticleColumn, offset: int, pos: QPoint) -> None:
        if self.plan is None:
            return
        hits = self.plan.findings_at(col.article_id, offset, copies=False)
        copies = [] if self.copy_hidden else self.plan.copy_findings_at(col.article_id, offset)
        if not hits and not copies:
            QToolTip.hideText()
            return
        QToolTip.showText(pos, self.tooltip_html(col.article_id, offset, hits, copies),
                          col.view.viewport())

    def tooltip_html(self, article_id: str, offset: int, hits: Sequence[Finding],
                     copies: Sequence[Finding]) -> str:
        """What hovering a passage says: each finding there with the other sources' wording
        and who gives each figure, then the articles this text is copied in."""
        labels = article_labels(self.articles)
        claimants = self.plan.claimants if self.plan else Claimants()
        parts = []
        for f in hits[:2]:
            if is_update(f):
                head = "<b>Updated figure</b> (the same claimant, not a conflict)"
            elif is_dispute(f):
                head = "<b>Dispute reported in this source</b>"
            elif f.is_conflict:
                head = f"<b>{f.kind.capitalize()} conflict</b>"
            elif f.kind == "match":
                head = f"<b>{len(f.articles)} sources agree</b>"
            else:
                head = "<b>Only in this source</b>"
            here = next((sp for sp in f.spans if sp.article == article_id
                         and sp.start <= offset < sp.end), None)
            if here is not None and (here.claimant or here.superseded):
                head += f"<br><i>Here: {_esc('; '.join(_span_notes(claimants, here)))}</i>"
            # One row per other source: a source that says it in several places is named
            # once, with its passages joined, not listed once per passage. A dispute is all in
            # this source: its other claimant's figure is listed.
            by_source: dict[str, list[Span]] = {}
            for sp in f.spans:
                if sp.article != article_id or (is_dispute(f) and sp is not here):
                    by_source.setdefault(sp.article, []).append(sp)
            rows = [
                f"<p style='margin:4px 0'><b>{_esc(labels.get(aid, aid))}:</b> "
                + " <i>…</i> ".join(_esc(excerpt(sp.text, 240 // len(spans[:2])))
                                     + _span_note(claimants, sp) for sp in spans[:2])
                + (f" <i>(and {len(spans) - 2} more)</i>" if len(spans) > 2 else "")
                + "</p>"
                for aid, spans in list(by_source.items())[:6]
            ]
            parts.append(head + "".join(rows))
        if copies:
            agencies = sorted({a for f in copies if (a := copy_agency(f))})
            agency = f" ({', '.join(agencies)})" if agencies else ""
            others = [(a, f) for f in copies for a in f.articles if a != article_id]
            shares = ", ".join(f"{_esc(labels.get(a, a))} ({round(100 * f.score)}% of their "
                               "text)" for a, f in others)
            parts.append(
                f"<b>Agency copy{_esc(agency)}</b><br>The same words are in {shares}: one "
                f"text republished, not {len(others) + 1} independent reports.")
        return "<hr>".join(parts)

    def copy_current_finding(self) -> None:
        f = self.current_finding
        if f is None:
            return
        labels = article_labels(self.articles)
        text = "\n\n".join(f"{labels.get(s.article, s.article)}: {s.text}" for s in f.spans)
        QGuiApplication.clipboard().setText(text)
        self.statusBar().showMessage("Copied the passages of the current finding", 4000)

    # Scroll lock ---------------------------------------------------------------------------

    def set_scroll_lock(self, on: bool) -> None:
        if on and self._current_column is None and self.columns.visible_columns():
            self._current_column = self.columns.visible_columns()[0]
        if on and self._current_column is not None:
            self._column_scrolled(self._current_column)

    def _column_scrolled(self, col: ArticleColumn) -> None:
        if self._syncing or not self.actions["scroll_lock"].isChecked() or self.plan is None:
            return
        anchor = self.scroll_anchor(col)
        if anchor is None:
            return
        f, span = anchor
        y = col.view.span_rect(span.start, span.end).top()
        self._syncing = True
        try:
            for other in self.columns.visible_columns():
                if other is col:
                    continue
                theirs = next((s for s in f.spans if s.article == other.article_id), None)
                if theirs is not None:
                    other.view.scroll_to_span(theirs.start, theirs.end, y=y)
        finally:
            self._syncing = False

    def scroll_anchor(self, col: ArticleColumn) -> tuple[Finding, Span] | None:
        """The shared passage nearest the top of a column's view."""
        assert self.plan is not None
        top = col.view.first_visible_offset()
        best: tuple[int, Finding, Span] | None = None
        for f in self.plan.comparison.findings:
            # Agency-copy stretches run for paragraphs: a match lines the columns up better.
            if f.kind == "unique" or is_copy(f) or len(f.articles) < 2:
                continue
            for s in f.spans:
                if s.article == col.article_id and s.end > top:
                    d = abs(s.start - top)
                    if best is None or d < best[0]:
                        best = (d, f, s)
        return (best[1], best[2]) if best else None

    # Columns -------------------------------------------------------------------------------

    def _column_candidates(self) -> list[ArticleColumn]:
        cols = []
        if self._current_column is not None and self._current_column in self.columns.columns:
            cols.append(self._current_column)
        cols += [c for c in self.columns.visible_columns() if c not in cols]
        return cols

    def current_column(self) -> ArticleColumn | None:
        cands = self._column_candidates()
        return cands[0] if cands else None

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        w = new
        while w is not None:
            if isinstance(w, ArticleColumn):
                self._current_column = w
                return
            w = w.parentWidget()

    def _move_current(self, delta: int) -> None:
        col = self.current_column()
        if col is not None:
            self.columns.move_column(col, delta)

    def _hide_current(self) -> None:
        col = self.current_column()
        if col is not None:
            self.set_column_hidden(col, True)

    def set_column_hidden(self, col: ArticleColumn, hidden: bool) -> None:
        if hidden and len(self.columns.visible_columns()) <= 1:
            self.statusBar().showMessage("The last visible column cannot be hidden", 4000)
            return
        if col.article is not None:
            key = self._article_key(col.article)
            (self._hidden_keys.add if hidden else self._hidden_keys.discard)(key)
        self.columns.set_column_visible(col, not hidden)
        if hidden and self._current_column is col:
            self._current_column = None

    def show_all_columns(self) -> None:
        self._hidden_keys.clear()
        for col in self.columns.columns:
            col.setVisible(True)
        self.columns.update_widths()
        self.columns.equalise()

    def _fill_columns_menu(self) -> None:
        self.columns_menu.clear()
        for col in self.columns.ordered_columns():
            if col.article is None:
                continue
            act = self.columns_menu.addAction(
                f"&{col.index + 1}  {short_label(col.article, col.index)}: "
                f"{excerpt(col.article.title or col.article.name, 50)}"
            )
            act.setCheckable(True)
            act.setChecked(not col.isHidden())
            act.toggled.connect(lambda on, c=col: self.set_column_hidden(c, not on))

    def remove_current_article(self) -> None:
        col = self.current_column()
        if col is not None:
            self.remove_article(col.article_id)

    def cycle_focus(self, step: int) -> None:
        panes: list[QWidget] = [c.view for c in self.columns.visible_columns()]
        if self.findings_dock.isVisible():
            panes.append(self.findings_panel.tree)
        if self.facts_dock.isVisible():
            panes.append(self.facts_table)
        if not panes:
            return
        focus = QApplication.focusWidget()
        i = panes.index(focus) if focus in panes else -1
        panes[(i + step) % len(panes)].setFocus(Qt.FocusReason.TabFocusReason)

    def focus_filter(self) -> None:
        self.findings_dock.show()
        self.findings_panel.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.findings_panel.filter.selectAll()

    # Zoom and theme ------------------------------------------------------------------------

    def zoom(self, steps: int) -> None:
        new = max(-ZOOM_LIMIT // 2, min(ZOOM_LIMIT, self.zoom_steps + steps))
        if new == self.zoom_steps:
            return
        self.zoom_steps = new
        for col in self.columns.columns:
            self._apply_zoom(col.view)
        self.columns.zoom_steps = new
        self.columns.update_widths()
        self.statusBar().showMessage(f"Zoom {100 + 10 * new}%", 2000)

    def _apply_zoom(self, view: ArticleView) -> None:
        base = QApplication.font().pointSizeF()
        font = view.font()
        font.setPointSizeF(max(6.0, base * (1.0 + 0.1 * self.zoom_steps) + 0.5))
        view.setFont(font)
        view.document().setDefaultFont(font)

    def _scheme_changed(self, *_args: object) -> None:
        self.apply_theme(Theme.system())

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.findings_panel.model.set_theme(theme)
        self.facts_table.facts_model.set_theme(theme)
        self._update_legend()
        self.repaint_highlights()
        if self.current_finding is not None:
            self.select_finding(self.current_finding.id, origin="theme", flash=False)

    # Dialogs -------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        patterns = " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES)
        start = str(self.settings.value("lastDir", str(Path.home())))
        files, _ = QFileDialog.getOpenFileNames(
            self, "Open Articles", start, f"Articles ({patterns});;All files (*)"
        )
        if files:
            self.settings.setValue("lastDir", str(Path(files[0]).parent))
            self.open_asking(files)

    def paste_dialog(self) -> PasteDialog:
        dialog = PasteDialog(self)
        dialog.accepted.connect(lambda: self._accept_paste(dialog))
        dialog.open()
        return dialog

    def _accept_paste(self, dialog: PasteDialog) -> None:
        text, title, source = dialog.values()
        try:
            self.add_pasted(text, title, source)
        except ArticleError as exc:
            self.statusBar().showMessage(f"Could not add the pasted text: {exc.message}", 10000)

    def clear_parse_cache(self) -> None:
        """Edit > Clear Parse Cache: on the comparison runner, so that the worker process
        forgets its parses too (queued behind a comparison that is running)."""
        self._clear_cache_job = self.runner.submit(clear_parse_cache_task)
        self.statusBar().showMessage("Clearing the parse cache…")

    def _on_parse_cache_cleared(self, job: int, result: object) -> None:
        if job != self._clear_cache_job:
            return
        self._clear_cache_job = None
        entries, size = cast("tuple[int, int]", result)
        self.statusBar().showMessage(
            f"Parse cache cleared: {entries} parsed article{'s' if entries != 1 else ''} "
            f"({size / 1e6:.1f} MB) deleted; they are parsed again when compared", 8000)
        self.parse_cache_cleared.emit(entries, size)

    def about(self) -> None:
        AboutDialog(self, self.windowIcon()).exec()

    def show_guide(self) -> QWidget:
        from app.ui.dialogs.guide import GuideDialog

        return GuideDialog.show_for(self)

    def show_shortcuts(self) -> QWidget:
        from app.ui.dialogs.guide import ShortcutsDialog

        return ShortcutsDialog.show_for(self)

    # Recent files and layout ---------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: str) -> None:
        items = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recentFiles", [path, *items][:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        items = self.recent_files()
        for i, p in enumerate(items):
            act = self.recent_menu.addAction(f"&{(i + 1) % 10}  {p}")
            act.triggered.connect(lambda _c=False, p=p: self.open_asking([p]))
        if not items:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("&Clear Menu", lambda: self.settings.remove("recentFiles"))

    def _screen(self) -> QScreen | None:
        return self.screen() or QGuiApplication.primaryScreen()

    def restore_layout(self) -> None:
        """Place the window and its panels as they were on this screen (sizes remembered per
        screen), or at the default place and size when that layout would not be visible.
        Call it once every dock is added: a dock added later misses its saved place."""
        self._fit_screen = True
        screen = self._screen()
        key = screenfit.screen_key(screen)
        geometry = self.settings.value(f"window/{key}/geometry")
        state = self.settings.value(f"window/{key}/state", self.settings.value("window/state"))
        placed = False
        if isinstance(geometry, QByteArray | bytes):
            placed = self.restoreGeometry(QByteArray(geometry))
            if placed and screen is not None and not self.isMaximized():
                placed = screenfit.mostly_visible(self.frameGeometry(),
                                                  screen.availableGeometry())
        if not placed:
            self.place_on_screen(screen)
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))
        self.check_docks()
        self.actions["scroll_lock"].setChecked(
            str(self.settings.value("view/scrollLock", "false")).lower() == "true"
        )
        with contextlib.suppress(ValueError):
            self.zoom(int(str(self.settings.value("view/zoom", 0))))

    def place_on_screen(self, screen: QScreen | None) -> None:
        """The default place: centred, 1600x1000 or as much of the screen as there is, panels
        at their default sizes for that size."""
        if self.isMaximized():
            self.showNormal()
        if screen is not None:
            pos, size = screenfit.default_geometry(screen.availableGeometry())
            self.resize(size)
            self.move(pos)
        w, h = self.width(), self.height()
        self.resizeDocks([self.findings_dock], [max(240, min(370, w // 4))],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.facts_dock], [max(130, min(210, h // 5))],
                         Qt.Orientation.Vertical)

    def fit_to_screen(self) -> None:
        """Pull the whole window frame (title bar to status bar) into the screen's available
        area; run once the window manager has framed the window."""
        if not self._fit_screen or not self.isVisible() or self.isMaximized() or (
                self.isFullScreen()):
            return
        screen = self._screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        frame = self.frameGeometry()
        if screenfit.fits(frame, available):
            return
        pos, size = screenfit.fit_frame(frame, self.geometry(), available)
        self.resize(size)
        self.move(pos)

    def after_first_paint(self, fn: Callable[[], object]) -> None:
        """Run `fn` once the window has been painted for the first time (soon after, if it
        has): the first paint of the whole window and the work that follows (opening the
        articles, building their columns) then each hold the GUI thread on their own. A
        window that is not painted within a second (minimised) runs it then."""
        if self._after_paint is None:
            QTimer.singleShot(0, fn)
            return
        self._after_paint.append(fn)
        QTimer.singleShot(1000, self._painted)

    def _painted(self) -> None:
        waiting, self._after_paint = self._after_paint, None
        if waiting is None:
            return
        self.removeEventFilter(self)
        for fn in waiting:
            QTimer.singleShot(0, fn)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint and self._after_paint is not None:
            # Queued: they run after this paint is done.
            QTimer.singleShot(0, self._painted)
        return super().eventFilter(watched, event)

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if self._fit_screen:
            # The frame's size is known only after the window manager has framed the window.
            for delay in (0, 300, 1000):
                QTimer.singleShot(delay, self.fit_to_screen)
            QTimer.singleShot(0, self.check_docks)

    def check_docks(self) -> None:
        """Every panel docked where it belongs, never over the menu bar or toolbar, floating
        panels only where a screen shows them; a panel that is not puts back at home."""
        bars = [self.menuBar().geometry(), self.toolbar.geometry()]
        screens = [s.availableGeometry() for s in QGuiApplication.screens()]
        for dock, home in self._dock_homes.items():
            if dock.isFloating():
                frame = dock.frameGeometry()
                if not any(screenfit.mostly_visible(frame, a) for a in screens):
                    dock.setFloating(False)
                    self.addDockWidget(home, dock)
                continue
            area = self.dockWidgetArea(dock)
            overlaps = dock.isVisible() and self.isVisible() and any(
                dock.geometry().intersects(b) for b in bars if b.isValid() and not b.isEmpty())
            if area == Qt.DockWidgetArea.NoDockWidgetArea or overlaps:
                self.addDockWidget(area if overlaps and area !=
                                   Qt.DockWidgetArea.NoDockWidgetArea else home, dock)
        if self.isVisible():
            # Panels sized for a larger screen would leave no room for the articles.
            centre = self.columns.geometry()
            if centre.width() < min(self.columns.column_min_width(), self.width() // 3) or (
                    centre.height() < min(200, self.height() // 3)):
                self.resizeDocks([self.findings_dock], [max(240, min(370, self.width() // 4))],
                                 Qt.Orientation.Horizontal)
                self.resizeDocks([self.facts_dock], [max(130, min(210, self.height() // 5))],
                                 Qt.Orientation.Vertical)

    def show_dock(self, dock: QDockWidget) -> None:
        """Show a panel in its place (docked at home if the layout lost it)."""
        if not dock.isFloating() and self.dockWidgetArea(dock) == (
                Qt.DockWidgetArea.NoDockWidgetArea):
            self.addDockWidget(self._dock_homes.get(dock, Qt.DockWidgetArea.RightDockWidgetArea),
                               dock)
        dock.show()
        dock.raise_()
        area = self.dockWidgetArea(dock)
        if not dock.isFloating() and dock.width() < 320 and self.width() >= 1100 and area in (
                Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea):
            # First shown at its minimum width: give the list room for passage and note.
            self.resizeDocks([dock], [min(420, self.width() // 4)], Qt.Orientation.Horizontal)

    def save_layout(self) -> None:
        key = screenfit.screen_key(self._screen())
        self.settings.setValue(f"window/{key}/geometry", self.saveGeometry())
        self.settings.setValue(f"window/{key}/state", self.saveState())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("view/scrollLock", self.actions["scroll_lock"].isChecked())
        self.settings.setValue("view/zoom", self.zoom_steps)
        self.settings.sync()

    def closeEvent(self, e: QCloseEvent) -> None:
        if self._fit_screen:  # the app's window (a screenshot or a test's leaves no trace)
            self.save_layout()
            # Reopened at the next start when no project holds them.
            self.settings.setValue("session/files", [a.path for a in self.articles if a.path])
            self.settings.sync()
        self._slices.clear()
        self.runner.shutdown(wait=False)
        super().closeEvent(e)

    # Drag and drop -------------------------------------------------------------------------

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasUrls() and any(u.isLocalFile() for u in e.mimeData().urls()):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        files = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if files:
            e.acceptProposedAction()
            self.open_asking(files)

    # Chrome --------------------------------------------------------------------------------

    def update_title(self) -> None:
        """"story — Parallax": the document first, the app name last and once (Qt adds the
        application's display name to titles that do not already end with it)."""
        story = ""
        if self.project_path:
            story = Path(self.project_path).stem
        elif self.articles:
            first = self.articles[0]
            story = excerpt(first.title or first.name, 70)
        story += self.title_note
        self.setWindowTitle(f"{story} — {APP_NAME}" if story else APP_NAME)

    def _update_counts(self) -> None:
        c = self.comparison
        if c is None:
            self.counts_label.setText(f"{len(self.articles)} articles" if self.articles else "")
            return
        self.counts_label.setText(counts_text(c))

    def _update_legend(self) -> None:
        c = self.comparison
        shown: set[str] = set()
        if c is not None:
            shown = {k for f in c.findings for k, on in (
                ("update", is_update(f)), ("dispute", is_dispute(f)),
                ("copy", is_copy(f) and not self.copy_hidden)) if on}
        self.legend.set_state(self.theme, len(c.articles) if c else len(self.articles), shown)

    def _update_enabled(self) -> None:
        has = bool(self.articles)
        for key in ("remove", "recompare", "move_left", "move_right", "hide_column",
                    "show_columns"):
            self.actions[key].setEnabled(has)
        found = self.comparison is not None and bool(self.comparison.findings)
        for key in ("next", "previous", "next_conflict", "previous_conflict", "copy_passage"):
            self.actions[key].setEnabled(found)


def counts_text(c: Comparison) -> str:
    """The status bar's summary. Updated figures and disputes one source reports are shown but
    not counted as conflicts: no two sources disagree in them."""
    counts = c.counts()
    conflicts = sum(1 for f in c.findings if is_conflict(f))
    updates = sum(1 for f in c.findings if is_update(f))
    disputes = sum(1 for f in c.findings if is_dispute(f))
    copies = counts.get("copy", 0)
    parts = [f"{len(c.articles)} articles", f"{conflicts} conflict{'s' if conflicts != 1 else ''}"]
    if updates:
        parts.append(f"{updates} updated figure{'s' if updates != 1 else ''}")
    if disputes:
        parts.append(f"{disputes} dispute{'s' if disputes != 1 else ''} in one source")
    if copies:
        parts.append(f"{copies} agency cop{'ies' if copies != 1 else 'y'}")
    parts += [f"{counts['match']} matches", f"{counts['unique']} only in one source",
              f"{len(c.facts)} facts"]
    return "   ·   ".join(parts)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _span_notes(claimants: Claimants, span: Span) -> list[str]:
    """["according to the Syrian Observatory…", "earlier figure, since updated"]; [] when the
    outlet gives a figure in its own voice."""
    return [n for n in (claimants.according_to(span),
                        "earlier figure, since updated" if span.superseded else None) if n]


def _span_note(claimants: Claimants, span: Span) -> str:
    """The notes in brackets after a quoted passage ("" when there are none)."""
    notes = _span_notes(claimants, span)
    return f" <i>({_esc('; '.join(notes))})</i>" if notes else ""


__all__ = ["MainWindow", "QTextCharFormat", "app_icon", "counts_text", "default_settings"]
