"""Shared fixtures. Qt runs offscreen in every test (set before any Qt import)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Sequence  # noqa: E402

import pytest  # noqa: E402

from app.core.articles import load_paths  # noqa: E402
from app.core.compare import compare_articles  # noqa: E402
from app.core.model import Article, Comparison  # noqa: E402
from tests.gold import SEEDS  # noqa: E402


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
