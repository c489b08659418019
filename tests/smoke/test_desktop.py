"""The installed app on a real X desktop, driven as a person drives it (issue 13).

Debian's Xvfb with the openbox window manager, at 1600x1000 and at 1366x768; the `parallax`
the .deb installed (`apt-get install ./dist/packages/parallax_*.deb`), typed at and clicked
with xdotool: first start (sample story, guide), File > Open Articles on the reader's own files
(a new comparison), F8, a passage selected with the mouse, Ctrl+M, a note typed, a pause; the
note must be in the project file. Quit, relaunch: the same project comes back with the note.
Then a note typed and SIGTERM at once: written, no worker left. The window must fit the
screen (status bar included) at both sizes. Screenshots of every step are kept in
dist/smoke-screens/ (PARALLAX_SMOKE_SCREENS) for a person to look at.

Runs with PARALLAX_SMOKE=1. `.ci/run` installs the tools and the package and sets
PARALLAX_SMOKE_DESKTOP=1, which turns a missing tool or package into a failure, not a skip.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import __version__
from tests.gold import ROOT, SEEDS
from tests.procs import alive, children, cmdline

DIST = Path(os.environ.get("PARALLAX_DIST", ROOT / "dist"))
SCREENS = Path(os.environ.get("PARALLAX_SMOKE_SCREENS", DIST / "smoke-screens"))
EXE = os.environ.get("PARALLAX_SMOKE_EXE") or shutil.which("parallax") or "/usr/bin/parallax"
TOOLS = ("Xvfb", "openbox", "xdotool", "xwininfo", "import")
REQUIRED = os.environ.get("PARALLAX_SMOKE_DESKTOP") == "1"
SIZES = [(1600, 1000), (1366, 768)]
NOTE = "Checked with the ministry"
TERM_NOTE = "typed right before logout"

pytestmark = [
    pytest.mark.smoke,
    pytest.mark.skipif(os.environ.get("PARALLAX_SMOKE") != "1",
                       reason="desktop smoke tests run only with PARALLAX_SMOKE=1"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 desktop on Linux"),
]


def _missing() -> list[str]:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not Path(EXE).is_file():
        missing.append(f"the installed app ({EXE})")
    return missing


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    missing = _missing()
    if missing:
        why = (f"missing {', '.join(missing)}: apt-get install xvfb openbox xdotool x11-utils "
               "imagemagick ./dist/packages/parallax_*.deb")
        if REQUIRED:
            pytest.fail(why)
        pytest.skip(why)


class Desktop:
    """One Xvfb screen with openbox, and an empty home for the app."""

    def __init__(self, width: int, height: int, home: Path, shots: Path) -> None:
        self.width, self.height = width, height
        self.shots = shots
        self.log = (home / "x.log").open("w")
        r, w = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", f"{width}x{height}x24",
             "-nolisten", "tcp"], pass_fds=(w,), stdout=self.log, stderr=self.log)
        os.close(w)
        number = b""
        deadline = time.monotonic() + 30
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([r], [], [], 1)
            if ready:
                chunk = os.read(r, 16)
                if not chunk:
                    break
                number += chunk
        os.close(r)
        assert number.strip(), "Xvfb did not start"
        self.display = f":{number.strip().decode()}"
        names = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
                 "TMPDIR")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("XDG_", "PARALLAX_", "QT_", "WAYLAND_"))}
        for n in names:
            (home / n.lower()).mkdir()
            self.env[n] = str(home / n.lower())
        self.env["DISPLAY"] = self.display
        self.data = home / "xdg_data_home" / "parallax"
        self.openbox = subprocess.Popen(["openbox"], env=self.env, stdout=self.log,
                                        stderr=self.log)
        self.until(lambda: self.xdo("get_desktop", check=False).returncode == 0, 20,
                   "openbox did not start")
        self.app: subprocess.Popen[str] | None = None
        self.step = 0

    # Plumbing ------------------------------------------------------------------------------

    def xdo(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True,
                              check=check, timeout=60)

    def until(self, ok, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ok():
                return
            time.sleep(0.2)
        self.shot(f"FAILED-{what.replace(' ', '-')[:40]}")
        raise AssertionError(f"{what} (after {seconds} s; screenshots in {self.shots})")

    def shot(self, name: str) -> Path:
        """A screenshot of the whole screen, kept for review."""
        self.step += 1
        path = self.shots / f"{self.width}x{self.height}-{self.step:02d}-{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env,
                       capture_output=True, timeout=60, check=True)
        return path

    def cli(self, *args: str) -> str:
        proc = subprocess.run([EXE, *args], env=self.env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    def close(self) -> None:
        if self.app is not None and self.app.poll() is None:
            self.app.kill()
            self.app.wait(10)
        for p in (self.openbox, self.xvfb):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.log.close()

    # The app -------------------------------------------------------------------------------

    def launch(self) -> subprocess.Popen[str]:
        self.app = subprocess.Popen([EXE], env=self.env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        self.until(lambda: self.main_window() is not None, 60, "the window did not appear")
        return self.app

    def windows(self) -> dict[str, str]:
        """Visible windows of the app: id -> title."""
        assert self.app is not None
        found = self.xdo("search", "--onlyvisible", "--pid", str(self.app.pid), check=False)
        out = {}
        for wid in found.stdout.split():
            name = self.xdo("getwindowname", wid, check=False).stdout.strip()
            if name:
                out[wid] = name
        return out

    def window_named(self, start: str) -> str | None:
        return next((w for w, n in self.windows().items() if n.startswith(start)), None)

    def main_window(self) -> str | None:
        dialogs = ("Getting Started", "Keyboard Shortcuts", "Open Articles", "Open Project")
        return next((w for w, n in self.windows().items()
                     if n.endswith("Parallax") and not n.startswith(dialogs)), None)

    def title(self) -> str:
        wid = self.main_window()
        return self.windows().get(wid or "", "")

    def activate(self) -> str:
        wid = self.main_window()
        assert wid is not None
        self.xdo("windowactivate", "--sync", wid, check=False)
        return wid

    def geometry(self, wid: str) -> tuple[int, int, int, int]:
        """The window's client area on the screen: x, y, width, height. From xwininfo:
        `xdotool getwindowgeometry` counts a reparenting window manager's title bar twice."""
        out = subprocess.run(["xwininfo", "-id", wid], env=self.env, capture_output=True,
                             text=True, timeout=60, check=True).stdout
        v = {}
        for line in out.splitlines():
            key, _, value = line.strip().partition(":")
            v[key] = value.strip()
        return (int(v["Absolute upper-left X"]), int(v["Absolute upper-left Y"]),
                int(v["Width"]), int(v["Height"]))

    def highlighted(self) -> float:
        """Share of the article area painted in comparison colours (0 before a comparison
        is shown)."""
        from PySide6.QtGui import QImage

        path = self.shots / ".probe.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env,
                       capture_output=True, timeout=60, check=True)
        image = QImage(str(path))
        path.unlink()
        hits = total = 0
        for y in range(int(self.height * 0.2), int(self.height * 0.6), 5):
            for x in range(int(self.width * 0.3), int(self.width * 0.95), 5):
                c = image.pixelColor(x, y)
                r, g, b = c.red(), c.green(), c.blue()
                total += 1
                blue = b >= 200 and b - r >= 18 and g >= r  # the agreement shades
                conflict = abs(r - 0xFA) + abs(g - 0xD9) + abs(b - 0xC4) < 18
                unique = abs(r - 0xFB) + abs(g - 0xF5) + abs(b - 0xD6) < 12
                hits += blue or conflict or unique
        return hits / max(1, total)

    def wait_compared(self, what: str) -> None:
        self.until(lambda: self.highlighted() > 0.04, 120, f"{what}: no comparison shown")

    def assert_fits(self, name: str) -> None:
        """The whole window, status bar included, inside the screen."""
        wid = self.main_window()
        assert wid is not None
        x, y, w, h = self.geometry(wid)
        assert x >= 0, (name, x)
        assert y >= 0, (name, y)
        assert x + w <= self.width, (name, x, w, self.width)
        assert y + h <= self.height, (name, y, h, self.height, "status bar below the edge")

    def select_passage(self, dy: float = 0.0) -> None:
        """Press in the first column's text and shift-click a little further on."""
        wid = self.activate()
        x, y, w, h = self.geometry(wid)
        x0, y0 = x + int(w * 0.34), y + int(h * (0.42 + dy))
        self.xdo("mousemove", str(x0), str(y0), "click", "1")
        self.xdo("keydown", "shift")
        self.xdo("mousemove", str(x0 + 150), str(y0 + 40), "click", "1")
        self.xdo("keyup", "shift")

    def project(self) -> Path:
        found = sorted(self.data.glob("Untitled-*.parallax"))
        assert len(found) == 1, found
        return found[0]

    def notes(self) -> str:
        return self.cli("annotations", "list", str(self.project()))


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def desktop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desktop]:
    SCREENS.mkdir(parents=True, exist_ok=True)
    width, height = request.param
    for old in SCREENS.glob(f"{width}x{height}-*.png"):
        old.unlink()
    d = Desktop(width, height, tmp_path, SCREENS)
    try:
        yield d
    finally:
        d.close()


