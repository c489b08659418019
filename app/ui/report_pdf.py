"""The comparison report as a paginated PDF, drawn by Qt from the report's own HTML.

Qt's rich text draws a subset of CSS: colours, bold, italics and underlines come through, so
conflicts stay bold and underlined and furniture grey and italic on paper; wavy and dotted
underline styles are drawn as plain underlines. Each source starts on a new page. Runs in any
thread (QTextDocument and QPdfWriter need no widgets), so the window writes it off the GUI
thread; a QGuiApplication must exist for fonts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument


def write_report_pdf(html: str, path: str | Path, title: str = "Parallax report") -> int:
    """Write the PDF; returns the number of pages."""
    doc = QTextDocument()
    font = QFont("DejaVu Serif")
    font.setPointSizeF(10)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)  # the page margins are the writer's
    doc.setHtml(html)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Parallax")
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    # QTextDocument.print_ adds its own 2 cm margin around the text (and the page number).
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    doc.print_(writer)
    del writer  # closes the file
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


__all__ = ["write_report_pdf"]
