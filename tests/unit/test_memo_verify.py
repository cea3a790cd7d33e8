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
    path = write_pdf(store, row["memo_no"], tmp_path / "memo.pdf")
    yield store, app_ids[0], row, path
    store.close()


def test_the_code_is_printed_under_the_qr_code_and_verifies(issued):
    store, _, row, path = issued
    code = qr.payload(row["memo_no"], row["content_sha256"])
    assert code in squash(pdf_text(path))
    result = service.verify_code(store, code)
    assert result.ok and result.status == "valid" and result.how == "code"
    rec = store.application_record(row["application_id"])
    assert rec["enterprise_name"] in result.message("zh")  # what to compare with the paper
    assert "not what the paper shows" in result.message("en")
    # as a barcode reader may type it: other case, stray white space and line breaks
    assert service.verify_code(store, "  " + code.lower()[:40] + "\n" + code.lower()[40:] + "\r\n").ok


def test_codes_that_do_not_verify(issued, tmp_path):
    store, app_id, row, _ = issued
    sha = row["content_sha256"]
    wrong_hash = service.verify_code(store, qr.payload(row["memo_no"], ("0" if sha[0] != "0" else "1") + sha[1:]))
    assert not wrong_hash.ok and wrong_hash.status == "altered"
    never = service.verify_code(store, qr.payload("M-HZ01-ZZZZ-999999", sha))
    assert not never.ok and never.status == "unknown" and "never issued" in never.message("en")
    junk = service.verify_code(store, "hello")
    assert not junk.ok and junk.status == "unreadable" and "LOANDESK-MEMO" in junk.message("en")
    newer = service.issue_memo(store, app_id, "zh", reissue=True)
    old = service.verify_code(store, qr.payload(row["memo_no"], sha))
    assert not old.ok and old.status == "superseded" and newer["memo_no"] in old.message("en")


def test_a_resaved_copy_is_told_apart_from_an_altered_one_and_from_a_stranger(issued, tmp_path):
    store, _, _, path = issued
    resaved = tmp_path / "resaved.pdf"
    subprocess.run(["qpdf", "--object-streams=generate", str(path), str(resaved)], check=True)
    assert resaved.read_bytes() != path.read_bytes()
    same_text = service.verify_file(store, resaved)
    assert not same_text.ok and same_text.status == "altered"
    assert "file bytes differ from the issued memo" in same_text.message("en")
    assert "text still reads as the issued memo" in same_text.message("en")

    # change a figure inside the page content: the text no longer matches
    plain = tmp_path / "plain.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(plain)], check=True)
    data = plain.read_bytes()
    assert b"Tj" in data or b"TJ" in data
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(_drop_first_text_show(data))
    changed = service.verify_file(store, edited)
    assert not changed.ok and changed.status == "altered"
    assert "so does its text" in changed.message("en")

    stranger = tmp_path / "stranger.pdf"
    stranger.write_bytes(b"%PDF-1.4\n% just some PDF\n")
    other = service.verify_file(store, stranger)
    assert not other.ok and other.status == "unknown" and "not a Loan Desk memo" in other.message("en")


def _drop_first_text_show(qdf: bytes) -> bytes:
    """Blank out the first text-showing operation in a QDF (uncompressed) PDF: a visible text change."""
    import re

    match = re.search(rb"<[0-9a-fA-F]+> Tj", qdf)
    assert match, "no hex text operator found"
    start, end = match.span()
    return qdf[:start] + b"<> Tj" + b" " * (end - start - 5) + qdf[end:]


@pytest.mark.skipif(not service.zbar_available(), reason="zbarimg (Debian package zbar-tools) is not installed")
def test_a_scanned_copy_is_checked_by_its_qr_code(issued, tmp_path):
    from PIL import Image

    store, _, row, path = issued
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-gray", str(path), str(tmp_path / "scan")], check=True)
    pages = [Image.open(p).convert("L") for p in sorted(tmp_path.glob("scan-*.png"))]
    scan = tmp_path / "scan.pdf"
    pages[0].save(scan, "PDF", resolution=150, save_all=True, append_images=pages[1:])  # image-only PDF
    result = service.verify_file(store, scan)
    assert result.ok and result.how == "scan" and result.memo_no == row["memo_no"], result.message("en")
    assert "scanned copy" in result.message("en")


def test_without_zbar_a_scan_says_how_to_verify_it(issued, tmp_path, monkeypatch):
    from PIL import Image

    store, _, _, _ = issued
    scan = tmp_path / "blank-scan.pdf"
    Image.new("L", (600, 800), 255).save(scan, "PDF")
    monkeypatch.setattr(service.shutil, "which", lambda name: None)
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
    assert repo.memo(store, row["memo_no"])["status"] == "approved"
    # issuing and superseding keep working under the triggers
    newer = service.issue_memo(store, app_id, "en", reissue=True)
    assert repo.memo(store, row["memo_no"])["status"] == "superseded" and newer["version"] == 2


def test_the_triggers_survive_reopening_the_store(tmp_path):
    store, _ = make_store(tmp_path, count=1)
    memo_schema.protect(store.db)
    home = store.home
    store.close()
    again = Store.open(home)
    names = {r[0] for r in again.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    again.close()
    assert {"memos_immutable", "memos_no_delete"} <= names
