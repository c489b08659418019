"""Incidents: what happened, where and when, for every passage of every article.

A figure ("22 killed"), a date or a quote is only comparable with another article's when both
talk about the same incident. A report of today's air strike on one town also recalls Monday's
raid on another, the 2013 attack, the war's total since 2011; different reports of one day
cover a rocket attack in one district and an air strike on another. The frame of a passage
says which incident it is about:

- **what**: event categories from the words of the passage (air strike, shelling, blast,
  chemical attack, clashes, execution, missile strike) and the noun a label can use;
- **where**: the places it names (entities of place type, and proper names after "in", "near",
  "the town of", before "neighbourhood", "province" ...), each as a spelling-tolerant key
  ("Khan Sheikhoun" = "Khan Shaykhun", "Raqqa" = "Raqa"); countries and regions are too broad to
  tell incidents apart and are left out;
- **when**: the days its date words give ("on Tuesday", "yesterday", "last month", "in 2013",
  "April 4"), resolved against the article's publication date; "since 2011", "so far this year"
  and "the war's toll" are cumulative.

A passage that names no place, time or event of its own takes them from the passage before it
(the same incident goes on), unless it opens with "meanwhile", "separately", "elsewhere" ...;
a headline takes them from the lead that follows it. A passage whose time lies well before the
article's day, or is cumulative, is background: its own incident.

`same_incident(a, b, linked)` is the rule every finder uses: no clash of place, time, event or
background, and positive evidence that the two passages talk about one incident (the matcher
linked them, or they share a specific place, or both are their article's lead story of the same
day and kind).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from app.core.analysis import Analysis, Passage, PassageRef
from app.core.entities import (
    TITLES,
    EntityIndex,
    aliases,
    doc_text,
    fold,
    lower_words,
    token_at,
    tokens,
    transliterations,
)
from app.core.model import Article
from app.paths import resource

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# ---------------------------------------------------------------------------------------------
# When

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBR = {d[:3]: i for i, d in enumerate(WEEKDAYS)} | {"tues": 1, "thur": 3, "thurs": 3}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH_NUM = {m: i + 1 for i, m in enumerate(MONTHS)} | {
    m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

# Days a passage's event may lie before the article's day and still be "today's" news.
RECENT_DAYS = 3
# Two resolved times closer than this (days) do not clash. Two named days clash ("on Thursday"
# and "on Friday" are two incidents, or a date conflict); "yesterday", "last night" and a report
# without a day already span two or three days.
SLACK_DAYS = 0

_CUMULATIVE = re.compile(
    r"\b(?:since (?:the (?:start|beginning|outbreak)|it began|(?:early |late |mid-?)?\d{4}|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|last|then|the war|"
    r"the conflict|the uprising|the revolt)|so far this "
    r"(?:year|month)|overall toll|the war's (?:death )?toll|"
    r"(?:war|conflict|uprising) (?:that )?(?:began|erupted|started)|"
    r"(?:over|in|during|throughout) the (?:course of the )?(?:war|conflict|past \w+ years)|"
    r"[\w]+-year(?:-long)? (?:-?old )?(?:conflict|war|civil war|fighting|insurgency|uprising|"
    r"crisis|revolt)|(?:years|decades) of (?:war|conflict|fighting)|"
    r"(?:war|conflict) (?:has|had) (?:killed|claimed|left)|"
    r"(?:\w+|\d+) (?:days|weeks|months|years) of (?:\w+ ){0,3}(?:air ?strikes|strikes|raids|"
    r"fighting|bombardment|bombing|shelling|clashes|war|attacks|operations)|"
    r"(?:across|throughout) (?:the )?(?:country|syria)|nationwide|(?:in|over|during|within) "
    r"(?:the )?(?:past|last) (?:\w+ |\d+ )?(?:days|weeks|months|years|week|month|year|hours)|"
    r"over (?:\w+|\d+) (?:days|weeks|months)|(?:in|over|within) (?:the )?(?:past |last )?"
    r"(?:24|48|72) hours|since (?:dawn|morning|the morning)|"
    r"(?:in|over|during) (?:the )?recent (?:days|weeks|months))\b",
    re.I,
)


# "The Observatory, which monitors Syria's five-year conflict, said ...": the war a source
# watches, not the period of the figure it gives.
_WATCHED = re.compile(r"\b(?:monitor|monitors|monitoring|tracks|tracking|covers|covering|"
                      r"documents|documenting)\s+(?:[\w'’-]+\s+){0,2}$", re.I)
_WAR_PERIOD = re.compile(r"war|conflict|uprising|revolt|crisis|insurgency|since", re.I)


@dataclass(frozen=True)
class When:
    """A resolved span of days (inclusive), or nothing when the text gives no absolute time."""

    lo: dt.date
    hi: dt.date
    text: str

    def clashes(self, other: When) -> bool:
        slack = dt.timedelta(days=SLACK_DAYS)
        return self.hi + slack < other.lo or other.hi + slack < self.lo

    @property
    def days(self) -> int:
        return (self.hi - self.lo).days + 1


_HEAD_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "Wed 05 Apr 2017", "5 October 2016", "24 Sep 2016"
    re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_WORD})\s*,?\s*(\d{{4}})\b", re.I),
    # "April 5 2017", "Jul 18 2016", "Jul 012016" (sic), "August 1, 2016"
    re.compile(rf"\b({_MONTH_WORD})\s*(\d{{1,2}}),?\s*(\d{{4}})\b", re.I),
    # "18-07-2016", "19.07.2016", "24.08.2013"
    re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4})\b"),
    # "2016-07-18"
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    return _MONTH_NUM.get(w) or _MONTH_NUM.get(w[:3])


def reference_date(article: Article) -> dt.date | None:
    """The article's own day: its publication date, else the first date in its opening."""
    if article.published:
        try:
            return dt.date.fromisoformat(article.published[:10])
        except ValueError:
            pass
    head = article.text[:240]
    best: tuple[int, dt.date] | None = None
    for n, pat in enumerate(_HEAD_DATE_PATTERNS):
        for m in pat.finditer(head):
            g = m.groups()
            if n == 0:
                mo = _month(g[1])
                d = _safe_date(int(g[2]), mo, int(g[0])) if mo else None
            elif n == 1:
                mo = _month(g[0])
                d = _safe_date(int(g[2]), mo, int(g[1])) if mo else None
            elif n == 2:
                d = _safe_date(int(g[2]), int(g[1]), int(g[0]))
            else:
                d = _safe_date(int(g[0]), int(g[1]), int(g[2]))
            if d is not None and 1990 <= d.year <= 2100 and (best is None or m.start() < best[0]):
                best = (m.start(), d)
    return best[1] if best else None


_HEAD_TIME = re.compile(
    r"(?<![\d.])(\d{1,2}):(\d{2})(?!\d)|\b(?:updated|at) (\d{2})(\d{2})\b", re.I)


def reference_moment(article: Article) -> dt.datetime | None:
    """The article's day and, when its dateline gives one ("22 July 2015 22:33", "updated
    1457"), the time: which of two reports of one claimant's toll is the later."""
    day = reference_date(article)
    if day is None:
        return None
    m = _HEAD_TIME.search(article.text[:160])
    hour = minute = 0
    if m:
        h, mi = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if int(h) < 24 and int(mi) < 60:
            hour, minute = int(h), int(mi)
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def _last_weekday(ref: dt.date, weekday: int) -> dt.date:
    """The most recent `weekday` on or before `ref` ("on Tuesday" in Wednesday's paper)."""
    return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _part_of_month(lo: dt.date, hi: dt.date, low: str, text: str) -> When:
    """"early October" is its first ten days, "mid-October" the next ten, "late October" the
    rest: an attack "in early October" is not one of 11 October."""
    if re.search(r"\b(?:early|beginning of|start of)\b", low):
        return When(lo, lo + dt.timedelta(days=9), text)
    if re.search(r"\bmid\b", low):
        return When(lo + dt.timedelta(days=10), lo + dt.timedelta(days=19), text)
    if re.search(r"\b(?:late|end of)\b", low):
        return When(lo + dt.timedelta(days=20), hi, text)
    return When(lo, hi, text)


