"""Linux installer artefacts from the frozen bundle in dist/parallax/.

    python3 packaging/linux/package.py [--dist dist] [--no-deb] [--no-tar]

writes
    dist/packages/parallax-VERSION-linux-x86_64.tar.gz  unpack anywhere; ./install.sh: menu entry
    dist/packages/parallax_VERSION_amd64.deb            /opt/parallax, /usr/bin/parallax, menu

Standard library only (plus dpkg-deb for the .deb), so it runs with any python3 >= 3.11.
The .deb has no maintainer scripts: dpkg's file triggers (desktop-file-utils, hicolor-icon-theme,
shared-mime-info) refresh the menu, icon and file-type caches, and `apt remove` deletes exactly
the files the package listed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ICONS = ROOT / "resources" / "icons"
# Keep in step with `sizes=` in install.sh.
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MAINTAINER = "Parallax maintainers <parallax@example.org>"
DESCRIPTION = (
    "Read several news articles about one event side by side\n"
    " Parallax compares 2-20 news articles about one event: where they agree, what only one\n"
    " source says, and where they conflict on figures, quotes, names and dates. Annotations\n"
    " are saved to a portable project file. Everything runs locally; nothing is downloaded."
)
# Libraries the bundle links against but leaves to the system: GL/EGL and the C library
# (PyInstaller never bundles them), and the desktop libraries build.spec drops on purpose
# (SYSTEM_LIBRARIES there: X11/xcb, xkbcommon, glib, D-Bus, fontconfig, freetype, zlib, zstd,
# libffi, libuuid). Found with readelf -d over dist/parallax, mapped with dpkg -S. Only what the
# bundle links directly is named: the libraries those pull in (expat, png, brotli, systemd,
# gcrypt, pcre2, ...) come with these packages' own Depends. Keep SYSTEM_PACKAGES_TXT in step.
DEPENDS = [
    "libgl1",
    "libegl1",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-glx0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-util1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "libglib2.0-0t64 | libglib2.0-0",  # renamed in the 64-bit time_t transition (Ubuntu 24.04)
    "libdbus-1-3",
    "libfontconfig1",
    "libfreetype6",
    "fontconfig-config",
    "zlib1g",
    "libzstd1",
    "libffi8",
    "libuuid1",
]
# The same for the .tar.gz, whose users install it without apt resolving anything: most are on
# every desktop already; libxcb-cursor0 and the xcb-util libraries are the ones often missing.
_APT_NAMES = " ".join(d.split(" | ")[-1] for d in DEPENDS if d != "fontconfig-config")
SYSTEM_PACKAGES_TXT = " \\\n        ".join(textwrap.wrap(_APT_NAMES, 80, break_on_hyphens=False))
RECOMMENDS = ["fonts-dejavu-core | fonts-liberation2"]

INSTALL_TXT = """Parallax {version} for Linux (x86-64)

Run without installing:   ./parallax            (or ./parallax --self-test to check it)
Install for your user:    ./install.sh          (menu entry, icon, `parallax` in ~/.local/bin)
Remove again:             ./install.sh --uninstall

Needs a desktop Linux with glibc {glibc} or newer (Debian 12, Ubuntu 23.04, Fedora 37 or later).
Parallax uses the system's X11/xcb, xkbcommon, Wayland, GL, glib, D-Bus, fontconfig and freetype
libraries rather than carrying its own copies, so that it matches your desktop's fonts and display
server. A desktop install has nearly all of them; if Parallax says it cannot load the Qt platform
plugin "xcb", install the missing ones (Debian/Ubuntu):

    sudo apt install {packages}
"""

COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Parallax

Files: *
License: MIT
Comment: Parallax bundles Python {python}, Qt {qt} (LGPL-3.0) via PySide6 (LGPL-3.0),
 spaCy and the en_core_web_sm model (MIT), thinc, numpy (BSD-3-Clause), rapidfuzz (MIT) and
 sqlite-utils (Apache-2.0); their licences are listed in the About box and are found under
 /opt/parallax/_internal/*.dist-info.
"""


def say(message: str) -> None:
    print(f"[package] {message}", flush=True)


