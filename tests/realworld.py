"""The hand-labelled real-world clusters in tests/data/realworld/ (FA-KES), and how the engine's
conflicts are scored against them.

    python -m tests.realworld check            # validate every labels.json
    python -m tests.realworld show CLUSTER     # a cluster's labels with their offsets

Scoring (used by tests/unit/core/test_realworld.py and app/bench.py):
- a conflict the engine shows is **right** when every one of its spans overlaps a labelled
  mention of one and the same labelled conflict of the same kind; anything else is **false**;
- a **key** labelled conflict is **found** when one shown conflict holds, for every article that
  gives a figure of it, a span on one of that article's mentions (all its figures found).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "realworld"


@dataclass(frozen=True)
class Mention:
    article: str  # file name
    start: int
    end: int
    text: str
    value: Any = None
    claimant: str | None = None
    superseded: bool = False


@dataclass
class LabelledConflict:
    id: str
    kind: str
    topic: str
    key: bool
    severity: str | None
    mentions: list[Mention]

    @property
    def articles(self) -> set[str]:
        return {m.article for m in self.mentions}


@dataclass
class Cluster:
    name: str
    folder: Path
    control: str | None
    texts: dict[str, str]
    conflicts: list[LabelledConflict]
    copies: list[tuple[str, str]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.txt"))


def _locate(texts: dict[str, str], fig: dict[str, Any], where: str) -> Mention:
    art = fig["article"]
    if art not in texts:
        raise ValueError(f"{where}: no article {art!r}")
    text = texts[art]
    ctx = fig["context"]
    first = text.find(ctx)
    if first < 0:
        raise ValueError(f"{where}: context {ctx!r} not in {art}")
    if text.find(ctx, first + 1) >= 0:
        raise ValueError(f"{where}: context {ctx!r} occurs more than once in {art}")
    inner = ctx.find(fig["text"])
    if inner < 0:
        raise ValueError(f"{where}: text {fig['text']!r} not inside its context {ctx!r}")
    start = first + inner
    return Mention(art, start, start + len(fig["text"]), fig["text"], fig.get("value"),
                   fig.get("claimant"), bool(fig.get("superseded", False)))


def load_cluster(folder: Path) -> Cluster:
    raw = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
    conflicts = []
    for c in raw.get("conflicts", []):
        where = f"{folder.name} {c.get('id')}"
        conflicts.append(LabelledConflict(
            id=c["id"], kind=c["kind"], topic=c.get("topic", ""), key=bool(c.get("key")),
            severity=c.get("severity"),
            mentions=[_locate(texts, f, where) for f in c.get("figures", [])],
        ))
    for a in raw.get("agreements", []):
        for f in a.get("figures", []):
            _locate(texts, f, f"{folder.name} {a.get('id')}")
    copies = [tuple(sorted(c["articles"])) for c in raw.get("copies", [])]
    return Cluster(folder.name, folder, raw.get("control"), texts, conflicts,
                   [(a, b) for a, b in copies], raw)


def clusters() -> list[Cluster]:
    return [load_cluster(p.parent) for p in sorted(DATA.glob("*/labels.json"))]


# ---------------------------------------------------------------------------------------------
# Scoring


@dataclass
class ClusterScore:
    name: str
    control: str | None
    shown: int = 0
    right: int = 0
    false: list[str] = field(default_factory=list)
    key_total: int = 0
    key_found: int = 0
    missed: list[str] = field(default_factory=list)


def _overlaps(span: dict[str, Any], m: Mention, names: dict[str, str], kind: str) -> bool:
    if names.get(span["article"]) != m.article:
        return False
    if kind == "name":
        # A spelling is labelled once per article; the engine marks every place it occurs.
        a, b = span["text"].casefold(), m.text.casefold()
        return a in b or b in a
    return span["start"] < m.end and m.start < span["end"]


def _belongs(finding: dict[str, Any], lc: LabelledConflict, names: dict[str, str]) -> bool:
    if finding["kind"] != lc.kind:
        return False
    return all(any(_overlaps(s, m, names, lc.kind) for m in lc.mentions)
               for s in finding["spans"])


CONFLICT_KINDS = ("number", "quote", "name", "date")


def score(cluster: Cluster, result: dict[str, Any]) -> ClusterScore:
    """Score a `parallax.comparison/1` JSON document against the cluster's labels."""
    names = {a["id"]: Path(a["path"]).name for a in result["articles"]}
    sc = ClusterScore(cluster.name, cluster.control)
    shown = [f for f in result["findings"] if f["kind"] in CONFLICT_KINDS]
    # A low `typo` note, or a dispute one article reports between its sources, is not a
    # conflict between sources.
    shown = [f for f in shown if f.get("severity") not in ("typo", "dispute")]
    sc.shown = len(shown)
    for f in shown:
        if any(_belongs(f, lc, names) for lc in cluster.conflicts):
            sc.right += 1
        else:
            sc.false.append(f["label"])
    for lc in cluster.conflicts:
        if not lc.key:
            continue
        sc.key_total += 1
        ok = False
        for f in shown:
            if not _belongs(f, lc, names):
                continue
            covered = {m.article for m in lc.mentions
                       if any(_overlaps(s, m, names, lc.kind) for s in f["spans"])}
            if covered == lc.articles:
                ok = True
                break
        if ok:
            sc.key_found += 1
        else:
            sc.missed.append(lc.topic)
    return sc


