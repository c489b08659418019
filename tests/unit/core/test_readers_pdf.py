"""PDF articles, from real PDFs written by Qt in the test (and one encrypted by hand)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.core.articles import ArticleError, load_path, load_paths
from app.core.compare import compare_articles
from app.core.model import NUMBER, Article, Comparison
from tests.gold import SEEDS
from tests.pdfmaker import article_pdf, encrypted_pdf, image_only_pdf, text_document_pdf

PARAGRAPHS = [
    f"Paragraph {i}: the ministry acknowledged extraordinarily complicated negotiations about "
    f"humanitarian corridors, and representatives emphasised their determination to continue "
    f"talking in Geneva."
    for i in range(16)
]


@pytest.fixture
def two_columns(qapp: object, tmp_path: Path) -> Path:
    # Drawn right column first: a reader that follows drawing order reads it backwards.
    return article_pdf(
        tmp_path / "planet-0412.pdf", "Talks resume in Geneva", PARAGRAPHS, columns=2,
        running_head="The Daily Planet — World news", right_column_first=True,
        title="Metadata title that the headline outranks",
    )


def test_two_columns_over_pages_read_in_order_with_furniture_marked(two_columns: Path) -> None:
    art = load_path(two_columns)
    positions = [art.text.find(f"Paragraph {i}:") for i in range(len(PARAGRAPHS))]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions), "reading order: left column, right column, next page"
    assert art.title == "Talks resume in Geneva"
    assert art.outlet == "planet"  # from the file name
    furniture = [art.text[s:e] for s, e in art.boilerplate]
    assert furniture.count("The Daily Planet — World news") >= 2  # on every page
    assert "Page 1 of 2" in furniture
    assert "Page 2 of 2" in furniture
    # Hyphenation at line ends is undone: every word is whole again.
    body = " ".join(art.text[s:e] for s, e in _body_ranges(art))
    assert body.count("extraordinarily") == len(PARAGRAPHS)
    assert body.count("representatives") == len(PARAGRAPHS)
    assert "-\n" not in art.text
    assert "Page 1 of 2" not in body


def _body_ranges(art: Article) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s, e in art.boilerplate:
        out.append((pos, s))
        pos = e
    out.append((pos, len(art.text)))
    return out


def test_metadata_title_fills_in_when_the_text_has_no_headline(
    qapp: object, tmp_path: Path
) -> None:
    f = text_document_pdf(tmp_path / "memo.pdf", "\n".join(PARAGRAPHS[:3]) * 3,
                          title="Ministry memo on Geneva talks")
    art = load_path(f)
    assert art.title == "Ministry memo on Geneva talks"
    assert art.published is not None  # the creation date, as no date is in the text
    g = text_document_pdf(tmp_path / "memo2.pdf", "Geneva talks\nApril 14, 2021\n" + PARAGRAPHS[0])
    assert load_path(g).published == "2021-04-14"  # the text's own date wins


def test_scanned_page_among_text_pages_is_named_in_a_warning(qapp: object, tmp_path: Path) -> None:
    f = article_pdf(tmp_path / "mixed.pdf", "Talks resume", PARAGRAPHS[:4], image_page=True)
    art = load_path(f)
    assert "Paragraph 3:" in art.text
    assert any("page 2" in w and "image" in w for w in art.warnings), art.warnings


def test_scanned_encrypted_and_damaged_pdfs_are_named_and_the_others_still_open(
    qapp: object, tmp_path: Path
) -> None:
    image_only_pdf(tmp_path / "a-scan.pdf")
    encrypted_pdf(tmp_path / "b-locked.pdf", "Secret minutes: 14,000 killed", "secret")
    good = article_pdf(tmp_path / "c-good.pdf", "Talks resume", PARAGRAPHS[:3])
    damaged = (tmp_path / "d-damaged.pdf")
    damaged.write_bytes(good.read_bytes()[:400])  # cut short in transit
    (tmp_path / "e-notpdf.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    arts, errors = load_paths([tmp_path])
    assert [a.name for a in arts] == ["c-good.pdf"]
    messages = {Path(e.path).name: e.message for e in errors}
    assert "scanned" in messages["a-scan.pdf"]
    assert "password" in messages["b-locked.pdf"]
    assert "damaged" in messages["d-damaged.pdf"]
    assert "damaged" in messages["e-notpdf.pdf"]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing touched


def test_the_encrypted_fixture_is_really_encrypted(qapp: object, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    f = encrypted_pdf(tmp_path / "locked.pdf", "Secret minutes: 14,000 killed", "secret")
    assert b"Secret minutes" not in f.read_bytes()
    doc = pdfium.PdfDocument(str(f), password="secret")
    assert doc[0].get_textpage().get_text_range().strip() == "Secret minutes: 14,000 killed"
    doc.close()
    with pytest.raises(ArticleError, match="password"):
        load_path(f)


def _death_toll(comparison: Comparison, pdf_name: str) -> set[tuple[str, str]]:
    """(article name, figure) of the number conflicts that set 13,000 against 14,000."""
    for f in comparison.findings:
        if f.kind != NUMBER:
            continue
        figures = {s.text for s in f.spans}
        if any("13,000" in t for t in figures) and any("14,000" in t for t in figures):
            return {(comparison.article(s.article).name, s.text) for s in f.spans}
    return set()


def test_seed_article_as_pdf_finds_the_same_death_toll_conflict(
    qapp: object, tmp_path: Path, seed_comparison: Comparison, seed_articles: Sequence[Article]
) -> None:
    for a in seed_articles:
        if not a.name.startswith("002_"):
            shutil.copy(SEEDS / a.name, tmp_path / a.name)
    text = (SEEDS / "002_5692871fffd056b2.txt").read_text(encoding="utf-8")
    text_document_pdf(tmp_path / "002_5692871fffd056b2.pdf", text)
    articles, errors = load_paths([tmp_path])
    assert errors == []
    assert [a.name.rsplit(".", 1)[1] for a in articles].count("pdf") == 1
    from_pdf = _death_toll(compare_articles(articles), "002_5692871fffd056b2.pdf")
    from_text = _death_toll(seed_comparison, "002_5692871fffd056b2.txt")
    assert from_text, "the five texts have the death-toll conflict"
    renamed = {(n.replace("002_5692871fffd056b2.txt", "002_5692871fffd056b2.pdf"), t)
               for n, t in from_text}
    assert from_pdf == renamed
