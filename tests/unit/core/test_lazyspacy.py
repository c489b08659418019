"""spaCy imported without its command-line tools, which stay importable afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.gold import ROOT


def test_spacy_without_its_cli_then_the_cli_on_demand() -> None:
    script = textwrap.dedent("""
        import json, sys
        from app.core.lazyspacy import import_spacy
        spacy = import_spacy()
        before = "spacy.cli" in sys.modules
        from app.core.nlp import load_pipeline
        nlp, _ = load_pipeline()
        lemmas = [t.lemma_ for t in nlp("Leaders met in Geneva.")]
        loaded_cli = "spacy.cli" in sys.modules
        import spacy.cli.info
        print(json.dumps({"before": before, "after_load": loaded_cli, "lemmas": lemmas,
                          "real_cli": hasattr(sys.modules["spacy.cli"], "__path__"),
                          "info": callable(spacy.info)}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=True)
    result = json.loads(proc.stdout)
    assert result == {"before": False, "after_load": False,
                      "lemmas": ["leader", "meet", "in", "Geneva", "."],
                      "real_cli": True, "info": True}


def test_registries_see_the_same_entry_points_grouped_once() -> None:
    """`catalogue` gets the installed entry points grouped by group (a form it accepts), the
    same ones a look-up by group finds, and a function registered only by an entry point
    (spacy-legacy's) still resolves."""
    script = textwrap.dedent("""
        import json, importlib.metadata as md
        from app.core.lazyspacy import import_spacy
        import_spacy()
        import catalogue
        grouped = catalogue.AVAILABLE_ENTRY_POINTS
        every = md.entry_points()
        groups = sorted(every.keys() if isinstance(every, dict) else {e.group for e in every})
        same = all(sorted(map(str, grouped.get(g, []))) ==
                   sorted(map(str, every.select(group=g))) for g in groups)
        from spacy.util import registry
        legacy = registry.architectures.get("spacy-legacy.Tok2Vec.v1")
        print(json.dumps({"dict": isinstance(grouped, dict) and not hasattr(grouped, "select"),
                          "same": same, "groups": len(groups), "factory": legacy is not None}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=True)
    result = json.loads(proc.stdout)
    assert result["groups"] > 0
    assert result == {"dict": True, "same": True, "groups": result["groups"], "factory": True}
