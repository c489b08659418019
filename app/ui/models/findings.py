"""The findings panel's tree: Conflicts (Figures, Quotes, Names, Dates), Updated figures,
Disputes in one source, Agency copy, Matches, and Only in one source.

Conflicts are disagreements between outlets. One claimant's updated toll and a dispute one
article reports are figure findings too, but have their own groups (shown when there are any),
so that neither is mistaken for sources contradicting each other.

Filtering happens here rather than in a proxy so that group rows can say "3 of 21".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap

from app.core.model import (
    COPY,
    DATE,
    KINDS,
    MATCH,
    NAME,
    NUMBER,
    QUOTE,
    UNIQUE,
    Comparison,
    Finding,
)
from app.ui.attribution import (
    DISPUTES,
    UPDATES,
    Claimants,
    copy_agency,
    is_copy,
    is_dispute,
    is_update,
)
from app.ui.highlights import article_labels
from app.ui.theme import Theme, article_colour
from app.ui.widgets.chips import SOURCES_ROLE

FINDING_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2

CONFLICT_GROUPS: tuple[tuple[str, str], ...] = (
    (NUMBER, "Figures"),
    (QUOTE, "Quotes"),
    (NAME, "Names"),
    (DATE, "Dates"),
)
# Groups after the conflicts, in panel order: (key, title, shown when empty).
OTHER_GROUPS: tuple[tuple[str, str, bool], ...] = (
    (UPDATES, "Updated figures", False),
    (DISPUTES, "Disputes in one source", False),
    (COPY, "Agency copy", False),
    (MATCH, "Matches", True),
    (UNIQUE, "Only in one source", True),
)
SEVERITY_WORDS = {
    "contradiction": "contradicts",
    "discrepancy": "differs",
    "variant": "variant",
    "update": "updated by the same claimant",
    "dispute": "a dispute the source reports",
}

AnyIndex = QModelIndex | QPersistentModelIndex


class _Node:
    __slots__ = ("children", "finding", "key", "parent", "row", "sources", "title", "total")

    def __init__(
        self,
        key: str,
        title: str,
        parent: _Node | None = None,
        finding: Finding | None = None,
    ) -> None:
        self.key = key
        self.title = title
        self.parent = parent
        self.finding = finding
        self.children: list[_Node] = []
        self.row = 0
        self.total = 0  # findings in this group before filtering
        # The source column's text and chips, made when first painted (nodes are rebuilt
        # whenever the articles' labels change).
        self.sources: tuple[str, list[tuple[int, QColor, str]]] | None = None

    def add(self, child: _Node) -> _Node:
        child.parent = self
        child.row = len(self.children)
        self.children.append(child)
        return child

    def shown(self) -> int:
        if self.finding is not None:
            return 1
        return sum(c.shown() for c in self.children)


def excerpt(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def finding_text(f: Finding) -> str:
    """One line for the panel: the engine's label for conflicts, updates, disputes and agency
    copy, the passage for matches and passages only one source has."""
    if f.is_conflict or is_copy(f):
        return f.label
    return f"“{excerpt(f.spans[0].text)}”" if f.spans else f.label


def group_of(f: Finding) -> str:
    """The panel group a finding is listed in (a conflict kind: a subgroup of Conflicts)."""
    if is_update(f):
        return UPDATES
    if is_dispute(f):
        return DISPUTES
    return f.kind


def _swatch(colour: QColor, underline: QColor | None = None, dashed: bool = False,
            bar: QColor | None = None) -> QIcon:
    from PySide6.QtGui import QPainter, QPen

    pm = QPixmap(12, 12)
    pm.fill(colour)
    p = QPainter(pm)
    if underline is not None:
        pen = QPen(underline, 2)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(0, 11, 12, 11)
    if bar is not None:
        p.fillRect(0, 0, 3, 12, bar)
    p.end()
    return QIcon(pm)


# The roles `data` answers.
_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.FontRole, Qt.ItemDataRole.AccessibleTextRole, SOURCES_ROLE,
    FINDING_ID_ROLE, KIND_ROLE,
})


class FindingsModel(QAbstractItemModel):
    COLUMNS = ("Finding", "Sources")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._comparison: Comparison | None = None
        self._filter = ""
        self._labels: dict[str, str] = {}
        self._numbers: dict[str, int] = {}
        self._theme = Theme.for_mode(False)
        self._claimants = Claimants()
        self._root = _Node("root", "")
        self._by_id: dict[str, _Node] = {}
        self._kind_totals: dict[str, int] = {}
        self._icons: dict[str, QIcon] = {}
        self._rebuild()

    # Public API ----------------------------------------------------------------------------

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self._comparison = comparison
        self._labels = article_labels(comparison.articles) if comparison else {}
        self._numbers = {a.id: i for i, a in enumerate(comparison.articles)} if comparison else {}
        self._claimants = Claimants.of(comparison)
        self._rebuild()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        text = text.strip().casefold()
        if text == self._filter:
            return
        self.beginResetModel()
        self._filter = text
        self._rebuild()
        self.endResetModel()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._icons.clear()
        if self._root.children:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._root.children) - 1, 0)
            )

    @property
    def filter_text(self) -> str:
        return self._filter

    def group_counts(self) -> dict[str, int]:
        """Findings per kind as the panel lists them (before filtering), for every kind
        (updated figures and disputes are counted with their kind, figures)."""
        out = dict.fromkeys(KINDS, 0)
        out.update(self._kind_totals)
        return out

    def group_totals(self) -> dict[str, int]:
        """Findings per top-level group shown ("conflicts", "update", "dispute", "copy",
        "match", "unique"), before filtering."""
        return {g.key: g.total for g in self._root.children}

    def group_title(self, key: str) -> str | None:
        """The text of a top-level group's row ("Agency copy (1)"), None when not shown."""
        node = next((g for g in self._root.children if g.key == key), None)
        return self.data(self.createIndex(node.row, 0, node)) if node is not None else None

    def visible_findings(self) -> list[Finding]:
        """Findings in panel order, as filtered: the order F8 walks."""
        out: list[Finding] = []

        def walk(node: _Node) -> None:
            if node.finding is not None:
                out.append(node.finding)
            for c in node.children:
                walk(c)

        walk(self._root)
        return out

    def index_for_finding(self, finding_id: str) -> QModelIndex:
        node = self._by_id.get(finding_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def finding_at(self, index: AnyIndex) -> Finding | None:
        node = self._node(index)
        return node.finding if node is not None else None

    # Building ------------------------------------------------------------------------------

    def _matches_filter(self, f: Finding) -> bool:
        if not self._filter:
            return True
        hay = [f.label, f.kind, *(s.text for s in f.spans)]
        hay += [self._labels.get(a, a) for a in f.articles]
        hay += [s.claimant.get("text", "") for s in f.spans if s.claimant]
        return any(self._filter in h.casefold() for h in hay)

    def _rebuild(self) -> None:
        root = _Node("root", "")
        self._by_id = {}
        conflicts = root.add(_Node("conflicts", "Conflicts"))
        subs = {kind: conflicts.add(_Node(kind, title)) for kind, title in CONFLICT_GROUPS}
        findings = self._comparison.findings if self._comparison else ()
        present = {group_of(f) for f in findings}
        others = {key: _Node(key, title) for key, title, always in OTHER_GROUPS
                  if always or key in present}
        for node in others.values():
            root.add(node)
        groups = {**others, **subs}
        self._kind_totals = {}
        for f in findings:
            group = groups.get(group_of(f))
            if group is None:
                continue
            group.total += 1
            self._kind_totals[f.kind] = self._kind_totals.get(f.kind, 0) + 1
            if group in subs.values():
                conflicts.total += 1
            if self._matches_filter(f):
                self._by_id[f.id] = group.add(_Node(f.id, finding_text(f), finding=f))
        self._root = root

    # Qt model ------------------------------------------------------------------------------

    def _node(self, index: AnyIndex) -> _Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, _Node) else None

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(self.COLUMNS) or row < 0:
            return QModelIndex()
        node = self._node(parent) if parent.isValid() else self._root
        if node is None or row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self._node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            if parent.column() != 0:
                return 0
            node = self._node(parent)
            return len(node.children) if node is not None else 0
        return len(self._root.children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:
            return None  # (a view asks each cell for every role it paints; most are unused)
        node = self._node(index)
        if node is None:
            return None
        col = index.column()
        f = node.finding
        if role == Qt.ItemDataRole.DisplayRole:
            if f is None:
                if col != 0:
                    return None
                shown = node.shown()
                count = f"{shown} of {node.total}" if self._filter else f"{node.total}"
                return f"{node.title} ({count})"
            if col == 0:
                return node.title  # finding_text(f), made when the node was
            return self._sources(node)[0]
        if role == Qt.ItemDataRole.ToolTipRole and f is not None and col == 1:
            return self._sources(node)[0]
        if role == Qt.ItemDataRole.ToolTipRole and f is not None:
            return self._tooltip(f)
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._icon(node)
        if role == Qt.ItemDataRole.FontRole and f is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole and f is not None and col == 0:
            what = {UPDATES: "updated figure", DISPUTES: "dispute in one source",
                    COPY: "agency copy"}.get(group_of(f), f.kind)
            return f"{what}: {finding_text(f)}"
        if role == SOURCES_ROLE and f is not None and col == 1:
            return self._sources(node)[1]
        if role == FINDING_ID_ROLE:
            return f.id if f is not None else None
        if role == KIND_ROLE:
            return f.kind if f is not None else node.key
        return None

    def _sources(self, node: _Node) -> tuple[str, list[tuple[int, QColor, str]]]:
        """A finding's sources: their names, and (number, colour, name) for the chips."""
        if node.sources is None:
            f = node.finding
            articles = f.articles if f is not None else ()
            node.sources = (
                ", ".join(self._labels.get(a, a) for a in articles),
                [(self._numbers.get(a, 0) + 1, article_colour(self._numbers.get(a, 0)),
                  self._labels.get(a, a)) for a in articles],
            )
        return node.sources

    def _tooltip(self, f: Finding) -> str:
        label = self._labels
        if is_copy(f):
            agency = copy_agency(f)
            head = f"Agency copy{f' ({_esc(agency)})' if agency else ''}"
            rows = []
            for a in f.articles:
                spans = [s for s in f.spans if s.article == a]
                chars = sum(s.end - s.start for s in spans)
                rows.append(f"<b>{_esc(label.get(a, a))}</b>: {len(spans)} shared "
                            f"stretch{'es' if len(spans) != 1 else ''}, {chars:,} characters")
            return (f"<p><i>{head}</i></p><p>{_esc(f.label)}</p>" + "<br>".join(rows)
                    + "<p>One text republished: not an independent confirmation.</p>")
        lines = []
        for s in f.spans:
            who = self._claimants.according_to(s)
            notes = [n for n in (who, "earlier figure, since updated" if s.superseded else None)
                     if n]
            note = f" <i>({_esc('; '.join(notes))})</i>" if notes else ""
            lines.append(f"<b>{_esc(label.get(s.article, s.article))}</b>: "
                         f"{_esc(excerpt(s.text, 300))}{note}")
        head = f.kind.capitalize()
        if f.severity:
            head += f" ({SEVERITY_WORDS.get(f.severity, f.severity)})"
        return f"<p><i>{head}</i></p>" + "<br>".join(lines)

    def _icon(self, node: _Node) -> QIcon | None:
        key = group_of(node.finding) if node.finding is not None else node.key
        if node.finding is None and node.parent is not self._root:
            return None  # conflict subgroups: their findings carry the icon
        if key in self._icons:
            return self._icons[key]
        t = self._theme
        if key == MATCH:
            icon = _swatch(t.heat_hi)
        elif key == UNIQUE:
            icon = _swatch(t.unique_bg, t.unique_line)
        elif key == UPDATES:
            icon = _swatch(QColor(Qt.GlobalColor.transparent), t.update_line, dashed=True)
        elif key == DISPUTES:
            icon = _swatch(QColor(Qt.GlobalColor.transparent), t.conflict_line, dashed=True)
        elif key == COPY:
            icon = _swatch(QColor(Qt.GlobalColor.transparent), bar=t.copy_bar)
        else:
            icon = _swatch(t.conflict_bg, t.conflict_line)
        self._icons[key] = icon
        return icon


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
