"""GUI timings: launch -> first paint, launch -> findings shown, longest GUI-thread stall.

    python -m app.ui.bench [--runs 5] [--mode thread|process|both] [--size 1600x1000]

Each run is a fresh process (so "launch" includes the interpreter and imports), started with
QT_QPA_PLATFORM=offscreen unless a platform is set, with an empty parse cache of its own. The
child opens the window, compares the articles once from cold (model not loaded, nothing
cached), once more warm (F5), then adds one more article (File > Open, added to the
comparison) and times until its findings are shown, while a 10 ms QTimer heartbeat records the
longest gap between ticks: the longest time the GUI thread could not run its event loop.
Stalls include painting the highlights once a comparison arrives.

Scenarios: the 5 seed articles, and 20 articles (the seeds 4 times, each copy with small
edits so that no two texts are identical); the added article is a sixth edit of a seed. For
comparison, `cli` is `python -m app compare --json` on the same files in a fresh process with
an empty parse cache. Prints medians over the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.benchenv import describe as describe_env
from app.benchenv import installed_env

HEARTBEAT_MS = 10
AFTER_SHOWN_MS = 200  # keep the heartbeat going while the highlights get painted


def make_extra(seeds: Path, out: Path) -> str:
    """One more article to add: a seed with its own edits."""
    src = sorted(seeds.glob("*.txt"))[2]
    text = src.read_text(encoding="utf-8").replace("Russia", "Moscow", 3)
    path = out / f"extra_{src.name}"
    path.write_text(text + "\n\nThis copy was added during the benchmark.", encoding="utf-8")
    return str(path)


def make_twenty(seeds: Path, out: Path) -> list[str]:
    """The seeds copied 4 times with small, distinct edits."""
    edits = [
        ("", ""),
        ("Biden", "President Biden"),
        ("Putin", "Vladimir Putin"),
        ("Ukraine", "Ukraine's government"),
    ]
    files = []
    for copy, (old, new) in enumerate(edits):
        for src in sorted(seeds.glob("*.txt")):
            text = src.read_text(encoding="utf-8")
            if old:
                text = text.replace(old, new, 2)
            text += f"\n\nThis copy was edited for the benchmark ({copy})."
            path = out / f"{copy}_{src.name}"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
    return files


# Child process ------------------------------------------------------------------------------


def child(args: argparse.Namespace) -> int:
    launched = float(args.launched)
    os.environ.setdefault("PARALLAX_DATA_DIR", tempfile.mkdtemp(prefix="parallax-bench-"))
    from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.main import parse_size, start_app

    # As the app starts: in process mode the worker is started before the window is built, and
    # the cycle collector rests until the first paint.
    app, early, starting = start_app(args.mode)
    from app.ui.mainwindow import MainWindow
    from app.ui.tasks import TaskRunner

    settings = QSettings(
        str(Path(os.environ["PARALLAX_DATA_DIR"]) / "bench.ini"), QSettings.Format.IniFormat
    )
    runner = early if early is not None else TaskRunner(args.mode)
    window = MainWindow(runner=runner, settings=settings, restore_layout=False)
    result: dict[str, Any] = {"mode": args.mode, "articles": 0}

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "first_paint" not in result:
                result["first_paint"] = time.time() - launched
            return False

    painter_watch = FirstPaint()
    window.installEventFilter(painter_watch)
    window.centralWidget().installEventFilter(painter_watch)

    beat = QTimer()
    beat.setInterval(HEARTBEAT_MS)
    clock = QElapsedTimer()
    state: dict[str, Any] = {"last": 0, "max": 0, "phase": "cold", "doing": "start"}
    gaps: list[tuple[str, int, int, str]] = []

    def tick() -> None:
        now = clock.elapsed()
        gap = now - state["last"]
        state["last"] = now
        state["max"] = max(state["max"], gap)
        if args.trace and gap > 30:
            gaps.append((state["phase"], now, gap, state["doing"]))

    def doing(what: str) -> None:
        state["doing"] = what

    window.runner.progress.connect(lambda _j, _f, m: doing(m))

    beat.timeout.connect(tick)

    def start_heartbeat() -> None:
        clock.start()
        state["last"] = 0
        state["max"] = 0
        beat.start()

    def stop_heartbeat(key: str) -> None:
        tick()
        beat.stop()
        result[key] = state["max"] / 1000.0

    def shown(comparison: Any) -> None:
        doing("comparison shown")
        if state["phase"] == "cold":
            result["findings_shown"] = time.time() - launched
            result["articles"] = len(comparison.articles)
            result["findings"] = len(comparison.findings)
            state["phase"] = "cold-after"
            QTimer.singleShot(AFTER_SHOWN_MS, lambda: (stop_heartbeat("stall_cold"), warm()))
        elif state["phase"] == "warm":
            result["warm_compare"] = time.time() - state["warm_started"]
            state["phase"] = "add"
            QTimer.singleShot(AFTER_SHOWN_MS, add_one)
        elif state["phase"] == "add":
            result["add_one"] = time.time() - state["add_started"]
            result["add_parsed"] = comparison.timings.get("parsed", -1)
            state["phase"] = "done"
            QTimer.singleShot(AFTER_SHOWN_MS, finish)

    def warm() -> None:
        state["phase"] = "warm"
        state["warm_started"] = time.time()
        start_heartbeat()
        window.start_comparison()

    def add_one() -> None:
        stop_heartbeat("stall_warm")
        state["add_started"] = time.time()
        start_heartbeat()
        doing("open one more (File > Open: read on the loader thread)")
        window.open_paths_in_background([args.extra])

    def finish() -> None:
        stop_heartbeat("stall_add")
        for g in gaps:
            print(f"gap {g[0]:<10} at {g[1]:>6} ms: {g[2]:>4} ms after '{g[3]}'", file=sys.stderr)
        print("BENCH " + json.dumps(result), flush=True)
        app.quit()

    window.comparison_shown.connect(shown)
    def failed(message: str) -> None:
        print(f"failed: {message}", file=sys.stderr)
        app.exit(1)

    window.comparison_failed.connect(failed)
    window.resize(*parse_size(args.size))
    window.show()

    def load() -> None:
        start_heartbeat()
        doing("open (File > Open: read on the loader thread)")
        window.open_paths_in_background(args.paths)
        doing("open returned")

    window.after_first_paint(starting.resume)  # as the app does, in this order
    window.after_first_paint(load)  # as the app opens its files
    code = app.exec()
    window.removeEventFilter(painter_watch)
    window.centralWidget().removeEventFilter(painter_watch)
    runner.shutdown(wait=True)
    window.close()
    QApplication.processEvents()
    return code


# Parent ------------------------------------------------------------------------------------


def run_cli(paths: list[str]) -> float:
    """`parallax compare --json` on the files, a fresh process, an empty parse cache."""
    with tempfile.TemporaryDirectory(prefix="parallax-bench-cache-") as cache:
        env = installed_env(dict(os.environ, PARALLAX_CACHE_DIR=cache, PYTHONWARNINGS="ignore"))
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app", "compare", "--json", "--quiet", *paths],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        return time.perf_counter() - t


def run_once(mode: str, paths: list[str], size: str, extra: str) -> dict[str, Any]:
    env = installed_env()
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PARALLAX_CACHE_DIR", None)  # the child's cache is in its own temporary data dir
    cmd = [sys.executable, "-m", "app.ui.bench", "--child", "--mode", mode, "--size", size,
           "--launched", repr(time.time()), "--extra", extra, *paths]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        # Own session: a worker process the child leaves behind is ended with it.
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, start_new_session=True)
        try:
            code = proc.wait(timeout=600)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
        out.seek(0)
        err.seek(0)
        for line in out.read().splitlines():
            if line.startswith("BENCH "):
                return dict(json.loads(line[6:]))
        raise RuntimeError(f"bench child failed ({code}): {err.read()[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.ui.bench", description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--mode", choices=("thread", "process", "both"), default="both")
    p.add_argument("--size", default="1600x1000")
    p.add_argument("--scenario", choices=("seeds", "twenty", "both"), default="both")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--trace", action="store_true", help="child: list every gap over 30 ms")
    p.add_argument("--launched", default="0", help=argparse.SUPPRESS)
    p.add_argument("--extra", default="", help=argparse.SUPPRESS)
    p.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        code = child(args)
        # The process-mode child sometimes dies in interpreter finalisation (a refcount error
        # in a C extension while garbage-collecting at exit; the app's own exit path does not
        # show it). Our numbers are printed by then: skip finalisation.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)

    from app import paths as app_paths

    seeds = app_paths.seeds_dir()
    tmp = Path(tempfile.mkdtemp(prefix="parallax-bench-twenty-"))
    scenarios = {"seeds": [str(seeds)], "twenty": make_twenty(seeds, tmp)}
    extra = make_extra(seeds, tmp)
    if args.scenario != "both":
        scenarios = {args.scenario: scenarios[args.scenario]}
    modes = ["thread", "process"] if args.mode == "both" else [args.mode]
    keys = ("cli", "first_paint", "findings_shown", "stall_cold", "warm_compare", "stall_warm",
            "add_one", "stall_add")
    print(f"Parallax GUI bench: medians of {args.runs} runs, {args.size}, "
          f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}; {describe_env()}")
    print(f"{'scenario':<8} {'mode':<8} {'articles':>8} "
          + " ".join(f"{k:>15}" for k in keys))
    for name, files in scenarios.items():
        for mode in modes:
            runs = []
            for _ in range(args.runs):
                # The CLI figure interleaved with the window's, so both see the same load.
                cli = run_cli(files)
                runs.append(dict(run_once(mode, files, args.size, extra), cli=cli))
            med = {k: statistics.median(r[k] for r in runs) for k in keys}
            worst = [max(r[k] for r in runs) for k in ("stall_cold", "stall_warm", "stall_add")]
            print(f"{name:<8} {mode:<8} {runs[0]['articles']:>8} "
                  + " ".join(f"{med[k] * 1000:>12.0f} ms" for k in keys)
                  + "   (worst stalls " + " / ".join(f"{w * 1000:.0f}" for w in worst)
                  + f" ms; the added article parsed {runs[0]['add_parsed']:.0f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
