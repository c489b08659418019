"""Where the sources disagree: figures, quotes, names and dates.

`find_conflicts(analysis)` is what compare.py calls. It reads the shared `Analysis` (parsed Docs,
passages, links between matched passages) and never parses again.

Figures (kind `number`):
1. `claims.article_claims` gives every figure with what it counts, the event, the owner.
2. Two claims in different articles are paired only when they are about the same thing: the
   same kind and counted class, compatible events and owners (equal, or one unknown), and the
   same context - their passages are linked by the matcher, or they share a word or name that is
   rare in this comparison (IDF), or several ordinary ones.
3. Paired claims form clusters (one per fact); every cluster spanning two or more articles is a
   `Fact` for the facts table. Inside a cluster, figures that are the same however written are
   one side; a vague figure ("thousands") that fits every precise one takes no side.
4. Two or more sides make a `number` finding: `contradiction` when some two sides cannot both
   be true, else `discrepancy`. The score puts contradictions first, then larger gaps.

Quotes, names and dates: see quotes.py, names.py and dates.py. Severities:
- number: `contradiction` | `discrepancy`
- quote: `discrepancy` (content words differ) | `variant` (only small words differ)
- name: `variant` (a spelling variant; it never decides which spelling is right)
- date: `contradiction` (two dates for one event)

Everything is sorted by article id and position before numbering, so the order in which
articles are given never changes what is found (symmetry) and reruns give the same ids.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.core import copies, dates, incidents, names, quotes
from app.core.analysis import Analysis, Passage
from app.core.claimants import Claimant
from app.core.claims import Claim, article_claims, counted_class
from app.core.entities import aliases
from app.core.grouping import DisjointSets, Recent
from app.core.model import (
    CONTRADICTION,
    DISCREPANCY,
    DISPUTE,
    NUMBER,
    UPDATE,
    Article,
    Cancelled,
    CancelledFn,
    Fact,
    Finding,
    ProgressFn,
    Span,
    never_cancelled,
    no_progress,
)
from app.core.quantities import (
    AGREE,
    COUNT,
    DURATION,
    MONEY,
    ORDINAL,
    VAGUE,
    Quantity,
    display,
    find_quantities,
    grade,
)
from app.core.quantities import (
    CONTRADICTION as Q_CONTRADICTION,
)
from app.core.quantities import (
    DISCREPANCY as Q_DISCREPANCY,
)
from app.core.wording import participle


@dataclass
class _Timer:
    stages: dict[str, float]

    def mark(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.stages[name] = self.stages.get(name, 0.0) + now - since
        return now


LAST_TIMINGS: dict[str, float] = {}


def find_conflicts(
    analysis: Analysis,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = never_cancelled,
) -> tuple[list[Finding], list[Fact]]:
    """All conflicts between the articles of `analysis`, and the facts table."""
    timer = _Timer({})
    t = time.perf_counter()
    progress(0.0, "Comparing figures")
    copy_findings = copies.find_copies(analysis.articles)
    origin = copies.origins(analysis.articles, copy_findings)
    t = timer.mark("copies", t)
    read = [read_article(analysis, ai) for ai in range(len(analysis.articles))]
    claims = [c for article, _part in read for c in article]
    analysis.cache["incident_parts"] = [part for _claims, part in read]
    t = timer.mark("claims", t)
    number_findings, facts = number_conflicts(analysis, claims, origin)
    t = timer.mark("numbers", t)
    if cancelled():
        raise Cancelled
    progress(0.35, "Comparing quotes")
    quote_findings = quotes.find_quote_conflicts(analysis)
    t = timer.mark("quotes", t)
    if cancelled():
        raise Cancelled
    progress(0.65, "Comparing names")
    name_findings = names.find_name_conflicts(analysis)
    t = timer.mark("names", t)
    if cancelled():
        raise Cancelled
    progress(0.85, "Comparing dates")
    date_findings = dates.find_date_conflicts(analysis)
    timer.mark("dates", t)
    progress(1.0, "Conflicts found")
    LAST_TIMINGS.clear()
    LAST_TIMINGS.update(timer.stages)
    return [*number_findings, *quote_findings, *name_findings, *date_findings,
            *copy_findings], facts


# Each article's claims and incidents, by what they were read from: adding one article to an
# open comparison reads only that one (the window's worker keeps this between comparisons).
_READ: Recent[tuple[object, ...], tuple[list[Claim], incidents.ArticlePart, int]] = Recent(1000)


def _read_key(article: Article, passages: Sequence[Passage]) -> tuple[object, ...]:
    return (article.sha256, article.published, article.boilerplate,
            tuple((p.start, p.end, p.boilerplate, p.content) for p in passages))


def keep_read(article: Article, passages: Sequence[Passage], claims: list[Claim],
              part: incidents.ArticlePart) -> None:
    """Keep what `read_article` gave for an article (read at index 0) made elsewhere."""
    _READ.put(_read_key(article, passages), (claims, part, 0))


def read_article(analysis: Analysis, ai: int) -> tuple[list[Claim], incidents.ArticlePart]:
    """One article's claims and what it says of its incidents (kept: see `_READ`)."""
    article = analysis.articles[ai]
    key = _read_key(article, analysis.passages[ai])
    hit = _READ.get(key)
    if hit is not None:
        found, part, was = hit
        if was == ai:
            return found, part
        return ([replace(c, article=ai, passage=(ai, c.passage[1])) for c in found],
                part.moved(ai))
    found = article_claims(analysis, ai)
    part = incidents.article_part(analysis, ai)
    _READ.put(key, (found, part, ai))
    return found, part


