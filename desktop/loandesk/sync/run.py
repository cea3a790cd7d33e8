"""One sync run, as the GUI (and its background timer) starts it: ``sync_once(store, progress, cancelled)``.

This is the adapter between the window and the sync client. Today it pushes the outbox batch by batch
with the client's own pieces (``HubClient``, ``outbox``, the client's quarantine), so that it can report
progress after every batch and stop between batches when the user cancels; what was acknowledged stays
acknowledged, the rest stays in the outbox. Pull and merge plug in here when they land.

Transient failures (the hub unreachable, a connection cut, a 5xx such as 503, a 429) are retried a few times
with jittered exponential backoff inside one run; a refusal (4xx) is not, since sending the same again
cannot help. Nothing here is time-ordered by the device's clock: the clock only stamps "last sync".
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loandesk.core import clock

if TYPE_CHECKING:
    from loandesk.sync.client import HubClient, SyncError

# The window imports this module before its first paint: the client (httpx, pydantic) and the storage
# layer are imported inside the functions, on the database thread, when a sync first runs.
BATCH = 200
LAST_OK = "sync_last_ok"  # settings keys: when a run last reached the hub and sent all it could
LAST_ERROR = "sync_last_error"
REUSED = "operation id reused with other content"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class SyncReport:
    applied: int = 0
    duplicate: int = 0
    rejected: list[dict] = field(default_factory=list)
    attachments: int = 0
    unsent: int = 0  # still waiting after the run (quarantined ones included)
    quarantined: int = 0
    retries: int = 0  # transient failures survived in this run
    cancelled: bool = False
    finished_at: str | None = None

    @property
    def sent(self) -> int:
        return self.applied + self.duplicate


def transient(error: BaseException) -> bool:
    """A ``SyncError`` worth trying again: no answer at all, a server-side failure (5xx), or 429 (too many
    requests: the hub asks the device to slow down)."""
    status = getattr(error, "status", 0)
    return hasattr(error, "en") and (status is None or status >= 500 or status == 429)


class Backoff:
    """Jittered exponential backoff, bounded: ``base`` after the first failure, doubling up to ``cap``;
    each delay is drawn from [d/2, d] so devices that failed together do not retry together."""

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
    """Push everything waiting, oldest first; raise ``SyncError`` when the hub cannot be reached (after
    ``retries`` tries) or refuses the device. ``progress(done, total)`` after each batch."""
    from loandesk.sync import client as sync_client
    from loandesk.sync.client import HubClient, SyncError

    progress = progress or (lambda _done, _total: None)
    cancelled = cancelled or (lambda: False)
    pause = pause or (lambda seconds: _nap(seconds, cancelled))
    token, device_id, hub_url = store.setting("hub_token"), store.setting("hub_device_id"), store.setting("hub_url")
    if not token or not device_id or not hub_url:
        raise SyncError("this data home is not enrolled with a hub", "本数据目录尚未在总行中心注册")
    report = SyncReport()
    backoff = Backoff(base=0.5, cap=8, rng=rng)
    total = _waiting(store)
    progress(0, total)
    hub = HubClient(hub_url, token, verify=verify, timeout=timeout)
    try:
        while not cancelled():
            try:
                if not _one_batch(store, hub, device_id, batch, report):
                    break
            except SyncError as exc:
                if not transient(exc) or report.retries >= retries:
                    _note_error(store, exc)
                    raise
                report.retries += 1
                pause(backoff.failed())
                continue
            backoff.reset()
            progress(min(report.sent + len(report.rejected), total), total)
        else:
            report.cancelled = True
    finally:
        hub.close()
    report.unsent = store.unsynced_count()
    report.quarantined = len(sync_client.quarantined(store))
    report.finished_at = clock.stamp()
    with store.db.atomic():
        if not report.cancelled:
            store.set_setting(LAST_OK, report.finished_at)
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
    from loandesk.sync import client as sync_client

    skip = set(sync_client.quarantined(store))
    return sum(g["count"] for g in outbox_summary.unsent_by_entity(store, skip))


def _one_batch(store, hub: HubClient, device_id: str, batch: int, report: SyncReport) -> bool:
    """Send the next batch (its memos' PDFs first) and record the answers; False when nothing is left.

    Mirrors ``client.push``'s loop body: ``applied`` and ``duplicate`` answers acknowledge, a rejection
    (or a 409 naming reused ids) goes to the client's quarantine with the hub's reason."""
    from loandesk.sync import client as sync_client
    from loandesk.sync import outbox
    from loandesk.sync import protocol as p
    from loandesk.sync.client import SyncError

    skip = set(sync_client.quarantined(store))
    todo = []
    for item in outbox.pending(store, device_id, skip=skip):
        todo.append(item)
        if len(todo) >= batch:
            break
    if not todo:
        return False
    for item in todo:
        if item.memo_id:
            report.attachments += sync_client._send_memo_pdf(store, hub, item.memo_id)
    status, body = hub.push(p.PushRequest(device=device_id, ops=[t.op for t in todo], unsent=outbox.unsent(store)))
    if status == 409:
        reused = p.Refusal.model_validate(body).reused
        if not reused:
            raise SyncError(f"the hub refused the push (409): {body.get('detail')}",
                            f"总行中心拒绝本次发送（409）：{body.get('detail')}", 409)  # fmt: skip
        sync_client._quarantine(store, dict.fromkeys(reused, REUSED))
        report.rejected += [{"op_id": r, "reason": REUSED} for r in reused]
        return True
    done, refused = [], {}
    for result in p.PushResponse.model_validate(body).results:
        if result.status == "rejected" or (result.status == "duplicate" and result.code):
            refused[result.op_id] = result.reason or "rejected"
        else:
            done.append(result.op_id)
            report.applied += result.status == "applied"
            report.duplicate += result.status == "duplicate"
    sync_client._quarantine(store, refused)
    report.rejected += [{"op_id": k, "reason": v} for k, v in refused.items()]
    outbox.acknowledge(store, done)
    return True


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
    quarantined: list[dict]  # {op_id, reason, entity, entity_id, created_at}

    @property
    def enrolled(self) -> bool:
        return bool(self.hub_url and self.device_id and self.branch)


def status(store) -> SyncStatus:
    from loandesk.storage import outbox_summary
    from loandesk.sync import client as sync_client

    held = sync_client.quarantined(store)
    found = outbox_summary.operations(store, list(held))
    quarantined = [{"op_id": op_id, "reason": reason, **found.get(op_id, {})} for op_id, reason in held.items()
                   if not found.get(op_id, {}).get("sent")]  # fmt: skip
    quarantined.sort(key=lambda q: q.get("created_at") or "")
    return SyncStatus(
        hub_url=store.setting("hub_url") if store.setting("hub_token") else None,
        device_id=store.setting("hub_device_id"), branch=store.setting("hub_branch"),
        last_ok=store.setting(LAST_OK) or None, last_error=_last_error(store),
        unsent=store.unsynced_count(), groups=outbox_summary.unsent_by_entity(store, set(held)),
        quarantined=quarantined,
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
