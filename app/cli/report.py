"""`parallax report PATH... -o FILE.html|FILE.pdf [--project P]`: the comparison report.

The HTML is one self-contained file (styles inside, no script, nothing fetched); the PDF has
the same content, paginated by Qt. With --project, the project's annotations and conflict
decisions are included, and with no PATH the project's own articles are compared.
Exit status: 0 written, 2 nothing to compare or the output cannot be written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from app.core.articles import load_paths
from app.core.compare import compare_articles
from app.core.model import Article
from app.core.report import ReportExtras, report_html


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.html|FILE.pdf",
                        help="where to write the report (.html or .pdf)")
    parser.add_argument("--project", metavar="P.parallax",
                        help="include this project's annotations and conflict decisions")
    parser.add_argument("--title", help="the report's heading (default: the first headline)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no messages on stderr")


def run(args: argparse.Namespace, name: str) -> int:
    out = Path(args.output)
    kind = out.suffix.lower()
    if kind not in (".html", ".htm", ".pdf"):
        print(f"parallax: {out}: the report is written as .html or .pdf", file=sys.stderr)
        return 2
    project = None
    if args.project:
        from app.store.errors import ProjectError
        from app.store.project import Project

        try:
            project = Project.open(args.project, read_only=True)
        except ProjectError as exc:
            print(f"parallax: {exc}", file=sys.stderr)
            return 2
    try:
        articles: list[Article] = []
        if args.paths:
            articles, errors = load_paths(args.paths)
            for err in errors:
                print(f"parallax: skipped {err}", file=sys.stderr)
        elif project is not None:
            articles = project.articles()
        if not articles:
            print("parallax: no article could be read; nothing to report.", file=sys.stderr)
            return 2
        comparison = compare_articles(articles)
        extras = ReportExtras()
        if project is not None:
            from app.store.reportdata import report_extras

            extras = report_extras(project, comparison)
    finally:
        if project is not None:
            project.close()
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    html = report_html(comparison, extras, title=args.title, generated=generated)
    try:
        if kind == ".pdf":
            qt_html = report_html(comparison, extras, title=args.title, generated=generated,
                                  for_qt=True)
            pages = _write_pdf(qt_html, out, args.title or "Parallax report")
        else:
            _write_atomic(out, html.encode("utf-8"))
    except OSError as exc:
        print(f"parallax: {out}: cannot be written ({exc.strerror or exc})", file=sys.stderr)
        return 2
    if not args.quiet:
        what = f"{pages} pages" if kind == ".pdf" else f"{len(html) // 1024} kB"
        print(f"parallax: wrote {out} ({len(comparison.articles)} sources, "
              f"{sum(f.is_conflict for f in comparison.findings)} conflicts, {what})",
              file=sys.stderr)
    return 0


def _write_atomic(out: Path, data: bytes) -> None:
    """Write beside the target, then rename: a failed write never leaves half a report."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_pdf(html: str, out: Path, title: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window is opened
    from PySide6.QtGui import QGuiApplication

    from app.ui.report_pdf import write_report_pdf

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".pdf", dir=out.parent)
    os.close(fd)
    try:
        pages = write_report_pdf(html, tmp, title)
        if Path(tmp).stat().st_size == 0:
            raise OSError("Qt wrote an empty file")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return pages