def resolve_time(text: str, ref: dt.date | None) -> When | None:
    """Days meant by a date expression, relative to the article's day `ref`."""
    low = " ".join(text.lower().split())
    words = re.findall(r"[a-z]+|\d+", low)
    if not words:
        return None
    years = [int(w) for w in words if w.isdigit() and len(w) == 4 and 1900 <= int(w) <= 2100]
    # "may" is a month only beside a day or after "in".
    month_word = next((w for w in words if w in _MONTH_NUM and (
        w != "may" or re.search(r"\bmay\s+\d|\d\s+may\b|\bin may\b", low))), None)
    month = _MONTH_NUM[month_word] if month_word else None
    days = [int(w) for w in words if w.isdigit() and len(w) <= 2 and 1 <= int(w) <= 31]
    weekday = next((WEEKDAYS.index(w) for w in words if w in WEEKDAYS), None)
    if weekday is None:
        weekday = next((_WEEKDAY_ABBR[w] for w in words if w in _WEEKDAY_ABBR), None)
    year = years[0] if years else None
    if month is not None:
        y = year or (ref.year if ref else None)
        if y is None:
            return None
        if days:
            d = _safe_date(y, month, days[0])
            if d is None:
                return None
            if year is None and ref is not None and d > ref + dt.timedelta(days=SLACK_DAYS):
                d = _safe_date(y - 1, month, days[0]) or d  # "December 30" in a January paper
            return When(d, d, text)
        lo, hi = _month_span(y, month)
        if year is None and ref is not None and lo > ref:
            lo, hi = _month_span(y - 1, month)
        return _part_of_month(lo, hi, low, text)
    if year is not None:
        return When(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
    if ref is None:
        return None
    if weekday is not None:
        d = _last_weekday(ref, weekday)
        if re.search(r"\blast\b", low) and d == ref:
            d -= dt.timedelta(days=7)
        # "on Saturday and Sunday", "late Saturday and early Sunday": both days.
        others = [_last_weekday(ref, WEEKDAYS.index(w)) for w in words if w in WEEKDAYS]
        return When(min([d, *others]), max([d, *others]), text)
    day = dt.timedelta(days=1)
    if re.search(r"\bweekend\b", low):
        # "over the weekend" in Monday's paper: the Saturday and Sunday just gone.
        saturday = _last_weekday(ref, WEEKDAYS.index("saturday"))
        return When(saturday, min(saturday + day, ref), text)
    if re.search(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", low):
        return When(ref, ref, text)
    if re.search(r"\b(?:yesterday|last night|overnight)\b", low):
        return When(ref - day, ref, text)
    if re.search(r"\blast week\b", low):
        return When(ref - 13 * day, ref - day, text)
    if re.search(r"\b(?:this|earlier this) week\b", low):
        return When(ref - 6 * day, ref, text)
    if re.search(r"\blast month\b", low):
        first = ref.replace(day=1)
        return When(*_month_span((first - day).year, (first - day).month), text)
    if re.search(r"\b(?:earlier )?this month\b", low):
        return When(ref.replace(day=1), ref, text)
    if re.search(r"\blast year\b", low):
        return When(dt.date(ref.year - 1, 1, 1), dt.date(ref.year - 1, 12, 31), text)
    m = re.search(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten) (day|week|month|year)s? "
                  r"ago\b", low)
    if m:
        n = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10}.get(m.group(1)) or int(m.group(1))
        unit = {"day": 1, "week": 7, "month": 30, "year": 365}[m.group(2)]
        d = ref - dt.timedelta(days=n * unit)
        spread = dt.timedelta(days=max(0, unit // 2))
        return When(d - spread, d + spread, text)
    return None


# ---------------------------------------------------------------------------------------------
# What

# Event categories: each word names the categories it can be. Generic words ("attack") name
# none and never tell incidents apart.
_EVENT_WORDS: dict[str, frozenset[str]] = {}
for _cats, _words in (
    (("air",), "airstrike air-strike airstrikes warplane warplanes jet jets aircraft helicopter "
               "helicopters sortie sorties airraid air-raid drone drones barrel aerial"),
    (("air", "missile"), "strike strikes"),
    (("air", "ground"), "raid raids"),
    (("air", "shelling"), "bombardment bombardments bombard bombarded pound pounded"),
    (("air", "blast"), "bombing bombings bombed bomb bombs"),
    (("shelling",), "shell shells shelling shelled rocket rockets mortar mortars artillery "
                    "projectile projectiles cannon"),
    (("shelling", "ground"), "fire gunfire"),
    (("ground",), "sniper snipers gunmen shooting"),
    (("blast",), "blast blasts explosion explosions explosive explosives suicide bomber "
                 "bombers car-bomb ied booby-trapped booby detonate detonated detonation "
                 "explode exploded"),
    (("chemical",), "chemical chemicals gas sarin chlorine toxic nerve suffocation poison "
                    "poisonous"),
    (("ground",), "clash clashes fighting battle battles offensive assault ambush combat "
                  "firefight gunfight skirmish skirmishes"),
    (("execution",), "execute executed execution executions behead beheaded massacre"),
    (("missile", "shelling"), "missile missiles"),
    (("missile",), "tomahawk tomahawks cruise"),
):
    for _w in _words.split():
        _EVENT_WORDS[_w] = _EVENT_WORDS.get(_w, frozenset()) | frozenset(_cats)

# The noun a label names the incident by, most specific first.
_EVENT_NOUNS: tuple[tuple[str, str], ...] = (
    ("chemical", "chemical attack"), ("gas", "gas attack"), ("sarin", "chemical attack"),
    ("suicide", "suicide attack"), ("car-bomb", "car bombing"), ("barrel", "barrel bombing"),
    ("airstrike", "air strike"), ("airstrikes", "air strikes"), ("warplanes", "air strikes"),
    ("missile", "missile strike"), ("missiles", "missile strike"),
    ("explosion", "explosion"), ("blast", "blast"), ("bombing", "bombing"),
    ("shelling", "shelling"), ("rocket", "rocket attack"), ("rockets", "rocket attack"),
    ("mortar", "mortar attack"), ("mortars", "mortar attack"), ("shells", "shelling"),
    ("raid", "raid"), ("raids", "raids"), ("strike", "strike"), ("strikes", "strikes"),
    ("bombardment", "bombardment"), ("clashes", "clashes"), ("fighting", "fighting"),
    ("offensive", "offensive"), ("ambush", "ambush"), ("assault", "assault"),
    ("executed", "executions"), ("execution", "executions"), ("massacre", "massacre"),
    ("attack", "attack"),
)
_EVENT_NOUN_RANK = {w: i for i, (w, _) in enumerate(_EVENT_NOUNS)}
_EVENT_NOUN_TEXT = dict(_EVENT_NOUNS)


def _event_words(tokens: Iterable[str]) -> tuple[frozenset[str], str | None]:
    cats: set[str] = set()
    best: str | None = None
    prev = ""
    downed = False
    for t in tokens:
        w = t.lower()
        if (prev == "shot" and w == "down") or w in ("downed", "crashed", "crash"):
            downed = True
        if prev == "air" and w in ("strike", "strikes", "raid", "raids"):
            w = "airstrike"
        if prev == "car" and w in ("bomb", "bombing", "bombs"):
            w = "car-bomb"
        cats |= _EVENT_WORDS.get(w, frozenset())
        if w in _EVENT_NOUN_RANK and (best is None or _EVENT_NOUN_RANK[w] < _EVENT_NOUN_RANK[best]):
            best = w
        prev = w
    if downed:
        # "a Russian helicopter was shot down ... killing all five on board": a downing, which
        # is no air strike (unless the sentence also tells of a bombing).
        cats = {c for c in cats if c != "air"} | {"downing"}
    return frozenset(cats), (_EVENT_NOUN_TEXT[best] if best else None)


_WAR_WIDE = re.compile(r"war|conflict|uprising|revolt|crisis|\d{4}|year|start|beginning|outbreak")


def _other_period(a: str, b: str) -> bool:
    """Two totals over different stretches of time (a war's toll counts as one stretch)."""
    if not a or not b or a == b:
        return False
    return not (_WAR_WIDE.search(a) and _WAR_WIDE.search(b))


def events_meet(a: frozenset[str], b: frozenset[str]) -> bool:
    """Could two descriptions be of one attack? A chemical attack is also an air strike or a
    shelling (the agent, not the means), so "chemical" meets every means."""
    return bool(a & b) or ("chemical" in a and bool(b)) or ("chemical" in b and bool(a))


# ---------------------------------------------------------------------------------------------
# Where

_PLACE_NOUNS_TEXT = """
    town towns village villages city cities neighbourhood neighborhood neighbourhoods
    neighborhoods district districts province provinces countryside suburb suburbs area areas
    region governorate camp camps crossing dam airbase base quarter square market hospital
    outskirts district countryside border center centre heart
    """
_PLACE_NOUNS = frozenset(_PLACE_NOUNS_TEXT.split())
_LOCATIVE_TEXT = """
    in near at on outside around across into from toward towards inside within of to
    """
_LOCATIVE = frozenset(_LOCATIVE_TEXT.split())
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NAME_ENTITIES = frozenset({"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"})
# "near the Syrian capital": a country's capital named by its country.
_CAPITALS = {"syrian": "damascus", "iraqi": "baghdad", "ukrainian": "kyiv", "lebanese": "beirut",
             "yemeni": "sanaa", "libyan": "tripoli", "afghan": "kabul"}
_CAPITAL_RE = re.compile(r"\bthe (" + "|".join(_CAPITALS) + r") capital\b", re.I)
_NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY",
                               "PERCENT", "NORP", "LAW", "WORK_OF_ART", "LANGUAGE"})
_DIRECTIONS_TEXT = """
    east west north south eastern western northern southern northeast northwest southeast
    southwest northeastern northwestern southeastern southwestern central rebel-held
    regime-held government-held opposition-held is-held isis-held isil-held daesh-held
    besieged old new greater upper lower city province countryside
    """
_DIRECTIONS = frozenset(_DIRECTIONS_TEXT.split())
# Countries, regions and continents: too broad to tell two incidents apart.
_BROAD_TEXT = """
    syria syrian syrias iraq iraqi turkey turkish russia russian iran iranian lebanon lebanese
    jordan jordanian israel israeli egypt saudi arabia qatar yemen libya us usa america
    united states britain uk france germany europe middle east levant gulf arab world
    afghanistan pakistan china washington moscow ankara tehran beirut geneva
    """
_BROAD = frozenset(_BROAD_TEXT.split())
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez)-", re.I)


