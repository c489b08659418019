#!/bin/sh
# Install Parallax for the current user (no administrator rights needed):
#   ./install.sh             copy to ~/.local/opt/parallax, add `parallax` and a menu entry
#   ./install.sh --uninstall remove exactly what the install added
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
dest=$HOME/.local/opt/parallax
bin=$HOME/.local/bin
sizes="16 24 32 48 64 128 256 512"
if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$dest"
    rm -f "$bin/parallax" "$data/applications/parallax.desktop" "$data/mime/packages/parallax.xml"
    for s in $sizes; do rm -f "$data/icons/hicolor/${s}x${s}/apps/parallax.png"; done
    command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
    command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
    # With no menu entries or file types left, those caches describe nothing: remove them.
    ls "$data/applications"/*.desktop >/dev/null 2>&1 || rm -f "$data/applications/mimeinfo.cache"
    if [ -d "$data/mime/packages" ] && [ -z "$(ls -A "$data/mime/packages")" ]; then
        rm -rf "$data/mime"
    fi
    echo "Parallax removed."
    exit 0
fi
rm -rf "$dest"
mkdir -p "$dest" "$bin" "$data/applications" "$data/mime/packages"
cp -a "$here/parallax" "$here/_internal" "$dest/"
ln -sf "$dest/parallax" "$bin/parallax"
for s in $sizes; do
    mkdir -p "$data/icons/hicolor/${s}x${s}/apps"
    cp "$here/share/icons/hicolor/${s}x${s}/apps/parallax.png" "$data/icons/hicolor/${s}x${s}/apps/"
done
sed "s|^Exec=parallax|Exec=$dest/parallax|; s|^TryExec=parallax|TryExec=$dest/parallax|" \
    "$here/share/applications/parallax.desktop" > "$data/applications/parallax.desktop"
cp "$here/share/mime/packages/parallax.xml" "$data/mime/packages/parallax.xml"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
echo "Parallax installed: find it in your applications menu, or run $bin/parallax"
echo "Check it with: $dest/parallax --self-test"
