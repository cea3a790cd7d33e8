"""Sync > Conflicts…: the same enterprise name edited on two real device homes of a branch against a real
hub lands in B's conflict inbox; an officer resolves it in the window (a typed value), syncs from the
window, and device A receives the chosen value. An administrator sees the core's refusal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "hub"))  # the hub tests' real hubs and device homes

from hubs import HubProcess
from sync_homes import conflicts, edit, new_home, record, sync

GUI_USER = "officer"  # resolving a conflict is editing the record: a loan officer's work
BRANCH = "330106-91"


@pytest.fixture
def hub(tmp_path, monkeypatch):
    from loandesk.hub.sealing import ENV_KEY_FILE

    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path / "hub.key"))  # never the user's config folder
    started = HubProcess(f"sqlite:///{tmp_path}/hub.db")
    yield started
    started.stop()


@pytest.fixture
def conflicted(hub, tmp_path):
    """Homes A and B of one branch, the enterprise name changed on both; B holds the conflict."""
    a, b = new_home(tmp_path / "a", demo=1, seed=41), new_home(tmp_path / "b")
    sync(a, hub, BRANCH)
    sync(b, hub, BRANCH)
    ref = record_ref(a)
    edit(a, ref, enterprise_name="杭州甲方科技有限公司", legal_rep_phone="13900002222")
    edit(b, ref, enterprise_name="杭州乙方科技有限公司", legal_rep_phone="13900003333")
    assert sync(a)["rc"] == 0
    assert sync(b)["conflicts"] == 2  # the name and the phone: both changed on both sides
    return a, b, ref


def record_ref(home: Path) -> str:
    from sync_homes import applications

    return applications(home)[0]["ref"]


def cells(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def open_inbox(window, qtbot, rows: int):
    qtbot.waitUntil(lambda: window.conflict_menu.action.isEnabled(), timeout=10_000)
    qtbot.waitUntil(lambda: window.conflict_menu.count == rows, timeout=10_000)
    inbox = window.conflict_menu.show_inbox()
    qtbot.waitUntil(lambda: inbox.model.rowCount() == rows, timeout=10_000)
    return inbox


def test_resolving_in_the_inbox_reaches_the_other_device(open_window, conflicted, hub, qtbot):
    a, b, ref = conflicted
    window = open_window(b)
    inbox = open_inbox(window, qtbot, 2)
    assert window.conflict_menu.action.text() == "&Conflicts (2)…"
    shown = {row[1]: row for row in cells(inbox.model)}
    name = shown["Enterprise name"]
    assert name[0].startswith("E-") and (name[2], name[3]) == ("杭州乙方科技有限公司", "杭州甲方科技有限公司")
    assert name[4] and name[5] != "—"  # the other device, and when it was changed here
    phone = next(row for field, row in shown.items() if field != "Enterprise name")
    assert "13900003333" not in phone[2] and "13900002222" not in phone[3]  # personal data masked
    assert phone[2].startswith("139") and phone[2].endswith("3333")
    assert inbox.keep_local.isEnabled()

    row = [r[1] for r in cells(inbox.model)].index("Enterprise name")
    inbox.table.selectRow(row)
    inbox.keep_value.click()  # nothing typed: said where, nothing saved
    assert inbox.message.text() == "Enterprise name: type the value to keep first."
    inbox.value.setText("杭州丙方科技有限公司")
    inbox.keep_value.click()
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1, timeout=10_000)
    assert "your choice is saved" in inbox.message.text()
    inbox.table.selectRow(0)
    inbox.keep_remote.click()  # the phone: the other side's number stays
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.conflict_menu.action.text() == "&Conflicts…", timeout=10_000)

    finished, failed = [], []
    window.sync_controller.finished.connect(finished.append)
    window.sync_controller.failed.connect(failed.append)
    window.sync_controller.sync_now()
    qtbot.waitUntil(lambda: bool(finished or failed), timeout=30_000)
    assert not failed and finished[0].unsent == 0 and finished[0].conflicts == 0
    window.close()
    assert sync(a)["rc"] == 0
    now = record(a, ref)
    assert (now["enterprise_name"], now["legal_rep_phone"]) == ("杭州丙方科技有限公司", "13900002222")
    assert conflicts(a) == [] and conflicts(b) == []


def test_an_administrator_sees_the_cores_reason_and_cannot_resolve(open_window, conflicted, qtbot):
    _a, b, _ref = conflicted
    window = open_window(b, user="admin")
    inbox = open_inbox(window, qtbot, 2)
    qtbot.waitUntil(lambda: "may not" in inbox.message.text(), timeout=10_000)
    assert "admin" in inbox.message.text()  # the core's own words: who, and what they may not do
    assert not any(w.isEnabled() for w in (inbox.keep_local, inbox.keep_remote, inbox.keep_value))
    window.close()
    assert len(conflicts(b)) == 2  # nothing changed