def forget_read_articles() -> None:
    """Drop what earlier comparisons read (benchmarks; a new engine in the same process)."""
    _READ.clear()
    copies.forget_pairs()
    quotes.forget_read_articles()


def bench_conflicts(analysis: Analysis, runs: int = 5) -> dict[str, float]:
    """Median seconds per stage of `find_conflicts` over `runs` runs (for app/bench.py).

    Per-Doc caches are dropped before each run, so every run costs what one compare costs.
    """
    import statistics

    samples: dict[str, list[float]] = {}
    for _ in range(max(1, runs)):
        for doc in analysis.docs:
            for key in [k for k in doc.user_data if str(k).startswith("parallax_")]:
                del doc.user_data[key]
        analysis.cache.clear()
        forget_read_articles()
        t = time.perf_counter()
        find_conflicts(analysis)
        samples.setdefault("conflicts total", []).append(time.perf_counter() - t)
        for stage, seconds in LAST_TIMINGS.items():
            samples.setdefault(f"conflicts: {stage}", []).append(seconds)
    return {name: statistics.median(values) for name, values in samples.items()}


# ---------------------------------------------------------------------------------------------
# Figures


_CASUALTY_EVENTS = frozenset({"kill", "wound", "missing", "arrest", "displace", "evacuate"})


def _compatible(a: Claim, b: Claim) -> bool:
    """Same counted thing (or one incident's toll in two words, see `_one_toll_words`), same
    role, same owner (or one owner unknown)."""
    if a.kind != b.kind or a.total != b.total:
        return False
    if a.counted != b.counted and not _one_toll_words(a, b):
        return False
    if a.event != b.event and ((a.event is not None and b.event is not None)
                               or (a.event or b.event) in _CASUALTY_EVENTS):
        # "21 civilians" without a verb may be the wounded: never compared with the dead.
        return False
    # Owners tell parties apart only when they are parties Parallax knows ("Russia's troops",
    # "ISIS fighters"), not whatever word the parse hung on the noun ("Takfiri").
    known = _known_parties()
    return not (a.owner in known and b.owner in known and a.owner != b.owner)


# What a report may call the dead of an incident instead of "people": "a suicide blast killed
# 32 rebels" and "the bombing killed at least 15 people" give one attack's toll. (Children,
# women or medics are a part of a toll, never the whole, unless the report lists every kind it
# counts: "killed 12 aid workers and drivers", see `Claim.listed`.)
_ONE_TOLL_CLASSES = frozenset({"civilian", "fighter"})
_TOLL_WORDS = frozenset({"people"}) | _ONE_TOLL_CLASSES


def _toll_word(c: Claim) -> str:
    """The counted class, with a list of kinds of people read as what it counts: people."""
    return "people" if c.listed else c.counted


def _one_toll_words(a: Claim, b: Claim) -> bool:
    """A people toll and a civilians (or fighters, or listed kinds) toll of one kind of harm,
    neither a war's."""
    words = {_toll_word(a), _toll_word(b)}
    return (a.kind == COUNT and a.event == b.event and a.event in _CASUALTY_EVENTS
            and not a.total and not b.total
            and words <= _TOLL_WORDS and "people" in words and a.counted != b.counted)


def _one_toll_each(analysis: Analysis, a: Claim, b: Claim,
                   by_article: dict[int, list[Claim]]) -> bool:
    """Neither report gives both kinds for the incident: a report that counts 35 people and 26
    civilians gives a whole and a part, and its 35 is no answer to another's 26 civilians.
    A report gives the other kind for the incident when it counts it in the toll's own sentence
    ("killed 58 people, including 20 civilians") or in a figure not certainly of another
    incident; the same figure in both words ("26 People Killed" over "killing 26 civilians")
    is one toll."""
    for mine, theirs in ((a, b), (b, a)):
        for o in by_article[mine.article]:
            if (o.counted in _ONE_TOLL_CLASSES - {theirs.counted, mine.counted}
                    and o.event == mine.event
                    and figure_key(o.quantity) == figure_key(mine.quantity)):
                return False  # "Executed 18 People" are the "18 civilians" of its body
            if (o.counted == theirs.counted and o.event == mine.event and not o.total
                    and figure_key(o.quantity) != figure_key(mine.quantity)
                    and not incidents.clash(analysis, o.passage, theirs.passage,
                                            o.events or None, theirs.events or None, o.actors,
                                            theirs.actors, o.places, theirs.places)):
                return False
        if _counts_in(analysis.passage(mine.passage).text, theirs.counted):
            return False
    return True


def _headline_tolls(analysis: Analysis, a: Claim, b: Claim) -> bool:
    """Two tolls in two words are one incident's only when both reports lead with it, they give
    the same day, or the two sentences are the same one (aligned): a report's recall of a past
    battle ("In May 2016 more than 300 people were killed") is not its answer to another's
    fighters killed on Friday."""
    if analysis.link_score(a.passage, b.passage) > 0:
        return True
    frames = incidents.incidents(analysis).frames
    fa, fb = frames.get(a.passage), frames.get(b.passage)
    if fa is None or fb is None:
        return False
    if fa.lead and fb.lead:
        return True
    # One of them names the day (or the day of the attack it points back to, as its report
    # gave it), the other names or tells the same one.
    return ((fa.tells_day or fb.tells_day) and fa.when is not None and fb.when is not None
            and fa.when.days <= 2 and fb.when.days <= 2 and not fa.when.clashes(fb.when))


_WORD_AFTER = re.compile(r"[\s\W]*(?:of (?:them|whom|those) (?:were |being )?)?"
                         r"([A-Za-z][A-Za-z-]*)")


