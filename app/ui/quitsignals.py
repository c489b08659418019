"""Quit signals caught from the first moment, without Qt: SIGTERM (logout, shutdown, `kill`),
SIGINT (Ctrl+C in a terminal) and SIGHUP (the terminal closed).

The app installs a `SignalCatcher` before it starts its worker process and before it imports
Qt; `app.ui.termination.QuitOnSignal` later adopts it and carries what it caught into the event
loop. Python runs signal handlers only between bytecodes, and the Qt event loop sits in C++ for
as long as nothing happens, so the handler does nothing itself: Python's wakeup fd writes the
signal number into a socket at once, and the loop watches that socket. A signal that comes
before the loop exists waits in the socket.
"""

from __future__ import annotations

import contextlib
import signal
import socket

QUIT_SIGNALS = tuple(
    s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGINT", "SIGHUP")) if s is not None
)


class SignalCatcher:
    """While installed, quit signals are written (as their numbers) into `reader`."""

    def __init__(self) -> None:
        self.reader, self._write = socket.socketpair()
        for sock in (self.reader, self._write):
            sock.setblocking(False)
        self._old_handlers = {s: signal.getsignal(s) for s in QUIT_SIGNALS}
        self._old_wakeup = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        for s in QUIT_SIGNALS:
            # The handler itself does nothing: the wakeup fd has already written the number.
            signal.signal(s, _noop)
        self.installed = True

    def uninstall(self) -> None:
        """Put the previous handlers back."""
        if not self.installed:
            return
        self.installed = False
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(self._old_wakeup)
        for s, handler in self._old_handlers.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        self.reader.close()
        self._write.close()


def _noop(_signum: int, _frame: object) -> None:
    return None


def describe(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)
