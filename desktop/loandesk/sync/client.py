"""The device side of sync, first steps: enrol with the hub and push the outbox in order.

* Enrolment trades a one-time code for the device's own token, kept in the store's settings (the
  store is encrypted). The data home is then tied to that branch: a code for another branch is refused.
* Push sends the outbox oldest first in gzip-compressed batches. ``applied`` and ``duplicate``
  answers mark operations sent; a ``rejected`` one is set aside in quarantine with its reason (shown
  by ``loandesk sync``), so one bad operation never blocks the rest. A 409 names operations whose ids
  the hub holds with other content: those go to quarantine too, and the rest of the batch is sent again.
  A memo's PDF goes up first as a resumable, content-addressed attachment.
* Not yet: pulling and merging the hub's changes (head-office decisions, rule packs, field conflicts).
"""

from __future__ import annotations

import gzip
import json
import ssl
from dataclasses import dataclass, field

import httpx

from loandesk.core import ids
from loandesk.sync import outbox
from loandesk.sync import protocol as p

BATCH = 200
QUARANTINE = "sync_quarantine"  # settings key: JSON {op_id: reason}


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
    attachments: int = 0


class HubClient:
    def __init__(self, base_url: str, token: str | None = None, *, verify: bool | str = True, timeout: float = 30):
        headers = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if isinstance(verify, str):  # a CA file the hub's certificate is checked against
            verify = ssl.create_default_context(cafile=verify)
        self.http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, verify=verify, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise SyncError(f"cannot reach the hub at {self.http.base_url}: {exc}",
                            f"无法连接总行中心 {self.http.base_url}：{exc}") from None  # fmt: skip
        return response

    @staticmethod
    def _refused(response: httpx.Response) -> SyncError:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text[:200]
        return SyncError(f"the hub refused ({response.status_code}): {detail}",
                         f"总行中心拒绝（{response.status_code}）：{detail}", response.status_code)  # fmt: skip

    def enroll(self, code: str, device_id: str, device_code: str | None) -> p.EnrollResponse:
        body = p.EnrollRequest(code=code.strip(), device_id=device_id, device_code=device_code).model_dump()
        response = self._call("POST", "/v1/enroll", json=body)
        if response.status_code != 200:
            raise self._refused(response)
        return p.EnrollResponse.model_validate(response.json())

    def push(self, req: p.PushRequest) -> tuple[int, dict]:
        body = gzip.compress(req.model_dump_json().encode(), compresslevel=5)
        response = self._call("POST", "/v1/push", content=body,
                              headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})  # fmt: skip
        if response.status_code not in (200, 409):
            raise self._refused(response)
        return response.status_code, response.json()

    def upload(self, data: bytes) -> bool:
        """Send an attachment, resuming: ask what the hub holds, send the missing chunks. True if sent now."""
        sha = p.sha256_hex(data)
        response = self._call("POST", "/v1/blobs", json=p.BlobStart(sha256=sha, size=len(data)).model_dump())
        if response.status_code != 200:
            raise self._refused(response)
        status = p.BlobStatus.model_validate(response.json())
        if status.complete:
            return False
        for index in sorted(set(range(status.chunks)) - set(status.have)):
            chunk = data[index * status.chunk_size : (index + 1) * status.chunk_size]
            response = self._call("PUT", f"/v1/blobs/{sha}/chunks/{index}", content=chunk,
                                  headers={"Content-Type": "application/octet-stream"})  # fmt: skip
            if response.status_code != 200:
                raise self._refused(response)
            status = p.BlobStatus.model_validate(response.json())
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
    return answer


def quarantined(store) -> dict[str, str]:
    return json.loads(store.setting(QUARANTINE) or "{}")


def _quarantine(store, found: dict[str, str]) -> None:
    if found:
        with store.db.atomic():
            store.set_setting(QUARANTINE, json.dumps({**quarantined(store), **found}, ensure_ascii=False))


def push(store, hub_url: str | None = None, *, verify: bool | str = True, batch: int = BATCH) -> PushReport:
    token, device_id = store.setting("hub_token"), store.setting("hub_device_id")
    hub_url = hub_url or store.setting("hub_url")
    if not token or not device_id or not hub_url:
        raise SyncError("this data home is not enrolled with a hub: use --enroll CODE first",
                        "本数据目录尚未在总行中心注册：请先使用 --enroll 注册码")  # fmt: skip
    report = PushReport()
    client = HubClient(hub_url, token, verify=verify)
    try:
        while True:
            skip = set(quarantined(store))
            todo = []
            for item in outbox.pending(store, device_id, skip=skip):
                todo.append(item)
                if len(todo) >= batch:
                    break
            if not todo:
                return report
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
                _quarantine(store, dict.fromkeys(reused, "operation id reused with other content"))
                report.rejected += [{"op_id": r, "reason": "operation id reused with other content"} for r in reused]
                continue
            answer = p.PushResponse.model_validate(body)
            done, refused = [], {}
            for result in answer.results:
                if result.status == "rejected" or (result.status == "duplicate" and result.code):
                    refused[result.op_id] = result.reason or "rejected"
                else:
                    done.append(result.op_id)
                    report.applied += result.status == "applied"
                    report.duplicate += result.status == "duplicate"
            _quarantine(store, refused)
            report.rejected += [{"op_id": k, "reason": v} for k, v in refused.items()]
            outbox.acknowledge(store, done)
    finally:
        client.close()


def _send_memo_pdf(store, client: HubClient, memo_id: str) -> int:
    from loandesk.storage import memos

    row = memos.memo(store, memo_id, with_pdf=True)
    return int(client.upload(bytes(row["pdf"]))) if row and row.get("pdf") else 0
