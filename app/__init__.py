"""Parallax: read several news articles about one event side by side.

This module must stay importable with the bare standard library: `python3 -m app.bootstrap`
runs it before any dependency is installed.
"""

from __future__ import annotations


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - stdlib always has it on 3.11+
        return "0.1.0"
    try:
        return version("parallax")
    except PackageNotFoundError:
        return "0.1.0"


__version__ = _version()
APP_NAME = "Parallax"
