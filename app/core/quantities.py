"""Figures in running text: "14,000", "more than 13,000", "two million", "tens of thousands",
"between 10 and 20", "12%", "$2.5 billion", "two weeks", "seven-year", "second".

Each figure becomes a `Quantity`: a central value plus the interval of values that would make the
sentence true, given its hedge ("more than 13,000" is (13,000, inf); "about 14,000" is 14,000
give or take a tenth; "thousands" is a vague interval). Grading two quantities that count the same
thing then reduces to comparing intervals:

- the same figure however written ("14,000", "14000", "fourteen thousand", "about 14,000";
  "two weeks" and "14 days") -> AGREE;
- intervals that cannot both be true (14,000 vs 16,500) -> CONTRADICTION;
- different figures that could both hold (14,000 vs "more than 13,000") -> DISCREPANCY;
- a vague figure ("thousands") and a precise one inside it -> VAGUE (not worth a conflict).

The scanner works on plain text (no spaCy), so it is cheap and testable on its own; `claims.py`
decides what each figure counts, with the parse.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import NamedTuple

# Grades, strongest disagreement last.
AGREE = "agree"
VAGUE = "vague"
DISCREPANCY = "discrepancy"
CONTRADICTION = "contradiction"

# Kinds of quantity. Only quantities of one kind (and unit) are ever compared.
COUNT = "count"
PERCENT = "percent"
MONEY = "money"
DURATION = "duration"
ORDINAL = "ordinal"

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_NUMBER_WORDS = {*_UNITS, *_TENS}
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Abbreviated scales glued to or following digits: "2m", "3bn", "5 mln", "10k".
_SHORT_SCALES = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
    "b": 1_000_000_000, "tn": 1_000_000_000_000,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "twentieth": 20, "hundredth": 100,
}
# Vague amounts: (low, high) as generous bounds; they only ever rule out what is clearly outside.
_VAGUE_PLURALS = {
    "dozens": 12, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
    "billions": 1_000_000_000, "tens": 10,
}
_VAGUE_WORDS: dict[tuple[str, ...], tuple[float, float, float]] = {
    ("several",): (3, 9, 5),
    ("a", "few"): (2, 5, 3),
    ("a", "handful", "of"): (2, 6, 4),
    ("a", "couple", "of"): (2, 3, 2),
}
_DURATION_DAYS = {
    "second": 1 / 86_400, "minute": 1 / 1_440, "hour": 1 / 24, "day": 1.0, "week": 7.0,
    "fortnight": 14.0, "month": 365 / 12, "year": 365.0, "decade": 3_650.0,
    "century": 36_500.0,
}
_DURATION_WORDS = {
    **{u: u for u in _DURATION_DAYS},
    **{u + "s": u for u in _DURATION_DAYS},
    "centuries": "century", "mins": "minute", "hrs": "hour", "yrs": "year",
}
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "hryvnia": "UAH", "hryvnias": "UAH", "yen": "JPY", "yuan": "CNY",
}
_CURRENCY_CODES = {"usd", "eur", "gbp", "rub", "uah", "jpy", "cny", "chf"}

# Hedges: canonical name -> phrases. The bound says which side of the figure stays open.
_HEDGES: dict[str, tuple[str, ...]] = {
    "more than": ("more than", "over", "above", "in excess of", "upwards of", "just over",
                  "well over", "more then"),
    "at least": ("at least", "no fewer than", "no less than", "a minimum of", "not less than"),
    "about": ("about", "around", "roughly", "approximately", "some", "an estimated",
              "estimated", "circa", "approx", "or so", "close to", "nearly about", "about some"),
    "nearly": ("nearly", "almost", "just under", "just short of", "not quite"),
    "up to": ("up to", "as many as", "as much as", "at most", "no more than", "a maximum of",
              "not more than"),
    "less than": ("less than", "fewer than", "under", "below"),
}
_HEDGE_PHRASES: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(p.split()), name) for name, ps in _HEDGES.items() for p in ps),
    key=lambda x: -len(x[0]),
)
# Hedge phrases by first word, longest first: the scanner looks up one word, not every phrase.
_HEDGES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _name in _HEDGE_PHRASES:
    _HEDGES_BY_FIRST.setdefault(_phrase[0], []).append((_phrase, _name))
# Words that, before a number, mean it is not a count ("Article 5", "page 3", "No. 10").
_NOT_COUNT_BEFORE = {"no", "number", "article", "page", "chapter", "section", "room", "flight",
                     "route", "level", "phase", "resolution", "covid", "g", "paragraph"}
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}

# Words that can start a figure; every other word is skipped without a closer look.
_TRIGGERS = frozenset(
    {*_HEDGES_BY_FIRST, *_UNITS, *_TENS, *_ORDINALS, *_VAGUE_PLURALS, "a", "an", "half",
     "between", "several", "us", "usd", *_CURRENCY_CODES}
)

_MAYBE_FIGURE = re.compile(
    r"[\d$€£¥]|\b(?:"
    + "|".join(sorted({*_UNITS, *_TENS, *_ORDINALS, *_VAGUE_PLURALS, *_SCALES, "dozen",
                       "several", "few", "handful", "couple"}, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)

_TOKEN_RE = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[A-Za-z]+|[$€£¥%]|[-–—]|\S",
)


class _Tok(NamedTuple):
    text: str
    low: str
    start: int
    end: int
    glued: bool  # no space before this token


@dataclass(frozen=True)
class Quantity:
    """One figure in a text. Offsets index the text given to `find_quantities`."""

    start: int  # whole expression, hedge included
    end: int
    text: str
    num_start: int  # the figure itself ("13,000" in "more than 13,000 people")
    num_end: int
    kind: str  # COUNT | PERCENT | MONEY | DURATION | ORDINAL
    value: float  # central figure (durations in days)
    low: float  # what would make the sentence true
    high: float
    hedge: str | None = None  # canonical hedge name, e.g. "more than"
    unit: str = ""  # currency code for money; the duration unit as written ("week")
    vague: bool = False  # "thousands", "several": an order of magnitude, not a figure
    is_range: bool = False
    adjectival: bool = False  # "seven-year conflict", "27-page report"
    measure_noun: str | None = None  # the noun of an adjectival count ("page")
    year_like: bool = False  # a bare 4-digit number that is most likely a year

    @property
    def bound(self) -> str:
        """Which side of the figure the sentence leaves open."""
        if self.vague:
            return "vague"
        if self.is_range:
            return "range"
        if self.hedge in ("more than", "at least"):
            return ">"
        if self.hedge in ("up to", "less than", "nearly"):
            return "<"
        return "="

    @property
    def key(self) -> tuple[str, str, float, str, float]:
        """Equal keys mean the same figure however written."""
        unit = self.unit if self.kind == MONEY else ""
        lo = _sig(self.low) if self.is_range else 0.0
        return (self.kind, unit, _sig(self.value), self.bound, lo)

    def normalised(self) -> dict[str, object]:
        """JSON-serialisable normalised figure (for Span.value)."""
        return {
            "figure": _plain(self.value),
            "low": _plain(self.low) if math.isfinite(self.low) else None,
            "high": _plain(self.high) if math.isfinite(self.high) else None,
            "hedge": self.hedge,
            "kind": self.kind,
            "unit": self.unit or None,
        }


def _sig(x: float) -> float:
    if not math.isfinite(x) or x == 0:
        return x
    return float(f"{x:.6g}")


def _plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 6)


def _rounding(value: float, digits: str | None) -> float:
    """Half a unit of the last significant place of a round figure ("14,000" -> 500).

    Figures below 100 are taken as exact: "two armies" is never "three armies".
    """
    if value < 100:
        return 0.0
    if digits is not None:
        stripped = digits.replace(",", "")
        if "." in stripped:
            return 0.0
        zeros = len(stripped) - len(stripped.rstrip("0"))
    else:
        v = int(value)
        zeros = len(str(v)) - len(str(v).rstrip("0"))
    if zeros == 0:
        return 0.0
    return 0.5 * 10 ** min(zeros, max(0, len(str(int(value))) - 1)) * 0.98


def grade(a: Quantity, b: Quantity) -> str:
    """AGREE, VAGUE, DISCREPANCY or CONTRADICTION for two figures about the same thing."""
    if a.key == b.key:
        return AGREE
    if a.kind != b.kind or (a.kind == MONEY and a.unit != b.unit):
        return CONTRADICTION
    overlap = _overlaps(a, b)
    if a.vague or b.vague:
        if a.vague and b.vague:
            # "hundreds" vs "thousands": two different orders of magnitude are worth showing.
            return DISCREPANCY if overlap else CONTRADICTION
        return VAGUE if overlap else CONTRADICTION
    if not overlap:
        return CONTRADICTION
    return DISCREPANCY


def _overlaps(a: Quantity, b: Quantity) -> bool:
    lo = max(a.low, b.low)
    hi = min(a.high, b.high)
    if lo < hi:
        return True
    if lo > hi:
        return False
    # Touching at one point: true only if both intervals include it.
    return not (_open_low(a) and a.low == lo) and not (_open_low(b) and b.low == lo) and not (
        _open_high(a) and a.high == hi
    ) and not (_open_high(b) and b.high == hi)


def _open_low(q: Quantity) -> bool:
    return q.hedge == "more than"


def _open_high(q: Quantity) -> bool:
    return q.hedge in ("less than", "nearly")


def display(q: Quantity) -> str:
    """How a figure reads in a label: the hedge and figure as the source wrote them
    (lower-cased when a sentence happened to start with it: "Two" -> "two")."""
    text = " ".join(q.text.split())
    return text[:1].lower() + text[1:] if text[:1].isupper() else text


# ---------------------------------------------------------------------------------------------
# Scanning


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    prev_end = -1
    for m in _TOKEN_RE.finditer(text):
        out.append(_Tok(m.group(), m.group().lower(), m.start(), m.end(), m.start() == prev_end))
        prev_end = m.end()
    return out


def _digits_value(s: str) -> float:
    return float(s.replace(",", ""))


def _is_digits(t: _Tok) -> bool:
    return t.text[0].isdigit()


def _hyphen(t: _Tok) -> bool:
    return t.text in ("-", "–", "—")


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)

    def word(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def glued(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and self.toks[i].glued

    def number(self, i: int) -> tuple[float, int, bool, str | None] | None:
        """Parse a figure at token i: (value, next index, vague, digits-as-written)."""
        toks = self.toks
        if i >= len(toks):
            return None
        t = toks[i]
        if _is_digits(t):
            # Not part of a word or code ("G7", "images1", "COVID-19", "06:15").
            if t.glued and i > 0 and (toks[i - 1].text[-1].isalpha() or toks[i - 1].text in ":/."):
                return None
            if i > 0 and _hyphen(toks[i - 1]) and t.glued and i > 1 and toks[i - 1].glued and (
                toks[i - 2].text[-1].isalpha()
            ):
                return None
            if i + 1 < len(toks) and toks[i + 1].glued and toks[i + 1].text in (":", "/"):
                return None
            value = _digits_value(t.text)
            j = i + 1
            if j < len(toks) and toks[j].low in _SCALES:
                value *= _SCALES[toks[j].low]
                return value, j + 1, False, None
            if j < len(toks) and toks[j].glued and toks[j].low in _SHORT_SCALES:
                value *= _SHORT_SCALES[toks[j].low]
                return value, j + 1, False, None
            if j < len(toks) and toks[j].low in ("bn", "mln", "mn") and not toks[j].glued:
                value *= _SHORT_SCALES[toks[j].low]
                return value, j + 1, False, None
            return value, j, False, t.text
        low = t.low
        # Vague plurals: "thousands", "tens of thousands", "hundreds of thousands".
        if low in _VAGUE_PLURALS:
            scale = float(_VAGUE_PLURALS[low])
            j = i + 1
            while self.word(j) == "of" and self.word(j + 1) in _VAGUE_PLURALS and (
                _VAGUE_PLURALS[self.word(j + 1)] > scale
            ):
                scale *= _VAGUE_PLURALS[self.word(j + 1)]
                j += 2
            if low == "tens" and j == i + 1:
                return None  # "tens" alone is not a figure
            return scale, j, True, None
        for phrase, (_lo, _hi, _mid) in _VAGUE_WORDS.items():
            if tuple(self.word(i + k) for k in range(len(phrase))) == phrase:
                return float(_mid), i + len(phrase), True, None
        # "a quarter of a million", "a dozen", "half a dozen", "a hundred", "a million".
        if low in ("a", "one") and self.word(i + 1) == "quarter" and self.word(i + 2) == "of" and (
                self.word(i + 3) in ("a", "one")) and self.word(i + 4) in ("million", "billion"):
            return float(_SCALES[self.word(i + 4)]) / 4, i + 5, False, None
        if low == "half" and self.word(i + 1) == "a" and self.word(i + 2) in ("dozen", "million",
                                                                          "billion", "hundred"):
            base = 12.0 if self.word(i + 2) == "dozen" else float(_SCALES[self.word(i + 2)])
            return base / 2, i + 3, False, None
        if low in ("a", "an") and self.word(i + 1) in ("dozen", "hundred", "thousand", "million",
                                                        "billion"):
            nxt = self.word(i + 1)
            value = 12.0 if nxt == "dozen" else float(_SCALES[nxt])
            return self._scaled_words(value, i + 2)
        if low == "dozen" and self.word(i - 1) not in ("a",):
            return None
        if low in _UNITS or low in _TENS:
            value, j = self._word_number(i)
            return value, j, False, None
        return None

    def _scaled_words(self, value: float, j: int) -> tuple[float, int, bool, None]:
        while self.word(j) in _SCALES and _SCALES[self.word(j)] > value:
            value *= _SCALES[self.word(j)]
            j += 1
        return value, j, False, None

    def _word_number(self, i: int) -> tuple[float, int]:
        """Words like "two million", "twenty-five", "one hundred and fifty"."""
        total = 0.0
        current = 0.0
        j = i
        seen = False
        while j < len(self.toks):
            w = self.word(j)
            if w in _UNITS:
                if seen and current % 10 != 0 and current < 100 and current != 0:
                    break
                current += _UNITS[w]
            elif w in _TENS:
                if seen and current % 100 != 0:
                    break
                current += _TENS[w]
            elif w == "hundred" and seen:
                current = max(current, 1) * 100
            elif w in _SCALES and seen:
                total += max(current, 1) * _SCALES[w]
                current = 0
            elif seen and (
                # "one hundred and fifty"
                (w == "and" and self.word(j + 1) in _NUMBER_WORDS and (current >= 100 or total > 0))
                # "twenty-five"
                or (_hyphen(self.toks[j]) and self.glued(j) and self.glued(j + 1)
                    and self.word(j + 1) in _UNITS and self.word(j - 1) in _TENS)
            ):
                j += 1
                continue
            else:
                break
            seen = True
            j += 1
        return total + current, j

    def hedge_at(self, i: int) -> tuple[str, int] | None:
        for phrase, name in _HEDGES_BY_FIRST.get(self.word(i), ()):
            if tuple(self.word(i + k) for k in range(len(phrase))) == phrase:
                return name, i + len(phrase)
        return None


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in `text`, left to right, non-overlapping."""
    return list(_quantities(text))


