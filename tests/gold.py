"""Reading tests/data/seeds-gold.json and checking findings against it.

A finding satisfies a gold item when it is of the item's kind and, for every listed phrase, holds
a span in that article overlapping the phrase's characters ('nth' picks a later occurrence).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from app.core.model import Article, Finding

ROOT = Path(__file__).resolve().parent.parent
GOLD_PATH = ROOT / "tests" / "data" / "seeds-gold.json"
SEEDS = ROOT / "seeds"


def load_gold() -> dict[str, Any]:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def phrase_range(article: Article, text: str, nth: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(nth):
        pos = article.text.find(text, pos + 1)
        if pos < 0:
            raise AssertionError(f"gold phrase {text!r} (#{nth}) not in {article.name}")
    return pos, pos + len(text)


def _by_name(articles: Sequence[Article]) -> dict[str, Article]:
    return {a.name: a for a in articles}


def satisfies(finding: Finding, kind: str, phrases: Iterable[dict[str, Any]],
              articles: Sequence[Article]) -> bool:
    if finding.kind != kind:
        return False
    named = _by_name(articles)
    for ph in phrases:
        art = named[ph["article"]]
        s, e = phrase_range(art, ph["text"], ph.get("nth", 1))
        if not any(sp.article == art.id and sp.start < e and s < sp.end for sp in finding.spans):
            return False
    return True


def find_satisfying(findings: Sequence[Finding], kind: str, phrases: Iterable[dict[str, Any]],
                    articles: Sequence[Article]) -> Finding | None:
    phrases = list(phrases)
    for f in findings:
        if satisfies(f, kind, phrases, articles):
            return f
    return None


def unique_satisfied(findings: Sequence[Finding], item: dict[str, Any],
                     articles: Sequence[Article]) -> Finding | None:
    return find_satisfying(findings, "unique", [item], articles)
