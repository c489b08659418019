"""The comparison report: one self-contained HTML file an editor can open anywhere and print.

Plain data in (a Comparison, and from a project its notes and conflict decisions), one HTML
string out. Styles are in the file, nothing is fetched, no script is needed; highlights use
colour *and* a line style (conflicts: bold with a wavy underline; shared passages: a solid
underline; passages only one source has: a dotted underline; page furniture: grey italics),
so the marks survive black-and-white printing. The same HTML is paginated into a PDF by Qt
(`app/ui/report_pdf.py`); core never imports Qt.
"""

from __future__ import annotations

import html
import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.core.model import (
    CONFLICT_KINDS,
    CONTRADICTION,
    DISCREPANCY,
    MATCH,
    UNIQUE,
    VARIANT,
    Article,
    Comparison,
    Finding,
    Span,
)

_SEVERITY_ORDER = {CONTRADICTION: 0, DISCREPANCY: 1, VARIANT: 2}
_KIND_NAMES = {"number": "figure", "quote": "quote", "name": "name", "date": "date"}

# Okabe-Ito based, as in the window (app/ui/theme.py), light scheme.
CSS = """
body { font-family: 'DejaVu Serif', Georgia, serif; color: #1e1e1e; margin: 2em auto;
       max-width: 60em; line-height: 1.45; }
h1 { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; font-size: 1.6em; margin: 0; }
h2 { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; font-size: 1.25em;
     border-bottom: 2px solid #444; margin-top: 1.6em; }
h3 { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; font-size: 1.05em;
     margin-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.5em 0; width: 100%; }
th, td { border: 1px solid #999; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background-color: #eeeeee; }
.meta { color: #555555; font-size: 0.9em; }
.conflict { background-color: #fad9c4; font-weight: bold;
            text-decoration: underline wavy #d55e00; text-decoration-skip-ink: none; }
.match1 { background-color: #e2eef9; text-decoration: underline solid #6aaee0; }
.match2 { background-color: #a9cdee; text-decoration: underline solid #0072b2; }
.unique { background-color: #fbf5d6; text-decoration: underline dotted #b59a1e; }
.furniture { color: #8a8a8a; font-style: italic; }
.note { color: #7a3b69; font-weight: bold; font-size: 0.8em; vertical-align: super; }
.text { white-space: pre-wrap; font-size: 0.95em; }
.side { margin: 0.15em 0 0.15em 1.2em; }
.sev-contradiction { color: #b03c00; font-weight: bold; }
.sev-discrepancy { color: #7a5200; font-weight: bold; }
.legend span { margin-right: 1.2em; }
.article { page-break-before: always; break-before: page; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""


_TABLE = '<table width="100%" cellspacing="0" cellpadding="4">'


@dataclass(frozen=True)
class ReportNote:
    """An annotation placed in an article (start/end None for an orphan)."""

    article_id: str | None
    start: int | None
    end: int | None
    quote: str
    note: str
    tags: tuple[str, ...] = ()
    author: str = ""


@dataclass(frozen=True)
class ReportDecision:
    """What the journalist decided about one conflict."""

    status: str
    right: str | None = None  # label of the source judged right
    note: str = ""
    author: str = ""
    updated: str = ""


@dataclass(frozen=True)
class ReportExtras:
    notes: tuple[ReportNote, ...] = ()
    decisions: Mapping[str, ReportDecision] = field(default_factory=dict)  # by finding id
    project: str | None = None


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def conflicts_in_order(comparison: Comparison) -> list[Finding]:
    """Conflicts strongest first: severity, then kind, then score, then id (deterministic)."""
    conflicts = [f for f in comparison.findings if f.kind in CONFLICT_KINDS]
    return sorted(
        conflicts,
        key=lambda f: (
            _SEVERITY_ORDER.get(f.severity or "", 3),
            CONFLICT_KINDS.index(f.kind),
            -f.score,
            f.id,
        ),
    )


def labels(articles: Sequence[Article]) -> dict[str, str]:
    """What each source is called: its outlet, else "Article N" (as the window's headers)."""
    return {a.id: a.outlet or a.source or f"Article {i + 1}" for i, a in enumerate(articles)}


def report_html(
    comparison: Comparison,
    extras: ReportExtras | None = None,
    *,
    title: str | None = None,
    generated: str | None = None,
    for_qt: bool = False,
) -> str:
    """The report as one HTML document. `for_qt` drops CSS that Qt's rich text cannot draw."""
    extras = extras or ReportExtras()
    names = labels(comparison.articles)
    conflicts = conflicts_in_order(comparison)
    counts = comparison.counts()
    heading = title or _story_title(comparison)
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(heading)} — Parallax report</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(heading)}</h1>",
        '<p class="meta">Parallax comparison report'
        + (f", {_e(generated)}" if generated else "")
        + (f"; project {_e(extras.project)}" if extras.project else "")
        + "</p>",
    ]
    # Summary ------------------------------------------------------------------------------
    out.append('<h2 id="summary">Summary</h2>')
    out.append(
        f"<p>{len(comparison.articles)} sources compared: "
        f"<b>{len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''}</b>, "
        f"{counts[MATCH]} shared passages, {counts[UNIQUE]} passages found in one source only"
        + (f", {len(comparison.facts)} compared figures" if comparison.facts else "")
        + (f", {len(extras.notes)} annotations" if extras.notes else "")
        + ".</p>"
    )
    out.append(f'{_TABLE}<tr><th width="3%">#</th><th width="15%">Source</th>'
               '<th width="34%">Headline</th><th width="11%">Date</th><th width="14%">By</th>'
               '<th width="7%">Words</th><th width="16%">File</th></tr>')
    for i, a in enumerate(comparison.articles):
        out.append(
            f'<tr><td>{i + 1}</td><td><a href="#article-{_e(a.id)}"><b>{_e(names[a.id])}</b></a>'
            + (f"<br><span class=\"meta\">via {_e(a.source)}</span>"
               if a.source and a.source != names[a.id] else "")
            + f"</td><td>{_e(a.title or '')}</td><td>{_e(a.published or '')}</td>"
            f"<td>{_e(', '.join(a.byline))}</td><td>{a.word_count:,}</td>"
            f"<td>{_e(a.name)}</td></tr>"
        )
    out.append("</table>")
    for w in comparison.warnings:
        out.append(f'<p class="meta">Warning: {_e(w)}</p>')
    out.append(
        '<p class="legend meta">In the texts: <span class="conflict">conflict</span> '
        '<span class="match2">shared by several sources</span> '
        '<span class="unique">in one source only</span> '
        '<span class="furniture">page furniture</span> '
        '<span class="note">[N1]</span> annotation</p>'
    )
    # Conflicts ----------------------------------------------------------------------------
    out.append('<h2 id="conflicts">Conflicts</h2>')
    if not conflicts:
        out.append("<p>The sources do not disagree on any figure, quote, name or date.</p>")
    for number, f in enumerate(conflicts, start=1):
        sev = f.severity or ""
        out.append(
            f'<h3 id="conflict-{_e(f.id)}">{number}. {_e(f.label)}</h3>'
            f'<p class="meta">{_e(_KIND_NAMES.get(f.kind, f.kind))} · '
            f'<span class="sev-{_e(sev)}">{_e(sev or "conflict")}</span> · '
            f"score {f.score:.2f}</p>"
        )
        for side, spans in _sides(f):
            sources = ", ".join(dict.fromkeys(names[s.article] for s in spans))
            per_article: dict[str, list[Span]] = defaultdict(list)
            for s in spans:
                per_article[s.article].append(s)
            for article_id, own in per_article.items():
                art = comparison.article(article_id)
                first = min(own, key=lambda s: s.start)
                who = next((s.claimant["text"] for s in own if s.claimant), None)
                according = f" (according to {_e(who)})" if who else ""
                out.append(
                    f'<div class="side"><b>Side {side + 1}</b> — '
                    f'<a href="#{_e(_span_anchor(f, article_id, first.start))}">'
                    f"{_e(names[article_id])}</a>{according}: "
                    f"{_context_html(art, [(s.start, s.end) for s in own])}</div>"
                )
            out.append(f'<div class="side meta">Sources: {_e(sources)}</div>')
        d = extras.decisions.get(f.id)
        if d is not None:
            verdict = f"Decision: <b>{_e(d.status)}</b>"
            if d.right:
                verdict += f", right: <b>{_e(d.right)}</b>"
            if d.note:
                verdict += f" — {_e(d.note)}"
            if d.author:
                verdict += f' <span class="meta">({_e(d.author)}'
                verdict += f", {_e(d.updated[:10])})</span>" if d.updated else ")</span>"
            out.append(f'<div class="side">{verdict}</div>')
    # Facts --------------------------------------------------------------------------------
    if comparison.facts:
        out.append('<h2 id="facts">Facts table</h2>')
        out.append(f"{_TABLE}<tr><th>Figure</th>"
                   + "".join(f"<th>{_e(names[a.id])}</th>" for a in comparison.articles)
                   + "<th>Agree?</th></tr>")
        for fact in comparison.facts:
            by_article: dict[str, list[str]] = defaultdict(list)
            for c in fact.cells:
                by_article[c.article].append(str(c.value if c.value is not None else c.text))
            cells = "".join(
                f"<td>{_e(' / '.join(by_article.get(a.id, [])) or '—')}</td>"
                for a in comparison.articles
            )
            flag = (f'<a href="#conflict-{_e(fact.finding)}" class="sev-contradiction">'
                    "conflict</a>" if fact.finding else "agree")
            label = fact.label + (f" ({fact.event})" if fact.event else "")
            out.append(f"<tr><td>{_e(label)}</td>{cells}<td>{flag}</td></tr>")
        out.append("</table>")
    # Annotations --------------------------------------------------------------------------
    note_numbers = {id(n): i + 1 for i, n in enumerate(extras.notes)}
    if extras.notes:
        out.append(f'<h2 id="annotations">Annotations</h2>{_TABLE}<tr><th>#</th><th>Source</th>'
                   "<th>Passage</th><th>Note</th><th>Tags</th><th>By</th></tr>")
        for n in extras.notes:
            where = names.get(n.article_id or "", "(not in these sources)")
            if n.start is None:
                where += " — orphan: the passage is no longer in the text"
            out.append(
                f"<tr><td>N{note_numbers[id(n)]}</td><td>{_e(where)}</td>"
                f"<td>“{_e(n.quote)}”</td><td>{_e(n.note)}</td>"
                f"<td>{_e(', '.join(n.tags))}</td><td>{_e(n.author)}</td></tr>"
            )
        out.append("</table>")
    # The texts ----------------------------------------------------------------------------
    out.append('<h2 id="texts">The sources</h2>')
    notes_by_article: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for n in extras.notes:
        if n.article_id and n.end is not None:
            notes_by_article[n.article_id].append((n.end, note_numbers[id(n)]))
    for i, a in enumerate(comparison.articles):
        out.append(f'<div class="article" id="article-{_e(a.id)}">')
        out.append(f"<h2>{i + 1}. {_e(names[a.id])}</h2>")
        meta = [x for x in (a.title, a.published, ", ".join(a.byline), a.name) if x]
        out.append(f'<p class="meta">{" · ".join(_e(x) for x in meta)}</p>')
        out.append(f'<div class="text">{_article_html(comparison, a, notes_by_article[a.id])}'
                   "</div></div>")
    out.append("</body></html>")
    doc = "\n".join(out)
    if for_qt:
        # Qt lays the page out itself: no centred column, no max-width.
        doc = doc.replace("margin: 2em auto;\n       max-width: 60em; ", "")
        doc = doc.replace("font-size: 0.95em; }", "}")
    return doc


