"""The device's sync state (tables from m014, see sync_schema.py): cursor, hub bases of shared records,
head-office decisions, the conflict inbox, the quarantine and rule packs from the hub.

Only SQL lives here; the rules (what merges, what conflicts, what waits) are in ``sync.merge``,
``sync.pull`` and ``sync.client``.
"""

from __future__ import annotations

import json
from typing import Any

from loandesk.core import clock, ids

CURSOR = "sync_cursor"  # settings key: the hub's opaque cursor, as it gave it
AUDIT_SENT = "sync_audit_sent"  # settings key: "seq:hash" of the last audit record the hub accepted
HUB_KEY = "hub_signing_key"  # settings key: the hub's Ed25519 public key, pinned at enrolment
LAST_SYNC = "sync_last_ok"


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # one encoder, not one per call


def _dumps(value: Any) -> str:
    return _ENCODE(value)  # the text json.dumps(value, ensure_ascii=False, sort_keys=True) gives


# ---- cursor ---------------------------------------------------------------------------------------
def cursor(store) -> str | None:
    return store.setting(CURSOR)


def set_cursor(store, value: str) -> None:
    store.set_setting(CURSOR, value)


# ---- bases ----------------------------------------------------------------------------------------
def base(store, entity: str, entity_id: str) -> dict | None:
    r = store.db.execute("SELECT version, data, hub_version, hub_data, field_origins FROM sync_base "
                         "WHERE entity = ? AND entity_id = ?", (entity, entity_id)).fetchone()  # fmt: skip
    if r is None:
        return None
    return {"version": r[0], "data": json.loads(r[1]), "hub_version": r[2], "hub_data": json.loads(r[3]),
            "origins": json.loads(r[4])}  # fmt: skip


def save_base(store, entity: str, entity_id: str, *, version: int, data: dict, hub_version: int, hub_data: dict,
              origins: dict) -> None:  # fmt: skip
    store.db.execute(
        "INSERT INTO sync_base(entity, entity_id, version, data, hub_version, hub_data, field_origins) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(entity, entity_id) DO UPDATE SET version = excluded.version, "
        "data = excluded.data, hub_version = excluded.hub_version, hub_data = excluded.hub_data, "
        "field_origins = excluded.field_origins",
        (entity, entity_id, version, text := _dumps(data), hub_version,
         text if hub_data is data else _dumps(hub_data), _dumps(origins)),  # the same state, mostly: encoded once
    )  # fmt: skip


def behind_bases(store) -> list[tuple[str, str]]:
    """Records whose base lags the hub state pulled (held back while local edits waited)."""
    rows = store.db.execute("SELECT entity, entity_id FROM sync_base WHERE hub_version > version").fetchall()
    return [(r[0], r[1]) for r in rows]


# ---- head-office decisions ------------------------------------------------------------------------
def save_hub_decision(store, decision_id: str, data: dict, cursor_value: str) -> bool:
    cur = store.db.execute(
        "INSERT INTO hub_decisions(id, application_id, application_ref, decision, limit_amount, decided_by, note, "
        "decided_at, cursor, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
        (decision_id, data["application_id"], data.get("application_ref"), data["decision"], data.get("limit"),
         data["decided_by"], data.get("note"), data["decided_at"], cursor_value, clock.stamp()),
    )  # fmt: skip
    return cur.rowcount > 0


def hub_decisions(store, application_id: str | None = None) -> list[dict]:
    sql = "SELECT * FROM hub_decisions" + (" WHERE application_id = ?" if application_id else "")
    return list(store.db.query(sql + " ORDER BY decided_at, cursor", [application_id] if application_id else []))


def latest_hub_decision(store, application_id: str) -> dict | None:
    found = hub_decisions(store, application_id)
    return found[-1] if found else None


# ---- conflicts ------------------------------------------------------------------------------------
def _conflict(row: dict) -> dict:
    out = dict(row)
    for key in ("local_value", "remote_value"):
        out[key] = json.loads(out[key]) if out[key] is not None else None
    out["hub_closed"] = bool(out["hub_closed"])
    return out


