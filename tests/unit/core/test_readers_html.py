"""Saved web pages: real pages from ../shared/external/webpages, MHTML archives, outlets."""

from __future__ import annotations

import json
import re
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.core.articles import article_from_text, load_path
from app.core.outlets import credit_from_text, outlet_from_filename

# Test data beside the checkout (../shared/external), found from a clone or a worktree.
WEBPAGES = next(
    (p / "shared" / "external" / "webpages" for p in Path(__file__).resolve().parents
     if (p / "shared" / "external" / "webpages" / "expect.json").exists()),
    Path("shared/external/webpages"),
)
needs_pages = pytest.mark.skipif(
    not (WEBPAGES / "expect.json").exists(),
    reason="the saved web pages are test data outside the repository (../shared/external)",
)


def _norm(s: str) -> str:
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    return " ".join(re.sub(r"\*([^*]+)\*", r"\1", s).split())


@needs_pages
def test_real_saved_pages_keep_the_article_and_drop_the_furniture() -> None:
    expect = json.loads((WEBPAGES / "expect.json").read_text(encoding="utf-8"))
    kept = excluded = total_in = total_out = 0
    refused = []
    for name, e in expect.items():
        try:
            art = load_path(WEBPAGES / "pages" / name)
        except Exception as exc:
            refused.append(f"{name}: {exc}")
            continue
        parts, pos = [], 0
        for s, end in art.boilerplate:
            parts.append(art.text[pos:s])
            pos = end
        parts.append(art.text[pos:])
        shown, compared = _norm(art.text), _norm(" ".join(parts))
        total_in += len(e["in"])
        total_out += len(e["out"])
        kept += sum(_norm(s) in shown for s in e["in"])
        excluded += sum(_norm(s) not in compared for s in e["out"])
    assert refused == []
    recall, exclusion = kept / total_in, excluded / total_out
    # The target is F1 >= 0.95; measured 0.995 / 1.000 (python -m app.bench_import).
    assert 2 * recall * exclusion / (recall + exclusion) >= 0.95, (recall, exclusion)


@needs_pages
def test_reuters_page_metadata_and_outlet() -> None:
    art = load_path(WEBPAGES / "pages" / "reuters.com.parasite.html")
    assert art.outlet == "Reuters"
    assert art.title is not None
    assert "Parasite" in art.title
    assert art.byline == ("Jill Serjeant",)
    assert art.published == "2020-01-20"
    assert art.text.startswith(art.title)
    assert "LOS ANGELES (Reuters)" in art.text
    assert "Directory of sites" not in art.text  # site navigation


@needs_pages
def test_readers_comments_are_kept_but_marked_as_furniture() -> None:
    art = load_path(WEBPAGES / "pages" / "lemire.me.json.html")
    i = art.text.find("version 0.2 on vcpkg.")
    assert i > 0, "the comment is on the page"
    assert art.is_boilerplate(i, i + 20), "and never compared"
    heading = art.text.find("Readers' comments")
    assert 0 < heading < i


def _mhtml(html: str, charset: str = "utf-8") -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Saved page"
    msg["Snapshot-Content-Location"] = "https://www.example-news.org/world/1"
    msg.make_related()
    page = EmailMessage()
    page.set_content(html, subtype="html", charset=charset, cte="quoted-printable")
    page["Content-Location"] = "https://www.example-news.org/world/1"
    msg.attach(page)
    img = EmailMessage()
    img.set_content(b"\x89PNG\r\n\x1a\n" + bytes(100), maintype="image", subtype="png")
    msg.attach(img)
    return msg.as_bytes()


ARTICLE = "".join(
    f"<p>Paragraph {i}: the ministry said on Tuesday that 14,000 people had been killed in the "
    f"seven-year conflict, and that talks would resume in Geneva next week. Café “quoted”.</p>"
    for i in range(6)
)


def test_mhtml_page_opens_like_a_web_page(tmp_path: Path) -> None:
    html = (f"<html><head><title>Talks resume | Example</title></head><body><nav>Home News "
            f"Sport</nav><article><h1>Talks resume</h1>{ARTICLE}</article>"
            "<footer>Imprint and cookie settings</footer></body></html>")
    f = tmp_path / "saved.mhtml"
    f.write_bytes(_mhtml(html, charset="windows-1252"))
    art = load_path(f)
    assert "Paragraph 5: the ministry said" in art.text
    assert "Café “quoted”" in art.text  # the part's charset and quoted-printable decoded
    assert "cookie settings" not in art.text
    assert art.outlet == "example-news.org"  # from the saved page's address


