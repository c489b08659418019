"""GUI test fixtures: Qt offscreen, settings and user data in temporary folders, real engine."""

from __future__ import annotations

import os
import tempfile

# Before any Qt import: there is no display here.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Windows compare on a worker thread that shares this process's loaded model, so each test
# window starts fast; the process runner (the app's default) has its own test in test_tasks.py.
os.environ["PARALLAX_TASKS"] = "thread"

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.ui.mainwindow import MainWindow
from app.ui.tasks import TaskRunner
from tests.gold import SEEDS

COMPARE_TIMEOUT_MS = 120_000


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir() -> Iterator[None]:
    """Never read or write the user's own settings or data from a GUI test."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARALLAX_DATA_DIR", tempfile.mkdtemp(prefix="parallax-gui-tests-"))
        yield


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "parallax.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings: QSettings) -> Iterator[MainWindow]:
    w = MainWindow(runner=TaskRunner("thread"), settings=settings, restore_layout=False)
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    activate(qtbot, w)
    yield w
    w.runner.shutdown(wait=True)


@pytest.fixture
def seeds_window(qtbot, window: MainWindow) -> MainWindow:
    """The window with the sample story open and compared."""
    with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        window.open_paths([SEEDS])
    activate(qtbot, window)
    return window


def activate(qtbot, window: MainWindow) -> None:
    """Make the window active so its shortcuts receive key presses."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