def _story_title(comparison: Comparison) -> str:
    titles = [a.title for a in comparison.articles if a.title]
    return titles[0] if titles else "Comparison"


def _sides(f: Finding) -> list[tuple[int, list[Span]]]:
    groups: dict[int, list[Span]] = defaultdict(list)
    for s in f.spans:
        groups[s.side if s.side is not None else 0].append(s)
    return sorted(groups.items())


def _span_anchor(f: Finding, article_id: str, start: int) -> str:
    return f"{f.id}-{article_id}-{start}"


def _context_html(article: Article, ranges: list[tuple[int, int]], width: int = 90) -> str:
    """The passages in bold inside their sentence, clipped to a readable width."""
    text = article.text
    ranges = sorted(ranges)
    start, end = ranges[0][0], max(e for _, e in ranges)
    if end - start > 400:  # far apart: the first passage alone
        ranges = ranges[:1]
        end = ranges[0][1]
    lo = max(0, text.rfind("\n", 0, start) + 1, start - width)
    hi_nl = text.find("\n", end)
    hi = min(len(text), end + width, hi_nl if hi_nl >= 0 else len(text))
    parts = ["…" if lo > 0 and text[lo - 1] != "\n" else ""]
    pos = lo
    for s, e in ranges:
        if s < pos:
            continue
        parts.append(_e(text[pos:s]))
        parts.append(f'<b class="conflict">{_e(text[s:e])}</b>')
        pos = e
    parts.append(_e(text[pos:hi]))
    parts.append("…" if hi < len(text) and text[hi] != "\n" else "")
    return "".join(parts)


