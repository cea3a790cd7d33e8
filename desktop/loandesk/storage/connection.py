"""Open the SQLCipher file: raw 256-bit key, WAL, foreign keys, autocommit with explicit transactions."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

if TYPE_CHECKING:
    import sqlite_utils

DB_FILE = "loandesk.db"


class StoreLocked(RuntimeError):
    """The key does not open the file (wrong key, or not a Loan Desk store)."""


def make_private(path: Path) -> None:
    """Owner-only (0600) database file, created so before SQLite writes to it: SQLite gives the
    -wal and -shm files the database file's permissions. Files already there are tightened."""
    path = Path(path)
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process created it first
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):  # absent, or not ours to change
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)


def connect(path: Path, key_hex: str) -> Database:
    make_private(path)
    # isolation_level=None: sqlite-utils' atomic() issues BEGIN/COMMIT itself, so every save is
    # exactly one transaction and nothing is left open between saves.
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    # A raw key skips PBKDF2, which would cost ~0.2 s at every start; the key is random, not a password.
    conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreLocked(f"cannot open {path}: wrong key or not a Loan Desk store") from exc
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")  # a completed save survives power loss too
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")  # temp tables would otherwise be written unencrypted
    # 256 MiB at most, filled only as pages are read: bulk imports build the search index in memory, and
    # a 530,000-enterprise store (~750 MB) keeps its indexes' upper levels and recent list rows decrypted
    # (every page read from the file is decrypted and authenticated again, ~20 us each).
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA recursive_triggers=on;")  # as sqlite_utils.Database(conn) does when it wraps one
    return Database(conn)


def _nothing() -> None:
    pass


# Called just before sqlite-utils is first imported; the GUI sets one that keeps pandas out (ui/startup.py).
before_sqlite_utils_import: Callable[[], None] = _nothing

def import_sqlite_utils():
    """Import sqlite-utils (storage imports it through here, so the hook above always runs first)."""
    before_sqlite_utils_import()
    import sqlite_utils

    return sqlite_utils


_READ = re.compile(r"\s*(?:SELECT|WITH)\b", re.IGNORECASE)


class Database:
    """A ``sqlite_utils.Database`` that imports sqlite-utils (~80 ms) only when something needs it.

    Opening an up-to-date store and reading its lists use only ``execute``, ``query`` and ``atomic``,
    done here exactly as sqlite-utils 4 does them on this connection; everything else (``db["table"]``,
    migrations, ...) goes to a real ``sqlite_utils.Database`` made on first use over the same connection,
    so both share one transaction state.
    """

    def __init__(self, conn: sqlcipher3.Connection):
        self.conn = conn
        self._real: sqlite_utils.Database | None = None
        self._lock = threading.Lock()

    @property
    def real(self) -> sqlite_utils.Database:
        if self._real is None:
            with self._lock:
                if self._real is None:
                    sqlite_utils = import_sqlite_utils()
                    # No plugin scan (~20 ms): Loan Desk uses no sqlite-utils plugins. recursive_triggers: set
                    # by connect() already.
                    self._real = sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._real

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("conn", "_real", "_lock"):
            raise AttributeError(name)
        return getattr(self.real, name)

    def __getitem__(self, table_name: str):
        return self.real[table_name]

    def _traced(self) -> bool:
        return self._real is not None and self._real._tracer is not None

    def close(self) -> None:
        self.conn.close()

    def execute(self, sql: str, parameters=None):
        """``sqlite_utils.Database.execute``."""
        if self._traced():
            return self.real.execute(sql, parameters)
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql, parameters) if parameters is not None else conn.execute(sql)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if not was_in_transaction and conn.in_transaction and cursor.description is None:
            # A statement opened an implicit transaction (never with isolation_level=None): as sqlite-utils.
            from sqlite_utils.db import _TRANSACTION_CONTROL_KEYWORDS, _first_keyword

            if _first_keyword(sql) not in _TRANSACTION_CONTROL_KEYWORDS:
                conn.execute("COMMIT")
        return cursor

    def query(self, sql: str, params=None) -> Generator[dict, None, None]:
        """``sqlite_utils.Database.query``: SELECT and WITH here, anything else by sqlite-utils itself."""
        if self._traced() or not _READ.match(sql):
            return self.real.query(sql, params)
        message = "query() can only be used with SQL that returns rows - use execute() for other statements"
        args: tuple = (params,) if params is not None else ()
        conn = self.conn
        conn.execute('SAVEPOINT "sqlite_utils_query"')
        released = False
        try:
            cursor = conn.execute(sql, *args)
            if cursor.description is None:
                raise ValueError(message)
            keys = [d[0] for d in cursor.description]
            if len(set(keys)) != len(keys):
                from sqlite_utils.utils import dedupe_keys

                keys = dedupe_keys(keys)
            # sqlite-utils retries a failed RELEASE (unfetched INSERT ... RETURNING) only for the stdlib
            # sqlite3's OperationalError, never sqlcipher3's: here too, the error propagates.
            conn.execute('RELEASE "sqlite_utils_query"')
            released = True
            return (dict(zip(keys, row, strict=True)) for row in cursor)
        finally:
            if not released and conn.in_transaction:
                conn.execute('ROLLBACK TO "sqlite_utils_query"')
                conn.execute('RELEASE "sqlite_utils_query"')

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        """``sqlite_utils.Database.atomic``: one transaction; nested blocks use savepoints."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"sqlite_utils_{secrets.token_hex(16)}"
            conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint};")
        else:
            conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