def _counts_in(text: str, counted: str) -> bool:
    """Does the sentence give a figure of this counted class ("including 20 civilians", "20 of
    them civilians")?"""
    for q in find_quantities(text):
        word = _WORD_AFTER.match(text, q.end)
        if word and counted_class(word.group(1).lower()) == counted:
            return True
    return False


def _same_incident(analysis: Analysis, a: Claim, b: Claim, df: dict[str, int], n: int) -> bool:
    if a.event is None and b.event is None and a.kind == COUNT:
        # "two towns" and "four towns": what happened to them, nobody says; only the same
        # sentence in two reports makes them one fact.
        return analysis.link_score(a.passage, b.passage) > 0
    if incidents.same_incident(analysis, a.passage, b.passage, a.events or None,
                               b.events or None, a.actors, b.actors, a.places, b.places):
        return True
    if a.event in _CASUALTY_EVENTS or b.event in _CASUALTY_EVENTS:
        # A war's toll against a war's toll: however each report dates the war, one story is
        # about one war (unless they name two countries' cities).
        # A war's toll is compared with another only where the two reports say the same
        # sentence (the matcher aligned them): every report recalls the war's toll in its own
        # loose words ("more than a quarter of a million", "over 280,000"), or where both say
        # it is the war's toll ("since 2014", "the seven-year conflict").
        if not (a.total and b.total):
            return False
        if analysis.link_score(a.passage, b.passage) > 0:
            return True
        inc = incidents.incidents(analysis)
        return inc.war_wide(a.passage) and inc.war_wide(b.passage)
    if a.event is None and b.event is None and a.kind == COUNT:
        return False  # "two towns" and "four towns": what happened to them, nobody says
    # Figures that are not an incident's toll (troops sent, the length of a conflict, which
    # summit) belong together when their passages share a rare word or name, and their times
    # agree (places and kinds of attack say nothing about them).
    if a.kind == COUNT and incidents.incidents(analysis).day_clash(a.passage, b.passage):
        return False
    if a.kind == COUNT and incidents.incidents(analysis).two_sites(a.passage, b.passage):
        return False  # buses leaving two different towns
    if analysis.link_score(a.passage, b.passage) > 0:
        return True
    return _rare_context(a, b, df, n)


def _rare_context(a: Claim, b: Claim, df: dict[str, int], n: int) -> bool:
    shared = a.context & b.context
    limit = max(2.0, RARE_SHARE * n)
    rare = [w for w in shared if df.get(w, 0) <= limit]
    # A rare word and a rare name, or two rare words: one shared word is chance in a story
    # where every report names the same places and parties.
    return len(rare) >= 2 or (len(shared) >= COMMON_SHARED and bool(rare))


# Context evidence for figures outside incidents: a shared word or name found in at most this
# share of passages, or this many shared words of any kind.
RARE_SHARE = 0.05
COMMON_SHARED = 3


def _document_frequency(analysis: Analysis, claims: Sequence[Claim]) -> tuple[dict[str, int], int]:
    df: dict[str, int] = {}
    n = 0
    for p in analysis.all_passages():
        if p.boilerplate:
            continue
        n += 1
        for w in set(p.tokens):
            df[w] = df.get(w, 0) + 1
    # Entity keys in claim contexts: count the passages of claims that name them.
    seen: dict[str, set[tuple[int, int]]] = {}
    for c in claims:
        for w in c.context:
            if w.startswith("@"):
                seen.setdefault(w, set()).add(c.passage)
    for w, ps in seen.items():
        df[w] = max(df.get(w, 0), len(ps) * 3)  # names recur; be stricter with them
    return df, max(1, n)


def pair_claims(analysis: Analysis, claims: Sequence[Claim]) -> list[tuple[int, int]]:
    """Index pairs (i < j) of claims in different articles about the same thing in the same
    incident, strongest evidence first (linked passages before shared places)."""
    df, n = _document_frequency(analysis, claims)
    buckets: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(claims):
        buckets.setdefault((c.kind, c.counted), []).append(i)
    scored: list[tuple[float, int, int]] = []
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                a, b = claims[i], claims[j]
                if not _compatible(a, b):
                    continue
                if a.article == b.article:
                    if _reported_dispute(analysis, a, b):
                        scored.append((0.0, i, j))
                    continue
                if _same_incident(analysis, a, b, df, n):
                    scored.append((-analysis.link_score(a.passage, b.passage), i, j))
    # One incident's toll in two words: people in one report, civilians in another.
    by_article: dict[int, list[Claim]] = {}
    for c in claims:
        by_article.setdefault(c.article, []).append(c)
    tolls: dict[tuple[str, str], list[int]] = {}  # (counted, event) -> an incident's tolls
    for (kind, cls), members in sorted(buckets.items()):
        if kind != COUNT:
            continue
        for i in members:
            c = claims[i]
            if (c.event in _CASUALTY_EVENTS and not c.total
                    and (cls in _TOLL_WORDS or c.listed)):
                tolls.setdefault((cls, c.event or ""), []).append(i)
    for (cls, event), others in sorted(tolls.items()):
        for i in tolls.get(("people", event), []) if cls != "people" else []:
            for j in others:
                a, b = claims[i], claims[j]
                if a.article == b.article or not _compatible(a, b):
                    continue
                if a.actors and b.actors and not a.actors & b.actors:
                    # Coalition raids and rebel clashes: with the counted words differing, no
                    # other sign may speak against one incident (fighting or not).
                    continue
                if _headline_tolls(analysis, a, b) and _same_incident(
                        analysis, a, b, df, n) and _one_toll_each(analysis, a, b, by_article):
                    scored.append((-analysis.link_score(a.passage, b.passage), min(i, j),
                                   max(i, j)))
    scored.sort()
    return [(i, j) for _s, i, j in scored]


