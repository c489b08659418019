"""Processes as /proc shows them (Linux): children of a process, alive or not, command lines.
Shared by the shutdown tests and the desktop smoke test."""

from __future__ import annotations

import subprocess
from pathlib import Path

HAVE_PROC = Path("/proc/self/stat").exists()


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    s = _stat(pid)
    return s is not None and s[0] not in ("Z", "X")  # a zombie has exited


def children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            s = _stat(int(entry.name))
            if s is not None and s[1] == pid and s[0] not in ("Z", "X"):
                out.add(int(entry.name))
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def signal_and_wait(proc: subprocess.Popen[str], signum: int,
                    timeout: float = 30) -> tuple[str, str]:
    """Send `signum` and wait for the process to end: its (stdout, stderr). Killed if it is
    still there after `timeout` seconds (the test then fails on its exit status)."""
    try:
        proc.send_signal(signum)
        return proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
