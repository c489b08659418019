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
from app.core.outlets import is_agency

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_REPORTING_TEXT = """
    say tell report announce add put estimate document confirm claim state record count give
    cite quote declare publish reveal write tweet post indicate show note
    update revise raise
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
    """What one article has named as a source so far, for "the monitor said" and "he added";
    and the people it introduces as speaking for a known source ("Observatory head Rami Abdel
    Rahman"), by surname, so that "Abdel Rahman told AFP" is the Observatory too."""

    def __init__(self, doc: Doc | None = None) -> None:
        self.last: Claimant | None = None
        self.people: dict[str, str] = {}
        if doc is not None:
            for ent in EntityIndex.of(doc).ents:
                if ent.label_ == "PERSON":
                    org = _title_org(ent)
                    if org is not None:
                        self.people.setdefault(fold(ent[-1].text), org)

    def org_of(self, ent: Span) -> str | None:
        return _title_org(ent) or self.people.get(fold(ent[-1].text))


# "Observatory head X", "X, director of the Syrian Observatory": a person speaking for a source.
_TITLES = frozenset({"head", "director", "chief", "founder", "spokesman", "spokeswoman",
                     "spokesperson", "chairman", "president", "leader", "official", "boss"})


def _title_org(ent: Span) -> str | None:
    doc = ent.doc
    sent = doc[ent.start].sent
    for window in (doc[max(sent.start, ent.start - 5):ent.start],
                   doc[ent.end:min(sent.end, ent.end + 10)]):
        words = [t.lower_ for t in window]
        if not set(words) & _TITLES:
            continue
        if window.start >= ent.end and words[:1] not in ([","], ["the"], ["head"], ["director"],
                                                         ["chief"], ["founder"], ["spokesman"]):
            continue  # after the name only as its apposition: "X, head of ..."
        name = _alias_named_in(fold(window.text))
        if name is not None:
            return aliases()[name]
    return None


def _phrase(tok: Token) -> tuple[str, bool]:
    """(text, named) of the noun phrase a subject token heads: its entity, else its compound
    chain with adjectives ("the Britain-based monitor", "medical sources")."""
    ent = EntityIndex.of(tok.doc).at(tok.i)
    if ent is not None and ent.label_ in ("ORG", "PERSON", "GPE", "NORP", "FAC"):
        return _after_run_on(ent.text), True
    left = [c for c in tok.children if c.i < tok.i and c.dep_ in (
        "compound", "amod", "det", "poss", "nmod", "npadvmod") and not c.like_num]
    start = min([tok.i, *(c.i for c in left)])
    # Hyphenated modifiers ("Britain-based") sit on the adjective's own children.
    for c in left:
        start = min([start, *(t.i for t in c.subtree)])
    # "the Syrian Observatory for Human Rights monitoring group": the name the chain ends.
    index = EntityIndex.of(tok.doc)
    for i in range(start, tok.i):
        inner = index.at(i)
        if inner is not None and inner.label_ in ("ORG", "PERSON", "NORP", "FAC", "GPE") and (
                inner.start < start):
            start = inner.start
            break
    end = tok.i + 1
    # "the Syrian Observatory for Human Rights", "the health directorate of Idlib", "a source at
    # Aleppo Police Command"
    for c in tok.children:
        if c.dep_ == "prep" and c.i > tok.i and c.lower_ in ("for", "of", "at"):
            end = max(t.i for t in c.subtree) + 1
    text = _after_run_on(tok.doc[start:end].text)
    return text, tok.pos_ == "PROPN" or fold(text) in aliases()


def _after_run_on(text: str) -> str:
    """"Hassakeh the Syrian Observatory for Human Rights": text that lost its comma runs the
    place before into the name; the name starts at its article."""
    m = re.search(r"^[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)* (?=the [A-Z])", text)
    return text[m.end():] if m else text


@functools.lru_cache(maxsize=8192)
def _key(text: str) -> str:
    folded = re.sub(r"^(?:a|an)\s+", "", fold(text))
    table = aliases()
    if folded in table:
        return table[folded]
    # "Observatory head Rami Abdel Rahman", "the director of the Syrian Observatory for Human
    # Rights": a known source named inside the phrase.
    name = _alias_named_in(folded)
    if name is not None:
        return table[name]
    if _written_body(text):
        return re.sub(r"^the\s+", "", folded)  # a body by its full name, never its last word
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


@functools.lru_cache(maxsize=1)
def _any_alias_re() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, _alias_names())) + r")\b")