@functools.lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    """(folded spelling -> key, key -> parent key) from resources/places.tsv."""
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    for line in resource("places.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, parent, *spellings = [c.strip() for c in line.split("\t")]
        if parent != "-":
            parents[key] = parent
        for name in (key, *spellings):
            if name:
                names.setdefault(fold(name).replace("-", " "), key)
    return names, parents


def known_place(words: Sequence[str]) -> str | None:
    """The gazetteer key for a place name's words ("Aleppos" = "Aleppo's" too), or None."""
    return _known_place(tuple(words))


@functools.lru_cache(maxsize=65536)
def _known_place(words: tuple[str, ...]) -> str | None:
    names, _ = gazetteer()
    kept = [w for w in words if w.lower() not in _BROAD and w.lower()[:-1] not in _BROAD]
    joined = " ".join(w.lower() for w in kept).replace("-", " ")
    # "al-Raqqa", and the article joined to the name ("Alhasakah", "Albab": "al bab").
    unjoined = re.sub(r"^(?:al|el)(?=[a-z]{4})", "", joined)
    for cand in (joined, joined[:-1] if joined.endswith("s") else None,
                 re.sub(r"^(?:al|el|ar|as|ad) ", "", joined), unjoined, "al " + unjoined):
        if cand and cand in names:
            return names[cand]
    return None


KNOWN = "="  # prefix of gazetteer keys among place keys


def _is_party(word: str) -> bool:
    """A party's name, also with its apostrophe lost ("ISs" = "IS's")."""
    table = aliases()
    return fold(word) in table or (word.endswith("s") and len(word) > 2
                                   and fold(word[:-1]) in table)


def _spelling(word: str) -> str:
    """A transliteration-tolerant form of one word: no article prefix ("al-"), no doubled
    letters, every run of vowels one "a" ("Sheikhoun" = "Shaykhun" = "shakhan", "Raqqa" =
    "Raqa"); consonants are kept, so "Hama" and "Homs" stay apart."""
    w = _ARTICLE_PREFIX.sub("", word.lower())
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return ""
    w = re.sub(r"(.)\1+", r"\1", w)
    # y is a vowel after a vowel ("Shaykhun") and a consonant elsewhere ("Yarmouk", "Daraya").
    w = w[0] + re.sub(r"(?<=[aeiou])y(?![aeiou])", "a", w[1:])
    return re.sub(r"[aeiou]+", "a", w)


def place_key(name: str) -> str | None:
    """Key of a specific place, or None for a broad or empty one. 'the Bustan al-Qasr
    neighbourhood' -> 'bstn qsr'; 'Deir el-Zour' = 'Deir Ezzor'; 'Syria' -> None."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", name)
    bare = [w for w in words if w.lower() not in _DIRECTIONS and w.lower() not in _PLACE_NOUNS
            and w.lower() not in ("the", "of")]
    known = known_place(bare) if bare else None
    if known is not None:
        return KNOWN + known
    if fold(name) in aliases():
        return None  # a party (a country, an alliance, an organisation), not a place
    words = [re.sub(r"['’]s$", "", w) for w in words]
    kept = [w for w in words if w.lower() not in _DIRECTIONS and w.lower() not in _PLACE_NOUNS
            and w.lower() not in ("the", "of", "and") and w.lower() not in TITLES
            and w.lower() not in _BROAD and w.lower().rstrip("s") not in _BROAD
            and w.lower() not in _NOT_PLACE and not _is_party(w)]
    if not kept:
        return None
    if fold(" ".join(kept)) in aliases():
        return None
    table = transliterations()
    parts = []
    for w in kept:
        lw = w.lower()
        g = table.get(lw)
        parts.append(f"#{g}" if g is not None else _spelling(w))
    key = " ".join(p for p in parts if p)
    return key or None


def _same_word(a: str, b: str) -> bool:
    if _same_spelling(a, b):
        return True
    # The article written joined to the name ("Urum Alkobra" = "Urum al-Kubra", "Albukamal" =
    # "al-Bukamal"), where what follows it is a name of its own length.
    return ((len(a) >= _JOINED_MIN and a.startswith("al") and _same_spelling(a[2:], b))
            or (len(b) >= _JOINED_MIN and b.startswith("al") and _same_spelling(a, b[2:])))


# "al" and a name of four letters or more, as spelled ("alkabra"; not "Aleppo", "Alma").
_JOINED_MIN = 6


def _same_spelling(a: str, b: str) -> bool:
    if a == b:
        return True
    # "Aleppos" is "Aleppo's" with the apostrophe lost.
    if ((a.endswith("s") and a[:-1] == b) or (b.endswith("s") and b[:-1] == a)) and min(
            len(a), len(b)) >= 4:
        return True
    return min(len(a), len(b)) >= 6 and Levenshtein.distance(a, b) <= 1


@functools.lru_cache(maxsize=65536)
def same_place(a: str, b: str) -> bool:
    """Two place keys name one place: the words of the shorter all found in the longer
    ("khan shakhan" and "shakhan"), each spelled alike."""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return all(any(_same_word(w, v) for v in long) for w in short) and any(
        len(w) >= 4 for w in short)


def places_share(a: Iterable[str], b: Iterable[str]) -> bool:
    bl = list(b)
    return any(same_place(x, y) for x in a for y in bl)


# Capitalised words that end a place's name: sources, days, headline words.
_NAME_BOUNDARY_TEXT = """
    monitor afp reuters ap sana anadolu says said reported report activists source sources
    civilians people killed dead injured wounded updated published posted date publication
    jihadists militants terrorists rebels
    attack attacks strike strikes airstrike airstrikes raid raids bombing bombings blast
    explosion massacre offensive clashes shelling
    """
# Words that make a capitalised run the name of an institution, not of a place.
_INSTITUTION_TEXT = """
    observatory agency agencies council forces force army ministry defense defence coalition
    group groups news tv media committee organization organisation network rights front party
    brigade brigades regime government opposition state islamic union nations command
    """
_INSTITUTION = frozenset(_INSTITUTION_TEXT.split())
_NOT_PLACE = (frozenset(_NAME_BOUNDARY_TEXT.split()) | _INSTITUTION | frozenset(WEEKDAYS)
              | frozenset(_WEEKDAY_ABBR) | frozenset(MONTHS) | frozenset(_MONTH_NUM) | TITLES)
_PARTY_SUFFIX = frozenset({"held", "controlled", "led", "backed", "run", "dominated",
                           "linked", "affiliated", "allied", "supported"})
_STRONG_LOCATIVE = frozenset({"in", "near", "at", "on", "outside", "around", "across", "into",
                              "inside", "toward", "towards", "within"})
_SKIP_BEFORE_NAME = frozenset({"the", "a", "an"}) | _DIRECTIONS


def _name_token(tok: Token) -> bool:
    if tok.lower_ in _NOT_PLACE or tok.like_num or (tok.is_punct and tok.text != "-"):
        return False
    return tok.pos_ == "PROPN" or tok.ent_type_ in _PLACE_LABELS or (
        tok.text[:1].isupper() and tok.pos_ in ("NOUN", "ADJ") and not tok.is_sent_start)


_JOINERS = frozenset({"-", "al", "el", "ad", "ar", "as", "ash", "az"})


class _Words:
    """What the place finder asks of each token of a Doc, read once into plain lists (spaCy
    makes a new Token object on every `doc[i]`, and names are looked for around every
    preposition of every passage). Kept on the Doc."""

    __slots__ = (
        "capital",
        "common",
        "end",
        "entity",
        "idx",
        "joiner",
        "lower",
        "name",
        "text",
        "verb",
    )

    def __init__(self, doc: Doc) -> None:
        toks = tokens(doc)
        self.text = [t.text for t in toks]
        self.lower = [t.lower_ for t in toks]
        self.name = [_name_token(t) for t in toks]
        self.joiner = [w in _JOINERS for w in self.lower]  # 'al' / '-' inside Arabic names
        self.capital = [w[:1].isupper() for w in self.text]
        # Words the text also writes small somewhere are common words; so is punctuation.
        small = lower_words(doc)
        self.common = [w in small or not t.is_alpha for t, w in zip(toks, self.text, strict=True)]
        self.entity = [t.ent_type_ in _NAME_ENTITIES for t in toks]
        self.verb = [t.pos_ == "VERB" for t in toks]
        self.idx = [t.idx for t in toks]
        self.end = [i + len(w) for i, w in zip(self.idx, self.text, strict=True)]

    @staticmethod
    def of(doc: Doc) -> _Words:
        cached = doc.user_data.get("parallax_place_words")
        if not isinstance(cached, _Words):
            cached = doc.user_data["parallax_place_words"] = _Words(doc)
        return cached


def _name_forward(doc: Doc, i: int, limit: int) -> tuple[int, int]:
    """The proper name starting at or after token i (articles and directions skipped); empty
    when the capitalised run names an institution ("the Security Council")."""
    w = _Words.of(doc)
    lower, name, joiner = w.lower, w.name, w.joiner
    while i < limit and lower[i] in _SKIP_BEFORE_NAME:
        i += 1
    start = end = i
    while end < limit and (name[end] or (joiner[end] and end + 1 < limit and name[end + 1])):
        end += 1
    if end < limit and end > start and lower[end] in _INSTITUTION:
        # "Aleppo Syria Live Network": keep the place entity the run starts with, if any.
        ent = EntityIndex.of(doc).at(start)
        if ent is not None and ent.label_ in _PLACE_LABELS and ent.start == start and (
                ent.end < end):
            return start, ent.end
        # Else the longest start of the run the gazetteer knows ("Aleppo" of "Aleppo Syria Live
        # Network", which the recogniser took for one title).
        words = w.text[start:end]
        for stop in range(len(words) - 1, 0, -1):
            key = known_place(words[:stop])
            if key is not None:
                while stop > 1 and known_place(words[:stop - 1]) == key:
                    stop -= 1  # "Aleppo", not "Aleppo Syria"
                return start, start + stop
        return start, start
    if end + 1 < limit and w.text[end] == "-" and lower[end + 1] in _PARTY_SUFFIX:
        return start, start  # "Daesh-held villages": a party, not a place
    return start, end


def _name_backward(doc: Doc, i: int, floor: int) -> tuple[int, int]:
    """The proper name ending just before token i."""
    w = _Words.of(doc)
    name, joiner = w.name, w.joiner
    end = start = i
    while start > floor and (name[start - 1] or (
            joiner[start - 1] and start - 2 >= floor and name[start - 2])):
        start -= 1
    return start, end


PlaceSpan = tuple[str, str, int, int]  # (name as written, key, start, end)


def _title_case(text: str) -> bool:
    words = re.findall(r"[A-Za-z]{3,}", text)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def place_spans(doc: Doc, start: int, end: int) -> list[PlaceSpan]:
    """The specific places named between character offsets, in text order: place entities,
    names after "in", "near", "the town of", names before "neighbourhood", "province" ...
    (Kept on the Doc: frames, clauses and the containment of places ask for the same
    stretches.)"""
    cache = doc.user_data.setdefault("parallax_place_spans", {})
    found = cache.get((start, end))
    if found is None:
        found = cache[(start, end)] = _place_spans(doc, start, end)
    return list(found)


def _place_spans(doc: Doc, start: int, end: int) -> list[PlaceSpan]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    index = EntityIndex.of(doc)
    found: dict[tuple[int, int], PlaceSpan] = {}
    lo, hi = span.start, span.end
    # In a headline in Title Case every word looks like a name: keep names short there.
    text = doc_text(doc)
    longest = 2 if _title_case(text[span.start_char:span.end_char]) else 6
    w = _Words.of(doc)

    def add(s: int, e: int) -> None:
        if e <= s or e - s > longest:
            return
        if not any(w.capital[s:e]):
            return  # "in mid-April": a name has a capital
        if all(w.common[s:e]):
            return  # words the text also writes small are common words
        if longest == 2 and not any(w.entity[s:e]):
            return  # "Dead in Fighting for Key Aleppo Road": in Title Case, only named places
        if longest == 2 and any(w.verb[s:e]):
            return
        first, last = w.idx[s], w.end[e - 1]
        name = text[first:last]
        key = place_key(name)
        if key:
            found.setdefault((first, last), (name, key, first, last))

    for ent in index.between(start, end):
        if ent.label_ in _PLACE_LABELS and fold(ent.text) not in aliases() and not (
                _speaker(ent)):
            # A capital that names its government ("its Damascus ally") is a place only after
            # "in", "near" ... (below). Trim sources, days and the like off the entity.
            s, e = ent.start, ent.start
            while e < ent.end and (w.name[e] or w.joiner[e]):
                e += 1
            add(s, e)
    for m in _CAPITAL_RE.finditer(text, start, end):
        if text[max(0, m.start() - 9):m.start()].lower().endswith("facto "):
            continue  # "the group's de facto Syrian capital" is Raqqa
        key = KNOWN + _CAPITALS[m.group(1).lower()]
        found.setdefault((m.start(), m.end()), (m.group(0), key, m.start(), m.end()))
    lower = w.lower
    for i in range(lo, hi):
        low = lower[i]
        if low in _STRONG_LOCATIVE:
            s, e = _name_forward(doc, i + 1, hi)
            named = index.at(s) if e > s else None
            if (named is not None and named.label_ in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART")
                    and low not in ("in", "near", "outside", "inside") and not (
                        e < hi and lower[e] in _PLACE_NOUNS)):
                continue  # "on a Facebook page", "at Reuters"
            add(s, e)
            # "on Aleppo and Deir Ezzor", "in Hrabesh, al-Qusor and Hweiqa"
            while e > s and e + 1 < hi and lower[e] in ("and", ",", "or"):
                s, e = _name_forward(doc, e + 1, hi)
                add(s, e)
        elif low in _PLACE_NOUNS and longest > 2:
            # (Not in a Title Case headline: "Schools & Public Market".)
            nxt = i + 1
            # "the Bustan al-Qasr neighbourhood", "the Bab al-Maqam neighbourhood of Aleppo"
            add(*_name_backward(doc, i, lo))
            if nxt < hi and lower[nxt] == "of":
                add(*_name_forward(doc, nxt + 1, hi))  # "the town of Jayrud"
    # One key per stretch of text: an entity and a name found by its preposition coincide.
    out: list[PlaceSpan] = []
    for ps in sorted(found.values(), key=lambda x: (x[2], -x[3])):
        if out and ps[2] < out[-1][3]:
            continue
        out.append(ps)
    return out


# Verbs of saying: whoever does them, or is told, is a person or a body, never a place.
_SPEECH_VERBS = frozenset({"say", "tell", "add", "state", "report", "announce", "claim",
                           "confirm", "explain", "stress", "warn", "deny", "quote", "write"})


def _speaker(ent: Span) -> bool:
    """The entity says or is told something ("... said Furati", "Wird Furati, head of the
    press office, told reporters"): a speaker the recogniser took for a place, as it often
    does with unfamiliar Arabic names."""
    root = ent.root
    for _ in range(2):  # a name on its title: "Furati head of ... told"
        if root.dep_ not in ("compound", "appos") or root.head.i == root.i:
            break
        root = root.head
    if root.dep_ in ("nsubj", "nsubjpass"):
        return root.head.lemma_ in _SPEECH_VERBS
    return root.dep_ in ("dobj", "dative") and root.head.lemma_ == "tell"


def places_in(doc: Doc, start: int, end: int,
              keep: Callable[[int], bool] | None = None) -> list[tuple[str, str]]:
    """(name as written, key) of the specific places named between character offsets (those
    whose start `keep` accepts, when given)."""
    seen: dict[str, str] = {}
    for text, key, s, _e in place_spans(doc, start, end):
        if keep is None or keep(s):
            seen.setdefault(key, text)
    return sorted(((t, k) for k, t in seen.items()), key=lambda x: x[1])


# "Bab al-Maqam neighbourhood of Aleppo", "Tokhar near Manbij", "Hass in Idlib province":
# what lies between two place names when the first is inside (or beside) the second.
_CONTAINED_IN = re.compile(
    r"^\W*(?:(?:neighbou?rhoods?|district|village|town|city|area|quarter|camp|suburb|"
    r"countryside|region|province)\s+)?(?:of|in|near|outside|,|north of|south of|east of|west of|"
    r"in the \w+ of|on the outskirts of|in the countryside of)\s+(?:the\s+)?(?:(?:\w+ern|"
    r"rebel-held|regime-held|government-held|opposition-held|\w+-held)\s+)?"
    r"(?:(?:city|town|province|countryside)\s+of\s+)?$",
    re.I,
)


# ---------------------------------------------------------------------------------------------
# Frames

_NEW_INCIDENT = re.compile(
    r"^\W*(?:meanwhile|separately|elsewhere|(?:a )?separate|in (?:a |an )?(?:separate|another|"
    r"other|related|"
    r"relevant)|in other|earlier|previously|on the other hand|also on|last (?:week|month|year))\b",
    re.I,
)


# "the first death since a suspected chemical attack on Tuesday": an earlier event.
_SINCE_EVENT = re.compile(r"\bsince (?:a|an|the|last\w*) [^.]{0,50}?(?:attack|strike|massacre|"
                          r"bombing|raid|shelling)\b", re.I)
_THAT = re.compile(r"\b(?:that|the same|this) (?:attack|strike|massacre|bombing|assault|"
                   r"incident|raid|shelling)\b", re.I)
# "died in the suspected attack": a definite attack, one the article has already told of (not
# "the latest attack", a new one).
_DEFINITE_ATTACK = re.compile(
    r"\bthe (?!(?:latest|new|newest|last|next|other|first|second|third|recent|fresh)\b)"
    r"(?:[\w-]+ ){0,2}?(?:attack|strike|air ?strike|raid|massacre|blast|explosion|bombing|"
    r"assault|shelling|bombardment)s?\b", re.I)
# "a monitor said on Sunday": the day of a statement, not of what it tells.
_STATEMENT_DAY = re.compile(r"\b(?:said|says|told [\w-]+(?: [A-Z][\w-]*)?|reported|announced|"
                            r"added|stated)\s*$", re.I)
# "At least 109 of the dead were evacuees", "... killed in the attack": a sentence that points
# back to the lead's attack or its dead, naming no other, still tells the lead story.
_BACK_TO_LEAD = re.compile(_DEFINITE_ATTACK.pattern + r"|\bthe (?:dead|victims)\b", re.I)
# "19 regime fighters were killed in the fighting": a definite fighting, one the article has
# already told of.
_THE_FIGHTING = re.compile(
    r"\bthe (?!(?:latest|new|newest|last|next|other|first|second|third|recent|fresh)\b)"
    r"(?:[\w-]+ )?(?:fighting|clashes|battles?|assault|offensive)\b", re.I)
_ANAPHORA = re.compile(
    r"\bthe (?:attack|attacks|strike|strikes|air ?strikes?|raid|raids|massacre|blast|explosion|"
    r"bombing|incident|assault|shelling|bombardment)\b", re.I)


@dataclass(frozen=True)
class Frame:
    """The incident a passage talks about."""

    places: frozenset[str] = frozenset()  # place keys
    place_names: tuple[str, ...] = ()  # as written, for labels
    events: frozenset[str] = frozenset()  # event categories
    event_noun: str | None = None
    when: When | None = None
    cumulative: bool = False
    period: str = ""  # what a total is over, as written ("since april", "the past two weeks")
    background: bool = False  # an earlier incident, or a total over a long time
    lead: bool = False  # the article's headline or lead story
    own_place: bool = False
    own_time: bool = False
    # Weekdays the passage names, for reports without a date of their own ("on Tuesday").
    weekdays: frozenset[int] = frozenset()
    # The day the passage gives an attack it names ("a sarin attack on Khan Sheikhun on the 4th
    # of April", "Tuesday's strike"), as against the day of a statement ("said on Wednesday");
    # in an article's frames, the day of the attack a passage points back to ("20 civilians
    # were killed in the attack", after "On Monday evening a convoy was targeted").
    attack_day: When | None = None
    # "The attack on the hospital comes two days after Russian jets hit an aid convoy": the
    # attack named after "after" came this many days before the one the passage tells.
    days_before: int = 0
    # Places the next sentence names for this one's unnamed neighbourhood or village ("... a
    # regime-held neighbourhood of Aleppo on Friday. Another 65 were injured in the attack on
    # Jameliaiah"), also in `places`.
    named_next: frozenset[str] = frozenset()
    # The passage gives its incident's day: its own, or the day its report gave the attack it
    # points back to ("In the attack 20 civilians were killed"). Derived (kept as a field, not
    # a property: it is read for every pair of figures).
    tells_day: bool = field(init=False, repr=False, compare=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tells_day", self.own_time or self.attack_day is not None)

    def label(self) -> str:
        """"in the air strikes on Tokhar (Mon 18 Jul)", as far as it is known."""
        parts = []
        if self.event_noun:
            parts.append(f"in the {self.event_noun}")
        if self.place_names:
            parts.append(f"in {self.place_names[0]}")
        text = " ".join(parts)
        if self.when is not None and self.when.days == 1 and not self.background:
            text += f" ({self.when.lo.strftime('%a')} {self.when.lo.day} "
            text += f"{self.when.lo.strftime('%b')})"
        elif self.background and self.when is not None:
            text += f" ({' '.join(self.when.text.split())})"
        return text.strip()


@dataclass(frozen=True)
class IncidentInfo:
    """What a label and the JSON say about the incident of a finding."""

    event: str | None  # "air strikes", "chemical attack"
    place: str | None  # as written: "Khan Sheikhoun"
    day: dt.date | None  # when every report puts it on one day
    total: bool = False  # a total over time ("since 2011", the war's toll)

    def phrase(self) -> str:
        """"in the chemical attack in Khan Sheikhoun (Tue 4 Apr)"; "" when nothing is known."""
        parts = []
        if self.total:
            return "in the war"  # a war's toll: no one attack's place or day
        if self.event:
            parts.append(f"in the {self.event}")
        if self.place:
            parts.append(f"in {self.place}")
        text = " ".join(p for p in parts if p)
        if self.day is not None and not self.total:
            text += f" ({self.day.strftime('%a')} {self.day.day} {self.day.strftime('%b')})"
        return text.strip()

    def to_dict(self) -> dict[str, object]:
        return {"event": self.event, "place": self.place,
                "day": self.day.isoformat() if self.day else None, "total": self.total}


def _display_place(name: str) -> str:
    words = name.split()
    while words and (words[0].lower() in ("the", "a") or words[0].lower().rstrip("s") in _BROAD
                     or words[0].lower() in _BROAD):
        words = words[1:]
    while words and (words[-1].lower() in _BROAD or words[-1].lower().rstrip("s") in _BROAD):
        words = words[:-1]
    return " ".join(words) or name


@dataclass
class Incidents:
    """Frames of every passage of one comparison, the articles' days, which places lie in
    which (learned from the texts: "the Bab al-Maqam neighbourhood of Aleppo"), and the story's
    setting: places that half the articles or more name, which therefore tell no two incidents
    of the story apart."""

    frames: dict[PassageRef, Frame] = field(default_factory=dict)
    days: list[dt.date | None] = field(default_factory=list)
    parents: dict[str, set[str]] = field(default_factory=dict)
    setting: set[str] = field(default_factory=set)
    last_rule: str = ""
    # Memos of expand() and of frames with a clause's own places: pairing asks for the same
    # ones thousands of times. (`parents` is complete before the first expand().)
    _expanded: dict[frozenset[str], frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False)
    _placed: dict[tuple[PassageRef, frozenset[str]], Frame] = field(
        default_factory=dict, repr=False, compare=False)

    def frame(self, ref: PassageRef) -> Frame:
        return self.frames.get(ref, Frame())

    def _frame_with_places(self, ref: PassageRef, places: frozenset[str]) -> Frame:
        """The passage's frame with the places of a figure's own clause."""
        key = (ref, places)
        found = self._placed.get(key)
        if found is None:
            frame = self.frame(ref)
            found = self._placed[key] = replace(frame, places=places | frame.named_next,
                                                own_place=True)
        return found

    def expand(self, places: Iterable[str]) -> frozenset[str]:
        """Places plus the places they lie in: learned from the texts, and the gazetteer's."""
        key = places if isinstance(places, frozenset) else frozenset(places)
        found = self._expanded.get(key)
        if found is None:
            found = self._expanded[key] = self._expand(key)
        return found

    def _expand(self, places: frozenset[str]) -> frozenset[str]:
        out = set(places)
        known_parents = gazetteer()[1]
        for _ in range(3):
            for p in list(out):
                out |= self.parents.get(p, set())
                if p.startswith(KNOWN) and p[1:] in known_parents:
                    out.add(KNOWN + known_parents[p[1:]])
        return frozenset(out)

    def in_setting(self, key: str) -> bool:
        return any(same_place(key, s) for s in self.setting)

    def _other_scope(self, fa: Frame, fb: Frame) -> bool:
        """Where both sentences name the village or neighbourhood, it must be one: two villages
        are two incidents. (A report that says "a village near Aleppo" and one that names the
        village may well count the same dead.)"""
        sa = {x for x in fa.places if not x.startswith(KNOWN)}
        sb = {x for x in fb.places if not x.startswith(KNOWN)}
        if sa and sb:
            # The city both lie in makes no two neighbourhoods one.
            ea = {x for x in self.expand(sa) if not x.startswith(KNOWN)}
            eb = {x for x in self.expand(sb) if not x.startswith(KNOWN)}
            return not any(same_place(x, y) for x in ea for y in eb)
        return False

    @staticmethod
    def _roots(known: Iterable[str]) -> frozenset[str]:
        """The outermost of some gazetteer places (Manbij and Aleppo: Aleppo)."""
        parents = gazetteer()[1]
        out = set()
        for k in known:
            key = k[1:]
            while key in parents:
                key = parents[key]
            out.add(key)
        return frozenset(out)

    def describe(self, refs: Sequence[PassageRef], total: bool = False) -> IncidentInfo:
        """The incident several passages share, as far as they agree on it: the most common
        kind of event, the most specific place most of them name, and the day if all give one."""
        frames = [self.frame(r) for r in refs]
        nouns: dict[str, int] = {}
        for f in frames:
            if f.event_noun and f.event_noun != "attack":
                nouns[f.event_noun] = nouns.get(f.event_noun, 0) + 1
        event = min(nouns, key=lambda n: (-nouns[n], n)) if nouns else (
            "attack" if any(f.event_noun for f in frames) else None)
        counts: dict[str, int] = {}
        written: dict[str, dict[str, int]] = {}
        for f in frames:
            for key, name in zip(sorted(f.places), f.place_names, strict=False):
                counts[key] = counts.get(key, 0) + 1
                shown = _display_place(name)
                written.setdefault(key, {})[shown] = written.setdefault(key, {}).get(shown, 0) + 1
        # Spellings of one place count together ("Urum al-Kubra", "Urum Alkobra").
        counts = {k: sum(n for j, n in counts.items() if same_place(k, j)) for k in counts}

        def rank(k: str) -> tuple[int, int, str]:
            # Villages and neighbourhoods before cities, the story's setting last.
            specific = 0 if not k.startswith(KNOWN) and not self.in_setting(k) else (
                1 if not self.in_setting(k) else 2)
            return (-counts[k] if counts[k] * 2 >= len(frames) else 0, specific, k)

        place = None
        if counts:
            best = min(counts, key=rank)
            if counts[best] * 2 >= len(frames) or len(counts) == 1:
                names = written[best]
                place = min(names, key=lambda n: (-names[n], n))
        days = {f.when.lo for f in frames if f.when is not None and f.when.days == 1
                and f.tells_day}
        all_timed = all(f.when is not None and f.when.days == 1 for f in frames)
        day = next(iter(days)) if len(days) == 1 and all_timed else None
        return IncidentInfo(event=event, place=place, day=day,
                            total=total or all(f.cumulative for f in frames))

    def two_sites(self, a: PassageRef, b: PassageRef) -> bool:
        """One article giving two tolls for two named places (neighbourhoods, villages) of one
        city reports two incidents: "18 killed in al-Bureij ... 26 also killed in al-Maghayer"."""
        fa, fb = self.frame(a), self.frame(b)
        if not (fa.own_place and fb.own_place):
            return False
        sa = {x for x in fa.places if not x.startswith(KNOWN)}
        sb = {x for x in fb.places if not x.startswith(KNOWN)}
        if not sa or not sb:
            return False
        ea, eb = self.expand(sa), self.expand(sb)
        return not any(same_place(x, y) for x in ea for y in eb)

    def day_clash(self, a: PassageRef, b: PassageRef) -> bool:
        """Two different days named (for figures that are not tolls: a total over the years
        means nothing for troops sent or a summit)."""
        fa, fb = self.frame(a), self.frame(b)
        return (fa.own_time and fb.own_time and fa.when is not None and fb.when is not None
                and fa.when.days <= 2 and fb.when.days <= 2 and fa.when.clashes(fb.when))

    def war_wide(self, ref: PassageRef) -> bool:
        """The passage gives a total over the war ("since 2014", "the seven-year conflict")."""
        f = self.frame(ref)
        return f.cumulative and bool(_WAR_WIDE.search(f.period))

    def when_clash(self, a: PassageRef, b: PassageRef) -> bool:
        """Different times, or a total over time against one day's figure."""
        fa, fb = self.frame(a), self.frame(b)
        if fa.background != fb.background or fa.cumulative != fb.cumulative:
            return True
        return (fa.when is not None and fb.when is not None and fa.when.clashes(fb.when)
                and not fa.cumulative)

    def relation(self, a: PassageRef, b: PassageRef, linked: bool,
                 events_a: frozenset[str] | None = None,
                 events_b: frozenset[str] | None = None,
                 actors_a: frozenset[str] = frozenset(),
                 actors_b: frozenset[str] = frozenset(),
                 places_a: frozenset[str] = frozenset(),
                 places_b: frozenset[str] = frozenset()) -> tuple[bool, bool]:
        """(clash, evidence) for two passages of different articles. `events_a`/`events_b`
        override the passages' event categories with those of a figure's own clause; the
        actors are the sides that clause names as attacking, `places_a`/`places_b` the places
        it names (over the passage's)."""
        fa = self._frame_with_places(a, places_a) if places_a else self.frame(a)
        fb = self._frame_with_places(b, places_b) if places_b else self.frame(b)
        ea = events_a or fa.events
        eb = events_b or fb.events
        if fa.background != fb.background or fa.cumulative != fb.cumulative:
            return True, False
        if fa.cumulative and _other_period(fa.period, fb.period):
            return True, False  # "in the past two weeks" / "since April": two totals
        if (fa.weekdays and fb.weekdays and not fa.weekdays & fb.weekdays
                and (fa.when is None or fb.when is None)):
            return True, False  # undated reports: Saturday's strike is not Tuesday's attack
        # Totals over a war are compared whatever day each report names ("since 2014", "the
        # seven-year conflict"), unless both say since when and they differ ("in the past two
        # weeks" / "since April").
        if fa.when is not None and fb.when is not None and fa.when.clashes(fb.when) and (
                not fa.cumulative or (fa.own_time and fb.own_time)) and not (
                self._next_day_toll(fa, fb, ea, eb)):
            return True, False
        # Regime jets and rebel rockets: two attacks. (In clashes both sides fight, and either
        # may be named.)
        fighting = "ground" in (events_a or ()) or "ground" in (events_b or ())
        if actors_a and actors_b and not actors_a & actors_b and not fighting:
            return True, False
        if events_a and events_b and not events_meet(events_a, events_b):
            return True, False  # a barrel bomb and a rocket attack, however alike the sentences
        if places_a or places_b:
            # A figure's own clause names its city: Aleppo's toll is not Idlib's, however alike
            # the sentences ("... a day after air strikes in Idlib left 22 children dead").
            own_a = places_a or (fa.places if fa.own_place else frozenset())
            own_b = places_b or (fb.places if fb.own_place else frozenset())
            ka = {x for x in self.expand(own_a) if x.startswith(KNOWN)}
            kb = {x for x in self.expand(own_b) if x.startswith(KNOWN)}
            if ka and kb and self._roots(ka) != self._roots(kb):
                return True, False
        if linked:
            return self._why(False, True, "linked")
        pa, pb = self.expand(fa.places), self.expand(fb.places)
        known_a = {x for x in pa if x.startswith(KNOWN)}
        known_b = {x for x in pb if x.startswith(KNOWN)}
        # Two cities or provinces that are not one inside the other: two incidents. Villages and
        # neighbourhoods may lie in anything the texts do not place them outside of. A figure for
        # "Aleppo and Homs" together is not one for Aleppo.
        if known_a and known_b and (not (known_a & known_b)
                                    or self._roots(known_a) != self._roots(known_b)):
            return True, False
        shared = {x for x in pa for y in pb if same_place(x, y)}
        specific = {x for x in shared if not self.in_setting(x)}
        if fa.own_place and fb.own_place and self._other_scope(fa, fb):
            return True, False
        meet = events_meet(ea, eb)
        if ea and eb and not meet and not specific:
            return True, False
        if specific:
            return self._why(False, True, "specific")
        # The same city and kind of attack is evidence only for the stories the two reports
        # lead with: a city has several attacks a day, and reports recall others.
        either_lead = fa.lead or fb.lead
        same_day = (fa.tells_day and fb.tells_day
                    and fa.when is not None and fb.when is not None
                    and fa.when.days <= 2 and fb.when.days <= 2)
        same_side = bool(actors_a and actors_b and actors_a & actors_b)
        if meet and shared and (either_lead or same_day or same_side):
            return self._why(False, True, "setting+events")
        if meet and not (known_a and known_b) and fa.lead and fb.lead:
            return self._why(False, True, "events")
        # Both are their article's lead story, of the same kind, on the same days.
        lead = (fa.lead and fb.lead and not fa.background and (meet or not (ea or eb))
                and not (pa and pb and not shared))
        return self._why(False, lead, "lead")

    def _next_day_toll(self, fa: Frame, fb: Frame, ea: frozenset[str], eb: frozenset[str]
                       ) -> bool:
        """The same village and kind of attack a day apart, where one sentence only carries its
        report's day ("At least 72 people died in Khan Sheikhoun", in Wednesday's report of
        Tuesday's attack): the count of one attack, still growing, not a second attack."""
        if fa.when is None or fb.when is None or (fa.tells_day and fb.tells_day):
            return False
        if fa.when.days > 2 or fb.when.days > 2 or not (ea and eb and events_meet(ea, eb)):
            return False
        gap = max(fa.when.lo, fb.when.lo) - min(fa.when.hi, fb.when.hi)
        if gap > dt.timedelta(days=1):
            return False
        # One names the village, the other it or what it lies in ("Idlib province").
        if not any(not x.startswith(KNOWN) for x in fa.places | fb.places):
            return False
        pa, pb = self.expand(fa.places), self.expand(fb.places)
        return any(same_place(x, y) for x in pa for y in pb)

    def _why(self, clash: bool, evidence: bool, rule: str) -> tuple[bool, bool]:
        self.last_rule = rule
        return clash, evidence


def _own_frame(doc: Doc, p: Passage, ref_day: dt.date | None) -> tuple[Frame, bool]:
    """The frame a passage states itself, and whether it opens a new incident."""
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None:
        return Frame(), False
    places = _sentence_places(doc, p)
    events, noun = _event_words(_Words.of(doc).text[span.start:span.end])
    whens: list[When] = []
    attack_day: When | None = None
    for ent in EntityIndex.of(doc).between(p.start, p.end):
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if ent.start_char < p.start + 60 and p.index == 0 and ref_day is not None:
            # The dateline at the top of the article is the article's own day.
            resolved = resolve_time(ent.text, ref_day)
            if resolved is not None and resolved.lo <= ref_day <= resolved.hi:
                continue
        resolved = resolve_time(ent.text, ref_day)
        if resolved is not None:
            whens.append(resolved)
            if resolved.days <= 2 and _dates_an_attack(ent):
                attack_day = resolved
    days_before = 0 if attack_day is not None else _days_before(doc, p)
    # Weekdays the small model misses in headlines ("on Tuesday").
    if not whens:
        # "on Tuesday", "Tuesdays attack" (an apostrophe lost), "western Aleppo Saturday the".
        for m in re.finditer(r"\b(?:(?:on|last|since) )?(" + "|".join(
                d.capitalize() for d in WEEKDAYS) + r")(?:['’]?s)?\b", p.text):
            if m.start() < 30 and p.index == 0:
                continue  # the dateline
            resolved = resolve_time(m.group(0).replace("’", "'").split("'")[0].rstrip("s")
                                    if m.group(0).endswith("s") and not m.group(0).endswith(
                                        "days") else m.group(0), ref_day)
            if resolved is not None:
                whens.append(resolved)
    # The war's period over "in recent weeks" when a passage gives both ("fighting has
    # increased in recent weeks ... a seven-year conflict that killed 14,000").
    periods = [m for m in _CUMULATIVE.finditer(p.text)
               if not _WATCHED.search(p.text, max(0, m.start() - 40), m.start())]
    found = next((m for m in periods if _WAR_PERIOD.search(m.group(0))),
                 periods[0] if periods else None)
    cumulative = found is not None
    period = " ".join(found.group(0).lower().split()) if found else ""
    when = _narrowest(whens)
    # Background: a total over time, or an earlier event known only by its month or year ("in
    # 2013", "last month"). An earlier event with its day ("on Tuesday") is compared by its day.
    background = cumulative or bool(_SINCE_EVENT.search(p.text)) or (
        when is not None and ref_day is not None and when.days > 7
        and when.hi < ref_day - dt.timedelta(days=7)
    )
    weekdays = frozenset(WEEKDAYS.index(m.group(1).lower()) for m in re.finditer(
        r"\b(?:on |last |late |early )(" + "|".join(d.capitalize() for d in WEEKDAYS) + r")\b",
        p.text) if not _STATEMENT_DAY.search(p.text, max(0, m.start() - 30), m.start()))
    frame = Frame(
        places=frozenset(k for _, k in places),
        place_names=tuple(t for t, _ in places),
        events=events,
        event_noun=noun,
        when=when,
        cumulative=cumulative,
        period=period,
        background=background,
        own_place=bool(places),
        own_time=when is not None,
        weekdays=weekdays,
        attack_day=attack_day,
        days_before=days_before,
    )
    # "Meanwhile the Coalition said the attack killed ...": another voice, the same attack.
    new = opens_new_incident(p.text)
    return frame, new


def _sentence_places(doc: Doc, p: Passage) -> list[tuple[str, str]]:
    """(name as written, key) of the places a passage names, without those of another event
    it brings in as a purpose or cause ("the launch pad for a chemical attack on an Idlib
    village", "a response to the chemical weapon use in Idlib"): that happened elsewhere."""
    toks = tokens(doc)
    return places_in(doc, p.start, p.end, keep=lambda start: (
        (i := token_at(doc, start)) is None or not _of_another_attack(toks[i])))


# "a response to the chemical weapon use in Idlib", "in retaliation for the attack on Manbij":
# what these answer is another event. "The launch pad for a chemical attack on an Idlib
# village": the place attacks are launched from is not the place they hit.
_ANSWER_TO = {"to": frozenset({"response", "reply", "retaliation", "reaction"}),
              "for": frozenset({"retaliation", "revenge", "reprisal", "punishment"})}
_LAUNCH_PLACES = frozenset({"pad", "launchpad", "base", "airbase", "airfield", "springboard"})


def _of_another_attack(tok: Token) -> bool:
    """The word lies in what something answers ("a response to the chemical weapon use in
    Idlib") or in an attack something was the launch pad for: another event than the one the
    sentence tells, somewhere else."""
    for _ in range(6):
        head = tok.head
        if head.i == tok.i:
            return False
        if tok.dep_ == "pobj" and head.lower_ in _ANSWER_TO:
            if head.head.lemma_ in _ANSWER_TO[head.lower_]:
                return True
            if (head.lower_ == "for" and tok.lower_ in _EVENT_NOUN_RANK
                    and head.head.lemma_ in _LAUNCH_PLACES):
                return True
        tok = head
    return False


_PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night", "dawn", "dusk"})
# Verbs that tell an attack: "a convoy was targeted by air strikes on Monday evening".
_ATTACK_VERBS = frozenset({"target", "hit", "strike", "bomb", "shell", "attack", "bombard",
                           "pound", "raid"})


def _dates_an_attack(ent: Span) -> bool:
    """Whether a date belongs to an attack the sentence names: "an attack on Khan Sheikhun on
    the 4th of April", "Tuesday's strike", "On Monday evening a convoy was targeted by air
    strikes" (the date hangs on the attack, or on the verb that tells it, by a preposition or
    as its possessor), not "tests concluded on Tuesday"."""
    head = ent.root.head
    if head.lower_ in _PARTS_OF_DAY and head.i != ent.root.i:
        head = head.head  # "on Monday evening"
    if head.pos_ == "ADP":
        head = head.head
    if head.i == ent.root.i:
        return False
    return ((head.pos_ == "NOUN" and head.lower_ in _EVENT_NOUN_RANK)
            or (head.pos_ == "VERB" and head.lemma_ in _ATTACK_VERBS))


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7}
_DAYS_AFTER = re.compile(r"\b(an?|one|two|three|four|five|six|seven|[1-7]) (days?|weeks?) "
                         r"after\b", re.I)


def _days_before(doc: Doc, p: Passage) -> int:
    """How many days before the passage's own incident came the attack it names after "N days
    after" ("The attack on the hospital comes two days after Russian jets hit an aid convoy":
    2), when what follows "after" is an attack without a date of its own; else 0."""
    m = _DAYS_AFTER.search(p.text)
    if m is None:
        return 0
    rest = p.start + m.end()
    if any(ent.label_ in ("DATE", "TIME") and ent.start_char >= rest
           for ent in EntityIndex.of(doc).between(rest, p.end)):
        return 0  # "a day after ... an airstrike on Monday": that attack has its day
    events, _noun = _event_words(re.findall(r"[\w-]+", p.text[m.end():]))
    if not events:
        return 0  # "a day after all aid convoys were suspended": no attack
    word = m.group(1).lower()
    n = _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)
    return n * (7 if m.group(2).lower().startswith("week") else 1)


