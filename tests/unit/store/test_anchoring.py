"""Re-anchoring annotations in changed article text (pure Python, no files)."""

from __future__ import annotations

import pytest

from app.store.anchoring import (
    FUZZY,
    POSITION,
    QUOTE,
    anchor,
    find_quote,
    quote_digits,
    selector_for,
    widen_to_numbers,
)

TEXT = (
    "Officials said 14,000 people fled the city on Tuesday, while 300 stayed behind. "
    "The mayor said the evacuation was “orderly and calm”. Later the ministry said "
    "that 14,000 people fled the region in total."
)


def sel(text: str, quote: str, nth: int = 1):  # type: ignore[no-untyped-def]
    hit = find_quote(text, quote, nth)
    assert hit is not None
    return selector_for(text, *hit)


def test_unchanged_text_anchors_by_position() -> None:
    s = sel(TEXT, "14,000 people fled the city")
    a = anchor(TEXT, s)
    assert a is not None
    assert (a.start, a.end, a.method) == (s.start, s.end, POSITION)


def test_moved_passage_picks_occurrence_with_matching_context() -> None:
    # The second "14,000 people fled" is the annotated one; text is inserted before both.
    s = sel(TEXT, "14,000 people fled", nth=2)
    changed = "UPDATE: figures revised overnight.\n\n" + TEXT
    a = anchor(changed, s)
    assert a is not None
    assert a.method == QUOTE
    assert changed[a.start : a.end] == "14,000 people fled"
    assert changed[a.end : a.end + 11] == " the region"


def test_reflowed_article_survives() -> None:
    s = sel(TEXT, "The mayor said the evacuation was “orderly and calm”.")
    reflowed = TEXT.replace(" the evacuation", "\nthe  evacuation").replace("“", '"').replace(
        "”", '"'
    )
    a = anchor(reflowed, s)
    assert a is not None
    assert a.method == QUOTE
    assert reflowed[a.start : a.end] == 'The mayor said\nthe  evacuation was "orderly and calm".'


def test_lightly_edited_passage_anchors_fuzzily() -> None:
    s = sel(TEXT, "The mayor said the evacuation was “orderly and calm”")
    edited = TEXT.replace("The mayor said the evacuation", "The mayor said that the evacuation")
    a = anchor(edited, s)
    assert a is not None
    assert a.method == FUZZY
    assert "evacuation was “orderly and calm" in edited[a.start : a.end]
    assert a.start >= edited.index("The mayor") - 1


def test_changed_figure_becomes_orphan() -> None:
    s = sel(TEXT, "14,000 people fled the city")
    changed = TEXT.replace("14,000 people fled the city", "13,000 people fled the city")
    assert anchor(changed, s) is None


def test_figure_is_never_found_inside_a_bigger_number() -> None:
    s = sel(TEXT, "14,000 people fled the city")
    changed = TEXT.replace("14,000 people fled the city", "114,000 people fled the city")
    assert anchor(changed, s) is None


def test_quote_that_cuts_a_number_reads_it_whole() -> None:
    # The user selected "4,000 people" out of "14,000 people": the figure is still 14,000.
    start = TEXT.index("4,000 people")
    s = selector_for(TEXT, start, start + len("4,000 people"))
    assert quote_digits(s) == "14000"
    assert anchor(TEXT, s) is not None
    changed = TEXT.replace("14,000 people fled the city", "24,000 people fled the city")
    a = anchor(changed, s)
    # Only the second, unchanged "14,000 people" (with different context) may hold it.
    assert a is None or changed[a.start - 1 : a.end] == "14,000 people"


def test_reformatted_figure_with_same_digits_is_accepted() -> None:
    s = sel(TEXT, "14,000 people fled the city on Tuesday")
    changed = TEXT.replace("14,000 people fled the city", "14.000 people fled the city")
    a = anchor(changed, s)
    assert a is not None
    assert changed[a.start : a.end].startswith("14.000")


def test_short_quote_is_not_placed_approximately() -> None:
    s = sel(TEXT, "mayor")
    assert anchor(TEXT.replace("mayor", "mayer"), s) is None


def test_removed_passage_is_orphan() -> None:
    s = sel(TEXT, "while 300 stayed behind")
    assert anchor(TEXT.replace(", while 300 stayed behind", ""), s) is None


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("a 114,000 b", (3, 9), (2, 9)),
        ("a 14,000 b", (2, 5), (2, 8)),
        ("a 14,000. b", (2, 8), (2, 8)),
        ("x 12 y", (0, 2), (0, 2)),
    ],
)
def test_widen_to_numbers(text: str, span: tuple[int, int], expected: tuple[int, int]) -> None:
    assert widen_to_numbers(text, *span) == expected


def test_find_quote_nth_and_folded() -> None:
    assert find_quote(TEXT, "14,000", 2) == (TEXT.index("14,000", 20), TEXT.index("14,000", 20) + 6)
    assert find_quote(TEXT, "14,000", 3) is None
    hit = find_quote(TEXT, 'was "orderly and calm"')
    assert hit is not None
    assert TEXT[hit[0] : hit[1]] == "was “orderly and calm”"
