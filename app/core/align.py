"""Passage matching across N articles: what several sources say in common, and what only one says.

1. Passages are the sentences of each parsed article (line breaks always end one), reduced to
   normalised tokens: lemmas, lower case, no stop words or punctuation, numbers kept as digits.
2. Every pair of articles is scored (`Scorer`): IDF-weighted word overlap on the words the two
   articles share (numpy), a cheap prefilter on it, then for the pairs left a word-order
   similarity (rapidfuzz Indel, C++) and a containment term, so that paraphrases count (lower
   score) and a sentence contained in a longer one counts too. A pair of articles with little
   in common costs microseconds, so a story of 200 articles (19,900 pairs) is matched in
   about a second.
3. A pair of passages is linked when it is a mutual best match above `min_score`, or when it
   scores high regardless (one sentence in A covering two in B). Linking is symmetric by
   construction: every score is symmetric and ties are kept, so A-vs-B finds what B-vs-A finds.
4. Links are grouped into clusters (connected components) that may span many articles; each
   becomes a `match` finding with the exact shared word runs inside each span.
5. Content sentences whose best counterpart anywhere scores below `unique_below` are `unique`;
   neighbouring unique sentences of one paragraph are reported as one passage.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import Indel

from app.core.analysis import Analysis, Passage, PassageLink, PassageRef
from app.core.entities import read_once
from app.core.model import (
    MATCH,
    UNIQUE,
    Article,
    Cancelled,
    CancelledFn,
    Finding,
    ProgressFn,
    Run,
    Span,
    never_cancelled,
    no_progress,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

MIN_TOKENS = 3  # passages shorter than this (after normalisation) are never matched
DEFAULT_MIN_SCORE = 0.36
PREFILTER = 0.2  # weighted Dice below this is never a match (cheap cut before the LCS)
HIGH_SCORE = 0.72  # linked even when not the mutual best (many-to-one)
UNIQUE_BELOW = 0.3  # a content sentence whose best counterpart is below this is unique
RUN_MIN_WORDS = 2  # shared word runs shorter than this are not highlighted

_NUM_RE = re.compile(r"^[+-]?\d[\d,.]*$")
_WORD_RE = re.compile(r"[\w'’-]+", re.UNICODE)
_TERMINAL = ("." , "!", "?", '"', "”", "’", "'", ":", ")")


@dataclass(frozen=True)
class AlignOptions:
    min_score: float = DEFAULT_MIN_SCORE
    high_score: float = HIGH_SCORE
    unique_below: float = UNIQUE_BELOW


# ---------------------------------------------------------------------------------------------
# Passages


def _norm_token(tok: object) -> str | None:
    """Normalised form of a spaCy token, or None when it carries no content."""
    t = tok  # spacy.tokens.Token; typed loosely to keep spaCy out of the hot type checks
    if t.is_space or t.is_punct:  # type: ignore[attr-defined]
        return None
    text: str = t.text  # type: ignore[attr-defined]
    if _NUM_RE.match(text):
        return text.replace(",", "").rstrip(".")
    if t.is_stop:  # type: ignore[attr-defined]
        return None
    lemma: str = t.lemma_ or text  # type: ignore[attr-defined]
    lemma = lemma.lower().replace(".", "").strip("'’-")
    return lemma or None


def passages_for(article_index: int, article: Article, doc: Doc) -> list[Passage]:
    """Split a parsed article into passages (sentences), trimmed and classified.

    Kept on the Doc (by the text's page furniture): adding one article to an open comparison
    reads the others' sentences again otherwise."""
    return read_once(doc, "passages", article, article_index,
                     lambda: _read_passages(article_index, article, doc))


def _read_passages(article_index: int, article: Article, doc: Doc) -> list[Passage]:
    out: list[Passage] = []
    text = article.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        # Trim whitespace and leading boilerplate (e.g. a "date 2021-04-13" prefix).
        for b_start, b_end in article.boilerplate:
            if b_start <= start < b_end < end:
                start = b_end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        tokens = tuple(
            n for tok in sent if start <= tok.idx < end and (n := _norm_token(tok)) is not None
        )
        boiler = article.is_boilerplate(start, end)
        body = text[start:end]
        content = (
            not boiler
            and len(tokens) >= 5
            and (body.rstrip().endswith(_TERMINAL) or len(tokens) >= 10)
        )
        out.append(
            Passage(
                article=article_index,
                index=len(out),
                start=start,
                end=end,
                text=body,
                tokens=tokens,
                boilerplate=boiler,
                content=content,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Scoring


class Scorer:
    """Word-level similarity of passages, weighted by how rare each word is in this comparison.

    Three views of one pair of token lists, all symmetric, blended:
    - weighted Dice: shared words over all words, each word weighted by its IDF, so that
      "Russia", "Ukraine" and "border" (in every sentence of a story) count little and
      "paratrooper" or "14000" count a lot;
    - word-order similarity: rapidfuzz Indel (LCS) on strings with one character per word;
    - containment, damped by the length balance: one sentence restating part of a longer one.
    `pair_matrix` scores every passage of one article against every passage of another (numpy
    on the shared words, Indel only past the prefilter); `pair` scores one pair.
    """

    def __init__(self, token_lists: Sequence[Sequence[str]]):
        df: dict[str, int] = {}
        for tokens in token_lists:
            for w in set(tokens):
                df[w] = df.get(w, 0) + 1
        self.vocab = {w: i for i, w in enumerate(sorted(df))}
        n = max(1, len(token_lists))
        self.idf = np.array(
            [math.log((n + 1) / (df[w] + 1)) + 1.0 for w in sorted(df)], dtype=np.float32
        )
        # The same float32 values as Python floats, by word (no numpy scalar per look-up).
        self._idf_of = dict(zip(self.vocab, self.idf.tolist(), strict=True))
        self._profiles: dict[tuple[str, ...], tuple[set[str], float, str]] = {}

    def encode(self, tokens: Sequence[str]) -> str:
        # Private-use-free code points from U+0100 up: one character per vocabulary word.
        return "".join(chr(0x100 + self.vocab[w]) for w in tokens if w in self.vocab)

    def _profile(self, tokens: Sequence[str]) -> tuple[set[str], float, str]:
        """(known words, their IDF weight, encoding) of a token list, computed once: the
        clustering and the covering check ask about the same passages many times."""
        key = tokens if isinstance(tokens, tuple) else tuple(tokens)
        profile = self._profiles.get(key)
        if profile is None:
            words = set(key) & self.vocab.keys()
            idf = self._idf_of
            profile = (words, sum(idf[w] for w in words), self.encode(key))
            self._profiles[key] = profile
        return profile

    def pair(self, a: Sequence[str], b: Sequence[str]) -> float:
        """The score of `pair_matrix` for one pair, without the numpy set-up cost."""
        sa, wa, ea = self._profile(a)
        sb, wb, eb = self._profile(b)
        if not sa or not sb:
            return 0.0
        idf = self._idf_of
        overlap = sum(idf[w] for w in sa & sb)
        dice = 2.0 * overlap / (wa + wb)
        if dice < PREFILTER:
            return 0.0
        small, large = min(wa, wb), max(wa, wb)
        order = Indel.normalized_similarity(ea, eb)
        return 0.4 * dice + 0.3 * order + 0.3 * (overlap / small) * math.sqrt(small / large)

    def contained(self, part: Sequence[str], whole: Sequence[str]) -> float:
        """Share of `part`'s weight found in `whole`."""
        sp, total, _ = self._profile(part)
        if not sp:
            return 0.0
        idf = self._idf_of
        inside = sum(idf[w] for w in sp & self._profile(whole)[0])
        return inside / total

    def side(self, token_lists: Sequence[Sequence[str]]) -> Side:
        """One article's passages, ready to be scored against another's (`pair_matrix`)."""
        ids = [sorted({self.vocab[w] for w in tokens if w in self.vocab}) for tokens in token_lists]
        words = np.array(sorted({i for row in ids for i in row}), dtype=np.int64)
        column = {int(w): k for k, w in enumerate(words.tolist())}
        presence = np.zeros((len(ids), len(words)), dtype=np.float64)
        for r, row in enumerate(ids):
            presence[r, [column[i] for i in row]] = 1.0
        idf = self.idf.astype(np.float64)
        weight = presence @ idf[words] if len(words) else np.zeros(len(ids))
        return Side(words, presence, weight, [self.encode(t) for t in token_lists])

    def pair_matrix(self, a: Side, b: Side) -> np.ndarray:
        """Similarity in 0..1 of every passage of `a` with every passage of `b`.

        Only the words the two articles share are looked at, and the word-order similarity
        (the costly part) only for pairs that pass the weighted-overlap prefilter, so a pair of
        articles with little in common costs a few microseconds, whatever the vocabulary size.
        """
        score = np.zeros((len(a.encoded), len(b.encoded)), dtype=np.float64)
        if not score.size:
            return score.astype(np.float32)
        common, ia, ib = np.intersect1d(a.words, b.words, assume_unique=True,
                                        return_indices=True)
        if not len(common):
            return score.astype(np.float32)
        idf = self.idf[common].astype(np.float64)
        overlap = (a.presence[:, ia] * idf) @ b.presence[:, ib].T
        sa = a.weight[:, None]
        sb = b.weight[None, :]
        dice = 2.0 * overlap / (sa + sb + 1e-6)
        # Cheap prefilter: pairs sharing too little weight never reach the LCS step.
        rows, cols = np.nonzero(dice >= PREFILTER)
        if not len(rows):
            return score.astype(np.float32)
        small = np.maximum(np.minimum(sa, sb), 1e-6)
        large = np.maximum(np.maximum(sa, sb), 1e-6)
        contain = overlap / small
        balance = np.sqrt(small / large)
        similarity = Indel.normalized_similarity
        ea, eb = a.encoded, b.encoded
        order = np.array([similarity(ea[r], eb[c]) for r, c in
                          zip(rows.tolist(), cols.tolist(), strict=True)], dtype=np.float64)
        score[rows, cols] = (0.4 * dice[rows, cols] + 0.3 * order
                             + 0.3 * contain[rows, cols] * balance[rows, cols])
        return score.astype(np.float32)


@dataclass(frozen=True)
class Side:
    """An article's matchable passages as `Scorer.pair_matrix` reads them."""

    words: np.ndarray  # the vocabulary ids the article uses, ascending
    presence: np.ndarray  # passages x words: 1 where the passage has the word
    weight: np.ndarray  # per passage: the IDF weight of its words
    encoded: list[str]  # per passage: one character per word, for the word-order similarity


def _matchable(p: Passage) -> bool:
    return not p.boilerplate and len(p.tokens) >= MIN_TOKENS


# ---------------------------------------------------------------------------------------------
# Alignment


DEFAULT_OPTIONS = AlignOptions()


def align(
    analysis: Analysis,
    options: AlignOptions = DEFAULT_OPTIONS,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = never_cancelled,
) -> dict[PassageRef, float]:
    """Fill analysis.links and analysis.groups; return each passage's best score anywhere."""
    n = len(analysis.articles)
    cand: list[list[Passage]] = [[p for p in ps if _matchable(p)] for ps in analysis.passages]
    tokens = [[p.tokens for p in ps] for ps in cand]
    scorer = Scorer([t for ts in tokens for t in ts])
    sides = [scorer.side(ts) for ts in tokens]
    # Each passage's best score against any other article, where it met any.
    row_best_all = [np.zeros(len(ps), dtype=np.float32) for ps in cand]
    met = [False] * n
    links: list[PassageLink] = []
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    step = max(1, len(pairs) // 200)
    for k, (i, j) in enumerate(pairs):
        if k % step == 0:
            if cancelled():
                raise Cancelled
            progress(k / max(1, len(pairs)), "Matching passages")
        m = scorer.pair_matrix(sides[i], sides[j])
        if not m.size:
            continue
        met[i] = met[j] = True
        row_best = m.max(axis=1)
        col_best = m.max(axis=0)
        np.maximum(row_best_all[i], row_best, out=row_best_all[i])
        np.maximum(row_best_all[j], col_best, out=row_best_all[j])
        if float(row_best.max()) < options.min_score:
            continue  # nothing links these two articles
        rows, cols = np.nonzero(m >= options.min_score)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            s = float(m[r, c])
            mutual = s >= row_best[r] - 1e-6 and s >= col_best[c] - 1e-6
            if mutual or s >= options.high_score:
                links.append(PassageLink(cand[i][r].ref, cand[j][c].ref, round(s, 4)))
        links.extend(_covering_links(scorer, cand[i], cand[j], m, options))
        links.extend(
            PassageLink(lk.b, lk.a, lk.score)
            for lk in _covering_links(scorer, cand[j], cand[i], m.T, options)
        )
    progress(1.0, "Matching passages")
    best: dict[PassageRef, float] = {}
    for i, ps in enumerate(cand):
        if met[i]:
            for p, value in zip(ps, row_best_all[i].tolist(), strict=True):
                best[p.ref] = value
    unique_links: dict[tuple[PassageRef, PassageRef], PassageLink] = {}
    for lk in links:
        key = (lk.a, lk.b)
        if key not in unique_links or unique_links[key].score < lk.score:
            unique_links[key] = lk
    links = sorted(unique_links.values(), key=lambda lk: (lk.a, lk.b))
    analysis.links = links
    analysis.groups = _clusters(analysis, links, scorer, options)
    analysis.index()
    return best


def _covering_links(
    scorer: Scorer,
    a: Sequence[Passage],
    b: Sequence[Passage],
    m: np.ndarray,
    options: AlignOptions,
) -> list[PassageLink]:
    """One passage of `a` restating two neighbouring passages of `b` links to both.

    For each passage, its best counterpart is joined with the next or previous passage of the
    same article; when the two together score better than the best alone and the neighbour is
    mostly contained in the passage, both links are made, each scored by the joined score.
    """
    out: list[PassageLink] = []
    if m.size == 0:
        return out
    best_col = m.argmax(axis=1)
    for r in np.nonzero(m[np.arange(len(a)), best_col] >= options.min_score)[0].tolist():
        p = a[r]
        c = int(best_col[r])
        alone = float(m[r, c])
        for c2 in (c - 1, c + 1):
            if not 0 <= c2 < len(b) or b[c2].article != b[c].article:
                continue
            if abs(b[c2].index - b[c].index) != 1:
                continue
            # The containment first: it is cheaper than scoring the joined pair, and most
            # neighbours fail it.
            if scorer.contained(b[c2].tokens, p.tokens) < 0.6:
                continue
            first, second = (b[c], b[c2]) if c < c2 else (b[c2], b[c])
            joined = scorer.pair(p.tokens, first.tokens + second.tokens)
            if joined >= alone + 0.03:
                score = round(float(joined), 4)
                out.append(PassageLink(p.ref, b[c].ref, score))
                out.append(PassageLink(p.ref, b[c2].ref, score))
    return out


def _clusters(
    analysis: Analysis,
    links: Sequence[PassageLink],
    scorer: Scorer,
    options: AlignOptions,
) -> list[list[PassageRef]]:
    """Group linked passages by greedy average linkage, strongest links first.

    Connected components would chain A~B~C~D into one group even when A and D say different
    things. Here two groups merge only when their passages, taken pair by pair across
    articles, still score `min_score` on average, and one article contributes to a group only
    neighbouring passages (one sentence restating two). Ties are broken by text, not by article
    order, so the grouping is the same whatever order the articles come in.
    """
    known = {(lk.a, lk.b): lk.score for lk in links}

    def pair_score(x: PassageRef, y: PassageRef) -> float:
        key = (x, y) if x < y else (y, x)
        if key in known:
            return known[key]
        return scorer.pair(analysis.passage(x).tokens, analysis.passage(y).tokens)

    def compatible(members: list[PassageRef]) -> bool:
        by_article: dict[int, list[int]] = {}
        for art, idx in members:
            by_article.setdefault(art, []).append(idx)
        return all(max(ix) - min(ix) == len(ix) - 1 for ix in by_article.values())

    group_of: dict[PassageRef, int] = {}
    groups: dict[int, list[PassageRef]] = {}
    next_id = 0
    ordered = sorted(
        links,
        key=lambda lk: (-lk.score, *sorted((analysis.passage(lk.a).text,
                                            analysis.passage(lk.b).text))),
    )
    for lk in ordered:
        for ref in (lk.a, lk.b):
            if ref not in group_of:
                group_of[ref] = next_id
                groups[next_id] = [ref]
                next_id += 1
        ga, gb = group_of[lk.a], group_of[lk.b]
        if ga == gb:
            continue
        merged = groups[ga] + groups[gb]
        if not compatible(merged):
            continue
        cross = [pair_score(x, y) for x in groups[ga] for y in groups[gb] if x[0] != y[0]]
        if cross and sum(cross) / len(cross) < options.min_score:
            continue
        for ref in groups[gb]:
            group_of[ref] = ga
        groups[ga] = merged
        del groups[gb]
    return sorted(sorted(g) for g in groups.values() if len({r[0] for r in g}) > 1)


# ---------------------------------------------------------------------------------------------
# Findings


@functools.lru_cache(maxsize=8192)
def _words(text: str, offset: int) -> list[tuple[str, int, int]]:
    # Remembered: a passage is in as many links as it has counterparts. Callers never change it.
    return [
        (m.group().lower().replace("’", "'"), offset + m.start(), offset + m.end())
        for m in _WORD_RE.finditer(text)
    ]


def shared_runs(p: Passage, q: Passage) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Exact word runs (>= RUN_MIN_WORDS words) that p and q share, as char ranges in each."""
    wp, wq = _words(p.text, p.start), _words(q.text, q.start)
    runs_p: list[tuple[int, int]] = []
    runs_q: list[tuple[int, int]] = []
    for block in Indel.opcodes([w for w, _, _ in wp], [w for w, _, _ in wq]).as_matching_blocks():
        if block.size >= RUN_MIN_WORDS:
            a, b, size = block.a, block.b, block.size
            runs_p.append((wp[a][1], wp[a + size - 1][2]))
            runs_q.append((wq[b][1], wq[b + size - 1][2]))
    return runs_p, runs_q


def _excerpt(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def match_findings(analysis: Analysis) -> list[Finding]:
    """One `match` finding per cluster of linked passages."""
    out: list[Finding] = []
    arts = analysis.articles
    # Each group's inner links, in one pass over the links (links stay in their sorted order).
    group_of = {ref: g for g, group in enumerate(analysis.groups) for ref in group}
    inner_links: list[list[PassageLink]] = [[] for _ in analysis.groups]
    for lk in analysis.links:
        g = group_of.get(lk.a)
        if g is not None and group_of.get(lk.b) == g:
            inner_links[g].append(lk)
    for group, inner in zip(analysis.groups, inner_links, strict=True):
        members = [analysis.passage(r) for r in group]
        score = sum(lk.score for lk in inner) / len(inner) if inner else 0.0
        runs: set[tuple[int, int, int]] = set()
        for lk in inner:
            pa, pb = analysis.passage(lk.a), analysis.passage(lk.b)
            rp, rq = shared_runs(pa, pb)
            runs.update((pa.article, s, e) for s, e in rp)
            runs.update((pb.article, s, e) for s, e in rq)
        sources = sorted({p.article for p in members})
        names = ", ".join(arts[i].label for i in sources)
        label = f"{len(sources)} sources agree: “{_excerpt(members[0].text)}” ({names})"
        out.append(
            Finding(
                id="",
                kind=MATCH,
                label=label,
                score=score,
                spans=tuple(
                    Span(arts[p.article].id, p.start, p.end, p.text) for p in members
                ),
                runs=tuple(Run(arts[a].id, s, e) for a, s, e in sorted(_merge_runs(runs))),
            )
        )
    return out


def _merge_runs(runs: set[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for a, s, e in sorted(runs):
        if out and out[-1][0] == a and s <= out[-1][2]:
            out[-1] = (a, out[-1][1], max(out[-1][2], e))
        else:
            out.append((a, s, e))
    return out


def unique_findings(
    analysis: Analysis, best: dict[PassageRef, float], options: AlignOptions = DEFAULT_OPTIONS
) -> list[Finding]:
    """Content sentences with no counterpart anywhere; neighbours in one paragraph merged."""
    out: list[Finding] = []
    arts = analysis.articles
    for ai, passages in enumerate(analysis.passages):
        text = arts[ai].text
        run: list[Passage] = []

        def flush(run: list[Passage], ai: int = ai, text: str = text) -> None:
            if not run:
                return
            start, end = run[0].start, run[-1].end
            worst = max(best.get(p.ref, 0.0) for p in run)
            out.append(
                Finding(
                    id="",
                    kind=UNIQUE,
                    label=f"Only in {arts[ai].label}: “{_excerpt(text[start:end])}”",
                    score=round(1.0 - worst, 4),
                    spans=(Span(arts[ai].id, start, end, text[start:end]),),
                )
            )

        for p in passages:
            is_unique = (
                p.content
                and best.get(p.ref, 0.0) < options.unique_below
                and not analysis.linked(p.ref)
            )
            if is_unique and run and "\n" not in text[run[-1].end : p.start]:
                run.append(p)
                continue
            flush(run)
            run = [p] if is_unique else []
        flush(run)
    return out
