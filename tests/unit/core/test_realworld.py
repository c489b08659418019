"""Conflicts on real coverage: the hand-labelled FA-KES clusters in tests/data/realworld/.

Thirty-six clusters of several outlets' reports of one day and place (incidents, updates,
agency copies, unrelated incidents of the same day, background pieces), labelled by hand before
the engine was tuned (tests/data/realworld/README.md). Whatever the engine shows that the labels
do not hold is a false alarm. The thresholds are the measured figures of this version, rounded
down: they keep what works from eroding; the issue's targets are in the closing note.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from app.core.articles import article_from_text, load_paths
from app.core.compare import analyse, compare_articles
from app.core.incidents import clause_actors, place_key, places_in, same_place
from app.core.model import CONFLICT_KINDS, DISPUTE, NAME, NUMBER, UPDATE, Article, Comparison
from tests import realworld as rw

MIN_PRECISION = 0.95  # measured 1.0 (45 of 45 shown conflicts right)
MIN_KEY_RECALL = 1.0  # measured 1.0 (27 of 27 key disagreements with all their figures)


@pytest.fixture(scope="module")
def results() -> list[tuple[rw.Cluster, rw.ClusterScore, dict[str, Any]]]:
    out = []
    for cluster in rw.clusters():
        articles, errors = load_paths(cluster.files)
        assert not errors, errors
        result = compare_articles(articles).to_json()
        out.append((cluster, rw.score(cluster, result), result))
    return out


def test_the_labels_are_there() -> None:
    clusters = rw.clusters()
    assert len(clusters) >= 10
    assert sum(1 for c in clusters if c.control) >= 3
    assert {c.control for c in clusters} >= {"agree", "unrelated", "background"}
    assert sum(lc.key for c in clusters for lc in c.conflicts) >= 20


def test_most_conflicts_shown_are_right(results: Sequence[Any]) -> None:
    totals = rw.totals([s for _c, s, _r in results])
    false = [(s.name, f) for _c, s, _r in results for f in s.false]
    assert totals["precision"] >= MIN_PRECISION, "\n".join(f"{n}: {f}" for n, f in false)


def test_controls_show_no_conflict(results: Sequence[Any]) -> None:
    """Where every outlet agrees, where the day's incidents are unrelated, and where one story
    comes with background pieces, nothing is in conflict (true name variants aside)."""
    for cluster, score, result in results:
        if not cluster.control:
            continue
        names = {a["id"]: Path(a["path"]).name for a in result["articles"]}
        for f in result["findings"]:
            if f["kind"] not in CONFLICT_KINDS or f.get("severity") in (UPDATE, DISPUTE):
                continue  # one source's update, or a dispute one article reports
            right_name = f["kind"] == NAME and any(
                rw._belongs(f, lc, names) for lc in cluster.conflicts)
            assert right_name, f"{cluster.name} ({cluster.control}): {f['label']}"
        assert not score.false, (cluster.name, score.false)


def test_key_disagreements_are_found_with_all_their_figures(results: Sequence[Any]) -> None:
    totals = rw.totals([s for _c, s, _r in results])
    missed = [(s.name, m) for _c, s, _r in results for m in s.missed]
    assert totals["recall"] >= MIN_KEY_RECALL, "\n".join(f"{n}: {m}" for n, m in missed)


def test_figure_conflicts_name_their_incident(results: Sequence[Any]) -> None:
    """Casualty conflicts carry the incident (JSON `incident`) and say it in the label; each
    figure span carries what it counts and its role."""
    shown = 0
    for _cluster, _score, result in results:
        for f in result["findings"]:
            if f["kind"] != NUMBER:
                continue
            roles = {s["value"]["role"] for s in f["spans"]} - {None}
            assert len(roles) <= 1, f["label"]
            if roles & {"kill", "wound"}:
                shown += 1
                assert set(f["incident"]) == {"event", "place", "day", "total"}
                inc = f["incident"]
                if inc["place"]:
                    assert f"in {inc['place']}" in f["label"], f["label"]
    assert shown >= 10


# ---------------------------------------------------------------------------------------------
# One edit to one real report: exactly the conflict it creates, or none.

AGREE = rw.DATA / "2016-07-10-aleppo"  # three outlets, one toll: 29 rebels killed


def _agree_articles() -> list[Article]:
    articles, _errors = load_paths(sorted(AGREE.glob("*.txt")))
    return articles


def _edited(articles: Sequence[Article], name: str, old: str, new: str) -> list[Article]:
    out = []
    for a in articles:
        if a.name == name:
            assert a.text.count(old) == 1, (name, old)
            a = article_from_text(a.text.replace(old, new), article_id=a.id, path=a.path,
                                  name=a.name)
        out.append(a)
    return out


def _conflicts(c: Comparison) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    return sorted((f.kind, tuple(sorted((s.article, s.text) for s in f.spans)))
                  for f in c.findings if f.is_conflict and f.kind == NUMBER)


@pytest.fixture(scope="module")
def agree_before() -> Comparison:
    return compare_articles(_agree_articles())


def test_the_agreeing_reports_agree(agree_before: Comparison) -> None:
    assert _conflicts(agree_before) == []
    tolls = [f for f in agree_before.facts if f.event == "kill"]
    assert any({c.value for c in f.cells} >= {"at least 29", "29"} for f in tolls)


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        ("Sun 10 Jul 2016 29 Syria Rebels Dead", "Sun 10 Jul 2016 41 Syria Rebels Dead", "41"),
        ("At least 29 Syrian rebels were killed", "At least 35 Syrian rebels were killed", "35"),
    ],
    ids=["headline", "body"],
)
def test_a_changed_toll_is_a_conflict(old: str, new: str, changed: str) -> None:
    after = compare_articles(_edited(_agree_articles(), "nna-1914947535.txt", old, new))
    found = [f for f in after.findings if f.kind == NUMBER]
    assert len(found) == 1, [f.label for f in found]
    (f,) = found
    edited = next(a for a in after.articles if a.name == "nna-1914947535.txt")
    assert any(s.article == edited.id and s.text.endswith(changed) for s in f.spans)
    assert any(s.article != edited.id and "29" in s.text for s in f.spans)
    assert f.label.startswith("Rebels killed") or "killed" in f.label, f.label


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        # The same figure in another notation, or with its hedge dropped.
        ("nna-1914947535.txt", "At least 29 Syrian rebels were killed",
         "At least twenty-nine Syrian rebels were killed"),
        ("nna-1914947535.txt", "At least 29 Syrian rebels were killed",
         "29 Syrian rebels were killed"),
        # Words around an unchanged figure.
        ("nna-1914947535.txt", "At least 29 Syrian rebels were killed in clashes",
         "At least 29 Syrian rebels died in clashes"),
        # A figure no other report gives.
        ("alaraby-1923102826.txt", "threatens 300000 civilians", "threatens 350000 civilians"),
    ],
    ids=["in-words", "hedge-dropped", "verb-changed", "no-counterpart"],
)
def test_edits_that_change_no_fact_stay_quiet(
    agree_before: Comparison, name: str, old: str, new: str
) -> None:
    after = compare_articles(_edited(_agree_articles(), name, old, new))
    assert _conflicts(after) == []


# ---------------------------------------------------------------------------------------------
# The failure classes of the issue, each on a small real-style text.


def _compare(*texts: str) -> Comparison:
    return compare_articles([article_from_text(t, article_id=f"a{i}", name=f"t{i}.txt")
                             for i, t in enumerate(texts)])


def _number_labels(c: Comparison) -> list[str]:
    return [f.label for f in c.findings if f.kind == NUMBER]


def test_roles_in_headlines_without_punctuation() -> None:
    a = ("Seven killed 20 injured in market blast in Azaz\n\n"
         "A car bomb exploded in the market of Azaz on Tuesday, a monitor said.")
    b = ("Car bomb kills nine in Azaz market\n\n"
         "A car bomb killed nine people and wounded 20 in the market of Azaz on Tuesday.")
    c = _compare(a, b)
    (label,) = _number_labels(c)
    assert label.startswith("People killed")
    assert "seven" in label
    assert "nine" in label


def test_wounded_figures_are_not_read_as_killed() -> None:
    a = ("A suicide bomber killed at least 40 people in Atme on Sunday. "
         "The blast also wounded more than 70, medics said.")
    b = "At least 40 people were killed and 70 wounded in a suicide bombing in Atme on Sunday."
    assert _number_labels(_compare(a, b)) == []


def test_a_figure_with_and_without_hedge_agrees() -> None:
    a = "At least 30 civilians were killed in air strikes on Manbij on Monday."
    b = "Air strikes on Manbij killed 30 civilians on Monday."
    c = _compare(a, b)
    assert _number_labels(c) == []
    assert any(len(f.cells) == 2 for f in c.facts)


def test_different_incidents_of_one_day_are_not_compared() -> None:
    a = ("Rebel rocket fire killed six civilians in the government-held Salaheddin district of "
         "Aleppo on Thursday, state media said.")
    b = ("Regime barrel bombs killed 15 civilians in the rebel-held Bab al-Nayrab district of "
         "Aleppo on Thursday, a monitor said.")
    assert _number_labels(_compare(a, b)) == []


def test_a_background_toll_is_not_todays() -> None:
    a = ("An air strike killed 12 civilians in Idlib on Tuesday. The war has killed more than "
         "300,000 people since 2011.")
    b = "At least 14 civilians were killed in an air strike on Idlib on Tuesday, activists said."
    (label,) = _number_labels(_compare(a, b))
    assert "12" in label
    assert "14" in label
    assert "300,000" not in label


def test_demonyms_and_one_articles_typo_are_not_name_conflicts() -> None:
    a = ("Syrian troops entered Syrias second city. The Syrian army said Hassan Ali led it. "
         "Hassam Ali later spoke to reporters.")
    b = "Syria's army entered Aleppo. Syrians fled as Hassan Ali led the assault."
    c = _compare(a, b)
    assert [f.label for f in c.findings if f.kind == NAME] == []


def test_a_part_another_report_names_is_not_its_whole_toll() -> None:
    """FA-KES 2016-06-03: the New Arab's bus toll is the part Ahram gives inside its total."""
    a = ("Ten civilians were killed when regime airstrikes hit a bus travelling in Aleppo on "
         "Friday, the civil defence said.")
    b = ("Regime bombing raids in and around Aleppo killed 31 civilians on Friday, including 10 "
         "when their bus was hit, the civil defence said.")
    assert _number_labels(_compare(a, b)) == []
    # The same two reports with the part left out of the second disagree.
    c = b.replace(", including 10 when their bus was hit,", "")
    (label,) = _number_labels(_compare(a, c))
    assert "31" in label


