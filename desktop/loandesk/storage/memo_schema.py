"""Tables for issued credit memos (owned by the memo package; applied by migration m005)."""

from sqlite_utils import Database


def create(db: Database) -> None:
    # A memo row is never updated except ``status`` (issued -> superseded): the PDF, its hashes and
    # the content it was built from stay exactly as issued. Re-issuing adds a row that supersedes it.
    db.executescript(
        """
        CREATE TABLE memos (
            id TEXT PRIMARY KEY,
            memo_no TEXT NOT NULL UNIQUE,
            application_id TEXT NOT NULL REFERENCES applications(id),
            decision_id TEXT REFERENCES decisions(id),
            version INTEGER NOT NULL DEFAULT 1,
            supersedes TEXT REFERENCES memos(id),
            lang TEXT NOT NULL,
            content TEXT NOT NULL,           -- canonical JSON the PDF was built from (personal IDs masked)
            content_sha256 TEXT NOT NULL,    -- of ``content`` (carried in the QR code)
            file_sha256 TEXT NOT NULL,       -- of the exact PDF bytes issued
            pdf BLOB NOT NULL,
            status TEXT NOT NULL DEFAULT 'issued',   -- issued / approved / superseded
            officer TEXT,
            approved_by TEXT,
            approved_at TEXT,
            issued_at TEXT NOT NULL
        );
        CREATE INDEX memos_application ON memos(application_id, version);
        CREATE INDEX memos_decision ON memos(decision_id);
        """
    )


# What a memo row may never change once stored. ``status`` (issued -> superseded) and the approval
# columns are left free; ``id`` is the key other rows point to.
IMMUTABLE_COLUMNS = ("id", "memo_no", "application_id", "decision_id", "version", "lang", "content",
                     "content_sha256", "file_sha256", "pdf", "issued_at")  # fmt: skip


def protect(db: Database) -> None:
    """Make the database itself refuse to change an issued memo's identity, content or PDF, or to delete
    a memo (SQLite triggers; idempotent). A new migration applies it to existing stores."""
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in IMMUTABLE_COLUMNS)
    db.executescript(
        f"""
        CREATE TRIGGER IF NOT EXISTS memos_immutable BEFORE UPDATE ON memos
        WHEN {changed}
        BEGIN
            SELECT RAISE(ABORT, 'an issued memo cannot be changed: issue a new version instead');
        END;
        CREATE TRIGGER IF NOT EXISTS memos_no_delete BEFORE DELETE ON memos
        BEGIN
            SELECT RAISE(ABORT, 'an issued memo cannot be deleted');
        END;
        """
    )


def one_number_per_decision(db: Database) -> None:
    """Let the Chinese and English renditions (and later versions) of one memo share its number.

    ``memo_no`` was UNIQUE: each language got a number of its own. A row is now one rendition of one
    version of a memo: unique by (memo_no, version, lang). SQLite cannot drop a column's UNIQUE, so
    the table is rebuilt from its own stored definition (keeping any column a later release added),
    its rows copied as they are (hashes and PDFs untouched: every memo issued before still verifies),
    and its indexes and the immutability triggers made again. Runs inside the migration's transaction.
    """
    import re

    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'memos'").fetchone()
    new_sql, found = re.subn(r"(memo_no\s+TEXT\s+NOT\s+NULL)\s+UNIQUE", r"\1", sql, flags=re.IGNORECASE)
    if found:
        _rebuild(db, new_sql.rstrip().rstrip(")") + ",\n    UNIQUE (memo_no, version, lang)\n)")
    # else already one number per decision (a development build rebuilt it): only indexes and triggers
    for index in ("memos_application ON memos(application_id, version)", "memos_decision ON memos(decision_id)",
                  "memos_number ON memos(memo_no, version)", "memos_file ON memos(file_sha256)"):
        db.execute(f"CREATE INDEX IF NOT EXISTS {index}")  # execute, not executescript: no implicit COMMIT
    protect(db)


def _rebuild(db: Database, new_sql: str) -> None:
    """Replace the memos table by one made with ``new_sql``, every row copied as it is."""
    import re

    columns = ", ".join(f'"{r[1]}"' for r in db.execute('PRAGMA table_info("memos")').fetchall())
    # The old table's own rows refer to one another (supersedes): renamed, it keeps those references
    # to itself, so dropping it after the copy leaves nothing dangling.
    db.execute('ALTER TABLE memos RENAME TO "memos_m010_old"')
    db.execute(re.sub(r"CREATE\s+TABLE\s+\"?memos\"?", "CREATE TABLE memos", new_sql, count=1, flags=re.IGNORECASE))
    db.execute(f'INSERT INTO memos ({columns}) SELECT {columns} FROM "memos_m010_old"')
    db.execute('DROP TABLE "memos_m010_old"')