def test_damaged_mhtml_is_named(tmp_path: Path) -> None:
    f = tmp_path / "broken.mhtml"
    f.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: image/png\r\n\r\n\x89PNG")
    with pytest.raises(Exception, match="not a saved web page") as info:
        load_path(f)
    assert str(f) in str(info.value)


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("reuters-0412.txt", "reuters"),
        ("ahram_1914947530.txt", "ahram"),
        ("The-Guardian-2021-04-13.html", "The Guardian"),
        ("bbc.co.uk-55.pdf", "bbc.co.uk"),
        ("000_ae34742a79f7a3e3.txt", None),  # an id, no outlet
        ("biden-putin-summit.txt", None),  # a topic, not an outlet
        ("article-1.txt", None),
        ("notes.txt", None),
    ],
)
def test_outlet_from_file_name(name: str, outlet: str | None) -> None:
    assert outlet_from_filename(name) == outlet


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("Title\n\nWASHINGTON / MOSCOW (Reuters) – US President Joe Biden said", "Reuters"),
        ("Title\n\n(AFP) - Syrian forces took the town.", "AFP"),
        ("Title\n\nBody text here.\n\nSource: dpa", "dpa"),
        ("Title\n\nBody text here.\n\n— AFP", "AFP"),
        ("Title\n\nBody.\n\nOther reports by iNewsToday", "iNewsToday"),
        ("Title\n\nThe AFP news agency said the town fell.", None),  # a mention, not a credit
    ],
)
def test_outlet_from_credits_in_the_text(text: str, credit: str | None) -> None:
    assert credit_from_text(text) == credit


def test_file_name_outranks_a_wire_credit_but_the_agency_stays_the_source(tmp_path: Path) -> None:
    f = tmp_path / "ahram-1914947530.txt"
    f.write_text("Death toll rises\n\nBEIRUT (AFP) - The death toll rose to 112.\n",
                 encoding="utf-8")
    art = load_path(f)
    assert art.outlet == "ahram"
    assert art.source == "AFP"
    g = tmp_path / "1914947530.txt"
    g.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_path(g).outlet == "AFP"


FAKES = WEBPAGES.parent / "fakes" / "FA-KES-dev.csv"


@pytest.mark.skipif(not FAKES.exists(), reason="FA-KES is test data outside the repository")
def test_fakes_articles_get_their_outlet_from_file_names_and_reuters_credits(
    tmp_path: Path,
) -> None:
    import csv

    from app.core.articles import load_paths

    with FAKES.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_source: dict[str, dict[str, str]] = {}
    for row in rows:  # one article per outlet, saved the way a newsroom names files
        by_source.setdefault(row["source"], row)
    for source, row in by_source.items():
        (tmp_path / f"{source}-{row['unit_id']}.txt").write_text(
            row["article_content"], encoding="utf-8"
        )
    articles, errors = load_paths([tmp_path])
    assert errors == []
    assert sorted(a.outlet or "" for a in articles) == sorted(by_source)
    # With bare numbers for names, Reuters copies still name Reuters (their house footer).
    reuters = [r for r in rows if r["source"] == "reuters"]
    for row in reuters:
        art = article_from_text(row["article_content"], path=f"{row['unit_id']}.txt")
        assert art.outlet == "Reuters"


@needs_pages
def test_token_level_f1_against_hand_made_bodies() -> None:
    from app.bench_import import _parallax, _token_prf, gold_bodies

    gold = gold_bodies(WEBPAGES)
    assert len(gold) >= 10
    predicted = "\n".join(_parallax(WEBPAGES / "pages" / page)[1] for page in gold)
    precision, recall, f1 = _token_prf(predicted, "\n".join(gold.values()))
    # Measured 0.972 / 0.995 / 0.983 (python -m app.bench_import --html); the issue asks 0.95.
    assert f1 >= 0.95, (precision, recall)