def test_one_part_of_a_toll_its_sentence_breaks_down_is_not_the_whole() -> None:
    """FA-KES 2016-07-19: Ahram's 21 civilians are 15 in Manbij and six in Al-Tukhar; Daily
    Sabah's 15 in Manbij is the first part."""
    a = ("On Monday the Observatory said 21 civilians had been killed in coalition raids in the "
         "area, 15 in a northern district of Manbij and another six in Al-Tukhar.")
    b = ("Airstrikes hit the town of Manbij on Monday, when at least 15 civilians were "
         "reportedly killed.")
    assert _number_labels(_compare(a, b)) == []
    # Parts that do not add up to the toll are no breakdown of it.
    c = a.replace("another six", "another four")
    (label,) = _number_labels(_compare(c, b))
    assert "21" in label


def test_a_people_toll_and_a_civilians_toll_of_one_attack_are_compared() -> None:
    """FA-KES 2016-10-26: Al-Araby's 26 civilians and Daily Sabah's 35 people are the Hass
    school strikes' toll, each report's only one; a report that gives a whole and a part in
    the two words ("35 people, 20 of them civilians") answers the 26 with its 20, not its 35."""
    civilians = ("Air strikes hit a school in the village of Hass in Idlib province on Wednesday, "
                 "killing at least 26 civilians, a monitor said.")
    people = ("Air strikes on a school in the village of Hass in Idlib province killed 35 people "
              "on Wednesday, the Observatory said.")
    (label,) = _number_labels(_compare(civilians, people))
    assert label.startswith("People killed")  # what the two counts have in common
    assert "26" in label
    assert "35" in label
    for part in (", 20 of them civilians", ", including 20 civilians"):
        whole = people.replace("35 people on Wednesday", "35 people on Wednesday" + part)
        assert not any("35" in x for x in _number_labels(_compare(civilians, whole)))


