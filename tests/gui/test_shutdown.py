"""No worker outlives the app (issue 13): the real app in a subprocess (offscreen, the default
"process" task mode), its worker processes found through /proc, then SIGTERM / SIGINT / SIGHUP
(a clean close: the window's layout and session are written, exit status 0) or SIGKILL (no
clean-up at all: the workers must notice on their own)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.gold import ROOT, SEEDS
from tests.procs import HAVE_PROC, alive, children, cmdline, signal_and_wait

pytestmark = pytest.mark.skipif(not HAVE_PROC, reason="finds the worker processes through /proc")


def start_app(tmp_path: Path, settle: float = 0.5) -> tuple[subprocess.Popen[str], set[int]]:
    """The app on the sample story, once its worker process (and multiprocessing's resource
    tracker) are running, `settle` seconds later."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARALLAX_", "QT_"))}
    env.update(QT_QPA_PLATFORM="offscreen", PARALLAX_DATA_DIR=str(tmp_path / "data"),
               HOME=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "app", str(SEEDS)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        if any("spawn_main" in cmdline(p) for p in workers):
            break
        time.sleep(0.1)
    if proc.poll() is not None:
        raise AssertionError(f"the app ended early: {proc.communicate()}")
    assert any("spawn_main" in cmdline(p) for p in workers), "no worker process started"
    time.sleep(settle)  # let the worker get going (it loads the language model)
    return proc, children(proc.pid)


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {p for p in pids if alive(p)}
        if not left:
            return set()
        time.sleep(0.1)
    return {p for p in pids if alive(p)}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
                         ids=["SIGTERM", "SIGINT", "SIGHUP"])
def test_quit_signal_closes_cleanly_and_ends_every_worker(tmp_path: Path, signum: int) -> None:
    proc, workers = start_app(tmp_path)
    _out, err = signal_and_wait(proc, signum)
    assert proc.returncode == 0, err
    assert f"{signal.Signals(signum).name} received, closing" in err
    assert "Traceback" not in err, err
    assert wait_gone(workers, 5) == set(), [cmdline(p) for p in workers]
    # The window closed as File > Quit closes it: layout and session written.
    ini = (tmp_path / "data" / "parallax.ini").read_text()
    assert "geometry" in ini
    assert "files=" in ini


def test_a_quit_signal_as_soon_as_the_worker_exists_closes_cleanly(tmp_path: Path) -> None:
    """The worker starts before the app imports Qt and builds its window; a signal in that
    moment is kept and handled once the event loop runs: the same clean close."""
    proc, workers = start_app(tmp_path, settle=0.0)
    _out, err = signal_and_wait(proc, signal.SIGTERM)
    assert proc.returncode == 0, err
    assert "SIGTERM received, closing" in err
    assert "Traceback" not in err, err
    assert wait_gone(workers, 5) == set(), [cmdline(p) for p in workers]


def test_workers_exit_on_their_own_when_the_app_is_killed(tmp_path: Path) -> None:
    proc, workers = start_app(tmp_path)
    proc.kill()  # SIGKILL: no handler, no clean-up in the app
    proc.wait(timeout=10)
    left = wait_gone(workers, 5)
    for p in left:  # do not leave them behind if the test fails
        os.kill(p, signal.SIGKILL)
    assert left == set(), [cmdline(p) for p in left]
