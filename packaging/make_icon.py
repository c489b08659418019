"""Draw the Parallax app icon and write it in every format the installers need.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py

writes resources/icons/parallax.png (256 px, the window icon), parallax-{16..512}.png (the Linux
hicolor sizes), parallax.ico (Windows: PNG-compressed entries, Vista and later) and parallax.icns
(macOS). The outputs are committed; run this again only to change the design.

The design: two offset pages side by side - the same story seen from two sources - with a shared
passage highlighted on both and one conflicting line in the second.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns element types holding PNG data, by pixel size.
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09",
              1024: b"ic10"}

BACKGROUND = QColor("#1f3a5f")
PAGE = QColor("#f7f4ec")
TEXT = QColor("#9aa3ad")
MATCH = QColor("#f2c14e")
CONFLICT = QColor("#d1495b")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # drawn on a 256-unit grid

    back = QPainterPath()
    back.addRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    p.fillPath(back, BACKGROUND)

    def page(x: float, y: float, conflict: bool) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(PAGE)
        p.drawRoundedRect(QRectF(x, y, 92, 148), 10, 10)
        last = CONFLICT if conflict else TEXT
        rows = [(TEXT, 64), (MATCH, 72), (MATCH, 56), (TEXT, 68), (last, 60)]
        for i, (colour, width) in enumerate(rows):
            p.setBrush(colour)
            p.drawRoundedRect(QRectF(x + 12, y + 18 + i * 25, width, 12), 5, 5)

    page(34, 46, conflict=False)
    page(130, 62, conflict=True)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stub: bytes; only str works
        raise RuntimeError("Qt could not encode a PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNGs (width/height byte 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in sorted(images.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns(images: dict[int, bytes]) -> bytes:
    body = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(blob)) + blob
        for size, blob in sorted(images.items())
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | set(ICNS_TYPES))
    pngs = {size: png_bytes(draw(size)) for size in sizes}
    (OUT / "parallax.png").write_bytes(pngs[256])
    for size in HICOLOR_SIZES:
        (OUT / f"parallax-{size}.png").write_bytes(pngs[size])
    (OUT / "parallax.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    (OUT / "parallax.icns").write_bytes(icns({s: pngs[s] for s in ICNS_TYPES}))
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parent.parent)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
