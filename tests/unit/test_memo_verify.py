"""Verifying memos: the exact file, the code printed on paper, a scanned copy; and the stored memo's immutability."""

from __future__ import annotations

import subprocess

import pytest
from memo_support import add_decision, make_store, pdf_text, squash, write_pdf

from loandesk.memo import qr, service
from loandesk.storage import Store, memo_schema
from loandesk.storage import memos as repo


@pytest.fixture
def issued(tmp_path):
    store, app_ids = make_store(tmp_path, count=1)
    add_decision(store, app_ids[0])
    row = service.issue_memo(store, app_ids[0], "zh")
    path = write_pdf(store, row["id"], tmp_path / "memo.pdf")
    yield store, app_ids[0], row, path
    store.close()


def test_a_code_proves_only_that_the_memo_exists_and_shows_what_to_compare(issued):
    store, _, row, path = issued
    code = qr.payload(row["memo_no"], row["content_sha256"])
    assert code in squash(pdf_text(path))  # printed under the QR code
    result = service.verify_code(store, code)
    assert not result.ok and result.status == "exists" and result.exit_code == 3 and result.how == "code"
    assert "proves only that such a memo exists" in result.message("en") and "不能证明" in result.message("zh")
    rec = store.application_record(row["application_id"])
    facts = result.fact_lines("zh")
    assert facts[0] == f"借款人：{rec['enterprise_name']}"
    assert f"申请金额：¥{rec['requested_amount']:,.2f}" in facts and "结论：同意" in facts
    assert "额度：¥280,000.00" in facts and "审批人：尚未审批" in facts and "报告日期：2026-11-23" in facts
    # the ends are trimmed and letter case is free (a barcode reader under Caps Lock)
    assert service.verify_code(store, "  " + code.upper() + "\r\n").status == "exists"


def test_codes_that_match_nothing_or_are_not_exactly_a_code(issued):
    store, app_id, row, _ = issued
    sha = row["content_sha256"]
    wrong_hash = service.verify_code(store, qr.payload(row["memo_no"], ("0" if sha[0] != "0" else "1") + sha[1:]))
    assert wrong_hash.status == "unknown" and wrong_hash.exit_code == 1 and "copied wrongly" in wrong_hash.message("en")
    never = service.verify_code(store, qr.payload("M-HZ01-ZZZZ-999999", sha))
    assert never.status == "unknown" and never.exit_code == 1 and "never issued" in never.message("en")
    code = qr.payload(row["memo_no"], sha)
    for bad in ("hello", f"see {code}", f"{code}.", code[:40] + "\n" + code[40:], code[:-2]):
        junk = service.verify_code(store, bad)
        assert junk.status == "unreadable" and junk.exit_code == 2 and "nothing before or after" in junk.message("en")
    newer = service.issue_memo(store, app_id, "zh", reissue=True)
    old = service.verify_code(store, code)
    assert old.status == "superseded" and old.exit_code == 1 and newer["memo_no"] in old.message("en")
    assert old.fact_lines("en")  # what it said, still shown


def test_only_the_issued_bytes_verify(issued, tmp_path):
    store, _, row, path = issued
    exact = service.verify_file(store, path)
    assert exact.ok and exact.status == "verified" and exact.exit_code == 0 and exact.memo["id"] == row["id"]

    resaved = tmp_path / "resaved.pdf"
    subprocess.run(["qpdf", "--object-streams=generate", str(path), str(resaved)], check=True)
    assert resaved.read_bytes() != path.read_bytes()
    same_text = service.verify_file(store, resaved)
    assert same_text.status == "exists" and same_text.exit_code == 3 and same_text.how == "copy"
    assert "bytes differ" in same_text.message("en")

    # change a figure inside the page content: still only "such a memo exists, compare"
    plain = tmp_path / "plain.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(plain)], check=True)
    data = plain.read_bytes()
    assert b"Tj" in data or b"TJ" in data
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(_drop_first_text_show(data))
    changed = service.verify_file(store, edited)
    assert changed.status == "exists" and changed.exit_code == 3 and changed.fact_lines("en")

    stranger = tmp_path / "stranger.pdf"
    stranger.write_bytes(b"%PDF-1.4\n% just some PDF\n")
    other = service.verify_file(store, stranger)
    assert other.status == "unknown" and other.exit_code == 1 and "not a Loan Desk memo" in other.message("en")


def _drop_first_text_show(qdf: bytes) -> bytes:
    """Blank out the first text-showing operation in a QDF (uncompressed) PDF: a visible text change."""
    import re

    match = re.search(rb"<[0-9a-fA-F]+> Tj", qdf)
    assert match, "no hex text operator found"
    start, end = match.span()
    return qdf[:start] + b"<> Tj" + b" " * (end - start - 5) + qdf[end:]


