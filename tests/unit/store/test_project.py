"""Project files: creation, every change committed, refusing files we must not touch, migration."""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from app.core.model import Article, Comparison, Finding, Span
from app.store import schema
from app.store.anchoring import FUZZY, ORPHAN, POSITION
from app.store.errors import (
    DamagedProjectError,
    DiskFullError,
    NewerProjectError,
    NotAProjectError,
    NotFoundError,
    ProjectError,
    ProjectNotFoundError,
    ReadOnlyProjectError,
)
from app.store.project import APPLICATION_ID, SCHEMA_VERSION, Project
from app.store.records import OPEN, RESOLVED, finding_key
from tests.unit.store.conftest import file_sha, siblings


def quote_range(article: Article, quote: str) -> tuple[int, int]:
    i = article.text.index(quote)
    return i, i + len(quote)


def test_new_project_has_header_schema_and_articles(
    project: Project, project_path: Path, seed_articles: Sequence[Article]
) -> None:
    header = project_path.read_bytes()[:100]
    assert struct.unpack(">I", header[68:72])[0] == APPLICATION_ID
    assert struct.unpack(">I", header[60:64])[0] == SCHEMA_VERSION
    assert project.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert project.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert project.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    assert [t.name for t in project.tags()] == ["Verified", "Disputed", "Needs source"]
    assert project.articles() == list(seed_articles)
    # No temporary file is left next to the project.
    assert siblings(project_path) == {project_path.name}


def test_reopening_rebuilds_articles_without_original_files(
    project: Project, project_path: Path, seed_articles: Sequence[Article]
) -> None:
    project.close()
    with Project.open(project_path) as again:
        stored = again.articles()
    assert stored == list(seed_articles)
    assert [a.sha256 for a in stored] == [a.sha256 for a in seed_articles]
    assert all(a.boilerplate == b.boilerplate for a, b in zip(stored, seed_articles, strict=True))


def test_adding_the_same_article_twice_stores_it_once(
    project: Project, seed_articles: Sequence[Article]
) -> None:
    again = project.add_articles([seed_articles[2]])
    assert again[0].id == seed_articles[2].id
    assert len(project.articles()) == 5
    extra = Article(id="a0", text="A different article.", name="other.txt")
    (stored,) = project.add_articles([extra])
    assert stored.id == "a5"  # the loader's id was taken
    assert project.article("a5").text == "A different article."


def test_annotation_changes_are_committed_at_once(project: Project, project_path: Path) -> None:
    art = project.articles()[0]
    a = project.add_annotation(
        art.id, *quote_range(art, "Vladimir Putin"), "call back", ["Disputed"]
    )
    # A second connection sees it without any save or close.
    other = sqlite3.connect(project_path)
    assert other.execute("SELECT note FROM annotations WHERE id = ?", (a.id,)).fetchone() == (
        "call back",
    )
    before, after = project.update_annotation(a.id, note="verified", tags=["Verified", "mine"])
    assert before == a
    assert after.history == (a.revision,)
    assert other.execute("SELECT note FROM annotations WHERE id = ?", (a.id,)).fetchone() == (
        "verified",
    )
    assert "mine" in [t.name for t in project.tags()]
    other.close()


def test_undo_pairs_restore_every_state(project: Project) -> None:
    art = project.articles()[1]
    a = project.add_annotation(art.id, *quote_range(art, "Biden"), "first")
    _before, _after = project.update_annotation(a.id, note="second", colour="#ffd54f")
    record = project.delete_annotation(a.id)
    assert record.note == "second"
    assert project.annotations() == []
    assert [x.id for x in project.annotations(include_deleted=True)] == [a.id]
    restored = project.restore_annotation(record)  # undo delete
    assert (restored.note, restored.colour, restored.deleted) == ("second", "#ffd54f", None)
    undone = project.restore_annotation(a)  # undo the edit
    assert (undone.note, undone.colour) == ("first", None)
    # Every step is a new revision, so a colleague's older copy is recognised as older.
    assert len(undone.history) == 4


def test_reanchoring_on_load_finds_position_and_orphans(project: Project) -> None:
    art = project.articles()[0]
    kept = project.add_annotation(art.id, *quote_range(art, "Vladimir Putin"), "name")
    anchored = {x.annotation.id: x for x in project.anchored()}
    assert anchored[kept.id].method == POSITION
    assert project.orphans() == []


