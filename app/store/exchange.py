"""Export annotations (W3C Web Annotation JSON-LD, CSV, Markdown) and merge a colleague's work.

JSON-LD: an `AnnotationCollection` whose items are W3C `Annotation`s. Each target's `source` is
`urn:sha256:<hex>` of the article text (so any tool holding the same text can resolve it) with a
`TextQuoteSelector` (exact, prefix, suffix) and a `TextPositionSelector` (code-point offsets, as the
model specifies). The note is a `TextualBody` with purpose `commenting`, each tag a `TextualBody`
with purpose `tagging`. What the W3C model has no term for (revision history, merge flag, colour,
article id) and the articles themselves (`prx:sources`, with their text, so that an import into a
project without them loses nothing) use the `prx:` prefix, which other tools ignore.

Merging (`merge_into`) matches articles by text sha256 and annotations by id, and never drops:
- an annotation only the other side has is added;
- when one side's version grew from the other's (its revision history contains the other's
  revision) the newer version wins - that is an update, or nothing when ours is newer;
- when both sides edited it since they last agreed, ours stays and theirs is kept as a second
  annotation (`conflict_of` = our id): both are shown flagged until the user keeps one.
The second copy's id is derived from the other side's id and revision, so importing the same file
twice adds nothing the second time. Conflict decisions: theirs is added when we have none;
when both differ, ours stays and theirs is appended to our note, marked, and counted in conflict.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.core.model import Article
from app.store.errors import NotAProjectError, ProjectError
from app.store.project import SQLITE_MAGIC, Project
from app.store.records import Anchored, Annotation, ConflictStatus

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PRX = "urn:parallax:ns:"
CONTEXT: list[Any] = [W3C_CONTEXT, {"prx": PRX}]
FORMATS = ("jsonld", "csv", "md")


def source_urn(sha256: str) -> str:
    return f"urn:sha256:{sha256}"


def _sha_from_urn(value: str) -> str:
    return value.removeprefix("urn:sha256:")


# ---------------------------------------------------------------------------------------------
# Export


def annotation_to_w3c(a: Annotation) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if a.note:
        body.append(
            {
                "type": "TextualBody",
                "value": a.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    body.extend({"type": "TextualBody", "value": t, "purpose": "tagging"} for t in a.tags)
    d: dict[str, Any] = {
        "id": f"urn:uuid:{a.id}",
        "type": "Annotation",
        "motivation": "commenting" if a.note or not a.tags else "tagging",
        "created": a.created,
        "modified": a.updated,
        "creator": {"type": "Person", "name": a.author},
        "body": body,
        "target": {
            "source": source_urn(a.article_sha256),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a.exact,
                    "prefix": a.prefix,
                    "suffix": a.suffix,
                },
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            ],
        },
        "prx:articleId": a.article_id,
        "prx:revision": a.revision,
        "prx:history": list(a.history),
    }
    if a.colour is not None:
        d["prx:colour"] = a.colour
    if a.conflict_of is not None:
        d["prx:conflictOf"] = a.conflict_of
    if a.deleted is not None:
        d["prx:deleted"] = a.deleted
    return d


def annotation_from_w3c(d: dict[str, Any]) -> Annotation:
    target = d.get("target") or {}
    if isinstance(target, list):
        target = target[0]
    selectors = target.get("selector") or []
    if isinstance(selectors, dict):
        selectors = [selectors]
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    if quote is None:
        raise ValueError(f"annotation {d.get('id')} has no TextQuoteSelector")
    body = d.get("body") or []
    if isinstance(body, dict):
        body = [body]
    notes = [b.get("value", "") for b in body if b.get("purpose", "commenting") == "commenting"]
    tags = [b.get("value", "") for b in body if b.get("purpose") == "tagging"]
    creator = d.get("creator") or {}
    raw_id = str(d.get("id") or "")
    revision = d.get("prx:revision") or ""
    return Annotation(
        id=raw_id.removeprefix("urn:uuid:") or str(uuid.uuid4()),
        article_sha256=_sha_from_urn(str(target.get("source") or "")),
        article_id=str(d.get("prx:articleId") or ""),
        start=int(position["start"]) if position else -1,
        end=int(position["end"]) if position else -1,
        exact=str(quote.get("exact") or ""),
        prefix=str(quote.get("prefix") or ""),
        suffix=str(quote.get("suffix") or ""),
        note="\n\n".join(n for n in notes if n),
        tags=tuple(t for t in tags if t),
        colour=d.get("prx:colour"),
        author=str(creator.get("name") or "") if isinstance(creator, dict) else str(creator),
        created=str(d.get("created") or ""),
        updated=str(d.get("modified") or d.get("created") or ""),
        # Another tool's annotation has no revision: name its content, so re-importing it twice
        # is recognised as the same version.
        revision=str(revision) or uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(d, sort_keys=True)).hex,
        history=tuple(d.get("prx:history") or ()),
        conflict_of=d.get("prx:conflictOf"),
        deleted=d.get("prx:deleted"),
    )


def _source_to_w3c(a: Article) -> dict[str, Any]:
    return {
        "id": source_urn(a.sha256),
        "type": "Text",
        "prx:articleId": a.id,
        "prx:name": a.name,
        "prx:path": a.path,
        "prx:title": a.title,
        "prx:source": a.source,
        "prx:byline": list(a.byline),
        "prx:published": a.published,
        "prx:boilerplate": [list(r) for r in a.boilerplate],
        "prx:text": a.text,
        "prx:outlet": a.outlet,
    }


def _source_from_w3c(d: dict[str, Any]) -> Article:
    return Article(
        id=str(d.get("prx:articleId") or ""),
        text=str(d["prx:text"]),
        path=d.get("prx:path"),
        name=str(d.get("prx:name") or ""),
        title=d.get("prx:title"),
        source=d.get("prx:source"),
        byline=tuple(d.get("prx:byline") or ()),
        published=d.get("prx:published"),
        boilerplate=tuple((int(s), int(e)) for s, e in d.get("prx:boilerplate") or ()),
        outlet=d.get("prx:outlet"),
    )


def export_jsonld(project: Project) -> dict[str, Any]:
    items = [annotation_to_w3c(a) for a in project.annotations()]
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": f"Parallax annotations: {project.path.name}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
        "prx:sources": [_source_to_w3c(a) for a in project.articles(include_hidden=True)],
        "prx:conflictStatus": [s.to_dict() for s in project.conflict_statuses().values()],
    }


CSV_COLUMNS = (
    "id",
    "article",
    "article_title",
    "article_sha256",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "note",
    "tags",
    "colour",
    "author",
    "created",
    "updated",
    "conflict_of",
    "anchor",
    "anchored_start",
    "anchored_end",
)


def export_csv(project: Project) -> str:
    titles = {a.id: a.title or a.label for a in project.articles(include_hidden=True)}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for x in project.anchored():
        a = x.annotation
        w.writerow(
            [
                a.id,
                x.article_id or a.article_id,
                titles.get(x.article_id or a.article_id, ""),
                a.article_sha256,
                a.start,
                a.end,
                a.exact,
                a.prefix,
                a.suffix,
                a.note,
                "; ".join(a.tags),
                a.colour or "",
                a.author,
                a.created,
                a.updated,
                a.conflict_of or "",
                x.method,
                "" if x.start is None else x.start,
                "" if x.end is None else x.end,
            ]
        )
    return out.getvalue()


def export_markdown(project: Project) -> str:
    articles = project.articles(include_hidden=True)
    anchored = project.anchored()
    conflicted = conflict_ids(anchored)
    lines = [f"# Annotations: {project.path.name}", ""]
    for art in articles:
        mine = [x for x in anchored if x.article_id == art.id]
        if not mine:
            continue
        mine.sort(key=lambda x: (x.start if x.start is not None else 1 << 60, x.annotation.created))
        heading = art.title or art.label
        meta = ", ".join(p for p in (art.source, art.published) if p)
        lines += [f"## {heading}" + (f" ({meta})" if meta else ""), ""]
        for x in mine:
            lines += _md_item(x, x.annotation.id in conflicted)
    lost = [x for x in anchored if x.article_id is None]
    if lost:
        lines += ["## Articles not in this project", ""]
        for x in lost:
            lines += _md_item(x, x.annotation.id in conflicted)
    return "\n".join(lines).rstrip() + "\n"


def _md_item(x: Anchored, in_conflict: bool) -> list[str]:
    a = x.annotation
    quote = " ".join(a.exact.split())
    flags = []
    if x.is_orphan:
        flags.append("**orphan: passage not found**")
    if in_conflict:
        flags.append("**edited on two copies: both versions kept**")
    out = [f"> {quote}", ""]
    if a.note:
        out += [a.note, ""]
    info = [f"Tags: {', '.join(a.tags)}" if a.tags else "", a.author, a.updated[:10], *flags]
    out += [" · ".join(i for i in info if i), ""]
    return out


def conflict_ids(anchored: Sequence[Anchored]) -> set[str]:
    """Ids of annotations kept twice by a merge (both the original and the second copy)."""
    out: set[str] = set()
    for x in anchored:
        if x.annotation.conflict_of:
            out.add(x.annotation.id)
            out.add(x.annotation.conflict_of)
    return out


def export(project: Project, fmt: str) -> str:
    if fmt == "jsonld":
        return json.dumps(export_jsonld(project), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return export_csv(project)
    if fmt == "md":
        return export_markdown(project)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------------------------
# Import / merge


@dataclass
class Incoming:
    articles: list[Article]
    annotations: list[Annotation]
    statuses: list[ConflictStatus]
    tags: list[tuple[str, str | None]]


@dataclass
class MergeResult:
    articles_added: int = 0
    added: int = 0
    updated: int = 0
    conflicts: int = 0
    unchanged: int = 0
    statuses_added: int = 0
    statuses_updated: int = 0
    statuses_in_conflict: int = 0

    def summary(self) -> str:
        return (
            f"Added {self.added}, updated {self.updated}, kept in conflict {self.conflicts} "
            f"(both versions kept), unchanged {self.unchanged}. "
            f"Articles added: {self.articles_added}. Conflict decisions: added "
            f"{self.statuses_added}, updated {self.statuses_updated}, kept in conflict "
            f"{self.statuses_in_conflict}."
        )


def read_incoming(path: str | Path) -> Incoming:
    """Read a JSON-LD export or another project file (opened read-only, never changed)."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise ProjectError(p, f"Cannot read “{p.name}”: {exc.strerror}.") from exc
    if head.startswith(SQLITE_MAGIC):
        with Project.open(p, read_only=True) as other:
            return Incoming(
                articles=other.articles(include_hidden=True),
                annotations=other.annotations(include_deleted=True),
                statuses=list(other.conflict_statuses().values()),
                tags=[(t.name, t.colour) for t in other.tags()],
            )
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotAProjectError(
            p, f"“{p.name}” is neither a Parallax project nor a JSON-LD annotation export."
        ) from exc
    return _incoming_from_jsonld(p, data)


