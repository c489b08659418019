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

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.core.analysis import Analysis, Passage, PassageRef
from app.core.claimants import (
    Attribution,
    Claimant,
    claimant_of,
    credited_claimant,
    headline_claimant,
)
from app.core.entities import EntityIndex, doc_text, entity_key, token_at, tokens
from app.core.incidents import acting_words, clause_actors, clause_events, place_spans
from app.core.quantities import COUNT, DURATION, ORDINAL, Quantity, find_quantities

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Counted things that are one class. Anything not listed is its own class (its lemma).
_COUNTED_GROUPS: tuple[tuple[str, ...], ...] = (
    ("troop", "soldier", "serviceman", "servicemen", "servicemember", "personnel", "trooper"),
    # "citizens" in state media's idiom: persons, whoever they are.
    ("people", "person", "individual", "death", "fatality", "dead", "life", "toll", "victim",
     "citizen"),
    ("civilian", "noncombatant", "non-combatant"),
    ("resident", "inhabitant", "population"),
    ("warship", "ship", "vessel", "frigate", "cruiser", "battleship"),
    ("destroyer",),
    ("army",),
    ("unit", "battalion", "brigade", "division", "regiment"),
    ("tank",),
    ("aircraft", "plane", "jet", "warplane", "fighter", "helicopter"),
    ("weapon", "arm", "equipment"),
    ("exercise", "manoeuvre", "maneuver", "drill"),
    ("conflict", "war", "fighting"),
    ("child", "kid", "boy", "girl", "minor"),
    ("woman",),
    # One side's armed men, whatever each outlet calls them; the owner tells the sides apart.
    ("fighter", "militant", "rebel", "jihadist", "terrorist", "gunman", "insurgent",
     "extremist", "combatant", "mercenary", "member"),
    ("medic", "paramedic", "doctor", "nurse", "rescuer", "volunteer", "health worker"),
    ("worker", "staff", "employee", "driver", "aid worker"),
    ("evacuee",),
    ("student", "pupil"),
    ("journalist", "reporter"),
    ("casualty",),
    ("refugee", "displaced"),
    ("country", "nation", "state"),
    ("ally",),
    ("diplomat",),
)
COUNTED_CLASS: dict[str, str] = {w: g[0] for g in _COUNTED_GROUPS for w in g}
# Counting deaths implies the event.
_DEATH_NOUNS = frozenset({"death", "fatality", "dead", "life", "toll"})

_EVENT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("kill", "die", "death", "slay", "murder", "perish", "dead", "fatality", "execute",
     "behead", "massacre"),
    ("wound", "injure", "hurt", "injury", "injured", "wounded"),
    ("missing", "disappear"),
    ("evacuate", "evacuation", "rescue"),
    ("deploy", "deployment", "move", "movement", "relocate", "send", "dispatch", "bring",
     "mass", "amass", "station", "mobilise", "mobilize", "mobilisation", "mobilization",
     "transfer", "build", "buildup", "build-up", "arrive", "sail", "position", "concentrate",
     "concentration", "reinforce", "gather", "head", "redeploy", "pull", "withdraw"),
    ("finish", "complete", "end", "last", "conclude", "wrap", "continue", "run"),
    ("arrest", "detain", "jail", "imprison", "abduct", "kidnap"),
    ("displace", "flee", "uproot"),
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
    # How the role (event) was read: "pattern" (the words around the figure: "killing 40 and
    # wounding 70", "Seven killed 20 injured"), "parse" (the dependency parse) or None.
    role_from: str | None = None
    # Event categories named in the figure's own clause (incidents.py), when it names any:
    # "rebel shells killed five" -> shelling, whatever else the sentence is about.
    events: frozenset[str] = frozenset()
    # A war's toll rather than an incident's: tens of thousands killed is never one attack.
    total: bool = False
    # Sides the figure's clause names as attacking (incidents.clause_actors).
    actors: frozenset[str] = frozenset()
    # Places the figure's own clause names (incidents.place_spans), when it names any.
    places: frozenset[str] = frozenset()
    # Who gives the figure ("the Syrian Observatory for Human Rights said"); None: the outlet.
    claimant: Claimant | None = None
    # The counted thing was not written next to the figure ("16 dead"): people by default.
    bare: bool = False
    # Update language: "later" ("the toll rose to 55", "an updated toll"), "earlier" ("up from
    # 30", "the previous toll of 112"), or None.
    update: str | None = None
    # The counted words list kinds of people ("12 aid workers and drivers", "25 soldiers and
    # fighters"): whom the figure counts is everyone the report counts, not a part of a toll.
    listed: bool = False

    @property
    def kind(self) -> str:
        return self.quantity.kind