def test_orphan_can_be_reattached(project: Project, project_path: Path) -> None:
    art = project.articles()[0]
    a = project.add_annotation(art.id, *quote_range(art, "Vladimir Putin"), "name")
    # The quoted passage is gone from the stored text (as after a replaced article).
    project.conn.execute(
        "UPDATE annotations SET exact = 'the ministry counted 99 tanks', start = 0, end = 29"
        " WHERE id = ?",
        (a.id,),
    )
    (orphan,) = project.orphans()
    assert orphan.method == ORPHAN
    assert orphan.article_id == art.id
    _before, after = project.reattach_annotation(a.id, *quote_range(art, "Joe Biden"))
    assert after.exact == "Joe Biden"
    assert project.orphans() == []


def test_article_text_replaced_reanchors_by_article_id(project: Project) -> None:
    art = project.articles()[0]
    quote = "sudden build-up of Russian troops on the Ukrainian border"
    a = project.add_annotation(art.id, *quote_range(art, quote), "troops")
    edited = art.text.replace("sudden build-up of", "sudden  build up of").replace("\n\n", "\n")
    project.conn.execute(
        "UPDATE articles SET text = ?, sha256 = ? WHERE id = ?",
        (edited, replace(art, text=edited).sha256, art.id),
    )
    (x,) = project.anchored()
    assert x.annotation.id == a.id
    assert x.method == FUZZY
    assert x.start is not None
    assert x.end is not None
    assert "Russian troops on the Ukrainian border" in edited[x.start : x.end]


def test_conflict_status_and_layout(project: Project, project_path: Path) -> None:
    right = project.articles()[2].sha256
    assert project.set_conflict_status("number:abc", RESOLVED, right, "ministry confirmed") is None
    previous = project.set_conflict_status("number:abc", OPEN)
    assert previous is not None
    assert previous.right == right
    project.put_conflict_status(previous)  # undo
    assert project.set_layout("splitter", [300, 300, 400]) is None
    project.close()
    with Project.open(project_path) as again:
        s = again.conflict_status("number:abc")
        assert s is not None
        assert (s.status, s.right, s.note) == (RESOLVED, right, "ministry confirmed")
        assert again.layout("splitter") == [300, 300, 400]
        assert again.layout("missing", "default") == "default"
        assert again.clear_conflict_status("number:abc") == s
        assert again.conflict_statuses() == {}


def test_finding_key_ignores_ids_and_order(seed_comparison: Comparison) -> None:
    # Conflicts when the engine reports them; until then, any finding spanning two articles.
    conflicts = [f for f in seed_comparison.findings if f.is_conflict] or [
        f for f in seed_comparison.findings if len(f.articles) >= 2
    ]
    assert conflicts
    keys = [finding_key(f, seed_comparison.articles) for f in conflicts]
    distinct = {(f.kind, frozenset((s.article, s.text) for s in f.spans)) for f in conflicts}
    assert len(set(keys)) == len(distinct)
    # Same findings after a re-run that renamed articles and findings and reordered spans.
    renamed = {a.id: f"z{i}" for i, a in enumerate(reversed(seed_comparison.articles))}
    articles = [replace(a, id=renamed[a.id]) for a in seed_comparison.articles]
    for f, key in zip(conflicts, keys, strict=True):
        spans = tuple(replace(s, article=renamed[s.article]) for s in reversed(f.spans))
        again = Finding(id="f999", kind=f.kind, label="x", score=0.1, spans=spans)
        assert finding_key(again, articles) == key


def test_finding_key_changes_with_the_quoted_text(seed_articles: Sequence[Article]) -> None:
    a, b = seed_articles[:2]
    ten = Span(a.id, 0, 4, "10 dead")
    f1 = Finding("f1", "number", "", 1.0, (ten, Span(b.id, 0, 4, "12 dead")))
    f2 = Finding("f1", "number", "", 1.0, (ten, Span(b.id, 0, 4, "13 dead")))
    assert finding_key(f1, seed_articles) != finding_key(f2, seed_articles)
    assert finding_key(f1, seed_articles).startswith("number:")


def test_save_copy_as_writes_a_complete_project(project: Project, tmp_path: Path) -> None:
    art = project.articles()[0]
    a = project.add_annotation(art.id, *quote_range(art, "Vladimir Putin"), "copied")
    copy = project.save_copy_as(tmp_path / "copy.parallax")
    project.add_annotation(art.id, *quote_range(art, "Joe Biden"), "after the copy")
    with Project.open(copy) as c:
        assert [x.id for x in c.annotations()] == [a.id]
        assert c.integrity_check() == ["ok"]


