"""The comparison report: self-contained HTML checked by parsing it, the PDF by reading it."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.__main__ import main
from app.core.model import Article, Comparison
from app.core.report import conflicts_in_order, labels, report_html
from tests.gold import SEEDS


class _Page(HTMLParser):
    """Collects tags, attributes, the text of each source's block and of each conflict."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.article_text: dict[str, list[str]] = {}
        self._in_text: str | None = None
        self._depth = 0
        self.stack: list[str] = []
        self.css = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag not in ("br", "meta", "hr", "img", "link"):
            self.stack.append(tag)
        if tag == "style":
            self._in_style = True
        if tag == "div" and a.get("id", "").startswith("article-"):
            self._current = a["id"][len("article-"):]
        if tag == "div" and a.get("class") == "text":
            self._in_text = self._current
            self._depth = len(self.stack)
            self.article_text[self._in_text] = []

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            if tag == "div" and self._in_text is not None and len(self.stack) == self._depth:
                self._in_text = None
            self.stack.pop()
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css += data
            return
        self.text.append(data)
        if self._in_text is not None:
            self.article_text[self._in_text].append(data)


def _parse(doc: str) -> _Page:
    p = _Page()
    p.feed(doc)
    p.close()
    return p


def _assert_self_contained(p: _Page) -> None:
    for tag, attrs in p.tags:
        assert tag not in ("script", "link", "iframe", "img", "object", "embed", "base")
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)  # no event handlers
            assert name != "src", (tag, attrs)
            if name == "href":
                assert value.startswith("#"), value  # only links within the report
    assert "url(" not in p.css
    assert "@import" not in p.css
    assert "@font-face" not in p.css


def _norm(s: str) -> str:
    return " ".join(s.split())


def test_report_has_every_source_every_conflict_and_nothing_external(
    seed_comparison: Comparison,
) -> None:
    doc = report_html(seed_comparison, generated="2026-01-01 10:00")
    p = _parse(doc)
    _assert_self_contained(p)
    assert p.stack == [], "every element is closed"
    names = labels(seed_comparison.articles)
    whole = _norm(" ".join(p.text))
    # Each source's full text is in the report, character for character, and its name.
    for a in seed_comparison.articles:
        assert "".join(p.article_text[a.id]) == a.text
        assert names[a.id] in whole
    # Conflicts come first (before the sources), strongest first, each with every side.
    conflicts = conflicts_in_order(seed_comparison)
    assert conflicts, "the seeds have conflicts"
    positions = [doc.find(f'id="conflict-{f.id}"') for f in conflicts]
    assert all(pos > 0 for pos in positions)
    assert positions == sorted(positions)
    assert max(positions) < doc.find('id="texts"')
    for f in conflicts:
        assert html.escape(f.label, quote=True) in doc
        for s in f.spans:
            assert _norm(s.text) in whole
            # The passage is highlighted in its source's text, anchored for the link.
            assert f'id="{f.id}-{s.article}-' in doc
            # Who gives it, beside the outlet ("Reuters (according to Kiev)").
            if s.claimant:
                assert _norm(f"(according to {s.claimant['text']})") in whole
    # Highlights carry a line style as well as a colour (black-and-white printing).
    for cls in ("conflict", "match1", "unique"):
        rule = re.search(rf"\.{cls} \{{([^}}]*)\}}", p.css)
        assert rule is not None
        assert "text-decoration: underline" in rule.group(1)
    assert 'class="conflict"' in doc
    # The facts table has a row per compared figure.
    assert doc.count("<tr>") >= len(seed_comparison.facts) + len(seed_comparison.articles)


def test_report_of_hostile_text_is_escaped() -> None:
    from app.core.articles import article_from_text
    from app.core.compare import compare_articles

    evil = '<script>alert(1)</script> <img src="http://x.invalid/a.png"> 14,000 people died.'
    a = article_from_text(evil, article_id="a0", name="evil.txt")
    b = article_from_text("Officials said 13,000 people died.", article_id="a1", name="b.txt")
    p = _parse(report_html(compare_articles([a, b])))
    _assert_self_contained(p)
    assert "".join(p.article_text["a0"]) == a.text


def test_report_cli_html_and_pdf(
    qapp: object,
    tmp_path: Path,
    seed_articles: Sequence[Article],
    capsys: pytest.CaptureFixture[str],
) -> None:
    import pypdfium2 as pdfium

    out_html, out_pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    assert main(["report", str(SEEDS), "-o", str(out_html)]) == 0
    assert main(["report", str(SEEDS), "-o", str(out_pdf)]) == 0
    doc = out_html.read_text(encoding="utf-8")
    _assert_self_contained(_parse(doc))
    pdf = pdfium.PdfDocument(str(out_pdf))
    try:
        assert len(pdf) >= 3
        text = _norm(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    finally:
        pdf.close()
    # The PDF has the same content: every source's name and text, every conflict.
    from app.core.compare import compare_articles

    comparison = compare_articles(seed_articles)
    names = labels(comparison.articles)
    flat = text.replace("\ufffe", "").replace("\x02", "")
    for a in comparison.articles:
        assert names[a.id] in flat
        last_line = [ln for ln in a.text.split("\n") if ln.strip()][-1]
        assert _norm(last_line)[:60] in flat
    for f in conflicts_in_order(comparison):
        assert _norm(f.label)[:40] in flat
    assert "wrote" in capsys.readouterr().err


def test_report_cli_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    assert main(["report", str(SEEDS), "-o", str(tmp_path / "r.docx")]) == 2
    assert main(["report", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "r.html")]) == 2
    assert not (tmp_path / "r.html").exists()


def test_report_with_project_has_notes_and_decisions(
    tmp_path: Path, seed_articles: Sequence[Article], seed_comparison: Comparison
) -> None:
    from app.store.project import Project
    from app.store.records import finding_key

    proj = tmp_path / "story.parallax"
    conflict = conflicts_in_order(seed_comparison)[0]
    right = seed_comparison.article(conflict.spans[0].article)
    with Project.open(proj, create=True, articles=seed_articles, author="Ana") as p:
        stored = {a.sha256: a.id for a in p.articles()}
        p.annotate_quote(stored[seed_articles[3].sha256], "Humeyra Pamuk",
                         note="check the second byline", tags=["Needs source"])
        p.set_conflict_status(finding_key(conflict, seed_comparison.articles), "resolved",
                              right=right.sha256, note="Kyiv's own figure")
    out = tmp_path / "r.html"
    assert main(["report", "--project", str(proj), "-o", str(out), "-q"]) == 0
    doc = out.read_text(encoding="utf-8")
    p2 = _parse(doc)
    _assert_self_contained(p2)
    whole = _norm(" ".join(p2.text))
    assert "check the second byline" in whole
    assert "Needs source" in whole
    block = next(t for t in ("".join(v) for v in p2.article_text.values()) if "Pamuk" in t)
    assert "Humeyra Pamuk[N1]" in block  # the note's marker right after its passage
    assert "Kyiv's own figure" in whole
    assert f"right: {labels(seed_comparison.articles)[right.id]}" in whole
