"""The SQL of enterprise list imports: one transaction, batched ``executemany``, search index included.

``write_list`` takes what ``lists.enterprise_import.validate`` accepted: rows whose credit code is on
file update that enterprise (only the fields the list gives, and only when a value differs: a blank
cell never erases), the rest are inserted, each with ``listed_on`` (the day it first arrived on a
list, read by the cultivation pipeline), the import batch and the list's branch and officer. The
whole import is one transaction: a cancel (``ImportCancelled`` raised from ``progress``) or a kill
leaves the store exactly as before.

``insert_records`` is the bulk insert of already validated dicts (demo data, tests), moved here
from ``Store.import_enterprises``, which still calls it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from loandesk.core import ids

from . import search

if TYPE_CHECKING:
    import pandas as pd
    from sqlite_utils import Database

    from .store import Store

BATCH = 50_000
# An import at least this large, and at least as large as the list already on file, drops the secondary
# indexes of enterprises and persons and builds them again at the end (one sort each, inside the same
# transaction): inserting 530,000 random keys one by one into indexes larger than the page cache is what
# made a first list import slow.
REBUILD_INDEXES_AT = 50_000
ENTERPRISE_LIST_COLUMNS = (
    "enterprise_name", "credit_code", "industry", "region_code", "registered_on", "employees",
    "annual_revenue", "total_assets", "tax_grade", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m",
    "social_insurance_headcount", "abnormal_operation", "dishonest_debtor", "has_loan_history",
    "list_branch", "list_officer",
)  # fmt: skip
PERSON_COLUMNS = {"legal_rep_name": "name", "legal_rep_id": "id_number", "legal_rep_phone": "phone"}
Progress = Callable[[int, int], None]


class ImportCancelled(Exception):
    """Raised by a progress callback to roll the whole import back."""


def create_schema(db: Database) -> None:
    """m012: the list's columns on enterprises, and one record per import."""
    db.executescript(
        """
        ALTER TABLE enterprises ADD COLUMN listed_on TEXT;       -- first day on a list (pipeline reads it)
        ALTER TABLE enterprises ADD COLUMN list_batch INTEGER;   -- import_batches.seq that first listed it
        ALTER TABLE enterprises ADD COLUMN list_branch TEXT;     -- branch or region the list assigns
        ALTER TABLE enterprises ADD COLUMN list_officer TEXT;    -- account manager named on the list
        CREATE INDEX enterprises_listed_on ON enterprises(listed_on) WHERE listed_on IS NOT NULL;
        CREATE TABLE import_batches (
            seq INTEGER PRIMARY KEY,          -- what enterprises.list_batch holds (2-3 bytes a row, not 36)
            id TEXT NOT NULL UNIQUE,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            sheet TEXT,
            rows INTEGER NOT NULL,
            imported INTEGER NOT NULL,
            updated INTEGER NOT NULL,
            unchanged INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            warned INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            imported_by TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        """
    )


