"""Clean shutdown when the system asks: SIGTERM (logout, shutdown, `kill`), SIGINT (Ctrl+C in
a terminal) and SIGHUP (the terminal closed) close the window as File > Quit does: edits being
typed are written, the worker process is stopped, the project file is closed.

Python runs signal handlers only between bytecodes, and the Qt event loop sits in C++ for as
long as nothing happens, so the signal is carried into the loop through a socket: Python's
wakeup fd writes the signal number into it at once, a QSocketNotifier wakes the loop.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

QUIT_SIGNALS = tuple(
    s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGINT", "SIGHUP")) if s is not None
)


class QuitOnSignal(QObject):
    """While installed, a quit signal calls `on_signal(signum)` from the event loop; a second
    one, while the first is being handled, ends the process the default way."""

    def __init__(self, on_signal: Callable[[int], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_signal = on_signal
        self.received: list[int] = []
        self._read, self._write = socket.socketpair()
        for sock in (self._read, self._write):
            sock.setblocking(False)
        self._old_handlers = {s: signal.getsignal(s) for s in QUIT_SIGNALS}
        self._old_wakeup = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        for s in QUIT_SIGNALS:
            # The handler itself does nothing: the wakeup fd has already told the loop.
            signal.signal(s, _noop)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
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
        self._notifier = None  # type: ignore[assignment]
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(self._old_wakeup)
        for s, handler in self._old_handlers.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        self._read.close()
        self._write.close()


def _noop(_signum: int, _frame: object) -> None:
    return None


def describe(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


__all__ = ["QUIT_SIGNALS", "QuitOnSignal", "describe"]
