"""The packaged app, run as a user would run it: the frozen bundle in dist/ and the Linux packages.

Runs only with PARALLAX_SMOKE=1 and a built bundle (a build takes minutes):

    python3 -m app.bootstrap build && python3 packaging/linux/package.py
    PARALLAX_SMOKE=1 .venv/bin/python -m pytest tests/smoke -q

Anything on stderr that is not an expected line fails the test: a frozen app's warnings (a
missing Qt plugin, a spaCy registry miss, a font problem) appear there first.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("PARALLAX_DIST", ROOT / "dist"))
BUNDLE = DIST / "parallax"
# On Windows the console twin of the windowed parallax.exe (build.spec), so stdout is readable.
EXE = BUNDLE / ("parallax-cli.exe" if sys.platform == "win32" else "parallax")
PACKAGES = DIST / "packages"
SEEDS = ROOT / "seeds"

pytestmark = [
    pytest.mark.smoke,
    pytest.mark.skipif(
        os.environ.get("PARALLAX_SMOKE") != "1",
        reason="frozen-bundle smoke tests run only with PARALLAX_SMOKE=1 (after a build)",
    ),
]

needs_bundle = pytest.mark.skipif(
    not EXE.is_file(),
    reason=f"no frozen bundle at {EXE}: build it with `python3 -m app.bootstrap build`",
)
needs_linux = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the packages and paths checked are Linux ones"
)


def _one(pattern: str) -> Path | None:
    found = sorted(PACKAGES.glob(pattern))
    return found[-1] if found else None


DEB = _one("parallax_*_amd64.deb")
TARBALL = _one("parallax-*-linux-x86_64.tar.gz")


def sandbox(tmp_path: Path, **extra: str) -> tuple[dict[str, str], list[Path]]:
    """An environment whose HOME, XDG folders and TMPDIR are empty folders under tmp_path."""
    names = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
             "TMPDIR")
    dirs = [tmp_path / n.lower() for n in names]
    for d in dirs:
        d.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PARALLAX_", "QT_"))}
    env.update({n: str(d) for n, d in zip(names, dirs, strict=True)})
    env.update(extra)
    return env, dirs


def unexpected(stderr: str, allowed: Sequence[str] = ()) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(re.fullmatch(p, line) for p in allowed)
    ]


def run(cmd: Sequence[str | Path], env: dict[str, str], cwd: Path,
        timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def assert_self_test_passes(exe: Path, tmp_path: Path) -> str:
    env, watched = sandbox(tmp_path)
    proc = run([exe, "--self-test"], env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert unexpected(proc.stderr) == []
    assert "(frozen)" in proc.stdout
    assert "self-test passed: 5 checks ok" in proc.stdout
    assert "(fallback)" not in proc.stdout
    for d in watched:
        assert sorted(p.name for p in d.iterdir()) == [], f"files left in {d.name}"
    return proc.stdout


@needs_bundle
def test_frozen_self_test(tmp_path: Path) -> None:
    out = assert_self_test_passes(EXE, tmp_path)
    assert str(BUNDLE / "_internal") in out  # seeds and resources came from the bundle


@needs_bundle
def test_frozen_screenshot_of_the_seeds(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    env, _ = sandbox(tmp_path, QT_QPA_PLATFORM="offscreen")
    png = tmp_path / "out.png"
    proc = run([EXE, "--screenshot", png, SEEDS], env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert unexpected(proc.stderr, [rf"wrote {re.escape(str(png))} \(1600x1000\)"]) == []
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1600, 1000)
    # A real window: many colours (text, five article colours, highlights), not a blank grab.
    colours = {image.pixel(x, y) for y in range(0, 1000, 7) for x in range(0, 1600, 7)}
    assert len(colours) > 200, len(colours)


@needs_bundle
def test_frozen_compare_json_equals_the_source_tree(tmp_path: Path) -> None:
    """Same findings frozen and from source: the bundled model and registries are complete."""
    env, _ = sandbox(tmp_path)
    frozen = run([EXE, "compare", "--json", "--quiet", SEEDS], env, cwd=ROOT)
    assert frozen.returncode == 0, frozen.stderr
    assert unexpected(frozen.stderr) == []
    source = run([sys.executable, "-m", "app", "compare", "--json", "--quiet", SEEDS],
                 dict(os.environ), cwd=ROOT)
    assert source.returncode == 0, source.stderr
    assert json.loads(frozen.stdout) == json.loads(source.stdout)


def _qt_core_loads(stderr: str) -> int:
    """How often the dynamic loader's log (LD_DEBUG=files) names Qt's core library."""
    return sum("libQt6Core" in line for line in stderr.splitlines())


@needs_bundle
@needs_linux
def test_frozen_compare_never_loads_qt(tmp_path: Path) -> None:
    """`parallax compare` (and so the window's worker, the same executable) does not load Qt:
    PyInstaller's own PySide6 hook imported QtCore at every start, which cost the frozen compare
    of the seeds about 0.6 s (its import hook slows every later import, spaCy's included).
    The window, which needs Qt, loads it: the check is the loader's own log, not a guess."""
    env, _ = sandbox(tmp_path, LD_DEBUG="files")
    cli = run([EXE, "compare", "--quiet", SEEDS], env, cwd=tmp_path)
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert "file=" in cli.stderr  # the loader's log is there to be read
    assert _qt_core_loads(cli.stderr) == 0
    (tmp_path / "window").mkdir()
    env, _ = sandbox(tmp_path / "window", QT_QPA_PLATFORM="offscreen", LD_DEBUG="files")
    png = tmp_path / "out.png"
    window = run([EXE, "--screenshot", png, SEEDS], env, cwd=tmp_path)
    assert window.returncode == 0, window.stderr[-2000:]
    assert _qt_core_loads(window.stderr) > 0


# --- Linux packages ---------------------------------------------------------------------------


def check_desktop_file(path: Path) -> configparser.SectionProxy:
    if shutil.which("desktop-file-validate"):
        proc = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.strip() == ""  # no warnings either
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    entry = parser["Desktop Entry"]
    for key in ("Type", "Name", "Exec", "Icon", "Categories"):
        assert entry.get(key), f"{path.name} has no {key}"
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"
    return entry


@pytest.fixture(scope="module")
def deb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if DEB is None:
        pytest.skip(f"no .deb in {PACKAGES}: run `python3 packaging/linux/package.py`")
    if not shutil.which("dpkg-deb"):
        pytest.skip("dpkg-deb is not installed")
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(DEB), str(root)], check=True)
    return root


