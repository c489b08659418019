"""Entities: which party, place or person a name stands for, shared by every finder.

- `EntityIndex.of(doc)`: a Doc's named entities, computed once and cached on the Doc;
- `entity_key(text)`: a canonical key for "is this the same party" (Moscow == Russia, Kyiv ==
  Kiev, Jens Stoltenberg == Stoltenberg, U.S. == USA), from resources/entity_aliases.tsv and
  resources/transliterations.tsv;
- `TITLES`: words that are titles or roles, never part of how a name is spelled.

Figures (claims.py), incidents (incidents.py), quotes, names and dates all read names through
this module, so they agree on who is who.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from app.paths import resource

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from app.core.model import Article

NAME_LABELS = frozenset({"PERSON", "GPE", "ORG", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW"})
# Words that are titles or roles, never part of how a name is spelled.
_TITLES_TEXT = """
    mr mrs ms dr sir lord lady dame president vice prime minister ministers secretary general
    foreign defense defence deputy chief leader spokesman spokeswoman spokesperson chancellor
    king queen prince princess senator sen rep representative governor mayor ambassador
    commander colonel col general gen lieutenant lt major maj captain capt admiral sergeant
    press state interior finance justice home affairs officer official director head chairman
    chairwoman chair pope archbishop bishop rev reverend judge justice former then-us then
    acting interim opposition the a an us u.s. russian ukrainian american german french british
    kremlin nato white house
    """
TITLES = frozenset(_TITLES_TEXT.split())
JOINERS = frozenset({"of", "the", "for", "and", "de", "la", "von", "van", "der", "al", "in", "&"})
WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-žА-я]+(?:['’][A-Za-z]+)?|\d+")
SUFFIX_RE = re.compile(r"/.*$", re.DOTALL)  # photo credits: "Name/Reuters"


def doc_text(doc: Doc) -> str:
    """A Doc's text, joined once: spaCy joins every token's text on each `doc.text`."""
    cached = doc.user_data.get("parallax_text")
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data["parallax_text"] = cached
    return cached


R = TypeVar("R")


def read_once(doc: Doc, name: str, article: Article, ai: int, read: Callable[[], list[R]]
              ) -> list[R]:
    """What `read()` gives for the article at index `ai` (items with an `article` field),
    kept on its Doc by the text and its page furniture: a comparison of the same article at
    another index, or with one more article, reads it from here."""
    found: Any = doc.user_data.setdefault(f"parallax_{name}", {}).get(
        (article.sha256, article.boilerplate))
    if found is None:
        found = read()
        keep_on_doc(doc, name, article, found)
    if found and found[0].article != ai:
        return [_moved(x, ai) for x in found]
    return list(found)


def _moved(x: Any, ai: int) -> Any:
    """An item read at another index, at index `ai` (its passage reference too, if any)."""
    passage = getattr(x, "passage", None)
    if isinstance(passage, tuple):
        return replace(x, article=ai, passage=(ai, passage[1]))
    return replace(x, article=ai)


def keep_on_doc(doc: Doc, name: str, article: Article, found: list[Any]) -> None:
    """Keep what was read from an article (here or in another process) for `read_once`."""
    doc.user_data.setdefault(f"parallax_{name}", {})[(article.sha256, article.boilerplate)] = (
        found)


def tokens(doc: Doc) -> list[Token]:
    """A Doc's tokens as a list, made once: spaCy makes a new Token object on every `doc[i]`
    and every pass over a Doc or Span, and the finders walk the same sentences many times.
    Index it by token position (`tokens(doc)[span.start:span.end]` for a span)."""
    cached = doc.user_data.get("parallax_tokens")
    if not isinstance(cached, list):
        cached = doc.user_data["parallax_tokens"] = list(doc)
    return cached


def token_at(doc: Doc, char: int) -> int | None:
    """The index of the token that holds character offset `char` (None before the first)."""
    starts = doc.user_data.get("parallax_token_starts")
    if not isinstance(starts, list):
        starts = doc.user_data["parallax_token_starts"] = [t.idx for t in tokens(doc)]
    i = bisect.bisect_right(starts, char) - 1
    return i if i >= 0 else None


def lower_words(doc: Doc) -> frozenset[str]:
    """Words the Doc writes in lower case somewhere: common words, not names (a word a text
    also writes small is never a name in it)."""
    cached = doc.user_data.get("parallax_lower_words")
    if not isinstance(cached, frozenset):
        cached = doc.user_data["parallax_lower_words"] = frozenset(
            t.text for t in tokens(doc) if t.is_alpha and t.text.islower())
    return cached


def keep_lower_words(doc: Doc, words: frozenset[str]) -> None:
    """Keep what `lower_words` gave for this Doc's text (read in another process)."""
    doc.user_data["parallax_lower_words"] = words


