"""The status bar: messages elided before the permanent widgets (counts, progress, project)
instead of running into them; the whole message is the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QStatusBar, QStyle, QStyleOption, QWidget

GAP = 24  # pixels between the end of a message and the first permanent widget


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(True)
        self.messageChanged.connect(self._message_changed)

    def _message_changed(self, message: str) -> None:
        self.setToolTip(message if self.message_elided() else "")

    def message_rect(self) -> QRect:
        """Where a message may be drawn: left of the first visible permanent widget."""
        right = self.width() - 12
        for child in self.children():
            if isinstance(child, QWidget) and child.isVisible() and child.width() > 0:
                right = min(right, child.x() - GAP)
        return QRect(6, 0, max(0, right - 6), self.height())

    def message_elided(self) -> bool:
        text = self.currentMessage()
        return bool(text) and self.fontMetrics().horizontalAdvance(text) > (
            self.message_rect().width())

    def shown_message(self) -> str:
        """The message as painted (elided with "…" when it does not fit)."""
        return self.fontMetrics().elidedText(self.currentMessage(), Qt.TextElideMode.ElideRight,
                                             self.message_rect().width())

    def paintEvent(self, e: QPaintEvent) -> None:
        text = self.currentMessage()
        if not text:
            super().paintEvent(e)
            return
        # As QStatusBar paints a message, but elided and clear of the permanent widgets.
        p = QPainter(self)
        opt = QStyleOption()
        opt.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, opt, p, self)
        p.setPen(self.palette().windowText().color())
        p.drawText(self.message_rect(),
                   int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter),
                   self.shown_message())
        p.end()
