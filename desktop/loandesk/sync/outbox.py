"""Reading the device's outbox as protocol operations, and marking what the hub acknowledged.

The outbox rows are written by ``storage`` in the same transaction as each change, with an op id made
then (UUIDv7): what is sent is exactly what was saved, frozen; an edit is a new row. This module only
reads them and sets ``pushed_at``; it keeps its SQL to those two statements so that the storage
split (one unit of work per aggregate) can take them over unchanged.

Mapping to the wire: local model decisions go as ``score`` records, a rule-pack install as
``pack_install``; status changes (``stage``, an override's ``confirmed``/``rejected``) are updates
whose payload names the new status. Inserts of applications and enterprises carry their reference
number (assigned once, never changed, so the operation stays the same however often it is sent), so
the hub can find them by the number people quote; an application's insert carries its first stage.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from loandesk.core import clock
from loandesk.sync import protocol as p

SCHEMA_VERSION = 1
_ENTITY = {"decision": "score", "rule_pack": "pack_install"}
_REF_TABLES = {"application": "applications", "enterprise": "enterprises"}
_STATUS_OPS = {"stage": "stage", "confirmed": "status", "rejected": "status"}


@dataclass(frozen=True)
class Pending:
    seq: int
    op: p.Operation
    memo_id: str | None  # a memo's PDF goes up as an attachment before its operation


def pending(store, device_id: str, user: str | None = None, skip: set[str] = frozenset()) -> Iterator[Pending]:
    rows = store.db.execute(
        "SELECT seq, op_id, entity, entity_id, op, payload, created_at FROM outbox WHERE pushed_at IS NULL ORDER BY seq"
    ).fetchall()
    for seq, op_id, entity, entity_id, op, payload, created_at in rows:
        if op_id in skip:
            continue
        data = json.loads(payload)
        kind = "insert" if op in ("insert", "install") else "delete" if op == "delete" else "update"
        if "legal_rep_id_number" in data:  # the store's person column; the data dictionary's name on the wire
            data["legal_rep_id"] = data.pop("legal_rep_id_number")
        if op in _STATUS_OPS:
            data[_STATUS_OPS[op]] = data.get(_STATUS_OPS[op], op)
        if kind == "insert" and entity in _REF_TABLES:
            data.setdefault("ref", _ref(store, _REF_TABLES[entity], entity_id))
            if entity == "application":
                data.setdefault("stage", "submitted")  # every application is saved first at this stage
        if entity == "rule_pack":
            data.setdefault("hash", entity_id)
        wire = p.Operation.build(
            op_id=op_id, device_seq=seq, entity=_ENTITY.get(entity, entity), entity_id=entity_id, op=kind,
            base_version=None, changed=sorted(data), payload=data, schema_version=SCHEMA_VERSION, user=user,
            device=device_id, device_time=created_at,
        )  # fmt: skip
        yield Pending(seq, wire, entity_id if entity == "memo" else None)


def _ref(store, table: str, entity_id: str) -> str | None:
    row = store.db.execute(f"SELECT ref FROM {table} WHERE id = ?", (entity_id,)).fetchone()
    return row[0] if row else None


def acknowledge(store, op_ids: list[str]) -> None:
    stamp = clock.stamp()
    with store.db.atomic():
        store.db.conn.executemany("UPDATE outbox SET pushed_at = ? WHERE op_id = ?", [(stamp, i) for i in op_ids])


def unsent(store) -> int:
    return store.unsynced_count()