def counted_class(lemma: str) -> str:
    if lemma not in COUNTED_CLASS and lemma.endswith("s") and lemma[:-1] in COUNTED_CLASS:
        lemma = lemma[:-1]  # "rebels" when the tagger took it for a name
    return COUNTED_CLASS.get(lemma, lemma)


# Who can be killed, wounded or arrested: a figure with a casualty role whose "noun" is a
# misread name ("the Observatory") counts people; one that counts things (towns, rockets) is not
# a toll.
_NOT_HUMAN = frozenset({
    "warship", "ship", "vessel", "frigate", "cruiser", "battleship", "destroyer", "tank",
    "aircraft", "plane", "jet", "warplane", "helicopter", "weapon", "arm",
    "equipment", "exercise", "manoeuvre", "maneuver", "drill", "conflict", "war", "fighting",
    "country", "nation", "state", "army", "unit", "battalion", "brigade", "division",
    "regiment", "town", "village", "city", "neighbourhood", "neighborhood", "district", "area",
    "rocket", "shell", "missile", "bomb", "bus", "truck", "vehicle", "car", "building", "house",
    "hospital", "school", "day", "week", "month", "year", "hour", "minute", "time", "group",
    "faction", "province", "site", "airstrike", "strike", "raid", "attack", "round",
})
_HUMAN = frozenset(COUNTED_CLASS) - _NOT_HUMAN | {"fighter"}


def event_class(lemma: str | None) -> str | None:
    if lemma is None:
        return None
    return EVENT_CLASS.get(lemma, lemma)


# Plurals the tagger cannot lemmatise when it takes them for verbs or names (copy stripped of
# its punctuation: "86 30 of them children a monitoring group said").
_IRREGULAR = {"children": "child", "women": "woman", "men": "man", "people": "people"}


def _lemma(tok: Token) -> str:
    low = tok.lower_
    if low in _IRREGULAR and tok.pos_ not in ("NOUN", "PROPN"):
        return _IRREGULAR[low]
    return (tok.lemma_ or tok.text).lower()


# Words that make a fighter a soldier of the state ("regime fighters", "pro-government fighters").
_STATE_SIDE = frozenset({"regime", "government", "pro-regime", "pro-government", "loyalist",
                         "army", "state"})


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
        # A Title Case headline tags every word a name: "29 Syria Rebels Dead".
        if tok.pos_ == "PROPN" and counted_class(tok.lower_) in COUNTED_CLASS.values():
            return tok
        if tok.pos_ not in ("ADJ", "ADV", "PROPN") and not (tok.is_punct and tok.text == "-"):
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
    # "led to the death of eight", "resulted in the killing of 12".
    if lemma in ("lead", "result", "cause") and any(
            _lemma(t) in ("death", "killing", "kill", "die") for t in ev.subtree):
        return "kill", "kill"
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
            if c.dep_ == "nsubj" and c.ent_type_ in _OWNER_LABELS:
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
    """The figures of one passage with what they count, in text order."""
    found: list[Claim] = []
    split: set[int] = set()  # indices into `found` of parts of a toll split by place
    for claim, others_of in _passage_claims(doc, p):
        if others_of is not None:
            # "15 were killed in raids on Manbij while six others were killed in a village":
            # both are parts of a toll given whole nowhere here, neither a toll of its own.
            prev = next((k for k in range(len(found) - 1, -1, -1)
                         if found[k].event == claim.event and found[k].quantity.start
                         >= others_of), None)
            if prev is not None:
                split.update((prev, len(found)))
        found.append(claim)
    yield from (c for k, c in enumerate(found) if k not in split)


