"""What every command handler shares: the data home, the store, printing, exit codes."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and the answer is "no" (e.g. a memo that does not verify)
EXIT_BAD_INPUT = 2  # bad arguments or bad input data: nothing was written


class CommandError(Exception):
    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.code = code


@contextmanager
def store_for(args):
    from loandesk.paths import data_home
    from loandesk.storage import Store

    store = Store.open(data_home(args.home), branch=getattr(args, "branch", None))
    try:
        yield store
    finally:
        store.close()


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def say(message: str) -> None:
    print(message, file=sys.stderr)
