"""GUI test fixtures: Qt offscreen, settings and user data in temporary folders, real engine."""

from __future__ import annotations

import gc
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
from PySide6.QtCore import QSettings, Qt
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
    open_seeds(qtbot, window)
    return window


def activate(qtbot, window: MainWindow) -> None:
    """Make the window active so its shortcuts receive key presses."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def open_seeds(qtbot, window: MainWindow) -> None:
    """Open the sample story, wait for its comparison, and make the window active."""
    with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS):
        window.open_paths([SEEDS])
    activate(qtbot, window)


def menu_keys(qtbot, window: MainWindow, *keys: str) -> None:
    """Alt+first key opens a menu of the menu bar; the others choose by underlined letter."""
    activate(qtbot, window)
    qtbot.keyClick(window, keys[0], Qt.KeyboardModifier.AltModifier)
    for key in keys[1:]:
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=2000)
        qtbot.keyClick(QApplication.activePopupWidget(), key)


def close_windows(qtbot, windows: list[MainWindow]) -> None:
    """Close the windows a fixture made and free them now, while Qt is fully alive, not in
    the interpreter's final garbage collection."""
    for w in windows:
        w.close()
        w.runner.shutdown(wait=True)
        w.deleteLater()
    qtbot.wait(1)
    gc.collect()
