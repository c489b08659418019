"""The Annotations dock: the list of every annotation (filters: text, tag, source) above an
editor for the selected one (note, tags, colour, re-attach, delete).

Widgets only: every change goes through the controller, which saves it and pushes an undo
command; the dock is told what to show (`show_entries`, `set_tags`, `select`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QIcon, QPixmap, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.store.records import Tag
from app.ui.annotations.models import (
    ANNOTATION_ID_ROLE,
    NOTE,
    ORPHAN_SOURCE,
    PASSAGE,
    SOURCE,
    TAGS,
    AnnotationFilter,
    AnnotationsModel,
    Entry,
    excerpt,
)

if TYPE_CHECKING:
    from app.ui.annotations.controller import ProjectController

NOTE_SAVE_DELAY_MS = 400  # a pause in typing this long saves the note
COLOURS: tuple[tuple[str, str | None], ...] = (
    ("No colour", None),
    ("Yellow", "#fff3b0"),
    ("Green", "#c8e6c9"),
    ("Red", "#ffcdd2"),
    ("Blue", "#cfe3ff"),
    ("Purple", "#e6d4f5"),
)


def swatch(colour: str | None) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(QColor(colour) if colour else QColor(0, 0, 0, 0))
    return QIcon(pix)


class AnnotationsDock(QDockWidget):
    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("annotationsDock")
        self.setMinimumWidth(260)
        self.controller = controller
        self.current_id: str | None = None
        self._loading = False
        # The note editor holds typing not yet written to the project file.
        self._note_dirty = False

        # The list and its filters.
        self.model = AnnotationsModel(self)
        self.proxy = AnnotationFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText("Filter annotations")
        self.filter_text.setClearButtonEnabled(True)
        self.filter_text.setAccessibleName("Filter annotations")
        self.filter_tag = QComboBox()
        self.filter_tag.setAccessibleName("Show annotations with tag")
        self.filter_source = QComboBox()
        self.filter_source.setAccessibleName("Show annotations from source")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Annotations")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        # Passage and note share the width; tags and source keep a narrow column each (they
        # used to take fixed widths that left the passage a few pixels: "ssa", "“…").
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(56)
        for col in (PASSAGE, NOTE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        for col in (TAGS, SOURCE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, 72)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_text, 2)
        filters.addWidget(self.filter_tag, 1)
        filters.addWidget(self.filter_source, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(6, 6, 6, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.count_label)

        # The editor for the selected annotation.
        self.passage = QLabel("Select a passage and press Ctrl+M to annotate it.")
        self.passage.setWordWrap(True)
        self.passage.setTextFormat(Qt.TextFormat.PlainText)
        self.passage.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Note: what you checked, who confirmed it…")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.tags = QListWidget()
        self.tags.setAccessibleName("Tags")
        self.tags.setMaximumHeight(110)
        self.new_tag = QLineEdit()
        self.new_tag.setPlaceholderText("New tag")
        self.new_tag.setAccessibleName("New tag")
        self.add_tag_button = QPushButton("Add &Tag")
        self.colour = QComboBox()
        self.colour.setAccessibleName("Highlight colour")
        for name, value in COLOURS:
            self.colour.addItem(swatch(value), name, value)
        self.reattach_button = QPushButton("Re-&attach to Selection")
        self.reattach_button.setToolTip(
            "Move this annotation to the passage selected in a column"
        )
        self.delete_button = QPushButton("&Delete")
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.new_tag, 1)
        tag_row.addWidget(self.add_tag_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.colour)
        buttons.addStretch(1)
        buttons.addWidget(self.reattach_button)
        buttons.addWidget(self.delete_button)
        self.editor = QWidget()
        ed = QVBoxLayout(self.editor)
        ed.setContentsMargins(6, 0, 6, 6)
        ed.addWidget(self.passage)
        ed.addWidget(self.note, 1)
        ed.addWidget(self.tags)
        ed.addLayout(tag_row)
        ed.addLayout(buttons)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.setWidget(split)

        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self.flush_note)
        self.note.textChanged.connect(self._note_typed)
        self.note.installEventFilter(self)
        self.tags.itemChanged.connect(self._tag_toggled)
        self.add_tag_button.clicked.connect(self._add_tag)
        self.new_tag.returnPressed.connect(self._add_tag)
        self.colour.activated.connect(self._colour_chosen)
        self.reattach_button.clicked.connect(lambda: self._with_current(controller.reattach))
        self.delete_button.clicked.connect(lambda: self._with_current(controller.delete))
        self.filter_text.textChanged.connect(self._filter_changed)
        self.filter_tag.currentIndexChanged.connect(self._filter_changed)
        self.filter_source.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.activated.connect(self._row_activated)
        self.table.clicked.connect(self._row_activated)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.set_tags([])
        self.load(None)

    # What to show -------------------------------------------------------------------------

    def show_entries(self, entries: Sequence[Entry], sources: Sequence[tuple[str, str]]) -> None:
        """Replace the list (keeping the current annotation) and the source filter's choices."""
        keep = self.current_id
        self._fill_combo(
            self.filter_source,
            [("All sources", None), *sources, ("Orphans (passage lost)", ORPHAN_SOURCE)],
        )
        self.model.set_entries(entries)
        if keep is not None and self.model.entry(keep) is not None:
            self.select(keep, jump=False)
        else:
            self.load(None)
        self._update_count()

    def set_tags(self, tags: Sequence[Tag]) -> None:
        self._tag_list = list(tags)
        self._fill_combo(self.filter_tag, [("All tags", None), *((t.name, t.name) for t in tags)])
        self._load_tags()

    def _fill_combo(self, combo: QComboBox, items: Sequence[tuple[str, str | None]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        try:
            combo.clear()
            for label, value in items:
                combo.addItem(label, value)
            i = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, i))
        finally:
            combo.blockSignals(False)
        if combo.currentData() != current:
            self._filter_changed()

    def select(self, annotation_id: str | None, jump: bool = False) -> None:
        """Make an annotation current in the list and the editor."""
        row = self.model.row_for(annotation_id) if annotation_id else -1
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        if row >= 0 and not index.isValid():
            # Filtered out: show everything rather than edit an invisible row.
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self._loading = True
        try:
            sm = self.table.selectionModel()
            if index.isValid():
                sm.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
            else:
                sm.clearSelection()
        finally:
            self._loading = False
        self.load(self.model.entry(annotation_id) if annotation_id else None)
        if jump and annotation_id:
            self.controller.jump_to(annotation_id)

    def clear_filters(self) -> None:
        self.filter_text.clear()
        self.filter_tag.setCurrentIndex(0)
        self.filter_source.setCurrentIndex(0)

    def load(self, entry: Entry | None) -> None:
        """Show one annotation in the editor (None: nothing selected).

        Typing not yet saved is written first, so that neither selecting another annotation
        nor a refresh of the list (a tag ticked, the comparison finishing) can drop it."""
        if self._note_dirty:
            self.flush_note()
            # The save refreshed the list: show the record as it is now, not as it was.
            entry = self.model.entry(entry.id) if entry is not None else None
        self._loading = True
        try:
            self.current_id = entry.id if entry else None
            editable = entry is not None and self.controller.writable
            for w in (self.note, self.tags, self.new_tag, self.add_tag_button, self.colour,
                      self.reattach_button, self.delete_button):
                w.setEnabled(editable)
            if entry is None:
                self.passage.setText("Select a passage and press Ctrl+M to annotate it.")
                self.note.setPlainText("")
                self.colour.setCurrentIndex(0)
            else:
                a = entry.anchored.annotation
                where = entry.source_label
                lost = (
                    "\n⚠ This passage is no longer in the article: select the right passage "
                    "and choose “Re-attach to Selection”, or delete the annotation."
                    if entry.is_orphan else ""
                )
                self.passage.setText(f"{where}: “{excerpt(a.exact, 300)}”{lost}")
                if self.note.toPlainText() != a.note:
                    self.note.setPlainText(a.note)
                    # Carry on typing at the end, not before what is already there.
                    self.note.moveCursor(QTextCursor.MoveOperation.End)
                i = self.colour.findData(a.colour) if a.colour else 0
                if i < 0:
                    self.colour.addItem(swatch(a.colour), a.colour or "", a.colour)
                    i = self.colour.count() - 1
                self.colour.setCurrentIndex(i)
            self._load_tags()
        finally:
            self._loading = False

    def _load_tags(self) -> None:
        entry = self.model.entry(self.current_id) if self.current_id else None
        on = set(entry.anchored.annotation.tags) if entry else set()
        names = [t.name for t in getattr(self, "_tag_list", [])]
        names += sorted(on - set(names))
        colours = {t.name: t.colour for t in getattr(self, "_tag_list", [])}
        was = self._loading
        self._loading = True
        try:
            self.tags.clear()
            for name in names:
                item = QListWidgetItem(swatch(colours.get(name)), name)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsSelectable
                )
                item.setCheckState(
                    Qt.CheckState.Checked if name in on else Qt.CheckState.Unchecked
                )
                self.tags.addItem(item)
        finally:
            self._loading = was

    def checked_tags(self) -> list[str]:
        return [
            self.tags.item(i).text()
            for i in range(self.tags.count())
            if self.tags.item(i).checkState() == Qt.CheckState.Checked
        ]

    def edit_new(self, annotation_id: str) -> None:
        """Show a new annotation, ready for its note."""
        window = self.parentWidget()
        show_dock = getattr(window, "show_dock", None)
        if show_dock is not None:
            show_dock(self)  # docked in its place even if a layout lost it
        else:
            self.show()
            self.raise_()
        self.select(annotation_id)
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    # Edits --------------------------------------------------------------------------------

    def _note_typed(self) -> None:
        if not self._loading and self.current_id is not None:
            self._note_dirty = True
            self._note_timer.start()

    @property
    def note_pending(self) -> bool:
        """Typing in the note editor that is not in the project file yet."""
        return self._note_dirty

    def flush_note(self) -> None:
        """Write the note being typed to the project file now.

        Runs when typing pauses (the timer), and before anything else can happen: another
        annotation selected, a tag or colour changed, focus leaving the editor, any window
        action, undo, closing the project or the window, SIGTERM. Safe to call at any time."""
        self._note_timer.stop()
        if not self._note_dirty:
            return
        self._note_dirty = False
        entry = self.model.entry(self.current_id) if self.current_id else None
        text = self.note.toPlainText()
        if entry is not None and text != entry.anchored.annotation.note:
            self.controller.update(entry.id, note=text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.flush_note()
        return False

    def hideEvent(self, e: QHideEvent) -> None:
        self.flush_note()
        super().hideEvent(e)

    def _tag_toggled(self, _item: QListWidgetItem) -> None:
        if self._loading or self.current_id is None:
            return
        # Read the ticks before the note is written: that save rebuilds the tag list.
        tags = self.checked_tags()
        self.flush_note()
        self.controller.update(self.current_id, tags=tags)

    def _add_tag(self) -> None:
        name = " ".join(self.new_tag.text().split())
        if not name or self.current_id is None:
            return
        tags = self.checked_tags()
        self.flush_note()
        if self.controller.add_tag(name):
            self.new_tag.clear()
            if name not in tags:
                self.controller.update(self.current_id, tags=[*tags, name])

    def _colour_chosen(self, index: int) -> None:
        if self._loading or self.current_id is None:
            return
        colour = self.colour.itemData(index)
        self.flush_note()
        self.controller.update(
            self.current_id, colour=colour or None, clear_colour=not colour
        )

    def _with_current(self, fn: object) -> None:
        if self.current_id is not None:
            self.flush_note()
            fn(self.current_id)  # type: ignore[operator]

    # List ---------------------------------------------------------------------------------

    def _filter_changed(self, *_args: object) -> None:
        self.proxy.set_text(self.filter_text.text())
        self.proxy.set_tag(self.filter_tag.currentData())
        self.proxy.set_source(self.filter_source.currentData())
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        orphans = sum(1 for e in self.model.entries() if e.is_orphan)
        noun = "annotation" if total == 1 else "annotations"
        text = f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}"
        if orphans:
            text += f" · {orphans} lost {'its' if orphans == 1 else 'their'} passage"
        self.count_label.setText(text)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._loading:
            return
        aid = current.data(ANNOTATION_ID_ROLE) if current.isValid() else None
        self.load(self.model.entry(aid) if aid else None)

    def _row_activated(self, index: QModelIndex) -> None:
        aid = index.data(ANNOTATION_ID_ROLE)
        if aid:
            self.controller.jump_to(aid)
