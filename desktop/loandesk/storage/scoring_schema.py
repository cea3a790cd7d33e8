"""Tables for scoring decisions (owned by the scoring package; applied by migration m004)."""

from sqlite_utils import Database


def create(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE decisions (
            id TEXT PRIMARY KEY,
            application_id TEXT NOT NULL REFERENCES applications(id),
            pack_id TEXT NOT NULL,
            pack_version TEXT NOT NULL,
            pack_hash TEXT NOT NULL,
            inputs TEXT NOT NULL,            -- JSON snapshot of every input, for exact replay
            result TEXT NOT NULL,            -- JSON: factors, knock-outs, reasons, what-would-change
            score REAL,
            grade TEXT,
            decision TEXT NOT NULL,          -- approve / refer / decline
            limit_amount INTEGER,
            rate REAL,
            is_current INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE INDEX decisions_application ON decisions(application_id, is_current);
        """
    )