def same_claimant(labelled: str, found: dict[str, str] | None) -> bool:
    """Does the engine's claimant name the labelled one? Keys through the app's own table
    (SOHR = the Observatory = a monitoring group), else shared name words."""
    from app.core.claimants import _key

    if found is None:
        return False
    if _key(labelled) == found["key"]:
        return True
    words = {w for w in re.findall(r"[a-z]+", labelled.lower()) if len(w) > 2} - {"the"}
    got = {w for w in re.findall(r"[a-z]+", found["text"].lower()) if len(w) > 2} - {"the"}
    return bool(words & got)


def claimants_checked(cluster: Cluster, result: dict[str, Any]) -> tuple[int, int]:
    """(right, total) claimants of figure spans in the conflicts shown that a label names."""
    names = {a["id"]: Path(a["path"]).name for a in result["articles"]}
    right = total = 0
    for f in result["findings"]:
        if f["kind"] != "number" or f.get("severity") in ("typo", "dispute"):
            continue
        for lc in cluster.conflicts:
            if lc.kind != "number" or not _belongs(f, lc, names):
                continue
            for sp in f["spans"]:
                for m in lc.mentions:
                    if m.claimant and _overlaps(sp, m, names, "number"):
                        total += 1
                        right += same_claimant(m.claimant, sp.get("claimant"))
                        break
    return right, total


def totals(scores: Sequence[ClusterScore]) -> dict[str, float]:
    shown = sum(s.shown for s in scores)
    right = sum(s.right for s in scores)
    keys = sum(s.key_total for s in scores)
    found = sum(s.key_found for s in scores)
    control_false = sum(len(s.false) for s in scores if s.control)
    return {
        "shown": shown, "right": right, "precision": right / shown if shown else 1.0,
        "key": keys, "key_found": found, "recall": found / keys if keys else 1.0,
        "control_false": control_false,
    }


def _main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("check", "show"):
        print(__doc__)
        return 2
    if argv[0] == "check":
        bad = 0
        for p in sorted(DATA.glob("*/labels.json")):
            try:
                c = load_cluster(p.parent)
            except (ValueError, KeyError, json.JSONDecodeError) as exc:
                bad += 1
                print(f"BAD  {p.parent.name}: {exc}")
                continue
            print(f"ok   {c.name}: {len(c.conflicts)} conflicts "
                  f"({sum(x.key for x in c.conflicts)} key), control={c.control}")
        return 1 if bad else 0
    c = load_cluster(DATA / argv[1])
    for lc in c.conflicts:
        print(f"{lc.id} [{lc.kind} {lc.severity} key={lc.key}] {lc.topic}")
        for m in lc.mentions:
            print(f"    {m.article} {m.start}-{m.end} {m.text!r} claimant={m.claimant}"
                  f"{' superseded' if m.superseded else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
