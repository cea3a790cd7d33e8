"""What the sync panel and the status bar show, in one call (no network): unsent operations and the
oldest one's age, quarantined ones, open conflicts, the last sync that sent everything, whether a hub
is configured, and rule packs waiting for their day or refused.

``status(store) -> dict`` with keys ``enrolled``, ``hub``, ``branch``, ``unsent``, ``oldest_unsent``, ``files_waiting``,
``quarantined``, ``conflicts``, ``last_sync``, ``packs_waiting``, ``packs_refused``.
"""

from __future__ import annotations

from loandesk.storage import outbox, sync_state, uploads


def status(store) -> dict:
    return {
        "enrolled": bool(store.setting("hub_token")),
        "hub": store.setting("hub_url"),
        "branch": store.setting("hub_branch"),
        "unsent": outbox.unsent(store),
        "oldest_unsent": outbox.oldest_unsent(store),
        "files_waiting": uploads.waiting(store),  # attachments and visit photos not yet on the hub
        "quarantined": len(sync_state.quarantined(store)),
        "conflicts": len(sync_state.conflicts(store)),
        "last_sync": store.setting(sync_state.LAST_SYNC),
        "packs_waiting": [_pack(r) for r in sync_state.hub_packs(store, "waiting")],
        "packs_refused": [_pack(r) for r in sync_state.hub_packs(store, "refused")],
    }


def _pack(row: dict) -> dict:
    return {k: row[k] for k in ("id", "pack_id", "version", "effective", "state", "reason", "received_at")}
