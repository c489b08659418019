"""Importing spaCy without its command-line tools.

`import spacy` also imports `spacy.cli` (for the one name `spacy.info`), and with it typer,
weasel, httpx and the rest of the training and download tooling: close to half the import
time, on every start, for code Parallax never runs. `import_spacy()` imports spaCy with a
stand-in for `spacy.cli.info` in place, then takes the stand-in away again, so that a later
`import spacy.cli` (or a call of `spacy.info`) gets the real thing. If the stand-in is ever not
enough (another spaCy version importing more of `spacy.cli` at import time), spaCy is imported
the ordinary way.

Every place in `app.core` that needs spaCy at run time calls `import_spacy()` first.

The registries' entry points are grouped once (`_group_entry_points`).

`english_stop_words()` is spaCy's English stop-word list, read from spaCy's own file without
importing spaCy when spaCy is not imported yet (a comparison of articles read before needs
nothing else from it).
"""

from __future__ import annotations

import functools
import importlib.util
import sys
import threading
import types
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_STUBS = ("spacy.cli.info", "spacy.cli")


def _info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`, imported when first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """spaCy, imported once per process (without `spacy.cli` when that works)."""
    with _lock:
        module = sys.modules.get("spacy")
        if module is not None:
            return module
        cli = types.ModuleType("spacy.cli")
        info = types.ModuleType("spacy.cli.info")
        info.info = _info  # type: ignore[attr-defined]
        cli.info = info  # type: ignore[attr-defined]
        sys.modules["spacy.cli"] = cli
        sys.modules["spacy.cli.info"] = info
        _group_entry_points()
        try:
            import spacy

            return spacy
        except ImportError:
            # spaCy wanted more of spacy.cli than the stand-in has: forget the half-imported
            # modules and import it the ordinary way.
            for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
                del sys.modules[name]
            for name in _STUBS:
                sys.modules.pop(name, None)
            import spacy

            return spacy
        finally:
            for name, stub in (("spacy.cli.info", info), ("spacy.cli", cli)):
                if sys.modules.get(name) is stub:
                    del sys.modules[name]


def _group_entry_points() -> None:
    """Give `catalogue` (spaCy's and thinc's registries) the installed entry points grouped
    once, in the form it also accepts (a dict of lists by group): otherwise each of the
    hundreds of registry look-ups made while a pipeline loads filters every entry point of
    every installed package again (about 0.07 s of a model load, medians of 6 loads)."""
    try:
        import catalogue
    except ImportError:
        return
    found = catalogue.AVAILABLE_ENTRY_POINTS
    if not hasattr(found, "select"):
        return  # already grouped (or an old importlib.metadata's dict)
    grouped: dict[str, list[Any]] = {}
    if isinstance(found, dict):  # Python 3.11's SelectableGroups: group -> entry points
        grouped = {str(group): list(entries) for group, entries in found.items()}
    else:  # EntryPoints (Python 3.12 on)
        for entry in found:
            grouped.setdefault(entry.group, []).append(entry)
    catalogue.AVAILABLE_ENTRY_POINTS = grouped


@functools.lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """spaCy's English stop words (`spacy.lang.en.stop_words.STOP_WORDS`)."""
    if "spacy" not in sys.modules:
        try:
            spec = importlib.util.find_spec("spacy")  # finds the package, runs none of it
            roots = list(spec.submodule_search_locations or ()) if spec is not None else []
            path = Path(roots[0]) / "lang" / "en" / "stop_words.py"
            own = importlib.util.spec_from_file_location("_parallax_spacy_stop_words", path)
            if own is not None and own.loader is not None and path.is_file():
                module = importlib.util.module_from_spec(own)
                own.loader.exec_module(module)
                return frozenset(module.STOP_WORDS)
        except (ImportError, OSError, IndexError, AttributeError, SyntaxError, ValueError):
            pass  # a frozen build keeps no source files: import it the ordinary way
    import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
