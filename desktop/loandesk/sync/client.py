"""The device side of sync: enrol with the hub, push the outbox in order, pull, send the audit trail.

* Enrolment trades a one-time code for the device's own token, kept in the store's settings (the
  store is encrypted), and pins the hub's rule-pack signing key. The data home is then tied to that
  branch: a code for another branch is refused.
* Push sends the outbox oldest first in gzip-compressed batches. ``applied`` and ``duplicate``
  answers mark operations sent; a ``rejected`` one goes to the quarantine table with the hub's reason
  (``loandesk quarantine``), operations on the same record wait behind it, and the rest goes on. A 409
  names operations whose ids the hub holds with other content: those are quarantined too, and the
  rest of the batch is sent again. A memo's PDF goes up first as a resumable attachment.
* Pull: ``sync.pull`` (cursor, merge, decisions, signed rule packs, conflicts).
* Network errors and 5xx answers are retried with jittered exponential backoff (``sync.backoff``);
  4xx answers are refusals, never retried.
* ``sync(store)`` runs it all and reports pushed, pulled, rejected and conflicts.
"""

from __future__ import annotations

import gzip
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from loandesk.core import clock, ids
from loandesk.storage import outbox as rows
from loandesk.storage import sync_state
from loandesk.sync import outbox
from loandesk.sync import protocol as p
from loandesk.sync.backoff import Backoff, Retryable

BATCH = 200
REUSED = "operation id reused with other content"


class SyncError(Exception):
    """Sync could not go on; the message in both languages (the hub's own reasons stay as it gave them)."""

    def __init__(self, en: str, zh: str | None = None, status: int | None = None):
        super().__init__(en)
        self.en, self.zh, self.status = en, zh or en, status

    def message(self, lang: str | None = None) -> str:
        from loandesk.core.i18n import pick

        return pick(self.en, self.zh, lang)


@dataclass
class PushReport:
    applied: int = 0
    duplicate: int = 0
    rejected: list[dict] = field(default_factory=list)
    attachments: int = 0  # memo PDFs sent (before their memos)
    files: int = 0  # attachments and visit photos the hub now holds (after their records)
    unreadable_files: list[dict] = field(default_factory=list)
    conflicted: int = 0  # operations of which the hub kept some field at its own value
    cancelled: bool = False


class _Transient(Retryable):
    def __init__(self, error: SyncError):
        super().__init__(error.en)
        self.error = error


class HubClient:
    def __init__(self, base_url: str, token: str | None = None, *, verify: bool | str = True, timeout: float = 30,
                 backoff: Backoff | None = None):  # fmt: skip
        headers = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if isinstance(verify, str):  # a CA file the hub's certificate is checked against
            verify = ssl.create_default_context(cafile=verify)
        self.http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, verify=verify, timeout=timeout)
        self.backoff = backoff or Backoff()

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        def once() -> httpx.Response:
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.HTTPError as exc:
                raise _Transient(SyncError(f"cannot reach the hub at {self.http.base_url}: {exc}",
                                           f"无法连接总行中心 {self.http.base_url}：{exc}")) from None  # fmt: skip
            if response.status_code >= 500:
                raise _Transient(self._refused(response))
            return response

        try:
            return self.backoff.run(once)
        except _Transient as exc:
            raise exc.error from None

    @staticmethod
    def _refused(response: httpx.Response) -> SyncError:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text[:200]
        return SyncError(f"the hub refused ({response.status_code}): {detail}",
                         f"总行中心拒绝（{response.status_code}）：{detail}", response.status_code)  # fmt: skip

    def _json(self, method: str, path: str, ok: tuple[int, ...] = (200,), **kwargs):
        response = self._call(method, path, **kwargs)
        if response.status_code not in ok:
            raise self._refused(response)
        return response.json()

    def enroll(self, code: str, device_id: str, device_code: str | None) -> p.EnrollResponse:
        body = p.EnrollRequest(code=code.strip(), device_id=device_id, device_code=device_code).model_dump()
        return p.EnrollResponse.model_validate(self._json("POST", "/v1/enroll", json=body))

    def push(self, req: p.PushRequest) -> tuple[int, dict]:
        body = gzip.compress(req.model_dump_json().encode(), compresslevel=5)
        response = self._call("POST", "/v1/push", content=body,
                              headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})  # fmt: skip
        if response.status_code not in (200, 409):
            raise self._refused(response)
        return response.status_code, response.json()

    def changes(self, cursor: str | None, limit: int = 500) -> p.PullResponse:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        return p.PullResponse.model_validate(self._json("GET", "/v1/changes", params=params))

    def conflicts(self) -> list[p.Conflict]:
        return [p.Conflict.model_validate(c) for c in self._json("GET", "/v1/conflicts")]

    def close_conflict(self, conflict_id: str, kept: str, by: str) -> None:
        self._json("POST", f"/v1/conflicts/{conflict_id}/close", json=p.ConflictClose(kept=kept, by=by).model_dump())

    def audit(self, req: p.AuditPush) -> tuple[int, dict]:
        response = self._call("POST", "/v1/audit", json=req.model_dump())
        if response.status_code not in (200, 409):
            raise self._refused(response)
        return response.status_code, response.json()

    def upload(self, data: bytes) -> bool:
        """Send an attachment, resuming: ask what the hub holds, send the missing chunks. True if sent now."""
        sha = p.sha256_hex(data)
        status = p.BlobStatus.model_validate(self._json("POST", "/v1/blobs",
                                                        json=p.BlobStart(sha256=sha, size=len(data)).model_dump()))
        if status.complete:
            return False
        for index in sorted(set(range(status.chunks)) - set(status.have)):
            chunk = data[index * status.chunk_size : (index + 1) * status.chunk_size]
            status = p.BlobStatus.model_validate(self._json(
                "PUT", f"/v1/blobs/{sha}/chunks/{index}", content=chunk,
                headers={"Content-Type": "application/octet-stream"}))  # fmt: skip
        if not status.complete:
            raise SyncError(f"the hub did not complete attachment {sha[:12]}…", f"总行中心未收全附件 {sha[:12]}…")
        return True


