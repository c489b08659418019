"""Scale benchmark: `python -m app.bench --scale [--sizes 5,20,50,100,200] [--runs 3]`.

For each size N, the first N articles of the FA-KES development split (column
article_content; test data in ../shared/external/fakes, never shipped), each measurement in a
fresh process, the language model loaded and spaCy imported before the clock starts:

  bare   spaCy alone: `nlp.pipe(texts)` in one process, nothing else
  cold   `compare_articles` with an empty parse cache (parse in parallel where it pays, fill
         the cache, match, find conflicts)
  parses `compare_articles` in a new process reading every parse from that cache (the model
         is not even loaded), the articles' readings deleted first: every article read again
  warm   `compare_articles` in a new process with every article read before (its reading kept
         in the cache next to its parse): only the pairing is done

Ratios are cold/bare, parses/bare and warm/bare of the same run. Peak memory is the largest
sum, over the measured process and every process it started (forked parsing helpers), of
resident memory (RSS, counting shared pages once per process: an upper bound) and of
proportional memory (PSS, shared pages split between the processes sharing them), sampled
every 20 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from app import paths
from app.benchenv import describe as describe_env
from app.benchenv import installed_env

DEFAULT_SIZES = (5, 20, 50, 100, 200)
SAMPLE_SECONDS = 0.02


def fakes_path() -> Path:
    """FA-KES-dev.csv next to the repository (or a worktree's main checkout)."""
    rel = Path("shared") / "external" / "fakes" / "FA-KES-dev.csv"
    root = paths.bundle_root()
    for base in (root.parent, root.parent.parent):
        if (base / rel).exists():
            return base / rel
    return root.parent / rel


def fakes_articles(path: Path, n: int) -> list[Any]:
    from app.core.articles import article_from_text

    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["article_content"].strip()][:n]
    return [article_from_text(r["article_content"], article_id=f"a{i}",
                              name=f"{r['source']}-{r['unit_id']}.txt")
            for i, r in enumerate(rows)]


# Child process ------------------------------------------------------------------------------


def child(mode: str, n: int, fakes: Path, cache_dir: str) -> dict[str, Any]:
    from app.core import nlp
    from app.core.compare import compare_articles
    from app.core.lazyspacy import import_spacy
    from app.core.parsecache import ParseCache

    articles = fakes_articles(fakes, n)
    import_spacy()
    out: dict[str, Any] = {"mode": mode, "articles": len(articles),
                           "chars": sum(len(a.text) for a in articles)}
    if mode == "bare":
        model, _ = nlp.load_pipeline()
        t = time.perf_counter()
        docs = list(model.pipe(a.text for a in articles))
        out["seconds"] = time.perf_counter() - t
        out["tokens"] = sum(len(d) for d in docs)
        return out
    if mode.startswith("cold"):
        nlp.load_pipeline()
    workers = 1 if mode == "cold1" else None
    t = time.perf_counter()
    comparison = compare_articles(articles, cache=ParseCache(cache_dir), workers=workers)
    out["seconds"] = time.perf_counter() - t
    out["timings"] = comparison.timings
    out["model_loaded"] = nlp.loaded_pipeline() is not None
    out["json_sha256"] = hashlib.sha256(
        json.dumps(comparison.to_json(), sort_keys=True).encode()).hexdigest()
    out["findings"] = len(comparison.findings)
    return out


# Parent: run a child, sample its memory -------------------------------------------------------


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    with contextlib.suppress(OSError, ValueError):
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    break
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    break
    return rss, pss