# ---------------------------------------------------------------------------------------------
# Files we must refuse, untouched


def _refused(path: Path, error: type[Exception], match: str) -> None:
    before_sha, before_files = file_sha(path), siblings(path)
    with pytest.raises(error, match=match) as info:
        Project.open(path, create=True)
    assert file_sha(path) == before_sha
    assert siblings(path) == before_files
    assert "untouched" in str(info.value) or "not changed" in str(info.value)


def test_zero_length_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.parallax"
    path.write_bytes(b"")
    _refused(path, NotAProjectError, "empty")


def test_non_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.parallax"
    path.write_text("Meeting notes, not a project\n" * 50)
    _refused(path, NotAProjectError, "not a SQLite file")


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.parallax"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.execute("PRAGMA application_id = 1234")
    db.commit()
    db.close()
    _refused(path, NotAProjectError, "another program")


def test_plain_sqlite_file_without_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.parallax"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE annotations (x)")
    db.commit()
    db.close()
    _refused(path, NotAProjectError, "another program")


def test_truncated_file_is_refused(project: Project, project_path: Path) -> None:
    art = project.articles()[0]
    project.add_annotation(art.id, *quote_range(art, "Vladimir Putin"), "x")
    project.close()
    data = project_path.read_bytes()
    for cut in (50, 4096, len(data) - 4096, len(data) - 10):
        project_path.write_bytes(data[:cut])
        _refused(project_path, DamagedProjectError, "damaged")


def test_corrupt_file_is_refused(project: Project, project_path: Path) -> None:
    project.close()
    data = bytearray(project_path.read_bytes())
    page = 4096
    # Scribble over a b-tree page (not the header): same size, broken content.
    for i in range(2 * page, 2 * page + 200):
        data[i] = 0xA5
    project_path.write_bytes(bytes(data))
    _refused(project_path, DamagedProjectError, "damaged")


def test_newer_schema_is_refused(project: Project, project_path: Path) -> None:
    project.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    project.close()
    _refused(project_path, NewerProjectError, "newer version of Parallax")


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError):
        Project.open(tmp_path / "nothing.parallax")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Read-only files, full disks