# "the Union of Syrian Medical Relief Organisations": a body of Syrians, not Syria's state. A
# one-word name (a country, its adjective) after one of these words names the members.
_BODY_OF = re.compile(
    r"\b(?:union|federation|association|league|network|council|committee|society|syndicate|"
    r"assembly|congress|organi[sz]ation|organi[sz]ations)\s+of\b")


def _written_body(text: str) -> bool:
    """A body's full name the tagger did not mark: "the Union of Syrian Medical Relief
    Organisations" (capitalised words, "a union / an association ... of")."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", text)
             if w.lower() not in ("the", "of", "for", "and")]
    return (len(words) >= 3 and all(w[:1].isupper() for w in words)
            and _BODY_OF.search(fold(text)) is not None)


def _alias_named_in(folded: str) -> str | None:
    """The longest distinctive alias name inside a folded phrase, or None. (One scan says
    whether any is there; most phrases name none.) A one-word name inside "a union of …"
    tells who the members are, not which party speaks (`_BODY_OF`)."""
    if not _any_alias_re().search(folded):
        return None
    body = _BODY_OF.search(folded)
    for name in _alias_names():
        if name not in folded:  # the same answer as the search below, without compiling it
            continue
        found = re.search(rf"\b{re.escape(name)}\b", folded)
        if found is None:
            continue
        if body is not None and " " not in name and found.start() >= body.end():
            continue
        return name
    return None


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and (
                c.lower_ not in ("that", "which", "who") or c.text == "WHO"):
            return c  # "WHO said": the World Health Organization, not a relative pronoun
    # "saying ...", "putting the toll at 40": the subject of the verb it hangs on.
    if verb.dep_ in ("advcl", "xcomp", "conj", "acl") and verb.head.i != verb.i:
        # "... on Tuesday night the Union of Syrian Medical Organisations reported that": a
        # name ending just before a verb the parse hung on another one is its subject.
        named = _name_ending_before(verb)
        if named is not None:
            return named
        for c in verb.head.children:
            if c.dep_ == "nsubj":
                return c
    return None


def _name_ending_before(verb: Token) -> Token | None:
    """The head of a name written out right before `verb` ("the Union of Syrian Medical
    Organisations reported"): a capitalised noun, climbing "of" / "for" to the capitalised
    noun the name starts with. None when another word (such as "and") stands between."""
    i = verb.i - 1
    if i < verb.sent.start:
        return None
    tok = verb.doc[i]
    if tok.pos_ not in ("NOUN", "PROPN") or not tok.text[:1].isupper():
        return None
    while (tok.dep_ == "pobj" and tok.head.lower_ in ("of", "for")
           and tok.head.head.pos_ in ("NOUN", "PROPN") and tok.head.head.text[:1].isupper()):
        tok = tok.head.head
    return tok


def _outside_quote(subject: Token | None, verb: Token, tok: Token) -> Token | None:
    """'"... because there are people missing" the Observatory said': no one inside the
    quotation that holds the figure is its speaker, whatever the parse made the verb's subject;
    the speaker is the name between the closing quote and the verb."""
    if verb.i <= tok.i:
        return subject
    close = next((t for t in reversed(tok.doc[tok.i + 1:verb.i]) if t.is_quote), None)
    if close is None or (subject is not None and subject.i > close.i):
        return subject
    return _noun_before(verb)


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


_CLAUSE_AFTER_SOURCE = frozenset({"while", "whereas", "adding", "but"})


def _final_reporter(tok: Token) -> Token | None:
    """The source of a sentence that ends "... a monitoring group said on Wednesday" or "... a
    local source told Sputnik", however the parse attached the reporting verb: the subject of
    the last reporting verb after the figure, when nothing but its own phrase follows it."""
    sent = tok.sent
    verb = next((t for t in reversed(sent) if t.i > tok.i and t.pos_ in ("VERB", "AUX")), None)
    # "... were evacuees the monitoring group said while the rest were aid workers": a
    # reporting verb that a new clause follows ends what it reports.
    before_clause = next((t for t in sent if tok.i < t.i < sent.end - 1 and t.pos_ == "VERB"
                          and (t.lemma_ or "").lower() in REPORTING
                          and t.doc[t.i + 1].lower_ in _CLAUSE_AFTER_SOURCE), None)
    if before_clause is not None:
        verb = before_clause
    elif verb is not None and verb.tag_ == "VBG" and verb.i > tok.i + 1 and (
            verb.doc[verb.i - 1].pos_ == "VERB"
            and (verb.doc[verb.i - 1].lemma_ or "").lower() in REPORTING):
        verb = verb.doc[verb.i - 1]  # "... the Observatory said updating a previous toll of 112"
    elif verb is not None and sent.end - verb.i > 7:
        return None  # "... said the attack had killed ten": the figure is in what follows
    if verb is None or (verb.lemma_ or "").lower() not in REPORTING:
        return None
    subject = _outside_quote(next((c for c in verb.children if c.dep_ in (
        "nsubj", "nsubjpass")), None), verb, tok)
    if subject is None:
        prev = verb.doc[verb.i - 1] if verb.i > sent.start else None
        if prev is not None and prev.pos_ in ("NOUN", "PROPN"):
            subject = prev
    if subject is None or subject.i <= tok.i or subject.lower_ in ("that", "which", "who"):
        return None
    # "the Syrian Observatory for Human Rights and medics said": the first one named.
    while subject.dep_ == "conj" and subject.head.i > tok.i and subject.head.pos_ in (
            "NOUN", "PROPN"):
        subject = subject.head
        # "... for Human Rights and medics": from "Rights" up to "Observatory".
        while subject.dep_ == "pobj" and subject.head.lower_ in ("for", "of") and (
                subject.head.head.pos_ in ("NOUN", "PROPN") and subject.head.head.i > tok.i):
            subject = subject.head.head
    return subject


def claimant_of(tok: Token, state: Attribution) -> Claimant | None:
    """Who gives the figure at `tok`, resolving "the monitor" / "he" to the last named one."""
    source: Token | None = None
    cur = tok
    for _ in range(8):
        h = cur.head
        if h.i == cur.i:
            break
        if h.pos_ == "VERB" and (h.lemma_ or "").lower() in REPORTING and h.i != tok.i:
            source = _outside_quote(_subject(h), h, tok)
            if source is not None:
                break
        cur = h
    if source is None:
        root = tok.sent.root
        if (root.lemma_ or "").lower() in REPORTING:
            source = _subject(root)
    if source is None:
        source = _final_reporter(tok)
    if source is None:
        source = _according_to(tok)
    if source is None:
        source = _added_by(tok)
    if source is None:
        return None
    return _claimant(source, state)


def _added_by(tok: Token) -> Token | None:
    """"... reportedly killing at least 19. ... the Observatory further said ...": a source that
    "further" or "also" says something in the next sentence said the figure before it."""
    sent = tok.sent
    if sent.end >= len(tok.doc):
        return None
    nxt = tok.doc[sent.end].sent
    for verb in nxt:
        if (verb.pos_ == "VERB" and (verb.lemma_ or "").lower() in REPORTING and any(
                c.dep_ == "advmod" and c.lower_ in ("further", "also") for c in verb.children)):
            source = _subject(verb) or _noun_before(verb)
            if source is not None and source.lower_ not in ("he", "she", "it", "they", "i", "we"):
                return source
    return None


def _noun_before(verb: Token) -> Token | None:
    """The name just before a verb the parse gave no subject ("... the Syrian Observatory for
    Human Rights further said"), as its head noun ("Observatory")."""
    i = verb.i - 1
    while i >= verb.sent.start and verb.doc[i].dep_ == "advmod":
        i -= 1
    if i < verb.sent.start or verb.doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    tok = verb.doc[i]
    while tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in (
            "NOUN", "PROPN"):
        tok = tok.head.head
    return tok


def _claimant(source: Token, state: Attribution) -> Claimant | None:
    text, named = _phrase(source)
    low = source.lower_
    if low in _ANAPHORS and state.last is not None and not named:
        return state.last
    if low in ("he", "she", "it", "they", "we", "i"):
        return state.last
    claimant = Claimant(" ".join(text.split()), _key(text))
    ent = EntityIndex.of(source.doc).at(source.i)
    if ent is not None and ent.label_ == "PERSON":
        org = state.org_of(ent)
        if org is not None:
            claimant = Claimant(claimant.text, org)
    generic = claimant.key in _GENERIC_VALUES
    known = claimant.key in _alias_keys()
    if not (generic or known or _written_body(text) or (
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


# "(Source: Syrian Coalition)", "Source: the Health Ministry": a statement an outlet publishes as
# it came. A news agency's credit ("Source: Reuters") is reporting, not a party's claim.
_SOURCE_CREDIT = re.compile(
    r"(?:^|\()\s*Source\s*:\s*((?:the\s+)?[A-Z][^()\n:]{1,50}?)\s*(?:\)|\.?\s*$)", re.M)


def credited_claimant(text: str) -> Claimant | None:
    """The party whose statement the whole text is, when a credit names one that is not a news
    agency: its figures given in the outlet's own voice are that party's."""
    for m in _SOURCE_CREDIT.finditer(text):
        name = m.group(1).strip().rstrip(".")
        if name and not is_agency(name) and "://" not in name and "www." not in name.lower():
            return Claimant(name, _key(name))
    return None


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
