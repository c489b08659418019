"""Find an annotated passage again in an article's text, like the W3C Web Annotation model.

An annotation remembers what was marked (a `Selector`: the exact quote, up to `CONTEXT` characters
either side, and the character position). When the text it was made on has changed - re-flowed,
lightly edited, typo fixed - `anchor()` looks for it in this order:

1. position: the stored offsets still hold the exact quote;
2. quote: the exact quote occurs elsewhere; with several occurrences, the one whose surrounding
   text best matches the stored prefix/suffix wins, then the one nearest the old position;
3. quote, ignoring whitespace and quote-mark style (a re-flowed or re-typeset article);
4. fuzzy: the closest passage by `rapidfuzz` partial ratio (score >= `FUZZY_MIN_SCORE`), only for
   quotes of at least `FUZZY_MIN_CHARS` characters.

Digits are significant at every step: a candidate is accepted only when the figures it contains,
read whole (a match edge never cuts a number in two, so "14,000" is never found inside "114,000"),
are digit for digit those of the quote. A note on "14,000" therefore never lands on "13,000": when
no candidate agrees, the annotation is an orphan (`anchor()` returns None) that the user can see
and re-attach. Pure Python, no Qt; offsets are Python code points, like `Article.text`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

CONTEXT = 32  # characters of prefix/suffix kept with each quote (what Hypothesis keeps)
FUZZY_MIN_SCORE = 85.0
FUZZY_MIN_CHARS = 12  # shorter quotes are too ambiguous to place approximately
NEAR_WINDOW = 2000  # fuzzy search looks near the old position first

POSITION = "position"
QUOTE = "quote"
FUZZY = "fuzzy"
ORPHAN = "orphan"

# Length-preserving folds for step 3: typographic quotes and dashes vary between copies of a text.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


@dataclass(frozen=True)
class Selector:
    """What an annotation remembers of its passage (W3C TextQuote + TextPosition selectors)."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # POSITION, QUOTE or FUZZY
    score: float = 100.0


def selector_for(text: str, start: int, end: int, context: int = CONTEXT) -> Selector:
    """The selector for text[start:end], with its surrounding context."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"range {start}-{end} is outside a text of {len(text)} characters")
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


_NON_DIGIT = re.compile(r"\D+")


def digits(s: str) -> str:
    """The decimal digits of s, in order: what must agree for a passage to be the same."""
    return _NON_DIGIT.sub("", s)


def _is_number_joint(s: str, i: int) -> bool:
    """True when s[i] is a separator inside a figure, like the comma in 14,000."""
    return (
        0 < i < len(s) - 1
        and s[i] in ",.'\u2009\u202f"
        and s[i - 1].isdigit()
        and s[i + 1].isdigit()
    )


def _in_number(s: str, i: int) -> bool:
    return s[i].isdigit() or _is_number_joint(s, i)


def widen_to_numbers(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) so that neither edge falls inside a figure."""
    if 0 < start < len(text) and _in_number(text, start) and _in_number(text, start - 1):
        while start > 0 and _in_number(text, start - 1):
            start -= 1
    if 0 < end < len(text) and _in_number(text, end - 1) and _in_number(text, end):
        while end < len(text) and _in_number(text, end):
            end += 1
    return start, end


def quote_digits(selector: Selector) -> str:
    """The quote's figures, read whole using its stored context (a quote may cut a number)."""
    whole = selector.prefix + selector.exact + selector.suffix
    start = len(selector.prefix)
    lo, hi = widen_to_numbers(whole, start, start + len(selector.exact))
    return digits(whole[lo:hi])


def _digits_agree(text: str, start: int, end: int, wanted: str) -> bool:
    lo, hi = widen_to_numbers(text, start, end)
    return digits(text[lo:hi]) == wanted


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    i = haystack.find(needle)
    while i >= 0:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def _best_occurrence(
    haystack: str, needle: str, prefix: str, suffix: str, near: int | None, accept: object
) -> int | None:
    best: tuple[int, int, int] | None = None
    for i in _occurrences(haystack, needle):
        if callable(accept) and not accept(i, i + len(needle)):
            continue
        context = _common_suffix(prefix, haystack[max(0, i - len(prefix)) : i]) + _common_prefix(
            suffix, haystack[i + len(needle) : i + len(needle) + len(suffix)]
        )
        distance = abs(i - near) if near is not None else 0
        key = (-context, distance, i)
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


