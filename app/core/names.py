"""Names: one person, place or organisation spelled differently across sources.

"Dmitri Kuleba" / "Dmytro Kuleba", "Kiev" / "Kyiv", "Zelensky" / "Zelenskiy" are spelling variants
(a `name` conflict of severity `variant`). Different names for one entity are not:
abbreviations (NATO / North Atlantic Treaty Organisation, US / U.S. / USA), titles (President
Biden / Joe Biden), partial names (Biden / Joe Biden) and the aliases in
resources/entity_aliases.tsv (Russia / Russian Federation / Kremlin).

Evidence, strongest first: a pair in resources/transliterations.tsv; otherwise a small edit
distance on one word of a name whose other words are identical ("Dmitri Kuleba" / "Dmitry
Kuleba"), and for one-word names a single-letter difference in a long word. Findings are grouped by
the differing word, so a respelled surname and a respelled first name are two findings.

Who is who (`entity_key`, the entity index, the alias and transliteration tables) lives in
entities.py, shared with the other finders.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, Levenshtein

from app.core.analysis import Analysis
from app.core.entities import (
    JOINERS,
    NAME_LABELS,
    SUFFIX_RE,
    TITLES,
    WORD_RE,
    EntityIndex,
    aliases,
    lower_words,
    read_once,
    tokens,
    transliterations,
)
from app.core.incidents import known_place
from app.core.model import NAME, VARIANT, Article, Finding, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# ---------------------------------------------------------------------------------------------
# Spelling variants


@dataclass(frozen=True)
class Mention:
    article: int
    start: int
    end: int
    words: tuple[tuple[str, int, int], ...]  # (word as written, start, end), titles dropped
    kind: str = ""  # "person", "place", "org" ... from the entity label; "" when unknown

    @property
    def form(self) -> tuple[str, ...]:
        return tuple(w.lower() for w, _, _ in self.words)


_KIND_OF_LABEL = {"GPE": "place", "LOC": "place", "FAC": "place", "PERSON": "person",
                  "ORG": "org"}
# Endings that make another form of one word, not another spelling: Syria / Syrian / Syrians /
# Syrias ("Syria's" with its apostrophe lost), Russia / Russians.
_FORM_ENDINGS = frozenset({"", "s", "n", "ns", "an", "ans", "ian", "ians", "is", "es", "i", "ese",
                           "n's", "'s"})


def other_form(a: str, b: str) -> bool:
    """Two words that are forms of one word (an inflection, a demonym, a possessive)."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    if n < 4:
        return False
    return a[n:] in _FORM_ENDINGS and b[n:] in _FORM_ENDINGS


_VOWELS = "aeiou"
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez)-")


@functools.lru_cache(maxsize=65536)
def skeleton(word: str) -> tuple[str, bool]:
    """(consonants, ends in a vowel) of a transliterated word: Sheikhoun = Sheikhun = Shaykhun,
    Atme = Atmeh, Hamdaniyeh = Hamadaniyeh; Hassan != Hassam, Bakr != Bakri."""
    w = _ARTICLE_PREFIX.sub("", word.lower())
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return "", False
    if len(w) > 2 and w.endswith("h") and w[-2] in _VOWELS:
        w = w[:-1]  # ta marbuta: Atmeh = Atme
    ends_vowel = w[-1] in _VOWELS or w[-1] == "y"
    out = [w[0]]
    for i, ch in enumerate(w[1:], 1):
        if ch in _VOWELS:
            continue
        # y before a vowel is a consonant (Daraya, Kafraya); elsewhere a vowel (Shaykhun).
        if ch == "y" and not (i + 1 < len(w) and w[i + 1] in _VOWELS):
            continue
        out.append(ch)
    return re.sub(r"(.)\1+", r"\1", "".join(out)), ends_vowel


def _mention_words(text: str, offset: int) -> list[tuple[str, int, int]]:
    clean = SUFFIX_RE.sub("", text)
    words = [(m.group(), offset + m.start(), offset + m.end()) for m in WORD_RE.finditer(clean)]
    # Possessive "'s" is not part of the spelling.
    words = [(re.sub(r"['’]s$", "", w), s, e - (len(w) - len(re.sub(r"['’]s$", "", w))))
             for w, s, e in words]
    while words and words[0][0].lower() in TITLES | JOINERS:
        words.pop(0)
    # What kind of place it is ("Raqa City", "Shayrat airfield") and a detached Arabic article
    # ("Ash Shairat") are not part of how the name is spelled.
    words = [w for w in words if w[0].lower() not in _GENERIC_PLACE_WORDS]
    return words


