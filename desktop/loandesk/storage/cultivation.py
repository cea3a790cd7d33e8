"""Cultivation records (issue 10, m013): stage events, account-manager assignments, visits with photos,
pre-qualification results. Every write is one transaction with its outbox row and audit record.

Tables key enterprises by ``enterprises.seq`` (the rowid): at 530,000 enterprises the joins and
indexes stay integer-sized; the outbox payloads carry the enterprise's id, which is global.
The rules (which moves are allowed, who may make them) are in ``core.cultivation``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from loandesk.core import clock, ids
from loandesk.core import cultivation as rules
from loandesk.core.i18n import pick

from . import attachments
from .store import Store, now

SCHEMA = """
CREATE TABLE stage_events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    enterprise_seq INTEGER NOT NULL REFERENCES enterprises(seq),
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    on_date TEXT NOT NULL,                      -- YYYY-MM-DD, from the clock
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    reason TEXT,
    source TEXT NOT NULL CHECK (source IN ('manual', 'visit', 'approval', 'second_loan')),
    source_id TEXT                              -- the visit or approval that made the move
);
CREATE INDEX stage_events_enterprise ON stage_events(enterprise_seq, to_stage);  -- covers the funnel's scan
CREATE INDEX stage_events_to ON stage_events(to_stage, enterprise_seq, on_date);
CREATE TABLE assignments (                      -- the account manager, and the next action due
    enterprise_seq INTEGER PRIMARY KEY REFERENCES enterprises(seq),
    officer TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    next_step TEXT,
    next_on TEXT                                -- YYYY-MM-DD; NULL: nothing planned
);
CREATE INDEX assignments_officer_due ON assignments(officer, next_on);
CREATE TABLE visits (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    enterprise_seq INTEGER NOT NULL REFERENCES enterprises(seq),
    visited_on TEXT NOT NULL,
    officer TEXT NOT NULL,
    findings TEXT NOT NULL,
    need INTEGER NOT NULL,
    need_amount INTEGER,
    next_step TEXT,
    next_on TEXT,
    lat REAL,
    lon REAL,
    created_at TEXT NOT NULL,
    CHECK (need IN (0, 1)),
    CHECK (lat IS NULL OR (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180))
);
CREATE INDEX visits_enterprise ON visits(enterprise_seq, visited_on, need);  -- covers the funnel's scan
CREATE INDEX visits_officer ON visits(officer, visited_on);
CREATE TABLE visit_photos (                     -- blobs encrypted like attachments (storage/attachments.py)
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX visit_photos_visit ON visit_photos(visit_id);
CREATE TABLE prequalifications (                -- the latest batch result per enterprise
    enterprise_seq INTEGER PRIMARY KEY REFERENCES enterprises(seq),
    score REAL,
    grade TEXT,
    decision TEXT NOT NULL,
    limit_amount INTEGER,
    size_class TEXT,
    eligible INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    pack TEXT NOT NULL,
    scored_on TEXT NOT NULL
);
CREATE INDEX prequalifications_eligible ON prequalifications(eligible, score);
CREATE INDEX prequalifications_size ON prequalifications(size_class);
-- filters and figures over 530,000 enterprises
-- (each covers the pair the lists filter and count by together, so counts read the index alone)
CREATE INDEX IF NOT EXISTS enterprises_stage_region ON enterprises(cultivation_stage, region_code);
CREATE INDEX IF NOT EXISTS enterprises_region_stage ON enterprises(region_code, cultivation_stage);
CREATE INDEX IF NOT EXISTS enterprises_listing ON enterprises(has_loan_history, created_at);  -- listed, by period
CREATE INDEX IF NOT EXISTS approvals_outcome ON approvals(outcome, application_id);
"""


def create(db) -> None:
    db.executescript(SCHEMA)
    if "listed_on" in columns(db, "enterprises"):  # m012 (the list import) is there: index its date
        db.execute("CREATE INDEX IF NOT EXISTS enterprises_listed_on ON enterprises(listed_on)")


def columns(db, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()}


class CultivationError(ValueError):
    """Bad input for a cultivation write (what, where, why), in both languages; nothing was written."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh
        super().__init__(en)

    def message(self, lang: str | None = None) -> str:
        return pick(self.en, self.zh, lang)


def _enterprise(store: Store, key: str) -> dict:
    """An enterprise by id, reference or credit code (the first on file for a code)."""
    row = store.db.execute(
        """SELECT e.seq, e.id, e.ref, e.enterprise_name, e.credit_code, e.cultivation_stage, a.officer
           FROM enterprises e LEFT JOIN assignments a ON a.enterprise_seq = e.seq
           WHERE e.id = ?1 OR e.ref = ?1 OR e.credit_code = ?2 ORDER BY e.seq LIMIT 1""",
        (key, (key or "").strip().upper()),
    ).fetchone()
    if row is None:
        raise CultivationError(f"no enterprise {key} on file", f"没有企业 {key}")
    return dict(zip(("seq", "id", "ref", "enterprise_name", "credit_code", "stage", "officer"), row, strict=True))


# ---- stages ------------------------------------------------------------------------------------
def _apply(store: Store, ent: dict, move: rules.Move, source_id: str | None = None) -> dict:
    """Store one move (call inside the transaction that makes it): event, stage, outbox, audit."""
    event = {"id": ids.new_id(), "enterprise_seq": ent["seq"], "from_stage": move.from_stage,
             "to_stage": move.to_stage, "on_date": clock.today().isoformat(), "at": now(),
             "user": store.actor.shown, "reason": move.reason, "source": move.source, "source_id": source_id}
    store.db["stage_events"].insert(event)
    store.db.execute("UPDATE enterprises SET cultivation_stage = ?, updated_at = ? WHERE seq = ?",
                     (move.to_stage, event["at"], ent["seq"]))  # fmt: skip
    # On the wire an update of the enterprise's fields (sync/outbox.py: a "stage" op names the new stage);
    # the full event history stays in stage_events on the device.
    store._outbox("enterprise", ent["id"], "stage", {
        "stage": move.to_stage, "cultivation_stage": move.to_stage, "stage_from": move.from_stage,
        "stage_on": event["on_date"], "stage_by": event["user"], "stage_reason": move.reason,
        "stage_source": move.source, "stage_event_id": event["id"]})
    store.audit("stage_changed", ent["ref"], {"from": move.from_stage, "to": move.to_stage, "source": move.source})
    ent["stage"] = move.to_stage
    return event


def set_stage(store: Store, key: str, target: str, reason: str | None) -> dict:
    """A person's stage change, with its reason; permission-checked (officers their own, admins any)."""
    target = rules.parse_stage(target)
    with store.db.atomic():
        ent = _enterprise(store, key)
        rules.may_move(store.actor, ent["officer"])
        move = rules.check_manual(ent["stage"], target, reason)
        event = {**_apply(store, ent, move), "ref": ent["ref"]}
        if target in rules.EXITS:  # off the path (declined / not interested): no visit is due any more
            store.db.execute("UPDATE assignments SET next_step = NULL, next_on = NULL WHERE enterprise_seq = ?",
                             (ent["seq"],))  # fmt: skip
        return event


def on_approval(store: Store, approval: dict) -> dict | None:
    """An approved application makes its enterprise a first-loan customer; the second approved loan or
    product, a partner. Called inside the approver's transaction (approvals.service.decide)."""
    if approval.get("outcome") != "approve":
        return None
    row = store.db.execute(
        """SELECT e.id, count(DISTINCT ap.id) FROM applications a JOIN enterprises e ON e.id = a.enterprise_id
           JOIN applications a2 ON a2.enterprise_id = e.id JOIN approvals ap ON ap.application_id = a2.id
           WHERE a.id = ? AND ap.outcome = 'approve' GROUP BY e.id""",
        (approval["application_id"],),
    ).fetchone()
    if row is None:
        return None
    ent = _enterprise(store, row[0])
    move = rules.event_move(ent["stage"], "approval", approved_count=row[1])
    return _apply(store, ent, move, approval.get("id")) if move else None


def stage_events(store: Store, key: str) -> list[dict]:
    ent = _enterprise(store, key)
    return list(store.db.query("SELECT * FROM stage_events WHERE enterprise_seq = ? ORDER BY seq", [ent["seq"]]))


# ---- assignments -------------------------------------------------------------------------------
def officers(store: Store) -> list[str]:
    """Account managers: the users with the officer role (a home without users: the names in use)."""
    names = [r[0] for r in store.db.execute(
        "SELECT username FROM users WHERE role = 'officer' AND disabled = 0 ORDER BY username")]  # fmt: skip
    if names or store.db.execute("SELECT count(*) FROM users").fetchone()[0]:
        return names
    return [r[0] for r in store.db.execute("SELECT DISTINCT officer FROM assignments ORDER BY officer")]


def _check_officer(store: Store, officer: str) -> str:
    officer = (officer or "").strip()
    if not officer:
        raise CultivationError("an account manager is required", "须指定客户经理")
    has_users = store.db.execute("SELECT count(*) FROM users").fetchone()[0]
    if has_users and officer not in officers(store):
        raise CultivationError(f"{officer} is not an officer (account manager) on this device",
                               f"{officer} 不是本机的客户经理")  # fmt: skip
    return officer


def assign(store: Store, officer: str, *, keys: Iterable[str] = (), where: rules.EnterpriseFilter | None = None) -> int:
    """Assign ``officer`` to the enterprises named by ``keys`` or matching ``where``; returns how many.
    Replaces the previous account manager (the next action planned stays with the enterprise)."""
    from .cultivation_lists import filter_sql

    store.actor.require("assign")
    officer = _check_officer(store, officer)
    stamp, by = now(), store.actor.shown
    with store.db.atomic():
        if where is not None:
            sql, params = filter_sql(where)
            found = store.db.execute(f"SELECT e.seq, e.id FROM enterprises e {sql}", params).fetchall()
        else:
            found = []
            for key in keys:
                ent = _enterprise(store, key)
                found.append((ent["seq"], ent["id"]))
        store.db.conn.executemany(
            """INSERT INTO assignments(enterprise_seq, officer, assigned_at, assigned_by) VALUES (?, ?, ?, ?)
               ON CONFLICT(enterprise_seq) DO UPDATE SET officer = excluded.officer,
                   assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by""",
            ((seq, officer, stamp, by) for seq, _id in found),
        )
        store.db.conn.executemany(
            "INSERT INTO outbox(op_id, entity, entity_id, op, payload, created_at) VALUES (?, 'enterprise', ?, "
            "'assign', json_object('account_manager', ?, 'account_manager_by', ?, 'account_manager_at', ?), ?)",
            ((ids.new_id(), ent_id, officer, by, stamp, stamp) for _seq, ent_id in found),
        )
        store.audit("assigned", officer, {"enterprises": len(found)})
    return len(found)


# ---- visits ------------------------------------------------------------------------------------
@dataclass
class Visit:
    """A visit as typed: dates are dates, the amount whole yuan, photos paths."""

    enterprise: str
    visited_on: dt.date
    findings: str
    need: bool
    need_amount: int | None = None
    next_step: str | None = None
    next_on: dt.date | None = None
    photos: tuple[Path, ...] = ()
    lat: float | None = None
    lon: float | None = None


def _check_visit(v: Visit) -> None:
    today = clock.today()
    problems = []
    if v.visited_on > today:
        problems.append(("visited_on", "must not be in the future", "不能晚于今天"))
    if not (v.findings or "").strip():
        problems.append(("findings", "is required", "必填"))
    if v.need and v.need_amount is not None and v.need_amount <= 0:
        problems.append(("need_amount", "must be more than 0 yuan", "应大于 0 元"))
    if not v.need and v.need_amount:
        problems.append(("need_amount", "is given but no financing need is recorded", "未记录融资需求却填写了金额"))
    if v.next_on is not None and v.next_on < v.visited_on:
        problems.append(("next_on", "is before the visit", "早于走访日期"))
    if v.next_on is not None and not (v.next_step or "").strip():
        problems.append(("next_step", "is required when a next date is given", "填写了下一步日期，须填写下一步"))
    if (v.lat is None) != (v.lon is None):
        problems.append(("location", "needs both latitude and longitude", "须同时填写纬度和经度"))
    elif v.lat is not None and not (-90 <= v.lat <= 90 and -180 <= v.lon <= 180):
        problems.append(("location", "is not a place on Earth", "不是有效的经纬度"))
    for photo in v.photos:
        path = Path(photo)
        if not path.is_file():
            problems.append(("photos", f"{path.name} is not a readable file", f"{path.name} 不是可读取的文件"))
        elif path.stat().st_size > attachments.MAX_BYTES:
            problems.append(("photos", f"{path.name} is larger than 50 MB", f"{path.name} 超过 50 MB"))
    if problems:
        from loandesk.core.messages import FIELD_LABELS

        labels = {**FIELD_LABELS, **VISIT_LABELS}
        raise CultivationError("; ".join(f"{labels[f][0]} {en}" for f, en, _zh in problems),
                               "；".join(f"{labels[f][1]}{zh}" for f, _en, zh in problems))  # fmt: skip


VISIT_LABELS = {
    "visited_on": ("Visit date", "走访日期"), "findings": ("Findings", "走访情况"),
    "need_amount": ("Financing need amount", "融资需求金额"), "next_on": ("Next step date", "下一步日期"),
    "next_step": ("Next step", "下一步"), "location": ("Location", "位置"), "photos": ("Photo", "照片"),
}  # fmt: skip


def _seal(store: Store, data: bytes) -> str:
    """Encrypt a photo into the attachments folder exactly as an attachment is (same key, same layout)."""
    digest = hashlib.sha256(data).hexdigest()
    blob = attachments._blob_path(store.home, digest)
    if not blob.exists():
        attachments._private_folders(store.home, blob.parent)
        nonce = os.urandom(12)
        sealed = nonce + attachments.AESGCM(attachments._key(store)).encrypt(nonce, data, digest.encode())
        tmp = blob.with_name(f".{blob.name}.{os.getpid()}.part")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, attachments.PRIVATE_FILE)
            with os.fdopen(fd, "wb") as fh:
                fh.write(sealed)
            os.replace(tmp, blob)
        finally:
            tmp.unlink(missing_ok=True)
    return digest


