"""Help > Getting Started (a short guide, shown on first run) and Help > Keyboard Shortcuts
(every shortcut of the window, read from its actions so the list cannot go stale)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME

GUIDE_HTML = """
<h2>Getting started with Parallax</h2>
<p>Parallax shows several reports of one event side by side and marks where they agree, where
they disagree, and what only one of them says.</p>

<h3>What the colours mean</h3>
<ul>
<li><span style="background:#bcd9f2">&nbsp;Blue&nbsp;</span>: a passage several sources share;
the darker the blue, the more sources say it.</li>
<li><span style="background:#FAD9C4; text-decoration: underline wavy #D55E00">&nbsp;Orange,
wavy underline&nbsp;</span>: the sources disagree (a figure, a quote, a name or a date).</li>
<li><span style="background:#FBF5D6; text-decoration: underline dotted #B59A1E">&nbsp;Pale
yellow, dotted underline&nbsp;</span>: only this source says it.</li>
<li><i style="color:#909090">Grey italics</i>: captions, credits and adverts: not the
article's text, never compared.</li>
<li><span style="color:#0072B2; text-decoration: underline">Blue dashed underline</span>: a
figure its claimant has updated ("112, then 126"), not a conflict.</li>
<li><span style="background:#BDBDBD">&nbsp;</span>&nbsp;A grey bar in the margin: text
copied from one agency story that another article also runs: one origin, not two
confirmations (<b>View &gt; Hide Agency Copy</b> hides the bars).</li>
</ul>
<p>The Facts table says who gives each figure ("Syrian Observatory for Human Rights" under
it); an earlier figure its claimant has since updated is struck through.</p>
<p>Click a highlight to line up every source's version of it. <b>F8</b> and <b>Shift+F8</b> walk
through the findings, <b>Ctrl+F8</b> through the conflicts only. The Findings panel lists them
all; the Facts table compares the figures source by source.</p>

<h3>Annotating</h3>
<p>Select a passage in a column and press <b>Ctrl+M</b>. Type your note in the Annotations panel:
it is saved as you type, in the project file (File &gt; New Project / Open Project). Tick tags
such as <i>Verified</i> or <i>Needs source</i>, pick a highlight colour. To record what you
decided about a conflict, select it and press <b>Ctrl+Shift+M</b>. Edit &gt; Undo takes any
change back.</p>

<h3>Comparing your own articles</h3>
<p><b>File &gt; New Comparison</b> (<b>Ctrl+N</b>) and choose the articles' files (.txt, .md,
.html, .docx), or drop them on the window; <b>Ctrl+Shift+V</b> pastes an article's text.
Parallax reopens what you were working on the next time it starts; the sample story is always
in the Help and File menus.</p>
"""


class GuideDialog(QDialog):
    """Non-modal: the reader can try what it says while it is open."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("guideDialog")
        self.setWindowTitle(f"Getting Started — {APP_NAME}")
        text = QTextBrowser()
        text.setOpenExternalLinks(False)
        text.setHtml(GUIDE_HTML)
        text.setAccessibleName("Guide")
        self.text = text
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.sample_button = QPushButton("Open the &Sample Story")
        self.shortcuts_button = QPushButton("&Keyboard Shortcuts")
        buttons.addButton(self.sample_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.shortcuts_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        actions = getattr(window, "actions", {})
        if "sample" in actions:
            self.sample_button.clicked.connect(actions["sample"].trigger)
        if "shortcuts" in actions:
            self.shortcuts_button.clicked.connect(actions["shortcuts"].trigger)
        layout = QVBoxLayout(self)
        layout.addWidget(text, 1)
        layout.addWidget(buttons)
        self.resize(620, 560)

    @classmethod
    def show_for(cls, window: QMainWindow) -> GuideDialog:
        return _show_one(cls, window)  # type: ignore[return-value]


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(what it does, keys) for every action of the window that has a shortcut, in menu order
    where the action is in a menu, then the rest; each action once."""
    seen: set[int] = set()
    rows: list[tuple[str, str]] = []

    def add(act: QAction, where: str) -> None:
        if id(act) in seen or act.isSeparator():
            return
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()]
        keys = [k for k in keys if k]
        if not keys:
            return
        seen.add(id(act))
        name = act.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
        rows.append((f"{where}{name}", ", ".join(keys)))

    def walk(menu_actions: list[QAction], where: str) -> None:
        for act in menu_actions:
            sub = act.menu()
            if isinstance(sub, QMenu):
                title = act.text().replace("&", "")
                walk(sub.actions(), f"{where}{title} › ")
            else:
                add(act, where)

    bar = window.menuBar() if isinstance(window, QMainWindow) else None
    if bar is not None:
        walk(bar.actions(), "")
    for act in window.findChildren(QAction):
        add(act, "")
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(f"Keyboard Shortcuts — {APP_NAME}")
        rows = shortcut_rows(window)
        rows.append(("Move between the columns and panels (also Shift+F6)", "F6"))
        rows.append(("Select text in a column", "Shift+arrows (or drag)"))
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Command", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAccessibleName("Keyboard shortcuts")
        for r, (what, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(what))
            table.setItem(r, 1, QTableWidgetItem(keys))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        note = QLabel("Every command is also in the menus (Alt plus the underlined letter).")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 620)

    def rows(self) -> list[tuple[str, str]]:
        t = self.table
        return [(_text(t.item(r, 0)), _text(t.item(r, 1))) for r in range(t.rowCount())]

    @classmethod
    def show_for(cls, window: QMainWindow) -> ShortcutsDialog:
        return _show_one(cls, window)  # type: ignore[return-value]


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def _show_one(cls: type[GuideDialog] | type[ShortcutsDialog], window: QMainWindow) -> QDialog:
    """One dialog of a kind per window, raised when asked for again."""
    existing = window.findChild(cls)
    dialog = existing if isinstance(existing, cls) and existing.isVisible() else None
    if dialog is None:
        if isinstance(existing, cls):
            existing.deleteLater()
        dialog = cls(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