_GENERIC_PLACE_WORDS = frozenset({
    "city", "town", "village", "province", "governorate", "district", "neighbourhood",
    "neighborhood", "airfield", "airbase", "base", "camp", "countryside", "area", "region",
    "ash", "al", "el", "ad", "as", "ar", "an", "at", "az", "ez", "es",
})


def mentions(analysis: Analysis) -> list[Mention]:
    """Named-entity mentions outside page furniture, plus capitalised words that the
    transliteration table knows (the small model misses some place names, e.g. "Kyiv")."""
    out: list[Mention] = []
    for ai, (article, doc) in enumerate(zip(analysis.articles, analysis.docs, strict=True)):
        # Kept on the Doc, like its passages: one added article is the only one read again.
        out.extend(read_once(doc, "mentions", article, ai,
                             functools.partial(_article_mentions, ai, article, doc)))
    return out


def _article_mentions(ai: int, article: Article, doc: Doc) -> list[Mention]:
    table = transliterations()
    out: list[Mention] = []
    covered: set[int] = set()
    for ent in EntityIndex.of(doc).ents:
        if ent.label_ not in NAME_LABELS:
            continue
        if article.is_boilerplate(ent.start_char, ent.end_char):
            continue
        words = _mention_words(ent.text, ent.start_char)
        if not words or any(w[0].isdigit() for w, _, _ in words):
            continue
        if not words[0][0][:1].isupper():
            continue
        out.append(Mention(ai, words[0][1], words[-1][2], tuple(words),
                           _KIND_OF_LABEL.get(ent.label_, ent.label_.lower())))
        covered.update(range(ent.start, ent.end))
    for tok in tokens(doc):
        if tok.i in covered or not tok.text[:1].isupper():
            continue
        # Proper nouns the entity recogniser missed ("Kyiv" in a headline, a misspelt name).
        if tok.text.lower() not in table and not (
            tok.pos_ == "PROPN" and len(tok.text) >= 4 and tok.text.isalpha()
            and tok.text.lower() not in TITLES and not tok.is_sent_start
        ):
            continue
        if article.is_boilerplate(tok.idx, tok.idx + len(tok.text)):
            continue
        out.append(Mention(ai, tok.idx, tok.idx + len(tok.text),
                           ((tok.text, tok.idx, tok.idx + len(tok.text)),)))
    return out


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w not in JOINERS and w)


def _is_abbreviation(a: Sequence[str], b: Sequence[str]) -> bool:
    """NATO / North Atlantic Treaty Organisation, US / United States."""
    for short, long in ((a, b), (b, a)):
        if len(short) == 1 and len(long) >= 2 and short[0] == _initials(long):
            return True
    return "".join(a) == "".join(b)  # U.S. vs US after word splitting


def _contiguous(short: Sequence[str], long: Sequence[str]) -> bool:
    n = len(short)
    return any(tuple(long[i:i + n]) == tuple(short) for i in range(len(long) - n + 1))


@functools.lru_cache(maxsize=65536)
def word_variant(a: str, b: str, strict: bool, aligned: bool = False,
                 kinds_agree: bool = True) -> bool:
    """Two spellings of one word?

    Evidence, strongest first: the transliteration table; the same consonants with only vowels
    changed (Sheikhoun / Sheikhun, Stoltenberg / Stoltenburg); for a word of a longer name whose
    other words agree (`strict` False), a one- or two-letter change. A one-word name with a
    consonant changed (Hassan / Hassam, Bakr / Bakri) is another name unless the two stand in
    passages the matcher aligned (`aligned`), and never when the two are of different kinds (a
    person and a place: `kinds_agree` False). Forms of one word (Syria / Syrias / Syrian) never.
    """
    if a == b:
        return False
    table = transliterations()
    ga, gb = table.get(a), table.get(b)
    if ga is not None and ga == gb:
        return True
    if not (a.replace("-", "").isalpha() and b.replace("-", "").isalpha()):
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if ((longer.startswith(shorter) and not (longer == shorter + "h" and shorter[-1] in _VOWELS))
            or other_form(a, b)):
        return False  # Russia / Russian, Kuleba / Kulebas: a form, not a spelling
    shortest = min(len(a), len(b))
    if shortest < 4:
        return False
    if _same_known_place(a, b):
        return True  # two spellings the gazetteer knows: Raqqa / Raqa, Deir ez-Zor / Deir Ezzor
    sa, sb = skeleton(a), skeleton(b)
    if sa == sb and (len(sa[0]) >= 3 or shortest >= 5):
        return True  # only vowels differ (and an "al-"): Tokhar / Al-Tukhar
    if a[0] != b[0] or not kinds_agree:
        return False
    if strict:
        # One letter changed, added or dropped, where the text shows the two words in one role;
        # two neighbouring letters swapped (a slip of the keyboard, never another name).
        if shortest < 5 or OSA.distance(a, b) != 1:
            return False
        return aligned or Levenshtein.distance(a, b) == 2
    dist = Levenshtein.distance(a, b)
    return (dist <= 1 or (dist == 2 and shortest >= 5)) and Indel.normalized_similarity(a, b) >= 0.6


