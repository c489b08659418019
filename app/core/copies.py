"""Agency copy: articles that republish one text (an AFP or Reuters story run by several outlets).

Two reports that share long verbatim stretches are one origin, not two confirmations. Stretches
are found as runs of at least `MIN_RUN` identical words (case and punctuation folded, so "Syrias"
and "Syria's" meet) from hashed word n-grams; two articles are copies when the stretches cover
at least `MIN_SHARE` of the shorter one's words, or, for a copy edited lightly (a word changed or
cut here and there), when blocks of `MIN_BLOCK` words in order cover `MIN_EDITED_SHARE` of it.
Independently written reports of one incident share phrases ("the Britain-based Syrian
Observatory for Human Rights said"), not paragraphs.

`find_copies(articles)` gives `copy` findings (one per pair, spans on the shared stretches in
both articles) and `origins(articles, copies)`, the independent origin of every article (copies
of copies are one origin).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from app.core.grouping import DisjointSets, Recent
from app.core.model import Article, Finding, Span

COPY = "copy"
MIN_RUN = 12  # words in one verbatim stretch
MIN_SHARE = 0.3  # of the shorter article's words inside shared stretches
# A copy edited lightly: blocks of at least MIN_BLOCK words, in order, covering this share.
MIN_BLOCK = 4
MIN_EDITED_SHARE = 0.6
PROBE = 6
_WORD = re.compile(r"[A-Za-z0-9]+")
_AGENCIES = (("AFP", r"\bAFP\b|Agence France-Presse"), ("Reuters", r"\bReuters\b"),
             ("AP", r"\bAP\b|Associated Press"), ("Anadolu", r"\bAnadolu\b"))


@dataclass(frozen=True)
class _Words:
    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @functools.cached_property
    def grams(self) -> list[tuple[str, ...]]:
        """Every run of MIN_RUN words, by its first word (made once per article, not per
        pair)."""
        n = MIN_RUN
        return [self.words[j:j + n] for j in range(len(self.words) - n + 1)]

    @functools.cached_property
    def where(self) -> dict[tuple[str, ...], list[int]]:
        """Where each run of MIN_RUN words starts."""
        index: dict[tuple[str, ...], list[int]] = {}
        for j, gram in enumerate(self.grams):
            index.setdefault(gram, []).append(j)
        return index


def _words(article: Article) -> _Words:
    ws, ss, es = [], [], []
    # Only words that touch page furniture need the closer look.
    furniture = sorted(article.boilerplate)
    k = 0
    for m in _WORD.finditer(article.text):
        start, end = m.span()
        while k < len(furniture) and furniture[k][1] <= start:
            k += 1
        if k < len(furniture) and furniture[k][0] < end and article.is_boilerplate(start, end):
            continue
        ws.append(m.group().lower())
        ss.append(start)
        es.append(end)
    return _Words(tuple(ws), tuple(ss), tuple(es))


def _runs(a: _Words, b: _Words) -> list[tuple[int, int, int]]:
    """(start in a, start in b, length) of maximal shared runs of >= MIN_RUN words."""
    n = MIN_RUN
    if len(a.words) < n or len(b.words) < n:
        return []
    index = b.where
    grams = a.grams
    runs: list[tuple[int, int, int]] = []
    covered: set[tuple[int, int]] = set()  # (i - j) diagonals already extended from (i, j)
    i = 0
    while i <= len(a.words) - n:
        hits = index.get(grams[i])
        best: tuple[int, int, int] | None = None
        for j in hits or ():
            if (i, j) in covered:
                continue
            k = n
            while i + k < len(a.words) and j + k < len(b.words) and a.words[i + k] == \
                    b.words[j + k]:
                k += 1
            if best is None or k > best[2]:
                best = (i, j, k)
        if best is None:
            i += 1
            continue
        runs.append(best)
        for d in range(best[2]):
            covered.add((best[0] + d, best[1] + d))
        i = best[0] + best[2]
    return runs


def _agency(articles: Sequence[Article]) -> str | None:
    """The agency the copies credit, when they all name one."""
    for name, pattern in _AGENCIES:
        if all(re.search(pattern, a.text) for a in articles):
            return name
    return None


def _edited_runs(a: _Words, b: _Words) -> list[tuple[int, int, int]]:
    """Shared stretches of a copy that was edited lightly ("The ISIS group" / "ISIL terrorist
    group", a word cut here and there): the longest common word sequence, kept in blocks of
    at least `MIN_BLOCK` words."""
    blocks = Indel.opcodes(list(a.words), list(b.words)).as_matching_blocks()
    return [(blk.a, blk.b, blk.size) for blk in blocks if blk.size >= MIN_BLOCK]


# Shared stretches of two texts, by the two texts' words: adding one article to an open
# comparison looks again only at the pairs it is in (the window's worker keeps this).
_PAIRS: Recent[tuple[bytes, bytes], tuple[list[tuple[int, int, int]], float] | None] = (
    Recent(20_000))


def _pair(wx: _Words, wy: _Words, kx: bytes, ky: bytes
          ) -> tuple[list[tuple[int, int, int]], float] | None:
    """(runs, share of the shorter text) when the two are copies, else None."""
    key = (kx, ky)
    if key in _PAIRS:
        return _PAIRS.get(key)
    shorter = min(len(wx.words), len(wy.words))
    runs = _runs(wx, wy)
    share = sum(k for _i, _j, k in runs) / max(1, shorter)
    found: tuple[list[tuple[int, int, int]], float] | None = (runs, share)
    if share < MIN_SHARE:
        # An edited copy: most of the shorter text in long blocks, in order.
        edited = _edited_runs(wx, wy)
        share = sum(k for _i, _j, k in edited) / max(1, shorter)
        found = (edited, share) if share >= MIN_EDITED_SHARE else None
    _PAIRS.put(key, found)
    return found


# Each article's words, their key and their probe runs, by text and page furniture.
_READ: Recent[tuple[str, tuple[tuple[int, int], ...]],
              tuple[_Words, bytes, frozenset[tuple[str, ...]]]] = Recent(250)


def keep_read(article: Article, found: tuple[_Words, bytes, frozenset[tuple[str, ...]]]
              ) -> None:
    """Keep what `read_article` gave, made elsewhere."""
    _READ.put((article.sha256, article.boilerplate), found)


def read_article(article: Article) -> tuple[_Words, bytes, frozenset[tuple[str, ...]]]:
    """An article's words, their key and its probe runs (kept: see `_READ`)."""
    key = (article.sha256, article.boilerplate)
    found = _READ.get(key)
    if found is None:
        w = _words(article)
        found = (w, hashlib.blake2b("\n".join(w.words).encode(), digest_size=16).digest(),
                 frozenset(w.words[i:i + PROBE] for i in range(len(w.words) - PROBE + 1)))
        _READ.put(key, found)
    return found


def forget_pairs() -> None:
    _PAIRS.clear()
    _READ.clear()


def find_copies(articles: Sequence[Article]) -> list[Finding]:
    read = [read_article(a) for a in articles]
    words = [w for w, _k, _g in read]
    keys = [k for _w, k, _g in read]
    grams = [g for _w, _k, g in read]
    findings: list[Finding] = []
    for x in range(len(articles)):
        for y in range(x + 1, len(articles)):
            if len(grams[x] & grams[y]) < 2:
                continue  # no two shared six-word runs: written apart
            pair = _pair(words[x], words[y], keys[x], keys[y])
            if pair is None:
                continue
            runs, share = pair
            a, b = articles[x], articles[y]
            wa, wb = words[x], words[y]
            spans: list[Span] = []
            for i, j, k in runs:
                s, e = wa.starts[i], wa.ends[i + k - 1]
                spans.append(Span(a.id, s, e, a.text[s:e], None, 0))
                s, e = wb.starts[j], wb.ends[j + k - 1]
                spans.append(Span(b.id, s, e, b.text[s:e], None, 1))
            spans.sort(key=lambda sp: (sp.article != a.id, sp.start))
            agency = _agency([a, b])
            what = f"{agency} copy" if agency else "agency copy"
            label = (f"{a.label} and {b.label} share {round(100 * share)}% of their text: "
                     f"{what}")
            findings.append(Finding(id="", kind=COPY, label=label, score=min(1.0, share),
                                    spans=tuple(spans)))
    return findings


def origins(articles: Sequence[Article], copies: Sequence[Finding]) -> dict[str, int]:
    """Article id -> its independent origin (articles joined by copy findings share one)."""
    ids = [a.id for a in articles]
    sets = DisjointSets(len(ids))
    pos = {a: i for i, a in enumerate(ids)}
    for f in copies:
        arts = f.articles
        for other in arts[1:]:
            sets.union(pos[arts[0]], pos[other])
    return {a: sets.find(pos[a]) for a in ids}
