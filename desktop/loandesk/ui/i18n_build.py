"""``python -m loandesk.ui.i18n_build [--quiet] [--ship]``: compile every translation ahead of time.

The app needs a .qm for each .ts. ``make setup`` runs this so the user cache already holds them
when Loan Desk first starts (the app otherwise compiles missing ones on a background thread while
it starts). ``--ship`` also writes each .qm beside its .ts, for bundles that have no lrelease.
Without ``--quiet`` it reports what is still untranslated. .qm files are build output: never commit them.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import xml.etree.ElementTree as ET

from . import i18n


def unfinished(ts) -> list[str]:
    root = ET.parse(ts).getroot()
    return [
        msg.findtext("source") or ""
        for msg in root.iter("message")
        if (msg.find("translation") is None or msg.find("translation").get("type") == "unfinished")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loandesk.ui.i18n_build")
    parser.add_argument("--ship", action="store_true", help="also copy each .qm beside its .ts (for bundles)")
    parser.add_argument("--quiet", action="store_true", help="print only failures")
    args = parser.parse_args(argv)
    if i18n.lrelease() is None:
        print("pyside6-lrelease not found: install PySide6 in this environment", file=sys.stderr)
        return 2
    files = i18n.translation_files("zh")
    targets = {ts: i18n.cached_path(ts) for ts in files}
    built = i18n.build({ts: qm for ts, qm in targets.items() if not qm.is_file()})
    failed = 0
    for ts in files:
        qm = targets[ts] if targets[ts].is_file() else built.get(ts)
        failed += qm is None
        if qm and args.ship:
            shutil.copyfile(qm, ts.with_suffix(".qm"))
        if qm is None or not args.quiet:
            todo = unfinished(ts)
            status = ("built" if ts in built else "up to date") if qm else "FAILED"
            print(f"{ts.name}: {status}, {len(todo)} unfinished{': ' + '; '.join(todo[:5]) if todo else ''}")
    if not args.quiet:
        print(f"compiled translations: {i18n.cache_dir()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
