"""The indexed attribute ruler and lemmatizer (app/core/fastpipes.py) give what spaCy's own
components give, on real articles: the very same matches and the very same token attributes."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest

from app.core import fastpipes
from app.core.lazyspacy import import_spacy
from app.core.nlp import MODEL_CANDIDATES, _line_break_component, load_pipeline
from tests.gold import SEEDS
from tests.realworld import DATA

# The sample story and the first real clusters (about 70,000 characters in all).
REAL_CHARS = 45_000


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    total = 0
    for path in sorted(DATA.glob("*/*.txt")):
        if total >= REAL_CHARS:
            break
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        total += len(text)
    return texts


def _reference() -> Any:
    """The installed model as spaCy loads it (no indexed look-ups), with our line breaks."""
    import_spacy()
    for name in MODEL_CANDIDATES:
        try:
            nlp = importlib.import_module(name).load()
        except Exception:  # try the next candidate, as load_pipeline does
            continue
        _line_break_component(nlp)
        return nlp
    pytest.skip("no English model is installed: nothing to compare the indexed look-ups with")


@pytest.fixture(scope="module")
def pipelines() -> tuple[Any, Any]:
    nlp, info = load_pipeline()
    if info.fallback:
        pytest.skip("the rule-based fallback has neither an attribute ruler nor a lemmatizer")
    return _reference(), nlp


def _attrs(doc: Any) -> Iterator[tuple[object, ...]]:
    for t in doc:
        yield (t.i, t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i,
               t.is_sent_start, t.ent_iob_, t.ent_type_)


def test_the_loaded_pipeline_has_both_look_ups(pipelines: tuple[Any, Any]) -> None:
    reference, nlp = pipelines
    assert reference.pipe_names == nlp.pipe_names
    # Indexed: the ruler's matching is ours, the lemmatizer's word lists are sets.
    assert nlp.get_pipe("attribute_ruler").match.__self__.__class__.__name__ == "_IndexedRules"
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(words, frozenset) for words in index.values())
    ref_index = reference.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(words, list) for words in ref_index.values())
    assert {k: frozenset(v) for k, v in ref_index.items()} == dict(index.items())


def test_same_matches_as_spacys_matcher_on_real_articles(pipelines: tuple[Any, Any]) -> None:
    reference, _ = pipelines
    spacy_ruler = reference.get_pipe("attribute_ruler")
    indexed = fastpipes._IndexedRules(spacy_ruler)
    upto_ruler = reference.pipe_names[:reference.pipe_names.index("attribute_ruler")]
    n_matches = 0
    with reference.select_pipes(enable=upto_ruler):
        for doc in reference.pipe(_texts()):
            expected = spacy_ruler.match(doc)
            assert indexed.match(doc) == expected
            n_matches += len(expected)
    assert n_matches > 10_000  # the tag map alone matches every token


def test_same_token_attributes_on_real_articles(pipelines: tuple[Any, Any]) -> None:
    reference, nlp = pipelines
    texts = _texts()
    for ref_doc, doc in zip(reference.pipe(texts), nlp.pipe(texts), strict=True):
        assert list(_attrs(doc)) == list(_attrs(ref_doc))


def test_every_kind_of_pattern_and_an_unknown_one() -> None:
    """Two-token patterns, a negative index, IN / NOT_IN / REGEX / IS_SPACE, on a blank
    pipeline; an operator ("OP") keeps spaCy's Matcher."""
    spacy = import_spacy()
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"}, index=0)
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=-1)
    ruler.add([[{"LOWER": {"IN": ["ai", "is"]}}, {"LOWER": {"REGEX": "^n'?t$"}}]],
              {"LEMMA": "be"})
    ruler.add([[{"LOWER": {"NOT_IN": ["x"]}, "IS_SPACE": False}]], {"NORM": "w"})
    ruler.add([[{"IS_SPACE": True}]], {"NORM": "space"})
    ruler.add([[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"LEMMA": "you"})
    assert fastpipes.speed_up(nlp) == ["attribute_ruler"]
    doc = nlp.make_doc("I'm gonna go, y' all ain't  x isn't Gon na")
    spacy_ruler = nlp.get_pipe("attribute_ruler")
    matches = spacy_ruler.matcher(doc, allow_missing=True, as_spans=False)
    expected = sorted((int(nlp.vocab.strings[m]), m, s, e) for m, s, e in matches)
    assert spacy_ruler.match(doc) == expected
    assert len(expected) > len(doc)
    lemmas = [t.lemma_ for t in nlp(doc.text)]
    assert lemmas[lemmas.index("go"):][:2] == ["go", "to"]

    other = spacy.blank("en")
    other.add_pipe("attribute_ruler").add([[{"LOWER": "a", "OP": "+"}]], {"LEMMA": "a"})
    assert fastpipes.speed_up(other) == []
