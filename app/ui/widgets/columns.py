"""Article columns side by side: a splitter inside a horizontal scroll area.

Columns never get narrower than a readable measure (about 34 average characters); when the
visible columns do not fit, the area scrolls horizontally instead of squeezing them.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyleOptionToolButton,
    QStylePainter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Article
from app.ui.highlights import short_label
from app.ui.widgets.article_view import ArticleView
from app.ui.widgets.chips import ElidedLabel, paint_chip

READABLE_CHARS = 30
MIN_COLUMN_PX = 230


class _MenuButton(QToolButton):
    """A tool button that opens its menu without drawing the menu arrow (a style sheet would do
    that too, at the cost of restyling every column built)."""

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QStylePainter(self)
        opt = QStyleOptionToolButton()
        self.initStyleOption(opt)
        opt.features &= ~QStyleOptionToolButton.ToolButtonFeature.HasMenu
        p.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, opt)


class _Chip(QWidget):
    """The column's number in its colour, drawn like the findings' source chips."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(20, 16)
        self.number = 0
        self.colour = QColor("gray")

    def set_chip(self, number: int, colour: QColor) -> None:
        self.number, self.colour = number, QColor(colour)
        self.update()

    def text(self) -> str:
        return str(self.number)

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        paint_chip(p, QRectF(self.rect()), self.number, self.colour)
        p.end()


class ColumnHeader(QFrame):
    TOP_BAND = 4  # px of the article's colour along the top

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnHeader")
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8 + self.TOP_BAND, 8, 8)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.colour: QColor | None = None
        self.chip = _Chip()
        self.source = QLabel()
        self.source.setObjectName("columnSource")
        font = self.source.font()
        font.setBold(True)
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        self.source.setFont(font)
        self.menu_button = _MenuButton()
        self.menu_button.setText("⋯")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setToolTip("Column actions")
        self.menu_button.setAccessibleName("Column actions")
        top.addWidget(self.chip)
        top.addWidget(self.source, 1)
        top.addWidget(self.menu_button)
        self.title = ElidedLabel(max_lines=2)
        self.title.setObjectName("columnTitle")
        tfont = self.title.font()
        tfont.setBold(True)
        tfont.setPointSizeF(tfont.pointSizeF() * 1.08)
        self.title.setFont(tfont)
        self.meta = QLabel()
        self.meta.setObjectName("columnMeta")
        self.meta.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        if self.colour is not None:
            p = QPainter(self)
            p.fillRect(0, 0, self.width(), self.TOP_BAND, self.colour)
            p.end()

    def set_article(self, article: Article, index: int, colour: QColor) -> None:
        self.chip.set_chip(index + 1, colour)
        if self.colour != colour:
            self.colour = QColor(colour)
            self.update()  # the band in the article's colour along the top
        self.source.setText(short_label(article, index))
        title = article.title or article.name or "(untitled)"
        self.title.setText(title)  # two lines at most; the full title is in the tooltip
        meta = []
        if article.published:
            meta.append(article.published)
        if article.byline:
            meta.append(", ".join(article.byline))
        meta.append(f"{article.word_count:,} words")
        self.meta.setText("  ·  ".join(meta))
        tip = [f"<b>{_esc(title)}</b>"]
        if article.path:
            tip.append(_esc(article.path))
        for w in article.warnings:
            tip.append(f"⚠ {_esc(w)}")
        self.setToolTip("<br>".join(tip))
        self.setAccessibleName(f"Article {index + 1}: {short_label(article, index)}, {title}")