def _passage_claims(doc: Doc, p: Passage) -> Iterator[tuple[Claim, int | None]]:
    """(claim, start of its sentence when it counts "others" of the same role) pairs."""
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None:
        return
    entities: set[str] | None = None
    # The last counted noun of the sentence, for "10 civilians killed 15 injured" and
    # "two children killed 5 others injured".
    last_noun: tuple[int, Token] | None = None
    last_role: tuple[int, str] | None = None
    for q0 in find_quantities(p.text):
        q = _shifted(q0, p.start)
        num = doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
        if num is None or len(num) == 0:
            continue
        first = num[0]
        if q.kind not in (DURATION,) and first.ent_type_ in ("DATE", "TIME") and not (
                _headline_figure(doc, num)):
            continue  # "March 18", "2014", "the first week of April"
        after = doc[num.end] if num.end < len(doc) else None
        if q.year_like and not (after is not None and after.tag_ == "NNS"):
            continue
        if _DATE_LIKE.search(p.text, max(0, q0.num_start - 6), q0.num_end + 8):
            continue  # "18.05.2017", "07-10-2016": a date, not a figure
        noun: Token | None
        ev: Token | None
        role: str | None = None
        part = False
        others = False
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
            q_tok = doc.char_span(q.start, q.end, alignment_mode="expand")
            q_start = q_tok.start if q_tok is not None else num.start
            if _increment(doc, q_start, num):
                continue
            part = _part(doc, q_start, num)
            noun = _counted_noun(doc, q, num)
            others = noun is not None and _lemma(noun) in ("other", "others")
            written = noun  # "20 others wounded": the role comes after "others"
            if noun is not None and _lemma(noun) in ("other", "others", "more", "them", "whom"):
                noun = None
            if part and noun is None:
                noun = _of_them_noun(doc, num)  # "30 of them children"
            role = _pattern_role(doc, q_start, num, noun or written)
            same_sent = last_noun is not None and last_noun[0] == first.sent.start
            if noun is None and role is not None and same_sent and last_noun is not None and (
                    _listed_after(doc, last_noun[1], q_start)):
                noun = last_noun[1]
            coordinated = q_start > 0 and doc[q_start - 1].lower_ in ("and", ",")
            if role is None and (part or coordinated) and last_role is not None and (
                    last_role[0] == first.sent.start):
                role = last_role[1]  # "killed 58 people including 11 children and 15 women"
            if part and (noun is None or counted_class(_lemma(noun)) in _WHOLE_CLASSES or (
                    last_noun is not None and same_sent and counted_class(_lemma(noun))
                    == counted_class(_lemma(last_noun[1])))):
                # "among the dead were seven people": part of a toll of the same kind (a
                # sub-incident), unlike "including 11 children" (the children's toll).
                continue
            ev = None
        if noun is None and role is None:
            continue
        # "Seven killed": people, unless the sentence said otherwise.
        lemma = _lemma(noun) if noun is not None else "people"
        if role is not None and noun is not None and (noun.ent_type_ or noun.pos_ == "PROPN") and (
                counted_class(lemma) not in _HUMAN and counted_class(noun.lower_) not in _HUMAN):
            noun, lemma = None, "people"  # a misread name: "the death toll of the Observatory"
        elif role is not None and noun is not None and counted_class(lemma) in _NOT_HUMAN:
            role = None  # "evacuated from two towns": not a toll
        elif noun is not None and counted_class(lemma) != lemma and lemma not in COUNTED_CLASS:
            lemma = counted_class(lemma)
        if q.measure_noun is not None and q.kind == COUNT:
            lemma = q.measure_noun.rstrip("s")
        cls = counted_class(lemma)

        if cls == "resident" and role is not None:
            cls = "civilian"  # "3 citizens killed": residents counted as victims are civilians
        elif cls == "fighter" and noun is not None and any(
                c.dep_ in ("amod", "compound", "nmod") and c.lower_ in _STATE_SIDE
                for c in noun.children):
            cls = "troop"  # "19 regime fighters" are the army's dead, not the rebels'
        if q.kind != DURATION:
            ev = _event_of(noun, num[-1])
        event: str | None
        event_text: str | None
        role_from: str | None
        if role is not None:
            event, event_text = role, _ROLE_TEXT[role]
            role_from = "pattern"
        else:
            event, event_text = _event_key(ev, lemma)
            role_from = "parse" if event else None
            if event in _CASUALTY_ROLES and cls in _NOT_HUMAN:
                event, event_text, role_from = None, None, None  # "evacuated from two towns"
        sent = first.sent
        if event == "kill" and _IN_CUSTODY.search(p.text):
            cls = "detainee"  # "60,000 have died in regime custody" is not the war's toll
        elif event == "kill" and q.kind == COUNT and q.value >= WAR_TOLL and (
                cls in _WHOLE_CLASSES and sent.start > 0
                and _IN_CUSTODY.search(doc[sent.start - 1].sent.text)):
            # "... 60,000 have died in government jails. It could verify the deaths of 14,456
            # people since 2011": the next sentence's total still counts the detainees.
            cls = "detainee"
        owner, owner_text = _owner_of(noun, ev)
        if owner is None and q.kind == COUNT:
            owner, owner_text = _sentence_owner(sent, cls, noun.i if noun is not None else -1)
        if cls in _UNOWNED:
            owner, owner_text = None, None
        clause = _clause_tokens(noun if noun is not None else num[-1])
        # The attackers: the clause without the victims' own words ("34 ISIS terrorists").
        attackers = _clause_ids(noun if noun is not None else num[-1], victims=noun)
        if noun is not None and q.kind == COUNT and not part:
            last_noun = (sent.start, noun)
        last_role_before = last_role
        if event in _CASUALTY_ROLES and q.kind == COUNT:
            last_role = (sent.start, event)
        if entities is None:
            entities = _passage_entities(doc, p)
        own = {lemma, cls, event_text or "", event or "", q.text.lower()}
        # Years stay in the context ("since 2014"); other figures are what is being compared.
        context = frozenset(
            t for t in p.tokens if t not in own and (not t[:1].isdigit() or _is_year(t))
        )
        if q.measure_noun is not None:
            counted_text = q.measure_noun
        elif noun is None or _lemma(noun) in _DEATH_NOUNS:
            # "the death of eight", "a toll of 30": the dead are people.
            counted_text = "people"
        elif q.kind == DURATION:
            counted_text = noun.text
        else:
            counted_text = _expand_noun(noun)
        claim = Claim(
            article=p.article,
            passage=p.ref,
            quantity=q,
            counted=(q.kind + ":" + cls) if q.kind != COUNT else cls,
            counted_text=counted_text,
            event=event,
            event_text=event_text,
            owner=owner,
            owner_text=owner_text,
            time=_date_text(sent),
            context=context | frozenset(entities - ({"@" + owner} if owner else set())),
            role_from=role_from,
            events=clause_events(clause),
            total=event in _CASUALTY_ROLES and q.kind == COUNT and q.value >= WAR_TOLL,
            actors=_clause_actors(sent, attackers) or _sentence_actors(sent, noun),
            places=_clause_places(doc, p, noun if noun is not None else num[-1]),
            bare=noun is None and q.measure_noun is None,
            update=_update_tag(p.text, q.start - p.start),
            listed=q.kind == COUNT and cls in _HUMAN and _lists_kinds(noun, cls),
        )
        same_role_before = (others and last_role_before is not None
                            and last_role_before == (sent.start, event))
        yield claim, (sent[0].idx if same_role_before else None)


