"""Start-up helpers: keep sqlite-utils, and pandas (which it pulls in), off the path to the first painted window.

Opening an up-to-date store and reading the first list pages need no sqlite-utils at all
(``storage.connection.Database``); a new or older data home runs migrations, which import it, with
pandas hidden (``import_storage_without_pandas``).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

# Set by run_gui only: tests and other hosts import sqlite-utils the ordinary way.
enabled = False
_import_lock = threading.Lock()


def import_storage_without_pandas() -> None:
    """Import sqlite-utils without its optional pandas/numpy (≈0.5 s of start-up), then add them later.

    sqlite-utils imports pandas and numpy at module load only to extend ``COLUMN_TYPE_MAPPING``
    (column types for tables it creates from numpy/pandas values). The GUI hides them during that
    import and ``complete_sqlite_utils_types`` adds the same entries on the worker once the window
    is up, before any later job can need them (the worker runs jobs in order).
    """
    # Two threads may get here (it runs whenever the store first needs sqlite-utils): one imports, the
    # other waits, so neither can lift the hiding while the other is still importing.
    with _import_lock:
        if not enabled or "sqlite_utils" in sys.modules:
            return
        hidden = {name: sys.modules.get(name) for name in ("pandas", "numpy")}
        if any(hidden.values()):
            return  # already imported by someone: nothing to save
        sys.modules.update(dict.fromkeys(hidden))  # None in sys.modules makes `import x` raise ImportError
        try:
            import sqlite_utils.db  # noqa: F401
        finally:
            for name in hidden:
                sys.modules.pop(name, None)


def complete_sqlite_utils_types(_store=None, _state=None) -> None:
    import sqlite_utils.db as sdb

    if sdb.np is None:
        try:
            import numpy as np
            import pandas as pd
        except ImportError:  # pragma: no cover - both are dependencies
            return
        sdb.np, sdb.pd = np, pd
        sdb.COLUMN_TYPE_MAPPING.update({getattr(np, t): "INTEGER" for t in (
            "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")})  # fmt: skip
        sdb.COLUMN_TYPE_MAPPING.update({np.float16: "REAL", np.float32: "REAL", np.float64: "REAL"})
        sdb.COLUMN_TYPE_MAPPING[pd.Timestamp] = "TEXT"


def use_storage_hook() -> None:
    """Have the store import sqlite-utils (when something first needs it) without pandas."""
    from loandesk.storage import connection

    connection.before_sqlite_utils_import = import_storage_without_pandas


def _guessed_home(argv: list[str]) -> Path | None:
    """The data home ``run_gui`` was most likely given: ``--home`` on the command line, LOANDESK_HOME, or
    the platform's folder (``paths.data_home``'s order); None when that cannot be told."""
    for i, arg in enumerate(argv):
        if arg == "--home":
            return Path(argv[i + 1]).expanduser() if i + 1 < len(argv) else None
        if arg.startswith("--home="):
            return Path(arg.split("=", 1)[1]).expanduser()
    chosen = os.environ.get("LOANDESK_HOME")
    if chosen:
        return Path(chosen).expanduser()
    from loandesk.paths import default_home

    return default_home()


def preload_storage(home: Path | None = None) -> threading.Thread:
    """Start importing the storage layer on a plain thread (the first thing run_gui does).

    An everyday start needs no sqlite-utils before the window is up (``storage.connection.Database``).
    A new data home does: its store is created by the migrations, which import it; that import starts
    here already, beside the Qt import, as it always did. Which home is new is only a guess from the
    command line (``home``, when given, settles it): a wrong guess costs time, never correctness.
    """

    def work() -> None:
        import loandesk.storage  # noqa: F401  (not sqlite-utils: see storage.connection.Database)
        from loandesk.storage.connection import DB_FILE

        use_storage_hook()
        guess = home or _guessed_home(sys.argv)
        if guess is not None and not (guess / DB_FILE).exists():
            import_storage_without_pandas()

    thread = threading.Thread(target=work, name="loandesk-preload", daemon=True)
    thread.start()
    return thread