def _image_pdf(pages, path):
    pages[0].save(path, "PDF", resolution=150, save_all=True, append_images=pages[1:])  # image-only PDF
    return path


def _scan_pages(path, tmp_path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-png", "-gray", str(path), str(tmp_path / "scan")], check=True)
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob("scan-*.png"))]


@pytest.mark.skipif(not service.zbar_available(), reason="zbarimg (Debian package zbar-tools) is not installed")
def test_a_scan_and_an_edited_scan_prove_only_that_the_memo_exists(issued, tmp_path):
    from PIL import ImageDraw

    store, _, row, path = issued
    pages = _scan_pages(path, tmp_path)
    result = service.verify_file(store, _image_pdf(pages, tmp_path / "scan.pdf"))
    assert not result.ok and result.status == "exists" and result.exit_code == 3 and result.how == "scan"
    assert result.memo_no == row["memo_no"] and "QR code on this scan" in result.message("en")
    # an edited scan (a figure painted over) carries the same QR code: the same answer, never "verified"
    ImageDraw.Draw(pages[0]).rectangle((100, 700, 900, 800), fill=255)
    edited = service.verify_file(store, _image_pdf(pages, tmp_path / "edited-scan.pdf"))
    assert edited.status == "exists" and edited.exit_code == 3 and edited.fact_lines("en")


@pytest.mark.skipif(not service.zbar_available(), reason="zbarimg (Debian package zbar-tools) is not installed")
def test_a_forged_page_with_a_genuine_qr_code_does_not_verify(issued, tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    store, _, row, _ = issued
    code = qr.payload(row["memo_no"], row["content_sha256"])
    forged = tmp_path / "forged.pdf"
    canvas = Canvas(str(forged), pagesize=A4)
    canvas.drawString(72, 700, f"Credit memo {row['memo_no']}: approved, limit 9,999,999")
    qr.QRCode(code, 80 * 2.83).drawOn(canvas, 300, 450)  # the genuine memo's QR code, pasted on
    canvas.save()
    result = service.verify_file(store, forged)
    assert not result.ok and result.status == "exists" and result.exit_code == 3 and result.how == "copy"
    assert "Limit: CNY 280,000.00" in result.fact_lines("en")  # what the genuine memo says, to compare


def test_without_zbar_a_scan_says_how_to_verify_it(issued, tmp_path, monkeypatch):
    from PIL import Image

    from loandesk.memo import verify

    store, _, _, _ = issued
    scan = tmp_path / "blank-scan.pdf"
    Image.new("L", (600, 800), 255).save(scan, "PDF")
    monkeypatch.setattr(verify.shutil, "which", lambda name: None)
    result = service.verify_file(store, scan)
    assert not result.ok and "--code" in result.message("en") and "zbar-tools" in result.message("en")


def test_the_database_refuses_to_change_or_delete_an_issued_memo(issued):
    store, app_id, row, _ = issued
    memo_schema.protect(store.db)
    memo_schema.protect(store.db)  # idempotent
    db = store.db
    for column, value in [("pdf", b"%PDF-forged"), ("content", "{}"), ("content_sha256", "0" * 64),
                          ("file_sha256", "0" * 64), ("memo_no", "M-HZ01-XXXX-000009")]:  # fmt: skip
        with pytest.raises(Exception, match="cannot be changed"):
            db.execute(f"UPDATE memos SET {column} = ? WHERE id = ?", (value, row["id"]))
    with pytest.raises(Exception, match="cannot be deleted"):
        db.execute("DELETE FROM memos WHERE id = ?", (row["id"],))
    # status and approval may change, and setting a column to its own value is no change
    db.execute("UPDATE memos SET status = 'approved', approved_by = '王审批', pdf = pdf WHERE id = ?", (row["id"],))
    assert repo.memo(store, row["id"])["status"] == "approved"
    # issuing and superseding keep working under the triggers
    newer = service.issue_memo(store, app_id, "en", reissue=True)
    assert repo.memo(store, row["id"])["status"] == "superseded" and newer["version"] == 2


def test_the_triggers_survive_reopening_the_store(tmp_path):
    store, _ = make_store(tmp_path, count=1)
    memo_schema.protect(store.db)
    home = store.home
    store.close()
    again = Store.open(home)
    names = {r[0] for r in again.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    again.close()
    assert {"memos_immutable", "memos_no_delete"} <= names


def test_a_cancelled_memo_is_genuine_but_not_in_force(issued):
    store, _, row, path = issued
    store.db.execute("UPDATE memos SET status = 'cancelled' WHERE id = ?", (row["id"],))
    result = service.verify_file(store, path)
    assert not result.ok and result.status == "cancelled" and result.exit_code == 1
    assert "not in force" in result.message("en") and "已作废" in result.message("zh")