def _same_known_place(a: str, b: str) -> bool:
    ka, kb = known_place([a]), known_place([b])
    return ka is not None and ka == kb


def variant_words(a: Sequence[str], b: Sequence[str], aligned: bool = False,
                  kinds_agree: bool = True, partial_ok: bool = True) -> list[tuple[int, int]]:
    """Word positions (in a, in b) spelled differently when a and b name one entity; [] if not.
    `aligned`: the two names stand in passages the matcher aligned (same role)."""
    if a == b:
        return []
    joined_a, joined_b = " ".join(a), " ".join(b)
    al = aliases()
    table = transliterations()
    # Align the shorter name with the start or the end of the longer one.
    short, long, swapped = (a, b, False) if len(a) <= len(b) else (b, a, True)
    best: list[tuple[int, int]] = []
    for offset in sorted({0, len(long) - len(short)}):
        pairs = list(zip(range(len(short)), range(offset, offset + len(short)), strict=True))
        diffs = [(i, j) for i, j in pairs if short[i] != long[j]]
        if not diffs:
            continue
        equal = len(pairs) - len(diffs)
        strict = equal == 0
        if strict and len(diffs) > 1:
            continue
        if strict and len(short) != len(long) and not partial_ok and not all(
                table.get(short[i]) is not None and table.get(short[i]) == table.get(long[j])
                for i, j in diffs):
            continue  # "al-Qusor" is not the end of "Bustan al-Qasr" respelled
        if strict and (joined_a in al or joined_b in al):
            # One-word known names ("Russia", "Ukraine") only vary through the table.
            i, j = diffs[0]
            if table.get(short[i]) is None or table.get(short[i]) != table.get(long[j]):
                continue
        if all(word_variant(short[i], long[j], strict, aligned, kinds_agree) for i, j in diffs):
            best = diffs
            break
    # What rules a pair out whatever its words, looked at only for the few pairs whose words
    # are variants (most pairs a comparison looks at are not).
    if not best or _is_abbreviation(a, b) or _contiguous(a, b) or _contiguous(b, a):
        return []  # an abbreviation, a partial name
    # Other names of one entity, unless the table knows them as two spellings (Kiev/Kyiv).
    if joined_a in al and joined_b in al and al[joined_a] == al[joined_b] and (
        len(a) != len(b) or any(
            x != y and (table.get(x) is None or table.get(x) != table.get(y))
            for x, y in zip(a, b, strict=True)
        )
    ):
        return []
    if swapped:
        return [(j, i) for i, j in best]
    return best


