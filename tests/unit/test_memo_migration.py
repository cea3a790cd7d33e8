"""m010: a store whose memos each had a number of their own is upgraded in place, every memo still
verifying, and from then on the two languages of one memo share its number."""

from __future__ import annotations

import pytest
import sqlcipher3
from memo_support import add_decision, write_pdf

from loandesk.demo import populate
from loandesk.memo import service
from loandesk.storage import Store, migrations
from loandesk.storage import memos as repo
from loandesk.storage.connection import DB_FILE, connect
from loandesk.storage.keys import FileKeyProvider


def _store_before_m010(home) -> Store:
    home.mkdir(mode=0o700)
    db = connect(home / DB_FILE, FileKeyProvider(home).key_hex())
    migrations.apply(db, stop_before="m010_memo_renditions")
    store = Store(db, home)
    store.set_setting("branch", "HZ01")
    store.set_setting("device", "TEST")
    return store


def test_memos_issued_before_m010_still_verify_and_renditions_share_the_number_after(tmp_path):
    home = tmp_path / "home"
    store = _store_before_m010(home)
    sql = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'memos'").fetchone()[0]
    assert "memo_no TEXT NOT NULL UNIQUE" in sql  # the old layout: one number per row
    app_id = populate(store, 1, seed=5)[0]
    add_decision(store, app_id)
    first = service.issue_memo(store, app_id, "zh")
    old = service.issue_memo(store, app_id, "en", reissue=True, new_number=True)  # as old releases numbered it
    files = [write_pdf(store, r["id"], tmp_path / f"{r['id']}.pdf") for r in (first, old)]
    store.close()

    store = Store.open(home)  # applies m010
    try:
        assert {m.name for m in migrations.migrations.applied(store.db)} >= {"m010_memo_renditions"}
        rows = repo.memos_for(store, app_id)
        assert [(r["id"], r["memo_no"], r["status"]) for r in rows] == [
            (first["id"], first["memo_no"], "superseded"), (old["id"], old["memo_no"], "issued")]
        assert repo.memo(store, old["id"])["supersedes"] == first["id"]
        assert service.verify_file(store, files[0]).status == "superseded"
        assert service.verify_file(store, files[1]).ok
        # still immutable, still undeletable
        with pytest.raises(sqlcipher3.IntegrityError, match="cannot be changed"):
            store.db.execute("UPDATE memos SET pdf = x'00' WHERE id = ?", (old["id"],))
        with pytest.raises(sqlcipher3.IntegrityError, match="cannot be deleted"):
            store.db.execute("DELETE FROM memos WHERE id = ?", (old["id"],))
        # the Chinese rendition of the memo in force takes its number
        zh, new = service.memo_for_output(store, app_id, "zh")
        assert new and zh["memo_no"] == old["memo_no"] and zh["version"] == old["version"]
        assert service.verify_file(store, write_pdf(store, zh["id"], tmp_path / "zh.pdf")).ok
        # one rendition per (number, version, language)
        others = ", ".join(c for c in store.db["memos"].columns_dict if c != "id")
        with pytest.raises(sqlcipher3.IntegrityError, match=r"UNIQUE constraint failed: memos\.memo_no"):
            store.db.execute(f"INSERT INTO memos (id, {others}) SELECT 'another', {others} FROM memos WHERE id = ?",
                             (zh["id"],))  # fmt: skip
    finally:
        store.close()


def test_the_rebuild_is_idempotent(tmp_path):
    """A store whose memos table already has one number per decision (a development build, or a migration
    stopped after the rebuild) is left as it is: only the indexes and triggers are made sure of."""
    from loandesk.storage import memo_schema

    store = Store.open(tmp_path / "home", branch="HZ01")
    try:
        before = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'memos'").fetchone()[0]
        with store.db.atomic():
            memo_schema.one_number_per_decision(store.db)
        assert store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'memos'").fetchone()[0] == before
        names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")}
        assert {"memos_file", "memos_number", "memos_immutable", "memos_no_delete"} <= names
    finally:
        store.close()
