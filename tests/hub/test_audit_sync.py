"""The device's audit trail goes up with sync; the hub checks that each device's chain continues from the
last record it received, refuses and flags a break, and ``hub audit verify`` reports per device."""

from __future__ import annotations

import json
import sqlite3

from hubs import loandesk
from sync_homes import new_home, sync

from users_support import open_store


def _report(hub) -> tuple[int, dict]:
    done = loandesk("hub", "audit", "verify", "--db", hub.db, "--json", check=False)
    return done.returncode, {d["device"]: d for d in json.loads(done.stdout)}


def _local_count(home) -> int:
    return len(json.loads(loandesk("--home", str(home), "audit", "list", "--json").stdout))


def test_each_devices_chain_arrives_whole_and_a_rewritten_record_is_refused_and_flagged(hub, tmp_path):
    a, b = new_home(tmp_path / "a", demo=1, seed=61), new_home(tmp_path / "b")
    first_a, first_b = sync(a, hub, "330106-51"), sync(b, hub, "330106-51")
    assert first_a["rc"] == 0 and first_a["audit"]["refused"] is None and first_a["audit"]["sent"] > 0
    rc, found = _report(hub)
    mine = found[first_a["device"]]
    assert rc == 0 and mine["ok"] and mine["branch"] == "330106-51"
    assert mine["records"] == mine["head_seq"] >= first_a["audit"]["sent"]
    assert found[first_b["device"]]["ok"]
    again = sync(a)  # only what is new goes: the sync itself was audited since (sign-in)
    assert again["audit"]["refused"] is None
    assert _report(hub)[1][first_a["device"]]["records"] <= _local_count(a)

    # someone holding the key rewrites record 2 on device A and makes it send its trail again
    store = open_store(a)
    try:
        with store.db.atomic():
            store.db.execute("DROP TRIGGER audit_no_update")
            store.db.execute("UPDATE audit SET user = 'nobody' WHERE seq = 2")
            store.db.execute("DELETE FROM settings WHERE key = 'sync_audit_sent'")
    finally:
        store.close()
    refused = sync(a)
    assert refused["rc"] == 1 and "record 2" in refused["audit"]["refused"]
    rc, found = _report(hub)
    assert rc == 1 and not found[first_a["device"]]["ok"] and "record 2" in found[first_a["device"]]["problem"]
    assert found[first_b["device"]]["ok"]  # per device: B's chain is untouched
    text = loandesk("hub", "audit", "verify", "--db", hub.db, check=False)
    assert text.returncode == 1 and first_a["device"] in text.stderr


def test_a_record_altered_in_the_hubs_own_database_is_named(hub, tmp_path):
    if not hub.db.startswith("sqlite"):
        return  # altered with sqlite3 below; the check is the same code on PostgreSQL
    home = new_home(tmp_path / "c", demo=1, seed=62)
    device = sync(home, hub, "330106-52")["device"]
    assert _report(hub)[1][device]["ok"]
    with sqlite3.connect(hub.db.removeprefix("sqlite:///")) as conn:
        (record,) = conn.execute("SELECT record FROM audit_records WHERE device_id = ? AND seq = 3",
                                 (device,)).fetchone()  # fmt: skip
        changed = {**json.loads(record), "action": "nothing_to_see"}
        conn.execute("UPDATE audit_records SET record = ? WHERE device_id = ? AND seq = 3",
                     (json.dumps(changed), device))  # fmt: skip
    rc, found = _report(hub)
    assert rc == 1 and "3" in found[device]["problem"] and "altered" in found[device]["problem"]
