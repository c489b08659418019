"""File > Export Report… and renaming a column, added to a reader window.

The report is written on a worker thread (TaskRunner in thread mode): the HTML is built from the
comparison the window shows, and for a PDF Qt paginates it; the GUI thread only collects the
project's notes and decisions first (the SQLite connection belongs to it) and shows the result.
A column's new name is stored in the open project (Project.rename_article) and the comparison
is run again so that every label uses it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit

from app.core.model import Comparison
from app.core.report import ReportExtras, report_html
from app.ui.mainwindow import MainWindow
from app.ui.tasks import TaskRunner
from app.ui.widgets.columns import ArticleColumn


def export_report_task(
    comparison: Comparison,
    extras: ReportExtras,
    path: str,
    title: str | None,
    *,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
) -> str:
    """Write the report to `path` (.html or .pdf) through a temporary file; returns the path."""
    out = Path(path)
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    progress(0.1, "Writing the report…")
    pdf = out.suffix.lower() == ".pdf"
    html = report_html(comparison, extras, title=title, generated=generated, for_qt=pdf)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    try:
        if pdf:
            os.close(fd)
            from app.ui.report_pdf import write_report_pdf

            progress(0.4, "Laying out the PDF pages…")
            write_report_pdf(html, tmp, title or "Parallax report")
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(html.encode("utf-8"))
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    progress(1.0, "Report written")
    return str(out)


class ReportExport(QObject):
    exported = Signal(str)  # the path written
    export_failed = Signal(str)

    def __init__(self, window: MainWindow, runner: TaskRunner | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner or TaskRunner("thread", self)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self._job: int | None = None
        act = QAction("&Export Report…", window)
        act.setShortcut(QKeySequence("Ctrl+Shift+E"))
        act.setStatusTip("Write the comparison as one HTML or PDF file for an editor")
        act.triggered.connect(self.export_dialog)
        window.actions["export_report"] = act
        menu = window.menus["file"]
        before = window.actions["quit"]
        menu.insertAction(before, act)
        menu.insertSeparator(before)
        window.columns_ready.connect(self._add_column_actions)
        self._add_column_actions()

    # Export -------------------------------------------------------------------------------

    def export_dialog(self) -> None:
        if self.window.comparison is None:
            self.window.statusBar().showMessage(
                "Nothing to export yet: the comparison is still running or no articles are open.",
                8000,
            )
            return
        start = str(Path.home() / "parallax-report.html")
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export Report", start, "Web page (*.html);;PDF (*.pdf)"
        )
        if path:
            if Path(path).suffix.lower() not in (".html", ".htm", ".pdf"):
                path += ".html"
            self.export(path)

    def export(self, path: str | Path) -> int | None:
        """Start writing the report; `exported` or `export_failed` says how it went."""
        comparison = self.window.comparison
        if comparison is None:
            return None
        extras = ReportExtras()
        project = self._project()
        if project is not None:
            from app.store.errors import ProjectError
            from app.store.reportdata import report_extras

            try:
                extras = report_extras(project, comparison)
            except ProjectError as exc:
                self.window.statusBar().showMessage(
                    f"The report leaves out the project's notes: {exc}", 15000
                )
        self.window.statusBar().showMessage(f"Writing {Path(path).name}…")
        self._job = self.runner.submit(export_report_task, comparison, extras, str(path), None)
        return self._job

    def _finished(self, job: int, result: Any) -> None:
        if job != self._job:
            return
        self._job = None
        self.window.statusBar().showMessage(f"Report written: {result}", 15000)
        self.exported.emit(str(result))

    def _failed(self, job: int, message: str) -> None:
        if job != self._job:
            return
        self._job = None
        self.window.statusBar().showMessage(f"The report could not be written: {message}", 20000)
        self.export_failed.emit(message)

    def _project(self) -> Any:
        from app.ui.annotations.controller import ProjectController

        controller = self.window.findChild(ProjectController)
        return controller.project if controller is not None else None

    # Column names -------------------------------------------------------------------------

    def _add_column_actions(self) -> None:
        for col in self.window.columns.columns:
            if col.property("renameAdded"):
                continue
            col.setProperty("renameAdded", True)
            act = QAction("Rename Column…", col)
            act.triggered.connect(lambda _=False, c=col: self.rename_dialog(c))
            menu = col.header.menu_button.menu()
            if menu is not None:
                first = menu.actions()[0] if menu.actions() else None
                menu.insertAction(first, act) if first else menu.addAction(act)

    def rename_dialog(self, col: ArticleColumn) -> None:
        if col.article is None:
            return
        current = col.header.source.text()
        name, ok = QInputDialog.getText(
            self.window, "Rename Column", "Name of this source (empty: the outlet found in "
            "the file):", QLineEdit.EchoMode.Normal, col.article.outlet or current,
        )
        if ok:
            self.rename(col.article.id, name)

    def rename(self, article_id: str, name: str | None) -> None:
        """Call the article's column `name` (blank: back to the outlet found in the file)."""
        clean = " ".join((name or "").split())[:80] or None
        articles = list(self.window.articles)
        index = next((i for i, a in enumerate(articles) if a.id == article_id), None)
        if index is None:
            return
        article = articles[index]
        project = self._project()
        outlet = clean
        if project is not None and not project.read_only:
            from app.store.errors import ProjectError

            stored = next(
                (a for a in project.articles(include_hidden=True) if a.sha256 == article.sha256),
                None,
            )
            if stored is not None:
                try:
                    project.rename_article(stored.id, clean)
                    outlet = project.article(stored.id).outlet
                except ProjectError as exc:
                    self.window.statusBar().showMessage(str(exc), 15000)
        if outlet is None:
            from app.core.outlets import credit_from_text, outlet_from_filename

            outlet = outlet_from_filename(article.path or article.name) or credit_from_text(
                article.text
            )
        articles[index] = replace(article, outlet=outlet)
        self.window.set_articles(articles)


def install_report_export(window: MainWindow) -> ReportExport:
    return ReportExport(window)


__all__ = ["ReportExport", "export_report_task", "install_report_export"]