def test_a_toll_that_lists_every_kind_of_its_dead_is_the_whole_toll() -> None:
    """FA-KES 2016-09-21: AFP's "killed 12 aid workers and drivers" is the convoy strike's toll,
    as the Syrian Coalition's 12 people and the New Arab's 20 civilians are. A single kind
    ("five rescuers") is part of a toll, and so are kinds each with its own figure."""
    listed = ("All aid convoys were suspended after a deadly airstrike on Monday killed 12 aid "
              "workers and drivers and destroyed at least 18 trucks near Aleppo.")
    people = ("The airstrike on the aid convoy near Aleppo on Monday killed 20 people and "
              "destroyed 18 trucks, the UN said.")
    (label,) = _number_labels(_compare(listed, people))
    assert label.startswith("People killed")
    assert "12" in label
    assert "20" in label
    for part in ("5 rescuers", "five children and three women", "12 women and children"):
        one_kind = listed.replace("12 aid workers and drivers", part)
        assert _number_labels(_compare(one_kind, people)) == [], part
    # The same figure in both reports agrees.
    assert _number_labels(_compare(listed, people.replace("20 people", "12 people"))) == []


def test_a_figure_of_other_people_does_not_take_a_claimant_from_the_same_number() -> None:
    """FA-KES 2016-09-21: AFP's "12 aid workers and drivers" is its own figure, not the Syrian
    Coalition's "12 people" of another report: an unattributed figure takes the claimant of
    the same figure elsewhere only when both count the same people."""
    listed = ("All aid convoys were suspended after a deadly airstrike on Monday killed 12 aid "
              "workers and drivers near Aleppo.")
    coalition = ("The airstrike on the aid convoy near Aleppo on Monday killed 12 people, the "
                 "Syrian Coalition said.")
    un = ("The airstrike on the aid convoy near Aleppo on Monday killed 20 people and destroyed "
          "18 trucks, the UN said.")
    c = _compare(listed, coalition, un)
    (finding,) = [f for f in c.findings if f.kind == NUMBER]
    claimants = {s.article: (s.claimant["key"] if s.claimant else None) for s in finding.spans}
    assert claimants["a1"] == "coalition"
    assert claimants["a0"] is None
    # The side's label does not credit both reports to the Coalition.
    assert "12 (2 sources; 1 citing Syrian Coalition)" in finding.label, finding.label
    # The same people in both reports: the unattributed 12 is most likely the Coalition's.
    same = _compare(listed.replace("12 aid workers and drivers", "12 people"), coalition, un)
    (finding,) = [f for f in same.findings if f.kind == NUMBER]
    claimants = {s.article: (s.claimant["key"] if s.claimant else None) for s in finding.spans}
    assert claimants["a0"] == claimants["a1"] == "coalition"
    assert "12 (Syrian Coalition; 2 sources)" in finding.label, finding.label


