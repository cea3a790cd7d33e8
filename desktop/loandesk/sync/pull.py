"""Pulling the hub's changes by its opaque cursor (never by time) and putting them where they belong.

Each page is merged and its cursor saved in one local transaction, so an interruption resumes where
the last whole page ended and a page pulled twice changes nothing (merges skip versions they hold).

* ``enterprise``/``application``: merged field by field (``sync.merge``); applications of this branch
  captured on other devices appear here.
* ``decision``: head office's decision, a record of its own (``hub_decisions``): shown in the
  application list as the decision in effect, never written over captured data.
* ``rule_pack``: checked against the hub key pinned at enrolment (``sync.pack_signing``) and its own
  hash, kept waiting for its effective date, then installed (``install_due``); a pack that fails is
  kept as refused with the reason and never installed.
* Other records (memos, scores, ...) are the branch's history on the hub; a device does not need them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from loandesk.core import clock
from loandesk.storage import sync_state
from loandesk.sync import merge, pack_signing


@dataclass
class PullReport:
    changes: int = 0
    records: int = 0  # shared records merged
    decisions: int = 0
    packs_waiting: list[dict] = field(default_factory=list)
    packs_refused: list[dict] = field(default_factory=list)
    packs_installed: list[dict] = field(default_factory=list)
    conflicts_new: int = 0
    unplaced: int = 0
    cancelled: bool = False


def pull(store, client, device_id: str, report: PullReport | None = None, *, page: int = 500,
         cancelled: Callable[[], bool] | None = None, progress: Callable[[str, int], None] | None = None) -> PullReport:
    report = report or PullReport()
    key = store.setting(sync_state.HUB_KEY)
    while True:
        if cancelled and cancelled():  # each page was committed with its cursor: the next pull goes on from it
            report.cancelled = True
            return report
        answer = client.changes(sync_state.cursor(store), page)
        with store.db.atomic():
            page_state = merge.Page.of(store)
            for change in answer.changes:
                _one(store, change, key, report, page_state)
            sync_state.set_cursor(store, answer.cursor)
        report.changes += len(answer.changes)
        if progress:
            progress("pull", report.changes)
        if not answer.more:
            break
    with store.db.atomic():
        report.conflicts_new += merge.take_conflicts(store, client.conflicts(), device_id)
        merge.catch_up_bases(store)
    return report


def _one(store, change, key: str | None, report: PullReport, page_state: merge.Page | None = None) -> None:
    if change.entity in ("enterprise", "application"):
        if merge.merge_change(store, change.entity, change.entity_id, change.version, change.data,
                              change.origin_device, page_state):  # fmt: skip
            report.records += 1
        else:
            report.unplaced += 1
        return
    if page_state is not None and change.entity in ("decision", "rule_pack"):
        page_state.unsent = page_state.open_conflicts = True  # not a merge: the rest of the page looks everything up
    if change.entity == "decision":
        if sync_state.save_hub_decision(store, change.entity_id, change.data, change.cursor):
            report.decisions += 1
            store.audit("hub_decision_received", change.data.get("application_ref"),
                        {"decision": change.data.get("decision"), "limit": change.data.get("limit"),
                         "by": change.data.get("decided_by")})  # fmt: skip
    elif change.entity == "rule_pack":
        _pack(store, change.entity_id, change.data, key, report)


def _pack(store, pack_key: str, data: dict, key: str | None, report: PullReport) -> None:
    summary = {"id": pack_key, "pack_id": data.get("pack_id"), "version": data.get("version"),
               "effective": data.get("effective")}  # fmt: skip
    if not key:  # enrolled before hubs signed packs: it waits, unchecked and not installable, until enrolled again
        why = pack_signing.refusal(data, key)
        sync_state.save_hub_pack(store, pack_key, data, "waiting", why[0])
        report.packs_waiting.append({**summary, "reason": why[0], "reason_zh": why[1]})
        return
    why = pack_signing.refusal(data, key) or _content_refusal(data)
    if why:
        sync_state.save_hub_pack(store, pack_key, data, "refused", why[0])
        store.audit("rules_refused", data.get("pack_id"), {"version": data.get("version"), "reason": why[0]})
        report.packs_refused.append({**summary, "reason": why[0], "reason_zh": why[1]})
    else:
        sync_state.save_hub_pack(store, pack_key, data, "waiting", None)
        report.packs_waiting.append(summary)


def _content_refusal(data: dict) -> tuple[str, str] | None:
    """The pack's text must parse as a pack and hash to the hash it names."""
    from loandesk.scoring.pack import PackError, parse_pack

    try:
        pack = parse_pack(data.get("text") or "", "hub", card_text=data.get("card_text"), check_dates=False)
    except PackError as exc:
        return f"the rule pack from the hub does not check: {exc}", f"总行中心下发的规则包未通过检查：{exc}"
    if pack.hash != data.get("hash"):
        return ("the rule pack's text does not match its hash", "规则包内容与其哈希不符")
    return None


def install_due(store, today: dt.date | None = None, report: PullReport | None = None) -> list[dict]:
    """Put in force the verified packs whose effective date has come (oldest first: the newest due one
    ends in force). A pack past its expiry is refused instead."""
    from loandesk.scoring import service
    from loandesk.scoring.pack import PackError, parse_pack
    from loandesk.storage import decisions as repo

    today = today or clock.today()
    done = []
    for row in sync_state.hub_packs(store, "waiting"):
        data = row["data"]
        key = store.setting(sync_state.HUB_KEY)
        if not key:
            continue  # not checkable yet (see _pack)
        why = pack_signing.refusal(data, key) or _content_refusal(data)  # checked again: it may have waited unchecked
        if why:
            with store.db.atomic():
                sync_state.save_hub_pack(store, row["id"], data, "refused", why[0])
                store.audit("rules_refused", data.get("pack_id"), {"version": data.get("version"), "reason": why[0]})
            if report:
                report.packs_refused.append({"id": row["id"], "pack_id": data.get("pack_id"),
                                             "version": data.get("version"), "reason": why[0], "reason_zh": why[1]})
            continue
        if dt.date.fromisoformat(data["effective"]) > today:
            continue
        try:
            pack = parse_pack(data["text"], f"hub:{data['pack_id']}", card_text=data.get("card_text"), today=today)
        except PackError as exc:
            with store.db.atomic():
                sync_state.save_hub_pack(store, row["id"], data, "refused", str(exc))
            if report:
                report.packs_refused.append({"id": row["id"], "pack_id": data["pack_id"], "reason": str(exc)})
            continue
        with store.db.atomic():
            repo.install_pack(store, pack.hash, pack.id, pack.version, pack.source, pack.text, pack.card_text)
            sync_state.pack_installed(store, row["id"])
            store.audit("rules_installed", pack.id, {"version": pack.version, "hash": pack.hash, "from": "hub"})
        service.forget_parsed_packs(store)
        done.append({"id": row["id"], "pack_id": pack.id, "version": pack.version, "hash": pack.hash})
    if report:
        report.packs_installed += done
    return done
