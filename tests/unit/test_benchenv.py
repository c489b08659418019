"""The benchmarks' fresh processes start as an installed app starts: from compiled bytecode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import paths
from app.benchenv import installed_env


def test_fresh_processes_use_compiled_bytecode_outside_the_source_tree() -> None:
    env = installed_env(dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert "PYTHONDONTWRITEBYTECODE" not in env
    prefix = Path(env["PYTHONPYCACHEPREFIX"])
    # Compiled before any timed run, for the app's own modules (in a folder of its own).
    compiled = list(prefix.rglob("compare.cpython-*.pyc"))
    assert any(p.parent.name == "core" for p in compiled), compiled
    root = paths.bundle_root()
    assert not prefix.is_relative_to(root)  # never written into the source tree
    # A process started with it loads the engine from those files, not by compiling sources.
    code = ("import sys, app.core.compare as m; "
            "print(m.__cached__); print(sys.flags.dont_write_bytecode)")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, check=True,
                         capture_output=True, text=True).stdout.split()
    assert Path(out[0]).is_relative_to(prefix), out
    assert Path(out[0]).is_file(), out
    assert out[1] == "0"