def _incoming_from_jsonld(p: Path, data: Any) -> Incoming:
    items: Any
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and data.get("type") == "Annotation":
        items = [data]
    elif isinstance(data, dict):
        page = data.get("first") or {}
        items = page.get("items") if isinstance(page, dict) else None
        if items is None:
            items = data.get("items")
    else:
        items = None
    if not isinstance(items, list):
        raise NotAProjectError(p, f"“{p.name}” holds no W3C annotations.")
    try:
        annotations = [annotation_from_w3c(d) for d in items if d.get("type") == "Annotation"]
        sources = data.get("prx:sources", []) if isinstance(data, dict) else []
        articles = [_source_from_w3c(s) for s in sources if "prx:text" in s]
        statuses = [
            ConflictStatus(**s)
            for s in (data.get("prx:conflictStatus", []) if isinstance(data, dict) else [])
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise NotAProjectError(
            p, f"“{p.name}” is not a readable annotation export ({exc})."
        ) from exc
    return Incoming(articles, annotations, statuses, [])


def merge_into(project: Project, incoming: Incoming) -> MergeResult:
    """Merge another copy's articles, annotations and decisions; one transaction."""
    result = MergeResult()
    with project._write() as conn:
        before = {
            r[0] for r in conn.execute("SELECT sha256 FROM articles")
        }
        stored = project._insert_articles(conn, incoming.articles)
        result.articles_added = sum(1 for a in stored if a.sha256 not in before)
        local_id_by_sha = {
            sha: aid for aid, sha in conn.execute("SELECT id, sha256 FROM articles")
        }
        for name, colour in incoming.tags:
            project._ensure_tags(conn, [name], colour)
        for theirs in incoming.annotations:
            # Their article id means nothing here; ours for the same text, or none.
            theirs = replace(theirs, article_id=local_id_by_sha.get(theirs.article_sha256, ""))
            _merge_annotation(project, conn, theirs, result)
        for s in incoming.statuses:
            _merge_status(conn, s, result)
    return result


def _merge_annotation(project: Project, conn: Any, theirs: Annotation, result: MergeResult) -> None:
    try:
        ours: Annotation | None = project._get(conn, theirs.id)
    except ProjectError:
        ours = None
    if ours is None:
        project._insert_annotation(conn, theirs)
        if theirs.deleted is None:
            result.added += 1
        return
    if ours.revision == theirs.revision or theirs.revision in ours.history:
        result.unchanged += 1
        return
    if ours.revision in theirs.history:
        newer = replace(theirs, article_id=theirs.article_id or ours.article_id)
        project._replace_annotation(conn, newer)
        result.updated += 1
        return
    if ours.same_content(theirs):
        # Same edit made on both sides: remember both histories, nothing to decide.
        history = tuple(dict.fromkeys((*ours.history, *theirs.history, theirs.revision)))
        project._replace_annotation(conn, replace(ours, history=history))
        result.unchanged += 1
        return
    copy_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"parallax:{theirs.id}:{theirs.revision}"))
    try:
        project._get(conn, copy_id)
        result.unchanged += 1  # this very version was imported before
        return
    except ProjectError:
        pass
    project._insert_annotation(conn, replace(theirs, id=copy_id, conflict_of=ours.id))
    result.conflicts += 1


