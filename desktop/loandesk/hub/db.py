"""Opening the hub database: one URL, SQLite (embedded, the default) or PostgreSQL via psycopg 3."""

from __future__ import annotations

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


def open_database(url: str) -> Engine:
    """The engine, with the schema brought up to date."""
    engine = engine_for(url)
    migrations.apply(engine)
    return engine


def kind(engine: Engine) -> str:
    return engine.dialect.name
