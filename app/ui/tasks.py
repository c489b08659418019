"""Long work off the GUI thread. Tasks get `progress` and `cancelled` callables and never touch
widgets; results come back as Qt signals on the GUI thread.

Two back ends behind one `TaskRunner`:

- "thread": a one-worker ThreadPoolExecutor. Simple and shares the loaded spaCy model, but
  spaCy holds the GIL for long stretches, which can stall the GUI thread.
- "process": a warm one-worker ProcessPoolExecutor (spawn) that loads the model once (the jobs
  and the worker's side live in the Qt-free `app.ui.jobs`, so the worker never imports Qt). The GUI
  thread only unpickles the result; progress travels on a multiprocessing queue and
  cancellation on a shared counter. The worker never outlives the app: `shutdown()` ends it,
  and the worker itself exits when its parent is gone (SIGKILL, a crash): on Linux the kernel
  tells it (PR_SET_PDEATHSIG), everywhere a watcher thread notices its parent changed.

`SyncTaskRunner` runs tasks inline, for tests that want no threads at all.
"""

from __future__ import annotations

import contextlib
import queue as queue_mod
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from app.core.model import Cancelled
from app.ui.jobs import (  # noqa: F401 - the window's jobs, re-exported for its callers
    ENV_TASKS,
    LOADING_MESSAGE,
    PARENT_CHECK_INTERVAL,
    PROGRESS_INTERVAL,
    TaskFn,
    WorkerPool,
    _Throttle,
    clear_parse_cache_task,
    compare_task,
    default_task_mode,
    exit_with_parent,
    load_paths_task,
    warm_up_task,
)

# GUI side ------------------------------------------------------------------------------------


