"""The window's jobs, as the comparison worker runs them: no Qt here.

`app.ui.tasks.TaskRunner` runs these functions off the GUI thread, in "process" mode in a
spawned worker process. That process imports only this module (and the engine), never Qt, so
it is ready for the first comparison sooner. `WorkerPool` starts that process without Qt, so the
app starts it before it imports Qt at all (`app.ui.main`); the runner then adopts it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from app.core.model import Article, Comparison

TaskFn = Callable[..., Any]
ENV_TASKS = "PARALLAX_TASKS"

PROGRESS_INTERVAL = 0.05  # seconds between progress signals, so the GUI is never flooded
PARENT_CHECK_INTERVAL = 0.5  # seconds between a worker's looks at whether its parent is alive
LOADING_MESSAGE = "Loading the language model"

# Set in a process once the language model is loaded there (the worker keeps it between jobs).
_model_ready = False
# Set in the worker process: only there may parsing fork helpers (never in the GUI process).
_in_worker = False


def compare_task(
    articles: Sequence[Article],
    min_score: float | None = None,
    *,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
) -> Comparison:
    """The comparison the window runs (module level so a worker process can unpickle it)."""
    global _model_ready
    from app.core.compare import compare_articles

    if _model_ready:
        # The engine announces the model on every run; loaded already, it takes no time, and
        # "Loading the language model" on each Remove would say the opposite.
        inner = progress

        def progress(fraction: float, message: str) -> None:
            inner(fraction, "Reading the articles" if message == LOADING_MESSAGE else message)

    # The worker process keeps the Docs it parsed (and the parse cache keeps them on disk), so
    # adding one article to twenty parses one. Parsing forks helpers only from the worker: a
    # fork of the GUI process would copy Qt's threads' locks.
    workers = None if _in_worker else 1
    if min_score is None:
        result = compare_articles(articles, progress=progress, cancelled=cancelled,
                                  workers=workers)
    else:
        result = compare_articles(articles, min_score=min_score, progress=progress,
                                  cancelled=cancelled, workers=workers)
    _model_ready = True
    return result


def clear_parse_cache_task(
    *, progress: Callable[[float, str], None], cancelled: Callable[[], bool]
) -> tuple[int, int]:
    """Empty the parse cache on disk and the Docs this process keeps, and the comparisons made
    from them: (parsed articles, bytes) freed. Run on the comparison runner, so that in process
    mode the worker's memory is emptied."""
    from app.core import comparecache, nlp, reading
    from app.core.parsecache import ParseCache

    progress(0.0, "Clearing the parse cache")
    nlp.memory().clear()
    store = comparecache.default_store()
    try:
        parses = ParseCache.default()
        readings = reading.count(parses)  # kept next to the parses, cleared with them
        stats = parses.clear()
        kept = store.clear() if store is not None else None
    except OSError:
        return 0, 0
    return (max(0, stats.entries - readings),
            stats.bytes + (kept.bytes if kept is not None else 0))


def load_paths_task(
    raw_paths: Sequence[str],
    *,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
) -> tuple[list[Article], list[Any]]:
    """Read article files (PDFs take a moment) off the GUI thread: (articles, errors)."""
    from app.core.articles import load_paths

    progress(0.0, "Reading files…")
    return load_paths(list(raw_paths))


def warm_up_task(*, progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> str:
    """Load the language model before the first comparison needs it."""
    global _model_ready
    from app.core import nlp

    _, info = nlp.load_pipeline()
    # The engine's modules too, so the first comparison does not wait for their imports.
    import app.core.compare  # noqa: F401

    _model_ready = True
    return info.description


class _Throttle:
    def __init__(self, emit: Callable[[float, str], None]) -> None:
        self._emit = emit
        self._last = 0.0
        self._last_message = ""

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if message != self._last_message or now - self._last >= PROGRESS_INTERVAL or fraction >= 1:
            self._last = now
            self._last_message = message
            self._emit(fraction, message)


def default_task_mode() -> str:
    """"process" (measured: it keeps the GUI thread's longest stall about half that of a
    thread, because spaCy holds the GIL while parsing); PARALLAX_TASKS=thread overrides."""
    mode = os.environ.get(ENV_TASKS, "").strip().lower()
    return mode if mode in ("thread", "process") else "process"


class WorkerPool:
    """The comparison worker: one spawned process, its progress queue and cancel counter.
    Qt-free, so that it can be started before the app imports Qt; `TaskRunner` adopts it (with
    the jobs submitted so far) or makes its own."""

    def __init__(self) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        self.queue: Any = ctx.Queue()
        self.cancel_upto: Any = ctx.Value("q", -1)
        self.executor = ProcessPoolExecutor(
            max_workers=1,
            mp_context=ctx,
            initializer=_child_init,
            initargs=(self.queue, self.cancel_upto, os.getpid()),
        )
        # Jobs submitted before a runner adopted the pool (the runner takes them over).
        self.submitted: list[tuple[int, Future[Any]]] = []

    def submit(self, job: int, fn: TaskFn, args: tuple[Any, ...] = ()) -> Future[Any]:
        """Run `fn(*args)` in the worker as job number `job`."""
        return self.executor.submit(_child_run, job, fn, args)


def start_warm_worker() -> WorkerPool:
    """The worker, already loading the language model (job 0) while the caller goes on."""
    pool = WorkerPool()
    pool.submitted.append((0, pool.submit(0, warm_up_task)))
    return pool


# Worker-process side -------------------------------------------------------------------------

_child_queue: Any = None
_child_cancel: Any = None


def _child_init(progress_queue: Any, cancel_upto: Any, parent_pid: int) -> None:
    global _child_queue, _child_cancel, _in_worker
    _in_worker = True
    _child_queue = progress_queue
    _child_cancel = cancel_upto
    # Ctrl+C in a terminal reaches the whole process group: the app decides, not the worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent_pid)


def exit_with_parent(parent_pid: int) -> None:
    """End this process when `parent_pid` is no longer its parent (the app died)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(0)

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_INTERVAL)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch, name="parallax-parent-watch", daemon=True).start()


def _child_run(job: int, fn: TaskFn, args: tuple[Any, ...]) -> Any:
    def progress(fraction: float, message: str) -> None:
        _child_queue.put((job, fraction, message))

    def cancelled() -> bool:
        return bool(_child_cancel.value >= job)

    return fn(*args, progress=_Throttle(progress), cancelled=cancelled)
