"""Two-way sync end to end: real hub processes on loopback, device homes of one branch (A, B) and of
another (C), every step through the ``loandesk`` command line as branch staff would run it."""

from __future__ import annotations

import pytest
from hubs import loandesk
from sync_homes import applications, new_home, sync


@pytest.fixture(scope="module")
def branch_homes(hub, tmp_path_factory):
    """A (demo data), B (empty, same branch) and C (demo data, another branch), each enrolled and synced once."""
    root = tmp_path_factory.mktemp("pull")
    branch = "330106-71"
    a, b = new_home(root / "a", demo=3, seed=21), new_home(root / "b")
    c = new_home(root / "c", demo=1, seed=22)
    first = sync(a, hub, branch)
    sync(b, hub, branch)
    sync(c, hub, "330106-72")
    return {"a": a, "b": b, "c": c, "branch": branch, "first": first}


def test_capture_on_a_arrives_on_b_and_never_on_another_branch(branch_homes):
    a, b, c = branch_homes["a"], branch_homes["b"], branch_homes["c"]
    assert branch_homes["first"]["rc"] == 0 and branch_homes["first"]["unsent"] == 0
    on_a, on_b, on_c = applications(a), applications(b), applications(c)
    assert sorted(x["ref"] for x in on_b) == sorted(x["ref"] for x in on_a) and len(on_a) == 3
    assert {x["enterprise_name"] for x in on_b} == {x["enterprise_name"] for x in on_a}
    assert {x["stage"] for x in on_b} == {x["stage"] for x in on_a}
    assert not {x["ref"] for x in on_c} & {x["ref"] for x in on_a}  # C holds only its own
    assert len(on_c) == 1
    masked = loandesk("--home", str(b), "list", "enterprises", "--json").stdout  # pulled data masked as any other
    assert all("*" in e["legal_rep_id"] for e in __import__("json").loads(masked))
    again = sync(b)
    assert (again["rc"], again["pulled"] >= 0, again["applied"]) == (0, True, 0)  # nothing B did itself


def test_a_head_office_decision_reaches_the_branch_and_shows_in_its_list(hub, branch_homes):
    a, c = branch_homes["a"], branch_homes["c"]
    ref = applications(a)[0]["ref"]
    loandesk("hub", "decide", ref, "--approve", "--limit", "450000", "--by", "总行授信部 王总", "--note", "按期复核",
             "--db", hub.db)  # fmt: skip
    got = sync(a)
    assert got["rc"] == 0 and got["decisions"] == 1
    shown = {x["ref"]: x for x in applications(a)}[ref]
    assert (shown["decision"], shown["limit"], shown["decided_by"], shown["head_office"]) == (
        "approve", 450000, "总行授信部 王总", True)  # fmt: skip
    from loandesk.storage import approvals
    from users_support import open_store

    store = open_store(a)
    try:  # what the memo dialog and score panel read (approvals.state) carries it too
        told = approvals.state(store, shown["id"])["head_office"]
    finally:
        store.close()
    assert (told["decision"], told["limit_amount"], told["note"]) == ("approve", 450000, "按期复核")
    assert all(not x["head_office"] for x in applications(c))  # another branch hears nothing of it
    assert sync(c)["decisions"] == 0
    again = sync(a)  # pulled once: a second sync brings nothing new
    assert again["decisions"] == 0 and {x["ref"]: x for x in applications(a)}[ref]["limit"] == 450000
    declined = applications(a)[1]["ref"]
    loandesk("hub", "decide", declined, "--decline", "--by", "总行授信部 李总", "--db", hub.db)
    sync(a)
    after = {x["ref"]: x for x in applications(a)}[declined]
    assert (after["decision"], after["limit"], after["decided_by"]) == ("decline", None, "总行授信部 李总")


def test_sync_reports_the_figures_and_refuses_a_bad_hub_address_in_one_line(branch_homes):
    out = sync(branch_homes["b"])
    assert {"pushed", "pulled", "rejected", "conflicts", "quarantine", "unsent", "audit"} <= set(out)
    bad = loandesk("--home", str(branch_homes["b"]), "sync", "--hub", "hub.example", check=False)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    done = loandesk("--home", str(branch_homes["b"]), "sync")
    text = done.stdout + done.stderr
    assert "已发送" in text and "已接收" in text and "冲突" in text


def test_an_application_on_an_enterprise_from_an_imported_list_reaches_the_other_device(hub, branch_homes):
    """Enterprises imported from a list have no insert in the outbox; the first update the hub sees of one
    carries its reference number, so the branch's other devices can hold it too."""
    import random

    from loandesk.demo import demo_record
    from users_support import open_store

    a, b = branch_homes["a"], branch_homes["b"]
    values = demo_record(random.Random(5), 3)
    store = open_store(b)
    try:
        store.import_enterprises([values])
        (ent_id,) = store.db.execute("SELECT id FROM enterprises WHERE credit_code = ?",
                                     (values["credit_code"],)).fetchone()  # fmt: skip
        _, app = store.save_intake(values, enterprise_id=ent_id)
    finally:
        store.close()
    assert sync(b)["rc"] == 0
    assert sync(a)["rc"] == 0
    arrived = {x["ref"]: x for x in applications(a)}[app.ref]
    assert arrived["enterprise_name"] == values["enterprise_name"] and arrived["credit_code"] == values["credit_code"]