class EntityIndex:
    """A Doc's entities, computed once: spaCy rebuilds `doc.ents` on every access, and the
    conflict finders ask for them thousands of times. Cached in `doc.user_data`."""

    def __init__(self, doc: Doc):
        self.ents: list[SpacySpan] = list(doc.ents)
        self.starts = [e.start_char for e in self.ents]
        self.by_token: dict[int, SpacySpan] = {}
        for e in self.ents:
            for i in range(e.start, e.end):
                self.by_token[i] = e

    @staticmethod
    def of(doc: Doc) -> EntityIndex:
        index = doc.user_data.get("parallax_entity_index")
        if not isinstance(index, EntityIndex):
            index = EntityIndex(doc)
            doc.user_data["parallax_entity_index"] = index
        return index

    def at(self, token_index: int) -> SpacySpan | None:
        return self.by_token.get(token_index)

    def between(self, start: int, end: int) -> list[SpacySpan]:
        """Entities starting in [start, end)."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return self.ents[lo:hi]


@functools.lru_cache(maxsize=1)
def transliterations() -> dict[str, int]:
    """Lower-case spelling -> group number, from resources/transliterations.tsv."""
    groups: dict[str, int] = {}
    path = resource("transliterations.tsv")
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        for word in line.split("\t"):
            if word.strip():
                groups.setdefault(word.strip().lower(), n)
    return groups


@functools.lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Lower-case name (dots removed) -> canonical entity key, from resources/entity_aliases.tsv."""
    table: dict[str, str] = {}
    path = resource("entity_aliases.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, *names = [c.strip() for c in line.split("\t")]
        for name in (key, *names):
            if name:
                table.setdefault(fold(name), key)
    return table


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case, dots, possessives and a leading article removed: 'the U.S.'s' -> 'us'."""
    t = text.strip().replace("’", "'")
    t = re.sub(r"'s$", "", t)
    t = t.replace(".", "").lower()
    t = re.sub(r"^the\s+", "", t)
    return " ".join(t.split())


def translit_canonical(word: str) -> str:
    """A word mapped to the first spelling of its transliteration group (or itself, lowered)."""
    w = word.lower()
    g = transliterations().get(w)
    if g is None:
        return w
    return _group_heads()[g]


@functools.lru_cache(maxsize=1)
def _group_heads() -> dict[int, str]:
    heads: dict[int, str] = {}
    for w, g in transliterations().items():
        heads.setdefault(g, w)
    return heads


def entity_key(text: str) -> str:
    """Canonical key of an entity name, for "is this the same party": Moscow == Russia,
    Kyiv == Kiev == Ukraine, Jens Stoltenberg == Stoltenberg, U.S. == USA."""
    folded = fold(SUFFIX_RE.sub("", text))
    table = aliases()
    if folded in table:
        return table[folded]
    words = [w for w in folded.split() if w not in TITLES or w in table]
    if not words:
        return folded
    joined = " ".join(words)
    if joined in table:
        return table[joined]
    canon = [translit_canonical(w) for w in words]
    joined = " ".join(canon)
    if joined in table:
        return table[joined]
    if len(canon) == 1 and canon[0] in table:
        return table[canon[0]]
    # A person or multi-word name: its last word identifies it within one story.
    return canon[-1]


def is_known_alias(text: str) -> bool:
    return fold(text) in aliases()


