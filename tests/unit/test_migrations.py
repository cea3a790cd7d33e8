"""An older data home is upgraded in place.

The version-1 store is frozen here as SQL text (the schema exactly as m001 created it, with the
sqlite-utils migrations table, and rows as version 1 wrote them), so editing a shipped migration
or a helper it calls cannot make this test agree with itself.
"""

import pytest

from loandesk.storage import Store, migrations
from loandesk.storage.connection import DB_FILE, connect
from loandesk.storage.keys import FileKeyProvider

V1_SCHEMA = """
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (kind TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE persons (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            id_number TEXT,
            phone TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
CREATE INDEX persons_id_number ON persons(id_number);
CREATE TABLE enterprises (
            seq INTEGER PRIMARY KEY,            -- rowid: the search index's key
            id TEXT NOT NULL UNIQUE,
            ref TEXT NOT NULL UNIQUE,
            enterprise_name TEXT NOT NULL,
            credit_code TEXT NOT NULL,
            entity_type TEXT,
            industry TEXT,
            region_code TEXT,
            registered_on TEXT,
            employees INTEGER,
            annual_revenue INTEGER,
            total_assets INTEGER,
            tax_grade TEXT,
            tax_paid_12m INTEGER,
            tax_paid_24m INTEGER,
            invoice_sales_12m INTEGER,
            social_insurance_headcount INTEGER,
            abnormal_operation INTEGER,
            dishonest_debtor INTEGER,
            has_loan_history INTEGER,
            legal_rep_person_id TEXT REFERENCES persons(id),
            code_override_reason TEXT,
            cultivation_stage TEXT NOT NULL DEFAULT 'no_loan',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
CREATE INDEX enterprises_credit_code ON enterprises(credit_code);
CREATE INDEX enterprises_name ON enterprises(enterprise_name);
CREATE TABLE applications (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            ref TEXT NOT NULL UNIQUE,
            enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
            requested_amount INTEGER NOT NULL,
            term_months INTEGER NOT NULL,
            purpose TEXT NOT NULL,
            guarantee_mode TEXT NOT NULL,
            product TEXT NOT NULL,
            stage TEXT NOT NULL DEFAULT 'submitted',
            consent_given INTEGER NOT NULL DEFAULT 0,
            consent_date TEXT,
            consent_scope TEXT,
            site_notes TEXT,
            officer TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
CREATE INDEX applications_enterprise ON applications(enterprise_id);
"""
V1_DATA = """
INSERT INTO "_sqlite_migrations" VALUES (1, 'loandesk', 'm001_initial', '2025-01-01 00:00:00.000000+00:00');
INSERT INTO settings VALUES ('branch', 'HZ01'), ('device', 'AAAA');
INSERT INTO counters VALUES ('enterprise', 4), ('application', 3);
INSERT INTO persons VALUES
    ('p1', '陈静', '11010519491231002X', '13800001111', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00'),
    ('p2', '欧阳娜娜', '440524188001010014', '13912345678', '2025-01-02T00:00:00+00:00', '2025-01-02T00:00:00+00:00');
INSERT INTO enterprises (seq, id, ref, enterprise_name, credit_code, entity_type, industry, region_code,
        registered_on, employees, annual_revenue, total_assets, tax_grade, legal_rep_person_id,
        cultivation_stage, created_at, updated_at) VALUES
    (1, 'e1', 'E-HZ01-AAAA-000001', '绍兴市永达纺织有限公司', '91350100M000100Y43', 'enterprise', 'IND',
     '330602', '2015-03-01', 25, 5000000, NULL, 'A', 'p1', 'no_loan',
     '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00'),
    (2, 'e2', 'E-HZ01-AAAA-000002', '杭州恒瑞五金制品有限公司', '91330106MA2B3C4D5E', 'enterprise', 'RET',
     '330106', '2018-07-15', 8, 1200000, NULL, 'B', 'p2', 'first_loan',
     '2025-01-02T00:00:00+00:00', '2025-01-02T00:00:00+00:00'),
    (3, 'e3', 'E-HZ01-AAAA-000003', '温州市鑫源小吃店', '92330302MA1X2Y3T4W', 'individual_business', 'CAT',
     '330302', '2020-01-10', 3, 600000, NULL, 'M', NULL, 'no_loan',
     '2025-01-03T00:00:00+00:00', '2025-01-03T00:00:00+00:00');
INSERT INTO applications (seq, id, ref, enterprise_id, requested_amount, term_months, purpose, guarantee_mode,
        product, stage, consent_given, consent_date, consent_scope, created_at, updated_at) VALUES
    (1, 'a1', 'A-HZ01-AAAA-000001', 'e1', 300000, 12, '备货', 'credit', 'bank_tax_credit', 'submitted', 1,
     '2025-01-01', '征信、纳税', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00'),
    (2, 'a2', 'A-HZ01-AAAA-000002', 'e2', 500000, 6, '采购原材料', 'credit', 'bank_tax_credit', 'submitted',
     1, '2025-01-02', '征信、纳税', '2025-01-02T00:00:00+00:00', '2025-01-02T00:00:00+00:00');
"""
# search_code as migration m002 created it before m006 (no ID column), for the version-5 store.
V5_SEARCH_CODE = """
DROP TABLE search_code;
CREATE VIRTUAL TABLE search_code USING fts5(code, phone, tokenize = 'trigram', content = '', contentless_delete = 1);
INSERT INTO search_code(rowid, code, phone)
    SELECT e.seq, e.credit_code, coalesce(p.phone, '') FROM enterprises e LEFT JOIN persons p
    ON p.id = e.legal_rep_person_id;
"""


