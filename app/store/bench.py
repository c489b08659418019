"""Benchmark the project store: `python -m app.store.bench [--dir DIR] [--runs N]`.

Prints medians (never asserts): adding and editing one annotation including its commit
(synchronous=FULL, rollback journal; target <= 10 ms), and opening a project with 10,000
annotations until every one is re-anchored (target <= 300 ms to usable), both with unchanged
articles and with every article shifted by an inserted paragraph (no stored position holds, so
every annotation is found again by its quote). --dir chooses the disk to measure (a USB stick or
network share is slower than a local SSD).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from app.core.model import Article
from app.store.anchoring import selector_for
from app.store.project import Project, now
from app.store.records import Annotation

SAMPLE_WORDS = (
    "the ministry said on Tuesday that 14,000 people had fled the region after the flooding "
    "while officials in the capital disputed the figure and called for an independent count "
)


def sample_articles(count: int = 5) -> list[Article]:
    """The bundled sample story when present, else generated articles of similar length."""
    try:
        from app.core.articles import load_paths
        from app.paths import bundle_root

        articles, _errors = load_paths([bundle_root() / "seeds"])
        if articles:
            return articles
    except Exception:  # the benchmark must run even where the sample story is missing
        pass
    rnd = random.Random(1)
    words = SAMPLE_WORDS.split()
    return [
        Article(id=f"a{i}", text=" ".join(rnd.choice(words) for _ in range(900)), name=f"{i}.txt")
        for i in range(count)
    ]


def _median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def bench_edits(folder: Path, articles: Sequence[Article], runs: int) -> tuple[float, float]:
    path = folder / f"edits-{uuid.uuid4().hex[:6]}.parallax"
    rnd = random.Random(2)
    with Project.open(path, create=True, articles=articles) as p:
        stored = p.articles()
        adds: list[float] = []
        ids: list[str] = []
        for _ in range(runs):
            art = rnd.choice(stored)
            start = rnd.randrange(0, len(art.text) - 60)
            t = time.perf_counter()
            a = p.add_annotation(art.id, start, start + rnd.randint(5, 60), "a note", ["Verified"])
            adds.append(time.perf_counter() - t)
            ids.append(a.id)
        edits: list[float] = []
        for i in range(runs):
            t = time.perf_counter()
            p.update_annotation(ids[i % len(ids)], note=f"edited {i}")
            edits.append(time.perf_counter() - t)
    return _median_ms(adds), _median_ms(edits)


def build_large(path: Path, articles: Sequence[Article], count: int) -> None:
    rnd = random.Random(3)
    with Project.open(path, create=True, articles=articles) as p:
        stored = p.articles()
        stamp = now()
        with p._write() as conn:
            for _ in range(count):
                art = rnd.choice(stored)
                start = rnd.randrange(0, len(art.text) - 60)
                sel = selector_for(art.text, start, start + rnd.randint(5, 60))
                p._insert_annotation(
                    conn,
                    Annotation(
                        id=str(uuid.uuid4()),
                        article_sha256=art.sha256,
                        article_id=art.id,
                        start=sel.start or 0,
                        end=sel.end or 0,
                        exact=sel.exact,
                        prefix=sel.prefix,
                        suffix=sel.suffix,
                        note="a note",
                        tags=("Verified",),
                        author="bench",
                        created=stamp,
                        updated=stamp,
                        revision=uuid.uuid4().hex,
                    ),
                )


def shift_articles(path: Path) -> None:
    """Insert a paragraph at the top of every stored article (as if replaced by a new version)."""
    with Project.open(path) as p, p._write() as conn:
        for art in p.articles(include_hidden=True):
            text = "Update: this story has been revised.\n\n" + art.text
            conn.execute(
                "UPDATE articles SET text = ?, sha256 = ? WHERE id = ?",
                (text, replace(art, text=text).sha256, art.id),
            )


def bench_open(path: Path, runs: int) -> tuple[float, float, int, int]:
    """Median seconds to open, and to open + re-anchor everything; counts of placed/orphans."""
    opens: list[float] = []
    usable: list[float] = []
    placed = orphans = 0
    for _ in range(runs):
        t = time.perf_counter()
        p = Project.open(path)
        opens.append(time.perf_counter() - t)
        anchored = p.anchored()
        usable.append(time.perf_counter() - t)
        p.close()
        orphans = sum(1 for x in anchored if x.is_orphan)
        placed = len(anchored) - orphans
    return _median_ms(opens), _median_ms(usable), placed, orphans


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.store.bench", description=__doc__)
    ap.add_argument("--dir", help="folder for the benchmark files (default: a temporary folder)")
    ap.add_argument("--runs", type=int, default=200, help="annotations added/edited (default 200)")
    ap.add_argument("--opens", type=int, default=7, help="times the large project is opened")
    ap.add_argument("--annotations", type=int, default=10_000)
    args = ap.parse_args(argv)
    articles = sample_articles()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        add_ms, edit_ms = bench_edits(folder, articles, args.runs)
        print(f"add annotation (incl. commit, synchronous=FULL): median {add_ms:.2f} ms "
              f"over {args.runs}")  # fmt: skip
        print(f"edit annotation (incl. commit):                 median {edit_ms:.2f} ms "
              f"over {args.runs}")  # fmt: skip
        large = folder / "large.parallax"
        build_large(large, articles, args.annotations)
        size_mb = large.stat().st_size / 1e6
        o, u, placed, orphans = bench_open(large, args.opens)
        print(f"open {args.annotations} annotations ({size_mb:.1f} MB): median open {o:.1f} ms, "
              f"open + re-anchor all {u:.1f} ms ({placed} placed, {orphans} orphans)")  # fmt: skip
        shift_articles(large)
        o, u, placed, orphans = bench_open(large, args.opens)
        print(f"same, every article shifted (re-anchor by quote): open {o:.1f} ms, "
              f"open + re-anchor all {u:.1f} ms ({placed} placed, {orphans} orphans)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
