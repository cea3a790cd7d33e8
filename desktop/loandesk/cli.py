"""The ``loandesk`` command. With no sub-command it opens the GUI.

A thin face over the library (like sqlite-utils' cli.py): parse, call, print.
Global options go before the sub-command: ``loandesk --home DIR demo --count 40``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from loandesk import __version__

# Sub-command modules, each with register(subparsers); a module that is not there yet is skipped.
COMMAND_MODULES = ("loandesk.commands.data", "loandesk.commands.scoring", "loandesk.commands.approvals",
                   "loandesk.commands.memos", "loandesk.commands.backup", "loandesk.commands.hub",
                   "loandesk.commands.sync", "loandesk.commands.accounts", "loandesk.commands.consent",
                   "loandesk.commands.cultivation", "loandesk.commands.cultivation_report",
                   "loandesk.commands.settings")


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one line and exit 2, like every other refusal (not argparse's usage block)."""

    def error(self, message: str):
        hint = f" (loandesk {self.prog.split(' ', 1)[1]} --help)" if " " in self.prog else " (loandesk --help)"
        self.exit(2, f"{self.prog}: {message}{hint}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="loandesk",
        description="Loan Desk (信贷工作台): offline intake, scoring and credit memos. No sub-command opens the GUI.",
    )
    parser.add_argument("--version", action="version", version=f"loandesk {__version__}")
    parser.add_argument("--home", help="data home folder (default: $LOANDESK_HOME or the user data folder)")
    parser.add_argument("--lang", choices=["zh", "en"], help="language of messages and the GUI (default zh)")
    parser.add_argument("--user", help="sign in as this user (default: $LOANDESK_USER); the password comes from "
                        "$LOANDESK_PASSWORD or is asked for on the terminal")
    parser.add_argument("--self-check", action="store_true",
                        help="check this installation (store, scoring, memo, fonts, Qt, translations) and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def gui_only(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when they only choose the GUI's data home and language (``loandesk --home X``),
    so opening the GUI skips importing every sub-command module; None for anything else.

    Read by hand, not by an ArgumentParser: building one looks up argparse's own translations
    (gettext, locale), some 5 ms on the way to the first window."""
    found: dict[str, str | None] = {"home": None, "lang": None}
    items = iter(argv)
    for arg in items:
        name, eq, value = arg.partition("=")
        key = {"--home": "home", "--lang": "lang"}.get(name)
        if key is None:
            return None
        if not eq:
            value = next(items, None)
            if value is None or value.startswith("-"):
                return None  # the full parser says what is wrong
        found[key] = value
    if found["lang"] not in (None, "zh", "en"):
        return None
    return argparse.Namespace(command=None, **found)


def main(argv: list[str] | None = None) -> int:
    # Everything Loan Desk writes may hold personal data: owner-only unless a file says otherwise.
    os.umask(0o077)
    args = gui_only(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    if args.lang:
        from loandesk.core.i18n import set_language

        set_language(args.lang)
    if getattr(args, "self_check", False):
        from loandesk.selfcheck import main as self_check

        return self_check(args.lang)
    if not args.command:
        from loandesk.ui.app import run_gui

        return run_gui(home=args.home, lang=args.lang)
    from loandesk.commands.common import CommandError

    try:
        code = args.handler(args) or 0
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except CommandError as exc:
        print(f"loandesk {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as exc:  # never a traceback on the terminal: one line, exit 2 or 70
        from loandesk.commands.errors import explain

        message, code = explain(exc, args)
        print(f"loandesk {args.command}: {message}", file=sys.stderr)
        return code


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `yes | head`


def _reader_went_away() -> int:
    """``loandesk list … | head``: the reader closed the pipe. Stop quietly, as a command killed by
    SIGPIPE would; point stdout at /dev/null so the interpreter's final flush cannot complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
