"""Repository functions for memos and the decisions they print (the only SQL the memo package needs)."""

from __future__ import annotations

import json

from .store import Store, now

_MEMO_COLUMNS = (
    "id, memo_no, application_id, decision_id, version, supersedes, lang, content_sha256, file_sha256, "
    "status, officer, approved_by, approved_at, issued_at"
)


def current_decision(store: Store, application_id: str) -> dict | None:
    """The application's current stored decision with ``result`` parsed, or None when never scored."""
    rows = list(
        store.db.query(
            """SELECT * FROM decisions WHERE application_id = ? AND is_current = 1
               ORDER BY created_at DESC, id DESC LIMIT 1""",
            [application_id],
        )
    )
    if not rows:
        return None
    row = rows[0]
    row["result"] = json.loads(row["result"]) if isinstance(row["result"], str) else (row["result"] or {})
    return row


def insert_memo(store: Store, row: dict, supersedes: list[str] | str | None = None) -> None:
    """Store an issued memo and mark the ones it replaces superseded; call inside the issuing transaction."""
    # Plain SQL: the sqlite-utils table API would import sqlite-utils (and pandas with it, ~0.9 s) into a
    # process that only prints one memo.
    columns = list(row)
    store.db.execute(f"INSERT INTO memos ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                     [row[c] for c in columns])  # fmt: skip
    for old in [supersedes] if isinstance(supersedes, str) else supersedes or []:
        store.db.execute("UPDATE memos SET status = 'superseded' WHERE id = ?", (old,))
    meta = {k: row[k] for k in ("memo_no", "application_id", "decision_id", "version", "supersedes", "lang",
                                "content_sha256", "file_sha256", "status", "issued_at")}  # fmt: skip
    # The outbox carries the memo's identity and hashes; the PDF itself stays in the encrypted store.
    store._outbox("memo", row["id"], "insert", meta)


def memo(store: Store, key: str, *, with_pdf: bool = False, lang: str | None = None) -> dict | None:
    """A memo rendition by its row id, or by memo number: then the one in force (else the newest
    version), in ``lang`` when given (else whichever was issued first)."""
    cols = _MEMO_COLUMNS + (", pdf, content" if with_pdf else "")
    rows = list(store.db.query(f"SELECT {cols} FROM memos WHERE id = ?", [key]))
    if rows:
        return rows[0]
    rows = list(
        store.db.query(
            f"""SELECT {cols} FROM memos WHERE memo_no = ? AND (? IS NULL OR lang = ?)
                ORDER BY status = 'superseded', version DESC, issued_at LIMIT 1""",
            [key, lang, lang],
        )
    )
    return rows[0] if rows else None


def by_file_sha256(store: Store, digest: str) -> dict | None:
    """The rendition whose issued PDF has exactly these bytes (their SHA-256), with content and PDF."""
    rows = list(store.db.query(f"SELECT {_MEMO_COLUMNS}, content FROM memos WHERE file_sha256 = ? LIMIT 1",
                               [digest]))  # fmt: skip
    return rows[0] if rows else None


def by_code(store: Store, memo_no: str, content_sha256: str) -> dict | None:
    """The rendition a verification code names: memo number and content SHA-256 both match."""
    rows = list(
        store.db.query(
            f"SELECT {_MEMO_COLUMNS}, content FROM memos WHERE memo_no = ? AND content_sha256 = ? LIMIT 1",
            [memo_no, content_sha256],
        )
    )
    return rows[0] if rows else None


def number_exists(store: Store, memo_no: str) -> bool:
    return store.db.execute("SELECT 1 FROM memos WHERE memo_no = ? LIMIT 1", [memo_no]).fetchone() is not None


def latest_memo(store: Store, application_id: str) -> dict | None:
    rows = list(
        store.db.query(
            f"SELECT {_MEMO_COLUMNS} FROM memos WHERE application_id = ? ORDER BY version DESC LIMIT 1",
            [application_id],
        )
    )
    return rows[0] if rows else None


def memos_for(store: Store, application_id: str) -> list[dict]:
    return list(
        store.db.query(
            f"SELECT {_MEMO_COLUMNS} FROM memos WHERE application_id = ? ORDER BY version, issued_at, memo_no",
            [application_id],
        )
    )


def live_memos(store: Store, application_id: str) -> list[dict]:
    """The application's memos not superseded (one version, in one or both languages), with their
    ``content`` parsed: newest first."""
    rows = store.db.query(
        f"""SELECT {_MEMO_COLUMNS}, content FROM memos WHERE application_id = ? AND status != 'superseded'
            ORDER BY version DESC, issued_at DESC, memo_no DESC""",
        [application_id],
    )
    return [{**r, "content": json.loads(r["content"])} for r in rows]


def superseded_by(store: Store, memo_id: str) -> dict | None:
    """The memo that replaced this one: the first later version, in the same language when there is one."""
    rows = list(
        store.db.query(
            f"""SELECT {_MEMO_COLUMNS} FROM memos WHERE application_id = (SELECT application_id FROM memos WHERE id = ?)
                AND version > (SELECT version FROM memos WHERE id = ?)
                ORDER BY version, lang = (SELECT lang FROM memos WHERE id = ?) DESC, issued_at LIMIT 1""",
            [memo_id, memo_id, memo_id],
        )
    )
    return rows[0] if rows else None


# The confirmed override of decision ``d`` (the newest), as ``storage.decisions.confirmed_override``.
_CONFIRMED_OVERRIDE = """SELECT o.id FROM overrides o WHERE o.decision_id = d.id AND o.status = 'confirmed'
                         ORDER BY o.decided_at DESC LIMIT 1"""


def pending_application_ids(store: Store) -> list[str]:
    """Applications whose decision in effect has no memo yet, plus applications never scored.

    The decision in effect is the current decision with its confirmed override, if any: a memo
    printed before an approver confirmed an override no longer says what is in effect.
    Declined applications are included: a declined first-loan request still gets a memo on file.
    """
    sql = f"""
        SELECT a.id FROM applications a
        LEFT JOIN decisions d ON d.application_id = a.id AND d.is_current = 1
        WHERE NOT EXISTS (
            SELECT 1 FROM memos m WHERE m.application_id = a.id
              AND (m.decision_id = d.id OR (d.id IS NULL AND m.decision_id IS NULL))
              AND coalesce(json_extract(m.content, '$.decision.override.id'), '')
                  = coalesce(({_CONFIRMED_OVERRIDE}), '')
        )
        GROUP BY a.id ORDER BY a.seq
    """
    return [r[0] for r in store.db.execute(sql)]


def attachments_of(store: Store, application_id: str) -> list[dict]:
    """The application's attached documents as a memo lists them (type, file name, SHA-256), oldest first."""
    return list(
        store.db.query(
            "SELECT doc_type, file_name, sha256 FROM attachments WHERE application_id = ? ORDER BY added_at, id",
            [application_id],
        )
    )


def set_stage(store: Store, application_id: str, stage: str) -> None:
    """Like ``Store.set_application_stage`` but inside the caller's transaction."""
    stamp = now()
    store.db.execute("UPDATE applications SET stage = ?, updated_at = ? WHERE id = ?", (stage, stamp, application_id))
    store._outbox("application", application_id, "stage", {"stage": stage})
