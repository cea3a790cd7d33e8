"""The hub's push answer, written as JSON straight from its own values, and the packed per-field stamps it
stores: both must say exactly what the pydantic models and the full mappings said before."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from loandesk.core import clock, ids
from loandesk.hub import stamps
from loandesk.hub.schema import records
from loandesk.hub.service import Hub
from loandesk.sync import protocol as p

FIELDS = ("enterprise_name", "employees", "tax_grade")


def test_stamps_shared_by_every_field_are_stored_once():
    text = stamps.pack(dict.fromkeys(FIELDS, "device-a"), FIELDS)
    assert json.loads(text) == {"": "device-a"}
    assert stamps.unpack(text, FIELDS) == dict.fromkeys(FIELDS, "device-a")
    assert stamps.uniform(1) == stamps.pack(dict.fromkeys(FIELDS, 1), FIELDS)


def test_stamps_that_differ_are_kept_beside_the_common_one():
    versions = {"enterprise_name": 1, "employees": 4, "tax_grade": 1}
    text = stamps.pack(versions, FIELDS)
    assert json.loads(text) == {"": 1, "employees": 4}
    assert stamps.unpack(text, FIELDS) == versions


@pytest.mark.parametrize("full", [{"enterprise_name": 1, "employees": 2}, {"employees": 2, "other": 3}, {}])
def test_stamps_not_one_per_field_and_rows_written_before_packing_read_as_they_are(full):
    assert json.loads(stamps.pack(full, FIELDS)) == full  # not one stamp per field: kept in full
    assert stamps.unpack(json.dumps(full), FIELDS) == full  # an old row's full mapping


@pytest.fixture
def hub(tmp_path, hub_key_file):
    hub = Hub.open(f"sqlite:///{tmp_path}/hub.db")
    yield hub
    hub.engine.dispose()


def _device(hub: Hub, branch: str = "330106-01") -> dict:
    code, _ = hub.issue_code(branch, dt.timedelta(hours=1))
    device_id = ids.new_id()
    hub.enroll(p.EnrollRequest(code=code, device_id=device_id))
    return {"id": device_id, "branch": branch}


def _op(device: dict, seq: int, entity_id: str, payload: dict, *, op: str = "insert", base: int | None = None,
        op_id: str | None = None) -> p.Operation:  # fmt: skip
    return p.Operation.build(op_id=op_id or ids.new_id(), device_seq=seq, entity="enterprise", entity_id=entity_id,
                             op=op, base_version=base, changed=sorted(payload), payload=payload, schema_version=1,
                             device=device["id"], device_time=clock.stamp())  # fmt: skip


def test_push_answer_json_is_what_the_validated_model_gives_for_every_kind_of_result(hub):
    one, two = _device(hub), _device(hub)
    ent, other = ids.new_id(), ids.new_id()
    created = _op(one, 1, ent, {"enterprise_name": "杭州恒瑞五金", "employees": 12, "tax_grade": "B"})
    first = hub.push_json(one, p.PushRequest(device=one["id"], ops=[created]))
    # two's edit lands first; one's edit of the same field from version 1 is a conflict, its other field merges
    hub.push_json(two, p.PushRequest(device=two["id"], ops=[_op(two, 1, ent, {"employees": 15}, op="update",
                                                                       base=1)]))  # fmt: skip
    late = _op(one, 2, ent, {"employees": 13, "tax_grade": "A"}, op="update", base=1)
    far = _device(hub, "330106-02")
    hub.push(far, p.PushRequest(device=far["id"], ops=[_op(far, 1, other, {"enterprise_name": "宁波远景"})]))
    foreign = _op(one, 3, other, {"employees": 3}, op="update", base=1)  # another branch's record
    mixed = hub.push_json(one, p.PushRequest(device=one["id"], ops=[created, late, foreign]))
    for raw in (first, mixed):
        assert raw == p.PushResponse.model_validate_json(raw).model_dump_json().encode()
    results = json.loads(mixed)["results"]
    assert [r["status"] for r in results] == ["duplicate", "applied", "rejected"]
    assert results[1]["conflicts"] == ["employees"] and results[1]["version"] == 3
    assert (results[2]["code"], results[2]["conflicts"]) == (403, []) and "another branch" in results[2]["reason"]
    assert hub.push(one, p.PushRequest(device=one["id"], ops=[late])).model_dump_json().encode() == \
        hub.push_json(one, p.PushRequest(device=one["id"], ops=[late]))  # fmt: skip


def test_merged_record_keeps_each_fields_version_and_writer_through_packed_stamps(hub):
    one, two = _device(hub), _device(hub)
    ent = ids.new_id()
    hub.push(one, p.PushRequest(device=one["id"], ops=[
        _op(one, 1, ent, {"enterprise_name": "杭州恒瑞五金", "employees": 12, "tax_grade": "B"})]))  # fmt: skip
    with hub.engine.connect() as conn:
        row = conn.execute(select(records).where(records.c.entity_id == ent)).mappings().one()
    assert json.loads(row["field_versions"]) == {"": 1} and json.loads(row["field_devices"]) == {"": one["id"]}
    hub.push(two, p.PushRequest(device=two["id"], ops=[_op(two, 1, ent, {"employees": 15}, op="update", base=1)]))
    # one edits from version 1: employees (changed since by two) conflicts, tax_grade merges
    [late] = hub.push(one, p.PushRequest(device=one["id"], ops=[
        _op(one, 2, ent, {"employees": 13, "tax_grade": "A"}, op="update", base=1)])).results  # fmt: skip
    assert late.conflicts == ["employees"]
    record = hub.record(None, "enterprise", ent)
    assert record.field_versions == {"enterprise_name": 1, "employees": 2, "tax_grade": 3}
    assert (record.data["employees"], record.data["tax_grade"]) == (15, "A")
    # two wrote employees last: its own later edit, still from version 1, is no conflict
    [own] = hub.push(two, p.PushRequest(device=two["id"], ops=[
        _op(two, 2, ent, {"employees": 16}, op="update", base=1)])).results  # fmt: skip
    assert own.status == "applied" and own.conflicts == [] and own.version == 4
    assert hub.record(None, "enterprise", ent).field_versions == {"enterprise_name": 1, "employees": 4,
                                                                   "tax_grade": 3}  # fmt: skip


def test_pull_answer_json_is_what_the_validated_model_gives_with_personal_fields_opened(hub):
    one = _device(hub)
    ents = [ids.new_id() for _ in range(3)]
    hub.push(one, p.PushRequest(device=one["id"], ops=[
        _op(one, i + 1, ent, {"enterprise_name": f"杭州恒瑞五金{i}", "legal_rep_name": "王小明", "employees": 12,
                              "registered_capital": 1.5e-05 * i, "tags": ["新客", {"k": None}]})
        for i, ent in enumerate(ents)]))  # fmt: skip
    first = hub.pull_json(one, None, 2)
    answer = p.PullResponse.model_validate_json(first)
    assert first == hub.pull(one, None, 2).model_dump_json().encode() == answer.model_dump_json().encode()
    assert answer.more and [c.entity_id for c in answer.changes] == ents[:2]
    assert answer.changes[1].data["legal_rep_name"] == "王小明"  # opened: sealed only at rest
    assert answer.changes[1].data["registered_capital"] == 1.5e-05
    rest = p.PullResponse.model_validate_json(hub.pull_json(one, answer.cursor, 2))
    assert not rest.more and [c.entity_id for c in rest.changes] == ents[2:]
    assert hub.pull_json(one, rest.cursor) == p.PullResponse(changes=[], cursor=rest.cursor,
                                                             more=False).model_dump_json().encode()  # fmt: skip