def test_a_people_toll_and_a_fighters_toll_of_one_bombing_are_compared() -> None:
    """FA-KES 2016-08-15: TRT's 15 people and AFP's 32 rebels died in one suicide bombing of a
    bus of fighters."""
    people = ("A suicide bomber killed at least 15 people on a bus near the Atmeh border "
              "crossing in Idlib on Sunday.")
    rebels = ("A suicide blast killed 32 rebels on a bus near the Atmeh border crossing in Idlib "
              "on Sunday, the Observatory said.")
    (label,) = _number_labels(_compare(people, rebels))
    assert "15" in label
    assert "32" in label
    # FA-KES 2016-07-18: coalition raids on Manbij and IS fighters killed by the SDF near the
    # Tishrin Dam are two incidents of Aleppo province's day, whoever fought on the ground.
    raids = ("The Observatory said Monday that at least 15 people were killed as the coalition "
             "carried out raids in a northern district of Manbij city.")
    clashes = ("Mon Jul 18 2016 Senior ISIS Commander 34 Terrorists Killed in Clashes Eastern "
               "Aleppo. At least 34 of his comrades were killed in clashes with the Syrian "
               "Democratic Forces in eastern Aleppo on Monday.")
    assert _number_labels(_compare(raids, clashes)) == []


def test_a_past_battles_toll_is_not_the_answer_to_todays_fighters() -> None:
    """FA-KES 2017-04-28: Ahram's 40 dead in Friday's clashes against Sputnik's "over 100
    militants" is a disagreement; Ahram's recall of the 300 killed in May 2016 is not in it.
    Nor is one report's "18 People" executed, which its body calls civilians, a count of
    another's 20 IS fighters."""
    dead = ("Fierce clashes between rebel factions near Damascus left at least 40 dead on Friday, "
            "a monitoring group said. In May 2016 more than 300 people were killed in a battle "
            "between the two sides.")
    militants = ("Over 100 militants were killed in clashes between rebel factions in the "
                 "Damascus suburbs, media reported on Friday.")
    (label,) = _number_labels(_compare(dead, militants))
    assert "40" in label
    assert "100" in label
    assert "300" not in label
    executed = ("Fri Jun 24 2016 Daesh kidnapped 900 Executed 18 People in Syrias Aleppo. It has "
                "also been reported that the ISIS executed 18 civilians who had tried to flee.")
    struck = ("Fri Jun 24 2016 Turkey Coalition Kills 20 Daesh Terrorists in Northern Syria of "
              "Aleppo. At least 20 members of the Daesh terrorist group were killed Thursday.")
    assert _number_labels(_compare(executed, struck)) == []


def test_a_tolls_neighbourhood_named_in_the_next_sentence_is_its_place() -> None:
    """FA-KES 2016-10-07: Al-Araby's eleven dead in "a regime-held neighbourhood of Aleppo"
    were in Jameliaiah, as its next sentence says; SANA's four in al-Muhafaza are another
    neighbourhood's, though both lie in Aleppo."""
    eleven = ("Eleven people including a woman and a child were killed in rebel shelling of a "
              "regime-held neighbourhood of Aleppo on Friday. Another 65 people were injured in "
              "the attack on Jameliaiah in West Aleppo, the Observatory said.")
    four = ("Four people were killed and 28 were injured on Friday in rocket attacks by "
            "terrorists on the al-Muhafaza neighborhood of Aleppo, a source said.")
    assert _number_labels(_compare(eleven, four)) == []
    (label,) = _number_labels(_compare(eleven, four.replace("al-Muhafaza", "Jameliaiah")))
    assert "eleven" in label
    assert "four" in label


def test_the_side_whose_stronghold_is_struck_is_not_the_attacker() -> None:
    """FA-KES 2015-07-05: Al-Manar's six civilians died in "US air strikes on the stronghold of
    the Takfiri group ISIL", the coalition's strikes that killed Daily Sabah's eight."""
    six = ("Six civilians including a child were among at least 22 people killed in US air "
           "strikes on the stronghold of the Takfiri group ISIL in Raqa on Saturday and Sunday, "
           "a monitor said.")
    eight = ("An activist network reported eight civilians were killed by the coalition "
             "airstrikes on Raqqa overnight.")
    (label,) = _number_labels(_compare(six, eight))
    assert "six" in label
    assert "eight" in label
    struck, stormed = "coalition jets struck IS positions", "ISIL militants stormed the town"
    assert clause_actors(struck.split(" ")) == {"coalition"}
    assert clause_actors(stormed.split(" ")) >= {"is"}


@pytest.mark.parametrize("text", [
    "There is a media embargo over the battle, so it is not possible to discuss its details, "
    "said Furati.",
    "There is a media embargo over the battle thus it is not possible to discuss its details "
    "and purposes said Furati.",
])
def test_who_says_something_is_a_speaker_not_a_place(text: str) -> None:
    """FA-KES 2016-07-12: "said Furati" made Furati the place of the next sentences."""
    an = analyse([article_from_text(text, article_id="a0", name="t0.txt")])[0]
    assert places_in(an.docs[0], 0, len(text)) == []


