"""Issuing memos from a real encrypted store and reading them back with poppler and qpdf."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess

import pytest
from memo_support import FACTORS, add_decision, approve, make_store, page_count, pdf_text, squash

from loandesk.core.codes import mask_id, mask_name
from loandesk.core.consent import default_expiry
from loandesk.memo import service
from loandesk.memo.content import content_sha256
from loandesk.storage import Store
from loandesk.storage import memos as repo

NOTES = "走访企业生产车间，设备运转正常，库存与账面基本一致。\n实际控制人从业十二年，主要客户为本地连锁超市。"


@pytest.fixture
def issued(tmp_path):
    store, app_ids = make_store(tmp_path)
    app_id = app_ids[0]
    store.db.execute("UPDATE applications SET site_notes = ?, officer = ? WHERE id = ?", (NOTES, "李明", app_id))
    add_decision(store, app_id)
    yield store, app_id, tmp_path
    store.close()


def _issue(store, app_id, tmp_path, lang, **kw):
    row = service.issue_memo(store, app_id, lang, **kw)
    path = tmp_path / f"{row['memo_no']}-v{row['version']}-{lang}.pdf"
    path.write_bytes(service.memo_pdf(store, row["id"]))
    return row, path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_section_prints_its_key_values(issued, lang):
    store, app_id, tmp_path = issued
    row, path = _issue(store, app_id, tmp_path, lang)
    rec = store.application_record(app_id)
    text = squash(pdf_text(path))
    zh = lang == "zh"
    expected = [
        # header
        "示范农村商业银行" if zh else "DemoRuralCommercialBank", row["memo_no"], rec["ref"], "李明",
        # borrower
        squash(rec["enterprise_name"]), rec["credit_code"], mask_id(rec["legal_rep_id"]), rec["registered_on"],
        rec["region_code"], rec["legal_rep_name"], rec["legal_rep_phone"][:3] + "****" + rec["legal_rep_phone"][-4:],
        # request
        f"{rec['requested_amount']:,}", rec["purpose"], "银税互动首贷信用贷" if zh else "Bank-taxfirst-loancredit",
        # sources and consent: the consent record, its giver (the legal representative) masked
        rec["consent_date"], mask_name(rec["legal_rep_name"]),
        default_expiry(dt.date.fromisoformat(rec["consent_date"])).isoformat(),
        "涉税信息、征信报告" if zh else "taxdataandthecreditreport",
        # site visit
        "设备运转正常", "主要客户为本地连锁超市",
        # financials
        f"{rec['annual_revenue']:,}", f"{rec['tax_paid_12m']:,}", f"{rec['tax_paid_24m'] - rec['tax_paid_12m']:,}",
        # scoring
        "655", "280,000.00", "3.85%", "first-loan-default", "2026.11", "9f" * 32,
        *(squash(f["label"][lang]) for f in FACTORS), "42", "27", "35",
        "经营年限不足五年" if zh else "Underfiveyearsinbusiness",
        # conclusion, conditions, approval
        "建议授信" if zh else "Recommendalimit", "贷款资金仅用于申请用途" if zh else "Fundsareusedforthestated",
        "审批人签字" if zh else "Approver'ssignature",
    ]
    missing = [e for e in expected if e not in text]
    assert not missing, missing
    assert "655.0" not in text  # a whole score prints without ".0"
    headings = ["一、授信概要", "五、现场调查情况", "七、评分结果", "十一、附件清单", "十二、审批"] if zh else [
        "1.Summary", "5.On-siteinvestigation", "7.Scoringresult", "11.Attacheddocuments", "12.Approval"]
    assert all(h in text for h in headings)
    assert rec["legal_rep_id"] not in text  # never the full ID number
    assert rec["legal_rep_phone"] not in text
    if zh:
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 400


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_is_sound_embeds_its_font_and_renders(issued, lang):
    store, app_id, tmp_path = issued
    _, path = _issue(store, app_id, tmp_path, lang)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    font_rows = fonts.splitlines()[2:]
    assert font_rows and all(" yes " in r and "TrueType" in r for r in font_rows), fonts  # embedded subsets
    pages = page_count(path)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "pg")], check=True)
    pngs = sorted(tmp_path.glob("pg-*.png"))
    assert len(pngs) == pages >= 2
    assert all(p.stat().st_size > 3000 for p in pngs)  # not blank pages
    layout = pdf_text(path)
    words = "第{}页共{}页" if lang == "zh" else "Page{}of{}"
    for n, page in enumerate(layout.split("\f")[:pages], 1):
        assert words.format(n, pages) in squash(page)
    assert all(reddish_pixels(p) > 500 for p in pngs)  # the DRAFT watermark shows on every page


def reddish_pixels(png) -> int:
    """Pixels of the watermark's pale red: the memo's own ink is blue, grey and black."""
    from PIL import Image

    with Image.open(png) as im:
        raw = im.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(raw), 3) if raw[i] - raw[i + 1] > 15 and raw[i] - raw[i + 2] > 15)


def test_memo_is_stored_with_hashes_and_stage(issued):
    store, app_id, tmp_path = issued
    row, path = _issue(store, app_id, tmp_path, "zh")
    stored = repo.memo(store, row["memo_no"], with_pdf=True)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == stored["file_sha256"]
    content = service.stored_content(store, row["id"])
    assert content_sha256(content) == stored["content_sha256"]
    assert content["borrower"]["legal_rep_id"] == mask_id(store.application_record(app_id)["legal_rep_id"])
    assert store.application(app_id).stage == "memo_issued"
    assert re.fullmatch(r"M-HZ01-[A-Z0-9]{4}-000001", row["memo_no"])
    # the QR payload (memo number + content hash) rides in the PDF's metadata too
    meta = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert f"{row['memo_no']};SHA256:{stored['content_sha256']}" in meta


def test_verify_accepts_the_issued_file_and_refuses_altered_or_unknown(issued, tmp_path):
    store, app_id, _ = issued
    row, path = _issue(store, app_id, tmp_path, "zh")
    ok = service.verify_file(store, path)
    assert ok.ok and ok.status == "verified" and ok.exit_code == 0 and ok.memo_no == row["memo_no"]

    # a changed file still carries the genuine code: such a memo exists, this file is not it
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(path.read_bytes() + b"%altered\n")
    bad = service.verify_file(store, altered)
    assert not bad.ok and bad.status == "exists" and bad.exit_code == 3 and row["memo_no"] in bad.message("en")
    assert "bytes differ" in bad.message("en") and bad.fact_lines("en")[0].startswith("Borrower: ")

    flipped = bytearray(path.read_bytes())
    i = flipped.index(b"/Length") + 40
    flipped[i] ^= 0x01
    assert service.verify_pdf(store, bytes(flipped)).exit_code == 3

    other = Store.open(tmp_path / "other-home", branch="HZ01")  # a data home that never issued it
    unknown = service.verify_file(other, path)
    other.close()
    assert not unknown.ok and unknown.status == "unknown" and unknown.exit_code == 1
    assert "从未签发" in unknown.message("zh")

    not_pdf = service.verify_pdf(store, b"hello")
    assert not_pdf.status == "unreadable" and not_pdf.exit_code == 2


def test_reissue_makes_a_new_version_and_leaves_the_old_one_intact(issued, tmp_path):
    store, app_id, _ = issued
    first, first_path = _issue(store, app_id, tmp_path, "zh")
    old_pdf = service.memo_pdf(store, first["id"])
    second, second_path = _issue(store, app_id, tmp_path, "en", conclusion="Visited twice; all in order.")
    assert second["version"] == 2 and second["memo_no"] == first["memo_no"]  # same decision, same memo
    assert repo.memo(store, second["id"])["supersedes"] == first["id"]
    assert service.memo_pdf(store, first["id"]) == old_pdf  # immutable
    assert f"{first['memo_no']}v1" in squash(pdf_text(second_path))  # "supersedes M-... v1"
    assert "Visitedtwice;allinorder." in squash(pdf_text(second_path))
    old = service.verify_file(store, first_path)
    assert not old.ok and old.status == "superseded" and old.exit_code == 1
    assert f"{second['memo_no']} version 2" in old.message("en") and "no longer in force" in old.message("en")
    assert service.verify_file(store, second_path).ok


def test_approved_version_drops_the_watermark_and_names_the_approver(issued, tmp_path):
    from loandesk.core.decisions import ApprovalRefused

    store, app_id, _ = issued
    officer = store.application(app_id).officer
    with pytest.raises(ApprovalRefused, match="maker-checker"):
        approve(store, app_id, officer)  # the officer cannot approve the own application
    row = approve(store, app_id, "王审批", limit=150_000, conditions=["每季度上门回访一次。"])
    path = tmp_path / f"{row['memo_no']}.pdf"
    path.write_bytes(service.memo_pdf(store, row["memo_no"]))
    text = squash(pdf_text(path))
    assert "草稿" not in text and "王审批" in text and "已审批" in text
    # the approver's decision, not "for the approver to decide": limit, conditions, in the approval block
    assert "审批结论：同意。授信额度¥150,000.00" in text
    # the approver's condition is numbered among the credit's conditions, once (it printed twice: issue 7)
    assert text.count("每季度上门回访一次。") == 1 and "审批条件" not in text
    assert "审批人王审批的审批结论为同意" in text and "由审批人决定" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "ok")], check=True)
    assert all(reddish_pixels(p) == 0 for p in tmp_path.glob("ok-*.png"))  # no watermark once approved
    assert row["status"] == "approved" and store.application(app_id).stage == "approved"
    assert service.verify_file(store, path).ok


def test_pending_lists_applications_whose_current_decision_has_no_memo(tmp_path):
    store, app_ids = make_store(tmp_path, count=3)
    for a in app_ids:
        add_decision(store, a)
    assert service.pending_application_ids(store) == app_ids
    service.issue_memo(store, app_ids[1], "zh")
    assert service.pending_application_ids(store) == [app_ids[0], app_ids[2]]
    add_decision(store, app_ids[1], "refer")  # re-scored: the memo on file is for the old decision
    assert service.pending_application_ids(store) == app_ids
    store.close()


def test_declined_and_referred_memos_say_so(tmp_path):
    store, app_ids = make_store(tmp_path, count=2)
    add_decision(store, app_ids[0], "decline", knockouts=[{"code": "tax_grade", "message": {
        "zh": "纳税信用等级为D级，不予准入", "en": "Tax grade D is not admitted"}}])
    add_decision(store, app_ids[1], "refer")
    rows = [service.issue_memo(store, a, "zh") for a in app_ids]
    texts = [squash(pdf_text_bytes(service.memo_pdf(store, r["id"]), tmp_path)) for r in rows]
    assert "纳税信用等级为D级，不予准入" in texts[0] and "不建议授信" in texts[0] and "拒绝" in texts[0]
    assert "转审批" in texts[1] and "提交复核" not in texts[1]
    store.close()


def pdf_text_bytes(data: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return pdf_text(path)


def test_unknown_application_and_unscored_application(tmp_path):
    store, app_ids = make_store(tmp_path, count=1)
    with pytest.raises(service.MemoError):
        service.issue_memo(store, "A-HZ01-XXXX-999999", "zh")
    try:
        import loandesk.scoring.service  # noqa: F401
    except ModuleNotFoundError:
        with pytest.raises(service.MemoError, match=r"scor|评分"):
            service.issue_memo(store, app_ids[0], "en")
        assert repo.latest_memo(store, app_ids[0]) is None  # nothing half-written
    else:  # scoring is there: the application is scored first and the decision stored
        row = service.issue_memo(store, app_ids[0], "zh")
        assert row["decision_id"] == repo.current_decision(store, app_ids[0])["id"]
    store.close()
