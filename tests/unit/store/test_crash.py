"""Crash safety: a process writing annotations is SIGKILLed at random moments; every annotation
it acknowledged (printed after the commit returned) must be in the file, which must pass
`integrity_check`.

Most rounds fork the test process (a few ms each, so 240 kills fit in seconds on a busy machine);
the forked child only uses app.store, never pytest, and leaves with os._exit. A few rounds run a
fresh `python` that imports only app.store, to show nothing depends on the fork.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.core.model import Article
from app.store.project import Project

ROOT = Path(__file__).resolve().parents[3]
FORK_ROUNDS = 240
PROCESS_ROUNDS = 8


def _writer(path: str, out: int, seed: int) -> None:
    """Child: add and edit annotations forever, acknowledging each after its commit."""
    rnd = random.Random(seed)
    project = Project.open(path, author="crash")
    os.write(out, b"ready\n")
    art = project.articles()[0]
    mine: list[str] = []
    n = 0
    while True:
        n += 1
        if mine and rnd.random() < 0.3:
            target = rnd.choice(mine)
            project.update_annotation(target, note=f"{seed}:{n}")
            os.write(out, f"upd {target} {seed}:{n}\n".encode())
        else:
            start = rnd.randrange(0, len(art.text) - 40)
            a = project.add_annotation(art.id, start, start + rnd.randint(1, 40), f"{seed}:{n}")
            mine.append(a.id)
            os.write(out, f"add {a.id} {seed}:{n}\n".encode())


def _read_available(fd: int, until: float) -> bytes:
    data = b""
    while True:
        timeout = max(0.0, until - time.monotonic())
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return data
        chunk = os.read(fd, 65536)
        if not chunk:
            return data
        data += chunk
        if until <= time.monotonic():
            return data


def _read_until_ready(fd: int, seconds: float) -> bytes:
    data = b""
    deadline = time.monotonic() + seconds
    while b"ready\n" not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    return data


def _drain(fd: int) -> bytes:
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    return data


class Ledger:
    """What the killed writers acknowledged: ids added, and the last acknowledged note of each."""

    def __init__(self) -> None:
        self.notes: dict[str, tuple[int, int]] = {}

    def record(self, output: bytes) -> int:
        count = 0
        for line in output.decode().splitlines():
            parts = line.split()
            if len(parts) != 3:
                continue
            _kind, ann_id, stamp = parts
            seed, n = (int(x) for x in stamp.split(":"))
            self.notes[ann_id] = (seed, n)
            count += 1
        return count

    def check(self, path: Path) -> None:
        with Project.open(path) as p:
            assert p.integrity_check() == ["ok"]
            stored = {a.id: a.note for a in p.annotations()}
        missing = set(self.notes) - set(stored)
        assert not missing, f"acknowledged but lost: {sorted(missing)[:5]}"
        for ann_id, (seed, n) in self.notes.items():
            s_seed, s_n = (int(x) for x in stored[ann_id].split(":"))
            # At most one later edit may have committed without being acknowledged.
            assert (s_seed, s_n) >= (seed, n), (ann_id, stored[ann_id], (seed, n))


def _hot_journal(path: Path) -> bool:
    j = path.with_name(path.name + "-journal")
    return j.exists() and j.stat().st_size > 0


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")
def test_sigkill_while_writing_loses_nothing_acknowledged(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    path = tmp_path / "crash.parallax"
    Project.open(path, create=True, articles=seed_articles[:1]).close()
    ledger = Ledger()
    rnd = random.Random(20240501)
    acknowledged = hot = 0
    for round_no in range(FORK_ROUNDS):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            try:
                os.close(r)
                _writer(str(path), w, round_no)
            finally:
                os._exit(0)
        os.close(w)
        if round_no % 10 == 0:
            # Now and then kill early: while opening, or while recovering the last crash.
            time.sleep(rnd.uniform(0, 0.004))
            output = b""
        else:
            output = _read_until_ready(r, 10.0)
            output += _read_available(r, time.monotonic() + rnd.uniform(0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        output += _drain(r)
        os.close(r)
        hot += _hot_journal(path)
        acknowledged += ledger.record(output)
        ledger.check(path)  # opening also rolls back the hot journal, as the app would
    print(f"{FORK_ROUNDS} kills, {acknowledged} acknowledged writes, {hot} mid-transaction")
    assert acknowledged > FORK_ROUNDS  # the writers really wrote between kills
    assert hot > 0  # and some kills really landed inside a transaction


CHILD = textwrap.dedent(
    """
    import os, random, sys
    from app.store.project import Project
    path, seed = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(seed)
    p = Project.open(path, author="crash")
    art = p.articles()[0]
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        start = rnd.randrange(0, len(art.text) - 40)
        a = p.add_annotation(art.id, start, start + 20, f"{seed}:{n}")
        print("add", a.id, f"{seed}:{n}", flush=True)
    """
)


@pytest.mark.slow
def test_sigkill_of_a_separate_python_process(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    path = tmp_path / "crash.parallax"
    Project.open(path, create=True, articles=seed_articles[:1]).close()
    ledger = Ledger()
    rnd = random.Random(7)
    acknowledged = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_no in range(PROCESS_ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(1000 + round_no)],
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert child.stdout is not None
        fd = child.stdout.fileno()
        output = _read_until_ready(fd, 20.0)
        assert b"ready" in output, "the child did not start"
        output += _read_available(fd, time.monotonic() + rnd.uniform(0.01, 0.1))
        child.send_signal(signal.SIGKILL)
        child.wait()
        output += _drain(fd)
        child.stdout.close()
        acknowledged += ledger.record(output)
        ledger.check(path)
    assert acknowledged >= PROCESS_ROUNDS
