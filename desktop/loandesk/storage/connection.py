"""Open the SQLCipher file: raw 256-bit key, WAL, foreign keys, autocommit with explicit transactions.

Several processes may use one data home at once (the GUI, ``decide``, ``memo --all-pending``, a
script): every write transaction takes SQLite's write lock when it begins (``BEGIN IMMEDIATE``), and a
writer that finds it taken asks again every few milliseconds for up to ``BUSY_TIMEOUT_S`` instead of
failing (then ``StoreBusy``). A deferred transaction that reads and then writes cannot wait: in WAL
mode SQLite refuses it at once when another process wrote since its read began. Readers never wait.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import threading
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from loandesk.core import pinyin

from . import search

if TYPE_CHECKING:
    import sqlite_utils

DB_FILE = "loandesk.db"
# How long a writer waits for another process's write transaction before giving up. Loan Desk's
# transactions take milliseconds to a few seconds (a demo import, a batch of memos): 30 s is ample.
BUSY_TIMEOUT_S = 30.0
# A writer waiting for the lock asks again every few milliseconds. SQLite's own busy handler sleeps up
# to 100 ms between tries: a process that commits and begins again within a few milliseconds (a batch
# of memos, a demo) would then win nearly every time, and the others wait out their timeout.
_POLL_MS = 5
_POLL_MAX_S = 0.02


class StoreLocked(RuntimeError):
    """The store cannot be opened: the key does not open the file (a wrong key, a database copied
    without its key, not a Loan Desk store), or the key itself is missing or damaged (``keys.py``).
    Carries the message in English and Chinese; ``message(lang)`` picks one."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh
        super().__init__(en)

    def message(self, lang: str | None = None) -> str:
        from loandesk.core.i18n import pick

        return pick(self.en, self.zh, lang)

    def __str__(self) -> str:  # in the user's language: the GUI shows str(error)
        return self.message()


class StoreBusy(StoreLocked):
    """Another process kept the store's write lock longer than ``BUSY_TIMEOUT_S``."""

    def __init__(self, path: Path | str):
        super().__init__(
            f"the data home {Path(path).parent} is busy: another Loan Desk process has been writing to it for over "
            f"{BUSY_TIMEOUT_S:g} s; nothing was changed, try again when it has finished",
            f"数据目录 {Path(path).parent} 正忙：另一个信贷工作台进程已持续写入超过 {BUSY_TIMEOUT_S:g} 秒；"
            "本次未做任何更改，请待其完成后重试",
        )


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "database table is locked" (SQLITE_BUSY / SQLITE_LOCKED)."""
    return isinstance(exc, sqlcipher3.OperationalError) and "locked" in str(exc)


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
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    # A raw key skips PBKDF2, which would cost ~0.2 s at every start; the key is random, not a password.
    conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
    try:
        _first_read(conn)
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if is_busy(exc):
            raise StoreBusy(path) from None
        raise StoreLocked(
            f"cannot open {path}: its key file store.key does not open it (the database "
            "was made with another key: copied without its own store.key, or given another store's key), or it "
            "is not a Loan Desk store; nothing was changed",
            f"无法打开 {path}：密钥文件 store.key 与该数据库不匹配（数据库由另一密钥创建："
            "复制时未带上原来的 store.key，或配了其他数据目录的密钥），或该文件不是信贷工作台的数据库；未做任何更改",
        ) from None
    conn.execute("PRAGMA synchronous = FULL")  # a completed save survives power loss too
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")  # temp tables would otherwise be written unencrypted
    # 256 MiB at most, filled only as pages are read: bulk imports build the search index in memory, and
    # a 530,000-enterprise store (~750 MB) keeps its indexes' upper levels and recent list rows decrypted
    # (every page read from the file is decrypted and authenticated again, ~20 us each).
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA recursive_triggers=on;")  # as sqlite_utils.Database(conn) does when it wraps one
    # Chinese names sort by pinyin where a query asks (ORDER BY ... COLLATE PINYIN); the dictionaries
    # load on the first such sort, not here (core.pinyin).
    conn.create_collation("PINYIN", pinyin.compare)
    conn.create_collation("PINYIN_NAME", pinyin.compare_names)  # person names: 曾 as the surname zēng
    # The same orders as keys, which m017 indexes (storage.list_indexes): computed when a name is written
    # (each name once: not through order_key's cache, which an import of 530,000 names would fill for
    # nothing, ~50 MB) and for sorts of a few rows (search matches, applications).
    conn.create_function("PINYIN_KEY", 1, pinyin.order_key.__wrapped__, deterministic=True)
    conn.create_function("PINYIN_NAME_KEY", 1, pinyin.name_order_key.__wrapped__, deterministic=True)
    # A search term of 3 characters or more is checked against the names as the index folds them (search.py).
    conn.create_function("SEARCH_FOLD", 1, search.fold, deterministic=True)
    return Database(conn, path)


def _first_read(conn: sqlcipher3.Connection) -> None:
    """Read the schema (which proves the key) and make the file a WAL database. A new file becomes one
    once, under an exclusive lock that SQLite does not wait for: processes opening a new home at the
    same moment ask again every few milliseconds, for up to ``BUSY_TIMEOUT_S``."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.001
    while True:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA journal_mode = WAL").fetchone()  # SQLite raises "locked" when it cannot
            return
        except sqlcipher3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(random.uniform(0, pause))
        pause = min(pause * 2, _POLL_MAX_S)


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
_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)  # rows still to fetch: it cannot commit at once


