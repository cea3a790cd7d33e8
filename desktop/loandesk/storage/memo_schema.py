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
