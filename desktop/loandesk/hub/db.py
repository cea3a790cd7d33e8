"""Opening the hub database: one URL, SQLite (embedded, the default) or PostgreSQL via psycopg 3."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from . import migrations


class BadDatabaseUrl(ValueError):
    pass


def engine_for(url: str) -> Engine:
    """An engine for ``sqlite:///PATH`` or ``postgresql://...`` (psycopg 3 is used for the latter)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadDatabaseUrl(f"not a database URL: {url!r} (sqlite:///PATH or postgresql://...)") from None
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed.set(drivername="postgresql+psycopg"), pool_pre_ping=True, pool_size=5)
    elif parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise BadDatabaseUrl("an SQLite hub needs a file: sqlite:///PATH")
        engine = create_engine(parsed, connect_args={"timeout": 30})
        _serialise_sqlite_writers(engine)
    else:
        raise BadDatabaseUrl(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://")
    return engine


def _serialise_sqlite_writers(engine: Engine) -> None:
    """WAL, a busy timeout and BEGIN IMMEDIATE, so hub workers sharing one SQLite file wait for each
    other instead of failing with "database is locked" when a reader turns writer."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # the driver starts no transaction of its own: BEGIN below does
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA busy_timeout=30000")
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextlib.contextmanager
def checkpoints_in_background(engine: Engine, every: float = 0.25) -> Iterator[None]:
    """While a hub serves on SQLite: a thread of its own copies the write-ahead log back into the
    database file every ``every`` seconds (PASSIVE: it never blocks a push), so the log stays short and
    no push's commit finds it past SQLite's 1,000 pages and pays for the copy and its fsync (one push in
    twelve did, 10 ms or more). SQLite's own automatic checkpoint stays on, for when this thread lags."""
    if engine.dialect.name != "sqlite":
        yield
        return
    stop = threading.Event()

    def run() -> None:
        conn = sqlite3.connect(engine.url.database, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            while not stop.wait(every):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:  # busy or gone: the next round, or SQLite's own, does it
                    logging.getLogger("loandesk.hub").warning("background checkpoint failed: %s", exc)
        finally:
            conn.close()

    thread = threading.Thread(target=run, name="hub-wal-checkpoint", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def open_database(url: str) -> Engine:
    """The engine, with the schema brought up to date."""
    engine = engine_for(url)
    migrations.apply(engine)
    return engine


def kind(engine: Engine) -> str:
    return engine.dialect.name