# "Women and children" are the part of a toll reports single out, not a list of all its dead.
_SINGLED_OUT = frozenset({"woman", "child"})


def _lists_kinds(noun: Token | None, cls: str) -> bool:
    """Is the counted noun (of class `cls`) the first of a list of kinds of people, without
    figures of their own ("12 aid workers and drivers"; not "five children and three women",
    nor "12 women and children")?"""
    if noun is None:
        return False
    kinds = {counted_class(_lemma(c)) for c in noun.children
             if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")
             and not any(g.dep_ == "nummod" or g.like_num for g in c.children)}
    kinds &= _HUMAN
    return bool(kinds) and not kinds | {cls} <= _SINGLED_OUT


# Role words read off the words around a figure, for text whose parse is unreliable (headlines
# without punctuation, comma-less lists: "Seven killed 20 injured in market blast").
_ROLE_AFTER: dict[str, str] = {
    "killed": "kill", "dead": "kill", "died": "kill", "slain": "kill", "executed": "kill",
    "perished": "kill", "wounded": "wound", "injured": "wound", "hurt": "wound",
    "missing": "missing", "arrested": "arrest", "detained": "arrest", "abducted": "arrest",
    "kidnapped": "arrest", "displaced": "displace", "evacuated": "evacuate",
    "rescued": "evacuate",
}
_ROLE_BEFORE: dict[str, str] = {
    "killing": "kill", "killed": "kill", "kills": "kill", "kill": "kill", "executing": "kill",
    "executed": "kill", "executes": "kill", "execute": "kill", "massacred": "kill",
    "wounding": "wound", "wounded": "wound", "wounds": "wound", "wound": "wound",
    "injuring": "wound", "injured": "wound", "injures": "wound", "injure": "wound",
    "arresting": "arrest", "arrested": "arrest", "detained": "arrest", "detaining": "arrest",
    "abducted": "arrest", "displacing": "displace", "displaced": "displace",
    "evacuating": "evacuate", "evacuated": "evacuate",
}
_ROLE_TEXT = {"kill": "kill", "wound": "wound", "missing": "miss", "arrest": "arrest",
              "displace": "displace", "evacuate": "evacuate"}
_SKIP_AFTER = frozenset({
    "were", "was", "have", "has", "had", "been", "being", "are", "is", "also", "reportedly",
    "later", "all", "subsequently", "allegedly", "so", "far", "now",
})
_SKIP_BEFORE = frozenset({"and", ",", "also", "at", "least", "the"})
_TOLL_VERBS = frozenset({"rose", "risen", "rise", "rises", "reached", "reach", "climbed", "hit",
                         "stood", "stands", "was", "is", "at", "to", "of", "jumped", "increased",
                         "has", "had", "have", "now", "further", "already", "climb", "jump",
                         "put", "puts", "placed", "new", "latest", "updated"})
