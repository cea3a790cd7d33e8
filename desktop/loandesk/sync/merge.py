"""Merging what the hub sends into the local store, field by field, and the conflict inbox.

Rules (no wall-clock last-writer-wins anywhere):

* A pulled enterprise or application writes every field the device has no unsent edit of; a field
  with an unsent local edit keeps the local value (the push then carries it, on its own base version,
  and the hub decides). The record's *base* (the hub state the next local edit is made on) moves to
  the pulled version only while nothing local waits; otherwise it stays, so later local edits are
  still compared with the version the person actually saw.
* The hub keeps its value where the same field changed on both sides ("leave if changed") and says
  so in ``/v1/conflicts``. Such a conflict lands in the inbox with both values, the device that wrote
  the hub's value and when the local edit was made; the local record shows the hub's value until a
  person chooses (so every device converges on one value, and the loser is never silently gone).

API for the GUI (and ``loandesk conflicts``):

``list_conflicts(store, open_only=True) -> list[dict]``
    Each: ``id``, ``entity`` ("enterprise"|"application"), ``entity_id``, ``field``, ``local_value``
    (this device's edit), ``remote_value`` (the hub's), ``remote_version``, ``remote_device``,
    ``local_device``, ``local_at``, ``detected_at``, ``resolved_at``, ``resolved_by``, ``resolution``,
    ``ref``/``name`` (the record's reference and enterprise name, for display). Personal fields
    (``legal_rep_*``) are returned as stored: mask them for display (``core.models.masked``).
``resolve_conflict(store, conflict_id, choice, value=None) -> dict``
    ``choice`` "local" (keep this device's value), "remote" (keep the hub's) or "value" (a value the
    person typed, in ``value``). Keeping local or a typed value writes it here and queues an update on
    the hub's newest version (so it applies there and reaches every device on the next sync); the hub's
    own conflict record is closed on the next sync. Audited. Raises ``ConflictError`` (en, zh).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loandesk.storage import outbox as rows
from loandesk.storage import pulled, sync_state
from loandesk.sync import outbox

CHOICES = ("local", "remote", "value")
INT_FIELDS = {"employees", "annual_revenue", "total_assets", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m",
              "social_insurance_headcount", "requested_amount", "term_months"}  # fmt: skip


class ConflictError(ValueError):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def message(self, lang: str | None = None) -> str:
        from loandesk.core.i18n import pick

        return pick(self.en, self.zh, lang)


@dataclass
class Page:
    """What the merges of one pulled page need not look up record by record: whether anything waits in
    the outbox, whether any conflict is open. Right after a push, usually neither: two of the five
    look-ups per record (a device catching up on 30,000 changes made them all) are then skipped.
    Merging adds no outbox row and opens no conflict, so the answers hold for the whole page."""

    unsent: bool = True
    open_conflicts: bool = True

    @classmethod
    def of(cls, store) -> Page:
        return cls(unsent=rows.unsent(store) > 0, open_conflicts=sync_state.any_open_conflict(store))


def merge_change(store, entity: str, entity_id: str, version: int, data: dict, origin: str | None,
                 page: Page | None = None) -> bool:  # fmt: skip
    """Merge one pulled state of a shared record; call inside the pull's transaction. False when the
    record cannot be placed here yet (an application whose enterprise this device does not hold).
    ``page``: what is known of the store for the whole page (without it, everything is looked up)."""
    page = page or Page()
    known = sync_state.base(store, entity, entity_id)
    if known and known["hub_version"] >= version:
        return True  # already merged (a page pulled again after an interruption)
    origins = dict(known["origins"]) if known else {}
    before = known["hub_data"] if known else {}
    for field, value in data.items():
        if field not in before or before[field] != value:
            origins[field] = origin or "hub"
    waiting = outbox.pending_fields(store, entity, entity_id) if page.unsent else set()
    local = pulled.local_wire(store, entity, entity_id)
    if local is None:
        placed = pulled.write(store, entity, entity_id, data)
    else:
        fields = {f for f in pulled.SHARED[entity] if f in data and f not in waiting and local.get(f) != data[f]}
        placed = pulled.write(store, entity, entity_id, data, fields) if fields else True
        open_here = sync_state.conflicts_on(store, entity, entity_id) if page.open_conflicts else []
        for c in open_here:  # a field the hub changed again: newest value
            if c["field"] in data:
                sync_state.refresh_remote(store, c["id"], data[c["field"]], version, origins.get(c["field"]))
                if data[c["field"]] == c["local_value"]:  # settled elsewhere (head office took this value)
                    sync_state.mark_resolved(store, c["id"], by=origins.get(c["field"]) or "hub", resolution="remote")
    if not placed:
        return False
    if waiting:  # the base stays where the local edits were made
        base_version, base_data = (known["version"], known["data"]) if known else (0, {})
    else:
        base_version, base_data = version, data
    sync_state.save_base(store, entity, entity_id, version=base_version, data=base_data, hub_version=version,
                         hub_data=data, origins=origins)  # fmt: skip
    return True


def catch_up_bases(store) -> int:
    """Move bases held back by local edits to the hub state, once those edits are acknowledged."""
    moved = 0
    for entity, entity_id in sync_state.behind_bases(store):
        if outbox.pending_fields(store, entity, entity_id) or rows.pending_for(store, entity, entity_id):
            continue
        known = sync_state.base(store, entity, entity_id)
        local = pulled.local_wire(store, entity, entity_id) or {}
        open_fields = {c["field"] for c in sync_state.conflicts(store)
                       if c["entity"] == entity and c["entity_id"] == entity_id}  # fmt: skip
        stale = {f for f in pulled.SHARED[entity] if f in known["hub_data"] and f not in open_fields
                 and local.get(f) != known["hub_data"][f]}  # fmt: skip
        if stale:
            pulled.write(store, entity, entity_id, known["hub_data"], stale)
        sync_state.save_base(store, entity, entity_id, version=known["hub_version"], data=known["hub_data"],
                             hub_version=known["hub_version"], hub_data=known["hub_data"],
                             origins=known["origins"])  # fmt: skip
        moved += 1
    return moved


def take_conflicts(store, hub_conflicts: list, device_id: str) -> int:
    """Put the hub's open conflicts about this device's edits in the inbox; returns how many are new."""
    new = 0
    mine = [c for c in hub_conflicts if c.device == device_id and not c.resolved_at and c.entity in pulled.SHARED]
    sent = {c.op_id: rows.row(store, c.op_id) for c in mine}
    # in the order the edits were made here (not the hub's order of ids): the newest local value wins the inbox
    mine.sort(key=lambda c: sent[c.op_id].seq if sent[c.op_id] else 0)
    for c in mine:
        known = sync_state.base(store, c.entity, c.entity_id)
        remote = known["hub_data"].get(c.field, c.hub_value) if known else c.hub_value
        made = sync_state.add_conflict(
            store, hub_conflict_id=c.id, entity=c.entity, entity_id=c.entity_id, field=c.field,
            local_value=c.device_value, remote_value=remote,
            remote_version=known["hub_version"] if known else c.hub_version,
            remote_device=(known["origins"].get(c.field) if known else None), local_device=device_id,
            local_at=sent[c.op_id].created_at if sent[c.op_id] else None,
        )  # fmt: skip
        if made is None:
            continue
        new += 1
        if c.field not in outbox.pending_fields(store, c.entity, c.entity_id):
            pulled.write(store, c.entity, c.entity_id, {c.field: remote}, {c.field})  # show the hub's value
    return new


def list_conflicts(store, open_only: bool = True) -> list[dict]:
    out = []
    for c in sync_state.conflicts(store, open_only=open_only):
        local = pulled.local_wire(store, c["entity"], c["entity_id"]) or {}
        name = local.get("enterprise_name")
        if c["entity"] == "application" and local.get("enterprise_id"):
            name = (pulled.local_wire(store, "enterprise", local["enterprise_id"]) or {}).get("enterprise_name")
        out.append({**c, "ref": local.get("ref"), "name": name})
    return out


def resolve_conflict(store, conflict_id: str, choice: str, value: Any = None) -> dict:
    if choice not in CHOICES:
        raise ConflictError(f"choose local, remote or a value, not {choice!r}",
                            f"请选择 local、remote 或给出取值，而非 {choice!r}")
    found = sync_state.conflict(store, conflict_id)
    if not found:
        raise ConflictError(f"no conflict {conflict_id}", f"没有冲突 {conflict_id}")
    if len(found) > 1:
        raise ConflictError(f"{conflict_id!r} names {len(found)} conflicts: give more of the id",
                            f"“{conflict_id}”对应 {len(found)} 个冲突：请给出更完整的编号")  # fmt: skip
    c = found[0]
    if c["resolved_at"]:
        raise ConflictError(f"conflict {c['id']} was resolved at {c['resolved_at']} by {c['resolved_by']}",
                            f"冲突 {c['id']} 已于 {c['resolved_at']} 由 {c['resolved_by']} 处理")  # fmt: skip
    store.actor.require("capture")
    field = c["field"]
    if choice == "value":
        value = _typed(field, value)
    chosen = c["local_value"] if choice == "local" else c["remote_value"] if choice == "remote" else value
    by = store.actor.username
    with store.db.atomic():
        pulled.write(store, c["entity"], c["entity_id"], {field: chosen}, {field})
        op_id = None
        if choice != "remote":
            known = sync_state.base(store, c["entity"], c["entity_id"])
            state = pulled.store_format(c["entity"], pulled.local_wire(store, c["entity"], c["entity_id"]))
            op_id = rows.append(store, c["entity"], c["entity_id"], "update", state,
                                base_version=known["hub_version"] if known else None,
                                base_data=known["hub_data"] if known else None)  # fmt: skip
        sync_state.mark_resolved(store, c["id"], by=by, resolution=choice)
        store.audit("conflict_resolved", f"{c['entity']}:{c['entity_id']}", {"field": field, "kept": choice})
    return {"id": c["id"], "entity": c["entity"], "entity_id": c["entity_id"], "field": field, "kept": choice,
            "op_id": op_id, "resolved_by": by}  # fmt: skip


def _typed(field: str, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ConflictError(f"{field}: give the value to keep", f"{field}：请给出要保留的取值")
    if field in INT_FIELDS and not isinstance(value, int):
        try:
            return int(str(value).replace(",", "").strip())
        except ValueError:
            raise ConflictError(f"{field}: {value!r} is not a whole number", f"{field}：“{value}”不是整数") from None
    return value.strip() if isinstance(value, str) else value
