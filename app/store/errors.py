"""Errors a journalist can act on. Every message names the file and says what Parallax did."""

from __future__ import annotations

from pathlib import Path


class ProjectError(Exception):
    """A project file could not be opened or changed. `str(exc)` is the message for the user."""

    def __init__(self, path: str | Path, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ProjectNotFoundError(ProjectError):
    """No file at that path (and creating one was not asked for)."""


class NotAProjectError(ProjectError):
    """Empty, not SQLite, or a SQLite database written by another program."""


class DamagedProjectError(ProjectError):
    """Truncated or corrupt: SQLite's quick_check or the file header disagrees with the file."""


class NewerProjectError(ProjectError):
    """Written by a newer Parallax whose schema this version cannot read safely."""


class ReadOnlyProjectError(ProjectError):
    """A change was asked of a project opened read-only (file, folder or medium not writable)."""


class DiskFullError(ProjectError):
    """The disk (or the file's size limit) is full; only that change is lost."""


class ProjectBusyError(ProjectError):
    """Another program holds a lock on the file for longer than we wait."""


class NotFoundError(ProjectError):
    """No annotation / article / conflict with that id in this project."""
