"""Deciding on a conflict: open or resolved, which source is right, a note. Non-modal
(`open()`), so the reader can keep looking at the columns while deciding.

Saved as you go, like annotations: `edited` is emitted at once for the status and the source,
and for the note when typing pauses; `flush()` (also run on close) sends what is pending."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.store.records import OPEN, RESOLVED, ConflictStatus

NOTE_SAVE_DELAY_MS = 400  # as the annotation note: a pause in typing this long saves it


class ConflictDialog(QDialog):
    """`sources`: (label, article sha256) for each source involved in the conflict."""

    edited = Signal()

    def __init__(
        self,
        title: str,
        sources: Sequence[tuple[str, str]],
        current: ConflictStatus | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Decide on This Conflict")
        self.setObjectName("conflictDialog")
        heading = QLabel(title)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QRadioButton("&Open: still to be checked")
        self.resolved_button = QRadioButton("&Resolved")
        group = QButtonGroup(self)
        group.addButton(self.open_button)
        group.addButton(self.resolved_button)
        states = QHBoxLayout()
        states.addWidget(self.open_button)
        states.addWidget(self.resolved_button)
        states.addStretch(1)
        self.right = QComboBox()
        self.right.setAccessibleName("Which source is right")
        self.right.addItem("Not decided / none of them", None)
        for label, sha in sources:
            self.right.addItem(label, sha)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("How you checked it, who confirmed it…")
        self.note.setAccessibleName("Note on this conflict")
        self.note.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("Status:", states)
        form.addRow("Which source is &right:", self.right)
        form.addRow("&Note:", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        saved = QLabel("Saved as you go; Edit > Undo takes a change back.")
        saved.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(saved, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addLayout(bottom)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self.flush)
        self._pending = False
        if current is None:
            self.open_button.setChecked(True)
        else:
            (self.resolved_button if current.status == RESOLVED else self.open_button).setChecked(
                True
            )
            i = self.right.findData(current.right) if current.right else 0
            self.right.setCurrentIndex(max(0, i))
            self.note.setPlainText(current.note)
            self.note.moveCursor(QTextCursor.MoveOperation.End)
        self.resize(480, 300)
        # Connected after the current decision is shown, so showing it saves nothing.
        self.right.activated.connect(self._source_chosen)
        group.buttonToggled.connect(self._status_toggled)
        self.note.textChanged.connect(self._note_typed)

    def _source_chosen(self, index: int) -> None:
        # Choosing the right source is a decision: mark it resolved unless told otherwise.
        if index > 0 and not self.resolved_button.isChecked():
            self.resolved_button.setChecked(True)  # saves, through _status_toggled
        else:
            self._save_now()

    def _status_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._save_now()

    def _note_typed(self) -> None:
        self._pending = True
        self._note_timer.start()

    def _save_now(self) -> None:
        self._pending = True
        self.flush()

    def flush(self) -> None:
        """Send the edits not yet saved (the note being typed, a choice just made)."""
        self._note_timer.stop()
        if self._pending:
            self._pending = False
            self.edited.emit()

    def done(self, result: int) -> None:
        self.flush()
        super().done(result)

    def hideEvent(self, e: QHideEvent) -> None:
        self.flush()
        super().hideEvent(e)

    def values(self) -> tuple[str, str | None, str]:
        """(status, sha256 of the source judged right or None, note)."""
        status = RESOLVED if self.resolved_button.isChecked() else OPEN
        right = self.right.currentData()
        return status, (str(right) if right else None), self.note.toPlainText().strip()
