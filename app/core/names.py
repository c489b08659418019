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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
    transliterations,
)
from app.core.model import NAME, VARIANT, Finding, Span

# ---------------------------------------------------------------------------------------------
# Spelling variants


@dataclass(frozen=True)
class Mention:
    article: int
    start: int
    end: int
    words: tuple[tuple[str, int, int], ...]  # (word as written, start, end), titles dropped

    @property
    def form(self) -> tuple[str, ...]:
        return tuple(w.lower() for w, _, _ in self.words)


def _mention_words(text: str, offset: int) -> list[tuple[str, int, int]]:
    clean = SUFFIX_RE.sub("", text)
    words = [(m.group(), offset + m.start(), offset + m.end()) for m in WORD_RE.finditer(clean)]
    # Possessive "'s" is not part of the spelling.
    words = [(re.sub(r"['’]s$", "", w), s, e - (len(w) - len(re.sub(r"['’]s$", "", w))))
             for w, s, e in words]
    while words and words[0][0].lower() in TITLES | JOINERS:
        words.pop(0)
    return words


def mentions(analysis: Analysis) -> list[Mention]:
    """Named-entity mentions outside page furniture, plus capitalised words that the
    transliteration table knows (the small model misses some place names, e.g. "Kyiv")."""
    table = transliterations()
    out: list[Mention] = []
    for ai, (article, doc) in enumerate(zip(analysis.articles, analysis.docs, strict=True)):
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
            out.append(Mention(ai, words[0][1], words[-1][2], tuple(words)))
            covered.update(range(ent.start, ent.end))
        for tok in doc:
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


def word_variant(a: str, b: str, strict: bool) -> bool:
    """Two spellings of one word? `strict` for a one-word name with nothing else agreeing."""
    if a == b:
        return False
    table = transliterations()
    ga, gb = table.get(a), table.get(b)
    if ga is not None and ga == gb:
        return True
    if not (a.isalpha() and b.isalpha()) or a[0] != b[0]:
        return False
    if a.startswith(b) or b.startswith(a):
        return False  # Russia / Russian, Kuleba / Kulebas: a form, not a spelling
    shortest = min(len(a), len(b))
    if strict:
        # One letter changed, added, dropped or swapped with its neighbour.
        return shortest >= 5 and OSA.distance(a, b) == 1
    if shortest < 4:
        return False
    dist = Levenshtein.distance(a, b)
    return (dist <= 1 or (dist == 2 and shortest >= 5)) and Indel.normalized_similarity(a, b) >= 0.6


def variant_words(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Word positions (in a, in b) spelled differently when a and b name one entity; [] if not."""
    if a == b or _is_abbreviation(a, b):
        return []
    if _contiguous(a, b) or _contiguous(b, a):
        return []  # a partial name
    joined_a, joined_b = " ".join(a), " ".join(b)
    al = aliases()
    table = transliterations()
    # Other names of one entity, unless the table knows them as two spellings (Kiev/Kyiv).
    if joined_a in al and joined_b in al and al[joined_a] == al[joined_b] and (
        len(a) != len(b) or any(
            x != y and (table.get(x) is None or table.get(x) != table.get(y))
            for x, y in zip(a, b, strict=True)
        )
    ):
        return []
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
        if strict and (joined_a in al or joined_b in al):
            # One-word known names ("Russia", "Ukraine") only vary through the table.
            i, j = diffs[0]
            if table.get(short[i]) is None or table.get(short[i]) != table.get(long[j]):
                continue
        if all(word_variant(short[i], long[j], strict) for i, j in diffs):
            best = diffs
            break
    if swapped:
        return [(j, i) for i, j in best]
    return best


def find_name_conflicts(analysis: Analysis) -> list[Finding]:
    """One `name` finding (severity `variant`) per word spelled two or more ways."""
    ms = mentions(analysis)
    by_form: dict[tuple[str, ...], list[Mention]] = {}
    for m in ms:
        by_form.setdefault(m.form, []).append(m)
    forms = sorted(by_form)
    if len(forms) < 2:
        return []
    # Cheap prefilter in C++: only pairs of forms whose letters are alike get the full check.
    strings = [" ".join(f) for f in forms]
    scores = process.cdist(strings, strings, scorer=Indel.normalized_similarity,
                           score_cutoff=0.3, workers=1)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    involved: dict[str, set[tuple[tuple[str, ...], int]]] = {}
    rows, cols = scores.nonzero()
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        if r >= c:
            continue
        fa, fb = forms[r], forms[c]
        for i, j in variant_words(fa, fb):
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
            for form, pos in sorted(involved[w]):
                for m in by_form[form]:
                    word, s, e = m.words[pos]
                    art = analysis.articles[m.article]
                    spans_by_spelling.setdefault(w, []).append(
                        Span(article=art.id, start=s, end=e, text=art.text[s:e], value=word)
                    )
        if len(spans_by_spelling) < 2:
            continue
        findings.append(_name_finding(analysis, spans_by_spelling))
    findings.sort(key=lambda f: (f.label, [(s.article, s.start) for s in f.spans]))
    return [Finding(id=f"m{i}", kind=f.kind, label=f.label, score=f.score, spans=f.spans,
                    severity=f.severity) for i, f in enumerate(findings, 1)]


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
