"""An up-to-date store opens and lists without importing sqlite-utils (start-up), and behaves as before."""

import subprocess
import sys

import pytest
import sqlite_utils
from sqlite_utils.migrations import Migrations

from loandesk.demo import populate
from loandesk.storage import Store, migrations
from loandesk.storage.connection import Database, connect
from loandesk.storage.keys import FileKeyProvider

CHILD = """
import sys
from loandesk.storage import Store
store = Store.open(sys.argv[1])
store.enterprise_rows(); store.application_rows(); store.count_enterprises(); store.count_applications()
store.unsynced_count(); store.setting("device"); store.drafts()
store.save_draft("intake:new", {"enterprise_name": "x"})  # atomic() and execute(): still no sqlite-utils
print("sqlite_utils" in sys.modules)
from loandesk.demo import populate
populate(store, 1, seed=9)  # saves through the Table API: imports it now
print("sqlite_utils" in sys.modules, store.count_enterprises(), len(store.drafts()))
store.close()
"""


def test_opening_an_up_to_date_store_and_listing_imports_no_sqlite_utils(home):
    Store.open(home).close()  # created and migrated here
    out = subprocess.run([sys.executable, "-c", CHILD, str(home)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "True", "1", "1"]
    store = Store.open(home)  # and the child's writes are there
    assert store.count_enterprises() == 1 and store.unsynced_count() > 0
    store.close()


def test_the_migration_list_is_the_registered_one(tmp_path):
    assert [m.name for m in migrations.migrations._migrations] == [name for name, _fn in migrations.MIGRATIONS]
    assert migrations.migrations.name == migrations.MIGRATION_SET
    assert migrations.MIGRATIONS_TABLE == Migrations.migrations_table
    assert migrations.latest() == migrations.MIGRATIONS[-1][0]


def test_up_to_date_only_when_every_migration_is_recorded(tmp_path):
    home = tmp_path / "h"
    home.mkdir()
    db = connect(home / "loandesk.db", FileKeyProvider(home).key_hex())
    assert not migrations.up_to_date(db)  # a new store
    migrations.apply(db, stop_before=migrations.latest())
    assert not migrations.up_to_date(db)
    migrations.apply(db)
    assert migrations.up_to_date(db) and migrations.migrations.pending(db) == []
    # an older bookkeeping layout (no "id" primary key) is left to sqlite-utils to upgrade
    db.execute("ALTER TABLE _sqlite_migrations RENAME TO old")
    db.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)")
    db.execute("INSERT INTO _sqlite_migrations SELECT migration_set, name, applied_at FROM old")
    db.execute("DROP TABLE old")
    assert not migrations.up_to_date(db)
    migrations.apply(db)
    assert migrations.up_to_date(db) and db["_sqlite_migrations"].pks == ["id"]
    db.close()


@pytest.fixture
def pair(tmp_path):
    """The lazy wrapper and a plain sqlite_utils.Database, each on its own store."""
    dbs = []
    for name in ("lazy", "plain"):
        (tmp_path / name).mkdir()
        lazy = connect(tmp_path / name / "loandesk.db", FileKeyProvider(tmp_path / name).key_hex())
        db = lazy if name == "lazy" else sqlite_utils.Database(lazy.conn, execute_plugins=False)
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)")
        dbs.append(db)
    yield dbs
    for db in dbs:
        db.close()


def test_the_wrapper_reads_and_writes_as_sqlite_utils_does(pair):
    lazy, plain = pair
    assert isinstance(lazy, Database) and lazy._real is None
    for db in pair:
        db.execute("INSERT INTO t(a) VALUES (?)", ["x"])
        with pytest.raises(RuntimeError), db.atomic():
            db.execute("INSERT INTO t(a) VALUES ('rolled back')")
            raise RuntimeError
        with db.atomic():
            db.execute("INSERT INTO t(a) VALUES ('y')")
            with pytest.raises(RuntimeError), db.atomic():  # nested: a savepoint
                db.execute("INSERT INTO t(a) VALUES ('rolled back too')")
                raise RuntimeError
        assert not db.conn.in_transaction
    for sql, params in [
        ("SELECT * FROM t ORDER BY id", None),
        ("  select a, a, id AS a_2, 1 AS a FROM t WHERE id = ?", [1]),  # duplicate names: deduplicated alike
        ("WITH x AS (SELECT a FROM t) SELECT * FROM x", None),
        ("SELECT * FROM t WHERE a = :a", {"a": "y"}),
    ]:
        assert list(lazy.query(sql, params)) == list(plain.query(sql, params)), sql
    assert lazy._real is None  # none of that needed sqlite-utils
    assert list(lazy.query("PRAGMA table_info(t)")) == list(plain.query("PRAGMA table_info(t)"))  # by sqlite-utils
    for db in pair:
        with pytest.raises(ValueError, match="returns rows"):
            db.query("WITH x AS (SELECT 'no' AS a) INSERT INTO t(a) SELECT a FROM x")
        assert db.execute("SELECT count(*) FROM t WHERE a = 'no'").fetchone()[0] == 0  # rolled back
    lazy["t"].insert({"a": "z"})  # the Table API: through a real sqlite_utils.Database on the same connection
    assert lazy._real is not None and lazy._real.conn is lazy.conn
    with lazy.atomic():
        lazy["t"].insert({"a": "w"})
        assert lazy.conn.in_transaction  # one transaction shared by both
    assert [r["a"] for r in lazy.query("SELECT a FROM t ORDER BY id")] == ["x", "y", "z", "w"]


def test_populated_store_round_trips_through_the_wrapper(home):
    store = Store.open(home, branch="HZ01")
    assert isinstance(store.db, Database)
    ids = populate(store, 3, seed=4)
    assert store.count_applications() == len(ids) and store.application(ids[0]) is not None
    store.close()
