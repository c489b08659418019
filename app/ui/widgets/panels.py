"""The findings panel (filter + tree) and the facts table."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QMetaObject,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Comparison, Finding, Span
from app.ui.attribution import Said, claimant_line
from app.ui.models.facts import CLAIM_COL, FIRST_SOURCE_COL, SAID_ROLE, FactsModel
from app.ui.models.facts import FINDING_ID_ROLE as FACT_FINDING_ROLE
from app.ui.models.findings import FindingsModel
from app.ui.widgets.chips import CHIP, CHIP_GAP, SourceChipsDelegate, draw_cell_background


class FindingsPanel(QWidget):
    """Filter box over the findings tree. Emits `finding_activated(Finding)` on selection."""

    finding_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsModel(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter findings (Ctrl+F)")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter findings")
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName("Findings")
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 96)
        self.tree.setItemDelegateForColumn(1, SourceChipsDelegate(self.tree))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        self.filter.textChanged.connect(self._filter_changed)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._after_reset)
        self._selected_id: str | None = None
        self._quiet = False

    def show_comparison(self, comparison: Comparison | None, paint: bool = True) -> None:
        """Show the findings, painted at once; `paint=False` leaves the painting to Qt's next
        paint (the window pauses its GUI slices for it)."""
        self.model.set_comparison(comparison)
        if self.isVisible():
            self.tree.doItemsLayout()
            if paint:
                self.tree.viewport().repaint()

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)

    def _after_reset(self) -> None:
        self.tree.expandAll()
        most = max((len(f.articles) for f in self.model.visible_findings()), default=2)
        width = int(min(most, 6) * (CHIP + CHIP_GAP) + 10)
        header = self.tree.header()
        if header.sectionSize(1) != width:
            # Quietly: the tree answers a resized column with a repaint of every row on a
            # timer, after the repaint the new contents get anyway (twice the first paint's
            # 25 ms, measured); the layout below takes the new widths instead.
            header.blockSignals(True)
            try:
                header.resizeSection(1, width)
                # The stretched first column follows now, not on the header's own timer.
                QMetaObject.invokeMethod(header, "resizeSections",
                                         Qt.ConnectionType.DirectConnection)
            finally:
                header.blockSignals(False)
            self.tree.doItemsLayout()
        if self._selected_id:
            self.select_finding(self._selected_id, emit=False)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        f = self.model.finding_at(current)
        if f is None:
            return
        self._selected_id = f.id
        if not self._quiet:
            self.finding_activated.emit(f)

    def select_finding(self, finding_id: str | None, emit: bool = False) -> None:
        """Select a finding's row (scrolling to it) without re-announcing it unless asked."""
        self._selected_id = finding_id
        index = self.model.index_for_finding(finding_id) if finding_id else QModelIndex()
        self._quiet = not emit
        try:
            if index.isValid():
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            else:
                self.tree.selectionModel().clearSelection()
        finally:
            self._quiet = False

    def current_finding(self) -> Finding | None:
        return self.model.finding_at(self.tree.currentIndex())


SEPARATOR = " / "
PAD = 6
CLAIMANT_WIDTH = 150  # px a claimant's name may widen a column by (then it is elided)


def _claimant_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setItalic(True)
    font.setPointSizeF(base.pointSizeF() * 0.88)
    return font


