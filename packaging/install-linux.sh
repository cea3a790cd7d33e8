#!/bin/sh
# Install the Loan Desk bundle (dist/loandesk, from `./make.sh bundle`) for one user or for everyone:
#   ./install-linux.sh                 run from inside the bundle folder: installs into ~/.local
#   sudo ./install-linux.sh            as root: installs into /opt/loandesk and /usr/local
#   ./install-linux.sh --uninstall     removes the program, its menu entry and icons
#   ./install-linux.sh --prefix DIR    DIR/lib/loandesk, DIR/bin, DIR/share (with --uninstall too)
# The data home (~/.local/share/LoanDesk: the encrypted store, attachments, keys) is never touched,
# by installing or by uninstalling.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
action=install
prefix=""
while [ $# -gt 0 ]; do
    case "$1" in
        --uninstall) action=uninstall ;;
        --prefix) prefix="${2:?--prefix needs a folder}"; shift ;;
        *) echo "install-linux.sh: unknown option $1 (--uninstall, --prefix DIR)" >&2; exit 2 ;;
    esac
    shift
done
if [ -n "$prefix" ]; then
    app_dir="$prefix/lib/loandesk"; bin_dir="$prefix/bin"; share="$prefix/share"
elif [ "$(id -u)" = 0 ]; then
    app_dir=/opt/loandesk; bin_dir=/usr/local/bin; share=/usr/local/share
else
    app_dir="$HOME/.local/lib/loandesk"; bin_dir="$HOME/.local/bin"; share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
icons="$share/icons/hicolor"

remove() {
    rm -rf "$app_dir"
    rm -f "$bin_dir/loandesk" "$share/applications/loandesk.desktop" "$icons/scalable/apps/loandesk.svg"
    for png in "$icons"/*/apps/loandesk.png; do rm -f "$png"; done
}

refresh() {  # menus and icon caches pick the change up (these tools are optional)
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
    remove
    refresh
    echo "Loan Desk removed (its data home is kept)."
    exit 0
fi
if [ ! -x "$here/loandesk" ] || [ ! -d "$here/_internal" ]; then
    echo "install-linux.sh: run me from the bundle folder (dist/loandesk, made by ./make.sh bundle)" >&2
    exit 2
fi
remove  # an earlier version's files go first: no stale library is left beside the new ones
mkdir -p "$app_dir" "$bin_dir" "$share/applications" "$icons/scalable/apps"
cp -a "$here/loandesk" "$here/_internal" "$app_dir/"
ln -sf "$app_dir/loandesk" "$bin_dir/loandesk"
cp "$here/loandesk.svg" "$icons/scalable/apps/loandesk.svg"
for png in "$here"/icons/loandesk-*.png; do
    size="$(basename "$png" .png | sed 's/^loandesk-//')"
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$png" "$icons/${size}x${size}/apps/loandesk.png"
done
# The menu entry starts the installed program by its full path (~/.local/bin may not be on PATH).
sed "s|^Exec=loandesk|Exec=$app_dir/loandesk|; s|^TryExec=loandesk|TryExec=$app_dir/loandesk|" \
    "$here/loandesk.desktop" > "$share/applications/loandesk.desktop"
refresh
"$app_dir/loandesk" --self-check >/dev/null && echo "Loan Desk installed in $app_dir (self-check passed)." || {
    echo "Loan Desk installed in $app_dir, but its self-check failed: run $app_dir/loandesk --self-check" >&2
    exit 1
}