def _reported_dispute(analysis: Analysis, a: Claim, b: Claim) -> bool:
    """One article giving two named sources' tolls side by side: "Medics said 30 civilians were
    killed, while the Observatory said 45 had died" (the same sentence or the next one, and
    not two places)."""
    if a.claimant is None or b.claimant is None or a.claimant.key == b.claimant.key:
        return False
    if a.event not in _CASUALTY_EVENTS or a.quantity.vague or b.quantity.vague:
        return False
    if abs(a.passage[1] - b.passage[1]) > 1:
        return False
    if a.passage != b.passage and incidents.opens_new_incident(
            analysis.passage(max(a.passage, b.passage)).text):
        return False  # "... killing 14. Separate air strikes killed at least 12"
    if incidents.clash(analysis, a.passage, b.passage, a.events or None, b.events or None,
                       a.actors, b.actors, a.places, b.places):
        return False  # "19 killed on Sunday" and "123 killed in the past week"
    return not incidents.incidents(analysis).two_sites(a.passage, b.passage)


def _claim_key(analysis: Analysis, c: Claim) -> tuple[str, int]:
    return (analysis.articles[c.article].id, c.quantity.start)


def _fits(analysis: Analysis, group: Sequence[Claim], other: Sequence[Claim]) -> bool:
    """Two clusters may merge only when no member of one clashes with a member of the other
    (no chaining of Monday's raid to today's strike through a vague middle)."""
    inc = incidents.incidents(analysis)
    for a in group:
        for b in other:
            if not _compatible(a, b):
                return False
            if a.article == b.article:
                if a.event in _CASUALTY_EVENTS and inc.two_sites(a.passage, b.passage):
                    return False
                if a.counted != b.counted and figure_key(a.quantity) != figure_key(b.quantity):
                    return False  # 35 people and 26 civilians: a whole and a part
                continue
            if a.total:
                continue  # war tolls: one war, however each report dates it
            if a.event in _CASUALTY_EVENTS:
                if incidents.clash(analysis, a.passage, b.passage, a.events or None,
                                   b.events or None, a.actors, b.actors, a.places, b.places):
                    return False
            elif a.kind == COUNT and inc.day_clash(a.passage, b.passage):
                return False
    return True


def number_conflicts(
    analysis: Analysis, claims: Sequence[Claim], origin: dict[str, int] | None = None
) -> tuple[list[Finding], list[Fact]]:
    """Figure findings (conflicts between sources, updates of one claimant's toll, disputes
    reported inside one article) and the facts table. `origin`: article id -> independent
    origin (agency copies share one), for "4 sources, 2 independent"."""
    ordered = sorted(claims, key=lambda c: _claim_key(analysis, c))
    sets = DisjointSets(len(ordered))
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    for i, j in pair_claims(analysis, ordered):
        ri, rj = sets.find(i), sets.find(j)
        if ri == rj:
            continue
        if not _fits(analysis, [ordered[k] for k in members[ri]],
                     [ordered[k] for k in members[rj]]):
            continue
        sets.union(ri, rj)
        root = sets.find(ri)
        members[root] = members.pop(ri) + members.pop(rj) if root == ri else (
            members.pop(rj) + members.pop(ri))
    clusters = sets.groups()
    findings: list[Finding] = []
    facts: list[Fact] = []
    origin = origin or {a.id: i for i, a in enumerate(analysis.articles)}
    for root in sorted(clusters):
        group = [ordered[i] for i in clusters[root]]
        if len({c.article for c in group}) < 2:
            finding = _dispute_finding(analysis, group, f"n{len(findings) + 1}")
            if finding is not None:
                findings.append(finding)
            continue
        finding = _cluster_finding(analysis, group, f"n{len(findings) + 1}", origin)
        if finding is not None:
            findings.append(finding)
        facts.append(_fact(analysis, group, f"fact{len(facts) + 1}",
                           finding.id if finding else None))
    return findings, facts


def figure_key(q: Quantity) -> tuple[object, ...]:
    """Equal keys: the same figure, whatever the hedge ("30" = "at least 30" = "some 30")."""
    unit = q.unit if q.kind == MONEY else ""
    low = round(q.low, 6) if q.is_range else None
    return (q.kind, unit, float(f"{q.value:.6g}"), low, q.vague)


def _representative(group: Sequence[Claim]) -> Quantity:
    """The figure a side is graded by: an exact statement over a hedged one."""
    return min((c.quantity for c in group), key=lambda q: (q.bound != "=", q.start))


def _ckey(c: Claim) -> str | None:
    return c.claimant.key if c.claimant is not None else None