def test_read_only_file_opens_read_only(project: Project, project_path: Path) -> None:
    art = project.articles()[0]
    a = project.add_annotation(art.id, *quote_range(art, "Vladimir Putin"), "x")
    project.close()
    os.chmod(project_path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        before = file_sha(project_path)
        with Project.open(project_path) as ro:
            assert ro.read_only
            assert [x.id for x in ro.annotations()] == [a.id]
            with pytest.raises(ReadOnlyProjectError, match="read-only"):
                ro.add_annotation(art.id, 0, 5, "no")
            with pytest.raises(ReadOnlyProjectError):
                ro.delete_annotation(a.id)
            with pytest.raises(ReadOnlyProjectError):
                ro.set_layout("k", 1)
        assert file_sha(project_path) == before
    finally:
        os.chmod(project_path, stat.S_IRUSR | stat.S_IWUSR)


def test_full_disk_gives_clear_error_and_loses_nothing(
    project: Project, project_path: Path
) -> None:
    art = project.articles()[0]
    saved = [project.add_annotation(art.id, i, i + 20, f"note {i}") for i in range(0, 200, 20)]
    (pages,) = project.conn.execute("PRAGMA page_count").fetchone()
    project.conn.execute(f"PRAGMA max_page_count = {pages}")
    big_notes = 0

    def fill() -> None:
        nonlocal big_notes
        for i in range(500):
            project.add_annotation(art.id, 10, 40, "x" * 2000 + str(i))
            big_notes += 1

    with pytest.raises(DiskFullError, match="full") as info:
        fill()
    assert "safe" in str(info.value)
    assert big_notes < 500
    # The project is still usable and consistent after the failure.
    assert project.integrity_check() == ["ok"]
    ids_now = {a.id for a in project.annotations()}
    assert {a.id for a in saved} <= ids_now
    assert len(ids_now) == len(saved) + big_notes
    project.close()
    with Project.open(project_path) as again:
        assert {a.id for a in again.annotations()} == ids_now
        assert again.integrity_check() == ["ok"]


# ---------------------------------------------------------------------------------------------
# Migration


def _make_v1_project(path: Path, article: Article) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    schema.MIGRATIONS[0](Database(conn))
    conn.execute(
        "INSERT INTO articles(id, position, name, text, sha256, hidden, added)"
        " VALUES ('a0', 0, 'old.txt', ?, ?, 0, '2024-01-01T00:00:00Z')",
        (article.text, article.sha256),
    )
    conn.execute(
        "INSERT INTO annotations(id, article_sha256, article_id, start, end, exact, note,"
        " created, updated, revision) VALUES ('old-1', ?, 'a0', 0, 4, ?, 'from v1',"
        " '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'r1')",
        (article.sha256, article.text[0:4]),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()


def test_older_schema_is_migrated_after_a_backup(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    path = tmp_path / "old.parallax"
    _make_v1_project(path, seed_articles[0])
    with Project.open(path) as p:
        assert p.backup_path == tmp_path / "old.v1-backup.parallax"
        (version,) = p.conn.execute("PRAGMA user_version").fetchone()
        assert version == SCHEMA_VERSION
        (a,) = p.annotations()
        assert (a.id, a.note, a.conflict_of) == ("old-1", "from v1", None)
        assert p.conflict_statuses() == {}
        assert [t.name for t in p.tags()] == []  # v1 files kept their own tags (none here)
    backup = sqlite3.connect(tmp_path / "old.v1-backup.parallax")
    assert backup.execute("PRAGMA user_version").fetchone() == (1,)
    assert backup.execute("SELECT note FROM annotations").fetchall() == [("from v1",)]
    columns = {r[1] for r in backup.execute("PRAGMA table_info(annotations)")}
    assert "conflict_of" not in columns
    backup.close()


def test_older_read_only_schema_is_refused_untouched(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    path = tmp_path / "old.parallax"
    _make_v1_project(path, seed_articles[0])
    before = file_sha(path)
    with pytest.raises(ReadOnlyProjectError, match="older Parallax"):
        Project.open(path, read_only=True)
    assert file_sha(path) == before
    assert siblings(path) == {"old.parallax"}


def test_article_order_and_hidden_flag_persist(project: Project, project_path: Path) -> None:
    ids = [a.id for a in project.articles()]
    assert project.set_article_order(list(reversed(ids))) == ids
    assert project.set_article_hidden(ids[0], True) is False
    project.close()
    with Project.open(project_path) as again:
        assert [a.id for a in again.articles()] == list(reversed(ids))[:-1]
        assert [a.id for a in again.articles(include_hidden=True)] == list(reversed(ids))
        assert again.article_hidden(ids[0])


def test_failed_creation_leaves_no_file(tmp_path: Path) -> None:
    # A creation that fails must not leave a file (or a temporary one) behind.
    target = tmp_path / "missing" / "story.parallax"
    with pytest.raises(ProjectError, match="folder"):
        Project.open(target, create=True)
    assert list(tmp_path.iterdir()) == []


def test_outlet_is_stored_and_a_column_can_be_renamed(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    path = tmp_path / "story.parallax"
    with Project.open(path, create=True, articles=seed_articles) as p:
        reuters = next(a for a in p.articles() if a.name.startswith("003_"))
        assert reuters.outlet == "Reuters"  # found in the text when the article was added
        assert p.rename_article(reuters.id, "  Reuters   wire ") is None
        assert p.article(reuters.id).outlet == "Reuters wire"
    with Project.open(path) as p:  # stored in the file
        assert p.article(reuters.id).outlet == "Reuters wire"
        assert p.rename_article(reuters.id, "") == "Reuters wire"
        assert p.article(reuters.id).outlet == "Reuters"  # back to the outlet found
        with pytest.raises(NotFoundError):
            p.rename_article("nope", "x")


def test_v2_project_gains_outlet_columns_and_keeps_its_articles(
    tmp_path: Path, seed_articles: Sequence[Article]
) -> None:
    path = tmp_path / "old.parallax"
    _make_v1_project(path, seed_articles[0])
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    schema.MIGRATIONS[1](Database(conn))
    conn.execute("PRAGMA user_version = 2")
    conn.execute("COMMIT")
    conn.close()
    with Project.open(path) as p:
        (version,) = p.conn.execute("PRAGMA user_version").fetchone()
        assert version == SCHEMA_VERSION == 3
        (a,) = p.articles()
        assert a.text == seed_articles[0].text
        assert a.outlet is None  # not known for articles added before
        p.rename_article(a.id, "Tagesschau")
        assert p.article(a.id).outlet == "Tagesschau"
    assert (tmp_path / "old.v2-backup.parallax").exists()