def _attack_day(own: Frame, text: str, dated: Frame | None) -> When | None:
    """The day of the attack a sentence without a time of its own refers back to ("At least
    87 people died in the suspected attack", after "a sarin attack ... on the 4th of April"):
    the last attack of its kind the article dated. (A report's lead is often the day of a
    statement about an earlier attack; its toll is the attack's, on the attack's day.)"""
    if dated is None or dated.attack_day is None or own.when is not None or own.cumulative:
        return None
    if own.events and not events_meet(own.events, dated.events):
        return None
    return dated.attack_day if _DEFINITE_ATTACK.search(text) else None


def _narrowest(whens: Sequence[When]) -> When | None:
    """The passage's time: its most precise date; days named together ("on Saturday and
    Sunday", "late Saturday ... early Sunday") make one span."""
    if not whens:
        return None
    days = [w for w in whens if w.days <= 2]
    if len(days) > 1:
        lo, hi = min(w.lo for w in days), max(w.hi for w in days)
        if (hi - lo).days <= 3:
            return When(lo, hi, " ".join(w.text for w in days))
    return min(whens, key=lambda w: (w.days, w.lo))


def _inherit(own: Frame, prev: Frame, ref_day: dt.date | None, lead: bool,
             story_time: When | None = None, story_days: frozenset[int] = frozenset()
             ) -> Frame:
    """Fill what a passage leaves unsaid from the incident it continues; a passage without a
    time of its own is on the day of the article's lead story (`story_time`), if it says one."""
    places, names = own.places, own.place_names
    events, noun = own.events, own.event_noun
    when = own.when
    background = own.background
    if not own.own_place and not own.background:
        places, names = prev.places, prev.place_names
    if not events and not own.background:
        events, noun = prev.events, prev.event_noun or noun
    elif noun is None:
        noun = prev.event_noun
    # Times are not carried over from the sentence before: one that gives none is about the
    # lead story's day, or the article's days (a digression to "Tuesday's attack" must not move
    # the next sentence's figures to Tuesday).
    if when is None and story_time is not None and not own.cumulative:
        when = story_time
    if when is None and ref_day is not None and not own.cumulative:
        when = When(ref_day - dt.timedelta(days=RECENT_DAYS - 1), ref_day, "")
    weekdays = own.weekdays or (story_days if not own.cumulative else frozenset())
    return Frame(places=places, place_names=names, events=events, event_noun=noun, when=when,
                 cumulative=own.cumulative, period=own.period, background=background, lead=lead,
                 own_place=own.own_place, own_time=own.own_time, weekdays=weekdays)


