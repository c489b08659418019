"""Python's cycle collector, rested while a process builds what it keeps for its whole life.

Loading the language model (some hundred thousand objects) and starting the window (Qt's
modules, the window's own objects) make objects that live as long as the process. While they
are made the collector would go through them again and again, and afterwards every full
collection goes through all of them once more: in the window that is a pause of the GUI thread
(about 30 ms at the sample story's size), and in a forked parse helper a full collection writes
to every object it inherited, so that the system copies the parent's memory page by page.

`pause()` rests the collector (a threshold of 0: `gc.disable()` would not last, since spaCy's
msgpack loader calls `gc.enable()` after every file it reads); the handle's `resume()` puts the
thresholds back once every pause has ended, and freezes what exists then out of the
collector's reach (`gc.freeze`). Frozen objects are still freed as soon as nothing refers to
them; only reference cycles among them would never be collected (the model is never unloaded,
and the full collection made while the window starts found nothing to collect).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0
_thresholds: tuple[int, int, int] | None = None


class Pause:
    """One pause of the collector; `resume()` ends it (once, however often it is called)."""

    def __init__(self) -> None:
        global _pauses, _thresholds
        self._open = True
        with _lock:
            if _pauses == 0:
                _thresholds = gc.get_threshold()
                gc.set_threshold(0)
            _pauses += 1

    def resume(self, freeze: bool = True) -> None:
        """End this pause; the collector runs again when no other pause is open. `freeze`:
        what exists now is long-lived, leave it out of every later collection."""
        global _pauses
        with _lock:
            if not self._open:
                return
            self._open = False
            _pauses -= 1
            if _pauses == 0 and _thresholds is not None:
                gc.set_threshold(*_thresholds)
        if freeze:
            gc.freeze()


def pause() -> Pause:
    """Rest the collector until the handle's `resume()`."""
    return Pause()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector rests inside; what exists at the end is frozen (not when it raises)."""
    handle = pause()
    try:
        yield
    except BaseException:
        handle.resume(freeze=False)
        raise
    handle.resume()
