"""``python -m loandesk.ui.i18n_build [--ship]``: compile every translation and report what is unfinished.

The app compiles .ts files on demand into the user cache; this command does it ahead of
time (and with ``--ship`` writes each .qm beside its .ts for bundles that have no lrelease).
.qm files are build output: never commit them.
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
    args = parser.parse_args(argv)
    if i18n.lrelease() is None:
        print("pyside6-lrelease not found: install PySide6 in this environment", file=sys.stderr)
        return 2
    failed = 0
    for ts in i18n.translation_files("zh"):
        qm = i18n.compiled(ts)
        todo = unfinished(ts)
        status = "ok" if qm else "FAILED"
        failed += qm is None
        print(f"{ts.name}: {status}, {len(todo)} unfinished{': ' + '; '.join(todo[:5]) if todo else ''}")
        if qm and args.ship:
            shutil.copyfile(qm, ts.with_suffix(".qm"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