# A headline and the sentences of the lead story: the first content passages up to and
# including the first that names a place.
LEAD_PASSAGES = 3


def _figures(doc: Doc, p: Passage) -> frozenset[str]:
    """The figures a passage gives, as written ("six", "45"), dates and years aside."""
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None:
        return frozenset()
    return frozenset(t.lower_ for t in span if t.like_num and t.ent_type_ not in (
        "DATE", "TIME", "ORDINAL") and not (len(t.text) == 4 and t.text.isdigit()))


def _continues(own: Frame, new: bool, lead: Frame | None, story_time: When | None) -> bool:
    """Whether a passage after the lead still tells the lead story."""
    if lead is None or new or own.background or own.cumulative:
        return False
    if own.own_place and not all(any(same_place(x, y) for y in lead.places)
                                 for x in own.places):
        return False
    if own.events and lead.events and not events_meet(own.events, lead.events):
        return False
    return not (own.own_time and own.when is not None and story_time is not None
                and own.when.clashes(story_time))


def _story_events(owned: Sequence[tuple[Passage, Frame, bool]], lead: Frame | None
                  ) -> frozenset[str]:
    """The kind of event the article's story is: its lead's, else the first kind its opening
    paragraphs name ("Rebels fight back in Aleppo ... The offensive came at dawn": fighting)."""
    if lead is not None and lead.events:
        return lead.events
    return next((own.events for _p, own, new in owned[:LEAD_PASSAGES + 3]
                 if own.events and not own.background and not new), frozenset())


