"""The memo prints the consent on record (given by, masked; date; scope; expiry), and an approver's
conditions once (issue 7: they printed twice). Read back from the issued PDF with pdftotext."""

from __future__ import annotations

import random
import shutil

import pytest
from memo_support import pdf_text, squash

from loandesk.approvals import service
from loandesk.core.codes import mask_name
from loandesk.core.consent import default_expiry
from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.memo.service import issue_memo, memo_pdf
from loandesk.scoring.service import score_application
from loandesk.storage import Store, consents

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "home")
    yield s
    s.close()


def saved(store) -> str:
    record = demo_record(random.Random(4), 5)
    record.update(industry="RET", employees=8, annual_revenue=5_000_000, social_insurance_headcount=8,
                  invoice_sales_12m=4_800_000, tax_paid_12m=200_000, tax_paid_24m=380_000, tax_grade="A",
                  registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=False,
                  has_loan_history=False, requested_amount=300_000, officer="周建华",
                  legal_rep_name="欧阳娜娜")  # fmt: skip
    return store.save_intake(validate_intake(record).values)[1].id


def text_of(store, memo, tmp_path) -> str:
    path = tmp_path / f"{memo['id']}.pdf"
    path.write_bytes(memo_pdf(store, memo["id"]))
    return squash(pdf_text(path))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_memo_prints_who_gave_the_consent_masked_with_date_scope_and_expiry(store, tmp_path, lang):
    app_id = saved(store)
    consents.revoke(store, app_id)  # the intake's; the person the legal representative authorised signs anew
    consent = consents.record(store, app_id, given_by="司马小明", given_on=store.application(app_id).consent_date,
                              scope="tax,credit")  # fmt: skip
    text = text_of(store, issue_memo(store, app_id, lang, officer="周建华"), tmp_path)
    assert mask_name("司马小明") in text and "司马小明" not in text
    assert consent.given_on.isoformat() in text and default_expiry(consent.given_on).isoformat() in text
    if lang == "zh":
        assert squash("授权人") in text and squash("涉税信息、征信报告") in text and "授权到期日" in text
    else:
        assert squash("Given by") in text and squash("tax data and the credit report") in text


def test_a_revoked_consent_says_so_on_the_memo(store, tmp_path):
    app_id = saved(store)
    score_application(store, app_id, officer="周建华")
    (revoked,) = consents.revoke(store, app_id)
    text = text_of(store, issue_memo(store, app_id, "zh", officer="周建华"), tmp_path)
    assert squash(f"已于 {revoked.revoked_on} 撤销") in text


def test_the_approvers_conditions_print_once(store, tmp_path):
    app_id = saved(store)
    score_application(store, app_id, officer="周建华")
    _approval, memo = service.decide(store, app_id, "approve", "陈静", limit=200_000,
                                     conditions=["每季度上门回访一次", "按月报送开票数据"])  # fmt: skip
    text = text_of(store, memo, tmp_path)
    assert text.count("每季度上门回访一次") == 1 and text.count("按月报送开票数据") == 1
    assert "审批条件" not in text  # the conditions section lists them; the approval block does not repeat them
