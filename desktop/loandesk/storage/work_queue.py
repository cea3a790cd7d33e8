"""The start page's work queue (issue 11), read-only: what waits for the signed-in user.

Each group is a count over everything that waits plus the first ``limit`` rows (the page shows those and
says how many more there are). Who sees what follows the permission matrix (core.permissions): the
checker's queues leave out records the user made themselves (maker-checker), and an officer's queues are
their own (their visits, the applications they took in or nobody has taken yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .store import Store

DUE_AHEAD_DAYS = 7  # "visits due": planned within the coming week, overdue ones first
ROW_LIMIT = 50


@dataclass
class Group:
    count: int = 0
    rows: list[dict] = field(default_factory=list)


def _me(store: Store) -> tuple[str, str] | None:
    """(username, display name) of the signed-in user; None for the system actor (no users: everything)."""
    actor = store.actor
    return None if actor.is_system else (actor.username, actor.shown)


def drafts(store: Store, limit: int = ROW_LIMIT) -> Group:
    """Typed but unsaved intakes on this device (the drafts table keeps no owner: a device's drafts are its own)."""
    found = store.drafts()
    rows = []
    for draft in found[:limit]:
        payload = draft.get("payload") or {}
        form = payload.get("form") or {}
        name = (form.get("enterprise_name") or "").strip()
        rows.append({"key": draft["key"], "draft": draft, "enterprise_name": name, "ref": payload.get("ref"),
                     "updated_at": draft["updated_at"]})  # fmt: skip
    return Group(len(found), rows)


def _page(store: Store, base: str, sql: str, params: list, order: str, limit: int) -> Group:
    count = store.db.execute(f"SELECT count(*) {sql}", params).fetchone()[0]
    rows = list(store.db.query(f"SELECT * FROM (SELECT {_COLUMNS[base]} {sql}) ORDER BY {order} LIMIT ?",
                               [*params, limit])) if count else []  # fmt: skip
    return Group(count, rows)


_TO_SCORE = """FROM applications a JOIN enterprises e ON e.id = a.enterprise_id
    WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.application_id = a.id AND d.is_current = 1)"""
_TO_APPROVE = """FROM decisions d JOIN applications a ON a.id = d.application_id
    JOIN enterprises e ON e.id = a.enterprise_id
    WHERE d.is_current = 1 AND NOT EXISTS (SELECT 1 FROM approvals p WHERE p.decision_id = d.id)"""
_OVERRIDES = """FROM overrides o JOIN applications a ON a.id = o.application_id
    JOIN enterprises e ON e.id = a.enterprise_id WHERE o.status = 'pending'"""
_VISITS = """FROM assignments s JOIN enterprises e ON e.seq = s.enterprise_seq
    WHERE s.next_on IS NOT NULL AND s.next_on <= ?"""


def to_score(store: Store, limit: int = ROW_LIMIT) -> Group:
    """Saved applications with no decision yet, oldest first; an officer's own or nobody's."""
    sql, params = _TO_SCORE, []
    me = _me(store)
    if me:
        sql += " AND (a.officer IS NULL OR a.officer = '' OR a.officer IN (?, ?))"
        params += list(me)
    return _page(store, _TO_SCORE, sql, params, "created_at, ref", limit)


def to_approve(store: Store, limit: int = ROW_LIMIT) -> Group:
    """Scored applications without the approver's decision, oldest decision first; never the user's own."""
    sql, params = _TO_APPROVE, []
    me = _me(store)
    if me:
        sql += " AND coalesce(d.officer, '') NOT IN (?, ?)"
        params += list(me)
    return _page(store, _TO_APPROVE, sql, params, "decided_at, ref", limit)


def overrides(store: Store, limit: int = ROW_LIMIT) -> Group:
    """Override requests waiting for an approver; never the user's own request."""
    sql, params = _OVERRIDES, []
    me = _me(store)
    if me:
        sql += " AND o.officer NOT IN (?, ?)"
        params += list(me)
    return _page(store, _OVERRIDES, sql, params, "requested_at, ref", limit)


def visits_due(store: Store, today: dt.date, limit: int = ROW_LIMIT) -> Group:
    """Enterprises whose next action is due within ``DUE_AHEAD_DAYS`` (overdue ones first); an officer's own."""
    sql, params = _VISITS, [(today + dt.timedelta(days=DUE_AHEAD_DAYS)).isoformat()]
    me = _me(store)
    if me:
        sql += " AND s.officer IN (?, ?)"
        params += list(me)
    group = _page(store, _VISITS, sql, params, "next_on, ref", limit)
    for row in group.rows:
        row["overdue"] = row["next_on"] < today.isoformat()
    return group


_COLUMNS = {
    _TO_SCORE: "a.id, a.ref, e.enterprise_name, a.requested_amount, a.created_at, a.officer",
    _TO_APPROVE: "a.id, a.ref, e.enterprise_name, a.requested_amount, d.decision, d.grade, d.limit_amount, "
                 "d.officer, d.created_at AS decided_at",
    _OVERRIDES: "o.id AS override_id, a.id, a.ref, e.enterprise_name, o.from_decision, o.to_decision, o.officer, "
                "o.requested_at",
    _VISITS: "e.id, e.ref, e.enterprise_name, e.cultivation_stage AS stage, s.officer, s.next_step, s.next_on",
}  # fmt: skip
