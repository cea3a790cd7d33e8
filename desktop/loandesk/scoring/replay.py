"""Replay stored decisions: exactly under their own pack, or under another to see what would change.

``compare`` also takes the applications that have no decision yet: they are scored under the
candidate pack and reported as new decisions. Nothing is stored: this is a preview.
"""

from __future__ import annotations

import datetime as dt

from loandesk.core import clock

from .pack import RulePack
from .service import replay, score_record, snapshot

COMPARED = ("decision", "grade", "score", "limit", "rate")


def pack_status(pack: RulePack, today: dt.date) -> dict:
    """Whether the candidate pack is in force on ``today`` (a preview may use one that is not yet)."""
    if pack.effective > today:
        return {"in_force": False, "en": f"not in force until {pack.effective}", "zh": f"{pack.effective} 起才生效"}
    if pack.expires < today:
        return {"in_force": False, "en": f"expired on {pack.expires}", "zh": f"已于 {pack.expires} 失效"}
    return {"in_force": True, "en": "in force", "zh": "现行有效"}


def compare(store, decisions: list[dict], pack: RulePack, undecided: list[str] | None = None,
            as_of: dt.date | None = None) -> dict:  # fmt: skip
    """Each stored decision's snapshot scored under ``pack``: what changes, row by row and in total.
    ``undecided``: ids of applications with no decision yet, scored under ``pack`` as of ``as_of``."""
    from loandesk.core.consent import ConsentRefused
    from loandesk.core.i18n import language

    from .consent_gate import require as require_consent

    as_of = as_of or clock.today()
    rows, changed, refused = [], 0, []

    def consented(app_id: str) -> bool:
        """Scoring again under ``pack`` is a new use of the applicant's data: it needs a valid consent."""
        try:
            require_consent(store, app_id, pack, as_of)
        except ConsentRefused as exc:
            refused.append({"application": exc.ref, "reason": exc.message(language())})
            return False
        return True

    for d in decisions:
        if not consented(d["application_id"]):
            continue
        before = d["result"]
        after = replay(store, d, pack).to_dict()
        app = store.application(d["application_id"])
        diff = {k: (before[k], after[k]) for k in COMPARED if before[k] != after[k]}
        changed += bool(diff)
        rows.append({
            "application": app.ref if app else d["application_id"], "new": False, "changed": bool(diff),
            **{f"{k}_before": before[k] for k in COMPARED}, **{f"{k}_after": after[k] for k in COMPARED},
        })  # fmt: skip
    new = 0
    for app_id in undecided or []:
        record = store.application_record(app_id)
        if record is None or not consented(app_id):
            continue
        after = score_record(snapshot(record), pack, as_of).to_dict()
        new += 1
        rows.append({
            "application": record.get("ref") or app_id, "new": True, "changed": False,
            **{f"{k}_before": None for k in COMPARED}, **{f"{k}_after": after[k] for k in COMPARED},
        })  # fmt: skip
    moves: dict[str, int] = {}
    for r in rows:
        if r["decision_before"] != r["decision_after"]:
            key = f"{r['decision_before'] or 'new'}->{r['decision_after']}"
            moves[key] = moves.get(key, 0) + 1
    return {"pack": pack.summary(), "pack_status": pack_status(pack, as_of), "as_of": as_of.isoformat(),
            "decisions": len(decisions), "changed": changed, "new_decisions": new, "decision_moves": moves,
            "rows": rows, "consent_refused": refused}  # fmt: skip
