"""Paste an article: its text, and optionally its title and source."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class PasteDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, prefill_clipboard: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste an Article")
        self.setObjectName("pasteDialog")
        self.resize(640, 520)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Headline (optional: taken from the text when empty)")
        self.source = QLineEdit()
        self.source.setPlaceholderText("Outlet, e.g. Reuters (optional)")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Paste the article text here")
        self.text.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Source:", self.source)
        text_label = QLabel("&Text:")
        text_label.setBuddy(self.text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("&Add Article")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(text_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._update)
        if prefill_clipboard:
            clip = QGuiApplication.clipboard().text()
            if clip and len(clip.split()) >= 20:
                self.text.setPlainText(clip)
        self._update()
        self.text.setFocus()

    def _update(self) -> None:
        self.add_button.setEnabled(bool(self.text.toPlainText().strip()))

    def values(self) -> tuple[str, str | None, str | None]:
        """(text, title or None, source or None)."""
        return (
            self.text.toPlainText(),
            self.title.text().strip() or None,
            self.source.text().strip() or None,
        )
