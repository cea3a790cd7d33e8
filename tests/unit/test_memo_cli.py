"""The memo and verify-memo commands, run through the real CLI entry point."""

from __future__ import annotations

import json
import os

import pytest
from memo_support import add_decision, make_store, pdf_text, squash

from loandesk.cli import main
from loandesk.core.i18n import set_language
from users_support import with_demo_users


@pytest.fixture(autouse=True)
def chinese_by_default(monkeypatch):
    monkeypatch.setenv("LOANDESK_USER", "officer")  # memos are the officer's to issue
    set_language("zh")  # main(["--lang", "en", ...]) sets the process-wide language
    yield
    set_language("zh")


def as_approver(argv: list[str]) -> int:
    """``main(argv)`` signed in as the demo approver (陈静): approving is the approver's work."""
    before = os.environ["LOANDESK_USER"]
    os.environ["LOANDESK_USER"] = "approver"
    try:
        return main(argv)
    finally:
        os.environ["LOANDESK_USER"] = before


def _home(tmp_path, count=3):
    store, app_ids = make_store(tmp_path, count)
    refs = [store.application(a).ref for a in app_ids]
    for a in app_ids:
        add_decision(store, a)
    home = store.home
    store.close()
    return str(with_demo_users(home)), refs


def test_memo_writes_a_pdf_that_verifies_and_an_altered_copy_fails(tmp_path, capsys):
    home, refs = _home(tmp_path)
    out = tmp_path / "m.pdf"
    assert main(["--home", home, "memo", refs[0], "--out", str(out), "--lang", "zh"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["new"] is True and summary["version"] == 1
    assert refs[0] in squash(pdf_text(out))

    assert main(["--home", home, "verify-memo", str(out)]) == 0
    assert summary["memo_no"] in capsys.readouterr().out

    # an edited file still carries the genuine code: it proves only that such a memo exists (exit 3)
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(out.read_bytes() + b"%altered\n")
    assert main(["--home", home, "--lang", "en", "verify-memo", str(altered)]) == 3
    said = capsys.readouterr().out
    assert said.startswith("NOT PROVEN") and "bytes differ" in said and "compare the paper" in said
    assert "Amount requested: CNY " in said and "Approver: not approved yet" in said

    # asking again gives the stored memo, byte for byte, not a new version
    again = tmp_path / "again.pdf"
    assert main(["--home", home, "--lang", "zh", "memo", refs[0], "--out", str(again)]) == 0
    assert json.loads(capsys.readouterr().out)["new"] is False
    assert again.read_bytes() == out.read_bytes()


def test_english_memo_reissue_and_history(tmp_path, capsys):
    home, refs = _home(tmp_path, 1)
    out = tmp_path / "en.pdf"
    assert main(["--home", home, "memo", refs[0], "--out", str(out), "--lang", "en",
                 "--condition", "Quarterly visit by the officer."]) == 0  # fmt: skip
    text = squash(pdf_text(out))
    assert "CreditMemo" in text and "Quarterlyvisitbytheofficer." in text
    first = json.loads(capsys.readouterr().out)["memo_no"]
    assert main(["--home", home, "memo", refs[0], "--out", str(out), "--reissue", "--lang", "en"]) == 0
    second = json.loads(capsys.readouterr().out)["memo_no"]
    assert main(["--home", home, "memo", refs[0], "--history"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert [(h["memo_no"], h["version"], h["status"]) for h in history] == [
        (first, 1, "superseded"), (second, 2, "issued")]
    assert history[1]["supersedes"] == history[0]["id"]
    assert as_approver(["--home", home, "approve", refs[0], "--approve", "--limit", "10万",
                 "--out", str(out)]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["memo"]["status"] == "approved"
    assert main(["--home", home, "memo", refs[0], "--out", str(out)]) == 0  # the approved memo is the one on file
    assert json.loads(capsys.readouterr().out)["status"] == "approved"


def test_all_pending_issues_one_pdf_per_pending_application(tmp_path, capsys):
    home, refs = _home(tmp_path, 3)
    assert main(["--home", home, "memo", refs[1], "--out", str(tmp_path / "one.pdf")]) == 0
    capsys.readouterr()
    out_dir = tmp_path / "batch"
    assert main(["--home", home, "memo", "--all-pending", "--out-dir", str(out_dir)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [i["application"] for i in report["issued"]] == [refs[0], refs[2]] and report["failed"] == []
    assert report["written"] == [] and not list(out_dir.glob(".loandesk-batch-*"))  # the plan is gone when done
    files = sorted(out_dir.glob("*.pdf"))
    assert len(files) == 2 and all(main(["--home", home, "verify-memo", str(f)]) == 0 for f in files)
    capsys.readouterr()
    assert main(["--home", home, "memo", "--all-pending", "--out-dir", str(out_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["issued"] == []  # nothing left pending


def test_bad_input_is_refused_clearly(tmp_path, capsys):
    home, refs = _home(tmp_path, 1)
    assert main(["--home", home, "memo", "A-HZ01-NOPE-000009", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "A-HZ01-NOPE-000009" in capsys.readouterr().err
    assert main(["--home", home, "memo", refs[0]]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["--home", home, "memo", "--all-pending"]) == 2
    assert main(["--home", home, "verify-memo", str(tmp_path / "missing.pdf")]) == 2
    never = tmp_path / "never.pdf"
    never.write_bytes(b"%PDF-1.4\n% not a memo\n")
    assert main(["--home", home, "--lang", "en", "verify-memo", str(never)]) == 1
    assert "no memo code was found" in capsys.readouterr().out
    not_pdf = tmp_path / "notes.txt"
    not_pdf.write_text("hello")
    assert main(["--home", home, "--lang", "en", "verify-memo", str(not_pdf)]) == 2
    assert "not a PDF" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_verify_memo_by_code_and_exit_codes(tmp_path, capsys):
    from loandesk.memo.qr import payload

    home, refs = _home(tmp_path, 1)
    out = tmp_path / "m.pdf"
    assert main(["--home", home, "memo", refs[0], "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    code = payload(summary["memo_no"], summary["content_sha256"])
    # a code proves only that such a memo exists: exit 3, with the stored memo's facts to compare
    assert main(["--home", home, "--lang", "en", "verify-memo", "--code", code]) == 3
    said = capsys.readouterr().out
    assert summary["memo_no"] in said and "proves only that such a memo exists" in said
    for label in ("Borrower:", "Amount requested:", "Decision: Approve", "Limit: CNY 280,000.00", "Approver:",
                  "Memo date: 2026-11-23"):
        assert label in said
    assert main(["--home", home, "verify-memo", "--code", f"  {code}\n"]) == 3  # the ends are trimmed
    capsys.readouterr()
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert main(["--home", home, "--lang", "en", "verify-memo", "--code", forged]) == 1
    assert "NO MATCH" in capsys.readouterr().out
    assert main(["--home", home, "verify-memo", "--code", payload("M-HZ01-ZZZZ-999999", "a" * 64)]) == 1
    # exactly the printed code, nothing around it: anything else is bad input (exit 2, one line)
    for bad in ("not a code", f"code: {code}", f"{code} ok", code[:40] + "\n" + code[40:], code[:-1]):
        assert main(["--home", home, "--lang", "en", "verify-memo", "--code", bad]) == 2
        err = capsys.readouterr().err
        assert "nothing before or after it" in err and len(err.strip().splitlines()) == 1
    assert main(["--home", home, "verify-memo"]) == 2  # neither a file nor --code
    assert main(["--home", home, "verify-memo", str(out), "--code", code]) == 2  # both


def test_the_other_language_keeps_an_approved_memo_approved(tmp_path, capsys):
    home, refs = _home(tmp_path, 1)
    signed = tmp_path / "signed.pdf"
    assert as_approver(["--home", home, "approve", refs[0], "--approve", "--limit", "10万",
                 "--out", str(signed)]) == 0  # fmt: skip
    approved = json.loads(capsys.readouterr().out)["memo"]
    en = tmp_path / "en.pdf"
    assert main(["--home", home, "memo", refs[0], "--out", str(en), "--lang", "en"]) == 0
    copy = json.loads(capsys.readouterr().out)
    assert copy["new"] and copy["status"] == "approved" and copy["version"] == approved["version"]
    assert main(["--home", home, "verify-memo", str(signed)]) == 0
    assert main(["--home", home, "verify-memo", str(en)]) == 0
    capsys.readouterr()
    # replacing the approved memo needs --reissue
    assert main(["--home", home, "memo", refs[0], "--out", str(tmp_path / "x.pdf"), "--officer", "李明"]) == 1
    assert "--reissue" in capsys.readouterr().err
    assert main(["--home", home, "memo", refs[0], "--out", str(tmp_path / "x.pdf"), "--officer", "李明",
                 "--reissue"]) == 0  # fmt: skip
    assert main(["--home", home, "verify-memo", str(signed)]) == 1
    said = capsys.readouterr().out
    assert "替代" in said and "不再有效" in said  # superseded by the re-issued version: said, and not in force


def test_verify_memo_help_says_what_it_checks(capsys):
    with pytest.raises(SystemExit):
        main(["verify-memo", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--code" in text and "bytes are exactly those of a memo issued here" in text and "zbar" in text
    assert "exit 3" in text and "nothing around it" in text
