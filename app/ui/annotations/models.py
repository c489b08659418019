"""The annotation list: a table model over anchored annotations and a filter proxy
(tag, source, text). Thin adapters; the rows are the store's `Anchored` records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from app.store.records import Anchored

ANNOTATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2

PASSAGE, NOTE, TAGS, SOURCE = range(4)
HEADERS = ("Passage", "Note", "Tags", "Source")
ORPHAN_SOURCE = "__orphans__"  # article filter value: only annotations that lost their passage

Index = QModelIndex | QPersistentModelIndex


def excerpt(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Entry:
    """One row: an anchored annotation, where it is in the window and what to call its source.

    `window_article` is the window's id for the article (a0..aN) or None when the article is
    not open; `source_key` is the sha256 of the article's current text (the filter's value).
    """

    anchored: Anchored
    window_article: str | None
    source_key: str
    source_label: str

    @property
    def id(self) -> str:
        return self.anchored.annotation.id

    @property
    def is_orphan(self) -> bool:
        return self.anchored.is_orphan


class AnnotationsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._rows: dict[str, int] = {}

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._rows = {e.id: i for i, e in enumerate(self._entries)}
        self.endResetModel()

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def entry(self, annotation_id: str) -> Entry | None:
        row = self._rows.get(annotation_id)
        return None if row is None else self._entries[row]

    def row_for(self, annotation_id: str) -> int:
        return self._rows.get(annotation_id, -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e = self._entries[index.row()]
        a = e.anchored.annotation
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == PASSAGE:
                return ("⚠ " if e.is_orphan else "") + f"“{excerpt(a.exact, 70)}”"
            if col == NOTE:
                return excerpt(a.note)
            if col == TAGS:
                return ", ".join(a.tags)
            if col == SOURCE:
                return e.source_label
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if e.is_orphan:
                return (
                    "This passage is no longer in the article's text (it was edited). "
                    "Select the right passage and choose “Re-attach to selection”, or delete it."
                )
            return a.note or a.exact
        if role == Qt.ItemDataRole.FontRole and e.is_orphan and col == PASSAGE:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and e.is_orphan:
            return QColor("#B3261E")
        if role == ANNOTATION_ID_ROLE:
            return a.id
        if role == ENTRY_ROLE:
            return e
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class AnnotationFilter(QSortFilterProxyModel):
    """Rows with a tag (None: any), from a source (sha256, ORPHAN_SOURCE, or None: any) and
    containing a text (in the passage, note, tags or author; case-insensitive)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._tag: str | None = None
        self._source: str | None = None

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange()

    def set_tag(self, tag: str | None) -> None:
        self.beginFilterChange()
        self._tag = tag or None
        self.endFilterChange()

    def set_source(self, source: str | None) -> None:
        self.beginFilterChange()
        self._source = source or None
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if model is None:
            return False
        e = model.index(source_row, 0, source_parent).data(ENTRY_ROLE)
        if not isinstance(e, Entry):
            return False
        a = e.anchored.annotation
        if self._tag is not None and self._tag not in a.tags:
            return False
        if self._source == ORPHAN_SOURCE:
            if not e.is_orphan:
                return False
        elif self._source is not None and e.source_key != self._source:
            return False
        if self._text:
            hay = " ".join((a.exact, a.note, " ".join(a.tags), a.author)).casefold()
            return all(word in hay for word in self._text.split())
        return True
