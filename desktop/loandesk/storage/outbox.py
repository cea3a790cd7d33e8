"""The outbox's SQL: reading operations not yet acknowledged, marking what the hub acknowledged.

Rows are appended by the saving code in the same transaction as each change (``Store._outbox``); a
trigger (m014) copies the hub version and state the edit was based on. ``sync.outbox`` turns rows into
protocol operations; this module only reads and writes the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from loandesk.core import clock, ids


@dataclass(frozen=True)
class Row:
    seq: int
    op_id: str
    entity: str
    entity_id: str
    op: str
    payload: dict
    created_at: str
    base_version: int | None
    base_data: dict | None


def _row(r) -> Row:
    return Row(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7], json.loads(r[8]) if r[8] else None)


_COLUMNS = "seq, op_id, entity, entity_id, op, payload, created_at, base_version, base_data"


PENDING_CHUNK = 500


def pending(store) -> Iterator[Row]:
    """Unacknowledged operations, oldest first (quarantined ones included: the caller decides), read
    ``PENDING_CHUNK`` rows at a time. A push takes a batch of 200 and stops: reading the whole outbox
    for each batch made a catch-up quadratic (30,000 operations were read 150 times over)."""
    after = 0
    while True:
        found = store.db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE pushed_at IS NULL AND seq > ? ORDER BY seq "
                                 "LIMIT ?", (after, PENDING_CHUNK)).fetchall()  # fmt: skip
        yield from map(_row, found)
        if len(found) < PENDING_CHUNK:
            return
        after = found[-1][0]


def row(store, op_id: str) -> Row | None:
    r = store.db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE op_id = ?", (op_id,)).fetchone()
    return _row(r) if r else None


def pending_for(store, entity: str, entity_id: str) -> list[Row]:
    rows = store.db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE pushed_at IS NULL AND entity = ? AND entity_id = ? "
                            "ORDER BY seq", (entity, entity_id)).fetchall()  # fmt: skip
    return [_row(r) for r in rows]


def acknowledge(store, op_ids: list[str]) -> None:
    stamp = clock.stamp()
    with store.db.atomic():
        store.db.conn.executemany("UPDATE outbox SET pushed_at = ? WHERE op_id = ?", [(stamp, i) for i in op_ids])


def append(store, entity: str, entity_id: str, op: str, payload: dict, *, base_version: int | None = None,
           base_data: dict | None = None) -> str:  # fmt: skip
    """A new operation with an explicit base (a conflict resolution, a quarantined operation sent again)."""
    op_id = ids.new_id()
    store.db.execute(
        "INSERT INTO outbox(op_id, entity, entity_id, op, payload, created_at, base_version, base_data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (op_id, entity, entity_id, op, json.dumps(payload, ensure_ascii=False), clock.stamp(), base_version,
         json.dumps(base_data, ensure_ascii=False) if base_data is not None else None),
    )  # fmt: skip
    return op_id


def replace(store, op_id: str, payload: dict) -> str:
    """A refused operation (kept in the quarantine table) replaced by a new one - a new id, perhaps an
    edited payload - in its place in the queue, so what waited behind it still follows it."""
    new_id = ids.new_id()
    store.db.execute("UPDATE outbox SET op_id = ?, payload = ?, created_at = ?, pushed_at = NULL WHERE op_id = ?",
                     (new_id, json.dumps(payload, ensure_ascii=False), clock.stamp(), op_id))  # fmt: skip
    return new_id


def unsent(store) -> int:
    return store.db.execute("SELECT count(*) FROM outbox WHERE pushed_at IS NULL").fetchone()[0]


def oldest_unsent(store) -> str | None:
    r = store.db.execute("SELECT min(created_at) FROM outbox WHERE pushed_at IS NULL").fetchone()
    return r[0] if r else None


def ref_of(store, entity: str, entity_id: str) -> str | None:
    """The reference number of a local application or enterprise (inserts carry it to the hub)."""
    table = {"application": "applications", "enterprise": "enterprises"}[entity]
    found = store.db.execute(f"SELECT ref FROM {table} WHERE id = ?", (entity_id,)).fetchone()
    return found[0] if found else None
