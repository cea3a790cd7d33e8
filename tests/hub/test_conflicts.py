"""One enterprise edited on two devices of a branch: different fields merge, the same field lands in the
conflict inbox with both values, and resolving it syncs to every device. Real hub, real stores."""

from __future__ import annotations

import json

import pytest
from hubs import loandesk
from sync_homes import OFFICER, conflicts, edit, enterprises, new_home, record, sync

from users_support import as_user


@pytest.fixture
def pair(hub, tmp_path):
    """A with one demo application, B holding it after a sync; both of a fresh branch."""
    branch = f"330106-8{tmp_path.name[-1]}" if tmp_path.name[-1].isdigit() else "330106-80"
    a, b = new_home(tmp_path / "a", demo=1, seed=31), new_home(tmp_path / "b")
    sync(a, hub, branch)
    sync(b, hub, branch)
    ref = loandesk_ref(a)
    return a, b, ref


def loandesk_ref(home) -> str:
    return json.loads(loandesk("--home", str(home), "list", "applications", "--json").stdout)[0]["ref"]


def test_different_fields_edited_on_two_devices_both_arrive_everywhere(pair):
    a, b, ref = pair
    edit(a, ref, employees=77)
    edit(b, ref, legal_rep_phone="13900001111", site_notes="走访：厂房在用")
    assert sync(a)["rc"] == 0
    out_b = sync(b)
    assert out_b["rc"] == 0 and out_b["conflicts"] == 0
    sync(a)
    for home in (a, b):
        now = record(home, ref)
        assert (now["employees"], now["legal_rep_phone"], now["site_notes"]) == (77, "13900001111", "走访：厂房在用")
    assert conflicts(a) == [] and conflicts(b) == []


def test_the_same_field_edited_on_both_goes_to_the_inbox_and_resolving_it_syncs(pair, hub):
    a, b, ref = pair
    edit(a, ref, enterprise_name="杭州甲方科技有限公司", employees=12)
    edit(b, ref, enterprise_name="杭州乙方科技有限公司", annual_revenue=8_800_000)
    assert sync(a)["rc"] == 0
    out_b = sync(b)
    assert out_b["rc"] == 0 and out_b["conflicts"] == 1  # B's edit was sent; one field waits for a person
    inbox = conflicts(b)
    assert len(inbox) == 1
    c = inbox[0]
    assert (c["field"], c["local_value"], c["remote_value"]) == (
        "enterprise_name", "杭州乙方科技有限公司", "杭州甲方科技有限公司")  # fmt: skip
    assert c["remote_device"] and c["local_device"] and c["local_at"] and c["ref"]
    # meanwhile both show the hub's value; the other fields merged
    sync(a)
    for home in (a, b):
        now = record(home, ref)
        assert (now["enterprise_name"], now["employees"], now["annual_revenue"]) == (
            "杭州甲方科技有限公司", 12, 8_800_000)  # fmt: skip
    assert conflicts(a) == []  # the inbox is B's: its edit is the one the hub did not take
    text = loandesk("--home", str(b), "conflicts")
    assert "杭州乙方科技有限公司" in text.stderr and "杭州甲方科技有限公司" in text.stderr
    refused = loandesk("--home", str(b), "conflicts", "resolve", c["id"], "--keep", "local", check=False)
    assert refused.returncode == 2 and "admin" in refused.stderr  # an admin does not edit applicants' records
    bad = loandesk("--home", str(b), "conflicts", "resolve", "nope", "--keep", "local", check=False, env=OFFICER)
    assert bad.returncode == 2 and "nope" in bad.stderr and "Traceback" not in bad.stderr
    loandesk("--home", str(b), "conflicts", "resolve", c["id"][:12], "--keep", "local", env=OFFICER)
    assert conflicts(b) == [] and conflicts(b, "--all")[0]["resolution"] == "local"
    again = loandesk("--home", str(b), "conflicts", "resolve", c["id"], "--keep", "remote", check=False, env=OFFICER)
    assert again.returncode == 2  # settled once
    assert sync(b)["rc"] == 0
    assert sync(a)["rc"] == 0
    for home in (a, b):
        assert record(home, ref)["enterprise_name"] == "杭州乙方科技有限公司"
    hub_side = loandesk("hub", "conflicts", "--db", hub.db).stdout + loandesk("hub", "conflicts", "--db",
                                                                              hub.db).stderr  # fmt: skip
    assert c["local_value"] not in hub_side  # closed on the hub too (open ones only are listed)


