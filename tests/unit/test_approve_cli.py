"""`loandesk approve` as an approver runs it (a real process, a real data home), and what `list` says after."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from loandesk.storage import Store
from users_support import as_user, with_demo_users

OFFICER = "李明"  # the demo officer user's display name
ROLE_FOR = {"approve": "approver", "decide": "officer", "override": "officer", "confirm-override": "approver"}


def loandesk(home, *args, lang="zh"):
    """Signed in as the user whose work the sub-command is (the approver approves, the officer scores)."""
    user = next((ROLE_FOR[a] for a in args if a in ROLE_FOR), "admin")
    cmd = [sys.executable, "-m", "loandesk", "--home", str(home), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=as_user(user, LOANDESK_LANG=lang), timeout=120)


@pytest.fixture
def home(tmp_path):
    """Two scored applications: the first approvable (limit 300,000 asked), the second a knock-out."""
    import random

    from loandesk.core.intake import validate_intake
    from loandesk.demo import demo_record
    from loandesk.scoring.service import score_application

    home = tmp_path / "home"
    store = Store.open(home, branch="HZ01")
    for dishonest in (False, True):
        record = demo_record(random.Random(4), 5)
        record.update(industry="RET", employees=8, annual_revenue=5_000_000, social_insurance_headcount=8,
                      invoice_sales_12m=4_800_000, tax_paid_12m=200_000, tax_paid_24m=380_000, tax_grade="A",
                      registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=dishonest,
                      has_loan_history=False, requested_amount=300_000, officer=OFFICER)  # fmt: skip
        app = store.save_intake(validate_intake(record).values)[1]
        score_application(store, app.id, officer=OFFICER)
    store.close()
    return with_demo_users(home)


def refs(home) -> list[str]:
    return [r["ref"] for r in json.loads(loandesk(home, "list", "applications").stdout)]


@pytest.mark.parametrize(("args", "message"), [
    (["--approve", "--limit", "400万", "--approver", "陈静"],
     "额度 4,000,000 元超过产品“银税互动首贷信用贷”上限 3,000,000 元"),
    (["--approve", "--limit", "1e6", "--approver", "陈静"], "--limit 请用数字书写金额"),
    (["--approve", "--approver", "陈静"], "同意须填写授信额度（大于 0 元）"),
    (["--decline", "--approver", "陈静"], "拒绝须填写理由"),
    (["--decline", "--reason", "x", "--limit", "10万", "--approver", "陈静"], "--decline 只需 --reason"),
    (["--approve", "--limit", "10万", "--approver", OFFICER], "--approver 李明 与当前登录用户 陈静 不符"),
])  # fmt: skip
def test_bad_input_exits_2_with_one_line_and_stores_nothing(home, args, message):
    ref = refs(home)[0]
    proc = loandesk(home, "approve", ref, *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("loandesk approve: ") and message in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    row = json.loads(loandesk(home, "list", "applications").stdout)[0]
    assert (row["stage"], row["decided_by"]) == ("scored", None)


def test_a_knock_out_is_refused_in_english_too(home):
    ref = refs(home)[1]
    proc = loandesk(home, "--lang", "en", "approve", ref, "--approve", "--limit", "100000", "--approver", "陈静")
    assert proc.returncode == 2 and "a knock-out was hit, so it cannot be approved" in proc.stderr
    assert loandesk(home, "approve", ref, "--decline", "--reason", "失信被执行人", "--approver", "陈静").returncode == 0


def test_approve_records_the_decision_issues_the_memo_and_the_list_agrees(home, tmp_path):
    ref = refs(home)[0]
    out = tmp_path / "approved.pdf"
    proc = loandesk(home, "approve", ref, "--approve", "--limit", "20万", "--term", "6", "--condition", "每季度回访",
                    "--approver", "陈静", "--out", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    said = json.loads(proc.stdout)
    assert (said["decision"], said["limit"], said["term_months"], said["decided_by"]) == ("approve", 200_000, 6, "陈静")
    assert said["conditions"] == ["每季度回访"] and said["memo"]["status"] == "approved"
    assert "陈静审批同意，额度 200,000 元，期限 6 个月" in proc.stderr
    assert loandesk(home, "verify-memo", str(out)).returncode == 0
    row = next(r for r in json.loads(loandesk(home, "list", "applications").stdout) if r["ref"] == ref)
    assert (row["stage"], row["decision"], row["limit"], row["decided_by"], row["decided_on"]) == (
        "approved", "approve", 200_000, "陈静", said["decided_on"])
    assert row["model_decision"] == "approve" and "requested_amount" in row  # the keys it always had stay
    again = loandesk(home, "approve", ref, "--decline", "--reason", "x")
    assert again.returncode == 2 and "已于" in again.stderr  # one decision per scoring


def test_memo_no_longer_approves_by_name(home, tmp_path):
    proc = loandesk(home, "memo", refs(home)[0], "--out", str(tmp_path / "m.pdf"), "--approve", "陈静")
    assert proc.returncode == 2 and "--approve" in proc.stderr


def test_scoring_again_says_that_the_approvers_decision_is_set_aside(home):
    ref = refs(home)[0]
    assert loandesk(home, "approve", ref, "--approve", "--limit", "10万", "--approver", "陈静").returncode == 0
    proc = loandesk(home, "decide", ref)
    assert proc.returncode == 0 and f"{ref}：重新评分后，审批人陈静的审批决定不再有效，须重新审批" in proc.stderr
    row = next(r for r in json.loads(loandesk(home, "list", "applications").stdout) if r["ref"] == ref)
    assert (row["stage"], row["decided_by"], row["limit"]) == ("scored", None, 300_000)
