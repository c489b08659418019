"""Importing spaCy without its command-line tools.

`import spacy` also imports `spacy.cli` (for the one name `spacy.info`), and with it typer,
weasel, httpx and the rest of the training and download tooling: close to half the import
time, on every start, for code Parallax never runs. `import_spacy()` imports spaCy with a
stand-in for `spacy.cli.info` in place, then takes the stand-in away again, so that a later
`import spacy.cli` (or a call of `spacy.info`) gets the real thing. If the stand-in is ever not
enough (another spaCy version importing more of `spacy.cli` at import time), spaCy is imported
the ordinary way.

Every place in `app.core` that needs spaCy at run time calls `import_spacy()` first.
"""

from __future__ import annotations

import sys
import threading
import types
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
