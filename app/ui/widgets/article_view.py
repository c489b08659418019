"""One article's text: highlights as char formats, the current finding as an extra selection."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QFrame, QTextEdit, QToolTip, QWidget

from app.core.model import Article
from app.ui.highlights import (
    LAYER_BOILERPLATE,
    LAYER_CONFLICT,
    LAYER_COPY,
    LAYER_DISPUTE,
    LAYER_MATCH,
    LAYER_UNIQUE,
    LAYER_UPDATE,
    Mark,
)
from app.ui.textpos import Utf16Index
from app.ui.theme import Theme

FormatRange = tuple[int, int, QTextCharFormat]  # code-point start, end, format


class ArticleView(QTextEdit):
    """Read-only article text. Emits `passage_clicked(offset)` (code points) on a plain click."""

    passage_clicked = Signal(int)
    tooltip_requested = Signal(int, QPoint)  # code-point offset, global position

    FLASH_STEPS = 6
    FLASH_INTERVAL_MS = 120
    # The agency-copy bar, inside the document margin (14 px) left of the text.
    COPY_BAR_X = 5
    COPY_BAR_WIDTH = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.document().setDocumentMargin(14)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.article: Article | None = None
        self.index = Utf16Index("")
        self._press_pos: QPoint | None = None
        self._current: list[tuple[int, int]] = []
        self._flash_left = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(self.FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._flash_tick)
        self._theme = Theme.for_mode(False)
        # Code-point ranges of agency copy shown in this article (bars in the margin).
        self.copy_ranges: list[tuple[int, int]] = []
        self.set_selection_colours(Theme.system())

    # Text and highlights --------------------------------------------------------------------

    def set_article(self, article: Article) -> None:
        if self.article is not None and self.article.text == article.text:
            # Same text under a new id (renumbered): keep the laid-out document as it is.
            self.article = article
            return
        self.article = article
        self.index = Utf16Index(article.text)
        self._current = []
        self.copy_ranges = []
        self.setExtraSelections([])
        self.setPlainText(article.text)
        self._format_blocks()

    def _format_blocks(self) -> None:
        """Reader-friendly line spacing and paragraph gaps, once per text."""
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        block = QTextBlockFormat()
        block.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        block.setBottomMargin(4)
        cursor.mergeBlockFormat(block)
        cursor.endEditBlock()

    def apply_highlights(
        self, marks: Sequence[Mark], total_sources: int, theme: Theme,
        extra: Iterable[FormatRange] = (),
    ) -> None:
        """Paint every mark (and any extra format layer) in one edit block."""
        self._theme = theme
        self.set_selection_colours(theme)
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        formats = {
            LAYER_COPY: theme.copy_format(),
            LAYER_BOILERPLATE: theme.boilerplate_format(),
            LAYER_UNIQUE: theme.unique_format(),
            LAYER_UPDATE: theme.update_format(),
            LAYER_DISPUTE: theme.dispute_format(),
            LAYER_CONFLICT: theme.conflict_format(),
        }
        heat: dict[int, QTextCharFormat] = {}
        copies = sorted((m.start, m.end) for m in marks if m.layer == LAYER_COPY)
        self.copy_ranges = _merged(copies)
        for m in marks:
            if m.layer == LAYER_MATCH:
                fmt = heat.get(m.agreeing)
                if fmt is None:
                    fmt = heat[m.agreeing] = theme.match_format(m.agreeing, total_sources)
            else:
                fmt = formats[m.layer]
            self._merge(cursor, m.start, m.end, fmt)
        for start, end, fmt in extra:
            self._merge(cursor, start, end, fmt)
        cursor.endEditBlock()
        self.viewport().update()

    def set_selection_colours(self, theme: Theme) -> None:
        palette = self.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, theme.selection_bg)
            palette.setColor(group, QPalette.ColorRole.HighlightedText, theme.selection_fg)
        self.setPalette(palette)

    def _merge(self, cursor: QTextCursor, start: int, end: int, fmt: QTextCharFormat) -> None:
        cursor.setPosition(self.index.to_qt(start))
        cursor.setPosition(self.index.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    # Current finding and flash (extra selections: transient) --------------------------------

    def set_current(self, ranges: Sequence[tuple[int, int]], flash: bool = True) -> None:
        self._current = list(ranges)
        self._flash_left = self.FLASH_STEPS if (flash and ranges) else 0
        self._paint_current(bright=self._flash_left > 0)
        if self._flash_left:
            self._flash_timer.start()
        else:
            self._flash_timer.stop()

    def _flash_tick(self) -> None:
        self._flash_left -= 1
        if self._flash_left <= 0:
            self._flash_timer.stop()
            self._paint_current(bright=False)
        else:
            self._paint_current(bright=self._flash_left % 2 == 0)

    @property
    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    def _paint_current(self, bright: bool) -> None:
        selections = []
        colour = QColor(self._theme.flash_bg if bright else self._theme.current_bg)
        for start, end in self._current:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.index.to_qt(start))
            cursor.setPosition(self.index.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            fmt = QTextCharFormat()
            fmt.setBackground(colour)
            sel.format = fmt  # type: ignore[attr-defined]
            selections.append(sel)
        self.setExtraSelections(selections)

    # Agency-copy bars --------------------------------------------------------------------------

    def copy_bar_rects(self) -> list[QRect]:
        """Viewport rectangles of the margin bars beside copied text: one per paragraph a
        copied stretch touches, from its first line to its last (only those in view)."""
        rects: list[QRect] = []
        if not self.copy_ranges:
            return rects
        doc = self.document()
        layout = doc.documentLayout()
        dy = self.verticalScrollBar().value()
        view_h = self.viewport().height()
        for start, end in self.copy_ranges:
            qs, qe = self.index.to_qt(start), self.index.to_qt(end)
            block = doc.findBlock(qs)
            while block.isValid() and block.position() < qe:
                pos = block.position()
                a = max(qs, pos) - pos
                b = min(qe, pos + block.length() - 1) - pos  # without the paragraph break
                lines = block.layout()
                first, last = lines.lineForTextPosition(a), lines.lineForTextPosition(b - 1)
                if b > a and first.isValid() and last.isValid():
                    top_y = layout.blockBoundingRect(block).top()
                    y0 = int(top_y + first.y()) - dy
                    y1 = int(top_y + last.y() + last.height()) - dy
                    if y1 >= 0 and y0 <= view_h:
                        rects.append(QRect(self.COPY_BAR_X, y0, self.COPY_BAR_WIDTH, y1 - y0))
                block = block.next()
        return rects

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        rects = self.copy_bar_rects()
        if rects:
            p = QPainter(self.viewport())
            for r in rects:
                p.fillRect(r, self._theme.copy_bar)
            p.end()

    # Geometry ---------------------------------------------------------------------------------

    def span_rect(self, start: int, end: int) -> QRect:
        """Viewport rectangle from the start of a passage to its end (first and last line)."""
        c = QTextCursor(self.document())
        c.setPosition(self.index.to_qt(start))
        top = self.cursorRect(c)
        c.setPosition(self.index.to_qt(end))
        bottom = self.cursorRect(c)
        return top.united(bottom)

    def scroll_to_span(self, start: int, end: int, y: int | None = None) -> None:
        """Scroll so the passage is visible: its top at viewport `y`, else centred (or its top
        a little below the edge when it is taller than the view)."""
        rect = self.span_rect(start, end)
        bar = self.verticalScrollBar()
        view_h = self.viewport().height()
        if y is None:
            y = max(12, (view_h - rect.height()) // 2) if rect.height() < view_h else 12
        bar.setValue(bar.value() + rect.top() - y)

    def offset_at(self, pos: QPoint) -> int | None:
        """Code-point offset under a viewport point, None when the point is not on text."""
        cursor = self.cursorForPosition(pos)
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - pos.y()) > rect.height():
            return None
        return self.index.to_py(cursor.position())

    def first_visible_offset(self) -> int:
        return self.index.to_py(self.cursorForPosition(QPoint(4, 4)).position())

    def selected_range(self) -> tuple[int, int] | None:
        c = self.textCursor()
        if not c.hasSelection():
            return None
        return self.index.to_py(c.selectionStart()), self.index.to_py(c.selectionEnd())

    # Events ---------------------------------------------------------------------------------

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self._press_pos = e.position().toPoint()
        super().mousePressEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        super().mouseReleaseEvent(e)
        pos = e.position().toPoint()
        if (
            e.button() == Qt.MouseButton.LeftButton
            and self._press_pos is not None
            and (pos - self._press_pos).manhattanLength() < 4
            and not self.textCursor().hasSelection()
        ):
            offset = self.offset_at(pos)
            if offset is not None:
                self.passage_clicked.emit(offset)
        self._press_pos = None

    def viewportEvent(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            offset = self.offset_at(e.pos())
            if offset is None:
                QToolTip.hideText()
            else:
                self.tooltip_requested.emit(offset, e.globalPos())
            return True
        return super().viewportEvent(e)


def _merged(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges with overlapping and touching ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