class Database:
    """A ``sqlite_utils.Database`` that imports sqlite-utils (~80 ms) only when something needs it.

    Opening an up-to-date store and reading its lists use only ``execute``, ``query`` and ``atomic``,
    done here exactly as sqlite-utils 4 does them on this connection; everything else (``db["table"]``,
    migrations, ...) goes to a real ``sqlite_utils.Database`` made on first use over the same connection,
    so both share one transaction state.
    """

    def __init__(self, conn: sqlcipher3.Connection, path: Path | str = DB_FILE):
        self.conn = conn
        self.path = Path(path)
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
                    real = sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)
                    # sqlite-utils' own transactions (Table.insert, migrations, ...) begin IMMEDIATE too.
                    real.atomic = self.atomic
                    self._real = real
        return self._real

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("conn", "path", "_real", "_lock"):
            raise AttributeError(name)
        return getattr(self.real, name)

    def __getitem__(self, table_name: str):
        return self.real[table_name]

    def _traced(self) -> bool:
        return self._real is not None and self._real._tracer is not None

    def close(self) -> None:
        self.conn.close()

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, asking again every few milliseconds (with jitter, so waiters spread out) for up
        to ``BUSY_TIMEOUT_S`` while another process holds the write lock; then StoreBusy."""
        conn = self.conn
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        pause = 0.001
        conn.execute(f"PRAGMA busy_timeout = {_POLL_MS}")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlcipher3.OperationalError as exc:
                    if not is_busy(exc):
                        raise
                    if time.monotonic() >= deadline:
                        raise StoreBusy(self.path) from None
                time.sleep(random.uniform(0, pause))
                pause = min(pause * 2, _POLL_MAX_S)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    def execute(self, sql: str, parameters=None):
        """``sqlite_utils.Database.execute``."""
        if self._traced():
            return self.real.execute(sql, parameters)
        conn = self.conn
        if not conn.in_transaction and _WRITE.match(sql) and not _RETURNING.search(sql):
            with self.atomic():  # a single write outside a transaction waits for the lock like any other
                return self.execute(sql, parameters)
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql, parameters) if parameters is not None else conn.execute(sql)
        except Exception as exc:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            if not was_in_transaction and is_busy(exc):  # waited BUSY_TIMEOUT_S for another process's write
                raise StoreBusy(self.path) from None
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
    def atomic(self, immediate: bool = True) -> Generator[Database, None, None]:
        """``sqlite_utils.Database.atomic``: one transaction; nested blocks use savepoints.

        The transaction takes the write lock as it begins (``BEGIN IMMEDIATE``), waiting up to
        ``BUSY_TIMEOUT_S`` for another process's, so that what it reads stays true until it commits.
        ``immediate=False``: a transaction that writes only temp tables, which needs no lock."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"sqlite_utils_{os.urandom(16).hex()}"  # not secrets: hmac stays off the start-up path
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
            if immediate:
                self._begin_immediate()
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
