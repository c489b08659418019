"""Deciding on a conflict: open or resolved, which source is right, a note. Non-modal
(`open()`), so the reader can keep looking at the columns while deciding."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
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


class ConflictDialog(QDialog):
    """`sources`: (label, article sha256) for each source involved in the conflict."""

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
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        # Choosing the right source is a decision: mark it resolved unless told otherwise.
        self.right.activated.connect(
            lambda i: self.resolved_button.setChecked(True) if i > 0 else None
        )
        if current is None:
            self.open_button.setChecked(True)
        else:
            (self.resolved_button if current.status == RESOLVED else self.open_button).setChecked(
                True
            )
            i = self.right.findData(current.right) if current.right else 0
            self.right.setCurrentIndex(max(0, i))
            self.note.setPlainText(current.note)
        self.resize(480, 300)

    def values(self) -> tuple[str, str | None, str]:
        """(status, sha256 of the source judged right or None, note)."""
        status = RESOLVED if self.resolved_button.isChecked() else OPEN
        right = self.right.currentData()
        return status, (str(right) if right else None), self.note.toPlainText().strip()
