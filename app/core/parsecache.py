"""Parsed articles kept between runs: one file per parsed article in the user's cache folder.

Parsing is nearly all of a comparison's time, and the same article is parsed again on every
open, every restart and every added article. A parse depends only on the article's text and on
the pipeline that made it, so it is stored under

    sha256(pipeline fingerprint + sha256(text))

where the fingerprint (`app.core.nlp`) covers the model's name, version, configuration and
files, spaCy's version and Parallax's own `ENGINE_VERSION`: any change gives new keys, and the
old entries age out.

An entry is `MAGIC`, one JSON header line (key, fingerprint, text hash, payload size and
sha256) and the payload: a spaCy `DocBin` holding the one Doc (token attributes, sentence
starts, entities; no tensor, no user_data). An entry that is truncated, corrupt, foreign or
written for another key is treated as missing (and rewritten by the next parse), never trusted
and never fatal; `decode_doc` also checks that the Doc's text is the article's, character for
character.

Concurrency: entries are written to a temporary file in the same folder and moved into place
with `os.replace` (atomic), so another process reading at the same time sees the old entry,
the new one or none, never half of one. Reads bump the entry's modification time; once the
folder grows past its limit, the least recently used entries are deleted (another process
losing an entry it was about to read just parses again). Errors of the file system (read-only,
full, permissions) only make the cache miss.

`DocMemory` is the in-process layer: the window's worker process keeps the Docs of the
articles it compared last, so adding one article to twenty re-parses only that one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.lazyspacy import import_spacy

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

MAGIC = b"PARALLAX-PARSE/1\n"
SUFFIX = ".parse"
SUBDIR = "parses"
ENV_MAX_MB = "PARALLAX_CACHE_MAX_MB"
DEFAULT_MAX_BYTES = 300 * 1024 * 1024
EVICT_TO = 0.9  # after eviction the folder holds at most this share of the limit
STALE_TEMP_SECONDS = 3600.0  # a writer's temporary file older than this was left by a crash
_MAX_HEADER = 4096


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_key(fingerprint: str, text: str) -> str:
    """The cache key of `text` parsed by the pipeline with this fingerprint."""
    return hashlib.sha256(f"{fingerprint}\n{text_sha256(text)}".encode()).hexdigest()


def default_max_bytes() -> int:
    """The size limit: PARALLAX_CACHE_MAX_MB (megabytes) when set, else 300 MB."""
    raw = os.environ.get(ENV_MAX_MB, "").strip()
    if raw:
        with contextlib.suppress(ValueError):
            return max(0, int(float(raw) * 1024 * 1024))
    return DEFAULT_MAX_BYTES


# ---------------------------------------------------------------------------------------------
# Docs <-> bytes


def strip_doc(doc: Doc) -> Doc:
    """Drop what a cached Doc does not carry (the tok2vec tensor, user_data), so that a fresh
    parse and a cached one are the same thing; nothing in Parallax reads the tensor."""
    import numpy

    doc.tensor = numpy.zeros((0,), dtype="float32")
    doc.user_data.clear()
    return doc


def encode_doc(doc: Doc) -> bytes:
    import_spacy()
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=False)
    docbin.add(doc)
    return bytes(docbin.to_bytes())


def decode_doc(payload: bytes, vocab: Vocab, text: str) -> Doc | None:
    """The Doc in `payload`, or None when the payload is not exactly one Doc of `text`."""
    import_spacy()
    from spacy.tokens import DocBin

    try:
        docs = list(DocBin(store_user_data=False).from_bytes(payload).get_docs(vocab))
    except Exception:  # corrupt bytes can fail anywhere inside msgpack, zlib or numpy
        return None
    if len(docs) != 1 or docs[0].text != text:
        return None
    return strip_doc(docs[0])


# ---------------------------------------------------------------------------------------------
# The folder


@dataclass(frozen=True)
class CacheStats:
    entries: int
    bytes: int


class ParseCache:
    """Parsed articles on disk, bounded in size (least recently used entries go first)."""

    def __init__(self, directory: str | os.PathLike[str], max_bytes: int | None = None):
        self.directory = Path(directory)
        self.max_bytes = default_max_bytes() if max_bytes is None else max(0, int(max_bytes))

    @classmethod
    def default(cls) -> ParseCache:
        """The cache in the user's cache folder (`app.paths.user_cache_dir`)."""
        from app import paths

        return cls(paths.user_cache_dir() / SUBDIR)

    def path_for(self, key: str) -> Path:
        return self.directory / f"{key}{SUFFIX}"

    # Reading ---------------------------------------------------------------------------------

    def read(self, key: str, fingerprint: str) -> bytes | None:
        """The payload stored under `key`, or None (missing, damaged, foreign)."""
        path = self.path_for(key)
        try:
            with path.open("rb") as fh:
                data = fh.read()
        except OSError:
            return None
        payload = self._unwrap(data, key, fingerprint)
        if payload is not None:
            # Least recently *used*: a hit counts as a use. A read-only cache still reads.
            with contextlib.suppress(OSError):
                os.utime(path)
        return payload

    @staticmethod
    def _unwrap(data: bytes, key: str, fingerprint: str) -> bytes | None:
        if not data.startswith(MAGIC):
            return None
        end = data.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
        if end < 0:
            return None
        try:
            header = json.loads(data[len(MAGIC):end])
        except ValueError:
            return None
        if not isinstance(header, dict):
            return None
        payload = data[end + 1:]
        if (
            header.get("key") != key
            or header.get("fingerprint") != fingerprint
            or header.get("size") != len(payload)
            or header.get("sha256") != hashlib.sha256(payload).hexdigest()
        ):
            return None
        return payload

    # Writing ---------------------------------------------------------------------------------

    def write(self, key: str, fingerprint: str, text: str, payload: bytes) -> bool:
        """Store `payload` under `key` atomically. False when the folder cannot be written."""
        header = json.dumps({
            "key": key,
            "fingerprint": fingerprint,
            "text_sha256": text_sha256(text),
            "size": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
            "written": round(time.time(), 3),
        }, sort_keys=True).encode("ascii")
        tmp: str | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=self.directory)
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + header + b"\n" + payload)
            os.replace(tmp, self.path_for(key))
            tmp = None
            return True
        except OSError:
            return False
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    # Housekeeping ----------------------------------------------------------------------------

    def _entries(self) -> Iterator[tuple[Path, float, int]]:
        """(path, modification time, size) of every entry and stale temporary file."""
        try:
            scan = os.scandir(self.directory)
        except OSError:
            return
        now = time.time()
        with scan:
            for entry in scan:
                if not entry.name.endswith(SUFFIX):
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    continue  # deleted by another process meanwhile
                if entry.name.startswith(".tmp-"):
                    if now - st.st_mtime > STALE_TEMP_SECONDS:
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
                    continue
                yield Path(entry.path), st.st_mtime, st.st_size

    def stats(self) -> CacheStats:
        sizes = [size for _, _, size in self._entries()]
        return CacheStats(entries=len(sizes), bytes=sum(sizes))

    def evict(self) -> int:
        """Delete least recently used entries until the folder is within its limit.
        Returns the number deleted."""
        entries = list(self._entries())
        total = sum(size for _, _, size in entries)
        if total <= self.max_bytes:
            return 0
        target = int(self.max_bytes * EVICT_TO)
        deleted = 0
        for path, _, size in sorted(entries, key=lambda e: (e[1], e[0].name)):
            if total <= target:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                deleted += 1
            total -= size  # gone, or gone by another process's hand
        return deleted

    def clear(self) -> CacheStats:
        """Delete every entry. Returns what was deleted."""
        entries = list(self._entries())
        gone = 0
        size = 0
        for path, _, n in entries:
            with contextlib.suppress(OSError):
                path.unlink()
                gone += 1
                size += n
        return CacheStats(entries=gone, bytes=size)


