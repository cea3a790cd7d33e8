"""Sending attachments and visit photos after their records (resumable, checked whole by the hub).

A record goes in the push; its file follows once the hub has acknowledged the record, so an application
can be on the hub before its scans are: head office sees it with "attachments pending" until they
complete. Each file is sent with ``HubClient.upload``, which asks the hub which chunks it holds and sends
only the rest, so a cut connection or a killed device costs at most the chunk in flight. A file is
marked sent only once the hub has it whole (its SHA-256 checked there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from loandesk.storage import attachments, uploads


@dataclass
class UploadReport:
    sent: int = 0  # files sent in this run
    already: int = 0  # files the hub held already (another device sent the same content)
    unreadable: list[dict] = field(default_factory=list)  # files this home cannot read: they wait, named
    cancelled: bool = False


def send_ready(store, client, *, cancelled: Callable[[], bool] | None = None,
               progress: Callable[[str, int], None] | None = None) -> UploadReport:  # fmt: skip
    report = UploadReport()
    for digest in uploads.ready(store):
        if cancelled and cancelled():
            report.cancelled = True
            break
        try:
            data = attachments.read_blob(store, digest)
        except attachments.AttachmentError as exc:  # the others still go; this one stays waiting, reported
            report.unreadable.append({"sha256": digest, "reason": str(exc), "reason_zh": exc.zh})
            continue
        if client.upload(data):
            report.sent += 1
        else:
            report.already += 1
        with store.db.atomic():
            uploads.mark_sent(store, digest)
        if progress:
            progress("files", report.sent + report.already)
    return report
