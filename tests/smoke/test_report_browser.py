"""The HTML report in a real browser: Debian's chromium, headless, offline (PARALLAX_SMOKE=1).

The report is written from the sample story, opened with every network path closed (no DNS, no
background requests), and the screenshot is checked for what a reader must see: text, the
conflict highlight colour, and the shared-passage colour.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.smoke,
    pytest.mark.skipif(
        os.environ.get("PARALLAX_SMOKE") != "1",
        reason="browser smoke tests run only with PARALLAX_SMOKE=1 (.ci/run installs chromium)",
    ),
]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_screenshot(html: Path, png: Path, profile: Path, size: str = "1200,2400") -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}",
            # Belt and braces: the report references nothing, and no name would resolve anyway.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--window-size={size}", f"--screenshot={png}", html.as_uri(),
        ],
        check=True, timeout=120, capture_output=True,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_html_report_renders_in_chromium(tmp_path: Path, qapp: object) -> None:
    from PySide6.QtGui import QColor, QImage

    report = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "app", "report", str(ROOT / "seeds"), "-o",
                    str(report), "-q"], check=True, cwd=ROOT, timeout=300)
    png = tmp_path / "report.png"
    chromium_screenshot(report, png, tmp_path / "profile")
    image = QImage(str(png))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1200, 2400)

    def near(c: QColor, target: QColor) -> bool:
        return (abs(c.red() - target.red()) + abs(c.green() - target.green())
                + abs(c.blue() - target.blue())) < 24

    conflict, shared = QColor("#fad9c4"), QColor("#e2eef9")
    counts = {"dark": 0, "conflict": 0, "shared": 0}
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            c = image.pixelColor(x, y)
            if c.value() < 90:
                counts["dark"] += 1
            elif near(c, conflict):
                counts["conflict"] += 1
            elif near(c, shared):
                counts["shared"] += 1
    assert counts["dark"] > 2000, counts  # text was drawn
    assert counts["conflict"] > 50, counts  # conflicts are highlighted
    assert counts["shared"] > 20, counts  # so are shared passages (in the legend at least)
