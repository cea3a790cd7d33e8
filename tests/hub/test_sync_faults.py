"""Faults on loopback, with real processes: the device (a ``loandesk sync`` process) killed mid-push, the
hub killed mid-batch, a proxy that drops, truncates and answers 503, a device clock days wrong, an
attachment upload cut half-way. After recovery every operation is on the hub exactly once (its
``operations`` table against the device's outbox, and ``hub list applications``), and the outbox drains.

Bounded: every wait has a timeout, every retry loop a count; the proxy's faults come from a seeded RNG.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fault_proxy import FaultProxy, restart_hub
from hubs import loandesk

from loandesk.core import clock
from loandesk.sync import protocol as p

PINNED = clock.parse_instant(os.environ.get(clock.ENV_VAR) or "2026-11-23T09:30:00+00:00")


@pytest.fixture(scope="module")
def device_home(tmp_path_factory):
    """A data home with users and demo applications at every stage, memos among them (made once)."""
    home = tmp_path_factory.mktemp("faults") / "home"
    loandesk("--home", str(home), "demo", "--count", "6")
    return home


@pytest.fixture
def home(device_home, tmp_path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(device_home, copy)
    return copy


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/hub.db"


@pytest.fixture
def proxies():
    made = []
    yield made
    for proxy in made:
        proxy.close()


def outbox_ops(home: Path) -> list[str]:
    from users_support import open_store

    store = open_store(home)
    try:
        return [r[0] for r in store.db.execute("SELECT op_id FROM outbox ORDER BY seq").fetchall()]
    finally:
        store.close()


def unsent(home: Path) -> int:
    from users_support import open_store

    store = open_store(home)
    try:
        return store.unsynced_count()
    finally:
        store.close()


def hub_ops(db: str, branch: str | None = None) -> list[dict]:
    """The operations the hub holds (read from its database: works while the hub process is down)."""
    engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT o.op_id, o.device_seq, o.device_time, o.hub_seq, o.status, d.branch "
                                        "FROM operations o JOIN devices d ON d.id = o.device_id "
                                        "ORDER BY o.hub_seq")).mappings().all()  # fmt: skip
    finally:
        engine.dispose()
    return [dict(r) for r in rows if branch is None or r["branch"] == branch]


def applications_on_hub(db: str, branch: str) -> list[str]:
    listed = json.loads(loandesk("hub", "list", "applications", "--db", db, "--json", "--branch", branch).stdout)
    return [a["ref"] for a in listed]


def local_refs(home: Path) -> list[str]:
    return [a["ref"] for a in json.loads(loandesk("--home", str(home), "list", "applications", "--json").stdout)]


def assert_exactly_once(home: Path, db: str, branch: str) -> None:
    ops = outbox_ops(home)
    held = hub_ops(db, branch)
    assert sorted(o["op_id"] for o in held) == sorted(ops)  # every operation, none twice (and none lost)
    assert all(o["status"] == "applied" for o in held)
    refs = applications_on_hub(db, branch)
    assert len(refs) == len(set(refs)) and sorted(refs) == sorted(local_refs(home))
    assert unsent(home) == 0


def sync_cli(home: Path, hub_url: str, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return loandesk("--home", str(home), "sync", "--hub", hub_url, "--json", *extra, env=env, check=False)


def wait_for(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_the_device_killed_mid_push_resends_and_the_hub_holds_each_operation_once(start_hub, sqlite_db, branch,
                                                                                  home, proxies):  # fmt: skip
    hub = start_hub(sqlite_db)
    proxy = FaultProxy(hub.port)
    proxies.append(proxy)
    ops = outbox_ops(home)
    proxy.stall_down = b"POST /v1/push"  # the hub applies the batch; its answer never reaches the device
    device = subprocess.Popen([sys.executable, "-m", "loandesk", "--home", str(home), "sync", "--hub", proxy.url,
                               "--enroll", hub.code(branch), "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)  # fmt: skip
    try:
        wait_for(lambda: proxy.stats["held"] > 0 and len(hub_ops(sqlite_db, branch)) == len(ops), 60,
                 "the hub to apply the batch")  # fmt: skip
    finally:
        device.send_signal(signal.SIGKILL)
        device.wait(10)
    assert unsent(home) == len(ops)  # killed before the answer: nothing acknowledged, nothing lost
    proxy.calm()
    again = sync_cli(home, proxy.url)
    assert again.returncode == 0, again.stderr
    outcome = json.loads(again.stdout)
    assert (outcome["applied"], outcome["duplicate"], outcome["unsent"]) == (0, len(ops), 0)  # acknowledged again
    assert_exactly_once(home, sqlite_db, branch)


def test_the_hub_killed_mid_batch_and_restarted_loses_and_doubles_nothing(start_hub, fresh_db, branch, home,
                                                                          proxies):  # fmt: skip
    hub = start_hub(fresh_db)
    proxy = FaultProxy(hub.port)
    proxies.append(proxy)
    assert sync_cli(home, hub.url, "--enroll", hub.code(branch)).returncode == 0  # enrolled; all sent once
    from users_support import open_store

    store = open_store(home)  # more work while the first batch is on the hub
    try:
        from loandesk import demo

        demo.populate(store, 4, seed=4242, lifecycle=True)
    finally:
        store.close()
    waiting = unsent(home)
    # 1. the hub dies while the batch is still arriving: none of it may be applied
    proxy.stall_up = (b"POST /v1/push", 300)
    device = subprocess.Popen([sys.executable, "-m", "loandesk", "--home", str(home), "sync", "--hub", proxy.url,
                               "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    wait_for(lambda: proxy.stats["stalled"] > 0, 60, "the push to be in flight")
    before = len(hub_ops(fresh_db, branch))
    hub.proc.send_signal(signal.SIGKILL)
    hub.proc.wait(10)
    _out, err = device.communicate(timeout=60)
    assert device.returncode == 2 and "Traceback" not in err and err.strip().count("\n") == 0  # one line
    assert len(hub_ops(fresh_db, branch)) == before and unsent(home) == waiting  # the batch was all-or-nothing
    hub = restart_hub(hub)  # same database, same port
    try:
        proxy.calm()
        # 2. the hub dies after applying a batch, before its answer leaves: the resend is a duplicate
        proxy.stall_down = b"POST /v1/push"
        device = subprocess.Popen([sys.executable, "-m", "loandesk", "--home", str(home), "sync", "--hub",
                                   proxy.url, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        wait_for(lambda: proxy.stats["held"] > 0 and len(hub_ops(fresh_db, branch)) == before + waiting, 60,
                 "the hub to apply the batch")  # fmt: skip
        hub.proc.send_signal(signal.SIGKILL)
        hub.proc.wait(10)
        device.communicate(timeout=60)
        assert device.returncode == 2 and unsent(home) == waiting
        hub.log.close()
        hub = restart_hub(hub)
        proxy.calm()
        done = sync_cli(home, proxy.url)
        assert done.returncode == 0, done.stderr
        assert (json.loads(done.stdout)["duplicate"], json.loads(done.stdout)["unsent"]) == (waiting, 0)
        assert_exactly_once(home, fresh_db, branch)
    finally:
        hub.stop()


def test_a_link_that_drops_truncates_and_answers_503_still_delivers_everything_once(start_hub, sqlite_db, branch,
                                                                                     home, proxies):  # fmt: skip
    from loandesk.sync import run
    from loandesk.sync.client import SyncError
    from users_support import open_store

    hub = start_hub(sqlite_db, "--rate", "1000")
    proxy = FaultProxy(hub.port, seed=20261203, chunk=4096)
    proxies.append(proxy)
    assert sync_cli(home, hub.url, "--enroll", hub.code(branch)).returncode == 0
    store = open_store(home)
    try:
        from loandesk import demo

        demo.populate(store, 30, seed=77, lifecycle=True)  # memos among them: their PDFs go up in chunks
        store.set_setting("hub_url", proxy.url)
        waiting = store.unsynced_count()
        # a 503 is retried, not taken for an answer
        proxy.fail_503 = 2
        first = run.sync_once(store, batch=25, pause=lambda _s: None)
        assert first.retries == 2 and proxy.stats["503"] == 2 and first.unsent == 0
        demo.populate(store, 30, seed=78, lifecycle=True)
        waiting = store.unsynced_count()
        proxy.drop, proxy.truncate = 0.2, 0.15
        applied, runs = 0, 0
        while store.unsynced_count() and runs < 40:
            runs += 1
            try:
                applied += run.sync_once(store, batch=25, retries=0, pause=lambda _s: None).applied
            except SyncError as exc:  # this run gave up; the next one resumes where it stopped
                assert run.transient(exc), exc.message("en")
        assert store.unsynced_count() == 0, f"still {store.unsynced_count()} unsent after {runs} runs"
    finally:
        store.close()
    assert proxy.stats["dropped"] > 0 and proxy.stats["truncated"] > 0 and runs > 1  # the faults really happened
    assert applied <= waiting  # some answers were lost after the hub applied: those came back as duplicates
    assert_exactly_once(home, sqlite_db, branch)


def test_a_device_clock_days_wrong_changes_no_order(start_hub, sqlite_db, branch, tmp_path):
    from loandesk import demo
    from users_support import open_store, with_demo_users

    home = with_demo_users(tmp_path / "home")
    store = open_store(home)
    try:  # days ahead, then days behind: device times go back while the device's sequence goes on
        clock.pin(PINNED + dt.timedelta(days=5))
        demo.populate(store, 3, seed=1, lifecycle=True)
        clock.pin(PINNED - dt.timedelta(days=3))
        demo.populate(store, 3, seed=2, lifecycle=True)
    finally:
        clock.pin(PINNED)
        store.close()
    hub = start_hub(sqlite_db)
    wrong = {clock.ENV_VAR: (PINNED + dt.timedelta(days=9)).isoformat()}  # and syncs with its clock 9 days off
    done = sync_cli(home, hub.url, "--enroll", hub.code(branch), env=wrong)
    assert done.returncode == 0, done.stderr
    held = [o for o in hub_ops(sqlite_db, branch) if o["hub_seq"] is not None]  # those that changed a record
    seqs = [o["device_seq"] for o in held]  # in the hub's commit order
    times = [o["device_time"] for o in held]
    assert len(held) > 20
    assert seqs == sorted(seqs) and times != sorted(times)  # ordered by the device's sequence, not its clock
    listed = json.loads(loandesk("hub", "list", "applications", "--db", sqlite_db, "--json", "--branch",
                                 branch).stdout)  # fmt: skip
    local = json.loads(loandesk("--home", str(home), "list", "applications", "--json").stdout)
    assert {a["ref"]: a["stage"] for a in listed} == {a["ref"]: a["stage"] for a in local}  # last change won
    assert_exactly_once(home, sqlite_db, branch)


def test_an_attachment_cut_half_way_resumes_with_the_chunks_the_hub_lacks(start_hub, sqlite_db, branch, proxies):
    from loandesk.sync.backoff import no_retry
    from loandesk.sync.client import HubClient, SyncError

    hub = start_hub(sqlite_db)
    proxy = FaultProxy(hub.port)
    proxies.append(proxy)
    device = hub.enrol(branch)
    data = os.urandom(4 * p.CHUNK_SIZE + 1000)  # five chunks
    client = HubClient(proxy.url, device.token, backoff=no_retry())  # the cut ends this run (no retry in it)
    try:
        proxy.cut_after_up = int(2.5 * p.CHUNK_SIZE)  # the connection breaks inside the third chunk
        with pytest.raises(SyncError) as cut:
            client.upload(data)
        assert cut.value.status is None and proxy.stats["cut"] == 1
        sha = p.sha256_hex(data)
        with hub.client(device.token) as c:
            have = c.post("/v1/blobs", json={"sha256": sha, "size": len(data)}).json()
        assert have["have"] == [0, 1] and not have["complete"]
        sent_before = proxy.stats["bytes_up"]
        client.close()
        client = HubClient(proxy.url, device.token)
        assert client.upload(data) is True
        resent = proxy.stats["bytes_up"] - sent_before
        lacking = len(data) - 2 * p.CHUNK_SIZE  # chunks 2, 3 and the short 4: sent again, and only they
        assert lacking < resent < lacking + 10_000  # (plus the requests' headers)
        assert client.upload(data) is False  # complete, checked against its hash: nothing more to send
    finally:
        client.close()


def test_a_hub_that_stays_down_is_tried_a_bounded_number_of_times_and_the_reason_kept_in_both_languages(
        start_hub, sqlite_db, branch, home):  # fmt: skip
    from hubs import free_port

    from loandesk.core.i18n import set_language
    from loandesk.sync import run
    from loandesk.sync.client import SyncError
    from users_support import open_store

    hub = start_hub(sqlite_db)
    assert sync_cli(home, hub.url, "--enroll", hub.code(branch)).returncode == 0
    store = open_store(home)
    try:
        from loandesk import demo

        demo.populate(store, 2, seed=31)
        store.set_setting("hub_url", f"http://127.0.0.1:{free_port()}")  # nothing listens there
        waits = []
        with pytest.raises(SyncError) as down:
            run.sync_once(store, retries=3, pause=waits.append, rng=random.Random(3))
        # three retries, each within its doubling ceiling (0.5 s, 1 s, 2 s: full jitter), then the error
        assert down.value.status is None and len(waits) == 3
        assert all(0 <= w <= 0.5 * 2**i for i, w in enumerate(waits))
        assert store.unsynced_count() == 6  # nothing lost, nothing marked sent (2 enterprises, applications, consents)
        try:
            set_language("zh")
            assert run.status(store).last_error.startswith("无法连接总行中心")
            set_language("en")
            assert run.status(store).last_error.startswith("cannot reach the hub")
        finally:
            set_language("en")
        store.set_setting("hub_url", hub.url)
        report = run.sync_once(store)
        assert (report.applied, report.unsent) == (6, 0) and run.status(store).last_error is None
    finally:
        store.close()


def hub_blobs(db: str) -> list[dict]:
    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.text(
                "SELECT b.sha256, b.complete, (SELECT count(*) FROM blob_chunks c WHERE c.sha256 = b.sha256) AS chunks "
                "FROM blobs b")).mappings().all()]  # fmt: skip
    finally:
        engine.dispose()


def test_a_memo_pdf_cut_half_way_by_a_killed_device_is_sent_whole_next_time(start_hub, sqlite_db, branch,
                                                                              home, proxies, tmp_path):  # fmt: skip
    hub = start_hub(sqlite_db)
    proxy = FaultProxy(hub.port)
    proxies.append(proxy)
    proxy.stall_up = (b"PUT /v1/blobs/", 37_000)  # half of the first memo's PDF (about 75 kB), then silence
    device = subprocess.Popen([sys.executable, "-m", "loandesk", "--home", str(home), "sync", "--hub", proxy.url,
                               "--enroll", hub.code(branch), "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)  # fmt: skip
    try:
        wait_for(lambda: proxy.stats["stalled"] > 0, 60, "the PDF upload to be half-way")
    finally:
        device.send_signal(signal.SIGKILL)
        device.wait(10)
    wait_for(lambda: hub_blobs(sqlite_db), 10, "the hub to know of the blob")
    assert [(b["complete"], b["chunks"]) for b in hub_blobs(sqlite_db)] == [(0, 0)]  # half a chunk is no chunk
    assert hub_ops(sqlite_db, branch) == [] and unsent(home) == len(outbox_ops(home))  # no memo before its PDF
    proxy.calm()
    done = sync_cli(home, proxy.url)
    assert done.returncode == 0, done.stderr
    assert all(b["complete"] == 1 for b in hub_blobs(sqlite_db)) and json.loads(done.stdout)["attachments"] >= 3
    assert_exactly_once(home, sqlite_db, branch)
    memo_ref = next(a["ref"] for a in json.loads(loandesk("--home", str(home), "list", "applications",
                                                          "--json").stdout) if a["stage"] == "memo_issued")
    pdf = tmp_path / "memo.pdf"
    loandesk("--home", str(home), "memo", memo_ref, "--out", str(pdf))
    verified = loandesk("hub", "verify-memo", "--db", sqlite_db, str(pdf), check=False)
    assert verified.returncode == 0 and verified.stdout.startswith("OK")  # the PDF arrived whole, hash checked


def test_loandesk_sync_from_the_command_line_retries_a_503_as_the_window_does(start_hub, sqlite_db, branch, home,
                                                                              proxies):  # fmt: skip
    """The CLI and the window run the same ``client.sync``: two 503 answers are waited out, not taken for
    the hub's word, and everything arrives once."""
    hub = start_hub(sqlite_db)
    proxy = FaultProxy(hub.port)
    proxies.append(proxy)
    assert sync_cli(home, hub.url, "--enroll", hub.code(branch)).returncode == 0
    loandesk("--home", str(home), "demo", "--count", "2", "--seed", "61")
    proxy.fail_503 = 2
    done = sync_cli(home, proxy.url)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert proxy.stats["503"] == 2 and out["unsent"] == 0 and out["applied"] > 0
    assert_exactly_once(home, sqlite_db, branch)