def _tolls(members: Sequence[Claim]) -> tuple[list[Claim], list[Claim]]:
    """(current, superseded): what each article gives as the figure, per claimant.

    The largest figure an article gives for a claimant is its toll. A smaller one of the same
    claimant in the same article is part of it (one neighbourhood, one bus, one day of several)
    and left out, or, when the article says so ("up from 30", "a previous toll of 112"), an
    earlier count it has since raised: superseded. Another claimant's figure is a second opinion
    ("58, the Observatory said ... more than 100, the Coalition said")."""
    groups: dict[tuple[int, str | None], list[Claim]] = {}
    for c in members:
        groups.setdefault((c.article, _ckey(c)), []).append(c)
    kept: list[Claim] = []
    earlier: list[Claim] = []
    for group in groups.values():
        precise = [c for c in group if not c.quantity.vague] or group
        top = max(precise, key=lambda c: (c.quantity.value, -c.quantity.start))
        # "29 militants" and "nearly 30" in one report are one figure: the exact one.
        exact = [c for c in precise if c.quantity.bound == "=" and c is not top
                 and grade(c.quantity, top.quantity) != Q_CONTRADICTION]
        if top.quantity.bound != "=" and exact:
            top = max(exact, key=lambda c: (c.quantity.value, -c.quantity.start))
        key = figure_key(top.quantity)
        same = [c for c in group if figure_key(c.quantity) == key or (
            c.quantity.bound != "=" and grade(c.quantity, top.quantity) != Q_CONTRADICTION
            and c.update is None)]
        kept.extend(c for c in same if figure_key(c.quantity) == key)
        # "The death toll later rose to 40": the claimant's other figures here came before it.
        raised = top.update == "later"
        earlier.extend(c for c in group if c not in same and (
            c.update == "earlier" or (raised and c.update is None)))
    # "126 people were killed, the Observatory said, updating a previous toll of 112": the
    # earlier toll is earlier whoever the parse credits the current one to.
    for c in list(kept):
        if c.update == "earlier" and any(
                o.article == c.article and o.update != "earlier"
                and figure_key(o.quantity) != figure_key(c.quantity) for o in kept):
            kept.remove(c)
            earlier.append(c)
    return kept, earlier


def _moment(analysis: Analysis, c: Claim) -> tuple[int, object, float]:
    """When a figure was given, for showing one claimant's tolls in order: what the text says
    ("up from" before "rose to"), then the article's date and time, then the figure (tolls
    rise)."""
    tag = {"earlier": 0, None: 1, "later": 2}[c.update]
    when = incidents.reference_moment(analysis.articles[c.article])
    return (tag, when.isoformat() if when else "", c.quantity.value)


def _updates(analysis: Analysis, current: list[Claim], earlier: list[Claim]
             ) -> tuple[list[Claim], list[Claim]]:
    """One named claimant's different tolls in several reports: its latest is current, the
    others superseded ("the Observatory put the toll at 58, then 86").

    A figure some report says was replaced ("updating a previous toll of 112") is earlier in
    every report. Otherwise reports are ordered by their dates when all are dated; "rose to 40"
    says only that the claimant gave a smaller figure before, so it supersedes smaller ones
    of reports of the same or no date. A smaller figure of one claimant without any of this
    may be part of the toll (one town), or an outlet quoting it wrong: that stays a
    disagreement."""
    replaced: dict[str, set[tuple[object, ...]]] = {}
    for c in earlier:
        if _ckey(c) is not None:
            replaced.setdefault(_ckey(c) or "", set()).add(figure_key(c.quantity))
    by_claimant: dict[str, list[Claim]] = {}
    for c in current:
        if _ckey(c) is not None and not c.quantity.vague:  # "dozens" updates nothing
            by_claimant.setdefault(_ckey(c) or "", []).append(c)
    superseded = list(earlier)
    for who, group in by_claimant.items():
        if len({figure_key(c.quantity) for c in group}) < 2:
            continue
        gone = replaced.get(who, set())
        candidates = [c for c in group if figure_key(c.quantity) not in gone] or group
        moments = {id(c): incidents.reference_moment(analysis.articles[c.article])
                   for c in group}
        dated = all(moments[id(c)] is not None for c in group)

        def when(c: Claim, moments: dict[int, dt.datetime | None] = moments,
                 dated: bool = dated) -> str:
            m = moments[id(c)]
            return m.isoformat() if dated and m is not None else ""

        latest = max(candidates, key=lambda c: (when(c), c.quantity.value))
        key = figure_key(latest.quantity)
        for c in group:
            k = figure_key(c.quantity)
            if k == key:
                continue
            if k in gone or when(c) < when(latest) or (
                    latest.update == "later" and when(c) == when(latest)
                    and c.quantity.value < latest.quantity.value):
                superseded.append(c)
    out = {id(c) for c in superseded}
    return [c for c in current if id(c) not in out], superseded


_LOCAL_SCOPE = re.compile(
    r"\b(?:in|at|inside) (?:the|this|that|a) (?:town|city|village|neighbou?rhood|district|"
    r"camp|market|hospital|school|building|bus|car|mosque|bakery)\b", re.I)


def _without_local_parts(analysis: Analysis, members: Sequence[Claim]) -> list[Claim]:
    """An article that gives a toll for the city and a smaller one for a named neighbourhood or
    village (or one bus, one market) gives the second as part of the first."""
    inc = incidents.incidents(analysis)

    def local(c: Claim) -> bool:
        f = inc.frame(c.passage)
        if _LOCAL_SCOPE.search(analysis.passage(c.passage).text):
            return True  # "killed in the town", "at the market"
        return f.own_place and any(not k.startswith(incidents.KNOWN) and not inc.in_setting(k)
                                   for k in f.places)

    out = []
    for c in members:
        larger = [o for o in members if o.article == c.article and o.quantity.value
                  > c.quantity.value and not o.quantity.vague and not local(o)]
        if larger and local(c):
            continue
        out.append(c)
    return out


