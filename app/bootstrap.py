"""Set up `.venv` from the hash-pinned lock files, then run the app or the test suite.

    python3 -m app.bootstrap run [PATH...]   # set up, then open the reader (default: seeds/)
    python3 -m app.bootstrap test [PYTEST ARGS...]  # set up with test tools, then run every test
    python3 -m app.bootstrap build           # set up, then build the one-folder bundle in dist/
    python3 -m app.bootstrap package         # build, then the Linux .tar.gz and .deb

Standard library only: this runs before anything is installed. It is idempotent: a stamp in
.venv records which lock files were installed, so a second run starts at once.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQ = ROOT / "requirements"
LOCKS = {"run": "runtime.txt", "test": "dev.txt", "build": "build.txt", "package": "build.txt"}


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _say(message: str) -> None:
    print(f"[parallax setup] {message}", file=sys.stderr, flush=True)


def _check_python() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on whatever python3 is
        sys.exit(
            f"Parallax needs Python 3.11 or newer; this is {sys.version.split()[0]}. "
            "Run the command with python3.11 (or newer)."
        )


def ensure_venv(mode: str) -> Path:
    """Create .venv if needed and install the lock file for `mode` (run, test or build)."""
    _check_python()
    lock = REQ / LOCKS[mode]
    py = _venv_python()
    if not py.exists():
        _say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes())
    stamp = VENV / f".parallax-{mode}.stamp"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return py
    _say(f"installing pinned dependencies from requirements/{lock.name} (checked by sha256)")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    pip = [str(py), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--require-hashes", "--only-binary=:all:", "-r", str(lock)],
                   check=True, env=env)
    # The app itself, editable, without resolving anything again (all pinned above).
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)],
                   check=True, env=env)
    stamp.write_text(digest.hexdigest())
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in LOCKS:
        print(__doc__, file=sys.stderr)
        return 2
    mode, rest = argv[0], argv[1:]
    try:
        py = ensure_venv(mode)
    except subprocess.CalledProcessError as exc:
        _say(f"setup failed ({exc}); nothing was launched. Check the network to the package index.")
        return 1
    os.chdir(ROOT)
    if mode == "run":
        cmd = [str(py), "-m", "app", *(rest or ["seeds"])]
    elif mode == "test":
        cmd = [str(py), "-m", "pytest", *rest]
    else:
        code = subprocess.call([str(py), "-m", "PyInstaller", "--noconfirm", "build.spec"])
        if code or mode == "build":
            return code
        cmd = [str(py), "packaging/linux/package.py", *rest]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
