"""Start-up helpers: keep pandas (pulled in by sqlite-utils) off the path to the first painted window."""

from __future__ import annotations

import sys
import threading

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
    # The preload thread and the database worker may both get here: one imports, the other waits,
    # so neither can lift the hiding while the other is still importing.
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


def preload_storage() -> threading.Thread:
    """Start importing the storage layer on a plain thread (the first thing run_gui does)."""

    def work() -> None:
        import_storage_without_pandas()
        import loandesk.storage  # noqa: F401

    thread = threading.Thread(target=work, name="loandesk-preload", daemon=True)
    thread.start()
    return thread