# ---------------------------------------------------------------------------------------------
# In-process layer


def _chars(doc: Doc) -> int:
    """len(doc.text) without joining every token's text."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


class DocMemory:
    """The Docs of the articles parsed last in this process, least recently used dropped.

    A Doc handed out again keeps its `user_data`: what the finders keep there (token lists,
    entities, sentences, clauses) is read from the Doc alone, so adding one article to an open
    comparison reads only that one.
    """

    def __init__(self, max_docs: int = 400, max_chars: int = 8_000_000):
        self.max_docs = max_docs
        self.max_chars = max_chars
        self._docs: OrderedDict[str, Doc] = OrderedDict()
        self._chars = 0

    def __len__(self) -> int:
        return len(self._docs)

    def get(self, key: str) -> Doc | None:
        doc = self._docs.get(key)
        if doc is None:
            return None
        self._docs.move_to_end(key)
        return doc

    def put(self, key: str, doc: Doc) -> None:
        old = self._docs.pop(key, None)
        if old is not None:
            self._chars -= _chars(old)
        self._docs[key] = doc
        self._chars += _chars(doc)
        while self._docs and (len(self._docs) > self.max_docs or self._chars > self.max_chars):
            _, dropped = self._docs.popitem(last=False)
            self._chars -= _chars(dropped)

    def clear(self) -> None:
        self._docs.clear()
        self._chars = 0