@needs_linux
def test_deb_layout(deb_root: Path) -> None:
    assert DEB is not None
    exe = deb_root / "opt" / "parallax" / "parallax"
    assert os.access(exe, os.X_OK)
    assert (deb_root / "opt/parallax/_internal/seeds").is_dir()
    link = deb_root / "usr" / "bin" / "parallax"
    assert link.is_symlink()
    assert os.readlink(link) == "/opt/parallax/parallax"
    for size in (16, 48, 256, 512):
        icon = deb_root / f"usr/share/icons/hicolor/{size}x{size}/apps/parallax.png"
        assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (deb_root / "usr/share/mime/packages/parallax.xml").is_file()
    entry = check_desktop_file(deb_root / "usr/share/applications/parallax.desktop")
    assert entry["Exec"].split()[0] == "parallax"  # found through /usr/bin
    assert entry["Icon"] == "parallax"
    # Files only under /opt/parallax and /usr: nothing in /etc, /var or home folders.
    assert sorted(p.name for p in deb_root.iterdir()) == ["opt", "usr"]


@needs_linux
def test_deb_has_no_maintainer_scripts_and_declares_its_needs() -> None:
    if DEB is None:
        pytest.skip(f"no .deb in {PACKAGES}: run `python3 packaging/linux/package.py`")
    listing = subprocess.run(["dpkg-deb", "-c", str(DEB)], capture_output=True, text=True,
                             check=True).stdout
    assert " ./opt/parallax/parallax" in listing
    info = subprocess.run(["dpkg-deb", "-I", str(DEB)], capture_output=True, text=True,
                          check=True).stdout
    for script in ("preinst", "postinst", "prerm", "postrm"):
        assert f" {script}" not in info, f"{script} would run on install/remove"
    assert re.search(r"Depends: libc6 \(>= 2\.\d+\)", info)
    assert "Package: parallax" in info


@needs_linux
def test_deb_payload_runs_from_the_scratch_root(deb_root: Path, tmp_path: Path) -> None:
    assert_self_test_passes(deb_root / "opt" / "parallax" / "parallax", tmp_path)


@needs_linux
def test_tarball_installs_for_one_user_and_uninstalls_cleanly(tmp_path: Path) -> None:
    if TARBALL is None:
        pytest.skip(f"no .tar.gz in {PACKAGES}: run `python3 packaging/linux/package.py`")
    with tarfile.open(TARBALL) as tar:
        names = tar.getnames()
        top = names[0].split("/")[0]
        for expected in ("parallax", "install.sh", "INSTALL.txt", "_internal/seeds",
                         "share/applications/parallax.desktop"):
            assert f"{top}/{expected}" in names, expected
        tar.extractall(tmp_path / "unpacked", filter="tar")
    unpacked = tmp_path / "unpacked" / top
    check_desktop_file(unpacked / "share/applications/parallax.desktop")
    user = tmp_path / "user"
    user.mkdir()
    env, _ = sandbox(user)
    home = Path(env["HOME"])
    env.pop("XDG_DATA_HOME")  # the default, ~/.local/share
    proc = run(["sh", unpacked / "install.sh"], env, cwd=unpacked)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    installed = home / ".local/share/applications/parallax.desktop"
    entry = check_desktop_file(installed)
    assert entry["Exec"].split()[0] == str(home / ".local/opt/parallax/parallax")
    assert (home / ".local/share/icons/hicolor/256x256/apps/parallax.png").is_file()
    assert (home / ".local/bin/parallax").resolve() == home / ".local/opt/parallax/parallax"
    proc = run(["sh", unpacked / "install.sh", "--uninstall"], env, cwd=unpacked)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [p for p in home.rglob("*") if not p.is_dir()] == []
