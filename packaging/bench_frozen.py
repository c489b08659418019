"""Figures for the packaged app: bundle size, and start-up times of the frozen executable.

    .venv/bin/python packaging/bench_frozen.py [--runs 5] [--dist dist]

Prints medians over --runs fresh processes of dist/parallax/parallax, each with an empty parse
cache and settings of its own (so every comparison is a cold one, as on a first start):
- first paint: launch -> the main window's first paint event (the app/ui/bench.py child, run
  inside the frozen executable through the PARALLAX_BENCH_CHILD runtime hook in build.spec),
  with the comparison in its worker process as the app runs it;
- findings shown: launch -> the seeds compared and every highlight painted;
- compare: `parallax compare --json` of the seeds, launch -> exit;
- --screenshot: launch -> the PNG of the seeds written and the process gone (compared in the
  window's own process);
- --self-test: launch -> exit 0.
The OS file cache is warm after the first run (dropping it needs root and would slow every
other process on the machine); the first run is printed separately.
Qt runs offscreen unless QT_QPA_PLATFORM is set.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes of all files, counted once; symlinks as links), number of files."""
    total = count = 0
    for path in folder.rglob("*"):
        st = path.lstat()
        if not path.is_dir() or path.is_symlink():
            total += st.st_size
            count += 1
    return total, count


def disk_usage(folder: Path) -> int | None:
    try:
        out = subprocess.run(["du", "-sk", str(folder)], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(out.split()[0]) * 1024


def env_for(tmp: Path, **extra: str) -> dict[str, str]:
    """A fresh data and cache folder under tmp: never the user's settings, recent files or
    parse cache, and nothing parsed before."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    run = Path(tempfile.mkdtemp(prefix="run-", dir=tmp))
    env["PARALLAX_DATA_DIR"] = str(run / "data")
    env["PARALLAX_CACHE_DIR"] = str(run / "cache")
    env.update(extra)
    return env


def time_command(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-1500:]}")
    return took


def gui_run(exe: Path, env: dict[str, str], seeds: Path, mode: str) -> dict[str, float]:
    cmd = [str(exe), "--mode", mode, "--size", "1600x1000", "--launched", repr(time.time()),
           str(seeds)]
    proc = subprocess.run(cmd, env=dict(env, PARALLAX_BENCH_CHILD="1"), capture_output=True,
                          text=True, timeout=600)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            return dict(json.loads(line[6:]))
    raise RuntimeError(
        f"the frozen bench child printed no result ({proc.returncode}); was the bundle built "
        f"with packaging/rthook_bench.py? {proc.stderr[-1500:]}"
    )


def fmt(seconds: list[float]) -> str:
    return (f"median {statistics.median(seconds):6.2f} s   first {seconds[0]:5.2f} s   "
            f"range {min(seconds):.2f}-{max(seconds):.2f} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--dist", default=str(ROOT / "dist"))
    args = p.parse_args(argv)
    dist = Path(args.dist)
    bundle = dist / "parallax"
    # Windows: the console twin (build.spec), since the windowed .exe has no stdout.
    exe = bundle / ("parallax-cli.exe" if os.name == "nt" else "parallax")
    if not exe.exists():
        print(f"No bundle at {bundle}: build it with `python3 -m app.bootstrap build`",
              file=sys.stderr)
        return 2
    seeds = bundle / "_internal" / "seeds"

    size, files = tree_size(bundle)
    du = disk_usage(bundle)
    print(f"Parallax frozen bundle: {bundle}")
    print(f"  unpacked        {size / 1e6:7.1f} MB ({size / 2**20:.1f} MiB) in {files} files"
          + (f"; {du / 2**20:.1f} MiB on disk" if du else ""))
    for pattern in ("*.tar.gz", "*.deb"):
        for pkg in sorted((dist / "packages").glob(pattern)):
            print(f"  {pkg.name:<40} {pkg.stat().st_size / 1e6:7.1f} MB")

    with tempfile.TemporaryDirectory(prefix="parallax-bench-frozen-") as tmp_name:
        tmp = Path(tmp_name)
        print(f"\nStart-up, {args.runs} fresh processes each, empty caches, "
              f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}:")
        gui = [gui_run(exe, env_for(tmp), seeds, "process") for _ in range(args.runs)]
        print(f"  first paint       {fmt([r['first_paint'] for r in gui])}")
        print(f"  findings shown    {fmt([r['findings_shown'] for r in gui])}"
              f"   ({gui[0]['articles']} articles, {gui[0]['findings']} findings)")
        compares = [time_command([str(exe), "compare", "--json", "--quiet", str(seeds)],
                                 env_for(tmp)) for _ in range(args.runs)]
        print(f"  compare           {fmt(compares)}")
        shots = [
            time_command([str(exe), "--screenshot", str(tmp / f"shot{i}.png"), str(seeds)],
                         env_for(tmp))
            for i in range(args.runs)
        ]
        print(f"  --screenshot      {fmt(shots)}")
        tests = [time_command([str(exe), "--self-test"], env_for(tmp)) for _ in range(args.runs)]
        print(f"  --self-test       {fmt(tests)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
