"""A head-office decision (``loandesk hub decide``) reaches the device by a sync started in the window and
shows in the score panel beside the branch's own decision, and at the top of the memo dialog. Real hub
process on loopback, real device home."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "hub"))  # the hub tests' real hubs and device homes

from hubs import HubProcess, loandesk
from sync_homes import new_home, sync

GUI_USER = "officer"  # prints the memo
BRANCH = "330106-92"


@pytest.fixture
def hub(tmp_path, monkeypatch):
    from loandesk.hub.sealing import ENV_KEY_FILE

    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path / "hub.key"))  # never the user's config folder
    started = HubProcess(f"sqlite:///{tmp_path}/hub.db")
    yield started
    started.stop()


def test_a_head_office_decision_reaches_the_window_and_shows(open_window, hub, tmp_path, qtbot):
    home = new_home(tmp_path / "a", demo=1, seed=51)
    assert sync(home, hub, BRANCH)["rc"] == 0
    window = open_window(home)
    window.show_page(1)
    qtbot.waitUntil(lambda: window.application_model.rowCount() > 0, timeout=10_000)
    window.application_page.view.setCurrentIndex(window.application_model.index(0, 0))
    ref = window.application_model.row_dict(0)["ref"]
    label = window.decision_dock.panel.head_office_label
    qtbot.wait(500)
    assert label.isHidden()  # head office has not decided yet

    loandesk("hub", "decide", ref, "--approve", "--limit", "450000", "--by", "总行授信部 王总", "--note", "按期复核",
             "--db", hub.db)  # fmt: skip
    finished, failed = [], []
    window.sync_controller.finished.connect(finished.append)
    window.sync_controller.failed.connect(failed.append)
    window.sync_controller.sync_now()
    qtbot.waitUntil(lambda: bool(finished or failed), timeout=30_000)
    assert not failed and finished[0].decisions == 1
    window.refresh()  # as after any change: the lists reload and the panel follows the selection
    qtbot.waitUntil(lambda: label.isVisible() and bool(label.text()), timeout=10_000)
    assert label.text().startswith("Head office approved on ") and "(总行授信部 王总)" in label.text()
    assert "limit 450,000 yuan" in label.text() and "Note: 按期复核" in label.text()

    actions = window.application_actions
    actions.memo_action.trigger()
    qtbot.waitUntil(lambda: bool(actions.memo_dialogs), timeout=30_000)
    dialog = actions.memo_dialogs[-1]
    qtbot.waitUntil(lambda: dialog.head_office.isVisible(), timeout=10_000)
    assert dialog.head_office.text() == label.text()
