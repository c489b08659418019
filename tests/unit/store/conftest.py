"""Fixtures for store tests: real SQLite project files in tmp_path, real seed articles."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from app.core.model import Article
from app.store.project import Project


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> set[str]:
    """Every file in the project's folder: a refused open must not add a journal or a backup."""
    return {p.name for p in path.parent.iterdir()}


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "story.parallax"


@pytest.fixture
def project(project_path: Path, seed_articles: Sequence[Article]) -> Iterator[Project]:
    p = Project.open(project_path, create=True, articles=seed_articles, author="Ana")
    yield p
    p.close()
