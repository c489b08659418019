"""Start the reader window: `run(args)` is called by app/__main__.py.

args.paths (files/folders; the sample story when empty), args.screenshot (write a PNG of the
window once the comparison is shown, then exit), args.size ("WxH" for the screenshot),
args.project (a project file; kept on the window for the project-file feature).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app import APP_NAME, __version__, paths
from app.core import collector

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.ui.jobs import WorkerPool
    from app.ui.mainwindow import MainWindow
    from app.ui.tasks import TaskRunner

DEFAULT_SIZE = (1600, 1000)


def parse_size(text: str | None) -> tuple[int, int]:
    if not text:
        return DEFAULT_SIZE
    try:
        w, h = (int(x) for x in text.lower().split("x", 1))
    except ValueError as exc:
        raise SystemExit(f"--size must look like 1600x1000, not {text!r}") from exc
    if not (320 <= w <= 10000 and 240 <= h <= 10000):
        raise SystemExit(f"--size {text} is out of range (320x240 to 10000x10000)")
    return w, h


def _quiet_offscreen_noise() -> None:
    """The offscreen platform warns once per top-level window that it cannot propagate size
    hints; that is expected when rendering a screenshot, so keep stderr for real problems."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(mode: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" in message:
            return
        if mode != QtMsgType.QtDebugMsg:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def make_app(icon: bool = True) -> QApplication:
    """The QApplication, created once, with our names, icon (unless `icon` is False: the
    caller sets it, see `start_app`) and style."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("parallax")
    # Fusion follows the system light/dark palette and renders the same everywhere, offscreen too.
    app.setStyle("Fusion")
    if icon:
        from app.ui.mainwindow import app_icon

        app.setWindowIcon(app_icon())
    return app


def start_worker(task_mode: str | None = None) -> WorkerPool | None:
    """In process mode, the comparison worker, already starting: its interpreter, imports and
    model load run on the other core while this process imports Qt and the window's code and
    builds the window (the first comparison is shown sooner). Qt-free: call it first."""
    from app.ui.jobs import default_task_mode, start_warm_worker

    if (task_mode or default_task_mode()) != "process":
        return None
    return start_warm_worker()


def adopt_worker(pool: WorkerPool | None) -> TaskRunner | None:
    """The window's task runner around a worker started by `start_worker` (None: none)."""
    if pool is None:
        return None
    from app.ui.tasks import TaskRunner

    return TaskRunner("process", pool=pool)


def set_icon(app: QApplication) -> None:
    from app.ui.mainwindow import app_icon

    app.setWindowIcon(app_icon())


def start_app(task_mode: str | None = None
              ) -> tuple[QApplication, TaskRunner | None, collector.Pause]:
    """The start of the window (`run`, and the window benchmark): the worker, started before
    Qt is imported, the QApplication, and the cycle collector resting. What the start makes
    (Qt's modules, the window) lives as long as the app: the caller resumes the collector after
    the first paint, and it then leaves all that alone (app/core/collector.py)."""
    starting = collector.pause()
    pool = start_worker(task_mode)
    _quiet_offscreen_noise()
    app = make_app(icon=False)
    runner = adopt_worker(pool)
    set_icon(app)
    return app, runner, starting


SESSION_FILES = "session/files"
GUIDE_SHOWN = "help/guideShown"


def last_session(settings: QSettings) -> tuple[str | None, list[str] | None]:
    """What the last session left open: (project path or None, article files or None when
    nothing is known: a first run)."""
    from app.ui.annotations.controller import LAST_PROJECT_KEY

    project = str(settings.value(LAST_PROJECT_KEY, "") or "")
    if project and not Path(project).is_file():
        project = ""
    if not settings.contains(SESSION_FILES):
        return project or None, None
    value = settings.value(SESSION_FILES, [])
    items: list[object] = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    files = [str(v) for v in items]
    return project or None, [f for f in files if f and Path(f).exists()]