def test_the_side_that_holds_the_districts_is_not_the_attacker() -> None:
    """FA-KES 2016-07-12: Asharq Al-Awsat's eight dead in the districts "dominated by the
    Syrian regime" and Daily Sabah's five are one rebel attack's toll, in two counts."""
    a = ("Rebels launched an assault on Aleppo on Monday. The assault raged by the opposition "
         "was accompanied by launching tenths of missiles on the western districts dominated by "
         "the Syrian regime leading to the death of eight and the injury of 89 according to "
         "Syria TV.")
    b = ("Rebel shelling of government-held western Aleppo killed five people on Monday, state "
         "media said.")
    (label,) = _number_labels(_compare(a, b))
    assert label.startswith("People killed")  # "the death of eight": the dead are people
    assert "five" in label
    assert "eight" in label


def test_the_place_of_an_attack_something_answers_is_not_the_storys() -> None:
    """FA-KES 2017-04-07: the Shayrat strike's toll took Idlib, the place of the chemical
    attack the airbase was "the launch pad for" and the strike "a response to"."""
    a = ("US cruise missiles struck a Syrian regime airbase near Homs early on Friday. The "
         "airbase was allegedly the launch pad for a devastating chemical attack on an Idlib "
         "village. It now appears to be inoperable. State news agency SANA said that six people "
         "were killed in the attack.")
    b = ("A US missile strike on a military airfield near Homs killed five people on Friday, the "
         "Homs governor said. President Donald Trump said the strike was a response to the "
         "alleged chemical weapon use in Idlib on Tuesday. The governor said five were killed "
         "and seven injured.")
    (label,) = _number_labels(_compare(a, b))
    assert "Homs" in label
    assert "five" in label
    assert "six" in label


@pytest.mark.parametrize("aggregate", [
    "More than 100 terrorists have been killed in two days of air and ground operations across "
    "the country, the army said on Wednesday.",
    "The regime has stepped up air raids in Aleppo province in recent days, killing at least 57 "
    "civilians, the army said on Wednesday.",
])
def test_a_total_over_days_or_the_country_is_not_one_strikes_toll(aggregate: str) -> None:
    one = "About 70 civilians were killed in air strikes on Aleppo province on Wednesday."
    one = one if "civilians" in aggregate else one.replace("civilians", "terrorists")
    assert _number_labels(_compare(one, aggregate)) == []


def test_a_strike_over_the_weekend_is_not_mondays() -> None:
    """FA-KES 2016-08-09: Monday's bomb on a hospital in Millis and MSF's weekend toll."""
    a = ("Published Tuesday 9 August 2016\n\nA hospital in Idlib province was hit by a vacuum "
         "bomb on Monday, leaving five people dead and 12 injured.")
    b = ("Published Tuesday 9 August 2016\n\nA hospital in Idlib province was destroyed by "
         "airstrikes over the weekend that killed 13 people, MSF said.")
    assert _number_labels(_compare(a, b)) == []
    (label,) = _number_labels(_compare(a, b.replace("over the weekend", "on Monday")))
    assert "13" in label


def test_a_sentence_giving_the_leads_figure_again_tells_the_lead_story() -> None:
    """FA-KES 2017-04-19: Asharq Al-Awsat gives state TV's 30 wounded two sentences after its
    lead; Reuters' copy says 32. Their lead stories are one blast."""
    a = ("Six Killed in Aleppo Bombing as Evacuation of Four Towns Resumes. Six people were "
         "killed and dozens others wounded in a blast that rocked the northern city of Aleppo "
         "at a time when an evacuation deal was being carried out in Rashidin. Syrian state TV "
         "said an explosive device went off in the city killing six people and wounding 30 "
         "others. Meanwhile the evacuation of thousands of people from four besieged towns "
         "resumed on Wednesday.")
    b = ("Bomb blast kills six in Aleppo. BEIRUT April 19 A bomb blast killed six people and "
         "injured 32 in the Salaheddin district of Aleppo on Wednesday, Syrian state television "
         "said. The explosion hit near a mosque. Buses carrying evacuees left the towns of Foua "
         "and Kefraya on Wednesday.")
    (label,) = _number_labels(_compare(a, b))
    assert "30" in label
    assert "32" in label


def test_a_sentence_after_the_lead_with_other_figures_is_not_the_lead_story() -> None:
    """FA-KES 2015-02-05: AFP's 140 wounded are the air strikes' that followed the rebels'
    rockets; Al-Manar's 20 wounded are the rockets'."""
    a = ("Syria strikes kill 45 after rebel fire on Damascus. At least 45 people were killed in "
         "Syrian government air strikes on opposition areas around Damascus on Thursday after "
         "rebels fired dozens of mortar rounds at the capital, a monitor said. The monitor said "
         "at least 140 people were wounded, adding that government forces had also fired "
         "surface-to-surface missiles at the area.")
    b = ("Jaysh al-Islam fires rocket shells at Damascus, kills 3, wounds 20. Militants fired "
         "rocket shells on Thursday at residential neighbourhoods of Damascus leaving 3 "
         "citizens killed and 20 others wounded.")
    assert _number_labels(_compare(a, b)) == []


