"""The facts table: one row per compared claim, one column per source, conflicts marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap

from app.core.model import Comparison, Fact, Span
from app.ui.highlights import short_label
from app.ui.theme import Theme, article_colour

FACT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FINDING_ID_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex

# Fixed columns before the per-source ones.
CLAIM_COL = 0
STATUS_COL = 1
FIRST_SOURCE_COL = 2


class FactsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._comparison: Comparison | None = None
        self._facts: tuple[Fact, ...] = ()
        self._theme = Theme.for_mode(False)

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self._comparison = comparison
        self._facts = comparison.facts if comparison else ()
        self.endResetModel()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        if self._facts:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def fact(self, row: int) -> Fact | None:
        return self._facts[row] if 0 <= row < len(self._facts) else None

    def spans_at(self, index: AnyIndex) -> list[Span]:
        """The source's passages behind a cell: a source can state a figure more than once
        (none for the claim and status columns)."""
        if not index.isValid() or self._comparison is None:
            return []
        fact = self.fact(index.row())
        col = index.column() - FIRST_SOURCE_COL
        if fact is None or not 0 <= col < len(self._comparison.articles):
            return []
        article_id = self._comparison.articles[col].id
        return [c for c in fact.cells if c.article == article_id]

    def span_at(self, index: AnyIndex) -> Span | None:
        spans = self.spans_at(index)
        return spans[0] if spans else None

    @staticmethod
    def cell_text(span: Span) -> str:
        """What a source says: the figure as it wrote it, else its passage."""
        return span.value if isinstance(span.value, str) and span.value else span.text

    # Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._facts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        n = len(self._comparison.articles) if self._comparison else 0
        return FIRST_SOURCE_COL + n

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._facts):
                return str(section + 1)
            return None
        if not 0 <= section < self.columnCount():
            return None
        if section == CLAIM_COL:
            return "Claim" if role == Qt.ItemDataRole.DisplayRole else None
        if section == STATUS_COL:
            return "Agreement" if role == Qt.ItemDataRole.DisplayRole else None
        assert self._comparison is not None
        i = section - FIRST_SOURCE_COL
        article = self._comparison.articles[i]
        if role == Qt.ItemDataRole.DisplayRole:
            return short_label(article, i)
        if role == Qt.ItemDataRole.ToolTipRole:
            return article.title or article.name
        if role == Qt.ItemDataRole.DecorationRole:
            pm = QPixmap(10, 10)
            pm.fill(article_colour(i))
            return QIcon(pm)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        fact = self.fact(index.row())
        if fact is None:
            return None
        col = index.column()
        conflict = fact.finding is not None
        if role == FACT_ID_ROLE:
            return fact.id
        if role == FINDING_ID_ROLE:
            return fact.finding
        if col == CLAIM_COL:
            if role == Qt.ItemDataRole.DisplayRole:
                return fact.label
            if role == Qt.ItemDataRole.ToolTipRole:
                what = fact.counted + (f" ({fact.event})" if fact.event else "")
                return f"What is counted: {what}"
        elif col == STATUS_COL:
            if role == Qt.ItemDataRole.DisplayRole:
                return "≠ Conflict" if conflict else "= Agree"
            if role == Qt.ItemDataRole.ForegroundRole and conflict:
                return QBrush(self._theme.conflict_line)
        else:
            spans = self.spans_at(index)
            if role == Qt.ItemDataRole.DisplayRole:
                return " / ".join(self.cell_text(s) for s in spans) if spans else "—"
            if role == Qt.ItemDataRole.ToolTipRole and spans:
                quoted = "<br>".join(f"“{_esc(s.text)}”" for s in spans)
                return f"{quoted}<br><i>Click to jump to the passage</i>"
            if role == Qt.ItemDataRole.ForegroundRole and not spans:
                return QBrush(self._theme.muted_fg)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and conflict:
            return QBrush(QColor(self._theme.conflict_bg))
        if role == Qt.ItemDataRole.FontRole and conflict and col <= STATUS_COL:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
