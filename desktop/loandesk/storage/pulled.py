"""Writing records pulled from the hub into the local tables, field by field, without an outbox row.

What arrives is the hub's state of a shared record (an enterprise profile, an application of this
branch captured on another device) in its wire form (``legal_rep_id`` rather than the person row's
``id_number``). ``sync.merge`` decides which fields may be written (never one with an unsent local
edit); this module only writes them and keeps the search index in step.
"""

from __future__ import annotations

from loandesk.core import clock, ids

from . import search
from .store import APPLICATION_COLUMNS, BOOL_COLUMNS, ENTERPRISE_COLUMNS

PERSON_FIELDS = {"legal_rep_name": "name", "legal_rep_id": "id_number", "legal_rep_phone": "phone"}
ENTERPRISE_FIELDS = (*ENTERPRISE_COLUMNS, "cultivation_stage", *PERSON_FIELDS)
APPLICATION_FIELDS = ("enterprise_id", *APPLICATION_COLUMNS, "stage")
SHARED = {"enterprise": ENTERPRISE_FIELDS, "application": APPLICATION_FIELDS}
_APPLICATION_REQUIRED = ("requested_amount", "term_months", "purpose", "guarantee_mode", "product")  # NOT NULL


def local_wire(store, entity: str, entity_id: str) -> dict | None:
    """The local record in wire form (the fields a pull or a conflict compares), or None if not here."""
    if entity == "enterprise":
        cursor = store.db.execute(
            "SELECT e.*, p.name AS legal_rep_name, p.id_number AS legal_rep_id, p.phone AS legal_rep_phone "
            "FROM enterprises e LEFT JOIN persons p ON p.id = e.legal_rep_person_id WHERE e.id = ?", (entity_id,)
        )  # fmt: skip
    elif entity == "application":
        cursor = store.db.execute("SELECT * FROM applications WHERE id = ?", (entity_id,))
    else:
        return None
    row = cursor.fetchone()
    if row is None:
        return None
    # the columns as the query named them (a PRAGMA per record cost a pull of 10,000 records seconds)
    values = dict(zip([d[0] for d in cursor.description], row, strict=True))
    return {f: values.get(f) for f in SHARED[entity]} | {"ref": values.get("ref")}


def store_format(entity: str, wire: dict) -> dict:
    """A wire state as ``Store._outbox`` writes its payload (the person's ID under its column's name)."""
    out = {f: wire.get(f) for f in SHARED[entity] if f in wire}
    if entity == "enterprise" and "legal_rep_id" in out:
        out["legal_rep_id_number"] = out.pop("legal_rep_id")
    return out


def write(store, entity: str, entity_id: str, data: dict, fields: set[str] | None = None) -> bool:
    """Write ``fields`` of the pulled ``data`` (all of it when the record is new here). False when it
    cannot be placed yet (an application whose enterprise is not here)."""
    if entity == "enterprise":
        return _enterprise(store, entity_id, data, fields)
    if entity == "application":
        return _application(store, entity_id, data, fields)
    return False


def _value(field: str, value):
    return int(bool(value)) if field in BOOL_COLUMNS and value is not None else value


def _enterprise(store, entity_id: str, data: dict, fields: set[str] | None) -> bool:
    stamp = clock.stamp()
    row = store.db.execute("SELECT seq, legal_rep_person_id FROM enterprises WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        if not data.get("ref") or not data.get("enterprise_name") or not data.get("credit_code"):
            return False
        person_id = None
        if data.get("legal_rep_name"):
            person_id = ids.new_id()
            store.db.execute("INSERT INTO persons(id, name, id_number, phone, created_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?)", (person_id, data.get("legal_rep_name"),
                             data.get("legal_rep_id"), data.get("legal_rep_phone"), stamp, stamp))  # fmt: skip
        cols = [c for c in (*ENTERPRISE_COLUMNS, "cultivation_stage") if data.get(c) is not None]
        values = [_value(c, data[c]) for c in cols]
        cur = store.db.execute(
            f"INSERT INTO enterprises(id, ref, {', '.join(cols)}, legal_rep_person_id, created_at, updated_at) "
            f"VALUES ({', '.join('?' * (len(cols) + 5))})", (entity_id, data["ref"], *values, person_id, stamp, stamp))
        seq = cur.lastrowid
    else:
        seq, person_id = row
        chosen = set(fields if fields is not None else data) & set(ENTERPRISE_FIELDS)
        own = {c: _value(c, data.get(c)) for c in chosen if c in ENTERPRISE_COLUMNS or c == "cultivation_stage"}
        if own:
            if "cultivation_stage" in own and own["cultivation_stage"] is None:
                own.pop("cultivation_stage")  # NOT NULL locally; the hub may simply not have it
            sets = ", ".join(f"{c} = ?" for c in own)
            store.db.execute(f"UPDATE enterprises SET {sets}, updated_at = ? WHERE id = ?",
                             (*own.values(), stamp, entity_id))  # fmt: skip
        person = {PERSON_FIELDS[f]: data.get(f) for f in chosen if f in PERSON_FIELDS}
        if person:
            if person_id is None:
                person_id = ids.new_id()
                store.db.execute("INSERT INTO persons(id, name, id_number, phone, created_at, updated_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", (person_id, person.get("name") or "",
                                 person.get("id_number"), person.get("phone"), stamp, stamp))  # fmt: skip
                store.db.execute("UPDATE enterprises SET legal_rep_person_id = ? WHERE id = ?", (person_id, entity_id))
            else:
                sets = ", ".join(f"{c} = ?" for c in person)
                store.db.execute(f"UPDATE persons SET {sets}, updated_at = ? WHERE id = ?",
                                 (*person.values(), stamp, person_id))  # fmt: skip
    now = local_wire(store, "enterprise", entity_id)
    search.index(store.db, seq, now["enterprise_name"], now["legal_rep_name"], now["credit_code"],
                 now["legal_rep_phone"], now["legal_rep_id"])  # fmt: skip
    store._search_generation += 1
    return True


def _application(store, entity_id: str, data: dict, fields: set[str] | None) -> bool:
    stamp = clock.stamp()
    exists = store.db.execute("SELECT 1 FROM applications WHERE id = ?", (entity_id,)).fetchone()
    if exists is None:
        enterprise = data.get("enterprise_id")
        if any(data.get(c) is None for c in _APPLICATION_REQUIRED):
            return False  # the hub has only part of it (an update seen before its insert): not placeable yet
        if not data.get("ref") or not enterprise or store.db.execute(
                "SELECT 1 FROM enterprises WHERE id = ?", (enterprise,)).fetchone() is None:  # fmt: skip
            return False
        cols = [c for c in APPLICATION_FIELDS if data.get(c) is not None]
        store.db.execute(
            f"INSERT INTO applications(id, ref, {', '.join(cols)}, created_at, updated_at) "
            f"VALUES ({', '.join('?' * (len(cols) + 4))})",
            (entity_id, data["ref"], *[_value(c, data[c]) for c in cols], stamp, stamp))  # fmt: skip
        return True
    chosen = [c for c in (fields if fields is not None else data) if c in APPLICATION_FIELDS and c != "enterprise_id"]
    if chosen:
        sets = ", ".join(f"{c} = ?" for c in chosen)
        store.db.execute(f"UPDATE applications SET {sets}, updated_at = ? WHERE id = ?",
                         (*[_value(c, data.get(c)) for c in chosen], stamp, entity_id))  # fmt: skip
    return True
