"""Export formats, and merging a colleague's work (JSON-LD export or project file)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from app.core.model import Article
from app.store.exchange import export, import_file
from app.store.project import Project
from app.store.records import RESOLVED, Annotation


def _annotate(p: Project, article: Article, quote: str, note: str, **kw: object) -> Annotation:
    i = article.text.index(quote)
    return p.add_annotation(article.id, i, i + len(quote), note, **kw)  # type: ignore[arg-type]


def _fill(p: Project) -> list[Annotation]:
    a0, a1 = p.articles()[:2]
    _annotate(p, a0, "Vladimir Putin", "Kremlin chief — “quoted”", tags=["Verified"])
    second = _annotate(p, a1, "Biden", "check 😀 emoji", tags=["Disputed", "own tag"])
    p.update_annotation(second.id, colour="#ffd54f", note="check 😀 emoji, edited")
    third = _annotate(p, a0, "Joe Biden", "to delete")
    p.delete_annotation(third.id)
    p.set_conflict_status("number:0123", RESOLVED, a1.sha256, "ministry confirmed")
    return p.annotations()


def test_jsonld_export_is_w3c_web_annotation(project: Project, tmp_path: Path) -> None:
    _fill(project)
    doc = json.loads(export(project, "jsonld"))
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection"
    items = doc["first"]["items"]
    assert len(items) == doc["total"] == 2  # the deleted one is not exported
    item = items[0]
    assert item["type"] == "Annotation"
    assert item["id"].startswith("urn:uuid:")
    assert item["target"]["source"] == "urn:sha256:" + project.articles()[0].sha256
    kinds = {s["type"]: s for s in item["target"]["selector"]}
    assert kinds["TextQuoteSelector"]["exact"] == "Vladimir Putin"
    text = project.articles()[0].text
    pos = kinds["TextPositionSelector"]
    assert text[pos["start"] : pos["end"]] == "Vladimir Putin"
    assert {"purpose": "tagging", "type": "TextualBody", "value": "Verified"} in item["body"]


def test_export_import_into_fresh_project_round_trips_every_field(
    project: Project, tmp_path: Path
) -> None:
    originals = _fill(project)
    out = tmp_path / "export.jsonld"
    out.write_text(export(project, "jsonld"), encoding="utf-8")
    with Project.open(tmp_path / "fresh.parallax", create=True) as fresh:
        result = import_file(fresh, out)
        assert (result.added, result.updated, result.conflicts) == (2, 0, 0)
        assert result.articles_added == 5
        assert fresh.annotations() == originals  # every field, ids and revisions included
        assert fresh.articles() == project.articles()
        assert fresh.conflict_statuses() == project.conflict_statuses()
        # Importing the same file again changes nothing.
        again = import_file(fresh, out)
        assert (again.added, again.updated, again.conflicts, again.unchanged) == (0, 0, 0, 2)
        assert fresh.annotations() == originals


def test_project_file_import_round_trips_tombstones(project: Project, tmp_path: Path) -> None:
    _fill(project)
    with Project.open(tmp_path / "fresh.parallax", create=True) as fresh:
        import_file(fresh, project.path)
        assert fresh.annotations(include_deleted=True) == project.annotations(include_deleted=True)
        assert "own tag" in [t.name for t in fresh.tags()]


def test_merge_of_two_diverged_copies_keeps_both_edits(project: Project, tmp_path: Path) -> None:
    a0, a1 = project.articles()[:2]
    shared = _annotate(project, a0, "Vladimir Putin", "original note")
    only_theirs_edit = _annotate(project, a1, "Biden", "original")
    colleague_path = project.save_copy_as(tmp_path / "colleague.parallax")
    with Project.open(colleague_path, author="Ben") as theirs:
        theirs.update_annotation(shared.id, note="Ben: confirmed by the Kremlin")
        theirs.update_annotation(only_theirs_edit.id, tags=["Verified"])
        new = _annotate(theirs, a0, "Joe Biden", "Ben's new note")
    project.update_annotation(shared.id, note="Ana: spokesperson denies")

    result = import_file(project, colleague_path)
    assert (result.added, result.updated, result.conflicts) == (1, 1, 1)
    notes = {a.id: a for a in project.annotations()}
    assert notes[shared.id].note == "Ana: spokesperson denies"  # ours kept
    (copy,) = [a for a in notes.values() if a.conflict_of == shared.id]
    assert copy.note == "Ben: confirmed by the Kremlin"  # theirs kept too, flagged
    assert notes[only_theirs_edit.id].tags == ("Verified",)  # fast-forward
    assert notes[new.id].note == "Ben's new note"
    # Importing again adds nothing; keeping one version resolves the flag.
    again = import_file(project, colleague_path)
    assert (again.added, again.updated, again.conflicts) == (0, 0, 0)
    project.resolve_annotation_conflict(copy.id)
    live = {a.id: a for a in project.annotations()}
    assert shared.id not in live
    assert live[copy.id].conflict_of is None


def test_merge_never_drops_decisions(project: Project, tmp_path: Path) -> None:
    sha = project.articles()[0].sha256
    colleague_path = project.save_copy_as(tmp_path / "colleague.parallax")
    with Project.open(colleague_path, author="Ben") as theirs:
        theirs.set_conflict_status("number:1", RESOLVED, sha, "Ben checked")
        theirs.set_conflict_status("number:2", RESOLVED, None, "Ben: neither")
    project.set_conflict_status("number:2", RESOLVED, sha, "Ana: the first")
    result = import_file(project, colleague_path)
    assert (result.statuses_added, result.statuses_in_conflict) == (1, 1)
    s1, s2 = project.conflict_status("number:1"), project.conflict_status("number:2")
    assert s1 is not None
    assert s1.note == "Ben checked"
    assert s2 is not None
    assert s2.right == sha
    assert "Ana: the first" in s2.note
    assert "Ben: neither" in s2.note


def test_import_of_another_tools_minimal_annotation(project: Project, tmp_path: Path) -> None:
    art = project.articles()[0]
    start = art.text.index("Vladimir Putin")
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:6f1c0c9e-8d43-4b0e-9a7b-3c1b6c4c0d11",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "from another tool"},
        "target": {
            "source": "urn:sha256:" + art.sha256,
            "selector": {"type": "TextQuoteSelector", "exact": "Vladimir Putin"},
        },
    }
    path = tmp_path / "other.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = import_file(project, path)
    assert result.added == 1
    (x,) = project.anchored()
    assert x.annotation.note == "from another tool"
    assert (x.start, x.end) == (start, start + len("Vladimir Putin"))


def test_csv_and_markdown_exports(project: Project, seed_articles: Sequence[Article]) -> None:
    _fill(project)
    rows = list(csv.DictReader(io.StringIO(export(project, "csv"))))
    assert [r["exact"] for r in rows] == ["Vladimir Putin", "Biden"]
    assert rows[1]["tags"] == "Disputed; own tag"
    assert rows[1]["colour"] == "#ffd54f"
    assert rows[0]["anchor"] == "position"
    md = export(project, "md")
    assert "> Vladimir Putin" in md
    assert "check 😀 emoji, edited" in md
    assert "to delete" not in md
