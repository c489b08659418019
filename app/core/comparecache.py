"""Comparisons kept between runs: reopening yesterday's articles shows their findings at once.

A comparison is a function of its articles (texts and what the reader knows of them), the
matching threshold, the pipeline that parsed them and Parallax's own engine (its code and the
gazetteer, alias and transliteration tables). All of these go into the key:

    sha256(format, engine identity, pipeline fingerprint, threshold, every article)

where the engine identity hashes the source of `app.core` and the resource tables (in a frozen
build, which has no sources, the version stands in for them). Any change gives a new key.

The payload is the comparison's findings and facts as compact JSON (zlib-compressed), with the
full-precision scores. It is written only after reading it back gives the very same findings
and facts; a hit returns exactly what the compare would. Entries live in the cache folder under
`comparisons/` and follow the parse cache's rules (`ParseCache`): atomic writes, least recently
used first out past a size limit, and a truncated, damaged or foreign entry is a miss.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.core.model import Article, Comparison, Fact, Finding, Run, Span
from app.core.parsecache import ParseCache

FORMAT = 1
SUBDIR = "comparisons"
MAX_BYTES = 64 * 1024 * 1024


def default_store() -> ParseCache | None:
    """The comparison store in the user's cache folder (None when there is no such folder)."""
    from app import paths

    try:
        return ParseCache(paths.user_cache_dir() / SUBDIR, max_bytes=MAX_BYTES)
    except OSError:
        return None


@functools.lru_cache(maxsize=1)
def engine_identity() -> str:
    """What the findings' code and tables are: a hash of `app.core`'s sources and of the
    resource tables, plus the version."""
    from app import __version__, paths
    from app.core.nlp import ENGINE_VERSION

    h = hashlib.sha256(f"{__version__}\0{ENGINE_VERSION}\0".encode())
    core = Path(__file__).resolve().parent
    for folder, pattern in ((core, "*.py"), (paths.resources_dir(), "*.tsv")):
        for path in sorted(folder.rglob(pattern)):
            with contextlib.suppress(OSError):
                h.update(path.relative_to(folder).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def comparison_key(articles: Sequence[Article], min_score: float, pipeline_fingerprint: str
                   ) -> str:
    described = [
        {**{k: v for k, v in a.to_dict().items() if k != "text"},
         "warnings": list(a.warnings)}
        for a in articles
    ]
    blob = json.dumps([FORMAT, engine_identity(), pipeline_fingerprint, repr(min_score),
                       described], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Findings and facts <-> bytes


def _span(d: dict[str, Any]) -> Span:
    return Span(article=d["article"], start=d["start"], end=d["end"], text=d["text"],
                value=d.get("value"), side=d.get("side"), claimant=d.get("claimant"),
                superseded=bool(d.get("superseded", False)))


def _finding_data(f: Finding) -> dict[str, Any]:
    d = f.to_dict()
    d["score"] = f.score  # to_dict rounds it for the JSON contract
    return d


def _finding(d: dict[str, Any]) -> Finding:
    return Finding(
        id=d["id"], kind=d["kind"], label=d["label"], score=d["score"],
        spans=tuple(_span(s) for s in d["spans"]), severity=d.get("severity"),
        runs=tuple(Run(article=r["article"], start=r["start"], end=r["end"])
                   for r in d.get("runs", ())),
        incident=d.get("incident"),
    )


def _fact(d: dict[str, Any]) -> Fact:
    return Fact(id=d["id"], label=d["label"], counted=d["counted"], event=d["event"],
                cells=tuple(_span(c) for c in d["cells"]), finding=d["finding"])


def encode(comparison: Comparison) -> bytes | None:
    """The payload for a comparison, or None when it would not read back the same."""
    data = {
        "findings": [_finding_data(f) for f in comparison.findings],
        "facts": [f.to_dict() for f in comparison.facts],
        "warnings": list(comparison.warnings),
        "pipeline": comparison.pipeline,
    }
    try:
        payload = zlib.compress(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    except (TypeError, ValueError):
        return None  # a value JSON cannot hold
    back = decode(payload, comparison.articles)
    if back is None or (back.findings, back.facts, back.warnings, back.pipeline) != (
            comparison.findings, comparison.facts, comparison.warnings, comparison.pipeline):
        return None  # something (a tuple in a value, say) would come back different
    return payload


def decode(payload: bytes, articles: Sequence[Article]) -> Comparison | None:
    """The comparison stored in `payload`, for these articles; None if it is damaged."""
    try:
        data = json.loads(zlib.decompress(payload).decode("utf-8"))
        findings = tuple(_finding(f) for f in data["findings"])
        facts = tuple(_fact(f) for f in data["facts"])
        warnings = tuple(str(w) for w in data["warnings"])
        pipeline = str(data["pipeline"])
    except (ValueError, KeyError, TypeError, AttributeError, zlib.error):
        return None
    ids = {a.id for a in articles}
    if any(s.article not in ids for f in findings for s in f.spans):
        return None
    return Comparison(articles=tuple(articles), findings=findings, facts=facts,
                      warnings=warnings, pipeline=pipeline)


# ---------------------------------------------------------------------------------------------
# The store


def read(store: ParseCache, key: str, articles: Sequence[Article]) -> Comparison | None:
    payload = store.read(key, f"comparison/{FORMAT}")
    return decode(payload, articles) if payload is not None else None


def write(store: ParseCache, key: str, comparison: Comparison) -> bool:
    payload = encode(comparison)
    if payload is None:
        return False
    ok = store.write(key, f"comparison/{FORMAT}", key, payload)
    store.evict()
    return ok
