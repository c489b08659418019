"""A Parallax project: one SQLite file (sqlite-utils) holding articles, annotations, tags, the
status of each conflict and the window layout. The file is the document: every change is one
committed transaction, there is no Save.

Safety, because project files travel on USB sticks and network shares and come from colleagues:
- rollback journal (never WAL) and `synchronous=FULL`; `trusted_schema=OFF`;
- before SQLite touches a file, its header is checked: empty, non-SQLite, foreign (another
  `application_id`), truncated and newer-schema files are refused with a `ProjectError` and left
  byte-for-byte untouched; then `PRAGMA quick_check` must say "ok";
- a new project is written under a temporary name and moved into place once complete, so a crash
  never leaves a half-made project;
- an older schema is migrated in one transaction after a backup copy `<name>.v<N>-backup.parallax`;
- a file (or folder) that is not writable is opened read-only; changes then raise
  `ReadOnlyProjectError`; a full disk raises `DiskFullError` and rolls back only that change.

Undo: each change returns what a QUndoStack command needs to reverse it:
- add_annotation -> the new Annotation (undo: delete_annotation(id); redo: restore_annotation(a))
- update_annotation / reattach_annotation -> (before, after) (undo: restore_annotation(before))
- delete_annotation -> the record as it was (undo: restore_annotation(record))
- set_conflict_status -> the previous ConflictStatus or None (undo: set it back, or clear it)
- set_layout -> the previous value
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import json
import os
import sqlite3
import stat
import struct
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from sqlite_utils import Database

from app.core.model import Article
from app.store import schema
from app.store.anchoring import ORPHAN, Anchorer, find_quote, selector_for
from app.store.errors import (
    DamagedProjectError,
    DiskFullError,
    NewerProjectError,
    NotAProjectError,
    NotFoundError,
    ProjectBusyError,
    ProjectError,
    ProjectNotFoundError,
    ReadOnlyProjectError,
)
from app.store.records import (
    BUILTIN_TAGS,
    CONFLICT_STATES,
    Anchored,
    Annotation,
    ConflictStatus,
    Tag,
    dumps_list,
)

SUFFIX = ".parallax"
APPLICATION_ID = schema.APPLICATION_ID
SCHEMA_VERSION = schema.SCHEMA_VERSION
SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_HISTORY = 200  # revisions remembered per annotation; enough to order any realistic merge


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def default_author() -> str:
    try:
        return os.environ.get("PARALLAX_AUTHOR") or getpass.getuser()
    except Exception:  # getuser raises when no user name is known (containers)
        return ""


def _name(path: Path) -> str:
    return f"“{path.name}”"


# ---------------------------------------------------------------------------------------------
# Checks before SQLite opens a file


def _hot_journal(path: Path) -> bool:
    journal = path.with_name(path.name + "-journal")
    try:
        return journal.stat().st_size > 0
    except OSError:
        return False


def check_header(path: Path) -> tuple[int, int]:
    """Refuse what is not an intact Parallax project we can read; returns (user_version, size).

    Reads only the 100-byte header, so a refused file is never touched.
    """
    untouched = "Parallax has not changed it."
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(100)
    except IsADirectoryError as exc:
        raise NotAProjectError(path, f"{_name(path)} is a folder, not a project file.") from exc
    except FileNotFoundError as exc:
        raise ProjectNotFoundError(path, f"There is no project file {_name(path)}.") from exc
    except OSError as exc:
        raise ProjectError(path, f"Cannot read {_name(path)}: {exc.strerror}.") from exc
    if size == 0:
        raise NotAProjectError(
            path,
            f"{_name(path)} is empty (0 bytes), so it is not a Parallax project - perhaps a copy "
            f"that did not finish. {untouched}",
        )
    if not header.startswith(SQLITE_MAGIC):
        raise NotAProjectError(
            path, f"{_name(path)} is not a Parallax project (it is not a SQLite file). {untouched}"
        )
    if len(header) < 100:
        raise DamagedProjectError(
            path, f"{_name(path)} is damaged: the file is cut short ({size} bytes). {untouched}"
        )
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">II", header[24:32])
    (version_valid_for,) = struct.unpack(">I", header[92:96])
    (user_version,) = struct.unpack(">I", header[60:64])
    (application_id,) = struct.unpack(">I", header[68:72])
    if application_id != APPLICATION_ID:
        raise NotAProjectError(
            path,
            f"{_name(path)} is a database made by another program, not a Parallax project. "
            f"{untouched}",
        )
    if user_version > SCHEMA_VERSION:
        raise NewerProjectError(
            path,
            f"{_name(path)} was saved by a newer version of Parallax (project format "
            f"{user_version}; this version reads up to {SCHEMA_VERSION}). Update Parallax to open "
            f"it. {untouched}",
        )
    # A crash mid-transaction leaves a hot journal and a file SQLite will restore; only a file
    # without one must agree with its own header.
    if not _hot_journal(path) and (
        size % page_size != 0
        or (version_valid_for == change_counter and page_count * page_size > size)
    ):
        raise DamagedProjectError(
            path,
            f"{_name(path)} is damaged: it is shorter than its header says ({size} of "
            f"{page_count * page_size} bytes), probably an incomplete copy. {untouched}",
        )
    return user_version, size


def _is_writable(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    # Root ignores permission bits; a file whose write bits are all off was still meant to be
    # read-only by whoever set them.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False
    # The rollback journal is created next to the file, so the folder must be writable too.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    mode = "ro" if read_only else "rw"
    uri = f"file:{quote(str(path.resolve()))}?mode={mode}"
    # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT) below.
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5.0)
    conn.execute("PRAGMA trusted_schema=OFF")
    if not read_only:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
    return conn


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform/file system can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _translate(path: Path, exc: sqlite3.Error) -> ProjectError:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    name = _name(path)
    if primary == sqlite3.SQLITE_FULL:
        return DiskFullError(
            path,
            f"The disk holding {name} is full, so the last change was not saved. Everything "
            "saved before it is safe. Free some space (or save a copy elsewhere) and try again.",
        )
    if primary == sqlite3.SQLITE_READONLY:
        return ReadOnlyProjectError(
            path, f"{name} is read-only here, so this change cannot be saved."
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return ProjectBusyError(
            path, f"{name} is in use by another program; try again when it is closed."
        )
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DamagedProjectError(path, f"{name} is damaged ({exc}).")
    if primary == sqlite3.SQLITE_IOERR:
        return ProjectError(
            path,
            f"Could not write to {name} (the disk or network share reported an error: {exc}). "
            "The last change was not saved.",
        )
    return ProjectError(path, f"{name}: {exc}")


# ---------------------------------------------------------------------------------------------


_ANNOTATION_SELECT = "SELECT " + ", ".join(
    f'"{c}"' for c in Annotation.__dataclass_fields__
) + " FROM annotations"


def _annotation_from_tuple(r: Sequence[Any]) -> Annotation:
    # Positional: opening a project builds thousands of these (columns in dataclass order).
    return Annotation(
        r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6] or "", r[7] or "", r[8] or "",
        _json_tuple(r[9]), r[10], r[11] or "", r[12], r[13], r[14], _json_tuple(r[15]),
        r[16], r[17],
    )  # fmt: skip


def _annotation_from_row(row: Mapping[str, Any]) -> Annotation:
    return Annotation(
        id=row["id"],
        article_sha256=row["article_sha256"],
        article_id=row["article_id"] or "",
        start=row["start"],
        end=row["end"],
        exact=row["exact"],
        prefix=row["prefix"] or "",
        suffix=row["suffix"] or "",
        note=row["note"] or "",
        tags=_json_tuple(row["tags"]),
        colour=row["colour"],
        author=row["author"] or "",
        created=row["created"],
        updated=row["updated"],
        revision=row["revision"],
        history=_json_tuple(row["history"]),
        conflict_of=row["conflict_of"],
        deleted=row["deleted"],
    )


@functools.lru_cache(maxsize=4096)
def _json_tuple(value: str | None) -> tuple[str, ...]:
    # Opening a large project decodes the same few tag lists thousands of times.
    if not value or value == "[]":
        return ()
    return tuple(json.loads(value))


def _annotation_row(a: Annotation) -> dict[str, Any]:
    d = a.to_dict()
    d["tags"] = dumps_list(a.tags)
    d["history"] = dumps_list(a.history[-MAX_HISTORY:])
    return d


_ANNOTATION_COLUMNS = tuple(Annotation.__dataclass_fields__)


def _column(row: Mapping[str, Any], name: str) -> Any:
    """A column that older schemas lack (read-only files are not migrated)."""
    return row[name] if name in row.keys() else None  # noqa: SIM118 - sqlite3.Row has no `in`


def _article_from_row(row: Mapping[str, Any]) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        path=row["path"],
        name=row["name"] or "",
        title=row["title"],
        source=row["source"],
        byline=tuple(json.loads(row["byline"] or "[]")),
        published=row["published"],
        boilerplate=tuple((int(s), int(e)) for s, e in json.loads(row["boilerplate"] or "[]")),
        warnings=tuple(json.loads(row["warnings"] or "[]")),
        # The user's name for the column outranks the outlet found in the file.
        outlet=_column(row, "column_name") or _column(row, "outlet"),
    )


class Project:
    """An open project file. Use `Project.open(path, create=True)`; close it (or use `with`)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool, author: str) -> None:
        self.path = path
        self.read_only = read_only
        self.author = author
        self.db = Database(conn)
        self.conn = conn
        self.backup_path: Path | None = None  # set when opening migrated an older file

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = False,
        read_only: bool = False,
        author: str | None = None,
        articles: Sequence[Article] = (),
    ) -> Project:
        """Open a project file; with create=True make it (with `articles`) if it does not exist.

        Raises a ProjectError subclass whose message is meant for the user.
        """
        p = Path(path)
        who = default_author() if author is None else author
        if create and not p.exists():
            cls._create(p, articles, who)
        old_version, _size = check_header(p)
        ro = read_only or not _is_writable(p)
        if ro and old_version < SCHEMA_VERSION:
            raise ReadOnlyProjectError(
                p,
                f"{_name(p)} was made by an older Parallax and must be upgraded, but it is "
                "read-only here. Copy it to a folder you can write to and open the copy.",
            )
        try:
            conn = _connect(p, ro)
        except sqlite3.Error as exc:
            raise _translate(p, exc) from exc
        try:
            cls._verify(p, conn, ro)
            project = cls(p, conn, ro, who)
            if old_version < SCHEMA_VERSION:
                project._migrate()
        except BaseException:
            conn.close()
            raise
        return project

    @staticmethod
    def _verify(path: Path, conn: sqlite3.Connection, read_only: bool) -> None:
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
            (version,) = conn.execute("PRAGMA user_version").fetchone()
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if read_only and code == sqlite3.SQLITE_READONLY:
                raise ReadOnlyProjectError(
                    path,
                    f"{_name(path)} was not closed properly and must be repaired, but it is "
                    "read-only here. Copy it to a folder you can write to and open the copy.",
                ) from exc
            raise DamagedProjectError(
                path, f"{_name(path)} is damaged and cannot be read ({exc})."
            ) from exc
        if rows != ["ok"]:
            raise DamagedProjectError(
                path,
                f"{_name(path)} is damaged (SQLite's check found: {'; '.join(rows[:3])}). "
                "Parallax has not changed it; open a backup copy instead.",
            )
        # The header was checked before SQLite opened the file, but a hot journal just rolled
        # back could have changed it.
        if app_id != APPLICATION_ID:
            raise NotAProjectError(path, f"{_name(path)} is not a Parallax project.")
        if version > SCHEMA_VERSION:
            raise NewerProjectError(
                path, f"{_name(path)} was saved by a newer version of Parallax; update Parallax."
            )

    @classmethod
    def _create(cls, path: Path, articles: Sequence[Article], author: str) -> None:
        if not path.parent.is_dir():
            raise ProjectError(path, f"The folder for {_name(path)} does not exist.")
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.creating")
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                db = Database(conn)
                for migration in schema.MIGRATIONS:
                    migration(db)
                for i, (name, colour) in enumerate(BUILTIN_TAGS):
                    conn.execute(
                        "INSERT INTO tags(name, colour, builtin, position) VALUES (?, ?, 1, ?)",
                        (name, colour, i),
                    )
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                project = cls(tmp, conn, False, author)
                project._insert_articles(conn, articles)
                conn.execute("COMMIT")
            finally:
                conn.close()
            # Appear complete or not at all. link() refuses to replace a file that appeared in
            # the meantime; file systems without hard links (FAT sticks) fall back to replace().
            try:
                os.link(tmp, path)
            except FileExistsError as exc:
                raise ProjectError(path, f"{_name(path)} already exists.") from exc
            except OSError:
                if path.exists():
                    raise ProjectError(path, f"{_name(path)} already exists.") from None
                os.replace(tmp, path)
            _fsync_dir(path.parent)
        except sqlite3.Error as exc:
            raise _translate(path, exc) from exc
        except OSError as exc:
            raise ProjectError(path, f"Could not create {_name(path)}: {exc.strerror}.") from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            with contextlib.suppress(FileNotFoundError):
                tmp.with_name(tmp.name + "-journal").unlink()

    def _migrate(self) -> None:
        conn = self.conn
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version >= SCHEMA_VERSION:
            return
        self.backup_path = self._backup_before_migration(version)
        with self._write():
            for migration in schema.MIGRATIONS[version:]:
                migration(self.db)
            if version == 0:
                self._seed_tags()
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _backup_before_migration(self, version: int) -> Path:
        stem = self.path.name.removesuffix(SUFFIX)
        candidate = self.path.with_name(f"{stem}.v{version}-backup{SUFFIX}")
        n = 2
        while candidate.exists():
            candidate = self.path.with_name(f"{stem}.v{version}-backup-{n}{SUFFIX}")
            n += 1
        self._backup_to(candidate)
        return candidate

    def _seed_tags(self) -> None:
        for i, (name, colour) in enumerate(BUILTIN_TAGS):
            self.conn.execute(
                "INSERT OR IGNORE INTO tags(name, colour, builtin, position) VALUES (?, ?, 1, ?)",
                (name, colour, i),
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- transactions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise ReadOnlyProjectError(
                self.path,
                f"{_name(self.path)} is open read-only, so this change cannot be saved. "
                "Use “Save a copy as” to keep working on a copy.",
            )
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _translate(self.path, exc) from exc
            raise

    def _read(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Any]:
        try:
            cur = self.conn.execute(sql, params)
            cur.row_factory = sqlite3.Row
            return cur.fetchall()
        except sqlite3.Error as exc:
            raise _translate(self.path, exc) from exc

    def integrity_check(self) -> list[str]:
        """SQLite's full integrity check: ["ok"] when the file is sound."""
        return [r[0] for r in self.conn.execute("PRAGMA integrity_check").fetchall()]

    def save_copy_as(self, path: str | Path) -> Path:
        """Write a consistent copy of the project (SQLite backup API); this project stays open."""
        target = Path(path)
        if target.resolve() == self.path.resolve():
            raise ProjectError(target, "A copy cannot replace the project it is made from.")
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.copying")
        try:
            self._backup_to(tmp)
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            raise ProjectError(target, f"Could not write {_name(target)}: {exc.strerror}.") from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return target

    def _backup_to(self, target: Path) -> None:
        try:
            dst = sqlite3.connect(target, isolation_level=None)
            try:
                dst.execute("PRAGMA synchronous=FULL")
                self.conn.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        except sqlite3.Error as exc:
            raise _translate(target, exc) from exc

    # -- articles ----------------------------------------------------------------------------

    def add_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Store articles (text and metadata); one already present (same text) is not repeated.

        Returns the stored articles in the given order; ids are renamed ("a5") when taken.
        """
        with self._write() as conn:
            return self._insert_articles(conn, articles)

    def _insert_articles(
        self, conn: sqlite3.Connection, articles: Sequence[Article]
    ) -> list[Article]:
        stored: list[Article] = []
        ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
        (position,) = conn.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM articles").fetchone()
        for a in articles:
            existing = conn.execute(
                "SELECT * FROM articles WHERE sha256 = ?", (a.sha256,)
            ).fetchone()
            if existing is not None:
                cols = [c[0] for c in conn.execute("SELECT * FROM articles LIMIT 0").description]
                stored.append(_article_from_row(dict(zip(cols, existing, strict=True))))
                continue
            article_id = a.id
            n = len(ids)
            while article_id in ids or not article_id:
                article_id = f"a{n}"
                n += 1
            ids.add(article_id)
            conn.execute(
                "INSERT INTO articles(id, position, name, path, title, source, byline, published,"
                " text, sha256, boilerplate, warnings, hidden, added, outlet)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (
                    article_id,
                    position,
                    a.name,
                    a.path,
                    a.title,
                    a.source,
                    dumps_list(a.byline),
                    a.published,
                    a.text,
                    a.sha256,
                    dumps_list([list(r) for r in a.boilerplate]),
                    dumps_list(a.warnings),
                    now(),
                    a.outlet,
                ),
            )
            position += 1
            stored.append(replace(a, id=article_id))
        return stored

    def articles(self, include_hidden: bool = False) -> list[Article]:
        """The project's articles in reading order, rebuilt from the file (no original needed)."""
        where = "" if include_hidden else "WHERE hidden = 0"
        return [
            _article_from_row(r)
            for r in self._read(f"SELECT * FROM articles {where} ORDER BY position, id")
        ]

    def article(self, article_id: str) -> Article:
        rows = self._read("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(self.path, f"No article “{article_id}” in this project.")
        return _article_from_row(rows[0])

    def article_hidden(self, article_id: str) -> bool:
        rows = self._read("SELECT hidden FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(self.path, f"No article “{article_id}” in this project.")
        return bool(rows[0]["hidden"])

    def set_article_hidden(self, article_id: str, hidden: bool) -> bool:
        """Hide or show an article; returns the previous state (for undo)."""
        before = self.article_hidden(article_id)
        with self._write() as conn:
            conn.execute(
                "UPDATE articles SET hidden = ? WHERE id = ?", (int(hidden), article_id)
            )
        return before

    def column_name(self, article_id: str) -> str | None:
        rows = self._read("SELECT column_name FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(self.path, f"No article “{article_id}” in this project.")
        return rows[0]["column_name"] or None

    def rename_article(self, article_id: str, name: str | None) -> str | None:
        """Name the article's column (None or blank: back to the outlet found in the file).

        Returns the previous name (for undo)."""
        before = self.column_name(article_id)
        clean = " ".join((name or "").split())[:80] or None
        with self._write() as conn:
            conn.execute(
                "UPDATE articles SET column_name = ? WHERE id = ?", (clean, article_id)
            )
        return before

    def set_article_order(self, article_ids: Sequence[str]) -> list[str]:
        """Put articles in this order (others follow); returns the previous order (for undo)."""
        before = [r["id"] for r in self._read("SELECT id FROM articles ORDER BY position, id")]
        wanted = [i for i in article_ids if i in before]
        order = wanted + [i for i in before if i not in wanted]
        with self._write() as conn:
            for position, article_id in enumerate(order):
                conn.execute(
                    "UPDATE articles SET position = ? WHERE id = ?", (position, article_id)
                )
        return before

    # -- tags --------------------------------------------------------------------------------

    def tags(self) -> list[Tag]:
        return [
            Tag(r["name"], r["colour"], bool(r["builtin"]))
            for r in self._read("SELECT * FROM tags ORDER BY position, name")
        ]

    def add_tag(self, name: str, colour: str | None = None) -> Tag:
        with self._write() as conn:
            self._ensure_tags(conn, [name], colour)
        return next(t for t in self.tags() if t.name == name.strip())

    def _ensure_tags(
        self, conn: sqlite3.Connection, names: Sequence[str], colour: str | None = None
    ) -> None:
        for name in names:
            conn.execute(
                "INSERT OR IGNORE INTO tags(name, colour, builtin, position)"
                " VALUES (?, ?, 0, (SELECT COALESCE(MAX(position) + 1, 0) FROM tags))",
                (name, colour),
            )

    # -- annotations -------------------------------------------------------------------------

    def add_annotation(
        self,
        article_id: str,
        start: int,
        end: int,
        note: str = "",
        tags: Sequence[str] = (),
        colour: str | None = None,
        author: str | None = None,
    ) -> Annotation:
        """Annotate article_id's text[start:end] (code-point offsets); committed at once."""
        article = self.article(article_id)
        try:
            sel = selector_for(article.text, start, end)
        except ValueError as exc:
            raise ProjectError(self.path, f"Cannot annotate: {exc}.") from exc
        stamp = now()
        a = Annotation(
            id=str(uuid.uuid4()),
            article_sha256=article.sha256,
            article_id=article.id,
            start=start,
            end=end,
            exact=sel.exact,
            prefix=sel.prefix,
            suffix=sel.suffix,
            note=note,
            tags=_clean_tags(tags),
            colour=colour,
            author=self.author if author is None else author,
            created=stamp,
            updated=stamp,
            revision=uuid.uuid4().hex,
        )
        with self._write() as conn:
            self._insert_annotation(conn, a)
        return a

    def annotate_quote(
        self,
        article_id: str,
        quote: str,
        nth: int = 1,
        note: str = "",
        tags: Sequence[str] = (),
        colour: str | None = None,
    ) -> Annotation:
        """Annotate the nth occurrence (1-based) of `quote` in the article."""
        article = self.article(article_id)
        hit = find_quote(article.text, quote, nth)
        if hit is None:
            count = article.text.count(quote)
            where = f"“{article.label}”"
            if count and nth > count:
                msg = f"“{quote}” occurs {count} time(s) in {where}, not {nth}."
            else:
                msg = f"“{quote}” does not occur in {where}."
            raise NotFoundError(self.path, msg)
        return self.add_annotation(article.id, hit[0], hit[1], note, tags, colour)

    def _insert_annotation(self, conn: sqlite3.Connection, a: Annotation) -> None:
        self._ensure_tags(conn, a.tags)
        row = _annotation_row(a)
        cols = ", ".join(f'"{c}"' for c in _ANNOTATION_COLUMNS)
        marks = ", ".join("?" for _ in _ANNOTATION_COLUMNS)
        conn.execute(
            f"INSERT INTO annotations({cols}) VALUES ({marks})",
            [row[c] for c in _ANNOTATION_COLUMNS],
        )

    def _replace_annotation(self, conn: sqlite3.Connection, a: Annotation) -> None:
        self._ensure_tags(conn, a.tags)
        row = _annotation_row(a)
        sets = ", ".join(f'"{c}" = ?' for c in _ANNOTATION_COLUMNS if c != "id")
        conn.execute(
            f"UPDATE annotations SET {sets} WHERE id = ?",
            [row[c] for c in _ANNOTATION_COLUMNS if c != "id"] + [a.id],
        )

    def annotation(self, annotation_id: str) -> Annotation:
        rows = self._read("SELECT * FROM annotations WHERE id = ?", (annotation_id,))
        if not rows:
            raise NotFoundError(self.path, f"No annotation {annotation_id} in this project.")
        return _annotation_from_row(rows[0])

    def annotations(
        self, article_id: str | None = None, include_deleted: bool = False
    ) -> list[Annotation]:
        """Stored annotations, oldest first (as stored; `anchored()` places them in the text)."""
        where: list[str] = []
        params: list[Any] = []
        if not include_deleted:
            where.append("deleted IS NULL")
        if article_id is not None:
            where.append("article_id = ?")
            params.append(article_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        try:
            rows = self.conn.execute(
                f"{_ANNOTATION_SELECT} {clause} ORDER BY created, id", params
            ).fetchall()
        except sqlite3.Error as exc:
            raise _translate(self.path, exc) from exc
        return [_annotation_from_tuple(r) for r in rows]

    def _next_revision(self, before: Annotation, **changes: Any) -> Annotation:
        return replace(
            before,
            **changes,
            updated=now(),
            revision=uuid.uuid4().hex,
            history=(*before.history, before.revision)[-MAX_HISTORY:],
        )

    def update_annotation(
        self,
        annotation_id: str,
        *,
        note: str | None = None,
        tags: Sequence[str] | None = None,
        colour: str | None = None,
        clear_colour: bool = False,
    ) -> tuple[Annotation, Annotation]:
        """Change note, tags or colour; returns (before, after).

        Undo: restore_annotation(before).
        """
        changes: dict[str, Any] = {}
        if note is not None:
            changes["note"] = note
        if tags is not None:
            changes["tags"] = _clean_tags(tags)
        if colour is not None or clear_colour:
            changes["colour"] = colour
        return self._change(annotation_id, **changes)

    def _change(self, annotation_id: str, **changes: Any) -> tuple[Annotation, Annotation]:
        with self._write() as conn:
            before = self._get(conn, annotation_id)
            after = self._next_revision(before, **changes)
            self._replace_annotation(conn, after)
        return before, after

    def _get(self, conn: sqlite3.Connection, annotation_id: str) -> Annotation:
        cur = conn.execute("SELECT * FROM annotations WHERE id = ?", (annotation_id,))
        row = cur.fetchone()
        if row is None:
            raise NotFoundError(self.path, f"No annotation {annotation_id} in this project.")
        cols = [c[0] for c in cur.description]
        return _annotation_from_row(dict(zip(cols, row, strict=True)))

    def reattach_annotation(
        self, annotation_id: str, start: int, end: int, article_id: str | None = None
    ) -> tuple[Annotation, Annotation]:
        """Attach an (orphaned) annotation to a new passage; returns (before, after)."""
        current = self.annotation(annotation_id)
        article = self.article(article_id or current.article_id)
        try:
            sel = selector_for(article.text, start, end)
        except ValueError as exc:
            raise ProjectError(self.path, f"Cannot re-attach: {exc}.") from exc
        return self._change(
            annotation_id,
            article_sha256=article.sha256,
            article_id=article.id,
            start=start,
            end=end,
            exact=sel.exact,
            prefix=sel.prefix,
            suffix=sel.suffix,
        )

    def delete_annotation(self, annotation_id: str) -> Annotation:
        """Delete (keeps a tombstone for merges); returns the record as it was, for undo."""
        before, _after = self._change(annotation_id, deleted=now())
        return before

    def restore_annotation(self, record: Annotation) -> Annotation:
        """Put an annotation back exactly as `record` says (undo of add/update/delete/reattach).

        Saved as a new revision, so a colleague's copy sees it as the latest edit.
        """
        with self._write() as conn:
            try:
                current: Annotation | None = self._get(conn, record.id)
            except NotFoundError:
                current = None
            if current is None:
                restored = record
                self._insert_annotation(conn, restored)
            else:
                restored = replace(
                    record,
                    updated=now(),
                    revision=uuid.uuid4().hex,
                    history=(*current.history, current.revision)[-MAX_HISTORY:],
                )
                self._replace_annotation(conn, restored)
        return restored

    def resolve_annotation_conflict(self, keep_id: str) -> list[Annotation]:
        """Keep one version of an annotation an import kept twice; the others are deleted.

        Returns the records changed as they were (undo: restore_annotation each).
        """
        keep = self.annotation(keep_id)
        root = keep.conflict_of or keep.id
        family = [
            a
            for a in self.annotations()
            if a.id == root or a.conflict_of == root
        ]
        changed: list[Annotation] = []
        with self._write() as conn:
            for a in family:
                if a.id == keep.id:
                    if a.conflict_of is not None:
                        conn.execute(
                            "UPDATE annotations SET conflict_of = NULL WHERE id = ?", (a.id,)
                        )
                        changed.append(a)
                    continue
                after = self._next_revision(a, deleted=now())
                self._replace_annotation(conn, after)
                changed.append(a)
        return changed

    def anchored(self, include_deleted: bool = False) -> list[Anchored]:
        """Every annotation placed in the current text of its article, orphans included.

        The article is found by the sha256 of the text the note was made on, else by article id
        (the article's text was replaced); each passage is then re-anchored (anchoring.py).
        """
        articles = self.articles(include_hidden=True)
        by_sha = {a.sha256: a for a in articles}
        by_id = {a.id: a for a in articles}
        anchorers: dict[str, Anchorer] = {}
        out: list[Anchored] = []
        for ann in self.annotations(include_deleted=include_deleted):
            article = by_sha.get(ann.article_sha256) or by_id.get(ann.article_id)
            if article is None:
                out.append(Anchored(ann, None, None, None, ORPHAN))
                continue
            anchorer = anchorers.get(article.id)
            if anchorer is None:
                anchorer = anchorers[article.id] = Anchorer(article.text)
            hit = anchorer.anchor(ann.selector)
            if hit is None:
                out.append(Anchored(ann, article.id, None, None, ORPHAN))
            else:
                out.append(Anchored(ann, article.id, hit.start, hit.end, hit.method))
        return out

    def orphans(self) -> list[Anchored]:
        return [a for a in self.anchored() if a.is_orphan]

    # -- conflict decisions ------------------------------------------------------------------

    def conflict_statuses(self) -> dict[str, ConflictStatus]:
        return {
            r["key"]: _status_from_row(r)
            for r in self._read("SELECT * FROM conflict_status ORDER BY key")
        }

    def conflict_status(self, key: str) -> ConflictStatus | None:
        rows = self._read("SELECT * FROM conflict_status WHERE key = ?", (key,))
        return _status_from_row(rows[0]) if rows else None

    def set_conflict_status(
        self,
        key: str,
        status: str,
        right: str | None = None,
        note: str = "",
        kind: str = "",
        label: str = "",
    ) -> ConflictStatus | None:
        """Record a decision about a conflict (key: records.finding_key); returns the previous
        one or None. Undo: set the previous one back, or clear_conflict_status(key)."""
        if status not in CONFLICT_STATES:
            raise ValueError(f"status must be one of {CONFLICT_STATES}, not {status!r}")
        before = self.conflict_status(key)
        self.put_conflict_status(
            ConflictStatus(key, status, right, note, kind, label, self.author, now())
        )
        return before

    def put_conflict_status(self, s: ConflictStatus) -> None:
        """Store a ConflictStatus record as it is (undo, import)."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO conflict_status"
                "(key, status, right_sha256, note, kind, label, author, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (s.key, s.status, s.right, s.note, s.kind, s.label, s.author, s.updated or now()),
            )

    def clear_conflict_status(self, key: str) -> ConflictStatus | None:
        before = self.conflict_status(key)
        with self._write() as conn:
            conn.execute("DELETE FROM conflict_status WHERE key = ?", (key,))
        return before

    # -- window layout -----------------------------------------------------------------------

    def layout(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM layout WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_layout(self, key: str, value: Any) -> Any:
        """Store a JSON-serialisable value (splitter sizes, dock state as base64...); returns
        the previous value or None."""
        before = self.layout(key)
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO layout(key, value) VALUES (?, ?)",
                (key, json.dumps(value, ensure_ascii=False)),
            )
        return before


def _status_from_row(r: Mapping[str, Any]) -> ConflictStatus:
    return ConflictStatus(
        key=r["key"],
        status=r["status"],
        right=r["right_sha256"],
        note=r["note"] or "",
        kind=r["kind"] or "",
        label=r["label"] or "",
        author=r["author"] or "",
        updated=r["updated"],
    )


def _clean_tags(tags: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for t in tags:
        name = " ".join(t.split())
        if name:
            seen.setdefault(name, None)
    return tuple(seen)
