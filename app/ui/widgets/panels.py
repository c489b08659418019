"""The findings panel (filter + tree) and the facts table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Comparison, Finding, Span
from app.ui.models.facts import CLAIM_COL, FactsModel
from app.ui.models.facts import FINDING_ID_ROLE as FACT_FINDING_ROLE
from app.ui.models.findings import FindingsModel
from app.ui.widgets.chips import CHIP, CHIP_GAP, SourceChipsDelegate


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

    def show_comparison(self, comparison: Comparison | None) -> None:
        self.model.set_comparison(comparison)
        if self.isVisible():
            self.tree.doItemsLayout()
            self.tree.viewport().repaint()

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)

    def _after_reset(self) -> None:
        self.tree.expandAll()
        most = max((len(f.articles) for f in self.model.visible_findings()), default=2)
        self.tree.header().resizeSection(1, int(min(most, 6) * (CHIP + CHIP_GAP) + 10))
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


class FactsTable(QTableView):
    """One row per compared claim. Clicking a source's cell asks to jump to its passage."""

    cell_activated = Signal(object, object)  # Span | None, finding id | None

    EMPTY_TEXT = "No figures to compare yet: facts appear here when sources state counts."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts_model = FactsModel(self)
        self.setModel(self.facts_model)
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
        self.facts_model.modelReset.connect(self._fit)
        self.clicked.connect(self._activate)
        self.activated.connect(self._activate)

    def show_comparison(self, comparison: Comparison | None) -> None:
        self.facts_model.set_comparison(comparison)
        if self.isVisible():
            self.viewport().repaint()

    def _fit(self) -> None:
        """Source columns sized to their figures; the claim column takes the room left over,
        but never less than a readable width (then the table scrolls sideways)."""
        header = self.horizontalHeader()
        n = self.facts_model.columnCount()
        if n == 0:
            return
        header.setSectionResizeMode(CLAIM_COL, QHeaderView.ResizeMode.Interactive)
        # Widths from the texts directly: resizeColumnsToContents asks the model for every
        # role of every cell, which is slow through Python.
        fm = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        fmb = QFontMetrics(bold)
        model = self.facts_model
        for c in range(n):
            texts = [str(model.headerData(c, Qt.Orientation.Horizontal) or "")]
            width = fm.horizontalAdvance(texts[0]) + 34  # room for the colour chip
            for r in range(model.rowCount()):
                text = str(model.index(r, c).data() or "")
                width = max(width, fmb.horizontalAdvance(text) + 16)
            self.setColumnWidth(c, width)
        for c in range(CLAIM_COL + 1, n):
            self.setColumnWidth(c, min(max(self.columnWidth(c), 96), 220))
        others = sum(self.columnWidth(c) for c in range(CLAIM_COL + 1, n))
        claim = min(max(self.columnWidth(CLAIM_COL), 200), 360)
        if others + claim < self.viewport().width():
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