def _sides(current: Sequence[Claim]) -> list[list[Claim]]:
    members = current
    groups: dict[tuple[object, ...], list[Claim]] = {}
    for c in members:
        groups.setdefault(figure_key(c.quantity), []).append(c)
    sides = list(groups.values())
    # A vague figure ("dozens", "several") takes no side against a precise one: it is an order
    # of magnitude, often of part of the toll. Vague against vague ("hundreds" vs "thousands")
    # is still worth showing.
    precise = _disputed([g for g in sides if not g[0].quantity.vague])
    if len(precise) >= 2:
        return precise
    vague = _disputed([g for g in sides if g[0].quantity.vague])
    return vague if len(vague) >= 2 else []


def _disputed(sides: list[list[Claim]]) -> list[list[Claim]]:
    """Sides some source actually disputes: figure X against figure Y needs an article that gives
    one of them and not the other. Articles that all repeat the same figures (a duplicated story,
    or each with the same headline and body figures) never make a conflict."""
    given = [{c.article for c in g} for g in sides]

    def disputes(x: int, y: int) -> bool:
        return bool(given[x] ^ given[y])

    keep = [g for x, g in enumerate(sides)
            if any(disputes(x, y) for y in range(len(sides)) if y != x)]
    return keep


def _n_sources(group: Sequence[Claim]) -> int:
    return len({c.article for c in group})


def _label_subject(analysis: Analysis, members: Sequence[Claim]) -> str:
    """What the figures count and in which incident, in a journalist's words: "People killed in
    the chemical attack in Khan Sheikhoun (Tue 4 Apr)", "Warships sent (U.S.)", "Length of the
    conflict"."""
    counts: dict[str, int] = {}
    for c in members:
        counts[c.counted_text.lower()] = counts.get(c.counted_text.lower(), 0) + 1
    thing = min(counts, key=lambda t: (-counts[t], t))
    # People in one report, civilians in another: what they have in common is people.
    mixed = len({c.counted for c in members}) > 1
    if mixed:
        thing = "people"
    q = members[0].quantity
    if q.kind == DURATION:
        noun = thing.split()[-1]
        text = f"length of the {noun}" if any(c.quantity.adjectival for c in members) else (
            f"time for the {noun}")
    elif q.kind == ORDINAL:
        text = f"which {thing}"
    else:
        event = next((c.event for c in members if c.event), None)
        verb = next((c.event_text for c in members if c.event_text), None)
        if event == "inhabit":
            text = f"{thing} living there"
        elif event == "missing":
            text = f"{thing} missing"
        elif verb:
            text = f"{thing} {participle(verb)}"
        else:
            text = thing
        # The owner in the label only when it is a party Parallax knows ("Russia", "NATO"), not a
        # word the parse happened to hang there.
        owner = None if mixed else next((c.owner_text for c in members
                                         if c.owner_text and c.owner in _known_parties()), None)
        if owner:
            text += f" ({owner})"
        if event in _CASUALTY_EVENTS:
            where = _incident(analysis, members).phrase()
            if where:
                text += f" {where}"
    return text[:1].upper() + text[1:]


@functools.lru_cache(maxsize=1)
def _known_parties() -> frozenset[str]:
    return frozenset(aliases().values())


def _incident(analysis: Analysis, members: Sequence[Claim]) -> incidents.IncidentInfo:
    return incidents.incidents(analysis).describe(
        [c.passage for c in members], total=all(c.total for c in members))


_PART_BEFORE = re.compile(r"\b(?:including|among them|among whom|of whom|among the dead were)"
                          r"\s+(?:at least |some |about |around |nearly )?$", re.I)


def _parts_given_elsewhere(analysis: Analysis, members: Sequence[Claim]) -> list[Claim]:
    """A figure another report gives as part of its larger toll counts that part: "Ten
    civilians were killed when airstrikes hit a bus" against "... killed 31 civilians Friday
    including 10 when their bus was hit" is no disagreement. Nor is one part of a toll its
    own sentence breaks down: "21 civilians were killed, 15 in Manbij and six in Al-Tukhar"
    against "at least 15 civilians were killed in Manbij"."""
    out = []
    for c in members:
        key = figure_key(c.quantity)
        inside = False
        for o in members:
            if o.article == c.article or o.quantity.value <= c.quantity.value:
                continue
            p = analysis.passage(o.passage)
            text = p.text
            for q in find_quantities(text):
                if figure_key(q) == key and _PART_BEFORE.search(text[max(0, q.start - 30):q.start]):
                    inside = True
                    break
            if inside or key in _breakdown(text, o.quantity, p.start):
                inside = True
                break
        if not inside:
            out.append(c)
    return out


def _breakdown(text: str, total: Quantity, offset: int) -> set[tuple[object, ...]]:
    """The figures after a toll in its sentence that add up to it ("21 civilians had been
    killed, 15 in Manbij and another six in Al-Tukhar": 15 and 6), as figure keys; empty when
    no such parts follow."""
    after = [q for q in find_quantities(text)
             if q.start >= total.end - offset and q.kind == total.kind and not q.vague
             and not q.is_range and not q.year_like]
    for n in range(len(after), 1, -1):
        parts = after[:n]
        if abs(sum(q.value for q in parts) - total.value) < 1e-6:
            return {figure_key(q) for q in parts}
    return set()


def _split(analysis: Analysis, members: Sequence[Claim]) -> tuple[list[Claim], list[Claim]]:
    current, earlier = _tolls(_without_local_parts(analysis, _parts_given_elsewhere(
        analysis, members)))
    return _updates(analysis, _attributed(current), earlier)


