"""Schema migrations, applied in order when a store opens (sqlite-utils ``Migrations``).

Never edit a migration that has shipped: add a new one. ``tests/unit/test_migrations.py``
builds a version-1 store and upgrades it in place.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import memo_schema, scoring_schema, search

migrations = Migrations("loandesk")


@migrations(name="m001_initial")
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


@migrations(name="m002_search")
def m002_search(db: Database) -> None:
    """Substring search over names, codes and phones; built from rows already stored."""
    search.create(db)
    search.rebuild(db)


@migrations(name="m003_drafts_attachments_outbox")
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


@migrations(name="m004_decisions")
def m004_decisions(db: Database) -> None:
    scoring_schema.create(db)


@migrations(name="m005_memos")
def m005_memos(db: Database) -> None:
    memo_schema.create(db)


@migrations(name="m006_indexes_and_id_search")
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


@migrations(name="m007_memo_immutable")
def m007_memo_immutable(db: Database) -> None:
    """The database itself refuses to alter an issued memo's identity, content or PDF, or to delete one."""
    memo_schema.protect(db)


def apply(db: Database, stop_before: str | None = None) -> None:
    migrations.apply(db, stop_before=stop_before)


def latest() -> str:
    return migrations._migrations[-1].name
