"""The push path's batching (hub/apply.py, Hub.append_changes), in-process over a real SQLite hub database:
change-log numbers handed out in one statement are the ones SQLite would give, consecutive and in the
order the operations were applied, also around head office's own changes; a record changed twice in one
push has one change per version, each with that version's data; the record and its last change share
one sealed text, which still opens to the personal data (and holds none in clear)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from loandesk.core import clock, ids
from loandesk.hub.schema import changes, records
from loandesk.hub.service import Hub, decode_cursor
from loandesk.sync import protocol as p


@pytest.fixture
def hub(tmp_path, monkeypatch):
    monkeypatch.setenv("LOANDESK_HUB_KEY_FILE", str(tmp_path / "hub.key"))
    return Hub.open(f"sqlite:///{tmp_path}/hub.db")


def enrolled(hub: Hub, branch: str = "330106-01") -> dict:
    code, _ = hub.issue_code(branch, dt.timedelta(days=1))
    answer = hub.enroll(p.EnrollRequest(code=code, device_id=ids.new_id()))
    return hub.authenticate(answer.token)


def op(device: dict, seq: int, entity: str, entity_id: str, payload: dict, base: int | None = None) -> p.Operation:
    return p.Operation.build(op_id=ids.new_id(), device_seq=seq, entity=entity, entity_id=entity_id, op="update"
                             if base else "insert", changed=sorted(payload), payload=payload, base_version=base,
                             schema_version=1, device=device["id"], device_time=clock.stamp())  # fmt: skip


def push(hub: Hub, device: dict, *ops: p.Operation) -> list[p.OpResult]:
    return hub.push(device, p.PushRequest(device=device["id"], ops=list(ops))).results


def test_change_numbers_are_consecutive_in_apply_order_around_head_office_changes(hub):
    device = enrolled(hub)
    apps = [ids.new_id() for _ in range(3)]
    first = push(hub, device, *[op(device, i + 1, "application", a, {"ref": f"A-HZ01-7K3Q-00000{i}",
                                                                       "requested_amount": 100_000 + i})
                                for i, a in enumerate(apps)])  # fmt: skip
    assert [decode_cursor(r.hub_seq) for r in first] == [1, 2, 3]
    hub.decide("A-HZ01-7K3Q-000001", True, 80_000, "王经理")  # head office appends a change of its own
    more = push(hub, device, op(device, 4, "application", ids.new_id(), {"ref": "A-HZ01-7K3Q-000009"}))
    assert decode_cursor(more[0].hub_seq) == 5  # after head office's 4: no number given twice
    pulled = hub.pull(device, None).changes
    assert [decode_cursor(c.cursor) for c in pulled] == [1, 2, 3, 4, 5]
    assert [c.entity for c in pulled] == ["application"] * 3 + ["decision", "application"]
    replay = push(hub, device, *[op(device, 9, "application", apps[0], {"ref": "A-HZ01-7K3Q-000000"})])
    assert replay[0].status == "applied"  # nothing changed: no new change, no number taken
    assert decode_cursor(hub.pull(device, None).cursor) == 5


def test_a_record_changed_twice_in_one_push_has_a_change_per_version(hub):
    device = enrolled(hub)
    ent = ids.new_id()
    results = push(hub, device,
                   op(device, 1, "enterprise", ent, {"name": "恒瑞商贸", "legal_rep_name": "王小明"}),
                   op(device, 2, "enterprise", ent, {"legal_rep_name": "李大伟"}, base=1))  # fmt: skip
    assert [r.version for r in results] == [1, 2]
    pulled = hub.pull(device, None).changes
    assert [(c.version, c.data["legal_rep_name"]) for c in pulled] == [(1, "王小明"), (2, "李大伟")]
    with hub.engine.connect() as conn:
        stored = conn.execute(select(records.c.data).where(records.c.entity_id == ent)).scalar_one()
        logged = conn.execute(select(changes.c.data).where(changes.c.entity_id == ent)
                              .order_by(changes.c.seq)).scalars().all()  # fmt: skip
    assert stored == logged[-1] and stored != logged[0]  # the record and its last change: one sealed text
    assert "李大伟" not in stored and "王小明" not in "".join(logged)  # sealed at rest, not in clear
    assert hub.sealer.open(json.loads(stored)) == {"name": "恒瑞商贸", "legal_rep_name": "李大伟"}
