"""Claims: what a figure counts, the event, the owner - from the real parse."""

from __future__ import annotations

import pytest

from app.core.analysis import Analysis
from app.core.articles import article_from_text
from app.core.claims import Claim, counted_class, extract_claims
from app.core.compare import analyse


def _analysis(*texts: str) -> Analysis:
    articles = [article_from_text(t, article_id=f"a{i}", name=f"t{i}.txt")
                for i, t in enumerate(texts)]
    return analyse(articles)[0]


def _claims(text: str) -> list[Claim]:
    return extract_claims(_analysis(text))


def _only(text: str, figure: str) -> Claim:
    found = [c for c in _claims(text) if figure in c.quantity.text]
    assert len(found) == 1, [(c.quantity.text, c.counted) for c in _claims(text)]
    return found[0]


@pytest.mark.parametrize(
    ("text", "figure", "counted", "event", "owner"),
    [
        ("The seven-year conflict has killed 14,000 people.", "14,000", "people", "kill", None),
        ("Since 2014, the fighting has claimed the lives of more than 13,000 people.",
         "13,000", "people", "kill", None),
        ("The UN recorded 3,300 civilians killed in the region.", "3,300", "civilian", "kill",
         None),
        ("Russia has moved thousands of combat-ready troops to the border.", "thousands",
         "troop", "deploy", "russia"),
        ("NATO had deployed 40,000 soldiers near the border.", "40,000", "troop", "deploy",
         "nato"),
        ("Moscow had brought two armies to its western borders.", "two", "army", "deploy",
         "russia"),
        ("Two U.S. warships are slated to arrive in the Black Sea this week.", "Two", "warship",
         "deploy", "us"),
        ("Russia's 150 tanks were destroyed in the battle.", "150", "tank", "destroy", "russia"),
        ("Some 400,000 residents with Russian citizenship live in the zone.", "400,000",
         "resident", "inhabit", None),
        # A headline figure the recogniser took for part of the dateline's date.
        ("May 18 2017 ISIL Kills over 50 in Central Syria Attack. The attack hit two villages.",
         "50", "people", "kill", None),
        # What a toll rose to, in copy without commas ("86 30 of them children").
        ("The death toll from a suspected chemical attack on a rebel-held Syrian town has risen "
         "to 86 30 of them children a monitoring group said on Wednesday.", "86", "people",
         "kill", None),
        ("The death toll from a suspected chemical attack on a rebel-held Syrian town has risen "
         "to 86 30 of them children a monitoring group said on Wednesday.", "30", "child",
         "kill", None),
        # A headline's toll without a verb.
        ("Sun 16 Apr 2017 Death toll from Aleppo bomb attack at least 112. The blast hit buses.",
         "112", "people", "kill", None),
        # Fighters of the state are its troops.
        ("The monitor also said that 19 regime fighters were killed in the fighting.", "19",
         "troop", "kill", None),
        # Part of the dead: the part is of the dead too.
        ("At least 126 people were killed in the bombing. At least 109 of the dead were "
         "evacuees, the monitor said.", "109", "evacuee", "kill", None),
    ],
)
def test_counted_event_owner(
    text: str, figure: str, counted: str, event: str | None, owner: str | None
) -> None:
    c = _only(text, figure)
    assert c.counted == counted
    assert c.event == event
    assert c.owner == owner


def test_synonyms_and_distinct_classes() -> None:
    assert counted_class("troop") == counted_class("soldier")
    assert counted_class("people") != counted_class("civilian")
    assert counted_class("army") != counted_class("troop")
    assert counted_class("resident") != counted_class("people")


def test_durations_count_what_they_describe() -> None:
    c = _only("Fighting in a seven-year conflict continued.", "seven-year")
    assert c.counted == "duration:conflict"
    c = _only("Shoigu said the exercises would be finished in two weeks.", "two weeks")
    assert c.counted == "duration:exercise"
    assert c.event == "finish"


def test_ordinals_count_only_with_a_determiner() -> None:
    claims = _claims("It was the second conversation between the two leaders. "
                     "They proposed a summit in a third country.")
    ordinals = [c for c in claims if c.kind == "ordinal"]
    assert [c.counted for c in ordinals] == ["ordinal:conversation"]


def test_dates_and_ages_are_not_claims() -> None:
    claims = _claims("Russia annexed Crimea on March 18, 2014. A five-year-old boy was hurt.")
    assert [c.quantity.text for c in claims] == []


def test_claim_offsets_are_article_offsets() -> None:
    text = "Headline here\n\nThe war has killed 14,000 people, officials said."
    an = _analysis(text)
    (c,) = extract_claims(an)
    assert text[c.quantity.start:c.quantity.end] == "14,000"


def test_what_happened_before_is_not_the_figures_event() -> None:
    """AFP's headline: the strikes killed 45; the rebels' fire before them is another attack."""
    c = _only("Syria strikes kill 45 after rebel fire on Damascus. Residents fled.", "45")
    assert "shelling" not in c.events


def test_a_figure_that_adds_to_a_toll_is_not_a_toll() -> None:
    """FA-KES 2016-08-15 (TRT): the governor's "four other victims" died in Turkish hospitals,
    on top of the bombing's toll; they are no answer to another report's whole toll."""
    claims = _claims("A suicide bomber killed at least 15 people near the Atmeh border crossing. "
                     "He added that four other victims had died in Turkish hospitals.")
    assert [c.quantity.text for c in claims] == ["at least 15"]
