"""Quotes: extraction (straight, curly, unclosed, nested), attribution, and rewording."""

from __future__ import annotations

import pytest

from app.core.analysis import Analysis
from app.core.articles import article_from_text
from app.core.compare import analyse
from app.core.model import DISCREPANCY, QUOTE, VARIANT
from app.core.quotes import (
    extract_quotes,
    find_quote_conflicts,
    quote_ranges,
    quote_words,
)


def _analysis(*texts: str) -> Analysis:
    articles = [article_from_text(t, article_id=f"a{i}", name=f"t{i}.txt")
                for i, t in enumerate(texts)]
    return analyse(articles)[0]


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in quote_ranges(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we will win" today.', ["we will win"]),
        ("He said “we will win” today.", ["we will win"]),
        ("“One,” he said. “Two.”", ["One,", "Two."]),
        # Sloppy copy closes with an opening mark.
        ("said its “opponent “The US should keep away.", ["opponent"]),
        # Unclosed at the end of a line: the quote ends with the line.
        ("“It will be for their own good. He left.\nNext line.", [
            "It will be for their own good. He left."]),
        # Nested quotes stay inside the outer one.
        ("He said “they called it “a farce” on air” and left.",
         ["they called it “a farce” on air"]),
        ("Trump's trip 'an unblemished win for Putin'", ["an unblemished win for Putin"]),
        # Paragraph breaks lost: a quote that runs on reopens after a finished sentence, and a
        # closing mark whose opening mark was lost stays closed (straight marks have a side).
        ('"I thought he looked strange. "People had fallen," he said.',
         ["I thought he looked strange.", "People had fallen,"]),
        ('seen as a threat" by many. He said "we will win" today.', ["we will win"]),
        ("Russia's troops and NATO's ships", []),
    ],
)
def test_quote_ranges(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_quote_words_fold_aliases_and_ampersands() -> None:
    a = [w for w, _, _ in quote_words("threaten Russian Federation & NATO", 0)]
    b = [w for w, _, _ in quote_words("threaten Russia and North Atlantic Treaty Organisation", 0)]
    assert a == b


def test_attribution_by_reporting_verb_pronoun_and_paragraph() -> None:
    text = (
        "NATO chief Jens Stoltenberg met the minister in Brussels. "
        "The build-up is \"unjustified and deeply worrying\", he said.\n"
        "\"We call on Russia to stop,\" said Sergei Ryabkov. The talks ended. "
        "The troops are \"very provocative\".\n"
        "According to the Kremlin, the drills are \"purely defensive\"."
    )
    quotes = extract_quotes(_analysis(text))
    speakers = {q.text: q.speaker.key for q in quotes}
    assert speakers["unjustified and deeply worrying"] == "stoltenberg"
    assert speakers["We call on Russia to stop,"] == "ryabkov"
    assert speakers["very provocative"] == "ryabkov"  # earlier in the paragraph
    assert speakers["purely defensive"] == "russia"  # the Kremlin = Russia


def test_reworded_quote_is_a_conflict_on_the_differing_words() -> None:
    a = "Stoltenberg said the build-up was \"unjustified, unexplained and deeply worrying\"."
    b = "Stoltenberg called the build-up \"deeply disturbing\" on Tuesday."
    an = _analysis(a, b)
    (f,) = find_quote_conflicts(an)
    assert f.kind == QUOTE
    assert f.severity == DISCREPANCY
    texts = {(s.article, s.text) for s in f.spans}
    assert ("a0", "worrying") in texts
    assert ("a1", "disturbing") in texts
    assert "“worrying” → “disturbing”" in f.label
    assert {s.side for s in f.spans} == {0, 1}


def test_fragment_and_identical_quotes_agree() -> None:
    a = "Biden stressed \"the unwavering commitment of the United States to Ukraine\"."
    b = "Biden stressed \"the unwavering commitment of the United States to Ukraine\"."
    c = "Biden spoke of \"the unwavering commitment\" in the call."
    assert find_quote_conflicts(_analysis(a, b, c)) == []


def test_small_word_change_is_a_variant() -> None:
    a = "Stoltenberg said Russia \"must end its military build-up in and around Ukraine\"."
    b = "\"Russia must end this military build-up in and around Ukraine,\" said Stoltenberg."
    (f,) = find_quote_conflicts(_analysis(a, b))
    assert f.severity == VARIANT
    assert sorted(s.text for s in f.spans) == ["its", "this"]
    assert "“its” → “this”" in f.label


def test_different_speakers_are_never_paired() -> None:
    a = "Ryabkov said \"the United States is our opponent and must stay away\"."
    b = "Stoltenberg said \"the United States is our ally and must stay close\"."
    assert find_quote_conflicts(_analysis(a, b)) == []


def test_moved_clause_is_not_a_difference() -> None:
    a = ("The statement said \"in response to cyber intrusions, the United States will act "
         "firmly to defend its national interests\".")
    b = ("The White House said \"the United States will act firmly to defend its national "
         "interests in response to cyber intrusions\".")
    assert find_quote_conflicts(_analysis(a, b)) == []


def test_an_editors_gloss_in_brackets_is_not_the_speakers_words() -> None:
    a = ("\"The strikes were executed to deny Daesh the ability to move weapons into Iraq,\" "
         "spokesman Thomas Gilleran said.")
    b = ("\"The strikes were executed to deny Daesh (ISIL) the ability to move weapons into "
         "Iraq,\" spokesman Thomas Gilleran said.")
    c = ("\"The strikes were executed to deny Daesh [Islamic State] the ability to move "
         "weapons into Iraq,\" spokesman Thomas Gilleran said.")
    assert find_quote_conflicts(_analysis(a, b, c)) == []
    # A word the speaker said differently is still a rewording.
    d = ("\"The strikes were executed to deny Daesh the chance to move weapons into Iraq,\" "
         "spokesman Thomas Gilleran said.")
    (f,) = find_quote_conflicts(_analysis(a, d))
    assert "“ability” → “chance”" in f.label
