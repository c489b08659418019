"""File > Export Report, column names, and PDFs opened in the background, in a real window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.report import conflicts_in_order
from app.ui.main import DEFAULT_SIZE  # noqa: F401 - the GUI entry point imports cleanly
from app.ui.mainwindow import MainWindow
from app.ui.report_export import install_report_export
from tests.gold import SEEDS
from tests.gui.conftest import COMPARE_TIMEOUT_MS
from tests.pdfmaker import text_document_pdf


@pytest.mark.parametrize("suffix", [".html", ".pdf"])
def test_export_report_runs_in_the_background_and_writes_the_file(
    qtbot, seeds_window: MainWindow, tmp_path: Path, suffix: str
) -> None:
    exporter = install_report_export(seeds_window)
    assert "export_report" in seeds_window.actions
    assert exporter.runner.mode == "thread"  # off the GUI thread
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"report{suffix}"
    with qtbot.waitSignal(exporter.exported, timeout=60_000) as blocker:
        assert exporter.export(out) is not None
    assert blocker.args == [str(out)]
    data = out.read_bytes()
    comparison = seeds_window.comparison
    assert comparison is not None
    if suffix == ".html":
        text = data.decode("utf-8")
        for f in conflicts_in_order(comparison):
            assert f'id="conflict-{f.id}"' in text
    else:
        assert data.startswith(b"%PDF-")
    assert "Report written" in seeds_window.statusBar().currentMessage()
    assert [p.name for p in folder.iterdir()] == [out.name]  # no temporary file left


def test_export_to_an_unwritable_place_says_so(
    qtbot, seeds_window: MainWindow, tmp_path: Path
) -> None:
    exporter = install_report_export(seeds_window)
    with qtbot.waitSignal(exporter.export_failed, timeout=60_000):
        exporter.export(tmp_path / "no-such-folder" / "r.html")
    assert "could not be written" in seeds_window.statusBar().currentMessage()


def test_column_header_shows_outlets_and_can_be_renamed(
    qtbot, seeds_window: MainWindow
) -> None:
    exporter = install_report_export(seeds_window)
    headers = [c.header.source.text() for c in seeds_window.columns.columns]
    assert "Reuters" in headers
    assert "iNewsToday" in headers
    col = seeds_window.columns.columns[0]
    menu = col.header.menu_button.menu()
    assert menu is not None
    assert "Rename Column…" in [a.text() for a in menu.actions()]
    article_id = col.article_id
    with qtbot.waitSignal(seeds_window.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        exporter.rename(article_id, "Tagesschau")
    renamed = next(c for c in seeds_window.columns.columns if c.article_id == article_id)
    assert renamed.header.source.text() == "Tagesschau"
    comparison = seeds_window.comparison
    assert comparison is not None
    assert comparison.article(article_id).label == "Tagesschau"


def test_pdf_opens_in_the_background(qtbot, window: MainWindow, tmp_path: Path) -> None:
    for name in ("003_a4a543118f7fc387.txt", "004_6f167063fb4af731.txt"):
        shutil.copy(SEEDS / name, tmp_path / name)
    text = (SEEDS / "002_5692871fffd056b2.txt").read_text(encoding="utf-8")
    pdf = text_document_pdf(tmp_path / "dw-0414.pdf", text)
    with qtbot.waitSignal(window.articles_loaded, timeout=60_000) as blocker:
        window.open_paths_in_background([tmp_path])
    loaded = blocker.args[0]
    assert [a.name for a in loaded] == ["003_a4a543118f7fc387.txt", "004_6f167063fb4af731.txt",
                                        "dw-0414.pdf"]
    qtbot.waitUntil(lambda: len(window.columns.columns) == 3, timeout=30_000)
    assert [c.header.source.text() for c in window.columns.columns][-1] == "dw"
    assert pdf.exists()


def test_dropped_pdf_is_read_off_the_gui_thread(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    text = (SEEDS / "003_a4a543118f7fc387.txt").read_text(encoding="utf-8")
    pdf = text_document_pdf(tmp_path / "reuters-0413.pdf", text)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.articles_loaded, timeout=60_000) as blocker:
        window.dropEvent(event)
        assert window.articles == []  # not read on the GUI thread: nothing yet
    (article,) = blocker.args[0]
    assert article.name == "reuters-0413.pdf"
    assert article.outlet == "reuters"
    assert "WASHINGTON / MOSCOW (Reuters)" in article.text
