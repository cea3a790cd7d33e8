"""Applying one push's operations to the records, field by field, inside the push's transaction.

The records a push touches (and the applications and enterprises its records hang on) are read in a
few queries up front, existing ones locked (``FOR UPDATE`` on PostgreSQL), the operations applied in
order in memory, and the results written back in a few statements: a batch of 200 costs a handful of
round trips, not three per operation. Two pushes creating the same record at once: the second hits
the primary key and its transaction is run again (``service._retrying``), then finds the record.

Merging: each record keeps the version at which every field last changed and which device changed
it. A field changed since the operation's base version by another device is left as it is and the
pair of values recorded in ``conflicts`` for a person to resolve ("leave if changed"); a device's own
later edit never conflicts with its own earlier one (its operations arrive in its order).
"""

from __future__ import annotations

import itertools
from typing import Any

from pydantic_core import from_json, to_json
from sqlalchemy import Connection, bindparam, insert, select, update

from loandesk.core import ids
from loandesk.sync import protocol as p

from . import stamps
from .schema import conflicts, records
from .sealing import PERSONAL_FIELDS, Sealer

MEMO_MUTABLE = {"status", "approved_by", "approved_at"}  # an issued memo changes only its standing
PARENTS = ("application", "enterprise")  # a record naming one of these by <kind>_id must share its branch


