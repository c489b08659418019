"""Small painted pieces: a multi-line label that elides its last line, and numbered source chips."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPixmap,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

SOURCES_ROLE = Qt.ItemDataRole.UserRole + 10  # list of (number, QColor, label)
CHIP = 15.0
CHIP_GAP = 3.0


class ElidedLabel(QWidget):
    """Word-wrapped text shown on at most `max_lines` lines, the last one ending in "…"."""

    def __init__(self, max_lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.max_lines = max_lines
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:
        self._text = " ".join(text.split())
        self.setAccessibleName(self._text)
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:
        fm = QFontMetricsF(self.font())
        return QSize(200, int(fm.lineSpacing() * self.max_lines + 2))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setPen(self.palette().windowText().color())
        fm = QFontMetricsF(self.font())
        width = float(self.width())
        layout = QTextLayout(self._text, self.font())
        opt = QTextOption()
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(opt)
        layout.beginLayout()
        y = 0.0
        lines = []
        while len(lines) < self.max_lines:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            y += fm.lineSpacing()
            lines.append(line)
        layout.endLayout()
        for i, line in enumerate(lines):
            start, length = line.textStart(), line.textLength()
            last = i == len(lines) - 1
            rest = self._text[start:]
            chunk = rest if last else self._text[start:start + length]
            if last and len(rest) > length:
                chunk = fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)
            p.drawText(QPointF(0, line.y() + fm.ascent()), chunk.rstrip() if not last else chunk)
        p.end()


def paint_chip(p: QPainter, rect: QRectF, number: int, colour: QColor) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    p.setPen(QColor("white") if colour.lightness() < 150 else QColor("black"))
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(number))


def draw_cell_background(delegate: QStyledItemDelegate, painter: QPainter,
                         option: QStyleOptionViewItem,
                         index: QModelIndex | QPersistentModelIndex) -> QStyleOptionViewItem:
    """A cell's background and selection as the style draws them, without its text (the
    delegate draws its own content on top). Returns the initialised option."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    opt.text = ""
    widget = opt.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
    return opt


class SourceChipsDelegate(QStyledItemDelegate):
    """Draws a row's sources as numbered chips in the articles' colours (names in the tooltip)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._chips: dict[tuple[int, int, float, str, float], QPixmap] = {}

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        chips: Sequence[tuple[int, QColor, str]] | None = index.data(SOURCES_ROLE)
        if not chips:
            super().paint(painter, option, index)
            return
        # Background and selection from the style, then the chips on top.
        draw_cell_background(self, painter, option, index)
        font = QFont(painter.font())
        font.setPointSizeF(font.pointSizeF() * 0.8)
        font.setBold(True)
        r = option.rect
        h = min(CHIP, r.height() - 4.0)
        x = r.left() + 4.0
        dpr = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        for number, colour, _label in chips:
            if x + h > r.right():
                break
            pixmap = self._chip(number, colour, h, font, dpr)
            painter.drawPixmap(QPointF(x, r.top() + (r.height() - h) / 2), pixmap)
            x += h + CHIP_GAP

    def _chip(self, number: int, colour: QColor, size: float, font: QFont,
              dpr: float) -> QPixmap:
        """A chip drawn once and kept (a panel repaint draws a hundred and more)."""
        key = (number, colour.rgba(), size, font.key(), dpr)
        pixmap = self._chips.get(key)
        if pixmap is None:
            side = max(1, round(size * dpr))
            pixmap = QPixmap(side, side)
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setFont(font)
            paint_chip(p, QRectF(0, 0, size, size), number, colour)
            p.end()
            if len(self._chips) > 512:
                self._chips.clear()
            self._chips[key] = pixmap
        return pixmap
