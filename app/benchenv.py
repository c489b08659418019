"""How the benchmarks start their fresh processes: as an installed Parallax starts.

An installed app (the .deb, the frozen bundle, a source checkout once it has run) starts from
compiled bytecode. A development shell may set PYTHONDONTWRITEBYTECODE (this machine's does),
and then every fresh process compiles the app's own modules again, about 0.15 s that no user
waits for. So the benchmarks' processes get compiled bytecode from a folder of their own
(PYTHONPYCACHEPREFIX, filled once before any timed run, removed at exit), never in the source
tree. Installed packages already ship theirs.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile

from app import paths

_prefix: str | None = None


def installed_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this environment) with the app's bytecode compiled, as installed."""
    return _with_prefix(dict(os.environ if base is None else base), _compiled())


def _with_prefix(env: dict[str, str], prefix: str) -> dict[str, str]:
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = prefix
    return env


def describe() -> str:
    return ("fresh processes start from compiled bytecode, as an installed app does"
            + (" (PYTHONDONTWRITEBYTECODE set here is not passed on)"
               if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""))


def _compiled() -> str:
    global _prefix
    if _prefix is None:
        prefix = tempfile.mkdtemp(prefix="parallax-bench-pyc-")
        atexit.register(shutil.rmtree, prefix, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "compileall", "-q", "app"], check=True,
                       stdout=subprocess.DEVNULL, cwd=paths.bundle_root(),
                       env=_with_prefix(dict(os.environ), prefix))
        _prefix = prefix
    return _prefix
