"""The hub over HTTP, on SQLite and on PostgreSQL: enrolment, push answers, pull, branch isolation and
every refusal with its JSON body."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from hubs import loandesk

from loandesk.core import ids
from loandesk.sync import protocol as p

APP = {"ref": "A-HZ01-7K3Q-000001", "requested_amount": 300000, "term_months": 12, "stage": "submitted"}


def test_ready_and_health_report_the_database_and_schema(hub, db_url, branch):
    with hub.client() as c:
        assert c.get("/").json()["ready"] is True
        health = c.get("/v1/health").json()
    assert health == {"status": "ok", "database": db_url.split(":")[0], "schema_version": 5, "protocol": 1}


def test_push_applies_then_acknowledges_a_replay_as_duplicate(hub, branch):
    dev = hub.enrol(branch)
    app_id = ids.new_id()
    first = dev.op("application", app_id, APP)
    answer = dev.push(first)
    assert answer.status_code == 200
    [result] = answer.json()["results"]
    assert (result["status"], result["version"]) == ("applied", 1)
    again = dev.push(first).json()["results"][0]
    assert again["status"] == "duplicate" and again["version"] == 1 and again["hub_seq"] == result["hub_seq"]
    listed = json.loads(loandesk("hub", "list", "applications", "--db", hub.db, "--json", "--branch", branch).stdout)
    assert [(a["ref"], a["branch"], a["requested_amount"]) for a in listed] == [(APP["ref"], branch, 300000)]


def test_a_rejected_operation_is_an_answer_and_the_rest_of_the_batch_applies(hub, branch):
    dev = hub.enrol(branch)
    good, bad_hash, hub_only = ids.new_id(), ids.new_id(), ids.new_id()
    tampered = dev.op("application", bad_hash, APP)
    tampered["payload"]["requested_amount"] = 1  # changed after hashing
    answer = dev.push(dev.op("application", good, APP), tampered,
                      dev.op("decision", hub_only, {"decision": "approve"}),
                      dev.op("hologram", ids.new_id(), {"x": 1}))  # a newer device's kind of record  # fmt: skip
    assert answer.status_code == 200
    statuses = [(r["status"], r.get("code")) for r in answer.json()["results"]]
    assert statuses == [("applied", None), ("rejected", 422), ("rejected", 403), ("rejected", 422)]
    assert "SHA-256" in answer.json()["results"][1]["reason"]
    with hub.client(dev.token) as c:
        assert c.get(f"/v1/records/application/{good}").status_code == 200
        assert c.get(f"/v1/records/application/{bad_hash}").status_code == 404


def test_409_an_operation_id_reused_with_other_content_applies_nothing_in_that_push(hub, branch):
    dev = hub.enrol(branch)
    op = dev.op("application", ids.new_id(), APP)
    assert dev.push(op).status_code == 200
    edited = dev.op("application", op["entity_id"], {**APP, "requested_amount": 500000}, op_id=op["op_id"])
    innocent = dev.op("application", ids.new_id(), APP)
    answer = dev.push(innocent, edited)
    assert answer.status_code == 409
    assert answer.json()["error"] == "reused" and answer.json()["reused"] == [op["op_id"]]
    with hub.client(dev.token) as c:
        assert c.get(f"/v1/records/application/{innocent['entity_id']}").status_code == 404
        assert c.get(f"/v1/records/application/{op['entity_id']}").json()["data"]["requested_amount"] == 300000
    assert dev.push(innocent).json()["results"][0]["status"] == "applied"  # the rest goes on


def test_401_without_a_token_with_a_bad_one_and_after_revocation(hub, branch):
    dev = hub.enrol(branch)
    with hub.client() as c:
        none = c.get("/v1/changes")
    with hub.client("not-a-token") as c:
        wrong = c.get("/v1/changes")
    assert (none.status_code, none.json()["error"]) == (401, "unauthorized")
    assert (wrong.status_code, wrong.json()["error"]) == (401, "unauthorized")
    devices = json.loads(loandesk("hub", "devices", "--db", hub.db).stdout)
    assert [(d["id"], d["revoked_at"]) for d in devices if d["branch"] == branch] == [(dev.id, None)]
    loandesk("hub", "revoke", "--db", hub.db, dev.id)
    refused = dev.push(dev.op("application", ids.new_id(), APP))
    assert (refused.status_code, refused.json()["error"]) == (401, "revoked")
    again = hub.enrol(branch, device_id=dev.id)  # enrolling again continues with the same device id
    assert again.id == dev.id and again.push(dev.op("application", ids.new_id(), APP)).status_code == 200


def test_an_enrolment_code_is_single_use_stored_hashed_and_expires(hub, db_url, branch):
    code = hub.code(branch, "--expires", "1h")
    with hub.client() as c:
        first = c.post("/v1/enroll", json={"code": code, "device_id": ids.new_id()})
        second = c.post("/v1/enroll", json={"code": code, "device_id": ids.new_id()})
    assert first.status_code == 200 and len(first.json()["token"]) >= 40
    assert (second.status_code, second.json()["error"]) == (401, "bad_code")
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        raw = b"".join(f.read_bytes() for f in path.parent.glob("hub.db*"))
        assert first.json()["token"].encode() not in raw and code.replace("-", "").encode() not in raw
    # a code made with the clock an hour and a half earlier has expired by now
    old = hub.code(branch, "--expires", "1h", env={"LOANDESK_CLOCK": "2026-11-23T08:00:00+00:00"})
    with hub.client() as c:
        late = c.post("/v1/enroll", json={"code": old, "device_id": ids.new_id()})
    assert late.status_code == 401 and "expired" in late.json()["detail"]


def test_403_another_branchs_record_is_neither_written_nor_read_nor_pulled(hub, branch):
    ours, theirs = hub.enrol(branch), hub.enrol(branch + "X")
    app_id = ids.new_id()
    assert ours.push(ours.op("application", app_id, APP)).status_code == 200
    attempt = theirs.push(theirs.op("application", app_id, {"stage": "declined"}, op="update", base=1))
    [result] = attempt.json()["results"]
    assert (result["status"], result["code"]) == ("rejected", 403)
    with hub.client(theirs.token) as c:
        read = c.get(f"/v1/records/application/{app_id}")
    assert (read.status_code, read.json()["error"]) == (403, "forbidden")
    memo = theirs.push(theirs.op("memo", ids.new_id(), {"memo_no": "M-X", "application_id": app_id}))
    assert memo.json()["results"][0]["code"] == 403  # nor may it hang its records on ours
    assert [c["entity_id"] for c in theirs.pull_all()[0]] == []
    assert [c["entity_id"] for c in ours.pull_all()[0]] == [app_id]
    posing = theirs.push(ours.op("application", ids.new_id(), APP), device=ours.id)  # its token, another's name
    assert (posing.status_code, posing.json()["error"]) == (403, "forbidden")


def test_422_malformed_pushes_name_the_field(hub, branch):
    dev = hub.enrol(branch)
    op = dev.op("application", ids.new_id(), APP)
    unknown = dev.push({**op, "colour": "red"})
    assert unknown.status_code == 422 and unknown.json()["error"] == "malformed"
    assert "colour" in unknown.json()["detail"]
    not_v7 = dev.push({**op, "op_id": "12345678-1234-4234-8234-123456789012"})
    assert not_v7.status_code == 422 and "UUIDv7" in not_v7.json()["detail"]
    with hub.client(dev.token) as c:
        garbage = c.post("/v1/push", content=b"{not json", headers={"Content-Type": "application/json"})
        cursor = c.get("/v1/changes", params={"cursor": "bm9wZQ"})
    assert garbage.status_code == 422 and garbage.json()["error"] == "malformed"
    assert cursor.status_code == 422


def test_426_an_unsupported_or_missing_protocol_version(hub, branch):
    dev = hub.enrol(branch)
    with hub.client(dev.token, **{p.PROTOCOL_HEADER: "99"}) as c:
        newer = c.get("/v1/changes")
    with hub.client(dev.token) as c:
        c.headers.pop(p.PROTOCOL_HEADER)
        missing = c.get("/v1/changes")
    for answer in (newer, missing):
        assert answer.status_code == 426
        assert answer.json()["error"] == "protocol" and answer.json()["supported"] == [1]


def test_pull_pages_by_cursor_and_carries_head_office_decisions(hub, branch):
    dev, other = hub.enrol(branch), hub.enrol(branch + "X")
    apps = [ids.new_id() for _ in range(5)]
    dev.push(*[dev.op("application", a, {**APP, "ref": f"A-HZ01-7K3Q-00000{i}"}) for i, a in enumerate(apps)])
    page = dev.pull(limit=2)
    assert [c["entity_id"] for c in page["changes"]] == apps[:2] and page["more"] is True
    rest, cursor = dev.pull_all(page["cursor"])
    assert [c["entity_id"] for c in rest] == apps[2:]
    decided = json.loads(loandesk("hub", "decide", "--db", hub.db, apps[3], "--approve", "--limit",
                                  "200000", "--by", "王经理", "--note", "同意").stdout)  # fmt: skip
    assert decided["application_id"] == apps[3] and decided["limit"] == 200000
    refused = loandesk("hub", "decide", "--db", hub.db, apps[3], "--approve", "--by", "王经理",
                       check=False)
    assert refused.returncode == 2 and "limit" in refused.stderr
    new, cursor = dev.pull_all(cursor)
    assert [(c["entity"], c["data"]["decision"], c["data"]["decided_by"]) for c in new] == [
        ("decision", "approve", "王经理")]  # fmt: skip
    assert other.pull_all()[0] == []  # another branch's decision never reaches it
    assert dev.pull_all(cursor)[0] == []  # nothing new, nothing again


def test_concurrent_edits_of_one_field_are_kept_as_a_conflict_not_overwritten(hub, branch):
    one, two = hub.enrol(branch), hub.enrol(branch)
    ent = ids.new_id()
    one.push(one.op("enterprise", ent, {"enterprise_name": "杭州恒瑞五金", "employees": 12, "tax_grade": "B"}))
    # both edit from version 1; two's change arrives first
    assert two.push(two.op("enterprise", ent, {"employees": 15}, op="update", base=1)).status_code == 200
    late = one.push(one.op("enterprise", ent, {"employees": 13, "tax_grade": "A"}, op="update", base=1))
    [result] = late.json()["results"]
    assert result["status"] == "applied" and result["conflicts"] == ["employees"] and result["version"] == 3
    with hub.client(one.token) as c:
        record = c.get(f"/v1/records/enterprise/{ent}").json()
        conflicts = c.get("/v1/conflicts").json()
    assert record["data"]["employees"] == 15 and record["data"]["tax_grade"] == "A"  # the other field merged
    assert record["field_versions"] == {"enterprise_name": 1, "employees": 2, "tax_grade": 3}
    assert [(c["field"], c["hub_value"], c["device_value"], c["device"]) for c in conflicts] == [
        ("employees", 15, 13, one.id)]  # fmt: skip
    # a device's own later edit never conflicts with its own earlier one
    own = two.push(two.op("enterprise", ent, {"employees": 16}, op="update", base=1)).json()["results"][0]
    assert own["conflicts"] == [] and own["version"] == 4
    # head office settles it for the device's value: a new version that flows down
    _, cursor = one.pull_all()
    settled = json.loads(loandesk("hub", "resolve", "--db", hub.db, conflicts[0]["id"], "--keep", "device",
                                  "--by", "李主管").stdout)  # fmt: skip
    assert settled["version"] == 5
    [change] = one.pull_all(cursor)[0]
    assert (change["version"], change["data"]["employees"]) == (5, 13)
    with hub.client(one.token) as c:
        assert c.get("/v1/conflicts").json() == []
    again = loandesk("hub", "resolve", "--db", hub.db, conflicts[0]["id"], "--keep", "hub", "--by", "李主管",
                     check=False)  # fmt: skip
    assert again.returncode == 2 and "resolved" in again.stderr


def test_memos_are_written_once_but_may_change_standing(hub, branch):
    dev = hub.enrol(branch)
    memo_id = ids.new_id()
    memo = {"memo_no": "M-HZ01-7K3Q-000001", "file_sha256": "a" * 64, "status": "issued", "version": 1}
    dev.push(dev.op("memo", memo_id, memo))
    changed = dev.push(dev.op("memo", memo_id, {**memo, "file_sha256": "b" * 64}, op="update", base=1))
    assert changed.json()["results"][0]["code"] == 409
    standing = dev.push(dev.op("memo", memo_id, {"status": "superseded"}, op="update", base=1))
    assert standing.json()["results"][0]["status"] == "applied"


def test_attachments_resume_after_an_interruption_and_are_checked_whole(hub, branch):
    dev = hub.enrol(branch)
    data = bytes(range(256)) * 2500  # 640,000 bytes: three chunks
    sha = p.sha256_hex(data)
    size = p.CHUNK_SIZE
    with hub.client(dev.token) as c:
        start = c.post("/v1/blobs", json={"sha256": sha, "size": len(data)}).json()
        assert (start["chunks"], start["have"], start["complete"]) == (3, [], False)
        c.put(f"/v1/blobs/{sha}/chunks/0", content=data[:size])
        # the connection drops here; later the device asks what the hub holds and sends the rest
        status = c.get(f"/v1/blobs/{sha}").json()
        assert status["have"] == [0]
        for i in set(range(status["chunks"])) - set(status["have"]):
            done = c.put(f"/v1/blobs/{sha}/chunks/{i}", content=data[i * size : (i + 1) * size]).json()
        assert done["complete"] is True
        wrong = p.sha256_hex(b"other")
        c.post("/v1/blobs", json={"sha256": wrong, "size": 5, "chunk_size": 1024})
        refused = c.put(f"/v1/blobs/{wrong}/chunks/0", content=b"12345")
        assert refused.status_code == 422 and "SHA-256" in refused.json()["detail"]
        assert c.get(f"/v1/blobs/{wrong}").json()["have"] == []  # the bad chunks are gone: send again
        short = c.put(f"/v1/blobs/{wrong}/chunks/0", content=b"1234")
        assert short.status_code == 422


def test_a_push_may_be_gzip_compressed(hub, branch):
    dev = hub.enrol(branch)
    body = {"device": dev.id, "ops": [dev.op("application", ids.new_id(), APP) for _ in range(50)]}
    with hub.client(dev.token) as c:
        answer = c.post("/v1/push", content=gzip.compress(json.dumps(body).encode()),
                        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code == 200 and {r["status"] for r in answer.json()["results"]} == {"applied"}


def test_device_reports_what_it_has_not_sent(hub, branch):
    dev = hub.enrol(branch)
    dev.push(dev.op("application", ids.new_id(), APP), unsent=7)
    [listed] = [d for d in json.loads(loandesk("hub", "devices", "--db", hub.db).stdout) if d["branch"] == branch]
    assert listed["unsent"] == 7 and listed["last_seen"]
