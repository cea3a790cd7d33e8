"""What every command handler shares: the data home, the store, printing, exit codes."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from loandesk.core.i18n import language, pick

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and the answer is "no" (e.g. a memo that does not verify)
EXIT_BAD_INPUT = 2  # bad arguments or bad input data: nothing was written
EXIT_INTERNAL = 70  # EX_SOFTWARE: a defect in Loan Desk, not in the input; the details are in the log


class CommandError(Exception):
    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.code = code


def checked_home(args) -> Path:
    """The command's data home; a path that is a file is refused."""
    from loandesk.paths import data_home

    chosen = getattr(args, "home", None) or os.environ.get("LOANDESK_HOME")
    if chosen and Path(chosen).expanduser().exists() and not Path(chosen).expanduser().is_dir():
        raise CommandError(pick(f"the data home {chosen} is a file, not a folder",
                                f"数据目录 {chosen} 是文件，不是文件夹"))  # fmt: skip
    return data_home(getattr(args, "home", None))


@contextmanager
def store_for(args, action: str | None = None):
    """The data home's store, opened by signing in (``commands.auth``); ``action``: the permission the
    command needs up front (the services check theirs again). ``store.actor`` is the signed-in user."""
    from .auth import session_for

    with session_for(args, action) as session:
        yield session.store


def quiet_sqlcipher() -> None:
    """SQLCipher logs a wrong key to stderr itself (three lines of 'hmac check failed'); the command
    says it in one line instead. The log level is process-wide, so a throwaway connection sets it."""
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    finally:
        conn.close()


def cannot_open(exc: BaseException) -> bool:
    """A store that does not open (locked, wrong or damaged key, not a database, unreadable files):
    bad input for the command, exit 2. Anything else Store.open raises is a defect (exit 70)."""
    import sqlcipher3

    from loandesk.storage.connection import StoreLocked

    ours = type(exc).__module__.startswith("loandesk.")  # a refusal storage defines (e.g. a lock)
    return ours or isinstance(exc, StoreLocked | LookupError | ValueError | OSError | sqlcipher3.Error)


def one_line(exc: BaseException) -> str:
    """An exception's own message on one line (KeyError quotes its text; some messages span lines)."""
    text = exc.message(language()) if callable(getattr(exc, "message", None)) else (
        exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc))  # fmt: skip
    return "; ".join(part.strip() for part in str(text).splitlines() if part.strip()) or type(exc).__name__


def output_file(path, **checks) -> Path:
    """``lists.output.check_output`` for a command: refused before any work is done (exit 2)."""
    from loandesk.lists.output import OutputError, check_output

    try:
        return check_output(path, **checks)
    except OutputError as exc:
        raise CommandError(exc.message(language())) from None


def output_folder(path, **checks) -> Path:
    from loandesk.lists.output import OutputError, check_folder

    try:
        return check_folder(path, **checks)
    except OutputError as exc:
        raise CommandError(exc.message(language())) from None


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def say(message: str) -> None:
    print(message, file=sys.stderr)