def enroll(store, hub_url: str, code: str, *, verify: bool | str = True) -> p.EnrollResponse:
    branch = store.setting("hub_branch")
    device_id = store.setting("hub_device_id") or ids.new_id()
    client = HubClient(hub_url, verify=verify)
    try:
        answer = client.enroll(code, device_id, store.setting("device"))
    finally:
        client.close()
    if branch and answer.branch != branch:  # the hub refuses this too; never re-home a data home's records
        raise SyncError(f"this data home belongs to branch {branch}, the code is for {answer.branch}",
                        f"本数据目录属于网点 {branch}，该注册码属于网点 {answer.branch}")  # fmt: skip
    with store.db.atomic():
        for key, value in (("hub_url", hub_url), ("hub_token", answer.token), ("hub_device_id", answer.device_id),
                           ("hub_branch", answer.branch)):  # fmt: skip
            store.set_setting(key, value)
        if answer.signing_key:
            store.set_setting(sync_state.HUB_KEY, answer.signing_key)
    return answer


def quarantined(store) -> dict[str, str]:
    """Held operations: {op_id: the hub's reason}."""
    return {q["op_id"]: q["reason"] for q in sync_state.quarantined(store)}


def _quarantine(store, found: dict[str, tuple[int | None, str]], by_id: dict[str, outbox.Pending]) -> None:
    if found:
        with store.db.atomic():
            for op_id, (code, reason) in found.items():
                item = by_id[op_id]
                sync_state.quarantine(store, op_id, item.seq, item.entity, item.op.entity_id, code, reason)


def connect(store, hub_url: str | None = None, *, verify: bool | str = True,
            backoff: Backoff | None = None, timeout: float = 30) -> tuple[HubClient, str]:  # fmt: skip
    token, device_id = store.setting("hub_token"), store.setting("hub_device_id")
    hub_url = hub_url or store.setting("hub_url")
    if not token or not device_id or not hub_url:
        raise SyncError("this data home is not enrolled with a hub: use --enroll CODE first",
                        "本数据目录尚未在总行中心注册：请先使用 --enroll 注册码")  # fmt: skip
    return HubClient(hub_url, token, verify=verify, backoff=backoff, timeout=timeout), device_id


def push(store, hub_url: str | None = None, *, verify: bool | str = True, batch: int = BATCH,
         client: HubClient | None = None, cancelled: Callable[[], bool] | None = None,
         progress: Callable[[str, int], None] | None = None) -> PushReport:  # fmt: skip
    """Send the outbox in batches. ``cancelled()`` is asked before each batch (what was acknowledged
    stays acknowledged); ``progress("push", sent so far)`` after each."""
    own = client is None
    if own:
        client, device_id = connect(store, hub_url, verify=verify)
    else:
        device_id = store.setting("hub_device_id")
    report = PushReport()
    try:
        while True:
            if cancelled and cancelled():
                report.cancelled = True
                return report
            todo = []
            for item in outbox.pending(store, device_id, store.actor.username):
                todo.append(item)
                if len(todo) >= batch:
                    break
            if not todo:
                return report
            by_id = {t.op.op_id: t for t in todo}
            for item in todo:
                if item.memo_id:
                    report.attachments += _send_memo_pdf(store, client, item.memo_id)
            req = p.PushRequest(device=device_id, ops=[t.op for t in todo], unsent=outbox.unsent(store))
            status, body = client.push(req)
            if status == 409:  # ids the hub holds with other content: set them aside, send the rest again
                reused = p.Refusal.model_validate(body).reused
                if not reused:
                    raise SyncError(f"the hub refused the push (409): {body.get('detail')}",
                                    f"总行中心拒绝本次发送（409）：{body.get('detail')}", 409)  # fmt: skip
                _quarantine(store, {r: (409, REUSED) for r in reused if r in by_id}, by_id)
                report.rejected += [{"op_id": r, "reason": REUSED} for r in reused]
                continue
            answer = p.PushResponse.model_validate(body)
            done, refused, waiting = [], {}, 0
            for result in answer.results:
                if result.code == 424:  # behind a refused one on its record: stays in the outbox, waits
                    waiting += 1
                elif result.status == "rejected" or (result.status == "duplicate" and result.code):
                    refused[result.op_id] = (result.code, result.reason or "rejected")
                else:
                    done.append(result.op_id)
                    report.applied += result.status == "applied"
                    report.duplicate += result.status == "duplicate"
                    report.conflicted += bool(result.conflicts)
            _quarantine(store, refused, by_id)
            report.rejected += [{"op_id": k, "code": c, "reason": r} for k, (c, r) in refused.items()]
            outbox.acknowledge(store, done)
            if progress:
                progress("push", report.applied + report.duplicate)
            if not done and not refused:  # only waiting operations were left: the next sync sends them
                return report
    finally:
        if own:
            client.close()


