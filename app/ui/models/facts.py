"""The facts table: one row per compared claim, one column per source, conflicts marked.

Each cell names who gives the figure ("— Syrian Observatory for Human Rights", drawn on a second
line by the table's delegate) and marks a toll its claimant has since updated as earlier.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap

from app.core.model import Comparison, Fact, Finding, Span
from app.ui.attribution import Claimants, Said, cell_claims, cell_text, is_conflict, is_update
from app.ui.highlights import short_label
from app.ui.theme import Theme, article_colour

FACT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FINDING_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# A source's cell: list[Said] (figure, claimant, superseded), for the delegate that draws it.
SAID_ROLE = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex

# Fixed columns before the per-source ones.
CLAIM_COL = 0
STATUS_COL = 1
FIRST_SOURCE_COL = 2


# The roles `data` answers.
_ROLES = frozenset({
    FACT_ID_ROLE, FINDING_ID_ROLE, SAID_ROLE, Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole,
})


class FactsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._comparison: Comparison | None = None
        self._facts: tuple[Fact, ...] = ()
        self._findings: dict[str, Finding] = {}
        self._claimants = Claimants()
        self._said: dict[tuple[int, int], list[Said]] = {}
        self._theme = Theme.for_mode(False)

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self._comparison = comparison
        self._facts = comparison.facts if comparison else ()
        self._findings = {f.id: f for f in comparison.findings} if comparison else {}
        self._claimants = Claimants.of(comparison)
        self._said = {}
        self.endResetModel()

    def has_claimants(self) -> bool:
        """Some cell names who gives its figure (the table then shows two lines a row)."""
        return any(c.claimant for fact in self._facts for c in fact.cells) or any(
            s.claimant for fact in self._facts if fact.finding
            for s in self._findings[fact.finding].spans if fact.finding in self._findings)

    def finding_of(self, fact: Fact) -> Finding | None:
        return self._findings.get(fact.finding) if fact.finding else None

    def said_at(self, index: AnyIndex) -> list[Said]:
        """What the source of a cell says in that row: each figure with its claimant."""
        if not index.isValid() or self._comparison is None:
            return []
        key = (index.row(), index.column())
        if key not in self._said:
            fact = self.fact(index.row())
            col = index.column() - FIRST_SOURCE_COL
            if fact is None or not 0 <= col < len(self._comparison.articles):
                return []
            article_id = self._comparison.articles[col].id
            self._said[key] = cell_claims(fact, article_id, self.finding_of(fact),
                                          self._claimants)
        return self._said[key]

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
        if role not in _ROLES or not index.isValid():
            return None  # (a view asks each cell for every role it paints; some are unused)
        fact = self.fact(index.row())
        if fact is None:
            return None
        col = index.column()
        finding = self.finding_of(fact)
        # Sources disagree; one claimant's updated toll is shown, but not as a conflict.
        conflict = is_conflict(finding) if finding is not None else fact.finding is not None
        updated = finding is not None and is_update(finding)
        if role == FACT_ID_ROLE:
            return fact.id
        if role == FINDING_ID_ROLE:
            return fact.finding
        if col == CLAIM_COL:
            if role == Qt.ItemDataRole.DisplayRole:
                return fact.label
            if role == Qt.ItemDataRole.ToolTipRole:
                what = fact.counted + (f" ({fact.event})" if fact.event else "")
                tip = f"What is counted: {_esc(what)}"
                if finding is not None:
                    tip += f"<br>{_esc(finding.label)}"
                return tip
        elif col == STATUS_COL:
            if role == Qt.ItemDataRole.DisplayRole:
                return "≠ Conflict" if conflict else "↻ Updated" if updated else "= Agree"
            if role == Qt.ItemDataRole.ToolTipRole and updated:
                return ("One claimant gave a figure, then a later one: an update, not sources "
                        "disagreeing. The earlier figure is struck through.")
            if role == Qt.ItemDataRole.ForegroundRole and conflict:
                return QBrush(self._theme.conflict_line)
            if role == Qt.ItemDataRole.ForegroundRole and updated:
                return QBrush(self._theme.update_line)
        else:
            spans = self.spans_at(index)
            if role == Qt.ItemDataRole.DisplayRole:
                return cell_text(self.said_at(index)) if spans else "—"
            if role == SAID_ROLE:
                return self.said_at(index)
            if role == Qt.ItemDataRole.ToolTipRole and spans:
                return self._cell_tooltip(self.said_at(index))
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

    @staticmethod
    def _cell_tooltip(said: list[Said]) -> str:
        rows = []
        for s in said:
            row = f"“{_esc(s.span.text)}”"
            if s.according_to:
                row += f" — {_esc(s.according_to)}"
            if s.superseded:
                row = (f"<s>{row}</s> <i>(earlier: the same claimant has since given another "
                       "figure)</i>")
            elif s.claimant is None:
                row += " <i>(the outlet's own figure, no source named)</i>"
            rows.append(row)
        return "<br>".join(rows) + "<br><i>Click to jump to the passage</i>"


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
