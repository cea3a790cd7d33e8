"""The hub's audit and conflict-closing endpoints refuse what is not the calling device's, with a JSON
reason: 403 another device's records, 409 a chain that does not continue, 404 an unknown conflict."""

from __future__ import annotations

from loandesk.core import audit_chain


def _chain(n: int, start: dict | None = None) -> list[dict]:
    out, previous = [], start
    for i in range(n):
        previous = audit_chain.seal({"at": f"2026-11-23T09:{i:02d}:00+00:00", "user": "officer", "device": "D1",
                                     "action": "login", "target": None, "details": None}, previous)  # fmt: skip
        out.append(previous)
    return out


def test_audit_records_must_continue_the_devices_chain(hub, branch):
    device, other = hub.enrol(branch), hub.enrol(branch)
    records = _chain(4)
    with hub.client(device.token) as c:
        first = c.post("/v1/audit", json={"device": device.id, "records": records[:2]})
        assert first.status_code == 200 and first.json() == {"accepted": 2, "head_seq": 2,
                                                              "head_hash": records[1]["hash"]}  # fmt: skip
        again = c.post("/v1/audit", json={"device": device.id, "records": records[:3]})  # a resend and one new
        assert again.status_code == 200 and again.json()["accepted"] == 1
        gap = c.post("/v1/audit", json={"device": device.id, "records": _chain(6)[4:]})
        assert gap.status_code == 409 and gap.json()["error"] == "audit_break" and "missing" in gap.json()["detail"]
        forged = dict(records[3], user="admin")
        bad = c.post("/v1/audit", json={"device": device.id, "records": [forged]})
        assert bad.status_code == 409 and "altered" in bad.json()["detail"]
        theirs = c.post("/v1/audit", json={"device": other.id, "records": records})
        assert theirs.status_code == 403 and theirs.json()["error"] == "forbidden"
        unknown = c.post("/v1/audit", json={"device": device.id, "records": [{**records[3], "colour": 1}]})
        assert unknown.status_code == 422


def test_only_the_device_a_conflict_is_about_may_close_it(hub, branch):
    a, b = hub.enrol(branch), hub.enrol(branch)
    ent = "01a23a00-0000-7000-8000-00000000c0f1"
    assert a.push(a.op("enterprise", ent, {"enterprise_name": "甲", "credit_code": "X"})).status_code == 200
    assert a.push(a.op("enterprise", ent, {"enterprise_name": "乙"}, op="update", base=1)).status_code == 200
    answer = b.push(b.op("enterprise", ent, {"enterprise_name": "丙"}, op="update", base=1)).json()
    assert answer["results"][0]["conflicts"] == ["enterprise_name"]
    with hub.client(b.token) as c:
        (conflict,) = [x for x in c.get("/v1/conflicts").json() if x["entity_id"] == ent]
    with hub.client(a.token) as c:
        refused = c.post(f"/v1/conflicts/{conflict['id']}/close", json={"kept": "hub", "by": "officer"})
        assert refused.status_code == 403 and "not about this device" in refused.json()["detail"]
        missing = c.post("/v1/conflicts/nope/close", json={"kept": "hub", "by": "officer"})
        assert missing.status_code == 404
    with hub.client(b.token) as c:
        closed = c.post(f"/v1/conflicts/{conflict['id']}/close", json={"kept": "hub", "by": "officer"})
        assert closed.status_code == 200 and closed.json()["kept"] == "hub"
        assert ent not in {x["entity_id"] for x in c.get("/v1/conflicts").json()}
