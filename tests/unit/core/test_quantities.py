"""Figures in text: value, interval, hedge and kind, and how two figures grade."""

from __future__ import annotations

import math

import pytest

from app.core.quantities import (
    AGREE,
    CONTRADICTION,
    COUNT,
    DISCREPANCY,
    DURATION,
    MONEY,
    ORDINAL,
    PERCENT,
    VAGUE,
    Quantity,
    find_quantities,
    grade,
)

INF = math.inf

# text, figure as found, kind, value, hedge, vague
CASES: list[tuple[str, str, str, float, str | None, bool]] = [
    ("killed 14,000 people", "14,000", COUNT, 14_000, None, False),
    ("killed 14000 people", "14000", COUNT, 14_000, None, False),
    ("killed fourteen thousand people", "fourteen thousand", COUNT, 14_000, None, False),
    ("more than 13,000 people", "more than 13,000", COUNT, 13_000, "more than", False),
    ("over 500 soldiers", "over 500", COUNT, 500, "more than", False),
    ("at least seven soldiers", "At least seven", COUNT, 7, "at least", False),
    ("reports of 20+ killed", "20+", COUNT, 20, "at least", False),
    ("some 400,000 residents", "some 400,000", COUNT, 400_000, "about", False),
    ("about 14,000 people", "about 14,000", COUNT, 14_000, "about", False),
    ("around 300 tanks", "around 300", COUNT, 300, "about", False),
    ("roughly 2.5 million", "roughly 2.5 million", COUNT, 2_500_000, "about", False),
    ("nearly 100 people", "nearly 100", COUNT, 100, "nearly", False),
    ("almost 50 ships", "almost 50", COUNT, 50, "nearly", False),
    ("up to 20,000 troops", "up to 20,000", COUNT, 20_000, "up to", False),
    ("as many as 90 jets", "as many as 90", COUNT, 90, "up to", False),
    ("fewer than 10 people", "fewer than 10", COUNT, 10, "less than", False),
    ("two armies", "two", COUNT, 2, None, False),
    ("three paratrooper units", "three", COUNT, 3, None, False),
    ("twenty-five people", "twenty-five", COUNT, 25, None, False),
    ("one hundred and fifty people", "one hundred and fifty", COUNT, 150, None, False),
    ("a dozen people", "a dozen", COUNT, 12, None, False),
    ("half a dozen people", "half a dozen", COUNT, 6, None, False),
    ("a million people", "a million", COUNT, 1_000_000, None, False),
    ("two million inhabitants", "two million", COUNT, 2_000_000, None, False),
    ("more than two million inhabitants", "more than two million", COUNT, 2e6, "more than", False),
    ("2m people", "2m", COUNT, 2_000_000, None, False),
    ("thousands of troops", "thousands", COUNT, 1_000, None, True),
    ("tens of thousands of troops", "tens of thousands", COUNT, 10_000, None, True),
    ("hundreds of thousands of people", "hundreds of thousands", COUNT, 100_000, None, True),
    ("dozens of tanks", "dozens", COUNT, 12, None, True),
    ("several soldiers", "several", COUNT, 5, None, True),
    ("a few soldiers", "a few", COUNT, 3, None, True),
    ("between 10 and 20 people", "between 10 and 20", COUNT, 15, None, False),
    ("10-20 people", "10-20", COUNT, 15, None, False),
    ("10 to 20 people", "10 to 20", COUNT, 15, None, False),
    ("12% of voters", "12%", PERCENT, 12, None, False),
    ("12 percent of voters", "12 percent", PERCENT, 12, None, False),
    ("12 per cent of voters", "12 per cent", PERCENT, 12, None, False),
    ("about 40% turnout", "about 40%", PERCENT, 40, "about", False),
    ("$2.5 billion in aid", "$2.5 billion", MONEY, 2.5e9, None, False),
    ("€300 million", "€300 million", MONEY, 3e8, None, False),
    ("£3bn", "£3bn", MONEY, 3e9, None, False),
    ("500 million dollars", "500 million dollars", MONEY, 5e8, None, False),
    ("two weeks", "two weeks", DURATION, 14, None, False),
    ("14 days", "14 days", DURATION, 14, None, False),
    ("a seven-year conflict", "seven-year", DURATION, 7 * 365, None, False),
    ("for almost seven years", "almost seven years", DURATION, 7 * 365, "nearly", False),
    ("two more weeks", "two more weeks", DURATION, 14, None, False),
    ("the past three weeks", "three weeks", DURATION, 21, None, False),
    ("48 hours", "48 hours", DURATION, 2, None, False),
    ("the second conversation", "second", ORDINAL, 2, None, False),
    ("their first summit", "first", ORDINAL, 1, None, False),
    ("the 21st meeting", "21st", ORDINAL, 21, None, False),
    ("a 27-page report", "27", COUNT, 27, None, False),
]


