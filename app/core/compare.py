"""The whole comparison: articles in, a `Comparison` (findings and facts) out.

    analyse(articles)          -> Analysis   (parse + passages + matching)
    compare_articles(articles) -> Comparison (analysis + conflicts + ordering + ids)

Both accept `progress(fraction, message)` and `cancelled()`; cancelling raises `Cancelled`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from app.core import align, comparecache, conflicts, nlp, reading
from app.core.analysis import Analysis
from app.core.model import (
    CONFLICT_KINDS,
    MATCH,
    UNIQUE,
    Article,
    Cancelled,
    CancelledFn,
    Comparison,
    Fact,
    Finding,
    ProgressFn,
    never_cancelled,
    no_progress,
)
from app.core.parsecache import ParseCache

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Findings order: conflicts first (figures, quotes, names, dates), then matches, then unique.
_KIND_ORDER = {k: i for i, k in enumerate((*CONFLICT_KINDS, MATCH, UNIQUE))}
_SEVERITY_ORDER = {"contradiction": 0, "discrepancy": 1, "variant": 2}


def _scaled(progress: ProgressFn, lo: float, hi: float) -> ProgressFn:
    def inner(fraction: float, message: str) -> None:
        progress(lo + (hi - lo) * max(0.0, min(1.0, fraction)), message)

    return inner


def analyse(
    articles: Sequence[Article],
    options: align.AlignOptions = align.DEFAULT_OPTIONS,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = never_cancelled,
    timings: dict[str, float] | None = None,
    cache: ParseCache | bool | None = True,
    workers: int | None = None,
) -> tuple[Analysis, dict[tuple[int, int], float], str, str | None]:
    """Parse and match. Returns (analysis, best score per passage, pipeline name, warning).

    `cache`: True uses the parse cache in the user's cache folder and this process's memory
    of recent parses; a `ParseCache` uses that folder; False or None parses every article
    afresh. `workers`: parsing processes (None: as many as pay, see `nlp.default_workers`).
    """
    t = timings if timings is not None else {}
    t0 = time.perf_counter()
    progress(0.0, "Reading the articles")
    store = _parse_cache(cache)
    use_memory = cache not in (False, None)
    # The pipeline as known without loading it (None: only loading it tells).
    info = nlp.resolve_pipeline(nlp.MODEL_CANDIDATES)
    # Articles read before (readings on disk) need no Doc at all; those whose Doc this
    # process keeps are taken from that memory instead.
    fingerprint = info.fingerprint if store is not None and info is not None else None
    kept: dict[int, Doc] = {}
    remembered: list[bool] = []
    if store is not None and fingerprint:
        remembered = nlp.remembered(articles, fingerprint) if use_memory else []
        kept = reading.load(store, articles, fingerprint, skip=remembered)
    rest = [i for i in range(len(articles)) if i not in kept]
    stats = nlp.ParseStats()
    parsed: list[Doc] = []
    if rest or info is None:
        parsed, info = nlp.parse_articles(
            [articles[i] for i in rest], cache=store, use_memory=use_memory, workers=workers,
            progress=_scaled(progress, 0.02, 0.7), cancelled=cancelled, stats=stats,
            reader=reading.Reader(),
        )
    by_index = dict(zip(rest, parsed, strict=True)) | kept
    docs = [by_index[i] for i in range(len(articles))]
    t2 = time.perf_counter()
    t["load"] = stats.seconds_load
    t["parse"] = t2 - t0 - stats.seconds_load
    t["parsed"] = float(stats.parsed)
    t["cached"] = float(stats.from_memory + stats.from_disk + len(kept))
    t["read before"] = float(len(kept))
    passages = [
        align.passages_for(i, a, d) for i, (a, d) in enumerate(zip(articles, docs, strict=True))
    ]
    analysis = Analysis(articles=tuple(articles), docs=docs, passages=passages)
    best = align.align(analysis, options, _scaled(progress, 0.7, 0.85), cancelled)
    t["align"] = time.perf_counter() - t2
    if store is not None and info.fingerprint and len(kept) < len(articles):
        reading.save(store, analysis, info.fingerprint, remembered)
    return analysis, best, info.description, info.warning


def _parse_cache(cache: ParseCache | bool | None) -> ParseCache | None:
    if isinstance(cache, ParseCache):
        return cache
    if cache is True:
        try:
            return ParseCache.default()
        except OSError:
            return None  # no writable cache folder: parse every time
    return None


def _sort_key(f: Finding, order: dict[str, int]) -> tuple[object, ...]:
    first = min((order[s.article], s.start) for s in f.spans)
    return (
        _KIND_ORDER.get(f.kind, 99),
        _SEVERITY_ORDER.get(f.severity or "", 9),
        -round(f.score, 4),
        first,
        f.label,
    )


def compare_articles(
    articles: Sequence[Article],
    min_score: float = align.DEFAULT_MIN_SCORE,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = never_cancelled,
    cache: ParseCache | bool | None = True,
    workers: int | None = None,
    reuse: bool | None = None,
) -> Comparison:
    """Compare articles (ids must be unique). Same input: same findings in the same order,
    with or without the parse cache (`cache`, `workers`: see `analyse`).

    `reuse`: take the comparison from the comparison cache when these very articles were
    compared before by this engine and pipeline, and keep it there (`app.core.comparecache`);
    None does so with the user's cache folder (`cache` True) only.
    """
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise ValueError(f"article ids must be unique: {ids}")
    t0 = time.perf_counter()
    store = comparecache.default_store() if (cache is True if reuse is None else reuse) else None
    # The pipeline as known without loading it; none known, nothing kept.
    fingerprint = _pipeline_fingerprint() if store is not None else None
    key = comparecache.comparison_key(articles, min_score, fingerprint) if fingerprint else None
    if store is not None and key is not None:
        kept = comparecache.read(store, key, articles)
        if kept is not None:
            progress(1.0, "Done")
            return replace(kept, timings={"total": time.perf_counter() - t0, "parsed": 0.0,
                                          "cached": float(len(articles)), "reused": 1.0})
    result = _compare(articles, min_score, progress, cancelled, cache, workers, t0)
    # Kept only if the pipeline that parsed is the one the key names.
    if store is not None and key is not None and _pipeline_fingerprint() == fingerprint:
        comparecache.write(store, key, result)
    return result


def _pipeline_fingerprint() -> str | None:
    info = nlp.resolve_pipeline(nlp.MODEL_CANDIDATES)
    return info.fingerprint if info is not None and info.fingerprint else None


def _compare(
    articles: Sequence[Article],
    min_score: float,
    progress: ProgressFn,
    cancelled: CancelledFn,
    cache: ParseCache | bool | None,
    workers: int | None,
    t0: float,
) -> Comparison:
    timings: dict[str, float] = {}
    options = align.AlignOptions(min_score=min_score)
    analysis, best, pipeline, warning = analyse(articles, options, progress, cancelled, timings,
                                                cache=cache, workers=workers)
    findings = align.match_findings(analysis) + align.unique_findings(analysis, best, options)
    facts: list[Fact] = []
    t1 = time.perf_counter()
    if cancelled():
        raise Cancelled
    progress(0.87, "Looking for conflicts")
    found, facts = conflicts.find_conflicts(analysis, _scaled(progress, 0.87, 0.98), cancelled)
    findings.extend(found)
    timings["conflicts"] = time.perf_counter() - t1
    order = {a.id: i for i, a in enumerate(articles)}
    findings.sort(key=lambda f: _sort_key(f, order))
    renamed: dict[str, str] = {}
    numbered: list[Finding] = []
    for i, f in enumerate(findings, 1):
        if f.id:
            renamed[f.id] = f"f{i}"
        numbered.append(replace(f, id=f"f{i}"))
    facts = [
        replace(fact, id=f"k{i}", finding=renamed.get(fact.finding) if fact.finding else None)
        for i, fact in enumerate(facts, 1)
    ]
    timings["total"] = time.perf_counter() - t0
    warnings = tuple(w for w in (warning,) if w)
    progress(1.0, "Done")
    return Comparison(
        articles=tuple(articles),
        findings=tuple(numbered),
        facts=tuple(facts),
        warnings=warnings,
        pipeline=pipeline,
        timings=timings,
    )