def test_a_known_city_run_into_a_name_after_it_is_still_the_place() -> None:
    """FA-KES 2016-07-12: Daily Sabah's "neighborhood of Aleppo Syria Live Network (SLN)
    reported" (no comma; the recogniser reads one title) still places Bab al-Maqam in Aleppo,
    so its 20 dead meet the Observatory's 13 in TRT's report of the same raids."""
    a = ("Published Tuesday 12 July 2016\nRebels attack Aleppo's old city. Rebels attacked "
         "regime positions in the historic centre of Aleppo on Monday. Regime airstrikes killed "
         "20 civilians on Monday in the Bab al-Maqam neighborhood of Aleppo Syria Live Network "
         "(SLN) reported.")
    b = ("Published Tuesday 12 July 2016\nPrices soar in besieged Aleppo. The Syrian "
         "Observatory for Human Rights said air raids by regime forces on the opposition-held "
         "part of Aleppo killed 13 civilians on Monday. Residents say prices have almost "
         "doubled in the past week.")
    (label,) = _number_labels(_compare(a, b))
    assert "13" in label
    assert "20" in label


def test_the_next_days_toll_of_the_same_village_is_the_same_attack() -> None:
    """FA-KES 2017-04-05: Wednesday's reports of Tuesday's chemical attack on Khan Sheikhoun
    give its toll in sentences that carry only their report's day."""
    a = ("Published Wednesday 5 April 2017\nToll in Syria gas attack rises. The United States "
         "and Russia traded accusations on Wednesday over the chemical attack. At least 72 "
         "people died in the town of Khan Sheikhoun in Idlib province, a monitor said.")
    b = ("Published Tuesday 4 April 2017\nGas attack kills dozens in Syria. A suspected "
         "chemical attack killed at least 58 people in the town of Khan Sheikhoun in Idlib "
         "province on Tuesday, the Observatory said.")
    (label,) = _number_labels(_compare(a, b))
    assert "58" in label
    assert "72" in label
    # Two days apart, or each sentence with a day of its own, they are two attacks.
    assert _number_labels(_compare(a.replace("5 April", "7 April").replace(
        "Wednesday", "Friday"), b)) == []
    assert _number_labels(_compare(a.replace("people died in", "people died on Wednesday in"),
                                   b)) == []


def test_the_war_a_source_monitors_is_not_the_period_of_its_figure() -> None:
    """FA-KES 2016-10-26: "The Observatory, which monitors Syria's five-year conflict, said at
    least 11 children were among the 26 civilians killed" counts the Hass school strike, not
    the war; UNICEF's 22 children are the same strike's."""
    a = ("Published 26 October 2016\nAir strikes hit school in Idlib. Airstrikes on a school "
         "in the village of Hass in Idlib province on Wednesday killed at least 26 civilians. "
         "The Britain-based Observatory, which monitors Syria's five-year conflict, said at "
         "least 11 children were among the 26 civilians killed.")
    b = ("Published 26 October 2016\nUNICEF: 22 children killed in school attack. Airstrikes "
         "on a school complex in Hass village in Idlib province on Wednesday killed 22 "
         "children, UNICEF said.")
    (label,) = _number_labels(_compare(a, b))
    assert "11" in label
    assert "22" in label
    # A war's toll stays the war's.
    war = a.replace("said at least 11 children were among the 26 civilians killed",
                    "said the five-year conflict had killed 22,000 children")
    assert all("22,000" not in x for x in _number_labels(_compare(war, b)))


def test_the_leads_sentences_keep_the_headlines_attack_when_the_place_comes_later() -> None:
    """FA-KES 2017-04-05: Ahram's lead names the chemical attack, gives the Observatory's 20
    women among the dead, and names Khan Sheikhoun only after; the Coalition counts 15."""
    a = ("86 dead in suspected chemical attack\nThe death toll from a suspected chemical attack "
         "on a rebel-held Syrian town has risen to 86, a monitoring group said. \"There were "
         "also 20 women among the dead,\" the Syrian Observatory for Human Rights said. Rebels "
         "vowed revenge for the strike on the town of Khan Sheikhoun in Idlib province.")
    b = ("Published Wednesday 5 April 2017\nChemical attack on Khan Sheikhoun. The National "
         "Coalition said the chemical attack on Khan Sheikhoun in Idlib province on Tuesday "
         "killed more than 100 people including 15 women.")
    labels = _number_labels(_compare(a, b))
    assert any("Women" in x and "20" in x and "15" in x for x in labels), labels


def test_the_attack_a_toll_refers_back_to_is_on_the_day_the_article_gave_it() -> None:
    """FA-KES 2017-04-13: a week-later report leads with Wednesday's statement, dates the sarin
    attack on Khan Sheikhoun to 4 April, then gives "At least 87 ... died in the suspected
    attack": the attack's toll on the attack's day, against the 70 reported the day after."""
    a = ("Published 13 April 2017\nBritish scientists say sarin was used in Syria attack. "
         "British scientists concluded that sarin was used in the chemical attack in Syria, the "
         "ambassador to the United Nations said on Wednesday. The regime was responsible for a "
         "sarin attack on Khan Sheikhoun in Idlib province on the 4th of April, the ambassador "
         "said. At least 87 people including 31 children died in the suspected attack.")
    b = ("Published Wednesday 5 April 2017\nChemical attack kills 70 in Idlib. At least 70 "
         "people were killed in a chemical attack on Khan Sheikhoun in Idlib province on "
         "Tuesday, the WHO said.")
    (label,) = _number_labels(_compare(a, b))
    assert "87" in label
    assert "70" in label
    # An attack the article dates to another day is another attack.
    assert _number_labels(_compare(a.replace("4th of April", "11th of April"), b)) == []


