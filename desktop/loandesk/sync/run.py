"""One sync run, as the GUI (and its background timer) starts it: ``sync_once(store, progress, cancelled)``.

This is the adapter between the window and the sync client: it runs ``client.sync`` (push, pull and
merge, rule packs, settled conflicts, the audit trail) - the very code ``loandesk sync`` runs, with the
same retries - and turns its ``progress(stage, count)`` into the task runner's ``progress(done, total)``.
A cancel is asked between batches and pages; what was acknowledged stays acknowledged, the rest stays
in the outbox.

Transient failures (the hub unreachable, a connection cut, a 5xx such as 503) are retried inside the
client with its jittered exponential backoff (``sync.backoff``); here the waits only wake early for a
cancel. A refusal (4xx) is not retried, since sending the same again cannot help. Nothing here is
time-ordered by the device's clock: the clock only stamps "last sync" and "last pull".
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loandesk.core import clock

if TYPE_CHECKING:
    from loandesk.sync.client import SyncError

# The window imports this module before its first paint: the client (httpx, pydantic) and the storage
# layer are imported inside the functions, on the database thread, when a sync first runs.
BATCH = 200
# settings keys (the last successful sync is storage.sync_state.LAST_SYNC, read and written lazily below)
LAST_PULL = "sync_last_pull"  # when a run last pulled to the end of the hub's changes
LAST_ERROR = "sync_last_error"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class SyncReport:
    applied: int = 0
    duplicate: int = 0
    rejected: list[dict] = field(default_factory=list)
    attachments: int = 0
    files: int = 0  # attachments and visit photos the hub now holds (sent after their records)
    files_waiting: int = 0  # files still to send after the run
    pulled: int = 0  # changes received from the hub
    decisions: int = 0  # head-office decisions among them
    new_conflicts: int = 0
    conflicts: int = 0  # open in the inbox after the run
    unsent: int = 0  # still waiting after the run (quarantined ones included)
    quarantined: int = 0
    retries: int = 0  # transient failures survived in this run
    cancelled: bool = False
    finished_at: str | None = None

    @property
    def sent(self) -> int:
        return self.applied + self.duplicate


def transient(error: BaseException) -> bool:
    """A ``SyncError`` worth trying again later: no answer at all, a server-side failure (5xx), or 429
    (too many requests: the hub asks the device to slow down)."""
    status = getattr(error, "status", 0)
    return hasattr(error, "en") and (status is None or status >= 500 or status == 429)


class Backoff:
    """The background schedule's backoff between whole runs (the client has its own between calls):
    ``base`` after the first failure, doubling up to ``cap``; each delay is drawn from [d/2, d] so
    devices that failed together do not retry together."""

    def __init__(self, base: float = 30, cap: float = 900, rng: random.Random | None = None):
        self.base, self.cap, self.rng = base, cap, rng or random.Random()
        self.failures = 0

    def failed(self) -> float:
        """Record a failure; the seconds to wait before the next attempt."""
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 30))
        self.failures += 1
        return self.rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0


def probe(hub_url: str, *, timeout: float = 3, verify: bool = True) -> bool:
    """Does the hub answer at all (``GET /``, a short timeout)? Needs no store: run it off the database thread."""
    import httpx

    try:
        return httpx.get(hub_url.rstrip("/") + "/", timeout=timeout, verify=verify).status_code == 200
    except httpx.HTTPError:
        return False


def sync_once(
    store, progress: Progress | None = None, cancelled: Cancelled | None = None, *, verify: bool | str = True,
    batch: int = BATCH, retries: int = 4, pause: Callable[[float], None] | None = None,
    rng: random.Random | None = None, timeout: float = 30,
) -> SyncReport:  # fmt: skip
    """Push, pull and the rest (``client.sync``); raise ``SyncError`` when the hub cannot be reached (after
    ``retries`` retries of a call) or refuses the device. ``progress(done, total)``: operations sent of
    those waiting (what was received is in the report)."""
    from loandesk.storage import sync_state, uploads
    from loandesk.sync import client as sync_client
    from loandesk.sync import outbox
    from loandesk.sync.backoff import Backoff as CallBackoff
    from loandesk.sync.client import SyncError

    progress = progress or (lambda _done, _total: None)
    cancelled = cancelled or (lambda: False)
    pause = pause or (lambda seconds: _nap(seconds, cancelled))
    if not store.setting("hub_token") or not store.setting("hub_device_id") or not store.setting("hub_url"):
        raise SyncError("this data home is not enrolled with a hub", "本数据目录尚未在总行中心注册")
    rng = rng or random.Random()
    calls = CallBackoff(attempts=retries + 1, base=0.5, cap=8, random=rng.random, sleep=pause)
    total = _waiting(store)
    progress(0, total)

    def stage(name: str, count: int) -> None:
        # the bar counts what is sent; the hub does not say how many changes a pull will bring
        if name == "push":
            progress(min(count, total), total)

    try:
        answer = sync_client.sync(store, verify=verify, backoff=calls, cancelled=cancelled, progress=stage,
                                  batch=batch, timeout=timeout)  # fmt: skip
    except SyncError as exc:
        _note_error(store, exc)
        raise
    pushed, pulled = answer.push, answer.pull
    report = SyncReport(applied=pushed.applied, duplicate=pushed.duplicate, rejected=list(pushed.rejected),
                        attachments=pushed.attachments, files=pushed.files, pulled=pulled.changes,
                        decisions=pulled.decisions,
                        new_conflicts=pulled.conflicts_new, retries=len(calls.waits),
                        cancelled=answer.cancelled)  # fmt: skip
    report.unsent = outbox.unsent(store)
    report.files_waiting = uploads.waiting(store)
    report.quarantined = len(sync_state.quarantined(store))
    report.conflicts = len(sync_state.conflicts(store))
    report.finished_at = clock.stamp()
    with store.db.atomic():
        if not report.cancelled:
            store.set_setting(sync_state.LAST_SYNC, report.finished_at)  # reached the hub, sent all it could
            store.set_setting(LAST_PULL, report.finished_at)
        store.set_setting(LAST_ERROR, "")
    progress(total if not report.cancelled else min(report.sent + len(report.rejected), total), total)
    return report


def _nap(seconds: float, cancelled: Cancelled) -> None:
    """Sleep between retries, waking for a cancel within a fifth of a second."""
    end = time.monotonic() + seconds
    while not cancelled() and (left := end - time.monotonic()) > 0:
        time.sleep(min(0.2, left))


def _waiting(store) -> int:
    from loandesk.storage import outbox_summary

    return sum(g["count"] for g in outbox_summary.unsent_by_entity(store))


def _note_error(store, error: SyncError) -> None:
    """Kept in both languages: the panel shows it in whichever the user reads when it next opens."""
    import json

    with store.db.atomic():
        store.set_setting(LAST_ERROR, json.dumps({"en": error.message("en"), "zh": error.message("zh")},
                                                 ensure_ascii=False))  # fmt: skip


def _last_error(store) -> str | None:
    import json

    from loandesk.core.i18n import pick

    text = store.setting(LAST_ERROR) or ""
    if not text:
        return None
    try:
        words = json.loads(text)
        return pick(words["en"], words["zh"])
    except (ValueError, KeyError, TypeError):
        return text


@dataclass
class SyncStatus:
    """What the sync panel shows, read in one job on the database thread."""

    hub_url: str | None
    device_id: str | None
    branch: str | None
    last_ok: str | None
    last_error: str | None
    unsent: int
    groups: list[dict]  # unsent per entity type, longest waiting first
    quarantined: list[dict]  # the quarantine table's held rows: {op_id, reason, code, entity, entity_id, ...}
    conflicts: int = 0  # open in the conflict inbox
    last_pull: str | None = None
    files_waiting: int = 0  # attachments and visit photos not yet on the hub

    @property
    def enrolled(self) -> bool:
        return bool(self.hub_url and self.device_id and self.branch)


def status(store) -> SyncStatus:
    from loandesk.storage import outbox_summary, sync_state
    from loandesk.sync import quarantine
    from loandesk.sync import status as sync_status

    core = sync_status.status(store)
    held = quarantine.listing(store)  # personal data masked: the panel shows it
    found = outbox_summary.operations(store, [q["op_id"] for q in held])
    quarantined = [{**q, "created_at": found.get(q["op_id"], {}).get("created_at"),
                    "ref": q["ref"] or found.get(q["op_id"], {}).get("ref")} for q in held]  # fmt: skip
    return SyncStatus(
        hub_url=core["hub"] if core["enrolled"] else None,
        device_id=store.setting("hub_device_id"), branch=core["branch"],
        last_ok=store.setting(sync_state.LAST_SYNC) or None, last_error=_last_error(store),
        unsent=core["unsent"], groups=outbox_summary.unsent_by_entity(store),
        quarantined=quarantined, conflicts=core["conflicts"], last_pull=store.setting(LAST_PULL) or None,
        files_waiting=core["files_waiting"],
    )  # fmt: skip


def enroll(store, hub_url: str, code: str, *, verify: bool | str = True):
    """Enrol this data home (admin only), as ``loandesk sync --enroll`` does; the hub's answer."""
    from loandesk.sync import client as sync_client
    from loandesk.sync.client import SyncError

    store.actor.require("enrol_device")
    if not hub_url.lower().startswith(("http://", "https://")):
        raise SyncError(f"{hub_url!r}: give the hub's address as http://HOST:PORT or https://…",
                        f"“{hub_url}”：中心地址应为 http://主机:端口 或 https://…")  # fmt: skip
    return sync_client.enroll(store, hub_url.strip(), code, verify=verify)
