#!/bin/sh
# Set-up entry point for a fresh Debian machine that has only Python:
#   ./make.sh run     install everything and start Loan Desk
#   ./make.sh test    install everything and run the whole test suite
#   ./make.sh bench   install everything and run the benchmarks
# It installs what the Makefile itself needs (make, Python's venv module) when missing, as root
# or through sudo, then hands over to make, which installs the rest (Qt's libraries, CJK fonts,
# PDF tools, the pinned Python packages in .venv).
set -eu
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"

need=""
command -v make >/dev/null 2>&1 || need="$need make"
"$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1 || need="$need python3-venv"
if [ -n "$need" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "make.sh: please install:$need (no apt-get here)" >&2
        exit 2
    fi
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "Installing Debian packages:$need"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
fi
exec make PYTHON="$PYTHON" "$@"