def add_conflict(store, *, hub_conflict_id: str | None, entity: str, entity_id: str, field: str, local_value: Any,
                 remote_value: Any, remote_version: int | None, remote_device: str | None, local_device: str | None,
                 local_at: str | None) -> str | None:  # fmt: skip
    """Record a conflict; an open one on the same field takes the newer local value instead (one question
    per field). Returns the inbox id, or None when this hub conflict was already recorded."""
    if hub_conflict_id and store.db.execute("SELECT 1 FROM sync_conflicts WHERE hub_conflict_id = ?",
                                            (hub_conflict_id,)).fetchone():  # fmt: skip
        return None
    open_row = store.db.execute("SELECT id FROM sync_conflicts WHERE entity = ? AND entity_id = ? AND field = ? "
                                "AND resolved_at IS NULL", (entity, entity_id, field)).fetchone()  # fmt: skip
    if open_row:
        store.db.execute("UPDATE sync_conflicts SET local_value = ?, remote_value = ?, remote_version = ?, "
                         "remote_device = ?, local_at = ? WHERE id = ?",
                         (_dumps(local_value), _dumps(remote_value), remote_version, remote_device, local_at,
                          open_row[0]))  # fmt: skip
        if hub_conflict_id:  # the earlier hub conflict on this field is answered with this one
            store.db.execute("INSERT INTO sync_conflicts(id, hub_conflict_id, entity, entity_id, field, detected_at, "
                             "resolved_at, resolved_by, resolution, hub_closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                             "'remote', 0)", (ids.new_id(), hub_conflict_id, entity, entity_id, field, clock.stamp(),
                                              clock.stamp(), f"merged:{open_row[0]}"))  # fmt: skip
        return open_row[0]
    conflict_id = ids.new_id()
    store.db.execute(
        "INSERT INTO sync_conflicts(id, hub_conflict_id, entity, entity_id, field, local_value, remote_value, "
        "remote_version, remote_device, local_device, local_at, detected_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (conflict_id, hub_conflict_id, entity, entity_id, field, _dumps(local_value), _dumps(remote_value),
         remote_version, remote_device, local_device, local_at, clock.stamp()),
    )  # fmt: skip
    return conflict_id


def conflicts(store, *, open_only: bool = True) -> list[dict]:
    sql = "SELECT * FROM sync_conflicts WHERE local_value IS NOT NULL"
    if open_only:
        sql += " AND resolved_at IS NULL"
    return [_conflict(r) for r in store.db.query(sql + " ORDER BY detected_at, id")]


def any_open_conflict(store) -> bool:
    return store.db.execute("SELECT 1 FROM sync_conflicts WHERE local_value IS NOT NULL AND resolved_at IS NULL "
                            "LIMIT 1").fetchone() is not None  # fmt: skip


def conflicts_on(store, entity: str, entity_id: str) -> list[dict]:
    """The open conflicts on one record (what a pull of that record refreshes)."""
    return [_conflict(r) for r in store.db.query(
        "SELECT * FROM sync_conflicts WHERE local_value IS NOT NULL AND resolved_at IS NULL AND entity = ? "
        "AND entity_id = ? ORDER BY detected_at, id", [entity, entity_id])]  # fmt: skip


def conflict(store, key: str) -> list[dict]:
    """Conflicts whose id is ``key`` or starts with it (so a person can type the first characters)."""
    rows = store.db.query("SELECT * FROM sync_conflicts WHERE local_value IS NOT NULL AND (id = ? OR id LIKE ?)",
                          [key, key.replace("%", "").replace("_", r"\_") + "%"])  # fmt: skip
    return [_conflict(r) for r in rows]


