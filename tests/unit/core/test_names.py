"""Names: spelling variants are conflicts; abbreviations, titles, aliases and partial names not."""

from __future__ import annotations

import pytest

from app.core.analysis import Analysis
from app.core.articles import article_from_text
from app.core.compare import analyse
from app.core.entities import entity_key, transliterations
from app.core.model import NAME, VARIANT
from app.core.names import find_name_conflicts, variant_words


def _analysis(*texts: str) -> Analysis:
    articles = [article_from_text(t, article_id=f"a{i}", name=f"t{i}.txt")
                for i, t in enumerate(texts)]
    return analyse(articles)[0]


def _form(name: str) -> tuple[str, ...]:
    return tuple(name.lower().split())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dmitri Kuleba", "Dmytro Kuleba"),  # transliteration table
        ("Kiev", "Kyiv"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskiy"),
        ("Antony Blinken", "Anthony Blinken"),  # one letter in a first name
        ("Jens Stoltenberg", "Jens Stoltenburg"),
        ("Stoltenberg", "Stoltenburg"),  # one long word, one letter
        ("Kuleba", "Dmytro Kulebba"),  # partial and respelled
    ],
)
def test_spelling_variants(a: str, b: str) -> None:
    assert variant_words(_form(a), _form(b))
    assert variant_words(_form(b), _form(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("NATO", "North Atlantic Treaty Organisation"),
        ("US", "USA"),
        ("U.S.", "US"),
        ("Biden", "Joe Biden"),
        ("Russia", "Russian Federation"),
        ("Russia", "Russian"),
        ("Iran", "Iraq"),  # different countries, one letter apart
        ("Vladimir Putin", "Volodymyr Zelenskiy"),  # different people
        ("Sergei Shoigu", "Sergei Ryabkov"),
        ("Andrew Osborn", "Andrew Weiss"),
        ("Austria", "Australia"),
    ],
)
def test_not_variants(a: str, b: str) -> None:
    fa = tuple(a.lower().replace(".", "").split())
    fb = tuple(b.lower().replace(".", "").split())
    assert variant_words(fa, fb) == []


def test_entity_keys_join_aliases_and_spellings() -> None:
    assert entity_key("Moscow") == entity_key("Russia") == entity_key("the Kremlin")
    assert entity_key("Kyiv") == entity_key("Kiev") == entity_key("Ukraine")
    assert entity_key("U.S.") == entity_key("United States") == entity_key("USA")
    assert entity_key("Jens Stoltenberg") == entity_key("Stoltenberg")
    assert entity_key("NATO") != entity_key("Russia")


def test_transliteration_table_loads() -> None:
    t = transliterations()
    assert t["kiev"] == t["kyiv"]
    assert t["kiev"] != t["dmitri"]


def test_name_conflict_spans_the_variant_word_in_each_source() -> None:
    a = "Foreign Minister Dmitri Kuleba met Stoltenberg in Brussels on Tuesday."
    b = "Ukraine's foreign minister, Dmytro Kuleba, spoke in Brussels. Kuleba was upbeat."
    c = "Dmytro Kuleba said the talks went well."
    (f,) = find_name_conflicts(_analysis(a, b, c))
    assert f.kind == NAME
    assert f.severity == VARIANT
    by_side: dict[int | None, set[str]] = {}
    for s in f.spans:
        by_side.setdefault(s.side, set()).add(s.text)
    assert by_side == {0: {"Dmytro"}, 1: {"Dmitri"}}
    assert "Dmytro Kuleba (2 sources)" in f.label


def test_abbreviations_and_titles_are_not_conflicts() -> None:
    a = "President Joe Biden spoke to NATO and the U.S. Congress."
    b = "Biden said the North Atlantic Treaty Organisation and the USA agreed."
    assert find_name_conflicts(_analysis(a, b)) == []