def test_the_day_a_monitor_speaks_is_not_the_attacks_and_its_dead_are_the_leads() -> None:
    """FA-KES 2017-04-16: AFP's undated report says the monitor spoke on Sunday, and gives "109
    of the dead" as evacuees, pointing back to the lead's bombing; Al-Alam's copy counts 98
    evacuees killed on Saturday."""
    a = ("Dozens dead in Syria evacuees bombing\nNearly 70 children were among those killed "
         "when a suicide car bombing tore through buses carrying evacuees from besieged towns, "
         "a monitor said on Sunday. The blast hit a convoy carrying residents of Fuaa and "
         "Kafraya at a transit point in Rashidin west of Aleppo. At least 68 children were "
         "among the 126 people killed in the attack, the monitor said. At least 109 of the dead "
         "were evacuees, the monitoring group said.")
    b = ("Published 16 April 2017\nToll in bus bombing rises. The death toll in a car bomb "
         "attack on buses carrying evacuees from Fuaa and Kafraya has risen to 112, a monitor "
         "said. The Observatory said that 98 evacuees from Fuaa were killed when a car bomb hit "
         "their buses west of Aleppo on Saturday.")
    labels = _number_labels(_compare(a, b))
    assert any("Evacuees" in x and "109" in x and "98" in x for x in labels), labels
    # A bombing that took place on Sunday is not Saturday's.
    sunday = a.replace("a monitor said on Sunday", "on Sunday, a monitor said")
    assert not any("Evacuees" in x for x in _number_labels(_compare(sunday, b)))


def test_an_attack_in_early_october_is_not_one_of_11_october() -> None:
    """FA-KES 2017-10-11: Sputnik recalls the bombing of a Midan police station "in early
    October"; its 15 dead are not a second source for another report's 15 of the bombing of
    11 October."""
    a = ("Published 11 October 2017\nSuicide bombers hit Damascus police headquarters. Two "
         "suicide bombers blew themselves up at the police headquarters in Damascus on "
         "Wednesday, killing at least two people, the interior ministry said. In early October "
         "four suicide bombers blew themselves up at a police station in the Midan district of "
         "Damascus, killing 15 people.")
    b = ("Published 11 October 2017\nBombers attack Damascus police. Suicide bombers attacked "
         "the police headquarters in Damascus on Wednesday, killing 15 people, a monitor said.")
    (label,) = _number_labels(_compare(a, b))
    assert "15 (a monitor; 1 source)" in label, label


def test_the_fighting_a_toll_points_back_to_is_the_leads_fighting() -> None:
    """FA-KES 2016-07-12: TRT leads with the rebels' offensive in Aleppo, turns to the
    Observatory's toll of the regime's air raids, then gives "19 regime fighters were killed in
    the fighting": the lead's fighting, whose troop toll a witness puts at 20 in Daily Sabah."""
    a = ("Published 12 July 2016\nRebels fight back in Aleppo. Syrian rebels advanced into a "
         "regime-held district of Aleppo on Monday. The offensive came at dawn. The Syrian "
         "Observatory for Human Rights said air raids by regime forces on the opposition-held "
         "part of Aleppo killed 13 civilians on Monday. It also said that 19 regime fighters "
         "were killed in the fighting.")
    b = ("Published 12 July 2016\nSiege of Aleppo goes on. Regime jets struck the city of "
         "Aleppo on Monday. A witness reported fierce close-range clashes near the historic "
         "citadel of Aleppo where the opposition killed at least 20 army troops.")
    (label,) = [x for x in _number_labels(_compare(a, b)) if "troops" in x.lower()]
    assert "19" in label
    assert "20" in label
    # After fighting told of elsewhere, "the fighting" may be that one.
    elsewhere = a.replace("It also said", "Elsewhere clashes raged in the town of Morek in "
                          "Hama province. It also said")
    assert not any("troops" in x.lower() for x in _number_labels(_compare(elsewhere, b)))


def test_a_name_with_its_article_joined_on_is_the_same_place() -> None:
    """FA-KES 2016-09-21: the Syrian Coalition writes "Urum Alkobra" where Al-Araby writes
    "Urum al-Kubra": one town, not two villages with two tolls."""
    a = ("Published Tuesday 20 September 2016\nUN suspends aid after convoy attack. The United "
         "Nations suspended aid deliveries in Syria after an attack on an aid convoy in Urum "
         "al-Kubra west of Aleppo on Monday evening. In the attack 18 of the 31 lorries were "
         "destroyed and 20 civilians were killed.")
    b = ("Published Tuesday 20 September 2016\nRussia denies role in convoy strike. Russian "
         "jets hit a Red Crescent aid convoy near the town of Urum Alkobra on Monday. Twelve "
         "civilians were killed, rescuers said.")
    (label,) = _number_labels(_compare(a, b))
    assert "20" in label
    assert "twelve" in label
    # A joined article is no wildcard: Urum al-Sughra is another town, and "Aleppo" is no "al"
    # with "eppo" after it.
    assert _number_labels(_compare(a, b.replace("Urum Alkobra", "Urum Alsughra"))) == []
    assert same_place(place_key("al-Bukamal"), place_key("Albukamal"))
    assert not same_place(place_key("Aleppo"), place_key("Eppo"))


