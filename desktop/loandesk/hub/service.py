"""The hub's functions: enrolment, applying a push, pulling, attachments, and head office's work.

The HTTP app and the command line are faces over ``Hub``; a web console would be another. Every
function takes plain values or ``sync.protocol`` models and raises ``HubError`` (an HTTP status, a
stable error code and a sentence) to refuse.

Ordering of the change log: on PostgreSQL several hub processes write at once, and a plain
sequence hands number 10 to one transaction and 11 to another that may commit first, so a device
that pulled up to 11 would never see 10. Every transaction that appends changes therefore takes
``pg_advisory_xact_lock(CHANGE_LOG_LOCK)`` just before its inserts and holds it until it commits:
numbers are handed out in commit order. On SQLite one writer at a time makes that so already.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from pydantic_core import from_json, to_json
from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from loandesk.core import clock, ids
from loandesk.sync import protocol as p

from . import auth, migrations, stamps
from .apply import Batch, Rejected, dumps, insert_many, ref_of, rows_in
from .db import open_database
from .schema import blob_chunks, blobs, changes, conflicts, devices, enrol_codes, operations, records
from .sealing import Sealer
from .signing import Signer

CHANGE_LOG_LOCK = 0x10AD_0002
ALL_BRANCHES = "*"
RETRIES = 6
_RESULT_FIELDS = tuple(p.OpResult.model_fields)  # in the model's order, as its JSON gives them


class HubError(Exception):
    def __init__(self, status: int, error: str, detail: str, **extra: Any):
        super().__init__(detail)
        self.status, self.error, self.detail, self.extra = status, error, detail, extra

    def body(self) -> dict:
        return p.Refusal(error=self.error, detail=self.detail, **self.extra).model_dump(exclude_defaults=True)


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(b"c1:%d" % seq).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, _, seq = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(":")
        if kind != "c1" or not seq.isdigit():
            raise ValueError
        return int(seq)
    except ValueError:
        raise HubError(422, "malformed", "the cursor is not one this hub handed out") from None


def _retrying(work: Callable[[Connection], Any], engine: Engine) -> Any:
    """Run ``work`` in one transaction, again when a concurrent writer got there first (a unique key
    taken meanwhile, a deadlock): the second run sees what the first committed."""
    for attempt in range(RETRIES):
        try:
            with engine.begin() as conn:
                return work(conn)
        except (IntegrityError, DBAPIError) as exc:
            transient = isinstance(exc, IntegrityError) or getattr(exc.orig, "sqlstate", None) in ("40001", "40P01")
            if not transient or attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


class Hub:
    def __init__(self, engine: Engine, sealer: Sealer, signer: Signer | None = None):
        self.engine, self.sealer, self.signer = engine, sealer, signer

    @classmethod
    def open(cls, db_url: str) -> Hub:
        """The hub over this database: schema brought up to date, the personal-data key checked, the
        rule-pack signing key loaded (made on first use)."""
        engine = open_database(db_url)
        return cls(engine, Sealer.for_database(db_url, engine), Signer.for_database(db_url))

    def _open(self, text: str) -> dict:
        return self.sealer.open(from_json(text))  # pydantic-core's parser: under half json.loads' time

    # ---- state ----------------------------------------------------------------------------------
    def health(self) -> p.Health:
        with self.engine.connect() as conn:
            version = migrations.current_version(conn)
        return p.Health(status="ok", database=self.engine.dialect.name, schema_version=version,
                        protocol=p.PROTOCOL_VERSION)  # fmt: skip

    # ---- enrolment ------------------------------------------------------------------------------
    def issue_code(self, branch: str, valid_for: dt.timedelta) -> tuple[str, str]:
        """A one-time enrolment code for a device of ``branch``, and when it expires."""
        branch = branch.strip().upper()
        if not branch or len(branch) > 32 or not all(c.isalnum() or c == "-" for c in branch):
            raise HubError(422, "malformed", "a branch code is 1-32 letters, digits or '-'")
        if valid_for <= dt.timedelta(0):
            raise HubError(422, "malformed", "the code must be valid for some time")
        code, made = auth.new_code(), clock.now()
        expires = (made + valid_for).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            conn.execute(insert(enrol_codes).values(code_hash=auth.code_digest(code), branch=branch,
                                                    created_at=made.isoformat(timespec="seconds"), expires_at=expires))
        return code, expires

    def enroll(self, req: p.EnrollRequest) -> p.EnrollResponse:
        """Trade a one-time code for a device token. A device enrolled before (revoked or not) keeps its
        id and branch; a code for another branch cannot move it."""
        token = auth.new_token()
        stamp = clock.stamp()

        def work(conn: Connection) -> p.EnrollResponse:
            row = conn.execute(select(enrol_codes).where(enrol_codes.c.code_hash == auth.code_digest(req.code))
                               .with_for_update()).mappings().first()  # fmt: skip
            if row is None or row["used_at"] is not None:
                raise HubError(401, "bad_code", "this enrolment code is unknown or was already used")
            if dt.datetime.fromisoformat(row["expires_at"]) <= clock.now():
                raise HubError(401, "bad_code", f"this enrolment code expired at {row['expires_at']}")
            known = conn.execute(select(devices).where(devices.c.id == req.device_id)).mappings().first()
            if known and known["branch"] != row["branch"]:
                raise HubError(403, "forbidden", f"this device belongs to branch {known['branch']}, the code is for "
                                                 f"{row['branch']}: its data stays with its branch")  # fmt: skip
            conn.execute(update(enrol_codes).where(enrol_codes.c.code_hash == row["code_hash"])
                         .values(used_at=stamp, used_by=req.device_id))  # fmt: skip
            values = {"token_hash": auth.digest(token), "revoked_at": None, "last_seen": stamp,
                      "code": req.device_code, "name": req.name}  # fmt: skip
            if known:
                conn.execute(update(devices).where(devices.c.id == req.device_id).values(**values))
            else:
                conn.execute(insert(devices).values(id=req.device_id, branch=row["branch"], enrolled_at=stamp,
                                                    **values))
            return p.EnrollResponse(device_id=req.device_id, branch=row["branch"], token=token,
                                    signing_key=self.signer.public_key() if self.signer else None)

        return _retrying(work, self.engine)

    def authenticate(self, token: str | None) -> dict:
        if not token:
            raise HubError(401, "unauthorized", "no device token: enrol the device first")
        with self.engine.connect() as conn:
            row = conn.execute(select(devices).where(devices.c.token_hash == auth.digest(token))).mappings().first()
        if row is None:
            raise HubError(401, "unauthorized", "unknown device token")
        if row["revoked_at"]:
            raise HubError(401, "revoked", f"this device was revoked at {row['revoked_at']}: enrol it again")
        return dict(row)

    def devices(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(devices.c.id, devices.c.code, devices.c.name, devices.c.branch,
                                       devices.c.enrolled_at, devices.c.last_seen, devices.c.unsent,
                                       devices.c.revoked_at).order_by(devices.c.branch, devices.c.enrolled_at))
            return [dict(r) for r in rows.mappings()]

    def revoke(self, key: str) -> dict:
        """Revoke a device by its id (or a unique start of it, or its short code): its token stops working."""
        with self.engine.begin() as conn:
            found = conn.execute(select(devices).where(or_(devices.c.id == key, devices.c.id.startswith(key),
                                                           devices.c.code == key))).mappings().all()  # fmt: skip
            exact = [r for r in found if r["id"] == key]
            found = exact or found
            if not found:
                raise HubError(404, "not_found", f"no device {key!r}")
            if len(found) > 1:
                raise HubError(422, "malformed", f"{key!r} names {len(found)} devices: give more of the id")
            conn.execute(update(devices).where(devices.c.id == found[0]["id"])
                         .values(revoked_at=clock.stamp()))  # the hash stays, so its device hears "revoked"
        return {"id": found[0]["id"], "branch": found[0]["branch"], "revoked": True}

    def _seen(self, conn: Connection, device: dict, unsent: int | None = None) -> None:
        values: dict[str, Any] = {"last_seen": clock.stamp()}
        if unsent is not None:
            values["unsent"] = unsent
        conn.execute(update(devices).where(devices.c.id == device["id"]).values(**values))

    # ---- push -----------------------------------------------------------------------------------
    def push(self, device: dict, req: p.PushRequest) -> p.PushResponse:
        answers = self._push_answers(device, req)
        return p.PushResponse.model_construct(results=[p.OpResult.model_construct(**a) for a in answers])

    def push_json(self, device: dict, req: p.PushRequest) -> bytes:
        """``push``'s answer as the JSON ``PushResponse.model_dump_json`` gives, written straight from the
        hub's own values: building 200 pydantic models per push cost more than applying the operations."""
        return to_json({"results": self._push_answers(device, req)})  # pydantic-core's encoder, as pull_json

    def _push_answers(self, device: dict, req: p.PushRequest) -> list[dict]:
        if req.device != device["id"] or any(op.device != device["id"] for op in req.ops):
            raise HubError(403, "forbidden", "operations name another device than the token's")
        return _retrying(lambda conn: self._push(conn, device, req), self.engine)

    def _push(self, conn: Connection, device: dict, req: p.PushRequest) -> p.PushResponse:
        seen = self._stored_ops(conn, [op.op_id for op in req.ops])
        reused, in_batch = [], {}
        for op in req.ops:
            before = seen.get(op.op_id) or in_batch.get(op.op_id)
            if before and (before["payload_sha256"] != op.payload_sha256 or before["device_id"] != device["id"]):
                reused.append(op.op_id)
            in_batch.setdefault(op.op_id, {"payload_sha256": op.payload_sha256, "device_id": device["id"]})
        if reused:
            raise HubError(409, "reused", "operation ids reused with other content: nothing in this push was applied; "
                                          "set these aside and push the rest", reused=reused)  # fmt: skip
        results: dict[str, dict] = {}
        log: list[dict] = []  # change-log rows, appended under the lock at the end
        op_rows: list[dict] = []
        stamp = clock.stamp()
        batch = Batch(conn, device, stamp, self.sealer)
        batch.load([op for op in req.ops if op.op_id not in seen])
        refused: set[tuple[str, str]] = set()  # records with a refused operation in this push
        for op in req.ops:
            if op.op_id in seen or op.op_id in results:
                stored = seen.get(op.op_id) or results[op.op_id]
                results.setdefault(op.op_id, stored)
                continue
            key = (op.entity, op.entity_id)
            if refused and ({key} | {(k, str(op.payload[f"{k}_id"])) for k in ("application", "enterprise")
                                     if op.payload.get(f"{k}_id")}) & refused:  # fmt: skip
                # behind a refused operation on its record: not applied and not remembered, so the device
                # keeps it waiting and sends it again after the refused one is corrected
                refused.add(key)
                results[op.op_id] = {"op_id": op.op_id, "status": "rejected", "code": 424,
                                     "reason": "waits for a refused operation on the same record"}  # fmt: skip
                continue
            try:
                version, conflicted, change = batch.apply(op)
                result = {"status": "applied", "version": version, "conflicts": conflicted}
            except Rejected as why:
                result, change = {"status": "rejected", "code": why.code, "reason": why.reason}, None
                refused.add(key)
            result["op_id"] = op.op_id
            results[op.op_id] = result
            op_rows.append({"op": op, "result": result, "change": change})
            if change:
                log.append(change)
        batch.flush()
        seqs = self.append_changes(conn, log)
        for change, seq in zip(log, seqs, strict=True):
            change["seq"] = seq
        if op_rows:
            insert_many(conn, operations, [{
                "op_id": r["op"].op_id, "device_id": device["id"], "device_seq": r["op"].device_seq,
                "payload_sha256": r["op"].payload_sha256, "entity": r["op"].entity, "entity_id": r["op"].entity_id,
                "status": r["result"]["status"], "code": r["result"].get("code"), "reason": r["result"].get("reason"),
                "version": r["result"].get("version"), "conflicts": dumps(r["result"].get("conflicts") or []) if
                r["result"].get("conflicts") else "[]",
                "hub_seq": r["change"]["seq"] if r["change"] else None, "device_time": r["op"].device_time,
                "received_at": stamp} for r in op_rows])  # fmt: skip
            for r in op_rows:
                if r["change"]:
                    r["result"]["hub_seq"] = encode_cursor(r["change"]["seq"])
        self._seen(conn, device, req.unsent)
        answers, answered = [], set()
        for op in req.ops:
            result = results[op.op_id]
            # Every field of OpResult, in its order, from the hub's own values (statuses, versions, cursors it
            # just wrote): not validated again.
            stored = {k: result.get(k) for k in _RESULT_FIELDS}
            stored["conflicts"] = stored["conflicts"] or []
            if op.op_id in seen or op.op_id in answered:  # acknowledged again, with the first answer's details
                stored["status"] = "duplicate"
            answered.add(op.op_id)
            answers.append(stored)
        return answers

    def _stored_ops(self, conn: Connection, op_ids: list[str]) -> dict[str, dict]:
        found = {}
        for start in range(0, len(op_ids), 400):
            for r in rows_in(conn, operations, "op_id", op_ids[start : start + 400]):
                found[r["op_id"]] = {
                    "op_id": r["op_id"], "device_id": r["device_id"], "payload_sha256": r["payload_sha256"],
                    "status": r["status"], "code": r["code"], "reason": r["reason"], "version": r["version"],
                    "conflicts": json.loads(r["conflicts"] or "[]"),
                    "hub_seq": encode_cursor(r["hub_seq"]) if r["hub_seq"] else None}  # fmt: skip
        return found

    def append_changes(self, conn: Connection, rows: list[dict]) -> list[int]:
        """Append to the change log and return the numbers given; call last in the writing transaction.

        The advisory lock (PostgreSQL) is held until commit, so no transaction can take a number
        while another that took a smaller one is still uncommitted: cursor order is commit order."""
        if not rows:
            return []
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CHANGE_LOG_LOCK})")
        stamp = clock.stamp()
        values = [{"entity": r["entity"], "entity_id": r["entity_id"], "branch": r["branch"], "version": r["version"],
                   "op_id": r.get("op_id"), "origin_device": r.get("origin_device"),
                   "data": r.get("data_json") or dumps(self.sealer.seal(r["data"])),
                   "committed_at": stamp} for r in rows]  # fmt: skip
        if conn.dialect.name == "sqlite":
            # One writer at a time (BEGIN IMMEDIATE): the next numbers are the largest so far plus 1, 2, ...,
            # which is what SQLite itself would hand out. Given explicitly, the rows go in one executemany,
            # where RETURNING in parameter order would cost SQLAlchemy one statement per row on SQLite.
            last = conn.execute(select(func.coalesce(func.max(changes.c.seq), 0))).scalar_one()
            seqs = list(range(last + 1, last + 1 + len(values)))
            insert_many(conn, changes, [{**v, "seq": seq} for v, seq in zip(values, seqs, strict=True)])
            return seqs
        result = conn.execute(insert(changes).returning(changes.c.seq, sort_by_parameter_order=True), values)
        return [row[0] for row in result]

    @staticmethod
    def _change(op: p.Operation | None, branch: str, version: int, data: dict, device: dict | None,
                entity: str | None = None, entity_id: str | None = None) -> dict:  # fmt: skip
        return {"entity": entity or op.entity, "entity_id": entity_id or op.entity_id, "branch": branch,
                "version": version, "data": data, "op_id": op.op_id if op else None,
                "origin_device": device["id"] if device else None}  # fmt: skip

    # ---- pull -----------------------------------------------------------------------------------
    def pull(self, device: dict, cursor: str | None, limit: int = 500) -> p.PullResponse:
        found, last, more = self._pull(device, cursor, limit)
        return p.PullResponse(changes=[p.Change(**c) for c in found], cursor=last, more=more)

    def pull_json(self, device: dict, cursor: str | None, limit: int = 500) -> bytes:
        """``pull``'s answer as the JSON ``PullResponse.model_dump_json`` gives (pydantic-core's encoder,
        fields in the model's order), written from the hub's own rows: not validated again, which cost
        as much as reading them."""
        found, last, more = self._pull(device, cursor, limit)
        return to_json({"changes": found, "cursor": last, "more": more})

    def _pull(self, device: dict, cursor: str | None, limit: int) -> tuple[list[dict], str, bool]:
        after = decode_cursor(cursor)
        limit = max(1, min(int(limit), 2000))
        with self.engine.begin() as conn:
            rows = conn.execute(select(changes).where(changes.c.seq > after,
                                                      changes.c.branch.in_([device["branch"], ALL_BRANCHES]))
                                .order_by(changes.c.seq).limit(limit + 1)).mappings().all()  # fmt: skip
            self._seen(conn, device)
        more = len(rows) > limit
        rows = rows[:limit]
        out = [{"cursor": encode_cursor(r["seq"]), "entity": r["entity"], "entity_id": r["entity_id"],
                "version": r["version"], "branch": r["branch"], "data": self._open(r["data"]),
                "origin_device": r["origin_device"], "op_id": r["op_id"]} for r in rows]  # fmt: skip
        last = encode_cursor(rows[-1]["seq"]) if rows else (cursor or encode_cursor(0))
        return out, last, more

    def record(self, device: dict | None, entity: str, entity_id: str) -> p.Record:
        """One record's current state (a device's base for a field-by-field merge)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(records).where(records.c.entity == entity, records.c.entity_id == entity_id)
                               ).mappings().first()  # fmt: skip
        if row is None:
            raise HubError(404, "not_found", f"no {entity} {entity_id} on the hub")
        if device is not None and row["branch"] not in (device["branch"], ALL_BRANCHES):
            raise HubError(403, "forbidden", f"{entity} {entity_id} is another branch's record")
        data = self._open(row["data"])
        return p.Record(entity=row["entity"], entity_id=row["entity_id"], branch=row["branch"], version=row["version"],
                        field_versions=stamps.unpack(row["field_versions"], data), data=data,
                        updated_at=row["updated_at"])  # fmt: skip

    def conflicts(self, device: dict | None, *, open_only: bool = True) -> list[p.Conflict]:
        query = select(conflicts).order_by(conflicts.c.detected_at, conflicts.c.id)
        if device is not None:
            query = query.where(conflicts.c.branch == device["branch"])
        if open_only:
            query = query.where(conflicts.c.resolved_at.is_(None))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [p.Conflict(id=r["id"], entity=r["entity"], entity_id=r["entity_id"], field=r["field"],
                           base_version=r["base_version"], hub_version=r["hub_version"],
                           hub_value=self.sealer.open_value(json.loads(r["hub_value"])),
                           device_value=self.sealer.open_value(json.loads(r["device_value"])),
                           op_id=r["op_id"], device=r["device_id"], detected_at=r["detected_at"],
                           resolved_at=r["resolved_at"], resolved_by=r["resolved_by"],
                           resolution=r["resolution"]) for r in rows]  # fmt: skip

    def resolve_conflict(self, conflict_id: str, keep: str, by: str) -> dict:
        """A person settles a conflict: keep the hub's value, or take the device's, which makes a new
        version of the record that flows down to the branch like any other change."""
        if keep not in ("hub", "device"):
            raise HubError(422, "malformed", "keep the hub's value or the device's: --keep hub|device")
        if not by.strip():
            raise HubError(422, "malformed", "a resolution needs the name of who settled it (--by)")
        stamp = clock.stamp()

        def work(conn: Connection) -> dict:
            row = conn.execute(select(conflicts).where(conflicts.c.id == conflict_id).with_for_update()
                               ).mappings().first()  # fmt: skip
            if row is None:
                raise HubError(404, "not_found", f"no conflict {conflict_id}")
            if row["resolved_at"]:
                raise HubError(422, "malformed", f"conflict {conflict_id} was resolved at {row['resolved_at']} "
                                                 f"by {row['resolved_by']}")  # fmt: skip
            version = None
            if keep == "device":
                where = (records.c.entity == row["entity"], records.c.entity_id == row["entity_id"])
                rec = conn.execute(select(records).where(*where).with_for_update()).mappings().one()
                data = self._open(rec["data"])
                versions = stamps.unpack(rec["field_versions"], data)
                writers = stamps.unpack(rec["field_devices"], data)
                version = rec["version"] + 1
                data[row["field"]] = self.sealer.open_value(json.loads(row["device_value"]))
                versions[row["field"]], writers[row["field"]] = version, "hub"
                conn.execute(update(records).where(*where).values(
                    version=version, data=dumps(self.sealer.seal(data)), field_versions=stamps.pack(versions, data),
                    field_devices=stamps.pack(writers, data),
                    updated_at=stamp))  # fmt: skip
                self.append_changes(conn, [self._change(None, rec["branch"], version, data, None, row["entity"],
                                                        row["entity_id"])])  # fmt: skip
            conn.execute(update(conflicts).where(conflicts.c.id == conflict_id)
                         .values(resolved_at=stamp, resolved_by=by.strip(), resolution=keep))  # fmt: skip
            return {"id": conflict_id, "entity": row["entity"], "entity_id": row["entity_id"], "field": row["field"],
                    "kept": keep, "version": version, "resolved_by": by.strip()}  # fmt: skip

        return _retrying(work, self.engine)

    def close_conflict(self, device: dict, conflict_id: str, req: p.ConflictClose) -> dict:
        """A device settled a conflict about its own edit (its chosen value travels as a new operation)."""
        stamp = clock.stamp()

        def work(conn: Connection) -> dict:
            row = conn.execute(select(conflicts).where(conflicts.c.id == conflict_id).with_for_update()
                               ).mappings().first()  # fmt: skip
            if row is None:
                raise HubError(404, "not_found", f"no conflict {conflict_id}")
            if row["branch"] != device["branch"] or row["device_id"] != device["id"]:
                raise HubError(403, "forbidden", f"conflict {conflict_id} is not about this device's edit")
            if not row["resolved_at"]:
                conn.execute(update(conflicts).where(conflicts.c.id == conflict_id)
                             .values(resolved_at=stamp, resolved_by=req.by, resolution=req.kept))  # fmt: skip
            return {"id": conflict_id, "kept": row["resolution"] or req.kept}

        return _retrying(work, self.engine)

    # ---- audit trails ---------------------------------------------------------------------------
    def receive_audit(self, device: dict, req: p.AuditPush) -> p.AuditAnswer:
        from . import audit

        if req.device != device["id"]:
            raise HubError(403, "forbidden", "audit records name another device than the token's")
        try:
            with self.engine.begin() as conn:
                return audit.receive(conn, device, req)
        except audit.AuditBreak as exc:
            with self.engine.begin() as conn:  # the break is recorded even though the records are refused
                audit.flag(conn, device["id"], exc.detail)
            raise HubError(409, "audit_break", f"the audit chain does not continue: {exc.detail}") from None

    def verify_audit(self) -> list[dict]:
        from . import audit

        return audit.verify(self.engine)

    # ---- attachments ----------------------------------------------------------------------------
    def blob_start(self, device: dict, req: p.BlobStart) -> p.BlobStatus:
        def work(conn: Connection) -> None:
            if conn.execute(select(blobs.c.sha256).where(blobs.c.sha256 == req.sha256)).first() is None:
                conn.execute(insert(blobs).values(sha256=req.sha256, size=req.size, chunk_size=req.chunk_size,
                                                  branch=device["branch"], complete=0, created_at=clock.stamp()))

        _retrying(work, self.engine)
        return self.blob_status(req.sha256)

    def blob_status(self, sha256: str) -> p.BlobStatus:
        with self.engine.connect() as conn:
            row = conn.execute(select(blobs).where(blobs.c.sha256 == sha256)).mappings().first()
            if row is None:
                raise HubError(404, "not_found", f"no attachment {sha256[:12]}… on the hub: start it first")
            have = [r[0] for r in conn.execute(select(blob_chunks.c.idx).where(blob_chunks.c.sha256 == sha256)
                                               .order_by(blob_chunks.c.idx))]  # fmt: skip
        chunks = max(1, -(-row["size"] // row["chunk_size"]))
        return p.BlobStatus(sha256=sha256, size=row["size"], chunk_size=row["chunk_size"], chunks=chunks,
                            have=list(range(chunks)) if row["complete"] else have, complete=bool(row["complete"]))

    def blob_put(self, sha256: str, index: int, data: bytes) -> p.BlobStatus:
        """Store one chunk; the last one in makes the hub check the whole against its SHA-256."""
        status = self.blob_status(sha256)
        if status.complete:
            return status
        if not 0 <= index < status.chunks:
            raise HubError(422, "malformed", f"chunk {index} is outside 0..{status.chunks - 1}")
        expected = min(status.chunk_size, status.size - index * status.chunk_size)
        if len(data) != expected:
            raise HubError(422, "malformed", f"chunk {index} has {len(data)} bytes, expected {expected}")

        def work(conn: Connection) -> None:
            conn.execute(delete(blob_chunks).where(blob_chunks.c.sha256 == sha256, blob_chunks.c.idx == index))
            conn.execute(insert(blob_chunks).values(sha256=sha256, idx=index, data=data))

        _retrying(work, self.engine)
        status = self.blob_status(sha256)
        if len(status.have) == status.chunks:
            whole = self.blob_bytes(sha256, complete_only=False)
            if p.sha256_hex(whole) != sha256:
                with self.engine.begin() as conn:
                    conn.execute(delete(blob_chunks).where(blob_chunks.c.sha256 == sha256))
                raise HubError(422, "malformed", "the chunks do not add up to the attachment's SHA-256: send it again")
            with self.engine.begin() as conn:
                conn.execute(update(blobs).where(blobs.c.sha256 == sha256).values(complete=1))
            status = self.blob_status(sha256)
        return status

    def blob_bytes(self, sha256: str, *, complete_only: bool = True) -> bytes:
        with self.engine.connect() as conn:
            done = conn.execute(select(blobs.c.complete).where(blobs.c.sha256 == sha256)).scalar()
            if done is None or (complete_only and not done):
                raise HubError(404, "not_found", f"attachment {sha256[:12]}… is not on the hub (or not complete)")
            parts = conn.execute(select(blob_chunks.c.data).where(blob_chunks.c.sha256 == sha256)
                                 .order_by(blob_chunks.c.idx))  # fmt: skip
            return b"".join(bytes(r[0]) for r in parts)

    # ---- head office ----------------------------------------------------------------------------
    def _hub_record(self, conn: Connection, entity: str, entity_id: str, branch: str, data: dict) -> int:
        stamp = clock.stamp()
        conn.execute(insert(records).values(entity=entity, entity_id=entity_id, branch=branch, ref=ref_of(entity, data),
                                            version=1, field_versions=stamps.pack(dict.fromkeys(data, 1), data),
                                            field_devices=stamps.pack(dict.fromkeys(data, "hub"), data),
                                            data=dumps(data),
                                            created_at=stamp, updated_at=stamp))  # fmt: skip
        return self.append_changes(conn, [self._change(None, branch, 1, data, None, entity, entity_id)])[0]

    def find(self, entity: str, ref: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(records).where(records.c.entity == entity, or_(records.c.ref == ref,
                                                                                     records.c.entity_id == ref))
                               ).mappings().first()  # fmt: skip
        return dict(row) if row else None

    def decide(self, ref: str, approve: bool, limit: int | None, by: str, note: str | None = None) -> dict:
        """Head office's decision on an application: a record of its own that flows down to the branch."""
        app = self.find("application", ref)
        if app is None:
            raise HubError(404, "not_found", f"no application {ref} on the hub")
        if not by.strip():
            raise HubError(422, "malformed", "a decision needs the name of who made it (--by)")
        if approve and (limit is None or limit <= 0):
            raise HubError(422, "malformed", "approving needs a limit in yuan (--limit)")
        if not approve and limit is not None:
            raise HubError(422, "malformed", "a decline has no limit")
        data = {"application_id": app["entity_id"], "application_ref": app["ref"],
                "decision": "approve" if approve else "decline", "limit": limit if approve else None,
                "decided_by": by.strip(), "note": (note or "").strip() or None,
                "decided_at": clock.stamp()}  # fmt: skip
        decision_id = ids.new_id()
        with self.engine.begin() as conn:
            seq = self._hub_record(conn, "decision", decision_id, app["branch"], data)
        return {"id": decision_id, "branch": app["branch"], "cursor": encode_cursor(seq), **data}

    def publish_rules(self, pack, branch: str | None = None) -> dict:
        """Publish a checked rule pack (``scoring.pack.RulePack``) to one branch or all; devices put it in
        force on its effective date. One id and version never names two different packs."""
        target = (branch or ALL_BRANCHES).strip().upper()
        entity_id = f"{pack.hash}@{target}"
        data = {"pack_id": pack.id, "version": pack.version, "hash": pack.hash, "name_zh": pack.name_zh,
                "name_en": pack.name_en, "effective": pack.effective.isoformat(), "expires": pack.expires.isoformat(),
                "text": pack.text, "card_text": pack.card_text, "published_at": clock.stamp()}  # fmt: skip
        if self.signer is None:
            raise HubError(503, "unavailable", "this hub has no signing key: devices would refuse the pack")
        data = self.signer.sign(data)  # devices refuse a pack whose signature does not verify
        with self.engine.begin() as conn:
            for row in conn.execute(select(records.c.entity_id, records.c.data).where(records.c.entity == "rule_pack")):
                other = json.loads(row.data)
                if (other["pack_id"], other["version"]) == (pack.id, pack.version) and other["hash"] != pack.hash:
                    raise HubError(409, "conflict", f"a different pack {pack.id} {pack.version} was already published "
                                                    f"(hash {other['hash'][:12]}): give the changed pack a new version")
                if row.entity_id == entity_id:
                    return {"id": entity_id, "branch": target, "new": False, **_summary(data)}
            seq = self._hub_record(conn, "rule_pack", entity_id, target, data)
        return {"id": entity_id, "branch": target, "new": True, "cursor": encode_cursor(seq), **_summary(data)}

    def list_records(self, entity: str, branch: str | None = None) -> list[dict]:
        query = select(records).where(records.c.entity == entity).order_by(records.c.branch, records.c.ref,
                                                                           records.c.entity_id)  # fmt: skip
        if branch:
            query = query.where(records.c.branch == branch.upper())
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            files = self._files_by_application(conn, branch) if entity == "application" else {}
        out = [{**self._open(r["data"]), "id": r["entity_id"], "branch": r["branch"], "version": r["version"],
                "hub_updated_at": r["updated_at"]} for r in rows]  # fmt: skip
        for row in out if entity == "application" else ():
            total, pending = files.get(row["id"], (0, 0))
            row["attachments"], row["attachments_pending"] = total, pending
        return out

    def _files_by_application(self, conn: Connection, branch: str | None) -> dict[str, tuple[int, int]]:
        """Per application: its attachments on the hub, and how many of their files have not arrived whole
        (a device sends files after their records: "attachments pending" until they complete)."""
        query = select(records.c.data).where(records.c.entity == "attachment")
        if branch:
            query = query.where(records.c.branch == branch.upper())
        complete = {r[0] for r in conn.execute(select(blobs.c.sha256).where(blobs.c.complete == 1))}
        found: dict[str, list[int]] = {}
        for (text,) in conn.execute(query):
            data = self._open(text)
            if not data.get("sha256") or not data.get("application_id"):
                continue  # removed on the device
            counts = found.setdefault(data["application_id"], [0, 0])
            counts[0] += 1
            counts[1] += data["sha256"] not in complete
        return {k: (v[0], v[1]) for k, v in found.items()}

    def memo_by_file(self, file_sha256: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(records).where(records.c.entity == "memo", records.c.file_sha256 == file_sha256)
                               ).mappings().first()  # fmt: skip
        return {**self._open(row["data"]), "id": row["entity_id"], "branch": row["branch"]} if row else None

    def memo_by_number(self, memo_no: str) -> dict | None:
        row = self.find("memo", memo_no)
        return {**self._open(row["data"]), "id": row["entity_id"], "branch": row["branch"]} if row else None

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(records.c.entity, func.count()).group_by(records.c.entity))
            return {entity: n for entity, n in rows}


def _summary(data: dict) -> dict:
    return {k: data[k] for k in ("pack_id", "version", "hash", "effective", "expires")}


def masked(rows: Iterable[dict]) -> list[dict]:
    """Records with personal fields masked, as the device lists show them by default."""
    from loandesk.core.models import masked as mask

    return [mask(r) for r in rows]