def test_installed_app_is_this_build() -> None:
    proc = subprocess.run([EXE, "--version"], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == f"Parallax {__version__}", proc.stdout + proc.stderr


def test_a_journalists_afternoon(desktop: Desktop, tmp_path: Path) -> None:
    d = desktop
    story = tmp_path / "my story"
    story.mkdir()
    mine = sorted(SEEDS.glob("*.txt"))[2:5]
    for f in mine:
        shutil.copy(f, story / f.name)

    # First start: the sample story and the guide, the window inside the screen.
    d.launch()
    d.until(lambda: d.window_named("Getting Started") is not None, 30, "no guide on first run")
    time.sleep(3)
    d.shot("first-run-guide")
    d.xdo("windowactivate", "--sync", d.window_named("Getting Started") or "", check=False)
    d.xdo("key", "Escape")
    d.until(lambda: d.window_named("Getting Started") is None, 10, "guide did not close")
    d.wait_compared("sample story")
    d.shot("sample-story")
    d.assert_fits("first run")
    sample_title = d.title()

    # File > Open Articles on the reader's own folder: asked, a new comparison.
    d.activate()
    d.xdo("key", "ctrl+o")
    d.until(lambda: d.window_named("Open Articles") is not None, 20, "no file dialog")
    dialog = d.window_named("Open Articles")
    d.xdo("type", "--delay", "20", f"{story}/")
    d.xdo("key", "Return")
    time.sleep(1.0)
    d.xdo("type", "--delay", "20", " ".join(f'"{f.name}"' for f in mine))
    d.shot("file-dialog")
    d.xdo("key", "Return")
    d.until(lambda: (w := d.window_named("Open Articles")) is not None and w != dialog, 20,
            "no add-or-new question")
    d.shot("add-or-new")
    d.xdo("key", "Return")  # the default: New Comparison
    d.until(lambda: d.title() not in ("", sample_title), 30, "the story did not change")
    d.wait_compared("own files")
    d.shot("own-files")

    # F8, select a passage, Ctrl+M, type a note, stop.
    d.activate()
    d.xdo("key", "F8")
    time.sleep(0.7)
    d.shot("f8")
    d.select_passage()
    d.xdo("key", "ctrl+m")
    time.sleep(1.0)
    d.xdo("type", "--delay", "40", NOTE)
    time.sleep(2.0)  # a pause, and nothing else
    d.shot("note-typed")
    assert NOTE in d.notes()

    # Quit (Ctrl+Q) and come back: the same project, the note still there.
    pid = d.app.pid  # type: ignore[union-attr]
    workers = children(pid)
    d.activate()
    d.xdo("key", "ctrl+q")
    assert d.app is not None
    assert d.app.wait(30) == 0, d.app.communicate()
    d.until(lambda: not any(alive(p) for p in workers), 10, "workers left after quit")
    d.launch()
    d.until(lambda: "Untitled-" in d.title(), 30, "the last project was not reopened")
    d.wait_compared("relaunch")
    assert d.window_named("Getting Started") is None  # the guide only on the first start
    d.shot("relaunched")
    d.assert_fits("relaunch")
    assert NOTE in d.notes()

    # A note typed, then SIGTERM at once (logout): written, nothing left running.
    d.select_passage(dy=0.12)
    d.xdo("key", "ctrl+m")
    time.sleep(1.0)
    workers = children(d.app.pid)  # type: ignore[union-attr]
    assert any("multiprocessing" in cmdline(p) or "parallax" in cmdline(p) for p in workers)
    d.xdo("type", "--delay", "20", TERM_NOTE)
    d.shot("before-sigterm")
    d.app.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
    assert d.app.wait(30) == 0  # type: ignore[union-attr]
    _out, err = d.app.communicate()  # type: ignore[union-attr]
    assert "SIGTERM received" in err
    d.until(lambda: not any(alive(p) for p in workers), 10, "workers left after SIGTERM")
    notes = d.notes()
    assert NOTE in notes
    assert TERM_NOTE in notes

    # --self-test on this display: the real platform, a window shown.
    out = d.cli("--self-test")
    assert "platform xcb" in out
    assert "self-test passed" in out