_INCREMENT_AFTER = frozenset({"more", "additional", "further", "other"})
_INCREMENT_BEFORE = frozenset({"another", "additional", "further"})
_DATE_LIKE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")
# A casualty figure this large counts a war or a campaign, not one incident.
WAR_TOLL = 10_000
_IN_CUSTODY = re.compile(r"\b(?:in|under|at) (?:\w+ ){0,2}(?:custody|detention|prisons?|jails?|"
                         r"torture)\b|\bdetention (?:centres?|centers?|facilities)\b", re.I)
_WHOLE_CLASSES = frozenset({"people", "civilian", "casualty"})
_CASUALTY_ROLES = frozenset({"kill", "wound", "missing", "arrest", "displace", "evacuate"})


def _headline_figure(doc: Doc, num: Span) -> bool:
    """A figure the recogniser tagged as part of a date: right after a dateline ("Sun 05 Jul 2015
    22 dead", "Mon Jul 18 2016 21 Civilians Killed"), or right after a verb of harm."""
    # "May 18 2017 ISIL Kills over 50 in Central Syria Attack": no date follows "kills".
    before = [t for t in doc[max(0, num.start - 4):num.start]
              if t.lower_ not in ("over", "more", "than", "at", "least", "nearly", "almost",
                                  "about", "some", "around", "up", "to")]
    if before and before[-1].lower_ in _ROLE_BEFORE:
        return True
    prev = doc[num.start - 1] if num.start > 0 else None
    nxt = doc[num.end] if num.end < len(doc) else None
    if prev is None or nxt is None:
        return False
    year = prev.like_num and len(prev.text) == 4
    clock = bool(re.fullmatch(r"\d{1,2}:\d{2}", prev.text))  # "22 July 2015 22:33 18 Civilians"
    if not (year or clock):
        return False
    # "21 Civilians Killed", "29 Syria Rebels Dead"
    return any(t.lower_ in _ROLE_AFTER or t.lower_ in COUNTED_CLASS
               or t.lower_.rstrip("s") in COUNTED_CLASS for t in doc[num.end:num.end + 3])


def _listed_after(doc: Doc, noun: Token, q_start: int) -> bool:
    """The figure continues a list of tolls after `noun`: "10 civilians killed 15 injured",
    "two children killed and 5 others injured" (not "2 medics among 31 dead")."""
    between = doc[noun.i + 1:q_start]
    return len(between) <= 5 and any(
        t.lower_ in _ROLE_AFTER or t.lower_ in _ROLE_BEFORE for t in between) and not any(
        t.lower_ in ("among", "of", "including") for t in between)


def _of_them_noun(doc: Doc, num: Span) -> Token | None:
    """The noun of "30 of them (were) children", "109 of the dead were evacuees"."""
    start = num.end + 2
    if start < len(doc) and doc[start - 1].lower_ in ("the", "those"):
        start += 1  # "of the dead"
    for tok in doc[start:min(len(doc), start + 3)]:
        # The tagger often misreads words in text stripped of punctuation ("children" as a verb).
        if _is_noun(tok) or tok.lower_ in COUNTED_CLASS or _lemma(tok) in COUNTED_CLASS:
            return tok
        if tok.lower_ not in ("were", "are", "was", "being", "mostly", "all", "killed"):
            break
    return None


def _numeric(tok: Token) -> bool:
    return bool(tok.like_num) or tok.pos_ == "NUM"


def _toll_before(doc: Doc, j: int, floor: int) -> bool:
    """Token j ends "death toll", "the toll has risen to", "toll of", "toll stood at"."""
    k = j
    for _ in range(5):
        if k < floor:
            return False
        if doc[k].lower_ == "toll":
            return True
        if doc[k].lower_ not in _TOLL_VERBS:
            return False
        k -= 1
    return False


# Victims are not anybody's: "Syrian civilians" are not owned by Syria the way "Syrian troops"
# are. Owners tell apart only the armed and their equipment.
_UNOWNED = frozenset({"people", "civilian", "child", "woman", "medic", "worker", "evacuee",
                      "student", "journalist", "resident", "refugee", "casualty"})


def _clause_ids(anchor: Token, victims: Token | None = None) -> list[int]:
    """Words of the clause a figure belongs to: its verb's subtree without coordinated clauses
    of their own; a participle clause ("... killing five") also takes the clause it hangs on.
    (Kept on the Doc: a figure's clause is asked for its words, its attackers and its places.)"""
    memo = anchor.doc.user_data.setdefault("parallax_clauses", {})
    key = (anchor.i, -1 if victims is None else victims.i)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _find_clause_ids(anchor, victims)
    return found


