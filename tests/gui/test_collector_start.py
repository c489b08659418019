"""The window's start rests the cycle collector until the first paint, then turns it back on
and freezes what the start made (app/ui/main.py, app/core/collector.py): the real app in a
subprocess (offscreen), closed by SIGTERM once it has shown the sample story."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.gold import ROOT, SEEDS
from tests.procs import signal_and_wait

SCRIPT = textwrap.dedent("""
    import gc, json, sys
    gc.set_threshold(650, 9, 8)
    from app.__main__ import main
    code = main([sys.argv[1]])
    print("COLLECTOR " + json.dumps({"thresholds": gc.get_threshold(),
                                     "frozen": gc.get_freeze_count()}), flush=True)
    sys.exit(code)
""")


def test_the_collector_runs_again_after_the_first_paint(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARALLAX_", "QT_"))}
    env.update(QT_QPA_PLATFORM="offscreen", PARALLAX_DATA_DIR=str(tmp_path / "data"),
               HOME=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(SEEDS)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The settings file appears as the window starts (a first run marks the guide shown);
    # the window is painted soon after, within a second at the latest.
    deadline = time.monotonic() + 60
    ini = tmp_path / "data" / "parallax.ini"
    while time.monotonic() < deadline and proc.poll() is None and not ini.exists():
        time.sleep(0.2)
    time.sleep(2.0)
    if proc.poll() is not None:
        raise AssertionError(f"the app ended early: {proc.communicate()}")
    out, err = signal_and_wait(proc, signal.SIGTERM, timeout=60)
    assert proc.returncode == 0, err
    line = next(x for x in out.splitlines() if x.startswith("COLLECTOR "))
    state = json.loads(line.removeprefix("COLLECTOR "))
    assert state["thresholds"] == [650, 9, 8]
    assert state["frozen"] > 10_000  # Qt's modules and the window
