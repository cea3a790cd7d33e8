"""Nothing typed is lost: a process killed with SIGKILL mid-edit offers its draft back on restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from draft_child import TYPED

from loandesk.storage import Store

CHILD = Path(__file__).with_name("draft_child.py")


def wait_for_draft(home: Path, deadline: float) -> dict:
    store = None
    try:
        while time.monotonic() < deadline:
            if store is None and (home / "loandesk.db").exists():
                store = Store.open(home)  # a second reader beside the child (WAL)
            drafts = store.drafts() if store else []
            if drafts and drafts[0]["payload"]["form"].get("legal_rep_phone") == TYPED["legal_rep_phone"]:
                return drafts[0]
            time.sleep(0.2)
    finally:
        if store:
            store.close()
    raise AssertionError("no autosaved draft appeared")


def test_draft_survives_sigkill_and_is_offered_back(home, open_window, qtbot):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, str(CHILD), str(home)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "typed"
        draft = wait_for_draft(home, time.monotonic() + 30)
        assert child.poll() is None  # still running: the draft came from autosave, not from a clean exit
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    assert draft["payload"]["form"]["enterprise_name"] == TYPED["enterprise_name"]

    window = open_window(home, offer_drafts=True)
    qtbot.waitUntil(lambda: window.drafts_dialog is not None and window.drafts_dialog.isVisible(), timeout=10_000)
    dialog = window.drafts_dialog
    assert dialog.list.count() == 1
    assert dialog.list.item(0).text().startswith(TYPED["enterprise_name"] + " — new intake, last edited ")
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: len(window.forms) == 1)
    form = window.forms[0]
    for name, text in TYPED.items():
        assert form.editors[name].text() == text
    assert form.windowTitle() == "New intake"
    # The restored draft is still a draft until saved: it is kept under the same key.
    assert form.draft_key == draft["key"]
