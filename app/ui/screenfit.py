"""Fitting the window to the screen it opens on, and keeping its panels where they belong.

Plain geometry over Qt rectangles, kept apart from the window so it can be tested alone:

- `default_geometry(available)`: the first-run place and size (1600x1000 at most, never more
  than the screen's available area less room for the window frame), centred.
- `fit_frame(frame, client, available)`: where to put a window whose frame sticks out of the
  available area (a taskbar, a small screen), so that the title bar and status bar are visible.
- `screen_key(screen)`: the settings key a layout is remembered under, per screen size.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QScreen

PREFERRED = QSize(1600, 1000)
# Room for a window manager's frame before the real margins are known (title bar, borders).
FRAME_GUESS = QSize(4, 40)


def screen_key(screen: QScreen | None) -> str:
    """`DP-1_1920x1080`: layouts are remembered per screen (a laptop on and off its dock)."""
    if screen is None:
        return "default"
    g = screen.geometry()
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", screen.name() or "screen")
    return f"{name}_{g.width()}x{g.height()}"


def default_geometry(available: QRect, frame: QSize = FRAME_GUESS) -> tuple[QPoint, QSize]:
    """(frame position, client size) for a first start: as large as preferred, no larger than
    the screen's available area allows, centred in it."""
    w = max(320, min(PREFERRED.width(), available.width() - frame.width()))
    h = max(240, min(PREFERRED.height(), available.height() - frame.height()))
    x = available.x() + max(0, (available.width() - w - frame.width()) // 2)
    y = available.y() + max(0, (available.height() - h - frame.height()) // 2)
    return QPoint(x, y), QSize(w, h)


def fits(frame: QRect, available: QRect) -> bool:
    return available.contains(frame)


def mostly_visible(frame: QRect, available: QRect) -> bool:
    """A restored window counts as visible when its title bar's middle is on the screen and
    most of it is: otherwise it goes back to the default place."""
    title = QPoint(frame.center().x(), frame.top() + 8)
    overlap = frame.intersected(available)
    area = frame.width() * frame.height()
    return available.contains(title) and area > 0 and (
        overlap.width() * overlap.height() >= 0.6 * area)


def fit_frame(frame: QRect, client: QRect, available: QRect) -> tuple[QPoint, QSize]:
    """(frame position, client size) that put the whole frame inside `available`, keeping the
    window as large as it was where it fits."""
    extra_w = max(0, frame.width() - client.width())
    extra_h = max(0, frame.height() - client.height())
    w = min(client.width(), available.width() - extra_w)
    h = min(client.height(), available.height() - extra_h)
    fw, fh = w + extra_w, h + extra_h
    x = min(max(frame.x(), available.x()), available.right() + 1 - fw)
    y = min(max(frame.y(), available.y()), available.bottom() + 1 - fh)
    return QPoint(x, y), QSize(w, h)
