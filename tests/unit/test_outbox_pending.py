"""The outbox is read a chunk at a time (a push takes 200 and stops), and still gives every unsent
operation exactly once, oldest first, whatever was acknowledged in between."""

from __future__ import annotations

import itertools

from loandesk.storage import outbox


def test_pending_reads_chunk_by_chunk_and_gives_every_unsent_operation_once_in_order(store, monkeypatch):
    monkeypatch.setattr(outbox, "PENDING_CHUNK", 3)
    with store.db.atomic():
        made = [outbox.append(store, "enterprise", f"e{i}", "update", {"employees": i}) for i in range(11)]
    sent = made[1::4] + made[2::4]  # acknowledged at the start of some chunks and in the middle of others
    outbox.acknowledge(store, sent)
    waiting = [op for op in made if op not in sent]
    assert [r.op_id for r in outbox.pending(store)] == waiting
    assert [r.payload["employees"] for r in outbox.pending(store)] == [made.index(op) for op in waiting]
    # a push takes what it needs and stops: the next one starts again from the oldest unsent
    assert [r.op_id for r in itertools.islice(outbox.pending(store), 4)] == waiting[:4]
    outbox.acknowledge(store, waiting[:4])
    assert [r.op_id for r in outbox.pending(store)] == waiting[4:]
    outbox.acknowledge(store, waiting[4:])
    assert list(outbox.pending(store)) == [] and outbox.unsent(store) == 0
