"""Operations the hub refused: kept with its reason, visible, editable, sent again, exportable.

A refused operation's payload was frozen when first sent and the hub keeps its answer for that id, so
"retry" makes a new operation (a new id) from it - with fields changed when the person corrected
something - in the refused one's place in the queue (what was refused stays in the quarantine table).
Operations on the same record waited behind it (``sync.outbox``); they follow it with the next sync.
"""

from __future__ import annotations

import json
from pathlib import Path

from loandesk.core.models import masked
from loandesk.storage import outbox as rows
from loandesk.storage import sync_state


class QuarantineError(ValueError):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def message(self, lang: str | None = None) -> str:
        from loandesk.core.i18n import pick

        return pick(self.en, self.zh, lang)


def listing(store, *, unmasked: bool = False) -> list[dict]:
    out = []
    for q in sync_state.quarantined(store):
        row = rows.row(store, q["op_id"])
        payload = row.payload if row else {}
        if "legal_rep_id_number" in payload:
            payload = {**payload, "legal_rep_id": payload.pop("legal_rep_id_number")}
        ref = rows.ref_of(store, q["entity"], q["entity_id"]) if q["entity"] in ("application", "enterprise") else None
        out.append({"op_id": q["op_id"], "entity": q["entity"], "entity_id": q["entity_id"], "ref": ref,
                    "op": row.op if row else None, "code": q["code"], "reason": q["reason"],
                    "quarantined_at": q["quarantined_at"], "retries": q["retries"],
                    "payload": payload if unmasked else masked(payload)})  # fmt: skip
    return out


def _one(store, key: str) -> dict:
    found = sync_state.quarantined_one(store, key)
    if not found:
        raise QuarantineError(f"no quarantined operation {key}", f"隔离区中没有操作 {key}")
    if len(found) > 1:
        raise QuarantineError(f"{key!r} names {len(found)} operations: give more of the id",
                              f"“{key}”对应 {len(found)} 项操作：请给出更完整的编号")  # fmt: skip
    return found[0]


def retry(store, key: str, changes: dict | None = None) -> dict:
    """Send a refused operation again as a new one, with ``changes`` applied to its payload."""
    held = _one(store, key)
    row = rows.row(store, held["op_id"])
    payload = dict(row.payload)
    for field, value in (changes or {}).items():
        name = "legal_rep_id_number" if field == "legal_rep_id" and "legal_rep_id_number" in payload else field
        if name not in payload:
            raise QuarantineError(f"--set {field}: the operation has no such field ({', '.join(sorted(payload))})",
                                  f"--set {field}：该操作没有此字段（{', '.join(sorted(payload))}）")  # fmt: skip
        payload[name] = value
    with store.db.atomic():
        new_id = rows.replace(store, row.op_id, payload)
        sync_state.release(store, row.op_id, new_id)
        store.audit("quarantine_retried", f"{row.entity}:{row.entity_id}",
                    {"op_id": row.op_id, "new_op_id": new_id, "fields": sorted(changes or {})})
    return {"op_id": row.op_id, "new_op_id": new_id}


def export(store, path: Path) -> int:
    """Write the quarantine (personal data masked) as JSON for head office or a colleague to look at."""
    items = listing(store)
    Path(path).write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
    with store.db.atomic():
        store.audit("quarantine_exported", str(path), {"count": len(items)})
    return len(items)
