"""Attachments and visit photos reach the hub after their records, resumably, and head office sees
"attachments pending" until they arrive whole. A real hub process, a real proxy on loopback that stalls
the file upload, a real data home with users; the hub's own database read back to compare the bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
import sqlalchemy as sa
from fault_proxy import FaultProxy
from hubs import loandesk

from loandesk.sync import protocol as p


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/hub.db"


@pytest.fixture
def proxy(start_hub, sqlite_db):
    hub = start_hub(sqlite_db)
    made = FaultProxy(hub.port)
    made.hub = hub
    yield made
    made.close()


@pytest.fixture
def device(tmp_path, branch):
    """A data home of ``branch`` with one demo application, a scanned licence attached to it (three
    chunks and a bit) and a visit to its enterprise with a site photo: nothing sent yet."""
    from loandesk import demo
    from loandesk.storage import attachments, cultivation
    from users_support import open_store, with_demo_users

    home = with_demo_users(tmp_path / "home", branch=branch)
    store = open_store(home)
    app_id = demo.populate(store, 1, seed=7)[0]
    licence, photo = tmp_path / "licence.pdf", tmp_path / "site.jpg"
    licence.write_bytes(os.urandom(3 * p.CHUNK_SIZE + 100))
    photo.write_bytes(os.urandom(50_000))
    attachments.add_attachment(store, app_id, "business_licence", licence)
    ent_ref = store.db.execute("SELECT e.ref FROM applications a JOIN enterprises e ON e.id = a.enterprise_id "
                               "WHERE a.id = ?", (app_id,)).fetchone()[0]  # fmt: skip
    cultivation.record_visit(store, cultivation.Visit(enterprise=ent_ref, visited_on=dt.date(2026, 11, 20),
                                                      findings="门店正常营业，库存充足", need=False,
                                                      photos=(photo,)))  # fmt: skip
    yield {"home": home, "store": store, "app_id": app_id, "licence": licence.read_bytes(),
           "photo": photo.read_bytes()}  # fmt: skip
    store.close()


def hub_applications(db: str) -> dict[str, dict]:
    listed = json.loads(loandesk("hub", "list", "applications", "--db", db, "--json").stdout)
    return {a["id"]: a for a in listed}


def hub_file(db: str, sha: str) -> tuple[bool, bytes]:
    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            complete = conn.execute(sa.text("SELECT complete FROM blobs WHERE sha256 = :s"), {"s": sha}).scalar()
            parts = conn.execute(sa.text("SELECT data FROM blob_chunks WHERE sha256 = :s ORDER BY idx"), {"s": sha})
            return bool(complete), b"".join(bytes(r[0]) for r in parts)
    finally:
        engine.dispose()


def test_files_follow_their_records_and_head_office_sees_attachments_pending_until_they_arrive(
        proxy, device, sqlite_db, branch):  # fmt: skip
    from loandesk.sync import client, run
    from loandesk.sync.backoff import no_retry
    from loandesk.sync.client import SyncError

    store, app_id = device["store"], device["app_id"]
    licence_sha = p.sha256_hex(device["licence"])
    client.enroll(store, proxy.url, proxy.hub.code(branch))
    assert run.status(store).files_waiting == 2
    # The licence's chunks stall on the way (a link that dies while the file goes up): the sync gives up.
    proxy.stall_up = (f"PUT /v1/blobs/{licence_sha}".encode(), 1000)
    with pytest.raises(SyncError):
        client.sync(store, backoff=no_retry(), timeout=3)
    assert client.unsent(store) == 0  # every record went first...
    on_hub = hub_applications(sqlite_db)[app_id]
    assert (on_hub["attachments"], on_hub["attachments_pending"]) == (1, 1)  # ...and head office sees it waiting
    assert run.status(store).files_waiting == 2  # neither file is marked sent

    proxy.calm()
    report = client.sync(store)
    assert report.push.files == 2 and report.push.unreadable_files == []
    assert run.status(store).files_waiting == 0
    assert hub_applications(sqlite_db)[app_id]["attachments_pending"] == 0
    for data in (device["licence"], device["photo"]):  # whole, byte for byte, and checked on the hub
        assert hub_file(sqlite_db, p.sha256_hex(data)) == (True, data)
    again = client.sync(store)
    assert again.push.files == 0  # nothing sent twice


def test_a_file_missing_from_the_data_home_is_named_and_the_others_still_go(proxy, device, sqlite_db, branch):
    from loandesk.storage import attachments

    store, home = device["store"], device["home"]
    photo_sha = p.sha256_hex(device["photo"])
    attachments._blob_path(home, photo_sha).unlink()  # a photo lost from the disk (restored from a bad copy)
    store.close()
    enrolled = loandesk("--home", str(home), "sync", "--hub", proxy.url, "--enroll", proxy.hub.code(branch),
                        "--json", env={"LOANDESK_USER": "admin"}, check=False)  # fmt: skip
    assert enrolled.returncode == 1, enrolled.stderr  # "no": not everything could be sent
    outcome = json.loads(enrolled.stdout)
    assert outcome["files"] == 1 and outcome["files_waiting"] == 1
    assert [f["sha256"] for f in outcome["unreadable_files"]] == [photo_sha]
    assert "missing" in outcome["unreadable_files"][0]["reason"]
    assert hub_file(sqlite_db, p.sha256_hex(device["licence"])) == (True, device["licence"])
    text = loandesk("--home", str(home), "sync", env={"LOANDESK_USER": "admin", "LOANDESK_LANG": "zh"}, check=False)
    said = text.stdout + text.stderr
    assert text.returncode == 1 and "1 个文件待发送" in said
    assert f"未发送：文件 {photo_sha[:12]}… 不在数据目录中" in said  # named, in the user's language
    device["store"] = _reopen(home)


def _reopen(home):
    from users_support import open_store

    return open_store(home)