def _fighting_elsewhere(own: Frame, new: bool, lead: Frame) -> bool:
    """A passage that tells of fighting other than the lead story's: in a place of its own none
    of whose names is the lead's, or opened as another incident ("Elsewhere, clashes ...")."""
    if "ground" not in own.events or own.background:
        return False
    return new or (own.own_place and not any(same_place(x, y) for x in own.places
                                             for y in lead.places))


def _back_to_fighting(own: Frame, new: bool, text: str, story: frozenset[str]) -> bool:
    """A sentence that points back to "the fighting" ("19 regime fighters were killed in the
    fighting"), naming no place, time or other kind of attack, in an article whose story is
    fighting and which has told of no other fighting since: the lead's fighting."""
    return ("ground" in story and not new and not own.own_place and not own.own_time
            and not own.background and not own.cumulative and own.events <= {"ground"}
            and bool(_THE_FIGHTING.search(text)))


def article_frames(doc: Doc, passages: Sequence[Passage], ref_day: dt.date | None
                   ) -> dict[PassageRef, Frame]:
    owned: list[tuple[Passage, Frame, bool]] = []
    for p in passages:
        if p.boilerplate:
            continue
        own, new = _own_frame(doc, p, ref_day)
        owned.append((p, own, new))
    out: dict[PassageRef, Frame] = {}
    # The lead: leading passages before the first one that names a place take the place, event
    # and time of the lead story (a headline rarely names the village).
    lead_end = 0
    for k, (_p, own, _new) in enumerate(owned[:LEAD_PASSAGES]):
        lead_end = k + 1
        if own.own_place:
            break
    lead_source = next((own for _p, own, _n in owned[:lead_end] if own.own_place), None)
    if lead_source is None:
        # No place in the lead: the first place of the opening paragraphs, else the place the
        # article names most often, is its story's.
        opening = next((own for _p, own, _n in owned[:LEAD_PASSAGES + 3]
                        if own.own_place and not own.background), None)
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        for _p, own, _n in owned:
            if own.background:
                continue  # "in Aleppo last year" is not where today's story is
            for key, name in zip(sorted(own.places), own.place_names, strict=False):
                counts[key] = counts.get(key, 0) + 1
                names.setdefault(key, name)
        ranked = sorted(counts, key=lambda k: (-counts[k], k))
        # Only a place named more often than any other is the story's.
        best = ranked[0] if ranked and (len(ranked) == 1 or counts[ranked[0]] > counts[
            ranked[1]]) else None
        if opening is not None:
            lead_source = Frame(places=opening.places, place_names=opening.place_names)
        elif best is not None:
            lead_source = Frame(places=frozenset({best}), place_names=(names[best],))
    story_time = next((own.when for _p, own, _n in owned[:lead_end]
                       if own.when is not None and not own.background and own.when.days == 1),
                      None)
    story_days = next((own.weekdays for _p, own, _n in owned[:lead_end + 1]
                       if own.weekdays and not own.background), frozenset())
    prev = Frame()
    last: Frame | None = None  # the previous passage's frame, background or not
    dated: Frame | None = None  # the last passage that gave an attack its day
    going_on = lead_source is not None
    lead_figures = {f for p, _own, _new in owned[:lead_end] for f in _figures(doc, p)}
    story = _story_events(owned, lead_source)
    other_fighting = False  # fighting elsewhere told since the lead
    for k, (p, own, new) in enumerate(owned):
        is_lead = k < lead_end
        back_to_fighting = False
        if not is_lead and lead_source is not None:
            back_to_fighting = not other_fighting and _back_to_fighting(own, new, p.text, story)
            other_fighting = other_fighting or _fighting_elsewhere(own, new, lead_source)
        if back_to_fighting:
            # "It also said that 19 regime fighters were killed in the fighting", after a turn to
            # the day's air raids: the fighting is the story's, wherever the lead has gone.
            is_lead = True
        elif not is_lead and going_on:
            # The lead story goes on while the sentences after it name no other place, no other
            # kind of event and no other time; a sentence that gives one of the lead's figures
            # again tells it: "Six killed in Aleppo blast. ... Syrian state TV said the device
            # went off in Aleppo killing six and wounding 30."; so does one that points back to
            # its attack or its dead ("At least 109 of the dead were evacuees").
            going_on = _continues(own, new, lead_source, story_time)
            is_lead = going_on and (bool(lead_figures & _figures(doc, p))
                                    or bool(_BACK_TO_LEAD.search(p.text)))
        if last is not None and last.background and not own.own_time and _THAT.search(p.text):
            # "... Eastern Ghouta in 2013. The US estimates that attack killed 1,429": the
            # earlier attack goes on.
            frame = replace(last, lead=False, own_place=own.own_place, own_time=False)
            out[p.ref] = frame
            last = frame
            continue
        base = prev if not new else Frame()
        if is_lead and lead_source is not None and not own.own_place and not own.background:
            # The lead's place may come from further down ("86 dead in suspected chemical
            # attack. There were also 20 women among the dead ... in the town of Khan
            # Sheikhun"); its kind of attack is still the headline's, told just before.
            base = Frame(places=lead_source.places, place_names=lead_source.place_names,
                         events=own.events or lead_source.events or prev.events,
                         event_noun=own.event_noun or lead_source.event_noun or prev.event_noun,
                         when=own.when or lead_source.when)
        back_day = _attack_day(own, p.text, dated)
        time = back_day or (None if new else story_time)
        frame = _inherit(own, base, ref_day, is_lead, time, frozenset() if new else story_days)
        if back_day is not None:
            # "In the attack ... 20 civilians were killed": the day is the attack's, as told.
            frame = replace(frame, attack_day=back_day)
        out[p.ref] = frame
        last = frame
        if own.attack_day is not None and not own.background:
            dated = replace(frame, attack_day=own.attack_day)
        elif own.days_before and not own.background and not new:
            # "The attack on the hospital comes two days after Russian jets hit an aid convoy":
            # the convoy's day is two before the hospital's (the passage's own day, else the
            # story's).
            anchor = own.when if own.own_time else story_time
            if anchor is not None and anchor.days == 1:
                day = anchor.lo - dt.timedelta(days=own.days_before)
                dated = replace(frame, attack_day=When(day, day, ""))
        if not own.background:
            prev = frame
    _name_unnamed_sites(doc, owned, out)
    return out


