"""Open the SQLCipher file: raw 256-bit key, WAL, foreign keys, autocommit with explicit transactions."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3
import sqlite_utils

DB_FILE = "loandesk.db"


class StoreLocked(RuntimeError):
    """The key does not open the file (wrong key, or not a Loan Desk store)."""


def connect(path: Path, key_hex: str) -> sqlite_utils.Database:
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
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: bulk imports build the search index in memory
    return sqlite_utils.Database(conn)