def mark_resolved(store, conflict_id: str, *, by: str, resolution: str) -> None:
    store.db.execute("UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                     (clock.stamp(), by, resolution, conflict_id))  # fmt: skip
    # hub conflicts merged into this one are settled with it
    store.db.execute("UPDATE sync_conflicts SET resolution = ? WHERE resolved_by = ?",
                     (resolution, f"merged:{conflict_id}"))  # fmt: skip


def refresh_remote(store, conflict_id: str, value: Any, version: int, device: str | None) -> None:
    store.db.execute("UPDATE sync_conflicts SET remote_value = ?, remote_version = ?, remote_device = ? WHERE id = ?",
                     (_dumps(value), version, device, conflict_id))  # fmt: skip


def unclosed_on_hub(store) -> list[dict]:
    """Settled here, not yet closed on the hub. A hub conflict merged into an inbox entry (the same field
    refused twice) waits for that entry, and is closed as it was settled, by whom settled it."""
    rows = store.db.query(
        "SELECT c.*, COALESCE(p.resolved_by, c.resolved_by) AS settled_by FROM sync_conflicts c "
        "LEFT JOIN sync_conflicts p ON c.resolved_by = 'merged:' || p.id "
        "WHERE c.resolved_at IS NOT NULL AND c.hub_closed = 0 AND c.hub_conflict_id IS NOT NULL "
        "AND (p.id IS NULL OR p.resolved_at IS NOT NULL)")  # fmt: skip
    return [_conflict(r) for r in rows]


def closed_on_hub(store, conflict_id: str) -> None:
    store.db.execute("UPDATE sync_conflicts SET hub_closed = 1 WHERE id = ?", (conflict_id,))


# ---- quarantine -----------------------------------------------------------------------------------
def quarantine(store, op_id: str, seq: int, entity: str, entity_id: str, code: int | None, reason: str) -> None:
    store.db.execute(
        "INSERT INTO quarantine(op_id, seq, entity, entity_id, code, reason, quarantined_at, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT payload FROM outbox WHERE op_id = ?)) ON CONFLICT(op_id) DO UPDATE "
        "SET code = excluded.code, reason = excluded.reason, state = 'held'",
        (op_id, seq, entity, entity_id, code, reason, clock.stamp(), op_id),
    )  # fmt: skip


def quarantined(store, *, held_only: bool = True) -> list[dict]:
    sql = "SELECT * FROM quarantine" + (" WHERE state = 'held'" if held_only else "")
    return list(store.db.query(sql + " ORDER BY seq"))


def quarantined_one(store, key: str) -> list[dict]:
    return list(store.db.query("SELECT * FROM quarantine WHERE state = 'held' AND (op_id = ? OR op_id LIKE ?)",
                               [key, key.replace("%", "") + "%"]))  # fmt: skip


def release(store, op_id: str, replaced_by: str | None) -> None:
    store.db.execute("UPDATE quarantine SET state = 'retried', replaced_by = ?, retries = retries + 1 WHERE op_id = ?",
                     (replaced_by, op_id))  # fmt: skip


# ---- rule packs from the hub ----------------------------------------------------------------------
def save_hub_pack(store, pack_key: str, data: dict, state: str, reason: str | None) -> None:
    store.db.execute(
        "INSERT INTO hub_rule_packs(id, pack_id, version, hash, effective, data, state, reason, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data, "
        "state = excluded.state, reason = excluded.reason WHERE hub_rule_packs.state != 'installed'",
        (pack_key, data.get("pack_id"), data.get("version"), data.get("hash"), data.get("effective"), _dumps(data),
         state, reason, clock.stamp()),
    )  # fmt: skip


def hub_packs(store, state: str | None = None) -> list[dict]:
    sql = "SELECT * FROM hub_rule_packs" + (" WHERE state = ?" if state else "")
    rows = list(store.db.query(sql + " ORDER BY effective, received_at", [state] if state else []))
    for r in rows:
        r["data"] = json.loads(r["data"])
    return rows


def pack_installed(store, pack_key: str) -> None:
    store.db.execute("UPDATE hub_rule_packs SET state = 'installed', installed_at = ?, reason = NULL WHERE id = ?",
                     (clock.stamp(), pack_key))  # fmt: skip


# ---- audit records going up -----------------------------------------------------------------------
def audit_after(store, seq: int, limit: int = 500) -> list[dict]:
    rows = list(store.db.query("SELECT seq, at, user, device, action, target, details, prev_hash, hash FROM audit "
                               "WHERE seq > ? ORDER BY seq LIMIT ?", [seq, limit]))  # fmt: skip
    for r in rows:
        r["details"] = json.loads(r["details"]) if r["details"] else None
    return rows


def audit_sent(store) -> tuple[int, str | None]:
    value = store.setting(AUDIT_SENT)
    if not value:
        return 0, None
    seq, _, digest = value.partition(":")
    return int(seq), digest
