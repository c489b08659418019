"""Every data location Parallax uses, in one place. No Qt here.

- resources and the sample story ship with the app: next to the package from source, inside
  `sys._MEIPASS` in a PyInstaller bundle;
- user data (recent projects, logs) lives in the platform's user data folder, overridden by
  `PARALLAX_DATA_DIR` (or `--data-dir`, which sets it) for tests and portable installs;
- caches (parsed articles) live in the platform's user cache folder (`XDG_CACHE_HOME` on
  Linux), overridden by `PARALLAX_CACHE_DIR`, else by `PARALLAX_DATA_DIR` (its `cache`
  subfolder), so a portable install or a test keeps everything in one place.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "parallax"


def bundle_root() -> Path:
    """The folder holding resources/ and seeds/: the repo root, or the frozen bundle's."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return bundle_root() / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def seeds_dir() -> Path:
    return bundle_root() / "seeds"


def user_data_dir() -> Path:
    """Per-user writable folder (created on first use)."""
    override = os.environ.get("PARALLAX_DATA_DIR")
    if override:
        path = Path(override)
    elif sys.platform == "win32":
        path = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Parallax"
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Application Support" / "Parallax"
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / APP_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def set_data_dir(path: str | os.PathLike[str]) -> None:
    """Point every user-data location at `path` (the --data-dir option)."""
    os.environ["PARALLAX_DATA_DIR"] = str(path)


def user_cache_dir() -> Path:
    """Per-user folder for caches that can be deleted at any time (created on first use)."""
    override = os.environ.get("PARALLAX_CACHE_DIR")
    data_override = os.environ.get("PARALLAX_DATA_DIR")
    if override:
        path = Path(override)
    elif data_override:
        path = Path(data_override) / "cache"
    elif sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        path = Path(base) / "Parallax" / "Cache"
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Caches" / "Parallax"
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / APP_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path
