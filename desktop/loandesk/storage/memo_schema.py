"""Tables for issued credit memos (owned by the memo package; applied by migration m005)."""

from sqlite_utils import Database


def create(db: Database) -> None:
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
            content_sha256 TEXT NOT NULL,    -- of the canonical memo content (carried in the QR code)
            file_sha256 TEXT NOT NULL,       -- of the exact PDF bytes issued
            pdf BLOB NOT NULL,
            status TEXT NOT NULL DEFAULT 'issued',
            issued_at TEXT NOT NULL
        );
        CREATE INDEX memos_application ON memos(application_id);
        """
    )