def _send_memo_pdf(store, client: HubClient, memo_id: str) -> int:
    from loandesk.storage import memos

    row = memos.memo(store, memo_id, with_pdf=True)
    return int(client.upload(bytes(row["pdf"]))) if row and row.get("pdf") else 0


def close_settled_conflicts(store, client: HubClient) -> int:
    """Tell the hub which of its conflicts were settled here (after the chosen values were pushed)."""
    closed = 0
    for c in sync_state.unclosed_on_hub(store):
        kept = "hub" if c["resolution"] == "remote" else "device"
        try:
            client.close_conflict(c["hub_conflict_id"], kept, c["settled_by"])
        except SyncError as exc:
            if exc.status not in (403, 404):
                raise
        with store.db.atomic():
            sync_state.closed_on_hub(store, c["id"])
        closed += 1
    return closed


def push_audit(store, client: HubClient, device_id: str) -> dict:
    """Send the audit records the hub does not hold yet; the hub checks they continue its chain."""
    sent = 0
    while True:
        after, _ = sync_state.audit_sent(store)
        records = sync_state.audit_after(store, after)
        if not records:
            return {"sent": sent, "refused": None}
        req = p.AuditPush(device=device_id, records=[p.AuditRecord(**r) for r in records])
        status, body = client.audit(req)
        if status == 409:
            return {"sent": sent, "refused": body.get("detail")}
        answer = p.AuditAnswer.model_validate(body)
        with store.db.atomic():
            store.set_setting(sync_state.AUDIT_SENT, f"{answer.head_seq}:{answer.head_hash}")
        sent += answer.accepted
        if answer.head_seq <= after:
            return {"sent": sent, "refused": None}


@dataclass
class SyncReport:
    push: PushReport
    pull: object
    audit: dict
    closed_conflicts: int = 0
    cancelled: bool = False


def sync(store, hub_url: str | None = None, *, verify: bool | str = True, backoff: Backoff | None = None,
         cancelled: Callable[[], bool] | None = None, progress: Callable[[str, int], None] | None = None,
         batch: int = BATCH, timeout: float = 30) -> SyncReport:
    """Push, pull (and merge), put in force rule packs whose day has come, close settled conflicts,
    push what that wrote, and send the audit trail.

    For the GUI's task runner: ``progress(stage, count)`` with stage "push" | "pull" | "audit";
    ``cancelled()`` is asked between batches and pages. Every batch and page is committed on its own,
    so a cancel (or a crash) loses nothing and the next sync goes on from there; a cancelled sync
    returns early with ``report.cancelled``."""
    from loandesk.storage import uploads as files_table
    from loandesk.sync import pull, uploads

    client, device_id = connect(store, hub_url, verify=verify, backoff=backoff, timeout=timeout)
    try:
        pushed = push(store, client=client, batch=batch, cancelled=cancelled, progress=progress)
        if pushed.cancelled:
            return SyncReport(pushed, pull.PullReport(), {"sent": 0, "refused": None}, 0, cancelled=True)
        pulled = pull.pull(store, client, device_id, cancelled=cancelled, progress=progress)
        if pulled.cancelled:
            return SyncReport(pushed, pulled, {"sent": 0, "refused": None}, 0, cancelled=True)
        pull.install_due(store, report=pulled)  # a pack installed is an operation of its own: pushed below
        closed = close_settled_conflicts(store, client)
        more = push(store, client=client, batch=batch)  # what installing packs wrote, and operations released meanwhile
        pushed.applied += more.applied
        pushed.duplicate += more.duplicate
        pushed.rejected += more.rejected
        files = uploads.send_ready(store, client, cancelled=cancelled, progress=progress)  # after their records
        pushed.files, pushed.unreadable_files = files.sent + files.already, files.unreadable
        audit = push_audit(store, client, device_id)
        if progress:
            progress("audit", audit["sent"])
        if not pushed.rejected and not outbox.unsent(store) and not files_table.waiting(store):
            with store.db.atomic():
                store.set_setting(sync_state.LAST_SYNC, clock.stamp())
    finally:
        client.close()
    return SyncReport(pushed, pulled, audit, closed)


def unsent(store) -> int:
    return rows.unsent(store)