def _find_clause_ids(anchor: Token, victims: Token | None) -> list[int]:
    cur = anchor
    verb: Token | None = None
    for _ in range(6):
        # "including" and "following" read as verbs are prepositions here.
        if cur.pos_ in ("VERB", "AUX") and cur.i != anchor.i and cur.dep_ != "prep":
            verb = cur
            break
        if cur.head.i == cur.i:
            break
        cur = cur.head
    if verb is None:
        return [t.i for t in anchor.sent]
    inside = {t.i for t in anchor.subtree}
    root = verb
    marked = any(c.dep_ in ("mark", "advmod") and c.lower_ in (
        "after", "before", "since", "until", "when", "as", "while") for c in verb.children) or (
        verb.i > 0 and verb.doc[verb.i - 1].lower_ in ("after", "before", "since"))
    if verb.dep_ in ("advcl", "acl", "xcomp", "relcl") and verb.head.i != verb.i and not marked:
        root = verb.head
    skip: set[int] = set()
    for c in root.children:
        if c.dep_ in ("conj", "advcl", "ccomp", "parataxis") and c.pos_ in ("VERB", "AUX") and (
                anchor.i not in {t.i for t in c.subtree}) and not _same_event_clause(c):
            skip.update(t.i for t in c.subtree)  # "... Thursday after rebels fired mortars"
        elif c.dep_ == "prep" and c.lower_ in ("after", "before", "since", "following") and (
                anchor.i not in {t.i for t in c.subtree}):
            skip.update(t.i for t in c.subtree)  # "strikes kill 45 after rebel fire on Damascus"
    # The victims' own words: the noun and what is said of it on its left ("34 ISIS
    # terrorists", "regime fighters"), not a clause that follows it ("civilians killed in
    # terrorist rocket attacks").
    victim_ids: set[int] = set()
    if victims is not None:
        victim_ids.add(victims.i)
        for c in victims.children:
            if c.i < victims.i and c.dep_ in ("amod", "compound", "nmod", "poss", "nummod",
                                              "det", "quantmod"):
                victim_ids.update(t.i for t in c.subtree)
    return [t.i for t in root.subtree
            if (t.i not in skip or t.i in inside) and t.i not in victim_ids]


def _clause_tokens(anchor: Token, victims: Token | None = None) -> list[str]:
    toks = tokens(anchor.doc)
    return [toks[i].text for i in _clause_ids(anchor, victims)]


def _clause_places(doc: Doc, p: Passage, anchor: Token) -> frozenset[str]:
    """The places the figure's own clause names ("killed near the Syrian capital ... hours
    after a chemical attack in Khan Sheikhun": the capital, not the town of the other clause)."""
    ids = set(_clause_ids(anchor))
    keys = set()
    for _text, key, start, _end in place_spans(doc, p.start, p.end):
        if token_at(doc, start) in ids:
            keys.add(key)
    return frozenset(keys)


def _clause_actors(sent: Span, ids: list[int]) -> frozenset[str]:
    """The sides the figure's clause names as acting, each word read in its sentence (the
    clause of "... districts dominated by the regime leading to the death of eight" starts at
    "regime", which the sentence says holds the districts)."""
    words = [t.text for t in tokens(sent.doc)[sent.start:sent.end]]
    return clause_actors(words, (i - sent.start for i in ids))


def _sentence_actors(sent: Span, victims: Token | None) -> frozenset[str]:
    """The attacking side the sentence names, when its clause structure gives none and the
    sentence names one side only ("The terrorists fired rocket shells ... leaving eight
    people injured")."""
    skip = {t.i for t in victims.subtree} if victims is not None else set()
    kept = [t for t in tokens(sent.doc)[sent.start:sent.end] if t.i not in skip]
    words = [t.text for t in kept]
    actors = clause_actors(words)
    named = {words[k].lower() for k in acting_words(words)}
    return actors if len(named) == 1 else frozenset()


def _same_event_clause(clause: Token) -> bool:
    """"... were wounded when regime forces bombed a market": the clause describes the attack
    itself (unlike "after rebels fired mortars", an earlier event)."""
    return clause.dep_ == "advcl" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "as", "while")
        for c in clause.children)


def _toll_subject(num: Span, noun: Token | None = None) -> bool:
    """The figure is what a death toll rose to or stands at, however far the subject is."""
    cur = noun if noun is not None and num[-1].head.i == noun.i else num[-1]
    # Only as the verb's object or through "to" / "at" ("rose to 112", "stands at 40"), not
    # inside another phrase ("evacuated from two towns").
    for _ in range(3):
        h = cur.head
        if h.i == cur.i:
            return False
        if h.like_num and cur.dep_ in ("compound", "nummod", "quantmod"):
            cur = h  # "risen to 86 30 of them children": the parse hung 86 on the next figure
            continue
        if h.pos_ in ("VERB", "AUX"):
            return cur.dep_ in ("dobj", "attr", "pobj", "prep", "npadvmod", "nummod") and any(
                c.dep_ in ("nsubj", "nsubjpass") and _lemma(c) in ("toll", "death")
                for c in h.children)
        if h.lower_ not in ("to", "at", "of"):
            return False
        cur = h
    return False


