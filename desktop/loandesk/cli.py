"""The ``loandesk`` command. With no sub-command it opens the GUI.

A thin face over the library (like sqlite-utils' cli.py): parse, call, print.
Global options go before the sub-command: ``loandesk --home DIR demo --count 40``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from loandesk import __version__

# Sub-command modules, each with register(subparsers); a module that is not there yet is skipped.
COMMAND_MODULES = ("loandesk.commands.data", "loandesk.commands.scoring", "loandesk.commands.memos")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loandesk",
        description="Loan Desk (信贷工作台): offline intake, scoring and credit memos. No sub-command opens the GUI.",
    )
    parser.add_argument("--version", action="version", version=f"loandesk {__version__}")
    parser.add_argument("--home", help="data home folder (default: $LOANDESK_HOME or the user data folder)")
    parser.add_argument("--lang", choices=["zh", "en"], help="language of messages and the GUI (default zh)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        from loandesk.core.i18n import set_language

        set_language(args.lang)
    if not args.command:
        from loandesk.ui.app import run_gui

        return run_gui(home=args.home, lang=args.lang)
    from loandesk.commands.common import CommandError

    try:
        return args.handler(args) or 0
    except CommandError as exc:
        print(f"loandesk {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
