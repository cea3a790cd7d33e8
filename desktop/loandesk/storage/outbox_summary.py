"""What the sync panel shows about the outbox: unsent operations per entity type, oldest first, and the
quarantined ones' entity and time. Read-only; the counts come from the same table ``unsynced_count`` reads.

No personal data leaves here: only entity types, counts, times and operation ids.
"""

from __future__ import annotations


def unsent_by_entity(store) -> list[dict]:
    """[{entity, count, oldest, newest}] of operations not yet acknowledged, the longest-waiting type first.

    Operations held in quarantine are left out (counted apart: a rejected operation is not "waiting")."""
    rows = store.db.execute(
        """SELECT entity, count(*), min(created_at), max(created_at) FROM outbox
           WHERE pushed_at IS NULL AND op_id NOT IN (SELECT op_id FROM quarantine WHERE state = 'held')
           GROUP BY entity ORDER BY min(created_at), entity"""
    ).fetchall()
    return [{"entity": e, "count": n, "oldest": oldest, "newest": newest} for e, n, oldest, newest in rows]


def operations(store, op_ids: list[str]) -> dict[str, dict]:
    """{op_id: {entity, entity_id, op, created_at, sent, ref}} for the given operation ids that are on file.

    ``ref`` is the reference number people quote (A-…, E-…): the record's own, or for a score, memo,
    approval or override the application's it belongs to; None when there is none."""
    found: dict[str, dict] = {}
    for start in range(0, len(op_ids), 500):  # SQLite's bound-parameter limit
        chunk = op_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for op_id, entity, entity_id, op, created_at, pushed_at, ref in store.db.execute(
            f"""SELECT o.op_id, o.entity, o.entity_id, o.op, o.created_at, o.pushed_at,
                       COALESCE(a.ref, e.ref, pa.ref)
                FROM outbox o
                LEFT JOIN applications a ON o.entity = 'application' AND a.id = o.entity_id
                LEFT JOIN enterprises e ON o.entity = 'enterprise' AND e.id = o.entity_id
                LEFT JOIN applications pa ON pa.id = json_extract(o.payload, '$.application_id')
                WHERE o.op_id IN ({marks})""",
            chunk,
        ).fetchall():
            found[op_id] = {"entity": entity, "entity_id": entity_id, "op": op, "created_at": created_at,
                            "sent": pushed_at is not None, "ref": ref}  # fmt: skip
    return found
