"""What a printed memo says, as a reader sees it: names not codes, money as money, ratios as percentages,
whole scores without ".0", each risk once, values in one column, the attached documents listed."""

from __future__ import annotations

import re

import pytest
from memo_support import add_decision, approve, make_store, pdf_text, squash, words_by_page, write_pdf

from loandesk.core.industries import industry_name
from loandesk.memo import service
from loandesk.storage.attachments import add_attachment


@pytest.fixture
def scored(tmp_path):
    """Demo applications scored for real by the pack in force (issue_memo scores them first)."""
    store, app_ids = make_store(tmp_path, count=6)
    yield store, app_ids, tmp_path
    store.close()


def _memo(store, app_id, lang, tmp_path):
    row = service.issue_memo(store, app_id, lang, reissue=True)
    path = write_pdf(store, row["id"], tmp_path / f"{row['id']}.pdf")
    return row, path, service.stored_content(store, row["id"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_numbers_names_and_each_risk_once(scored, lang):
    store, app_ids, tmp_path = scored
    for app_id in app_ids:
        _row, path, content = _memo(store, app_id, lang, tmp_path)
        text = squash(pdf_text(path))
        rec = store.application_record(app_id)
        # the industry by its name only, never its internal code
        assert squash(industry_name(rec["industry"], lang)) in text
        assert not re.search(r"[（(][A-Z]{1,4}[）)]", text), re.findall(r"[（(][A-Z]{1,4}[）)]", text)
        # money as money: 人民币 to the fen, grouped
        sign = "¥" if lang == "zh" else "CNY"
        for amount in (rec["requested_amount"], rec["annual_revenue"], rec["tax_paid_12m"]):
            assert f"{sign}{amount:,.2f}" in text
            assert str(amount) not in text  # never a bare 14530000
        assert "10kyuan" not in text
        dec = content["decision"]
        # a whole score without ".0"; ratios as percentages
        assert f"{dec['score']:g}" in text and f"{dec['score']:.1f}" not in text.replace(f"{dec['score']:g}.", "")
        for factor in dec["factors"]:
            if factor["kind"] == "ratio" and factor["value"] is not None:
                assert f"{factor['value'] * 100:.1f}%" in text, factor
        # each knock-out printed once (under the scoring result), not again as a reason or a risk
        for line in dec["knockouts"]:
            assert text.count(squash(line)) == 1, line
        assert len(content["risks"]) == len(set(content["risks"]))


def test_one_label_column_width(scored):
    store, app_ids, tmp_path = scored
    _, path, content = _memo(store, app_ids[0], "zh", tmp_path)
    name = squash(content["borrower"]["enterprise_name"])
    first_page = words_by_page(path, tmp_path)[0]
    starts = sorted({round(x0) for x0, _y0, _x1, _y1, word in first_page if word == name})
    # the name in the two-column summary and in the borrower's own full-width row start at one x
    assert len([w for w in first_page if w[4] == name]) >= 2 and starts == starts[:1], starts


def test_the_attached_documents_are_listed(scored):
    store, app_ids, tmp_path = scored
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(b"%PDF-1.4 licence scan")
    photo = tmp_path / "site-photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    rows = [add_attachment(store, app_ids[0], "business_licence", licence),
            add_attachment(store, app_ids[0], "site_photo", photo)]  # fmt: skip
    for lang, words in (("zh", ("营业执照", "现场照片", "十一、附件清单")),
                        ("en", ("Businesslicence", "Sitephoto", "11.Attacheddocuments"))):  # fmt: skip
        _, path, content = _memo(store, app_ids[0], lang, tmp_path)
        text = squash(pdf_text(path))
        assert all(w in text for w in words)
        for row in rows:
            assert squash(row["file_name"]) in text and row["sha256"][:16] in text
        assert [a["sha256"] for a in content["attachments"]] == [r["sha256"] for r in rows]
    # an application without documents says so
    _, path, _ = _memo(store, app_ids[1], "zh", tmp_path)
    assert "未附资料" in squash(pdf_text(path))



def test_verification_facts_follow_the_approvers_decision_when_the_approval_records_one(scored):
    """The approval block is read from the memo's content: when it records the approver's decision (the
    approval path's ``decision`` / ``limit``), the facts a reader compares with the paper are that decision."""
    from loandesk.memo.verify import key_facts

    store, app_ids, _ = scored
    add_decision(store, app_ids[0])  # approvable: within the amount asked, no knock-out
    row = approve(store, app_ids[0], "王审批")
    content = service.stored_content(store, row["id"])
    assert "审批人：王审批，2026-11-23" in key_facts({"content": content})["zh"]
    content["approval"].update(decision="approve", limit=200_000)
    facts = key_facts({"content": content})
    assert "结论：同意" in facts["zh"] and "额度：¥200,000.00" in facts["zh"] and "Limit: CNY 200,000.00" in facts["en"]
    content["approval"].update(decision="decline", limit=None)
    assert {"结论：拒绝", "额度：无"} <= set(key_facts({"content": content})["zh"])
