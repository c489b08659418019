"""What the finders read from one article alone, read where its Doc is made.

A large comparison parses its articles in forked helpers (`nlp.parse_articles`). An article
just parsed is also read there for everything that needs no other article: its passages, its
figures with their incidents and claimants, its quotes, its names and the word runs of the
agency-copy check. The reading travels back with the Doc and is kept where the finders look
first (the memories that keep an open comparison's articles), so this work runs on every core
while the others parse instead of afterwards on one, and the findings are the same whichever
process read an article (tested, byte for byte).

Readings are also kept on disk, next to the parses in the parse cache (`load`, `save`): an
article compared before, in this set or another, is not even decoded again; a comparison whose
every article was read before needs neither spaCy nor the model, only the pairing. Its Docs are
then `ReadDoc`s, which hold what was read and nothing else (the finders pair readings and never
look into a Doc; any other use fails loudly, and the JSON is tested identical either way).
An entry is keyed by the article (everything the reader knows of it but its id), the pipeline's
fingerprint and the engine's identity (its code and tables), so any change is a miss. It is
read back only with the engine's own classes (`_Unpickler`): a damaged or foreign entry is a
miss, never trusted.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import pickle
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from app.core import align, conflicts, copies, dates, names, quotes
from app.core.analysis import Analysis
from app.core.entities import keep_lower_words, keep_on_doc, lower_words
from app.core.model import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from app.core.analysis import Passage
    from app.core.claims import Claim
    from app.core.incidents import ArticlePart
    from app.core.parsecache import ParseCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    """One article read on its own (as article 0 of a comparison of one)."""

    passages: list[Passage]
    claims: list[Claim]
    part: ArticlePart
    quotes: list[quotes.Quote]
    mentions: list[names.Mention]
    words: object  # copies.read_article
    dates: list[dates.DateMention]
    lower: frozenset[str]  # entities.lower_words


class Reader:
    """The `nlp.ArticleReader` of a comparison."""

    def read(self, article: Article, doc: Doc) -> Reading:
        passages = align.passages_for(0, article, doc)
        analysis = Analysis(articles=(article,), docs=[doc], passages=[passages])
        analysis.index()
        claims, part = conflicts.read_article(analysis, 0)
        return Reading(passages, claims, part, quotes.read_article(analysis, 0),
                       names.mentions(analysis), copies.read_article(article),
                       dates.date_mentions(analysis), lower_words(doc))

    def keep(self, article: Article, doc: Doc, reading: object) -> None:
        if not isinstance(reading, Reading):
            return
        keep_on_doc(doc, "passages", article, reading.passages)
        keep_on_doc(doc, "mentions", article, reading.mentions)
        keep_on_doc(doc, "dates", article, reading.dates)
        keep_lower_words(doc, reading.lower)
        conflicts.keep_read(article, reading.passages, reading.claims, reading.part)
        quotes.keep_read(article, reading.quotes)
        copies.keep_read(article, reading.words)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Readings on disk

FORMAT = 1
_PREFIX = "reading-"  # entries share the parse cache's folder, its size limit and its clearing
_HEADER = f"reading/{FORMAT}"


class ReadDoc:
    """The stand-in for the Doc of an article whose reading came from the disk: what the
    finders keep on a Doc (`user_data`) and nothing else."""

    def __init__(self, text: str):
        self.user_data: dict[str, Any] = {"parallax_text": text}

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"{name!r}: an article read before has no Doc (only its reading; "
                             "the finders must pair readings, see app/core/reading.py)")


def key(article: Article, fingerprint: str) -> str:
    """The entry of `article` read under the pipeline with this fingerprint."""
    from app.core.comparecache import engine_identity

    described = {k: v for k, v in article.to_dict().items() if k not in ("id", "text")}
    described["warnings"] = list(article.warnings)
    blob = json.dumps([FORMAT, engine_identity(), fingerprint, described], sort_keys=True,
                      ensure_ascii=False)
    return _PREFIX + hashlib.sha256(blob.encode("utf-8")).hexdigest()


def count(store: ParseCache) -> int:
    """How many readings the store holds."""
    try:
        return sum(1 for _ in store.directory.glob(f"{_PREFIX}*"))
    except OSError:
        return 0


def forget(store: ParseCache) -> None:
    """Remove every reading from the store, its parses kept (the benchmarks' "read again")."""
    for entry in store.directory.glob(f"{_PREFIX}*"):
        entry.unlink(missing_ok=True)


class _Unpickler(pickle.Unpickler):
    """Only the engine's own classes and plain containers: a foreign entry cannot run code."""

    _PLAIN = frozenset({("builtins", "frozenset"), ("builtins", "set"), ("builtins", "slice"),
                        ("datetime", "date")})

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("app.core.") or (module, name) in self._PLAIN:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not part of a reading: {module}.{name}")


def encode(reading: Reading) -> bytes:
    return zlib.compress(pickle.dumps(reading, protocol=pickle.HIGHEST_PROTOCOL), 1)


def decode(payload: bytes) -> Reading | None:
    """The reading in `payload`; None if it is damaged or not a reading."""
    try:
        found = _Unpickler(io.BytesIO(zlib.decompress(payload))).load()
    except Exception:  # any damage is a miss (unpickling raises many kinds)
        return None
    return found if isinstance(found, Reading) else None


def load(store: ParseCache, articles: Sequence[Article], fingerprint: str,
         skip: Sequence[bool] = ()) -> dict[int, Doc]:
    """The articles read before (index -> a `ReadDoc` holding the reading, kept where the
    finders look), except those `skip` marks."""
    out: dict[int, Doc] = {}
    reader = Reader()
    for i, article in enumerate(articles):
        if i < len(skip) and skip[i]:
            continue
        payload = store.read(key(article, fingerprint), _HEADER)
        found = decode(payload) if payload is not None else None
        if found is None or not _fits(found, article):
            continue
        doc = cast("Doc", ReadDoc(article.text))
        reader.keep(article, doc, found)
        out[i] = doc
    return out


def _fits(reading: Reading, article: Article) -> bool:
    """A reading of this very text: every sentence it holds is the text's own at its place
    (the key says so already; an entry copied under another name is a miss all the same)."""
    text = article.text
    return bool(reading.passages) == bool(text.strip()) and all(
        p.article == 0 and text[p.start:p.end] == p.text for p in reading.passages)


def save(store: ParseCache, analysis: Analysis, fingerprint: str,
         remembered: Sequence[bool] = ()) -> int:
    """Keep on disk the readings of the analysis's articles that did not come from there.
    `remembered` marks articles whose Docs came from this process's memory: they are written
    only when the disk has no entry for them. Returns how many were written."""
    reader = Reader()
    written = 0
    for i, (article, doc) in enumerate(zip(analysis.articles, analysis.docs, strict=True)):
        if isinstance(doc, ReadDoc):
            continue
        entry = key(article, fingerprint)
        if i < len(remembered) and remembered[i] and store.path_for(entry).exists():
            continue
        try:
            # Read at index 0 from what this comparison's reading left in the memories.
            found = reader.read(article, doc)
        except Exception:  # the finders meet it too and report it
            log.debug("reading %s failed", article.id, exc_info=True)
            continue
        written += store.write(entry, _HEADER, article.text, encode(found))
    return written
