"""The pull cursor on PostgreSQL: no pull ever skips a row, with several hub processes writing at once.

A plain sequence skips: transaction 1 takes number 10, transaction 2 takes 11 and commits first; a
reader that saw 11 never sees 10. The first test builds exactly that interleaving to show the reader's
loss (the hazard is real, and this way of looking finds it); the second shows the hub's advisory lock
turns it into a wait; the third runs two real hub processes with devices pushing concurrently (and a
writer whose transactions stay open a while) while another device pulls, and checks every row reached
the puller. Without the lock the third fails: the puller misses the slow writer's rows.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from loandesk.core import clock, ids
from loandesk.hub import service
from loandesk.hub.schema import changes
from loandesk.hub.service import Hub


def _row() -> dict:
    return {"entity": "application", "entity_id": ids.new_id(), "branch": "B1", "version": 1, "data": {}}


def _read_after(engine, seq: int) -> list[int]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(changes.select().with_only_columns(changes.c.seq)
                                           .where(changes.c.seq > seq).order_by(changes.c.seq))]  # fmt: skip


def _interleave(hub: Hub, wait_for_block) -> tuple[int, int, list[int], list[int]]:
    """T1 appends (uncommitted); T2 appends and commits; a reader reads; T1 commits; the reader reads on
    from its cursor. Returns (T1's number, T2's number, first read, second read)."""
    engine = hub.engine
    first = engine.connect()
    tx = first.begin()
    [a] = hub.append_changes(first, [_row()])
    got: dict[str, int] = {}

    def second():
        with engine.begin() as conn:
            [got["b"]] = hub.append_changes(conn, [_row()])

    thread = threading.Thread(target=second)
    thread.start()
    wait_for_block(thread)
    read1 = _read_after(engine, a - 1)
    cursor = read1[-1] if read1 else a - 1
    tx.commit()
    first.close()
    thread.join(60)
    read2 = _read_after(engine, cursor)
    return a, got["b"], read1, read2


@pytest.fixture
def pg_hub(pg_cluster):
    hub = Hub.open(pg_cluster.new_database())
    yield hub
    hub.engine.dispose()


def test_without_the_lock_a_plain_sequence_cursor_skips_a_row(pg_hub, monkeypatch):
    def unlocked(conn, rows):  # what append_changes would be without its advisory lock
        result = conn.execute(changes.insert().returning(changes.c.seq),
                              [{**r, "data": "{}", "committed_at": clock.stamp()} for r in rows])  # fmt: skip
        return [x[0] for x in result]

    monkeypatch.setattr(pg_hub, "append_changes", unlocked)
    a, b, read1, read2 = _interleave(pg_hub, lambda thread: thread.join(60))  # T2 runs to its commit
    assert b > a and read1 == [b]  # the reader saw the later number first ...
    assert a not in read1 + read2  # ... and its cursor has passed the earlier one for ever


def test_the_advisory_lock_makes_the_later_writer_wait_so_no_row_is_skipped(pg_hub):
    def blocked(thread):  # T2 is waiting for the change-log lock (seen in pg_locks, not by timing)
        with pg_hub.engine.connect() as conn:
            for _ in range(600):
                waiting = conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                            "AND NOT granted")).scalar()  # fmt: skip
                if waiting:
                    return
                time.sleep(0.05)
        raise AssertionError("the second writer never waited for the change-log lock")

    a, b, read1, read2 = _interleave(pg_hub, blocked)
    assert read1 == []  # while T1 is open, nothing after T1's number is visible: T2 could not take one
    assert b > a and sorted(set(read1 + read2)) == [a, b]


def test_two_hub_processes_with_concurrent_writers_never_make_a_pull_skip_a_row(pg_cluster, start_hub):
    db = pg_cluster.new_database()
    hubs = [start_hub(db), start_hub(db)]
    branch = "330106-90"
    writers = [hubs[i % 2].enrol(branch) for i in range(4)]
    puller = hubs[0].enrol(branch)
    pushed: set[str] = set()
    lock = threading.Lock()
    errors: list[str] = []
    done = threading.Event()

    def write(dev):
        for _ in range(25):
            ops = [dev.op("application", ids.new_id(), {"requested_amount": 100000}) for _ in range(4)]
            answer = dev.push(*ops)
            if answer.status_code != 200 or {r["status"] for r in answer.json()["results"]} != {"applied"}:
                errors.append(answer.text[:200])
                return
            with lock:
                pushed.update(op["entity_id"] for op in ops)

    def slow_write():
        """A writer whose transactions stay open a while after taking their numbers (a slow disk, a big
        batch): the hub processes' writers keep committing meanwhile. Without the lock they would take
        later numbers, commit first, and the puller's cursor would pass this writer's rows."""
        hub = Hub.open(db)
        for _ in range(6):
            row = {**_row(), "branch": branch}
            with hub.engine.begin() as conn:
                hub.append_changes(conn, [row])
                time.sleep(0.3)
            with lock:
                pushed.add(row["entity_id"])
        hub.engine.dispose()

    received: list[str] = []
    cursors: list[int] = []

    def pull():
        cursor = None
        while True:
            finished = done.is_set()  # read before pulling: the last pull starts after every writer ended
            for hub_process in hubs:  # alternate between the processes
                puller.hub = hub_process
                page = puller.pull(cursor, limit=50)
                received.extend(c["entity_id"] for c in page["changes"])
                cursor = page["cursor"]
                cursors.append(service.decode_cursor(cursor))
            if finished and not page["more"]:
                return

    threads = [threading.Thread(target=write, args=(dev,)) for dev in writers] + [threading.Thread(target=slow_write)]
    reader = threading.Thread(target=pull)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    done.set()
    reader.join(300)
    assert errors == []
    assert len(pushed) == 4 * 25 * 4 + 6
    assert cursors == sorted(cursors)  # the cursor only moves forward
    assert sorted(received) == sorted(pushed)  # every row reached the puller, none twice
