"""Schema migrations, applied in order when a store opens (sqlite-utils ``Migrations``).

Never edit a migration that has shipped: add a new one. ``tests/unit/test_migrations.py``
builds a version-1 store and upgrades it in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import search

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "loandesk"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' ``Migrations.migrations_table``


def m001_initial(db: Database) -> None:
    db.executescript(
        """
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
    )


def m002_search(db: Database) -> None:
    """Substring search over names, codes and phones; built from rows already stored."""
    search.create(db)
    search.rebuild(db)


def m003_drafts_attachments_outbox(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE drafts (
            key TEXT PRIMARY KEY,               -- e.g. 'intake:new' or 'intake:<application id>'
            payload TEXT NOT NULL,              -- JSON of the form's fields, as typed
            updated_at TEXT NOT NULL
        );
        CREATE TABLE attachments (
            id TEXT PRIMARY KEY,
            application_id TEXT NOT NULL REFERENCES applications(id),
            doc_type TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,               -- of the plain content: the blob's name on disk
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX attachments_application ON attachments(application_id);
        -- Every local change, appended in the same transaction as the change, for sync to push in order.
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            op_id TEXT NOT NULL UNIQUE,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL,
            pushed_at TEXT
        );
        CREATE INDEX outbox_unpushed ON outbox(pushed_at) WHERE pushed_at IS NULL;
        """
    )


def m004_decisions(db: Database) -> None:
    from . import scoring_schema  # imports sqlite-utils (type hints): only when a migration runs

    scoring_schema.create(db)


def m005_memos(db: Database) -> None:
    from . import memo_schema

    memo_schema.create(db)


def m006_indexes_and_id_search(db: Database) -> None:
    """Indexes for the duplicate check and for every sortable list column; ID numbers searchable."""
    db.executescript(
        """
        -- duplicate check: persons.id_number (m001) -> enterprises by their legal representative
        CREATE INDEX IF NOT EXISTS enterprises_legal_rep ON enterprises(legal_rep_person_id);
        -- enterprise list sorts (ENTERPRISE_SORTS; name and credit code are indexed since m001)
        CREATE INDEX IF NOT EXISTS enterprises_industry ON enterprises(industry);
        CREATE INDEX IF NOT EXISTS enterprises_tax_grade ON enterprises(tax_grade);
        CREATE INDEX IF NOT EXISTS enterprises_annual_revenue ON enterprises(annual_revenue);
        CREATE INDEX IF NOT EXISTS enterprises_updated_at ON enterprises(updated_at);
        CREATE INDEX IF NOT EXISTS enterprises_registered_on ON enterprises(registered_on);
        CREATE INDEX IF NOT EXISTS persons_name ON persons(name, id);  -- with id: walked without the table
        -- every list row's legal representative from one index page, not the id index and then the table
        CREATE INDEX IF NOT EXISTS persons_listing ON persons(id, name, id_number, phone);
        -- application list sorts (APPLICATION_SORTS on the application's own columns)
        CREATE INDEX IF NOT EXISTS applications_requested_amount ON applications(requested_amount);
        CREATE INDEX IF NOT EXISTS applications_term_months ON applications(term_months);
        CREATE INDEX IF NOT EXISTS applications_stage ON applications(stage);
        CREATE INDEX IF NOT EXISTS applications_updated_at ON applications(updated_at);
        CREATE INDEX IF NOT EXISTS applications_product ON applications(product);
        -- the application list's decision in effect: a decision's latest confirmed override
        CREATE INDEX IF NOT EXISTS overrides_decision ON overrides(decision_id, status, decided_at);
        """
    )
    search.recreate_code_table(db)


def m007_memo_immutable(db: Database) -> None:
    """The database itself refuses to alter an issued memo's identity, content or PDF, or to delete one."""
    from . import memo_schema

    memo_schema.protect(db)


def m008_approvals(db: Database) -> None:
    """The approver's own decision (approve with a limit and conditions, or decline with a reason)."""
    from . import approval_schema

    approval_schema.create(db)


def m009_users_and_audit(db: Database) -> None:
    """Local user accounts and the append-only, hash-chained audit trail (issue 8)."""
    db.executescript(
        """
        CREATE TABLE users (
            username TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('teller', 'officer', 'approver', 'admin')),
            display_name TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            created_by TEXT,
            password_changed_at TEXT
        );
        CREATE TABLE audit (
            seq INTEGER NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            device TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT,
            details TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_seq ON audit(seq);
        CREATE INDEX audit_user_at ON audit(user, at);
        -- Append-only in the application's own hands: the store refuses to alter or delete a record.
        -- (Someone holding the key can drop these triggers; the hash chain shows what they then did.)
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
            SELECT RAISE(ABORT, 'audit records are append-only');
        END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
            SELECT RAISE(ABORT, 'audit records are append-only');
        END;
        """
    )


def m010_memo_renditions(db: Database) -> None:
    """One memo number per decision: its Chinese and English renditions share it (see memo_schema)."""
    from . import memo_schema

    memo_schema.one_number_per_decision(db)


def m011_consents_and_set_aside(db: Database) -> None:
    """Consent records (who gave it, when, scope, expiry, revocation) made from each application's inline
    consent, and approvals that an edit after the approval sets aside (issues 8 and 7)."""
    from . import consents

    consents.create_table(db)
    consents.convert_inline(db)
    for column in ("set_aside_at TEXT", "set_aside_by TEXT", "set_aside_reason TEXT"):
        db.execute(f"ALTER TABLE approvals ADD COLUMN {column}")


def m012_list_import(db: Database) -> None:
    """Enterprise list imports (issue 10): listing day, batch, branch and officer; the import batches; the
    code/phone/ID search table rebuilt without positions (half its size; see storage.search)."""
    from . import enterprise_import

    enterprise_import.create_schema(db)
    search.recreate_code_table(db)


def m013_cultivation(db: Database) -> None:
    """Cultivation: stage events, account managers, visits and their photos, pre-qualification (issue 10)."""
    from . import cultivation

    cultivation.create(db)


def m014_sync_state(db: Database) -> None:
    from .sync_schema import m014_sync_state as step

    step(db)


def m017_list_indexes(db: Database) -> None:
    """Pinyin name orders from indexes; the duplicate persons_listing dropped (issue 10; see list_indexes)."""
    from . import list_indexes

    list_indexes.m017(db)


def m018_blobs_sent(db: Database) -> None:
    """Which attachments and visit photos the hub holds whole (issue 9: files follow their records)."""
    from . import uploads

    uploads.m018(db)


# Every migration, in order: the one list (its names are what sqlite-utils records as applied).
MIGRATIONS = (
    ("m001_initial", m001_initial),
    ("m002_search", m002_search),
    ("m003_drafts_attachments_outbox", m003_drafts_attachments_outbox),
    ("m004_decisions", m004_decisions),
    ("m005_memos", m005_memos),
    ("m006_indexes_and_id_search", m006_indexes_and_id_search),
    ("m007_memo_immutable", m007_memo_immutable),
    ("m008_approvals", m008_approvals),
    ("m009_users_and_audit", m009_users_and_audit),
    ("m010_memo_renditions", m010_memo_renditions),
    ("m011_consents_and_set_aside", m011_consents_and_set_aside),
    ("m012_list_import", m012_list_import),
    ("m013_cultivation", m013_cultivation),
    ("m014_sync_state", m014_sync_state),
    ("m017_list_indexes", m017_list_indexes),
    ("m018_blobs_sent", m018_blobs_sent),
)
_registered: Migrations | None = None


def registered() -> Migrations:
    """The sqlite-utils ``Migrations`` of ``MIGRATIONS`` (importing sqlite-utils the first time)."""
    global _registered
    if _registered is None:
        from .connection import import_sqlite_utils

        found = import_sqlite_utils().Migrations(MIGRATION_SET)
        for name, fn in MIGRATIONS:
            found(name=name)(fn)
        _registered = found
    return _registered


def __getattr__(name: str):
    if name == "migrations":  # the module attribute it always was
        return registered()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def up_to_date(db: Database) -> bool:
    """Every migration applied, and sqlite-utils' bookkeeping table as it wants it (so ``apply`` would
    change nothing): read with plain SQL, without importing sqlite-utils."""
    table = MIGRATIONS_TABLE
    pks = [r[1] for r in sorted(db.execute(f'PRAGMA table_info("{table}")').fetchall(), key=lambda r: r[5]) if r[5]]
    if pks != ["id"]:
        return False  # absent (a new store), or an older layout that ``apply`` upgrades
    applied = {r[0] for r in db.execute(f'SELECT name FROM "{table}" WHERE migration_set = ?', (MIGRATION_SET,))}
    return applied.issuperset(name for name, _fn in MIGRATIONS)


def apply(db: Database, stop_before: str | None = None) -> None:
    if stop_before is None and up_to_date(db):
        return
    # Two processes opening a new (or older) store at once must not both run a migration: the first
    # takes the write lock, the other waits for it (busy timeout) and then finds nothing left to do.
    # Every migration then runs in a savepoint of this one transaction, with the record of it.
    with db.atomic():
        if stop_before is None and up_to_date(db):
            return
        registered().apply(db, stop_before=stop_before)


def latest() -> str:
    return MIGRATIONS[-1][0]
