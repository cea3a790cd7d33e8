"""An operation the hub refuses is kept in quarantine with its reason, visible, exportable, editable and
sent again; operations on the same record wait behind it while the rest of the queue goes on."""

from __future__ import annotations

import json

from hubs import loandesk
from sync_homes import OFFICER, new_home, sync

from loandesk.core import ids
from users_support import open_store


def _misfiled_application(home, foreign_enterprise: str) -> tuple[str, str]:
    """An application hung on another branch's enterprise (as a mis-keyed import might), then moved on a
    stage: the hub refuses the first; the second depends on it. Returns (application id, own enterprise id)."""
    from loandesk.storage import outbox

    store = open_store(home)
    try:
        rows = store.db.execute("SELECT payload FROM outbox WHERE entity = 'application' AND op = 'insert'").fetchall()
        payload = json.loads(rows[0][0])
        own_enterprise = payload["enterprise_id"]
        app_id = ids.new_id()
        with store.db.atomic():
            outbox.append(store, "application", app_id, "insert", {**payload, "enterprise_id": foreign_enterprise,
                                                                    "ref": f"A-MIS-{app_id[-6:]}"})  # fmt: skip
            outbox.append(store, "application", app_id, "stage", {"stage": "scored"})
        return app_id, own_enterprise
    finally:
        store.close()


def test_a_refused_operation_waits_in_quarantine_with_its_dependants_and_goes_after_an_edit(hub, tmp_path):
    a = new_home(tmp_path / "a", demo=1, seed=51)
    c = new_home(tmp_path / "c", demo=1, seed=52)
    sync(a, hub, "330106-61")
    assert sync(c, hub, "330106-62")["rc"] == 0
    foreign = json.loads(loandesk("hub", "list", "enterprises", "--db", hub.db, "--json", "--branch",
                                  "330106-61").stdout)[0]["id"]  # fmt: skip
    app_id, own_enterprise = _misfiled_application(c, foreign)
    loandesk("--home", str(c), "demo", "--count", "1", "--seed", "53")  # independent work captured meanwhile
    out = sync(c)
    assert out["rc"] == 1 and out["applied"] >= 2, out  # the new capture went
    assert [r["code"] for r in out["rejected"]] == [403] and "another branch" in out["rejected"][0]["reason"]
    assert out["unsent"] == 2 and out["quarantined"] == 1  # the refused one and the stage change behind it
    held = out["quarantine"][0]
    assert (held["entity"], held["entity_id"], held["code"]) == ("application", app_id, 403)
    listed = json.loads(loandesk("--home", str(c), "quarantine", "list", "--json").stdout)
    assert [x["op_id"] for x in listed] == [held["op_id"]] and listed[0]["reason"] == held["reason"]
    export = tmp_path / "quarantine.json"
    loandesk("--home", str(c), "quarantine", "export", str(export))
    assert json.loads(export.read_text(encoding="utf-8"))[0]["reason"] == held["reason"]
    again = sync(c)  # nothing new is refused; the held ones keep waiting
    assert again["rejected"] == [] and again["unsent"] == 2 and again["rc"] == 1
    bad = loandesk("--home", str(c), "quarantine", "retry", held["op_id"], "--set", "colour=red", check=False)
    assert bad.returncode == 2 and "colour" in bad.stderr and "Traceback" not in bad.stderr
    loandesk("--home", str(c), "quarantine", "retry", held["op_id"][:13], "--set", f"enterprise_id={own_enterprise}",
             env=OFFICER)  # fmt: skip
    fixed = sync(c)
    assert fixed["rc"] == 0 and fixed["unsent"] == 0 and fixed["quarantined"] == 0 and fixed["applied"] == 2
    ours = json.loads(loandesk("hub", "list", "applications", "--db", hub.db, "--json", "--branch",
                               "330106-62").stdout)  # fmt: skip
    mine = {x["id"]: x for x in ours}
    assert mine[app_id]["stage"] == "scored" and mine[app_id]["enterprise_id"] == own_enterprise
    theirs = json.loads(loandesk("hub", "list", "applications", "--db", hub.db, "--json", "--branch",
                                 "330106-61").stdout)  # fmt: skip
    assert app_id not in {x["id"] for x in theirs}
