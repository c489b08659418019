"""The house rules, checked by the test suite itself: lint, layering, types."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.gold import ROOT


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed in this environment (it is in requirements/dev.txt)")
    return path


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff() -> None:
    proc = _run([_tool("ruff"), "check", "app", "tests"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_core_and_store_never_import_qt() -> None:
    proc = _run([_tool("lint-imports")])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_core_and_store() -> None:
    proc = _run([sys.executable, "-m", "mypy", "app/core", "app/store"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
