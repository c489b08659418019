"""Clean shutdown when the system asks: SIGTERM (logout, shutdown, `kill`), SIGINT (Ctrl+C in
a terminal) and SIGHUP (the terminal closed) close the window as File > Quit does: edits being
typed are written, the worker process is stopped, the project file is closed.

The signals are caught by `app.ui.quitsignals.SignalCatcher` (Qt-free, so the app installs it
before anything else); a QSocketNotifier on its socket wakes the event loop.
"""

from __future__ import annotations

import signal
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

from app.ui.quitsignals import QUIT_SIGNALS, SignalCatcher, describe


class QuitOnSignal(QObject):
    """While installed, a quit signal calls `on_signal(signum)` from the event loop; a second
    one, while the first is being handled, ends the process the default way. `catcher`: one
    installed earlier (what it caught so far is handled once the loop runs); else a new one."""

    def __init__(self, on_signal: Callable[[int], object], parent: QObject | None = None,
                 catcher: SignalCatcher | None = None) -> None:
        super().__init__(parent)
        self.on_signal = on_signal
        self.received: list[int] = []
        self._catcher = catcher if catcher is not None else SignalCatcher()
        self._read = self._catcher.reader
        self._notifier: QSocketNotifier | None = QSocketNotifier(
            self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)

    def _readable(self, *_args: object) -> None:
        try:
            data = self._read.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        for signum in data:
            if signum not in QUIT_SIGNALS:
                continue
            if self.received:
                # Asked twice: stop waiting for a clean shutdown.
                self.uninstall()
                signal.raise_signal(signum)
                return
            self.received.append(signum)
            self.on_signal(signum)

    def uninstall(self) -> None:
        """Put the previous handlers back (tests; the end of the app)."""
        if self._notifier is None:
            return
        self._notifier.setEnabled(False)
        self._notifier = None
        self._catcher.uninstall()


__all__ = ["QUIT_SIGNALS", "QuitOnSignal", "describe"]