@functools.lru_cache(maxsize=8192)
def _quantities(text: str) -> tuple[Quantity, ...]:
    """(Remembered: claims and the pairing of figures scan the same passages.)"""
    return tuple(_scan(text))


def _scan(text: str) -> list[Quantity]:
    if not _MAYBE_FIGURE.search(text):
        return []  # most sentences hold no figure: skip tokenising them
    sc = _Scanner(text)
    toks = sc.toks
    out: list[Quantity] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if not (t.text[0].isdigit() or t.low in _TRIGGERS or t.text in _CURRENCY_SIGNS):
            i += 1
            continue
        q, nxt = _quantity_at(sc, i)
        if q is not None:
            out.append(q)
            i = nxt
        else:
            i += 1
    return out


def _quantity_at(sc: _Scanner, i: int) -> tuple[Quantity | None, int]:
    toks = sc.toks
    n = len(toks)
    start_i = i
    hedge: str | None = None
    j = i
    h = sc.hedge_at(i)
    if h is not None:
        hedge, j = h
    between = False
    if sc.word(j) == "between":
        between = True
        j += 1
    currency: str | None = None
    if j < n and toks[j].text in _CURRENCY_SIGNS:
        currency = _CURRENCY_SIGNS[toks[j].text]
        j += 1
    elif j + 1 < n and toks[j].low in ("us", "usd") and toks[j + 1].text == "$":
        currency = "USD"
        j += 2
    elif j + 1 < n and toks[j].low in _CURRENCY_CODES and _is_digits(toks[j + 1]):
        currency = toks[j].text.upper()
        j += 1
    # Ordinals ("second conversation", "21st").
    ordinal = _ordinal_at(sc, j)
    if ordinal is not None and hedge is None and currency is None:
        value, k = ordinal
        prev = sc.word(j - 1)
        if prev in ("a", "an", "one", "two", "three"):  # "a third country", "two thirds"
            return None, i + 1
        t0 = toks[j]
        return (
            Quantity(
                start=t0.start, end=toks[k - 1].end, text=sc.text[t0.start:toks[k - 1].end],
                num_start=t0.start, num_end=toks[k - 1].end, kind=ORDINAL, value=value,
                low=value, high=value,
            ),
            k,
        )
    if j < n and sc.word(j - 1) in _NOT_COUNT_BEFORE and _is_digits(toks[j]) and hedge is None:
        return None, i + 1
    parsed = sc.number(j)
    if parsed is None:
        return None, i + 1
    value, k, vague, digits = parsed
    if value == 1 and not vague and digits is None and sc.word(j) == "one" and (
        sc.word(k) not in _DURATION_WORDS
    ):
        return None, i + 1  # "one of", "one reason": a pronoun more often than a count
    num_start = toks[j].start
    num_end = toks[k - 1].end
    year_like = (
        digits is not None and re.fullmatch(r"1[89]\d\d|20\d\d", digits) is not None
        and hedge is None and currency is None
    )
    if digits is not None and sc.word(j - 1) in _MONTHS:
        return None, k  # "March 18"
    if digits is not None and sc.word(k) in _MONTHS and not year_like:
        return None, k  # "18 March"
    # Ranges: "between 10 and 20", "10 to 20", "10-20".
    is_range = False
    low_v = value
    high_v = value
    if k < n and (
        (between and sc.word(k) == "and")
        or (sc.word(k) in ("to",) and not year_like)
        or (_hyphen(toks[k]) and digits is not None)
    ):
        sep = k
        skip = 1
        if k + 1 < n and toks[k + 1].text in _CURRENCY_SIGNS:
            skip = 2
        second = sc.number(sep + skip)
        if second is not None and second[0] > value and not (
            _hyphen(toks[sep]) and second[3] is None
        ):
            is_range = True
            high_v = second[0]
            # "2 to 3 million": the scale applies to both ends.
            if second[3] is None and digits is not None and second[0] >= 1000 and value < 1000:
                ratio = 10 ** (len(str(int(second[0]))) - len(str(int(second[0])).rstrip("0")))
                low_v = value * min(ratio, 1_000_000_000)
            value = (low_v + high_v) / 2
            vague = vague and second[2]
            k = second[1]
            num_end = toks[k - 1].end
            digits = None
    if between and not is_range:
        return None, i + 1
    kind = COUNT
    unit = ""
    adjectival = False
    measure_noun: str | None = None
    # Suffixes: percent, currency words, durations, adjectival measures.
    if k < n and toks[k].text == "%":
        kind, k = PERCENT, k + 1
    elif sc.word(k) == "percent" or (sc.word(k) == "per" and sc.word(k + 1) == "cent"):
        kind = PERCENT
        k += 1 if sc.word(k) == "percent" else 2
    elif sc.word(k) in _CURRENCY_WORDS and currency is None:
        kind, unit, k = MONEY, _CURRENCY_WORDS[sc.word(k)], k + 1
    elif currency is not None:
        kind, unit = MONEY, currency
    if kind == COUNT:
        # "two more weeks": the extra "more" belongs to the duration, not to the hedge.
        d = k + 1 if sc.word(k) in ("more", "additional", "further", "full") else k
        if k < n and _hyphen(toks[k]) and toks[k].glued and sc.glued(k + 1) and k + 1 < n and (
            toks[k + 1].text[0].isalpha()
        ):
            noun = sc.word(k + 1)
            if sc.word(k + 2) in ("-",) and sc.word(k + 3) == "old":
                return None, k + 4  # an age ("five-year-old")
            adjectival = True
            if noun in _DURATION_WORDS:
                kind, unit, k = DURATION, _DURATION_WORDS[noun], k + 2
            else:
                measure_noun, k = noun, k + 2
        elif sc.word(d) in _DURATION_WORDS and not year_like:
            if sc.word(d + 1) in ("ago", "later", "earlier", "old"):
                return None, d + 2  # a point in time or an age, not a length
            kind, unit, k = DURATION, _DURATION_WORDS[sc.word(d)], d + 1
    if kind == COUNT and hedge is None and k < n and toks[k].text == "+" and toks[k].glued:
        hedge, k = "at least", k + 1  # "20+ killed": at least 20
    if kind == DURATION:
        factor = _DURATION_DAYS[unit]
        value, low_v, high_v = value * factor, low_v * factor, high_v * factor
    low, high = _interval(value, low_v, high_v, hedge, vague, is_range, digits, parsed)
    end = toks[k - 1].end
    return (
        Quantity(
            start=toks[start_i].start, end=end, text=sc.text[toks[start_i].start:end],
            num_start=num_start, num_end=num_end, kind=kind, value=value, low=low, high=high,
            hedge=hedge, unit=unit, vague=vague, is_range=is_range, adjectival=adjectival,
            measure_noun=measure_noun, year_like=year_like,
        ),
        k,
    )


