"""Cultivation records reach head office like everything else: visits (with their photos listed), stage
moves and assignments are outbox operations a real hub accepts, and nothing stays unsent."""

from __future__ import annotations

import json

from hubs import loandesk

from users_support import as_user


def test_visits_stage_moves_and_assignments_sync_to_a_real_hub(hub, branch, tmp_path):
    home = tmp_path / "home"
    loandesk("--home", str(home), "demo", "--count", "4")  # its approvals already moved stages (首贷户)
    listed = json.loads(loandesk("--home", str(home), "list", "enterprises", "--json").stdout)
    refs = [e["ref"] for e in listed if e["cultivation_stage"] == "no_loan"]
    assert len(refs) >= 2 and len(refs) < len(listed)  # the demo's approved ones are 首贷户 already
    admin, officer = as_user("admin"), as_user("officer")
    loandesk("--home", str(home), "assign", "officer", *refs[:2], env=admin)
    photo = tmp_path / "shop.jpg"
    photo.write_bytes(b"\xff\xd8\xff shop front")
    loandesk("--home", str(home), "visit", refs[0], "--findings", "门店正常经营", "--need", "--amount", "30万",
             "--next-step", "补充纳税证明", "--next-date", "2026-12-01", "--photo", str(photo), "--lat", "30.27",
             "--lon", "120.15", env=officer)  # fmt: skip
    loandesk("--home", str(home), "stage", refs[1], "not_interested", "--reason", "暂无融资计划", env=officer)
    sent = json.loads(loandesk("--home", str(home), "sync", "--hub", hub.url, "--enroll", hub.code(branch),
                               "--json").stdout)  # fmt: skip
    assert sent["rejected"] == [] and sent["unsent"] == 0
    again = json.loads(loandesk("--home", str(home), "sync", "--json").stdout)
    assert (again["applied"], again["unsent"]) == (0, 0)
