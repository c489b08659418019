"""The parse cache: same results with and without it, damaged entries never trusted, a bounded
size, two processes at once, and incremental comparisons that parse only what is new.

Real spaCy, real files in temporary folders, real processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.core import conflicts, nlp, reading
from app.core.articles import article_from_text
from app.core.compare import analyse, compare_articles
from app.core.conflicts import find_conflicts
from app.core.model import Article
from app.core.parsecache import (
    MAGIC,
    SUFFIX,
    DocMemory,
    ParseCache,
    decode_doc,
    encode_doc,
    entry_key,
)
from tests.gold import ROOT, SEEDS

EXTRA = (
    "Ukraine's foreign minister Dmytro Kuleba said on Tuesday that 14,000 people had been "
    "killed since 2014.\nHe told reporters in Kyiv that Russia had moved two more armies to "
    "the border, and that the talks in Geneva would go on."
)


@pytest.fixture(autouse=True)
def _nothing_in_memory() -> None:
    """Each test starts as a new process would: no Docs kept from earlier tests."""
    nlp.memory().clear()


def _compare_cli(cache_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PARALLAX_CACHE_DIR=str(cache_dir))
    return subprocess.run(
        [sys.executable, "-m", "app", "compare", "--json", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False,
    )


def _entries(folder: Path) -> list[Path]:
    """The parses in a cache folder (not the readings kept next to them)."""
    return sorted(p for p in folder.glob(f"*{SUFFIX}")
                  if not p.name.startswith((".tmp-", "reading-")))


def _readings(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"reading-*{SUFFIX}"))


def _token_view(docs: Sequence[object]) -> list[list[tuple[object, ...]]]:
    return [
        [(t.text, t.whitespace_, t.lemma_, t.tag_, t.pos_, t.dep_, t.head.i, t.ent_iob_,
          t.ent_type_, t.is_sent_start, str(t.morph)) for t in doc]  # type: ignore[attr-defined]
        for doc in docs
    ]


def test_same_json_with_and_without_the_cache(tmp_path: Path) -> None:
    """`compare --json` prints the same document parsing afresh, with some articles cached and
    the others parsed, and reading everything back (a fresh process each time: nothing kept in
    memory)."""
    folder = tmp_path / "cache"
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    fresh = _compare_cli(folder, "--no-cache", *seeds)
    assert fresh.returncode == 0, fresh.stderr
    assert not _entries(folder / "parses"), "--no-cache wrote to the cache"
    assert _compare_cli(folder, *seeds[:3]).returncode == 0
    assert len(_entries(folder / "parses")) == len(_readings(folder / "parses")) == 3
    mixed = _compare_cli(folder, *seeds)
    assert mixed.returncode == 0, mixed.stderr
    assert "3 parsed before" in mixed.stderr
    assert len(_entries(folder / "parses")) == len(_readings(folder / "parses")) == 5
    warm = _compare_cli(folder, "--recompute", *seeds)
    assert warm.returncode == 0, warm.stderr
    assert "5 parsed before" in warm.stderr
    assert json.loads(fresh.stdout) == json.loads(mixed.stdout) == json.loads(warm.stdout)
    assert fresh.stdout == warm.stdout
    # Compared before: the comparison itself comes from the comparison cache, the same.
    reused = _compare_cli(folder, *seeds)
    assert reused.returncode == 0, reused.stderr
    assert "compared before" in reused.stderr
    assert reused.stdout == fresh.stdout


def test_a_fully_cached_comparison_does_not_load_the_model(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import json
        from app.core import nlp
        from app.core.articles import load_paths
        from app.core.compare import compare_articles
        from app.core.parsecache import ParseCache
        articles, _ = load_paths([{str(SEEDS)!r}])
        c = compare_articles(articles, cache=ParseCache({str(tmp_path)!r}))
        print(json.dumps({{"loaded": nlp.loaded_pipeline() is not None,
                          "cached": c.timings["cached"], "pipeline": c.pipeline}}))
    """)
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True,
                                  text=True, cwd=ROOT, check=True, timeout=300).stdout)
        for _ in range(2)
    ]
    assert runs[0] == {"loaded": True, "cached": 0, "pipeline": runs[0]["pipeline"]}
    assert runs[1] == {"loaded": False, "cached": 5, "pipeline": runs[0]["pipeline"]}