def test_pulled_data_never_overwrites_an_unsent_local_edit(pair):
    a, b, ref = pair
    edit(a, ref, purpose="设备更新")
    sync(a)
    edit(b, ref, purpose="流动资金（本机）")
    store_before = record(b, ref)["purpose"]
    out = sync(b)  # B pushes its edit (conflict at the hub) and pulls A's: B's unsent edit was never lost
    assert store_before == "流动资金（本机）"
    inbox = conflicts(b)
    assert [(x["field"], x["local_value"], x["remote_value"]) for x in inbox] == [
        ("purpose", "流动资金（本机）", "设备更新")]  # fmt: skip
    assert out["conflicts"] == 1
    loandesk("--home", str(b), "conflicts", "resolve", inbox[0]["id"], "--value", "设备更新及流动资金", env=OFFICER)
    sync(b)
    sync(a)
    assert record(a, ref)["purpose"] == record(b, ref)["purpose"] == "设备更新及流动资金"
    shown = enterprises(b, unmasked=False)
    assert all("*" in e["legal_rep_id"] for e in shown)


def test_a_conflict_on_personal_data_is_masked_unless_unmasked_and_the_unmask_is_audited(pair):
    a, b, ref = pair
    edit(a, ref, legal_rep_phone="13911112222")
    edit(b, ref, legal_rep_phone="13933334444")
    sync(a)
    sync(b)
    (c,) = conflicts(b)
    assert c["field"] == "legal_rep_phone" and "*" in c["local_value"] and "*" in c["remote_value"]
    shown = json.loads(loandesk("--home", str(b), "conflicts", "--json", "--unmasked").stdout)[0]
    assert (shown["local_value"], shown["remote_value"]) == ("13933334444", "13911112222")
    trail = loandesk("--home", str(b), "audit", "list", "--json").stdout
    assert '"unmasked"' in trail and "13933334444" not in trail
    teller = loandesk("--home", str(b), "conflicts", "--unmasked", check=False, env=as_user("teller"))
    assert teller.returncode == 2 and "teller" in teller.stderr


def test_head_office_settling_a_conflict_reaches_both_devices_and_empties_the_inbox(pair, hub):
    a, b, ref = pair
    edit(a, ref, guarantee_mode="credit", purpose="甲方用途")
    edit(b, ref, purpose="乙方用途")
    sync(a)
    sync(b)
    assert [c["field"] for c in conflicts(b)] == ["purpose"]
    open_ones = json.loads(loandesk("hub", "conflicts", "--db", hub.db).stdout)
    (mine,) = [c for c in open_ones if c["device_value"] == "乙方用途"]
    loandesk("hub", "resolve", mine["id"], "--keep", "device", "--by", "总行运营部", "--db", hub.db)
    sync(b)
    sync(a)
    assert record(a, ref)["purpose"] == record(b, ref)["purpose"] == "乙方用途"
    assert conflicts(b) == []  # nothing left to decide on the device


def test_a_pull_between_an_edit_and_its_push_keeps_the_edit_and_merges_the_rest(pair):
    from loandesk.sync import client, pull
    from users_support import open_store

    a, b, ref = pair
    edit(a, ref, employees=77, site_notes="走访：厂房在用")
    assert sync(a)["rc"] == 0
    edit(b, ref, employees=55)  # not sent yet when B pulls
    store = open_store(b)
    try:
        hub_client, device_id = client.connect(store)
        try:
            pulled = pull.pull(store, hub_client, device_id)
        finally:
            hub_client.close()
        now = store.application_record(ref)
        assert pulled.records >= 1 and client.unsent(store) > 0
        assert (now["employees"], now["site_notes"]) == (55, "走访：厂房在用")  # its own edit kept, A's merged
    finally:
        store.close()
    assert sync(b)["conflicts"] == 1  # then the push: the same field changed on both, for a person to choose
    assert [(c["field"], c["local_value"], c["remote_value"]) for c in conflicts(b)] == [("employees", 55, 77)]
