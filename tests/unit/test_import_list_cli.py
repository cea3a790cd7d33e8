"""``loandesk import-list`` as a user runs it (real processes, a real signed-in data home), and the
all-or-nothing promise: a SIGKILL part-way or a cancel leaves the store exactly as it was."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from test_import_list_support import records, write_list

from loandesk.storage.enterprise_import import ImportCancelled, import_file
from users_support import as_user, open_store, with_demo_users


def loandesk(*args, home, user="admin"):
    cmd = [sys.executable, "-m", "loandesk", "--home", str(home), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=as_user(user, LOANDESK_LANG="zh"), timeout=300)


@pytest.fixture
def home(tmp_path):
    return with_demo_users(tmp_path / "home")


def snapshot(home) -> tuple:
    store = open_store(home)
    try:
        db = store.db
        return (db.execute("SELECT count(*), max(seq), group_concat(updated_at) FROM enterprises").fetchone(),
                db.execute("SELECT count(*) FROM persons").fetchone()[0],
                db.execute("SELECT next FROM counters WHERE kind = 'enterprise'").fetchone(),
                db.execute("SELECT count(*) FROM import_batches").fetchone()[0],
                store.count_enterprises("有限公司"), store.count_enterprises("5678"))  # fmt: skip
    finally:
        store.close()


def test_json_counts_rejects_report_and_exit_codes(home, tmp_path):
    rows = records(6, seed=21)
    rows[2]["credit_code"] = "12345"
    path = write_list(tmp_path / "list.csv", rows, encoding="gbk")
    rejects = tmp_path / "rejects.csv"
    p = loandesk("import-list", str(path), "--rejects", str(rejects), "--json", home=home)
    assert p.returncode == 0, p.stderr
    counts = json.loads(p.stdout)
    assert {k: counts[k] for k in ("imported", "updated", "unchanged", "rejected", "warned")} == \
        {"imported": 5, "updated": 0, "unchanged": 0, "rejected": 1, "warned": 0}  # fmt: skip
    with open(rejects, encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["row", "field", "value", "severity", "reason"]
    assert lines[1][:4] == ["3", "credit_code", "12345", "error"] and "18 位" in lines[1][4]
    p = loandesk("import-list", str(path), home=home)
    assert p.returncode == 0 and "新增 0" in p.stdout and "无变化 5" in p.stdout


@pytest.mark.parametrize("content", [b"", "企业名称,统一社会信用代码\n".encode(), b"\x89PNG\r\n\x1a\n" + bytes(64)],
                         ids=["empty", "header-only", "wrong-type"])  # fmt: skip
def test_nothing_written_is_exit_2_with_one_line(home, tmp_path, content):
    path = tmp_path / "l.csv"
    path.write_bytes(content)
    p = loandesk("import-list", str(path), "--json", home=home)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    assert snapshot(home)[0][0] == 0


def test_every_row_rejected_is_exit_2_and_the_report_says_why(home, tmp_path):
    rows = records(2, seed=22)
    for r in rows:
        r["registered_on"] = "昨天"
    rejects = tmp_path / "r.csv"
    p = loandesk("import-list", str(write_list(tmp_path / "l.csv", rows)), "--rejects", str(rejects), home=home)
    assert p.returncode == 2 and "所有行均被拒绝" in p.stderr
    assert len(rejects.read_text(encoding="utf-8-sig").splitlines()) == 3


def test_sheet_option_and_unknown_sheet(home, tmp_path):
    import pandas as pd
    from test_import_list_support import ZH

    path = tmp_path / "b.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, rows in {"封面": records(1, seed=1), "名单": records(3, seed=2)}.items():
            pd.DataFrame([{ZH[k]: v for k, v in r.items()} for r in rows]).to_excel(xw, sheet_name=name, index=False)
    p = loandesk("import-list", str(path), "--sheet", "名单", "--json", home=home)
    assert p.returncode == 0 and json.loads(p.stdout)["imported"] == 3
    p = loandesk("import-list", str(path), "--sheet", "Sheet9", home=home)
    assert p.returncode == 2 and "Sheet9" in p.stderr
    p = loandesk("import-list", str(write_list(tmp_path / "l.csv", records(2))), "--sheet", "名单", home=home)
    assert p.returncode == 2 and "--sheet" in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_a_teller_may_not_import_a_list(home, tmp_path):
    p = loandesk("import-list", str(write_list(tmp_path / "l.csv", records(2))), home=home, user="teller")
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
    p = loandesk("import-list", str(write_list(tmp_path / "l.csv", records(2))), home=home, user="officer")
    assert p.returncode == 0, p.stderr


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from loandesk.security.session import sign_in
    from loandesk.storage import enterprise_import
    enterprise_import.BATCH = 500  # several batches, so the kill lands between two of them
    session = sign_in(Path(sys.argv[1]), "admin", "demo")
    marker = Path(sys.argv[3])
    def progress(done, total):
        if done >= 1000:  # two batches written inside the open transaction
            marker.write_text("mid-import")
            time.sleep(60)
    enterprise_import.import_file(session.store, sys.argv[2], progress=progress)
""")


def test_sigkill_mid_import_leaves_the_store_as_it_was(home, tmp_path):
    first = write_list(tmp_path / "first.csv", records(50, seed=30))
    assert loandesk("import-list", str(first), home=home).returncode == 0
    before = snapshot(home)
    rows = records(3000, seed=31)
    rows[0]["credit_code"] = records(50, seed=30)[0]["credit_code"]  # an update too
    big = write_list(tmp_path / "big.csv", rows)
    marker = tmp_path / "marker"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(home), str(big), str(marker)], env=as_user("admin"))
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None and time.monotonic() < deadline, "the import ended before the kill"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    assert snapshot(home) == before
    # and the store still takes the whole list afterwards
    p = loandesk("import-list", str(big), "--json", home=home)
    assert json.loads(p.stdout)["imported"] == 2999


def test_cancel_rolls_the_whole_import_back(home, tmp_path, monkeypatch):
    from loandesk.storage import enterprise_import

    monkeypatch.setattr(enterprise_import, "BATCH", 200)
    store = open_store(home)
    try:
        import_file(store, write_list(tmp_path / "a.csv", records(30, seed=40)))
        store.close()
        before = snapshot(home)
        store = open_store(home)

        def cancel(done, total):
            if done >= 400:
                raise ImportCancelled

        with pytest.raises(ImportCancelled):
            import_file(store, write_list(tmp_path / "b.csv", records(1000, seed=41)), progress=cancel)
    finally:
        store.close()
    assert snapshot(home) == before