class ArticleColumn(QFrame):
    """Header plus text for one article."""

    move_requested = Signal(object, int)  # column, -1 or +1
    hide_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleColumn")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = ColumnHeader()
        self.view = ArticleView()
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(self.header)
        layout.addWidget(line)
        layout.addWidget(self.view, 1)
        self.article: Article | None = None
        self.index = 0
        menu = QMenu(self)
        self.act_left = QAction("Move Left", self)
        self.act_right = QAction("Move Right", self)
        self.act_hide = QAction("Hide Column", self)
        self.act_remove = QAction("Remove Article", self)
        self.act_left.triggered.connect(lambda: self.move_requested.emit(self, -1))
        self.act_right.triggered.connect(lambda: self.move_requested.emit(self, 1))
        self.act_hide.triggered.connect(lambda: self.hide_requested.emit(self))
        self.act_remove.triggered.connect(lambda: self.remove_requested.emit(self))
        menu.addActions([self.act_left, self.act_right, self.act_hide])
        menu.addSeparator()
        menu.addAction(self.act_remove)
        self.header.menu_button.setMenu(menu)

    @property
    def article_id(self) -> str:
        return self.article.id if self.article else ""

    def set_article(self, article: Article, index: int, colour: QColor,
                    text: bool = True) -> None:
        """Show the article; `text=False` leaves the text for a later `view.set_article`."""
        self.article = article
        self.index = index
        self.header.set_article(article, index, colour)
        if text:
            self.view.set_article(article)
        self.view.setAccessibleName(f"Text of {short_label(article, index)}")


class ColumnsArea(QScrollArea):
    """Columns in a splitter; scrolls sideways when they would get narrower than readable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnsArea")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(5)
        self.splitter.setObjectName("columnsSplitter")
        self.setWidget(self.splitter)
        self.columns: list[ArticleColumn] = []
        self.zoom_steps = 0
        # What an empty window says (no articles yet, or after Close All).
        self.empty_hint = QLabel(self.viewport())
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setTextFormat(Qt.TextFormat.RichText)
        self.empty_hint.setEnabled(False)
        self.empty_hint.setText(
            "<p style='font-size:large'>No articles open</p>"
            "<p>Open articles with <b>Ctrl+O</b>, drop files here, paste one with "
            "<b>Ctrl+Shift+V</b>,<br>or open the sample story from the <b>Help</b> menu.</p>"
        )

    def column_min_width(self) -> int:
        fm = self.fontMetrics()
        zoom = 1.0 + 0.1 * self.zoom_steps
        return max(MIN_COLUMN_PX, int(fm.averageCharWidth() * READABLE_CHARS * zoom) + 30)

    def set_columns(self, columns: list[ArticleColumn]) -> None:
        for old in self.columns:
            if old not in columns:
                old.setParent(None)
                old.deleteLater()
        self.columns = list(columns)
        for i, col in enumerate(self.columns):
            self.splitter.insertWidget(i, col)
        self.update_widths()
        self._place_hint()

    def _place_hint(self) -> None:
        self.empty_hint.setGeometry(self.viewport().rect().adjusted(40, 40, -40, -40))
        self.empty_hint.setVisible(not self.columns)
        self.empty_hint.raise_()

    def place_column(self, index: int, column: ArticleColumn) -> None:
        """Put one column at `index` (columns arrive one at a time while being built)."""
        self.splitter.insertWidget(min(index, self.splitter.count()), column)
        if column not in self.columns:
            self.columns.insert(min(index, len(self.columns)), column)
        self.update_widths()
        self._place_hint()

    def visible_columns(self) -> list[ArticleColumn]:
        return [c for c in self.ordered_columns() if not c.isHidden()]

    def ordered_columns(self) -> list[ArticleColumn]:
        """Columns in their on-screen order."""
        out = []
        for i in range(self.splitter.count()):
            w = self.splitter.widget(i)
            if isinstance(w, ArticleColumn) and w in self.columns:
                out.append(w)
        return out

    def move_column(self, column: ArticleColumn, delta: int) -> None:
        order = self.ordered_columns()
        i = order.index(column)
        j = max(0, min(len(order) - 1, i + delta))
        if i != j:
            self.splitter.insertWidget(j, column)
            self.equalise()

    def set_column_visible(self, column: ArticleColumn, visible: bool) -> None:
        column.setVisible(visible)
        self.update_widths()
        self.equalise()

    def equalise(self) -> None:
        n = max(1, len(self.visible_columns()))
        w = max(self.viewport().width(), self.splitter.minimumWidth())
        self.splitter.setSizes([w // n for _ in range(self.splitter.count())])

    def update_widths(self) -> None:
        n = len(self.visible_columns())
        min_w = self.column_min_width()
        for c in self.columns:
            c.setMinimumWidth(min_w)
        self.splitter.setMinimumWidth(n * min_w + max(0, n - 1) * self.splitter.handleWidth())

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self.update_widths()
        self._place_hint()


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
