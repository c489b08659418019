"""The parse cache in the window: the warm worker parses only what is new, and Edit > Clear
Parse Cache empties the folder and the worker's memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.core import nlp, reading
from app.core.parsecache import SUFFIX, ParseCache
from app.ui.mainwindow import MainWindow
from app.ui.tasks import TaskRunner, warm_up_task
from tests.gold import SEEDS
from tests.gui.conftest import COMPARE_TIMEOUT_MS

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

PASTED = (
    "Ukraine's foreign minister said on Tuesday that the talks in Geneva would go on.\n"
    "He told reporters in Kyiv that two more armies had moved to the border."
)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own, and nothing kept in this process's memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(folder))
    nlp.memory().clear()
    return folder


def test_adding_an_article_in_the_warm_worker_parses_only_it(
    qtbot, settings: QSettings, cache_dir: Path
) -> None:
    runner = TaskRunner("process")  # the app's own runner: a warm worker process
    window = MainWindow(runner=runner, settings=settings, restore_layout=False)
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(runner.finished, timeout=COMPARE_TIMEOUT_MS):
            runner.submit(warm_up_task)
        with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS) as first:
            window.open_paths([SEEDS])
        assert first.args[0].timings["parsed"] + first.args[0].timings["cached"] == 5
        with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS) as added:
            window.add_pasted(PASTED, title="Wire copy")
        comparison = added.args[0]
        assert len(comparison.articles) == 6
        assert (comparison.timings["parsed"], comparison.timings["cached"]) == (1, 5)
        # Removing one parses nothing.
        with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS) as removed:
            window.remove_article(comparison.articles[0].id)
        assert (removed.args[0].timings["parsed"], removed.args[0].timings["cached"]) == (0, 5)
        # Clearing empties the folder and the worker's memory: the next comparison parses all.
        with qtbot.waitSignal(window.parse_cache_cleared, timeout=COMPARE_TIMEOUT_MS) as cleared:
            window.actions["clear_parse_cache"].trigger()
        assert cleared.args[0] == 6
        assert not list((cache_dir / "parses").glob(f"*{SUFFIX}"))
        with qtbot.waitSignal(window.comparison_shown, timeout=COMPARE_TIMEOUT_MS) as again:
            window.start_comparison()
        assert (again.args[0].timings["parsed"], again.args[0].timings["cached"]) == (5, 0)
        assert again.args[0].to_json() == removed.args[0].to_json()
    finally:
        runner.shutdown(wait=True)


def test_clear_parse_cache_in_the_window(qtbot, cache_dir: Path, seeds_window: MainWindow) -> None:
    """With the thread runner the Docs live in this process: clearing forgets them too."""
    assert "Clear &Parse Cache" in [a.text() for a in seeds_window.menus["edit"].actions()]
    assert len(nlp.memory()) == 5
    # Five parses and, next to them, what was read from each article.
    assert reading.count(ParseCache.default()) == 5
    assert ParseCache.default().stats().entries == 10
    with qtbot.waitSignal(seeds_window.parse_cache_cleared, timeout=COMPARE_TIMEOUT_MS) as done:
        seeds_window.clear_parse_cache()
    assert done.args[0] == 5
    assert done.args[1] > 0
    assert ParseCache.default().stats().entries == 0
    assert reading.count(ParseCache.default()) == 0
    assert len(nlp.memory()) == 0
    assert "Parse cache cleared: 5 parsed articles" in seeds_window.statusBar().currentMessage()