class _Folded:
    """The text with whitespace runs collapsed and quote marks folded, mapped back to offsets."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        index: list[int] = []
        folded = text.translate(_FOLD)
        prev_space = False
        for i, ch in enumerate(folded):
            if ch.isspace():
                if prev_space:
                    continue
                ch = " "
                prev_space = True
            else:
                prev_space = False
            chars.append(ch)
            index.append(i)
        self.text = "".join(chars)
        self.index = index
        self.length = len(text)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.index[start], self.index[end - 1] + 1

    def from_original(self, pos: int) -> int:
        # Bisect: index is sorted.
        lo, hi = 0, len(self.index)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.index[mid] < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo


def fold(s: str) -> str:
    return " ".join(s.translate(_FOLD).split())


class Anchorer:
    """Anchors many selectors in one text; the folded copy of the text is built only if needed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: _Folded | None = None

    @property
    def folded(self) -> _Folded:
        if self._folded is None:
            self._folded = _Folded(self.text)
        return self._folded

    def anchor(self, selector: Selector) -> Anchor | None:
        text = self.text
        exact = selector.exact
        s0, e0 = selector.start, selector.end
        if (
            s0 is not None
            and e0 is not None
            and text.startswith(exact, s0)
            and e0 == s0 + len(exact)
            and text.startswith(selector.suffix, e0)
            and s0 >= len(selector.prefix)
            and text.startswith(selector.prefix, s0 - len(selector.prefix))
        ):
            # Untouched passage and context (the usual case when a project opens): no figure at
            # its edges can have changed, so the digit check below is not needed.
            return Anchor(s0, e0, POSITION)
        if not exact.strip():
            return None
        wanted = quote_digits(selector)

        def agrees(s: int, e: int) -> bool:
            return _digits_agree(text, s, e, wanted)

        # 1. position
        if (
            s0 is not None
            and e0 is not None
            and 0 <= s0 < e0 <= len(text)
            and text[s0:e0] == exact
            and agrees(s0, e0)
        ):
            return Anchor(s0, e0, POSITION)

        # 2. exact quote, best context
        i = _best_occurrence(
            text, exact, selector.prefix, selector.suffix, s0, lambda s, e: agrees(s, e)
        )
        if i is not None:
            return Anchor(i, i + len(exact), QUOTE)

        # 3. quote with whitespace and typography folded
        f = self.folded
        f_exact = fold(exact)
        if not f_exact:
            return None
        f_near = f.from_original(s0) if s0 is not None else None

        def agrees_folded(s: int, e: int) -> bool:
            lo, hi = f.to_original(s, e)
            return agrees(lo, hi)

        i = _best_occurrence(
            f.text, f_exact, fold(selector.prefix), fold(selector.suffix), f_near, agrees_folded
        )
        if i is not None:
            lo, hi = f.to_original(i, i + len(f_exact))
            return Anchor(lo, hi, QUOTE)

        # 4. fuzzy
        if len(f_exact) < FUZZY_MIN_CHARS:
            return None
        windows: list[tuple[int, int]] = []
        if f_near is not None:
            w_end = min(len(f.text), f_near + len(f_exact) + NEAR_WINDOW)
            windows.append((max(0, f_near - NEAR_WINDOW), w_end))
        windows.append((0, len(f.text)))
        for w_lo, w_hi in windows:
            hit = fuzz.partial_ratio_alignment(
                f_exact, f.text[w_lo:w_hi], score_cutoff=FUZZY_MIN_SCORE
            )
            if hit is None:
                continue
            s, e = _refine(f.text, f_exact, w_lo + hit.dest_start, w_lo + hit.dest_end)
            while s < e and f.text[s] == " ":
                s += 1
            while e > s and f.text[e - 1] == " ":
                e -= 1
            if e <= s:
                continue
            lo, hi = f.to_original(s, e)
            # A fuzzy hit that cuts a figure is read whole: if the figures differ, the passage
            # changed in the one way a journalist cares about, so the annotation is orphaned.
            lo, hi = widen_to_numbers(text, lo, hi)
            if digits(text[lo:hi]) != wanted:
                return None
            return Anchor(lo, hi, FUZZY, float(hit.score))
        return None


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Adjust a partial-ratio hit's edges (it has the quote's length, which an edit changes)."""
    slack = min(20, max(3, len(quote) // 6))
    best = (-1.0, 0, start, end)
    for s in range(max(0, start - slack), min(len(text), start + slack) + 1):
        for e in range(max(s + 1, end - slack), min(len(text), end + slack) + 1):
            score = fuzz.ratio(quote, text[s:e])
            key = (score, -(abs(s - start) + abs(e - end)), s, e)
            if key > best:
                best = key
    return best[2], best[3]


def anchor(text: str, selector: Selector) -> Anchor | None:
    """Where `selector` is in `text` now, or None (an orphan)."""
    return Anchorer(text).anchor(selector)


def anchor_many(text: str, selectors: Sequence[Selector]) -> list[Anchor | None]:
    a = Anchorer(text)
    return [a.anchor(s) for s in selectors]


def find_quote(text: str, quote: str, nth: int = 1) -> tuple[int, int] | None:
    """The nth (1-based) occurrence of `quote`, exact first, then ignoring whitespace/typography."""
    if nth < 1 or not quote:
        return None
    hits = _occurrences(text, quote)
    if len(hits) >= nth:
        return hits[nth - 1], hits[nth - 1] + len(quote)
    if hits:
        return None
    f = _Folded(text)
    f_quote = fold(quote)
    if not f_quote:
        return None
    hits = _occurrences(f.text, f_quote)
    if len(hits) >= nth:
        return f.to_original(hits[nth - 1], hits[nth - 1] + len(f_quote))
    return None
