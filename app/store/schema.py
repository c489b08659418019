"""The project file's schema and its numbered migrations.

`MIGRATIONS[n]` turns a schema at user_version n into n + 1. Project.open applies the missing ones
in one transaction, after a backup copy of the file, and sets `PRAGMA user_version` in that same
transaction, so a crash leaves either the old file or the fully migrated one. Never edit a
released migration: add the next one.

History:
1. articles, annotations (with revision history and tombstones), tags, layout.
2. merges: annotations.conflict_of, and conflict_status (decisions about conflict findings).
3. outlets: articles.outlet (the outlet found when the article was added) and
   articles.column_name (the name the user gave its column; NULL when none).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

APPLICATION_ID = 0x50524C58  # "PRLX": identifies a Parallax project in the SQLite header


def _v1_initial(db: Database) -> None:
    db.table("articles").create(
        {
            "id": str,
            "position": int,
            "name": str,
            "path": str,
            "title": str,
            "source": str,
            "byline": str,  # JSON list
            "published": str,
            "text": str,
            "sha256": str,
            "boilerplate": str,  # JSON list of [start, end]
            "warnings": str,  # JSON list
            "hidden": int,
            "added": str,
        },
        pk="id",
        not_null={"position", "name", "text", "sha256", "hidden", "added"},
        defaults={"hidden": 0, "byline": "[]", "boilerplate": "[]", "warnings": "[]"},
    )
    db.table("articles").create_index(["sha256"], unique=True)
    db.table("annotations").create(
        {
            "id": str,
            "article_sha256": str,
            "article_id": str,
            "start": int,
            "end": int,
            "exact": str,
            "prefix": str,
            "suffix": str,
            "note": str,
            "tags": str,  # JSON list of tag names
            "colour": str,
            "author": str,
            "created": str,
            "updated": str,
            "revision": str,
            "history": str,  # JSON list of earlier revisions, oldest first
            "deleted": str,  # timestamp of deletion (tombstone), NULL when live
        },
        pk="id",
        not_null={"article_sha256", "start", "end", "exact", "created", "updated", "revision"},
        defaults={"prefix": "", "suffix": "", "note": "", "tags": "[]", "author": ""},
    )
    db.table("annotations").create_index(["article_sha256"])
    db.table("tags").create(
        {"name": str, "colour": str, "builtin": int, "position": int},
        pk="name",
        not_null={"builtin", "position"},
        defaults={"builtin": 0},
    )
    # Seeded by Project on creation (not here) so that their colours can evolve.
    db.table("layout").create({"key": str, "value": str}, pk="key", not_null={"value"})


def _v2_merges(db: Database) -> None:
    db.table("annotations").add_column("conflict_of", str)
    db.table("conflict_status").create(
        {
            "key": str,
            "status": str,
            "right_sha256": str,
            "note": str,
            "kind": str,
            "label": str,
            "author": str,
            "updated": str,
        },
        pk="key",
        not_null={"status", "updated"},
        defaults={"note": "", "kind": "", "label": "", "author": ""},
    )


def _v3_outlets(db: Database) -> None:
    db.table("articles").add_column("outlet", str)
    db.table("articles").add_column("column_name", str)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1_initial, _v2_merges, _v3_outlets)
SCHEMA_VERSION = len(MIGRATIONS)