@pytest.mark.parametrize(("text", "found", "kind", "value", "hedge", "vague"), CASES)
def test_quantity_table(
    text: str, found: str, kind: str, value: float, hedge: str | None, vague: bool
) -> None:
    qs = find_quantities(text)
    assert len(qs) == 1, [q.text for q in qs]
    q = qs[0]
    assert found.lower() in q.text.lower()
    assert q.kind == kind
    assert q.value == pytest.approx(value)
    assert q.hedge == hedge
    assert q.vague is vague
    assert text[q.start : q.end] == q.text


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize(
    "text",
    [
        "in 2014 Russia",  # a year is found but flagged
    ],
)
def test_years_are_flagged(text: str) -> None:
    (q,) = find_quantities(text)
    assert q.year_like


@pytest.mark.parametrize(
    "text",
    [
        "the G7 countries",
        "8 images1",
        "at 06:15 local time",
        "on March 18, 2014",
        "a five-year-old boy",
        "1 hour ago",
        "a third country",
        "one of the reasons",
        "COVID-19 cases",
    ],
)
def test_not_counts(text: str) -> None:
    counts = [
        q for q in find_quantities(text)
        if not q.year_like and q.kind in (COUNT, DURATION, ORDINAL) and q.value not in (8,)
    ]
    assert counts == [], [q.text for q in counts]


def _one(text: str) -> Quantity:
    (q,) = find_quantities(text)
    return q


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("14,000 people", "14000 people", AGREE),
        ("14,000 people", "fourteen thousand people", AGREE),
        ("14,000 people", "about 14,000 people", AGREE),
        ("two weeks", "14 days", AGREE),
        ("seven-year conflict", "seven years", AGREE),
        ("thousands of troops", "thousands of soldiers", AGREE),
        ("14,000 people", "more than 13,000 people", DISCREPANCY),
        ("14,000 people", "16,500 people", CONTRADICTION),
        ("two armies", "three armies", CONTRADICTION),
        ("more than 13,000", "more than 15,000", DISCREPANCY),
        ("up to 10,000", "more than 12,000", CONTRADICTION),
        ("thousands of troops", "40,000 troops", VAGUE),
        ("hundreds of troops", "thousands of troops", DISCREPANCY),
        ("dozens of tanks", "tens of thousands of tanks", CONTRADICTION),
        ("thousands of troops", "300 troops", CONTRADICTION),
        ("two weeks", "three weeks", CONTRADICTION),
        ("nearly 14,000", "14,000", DISCREPANCY),
        ("12%", "15%", CONTRADICTION),
        ("between 10 and 20 people", "15 people", DISCREPANCY),
    ],
)
def test_grades(a: str, b: str, expected: str) -> None:
    qa, qb = _one(a), _one(b)
    assert grade(qa, qb) == expected
    assert grade(qb, qa) == expected  # symmetric


def test_normalised_is_json_ready() -> None:
    import json

    q = _one("more than 13,000 people")
    d = q.normalised()
    assert json.loads(json.dumps(d)) == d
    assert d["figure"] == 13000
    assert d["high"] is None
    assert d["hedge"] == "more than"


def test_offsets_point_at_the_figure() -> None:
    text = "claimed the lives of a total of more than 13,000 people."
    (q,) = find_quantities(text)
    assert text[q.num_start : q.num_end] == "13,000"
    assert text[q.start : q.end] == "more than 13,000"
