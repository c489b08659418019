"""The key to the highlight colours, painted with the same colours and underline styles.

Updated figures, disputes one source reports and agency copy are in the key only when the
comparison shown has them (they are rare, and the toolbar is narrow).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.theme import Theme


class Legend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = Theme.for_mode(False)
        self.sources = 0  # sources in the comparison shown; 0 before any comparison
        self.extras: frozenset[str] = frozenset()  # "update", "dispute", "copy" when shown
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Highlight legend")
        self._update_tip()

    def set_state(self, theme: Theme, sources: int, extras: set[str] | frozenset[str] = frozenset(),
                  ) -> None:
        self.theme = theme
        self.sources = max(0, sources)
        self.extras = frozenset(extras)
        self._update_tip()
        self.updateGeometry()
        self.update()

    def _update_tip(self) -> None:
        self.setToolTip(
            "Blue: passages several sources share (darker = more sources agree). "
            "Orange with a wavy underline: sources disagree. "
            "Pale yellow with a dotted underline: only this source has it. "
            "Grey italics: captions, credits and adverts, not the article's own text."
            + (" Blue dashed underline: a figure its claimant has since updated, or the update"
               " (not a conflict)." if "update" in self.extras else "")
            + (" Orange dash-dot underline: one source reports two claimants disagreeing."
               if "dispute" in self.extras else "")
            + (" Grey bar in the margin: text copied from one agency story that another"
               " article also runs (View > Hide Agency Copy)." if "copy" in self.extras else "")
        )

    def agree_text(self) -> str:
        """"Agree" before a comparison, "Agree (2 sources)", "Agree (2–5 sources)"."""
        if self.sources < 2:
            return "Agree"
        if self.sources == 2:
            return "Agree (2 sources)"
        return f"Agree (2–{self.sources} sources)"

    def _items(self) -> list[tuple[str, str]]:
        items = [("heat", self.agree_text()), ("conflict", "Conflict")]
        if "update" in self.extras:
            items.append(("update", "Updated"))
        if "dispute" in self.extras:
            items.append(("dispute", "Dispute in one"))
        items += [("unique", "Only in one"), ("boiler", "Captions, ads")]
        if "copy" in self.extras:
            items.append(("copy", "Agency copy"))
        return items

    def texts(self) -> list[str]:
        """The key's entries as shown, left to right."""
        return [text for _kind, text in self._items()]

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        w = 8
        for kind, text in self._items():
            w += (54 if kind == "heat" else 22) + fm.horizontalAdvance(text) + 18
        return QSize(w, fm.height() + 12)

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        h = fm.height()
        y = (self.height() - h) / 2
        x = 4.0
        t = self.theme
        text_colour = self.palette().windowText().color()
        for kind, text in self._items():
            if kind == "heat":
                steps = 4
                total = max(2, self.sources)
                for i in range(steps):
                    c = t.heat(2 + round(i * (total - 2) / (steps - 1)), total)
                    p.fillRect(QRectF(x + i * 12, y + 1, 12, h - 2), c)
                p.setPen(QPen(QColor(0, 0, 0, 40)))
                p.drawRect(QRectF(x, y + 1, 48, h - 2))
                x += 54
            elif kind == "copy":
                p.fillRect(QRectF(x + 7, y, 3, h), t.copy_bar)
                x += 22
            elif kind in ("update", "dispute"):
                pen = QPen(t.update_line if kind == "update" else t.conflict_line, 1.4)
                pen.setStyle(Qt.PenStyle.DashLine if kind == "update" else Qt.PenStyle.DashDotLine)
                p.setPen(pen)
                p.drawLine(QPointF(x, y + h - 2), QPointF(x + 18, y + h - 2))
                x += 22
            elif kind == "boiler":
                p.setPen(t.boilerplate_fg)
                f = QFont(self.font())
                f.setItalic(True)
                p.setFont(f)
                p.drawText(QRectF(x, y, 18, h), Qt.AlignmentFlag.AlignCenter, "Aa")
                p.setFont(self.font())
                x += 22
            else:
                bg = t.conflict_bg if kind == "conflict" else t.unique_bg
                line = t.conflict_line if kind == "conflict" else t.unique_line
                p.fillRect(QRectF(x, y + 1, 18, h - 2), bg)
                pen = QPen(line, 1.4)
                if kind == "unique":
                    pen.setStyle(Qt.PenStyle.DotLine)
                    p.setPen(pen)
                    p.drawLine(QPointF(x, y + h - 2), QPointF(x + 18, y + h - 2))
                else:
                    p.setPen(pen)
                    path = QPainterPath(QPointF(x, y + h - 2))
                    for k in range(6):
                        path.lineTo(QPointF(x + 3 * (k + 1), y + h - (4 if k % 2 == 0 else 1)))
                    p.drawPath(path)
                x += 22
            p.setPen(text_colour)
            tw = fm.horizontalAdvance(text)
            p.drawText(QRectF(x, y, tw + 2, h), Qt.AlignmentFlag.AlignVCenter, text)
            x += tw + 18
        p.end()