def find_name_conflicts(analysis: Analysis) -> list[Finding]:
    """One `name` finding (severity `variant`) per word spelled two or more ways."""
    ms = mentions(analysis)
    # A word the comparison also writes in lower case is a common noun, not a name.
    lower: set[str] = set()
    for doc in analysis.docs:
        lower |= lower_words(doc)
    # "Raqqas" is "Raqqa's" with its apostrophe lost, where "Raqqa" is written too.
    known_words = {w for m in ms for w in m.form}
    ms = [_without_lost_apostrophe(m, known_words) for m in ms]
    by_form: dict[tuple[str, ...], list[Mention]] = {}
    for m in ms:
        if len(m.words) == 1 and m.words[0][0].lower() in lower:
            continue
        by_form.setdefault(m.form, []).append(m)
    forms = sorted(by_form)
    if len(forms) < 2:
        return []
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    involved: dict[str, set[tuple[tuple[str, ...], int]]] = {}
    for r, c in _candidate_pairs(forms):
        fa, fb = forms[r], forms[c]
        # A person and a place one letter apart are two things; the entity recogniser's labels
        # are too unsteady on their own to overrule the transliteration evidence.
        kinds = _same_kind(by_form[fa], by_form[fb])
        # A surname alone is a person's name in short ("Kuleba" / "Dmytro Kulebba"); the end of
        # a place's name is not the place ("al-Qusor" / "Bustan al-Qasr").
        partial = _all_kind(by_form[fa], "person") or _all_kind(by_form[fb], "person")
        # Aligned passages only ever add variants: the costly look at the passages is needed
        # only where the two names would be variants if aligned and are not otherwise.
        found = variant_words(fa, fb, True, kinds, partial)
        if found:
            plain = variant_words(fa, fb, False, kinds, partial)
            if plain != found and not _aligned(analysis, by_form[fa], by_form[fb]):
                found = plain
        for i, j in found:
            if fa[i] in lower or fb[j] in lower:
                continue
            wa, wb = fa[i], fb[j]
            ra, rb = find(wa), find(wb)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
            involved.setdefault(wa, set()).add((fa, i))
            involved.setdefault(wb, set()).add((fb, j))
    groups: dict[str, list[str]] = {}
    for w in involved:
        groups.setdefault(find(w), []).append(w)
    findings: list[Finding] = []
    for spellings in groups.values():
        spans_by_spelling: dict[str, list[Span]] = {}
        for w in spellings:
            for form, pos in sorted(involved[w] | _same_name_forms(w, involved[w], forms, find)):
                for m in by_form[form]:
                    word, s, e = m.words[pos]
                    art = analysis.articles[m.article]
                    spans_by_spelling.setdefault(w, []).append(
                        Span(article=art.id, start=s, end=e, text=art.text[s:e], value=word)
                    )
        if not _disputed(spans_by_spelling):
            continue
        findings.append(_name_finding(analysis, spans_by_spelling))
    findings.sort(key=lambda f: (f.label, [(s.article, s.start) for s in f.spans]))
    return [Finding(id=f"m{i}", kind=f.kind, label=f.label, score=f.score, spans=f.spans,
                    severity=f.severity) for i, f in enumerate(findings, 1)]


# Two spellings of one word share at least this much of their letters (Indel similarity:
# Sheikhoun / Shaykhun 0.71, al-Tukhar / Tokhar 0.67); other pairs are never variants.
_WORD_CUTOFF = 0.5
_FORM_CUTOFF = 0.3