def record_visit(store: Store, visit: Visit) -> dict:
    """Store a visit by the signed-in officer, its photos encrypted, and the stage move it makes
    (contacted; need identified with a financing need). An unassigned enterprise becomes the officer's."""
    store.actor.require("visit")
    if visit.lat is None and visit.lon is None:  # no location typed: the first photo's GPS tags, if it has any
        from .photo_location import photo_location

        found = next((loc for loc in map(photo_location, visit.photos) if loc), None)
        if found:
            visit = dataclasses.replace(visit, lat=found[0], lon=found[1])
    _check_visit(visit)
    officer = store.actor.username  # the account manager's key, as in assignments (names are shown from users)
    photos = [(Path(p).name, Path(p).read_bytes()) for p in visit.photos]
    sealed = [(name, _seal(store, data), len(data)) for name, data in photos]  # blobs first: rows point at them
    stamp = now()
    with store.db.atomic():
        ent = _enterprise(store, visit.enterprise)
        row = {"id": ids.new_id(), "enterprise_seq": ent["seq"], "visited_on": visit.visited_on.isoformat(),
               "officer": officer, "findings": visit.findings.strip(), "need": int(bool(visit.need)),
               "need_amount": visit.need_amount if visit.need else None,
               "next_step": (visit.next_step or "").strip() or None,
               "next_on": visit.next_on.isoformat() if visit.next_on else None, "lat": visit.lat, "lon": visit.lon,
               "created_at": stamp}  # fmt: skip
        store.db["visits"].insert(row)
        payload = {**{k: v for k, v in row.items() if k != "enterprise_seq"}, "enterprise_id": ent["id"], "photos": []}
        for name, digest, size in sealed:
            photo = {"id": ids.new_id(), "visit_id": row["id"], "file_name": name, "sha256": digest, "size": size,
                     "added_at": stamp}  # fmt: skip
            store.db["visit_photos"].insert(photo)
            payload["photos"].append(photo)
        store._outbox("visit", row["id"], "insert", payload)
        if ent["officer"] is None and not store.actor.is_system:
            store.db.execute("INSERT INTO assignments(enterprise_seq, officer, assigned_at, assigned_by) "
                             "VALUES (?, ?, ?, ?)", (ent["seq"], officer, stamp, officer))  # fmt: skip
        if row["next_on"] or row["next_step"]:
            store.db.execute("UPDATE assignments SET next_step = ?, next_on = ? WHERE enterprise_seq = ?",
                             (row["next_step"], row["next_on"], ent["seq"]))  # fmt: skip
        store.audit("visit_recorded", ent["ref"], {"visit": row["id"], "photos": len(sealed), "need": row["need"]})
        move = rules.event_move(ent["stage"], "visit", need=visit.need)
        if move:
            _apply(store, ent, move, row["id"])
    return {**row, "ref": ent["ref"], "stage": ent["stage"], "photos": len(sealed)}