class FactCellDelegate(QStyledItemDelegate):
    """A source's cell: its figures on the first line (an earlier, superseded toll struck
    through and greyed), who gives them on the second ("Syrian Observatory for Human Rights")."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        said: list[Said] | None = index.data(SAID_ROLE)
        if not said:
            super().paint(painter, option, index)
            return
        opt = draw_cell_background(self, painter, option, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        ink = palette.color(QPalette.ColorRole.HighlightedText if selected
                            else QPalette.ColorRole.Text)
        muted = QColor(ink)
        muted.setAlphaF(0.62)
        rect: QRect = opt.rect.adjusted(PAD, 1, -PAD, -1)
        who = claimant_line(said)
        base = QFont(opt.font)
        fm = QFontMetrics(base)
        small = _claimant_font(base)
        fms = QFontMetrics(small)
        two = bool(who) and rect.height() >= fm.height() + fms.height()
        top = rect.top() + (rect.height() - fm.height() - (fms.height() if two else 0)) // 2
        painter.save()
        painter.setClipRect(opt.rect)
        # First line, right-aligned: the figures in the order the cell reads.
        runs: list[tuple[str, bool]] = []
        for i, s in enumerate(said):
            if i:
                runs.append((SEPARATOR, False))
            runs.append((s.text, s.superseded))
        width = sum(fm.horizontalAdvance(t) for t, _ in runs)
        x = max(rect.left(), rect.right() - width)
        for text, struck in runs:
            font = QFont(base)
            font.setStrikeOut(struck)
            painter.setFont(font)
            painter.setPen(muted if struck else ink)
            w = fm.horizontalAdvance(text)
            painter.drawText(QRect(x, top, w + 1, fm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
            x += w
        if two:
            painter.setFont(small)
            painter.setPen(muted)
            text = fms.elidedText(who, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(QRect(rect.left(), top + fm.height(), rect.width(), fms.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        said: list[Said] | None = index.data(SAID_ROLE)
        if not said:
            return super().sizeHint(option, index)
        return cell_size(QFont(option.font), said)


def cell_size(font: QFont, said: list[Said], cap: int | None = CLAIMANT_WIDTH) -> QSize:
    """Room for a cell's two lines: the figures, and the claimants in the smaller font (a long
    name taking at most `cap` px, CLAIMANT_WIDTH by default; None: in full)."""
    fm = QFontMetrics(font)
    fms = QFontMetrics(_claimant_font(font))
    figures = SEPARATOR.join(s.text for s in said)
    who = claimant_line(said)
    # Where the columns would not fit, a long name ("Syrian Observatory for Human Rights") is
    # elided rather than widening its column: every source's column should stay in view; the
    # tooltip names it in full.
    name = fms.horizontalAdvance(who) if who else 0
    height = fm.height() + (fms.height() if who else 0)
    return QSize(_cell_width(fm.horizontalAdvance(figures), name, cap), height + 4)


def _cell_width(figures: int, name: int, cap: int | None) -> int:
    """A cell's width from the widths in px of its figures and of its claimant's name (the
    name taking at most `cap` px; None: in full)."""
    return max(figures, name if cap is None else min(name, cap)) + 2 * PAD + 4


class FactsTable(QTableView):
    """One row per compared claim. Clicking a source's cell asks to jump to its passage."""

    cell_activated = Signal(object, object)  # Span | None, finding id | None

    EMPTY_TEXT = "No figures to compare yet: facts appear here when sources state counts."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts_model = FactsModel(self)
        self.setModel(self.facts_model)
        self.cell_delegate = FactCellDelegate(self)
        self.setItemDelegate(self.cell_delegate)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setAccessibleName("Facts table")
        self.setShowGrid(True)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(False)
        self.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        # Text widths of each column's cells, measured once per comparison (resizes only share
        # out room): the widest plain text, and (figures, claimant) px of each named cell.
        self._measures: dict[int, tuple[int, list[tuple[int, int]]]] = {}
        self._fit_later = False
        self.facts_model.modelAboutToBeReset.connect(self._forget_measures)
        self.facts_model.modelReset.connect(self._fit)
        self.clicked.connect(self._activate)
        self.activated.connect(self._activate)

    def show_comparison(self, comparison: Comparison | None, fit: bool = True) -> None:
        """Show the facts; `fit=False` leaves sizing the columns to `fit()` (the window does
        the two in GUI slices of their own)."""
        # Until fit() runs, neither the reset nor a resize sizes the columns (measuring every
        # cell of a new comparison at once is the stall the window's slices avoid).
        self._fit_later = not fit
        self.facts_model.set_comparison(comparison)
        if self.isVisible():
            self.viewport().update()  # painted by Qt after the model's reset

    def fit(self) -> None:
        """Size the columns to the cells (measured once per comparison). Outside a reset Qt
        repaints the cells for new sizes but not always the header (on X11 it kept the
        sections it painted after the reset): both are repainted here."""
        self._fit_later = False
        self._fit()
        self.horizontalHeader().viewport().update()
        self.viewport().update()

    def _forget_measures(self) -> None:
        self._measures = {}

    def changeEvent(self, e: QEvent) -> None:
        super().changeEvent(e)
        if e.type() == QEvent.Type.FontChange:
            self._forget_measures()  # measured in the old font

    def measure_columns(self, columns: range) -> None:
        """Measure some columns ahead of `fit()` (the window measures a few per GUI slice:
        the first measure after a new comparison works out every cell's claimants)."""
        for c in columns:
            if c < self.facts_model.columnCount():
                self._measure(c)

    def _measure(self, c: int) -> tuple[int, list[tuple[int, int]]]:
        """Column c's widest plain text, and (figures, claimant) widths in px of each cell
        that names a claimant, as `cell_size` measures them (kept until the model resets)."""
        found = self._measures.get(c)
        if found is None:
            found = self._measures[c] = self._measure_column(c)
        return found

    def _measure_column(self, c: int) -> tuple[int, list[tuple[int, int]]]:
        # Widths from the texts directly: resizeColumnsToContents asks the model for every
        # role of every cell, which is slow through Python.
        fm = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        fmb = QFontMetrics(bold)
        small = QFontMetrics(_claimant_font(self.font()))
        model = self.facts_model
        header_text = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        width = fm.horizontalAdvance(header_text) + 34  # room for the colour chip
        cells: list[list[Said]] = []
        for r in range(model.rowCount()):
            index = model.index(r, c)
            said = model.said_at(index) if c >= FIRST_SOURCE_COL else []
            if said:
                cells.append(said)
            else:
                width = max(width, fmb.horizontalAdvance(str(model.data(index) or "")) + 16)
        # Each named cell measured once: the fitting tries narrower rooms for the names, and
        # measuring every cell for every room stalled the window for a third of a second with
        # twenty sources.
        return width, [(fm.horizontalAdvance(SEPARATOR.join(s.text for s in said)),
                        small.horizontalAdvance(who) if (who := claimant_line(said)) else 0)
                       for said in cells]

    def _fit(self) -> None:
        """Source columns sized to their figures; the claim column takes the room left over,
        but never less than a readable width (then the table scrolls sideways)."""
        header = self.horizontalHeader()
        n = self.facts_model.columnCount()
        if n == 0 or self._fit_later:
            return
        header.setSectionResizeMode(CLAIM_COL, QHeaderView.ResizeMode.Interactive)
        fm = self.fontMetrics()
        model = self.facts_model
        # Two lines a row when cells name who gives their figures.
        small = QFontMetrics(_claimant_font(self.font()))
        lines = fm.height() + (small.height() if model.has_claimants() else 0)
        self.verticalHeader().setDefaultSectionSize(lines + 8)
        columns = [self._measure(c) for c in range(n)]
        plain = [width for width, _cells in columns]
        measured = [cells for _width, cells in columns]

        def source_widths(cap: int | None) -> list[int]:
            return [min(max(plain[c], 96, *(_cell_width(figures, name, cap)
                                            for figures, name in measured[c])), 260)
                    for c in range(CLAIM_COL + 1, n)]

        claim = min(max(plain[CLAIM_COL], 200), 360)
        room = self.viewport().width() - claim
        # Claimants' names in full when the columns fit, else as much of them as fits (at
        # least CLAIMANT_WIDTH px: then the table scrolls sideways).
        widths = source_widths(None)
        cap = 300
        while sum(widths) > room and cap > CLAIMANT_WIDTH:
            cap = max(CLAIMANT_WIDTH, cap - 10)
            widths = source_widths(cap)
        for c, w in enumerate(widths, CLAIM_COL + 1):
            self.setColumnWidth(c, w)
        if sum(widths) + claim < self.viewport().width():
            header.setSectionResizeMode(CLAIM_COL, QHeaderView.ResizeMode.Stretch)
        else:
            self.setColumnWidth(CLAIM_COL, claim)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self._fit()

    def select_fact_for(self, finding_id: str | None) -> None:
        """Select the row of the fact a conflict finding is about (clear otherwise)."""
        model = self.facts_model
        row = next(
            (r for r in range(model.rowCount())
             if finding_id and (f := model.fact(r)) is not None and f.finding == finding_id),
            None,
        )
        self.blockSignals(True)
        try:
            if row is None:
                self.clearSelection()
            else:
                self.selectRow(row)
                self.scrollTo(model.index(row, CLAIM_COL))
        finally:
            self.blockSignals(False)

    def _activate(self, index: QModelIndex) -> None:
        span: Span | None = self.facts_model.span_at(index)
        finding = index.data(FACT_FINDING_ROLE)
        self.cell_activated.emit(span, finding)

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        if self.facts_model.rowCount() == 0:
            p = QPainter(self.viewport())
            p.setPen(self.palette().placeholderText().color())
            p.drawText(
                self.viewport().rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.EMPTY_TEXT,
            )
            p.end()
