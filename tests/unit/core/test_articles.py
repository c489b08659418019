"""Loading articles: encodings, formats, metadata, boilerplate, and every kind of bad file."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from app.core import articles as A
from app.core.articles import ArticleError, article_from_text, load_path, load_paths

TEXT = "Kyiv’s “peace” plan — 14,000 killed.\nSecond line with café."


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # no BOM
        TEXT.encode("utf-16-be"),  # no BOM
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoded: bytes) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(encoded)
    art = load_path(f)
    assert art.text == TEXT


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n\t  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 50, "binary"),
        (bytes(range(256)) * 20, "binary"),
        (b"caf\x81 \x8d\x8f\x90\x9d bad bytes \xff\xfe\xfd", "encoding"),
    ],
    ids=["zero-length", "whitespace", "png", "all-bytes", "undecodable"],
)
def test_bad_files_get_a_clear_error_naming_the_file(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(ArticleError) as info:
        load_path(f)
    assert info.value.path == str(f)
    assert reason in info.value.message
    assert f.read_bytes() == content  # never touched


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:
        fh.truncate(A.MAX_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(ArticleError, match="too large"):
        load_path(f)


def test_text_over_the_character_limit_is_refused() -> None:
    with pytest.raises(ArticleError, match="too long"):
        article_from_text("word " * (A.MAX_CHARS // 5 + 10))


def test_one_bad_file_never_stops_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A good article about the summit.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.html").write_text("<p>Another good one, in HTML.</p>", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")  # a PDF cut short: named, others go on
    (tmp_path / "notes.xyz").write_bytes(b"%PDF-1.4")  # unsupported: not picked up from a folder
    arts, errors = load_paths([tmp_path, tmp_path / "missing.txt"])
    assert [a.name for a in arts] == ["a.txt", "c.html"]
    assert [a.id for a in arts] == ["a0", "a1"]
    assert sorted(Path(e.path).name for e in errors) == ["b.txt", "missing.txt", "notes.pdf"]
    assert all(e.message for e in errors)
    assert "PDF is damaged" in next(e.message for e in errors if e.path.endswith(".pdf"))


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    arts, errors = load_paths([tmp_path])
    assert arts == []
    assert "no article files" in errors[0].message


def test_html_main_text_only_nothing_run_or_fetched(tmp_path: Path) -> None:
    page = """<!doctype html><html><head><title>Site | Biden call</title>
    <meta property="og:title" content="Biden and Putin talk">
    <meta property="article:published_time" content="2021-04-13T18:00:00Z">
    <meta name="author" content="Jane Doe">
    <meta property="og:site_name" content="Example News">
    <script>document.write('EVIL SCRIPT TEXT')</script><style>p{color:red}</style></head>
    <body><nav>Home | World | Sport</nav>
    <article><h1>Biden and Putin talk</h1>
    <p>US President Joe Biden &amp; Vladimir Putin spoke on Tuesday, the White House said.</p>
    <p>The call lasted an hour and covered <b>Ukraine</b>, arms control and climate.</p>
    <img src="http://example.invalid/x.png"><noscript>Enable JS</noscript>
    <p hidden>Hidden tracking text</p></article>
    <footer>Copyright footer text</footer></body></html>"""
    f = tmp_path / "page.html"
    f.write_text(page, encoding="utf-8")
    art = load_path(f)
    assert "Joe Biden & Vladimir Putin spoke on Tuesday" in art.text
    assert "covered Ukraine, arms control" in art.text
    for absent in ("EVIL SCRIPT", "color:red", "Home | World", "Enable JS", "Hidden tracking",
                   "Copyright footer"):
        assert absent not in art.text
    assert art.title == "Biden and Putin talk"
    assert art.published == "2021-04-13"
    assert art.byline == ("Jane Doe",)
    assert art.source == "Example News"
    assert art.outlet == "Example News"


def _docx(paragraphs: list[str], title: str = "", creator: str = "") -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs
    )
    doc = f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    core = (
        '<?xml version="1.0"?><cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator></cp:coreProperties>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", doc)
        zf.writestr("docProps/core.xml", core)
    return buf.getvalue()


def test_docx_paragraphs_and_metadata(tmp_path: Path) -> None:
    f = tmp_path / "story.docx"
    f.write_bytes(_docx(["Headline here", "First paragraph of the story.", "Second one."],
                        title="Story title", creator="A. Writer"))
    art = load_path(f)
    assert art.text == "Headline here\n\nFirst paragraph of the story.\n\nSecond one."
    assert art.title == "Story title"
    assert art.byline == ("A. Writer",)


def test_broken_docx_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "broken.docx"
    f.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ArticleError, match="Word"):
        load_path(f)


def test_markdown_is_read_as_prose(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text("# Big news\n\nSome **bold** claim with a [link](http://x.invalid).\n",
                 encoding="utf-8")
    art = load_path(f)
    assert art.text == "Big news\n\nSome bold claim with a link."
    assert art.title == "Big news"


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (" date 2021-04-13 Tensions rise. More text follows here.", "published", "2021-04-13"),
        ("Headline\n\nAndrew Cummings\nApril 14, 2021\n\nBody text here.", "published",
         "2021-04-14"),
        ("Headline\n\nAndrew Cummings\nApril 14, 2021\n\nBody text here.", "byline",
         ("Andrew Cummings",)),
        ("Headline\n\nBy Humeyra Pamuk and Andrew Osborn\n\nBody.", "byline",
         ("Humeyra Pamuk", "Andrew Osborn")),
        ("Headline\n\nWASHINGTON / MOSCOW (Reuters) – US President Joe Biden said.", "source",
         "Reuters"),
        ("Headline\n\n14 April 2021\n\nBody.", "published", "2021-04-14"),
        ("A headline without a full stop\nThe story begins here.", "title",
         "A headline without a full stop"),
    ],
)
def test_metadata_from_the_text(text: str, field: str, expected: object) -> None:
    art = article_from_text(text)
    assert getattr(art, field) == expected


@pytest.mark.parametrize(
    "line",
    ["Advertisement", "Image: Serhoy Takhmazov/Reuters", "8 images1 | 8", "06:15",
     "Comments are closed.", "1 hour ago", "© Reuters. Snipers aim with their rifles",
     "This browser does not support the video element."],
)
def test_boilerplate_lines_are_marked(line: str) -> None:
    text = f"Real reporting sentence one.\n{line}\nReal reporting sentence two."
    art = article_from_text(text)
    start = art.text.index(line)
    assert art.is_boilerplate(start, start + len(line))
    assert not art.is_boilerplate(0, len("Real reporting sentence one."))


def test_line_before_a_video_duration_is_its_title_card() -> None:
    art = article_from_text("Body sentence here.\nTrump backpedals on Helsinki comments\n00:41\n")
    s = art.text.index("Trump")
    assert art.is_boilerplate(s, s + 10)


def test_line_endings_are_normalised_and_offsets_index_the_text() -> None:
    art = article_from_text("One line.\r\nTwo line.\rThree.")
    assert art.text == "One line.\nTwo line.\nThree."
