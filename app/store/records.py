"""Plain records stored in a project: annotations, tags, conflict statuses. No Qt.

Records are frozen dataclasses; every Project method that changes one returns the record(s) a
QUndoStack needs to reverse it (see Project).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from app.core.model import Article, Finding
from app.store.anchoring import ORPHAN, Selector, fold

OPEN = "open"
RESOLVED = "resolved"
CONFLICT_STATES: tuple[str, ...] = (OPEN, RESOLVED)

# Seeded in every new project, in this order (colours are highlight backgrounds).
BUILTIN_TAGS: tuple[tuple[str, str], ...] = (
    ("Verified", "#c8e6c9"),
    ("Disputed", "#ffcdd2"),
    ("Needs source", "#fff3b0"),
)


@dataclass(frozen=True)
class Annotation:
    """A note on a passage of one article.

    The article is identified by the sha256 of its text (stable across projects and machines)
    and by its id in this project. `start`/`end`/`exact`/`prefix`/`suffix` are the passage as it
    was when last anchored; `revision` names this version and `history` the versions it grew
    from (oldest first) - that is how an import tells "edited here", "edited there" and "edited
    on both sides" apart. `conflict_of` is set on the second copy an import keeps when both
    sides edited the same annotation; `deleted` (a timestamp) marks a tombstone, kept so that
    undo and merges never lose a record.
    """

    id: str
    article_sha256: str
    article_id: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    colour: str | None = None
    author: str = ""
    created: str = ""
    updated: str = ""
    revision: str = ""
    history: tuple[str, ...] = ()
    conflict_of: str | None = None
    deleted: str | None = None

    @property
    def selector(self) -> Selector:
        return Selector(self.exact, self.prefix, self.suffix, self.start, self.end)

    def same_content(self, other: Annotation) -> bool:
        """Equal in everything a user edits (not ids, times or revisions)."""
        return _content(self) == _content(other)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["tags"] = list(self.tags)
        d["history"] = list(self.history)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Annotation:
        return cls(
            id=str(d["id"]),
            article_sha256=str(d["article_sha256"]),
            article_id=str(d.get("article_id") or ""),
            start=int(d["start"]),
            end=int(d["end"]),
            exact=str(d["exact"]),
            prefix=str(d.get("prefix") or ""),
            suffix=str(d.get("suffix") or ""),
            note=str(d.get("note") or ""),
            tags=tuple(str(t) for t in d.get("tags") or ()),
            colour=d.get("colour"),
            author=str(d.get("author") or ""),
            created=str(d.get("created") or ""),
            updated=str(d.get("updated") or ""),
            revision=str(d.get("revision") or ""),
            history=tuple(str(r) for r in d.get("history") or ()),
            conflict_of=d.get("conflict_of"),
            deleted=d.get("deleted"),
        )


def _content(a: Annotation) -> tuple[Any, ...]:
    return (
        a.article_sha256,
        a.start,
        a.end,
        a.exact,
        a.note,
        a.tags,
        a.colour,
        a.deleted is not None,
    )


@dataclass(frozen=True)
class Anchored:
    """An annotation placed in the current text of its article, or an orphan.

    `article_id` is None when no article in the project has the annotation's text or id.
    `method` is one of anchoring.POSITION / QUOTE / FUZZY / ORPHAN.
    """

    annotation: Annotation
    article_id: str | None
    start: int | None
    end: int | None
    method: str

    @property
    def is_orphan(self) -> bool:
        return self.method == ORPHAN

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.annotation.to_dict(),
            "anchor": {
                "article": self.article_id,
                "start": self.start,
                "end": self.end,
                "method": self.method,
            },
        }


@dataclass(frozen=True)
class Tag:
    name: str
    colour: str | None = None
    builtin: bool = False


@dataclass(frozen=True)
class ConflictStatus:
    """What the journalist decided about one conflict finding.

    `right` is the sha256 of the article judged right (None: undecided or none of them).
    """

    key: str
    status: str = OPEN
    right: str | None = None
    note: str = ""
    kind: str = ""
    label: str = ""
    author: str = ""
    updated: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def finding_key(finding: Finding, articles: Iterable[Article]) -> str:
    """A key for a conflict that survives re-running the comparison (ids and order may change).

    key = "<kind>:" + first 32 hex digits of sha256 over the JSON of the sorted, de-duplicated
    pairs (article text sha256, quoted passage with whitespace/typography folded). Ids like
    "f12" or "a3" and the order of findings or articles play no part, so the same disagreement
    between the same texts gets the same key in every run, on every machine, after a merge.
    It changes when a quoted passage itself changes, which is the right time to decide afresh.
    """
    by_id = {a.id: a.sha256 for a in articles}
    pairs = sorted({(by_id.get(s.article, s.article), fold(s.text)) for s in finding.spans})
    digest = hashlib.sha256(
        json.dumps(pairs, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    ).hexdigest()
    return f"{finding.kind}:{digest[:32]}"


def dumps_list(items: Sequence[Any]) -> str:
    return json.dumps(list(items), ensure_ascii=False, separators=(",", ":"))