class TaskRunner(QObject):
    """Runs one task at a time off the GUI thread; a new submit does not cancel the old one
    (call `cancel()` first when the old result is no longer wanted)."""

    started = Signal(int)
    progress = Signal(int, float, str)
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)

    # Internal: carries a finished future from the worker thread to the GUI thread.
    _done = Signal(int, object)
    _progress_from_worker = Signal(int, float, str)

    def __init__(self, mode: str = "thread", parent: QObject | None = None,
                 pool: WorkerPool | None = None) -> None:
        """`pool` (process mode): a worker started earlier, adopted with the jobs submitted to
        it so far (they run on; their results come as this runner's signals)."""
        super().__init__(parent)
        if mode not in ("thread", "process"):
            raise ValueError(f"unknown task mode {mode!r}")
        self.mode = mode
        self._next_job = 0
        self._running: set[int] = set()
        self._events: dict[int, threading.Event] = {}
        self._executor: Executor
        self._poll: QTimer | None = None
        self._futures: dict[int, Future[Any]] = {}
        # Queued even when emitted on the GUI thread: a job that fails before submit() returns
        # (an export to a folder that does not exist) has its future done already, and
        # add_done_callback then runs at once; its result must still come after the caller
        # knows the job id, or the caller drops it as someone else's.
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._progress_from_worker.connect(self.progress, Qt.ConnectionType.QueuedConnection)
        if mode == "thread":
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-task")
        else:
            pool = pool if pool is not None else WorkerPool()
            self._pool = pool
            self._queue = pool.queue
            self._cancel_upto = pool.cancel_upto
            self._executor = pool.executor
            self._poll = QTimer(self)
            self._poll.setInterval(30)
            self._poll.timeout.connect(self._poll_process)
            for job, future in pool.submitted:
                self._running.add(job)
                self._futures[job] = future
                self._next_job = max(self._next_job, job + 1)
            pool.submitted.clear()
            if self._futures:
                self._poll.start()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def submit(self, fn: TaskFn, *args: Any) -> int:
        job = self._next_job
        self._next_job += 1
        self._running.add(job)
        if self.mode == "thread":
            event = threading.Event()
            self._events[job] = event

            def emit(fraction: float, message: str, job: int = job) -> None:
                self._progress_from_worker.emit(job, fraction, message)

            future = self._executor.submit(
                fn, *args, progress=_Throttle(emit), cancelled=event.is_set
            )
            # The callback runs on the worker thread: hand the future over by queued signal.
            future.add_done_callback(lambda fut, job=job: self._done.emit(job, fut))
        else:
            # Polled from the GUI thread: the executor's management thread ends at shutdown,
            # and a Qt signal emitted from it crashed the interpreter's final clean-up.
            future = self._pool.submit(job, fn, args)
            self._futures[job] = future
            assert self._poll is not None
            self._poll.start()
        self.started.emit(job)
        return job

    def cancel(self, job: int | None = None) -> None:
        """Ask a job (default: every running job) to stop; `cancelled` follows when it has."""
        jobs = [job] if job is not None else list(self._running)
        for j in jobs:
            if self.mode == "thread":
                event = self._events.get(j)
                if event is not None:
                    event.set()
            else:
                with self._cancel_upto.get_lock():
                    self._cancel_upto.value = max(self._cancel_upto.value, j)

    def worker_pids(self) -> list[int]:
        """The worker processes alive now (process mode; none before the first job)."""
        procs = getattr(self._executor, "_processes", None) or {}
        return [p.pid for p in list(procs.values()) if p.pid is not None and p.is_alive()]

    def shutdown(self, wait: bool = True) -> None:
        """Stop: running jobs are cancelled; in process mode the worker is ended now (a
        comparison half-way through is not worth waiting for when the app quits)."""
        self.cancel()
        self._futures.clear()
        if self._poll is not None:
            self._poll.stop()
        procs = list((getattr(self._executor, "_processes", None) or {}).values())
        manager = getattr(self._executor, "_executor_manager_thread", None)
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self.mode == "process":
            for p in procs:
                with contextlib.suppress(Exception):
                    p.terminate()
            for p in procs:
                with contextlib.suppress(Exception):
                    p.join(timeout=5 if wait else 2)
            # Let the executor's own thread finish closing its wake-up pipe: Python's exit hook
            # writes to that pipe unless it is closed, and on Python 3.11 the two can cross
            # ("OSError: Bad file descriptor" printed at exit after SIGHUP).
            if isinstance(manager, threading.Thread):
                manager.join(timeout=5 if wait else 2)
            # Close our end of the progress queue so its feeder thread is gone before the
            # interpreter (and Qt) tear down.
            self._queue.close()
            self._queue.join_thread()
        elif wait:
            self._executor.shutdown(wait=True)

    @Slot(int, object)
    def _on_done(self, job: int, future: Future[Any]) -> None:
        self._running.discard(job)
        self._events.pop(job, None)
        if self._poll is not None:
            self._drain_queue()
            if not self._running:
                self._poll.stop()
        if future.cancelled():
            self.cancelled.emit(job)
            return
        exc = future.exception()
        if isinstance(exc, Cancelled):
            self.cancelled.emit(job)
        elif exc is not None:
            self.failed.emit(job, f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(job, future.result())

    def _poll_process(self) -> None:
        self._drain_queue()
        for job, future in list(self._futures.items()):
            if future.done():
                del self._futures[job]
                self._on_done(job, future)

    def _drain_queue(self) -> None:
        for _ in range(200):
            try:
                job, fraction, message = self._queue.get_nowait()
            except queue_mod.Empty:
                return
            except (OSError, ValueError, EOFError):
                return
            if job in self._running:
                self.progress.emit(job, fraction, message)


class SyncTaskRunner(TaskRunner):
    """Runs each task inline on submit: for tests that want determinism over realism."""

    def __init__(self, parent: QObject | None = None) -> None:
        QObject.__init__(self, parent)
        self.mode = "sync"
        self._next_job = 0
        self._running = set()
        self._cancel_requested = False

    def submit(self, fn: TaskFn, *args: Any) -> int:
        """Run `fn` now; deliver its signals on the next event-loop turn, as the real runners
        do, so the caller knows the job id before any result arrives."""
        job = self._next_job
        self._next_job += 1
        self._cancel_requested = False
        events: list[tuple[Any, tuple[Any, ...]]] = [(self.started, (job,))]
        try:
            result = fn(
                *args,
                progress=lambda f, m: events.append((self.progress, (job, f, m))),
                cancelled=lambda: self._cancel_requested,
            )
        except Cancelled:
            events.append((self.cancelled, (job,)))
        except Exception as exc:
            events.append((self.failed, (job, f"{type(exc).__name__}: {exc}")))
        else:
            events.append((self.finished, (job, result)))

        def deliver() -> None:
            for sig, values in events:
                sig.emit(*values)

        QTimer.singleShot(0, self, deliver)
        return job

    def cancel(self, job: int | None = None) -> None:
        self._cancel_requested = True

    def shutdown(self, wait: bool = True) -> None:
        pass


class SliceQueue(QObject):
    """GUI-thread work cut into slices, run a few at a time from the event loop so that no
    single burst keeps the window from repainting (or a heartbeat from ticking) for long.

    Slices run in the order added; each tick runs slices while the next one, if it costs
    what the last one did, still ends within `budget_ms` (a tick of two 8 ms slices and the
    repaint after them was a stall of its own). A slice added with `pause_ms` (at least 10) is
    followed by that pause, so that Qt paints what it changed and then handles input and
    timers before the next slice runs (without it, Qt runs the next slice straight after a
    long paint: one stall of both).
    """

    drained = Signal()

    def __init__(self, budget_ms: float = 12.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from collections import deque

        self.budget = budget_ms / 1000.0
        self._items: deque[tuple[Callable[[], object], int]] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run)

    @property
    def pending(self) -> int:
        return len(self._items)

    def add(self, fn: Callable[[], object], pause_ms: int = 0) -> None:
        self._items.append((fn, pause_ms))
        if not self._timer.isActive():
            self._timer.start(0)

    def clear(self) -> None:
        self._items.clear()
        self._timer.stop()

    def flush(self) -> None:
        """Run everything now (tests, shutdown)."""
        while self._items:
            self._items.popleft()[0]()
        self._timer.stop()

    @Slot()
    def _run(self) -> None:
        deadline = time.monotonic() + self.budget
        pause = 0
        while self._items:
            before = time.monotonic()
            fn, pause = self._items.popleft()
            fn()
            now = time.monotonic()
            if pause or now + (now - before) >= deadline:
                break
        if not self._items:
            self._timer.stop()
            self.drained.emit()
        elif self._timer.interval() != pause:
            self._timer.start(pause)