def visits_for(store: Store, key: str) -> list[dict]:
    ent = _enterprise(store, key)
    return list(store.db.query("SELECT * FROM visits WHERE enterprise_seq = ? ORDER BY visited_on, seq", [ent["seq"]]))


def visit_photos(store: Store, visit_id: str) -> list[dict]:
    return list(store.db.query("SELECT * FROM visit_photos WHERE visit_id = ? ORDER BY added_at", [visit_id]))


def read_photo(store: Store, photo_id: str) -> bytes:
    row = store.db.execute("SELECT sha256 FROM visit_photos WHERE id = ?", (photo_id,)).fetchone()
    if row is None:
        raise CultivationError("no such photo", "没有该照片")
    try:
        return attachments.read_blob(store, row[0])
    except attachments.AttachmentError as exc:
        raise CultivationError(f"the photo cannot be read: {exc}", "照片文件缺失、无法解密或与其校验值不符") from None


# ---- pre-qualification -------------------------------------------------------------------------
def save_prequalifications(store: Store, rows: list[tuple], pack: str) -> int:
    """rows: (enterprise_seq, score, grade, decision, limit, size_class, eligible, reasons); one transaction."""
    scored_on = clock.today().isoformat()
    with store.db.atomic():
        store.db.conn.executemany(
            """INSERT OR REPLACE INTO prequalifications(enterprise_seq, score, grade, decision, limit_amount,
                   size_class, eligible, reasons, pack, scored_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            ((*r, pack, scored_on) for r in rows),
        )
        store.audit("prequalified", pack, {"enterprises": len(rows), "eligible": sum(1 for r in rows if r[6])})
    return len(rows)