def make_v1_home(home):
    home.mkdir()
    db = connect(home / DB_FILE, FileKeyProvider(home).key_hex())
    db.conn.executescript(V1_SCHEMA + V1_DATA)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    return tables


def refs(rows):
    return [r["ref"] for r in rows]


def test_version_one_store_is_upgraded_in_place_and_keeps_its_data(tmp_path):
    home = tmp_path / "old"
    assert make_v1_home(home) == {"_sqlite_migrations", "settings", "counters", "persons", "enterprises",
                                  "applications"}  # fmt: skip
    store = Store.open(home)
    applied = [m.name for m in migrations.migrations.applied(store.db)]
    assert applied[0] == "m001_initial" and applied[-1] == migrations.latest()
    assert len(applied) == len(migrations.migrations._migrations)
    # old rows are readable as before
    record = store.application_record("A-HZ01-AAAA-000001")
    assert (record["enterprise_name"], record["legal_rep_name"], record["legal_rep_phone"]) == (
        "绍兴市永达纺织有限公司", "陈静", "13800001111")  # fmt: skip
    assert record["annual_revenue"] == 5_000_000 and record["consent_given"] is True
    assert store.enterprise("E-HZ01-AAAA-000003").legal_rep_name is None
    assert store.count_enterprises() == 3 and store.count_applications() == 2
    # ... and searchable: the index is built from the rows already stored, ID numbers included
    for query, ref in [("永达", "E-HZ01-AAAA-000001"), ("陈静", "E-HZ01-AAAA-000001"), ("1111", "E-HZ01-AAAA-000001"),
                       ("002X", "E-HZ01-AAAA-000001"), ("440524188001010014", "E-HZ01-AAAA-000002"),
                       ("小吃", "E-HZ01-AAAA-000003")]:  # fmt: skip
        assert refs(store.enterprise_rows(query)) == [ref], query
    assert refs(store.application_rows("恒瑞")) == ["A-HZ01-AAAA-000002"]
    # sorting by the legal representative keeps the enterprise that has none (NULL first; by pinyin 陈 chén
    # before 欧 ōu, though U+9648 > U+6B27)
    assert refs(store.enterprise_rows("", "legal_rep_name", False)) == [
        "E-HZ01-AAAA-000003", "E-HZ01-AAAA-000001", "E-HZ01-AAAA-000002"]  # fmt: skip
    assert [d["ref"] for d in store.find_duplicates(None, "11010519491231002X")] == ["E-HZ01-AAAA-000001"]
    # new tables work, and numbering continues where version 1 left off
    store.save_draft("intake:new", {"enterprise_name": "x"})
    assert store.drafts()[0]["payload"]["enterprise_name"] == "x"
    assert store.next_ref("enterprise") == "E-HZ01-AAAA-000004"
    store.close()


def test_version_five_store_gets_the_m006_indexes_and_id_search(tmp_path):
    home = tmp_path / "v5"
    make_v1_home(home)
    db = connect(home / DB_FILE, FileKeyProvider(home).key_hex())
    migrations.apply(db, stop_before="m006_indexes_and_id_search")
    db.conn.executescript(V5_SEARCH_CODE)
    assert "id_number" not in {r[1] for r in db.execute("PRAGMA table_info(search_code)")}
    db.close()
    store = Store.open(home)
    indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"enterprises_legal_rep", "persons_name_pinyin", "enterprises_annual_revenue"} <= indexes
    assert refs(store.enterprise_rows("0014")) == ["E-HZ01-AAAA-000002"]
    assert refs(store.enterprise_rows("2345")) == ["E-HZ01-AAAA-000002"]  # phone 13912345678
    store.close()


def test_opening_twice_applies_nothing_new(tmp_path):
    store = Store.open(tmp_path / "h")
    first = [(m.name, m.applied_at) for m in migrations.migrations.applied(store.db)]
    store.close()
    store = Store.open(tmp_path / "h")
    assert [(m.name, m.applied_at) for m in migrations.migrations.applied(store.db)] == first
    store.close()


def test_every_store_refuses_to_alter_or_delete_an_issued_memo(tmp_path):
    """m007: the database itself keeps issued memos as they were issued (not only the code's good manners)."""
    import sqlcipher3

    from loandesk.demo import populate
    from loandesk.memo.service import issue_memo

    store = Store.open(tmp_path / "home")
    try:
        app_id = populate(store, 1, seed=3)[0]
        memo = issue_memo(store, app_id, "zh")
        for sql in ("UPDATE memos SET content_sha256 = 'x' WHERE memo_no = ?",
                    "UPDATE memos SET pdf = x'00' WHERE memo_no = ?",
                    "DELETE FROM memos WHERE memo_no = ?"):  # fmt: skip
            with pytest.raises(sqlcipher3.IntegrityError):
                store.db.execute(sql, (memo["memo_no"],))
        store.db.execute("UPDATE memos SET status = 'approved' WHERE memo_no = ?", (memo["memo_no"],))  # allowed
    finally:
        store.close()
