"""Benchmarks: `python -m app.bench [--runs N] [--msrp PATH] [--skip-msrp]`. Prints medians.

    python -m app.bench --scale [--sizes 5,20,50,100,200] [--single]   (see app/bench_scale.py)
    python -m app.bench --conflict-share 100

Seeds (the sample story):
  model load    spaCy pipeline load in a fresh process (import + load), median of N processes
  whole compare `python -m app compare --json seeds/` as a fresh process, median of N processes:
                cold (an empty cache each time); warm, parses cached (every parse in the
                cache, the findings found again: --recompute); warm, compared before (the
                comparison itself from the comparison cache)
  parse         nlp.pipe over the five articles (warm model)
  align         passage matching after parsing
  conflicts     conflict finders after matching, total and per stage

MSRP (Microsoft Research Paraphrase Corpus, ../shared/external/msrp; test data, never shipped):
all first sentences form article A, all second sentences, shuffled with a fixed seed, form article
B. Every predicted link between a line of A and a line of B counts; a true positive is a pair the
corpus labels as paraphrase. The difflib baseline runs in the same process on the same input:
SequenceMatcher.ratio on the raw sentences (real_quick_ratio/quick_ratio prefilters, as difflib's
own get_close_matches does), mutual best above its F1-optimal threshold.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.benchenv import describe as describe_env
from app.benchenv import installed_env
from app.core import align, conflicts, nlp, parsecache, reading
from app.core.analysis import Analysis
from app.core.articles import article_from_text, load_paths
from app.core.compare import analyse
from app.core.parsecache import ParseCache


def _shared(*parts: str) -> Path:
    """Test data in ../shared (from a worktree: its main checkout's ../shared)."""
    root = paths.bundle_root()
    for base in (root.parent, root.parent.parent):
        if (base / "shared").joinpath(*parts).exists():
            return (base / "shared").joinpath(*parts)
    return (root.parent / "shared").joinpath(*parts)


DEFAULT_MSRP = _shared("external", "msrp", "msr-para-val.tsv")


def _median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def _fresh_process(code: list[str], runs: int, cache: str = "cold") -> float:
    """Median wall time of `python CODE` in fresh processes. cache "cold": an empty parse
    cache each run; "warm": one cache filled before the timed runs; "parses": that, with the
    articles' readings deleted before each run (every article read again from its parse)."""
    import shutil
    import tempfile

    times = []
    warm_dir = tempfile.mkdtemp(prefix="parallax-bench-cache-")
    env = installed_env(dict(os.environ, PYTHONWARNINGS="ignore"))
    try:
        if cache in ("warm", "parses"):
            subprocess.run([sys.executable, *code], check=True, stdout=subprocess.DEVNULL,
                           env=dict(env, PARALLAX_CACHE_DIR=warm_dir), cwd=paths.bundle_root())
        for _ in range(runs):
            cold_dir = tempfile.mkdtemp(prefix="parallax-bench-cache-")
            run_env = dict(env, PARALLAX_CACHE_DIR=cold_dir if cache == "cold" else warm_dir)
            if cache == "parses":
                reading.forget(ParseCache(Path(warm_dir) / parsecache.SUBDIR))
            t = time.perf_counter()
            subprocess.run([sys.executable, *code], check=True, stdout=subprocess.DEVNULL,
                           env=run_env, cwd=paths.bundle_root())
            times.append(time.perf_counter() - t)
            shutil.rmtree(cold_dir, ignore_errors=True)
    finally:
        shutil.rmtree(warm_dir, ignore_errors=True)
    return statistics.median(times)


def bench_seeds(runs: int) -> dict[str, float]:
    out: dict[str, float] = {}
    out["model load (fresh process)"] = _fresh_process(
        ["-c", "from app.core.nlp import load_pipeline; load_pipeline()"], runs
    ) - _fresh_process(["-c", "pass"], runs)
    compare = ["-m", "app", "compare", "--json", "--quiet", "seeds"]
    out["whole compare incl. model load, cold cache (fresh process)"] = _fresh_process(
        compare, runs, cache="cold")
    out["whole compare, warm: parses cached, read again (fresh process)"] = _fresh_process(
        [*compare, "--recompute"], runs, "parses")
    out["whole compare, warm: articles read before (fresh process)"] = _fresh_process(
        [*compare, "--recompute"], runs, "warm")
    out["whole compare, warm: compared before (fresh process)"] = _fresh_process(
        compare, runs, "warm")
    articles, _ = load_paths([paths.seeds_dir()])
    model, _ = nlp.load_pipeline()
    out["parse (warm)"], _ = _median_time(lambda: nlp.parse(articles, model), runs)
    docs = nlp.parse(articles, model)

    def matching() -> tuple[Analysis, dict[tuple[int, int], float]]:
        passages = [align.passages_for(i, a, d) for i, (a, d) in enumerate(zip(articles, docs,
                                                                                 strict=True))]
        an = Analysis(articles=tuple(articles), docs=docs, passages=passages)
        best = align.align(an)
        align.match_findings(an)
        align.unique_findings(an, best)
        return an, best

    out["passages + matching after parse"], result = _median_time(matching, runs)
    # Per-stage medians; bench_conflicts drops the per-Doc caches so each run is a cold one.
    out.update(conflicts.bench_conflicts(result[0], runs))  # type: ignore[index]
    return out


def _read_msrp(path: Path) -> tuple[list[str], list[str], list[bool]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [r[3] for r in rows], [r[4] for r in rows], [r[0] == "1" for r in rows]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in text.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _prf(pred: set[tuple[int, int]], true: set[tuple[int, int]]) -> tuple[float, float, float]:
    tp = len(pred & true)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(true) if true else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _mutual_best(scores: dict[tuple[int, int], float], threshold: float) -> set[tuple[int, int]]:
    row: dict[int, float] = {}
    col: dict[int, float] = {}
    for (i, j), s in scores.items():
        row[i] = max(row.get(i, 0.0), s)
        col[j] = max(col.get(j, 0.0), s)
    return {(i, j) for (i, j), s in scores.items()
            if s >= threshold and s >= row[i] and s >= col[j]}


def difflib_scores(a: list[str], b: list[str], floor: float) -> dict[tuple[int, int], float]:
    out: dict[tuple[int, int], float] = {}
    for i, x in enumerate(a):
        sm = difflib.SequenceMatcher(None, autojunk=False)
        sm.set_seq2(x.lower())
        for j, y in enumerate(b):
            sm.set_seq1(y.lower())
            if sm.real_quick_ratio() >= floor and sm.quick_ratio() >= floor:
                r = sm.ratio()
                if r >= floor:
                    out[(i, j)] = r
    return out


@dataclass(frozen=True)
class MsrpResult:
    pairs: int
    paraphrases: int
    parse_time: float
    ours: tuple[float, float, float]  # precision, recall, F1
    ours_time: float
    difflib: tuple[float, float, float]
    difflib_time: float
    difflib_threshold: float


def bench_msrp(path: Path, runs: int) -> MsrpResult:
    first, second, labels = _read_msrp(path)
    order = list(range(len(second)))
    random.Random(20210413).shuffle(order)  # line k of B holds second[order[k]]
    where = {orig: k for k, orig in enumerate(order)}
    true = {(i, where[i]) for i in range(len(first)) if labels[i]}
    text_a = "\n".join(first)
    text_b = "\n".join(second[k] for k in order)
    art_a = article_from_text(text_a, article_id="a0", name="msrp-1")
    art_b = article_from_text(text_b, article_id="a1", name="msrp-2")
    # article_from_text keeps lines as they are; map character offsets back to line numbers.
    starts_a, starts_b = _line_starts(art_a.text), _line_starts(art_b.text)

    import bisect

    t = time.perf_counter()
    analysis, _, _, _ = analyse([art_a, art_b])
    parse_time = time.perf_counter() - t

    def ours() -> set[tuple[int, int]]:
        best = align.align(analysis)
        align.match_findings(analysis)
        align.unique_findings(analysis, best)
        pred = set()
        for lk in analysis.links:
            pa, pb = analysis.passage(lk.a), analysis.passage(lk.b)
            la = bisect.bisect_right(starts_a, pa.start) - 1
            lb = bisect.bisect_right(starts_b, pb.start) - 1
            pred.add((la, lb))
        return pred

    our_time, pred = _median_time(ours, runs)
    assert isinstance(pred, set)
    ours_prf = _prf(pred, true)

    t = time.perf_counter()
    raw = difflib_scores(first, [second[k] for k in order], floor=0.3)
    difflib_time = time.perf_counter() - t
    best_thr, best_prf = 0.0, (0.0, 0.0, 0.0)
    for step in range(30, 95, 5):
        thr = step / 100
        prf = _prf(_mutual_best(raw, thr), true)
        if prf[2] > best_prf[2]:
            best_thr, best_prf = thr, prf
    return MsrpResult(
        pairs=len(first),
        paraphrases=len(true),
        parse_time=parse_time,
        ours=ours_prf,
        ours_time=our_time,
        difflib=best_prf,
        difflib_time=difflib_time,
        difflib_threshold=best_thr,
    )


DEFAULT_FAKES = _shared("external", "fakes", "FA-KES-dev.csv")


def bench_realworld() -> None:
    """Conflicts on the hand-labelled FA-KES clusters (tests/data/realworld): per cluster, the
    conflicts shown, right and false, and the key disagreements found with all their figures."""
    try:
        from tests import realworld as rw
    except ImportError:
        print("\nReal-world clusters: skipped (tests/ is not here; run from a source checkout)")
        return
    from app.core.compare import compare_articles

    scores = []
    print("\nReal-world clusters (FA-KES, labelled by hand): conflicts shown / right / false, "
          "key disagreements found")
    for cluster in rw.clusters():
        articles, _errors = load_paths(cluster.files)
        score = rw.score(cluster, compare_articles(articles).to_json())
        scores.append(score)
        tag = f" [{cluster.control}]" if cluster.control else ""
        print(f"  {cluster.name + tag:<40} shown {score.shown:2d}  right {score.right:2d}  "
              f"false {len(score.false):2d}  key {score.key_found}/{score.key_total}")
        for label in score.false:
            print(f"      false: {label[:110]}")
    t = rw.totals(scores)
    print(f"  total: {t['right']:.0f} of {t['shown']:.0f} shown right (precision "
          f"{t['precision']:.3f}); key disagreements {t['key_found']:.0f} of {t['key']:.0f} "
          f"(recall {t['recall']:.3f}); false alarms on controls {t['control_false']:.0f}")


def bench_conflict_share(path: Path, n: int, runs: int) -> None:
    """Share of a whole compare that conflict finding takes, on n FA-KES articles."""
    from app.core.compare import compare_articles

    rows = list(csv.DictReader(path.open(encoding="utf-8")))[:n]
    articles = [article_from_text(r["article_content"], article_id=f"a{i}",
                                  name=f"{r['source']}-{r['unit_id']}.txt")
                for i, r in enumerate(rows)]
    from app.core import nlp

    nlp.load_pipeline()
    for label, cache in (("parsing every article", False), ("every parse kept", True)):
        shares, totals, conf = [], [], []
        if cache:
            compare_articles(articles, reuse=False)  # fills this process's memory of parses
        for _ in range(max(1, runs)):
            conflicts.forget_read_articles()  # each run reads every article, as a new story does
            c = compare_articles(articles, cache=cache, reuse=False)
            shares.append(c.timings["conflicts"] / c.timings["total"])
            totals.append(c.timings["total"])
            conf.append(c.timings["conflicts"])
        stages = ", ".join(f"{k} {v:.2f}" for k, v in conflicts.LAST_TIMINGS.items())
        print(f"\nConflict finding on {len(articles)} FA-KES articles (model loaded; {label}): "
              f"whole compare {statistics.median(totals):.2f} s, conflicts "
              f"{statistics.median(conf):.2f} s = {100 * statistics.median(shares):.1f}% of the "
              f"whole (last run's stages, s: {stages})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    ap.add_argument("--msrp", type=Path, default=DEFAULT_MSRP, help="MSRP .tsv file")
    ap.add_argument("--skip-msrp", action="store_true")
    ap.add_argument("--realworld", action="store_true",
                    help="only the labelled real-world clusters (tests/data/realworld)")
    ap.add_argument("--conflict-share", type=int, metavar="N", default=0,
                    help="only: the share of conflict finding in a compare of N FA-KES articles")
    ap.add_argument("--fakes", type=Path, default=DEFAULT_FAKES, help="FA-KES .csv file")
    ap.add_argument("--scale", action="store_true",
                    help="only: cold and warm compare against bare spaCy, time and memory for "
                    "--sizes FA-KES articles (app/bench_scale.py)")
    ap.add_argument("--sizes", default="5,20,50,100,200", help="--scale: article counts")
    ap.add_argument("--single", action="store_true",
                    help="--scale: also a cold compare parsing in one process")
    args = ap.parse_args(argv)
    if args.scale:
        from app import bench_scale

        runs = args.runs if "--runs" in (argv if argv is not None else sys.argv) else 3
        return bench_scale.report([int(x) for x in args.sizes.split(",") if x], args.fakes,
                                  runs, args.single)
    if args.realworld:
        bench_realworld()
        return 0
    if args.conflict_share:
        if not args.fakes.exists():
            print(f"FA-KES: {args.fakes} not found (pass --fakes PATH)")
            return 2
        bench_conflict_share(args.fakes, args.conflict_share, args.runs)
        return 0
    print(f"Parallax benchmark: {args.runs} runs each, medians; {os.cpu_count()} CPUs; "
          f"{describe_env()}")
    print("\nSeeds (5 articles):")
    for name, secs in bench_seeds(args.runs).items():
        print(f"  {name:<48} {secs * 1000:8.1f} ms")
    if args.skip_msrp:
        return 0
    if not args.msrp.exists():
        print(f"\nMSRP: skipped, {args.msrp} not found (pass --msrp PATH)")
        return 0
    r = bench_msrp(args.msrp, args.runs)
    (op, orr, of), ot = r.ours, r.ours_time
    (dp, dr, df), dt = r.difflib, r.difflib_time
    print(f"\nMSRP passage matching: {r.pairs} sentence pairs, {r.paraphrases} labelled "
          f"paraphrase; parse {r.parse_time:.2f} s (not counted below)")
    print(f"  {'matcher':<34} {'precision':>9} {'recall':>7} {'F1':>6} {'time':>10}")
    name = "Parallax (rapidfuzz + IDF)"
    print(f"  {name:<34} {op:9.3f} {orr:7.3f} {of:6.3f} {ot * 1000:8.1f} ms")
    base = f"difflib baseline (thr {r.difflib_threshold:.2f})"
    print(f"  {base:<34} {dp:9.3f} {dr:7.3f} {df:6.3f} {dt * 1000:8.1f} ms")
    print(f"  speed-up over difflib: {dt / ot:.0f}x; F1 difference: {of - df:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
