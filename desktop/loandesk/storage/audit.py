"""The audit trail's rows: appended in the same transaction as the change they record.

The chain logic (hashes, verification) is core/audit_chain.py; this module only stores and reads.
The head of the chain (last sequence and hash) is kept in settings as it is appended, so records
removed from the end are noticed too. Details never hold applicants' personal data in clear: callers
pass references and masked values.
"""

from __future__ import annotations

import json

from loandesk.core import audit_chain, clock

HEAD_SETTING = "audit_head"


def _row(rec: dict) -> dict:
    out = dict(rec)
    out["details"] = json.loads(out["details"]) if out.get("details") else None
    return out


def last(db) -> dict | None:
    rows = list(db.query("SELECT * FROM audit ORDER BY seq DESC LIMIT 1"))
    return _row(rows[0]) if rows else None


def append(db, *, user: str, device: str, action: str, target: str | None = None,
           details: dict | None = None) -> dict:  # fmt: skip
    """Seal and store one record. Call inside the transaction that makes the change (db.atomic())."""
    with db.atomic():
        previous = last(db)
        recorded = head(db)
        if recorded is not None and (previous is None or recorded[0] > previous["seq"]):
            # Records removed from the end: chain on from the recorded head, so the next append (the next
            # login, say) cannot paper over the gap; verify then names the missing records.
            previous = {"seq": recorded[0], "hash": recorded[1]}
        record = audit_chain.seal({"at": clock.stamp(), "user": user, "device": device, "action": action,
                                   "target": target, "details": details}, previous)  # fmt: skip
        db.execute(
            "INSERT INTO audit(seq, at, user, device, action, target, details, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["seq"], record["at"], user, device, action, target,
             json.dumps(details, ensure_ascii=False, sort_keys=True) if details is not None else None,
             record["prev_hash"], record["hash"]),
        )  # fmt: skip
        db.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   (HEAD_SETTING, f"{record['seq']}:{record['hash']}"))  # fmt: skip
    return record


def records(db, *, user: str | None = None, since: str | None = None, action: str | None = None) -> list[dict]:
    where, params = [], []
    if user:
        where.append("user = ?")
        params.append(user)
    if since:
        where.append("at >= ?")
        params.append(since)
    if action:
        where.append("action = ?")
        params.append(action)
    sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq"
    return [_row(r) for r in db.query(sql, params)]


def _where(user: str | None, since: str | None, until: str | None) -> tuple[str, list]:
    where, params = [], []
    if user:
        where.append("user = ?")
        params.append(user)
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def page(db, *, user: str | None = None, since: str | None = None, until: str | None = None,
         offset: int = 0, limit: int = 200) -> list[dict]:  # fmt: skip
    """One page of records, newest first (the GUI's audit table loads it as the user scrolls)."""
    where, params = _where(user, since, until)
    sql = f"SELECT * FROM audit{where} ORDER BY seq DESC LIMIT ? OFFSET ?"
    return [_row(r) for r in db.query(sql, [*params, int(limit), int(offset)])]


def count(db, *, user: str | None = None, since: str | None = None, until: str | None = None) -> int:
    where, params = _where(user, since, until)
    return db.execute(f"SELECT count(*) FROM audit{where}", params).fetchone()[0]


def user_names(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT user FROM audit ORDER BY user").fetchall()]


def head(db) -> tuple[int, str] | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", (HEAD_SETTING,)).fetchone()
    if not row:
        return None
    seq, _, digest = row[0].partition(":")
    return int(seq), digest


def verify(db) -> audit_chain.ChainProblem | None:
    # rowid order, not seq order: an inserted row with a borrowed number shows as out of place.
    rows = [_row(r) for r in db.query("SELECT * FROM audit ORDER BY rowid")]
    return audit_chain.verify(rows, head(db))
