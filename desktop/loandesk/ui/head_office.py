"""Head office's decision on an application, pulled by sync (``approvals.state()["head_office"]``), in
one line for the score panel and the memo dialog. It is a record of its own: shown beside the branch's
decision, never written over it."""

from __future__ import annotations

from PySide6.QtCore import QObject


class HeadOfficeWords(QObject):
    def line(self, found: dict | None) -> str:
        """"" when head office has not decided."""
        if not found:
            return ""
        on, by = (found.get("decided_at") or "")[:10], found.get("decided_by") or ""
        if found.get("decision") == "approve":
            text = self.tr("Head office approved on {on} ({by})").format(on=on, by=by)
            if found.get("limit_amount") is not None:
                text += self.tr(", limit {limit} yuan").format(limit=f"{int(found['limit_amount']):,}")
        else:
            text = self.tr("Head office declined on {on} ({by})").format(on=on, by=by)
        if found.get("note"):
            text += self.tr(". Note: {note}").format(note=found["note"])
        return text


_WORDS: HeadOfficeWords | None = None


def line(found: dict | None) -> str:
    global _WORDS
    if _WORDS is None:
        _WORDS = HeadOfficeWords()
    return _WORDS.line(found)


def show_in(runner, dialog, application_id: str | None) -> None:
    """Read head office's decision on the database thread and show it in ``dialog.show_head_office``."""
    if not application_id or not runner.accepting:
        return

    def job(store, _state):
        from loandesk.storage import approvals

        return approvals.state(store, application_id)["head_office"]

    runner.submit(job, dialog.show_head_office, lambda _error: None)  # the memo itself still shows
