"""`loandesk consent record|list|revoke` and `decide`'s refusal, as a branch uses them (real processes on
a home made by `loandesk demo`, signed in as its users; the clock pinned by LOANDESK_CLOCK)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from loandesk.core import clock


def loandesk(home, *args, user="officer", lang="en"):
    cmd = [sys.executable, "-m", "loandesk", "--lang", lang, "--home", str(home), *args]
    env = {**os.environ, "LOANDESK_USER": user, "LOANDESK_PASSWORD": "demo"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("consent") / "home"
    made = loandesk(home, "demo", "--count", "4", user="admin")
    assert made.returncode == 0, made.stderr
    return home


def one_line(proc) -> str:
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_demo_homes_carry_valid_consents_with_masked_givers(home):
    listed = loandesk(home, "consent", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 4 and {r["status"] for r in rows} == {"valid"}
    assert all(r["given_by"].endswith("*") and r["scope"] == ["credit", "tax"] for r in rows)
    text = loandesk(home, "consent", "list", rows[0]["application"], lang="zh")
    assert text.returncode == 0 and "涉税信息、征信报告" in text.stdout and "有效" in text.stdout


def test_unmasked_needs_the_permission_and_is_audited(home):
    refused = loandesk(home, "consent", "list", "--unmasked", user="teller")
    assert refused.returncode == 2 and "may not show unmasked personal data" in one_line(refused)
    shown = loandesk(home, "consent", "list", "--unmasked", "--json", user="admin")
    assert shown.returncode == 0 and not any(r["given_by"].endswith("*") for r in json.loads(shown.stdout))
    audit = json.loads(loandesk(home, "audit", "list", "--json", user="admin").stdout)
    assert any(r["action"] == "unmasked" and r["target"] == "consents" for r in audit)


def test_revoke_then_decide_refuses_with_the_reason_and_scores_nothing(home, tmp_path):
    ref = json.loads(loandesk(home, "consent", "list", "--json").stdout)[-1]["application"]
    teller = loandesk(home, "consent", "revoke", ref, user="teller")
    assert teller.returncode == 2 and "may not revoke" in one_line(teller)
    revoked = loandesk(home, "consent", "revoke", ref)
    assert revoked.returncode == 0, revoked.stderr
    day = clock.today().isoformat()
    refused = loandesk(home, "decide", ref)
    assert refused.returncode == 2 and refused.stdout == ""
    assert one_line(refused) == f"loandesk decide: {ref}: the consent was revoked on {day} by 李明 (nothing was scored)"
    zh = loandesk(home, "decide", ref, lang="zh")
    assert zh.returncode == 2 and one_line(zh) == f"loandesk decide: {ref}：授权已于 {day} 由李明撤销（未评分）"
    # every application or none: `decide` with no reference refuses before scoring the others
    before = json.loads(loandesk(home, "list", "applications").stdout)
    assert loandesk(home, "decide").returncode == 2
    assert json.loads(loandesk(home, "list", "applications").stdout) == before

    # bad values are named by their option, one line, nothing recorded
    future = loandesk(home, "consent", "record", ref, "--given-by", "王五", "--scope", "tax",
                      "--given-on", "2099-01-01")  # fmt: skip
    assert future.returncode == 2 and one_line(future).endswith("--given-on must not be in the future")
    word = loandesk(home, "consent", "record", ref, "--given-by", "王五", "--scope", "salary")
    assert word.returncode == 2 and "--scope 'salary' is not a scope" in one_line(word)
    order = loandesk(home, "consent", "record", ref, "--given-by", "王五", "--scope", "tax", "--expires", "2020-01-01")
    assert order.returncode == 2 and f"--expires must be after the day the consent was given ({day})" in one_line(order)
    missing = loandesk(home, "consent", "record", ref, "--given-by", "王五", "--scope", "tax", "--evidence",
                       str(tmp_path / "nope.pdf"))  # fmt: skip
    assert missing.returncode == 2 and "no such file" in one_line(missing)
    assert len([r for r in json.loads(loandesk(home, "consent", "list", ref, "--json").stdout)]) == 1

    # a teller records the new consent with the signed form; decide scores again
    form = tmp_path / "form.jpg"
    form.write_bytes(b"\xff\xd8signed form")
    recorded = loandesk(home, "consent", "record", ref, "--given-by", "王五", "--scope", "tax,credit", "--evidence",
                        str(form), user="teller")  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    shown = json.loads(recorded.stdout)
    assert shown["given_by"] == "王*" and shown["expires_on"] > day and shown["evidence"] is True
    assert shown["recorded_by"] == "张柜员"
    scored = loandesk(home, "decide", ref)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)[0]["application"] == ref
    audit = [r["action"] for r in json.loads(loandesk(home, "audit", "list", "--json", user="admin").stdout)]
    assert audit.count("consent_revoked") == 1 and "consent_recorded" in audit


def test_a_memo_batch_goes_on_past_an_application_without_consent(tmp_path):
    home = tmp_path / "batch-home"
    assert loandesk(home, "demo", "--count", "4", user="admin").returncode == 0
    listed = json.loads(loandesk(home, "list", "applications").stdout)
    unscored = [a["ref"] for a in listed if a.get("stage") == "submitted"]
    assert unscored, listed  # the demo leaves one in four as a teller saved it
    assert loandesk(home, "consent", "revoke", unscored[0]).returncode == 0
    out = tmp_path / "memos"
    out.mkdir()
    batch = loandesk(home, "memo", "--all-pending", "--out-dir", str(out))
    report = json.loads(batch.stdout)
    assert batch.returncode == 1 and "Traceback" not in batch.stderr  # the answer for that one is "no"
    assert [f["application"] for f in report["failed"]] == [unscored[0]]
    assert "the consent was revoked" in report["failed"][0]["error"]
    assert report["issued"]  # the others' memos were issued
