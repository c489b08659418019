"""The comparison cache: a comparison made before comes back exactly, and only for the very same
articles, threshold, pipeline and engine (real compares of the seeds, real cache files)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from app.core import comparecache
from app.core.articles import article_from_text
from app.core.compare import compare_articles
from app.core.model import Article, Span


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path))
    return tmp_path


def _entries(cache_dir: Path) -> list[Path]:
    folder = cache_dir / comparecache.SUBDIR
    return sorted(p for p in folder.glob("*.parse") if not p.name.startswith(".tmp-"))


def test_a_comparison_made_before_comes_back_the_same(
    cache_dir: Path, seed_articles: Sequence[Article]
) -> None:
    first = compare_articles(seed_articles)
    assert "reused" not in first.timings
    assert len(_entries(cache_dir)) == 1
    again = compare_articles(seed_articles)
    assert again.timings["reused"] == 1
    assert (again.findings, again.facts, again.warnings, again.pipeline) == (
        first.findings, first.facts, first.warnings, first.pipeline)
    assert again.to_json() == first.to_json()
    # And both are what the engine finds without any cache.
    assert again.to_json() == compare_articles(seed_articles, cache=False).to_json()


def test_any_change_to_the_input_is_a_new_comparison(
    cache_dir: Path, seed_articles: Sequence[Article]
) -> None:
    compare_articles(seed_articles)
    # A figure edited in one article: found afresh, with the new conflict.
    edited_text = seed_articles[3].text.replace("14,000", "15,000", 1)
    assert edited_text != seed_articles[3].text
    edited = [*seed_articles[:3], article_from_text(
        edited_text, article_id=seed_articles[3].id, name=seed_articles[3].name),
        seed_articles[4]]
    changed = compare_articles(edited)
    assert "reused" not in changed.timings
    assert changed.to_json() == compare_articles(edited, reuse=False).to_json()
    assert "15,000" in {s.text for f in changed.findings for s in f.spans}
    # A column renamed: its name is in the labels, so the comparison is made again.
    renamed = [replace(seed_articles[0], outlet="Tagesschau"), *seed_articles[1:]]
    again = compare_articles(renamed)
    assert "reused" not in again.timings
    assert any("Tagesschau" in f.label for f in again.findings)
    # Another matching threshold.
    looser = compare_articles(seed_articles, min_score=0.3)
    assert "reused" not in looser.timings
    assert len(_entries(cache_dir)) == 4


def test_the_key_covers_pipeline_and_threshold(seed_articles: Sequence[Article]) -> None:
    key = comparecache.comparison_key(seed_articles, 0.36, "pipeline A")
    assert key == comparecache.comparison_key(list(seed_articles), 0.36, "pipeline A")
    assert key != comparecache.comparison_key(seed_articles, 0.36, "pipeline B")
    assert key != comparecache.comparison_key(seed_articles, 0.37, "pipeline A")
    assert key != comparecache.comparison_key(seed_articles[::-1], 0.36, "pipeline A")


def test_damaged_entries_are_ignored_and_rewritten(
    cache_dir: Path, seed_articles: Sequence[Article]
) -> None:
    reference = compare_articles(seed_articles).to_json()
    (entry,) = _entries(cache_dir)
    data = entry.read_bytes()
    for damaged in (data[: len(data) // 2],                  # truncated
                    data[:-40] + bytes([data[-40] ^ 0xFF]) + data[-39:],  # a flipped byte
                    b"PK\x03\x04 not a comparison" * 40):     # a foreign file
        entry.write_bytes(damaged)
        again = compare_articles(seed_articles)
        assert "reused" not in again.timings
        assert again.to_json() == reference
        assert entry.read_bytes() != damaged  # written anew
    assert compare_articles(seed_articles).timings["reused"] == 1


def test_a_comparison_of_other_articles_is_not_taken(
    cache_dir: Path, seed_articles: Sequence[Article]
) -> None:
    """A well-formed entry whose findings name articles this comparison does not have (a
    stored file copied over another's key) is a miss."""
    store = comparecache.default_store()
    assert store is not None
    two = compare_articles(seed_articles[:2])
    payload = comparecache.encode(two)
    assert payload is not None
    assert comparecache.decode(payload, seed_articles[2:]) is None


def test_only_what_reads_back_the_same_is_kept(seed_articles: Sequence[Article]) -> None:
    c = compare_articles(seed_articles[:2], cache=False)
    assert comparecache.encode(c) is not None
    f = c.findings[0]
    odd = replace(f, spans=(replace(f.spans[0], value=("a", "tuple")), *f.spans[1:]))
    assert comparecache.encode(replace(c, findings=(odd, *c.findings[1:]))) is None
    assert comparecache.encode(replace(c, findings=(replace(f, spans=(
        Span(article=f.spans[0].article, start=0, end=1, text="x", value=object()),)),))) is None
