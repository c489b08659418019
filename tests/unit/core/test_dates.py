"""Dates: the same event on different days is a conflict; publication dates and vague dates not."""

from __future__ import annotations

import pytest

from app.core.analysis import Analysis
from app.core.articles import article_from_text
from app.core.compare import analyse
from app.core.dates import date_mentions, find_date_conflicts, parse_date
from app.core.model import CONTRADICTION, DATE


def _analysis(*texts: str) -> Analysis:
    articles = [article_from_text(t, article_id=f"a{i}", name=f"t{i}.txt")
                for i, t in enumerate(texts)]
    return analyse(articles)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday", (1, None, None, None)),
        ("this Wednesday", (2, None, None, None)),
        ("March 18, 2014", (None, 18, 3, 2014)),
        ("18 March 2014", (None, 18, 3, 2014)),
        ("2014", (None, None, None, 2014)),
        ("early 2014", (None, None, None, 2014)),
        ("last month", None),
        ("recent weeks", None),
        ("the end of March", None),
        ("last Tuesday", None),
    ],
)
def test_parse_date(text: str, expected: tuple[int | None, ...] | None) -> None:
    assert parse_date(text) == expected


def test_same_event_on_different_days_is_a_conflict() -> None:
    a = "US President Joe Biden spoke with Vladimir Putin by phone on Tuesday about Ukraine."
    b = "Biden spoke with Putin by phone on Wednesday, urging him to ease tensions over Ukraine."
    (f,) = find_date_conflicts(_analysis(a, b))
    assert f.kind == DATE
    assert f.severity == CONTRADICTION
    assert {(s.article, s.text, s.side) for s in f.spans} == {
        ("a0", "Tuesday", 0), ("a1", "Wednesday", 1)}


def test_different_events_on_different_days_are_not_conflicts() -> None:
    a = "Biden spoke with Putin by phone on Tuesday about Ukraine."
    b = "The G7 ministers issued a statement on Monday about the troop movements."
    assert find_date_conflicts(_analysis(a, b)) == []


def test_a_year_agrees_with_a_full_date() -> None:
    a = "Russia annexed Crimea on March 18, 2014 after a referendum in Crimea."
    b = "Russia annexed Crimea in 2014 after a referendum in Crimea."
    assert find_date_conflicts(_analysis(a, b)) == []


def test_publication_lines_are_not_dates_of_events() -> None:
    a = "Andrew Cummings\nApril 14, 2021\n\nBiden spoke with Putin by phone on Tuesday."
    b = "April 13, 2021\n\nBiden spoke with Putin by phone on Tuesday."
    an = _analysis(a, b)
    assert all("2021" not in m.text for m in date_mentions(an))
    assert find_date_conflicts(an) == []