def _toll_heading(doc: Doc, q_start: int, sent: Span) -> bool:
    """A headline's "Death toll from <the attack> <figure>": "toll" a few words before the
    figure with no verb and no other figure between."""
    for j in range(q_start - 1, max(sent.start, q_start - 9) - 1, -1):
        tok = doc[j]
        if tok.lower_ == "toll":
            return True
        if tok.pos_ in ("VERB", "AUX") or _numeric(tok) or tok.is_punct:
            return False
    return False


def _pattern_role(doc: Doc, q_start: int, num: Span, noun: Token | None) -> str | None:
    """The casualty role the words around a figure give it, or None."""
    sent = num[0].sent
    # After the figure (and its noun): "Seven killed", "25 civilians were killed".
    i = num.end
    if noun is not None and num.end <= noun.i <= num.end + 3:
        i = noun.i + 1
    after: str | None = None
    for k, tok in enumerate(doc[i:min(sent.end, i + 4)], i):
        if tok.lower_ in _ROLE_AFTER:
            after = _ROLE_AFTER[tok.lower_]
            break
        if tok.lower_ == "among" or (tok.lower_ == "of" and k == num.end):
            # "11 children were among the dead / those killed / the 26 civilians killed";
            # "109 of the dead were evacuees", "20 of them were wounded"
            rest = {t.lower_ for t in doc[k + 1:min(sent.end, k + 6)]}
            if rest & {"dead", "killed", "victims", "fatalities", "deaths"}:
                after = "kill"
            elif rest & {"wounded", "injured"}:
                after = "wound"
            break
        if tok.lower_ in _SKIP_AFTER or tok.pos_ in ("AUX", "ADV", "PART"):
            continue
        if tok.pos_ == "PROPN" and tok.text[:1].isupper() and k - i < 2:
            continue  # "29 Syria Rebels Dead"
        break
    if after is None:
        # "Six civilians including a child were among at least 22 people killed"
        window = doc[i:min(sent.end, i + 8)]
        at = next((t.i for t in window if t.lower_ == "among"), None)
        if at is not None:
            rest = {t.lower_ for t in doc[at + 1:min(sent.end, at + 7)]}
            if rest & {"dead", "killed", "victims", "fatalities", "deaths"}:
                after = "kill"
            elif rest & {"wounded", "injured"}:
                after = "wound"
    # Before the figure (and its hedge): "killing 40", "wounded more than 70", "toll rose to".
    before: str | None = None
    j = q_start - 1
    steps = 0
    while j >= sent.start and steps < 3:
        tok = doc[j]
        if tok.lower_ in _ROLE_BEFORE:
            before = _ROLE_BEFORE[tok.lower_]
            break
        if _toll_before(doc, j, sent.start):
            before = "kill"
            break
        if tok.lower_ not in _SKIP_BEFORE:
            break
        j -= 1
        steps += 1
    if after is None and before is None and _toll_subject(num, noun):
        before = "kill"  # "The death toll ... has reached at least 126"
    if after is None and before is None and noun is None and _toll_heading(doc, q_start, sent):
        before = "kill"  # "Death toll from Aleppo bomb attack at least 112"
    if after and before:
        # Which way the list runs: "killed 40 wounded 70" (each figure after its verb) or
        # "Seven killed 20 injured", "three were killed and 14 injured" (each figure before).
        return before if _verb_first(doc, sent, q_start) else after
    return after or before


def _verb_first(doc: Doc, sent: Span, q_start: int) -> bool:
    """Does the list this figure belongs to put verbs first? Decided by the figure before it
    in the sentence: preceded by its own verb ("killed 40 wounded 70") or not ("three were
    killed and 14 injured"); the first figure of a list takes the verb before it."""
    prev = next((i for i in range(q_start - 1, sent.start - 1, -1) if _numeric(doc[i])), None)
    if prev is None:
        return True
    j = prev - 1
    while j >= sent.start and doc[j].lower_ in _SKIP_BEFORE | {"than", "more", "over", "nearly",
                                                                "about", "some", "around"}:
        j -= 1
    return j >= sent.start and (doc[j].lower_ in _ROLE_BEFORE or _toll_before(doc, j, sent.start))


_WHOLE_AFTER_AMONG = frozenset({"the", "at", "least", "some", "about", "more", "than", "over",
                                 "nearly", "almost", "around", "roughly"})