def run(args: argparse.Namespace) -> int:
    screenshot: str | None = getattr(args, "screenshot", None)
    project: str | None = getattr(args, "project", None)
    raw_paths: list[str | Path] = list(getattr(args, "paths", None) or [])
    if screenshot:  # compared in this process: no worker
        _quiet_offscreen_noise()
        app = make_app()
        from app.ui.annotations import install_project_support
        from app.ui.mainwindow import MainWindow
        from app.ui.report_export import install_report_export

        window = MainWindow(project=project, restore_layout=False)
        install_project_support(window, project)
        install_report_export(window)
        if not raw_paths and not window.articles:
            raw_paths = [paths.seeds_dir()]
        return _screenshot(app, window, raw_paths, Path(screenshot), parse_size(args.size))

    # Before the worker exists: a quit signal from now on closes the app and ends the worker
    # (caught here, handled once the event loop runs). Then the worker, before Qt is imported.
    from app.ui.quitsignals import SignalCatcher, describe

    catcher = SignalCatcher()
    app, runner, starting = start_app()
    from PySide6.QtCore import QTimer

    from app.ui.termination import QuitOnSignal

    holder: dict[str, MainWindow] = {}

    def quit_on_signal(signum: int) -> None:
        # As File > Quit: the window's close writes pending edits, stops the worker and
        # closes the project; then the event loop ends.
        print(f"parallax: {describe(signum)} received, closing", file=sys.stderr)
        if "window" in holder:
            holder["window"].close()
        app.quit()

    quitter = QuitOnSignal(quit_on_signal, catcher=catcher)
    from app.ui.annotations import install_project_support
    from app.ui.mainwindow import MainWindow, default_settings
    from app.ui.report_export import install_report_export

    settings = default_settings()
    first_run = not settings.contains(GUIDE_SHOWN)
    reopen_files: list[str] | None = None
    if not project and not raw_paths:
        # Reopen what the reader was working on; the sample story only on a first run (it is
        # always one click away in the Help and File menus).
        project, reopen_files = last_session(settings)
    window = MainWindow(project=project, settings=settings, restore_layout=False, runner=runner)
    holder["window"] = window
    controller = install_project_support(window, project)
    install_report_export(window)
    if project and controller.project is None:
        window.project_path = None  # could not be opened: the message box says why
    if not raw_paths and not window.articles:
        if reopen_files:
            raw_paths = list(reopen_files)
        elif reopen_files is None or (project and controller.project is None):
            raw_paths = [paths.seeds_dir()]
    # After every dock exists, so that each goes back to its saved place.
    window.restore_layout()
    window.show()
    window.after_first_paint(starting.resume)
    # Load after the first paint so the window appears at once.
    if raw_paths:
        window.after_first_paint(lambda: window.open_paths_in_background(raw_paths))
    if first_run:
        settings.setValue(GUIDE_SHOWN, True)
        QTimer.singleShot(0, window.show_guide)
    try:
        return app.exec()
    finally:
        quitter.uninstall()


def _screenshot(app: QApplication, window: object, raw_paths: list[str | Path], out: Path,
                size: tuple[int, int]) -> int:
    from PySide6.QtCore import QTimer

    from app.ui.attribution import is_conflict
    from app.ui.mainwindow import MainWindow

    assert isinstance(window, MainWindow)
    status = {"code": 1}

    def shoot(_comparison: object = None) -> None:
        # Let the layout settle (columns sized, highlights laid out) before grabbing.
        app.processEvents()
        pixmap = window.grab()
        out.parent.mkdir(parents=True, exist_ok=True)
        if pixmap.save(str(out), "PNG"):
            status["code"] = 0
            print(f"wrote {out} ({pixmap.width()}x{pixmap.height()})", file=sys.stderr)
        else:
            print(f"could not write {out}", file=sys.stderr)
        app.quit()

    def failed(message: str) -> None:
        print(f"the comparison failed: {message}", file=sys.stderr)
        app.quit()

    window.resize(*size)
    def shown(comparison: object) -> None:
        # Show linked navigation at work: the first conflict (else finding) selected.
        findings = getattr(comparison, "findings", ())
        first = next((f for f in findings if is_conflict(f)), findings[0] if findings else None)
        if first is not None:
            window.select_finding(first.id, origin="screenshot", flash=False)
        QTimer.singleShot(0, shoot)

    window.comparison_shown.connect(shown)
    window.comparison_failed.connect(failed)
    window.show()
    app.processEvents()
    loaded = window.open_paths(raw_paths) if raw_paths else window.articles
    if not loaded:
        for e in window.load_errors:
            print(f"parallax: {e}", file=sys.stderr)
        print("parallax: no article could be read", file=sys.stderr)
        return 2
    app.exec()
    window.close()
    return status["code"]
