"""Replay stored decisions: exactly under their own pack, or under another to see what would change."""

from __future__ import annotations

from .pack import RulePack
from .service import replay

COMPARED = ("decision", "grade", "score", "limit", "rate")


def compare(store, decisions: list[dict], pack: RulePack) -> dict:
    """Each stored decision's snapshot scored under ``pack``: what changes, row by row and in total."""
    rows, changed = [], 0
    for d in decisions:
        before = d["result"]
        after = replay(store, d, pack).to_dict()
        app = store.application(d["application_id"])
        diff = {k: (before[k], after[k]) for k in COMPARED if before[k] != after[k]}
        changed += bool(diff)
        rows.append({
            "application": app.ref if app else d["application_id"], "changed": bool(diff),
            **{f"{k}_before": before[k] for k in COMPARED}, **{f"{k}_after": after[k] for k in COMPARED},
        })  # fmt: skip
    moves: dict[str, int] = {}
    for r in rows:
        if r["decision_before"] != r["decision_after"]:
            key = f"{r['decision_before']}->{r['decision_after']}"
            moves[key] = moves.get(key, 0) + 1
    return {"pack": pack.summary(), "decisions": len(rows), "changed": changed, "decision_moves": moves,
            "rows": rows}  # fmt: skip
