"""Generalisation: one edit to one sample article, and exactly the conflict it creates.

Each positive edit changes something another source also states (a figure, a quote's wording, a
name, a date): the conflict must appear, covering the edited words and a counterpart in another
article, and nothing else may change. Each negative edit changes something no other source
states: no conflict may appear. Findings are compared before/after by kind and span texts, so
offset shifts in the edited article do not count as changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from app.core.articles import article_from_text
from app.core.compare import compare_articles
from app.core.model import CONFLICT_KINDS, DATE, NAME, NUMBER, QUOTE, Article, Comparison, Finding


@dataclass(frozen=True)
class Edit:
    id: str
    article: str  # file name in seeds/
    old: str  # unique in that article
    new: str
    kind: str | None  # the conflict kind it must create; None: it must create none
    changed: str = ""  # the words of `new` the conflict must cover (default: all of `new`)
    # A respelled name is respelled everywhere in its article (old, new): an article that spells
    # a name two ways has a typo of its own, which is not a disagreement between sources.
    everywhere: tuple[str, str] | None = None


POSITIVE = [
    Edit("armies-count", "004_6f167063fb4af731.txt", "had moved two armies",
         "had moved four armies", NUMBER, "four"),
    Edit("warships-count", "002_5692871fffd056b2.txt", "sending two warships",
         "sending three warships", NUMBER, "three"),
    Edit("death-toll-figure", "004_6f167063fb4af731.txt", "has killed 14,000 people",
         "has killed 16,500 people", NUMBER, "16,500"),
    Edit("conflict-length", "004_6f167063fb4af731.txt", "in a seven-year conflict",
         "in an eight-year conflict", NUMBER, "eight-year"),
    Edit("exercise-length", "002_5692871fffd056b2.txt", "would be finished in two weeks",
         "would be finished in three weeks", NUMBER, "three weeks"),
    Edit("commitment-reworded", "001_5579b488dd150c4f.txt",
         '"the unwavering commitment of the United States',
         '"the steadfast commitment of the United States', QUOTE, "steadfast"),
    Edit("kremlin-reworded", "004_6f167063fb4af731.txt",
         "both sides expressed their readiness to continue dialogue",
         "both sides expressed their willingness to continue dialogue", QUOTE, "willingness"),
    Edit("blinken-respelled", "003_a4a543118f7fc387.txt",
         "US Secretary of State Antony Blinken reiterated",
         "US Secretary of State Anthony Blinken reiterated", NAME, "Anthony"),
    Edit("stoltenberg-respelled", "002_5692871fffd056b2.txt",
         "the alliance chief, Jens Stoltenberg", "the alliance chief, Jens Stoltenburg", NAME,
         "Stoltenburg", everywhere=("Stoltenberg", "Stoltenburg")),
    Edit("call-day", "004_6f167063fb4af731.txt", "Joe Biden on Tuesday told",
         "Joe Biden on Wednesday told", DATE, "Wednesday"),
    Edit("soldiers-magnitude", "000_ae34742a79f7a3e3.txt", "relocated thousands of",
         "relocated hundreds of", NUMBER, "hundreds"),
    Edit("toll-hedged-higher", "002_5692871fffd056b2.txt", "more than 13,000 people",
         "more than 15,000 people", NUMBER, "15,000"),
    Edit("summit-ordinal", "004_6f167063fb4af731.txt", "hold their first summit",
         "hold their second summit", NUMBER, "second"),
    Edit("units-count", "003_a4a543118f7fc387.txt", "three paratrooper units",
         "four paratrooper units", NUMBER, "four"),
    Edit("tensions-reworded", "000_ae34742a79f7a3e3.txt", "“de-escalate tensions”",
         "“reduce tensions”", QUOTE, "reduce"),
    Edit("shoigu-reworded", "002_5692871fffd056b2.txt", '"combat training exercises"',
         '"combat readiness exercises"', QUOTE, "readiness"),
    Edit("kuleba-respelled", "003_a4a543118f7fc387.txt", "Kuleba said Kiev", "Kulebba said Kiev",
         NAME, "Kulebba", everywhere=("Kuleba", "Kulebba")),
    Edit("putin-respelled", "001_5579b488dd150c4f.txt", "No reaction from Putin",
         "No reaction from Puttin", NAME, "Puttin", everywhere=("Putin", "Puttin")),
    Edit("conference-day", "001_5579b488dd150c4f.txt", "video conference on Wednesday",
         "video conference on Thursday", DATE, "Thursday"),
    Edit("crimea-year", "004_6f167063fb4af731.txt", "seized Crimea from Ukraine in 2014",
         "seized Crimea from Ukraine in 2015", DATE, "2015"),
    Edit("toll-lower", "003_a4a543118f7fc387.txt", "killed 14,000 people",
         "killed 10,000 people", NUMBER, "10,000"),
    Edit("warships-003", "003_a4a543118f7fc387.txt", "Two U.S. warships", "Four U.S. warships",
         NUMBER, "Four"),
    Edit("relationship-reworded", "002_5692871fffd056b2.txt",
         '"stable and predictable relationship"', '"stable and constructive relationship"',
         QUOTE, "constructive"),
    Edit("luhansk-transliterated", "000_ae34742a79f7a3e3.txt", "Donetsk and Luhansk",
         "Donetsk and Lugansk", NAME, "Lugansk"),
    Edit("luhansk-letters-swapped", "004_6f167063fb4af731.txt", "Donbass and Luhansk",
         "Donbass and Luhanks", NAME, "Luhanks"),
    Edit("ryabkov-respelled", "004_6f167063fb4af731.txt", "Sergei Ryabkov denounced",
         "Sergei Riabkov denounced", NAME, "Riabkov"),
    Edit("shoigu-day", "003_a4a543118f7fc387.txt", "Sergei Shoigu said Tuesday",
         "Sergei Shoigu said Monday", DATE, "Monday"),
]

NEGATIVE = [
    Edit("residents-figure", "002_5692871fffd056b2.txt", "some 400,000 residents",
         "some 500,000 residents", None),
    Edit("civilians-figure", "002_5692871fffd056b2.txt", "recorded 3,300 civilians",
         "recorded 4,100 civilians", None),
    Edit("nato-soldiers-figure", "003_a4a543118f7fc387.txt", "deployed 40,000 soldiers",
         "deployed 45,000 soldiers", None),
    Edit("allies-figure", "003_a4a543118f7fc387.txt", "the other 29 allies",
         "the other 28 allies", None),
    Edit("soldiers-killed-figure", "002_5692871fffd056b2.txt", "At least seven Ukrainian",
         "At least nine Ukrainian", None),
    Edit("inhabitants-figure", "000_ae34742a79f7a3e3.txt", "its more than two million inhabitants",
         "its more than three million inhabitants", None),
    Edit("kuleba-reworded", "004_6f167063fb4af731.txt", "Should Moscow take any reckless move",
         "Should Moscow make any reckless move", None),
    Edit("weiss-respelled", "003_a4a543118f7fc387.txt", "Andrew Weiss, a Russian analyst",
         "Andrew Weis, a Russian analyst", None),
    Edit("erdogan-day", "002_5692871fffd056b2.txt", "On Saturday, he will meet",
         "On Sunday, he will meet", None),
    Edit("weapons-figure", "003_a4a543118f7fc387.txt", "15,000 weapons", "16,000 weapons", None),
    Edit("g7-countries", "000_ae34742a79f7a3e3.txt", "the seven large", "the eight large", None),
    Edit("conversation-ordinal", "003_a4a543118f7fc387.txt", "the second conversation",
         "the third conversation", None),
    Edit("ryabkov-reworded", "004_6f167063fb4af731.txt", "American ships have absolutely nothing",
         "American ships have nothing", None),
    Edit("navalny-respelled", "004_6f167063fb4af731.txt", "Alexei Navalny", "Alexei Navalnyi",
         None),
    Edit("annexation-day", "000_ae34742a79f7a3e3.txt", "on March 18, 2014", "on March 16, 2014",
         None),
    Edit("diplomats-count", "003_a4a543118f7fc387.txt", "two diplomats said",
         "three diplomats said", None),
    Edit("destroyers-count", "002_5692871fffd056b2.txt", "one of two missile destroyers",
         "one of three missile destroyers", None),
    Edit("report-pages", "002_5692871fffd056b2.txt", "27-page report", "29-page report", None),
    Edit("g7-day", "000_ae34742a79f7a3e3.txt", "On Monday, the G7", "On Sunday, the G7", None),
    Edit("weiss-reworded", "003_a4a543118f7fc387.txt", "reflected US concerns",
         "reflected US worries", None),
    Edit("psaki-year", "002_5692871fffd056b2.txt", "than at any time since 2014",
         "than at any time since 2015", None),
    Edit("population-figure", "000_ae34742a79f7a3e3.txt",
         "a population of more than two million", "a population of about 2.4 million", None),
    # One slip in an article that spells the name right elsewhere: a typo, not a conflict.
    Edit("stoltenberg-typo", "002_5692871fffd056b2.txt",
         "the alliance chief, Jens Stoltenberg", "the alliance chief, Jens Stoltenburg", None),
    Edit("putin-typo", "001_5579b488dd150c4f.txt", "No reaction from Putin",
         "No reaction from Puttin", None),
]

# The same figure written another way: the conflicts must read exactly as before.
SAME = [
    Edit("toll-in-words", "004_6f167063fb4af731.txt", "has killed 14,000 people",
         "has killed fourteen thousand people", None),
    Edit("toll-hedged-same", "003_a4a543118f7fc387.txt", "killed 14,000 people",
         "killed about 14,000 people", None),
    Edit("weeks-as-days", "004_6f167063fb4af731.txt", "completed within two weeks",
         "completed within 14 days", None),
    Edit("armies-in-digits", "004_6f167063fb4af731.txt", "had moved two armies",
         "had moved 2 armies", None),
]


def _apply(articles: Sequence[Article], edit: Edit) -> tuple[list[Article], Article, int]:
    out: list[Article] = []
    target: Article | None = None
    pos = -1
    for a in articles:
        if a.name == edit.article:
            assert a.text.count(edit.old) == 1, f"{edit.id}: {edit.old!r} must be unique"
            pos = a.text.index(edit.old)
            text = a.text.replace(edit.old, edit.new)
            if edit.everywhere is not None:
                old, new_word = edit.everywhere
                assert len(old) == len(new_word) - 1 or len(old) == len(new_word), edit.id
                text = text.replace(old, new_word)
                # Offsets before the edit move with every earlier respelling.
                pos += (len(new_word) - len(old)) * a.text[:pos].count(old)
            new = article_from_text(text, article_id=a.id, path=a.path, name=a.name)
            out.append(new)
            target = new
        else:
            out.append(a)
    assert target is not None
    assert pos >= 0
    return out, target, pos


def _key(f: Finding) -> tuple[object, ...]:
    return (f.kind, tuple(sorted((s.article, s.text) for s in f.spans)))


def _conflicts(c: Comparison) -> list[Finding]:
    return [f for f in c.findings if f.kind in CONFLICT_KINDS]


def _touches(f: Finding, article: str, start: int, end: int) -> bool:
    return any(s.article == article and s.start < end and start < s.end for s in f.spans)


def _diff(before: Comparison, after: Comparison) -> tuple[list[Finding], list[Finding]]:
    old = {_key(f) for f in _conflicts(before)}
    new = {_key(f) for f in _conflicts(after)}
    added = [f for f in _conflicts(after) if _key(f) not in old]
    removed = [f for f in _conflicts(before) if _key(f) not in new]
    return added, removed


@pytest.mark.parametrize("edit", POSITIVE, ids=[e.id for e in POSITIVE])
def test_edit_creates_exactly_its_conflict(
    edit: Edit, seed_articles: Sequence[Article], seed_comparison: Comparison
) -> None:
    articles, target, pos = _apply(seed_articles, edit)
    after = compare_articles(articles)
    added, removed = _diff(seed_comparison, after)
    changed = edit.changed or edit.new
    c_start = pos + edit.new.index(changed)
    c_end = c_start + len(changed)
    hits = [f for f in added if f.kind == edit.kind and _touches(f, target.id, c_start, c_end)
            and any(s.article != target.id for s in f.spans)]
    assert hits, f"{edit.id}: no new {edit.kind} conflict on {changed!r}; added: " + str(
        [f.label for f in added])
    # Nothing else changed: every new or vanished conflict involves the edited words.
    e_start, e_end = pos, pos + len(edit.new)
    for f in added:
        assert _touches(f, target.id, e_start, e_end), f"{edit.id}: unrelated new {f.label}"
    old_end = pos + len(edit.old)
    for f in removed:
        assert _touches(f, target.id, pos, old_end), f"{edit.id}: unrelated loss {f.label}"


@pytest.mark.parametrize("edit", NEGATIVE, ids=[e.id for e in NEGATIVE])
def test_edit_without_counterpart_is_not_flagged(
    edit: Edit, seed_articles: Sequence[Article], seed_comparison: Comparison
) -> None:
    articles, _target, _pos = _apply(seed_articles, edit)
    after = compare_articles(articles)
    added, removed = _diff(seed_comparison, after)
    assert not added, f"{edit.id}: flagged " + str([f.label for f in added])
    assert not removed, f"{edit.id}: lost " + str([f.label for f in removed])


@pytest.mark.parametrize("edit", SAME, ids=[e.id for e in SAME])
def test_same_figure_written_differently_changes_nothing(
    edit: Edit, seed_articles: Sequence[Article], seed_comparison: Comparison
) -> None:
    articles, _target, _pos = _apply(seed_articles, edit)
    after = compare_articles(articles)

    def labels(c: Comparison) -> list[tuple[str, str | None, str]]:
        return sorted((f.kind, f.severity, f.label) for f in _conflicts(c))

    assert labels(after) == labels(seed_comparison)