def _merge_status(conn: Any, theirs: ConflictStatus, result: MergeResult) -> None:
    row = conn.execute(
        "SELECT status, right_sha256, note FROM conflict_status WHERE key = ?", (theirs.key,)
    ).fetchone()
    values = (theirs.status, theirs.right, theirs.note)
    if row is not None and tuple(row) == values:
        return
    if row is None:
        conn.execute(
            "INSERT INTO conflict_status"
            "(key, status, right_sha256, note, kind, label, author, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (theirs.key, *values, theirs.kind, theirs.label, theirs.author, theirs.updated),
        )
        result.statuses_added += 1
        return
    if row[0] == "open" and row[1] is None and not row[2]:
        # Ours is the untouched default: theirs is simply newer information.
        conn.execute(
            "UPDATE conflict_status SET status = ?, right_sha256 = ?, note = ?, author = ?,"
            " updated = ? WHERE key = ?",
            (*values, theirs.author, theirs.updated, theirs.key),
        )
        result.statuses_updated += 1
        return
    marker = (
        f"[Imported from {theirs.author or 'a colleague'}: {theirs.status}"
        + (f", right: {theirs.right[:12]}" if theirs.right else "")
        + (f" - {theirs.note}" if theirs.note else "")
        + "]"
    )
    if marker in (row[2] or ""):
        return
    note = f"{row[2]}\n{marker}" if row[2] else marker
    conn.execute("UPDATE conflict_status SET note = ? WHERE key = ?", (note, theirs.key))
    result.statuses_in_conflict += 1


def import_file(project: Project, path: str | Path) -> MergeResult:
    return merge_into(project, read_incoming(path))