def _candidate_pairs(forms: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Pairs of forms (r < c) worth the full check: some word of one and some word of the other
    are alike in letters (compared in C++, only among words with the same first letter) or
    related by the transliteration table or the gazetteer, and the whole names are alike too.
    A comparison of 100 reports has some 2,000 forms: this looks at thousands of pairs, not
    millions."""
    by_word: dict[str, set[int]] = {}
    for k, form in enumerate(forms):
        for w in form:
            by_word.setdefault(w, set()).add(k)
    buckets: dict[str, set[str]] = {}
    for w in by_word:
        for first in {w[:1], _ARTICLE_PREFIX.sub("", w)[:1]}:
            buckets.setdefault(first, set()).add(w)
    similar: set[tuple[str, str]] = set()
    for bucket in buckets.values():
        group = sorted(bucket)
        if len(group) < 2:
            continue
        scores = process.cdist(group, group, scorer=Indel.normalized_similarity,
                               score_cutoff=_WORD_CUTOFF, workers=1)
        rows, cols = scores.nonzero()
        similar.update((group[r], group[c]) for r, c in zip(rows.tolist(), cols.tolist(),
                                                            strict=True) if r < c)
    table = transliterations()
    related: dict[object, list[str]] = {}
    for w in sorted(by_word):
        for key in (("t", table.get(w)), ("p", known_place([w]))):
            if key[1] is not None:
                related.setdefault(key, []).append(w)
    for group in related.values():
        similar.update(itertools.combinations(group, 2))
    out: set[tuple[int, int]] = set()
    for a, b in similar:
        for r in by_word[a]:
            for c in by_word[b]:
                if r != c:
                    out.add((min(r, c), max(r, c)))
    return sorted(pair for pair in out if Indel.normalized_similarity(
        " ".join(forms[pair[0]]), " ".join(forms[pair[1]])) >= _FORM_CUTOFF)


def _without_lost_apostrophe(m: Mention, known: set[str]) -> Mention:
    words = []
    changed = False
    for w, s, e in m.words:
        low = w.lower()
        if low.endswith("s") and len(low) > 4 and low[:-1] in known:
            words.append((w[:-1], s, e - 1))
            changed = True
        else:
            words.append((w, s, e))
    if not changed:
        return m
    return Mention(m.article, m.start, m.end - (m.end - words[-1][2]), tuple(words), m.kind)


def _same_name_forms(
    word: str, involved: set[tuple[tuple[str, ...], int]], forms: Sequence[tuple[str, ...]],
    find: Callable[[str], str],
) -> set[tuple[tuple[str, ...], int]]:
    """Every other mention of the name with this spelling: the word alone ("Puttin"), or with
    the same other words ("Dmytro Kulebba" beside "Dmytro Kuleba")."""
    context = {find(x) for form, _pos in involved for x in form if x != word}
    out: set[tuple[tuple[str, ...], int]] = set()
    for form in forms:
        for pos, x in enumerate(form):
            if x != word:
                continue
            others = {find(y) for y in form if y != word}
            if not others or others & context:
                out.add((form, pos))
    return out


def _all_kind(ms: Sequence[Mention], kind: str) -> bool:
    kinds = {m.kind for m in ms} - {""}
    return kinds == {kind}


def _same_kind(a: Sequence[Mention], b: Sequence[Mention]) -> bool:
    ka = {m.kind for m in a} - {""}
    kb = {m.kind for m in b} - {""}
    return not ka or not kb or bool(ka & kb)


def _aligned(analysis: Analysis, a: Sequence[Mention], b: Sequence[Mention]) -> bool:
    """Some mention of a and some mention of b stand in passages the matcher aligned."""
    refs_a = {p.ref for m in a if (p := analysis.passage_at(m.article, m.start)) is not None}
    for m in b:
        p = analysis.passage_at(m.article, m.start)
        if p is not None and any(analysis.link_score(p.ref, r) > 0 for r in refs_a):
            return True
    return False


def _disputed(spans_by_spelling: dict[str, list[Span]]) -> bool:
    """Two sources spell the name differently, each consistently. An article that writes a name
    two ways has a typo of its own; it does not make a disagreement between sources."""
    used: dict[str, set[str]] = {}
    for spelling, spans in spans_by_spelling.items():
        for sp in spans:
            used.setdefault(sp.article, set()).add(spelling)
    consistent = {next(iter(w)) for w in used.values() if len(w) == 1}
    return len(consistent) >= 2


def _name_finding(analysis: Analysis, spans_by_spelling: dict[str, list[Span]]) -> Finding:
    def sources(spans: Iterable[Span]) -> set[str]:
        return {s.article for s in spans}

    order = sorted(spans_by_spelling, key=lambda w: (-len(sources(spans_by_spelling[w])), w))
    spans: list[Span] = []
    parts: list[str] = []
    for side, w in enumerate(order):
        side_spans = sorted(set(spans_by_spelling[w]), key=lambda s: (s.article, s.start))
        spans.extend(Span(s.article, s.start, s.end, s.text, s.value, side) for s in side_spans)
        shown = _display_with_context(analysis, side_spans[0])
        n = len(sources(side_spans))
        parts.append(f"{shown} ({n} source{'s' if n != 1 else ''})")
    table = transliterations()
    known = len({table.get(w) for w in order} - {None}) == 1 and all(w in table for w in order)
    n_sources = len(sources(spans))
    # Known transliteration pairs and names spread over many sources rank first.
    score = 0.6 + (0.2 if known else 0.0) + 0.05 * min(4, n_sources)
    label = "Spelling variant: " + " vs ".join(parts)
    return Finding(id="", kind=NAME, label=label, score=min(score, 1.0), spans=tuple(spans),
                   severity=VARIANT)


def _display_with_context(analysis: Analysis, span: Span) -> str:
    """A respelled first name is shown with the surname that follows ("Dmitri Kuleba")."""
    art = next(a for a in analysis.articles if a.id == span.article)
    after = re.match(r" ([A-Z][\w'’-]+)", art.text[span.end:span.end + 40])
    if after and after.group(1).lower() not in TITLES:
        return f"{span.text} {after.group(1)}"
    return span.text