def _article_html(comparison: Comparison, a: Article, notes: list[tuple[int, int]]) -> str:
    """The text with one class per character run: conflict > shared > unique > furniture."""
    n = len(a.text)
    layer = [0] * n  # 0 plain, 1 furniture, 2 unique, 3 shared (few), 4 shared (most), 5 conflict
    anchor_at: dict[int, str] = {}
    total = len(comparison.articles)
    for lo, hi in a.boilerplate:
        for i in range(max(0, lo), min(n, hi)):
            layer[i] = max(layer[i], 1)
    for f in comparison.findings:
        if f.kind == UNIQUE:
            value, ranges = 2, [(s.start, s.end) for s in f.spans if s.article == a.id]
        elif f.kind == MATCH:
            value = 4 if total > 2 and len(f.articles) * 2 > total else 3
            runs = [(r.start, r.end) for r in f.runs if r.article == a.id]
            ranges = runs or [(s.start, s.end) for s in f.spans if s.article == a.id]
        elif f.kind in CONFLICT_KINDS:
            value = 5
            ranges = []
            for span in f.spans:
                if span.article == a.id:
                    ranges.append((span.start, span.end))
                    anchor_at.setdefault(span.start, _span_anchor(f, a.id, span.start))
        else:
            continue
        for lo, hi in ranges:
            for i in range(max(0, lo), min(n, hi)):
                if layer[i] < value:
                    layer[i] = value
    classes = {0: "", 1: "furniture", 2: "unique", 3: "match1", 4: "match2", 5: "conflict"}
    note_at: dict[int, list[int]] = defaultdict(list)
    for end, number in notes:
        note_at[min(end, n)].append(number)
    cuts = sorted({0, n, *anchor_at, *note_at, *(i for i in range(1, n)
                                                 if layer[i] != layer[i - 1])})
    parts: list[str] = []
    for lo, hi in itertools.pairwise(cuts):
        if lo in note_at:
            parts.append("".join(f'<span class="note">[N{k}]</span>' for k in note_at[lo]))
        if lo in anchor_at:
            parts.append(f'<a id="{_e(anchor_at[lo])}"></a>')
        chunk = _e(a.text[lo:hi])
        cls = classes[layer[lo]]
        parts.append(f'<span class="{cls}">{chunk}</span>' if cls else chunk)
    if n in note_at:
        parts.append("".join(f'<span class="note">[N{k}]</span>' for k in note_at[n]))
    return "".join(parts)


__all__ = [
    "CSS",
    "ReportDecision",
    "ReportExtras",
    "ReportNote",
    "conflicts_in_order",
    "labels",
    "report_html",
]
