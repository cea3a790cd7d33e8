"""Files the hub does not hold yet: attachments and visit photos (m018 ``blobs_sent``).

Files go up after their records: a file is ready once the operation that names it (the attachment's
or the visit's) has been acknowledged, so head office sees the application first and "attachments
pending" until its files complete. Only SQL lives here; ``sync.uploads`` sends them.
"""

from __future__ import annotations

from loandesk.core import clock

# Every file a record names, with the outbox operation that carries the record to the hub.
_FILES = """
    SELECT a.sha256 AS sha256, a.added_at AS added_at, 'attachment' AS entity, a.id AS entity_id FROM attachments a
    UNION ALL
    SELECT v.sha256, v.added_at, 'visit', v.visit_id FROM visit_photos v
"""


def m018(db) -> None:
    db.executescript(
        """
        CREATE TABLE blobs_sent (          -- files the hub confirmed whole (checked against their SHA-256)
            sha256 TEXT PRIMARY KEY,
            sent_at TEXT NOT NULL
        );
        """
    )


def ready(store) -> list[str]:
    """Files not yet on the hub whose records it has, oldest first (each content once)."""
    rows = store.db.execute(
        f"SELECT f.sha256, min(f.added_at) AS first FROM ({_FILES}) f "
        "WHERE f.sha256 NOT IN (SELECT sha256 FROM blobs_sent) AND NOT EXISTS (SELECT 1 FROM outbox o "
        "WHERE o.entity = f.entity AND o.entity_id = f.entity_id AND o.pushed_at IS NULL) "
        "GROUP BY f.sha256 ORDER BY first, f.sha256"
    ).fetchall()
    return [r[0] for r in rows]


def waiting(store) -> int:
    """Files not yet on the hub, whether or not their records have gone."""
    return store.db.execute(
        f"SELECT count(DISTINCT sha256) FROM ({_FILES}) WHERE sha256 NOT IN (SELECT sha256 FROM blobs_sent)"
    ).fetchone()[0]


def mark_sent(store, sha256: str) -> None:
    store.db.execute("INSERT OR IGNORE INTO blobs_sent(sha256, sent_at) VALUES (?, ?)", (sha256, clock.stamp()))