def project_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def min_glibc(bundle: Path) -> str:
    """The newest GLIBC_x.y symbol version any file in the bundle asks for."""
    if not shutil.which("objdump"):
        return "2.36"
    found: set[tuple[int, ...]] = set()
    for path in [bundle / "parallax", *bundle.rglob("*.so*")]:
        if path.is_symlink() or not path.is_file():
            continue
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        found.update(tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_(\d+\.\d+)", out))
    return ".".join(map(str, max(found))) if found else "2.36"


def check_bundle(bundle: Path) -> None:
    exe = bundle / "parallax"
    if not exe.is_file() or not os.access(exe, os.X_OK):
        sys.exit(
            f"No frozen bundle at {bundle} (missing {exe.name}). Build it first: "
            "python3 -m app.bootstrap build"
        )
    for name in ("seeds", "resources"):
        if not (bundle / "_internal" / name).is_dir():
            sys.exit(f"{bundle} has no _internal/{name}: rebuild with build.spec")


def icon_path(size: int) -> Path:
    path = ICONS / f"parallax-{size}.png"
    if not path.exists():
        sys.exit(f"missing {path}; run packaging/make_icon.py")
    return path


def add_share(root: Path, desktop_exec: str | None = None) -> None:
    """Menu entry, icons and file type under root/share (root = usr for the .deb)."""
    apps = root / "share" / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    desktop = (HERE / "parallax.desktop").read_text(encoding="utf-8")
    if desktop_exec:
        desktop = desktop.replace("Exec=parallax", f"Exec={desktop_exec}")
        desktop = desktop.replace("TryExec=parallax", f"TryExec={desktop_exec}")
    (apps / "parallax.desktop").write_text(desktop, encoding="utf-8")
    for size in HICOLOR_SIZES:
        folder = root / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icon_path(size), folder / "parallax.png")
    mime = root / "share" / "mime" / "packages"
    mime.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "parallax-mime.xml", mime / "parallax.xml")


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mode = 0o755 if info.isdir() or info.mode & 0o111 else 0o644
    return info


def build_tar(bundle: Path, out_dir: Path, version: str, glibc: str) -> Path:
    name = f"parallax-{version}-linux-x86_64"
    out = out_dir / f"{name}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="parallax-tar-") as tmp:
        extra = Path(tmp)
        add_share(extra)
        install = extra / "install.sh"
        shutil.copyfile(HERE / "install.sh", install)
        install.chmod(0o755)
        (extra / "INSTALL.txt").write_text(
            INSTALL_TXT.format(version=version, glibc=glibc, packages=SYSTEM_PACKAGES_TXT)
        )
        with tarfile.open(out, "w:gz", compresslevel=6) as tar:
            tar.add(bundle, arcname=name, filter=_normalise)
            for item in ("share", "install.sh", "INSTALL.txt"):
                tar.add(extra / item, arcname=f"{name}/{item}", filter=_normalise)
    return out


def build_deb(bundle: Path, out_dir: Path, version: str, glibc: str) -> Path:
    if not shutil.which("dpkg-deb"):
        sys.exit("dpkg-deb not found (apt install dpkg); or pass --no-deb")
    out = out_dir / f"parallax_{version}_amd64.deb"
    with tempfile.TemporaryDirectory(prefix="parallax-deb-") as tmp:
        root = Path(tmp) / "root"
        opt = root / "opt" / "parallax"
        shutil.copytree(bundle, opt, symlinks=True)
        usr = root / "usr"
        (usr / "bin").mkdir(parents=True)
        (usr / "bin" / "parallax").symlink_to("/opt/parallax/parallax")
        add_share(usr)
        doc = usr / "share" / "doc" / "parallax"
        doc.mkdir(parents=True)
        (doc / "copyright").write_text(
            COPYRIGHT.format(python=platform.python_version(), qt=_qt_version(bundle))
        )
        for path in root.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
        size_kib = sum(p.lstat().st_size for p in root.rglob("*")) // 1024
        control = root / "DEBIAN" / "control"
        control.parent.mkdir()
        control.write_text(
            "\n".join(
                [
                    "Package: parallax",
                    f"Version: {version}",
                    "Section: editors",
                    "Priority: optional",
                    "Architecture: amd64",
                    f"Maintainer: {MAINTAINER}",
                    f"Installed-Size: {size_kib}",
                    f"Depends: libc6 (>= {glibc}), {', '.join(DEPENDS)}",
                    f"Recommends: {', '.join(RECOMMENDS)}",
                    "Homepage: https://example.org/parallax",
                    f"Description: {DESCRIPTION}",
                    "",
                ]
            )
        )
        # --root-owner-group: files owned by root without needing fakeroot.
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return out


def _qt_version(bundle: Path) -> str:
    for info in (bundle / "_internal").glob("pyside6_essentials-*.dist-info"):
        return info.name.split("-")[1]
    return "6"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dist", default=str(ROOT / "dist"), help="PyInstaller's dist folder")
    p.add_argument("--no-deb", action="store_true", help="only the .tar.gz")
    p.add_argument("--no-tar", action="store_true", help="only the .deb")
    args = p.parse_args(argv)
    if not sys.platform.startswith("linux"):
        sys.exit("Linux packages are built on Linux (see packaging/README.md for the others)")
    bundle = Path(args.dist) / "parallax"
    check_bundle(bundle)
    version = project_version()
    glibc = min_glibc(bundle)
    out_dir = Path(args.dist) / "packages"
    out_dir.mkdir(parents=True, exist_ok=True)
    say(f"Parallax {version}; the bundle needs glibc >= {glibc}")
    for wanted, build in ((not args.no_tar, build_tar), (not args.no_deb, build_deb)):
        if not wanted:
            continue
        t0 = time.perf_counter()
        out = build(bundle, out_dir, version, glibc)
        say(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
