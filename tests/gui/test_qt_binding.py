"""The Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops one reference to None on every Qt call that returns nothing;
after a few thousand calls (a reading session, a test run) Python aborts with "none_dealloc".
Python 3.12+ hides the bug (None is immortal there), so this checks the count itself.
"""

from __future__ import annotations

import os
import subprocess
import sys

CHECK = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(20000):
    label.setText("x")
    label.update()
after = sys.getrefcount(None)
print(after - before)
"""


def test_void_qt_calls_keep_none_alive() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # A healthy binding leaves None's count where it was (give or take interpreter noise);
    # the broken one loses 40,000 here.
    assert abs(int(proc.stdout.strip().splitlines()[-1])) < 100
