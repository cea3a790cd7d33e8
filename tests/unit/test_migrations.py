"""An older data home is upgraded in place: a version-1 store (before search, drafts, outbox)."""

from loandesk.storage import Store, migrations
from loandesk.storage.connection import DB_FILE, connect
from loandesk.storage.keys import FileKeyProvider

V1_ENTERPRISE = {
    "seq": 1, "id": "01a20000-0000-7000-8000-000000000001", "ref": "E-HZ01-AAAA-000001",
    "enterprise_name": "绍兴市永达纺织有限公司", "credit_code": "91350100M000100Y43", "industry": "IND",
    "employees": 25, "annual_revenue": 5_000_000, "legal_rep_person_id": "p1",
    "created_at": "2025-01-01T00:00:00+00:00", "updated_at": "2025-01-01T00:00:00+00:00",
}  # fmt: skip


def make_v1_home(home):
    home.mkdir()
    db = connect(home / DB_FILE, FileKeyProvider(home).key_hex())
    migrations.apply(db, stop_before="m002_search")
    with db.atomic():
        db["persons"].insert({"id": "p1", "name": "陈静", "id_number": "11010519491231002X",
                              "phone": "13800001111", "created_at": "x", "updated_at": "x"})  # fmt: skip
        db["enterprises"].insert(V1_ENTERPRISE)
        db["applications"].insert({"seq": 1, "id": "a1", "ref": "A-HZ01-AAAA-000001",
                                   "enterprise_id": V1_ENTERPRISE["id"],
                                   "requested_amount": 300_000, "term_months": 12, "purpose": "备货",
                                   "guarantee_mode": "credit", "product": "bank_tax_credit",
                                   "created_at": "x", "updated_at": "x"})  # fmt: skip
        db["settings"].insert_all([{"key": "branch", "value": "HZ01"}, {"key": "device", "value": "AAAA"}])
        db["counters"].insert_all([{"kind": "enterprise", "next": 2}, {"kind": "application", "next": 2}])
    applied = [m.name for m in migrations.migrations.applied(db)]
    db.close()
    return applied


def test_version_one_store_is_upgraded_in_place_and_keeps_its_data(tmp_path):
    home = tmp_path / "old"
    assert make_v1_home(home) == ["m001_initial"]
    store = Store.open(home)
    applied = [m.name for m in migrations.migrations.applied(store.db)]
    assert applied[-1] == migrations.latest() and len(applied) == len(migrations.migrations._migrations)
    # old rows are searchable (index built from existing data) and readable as before
    assert [r["ref"] for r in store.enterprise_rows("永达")] == ["E-HZ01-AAAA-000001"]
    assert [r["ref"] for r in store.enterprise_rows("陈静")] == ["E-HZ01-AAAA-000001"]
    assert store.application_record("A-HZ01-AAAA-000001")["legal_rep_phone"] == "13800001111"
    # new tables work, and numbering continues where version 1 left off
    store.save_draft("intake:new", {"enterprise_name": "x"})
    assert store.drafts()[0]["payload"]["enterprise_name"] == "x"
    assert store.next_ref("enterprise") == "E-HZ01-AAAA-000002"
    store.close()


def test_opening_twice_applies_nothing_new(tmp_path):
    store = Store.open(tmp_path / "h")
    first = [(m.name, m.applied_at) for m in migrations.migrations.applied(store.db)]
    store.close()
    store = Store.open(tmp_path / "h")
    assert [(m.name, m.applied_at) for m in migrations.migrations.applied(store.db)] == first
    store.close()
