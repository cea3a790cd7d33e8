"""Consent records and approvals set aside reach head office like every other save: the push has no
rejections, the giver's name is sealed at rest on the hub, and a revocation follows."""

from __future__ import annotations

import json

from hubs import loandesk
from sqlalchemy import create_engine, select

from loandesk.hub.schema import records


def hub_rows(db: str, entity: str) -> dict[str, dict]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(records.c.entity_id, records.c.data).where(records.c.entity == entity))
            return {r.entity_id: json.loads(r.data) for r in rows}
    finally:
        engine.dispose()


def test_consents_and_set_aside_approvals_sync_with_the_giver_sealed(hub, branch, tmp_path):
    home = tmp_path / "home"
    loandesk("--home", str(home), "demo", "--count", "2")  # the first one is approved by the demo approver
    sent = json.loads(loandesk("--home", str(home), "sync", "--hub", hub.url, "--enroll", hub.code(branch),
                               "--json").stdout)  # fmt: skip
    assert sent["rejected"] == [] and sent["unsent"] == 0
    local = json.loads(loandesk("--home", str(home), "consent", "list", "--json", "--unmasked").stdout)
    at_hub = hub_rows(hub.db, "consent")
    assert sorted(at_hub) == sorted(c["id"] for c in local)
    for consent in local:
        stored = at_hub[consent["id"]]
        assert stored["given_by"] != consent["given_by"]  # sealed at rest, like a legal representative's name
        assert consent["given_by"] not in json.dumps(stored, ensure_ascii=False)
        assert (stored["given_on"], stored["expires_on"]) == (consent["given_on"], consent["expires_on"])
        assert set(stored["scope"].split(",")) == set(consent["scope"])

    ref = local[-1]["application"]
    loandesk("--home", str(home), "--user", "officer", "consent", "revoke", ref)
    again = json.loads(loandesk("--home", str(home), "sync", "--hub", hub.url, "--json").stdout)
    assert again["rejected"] == [] and again["applied"] >= 1
    revoked = hub_rows(hub.db, "consent")[local[-1]["id"]]
    assert revoked["revoked_on"] and revoked["revoked_by"]

    # the approved application is edited: the approval is set aside, and head office hears of it
    from loandesk.core.intake import validate_intake
    from users_support import open_store

    store = open_store(home)
    try:
        approved = next(r for r in store.application_rows() if r["approval_id"])
        record = store.application_record(approved["id"])
        store.save_intake(validate_intake({**record, "purpose": "采购设备"}).values, application_id=approved["id"])
    finally:
        store.close()
    third = json.loads(loandesk("--home", str(home), "sync", "--hub", hub.url, "--json").stdout)
    assert third["rejected"] == []
    aside = hub_rows(hub.db, "approval_set_aside")
    assert [a["approval_id"] for a in aside.values()] == [approved["approval_id"]]