# "a regime-held neighbourhood of Aleppo", "a village near Idlib": a site the sentence does not
# name.
_UNNAMED_SITE = re.compile(r"\b(?:a|an|one)\s+(?:[\w-]+\s+){0,2}(?:neighbou?rhoods?|district|"
                           r"village|suburb|quarter)\b", re.I)


def _name_unnamed_sites(doc: Doc, owned: Sequence[tuple[Passage, Frame, bool]],
                        out: dict[PassageRef, Frame]) -> None:
    """A toll's sentence that names only its city, and speaks of an unnamed neighbourhood or
    village, takes the site the next sentence of its paragraph names for the same attack:
    "Eleven people were killed in rebel shelling of a regime-held neighbourhood of Aleppo on
    Friday. Another 65 people were injured in the attack on Jameliaiah in West Aleppo"."""
    for (p, own, _new), (q, nxt, new) in itertools.pairwise(owned):
        if new or nxt.background or not nxt.own_place or "\n\n" in doc_text(doc)[p.end:q.start]:
            continue
        if any(not k.startswith(KNOWN) for k in own.places):
            continue  # it names its own site
        sites = frozenset(k for k in nxt.places if not k.startswith(KNOWN))
        if not sites or not _UNNAMED_SITE.search(p.text) or not _ANAPHORA.search(q.text):
            continue
        frame = out.get(p.ref)
        if frame is not None:
            out[p.ref] = replace(frame, places=frame.places | sites, named_next=sites,
                                 own_place=True)


