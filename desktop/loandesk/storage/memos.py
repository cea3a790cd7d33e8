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
    store.db["memos"].insert(row, pk="id")
    for old in [supersedes] if isinstance(supersedes, str) else supersedes or []:
        store.db.execute("UPDATE memos SET status = 'superseded' WHERE id = ?", (old,))
    meta = {k: row[k] for k in ("memo_no", "application_id", "decision_id", "version", "supersedes", "lang",
                                "content_sha256", "file_sha256", "status", "issued_at")}  # fmt: skip
    # The outbox carries the memo's identity and hashes; the PDF itself stays in the encrypted store.
    store._outbox("memo", row["id"], "insert", meta)


def memo(store: Store, key: str, *, with_pdf: bool = False) -> dict | None:
    """A memo by id or memo number."""
    cols = _MEMO_COLUMNS + (", pdf, content" if with_pdf else "")
    rows = list(store.db.query(f"SELECT {cols} FROM memos WHERE id = ? OR memo_no = ?", [key, key]))
    return rows[0] if rows else None


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


def set_stage(store: Store, application_id: str, stage: str) -> None:
    """Like ``Store.set_application_stage`` but inside the caller's transaction."""
    stamp = now()
    store.db.execute("UPDATE applications SET stage = ?, updated_at = ? WHERE id = ?", (stage, stamp, application_id))
    store._outbox("application", application_id, "stage", {"stage": stage})
