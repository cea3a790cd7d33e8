"""memo --all-pending survives being killed: a rerun produces every memo the first run would have.

The kills are real SIGKILLs of a real ``loandesk`` process (no clean-up code runs), once at the
worst moment (a memo saved in the store, its file not yet written) and once wherever it lands.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
from memo_support import add_decision, make_store

from loandesk.memo import service
from loandesk.storage import memos as repo
from users_support import open_store, with_demo_users

# Runs the real CLI, killing itself (SIGKILL) just before it writes its second memo file: the second
# memo is then saved in the store and its file is not in the folder.
KILL_BEFORE_SECOND_FILE = """
import os, signal, sys
import loandesk.commands.memos as memos
from loandesk.cli import main

real_write, pdfs = memos._write, []

def write(path, data):
    if path.suffix == ".pdf":
        pdfs.append(path)
        if len(pdfs) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    real_write(path, data)

memos._write = write
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(autouse=True)
def signed_in_officer(monkeypatch):
    monkeypatch.setenv("LOANDESK_USER", "officer")  # issuing memos is the officer's work

def _scored_home(tmp_path, count):
    store, app_ids = make_store(tmp_path, count)
    for a in app_ids:
        add_decision(store, a)
    refs = [store.application(a).ref for a in app_ids]
    home = store.home
    store.close()
    return with_demo_users(home), refs


def _batch(home, out_dir, *extra):
    return [sys.executable, *extra, "-m", "loandesk", "--home", str(home), "memo", "--all-pending",
            "--out-dir", str(out_dir)]  # fmt: skip


def _check_every_memo_is_in(home, out_dir, refs):
    """One memo per application in the store, its file in ``out_dir``, byte for byte as issued."""
    store = open_store(home)
    try:
        for ref in refs:
            app_id = store.application_record(ref)["id"]
            memos = repo.memos_for(store, app_id)
            assert len(memos) == 1, (ref, memos)  # the rerun issued nothing twice
            files = list(out_dir.glob(f"{ref}_*.pdf"))
            assert len(files) == 1, (ref, files)
            assert service.verify_file(store, files[0]).ok
        assert service.pending_application_ids(store) == []
    finally:
        store.close()
    assert not list(out_dir.glob(".*"))  # no plan file and no half-written .part file left behind


def test_a_memo_saved_but_killed_before_its_file_is_written_by_the_rerun(tmp_path):
    home, refs = _scored_home(tmp_path, 4)
    out_dir = tmp_path / "out"
    killed = subprocess.run([sys.executable, "-c", KILL_BEFORE_SECOND_FILE, *_batch(home, out_dir)[3:]],
                            capture_output=True, text=True)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(list(out_dir.glob("*.pdf"))) == 1  # the first file; the second memo is saved, its file is not
    store = open_store(home)
    assert len(service.pending_application_ids(store)) == 2  # two saved: by the store, only two are pending
    store.close()

    rerun = subprocess.run(_batch(home, out_dir), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert [w["application"] for w in report["written"]] == [refs[1]]  # from the stored PDF, not issued again
    assert [i["application"] for i in report["issued"]] == refs[2:]
    _check_every_memo_is_in(home, out_dir, refs)


def test_a_batch_killed_wherever_it_is_completes_on_the_rerun(tmp_path):
    home, refs = _scored_home(tmp_path, 6)
    out_dir = tmp_path / "out"
    proc = subprocess.Popen(_batch(home, out_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out_dir.glob("*.pdf")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)  # mid-batch (or, on a fast machine, just after the last memo)
    proc.wait()
    rerun = subprocess.run(_batch(home, out_dir), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    _check_every_memo_is_in(home, out_dir, refs)
    # and a third run finds nothing left to do
    again = json.loads(subprocess.run(_batch(home, out_dir), capture_output=True, text=True, check=True).stdout)
    assert again == {"issued": [], "written": [], "failed": []}