def insert_many(conn: Connection, table, rows: list[dict]) -> None:
    """Rows (all with the same keys) in one executemany. On SQLite the statement goes straight to the
    driver: SQLAlchemy's processing of each row's parameters cost about as much as the insert itself,
    and these tables' columns are plain text and numbers (no defaults, no type conversions)."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    names = list(rows[0])
    statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn.exec_driver_sql(statement, [tuple(row[name] for name in names) for row in rows])


def rows_in(conn: Connection, table, column: str, values: list, *, entity: str | None = None,
            columns: tuple[str, ...] | None = None, lock: bool = False):
    """The rows (as mappings) of ``table`` whose ``column`` is one of ``values`` (and, given, whose
    ``entity`` is that), ``lock``ed FOR UPDATE in key order on PostgreSQL. On SQLite (one writer at a
    time: nothing to lock) the statement goes straight to the driver: SQLAlchemy renders an IN list anew
    for every execution, which cost more than the look-up."""
    if conn.dialect.name != "sqlite":
        chosen = [table.c[c] for c in columns] if columns else [table]
        query = select(*chosen).where(table.c[column].in_(values))
        if entity is not None:
            query = query.where(table.c.entity == entity)
        if lock:
            query = query.order_by(*table.primary_key.columns).with_for_update()
        return conn.execute(query).mappings()
    where = f"{column} IN ({', '.join('?' * len(values))})"
    if entity is not None:
        where, values = f"entity = ? AND {where}", [entity, *values]
    return conn.exec_driver_sql(f"SELECT {', '.join(columns) if columns else '*'} FROM {table.name} WHERE {where}",
                                tuple(values)).mappings()  # fmt: skip


_FIELD_NAMES: set[str] = set()  # names already matched: a push repeats the same dozen names on every operation


def _field_name(name: str) -> bool:
    if not p.FIELD_NAME.match(name):
        return False
    if len(_FIELD_NAMES) < 10_000:  # bounded: a hostile device cannot grow it without limit
        _FIELD_NAMES.add(name)
    return True


class Rejected(Exception):
    """One operation refused: a per-operation answer, never a failed push."""

    def __init__(self, code: int, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def dumps(value: Any) -> str:
    """A stored value's JSON text, compact UTF-8 in the value's own key order (nothing hashes this text,
    so unlike ``canonical_json`` it needs no sorting). pydantic-core's encoder: a third of json's time,
    and a push stores two texts per operation. NaN stays NaN, as json writes it."""
    return to_json(value, inf_nan_mode="constants").decode()


def ref_of(entity: str, data: dict) -> str | None:
    value = data.get("memo_no") if entity == "memo" else data.get("ref")
    return str(value) if value else None


def _by_entity(keys: list[tuple[str, str]], size: int = 400):
    """(entity, up to ``size`` ids) for sorted (entity, id) keys: one primary-key lookup per entity kind,
    with a plain IN list (a push is mostly one kind; a row-value IN costs SQLAlchemy far more to render)."""
    for entity, group in itertools.groupby(keys, key=lambda k: k[0]):
        ids_ = [k[1] for k in group]
        for start in range(0, len(ids_), size):
            yield entity, ids_[start : start + size]


class Batch:
    def __init__(self, conn: Connection, device: dict, stamp: str, sealer: Sealer):
        self.conn, self.device, self.stamp, self.sealer = conn, device, stamp, sealer
        self.state: dict[tuple[str, str], dict] = {}  # (entity, id) -> the record as it now stands
        self.owners: dict[tuple[str, str], str] = {}  # (kind, id) -> branch, for parents
        self.conflict_rows: list[dict] = []

    def load(self, ops: list[p.Operation]) -> None:
        keys = sorted({(op.entity, op.entity_id) for op in ops})
        for entity, chunk in _by_entity(keys):
            for r in rows_in(self.conn, records, "entity_id", chunk, entity=entity, lock=True):
                data = self.sealer.open(from_json(r["data"]))
                self.state[(r["entity"], r["entity_id"])] = {
                    "branch": r["branch"], "version": r["version"], "ref": r["ref"], "data": data,
                    "versions": stamps.unpack(r["field_versions"], data),
                    "writers": stamps.unpack(r["field_devices"], data), "new": False, "dirty": False}  # fmt: skip
        parents = sorted({(kind, str(op.payload[f"{kind}_id"])) for op in ops for kind in PARENTS
                          if op.entity != kind and op.payload.get(f"{kind}_id")})  # fmt: skip
        for entity, chunk in _by_entity(parents):
            rows = rows_in(self.conn, records, "entity_id", chunk, entity=entity, columns=("entity_id", "branch"))
            self.owners.update({(entity, r["entity_id"]): r["branch"] for r in rows})

    def apply(self, op: p.Operation) -> tuple[int, list[str], dict | None]:
        """Apply one operation; returns (version, fields in conflict, change-log row or None)."""
        if p.payload_hash(op.payload) != op.payload_sha256:
            raise Rejected(422, "the payload does not match its SHA-256: it changed on the way")
        if op.entity in p.HUB_ENTITIES:
            raise Rejected(403, f"only head office makes {op.entity} records")
        if op.entity not in p.DEVICE_ENTITIES:
            raise Rejected(422, f"this hub does not know {op.entity!r} records (update the hub)")
        fields = op.changed or sorted(op.payload)
        if not all(map(op.payload.__contains__, fields)):
            missing = [f for f in fields if f not in op.payload]
            raise Rejected(422, f"changed fields missing from the payload: {', '.join(missing[:5])}")
        if not _FIELD_NAMES.issuperset(op.payload):
            bad = [k for k in op.payload if k not in _FIELD_NAMES and not _field_name(k)]
            if bad:
                raise Rejected(422, f"not field names: {', '.join(map(repr, bad[:3]))}")
        fields, payload = (["deleted"], {"deleted": True}) if op.op == "delete" else (fields, op.payload)
        branch, device_id = self.device["branch"], self.device["id"]
        for kind in PARENTS:
            parent = op.payload.get(f"{kind}_id") if op.entity != kind else None
            owner = self.owners.get((kind, str(parent))) if parent else None
            if owner is not None and owner != branch:
                raise Rejected(403, f"{kind} {parent} is another branch's record")
        key = (op.entity, op.entity_id)
        rec = self.state.get(key)
        if rec is None:
            data = dict(payload)
            rec = self.state[key] = {"branch": branch, "version": 1, "ref": ref_of(op.entity, data), "data": data,
                                     "versions": dict.fromkeys(data, 1), "writers": dict.fromkeys(data, device_id),
                                     "new": True, "dirty": True}  # fmt: skip
            self._owned(op.entity, op.entity_id, branch)
            return 1, [], self._change(op, rec)
        if rec["branch"] != branch:
            raise Rejected(403, f"{op.entity} {op.entity_id} is another branch's record")
        data, versions, writers = rec["data"], rec["versions"], rec["writers"]
        earlier = rec.get("last_change")
        if earlier is not None and earlier["data"] is data:
            earlier["data"] = dict(data)  # an earlier change of this push keeps the state it left
        changed = [f for f in fields if data.get(f) != payload[f]]
        if op.entity in p.IMMUTABLE_ENTITIES:
            frozen = [f for f in changed if op.entity != "memo" or f not in MEMO_MUTABLE]
            if frozen:
                raise Rejected(409, f"a {op.entity} is written once: {', '.join(frozen[:5])} cannot change "
                                    "(issue a new one instead)")  # fmt: skip
        version, base = rec["version"] + 1, op.base_version or 0
        applied, kept = [], []
        for f in changed:
            if versions.get(f, 0) > base and writers.get(f) != device_id:
                kept.append(f)  # changed by someone else since this device's base: leave it, record both
                continue
            data[f], versions[f], writers[f] = payload[f], version, device_id
            applied.append(f)
        self.conflict_rows += [{
            "id": ids.new_id(), "entity": op.entity, "entity_id": op.entity_id, "branch": branch, "field": f,
            "base_version": op.base_version, "hub_version": rec["version"], "hub_value": self._value(f, data.get(f)),
            "device_value": self._value(f, payload[f]), "op_id": op.op_id, "device_id": device_id,
            "detected_at": self.stamp} for f in kept]  # fmt: skip
        if not applied:
            return rec["version"], kept, None
        rec.update(version=version, dirty=True, ref=ref_of(op.entity, data) or rec["ref"])
        return version, kept, self._change(op, rec)

    def _value(self, field: str, value) -> str:
        return dumps(self.sealer.seal_value(value) if field in PERSONAL_FIELDS else value)

    def _owned(self, entity: str, entity_id: str, branch: str) -> None:
        if entity in PARENTS:
            self.owners[(entity, entity_id)] = branch

    def _change(self, op: p.Operation, rec: dict) -> dict:
        # The record's own data, not a copy: a later operation of this push on the record copies it first.
        change = {"entity": op.entity, "entity_id": op.entity_id, "branch": rec["branch"], "version": rec["version"],
                  "data": rec["data"], "op_id": op.op_id, "origin_device": self.device["id"]}  # fmt: skip
        rec["last_change"] = change  # the change that leaves the record as it is (replaced by a later one)
        return change

    def _sealed_json(self, rec: dict) -> str:
        """The record's data, sealed, as stored. The change log row of the record's last change in this
        push holds the very same data: it is given the same text, so it is sealed and encoded once."""
        text = dumps(self.sealer.seal(rec["data"]))
        change = rec.get("last_change")
        if change is not None and change["version"] == rec["version"]:
            change["data_json"] = text
        return text

    @staticmethod
    def _stamps(rec: dict) -> tuple[str, str]:
        return stamps.pack(rec["versions"], rec["data"]), stamps.pack(rec["writers"], rec["data"])

    def flush(self) -> None:
        """Write the records that changed and the conflicts found, in a few statements."""
        new = [(k, r) for k, r in self.state.items() if r["new"]]
        old = [(k, r) for k, r in self.state.items() if r["dirty"] and not r["new"]]
        if new:
            # A record created by this push and not changed again has every field at version 1, written by
            # this device: packed, those two texts are the same for all of them.
            fresh = stamps.uniform(1), stamps.uniform(self.device["id"])

            insert_many(self.conn, records, [{
                "entity": k[0], "entity_id": k[1], "branch": r["branch"], "ref": r["ref"],
                "file_sha256": r["data"].get("file_sha256") if k[0] == "memo" else None, "version": r["version"],
                **dict(zip(("field_versions", "field_devices"), fresh if r["version"] == 1 else self._stamps(r),
                           strict=True)),
                "data": self._sealed_json(r),
                "created_at": self.stamp, "updated_at": self.stamp} for k, r in new])  # fmt: skip
        if old:
            cols = ("version", "data", "ref", "field_versions", "field_devices", "updated_at")
            statement = (update(records).where(records.c.entity == bindparam("k_entity"),
                                               records.c.entity_id == bindparam("k_id"))
                         .values(**{c: bindparam(f"b_{c}") for c in cols}))  # fmt: skip
            self.conn.execute(statement, [{
                "k_entity": k[0], "k_id": k[1], "b_version": r["version"], "b_data": self._sealed_json(r),
                "b_ref": r["ref"], **dict(zip(("b_field_versions", "b_field_devices"), self._stamps(r), strict=True)),
                "b_updated_at": self.stamp} for k, r in old])  # fmt: skip
        if self.conflict_rows:
            insert_many(self.conn, conflicts, self.conflict_rows)