def _attributed(claims: list[Claim]) -> list[Claim]:
    """A figure a report gives without saying whose, that a named claimant gives in another
    report of the cluster, is most likely that claimant's ("Death toll at least 112" is the
    Observatory's 112), unless the two count different people: AFP's "12 aid workers and
    drivers" is not the Syrian Coalition's "12 people" (see `_same_people`)."""
    named: dict[tuple[object, ...], list[tuple[Claim, Claimant]]] = {}
    for c in claims:
        if c.claimant is not None:
            named.setdefault(figure_key(c.quantity), []).append((c, c.claimant))
    out = []
    for c in claims:
        if c.claimant is None:
            tally: dict[Claimant, int] = {}
            for o, who in named.get(figure_key(c.quantity), []):
                if _same_people(c, o):
                    tally[who] = tally.get(who, 0) + 1
            if tally:
                who = min(tally, key=lambda w: (-tally[w], w.key))
                c = replace(c, claimant=who)
        out.append(c)
    return out


def _same_people(a: Claim, b: Claim) -> bool:
    """Could the two figures count the same people? Yes for the same counted word, a figure
    that names nobody ("At least 19 killed"), or two of a toll's words (people, civilians,
    fighters); no for other kinds written out ("aid workers and drivers" against "people")."""
    return (a.counted == b.counted or a.bare or b.bare
            or {a.counted, b.counted} <= _TOLL_WORDS)


def _cluster_finding(analysis: Analysis, members: Sequence[Claim], fid: str,
                     origin: dict[str, int]) -> Finding | None:
    current, superseded = _split(analysis, members)
    sides = _sides(current)
    ids = [a.id for a in analysis.articles]
    if len(sides) < 2:
        if superseded:
            return _update_finding(analysis, members, current, superseded, fid, origin)
        return None

    def side_key(g: list[Claim]) -> tuple[object, ...]:
        q = _representative(g)
        first = min((ids[c.article], c.quantity.start) for c in g)
        return (-_n_sources(g), q.value, q.bound, first)

    sides.sort(key=side_key)
    worst = AGREE
    gap = 0.0
    for x in range(len(sides)):
        for y in range(x + 1, len(sides)):
            qa, qb = _representative(sides[x]), _representative(sides[y])
            gr = grade(qa, qb)
            if gr == Q_CONTRADICTION:
                worst = Q_CONTRADICTION
            elif gr == Q_DISCREPANCY and worst != Q_CONTRADICTION:
                worst = Q_DISCREPANCY
            if gr in (Q_CONTRADICTION, Q_DISCREPANCY):
                gap = max(gap, abs(qa.value - qb.value) / max(abs(qa.value), abs(qb.value), 1e-9))
    if worst not in (Q_CONTRADICTION, Q_DISCREPANCY):
        return None
    # Each superseded toll sits on the side of its claimant's current figure.
    side_of_claimant: dict[str, int] = {}
    for side, g in enumerate(sides):
        for c in g:
            if _ckey(c) is not None:
                side_of_claimant.setdefault(_ckey(c) or "", side)
    spans: list[Span] = []
    parts: list[str] = []
    for side, g in enumerate(sides):
        earlier = [c for c in superseded if side_of_claimant.get(_ckey(c) or "") == side]
        for c in sorted(g, key=lambda c: (ids[c.article], c.quantity.start)):
            spans.append(_span(analysis, c, side))
        for c in sorted(earlier, key=lambda c: (ids[c.article], c.quantity.start)):
            spans.append(_span(analysis, c, side, superseded=True))
        parts.append(_side_label(analysis, g, earlier, origin))
    severity = CONTRADICTION if worst == Q_CONTRADICTION else DISCREPANCY
    linked = any(
        analysis.link_score(a.passage, b.passage) > 0
        for a in members for b in members if a.article < b.article
    )
    score = (0.75 if severity == CONTRADICTION else 0.45) + 0.15 * min(1.0, math.sqrt(gap))
    score += 0.05 * min(2, sum(_n_sources(g) for g in sides) - 2) / 2 + (0.05 if linked else 0.0)
    label = f"{_label_subject(analysis, members)}: " + " vs ".join(parts)
    return Finding(id=fid, kind=NUMBER, label=label, score=min(score, 1.0), spans=tuple(spans),
                   severity=severity, incident=_incident_dict(analysis, members))


def _incident_dict(analysis: Analysis, members: Sequence[Claim]) -> dict[str, object] | None:
    if not any(c.event in _CASUALTY_EVENTS for c in members):
        return None
    return _incident(analysis, members).to_dict()


def _span(analysis: Analysis, c: Claim, side: int, superseded: bool = False) -> Span:
    art = analysis.articles[c.article]
    q = c.quantity
    return Span(art.id, q.start, q.end, art.text[q.start:q.end], _value(c), side,
                claimant=c.claimant.to_dict() if c.claimant else None, superseded=superseded)


def _shown_name(c: Claim) -> str | None:
    if c.claimant is None:
        return None
    text = c.claimant.text
    return text[4:] if text.lower().startswith("the ") else text


def _claimant_name(group: Sequence[Claim]) -> str | None:
    """How most figures of a side name their claimant ("Syrian Observatory for Human Rights")."""
    counts: dict[str, int] = {}
    for c in group:
        text = _shown_name(c)
        if text is not None:
            counts[text] = counts.get(text, 0) + 1
    return min(counts, key=lambda t: (-counts[t], len(t), t)) if counts else None


def _citing(group: Sequence[Claim], name: str) -> tuple[int, int]:
    """(reports on a side that credit its figure to the claimant shown as `name`, in any
    wording; reports on the side)."""
    keys = {_ckey(c) for c in group if _shown_name(c) == name}
    citing = {c.article for c in group if _ckey(c) in keys}  # keys holds no None
    return len(citing), len({c.article for c in group})


