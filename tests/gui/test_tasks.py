"""The task runners: results by signal, cancellation, the warm worker process."""

from __future__ import annotations

import pytest

from app.core.articles import renumber
from app.core.model import Comparison
from app.ui.tasks import SliceQueue, SyncTaskRunner, TaskRunner, compare_task, warm_up_task
from tests.gui.conftest import COMPARE_TIMEOUT_MS

pytestmark = [pytest.mark.qt_log_level_fail("WARNING")]


def test_process_runner_compares_and_cancels(qtbot, seed_articles, seed_comparison) -> None:
    runner = TaskRunner("process")
    try:
        with qtbot.waitSignal(runner.finished, timeout=COMPARE_TIMEOUT_MS) as warm:
            runner.submit(warm_up_task)
        assert "en_core_web_sm" in warm.args[1]
        messages: list[str] = []
        runner.progress.connect(lambda _j, _f, m: messages.append(m))
        with qtbot.waitSignal(runner.finished, timeout=COMPARE_TIMEOUT_MS) as done:
            job = runner.submit(compare_task, list(seed_articles))
        assert done.args[0] == job
        result = done.args[1]
        assert isinstance(result, Comparison)
        # The same findings as the engine run in this process: the comparison pickles whole.
        assert result.counts() == seed_comparison.counts()
        assert [f.id for f in result.findings] == [f.id for f in seed_comparison.findings]
        assert messages, "progress should travel back from the worker process"
        # Cancel a job as soon as it reports progress.
        runner.progress.connect(lambda j, _f, _m: runner.cancel(j))
        with (
            qtbot.assertNotEmitted(runner.finished, wait=0),
            qtbot.waitSignal(runner.cancelled, timeout=COMPARE_TIMEOUT_MS),
        ):
            runner.submit(compare_task, renumber(list(seed_articles) * 3))
        assert not runner.busy
    finally:
        runner.shutdown(wait=True)


def test_worker_started_before_qt_is_adopted_with_its_warm_up(qtbot) -> None:
    """The app starts its worker before it imports Qt (`app.ui.main.start_worker` is Qt-free,
    checked in a fresh interpreter); the runner adopts it and reports the warm-up it was given,
    then runs the next job under the next id."""
    import subprocess
    import sys

    from app.ui.main import adopt_worker, start_worker
    from tests.gold import ROOT

    code = ("import sys; from app.ui.main import start_worker; pool = start_worker('process'); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken')))); "
            "pool.executor.shutdown(cancel_futures=True)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert out.strip() == "[]"

    pool = start_worker("process")
    assert pool is not None
    runner = adopt_worker(pool)
    assert runner is not None
    try:
        assert runner.busy  # the warm-up, submitted before the runner existed
        with qtbot.waitSignal(runner.finished, timeout=COMPARE_TIMEOUT_MS) as warm:
            pass
        assert warm.args[0] == 0
        assert "en_core_web_sm" in warm.args[1]
        assert not runner.busy
        with qtbot.waitSignal(runner.finished, timeout=COMPARE_TIMEOUT_MS) as again:
            job = runner.submit(warm_up_task)
        assert job == 1
        assert again.args[0] == 1
    finally:
        runner.shutdown(wait=True)


def test_sync_runner_reports_failures(qtbot) -> None:
    runner = SyncTaskRunner()

    def broken(*, progress, cancelled):
        raise ValueError("no articles")

    with qtbot.waitSignal(runner.failed, timeout=1000) as blocker:
        runner.submit(broken)
    assert "no articles" in blocker.args[1]


def test_thread_runner_reports_a_job_that_fails_at_once_after_submit_returns(qtbot) -> None:
    """A job can be over before submit() returns (an export to a folder that does not exist).
    Its result still arrives from the event loop, after the caller knows the job's id: the
    report export once dropped such a failure as another job's, and said nothing."""
    runner = TaskRunner("thread")
    try:
        failed: list[int] = []
        early: list[int] = []
        returned: set[int] = set()

        def on_failed(job: int, _message: str) -> None:
            failed.append(job)
            if job not in returned:
                early.append(job)

        runner.failed.connect(on_failed)

        def broken(*, progress, cancelled):
            raise OSError("No such file or directory")

        for _ in range(200):
            job = runner.submit(broken)
            returned.add(job)
        qtbot.waitUntil(lambda: len(failed) == 200, timeout=10_000)
        assert early == []
        assert sorted(failed) == sorted(returned)
    finally:
        runner.shutdown(wait=True)


def test_slice_queue_runs_in_order(qtbot) -> None:
    queue = SliceQueue(budget_ms=0.0)
    seen: list[int] = []
    for i in range(5):
        queue.add(lambda i=i: seen.append(i))
    assert seen == []  # nothing runs until the event loop does
    with qtbot.waitSignal(queue.drained, timeout=2000):
        pass
    assert seen == [0, 1, 2, 3, 4]


def test_sync_runner_drives_a_real_window(qtbot, settings, seed_articles) -> None:
    """The inline runner delivers after submit() returns, so the window can match its job id."""
    from app.ui.mainwindow import MainWindow

    window = MainWindow(runner=SyncTaskRunner(), settings=settings, restore_layout=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.comparison_shown, timeout=120_000) as blocker:
        window.set_articles(list(seed_articles[3:5]))
    assert blocker.args[0].articles[0].text == seed_articles[3].text
    assert blocker.args[0].by_kind("match")


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, showing a window
def test_work_waits_for_the_windows_first_paint(qtbot, settings) -> None:
    """The app opens its articles after the window's first paint (`after_first_paint`), so
    that paint and the work are separate stretches of the GUI thread; a window never painted
    (minimised) runs the work after a second all the same."""
    from app.ui.mainwindow import MainWindow

    window = MainWindow(runner=SyncTaskRunner(), settings=settings, restore_layout=False)
    qtbot.addWidget(window)
    ran: list[str] = []
    window.after_first_paint(lambda: ran.append("first"))
    qtbot.wait(50)
    assert ran == []  # not shown, not painted: waiting
    window.show()
    qtbot.waitUntil(lambda: ran == ["first"], timeout=900)
    window.after_first_paint(lambda: ran.append("later"))  # painted already: soon
    qtbot.waitUntil(lambda: ran == ["first", "later"], timeout=500)

    hidden = MainWindow(runner=SyncTaskRunner(), settings=settings, restore_layout=False)
    qtbot.addWidget(hidden)
    hidden.after_first_paint(lambda: ran.append("never painted"))
    qtbot.wait(500)
    assert "never painted" not in ran
    qtbot.waitUntil(lambda: "never painted" in ran, timeout=1500)