class MemorySampler:
    """Peak of the summed RSS and PSS of a process tree (Linux /proc; zeros elsewhere)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _tree(self.pid)
            sizes = [_memory_kb(p) for p in pids]
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in sizes))
            self.peak_pss = max(self.peak_pss, sum(p for _, p in sizes))
            self.peak_processes = max(self.peak_processes, sum(1 for r, _ in sizes if r))
            self._stop.wait(SAMPLE_SECONDS)


def run_child(mode: str, n: int, fakes: Path, cache_dir: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "app.bench_scale", "--child", mode, str(n), str(fakes),
           cache_dir]
    env = installed_env(dict(os.environ, PYTHONWARNINGS="ignore", PARALLAX_CACHE_DIR=cache_dir))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=paths.bundle_root(), env=env)
    with MemorySampler(proc.pid) as mem:
        out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} {n} failed: {err[-2000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = mem.peak_rss / 1024
    result["peak_pss_mb"] = mem.peak_pss / 1024
    result["processes"] = mem.peak_processes
    return result


def measure(n: int, fakes: Path, runs: int, single: bool) -> dict[str, Any]:
    """Medians over `runs` of bare, cold and warm for the first n articles."""
    from app.core import reading
    from app.core.parsecache import ParseCache

    samples: dict[str, list[dict[str, Any]]] = {}
    modes = ("bare", "cold", "parses", "warm", *(("cold1",) if single else ()))
    for _ in range(max(1, runs)):
        cache_dir = tempfile.mkdtemp(prefix="parallax-bench-cache-")
        try:
            for mode in modes:
                if mode == "cold1":
                    shutil.rmtree(cache_dir)
                if mode == "parses":
                    reading.forget(ParseCache(cache_dir))
                samples.setdefault(mode, []).append(run_child(mode, n, fakes, cache_dir))
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)
    hashes = {s["json_sha256"] for m in ("cold", "parses", "warm", "cold1")
              for s in samples.get(m, [])}
    out: dict[str, Any] = {"n": n, "articles": samples["bare"][0]["articles"],
                           "chars": samples["bare"][0]["chars"], "same_json": len(hashes) == 1}
    for mode, rows in samples.items():
        out[mode] = {
            "seconds": statistics.median(r["seconds"] for r in rows),
            "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in rows),
            "peak_pss_mb": statistics.median(r["peak_pss_mb"] for r in rows),
            "processes": max(r["processes"] for r in rows),
        }
        if mode != "bare":
            for key in ("parse", "align", "conflicts"):
                out[mode][key] = statistics.median(r["timings"].get(key, 0.0) for r in rows)
            out[mode]["model_loaded"] = any(r["model_loaded"] for r in rows)
    return out


def report(sizes: list[int], fakes: Path, runs: int, single: bool) -> int:
    if not fakes.exists():
        print(f"FA-KES: {fakes} not found (pass --fakes PATH)")
        return 2
    load = [f"{x:.2f}" for x in os.getloadavg()] if hasattr(os, "getloadavg") else ["?"]
    print(f"Parallax scale benchmark: FA-KES dev, medians of {runs} run(s), "
          f"{os.cpu_count()} CPUs, load average at start {' '.join(load)}; {describe_env()}")
    print("Each figure a fresh process with the model loaded first (bare, cold) or not at all "
          "(warm); memory: peak summed over the process and its parsing helpers.\n")
    head = (f"{'N':>4} {'chars':>7} {'bare s':>7} {'cold s':>7} {'parses s':>8} {'warm s':>7} "
            f"{'cold/bare':>9} {'parses/bare':>11} {'warm/bare':>9} {'align s':>7} "
            f"{'confl s':>7} {'confl %':>7} "
            f"{'RSS MB':>7} {'PSS MB':>7} {'procs':>5}")
    if single:
        head += f" {'1-proc s':>8}"
    print(head, flush=True)
    for n in sizes:
        r = measure(n, fakes, runs, single)
        bare, cold, parses, warm = r["bare"], r["cold"], r["parses"], r["warm"]
        line = (f"{r['articles']:>4} {r['chars']:>7} {bare['seconds']:>7.2f} "
                f"{cold['seconds']:>7.2f} {parses['seconds']:>8.2f} {warm['seconds']:>7.2f} "
                f"{cold['seconds'] / bare['seconds']:>8.2f}x "
                f"{parses['seconds'] / bare['seconds']:>10.2f}x "
                f"{warm['seconds'] / bare['seconds']:>8.2f}x "
                f"{cold['align']:>7.2f} {cold['conflicts']:>7.2f} "
                f"{100 * cold['conflicts'] / cold['seconds']:>6.1f}% "
                f"{max(cold['peak_rss_mb'], parses['peak_rss_mb'], warm['peak_rss_mb']):>7.0f} "
                f"{max(cold['peak_pss_mb'], parses['peak_pss_mb'], warm['peak_pss_mb']):>7.0f} "
                f"{cold['processes']:>5}")
        if single:
            line += f" {r['cold1']['seconds']:>8.2f}"
        notes = []
        if not r["same_json"]:
            notes.append("JSON DIFFERS between cold and warm!")
        if warm["model_loaded"] or parses["model_loaded"]:
            notes.append("a warm compare loaded the model")
        print(line + ("   " + "; ".join(notes) if notes else ""), flush=True)
    print("\nbare: spaCy's nlp.pipe alone, one process. cold: whole compare, empty cache. "
          "parses: whole compare, every parse cached, every article read again, new process. "
          "warm: whole compare, every article read before, new process. confl %: conflict "
          "finding's share of the cold compare.")
    return 0


def parallel_curve(fakes: Path, runs: int) -> int:
    """Where parsing in two processes starts to pay: one process against a forked helper,
    on 1, 2, 3, 4, 6 and 10 articles (model loaded, no cache, medians, alternating)."""
    from app.core import nlp

    if not nlp.can_fork():
        print("parallel parsing needs fork (Linux)")
        return 2
    articles = fakes_articles(fakes, 10)
    nlp.load_pipeline()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Parsing in one process vs two (a forked helper); medians of {runs}; "
          f"{os.cpu_count()} CPUs, load average {load:.2f}")
    print(f"{'articles':>8} {'chars':>7} {'1 proc ms':>10} {'2 procs ms':>10} {'gain':>6}")
    for n in (1, 2, 3, 4, 6, 10):
        subset = articles[:n]
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(max(1, runs)):
            for workers in (1, 2):
                t = time.perf_counter()
                nlp.parse_articles(subset, cache=None, use_memory=False, workers=workers,
                                   min_chars=0)
                times[workers].append(time.perf_counter() - t)
        one, two = statistics.median(times[1]), statistics.median(times[2])
        print(f"{n:>8} {sum(len(a.text) for a in subset):>7} {one * 1000:>10.0f} "
              f"{two * 1000:>10.0f} {one / two:>5.2f}x", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.bench_scale", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", nargs=4, metavar=("MODE", "N", "FAKES", "CACHE"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fakes", type=Path, default=fakes_path())
    ap.add_argument("--single", action="store_true",
                    help="also a cold compare parsing in one process only")
    ap.add_argument("--parallel", action="store_true",
                    help="only: where parsing in two processes starts to pay")
    args = ap.parse_args(argv)
    if args.parallel:
        return parallel_curve(args.fakes, args.runs)
    if args.child:
        mode, n, fakes, cache = args.child
        print(json.dumps(child(mode, int(n), Path(fakes), cache)), flush=True)
        return 0
    return report([int(s) for s in args.sizes.split(",") if s], args.fakes, args.runs,
                  args.single)


if __name__ == "__main__":
    sys.exit(main())