def _sources(analysis: Analysis, group: Sequence[Claim], origin: dict[str, int]) -> str:
    """"3 sources", or "4 sources, 2 independent" when some republish one agency text."""
    arts = {analysis.articles[c.article].id for c in group}
    n = len(arts)
    independent = len({origin.get(a, a) for a in arts})
    text = f"{n} source{'s' if n != 1 else ''}"
    if independent < n:
        text += f", {independent} independent"
    return text


def _side_label(analysis: Analysis, group: Sequence[Claim], earlier: Sequence[Claim],
                origin: dict[str, int]) -> str:
    """"58, then 86 (Syrian Observatory; 3 sources, 2 independent)"."""
    figures = ""
    if earlier:
        ordered = sorted(earlier, key=lambda c: _moment(analysis, c))
        shown: dict[tuple[object, ...], str] = {}  # "112" and "at least 112": one figure
        for c in ordered:
            shown.setdefault(figure_key(c.quantity), display(c.quantity))
        figures = ", then ".join(shown.values()) + ", then "
    figures += _side_display(group)
    who = _claimant_name(group)
    where = _sources(analysis, group, origin)
    if who is None:
        return f"{figures} ({where})"
    citing, reports = _citing(group, who)
    if citing < reports:  # not every report credits it: "12 (2 sources; 1 citing Syrian Coalition)"
        return f"{figures} ({where}; {citing} citing {who})"
    return f"{figures} ({who}; {where})"


def _update_finding(analysis: Analysis, members: Sequence[Claim], current: Sequence[Claim],
                    superseded: Sequence[Claim], fid: str, origin: dict[str, int]) -> Finding:
    """One claimant's toll, then a later one: not a disagreement, but worth showing in order."""
    ids = [a.id for a in analysis.articles]
    spans = [_span(analysis, c, 0) for c in sorted(
        current, key=lambda c: (ids[c.article], c.quantity.start))]
    spans += [_span(analysis, c, 0, superseded=True) for c in sorted(
        superseded, key=lambda c: (ids[c.article], c.quantity.start))]
    label = (f"{_label_subject(analysis, members)}: "
             f"{_side_label(analysis, current, superseded, origin)}, updated")
    return Finding(id=fid, kind=NUMBER, label=label, score=0.3, spans=tuple(spans),
                   severity=UPDATE, incident=_incident_dict(analysis, members))


def _dispute_finding(analysis: Analysis, members: Sequence[Claim], fid: str) -> Finding | None:
    """One article quoting two named claimants with different tolls: it reports a dispute."""
    current, _superseded = _split(analysis, members)
    named = [c for c in current if c.claimant is not None]
    by_value: dict[tuple[object, ...], list[Claim]] = {}
    for c in named:
        by_value.setdefault(figure_key(c.quantity), []).append(c)
    if len(by_value) < 2 or len({_ckey(c) for c in named}) < 2:
        return None
    sides = sorted(by_value.values(), key=lambda g: (_representative(g).value, g[0].quantity.start))
    if all(grade(_representative(x), _representative(y)) in (AGREE, VAGUE)
           for i, x in enumerate(sides) for y in sides[i + 1:]):
        return None
    article = analysis.articles[members[0].article]
    spans = [_span(analysis, c, side) for side, g in enumerate(sides) for c in g]
    parts = [f"{_side_display(g)} ({_claimant_name(g)})" for g in sides]
    label = (f"{_label_subject(analysis, members)}: {article.label} reports a dispute: "
             + " vs ".join(parts))
    return Finding(id=fid, kind=NUMBER, label=label, score=0.25, spans=tuple(spans),
                   severity=DISPUTE, incident=_incident_dict(analysis, members))


def _value(c: Claim) -> dict[str, object]:
    """A figure's span value: the normalised figure, what it counts and its role."""
    return {**c.quantity.normalised(), "counted": c.counted, "role": c.event}


def _side_display(group: Sequence[Claim]) -> str:
    """The way most sources on one side write the figure ("14,000" over "fourteen thousand")."""
    counts: dict[str, int] = {}
    for c in group:
        text = display(c.quantity)
        counts[text] = counts.get(text, 0) + 1
    return min(counts, key=lambda t: (-counts[t], t))


def _fact(analysis: Analysis, members: Sequence[Claim], fid: str, finding: str | None) -> Fact:
    ids = [a.id for a in analysis.articles]
    cells: list[Span] = []
    seen: set[tuple[str, tuple[object, ...]]] = set()
    # Claimants as the findings give them (a report's unattributed "112" is the Observatory's
    # when another report says so), and which tolls their claimant has since replaced.
    current, superseded = _split(analysis, members)
    who = {(c.article, c.quantity.start): c.claimant for c in (*current, *superseded)}
    earlier = {(c.article, c.quantity.start) for c in superseded}
    for c in sorted(members, key=lambda c: (ids[c.article], c.quantity.start)):
        art = analysis.articles[c.article]
        key = (art.id, figure_key(c.quantity))
        if key in seen:
            continue  # one cell per source and figure
        seen.add(key)
        q = c.quantity
        claimant = who.get((c.article, q.start), c.claimant)
        cells.append(Span(art.id, q.start, q.end, art.text[q.start:q.end], display(q),
                          claimant=claimant.to_dict() if claimant else None,
                          superseded=(c.article, q.start) in earlier))
    first = members[0]
    return Fact(
        id=fid,
        label=_label_subject(analysis, members),
        counted=first.counted,
        event=next((c.event for c in members if c.event), None),
        cells=tuple(cells),
        finding=finding,
    )