def _uuid7s(n: int) -> list[str]:
    """``n`` UUIDv7 ids at once (as ``ids.new_id``): one clock read and one urandom call, not n."""
    import time

    import numpy as np  # here, not at the top: migrations import this module on the GUI's first start

    if not n:
        return []
    raw = np.frombuffer(os.urandom(16 * n), np.uint8).reshape(n, 16).copy()
    ms = (time.time_ns() // 1_000_000) & ((1 << 48) - 1)
    raw[:, :6] = np.frombuffer(ms.to_bytes(6, "big"), np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x70  # version 7
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # variant
    h = raw.tobytes().hex()
    # Sorted: still n valid UUIDv7s of this millisecond, handed out in ascending order, so the unique
    # index on enterprises.id (and persons' key) grows at its end instead of at 50,000 random places.
    return sorted(f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-{h[i + 20:i + 32]}"
                  for i in range(0, 32 * n, 32))  # fmt: skip


def _reserve_refs(store: Store, n: int) -> int:
    """The first of ``n`` enterprise reference numbers, reserved in the import's transaction."""
    return store.db.execute(
        """INSERT INTO counters(kind, next) VALUES ('enterprise', ?)
           ON CONFLICT(kind) DO UPDATE SET next = next + ? RETURNING next""",
        (n + 1, n),
    ).fetchone()[0] - n


def _stage_codes(db: Database, codes: list[str]) -> bool:
    """The list's codes in temp.import_codes (rowid = position + 1); False (nothing staged) when the
    store holds no enterprise yet: a first list has nothing to look up."""
    if db.execute("SELECT 1 FROM enterprises LIMIT 1").fetchone() is None:
        return False
    # No key on the temp table: the codes are unique already (deduplicated), appended in file order,
    # and the lookups walk them through enterprises_credit_code.
    db.execute("CREATE TEMP TABLE IF NOT EXISTS import_codes (code TEXT)")
    db.execute("DELETE FROM temp.import_codes")
    db.conn.executemany("INSERT INTO temp.import_codes(rowid, code) VALUES (?, ?)",
                        ((i + 1, c) for i, c in enumerate(codes)))  # fmt: skip
    return True


def _existing(db: Database, start: int, stop: int, fields: list[str]) -> dict[int, tuple]:
    """Position in the list -> (seq, id, person id, name, ID number, phone, stored values of ``fields``)
    for the staged codes ``start <= position < stop`` already on file (the oldest enterprise when
    intake made two). One chunk at a time: a re-imported 530,000-row list never holds every stored row."""
    cols = ", ".join(f"p.{PERSON_COLUMNS[f]}" if f in PERSON_COLUMNS else f"e.{f}" for f in fields)
    rows = db.execute(
        f"""SELECT i.rowid - 1, e.seq, e.id, e.legal_rep_person_id, p.name, p.id_number, p.phone
                   {', ' + cols if cols else ''}
            FROM temp.import_codes i CROSS JOIN enterprises e ON e.credit_code = i.code
            LEFT JOIN persons p ON p.id = e.legal_rep_person_id
            WHERE i.rowid > ? AND i.rowid <= ? ORDER BY e.seq DESC""",
        (start, stop),
    ).fetchall()
    return {r[0]: r[1:] for r in rows}  # ORDER BY seq DESC: the oldest is written last and kept


def write_list(store: Store, accepted: pd.DataFrame, fields: list[str], *, batch: int, listed_on: str,
               stamp: str, progress: Progress | None = None) -> tuple[int, int, int]:  # fmt: skip
    """Write the accepted rows inside the caller's transaction: (imported, updated, unchanged)."""
    import numpy as np
    import pandas as pd

    from loandesk.core.codes import entity_type_of

    db = store.db
    total = len(accepted)
    report = progress or (lambda done, of: None)
    report(0, total)
    ent_fields = [f for f in fields if f in ENTERPRISE_LIST_COLUMNS]
    person_fields = [f for f in fields if f in PERSON_COLUMNS]
    compared = ent_fields + person_fields
    is_old = np.zeros(total, bool)
    updated = unchanged = 0
    if _stage_codes(db, accepted["credit_code"].tolist()):
        for start in range(0, total, BATCH):
            found = _existing(db, start, start + BATCH, compared)
            if found:
                at = np.fromiter(found, np.int64, count=len(found))
                is_old[at] = True
                u, same = _update(store, accepted.iloc[np.sort(at)], ent_fields, person_fields, found, stamp)
                updated, unchanged = updated + u, unchanged + same
            report(int(is_old.sum()), total)
        mark_listed(db, listed_on, batch)
    # A first list (nothing on file matched): the accepted rows themselves, not a copy of every column
    # (~130 MB at 530,000 rows, held through the whole write).
    new = accepted[~is_old] if is_old.any() else accepted
    old_count = int(is_old.sum())
    branch, device = store.setting("branch"), store.setting("device")
    has_person = "legal_rep_name" in new.columns
    seq = (db.execute("SELECT max(seq) FROM enterprises").fetchone()[0] or 0) + 1
    rebuilt = _drop_indexes(db) if len(new) >= max(REBUILD_INDEXES_AT, seq - 1) else []
    done = old_count
    for start in range(0, len(new), BATCH):
        part = new.iloc[start : start + BATCH]
        n = len(part)
        first_ref = _reserve_refs(store, n)
        ent_ids = _uuid7s(n)
        seqs = range(seq, seq + n)
        seq += n
        person_ids: list = [None] * n
        if has_person:
            names = _column(part, "legal_rep_name")
            fresh = _uuid7s(n)
            person_ids = [pid if name else None for pid, name in zip(fresh, names, strict=True)]
            given = _given(part, PERSON_COLUMNS)  # the name among them whenever a row has a person
            person_cols = ("id", *(PERSON_COLUMNS[f] for f in given), "created_at", "updated_at")
            if any(person_ids):
                db.conn.executemany(
                    f"INSERT INTO persons({', '.join(person_cols)}) VALUES ({', '.join('?' * len(person_cols))})",
                    ((pid, *v, stamp, stamp) for pid, *v in zip(person_ids, *given.values(), strict=True) if pid),
                )  # fmt: skip
        values = _given(part, ENTERPRISE_LIST_COLUMNS)
        stages = ["first_loan" if v else "no_loan" for v in
                  (_column(part, "has_loan_history") if "has_loan_history" in part.columns else [None] * n)]
        prefix = part["credit_code"].str.slice(0, 2)
        entity = prefix.map({p: entity_type_of(p) for p in prefix.unique()}).tolist()
        listed = part["region_code"] if "region_code" in part.columns else pd.Series([None] * n, index=part.index)
        from_code = part["credit_code"].str.slice(2, 8)
        region = listed.where(listed.notna(), from_code.where(from_code.str.isdigit(), None))
        region = region.astype(object).where(region.notna(), None)
        if region.notna().any():
            values["region_code"] = region.tolist()
        if has_person:
            values["legal_rep_person_id"] = person_ids
        refs = [f"E-{branch}-{device}-{first_ref + i:06d}" for i in range(n)]
        cols = ("seq", "id", "ref", *values, "entity_type", "cultivation_stage", "listed_on", "list_batch",
                "created_at", "updated_at")  # fmt: skip
        db.conn.executemany(
            f"INSERT INTO enterprises({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            ((s, i, r, *v, et, st, listed_on, batch, stamp, stamp)
             for s, i, r, et, st, *v in zip(seqs, ent_ids, refs, entity, stages, *values.values(), strict=True)),
        )  # fmt: skip
        got = {f: _column(part, f) if f in part.columns else [None] * n for f in
               ("enterprise_name", "legal_rep_name", "credit_code", "legal_rep_phone", "legal_rep_id")}
        for f in ("legal_rep_phone", "legal_rep_id"):  # as stored: dropped where no person is (warned)
            got[f] = [v if pid else None for v, pid in zip(got[f], person_ids, strict=True)]
        search.index_many(db, zip(seqs, *got.values(), strict=True))
        done += n
        report(done, total)
    for sql in rebuilt:
        db.execute(sql)
    store._search_generation += 1
    return len(new), updated, unchanged


def _given(part: pd.DataFrame, fields) -> dict[str, list]:
    """The list's values of those ``fields`` it gives at all in this batch. A column it never fills is left
    out of the INSERT (the column's default is NULL): sqlcipher3 binds a None ~3x slower than a string,
    which was a third of writing the enterprises (9 such columns a row in a typical list)."""
    return {f: _column(part, f) for f in fields if f in part.columns and part[f].notna().any()}


def _column(part: pd.DataFrame, field: str) -> list:
    """A column's values, None where blank. pandas' string columns hold a blank as NaN, which SQLite
    stores as NULL but Python reads as true: a row without a legal representative got a person id (and
    the import failed on persons.name), a blank loan-history cell a first-loan stage, and a blank cell
    of a re-imported list would have erased the stored value."""
    col = part[field]
    if not col.hasnans:
        return col.tolist()
    return col.astype(object).where(col.notna(), None).tolist()


def _drop_indexes(db: Database) -> list[str]:
    """Drop the secondary indexes (not the primary and unique keys) of enterprises and persons; returns
    the statements that make them again."""
    rows = db.execute(
        """SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('enterprises', 'persons')
           AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"""
    ).fetchall()
    for name, _sql in rows:
        db.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _update(store: Store, old: pd.DataFrame, ent_fields: list[str], person_fields: list[str],
            found: dict[int, tuple], stamp: str) -> tuple[int, int]:  # fmt: skip
    """Rows whose code is on file: changed fields written (blank cells skipped), the rest counted."""
    if old.empty:
        return 0, 0
    db = store.db
    compared = ent_fields + person_fields
    file_values = [_column(old, f) for f in compared]
    changed_rows = []
    for position, *vals in zip(old.index.tolist(), *file_values, strict=True):
        seq, ent_id, person_id, _name, _idn, _phone, *stored = found[position]
        changes = {f: v for f, v, s in zip(compared, vals, stored, strict=True) if v is not None and v != s}
        if changes:
            changed_rows.append((seq, ent_id, person_id, changes))
    for seq, _ent_id, person_id, changes in changed_rows:
        ent = {f: v for f, v in changes.items() if f in ENTERPRISE_LIST_COLUMNS}
        per = {PERSON_COLUMNS[f]: v for f, v in changes.items() if f in PERSON_COLUMNS}
        if per and person_id:
            sets = ", ".join(f"{c} = ?" for c in per)
            db.execute(f"UPDATE persons SET {sets}, updated_at = ? WHERE id = ?", (*per.values(), stamp, person_id))
        elif per.get("name"):
            person_id = ids.new_id()
            db.execute("INSERT INTO persons(id, name, id_number, phone, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (person_id, per["name"], per.get("id_number"), per.get("phone"), stamp, stamp))
            ent["legal_rep_person_id"] = person_id
        sets = ", ".join(f"{c} = ?" for c in ent)
        db.execute(
            f"UPDATE enterprises SET {sets + ', ' if sets else ''}updated_at = ? WHERE seq = ?",
            (*ent.values(), stamp, seq),
        )
        if {"enterprise_name", "credit_code", "legal_rep_name", "legal_rep_id", "legal_rep_phone"} & set(changes):
            row = db.execute(
                """SELECT e.enterprise_name, p.name, e.credit_code, p.phone, p.id_number
                   FROM enterprises e LEFT JOIN persons p ON p.id = e.legal_rep_person_id WHERE e.seq = ?""",
                (seq,),
            ).fetchone()
            search.index(db, seq, *row)
    return len(changed_rows), len(old) - len(changed_rows)


def mark_listed(db: Database, listed_on: str, batch: int) -> None:
    """Enterprises on file (from intake, or an older store) that arrive on a list for the first time get
    their listing day: one statement over the codes ``_existing`` left in temp.import_codes."""
    db.execute(
        """UPDATE enterprises SET listed_on = ?, list_batch = ? WHERE listed_on IS NULL
           AND credit_code IN (SELECT code FROM temp.import_codes)""",
        (listed_on, batch),
    )
    db.execute("DELETE FROM temp.import_codes")


def record_batch(db: Database, values: dict) -> int:
    """The batch's record (its counts filled in when the import ends); returns its seq."""
    cols = ", ".join(values)
    return db.execute(f"INSERT INTO import_batches({cols}) VALUES ({', '.join('?' * len(values))}) RETURNING seq",
                      tuple(values.values())).fetchone()[0]  # fmt: skip


# ---- bulk insert of validated dicts (demo data, tests): formerly Store.import_enterprises ------------------


def insert_records(store: Store, records: Iterable[dict], columns: tuple[str, ...], bools: tuple[str, ...],
                   batch: int = 20_000) -> int:  # fmt: skip
    from .store import now

    stamp = now()
    count = 0
    with store.db.atomic():
        pending: list[dict] = []
        for rec in records:
            pending.append(rec)
            if len(pending) >= batch:
                count += insert_batch(store, pending, stamp, columns, bools)
                pending = []
        if pending:
            count += insert_batch(store, pending, stamp, columns, bools)
    return count


def insert_batch(store: Store, records: list[dict], stamp: str, columns: tuple[str, ...],
                  bools: tuple[str, ...]) -> int:  # fmt: skip
    db = store.db
    persons, enterprises = [], []
    branch, device = store.setting("branch"), store.setting("device")
    start = _reserve_refs(store, len(records))
    first_seq = (db.execute("SELECT max(seq) FROM enterprises").fetchone()[0] or 0) + 1
    for i, rec in enumerate(records):
        person_id = None
        if rec.get("legal_rep_name"):
            person_id = ids.new_id()
            persons.append((person_id, rec["legal_rep_name"], rec.get("legal_rep_id"), rec.get("legal_rep_phone"),
                            stamp, stamp))  # fmt: skip
        row = [first_seq + i, ids.new_id(), ids.make_ref("enterprise", branch, device, start + i)]
        for col in columns:
            value = rec.get(col)
            row.append(int(value) if col in bools and value is not None else value)
        stage = "first_loan" if rec.get("has_loan_history") else "no_loan"
        enterprises.append((*row, person_id, stage, stamp, stamp))
    db.conn.executemany(
        "INSERT INTO persons(id, name, id_number, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", persons
    )
    cols = ("seq", "id", "ref", *columns, "legal_rep_person_id", "cultivation_stage", "created_at", "updated_at")
    db.conn.executemany(
        f"INSERT INTO enterprises({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", enterprises
    )
    store._search_generation += 1
    search.index_many(
        db,
        ((row[0], rec["enterprise_name"], rec.get("legal_rep_name"), rec["credit_code"], rec.get("legal_rep_phone"),
          rec.get("legal_rep_id")) for row, rec in zip(enterprises, records, strict=True)),
    )  # fmt: skip
    return len(records)


# ---- one import, end to end --------------------------------------------------------------------------


def import_validated(store: Store, validated, *, file_name: str, sha256: str, sheet: str | None = None,
                     progress: Progress | None = None):  # fmt: skip
    """Write a validated list (``lists.enterprise_import.Validated``) as ONE transaction, with its batch
    record and an audit entry (counts and the file's hash, no personal data). Returns ``ImportResult``;
    nothing is written when no row was accepted (the caller says why)."""
    from loandesk.core import clock
    from loandesk.lists.enterprise_import import ImportResult

    from .store import now

    store.actor.require("import_list")
    result = ImportResult(file_name=file_name, rows=validated.rows, rejected=validated.rejected,
                          duplicates=validated.duplicates, sheet=sheet)  # fmt: skip
    if validated.accepted.empty:
        return result
    stamp = now()
    batch_id = ids.new_id()
    with store.db.atomic():
        batch = record_batch(store.db, {
            "id": batch_id, "file_name": file_name, "sha256": sha256, "sheet": sheet, "rows": result.rows,
            "imported": 0, "updated": 0, "unchanged": 0, "rejected": result.rejected, "warned": 0,
            "duplicates": result.duplicates, "imported_by": store.actor.username, "imported_at": stamp,
        })  # fmt: skip
        today = clock.today().isoformat()
        imported, updated, unchanged = write_list(store, validated.accepted, validated.fields, batch=batch,
                                                  listed_on=today, stamp=stamp, progress=progress)  # fmt: skip
        result.imported, result.updated, result.unchanged = imported, updated, unchanged
        result.warned = len(validated.warned_rows)
        result.batch_id = batch_id
        store.db.execute("UPDATE import_batches SET imported = ?, updated = ?, unchanged = ?, warned = ? WHERE seq = ?",
                         (imported, updated, unchanged, result.warned, batch))  # fmt: skip
        store.audit("import_list", batch_id, {"file": file_name, "sha256": sha256, **result.counts()})
    return result


def import_file(store: Store, path, *, sheet: str | None = None, mapping: dict | None = None,
                progress: Progress | None = None, lang: str = "zh", frame: pd.DataFrame | None = None):  # fmt: skip
    """Read, map, validate and write one list file. ``mapping``: header -> ``Mapped`` (or None to
    skip), as the import dialog's mapping step chose; default the automatic mapping. Raises
    ``TableError`` / ``ListRefused`` when the file is refused whole; the result carries the report.
    ``frame``: the file as the dialog already read it (not read twice)."""
    import hashlib
    from pathlib import Path

    from loandesk.core import clock
    from loandesk.lists import enterprise_import as lists
    from loandesk.lists.header_mapping import auto_mapping

    store.actor.require("import_list")  # before reading a byte
    path = Path(path)
    if frame is None:
        frame = lists.read_list(path, sheet=sheet, mapping=mapping)
    if progress:
        progress(0, len(frame))
    chosen = mapping if mapping is not None else auto_mapping(list(frame.columns))
    validated = lists.validate(frame, chosen, today=clock.today())
    rows = len(frame)
    del frame  # the cells as text: ~350 MB for 530,000 rows, not needed while writing
    if progress:
        progress(0, rows)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = import_validated(store, validated, file_name=path.name, sha256=digest, sheet=sheet, progress=progress)
    result.report = validated.report(lang)
    return result
