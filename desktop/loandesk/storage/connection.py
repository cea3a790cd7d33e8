"""Open the SQLCipher file: raw 256-bit key, WAL, foreign keys, autocommit with explicit transactions."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import sqlcipher3
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


def connect(path: Path, key_hex: str) -> sqlite_utils.Database:
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
    # No plugin scan (~20 ms at every start): Loan Desk uses no sqlite-utils plugins.
    return sqlite_utils.Database(conn, execute_plugins=False)