def test_a_day_told_with_the_verb_of_an_attack_is_the_attacks_day() -> None:
    """FA-KES 2016-09-21: "On Monday evening a convoy ... was targeted by purported airstrikes
    ... In the attack ... 20 civilians were killed": Monday is the attack's day, and so the
    toll's (not the days around the report's)."""
    a = ("Published Wednesday 21 September 2016\nUN suspends aid. The United Nations suspended "
         "aid deliveries in Syria. On Monday evening a convoy of 31 lorries was targeted by air "
         "strikes in the town of Urum al-Kubra. In the attack 18 lorries were destroyed and 20 "
         "civilians were killed.")
    b = ("Published Tuesday 20 September 2016\nConvoy bombed. At least 12 people were killed "
         "when air strikes hit an aid convoy in Urum al-Kubra on Monday, rescuers said.")
    (label,) = _number_labels(_compare(a, b))
    assert "(Mon 19 Sep)" in label, label
    # A day that hangs on another verb is not the attack's.
    said = a.replace("On Monday evening a convoy of 31 lorries was targeted",
                     "The UN said on Monday evening that a convoy of 31 lorries was targeted")
    assert all("(Mon 19 Sep)" not in x for x in _number_labels(_compare(said, b)))


def test_an_attack_n_days_before_the_story_is_on_that_day() -> None:
    """FA-KES 2016-09-21: the Syrian Coalition's statement of Wednesday's strike on a Khan
    Tuman hospital says it "comes two days after Russian jets hit an aid convoy" and "The
    attack left 12 people killed": Monday's convoy, whose toll another report puts at 20."""
    a = ("Published Wednesday 21 September 2016\n15 medics killed in strikes on hospital. "
         "Russian jets bombed a medical centre in the town of Khan Tuman earlier on Wednesday, "
         "killing 15 medics. The attack on the hospital comes two days after Russian jets hit an "
         "aid convoy near the town of Urum al-Kubra. The attack left 12 people killed including "
         "aid workers.")
    b = ("Published Tuesday 20 September 2016\nConvoy bombed. Air strikes hit an aid convoy in "
         "Urum al-Kubra on Monday, killing 20 people, rescuers said.")
    (label,) = _number_labels(_compare(a, b))
    assert "12" in label
    assert "20" in label
    # One day after Wednesday's strike is Tuesday: not Monday's convoy.
    assert _number_labels(_compare(a.replace("two days after", "a day after"), b)) == []


def test_two_tolls_pointing_back_to_attacks_dated_alike_are_one_incidents() -> None:
    """FA-KES 2016-09-21: Al-Araby's "In the attack ... 20 civilians were killed" and the
    Coalition's "The attack left 12 people killed" each point back to Monday's strike on the
    Urum al-Kubra convoy as its report dated it; a third report tells only of Khan Tuman."""
    a = ("Published Wednesday 21 September 2016\nMedics killed in Khan Tuman. Four medics were "
         "killed when an air strike hit a clinic in the village of Khan Tuman late on Tuesday. "
         "The UN had suspended aid deliveries after an air strike on an aid convoy in Urum "
         "al-Kubra on Monday. In the attack 18 lorries were destroyed and 20 civilians were "
         "killed.")
    b = ("Published Wednesday 21 September 2016\nMedics killed in Khan Tuman. Russian jets "
         "bombed a medical centre in the village of Khan Tuman on Tuesday, killing 15 medics. "
         "The Coalition also condemned Monday's air strike on an aid convoy near Urum al-Kubra. "
         "The attack left 12 people killed including aid workers.")
    c = ("Published Wednesday 21 September 2016\nClinic destroyed. Four medics were killed and "
         "a nurse wounded when an air strike hit a clinic in the village of Khan Tuman late on "
         "Tuesday, the group said.")
    labels = _number_labels(_compare(a, b, c))
    assert any("12" in x and "20" in x for x in labels), labels
    # The label gives the day both told.
    assert any("12" in x and "(Mon 19 Sep)" in x for x in labels), labels
    # Attacks their reports date to two days are two.
    sunday = a.replace("on Monday. In the attack", "on Sunday. In the attack")
    assert not any("12" in x and "20" in x for x in _number_labels(_compare(sunday, b, c)))


def test_a_conflict_is_placed_in_the_village_both_spellings_name() -> None:
    """FA-KES 2016-09-21: "Urum al-Kubra" and "Urum Alkobra" are one village, named by both
    reports as Aleppo is: the village, not the city, is where the conflict is."""
    a = ("Published Tuesday 20 September 2016\nAid convoy hit. Air strikes hit an aid convoy in "
         "the town of Urum al-Kubra in the western Aleppo Governorate on Monday, killing 20 "
         "civilians.")
    b = ("Published Tuesday 20 September 2016\nConvoy bombed. Russian jets hit an aid convoy "
         "near the town of Urum Alkobra near Aleppo on Monday, killing 12 civilians, activists "
         "said.")
    (label,) = _number_labels(_compare(a, b))
    assert "in Urum" in label, label
