"""Quotes: who said what, and where two sources quote the same words differently.

1. Extraction works line by line on the article text: straight and curly double quotes toggle a
   quote open and closed whatever their direction (sloppy copy often closes with an opening mark);
   an opening mark followed by a word, with a closing mark later on the line, opens a nested
   quote; a quote left open at the end of a line ends there (news paragraphs never carry a quote
   over a line break without reopening it). Straight marks still show their side where copy
   has lost its line breaks: one that reopens after a finished sentence ends the open quote, and
   a closing one with nothing open is a stray. Single quotes count as quotes only on lines
   without double quotes (headline style: 'an unblemished win').
2. Attribution uses the dependency parse of the quote's sentence: the subject of a reporting verb
   (said, told, added, called, according to, quoted ...) outside the quote; pronouns ("he", "it")
   and generic sources ("the statement") are resolved to the last named source in the article;
   a quote with no reporting verb inherits the source named earlier in its paragraph, or the
   previous quote's when it opens a paragraph.
3. Pairing: two quotes in different articles are compared when their speakers are the same (or one
   is unnamed and the wording is very close) and they share enough content words. Each quote is
   paired at most once per other article (best first).
4. Grading: identical wording, or one quote being a fragment of the other, is agreement. Otherwise
   the word-level diff (rapidfuzz Indel opcodes on word lists, with a second pass that recognises
   moved phrases) gives the differing words. Severity `discrepancy` when content words differ,
   `variant` when only small words do ("its" / "this").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Indel, Levenshtein

from app.core.analysis import Analysis
from app.core.entities import EntityIndex, aliases, doc_text, entity_key, tokens
from app.core.grouping import DisjointSets, Recent
from app.core.lazyspacy import english_stop_words
from app.core.model import DISCREPANCY, QUOTE, VARIANT, Article, Finding, Span
from app.core.names import word_variant

OPEN_MARKS = "“„«"
CLOSE_MARKS = "”»"
BOTH_MARKS = '"'
DOUBLE_MARKS = OPEN_MARKS + CLOSE_MARKS + BOTH_MARKS

_REPORTING_VERBS_TEXT = """
    say tell add state stress tweet write quote warn declare explain insist note claim argue
    announce confirm call describe denounce assure urge acknowledge admit comment reply respond
    remark report suggest emphasise emphasize reiterate vow pledge accuse ask demand predict
    deny complain concede mention observe point speak allege threaten caution promise
    """
REPORTING_VERBS = frozenset(_REPORTING_VERBS_TEXT.split())
_GENERIC_SOURCES_TEXT = """
    statement readout report spokesman spokeswoman spokesperson official officials source sources
    ministry agency agencies communique release office government administration diplomat
    diplomats analyst analysts letter post tweet document transcript remarks media
    """
GENERIC_SOURCES = frozenset(_GENERIC_SOURCES_TEXT.split())
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_WORD_RE = re.compile(r"[\w'’-]+|&")
# A short gloss in brackets inside a quote: "deny Daesh (ISIL) the ability", "he [Assad] said".
_GLOSS_RE = re.compile(r"\([^()\[\]]{1,60}\)|\[[^()\[\]]{1,60}\]")


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return english_stop_words() | {"&", "'s"}


@dataclass(frozen=True)
class Speaker:
    name: str | None  # as written (or inherited), for labels
    key: str | None  # entity_key(name); None when unknown or generic
    generic: bool = False  # "the statement", "officials": a source without a name
    person: bool = False  # a named person (a statement is never a person's own words)
    # Whose words the quote reports when the source relays someone ("the White House said Biden
    # wanted a 'stable relationship'": source White House, words Biden's).
    words_of: str | None = None


NO_SPEAKER = Speaker(None, None)


@dataclass(frozen=True)
class Quote:
    article: int
    start: int  # inside the quote marks
    end: int
    text: str
    speaker: Speaker
    words: tuple[tuple[str, int, int], ...]  # (normalised word, start, end)

    @property
    def content(self) -> frozenset[str]:
        """Content words, without stop words and without country/organisation names, which
        appear in every quote of a story and say nothing about which statement it is."""
        stop = _stop_words()
        keys = _alias_keys()
        return frozenset(
            w for w, _, _ in self.words if w not in stop and w not in keys and len(w) > 1
        )


@functools.lru_cache(maxsize=1)
def _alias_keys() -> frozenset[str]:
    return frozenset(aliases().values())


# ---------------------------------------------------------------------------------------------
# Extraction


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside top-level quote marks, line by line (see module doc)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        out.extend((pos + s, pos + e) for s, e in _line_quotes(line))
        pos += len(line) + 1
    return out


def _line_quotes(line: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    n = len(line)
    has_double = False
    for i, ch in enumerate(line):
        if ch not in DOUBLE_MARKS:
            continue
        has_double = True
        if depth == 0:
            if ch in BOTH_MARKS and _closes(line, i):
                continue  # a stray closing mark: its opening mark was lost
            depth, start = 1, i + 1
            continue
        if depth == 1 and ch in BOTH_MARKS and _reopens(line, i):
            # A quote that runs on into a new paragraph reopens it ("... explosion. "People
            # had fallen"): with the paragraph break lost, the open quote ends here.
            out.append((start, i))
            start = i + 1
            continue
        nested_open = (
            ch in OPEN_MARKS and i + 1 < n and line[i + 1].isalnum()
            and any(c in CLOSE_MARKS for c in line[i + 1:])
        )
        if nested_open:
            depth += 1
            continue
        depth -= 1
        if depth == 0:
            out.append((start, i))
    if depth > 0:
        end = len(line.rstrip())
        out.append((start, end))
    if not has_double:
        for m in re.finditer(r"(?<![\w])['‘]([^'‘’\n]+?)['’](?![\w])", line):
            if len(m.group(1).split()) >= 2:
                out.append((m.start(1), m.end(1)))
    return [(s, e) for s, e in _trim(line, out) if e > s]


def _closes(line: str, i: int) -> bool:
    """A straight mark written as a closing one: after a word or punctuation, before a space
    or the end ("... gathering" of")."""
    return i > 0 and not line[i - 1].isspace() and (i + 1 == len(line) or line[i + 1].isspace())


def _reopens(line: str, i: int) -> bool:
    """A straight mark written as an opening one right after a finished sentence ('explosion.
    "People')."""
    return (i >= 2 and line[i - 1] == " " and line[i - 2] in ".?!" and i + 1 < len(line)
            and line[i + 1].isalnum())


def _trim(line: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    trimmed = []
    for s, e in ranges:
        while s < e and (line[s].isspace() or line[s] in DOUBLE_MARKS):
            s += 1
        while e > s and (line[e - 1].isspace() or line[e - 1] in DOUBLE_MARKS):
            e -= 1
        trimmed.append((s, e))
    return trimmed


def quote_words(text: str, offset: int) -> tuple[tuple[str, int, int], ...]:
    """Normalised words of a quote: lower case, '&' = 'and', entity aliases folded
    ("Russian Federation" = "Russia") so that house style is not reported as rewording.

    Words in brackets are left out: inside a quote they are the editor's gloss ("Daesh (ISIL)"),
    not the speaker's words, and each outlet glosses in its own house style."""
    spoken = _GLOSS_RE.sub(lambda m: " " * len(m.group()), text)
    raw = [(m.group(), offset + m.start(), offset + m.end()) for m in _WORD_RE.finditer(spoken)]
    al = aliases()
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(raw):
        for size in (4, 3, 2, 1):
            if i + size > len(raw):
                continue
            phrase = " ".join(w for w, _, _ in raw[i:i + size]).lower().replace(".", "")
            phrase = re.sub(r"['’]s$", "", phrase)
            if phrase in al and (size > 1 or raw[i][0][:1].isupper()):
                out.append((al[phrase], raw[i][1], raw[i + size - 1][2]))
                i += size
                break
        else:
            w = raw[i][0].lower().replace("’", "'")
            out.append(("and" if w == "&" else w, raw[i][1], raw[i][2]))
            i += 1
    return tuple(out)


def extract_quotes(analysis: Analysis) -> list[Quote]:
    """Every quote outside page furniture in every article, with its speaker."""
    return [q for ai in range(len(analysis.articles)) for q in read_article(analysis, ai)]


# Each article's quotes, by what they were read from: adding one article to an open comparison
# reads the quotes of that one only (the window's worker keeps this between comparisons).
_READ: Recent[tuple[object, ...], tuple[list[Quote], int]] = Recent(1000)


def forget_read_articles() -> None:
    _READ.clear()


def keep_read(article: Article, found: list[Quote]) -> None:
    """Keep what `read_article` gave for an article (read at index 0) made elsewhere."""
    _READ.put((article.sha256, article.boilerplate), (found, 0))


def read_article(analysis: Analysis, ai: int) -> list[Quote]:
    """One article's quotes (kept: see `_READ`)."""
    article = analysis.articles[ai]
    key = (article.sha256, article.boilerplate)
    hit = _READ.get(key)
    if hit is not None:
        found, was = hit
        return found if was == ai else [replace(q, article=ai) for q in found]
    found = _read_quotes(analysis, ai)
    _READ.put(key, (found, ai))
    return found


def _read_quotes(analysis: Analysis, ai: int) -> list[Quote]:
    article, doc = analysis.articles[ai], analysis.docs[ai]
    text = article.text
    quotes: list[Quote] = []
    state = _Attribution()
    prev_quote: Quote | None = None
    ranges = quote_ranges(text)
    sent_reports = _reporting_sources(doc, ranges, state)
    for s, e in ranges:
        if article.is_boilerplate(s, e):
            continue
        words = quote_words(text[s:e], s)
        if not words:
            continue
        speaker = _speaker_for(doc, text, s, e, sent_reports, prev_quote)
        holder = _words_of(doc, s, e)
        if holder is not None and holder != speaker.key:
            speaker = Speaker(speaker.name, speaker.key, speaker.generic, speaker.person,
                              words_of=holder)
        q = Quote(ai, s, e, text[s:e], speaker, words)
        quotes.append(q)
        prev_quote = q
    return quotes


class _Attribution:
    """What the article has named as a source so far (for 'he', 'it' and 'the statement')."""

    def __init__(self) -> None:
        self.last_person: Speaker | None = None
        self.last_org: Speaker | None = None
        self.last_any: Speaker | None = None
        self.generic_owner: dict[str, Speaker] = {}


def _inside(ranges: Sequence[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in ranges)


def _entity_text(tok: object) -> tuple[str, str]:
    """Full name around a token (its entity, else its compound chain) and the entity label."""
    t = tok  # spacy Token
    doc = t.doc  # type: ignore[attr-defined]
    if t.ent_type_:  # type: ignore[attr-defined]
        ent = EntityIndex.of(doc).at(t.i)  # type: ignore[attr-defined]
        if ent is not None:
            return ent.text, ent.label_
    parts = [c for c in t.children if c.dep_ == "compound" and c.i < t.i]  # type: ignore[attr-defined]
    first = min([t.i, *(c.i for c in parts)])  # type: ignore[attr-defined]
    return doc[first:t.i + 1].text, ""  # type: ignore[attr-defined]


def _resolve(tok: object, state: _Attribution) -> Speaker:
    """The speaker named by a subject token, resolving pronouns and generic sources."""
    t = tok
    low = t.lower_  # type: ignore[attr-defined]
    if low in PRONOUNS:
        if low == "it" or low == "they":
            return state.last_org or state.last_any or NO_SPEAKER
        return state.last_person or state.last_any or NO_SPEAKER
    name, label = _entity_text(t)
    lemma = t.lemma_.lower()  # type: ignore[attr-defined]
    if not label and lemma in GENERIC_SOURCES:
        # "A White House statement", "its readout", "a statement by the ministers".
        for c in t.children:  # type: ignore[attr-defined]
            if c.dep_ in ("compound", "poss", "nmod") and (c.ent_type_ or c.lower_ in PRONOUNS):
                owner = _resolve(c, state)
                if owner.key:
                    state.generic_owner[lemma] = owner
                    return owner
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.ent_type_:
                        owner = _resolve(p, state)
                        state.generic_owner[lemma] = owner
                        return owner
        if lemma in state.generic_owner:
            return state.generic_owner[lemma]
        return Speaker(name, None, generic=True)
    if label or t.pos_ == "PROPN":  # type: ignore[attr-defined]
        person = label == "PERSON" or (not label and t.pos_ == "PROPN")  # type: ignore[attr-defined]
        sp = Speaker(name, entity_key(name), person=person)
        if person:
            state.last_person = sp
        else:
            state.last_org = sp
        state.last_any = sp
        return sp
    return Speaker(name, None, generic=True)


def _report_subject(verb: object) -> object | None:
    """The source of a reporting verb: its subject, 'according to X', 'X quoted Y'."""
    v = verb
    lemma = v.lemma_.lower()  # type: ignore[attr-defined]
    if lemma == "accord":
        for c in v.children:  # type: ignore[attr-defined]
            if c.dep_ == "prep":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
        return None
    if lemma == "quote":
        for c in v.children:  # type: ignore[attr-defined]
            if c.dep_ == "dobj":
                return c
    for c in v.children:  # type: ignore[attr-defined]
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    # "saying ..." inherits the subject of the verb it hangs on.
    head = v.head  # type: ignore[attr-defined]
    if head is not v and v.dep_ in ("advcl", "xcomp", "conj"):  # type: ignore[attr-defined]
        for c in head.children:
            if c.dep_ == "nsubj":
                return c
    return None


def _reporting_sources(
    doc: object, ranges: Sequence[tuple[int, int]], state: _Attribution
) -> dict[int, tuple[list[tuple[int, Speaker]], int]]:
    """For each sentence start: reporting verbs outside quotes, with their resolved speakers,
    and the index of the sentence's line. Walks the article in order so that pronouns and
    'the statement' resolve to what came before."""
    out: dict[int, tuple[list[tuple[int, Speaker]], int]] = {}
    text: str = doc_text(doc)  # type: ignore[arg-type]
    toks = tokens(doc)  # type: ignore[arg-type]
    for sent in doc.sents:  # type: ignore[attr-defined]
        found: list[tuple[int, Speaker]] = []
        for tok in toks[sent.start:sent.end]:
            if tok.pos_ not in ("VERB", "AUX") and tok.lemma_ != "accord":
                continue
            if tok.lemma_.lower() not in REPORTING_VERBS and tok.lemma_ != "accord":
                continue
            if _inside(ranges, tok.idx):
                continue
            subj = _report_subject(tok)
            if subj is None or _inside(ranges, subj.idx):  # type: ignore[attr-defined]
                continue
            found.append((tok.idx, _resolve(subj, state)))
        # Named entities also update "he"/"it" resolution, in text order.
        for ent in EntityIndex.of(doc).between(sent.start_char, sent.end_char):  # type: ignore[arg-type]
            if _inside(ranges, ent.start_char):
                continue
            if ent.label_ == "PERSON":
                state.last_person = Speaker(ent.text, entity_key(ent.text), person=True)
            elif ent.label_ == "ORG":
                state.last_org = Speaker(ent.text, entity_key(ent.text))
        out[sent.start_char] = (found, text.count("\n", 0, sent.start_char))
    return out


def _speaker_for(
    doc: object, text: str, start: int, end: int,
    reports: dict[int, tuple[list[tuple[int, Speaker]], int]], prev: Quote | None,
) -> Speaker:
    sents = sorted(reports)
    # Sentences overlapping the quote (a quote may span two parsed sentences).
    import bisect

    i = max(0, bisect.bisect_right(sents, start) - 1)
    j = bisect.bisect_left(sents, end)
    candidates: list[tuple[int, Speaker]] = []
    for k in range(i, max(j, i + 1)):
        found, _ = reports[sents[k]]
        candidates.extend(c for c in found if not (start <= c[0] < end))
    named = [c for c in candidates if c[1].name]
    if named:
        best = min(named, key=lambda c: (abs(c[0] - (start if c[0] < start else end)), c[0]))
        return best[1]
    line = text.count("\n", 0, start)
    line_start = text.rfind("\n", 0, start) + 1
    # Earlier in the paragraph: "... explained Stoltenberg. ... is 'deeply worrying'."
    for k in range(i - 1, max(-1, i - 4), -1):
        found, k_line = reports[sents[k]]
        if k_line != line:
            break
        named_k = [c for c in found if c[1].name]
        if named_k:
            return named_k[-1][1]
    # A paragraph that opens with a quote continues the previous quote's speaker.
    if prev is not None and text[line_start:start].strip(" " + DOUBLE_MARKS) == "":
        prev_line = text.count("\n", 0, prev.start)
        blank = text[prev.end:line_start].strip(" \n" + DOUBLE_MARKS + ".,")
        if line - prev_line <= 3 and len(blank) < 200:
            return prev.speaker
    # Otherwise the nearest person or organisation in the sentence, outside the quote.
    span_start = sents[i]
    span_end = sents[j] if j < len(sents) else len(text)
    best_ent: tuple[int, str, bool] | None = None
    for ent in EntityIndex.of(doc).between(span_start, span_end):  # type: ignore[arg-type]
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        if start <= ent.start_char < end:
            continue
        dist = min(abs(ent.end_char - start), abs(ent.start_char - end))
        if best_ent is None or dist < best_ent[0]:
            best_ent = (dist, ent.text, ent.label_ == "PERSON")
    if best_ent is not None:
        return Speaker(best_ent[1], entity_key(best_ent[1]), person=best_ent[2])
    return NO_SPEAKER


# ---------------------------------------------------------------------------------------------
# Comparing


def _words_of(doc: object, start: int, end: int) -> str | None:
    """The named subject of the verb that governs the quote from outside it, if any."""
    span = doc.char_span(start, end, alignment_mode="expand")  # type: ignore[attr-defined]
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(4):
        h = tok.head
        if h.i == tok.i:
            return None
        if not (span.start <= h.i < span.end) and h.pos_ in ("VERB", "AUX"):
            for c in h.children:
                if c.dep_ == "nsubj" and c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
                    return entity_key(_entity_text(c)[0])
            return None
        tok = h
    return None


def _compatible_speakers(a: Speaker, b: Speaker) -> bool | None:
    """True: same speaker; None: unknown (needs very close wording); False: different."""
    if a.key and b.key:
        ka = {k for k in (a.key, a.words_of) if k}
        kb = {k for k in (b.key, b.words_of) if k}
        # One speaker spelled two ways ("Stoltenberg" / "Stoltenburg") is still one speaker.
        return bool(ka & kb) or any(word_variant(x, y, strict=False) for x in ka for y in kb)
    # A statement or a report is an institution's words, never a named person's.
    keys = _alias_keys()
    if (a.generic and (b.person or (b.key and b.key not in keys))) or (
        b.generic and (a.person or (a.key and a.key not in keys))
    ):
        return False
    return None


def similarity(a: Quote, b: Quote) -> tuple[float, int]:
    """Share of the shorter quote's content words found in the other, and how many."""
    ca, cb = a.content, b.content
    if not ca or not cb:
        return 0.0, 0
    shared = len(ca & cb)
    return shared / min(len(ca), len(cb)), shared


def _word_seq(q: Quote) -> list[str]:
    return [w for w, _, _ in q.words]


def agrees(a: Quote, b: Quote) -> bool:
    """Same words, one quote an exact fragment of the other, or no differing word at all."""
    wa, wb = _word_seq(a), _word_seq(b)
    if wa == wb:
        return True
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    n = len(short)
    if n > 0 and any(long[i:i + n] == short for i in range(len(long) - n + 1)):
        return True
    # Same words with a clause moved, or cut at different places.
    da, db = differing_words(a, b)
    return not da and not db


def differing_words(a: Quote, b: Quote) -> tuple[list[int], list[int]]:
    """Indices of the words of a and of b that the other quote does not have.

    Words a quote has beyond the other's start or end are not differences when the other quote
    simply starts later or ends earlier (two reporters cutting one sentence differently).
    Phrases that moved (a clause put first in one source) are not differences either.
    """
    wa, wb = _word_seq(a), _word_seq(b)
    matched_a: set[int] = set()
    matched_b: set[int] = set()
    for block in Indel.opcodes(wa, wb).as_matching_blocks():
        matched_a.update(range(block.a, block.a + block.size))
        matched_b.update(range(block.b, block.b + block.size))
    ignored_a: set[int] = set()
    ignored_b: set[int] = set()
    if matched_a and matched_b:
        # Edges present on one side only: the other reporter cut the sentence shorter.
        lead_a = set(range(min(matched_a)))
        lead_b = set(range(min(matched_b)))
        if not lead_a or not lead_b:
            ignored_a |= lead_a
            ignored_b |= lead_b
        tail_a = set(range(max(matched_a) + 1, len(wa)))
        tail_b = set(range(max(matched_b) + 1, len(wb)))
        if not tail_a or not tail_b:
            ignored_a |= tail_a
            ignored_b |= tail_b
    rest_a = [i for i in range(len(wa)) if i not in matched_a and i not in ignored_a]
    rest_b = [i for i in range(len(wb)) if i not in matched_b and i not in ignored_b]
    # Second pass: phrases that moved (runs of >= 2 words) are not differences.
    if rest_a and rest_b:
        sub_a = [wa[i] for i in rest_a]
        sub_b = [wb[i] for i in rest_b]
        moved_a: set[int] = set()
        moved_b: set[int] = set()
        for block in Indel.opcodes(sub_a, sub_b).as_matching_blocks():
            if block.size >= 2:
                moved_a.update(rest_a[block.a:block.a + block.size])
                moved_b.update(rest_b[block.b:block.b + block.size])
        rest_a = [i for i in rest_a if i not in moved_a]
        rest_b = [i for i in rest_b if i not in moved_b]
    return _same_words_written_apart(a, b, rest_a, rest_b)


def _capitalised(q: Quote, i: int) -> bool:
    _w, s, _e = q.words[i]
    return q.text[s - q.start:s - q.start + 1].isupper()


def _same_words_written_apart(
    a: Quote, b: Quote, rest_a: list[int], rest_b: list[int]
) -> tuple[list[int], list[int]]:
    """Differences that are only spelling: "air strikes" / "airstrikes" / "air-strikes", and a
    name spelled two ways (a name finding, not a misquote)."""
    wa, wb = _word_seq(a), _word_seq(b)
    drop_a: set[int] = set()
    drop_b: set[int] = set()
    for xs, ys, wx, wy, dx, dy in ((rest_a, rest_b, wa, wb, drop_a, drop_b),
                                   (rest_b, rest_a, wb, wa, drop_b, drop_a)):
        for i, j in itertools.pairwise(xs):
            if j != i + 1:
                continue
            joined = (wx[i] + wx[j]).replace("-", "")
            for k in ys:
                if wy[k].replace("-", "") == joined:
                    dx.update((i, j))
                    dy.add(k)
    for i in rest_a:
        for k in rest_b:
            if i in drop_a or k in drop_b:
                continue
            if wa[i].replace("-", "") == wb[k].replace("-", "") or (
                    _capitalised(a, i) and _capitalised(b, k)
                    and word_variant(wa[i], wb[k], strict=False)):
                drop_a.add(i)
                drop_b.add(k)
    return ([i for i in rest_a if i not in drop_a], [k for k in rest_b if k not in drop_b])


def _runs(q: Quote, idx: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive differing words merged into character ranges."""
    out: list[tuple[int, int]] = []
    prev = -2
    for i in sorted(idx):
        s, e = q.words[i][1], q.words[i][2]
        if i == prev + 1 and out:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
        prev = i
    return out


def _pairs(quotes: Sequence[Quote], analysis: Analysis) -> list[tuple[float, int, int]]:
    by_article: dict[int, list[int]] = {}
    for i, q in enumerate(quotes):
        by_article.setdefault(q.article, []).append(i)
    cands: list[tuple[float, int, int]] = []
    # Inverted index on content words keeps this well below all pairs.
    index: dict[str, set[int]] = {}
    for i, q in enumerate(quotes):
        for w in q.content:
            index.setdefault(w, set()).add(i)
    for i, q in enumerate(quotes):
        others: set[int] = set()
        for w in q.content:
            others |= index[w]
        for j in sorted(others):
            if j <= i or quotes[j].article == q.article:
                continue
            r = quotes[j]
            same = _compatible_speakers(q.speaker, r.speaker)
            if same is False:
                continue
            sim, shared = similarity(q, r)
            pa = analysis.passage_at(q.article, q.start)
            pb = analysis.passage_at(r.article, r.start)
            link = analysis.link_score(pa.ref, pb.ref) if pa and pb else 0.0
            if same is True:
                ok = sim >= 0.34 and shared >= 1
            else:
                # Unnamed on one side: the wording itself must show it is the same statement.
                ok = shared >= 4 and sim >= (0.5 if link > 0 else 0.65)
            if not ok:
                continue
            cands.append((sim + 0.3 * link + (0.2 if same else 0.0), i, j))
    # Best first; each quote pairs with at most one quote of each other article.
    cands.sort(key=lambda c: (-c[0], _qkey(quotes[c[1]], analysis), _qkey(quotes[c[2]], analysis)))
    taken: set[tuple[int, int]] = set()
    chosen: list[tuple[float, int, int]] = []
    for score, i, j in cands:
        if (i, quotes[j].article) in taken or (j, quotes[i].article) in taken:
            continue
        taken.add((i, quotes[j].article))
        taken.add((j, quotes[i].article))
        chosen.append((score, i, j))
    return chosen


def _qkey(q: Quote, analysis: Analysis) -> tuple[str, int]:
    return (analysis.articles[q.article].id, q.start)


def find_quote_conflicts(
    analysis: Analysis, quotes: Sequence[Quote] | None = None
) -> list[Finding]:
    """One `quote` finding per statement that sources word differently."""
    qs = list(quotes) if quotes is not None else extract_quotes(analysis)
    # Deterministic whatever the article order: sort by article id, then position.
    qs.sort(key=lambda q: _qkey(q, analysis))
    sets = DisjointSets(len(qs))
    for _, i, j in _pairs(qs, analysis):  # always i < j
        sets.union(i, j)
    findings: list[Finding] = []
    for members in sets.groups().values():
        if len(members) < 2:
            continue
        f = _cluster_finding(analysis, [qs[i] for i in members])
        if f is not None:
            findings.append(f)
    findings.sort(key=lambda f: [(s.article, s.start) for s in f.spans])
    return [
        Finding(id=f"q{i}", kind=f.kind, label=f.label, score=f.score, spans=f.spans,
                severity=f.severity)
        for i, f in enumerate(findings, 1)
    ]


def _cluster_finding(analysis: Analysis, members: list[Quote]) -> Finding | None:
    ids = [a.id for a in analysis.articles]
    # Sides: longest quotes first; a quote joins the side whose longest quote it agrees with
    # (same words or a fragment of it). A fragment that fits several sides ("immediately")
    # takes no side: it supports every version.
    order = sorted(range(len(members)), key=lambda i: (
        -len(members[i].words), ids[members[i].article], members[i].start))
    heads: list[int] = []
    groups: dict[int, list[int]] = {}
    for i in order:
        fits = [h for h in heads if agrees(members[i], members[h])]
        if not fits:
            heads.append(i)
            groups[i] = [i]
        elif len(fits) == 1:
            groups[fits[0]].append(i)
    if len(groups) < 2:
        return None

    def n_sources(g: list[int]) -> int:
        return len({members[i].article for i in g})

    sides = sorted(groups.values(), key=lambda g: (-n_sources(g), min(
        (ids[members[i].article], members[i].start) for i in g)))
    # The representative of a side is its longest quote.
    reps = [max(g, key=lambda i: (len(members[i].words), -members[i].start)) for g in sides]
    spans: list[Span] = []
    content_changed = False
    stop = _stop_words()
    for side, g in enumerate(sides):
        other = reps[1] if side == 0 else reps[0]
        for i in sorted(g, key=lambda i: (ids[members[i].article], members[i].start)):
            q = members[i]
            art = analysis.articles[q.article]
            d_self, d_other = differing_words(q, members[other])
            if any(q.words[k][0] not in stop for k in d_self) or any(
                members[other].words[k][0] not in stop for k in d_other
            ):
                content_changed = True
            runs = _runs(q, d_self) or [(q.start, q.end)]
            said_by = ({"text": q.speaker.name, "key": q.speaker.key or q.speaker.name.lower()}
                       if q.speaker.name else None)
            spans.extend(Span(art.id, s, e, art.text[s:e], None, side, claimant=said_by)
                         for s, e in runs)
    if not spans:
        return None
    speaker = next((members[i].speaker.name for i in reps if members[i].speaker.key), None)
    speaker = speaker or next((m.speaker.name for m in members if m.speaker.name), None)
    who = f"{_short_name(speaker)} quoted" if speaker else "Quote worded"
    chunks = word_diff(analysis, members[reps[0]], members[reps[1]])
    shown = "; ".join(f"“{_clip(a, 40) or '—'}” → “{_clip(b, 40) or '—'}”" for a, b in chunks[:2])
    if len(chunks) > 2:
        shown += f" (+{len(chunks) - 2} more)"
    counts = " vs ".join(str(n_sources(g)) for g in sides)
    label = f"{who} differently ({counts} sources): {shown or '—'}"
    sim = min(similarity(members[reps[0]], members[reps[1]])[0], 1.0)
    severity = DISCREPANCY if content_changed else VARIANT
    named = any(members[i].speaker.key for i in reps)
    score = (0.55 if content_changed else 0.3) + 0.2 * sim + (0.1 if named else 0.0)
    return Finding(id="", kind=QUOTE, label=label, score=min(score, 1.0), spans=tuple(spans),
                   severity=severity)


def word_diff(analysis: Analysis, a: Quote, b: Quote) -> list[tuple[str, str]]:
    """The word-level changes from quote a to quote b, as (words in a, words in b) pairs:
    replaced content words first, then added or dropped ones, then changes of small words."""
    d_a, d_b = differing_words(a, b)
    set_a, set_b = set(d_a), set(d_b)
    text_a = analysis.articles[a.article].text
    text_b = analysis.articles[b.article].text
    stop = _stop_words()
    chunks: list[tuple[int, int, str, str]] = []
    # Levenshtein opcodes pair a replaced word with its replacement ("worrying" -> "disturbing").
    for op in Levenshtein.opcodes(_word_seq(a), _word_seq(b)):
        if op.tag == "equal":
            continue
        ia = [k for k in range(op.src_start, op.src_end) if k in set_a]
        ib = [k for k in range(op.dest_start, op.dest_end) if k in set_b]
        if not ia and not ib:
            continue
        wa = " … ".join(text_a[s:e] for s, e in _runs(a, ia))
        wb = " … ".join(text_b[s:e] for s, e in _runs(b, ib))
        small = all(a.words[k][0] in stop for k in ia) and all(b.words[k][0] in stop for k in ib)
        # Order: replaced content words, then added/dropped ones, then small words.
        rank = 2 if small else (0 if ia and ib else 1)
        chunks.append((rank, len(chunks), " ".join(wa.split()), " ".join(wb.split())))
    chunks.sort(key=lambda c: (c[0], c[1]))
    return [(wa, wb) for _, _, wa, wb in chunks]


def _short_name(name: str) -> str:
    name = " ".join(name.split())
    return name[4:] if name.lower().startswith("the ") else name


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