@dataclass(frozen=True)
class ArticlePart:
    """What one article says of its incidents, read without the others (so an open comparison
    keeps it for the articles it already had)."""

    day: dt.date | None
    frames: dict[PassageRef, Frame]
    inside: tuple[tuple[str, str], ...]  # (place, the place it lies in), as the text says

    def moved(self, ai: int) -> ArticlePart:
        """The same, for the article now at index `ai` of the comparison."""
        return ArticlePart(self.day, {(ai, pi): f for (_a, pi), f in self.frames.items()},
                           self.inside)


def article_part(analysis: Analysis, ai: int) -> ArticlePart:
    article, doc = analysis.articles[ai], analysis.docs[ai]
    day = reference_date(article)
    inside: list[tuple[str, str]] = []
    for p in analysis.passages[ai]:
        if p.boilerplate:
            continue
        spans = place_spans(doc, p.start, p.end)
        for x, y in itertools.pairwise(spans):
            if _CONTAINED_IN.match(article.text[x[3]:y[2]]) and x[1] != y[1]:
                inside.append((x[1], y[1]))
    return ArticlePart(day, article_frames(doc, analysis.passages[ai], day), tuple(inside))


def incidents(analysis: Analysis) -> Incidents:
    """Frames for every passage of the comparison (cached on the analysis)."""
    cached = analysis.cache.get("incidents")
    if isinstance(cached, Incidents):
        return cached
    result = Incidents()
    named_by: dict[str, set[int]] = {}
    parts = analysis.cache.get("incident_parts")
    if not isinstance(parts, list) or len(parts) != len(analysis.articles):
        parts = [article_part(analysis, ai) for ai in range(len(analysis.articles))]
    for part in parts:
        result.days.append(part.day)
        result.frames.update(part.frames)
        for inner, outer in part.inside:
            result.parents.setdefault(inner, set()).add(outer)
    for ai, _article in enumerate(analysis.articles):
        keys: set[str] = set()
        for p in analysis.passages[ai]:
            keys |= result.frame(p.ref).places
        for k in result.expand(keys):
            named_by.setdefault(k, set()).add(ai)
    n = len(analysis.articles)
    result.setting = {k for k, arts in named_by.items() if len(arts) >= max(2, (n + 1) // 2)}
    analysis.cache["incidents"] = result
    return result


def same_incident(analysis: Analysis, a: PassageRef, b: PassageRef,
                  events_a: frozenset[str] | None = None,
                  events_b: frozenset[str] | None = None,
                  actors_a: frozenset[str] = frozenset(),
                  actors_b: frozenset[str] = frozenset(),
                  places_a: frozenset[str] = frozenset(),
                  places_b: frozenset[str] = frozenset()) -> bool:
    """Do passages a and b (in different articles) talk about one incident?"""
    clash, evidence = incidents(analysis).relation(a, b, analysis.link_score(a, b) > 0,
                                                   events_a, events_b, actors_a, actors_b,
                                                   places_a, places_b)
    return evidence and not clash


def clash(analysis: Analysis, a: PassageRef, b: PassageRef,
          events_a: frozenset[str] | None = None,
          events_b: frozenset[str] | None = None,
          actors_a: frozenset[str] = frozenset(),
          actors_b: frozenset[str] = frozenset(),
          places_a: frozenset[str] = frozenset(),
          places_b: frozenset[str] = frozenset()) -> bool:
    """Do passages a and b certainly talk about different incidents?"""
    return incidents(analysis).relation(a, b, analysis.link_score(a, b) > 0,
                                        events_a, events_b, actors_a, actors_b,
                                        places_a, places_b)[0]


def opens_new_incident(text: str) -> bool:
    """"Separate air strikes killed ...", "Meanwhile, ...", "In another attack ..."."""
    return bool(_NEW_INCIDENT.search(text)) and not _ANAPHORA.search(text)


def clause_events(tokens: Iterable[str]) -> frozenset[str]:
    """Event categories named by some words (a figure's own clause)."""
    return _event_words(tokens)[0]


# Who carried an attack out, by side. Outlets name one side differently ("rebels", "terrorists",
# "militants"); sides that fight together are one side here (Russian and Syrian jets, often
# told apart by nobody).
_ACTOR_TEXT = {
    "government": "regime assad assads government pro-government pro-regime loyalist loyalists "
                  "russian russians russia hezbollah barrel army",
    "coalition": "coalition us-led u.s.-led american americans pentagon",
    "is": "isis isil daesh daish is jihadist jihadists",
    "rebels": "rebel rebels opposition insurgent insurgents nusra fateh jaysh fsa takfiri",
    "sdf": "sdf kurdish kurds ypg",
    "turkey": "turkish turkey",
}
_ACTOR_SIDES: dict[str, frozenset[str]] = {}
for _side, _words in _ACTOR_TEXT.items():
    for _w in _words.split():
        _ACTOR_SIDES[_w] = _ACTOR_SIDES.get(_w, frozenset()) | {_side}
# Words that name either armed side, as some outlets call all of them.
for _w in ("terrorist", "terrorists", "militant", "militants", "gunmen", "extremists"):
    _ACTOR_SIDES[_w] = frozenset({"rebels", "is"})
_DESCRIBES_AREA = frozenset({"held", "controlled", "run", "besieged", "backed", "dominated",
                             "affiliated", "linked", "allied"})
# What a side holds, where others strike it: "ISIL's stronghold", "IS positions".
_HELD = frozenset({"stronghold", "strongholds", "bastion", "bastions", "positions", "hideouts",
                   "headquarters", "territory", "territories"})


def clause_actors(words: Sequence[str], among: Iterable[int] | None = None) -> frozenset[str]:
    """Sides named as doing something in a clause (the victims' words left out by the
    caller), or in a sentence at the positions `among` (a clause of it, read in the whole
    sentence's words). "rebel-held areas", "Turkish-backed rebels", "districts dominated
    by the regime" and "the stronghold of ISIL" describe, they do not act."""
    keep = None if among is None else set(among)
    out: set[str] = set()
    for k in acting_words(words):
        if keep is None or k in keep:
            out |= _ACTOR_SIDES[words[k].lower()]
    return frozenset(out)


def acting_words(words: Sequence[str]) -> list[int]:
    """Positions of the words that name a side doing something (see clause_actors)."""
    out = []
    for k, w in enumerate(words):
        if w.lower() not in _ACTOR_SIDES:
            continue
        nxt = words[k + 1].lower() if k + 1 < len(words) else ""
        nxt2 = words[k + 2].lower() if k + 2 < len(words) else ""
        if (nxt == "-" and nxt2 in _DESCRIBES_AREA) or nxt in _DESCRIBES_AREA:
            continue
        # "held by the Syrian regime": who holds the place, not who struck it.
        before = [x.lower() for x in words[max(0, k - 4):k]]
        by = len(before) - 1 - before[::-1].index("by") if "by" in before else -1
        if by > 0 and before[by - 1] in _DESCRIBES_AREA:
            continue
        # "raids on ISILs Syria stronghold", "the stronghold of the Takfiri group ISIL": whose
        # the target is, not who struck it.
        if any(x.lower() in _HELD for x in words[k + 1:k + 3]):
            continue
        wider = [x.lower() for x in words[max(0, k - 5):k]]
        of = len(wider) - 1 - wider[::-1].index("of") if "of" in wider else -1
        if of > 0 and wider[of - 1] in _HELD:
            continue
        out.append(k)
    return out
