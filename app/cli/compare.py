"""`parallax compare PATH... [--json] [--min-score X] [--no-cache] [--recompute]`: compare
articles without the window.

stdout carries the result only (the JSON contract with --json); progress and warnings go to
stderr. Exit status: 0 on success, 2 when no article could be read. Parsed articles are kept in
the parse cache (`app.core.parsecache`, in the user's cache folder) unless --no-cache is given,
and a comparison made before is taken from the comparison cache (`app.core.comparecache`)
unless --recompute or --no-cache is given; the result is the same either way.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from app.core.align import DEFAULT_MIN_SCORE
from app.core.articles import load_paths
from app.core.compare import compare_articles
from app.core.model import CONFLICT_KINDS, KINDS, Comparison


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    parser.add_argument("--json", action="store_true", help="print the comparison JSON contract")
    parser.add_argument(
        "--min-score",
        type=float,
        default=DEFAULT_MIN_SCORE,
        metavar="X",
        help=f"lowest similarity (0-1) for two passages to match (default {DEFAULT_MIN_SCORE})",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every article afresh: neither read nor write the parse cache",
    )
    parser.add_argument(
        "--recompute",
        action="store_true",
        help="find the findings again even if these articles were compared before (parses "
             "and what was read from each article still come from the cache)",
    )


class _StderrProgress:
    """A one-line progress display on stderr (only when stderr is a terminal)."""

    def __init__(self, stream: TextIO, enabled: bool):
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.last = ""

    def __call__(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        line = f"\r[{int(fraction * 100):3d}%] {message[:60]:<60}"
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\r" + " " * len(self.last) + "\r")
            self.stream.flush()


def summary(comparison: Comparison, limit: int = 5) -> str:
    lines: list[str] = []
    counts = comparison.counts()
    lines.append(f"{len(comparison.articles)} articles ({comparison.pipeline}):")
    for a in comparison.articles:
        meta = ", ".join(
            x for x in (
                a.outlet,
                f"via {a.source}" if a.source and a.source != a.outlet else None,
                a.published,
                " and ".join(a.byline) or None,
            ) if x
        )
        suffix = f" [{meta}]" if meta else ""
        lines.append(f"  {a.id}  {a.name}: {a.title or '(no title)'}{suffix}")
    lines.append("")
    lines.append("Findings: " + ", ".join(f"{counts[k]} {k}" for k in KINDS))
    sections = [
        ("Conflicts", [f for f in comparison.findings if f.kind in CONFLICT_KINDS]),
        ("Strongest matches", list(comparison.by_kind("match"))),
        ("Only in one source", list(comparison.by_kind("unique"))),
    ]
    for title, items in sections:
        if not items:
            continue
        lines.append("")
        lines.append(f"{title}:")
        ranked = sorted(items, key=lambda f: -f.score)[:limit]
        for f in ranked:
            sev = f" {f.severity}" if f.severity else ""
            lines.append(f"  [{f.kind}{sev} {f.score:.2f}] {f.label}")
        if len(items) > limit:
            lines.append(f"  … and {len(items) - limit} more (use --json for all)")
    return "\n".join(lines)


def run(args: argparse.Namespace, name: str) -> int:
    t0 = time.perf_counter()
    articles, errors = load_paths(args.paths)
    for err in errors:
        print(f"parallax: skipped {err}", file=sys.stderr)
    if not articles:
        print("parallax: no article could be read; nothing to compare.", file=sys.stderr)
        return 2
    if len(articles) == 1:
        print("parallax: only one article could be read; comparing needs two or more.",
              file=sys.stderr)
    progress = _StderrProgress(sys.stderr, enabled=not args.quiet)
    try:
        comparison = compare_articles(articles, min_score=args.min_score, progress=progress,
                                      cache=not args.no_cache,
                                      reuse=not (args.no_cache or args.recompute))
    finally:
        progress.close()
    for w in comparison.warnings:
        print(f"parallax: warning: {w}", file=sys.stderr)
    if args.json:
        json.dump(comparison.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(summary(comparison))
    if not args.quiet:
        cached = int(comparison.timings.get("cached", 0))
        note = f" ({cached} parsed before, from the cache)" if cached else ""
        if comparison.timings.get("reused"):
            note = " (compared before: the comparison from the cache)"
        print(f"parallax: compared {len(articles)} articles in {time.perf_counter() - t0:.2f} s"
              f"{note}", file=sys.stderr)
    return 0
