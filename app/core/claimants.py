"""Claimants: who gives a figure, as the article tells it.

"At least 25 civilians were killed, the Syrian Observatory for Human Rights said"; "according to
the health directorate"; "state TV reported"; "a monitor said Sunday, putting the toll at 40";
"citing medical sources"; a claimant named in one sentence and called "the monitor", "the group"
or "he" in the next. `None` when the outlet says it in its own voice.

Keys are normalised within a comparison through resources/entity_aliases.tsv (the Observatory =
SOHR = the Britain-based monitor) and, for unnamed sources, the kind of source ("activists",
"medical sources", "state media"), so that two reports citing one claimant agree.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.entities import EntityIndex, aliases, entity_key, fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_REPORTING_TEXT = """
    say tell report announce add put estimate document confirm claim state record count give
    cite quote declare publish reveal write tweet post indicate show note
    """
REPORTING = frozenset(_REPORTING_TEXT.split())
# Sources without a name: the kind of source is the key.
_GENERIC_KINDS: dict[str, str] = {
    "activist": "activists", "activists": "activists", "resident": "residents",
    "residents": "residents", "witness": "witnesses", "witnesses": "witnesses",
    "medic": "medical sources", "medics": "medical sources", "doctor": "medical sources",
    "doctors": "medical sources", "hospital": "medical sources",
    "official": "officials", "officials": "officials", "source": "sources",
    "sources": "sources", "media": "state media", "tv": "sana",
    "television": "sana", "agency": "news agency", "ministry": "ministry",
    "police": "police", "army": "army", "military": "military", "governor": "governor",
    "reports": "local reports", "report": "local reports",
    "opponents": "opposition", "opposition": "opposition", "rebels": "opposition",
}
_GENERIC_VALUES = frozenset(_GENERIC_KINDS.values())
# Words that refer back to a claimant named before.
_ANAPHORS = frozenset({"he", "she", "it", "they", "monitor", "group", "observatory",
                       "organisation", "organization", "body", "watchdog", "ngo"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that"})


@dataclass(frozen=True)
class Claimant:
    text: str  # as written: "the Syrian Observatory for Human Rights"
    key: str  # within the comparison: "sohr", "activists", "state media"

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "key": self.key}


class Attribution:
    """What one article has named as a source so far, for "the monitor said" and "he added"."""

    def __init__(self) -> None:
        self.last: Claimant | None = None


def _phrase(tok: Token) -> tuple[str, bool]:
    """(text, named) of the noun phrase a subject token heads: its entity, else its compound
    chain with adjectives ("the Britain-based monitor", "medical sources")."""
    ent = EntityIndex.of(tok.doc).at(tok.i)
    if ent is not None and ent.label_ in ("ORG", "PERSON", "GPE", "NORP", "FAC"):
        return ent.text, True
    left = [c for c in tok.children if c.i < tok.i and c.dep_ in (
        "compound", "amod", "det", "poss", "nmod", "npadvmod") and not c.like_num]
    start = min([tok.i, *(c.i for c in left)])
    # Hyphenated modifiers ("Britain-based") sit on the adjective's own children.
    for c in left:
        start = min([start, *(t.i for t in c.subtree)])
    end = tok.i + 1
    # "the Syrian Observatory for Human Rights", "the health directorate of Idlib"
    for c in tok.children:
        if c.dep_ == "prep" and c.i > tok.i and c.lower_ in ("for", "of"):
            end = max(t.i for t in c.subtree) + 1
    text = tok.doc[start:end].text
    return text, tok.pos_ == "PROPN" or fold(text) in aliases()


def _key(text: str) -> str:
    folded = re.sub(r"^(?:a|an)\s+", "", fold(text))
    table = aliases()
    if folded in table:
        return table[folded]
    # "Observatory head Rami Abdel Rahman", "the director of the Syrian Observatory for Human
    # Rights": a known source named inside the phrase.
    for name in _alias_names():
        if re.search(rf"\b{re.escape(name)}\b", folded):
            return table[name]
    words = re.findall(r"[a-z]+", folded)
    # "the Britain-based monitor", "a monitoring group": the Observatory in Syria's war
    # coverage is in the alias table; everything else by its head noun.
    for w in reversed(words):
        if w in _GENERIC_KINDS:
            return _GENERIC_KINDS[w]
    return entity_key(text)


@functools.lru_cache(maxsize=1)
def _alias_keys() -> frozenset[str]:
    return frozenset(aliases().values())


@functools.lru_cache(maxsize=1)
def _alias_names() -> tuple[str, ...]:
    """Alias names distinctive enough to find inside a longer phrase, longest first."""
    names = [n for n in aliases() if len(n) >= 5 and n not in ("the alliance",)]
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("that", "which", "who"):
            return c
    # "saying ...", "putting the toll at 40": the subject of the verb it hangs on.
    if verb.dep_ in ("advcl", "xcomp", "conj", "acl") and verb.head.i != verb.i:
        for c in verb.head.children:
            if c.dep_ == "nsubj":
                return c
    return None


def _according_to(tok: Token) -> Token | None:
    """"according to X", "citing X" in the sentence of `tok`, nearest first."""
    best: tuple[int, Token] | None = None
    for t in tok.sent:
        found: Token | None = None
        if t.lower_ == "according" and t.i + 1 < t.sent.end and t.doc[t.i + 1].lower_ == "to":
            found = next((c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if found is None and t.i + 2 < t.sent.end:
                found = t.doc[t.i + 2]
                while found.i + 1 < t.sent.end and found.head.i > found.i:
                    found = found.head
        elif t.lower_ in ("citing", "quoting"):
            found = next((c for c in t.children if c.dep_ == "dobj"), None)
        if found is not None and (best is None or abs(t.i - tok.i) < best[0]):
            best = (abs(t.i - tok.i), found)
    return best[1] if best else None


def claimant_of(tok: Token, state: Attribution) -> Claimant | None:
    """Who gives the figure at `tok`, resolving "the monitor" / "he" to the last named one."""
    source: Token | None = None
    cur = tok
    for _ in range(8):
        h = cur.head
        if h.i == cur.i:
            break
        if h.pos_ == "VERB" and (h.lemma_ or "").lower() in REPORTING and h.i != tok.i:
            source = _subject(h)
            if source is not None:
                break
        cur = h
    if source is None:
        root = tok.sent.root
        if (root.lemma_ or "").lower() in REPORTING:
            source = _subject(root)
    if source is None:
        source = _according_to(tok)
    if source is None:
        return None
    text, named = _phrase(source)
    low = source.lower_
    if low in _ANAPHORS and state.last is not None and not named:
        return state.last
    if low in ("he", "she", "it", "they", "we", "i"):
        return state.last
    claimant = Claimant(" ".join(text.split()), _key(text))
    generic = claimant.key in _GENERIC_VALUES
    known = claimant.key in _alias_keys()
    ent = EntityIndex.of(source.doc).at(source.i)
    if not (generic or known or (
            ent is not None and ent.label_ in ("ORG", "PERSON", "GPE", "NORP"))):
        return None  # "the attack said", "people said": not a source the parse can trust
    if not generic:
        state.last = claimant
    return claimant


_HEADLINE_SOURCE = re.compile(
    r"\b(Monitor|Observatory|State media|State TV|state media|state TV|Activists|activists|"
    r"Medics|medics|Rescuers|rescuers)(?:\s+(?:AFP|Reuters|AP))?\s*(?:[.:]|\s+(?:Mon|Tue|Wed|"
    r"Thu|Fri|Sat|Sun)\w*\s|\s+\d|\s+[A-Z]|\s*$)")


def headline_claimant(text: str) -> Claimant | None:
    """An agency headline's trailing source: "Air raids kill 31 jihadists in Raqa Monitor",
    "Aleppo bomb blast kills six State TV"."""
    m = _HEADLINE_SOURCE.search(text[:220])
    if m is None:
        return None
    word = m.group(1)
    key = _key("the " + word.lower()) if word.lower() in ("monitor", "observatory") else _key(
        word)
    return Claimant(word, key)


def sentence_claimants(doc: Doc, start: int, end: int) -> list[Claimant]:
    """Every claimant named in a stretch of text (for tests and labels)."""
    state = Attribution()
    out: list[Claimant] = []
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return out
    for tok in span:
        if tok.like_num:
            c = claimant_of(tok, state)
            if c is not None and c not in out:
                out.append(c)
    return out
