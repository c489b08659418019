"""Claims: what a figure counts, in which event, whose, and when.

For every figure `quantities.find_quantities` finds in a passage, the dependency parse of that
passage's Doc gives:
- the counted thing: the noun the figure modifies ("14,000 people"), the noun after "of" for
  vague amounts ("thousands of troops"), the noun an adjectival measure describes ("seven-year
  conflict"), the subject or object of the verb a duration hangs on ("the exercises would be
  finished in two weeks"); a window of three tokens when the parse gives nothing;
- the event: a verb modifying the counted noun ("civilians killed") or the verb or event noun
  it hangs on ("has killed 14,000 people", "the deployment of thousands of troops"), with
  light verbs and idioms mapped ("claimed the lives of" = killed);
- the owner: a possessive or national adjective on the noun ("Russia's", "Russian troops"), else
  the subject of the event verb when it is a named party ("NATO had deployed"), as an entity key
  (Moscow = Russia);
- the time: the date expressions of the sentence (for labels).

Classes come from small synonym maps: troops = soldiers = servicemen, but people, civilians and
residents are three different things, and so are armies, units and warships.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.analysis import Analysis, Passage, PassageRef
from app.core.entities import EntityIndex, entity_key
from app.core.quantities import COUNT, DURATION, ORDINAL, Quantity, find_quantities

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Counted things that are one class. Anything not listed is its own class (its lemma).
_COUNTED_GROUPS: tuple[tuple[str, ...], ...] = (
    ("troop", "soldier", "serviceman", "servicemen", "servicemember", "personnel", "trooper"),
    ("people", "person", "individual", "death", "fatality", "dead", "life"),
    ("civilian", "noncombatant", "non-combatant"),
    ("resident", "inhabitant", "citizen", "population"),
    ("warship", "ship", "vessel", "frigate", "cruiser", "battleship"),
    ("destroyer",),
    ("army",),
    ("unit", "battalion", "brigade", "division", "regiment"),
    ("tank",),
    ("aircraft", "plane", "jet", "warplane", "fighter", "helicopter"),
    ("weapon", "arm", "equipment"),
    ("exercise", "manoeuvre", "maneuver", "drill"),
    ("conflict", "war", "fighting"),
    ("child", "kid", "boy", "girl"),
    ("refugee", "displaced"),
    ("country", "nation", "state"),
    ("ally",),
    ("diplomat",),
)
COUNTED_CLASS: dict[str, str] = {w: g[0] for g in _COUNTED_GROUPS for w in g}
# Counting deaths implies the event.
_DEATH_NOUNS = frozenset({"death", "fatality", "dead", "life"})

_EVENT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("kill", "die", "death", "slay", "murder", "perish", "dead", "fatality"),
    ("wound", "injure", "hurt", "injury"),
    ("deploy", "deployment", "move", "movement", "relocate", "send", "dispatch", "bring",
     "mass", "amass", "station", "mobilise", "mobilize", "mobilisation", "mobilization",
     "transfer", "build", "buildup", "build-up", "arrive", "sail", "position", "concentrate",
     "concentration", "reinforce", "gather", "head", "redeploy", "pull", "withdraw"),
    ("finish", "complete", "end", "last", "conclude", "wrap", "continue", "run"),
    ("arrest", "detain", "jail", "imprison"),
    ("displace", "flee", "evacuate"),
    ("inhabit", "live", "populate"),
)
EVENT_CLASS: dict[str, str] = {w: g[0] for g in _EVENT_GROUPS for w in g}
# Verbs that carry no event of their own ("has 14,000 troops", "said ... 14,000").
_LIGHT_VERBS = frozenset({
    "be", "have", "say", "report", "record", "include", "accord", "tell", "add", "estimate",
    "put", "count", "number", "total", "reach", "see", "show", "make", "get", "become",
})
_CONTROL_VERBS = frozenset({
    "slate", "expect", "set", "schedule", "plan", "begin", "start", "try", "want", "intend",
    "due", "likely", "going", "hope", "aim", "seek", "threaten", "continue",
})
# The small model lemmatises some of these oddly ("slated" -> "slat"): match the forms too.
_CONTROL_FORMS = frozenset({"slated", "expected", "scheduled", "planned", "due", "set"})
_TIME_NOUNS = frozenset({
    "week", "month", "year", "day", "time", "hour", "minute", "half", "quarter", "decade",
    "century", "round", "place", "person", "thing", "step", "sight", "instance", "glance",
    "phase", "stage", "part", "term", "lady", "hand",
})
_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "our", "this", "that", "these"})
_OWNER_LABELS = frozenset({"GPE", "ORG", "NORP", "PERSON"})


@dataclass(frozen=True)
class Claim:
    article: int
    passage: PassageRef
    quantity: Quantity  # offsets are article offsets
    counted: str  # class key ("troop", "people")
    counted_text: str  # as written, with its compound ("paratrooper units")
    event: str | None  # class key ("kill", "deploy")
    event_text: str | None  # lemma as written ("claim" for "claimed the lives")
    owner: str | None  # entity key ("russia", "nato")
    owner_text: str | None
    time: str | None  # dates of the sentence, for labels
    context: frozenset[str]  # passage tokens and entity keys, without the claim's own words

    @property
    def kind(self) -> str:
        return self.quantity.kind


def counted_class(lemma: str) -> str:
    return COUNTED_CLASS.get(lemma, lemma)


def event_class(lemma: str | None) -> str | None:
    if lemma is None:
        return None
    return EVENT_CLASS.get(lemma, lemma)


def _lemma(tok: Token) -> str:
    return (tok.lemma_ or tok.text).lower()


def _is_noun(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") or (tok.pos_ == "ADJ" and tok.tag_ == "NNS")


def _counted_noun(doc: Doc, q: Quantity, num: Span) -> Token | None:
    last = num[-1]
    after = doc[num.end] if num.end < len(doc) else None
    # "thousands of troops", "a total of 13,000 people" (the figure, then "of" + noun).
    if after is not None and after.lower_ == "of":
        for c in after.children:
            if c.dep_ == "pobj" and _is_noun(c):
                return c
    head = last.head
    if head.i >= num.end and _is_noun(head) and last.dep_ in (
        "nummod", "quantmod", "amod", "compound", "nmod", "npadvmod", "det", "advmod",
    ):
        return head
    # "a population of more than two million".
    if head.lower_ == "of" and head.head.i < num.start and _is_noun(head.head):
        return head.head
    # Window fallback: a common noun within three tokens after the figure, with only
    # adjectives or compounds between ("14,000 combat-ready troops").
    for tok in doc[num.end:min(len(doc), num.end + 3)]:
        if tok.pos_ == "NOUN" and not tok.like_num:
            return tok
        if tok.pos_ not in ("ADJ", "ADV") and not (tok.is_punct and tok.text == "-"):
            break
    return None


def _expand_noun(tok: Token) -> str:
    # Compounds that name a party ("U.S. warships") are the owner, not the thing counted.
    mods = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i and not c.like_num
            and not c.ent_type_]
    start = min([tok.i, *(c.i for c in mods)])
    return tok.doc[start:tok.i + 1].text


def _event_of(noun: Token | None, anchor: Token) -> Token | None:
    """The verb or event noun a counted noun (or a bare figure) takes part in."""
    if noun is not None:
        for c in noun.children:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and _lemma(c) not in _LIGHT_VERBS:
                return c
    cur = noun if noun is not None else anchor
    for _ in range(6):
        h = cur.head
        if h.i == cur.i:
            break
        if h.pos_ in ("VERB", "AUX"):
            # "are slated to arrive", "expected to reach": the event is the second verb.
            if _lemma(h) in _CONTROL_VERBS or h.lower_ in _CONTROL_FORMS:
                for c in h.children:
                    if c.dep_ == "xcomp" and c.pos_ == "VERB":
                        return c
            if _lemma(h) not in _LIGHT_VERBS or _lemma(h) == "claim":
                return h
            # "said Russia had moved ...": the reporting verb is not the event.
            return None
        if h.pos_ == "NOUN" and _lemma(h) in EVENT_CLASS:
            return h
        cur = h
    return None


def _event_key(ev: Token | None, counted_lemma: str) -> tuple[str | None, str | None]:
    if ev is None:
        return ("kill", None) if counted_lemma in _DEATH_NOUNS else (None, None)
    lemma = _lemma(ev)
    objects = {_lemma(c) for c in ev.children if c.dep_ in ("dobj", "nsubjpass")}
    if lemma in ("claim", "take", "cost", "lose") and "life" in objects:
        return "kill", lemma
    if lemma == "claim":
        return None, None
    return event_class(lemma), lemma


def _owner_of(noun: Token | None, ev: Token | None) -> tuple[str | None, str | None]:
    if noun is not None:
        for c in noun.children:
            if c.dep_ == "poss" and (c.ent_type_ in _OWNER_LABELS or c.pos_ == "PROPN"):
                text = _ent_text(c)
                return entity_key(text), text
            if c.dep_ in ("amod", "compound", "nmod") and c.ent_type_ in _OWNER_LABELS:
                text = _ent_text(c)
                return entity_key(text), text
    if ev is not None:
        for c in ev.children:
            if c.dep_ == "nsubj" and (c.ent_type_ in _OWNER_LABELS or c.pos_ == "PROPN"):
                text = _ent_text(c)
                return entity_key(text), text
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj" and p.ent_type_ in _OWNER_LABELS:
                        text = _ent_text(p)
                        return entity_key(text), text
    return None, None


def _ent_text(tok: Token) -> str:
    ent = EntityIndex.of(tok.doc).at(tok.i)
    return ent.text if ent is not None else tok.text


def _sentence_owner(sent: Span, cls: str, exclude: int) -> tuple[str | None, str | None]:
    """Owner of another mention of the same counted class in the sentence ("the deployment of
    thousands of troops ... the largest mobilisation of Russian troops")."""
    for tok in sent:
        if tok.i == exclude or not _is_noun(tok) or counted_class(_lemma(tok)) != cls:
            continue
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss") and c.ent_type_ in _OWNER_LABELS:
                text = _ent_text(c)
                return entity_key(text), text
    return None, None


def _duration_parts(
    doc: Doc, q: Quantity, num: Span
) -> tuple[Token | None, Token | None]:
    """(described noun, event) for a duration: "seven-year conflict" -> conflict;
    "finished in two weeks" -> (exercises, finished)."""
    last = doc.char_span(q.start, q.end, alignment_mode="expand")
    if last is None:
        return None, None
    tokens = list(last)
    if q.adjectival:
        for tok in tokens:
            h = tok.head
            if h.i >= last.end and _is_noun(h):
                return h, None
        nxt = doc[last.end] if last.end < len(doc) else None
        return (nxt if nxt is not None and _is_noun(nxt) else None), None
    unit = tokens[-1]
    cur = unit
    verb: Token | None = None
    for _ in range(4):
        h = cur.head
        if h.i == cur.i:
            break
        if h.pos_ in ("VERB", "AUX"):
            verb = h
            break
        cur = h
    if verb is None:
        return None, None
    subj = obj = None
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and _is_noun(c) and not c.ent_type_:
            subj = c
        elif c.dep_ == "dobj" and _is_noun(c):
            obj = c
    return subj or obj, verb


def _date_text(sent: Span) -> str | None:
    ents = EntityIndex.of(sent.doc).between(sent.start_char, sent.end_char)
    dates = [e.text for e in ents if e.label_ == "DATE"]
    return ", ".join(dates) if dates else None


def _passage_entities(doc: Doc, p: Passage) -> set[str]:
    out: set[str] = set()
    for ent in EntityIndex.of(doc).between(p.start, p.end):
        if ent.label_ in ("GPE", "ORG", "PERSON", "LOC", "FAC", "EVENT", "NORP"):
            out.add("@" + entity_key(ent.text))
    return out


def claims_in_passage(doc: Doc, p: Passage) -> Iterator[Claim]:
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None:
        return
    entities: set[str] | None = None
    for q0 in find_quantities(p.text):
        q = _shifted(q0, p.start)
        num = doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
        if num is None or len(num) == 0:
            continue
        first = num[0]
        if q.kind not in (DURATION,) and first.ent_type_ in ("DATE", "TIME"):
            continue  # "March 18", "2014", "the first week of April"
        after = doc[num.end] if num.end < len(doc) else None
        if q.year_like and not (after is not None and after.tag_ == "NNS"):
            continue
        noun: Token | None
        ev: Token | None
        if q.kind == DURATION:
            noun, ev = _duration_parts(doc, q, num)
        elif q.kind == ORDINAL:
            noun = first.head if first.dep_ == "amod" and _is_noun(first.head) else None
            if noun is None or _lemma(noun) in _TIME_NOUNS:
                continue
            if not any(c.lower_ in _DETERMINERS or c.dep_ == "poss" for c in noun.children):
                continue
            ev = None
        else:
            noun = _counted_noun(doc, q, num)
            ev = None
        if noun is None:
            continue
        lemma = _lemma(noun)
        if q.measure_noun is not None and q.kind == COUNT:
            lemma = q.measure_noun.rstrip("s")
        cls = counted_class(lemma)
        if q.kind != DURATION:
            ev = _event_of(noun, num[-1])
        event, event_text = _event_key(ev, lemma)
        owner, owner_text = _owner_of(noun, ev)
        sent = first.sent
        if owner is None and q.kind == COUNT:
            owner, owner_text = _sentence_owner(sent, cls, noun.i)
        if entities is None:
            entities = _passage_entities(doc, p)
        own = {lemma, cls, event_text or "", event or "", q.text.lower()}
        # Years stay in the context ("since 2014"); other figures are what is being compared.
        context = frozenset(
            t for t in p.tokens if t not in own and (not t[:1].isdigit() or _is_year(t))
        )
        yield Claim(
            article=p.article,
            passage=p.ref,
            quantity=q,
            counted=(q.kind + ":" + cls) if q.kind != COUNT else cls,
            counted_text=(
                q.measure_noun if q.measure_noun is not None
                else noun.text if q.kind == DURATION else _expand_noun(noun)
            ),
            event=event,
            event_text=event_text,
            owner=owner,
            owner_text=owner_text,
            time=_date_text(sent),
            context=context | frozenset(entities - ({"@" + owner} if owner else set())),
        )


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1800 <= int(token) <= 2100


def _shifted(q: Quantity, offset: int) -> Quantity:
    from dataclasses import replace

    return replace(
        q, start=q.start + offset, end=q.end + offset, num_start=q.num_start + offset,
        num_end=q.num_end + offset,
    )


def extract_claims(analysis: Analysis) -> list[Claim]:
    """Every claim in every article outside page furniture, in text order."""
    out: list[Claim] = []
    for ai, doc in enumerate(analysis.docs):
        for p in analysis.passages[ai]:
            if p.boilerplate:
                continue
            out.extend(claims_in_passage(doc, p))
    return out