def _interval(
    value: float, low_v: float, high_v: float, hedge: str | None, vague: bool, is_range: bool,
    digits: str | None, parsed: tuple[float, int, bool, str | None],
) -> tuple[float, float]:
    inf = math.inf
    if vague:
        if is_range:
            return low_v, high_v
        # "thousands": at least two thousand, fewer than a hundred thousand.
        base = value
        if base <= 9:  # "several", "a few"
            for lo, hi, mid in _VAGUE_WORDS.values():
                if mid == base:
                    return float(lo), float(hi)
            return 2.0, 9.0
        low, high = 2 * base, 100 * base
        if hedge == "more than" or hedge == "at least":
            high = inf
        return low, high
    if is_range:
        return low_v, high_v
    r = _rounding(value, digits)
    if hedge == "more than" or hedge == "at least":
        return value, inf
    if hedge == "less than" or hedge == "up to":
        return 0.0, value
    if hedge == "nearly":
        return value * 0.85, value
    if hedge == "about":
        return min(value * 0.9, value - r), max(value * 1.1, value + r)
    return value - r, value + r


def _ordinal_at(sc: _Scanner, i: int) -> tuple[float, int] | None:
    w = sc.word(i)
    if w in _ORDINALS:
        return float(_ORDINALS[w]), i + 1
    if i < len(sc.toks) and _is_digits(sc.toks[i]) and sc.glued(i + 1) and (
        sc.word(i + 1) in ("st", "nd", "rd", "th")
    ):
        return _digits_value(sc.toks[i].text), i + 2
    return None
