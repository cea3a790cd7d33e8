"""Sync as the GUI's task runner drives it: progress per batch and page, and a cancel between them that
keeps what was done and loses nothing (the next sync goes on from there)."""

from __future__ import annotations

from sync_homes import new_home, sync

from loandesk.sync import client
from users_support import open_store


def test_cancel_between_batches_keeps_what_was_sent_and_the_next_sync_finishes(hub, tmp_path):
    home = new_home(tmp_path / "home", demo=2, seed=81)
    enrolled = sync(home, hub, "330106-31")  # enrol (and send) once, then capture more
    assert enrolled["rc"] == 0
    from loandesk.demo import populate

    store = open_store(home)
    try:
        populate(store, 3, seed=82)
        waiting = client.unsent(store)
        nothing = client.sync(store, cancelled=lambda: True)
        assert nothing.cancelled and client.unsent(store) == waiting  # cancelled before anything went
        seen: list[tuple[str, int]] = []
        part = client.push(store, batch=2, cancelled=lambda: len(seen) >= 2, progress=lambda s, n: seen.append((s, n)))
        assert part.cancelled and seen == [("push", 2), ("push", 4)] and client.unsent(store) == waiting - 4
        stages: list[str] = []
        done = client.sync(store, progress=lambda s, n: stages.append(s))
        assert not done.cancelled and client.unsent(store) == 0 and {"push", "pull", "audit"} <= set(stages)
    finally:
        store.close()
