"""Devices' audit trails on the hub: each device's chain must continue from the last record received.

A push of audit records is accepted only if it follows on: the first new record's number is one past
the head the hub holds and links to its hash, and every record's hash matches its content
(``core.audit_chain``, the same code the device verifies with). Records the hub already holds are
accepted again when identical (a resend after a lost answer). Anything else - a record altered after
it was sent, a gap, a chain started again - is refused (409) and the break recorded against the
device for head office (``loandesk hub audit verify``), which also re-checks every stored chain.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, Engine, insert, select, update

from loandesk.core import audit_chain, clock
from loandesk.sync import protocol as p

from .schema import audit_heads, audit_records, devices


class AuditBreak(Exception):
    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def _record(r: p.AuditRecord) -> dict:
    return r.model_dump()


def receive(conn: Connection, device: dict, req: p.AuditPush) -> p.AuditAnswer:
    """Check and store; raises AuditBreak (after recording it) when the chain does not follow on."""
    head = conn.execute(select(audit_heads).where(audit_heads.c.device_id == device["id"])
                        .with_for_update()).mappings().first()  # fmt: skip
    seq, digest = (head["seq"], head["hash"]) if head else (0, audit_chain.GENESIS)
    stamp, accepted, problem = clock.stamp(), 0, None
    rows = []
    for rec in sorted(req.records, key=lambda r: r.seq):
        data = _record(rec)
        if audit_chain.record_hash(data) != rec.hash:
            problem = f"record {rec.seq} does not match its hash (altered)"
            break
        if rec.seq <= seq:
            held = conn.execute(select(audit_records.c.hash).where(audit_records.c.device_id == device["id"],
                                                                   audit_records.c.seq == rec.seq)).scalar()
            if held != rec.hash:
                problem = f"record {rec.seq} differs from the one received before (rewritten after it was sent)"
                break
            continue
        if rec.seq != seq + 1:
            problem = f"records {seq + 1} to {rec.seq - 1} are missing (the chain does not continue)"
            break
        if rec.prev_hash != digest:
            problem = f"record {rec.seq} does not link to record {seq} received before"
            break
        rows.append({"device_id": device["id"], "seq": rec.seq, "hash": rec.hash, "prev_hash": rec.prev_hash,
                     "record": json.dumps(data, ensure_ascii=False, sort_keys=True), "received_at": stamp})
        seq, digest, accepted = rec.seq, rec.hash, accepted + 1
    if problem:
        raise AuditBreak(problem)  # the caller records it in a transaction of its own
    if rows:
        conn.execute(insert(audit_records), rows)
        if head:
            conn.execute(update(audit_heads).where(audit_heads.c.device_id == device["id"])
                         .values(seq=seq, hash=digest, updated_at=stamp))  # fmt: skip
        else:
            conn.execute(insert(audit_heads).values(device_id=device["id"], seq=seq, hash=digest, updated_at=stamp))
    return p.AuditAnswer(accepted=accepted, head_seq=seq, head_hash=digest)


def flag(conn: Connection, device_id: str, problem: str) -> None:
    """Record a refused break against the device (the first one stays until head office looks)."""
    stamp = clock.stamp()
    head = conn.execute(select(audit_heads).where(audit_heads.c.device_id == device_id)).mappings().first()
    if head:
        conn.execute(update(audit_heads).where(audit_heads.c.device_id == device_id)
                     .values(problem=problem, problem_at=stamp))  # fmt: skip
    else:
        conn.execute(insert(audit_heads).values(device_id=device_id, seq=0, hash=audit_chain.GENESIS,
                                                problem=problem, problem_at=stamp, updated_at=stamp))  # fmt: skip


def verify(engine: Engine) -> list[dict]:
    """Per device: records held, the head, and the first problem (a refused break, or a stored record
    altered in the hub's database since)."""
    out = []
    with engine.connect() as conn:
        known = {r["id"]: r for r in conn.execute(select(devices.c.id, devices.c.branch, devices.c.code)).mappings()}
        heads = conn.execute(select(audit_heads).order_by(audit_heads.c.device_id)).mappings().all()
        for head in heads:
            stored = [json.loads(r[0]) for r in conn.execute(
                select(audit_records.c.record).where(audit_records.c.device_id == head["device_id"])
                .order_by(audit_records.c.seq))]  # fmt: skip
            found = audit_chain.verify(stored, (head["seq"], head["hash"]))
            device = known.get(head["device_id"], {})
            out.append({"device": head["device_id"], "branch": device.get("branch"), "code": device.get("code"),
                        "records": len(stored), "head_seq": head["seq"],
                        "ok": found is None and not head["problem"],
                        "problem": found.message("en") if found else head["problem"],
                        "problem_at": head["problem_at"]})  # fmt: skip
    return out
