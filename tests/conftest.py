"""Shared fixtures. Qt runs offscreen in every test (set before any Qt import)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The parse cache of every test (and of the processes tests start) is a temporary folder, never
# the user's own; tests that look at the cache itself make their own folder.
os.environ["PARALLAX_CACHE_DIR"] = tempfile.mkdtemp(prefix="parallax-test-cache-")

from collections.abc import Sequence

import pytest

from app.core.articles import load_paths
from app.core.compare import compare_articles
from app.core.model import Article, Comparison
from tests.gold import SEEDS

atexit.register(shutil.rmtree, os.environ["PARALLAX_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def seed_articles() -> Sequence[Article]:
    articles, errors = load_paths([SEEDS])
    assert not errors, errors
    assert len(articles) == 5
    return articles


@pytest.fixture(scope="session")
def seed_comparison(seed_articles: Sequence[Article]) -> Comparison:
    """The real engine on the sample story, computed once per test session."""
    return compare_articles(seed_articles)
