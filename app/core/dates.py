"""Dates: two sources giving different days for one event ("on Tuesday" vs "on Wednesday").

A date is a DATE entity of a content passage that names a weekday, a day of a month, or a year
("Tuesday", "March 18, 2014", "in 2014"); relative and vague dates ("last month", "recent weeks")
and lengths of time (those are figures) are left out, and so are datelines and bylines (not
content passages), because publication dates are metadata, not claims.

Each date is anchored to what happened then: the verb or event noun it modifies ("called",
"conference", "annexation"), mapped to a small class (talk ~ call ~ conversation; annex ~ seize ~
capture), and its subject when named. Two dates in different articles are about the same event
when anchors are of one class, subjects agree, and the passages are linked or share a name that
is rare in this comparison. They conflict when they disagree on a field both give (a weekday, a
day, a month, a year); "2014" and "March 18, 2014" agree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core import incidents
from app.core.analysis import Analysis, PassageRef
from app.core.entities import EntityIndex, entity_key, read_once
from app.core.grouping import DisjointSets
from app.core.model import CONTRADICTION, DATE, Finding, Span

if TYPE_CHECKING:
    from spacy.tokens import Token

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_RELATIVE = re.compile(
    r"\b(ago|last|next|this|recent|coming|past|earlier|later|previous|since|early|mid|late|"
    r"beginning|end|weeks?|months?|years?|days?|decades?)\b", re.I)

_ANCHOR_GROUPS: tuple[tuple[str, ...], ...] = (
    ("talk", "call", "conversation", "speak", "phone", "tell", "chat"),
    ("annex", "annexation", "seize", "capture", "take", "occupy", "occupation", "seizure"),
    ("meet", "meeting", "summit", "conference", "host", "talks", "visit", "hold"),
    ("start", "begin", "break", "outbreak", "erupt", "launch"),
    ("kill", "die", "death", "attack", "strike", "bomb", "shoot"),
    ("elect", "election", "vote", "referendum"),
    ("sign", "agree", "agreement", "deal", "treaty"),
    ("release", "publish", "issue", "announce"),
    ("arrive", "reach", "land"),
)
ANCHOR_CLASS: dict[str, str] = {w: g[0] for g in _ANCHOR_GROUPS for w in g}
_EVENT_NOUNS = frozenset({
    "conversation", "call", "annexation", "meeting", "summit", "conference", "talks", "visit",
    "outbreak", "death", "attack", "strike", "election", "vote", "referendum", "agreement", "deal",
    "treaty", "occupation", "seizure",
})
_LIGHT = frozenset({"be", "have", "say", "do", "make", "come", "go"})


@dataclass(frozen=True)
class DateMention:
    article: int
    passage: PassageRef
    start: int
    end: int
    text: str
    weekday: int | None
    day: int | None
    month: int | None
    year: int | None
    anchor: str  # class key of the event
    anchor_text: str
    subject: str | None
    context: frozenset[str]

    @property
    def fields(self) -> dict[str, int]:
        out = {}
        for name in ("weekday", "day", "month", "year"):
            v = getattr(self, name)
            if v is not None:
                out[name] = v
        return out

    @property
    def value(self) -> tuple[int | None, ...]:
        return (self.weekday, self.day, self.month, self.year)


def parse_date(text: str) -> tuple[int | None, int | None, int | None, int | None] | None:
    """(weekday, day, month, year) of an absolute date, or None for relative/vague ones."""
    low = text.lower()
    words = re.findall(r"[a-z]+|\d+", low)
    weekday = next((WEEKDAYS.index(w) for w in words if w in WEEKDAYS), None)
    month = next((MONTHS.index(w) + 1 for w in words if w in MONTHS), None)
    if month is None:
        month = next((_MONTH_ABBR[w] for w in words if w in _MONTH_ABBR and len(w) <= 4
                      and w not in ("may",)), None)
    nums = [int(w) for w in words if w.isdigit()]
    year = next((n for n in nums if 1800 <= n <= 2100), None)
    day = next((n for n in nums if 1 <= n <= 31), None) if month is not None else None
    if weekday is None and month is None and year is None:
        return None
    if weekday is None and day is None and _RELATIVE.search(low) and year is None:
        return None  # "the end of March" is too vague to contradict anything
    if year is None and month is None and weekday is not None and re.search(
        r"\b(last|next)\b", low
    ):
        return None
    if month is not None and day is None and year is None:
        return None  # "in March": too coarse to be worth a conflict
    return weekday, day, month, year


def _anchor(tok: Token) -> Token | None:
    cur = tok
    for _ in range(4):
        h = cur.head
        if h.i == cur.i:
            return h if h.pos_ in ("VERB", "NOUN") else None
        if h.pos_ == "VERB" and (h.lemma_ or "").lower() not in _LIGHT:
            return h
        if h.pos_ == "NOUN" and (h.lemma_ or "").lower() in ANCHOR_CLASS:
            return h
        cur = h
    return None


def date_mentions(analysis: Analysis) -> list[DateMention]:
    out: list[DateMention] = []
    for ai, (article, doc) in enumerate(zip(analysis.articles, analysis.docs, strict=True)):
        # Read from the article alone, kept on its Doc like its passages and names.
        out.extend(read_once(doc, "dates", article, ai,
                             functools.partial(article_dates, analysis, ai)))
    return out


def article_dates(analysis: Analysis, ai: int) -> list[DateMention]:
    """The dates of one article (see `date_mentions`)."""
    out: list[DateMention] = []
    article, doc = analysis.articles[ai], analysis.docs[ai]
    index = EntityIndex.of(doc)
    for ent in index.ents:
        if ent.label_ != "DATE":
            continue
        parsed = parse_date(ent.text)
        if parsed is None:
            continue
        p = analysis.passage_at(ai, ent.start_char)
        if p is None or not p.content or p.boilerplate:
            continue
        if article.is_boilerplate(ent.start_char, ent.end_char):
            continue
        anchor = _anchor(ent.root)
        if anchor is None:
            continue
        lemma = (anchor.lemma_ or anchor.text).lower()
        if lemma in _METADATA_ANCHORS or _DATELINE.fullmatch(
                article.text[p.start:ent.start_char]):
            continue  # "Published June 8 2016": when the article appeared, not a claim
        subject = None
        for c in anchor.children:
            if c.dep_ in ("nsubj", "nsubjpass") and (c.ent_type_ or c.pos_ == "PROPN"):
                subject = entity_key(c.text)
        ents = {
            "@" + entity_key(e.text)
            for e in index.between(p.start, p.end)
            if e.label_ in ("GPE", "ORG", "PERSON", "LOC", "FAC", "EVENT", "NORP")
        }
        out.append(DateMention(
            article=ai, passage=p.ref, start=ent.start_char, end=ent.end_char,
            text=ent.text, weekday=parsed[0], day=parsed[1], month=parsed[2],
            year=parsed[3], anchor=ANCHOR_CLASS.get(lemma, lemma), anchor_text=lemma,
            subject=subject, context=frozenset(set(p.tokens) | ents),
        ))
    return out


def _disagree(a: DateMention, b: DateMention) -> bool | None:
    """True: conflict; False: agree; None: nothing in common to compare."""
    fa, fb = a.fields, b.fields
    shared = set(fa) & set(fb)
    if not shared:
        return None
    if "day" in shared and "month" not in shared:
        shared.discard("day")
    if not shared:
        return None
    return any(fa[k] != fb[k] for k in shared)


# What may stand before a dateline at the start of a passage.
_DATELINE = re.compile(
    r"\W*(?:(?:last\s+)?(?:published|posted|updated)(?:\s+(?:on|at))?|date\s+of\s+publication|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)?\s*", re.I)
# Dates of publication, and of saying: two reports say things on their own days.
_METADATA_ANCHORS = frozenset({"publish", "post", "update", "release", "issue", "file", "date"})
# Saying is dated by each report's own day ("activists said Saturday"), unless one named person's
# statement is reported ("Shoigu said Tuesday" / "Shoigu said Monday").
_SAYING = frozenset({"say", "report", "add", "state", "claim", "quote", "cite"})


def _other_incident(analysis: Analysis, a: DateMention, b: DateMention) -> bool:
    """Places or kinds of event that tell the two passages' incidents apart, or one of them an
    earlier event known by its year (background never conflicts with today's news)."""
    inc = incidents.incidents(analysis)
    fa, fb = inc.frame(a.passage), inc.frame(b.passage)
    if (a.day is None and a.weekday is None) != (b.day is None and b.weekday is None):
        return True  # the year of a background event never conflicts with today's date
    pa, pb = inc.expand(fa.places), inc.expand(fb.places)
    known_a = {x for x in pa if x.startswith(incidents.KNOWN)}
    known_b = {x for x in pb if x.startswith(incidents.KNOWN)}
    return bool(known_a and known_b and not known_a & known_b)


def _same_attack(analysis: Analysis, a: DateMention, b: DateMention) -> bool:
    """Every day of a war has its air strikes: two attacks on different days are the same only
    where the reports also share the attack's own place (not just the city)."""
    inc = incidents.incidents(analysis)
    pa = inc.expand(inc.frame(a.passage).places)
    pb = inc.expand(inc.frame(b.passage).places)
    return any(incidents.same_place(x, y) and not inc.in_setting(x) and not x.startswith(
        incidents.KNOWN) for x in pa for y in pb)


def _df(analysis: Analysis) -> tuple[dict[str, int], int]:
    df: dict[str, int] = {}
    n = 0
    for p in analysis.all_passages():
        n += 1
        for w in set(p.tokens):
            df[w] = df.get(w, 0) + 1
    return df, max(1, n)


def find_date_conflicts(analysis: Analysis) -> list[Finding]:
    ids = [a.id for a in analysis.articles]
    ms = sorted(date_mentions(analysis), key=lambda m: (ids[m.article], m.start))
    df, n = _df(analysis)
    sets = DisjointSets(len(ms))
    conflicting: set[tuple[int, int]] = set()
    for i in range(len(ms)):
        for j in range(i + 1, len(ms)):
            a, b = ms[i], ms[j]
            if a.article == b.article or a.anchor != b.anchor:
                continue
            if a.subject and b.subject and a.subject != b.subject:
                continue
            d = _disagree(a, b)
            if d is None:
                continue
            # Two days for one event only where the passages say the same thing and nothing else
            # tells the incidents apart: the date itself is what differs, so it cannot also be
            # the evidence. Attacks need passages the matcher aligned (every day of a war has
            # its air strikes); a call, a meeting or a statement can also be known by rare words
            # the two passages share.
            if _other_incident(analysis, a, b):
                continue
            if a.anchor in _SAYING and not (a.subject and a.subject == b.subject):
                continue
            if a.anchor == "kill" and not _same_attack(analysis, a, b):
                continue
            if analysis.link_score(a.passage, b.passage) <= 0:
                if a.anchor == "kill":
                    continue
                shared = (a.context & b.context) - {a.text.lower(), b.text.lower()}
                rare = [w for w in shared
                        if w.startswith("@") or df.get(w, 0) <= max(2, 0.05 * n)]
                date_words = {str(v) for v in (a.year, b.year) if v} | set(WEEKDAYS)
                if len([w for w in rare if w not in date_words]) < 2:
                    continue
            sets.union(i, j)
            if d:
                conflicting.add((i, j))
    # Only groups holding at least one disagreeing pair become findings.
    roots = {sets.find(i) for i, _j in conflicting}
    findings: list[Finding] = []
    for root, members in sets.groups().items():
        if root not in roots:
            continue
        f = _finding(analysis, [ms[i] for i in members])
        if f is not None:
            findings.append(f)
    return [Finding(id=f"d{k}", kind=f.kind, label=f.label, score=f.score, spans=f.spans,
                    severity=f.severity) for k, f in enumerate(findings, 1)]


def _finding(analysis: Analysis, members: Sequence[DateMention]) -> Finding | None:
    ids = [a.id for a in analysis.articles]
    groups: dict[tuple[int | None, ...], list[DateMention]] = {}
    for m in members:
        groups.setdefault(m.value, []).append(m)
    sides = sorted(groups.values(), key=lambda g: (-len({m.article for m in g}),
                                                    min((ids[m.article], m.start) for m in g)))
    # Keep only sides that disagree with another side.
    keep = [g for g in sides if any(_disagree(g[0], h[0]) for h in sides if h is not g)]
    if len(keep) < 2:
        return None
    spans: list[Span] = []
    parts: list[str] = []
    for side, g in enumerate(keep):
        for m in sorted(g, key=lambda m: (ids[m.article], m.start)):
            art = analysis.articles[m.article]
            spans.append(Span(art.id, m.start, m.end, art.text[m.start:m.end], None, side))
        k = len({m.article for m in g})
        parts.append(f"{' '.join(g[0].text.split())} ({k} source{'s' if k != 1 else ''})")
    anchor = min((m.anchor_text for m in members), key=lambda t: (t not in _EVENT_NOUNS, t))
    what = f"the {anchor}" if anchor in _EVENT_NOUNS else f"“{anchor}”"
    label = f"Date of {what}: " + " vs ".join(parts)
    return Finding(id="", kind=DATE, label=label, score=0.7, spans=tuple(spans),
                   severity=CONTRADICTION)