def _increment(doc: Doc, q_start: int, num: Span) -> bool:
    """"six more people", "another 5", "four other victims": a figure that adds to a toll is
    not a toll."""
    nxt = doc[num.end] if num.end < len(doc) else None
    if nxt is not None and nxt.lower_ in _INCREMENT_AFTER and not (
            num.end + 1 < len(doc) and doc[num.end + 1].lower_ == "than"):
        return True
    return q_start > 0 and doc[q_start - 1].lower_ in _INCREMENT_BEFORE


def _part(doc: Doc, q_start: int, num: Span) -> bool:
    """"including 11 children", "among the dead were seven", "30 of them children": a figure
    that counts part of a toll just given."""
    sent = num[0].sent
    window = [t.lower_ for t in doc[max(sent.start, q_start - 4):q_start]]
    if any(w in ("including", "includes", "included") for w in window[-3:]):
        return True
    if num.end + 1 < len(doc) and doc[num.end].lower_ == "of" and doc[num.end + 1].lower_ in (
            "them", "whom", "those", "the"):
        return True  # "30 of them children", "109 of the dead were evacuees"
    if "among" in window:
        between = window[window.index("among") + 1:]
        return not all(w in _WHOLE_AFTER_AMONG for w in between)  # "among the 26 killed"
    return False


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
    return [c for ai in range(len(analysis.docs)) for c in article_claims(analysis, ai)]


def article_claims(analysis: Analysis, ai: int) -> list[Claim]:
    """One article's claims outside page furniture, in text order: it needs no other article,
    so an open comparison keeps them for the articles it already had."""
    doc = analysis.docs[ai]
    state = Attribution(doc)
    credited = credited_claimant(doc_text(doc))
    found: list[Claim] = []
    for p in analysis.passages[ai]:
        if p.boilerplate:
            continue
        # The headline of an agency story names its source last ("... Monitor").
        headline = headline_claimant(p.text) if p.index == 0 else None
        for c in claims_in_passage(doc, p):
            num = doc.char_span(c.quantity.num_start, c.quantity.num_end,
                                alignment_mode="expand")
            who = claimant_of(num[-1], state) if num is not None and len(num) else None
            if who is None and headline is not None and c.quantity.start - p.start < 120:
                who = headline
            if who is None and credited is not None:
                who = credited
            found.append(replace(c, claimant=who) if who is not None else c)
    return _one_figure_one_claim(found)


_LATER = re.compile(
    r"(?:\b(?:rose|risen|rises|climbed|climbs|jumped|jumps|increased|increases|soared|mounted|"
    r"went up|has grown|grew) (?:further )?to|\b(?:updated|new|latest|revised|rising) "
    r"(?:death )?toll|\bnow stands? at|\bhas now|\braising the (?:death )?toll to)"
    r"[^.]{0,60}$", re.I)
_EARLIER = re.compile(
    r"(?:\bup from|\bfrom an? (?:earlier|previous|initial)|\b(?:previous|earlier|initial|"
    r"first|preliminary) (?:death )?toll (?:of|was|at|had been|stood at)|\binitially|"
    r"\bupdating (?:a|an|its|the) (?:previous|earlier) toll of)[^.]{0,12}$", re.I)


def _update_tag(passage: str, at: int) -> str | None:
    """"later" or "earlier" when the words before a figure say it updates a toll."""
    before = passage[max(0, at - 80):at]
    if _EARLIER.search(before):
        return "earlier"
    if _LATER.search(before):
        return "later"
    return None


def _one_figure_one_claim(claims: list[Claim]) -> list[Claim]:
    """One article's headline and body giving the same figure make one claim: "16 dead" in the
    headline counts what "Sixteen civilians were killed" counts, and is the Observatory's figure
    when the body says so."""
    out = []
    for c in claims:
        if c.quantity.kind != COUNT or c.event not in _CASUALTY_ROLES:
            out.append(c)
            continue
        same = [o for o in claims if o is not c and o.event == c.event
                and o.quantity.value == c.quantity.value and o.quantity.kind == COUNT]
        if c.bare:
            nouns = {(o.counted, o.counted_text) for o in same if not o.bare}
            if len(nouns) == 1:
                counted, text = next(iter(nouns))
                c = replace(c, counted=counted, counted_text=text, bare=False)
        if c.claimant is None:
            # Only a figure for the same people: "six children" are not UNICEF's "six teachers".
            who = {o.claimant for o in same if o.claimant is not None
                   and (o.counted == c.counted or o.bare)}
            if len(who) == 1:
                c = replace(c, claimant=next(iter(who)))
        out.append(c)
    return out