def test_damaged_entries_are_ignored_and_rewritten(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    cache = ParseCache(tmp_path)
    reference = compare_articles(seed_articles, cache=False).to_json()
    compare_articles(seed_articles, cache=cache)
    _, info = nlp.load_pipeline()
    keys = [entry_key(info.fingerprint, a.text) for a in seed_articles]
    paths = [cache.path_for(k) for k in keys]
    assert all(p.exists() for p in paths)
    data = [p.read_bytes() for p in paths]
    paths[0].write_bytes(data[0][: len(data[0]) // 2])  # truncated
    flipped = bytearray(data[1])
    flipped[-40] ^= 0xFF
    paths[1].write_bytes(bytes(flipped))  # a flipped byte in the payload
    paths[2].write_bytes(b"PK\x03\x04 not a parse at all" * 50)  # a foreign file
    paths[3].write_bytes(data[4])  # another article's entry under this key
    # A well-formed entry (right key, right checksum) holding another text's Doc.
    other = data[0][data[0].index(b"\n", len(MAGIC)) + 1:]
    assert cache.write(keys[4], info.fingerprint, seed_articles[4].text, other)

    nlp.memory().clear()  # what a new process would see
    stats = nlp.ParseStats()
    docs, _ = nlp.parse_articles(seed_articles, cache=cache, stats=stats, workers=1)
    assert (stats.from_disk, stats.parsed) == (0, 5)
    # Only the well-formed envelope reached the Doc check; the others failed before it.
    assert stats.damaged == 1
    assert [d.text for d in docs] == [a.text for a in seed_articles]

    nlp.memory().clear()
    again = compare_articles(seed_articles, cache=cache)
    assert again.timings["cached"] == 5  # every entry was rewritten whole
    assert again.to_json() == reference
    for key, article in zip(keys, seed_articles, strict=True):
        payload = cache.read(key, info.fingerprint)
        assert payload is not None
        doc = decode_doc(payload, nlp.load_pipeline()[0].vocab, article.text)
        assert doc is not None


def test_entries_for_another_pipeline_are_not_read(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path)
    model, info = nlp.load_pipeline()
    text = "The talks in Geneva ended on Tuesday."
    key = entry_key(info.fingerprint, text)
    assert cache.write(key, info.fingerprint, text, encode_doc(model(text)))
    assert cache.read(key, info.fingerprint) is not None
    assert cache.read(key, "another pipeline") is None
    assert entry_key("another pipeline", text) != key


def test_the_cache_survives_an_unwritable_folder(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    result = compare_articles(seed_articles[:2], cache=ParseCache(blocked))
    assert result.timings["parsed"] + result.timings["cached"] == 2
    assert result.to_json() == compare_articles(seed_articles[:2], cache=False).to_json()


def test_least_recently_used_entries_are_evicted(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path, max_bytes=10_000)
    for i in range(8):
        assert cache.write(f"k{i}", "fp", f"text {i}", bytes(2000))
        os.utime(cache.path_for(f"k{i}"), (1_000_000 + i, 1_000_000 + i))
    assert cache.read("k0", "fp") is not None  # a use: k0 is now the most recent
    assert cache.stats().bytes > cache.max_bytes
    assert cache.evict() > 0
    kept = {p.name.removesuffix(SUFFIX) for p in _entries(tmp_path)}
    assert cache.stats().bytes <= cache.max_bytes * 0.9
    assert "k0" in kept
    assert "k7" in kept
    assert "k1" not in kept
    assert "k2" not in kept
    assert cache.evict() == 0
    assert cache.clear().entries == len(kept)
    assert cache.stats().entries == 0


def test_size_limit_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_CACHE_MAX_MB", "1.5")
    assert ParseCache(tmp_path).max_bytes == int(1.5 * 1024 * 1024)
    monkeypatch.setenv("PARALLAX_CACHE_MAX_MB", "lots")
    assert ParseCache(tmp_path).max_bytes == 300 * 1024 * 1024


_HAMMER = """
import sys
from app.core.parsecache import ParseCache
cache = ParseCache(sys.argv[1])
me = int(sys.argv[2])
bad = 0
for round_ in range(300):
    for k in range(4):
        key = f"shared{k}"
        size = 1000 + 7919 * ((round_ + me + k) % 13)
        cache.write(key, "fp", "t", bytes([me + 1]) * size)
        got = cache.read(key, "fp")
        if got is not None and (len(got) % 7919 != 1000 % 7919 or len(set(got)) != 1):
            bad += 1
    if round_ % 50 == 0:
        cache.evict()
print(bad)
"""


def test_two_processes_writing_and_reading_at_once(tmp_path: Path) -> None:
    """Readers never see half an entry while another process rewrites it (atomic replace)."""
    procs = [
        subprocess.Popen([sys.executable, "-c", _HAMMER, str(tmp_path), str(me)],
                         stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for me in range(2)
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert [int(o) for o in outs] == [0, 0]
    cache = ParseCache(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {f"shared{k}{SUFFIX}" for k in range(4)}
    for k in range(4):
        assert cache.read(f"shared{k}", "fp") is not None


def test_the_collector_rests_while_the_model_loads_and_its_objects_are_frozen() -> None:
    """No cycle collection while spaCy is imported and the model loaded (spaCy's msgpack
    loader turns the collector back on after every file, so pausing must outlast that); the
    thresholds are the caller's again afterwards, and the loaded objects are out of its reach."""
    script = textwrap.dedent("""
        import gc, json
        gc.set_threshold(500, 7, 9)
        runs = []
        gc.callbacks.append(lambda phase, info: runs.append(info["generation"])
                            if phase == "start" else None)
        from app.core.nlp import load_pipeline
        before = len(runs)
        nlp, info = load_pipeline()
        during = len(runs) - before
        doc = nlp("Twelve people were killed in Aleppo on Monday, the Observatory said.")
        gc.collect()
        print(json.dumps({"during": during, "thresholds": gc.get_threshold(),
                          "enabled": gc.isenabled(), "frozen": gc.get_freeze_count(),
                          "fallback": info.fallback, "ents": [e.text for e in doc.ents]}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=True)
    result = json.loads(proc.stdout)
    assert result["during"] == 0
    assert result["thresholds"] == [500, 7, 9]
    assert result["enabled"] is True
    assert result["frozen"] > 100_000
    if not result["fallback"]:
        assert "Aleppo" in result["ents"]


def test_resolved_pipeline_is_the_loaded_one() -> None:
    """The fingerprint read from the installed files (no model load) is the loaded model's:
    otherwise a warm start would never find its parses."""
    resolved = nlp.resolve_pipeline()
    _, loaded = nlp.load_pipeline()
    assert resolved == loaded
    assert len(loaded.fingerprint) == 64
    fallback_resolved = nlp.resolve_pipeline(("no_such_model_package",))
    _, fallback = nlp.load_pipeline(("no_such_model_package",))
    assert fallback_resolved is not None
    assert fallback_resolved.fallback
    assert fallback_resolved.fingerprint == fallback.fingerprint != loaded.fingerprint
    assert fallback_resolved.warning == fallback.warning


def test_the_tokenizer_built_empty_and_loaded_is_the_models_own() -> None:
    """`load_pipeline` builds the tokenizer empty (the files fill it): the same tokenizer,
    byte for byte, as the model's own loader builds, in a fresh process."""
    script = textwrap.dedent("""
        import hashlib, importlib, json
        from app.core import nlp
        ours, info = nlp.load_pipeline()
        theirs = importlib.import_module(info.name).load()
        print(json.dumps({
            "same": ours.tokenizer.to_bytes() == theirs.tokenizer.to_bytes(),
            "bare": ours.config["nlp"]["tokenizer"]["@tokenizers"],
            "rules": len(ours.tokenizer.rules),
        }))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=True)
    result = json.loads(proc.stdout)
    assert result["rules"] > 1000
    assert result == {"same": True, "bare": "parallax.BareTokenizer.v1", "rules": result["rules"]}


@pytest.mark.skipif(not nlp.can_fork(), reason="parallel parsing forks helpers: Linux only")
def test_parallel_parse_gives_the_same_docs(seed_articles: Sequence[Article]) -> None:
    model, _ = nlp.load_pipeline()
    alone = nlp.parse(seed_articles, model)
    stats = nlp.ParseStats()
    shared, _ = nlp.parse_articles(seed_articles, cache=None, use_memory=False, workers=2,
                                   stats=stats)
    assert stats.workers == 2
    assert stats.parsed == 5
    assert _token_view(shared) == _token_view(alone)
    assert [[(e.start, e.end, e.label_) for e in d.ents] for d in shared] == [
        [(e.start, e.end, e.label_) for e in d.ents] for d in alone
    ]


def _greedy_longest(sizes: list[int], n: int) -> int:
    """The longest lane of the plain greedy split (longest article into the shortest lane)."""
    totals = [0] * n
    for size in sorted(sizes, reverse=True):
        totals[totals.index(min(totals))] += size
    return max(totals)


def test_lanes_share_text_out_evenly() -> None:
    import random

    rng = random.Random(7)
    cases = [[3485, 3424, 7282, 5983, 4048]]  # the sample story
    cases += [[rng.randint(300, 20_000) for _ in range(rng.randint(2, 60))] for _ in range(40)]
    improved = 0
    for sizes in cases:
        for n in (2, 3, 4):
            lanes = nlp._lanes(sizes, n)
            assert sorted(i for lane in lanes for i in lane) == list(range(len(sizes)))
            totals = [sum(sizes[i] for i in lane) for lane in lanes]
            assert totals == sorted(totals, reverse=True)  # this process takes the longest
            assert max(totals) <= _greedy_longest(sizes, n)
            improved += max(totals) < _greedy_longest(sizes, n)
            assert max(totals) - min(totals) <= max(sizes)
    assert improved > 10
    story = nlp._lanes(cases[0], 2)
    assert [sum(cases[0][i] for i in lane) for lane in story] == [12892, 11330]


def test_adding_an_article_parses_only_it(tmp_path: Path, seed_articles: Sequence[Article]) -> None:
    cache = ParseCache(tmp_path)
    first = compare_articles(seed_articles, cache=cache)
    added = [*seed_articles, article_from_text(EXTRA, article_id="a5", name="wire.txt")]
    second = compare_articles(added, cache=cache)
    assert second.timings["parsed"] == 1
    assert second.timings["cached"] == 5
    assert second.to_json() == compare_articles(added, cache=False).to_json()
    edited = [*seed_articles[:4], article_from_text(seed_articles[4].text.replace(
        "Putin", "Vladimir Putin", 1), article_id="a4", name=seed_articles[4].name)]
    third = compare_articles(edited, cache=cache)
    assert (third.timings["parsed"], third.timings["cached"]) == (1, 4)
    removed = compare_articles(seed_articles[:3], cache=cache)
    assert (removed.timings["parsed"], removed.timings["cached"]) == (0, 3)
    assert first.to_json() != second.to_json()


def test_kept_docs_keep_what_was_read_from_them(
    seed_articles: Sequence[Article], tmp_path: Path
) -> None:
    """What the finders keep on a Doc is read from the Doc alone: a comparison of the same
    articles in another order, or with one removed, reuses it and finds what a fresh parse
    finds."""
    cache = ParseCache(tmp_path)
    analysis = analyse(seed_articles, cache=cache)[0]
    find_conflicts(analysis)
    assert all(doc.user_data for doc in analysis.docs)
    moved = [*seed_articles[2:], *seed_articles[:2]]
    # Docs this process keeps come before the readings on disk.
    again = analyse(moved, cache=cache)[0]
    assert {id(d) for d in again.docs} == {id(d) for d in analysis.docs}  # kept in memory
    assert all(doc.user_data for doc in again.docs)
    fresh = compare_articles(moved, cache=False, reuse=False)
    assert compare_articles(moved, reuse=False).to_json() == fresh.to_json()
    fewer = seed_articles[1:]
    assert (compare_articles(fewer, reuse=False).to_json()
            == compare_articles(fewer, cache=False, reuse=False).to_json())


def test_doc_memory_is_bounded() -> None:
    model, _ = nlp.load_pipeline()
    memory = DocMemory(max_docs=2, max_chars=10_000)
    docs = [model(f"Report number {i} came in on Tuesday.") for i in range(3)]
    for i, doc in enumerate(docs):
        memory.put(f"k{i}", doc)
    assert len(memory) == 2
    assert memory.get("k0") is None
    assert memory.get("k2") is docs[2]


def test_adding_articles_reads_only_the_new_ones_with_the_same_result() -> None:
    """An open comparison keeps each article's claims, incidents and quotes (and the agency-copy
    check of each pair): adding two articles, in another order, reads those two; the findings are
    what a comparison that read everything afresh finds."""
    from app.core import conflicts, quotes
    from app.core.articles import load_paths

    articles, errors = load_paths(sorted(str(p) for p in SEEDS.glob("*.txt")))
    assert not errors
    conflicts.forget_read_articles()
    # (reuse=False: what the engine keeps, not the comparison cache, is tested here.)
    compare_articles(articles[:3], reuse=False)
    read_before = len(conflicts._READ)
    quotes_before = len(quotes._READ)
    kept = compare_articles(articles[::-1], reuse=False).to_json()
    assert len(conflicts._READ) == read_before + 2
    assert len(quotes._READ) == quotes_before + 2
    conflicts.forget_read_articles()
    fresh = compare_articles(articles[::-1], reuse=False).to_json()
    assert kept == fresh


@pytest.mark.skipif(not nlp.can_fork(), reason="parallel parsing forks helpers: Linux only")
def test_articles_are_read_where_they_are_parsed_with_the_same_findings(
    seed_articles: Sequence[Article],
) -> None:
    """A forked helper reads the articles it parsed (passages, figures, quotes, names) and
    sends that back with the Doc: the findings are those of reading them all here."""
    conflicts.forget_read_articles()
    stats = nlp.ParseStats()
    docs, _ = nlp.parse_articles(seed_articles, cache=None, use_memory=False, workers=2,
                                 stats=stats, reader=reading.Reader())
    assert stats.workers == 2
    assert all({"parallax_passages", "parallax_mentions"} <= set(d.user_data) for d in docs)
    conflicts.forget_read_articles()
    shared = compare_articles(seed_articles, cache=False, reuse=False, workers=2)
    conflicts.forget_read_articles()
    alone = compare_articles(seed_articles, cache=False, reuse=False, workers=1)
    assert shared.to_json() == alone.to_json()
    assert any(f.is_conflict for f in alone.findings)


@pytest.mark.skipif(not nlp.can_fork(), reason="parallel reading forks helpers: Linux only")
def test_cached_parses_are_read_on_every_core_with_the_same_findings(
    seed_articles: Sequence[Article], tmp_path: Path
) -> None:
    """Every parse cached (a warm start): forked helpers read their share of the articles
    from the Docs they share, and the findings are those of reading them all here."""
    cache = ParseCache(tmp_path / "cache")
    compare_articles(seed_articles, cache=cache, reuse=False)
    conflicts.forget_read_articles()
    stats = nlp.ParseStats()
    docs, _ = nlp.parse_articles(seed_articles, cache=cache, use_memory=False, workers=2,
                                 stats=stats, reader=reading.Reader())
    assert (stats.from_disk, stats.parsed) == (5, 0)
    assert all({"parallax_passages", "parallax_mentions"} <= set(d.user_data) for d in docs)
    for path in _readings(tmp_path / "cache"):
        path.unlink()  # the parses only: the articles are read again
    nlp.memory().clear()
    conflicts.forget_read_articles()
    shared = compare_articles(seed_articles, cache=cache, reuse=False, workers=2)
    for path in _readings(tmp_path / "cache"):
        path.unlink()
    nlp.memory().clear()
    conflicts.forget_read_articles()
    alone = compare_articles(seed_articles, cache=cache, reuse=False, workers=1)
    assert shared.timings["read before"] == alone.timings["read before"] == 0
    assert shared.timings["cached"] == alone.timings["cached"] == 5
    assert shared.to_json() == alone.to_json()


def test_articles_read_before_are_compared_without_spacy(tmp_path: Path) -> None:
    """Every article read before (its reading kept on disk): a new process pairs the readings
    and finds the same as a compare that parses, without importing spaCy at all."""
    script = textwrap.dedent(f"""
        import json, sys
        from app.core.articles import load_paths
        from app.core.compare import compare_articles
        from app.core.parsecache import ParseCache
        articles, _ = load_paths([{str(SEEDS)!r}])
        c = compare_articles(articles, cache=ParseCache({str(tmp_path)!r}), reuse=False)
        d = c.to_json()
        d.pop("timings", None)
        print(json.dumps({{"spacy": "spacy" in sys.modules, "json": d,
                          "read before": c.timings["read before"]}}))
    """)
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True,
                                  text=True, cwd=ROOT, check=True, timeout=300).stdout)
        for _ in range(2)
    ]
    assert [(r["spacy"], r["read before"]) for r in runs] == [(True, 0), (False, 5)]
    assert runs[1]["json"] == runs[0]["json"]
    assert any(f["kind"] != "match" and f["kind"] != "unique" for f in runs[1]["json"]["findings"])


def test_readings_serve_another_set_in_another_order(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    """Readings do not depend on an article's place: three of the five, reversed and
    renumbered, are paired from their readings with the findings of parsing them afresh."""
    from app.core.articles import renumber

    cache = ParseCache(tmp_path)
    compare_articles(seed_articles, cache=cache, reuse=False)
    assert len(_readings(tmp_path)) == 5
    subset = renumber(list(seed_articles)[::-1][:3])
    nlp.memory().clear()
    conflicts.forget_read_articles()
    kept = compare_articles(subset, cache=cache, reuse=False)
    assert kept.timings["read before"] == 3
    assert all(isinstance(d, reading.ReadDoc) for d in analyse(subset, cache=cache)[0].docs)
    conflicts.forget_read_articles()
    fresh = compare_articles(subset, cache=False, reuse=False)
    assert kept.to_json() | {"timings": None} == fresh.to_json() | {"timings": None}


class _Boom:
    """A pickle that would run a command when loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_damaged_or_foreign_readings_are_misses_and_rewritten(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    import pickle
    import zlib

    cache = ParseCache(tmp_path / "cache")
    reference = compare_articles(seed_articles, cache=False, reuse=False).to_json()
    compare_articles(seed_articles, cache=cache, reuse=False)
    _, info = nlp.load_pipeline()
    keys = [reading.key(a, info.fingerprint) for a in seed_articles]
    paths = [cache.path_for(k) for k in keys]
    data = [p.read_bytes() for p in paths]
    paths[0].write_bytes(data[0][: len(data[0]) // 2])  # truncated
    marker = tmp_path / "ran"
    # Well-formed envelopes (right key, right checksum) around what is not a reading of it.
    bad = [zlib.compress(pickle.dumps(_Boom(marker))), zlib.compress(b"not a pickle"),
           zlib.compress(pickle.dumps({"passages": []}))]
    for k, article, payload in zip(keys[1:4], seed_articles[1:4], bad, strict=True):
        assert cache.write(k, reading._HEADER, article.text, payload)
    # Another article's reading under this key (a shorter one: its sentences lie within this
    # text, but are not this text's).
    shorter = min(range(5), key=lambda i: len(seed_articles[i].text) if i != 4 else 10**9)
    assert len(seed_articles[shorter].text) < len(seed_articles[4].text)
    assert cache.write(keys[4], reading._HEADER, seed_articles[4].text, data[shorter][
        data[shorter].index(b"\n", len(MAGIC)) + 1:])
    assert reading.load(cache, seed_articles, info.fingerprint) == {}
    assert not marker.exists(), "a foreign entry ran code"

    nlp.memory().clear()
    conflicts.forget_read_articles()
    again = compare_articles(seed_articles, cache=cache, reuse=False)
    assert again.timings["read before"] == 0
    assert again.to_json() | {"timings": None} == reference | {"timings": None}
    nlp.memory().clear()
    conflicts.forget_read_articles()
    third = compare_articles(seed_articles, cache=cache, reuse=False)
    assert third.timings["read before"] == 5  # every entry was rewritten whole
    assert third.to_json() | {"timings": None} == reference | {"timings": None}


def test_a_read_doc_refuses_what_only_a_doc_has() -> None:
    doc = reading.ReadDoc("Talks ended.")
    assert doc.user_data["parallax_text"] == "Talks ended."
    with pytest.raises(AttributeError, match="has no Doc"):
        _ = doc.ents
    with pytest.raises(TypeError):
        list(doc)  # type: ignore[call-overload]
