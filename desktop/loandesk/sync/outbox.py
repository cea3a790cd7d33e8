"""The device's outbox as protocol operations (the SQL is storage/outbox.py).

Rows are written by ``storage`` in the same transaction as each change, with an op id made then
(UUIDv7): what is sent is exactly what was saved, frozen; an edit is a new row.

Mapping to the wire: local model decisions go as ``score`` records, a rule-pack install as
``pack_install``; status changes (``stage``, an override's ``confirmed``/``rejected``) are updates
whose payload names the new status. Inserts of applications and enterprises carry their reference
number (assigned once, never changed, so the operation stays the same however often it is sent), so
the hub can find them by the number people quote; an application's insert carries its first stage.

Field-by-field merge: an update of a shared record (enterprise, application) made on a hub version
(``base_version``, ``base_data`` copied by the m014 trigger) goes with only the fields that differ
from that base, so edits of different fields on two devices both apply, and the hub sees a conflict
only where the same field changed on both sides. The wire form is computed from frozen columns only,
so a resend has the same payload and hash.

Dependants wait: an operation on a record with a quarantined operation (or naming such a record as
its enterprise or application) is held back until the quarantined one is retried; the rest goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from loandesk.storage import outbox as rows
from loandesk.storage import sync_state
from loandesk.sync import protocol as p

SCHEMA_VERSION = 1
_ENTITY = {"decision": "score", "rule_pack": "pack_install"}
_REF_TABLES = ("application", "enterprise")
_STATUS_OPS = {"stage": "stage", "confirmed": "status", "rejected": "status"}
_PARENT_KEYS = {"enterprise_id": "enterprise", "application_id": "application"}


@dataclass(frozen=True)
class Pending:
    seq: int
    op: p.Operation
    memo_id: str | None  # a memo's PDF goes up as an attachment before its operation
    entity: str  # the local entity name (before the wire mapping)


def wire_payload(row: rows.Row) -> tuple[str, dict, list[str]]:
    """(kind, payload, changed) of a row as it goes on the wire."""
    data = dict(row.payload)
    kind = "insert" if row.op in ("insert", "install") else "delete" if row.op == "delete" else "update"
    if "legal_rep_id_number" in data:  # the store's person column; the data dictionary's name on the wire
        data["legal_rep_id"] = data.pop("legal_rep_id_number")
    if row.op in _STATUS_OPS:
        data[_STATUS_OPS[row.op]] = data.get(_STATUS_OPS[row.op], row.op)
    if kind == "update" and row.base_data is not None:
        changed = sorted(f for f in data if row.base_data.get(f) != data[f])
        data = {f: data[f] for f in changed}
        return kind, data, changed
    return kind, data, sorted(data)


def changed_fields(row: rows.Row) -> set[str]:
    return set(wire_payload(row)[2])


def pending_fields(store, entity: str, entity_id: str) -> set[str]:
    """Fields of a record with local edits the hub has not acknowledged (pull must not overwrite them)."""
    out: set[str] = set()
    for row in rows.pending_for(store, entity, entity_id):
        out |= changed_fields(row)
    return out


def blocked(store) -> tuple[set[str], set[tuple[str, str]]]:
    held = sync_state.quarantined(store)
    return {q["op_id"] for q in held}, {(q["entity"], q["entity_id"]) for q in held}


def pending(store, device_id: str, user: str | None = None) -> Iterator[Pending]:
    held_ops, held_records = blocked(store)
    for row in rows.pending(store):
        parents = {(kind, str(row.payload[key])) for key, kind in _PARENT_KEYS.items() if row.payload.get(key)}
        if row.op_id in held_ops or (row.entity, row.entity_id) in held_records or parents & held_records:
            held_records.add((row.entity, row.entity_id))  # what depends on this waits too
            continue
        kind, data, changed = wire_payload(row)
        first_sight = kind == "update" and row.op == "update" and row.base_data is None
        if row.entity in _REF_TABLES and (kind == "insert" or first_sight):
            # an update made before this device saw the record on the hub (an enterprise from an imported
            # list, say) may be the hub's first sight of it: it carries the number people quote too
            data.setdefault("ref", rows.ref_of(store, row.entity, row.entity_id))
            changed = sorted({*changed, "ref"})
        if kind == "insert" and row.entity in _REF_TABLES:
            if row.entity == "application":
                data.setdefault("stage", "submitted")  # every application is saved first at this stage
            changed = sorted(data)
        entity_id = row.entity_id
        if row.entity == "rule_pack":
            data.setdefault("hash", row.entity_id)
            changed = sorted(data)
            # one install record per device: the same pack installed on every device of every branch
            entity_id = f"{row.entity_id[:40]}@{device_id}"  # within the 80 characters an id may have
        wire = p.Operation.build(
            op_id=row.op_id, device_seq=row.seq, entity=_ENTITY.get(row.entity, row.entity), entity_id=entity_id,
            op=kind, base_version=row.base_version, changed=changed, payload=data, schema_version=SCHEMA_VERSION,
            user=user, device=device_id, device_time=row.created_at,
        )  # fmt: skip
        yield Pending(row.seq, wire, row.entity_id if row.entity == "memo" else None, row.entity)


def acknowledge(store, op_ids: list[str]) -> None:
    rows.acknowledge(store, op_ids)


def unsent(store) -> int:
    return rows.unsent(store)
