"""The Sync menu, panel and status bar against a real hub process on loopback: enrol from the panel, see
what waits by type, sync with progress, see the last sync; the status bar goes offline when the hub
stops, background sync backs off (small injected intervals) and recovers when the hub is back."""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "hub"))  # the hub tests' real hub processes

from fault_proxy import restart_hub
from hubs import HubProcess, loandesk

BRANCH = "330106-77"


@pytest.fixture
def hub(tmp_path, monkeypatch):
    from loandesk.hub.sealing import ENV_KEY_FILE

    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path / "hub.key"))  # never the user's config folder
    started = [HubProcess(f"sqlite:///{tmp_path}/hub.db")]
    yield started
    for hub in started:
        if hub.proc.poll() is None:
            hub.stop()


def captured_home(home: Path, count: int, scan: Path | None = None) -> Path:
    """``count`` demo applications; with ``scan``, that file attached to the first one."""
    from loandesk import demo
    from loandesk.storage import Store, attachments

    store = Store.open(home)
    try:
        made = demo.populate(store, count)
        if scan is not None:
            attachments.add_attachment(store, made[0], "business_licence", scan)
    finally:
        store.close()
    return home


def enrol_in_panel(window, qtbot, hub: HubProcess):
    qtbot.waitUntil(window.sync_menu.enrol_action.isEnabled, timeout=10_000)  # the permission is asked of the store
    window.sync_menu.enrol_action.trigger()
    panel = window.sync_menu.panel
    dialog = panel.enrol_dialog
    dialog.url.setText(hub.url)
    dialog.code.setText(hub.code(BRANCH))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.sync_controller.enrolled, timeout=20_000)
    return panel


def rows(table) -> list[list[str]]:
    items = [table.topLevelItem(i) for i in range(table.topLevelItemCount())]
    return [[item.text(c) for c in range(table.columnCount())] for item in items]


def test_the_panel_shows_what_waits_then_the_last_sync_after_a_real_sync(open_window, home, qtbot, hub, tmp_path):
    scan = tmp_path / "licence.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned licence " * 4000)
    window = open_window(captured_home(home, 3, scan))
    # each captured application: its enterprise, itself and the borrower's consent record; the scan's record
    assert window.unsynced_label.text() == "Unsynced: 10" and window.online_label.text() == "Offline"
    assert not window.sync_menu.sync_action.isEnabled()  # nothing to sync with until enrolled
    panel = enrol_in_panel(window, qtbot, hub[0])
    qtbot.waitUntil(lambda: panel.branch_value.text() == BRANCH, timeout=10_000)
    assert panel.device_value.text() == window.sync_controller.status.device_id and panel.last_value.text() == "Never"
    waiting = rows(panel.unsent)
    assert sorted((r[0], r[1]) for r in waiting) == [("Applications", "3"), ("Attachments", "1"),
                                                          ("Consent records", "3"), ("Enterprises", "3"),
                                                          ("Files (attachments, visit photos)", "1")]  # fmt: skip
    assert all(r[3] == "0 min" for r in waiting[:-1])  # saved just now (the pinned clock); the file after them
    assert "Waiting to be sent: 11" in panel.unsent_title.text()

    finished = []
    window.sync_controller.finished.connect(finished.append)
    progress = []
    window.sync_controller.progress.connect(lambda d, t: progress.append((d, t)))
    window.sync_menu.sync_action.trigger()  # F9
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert finished[0].applied == 10 and finished[0].unsent == 0 and progress[-1] == (10, 10)
    assert finished[0].files == 1 and finished[0].files_waiting == 0  # the scan went after its record
    qtbot.waitUntil(lambda: panel.last_value.text() not in ("Never", ""), timeout=10_000)
    assert rows(panel.unsent) == [] and "Waiting to be sent: 0" in panel.unsent_title.text()
    assert panel.reach_value.text() == "Yes" and panel.progress_text.text().startswith("Sent 10")
    qtbot.waitUntil(lambda: window.unsynced_label.text() == "Unsynced: 0", timeout=10_000)
    assert window.online_label.text() == "Online" and window.sync_status.last_label.text().startswith("Last sync: ")
    on_hub = json.loads(loandesk("hub", "list", "applications", "--db", hub[0].db, "--json", "--branch",
                                 BRANCH).stdout)  # fmt: skip
    assert len(on_hub) == 3 and sorted((a["attachments"], a["attachments_pending"]) for a in on_hub) == [
        (0, 0), (0, 0), (1, 0)]  # the scan arrived whole


def test_offline_when_the_hub_stops_backs_off_and_recovers(open_window, home, qtbot, hub, in_store):
    from loandesk import demo
    from loandesk.core.permissions import Actor

    window = open_window(captured_home(home, 2))
    controller = window.sync_controller
    # Small intervals, injected: a success waits 0.3 s, failures 0.2 s doubling to at most 1.6 s.
    controller.idle_interval, controller.first_delay = 0.3, 0.1
    controller.backoff.base, controller.backoff.cap, controller.backoff.rng = 0.2, 1.6, random.Random(7)
    enrol_in_panel(window, qtbot, hub[0])
    qtbot.waitUntil(lambda: window.unsynced_label.text() == "Unsynced: 0", timeout=30_000)  # in the background
    assert window.online_label.text() == "Online"

    delays = []
    controller.scheduled.connect(delays.append)
    hub[0].stop()
    qtbot.waitUntil(lambda: window.online_label.text() == "Offline", timeout=20_000)
    qtbot.waitUntil(lambda: controller.backoff.failures >= 6, timeout=30_000)
    failures = delays[-5:]  # the waits after the 2nd..6th failures in a row
    assert all(0.1 <= d <= 1.6 for d in failures)  # jittered, bounded by the cap
    assert failures[-1] >= 0.8 > 0.4 >= min(delays)  # grown from 0.1..0.2 after the first failure to the cap's half
    assert len({round(d, 6) for d in failures}) == len(failures)  # jitter: no two waits alike

    panel = window.sync_menu.show_panel()
    qtbot.waitUntil(lambda: panel.reach_value.text() == "No", timeout=10_000)
    assert panel.last_value.text() not in ("Never", "")  # the last success is still shown

    # the window stays usable offline: a save is kept and counted
    def capture(store) -> None:  # as a loan officer would (an administrator may not capture)
        admin, store.actor = store.actor, Actor("li", "officer", "李明")
        try:
            demo.populate(store, 1, seed=99)
        finally:
            store.actor = admin

    in_store(window, capture)
    window.refresh_status()
    qtbot.waitUntil(lambda: window.unsynced_label.text() == "Unsynced: 3", timeout=10_000)

    hub.append(restart_hub(hub[0]))
    qtbot.waitUntil(lambda: window.online_label.text() == "Online", timeout=20_000)
    qtbot.waitUntil(lambda: window.unsynced_label.text() == "Unsynced: 0", timeout=20_000)
    assert controller.backoff.failures == 0  # reset on success
    qtbot.waitUntil(lambda: panel.reach_value.text() == "Yes" and panel.error_value.text() == "—", timeout=10_000)
    on_hub = json.loads(loandesk("hub", "list", "applications", "--db", hub[0].db, "--json", "--branch",
                                 BRANCH).stdout)  # fmt: skip
    assert len(on_hub) == 3


def test_a_cloned_home_sees_the_hubs_reasons_for_what_it_set_aside(open_window, tmp_path, qtbot, hub):
    from loandesk.storage import Store
    from loandesk.sync import run

    original = captured_home(tmp_path / "a", 2)
    clone = tmp_path / "b"
    shutil.copytree(original, clone)  # a laptop image copied onto a second machine
    store = Store.open(original)
    try:
        run.enroll(store, hub[0].url, hub[0].code(BRANCH))
        assert run.sync_once(store).applied == 6  # 2 enterprises, applications, consents
    finally:
        store.close()
    window = open_window(clone)
    panel = enrol_in_panel(window, qtbot, hub[0])
    finished = []
    window.sync_controller.finished.connect(finished.append)
    panel.sync_button.click()
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    qtbot.waitUntil(lambda: panel.quarantine.topLevelItemCount() == 6, timeout=10_000)
    held = rows(panel.quarantine)
    assert {r[0] for r in held} == {"Applications", "Consent records", "Enterprises"}
    assert {r[3] for r in held} == {"The hub holds this operation with other content (was this data home copied "
                                    "from another computer?)"}  # fmt: skip
    assert panel.quarantine.topLevelItem(0).toolTip(3) == "operation id reused with other content"  # as given
    # the reference numbers people quote (a consent record: its application's)
    assert sorted(r[1][:2] for r in held) == ["A-", "A-", "A-", "A-", "E-", "E-"]
    assert "Set aside by the hub: 6" in panel.quarantine_title.text() and rows(panel.unsent) == []
    assert panel.progress_text.text() == "Sent 0, set aside 6, still waiting 6."
    qtbot.waitUntil(lambda: window.unsynced_label.text() == "Unsynced: 6", timeout=10_000)  # kept, never dropped

    # Export (personal data masked), then send one again with a field corrected, as `loandesk quarantine` does
    actions = panel.quarantine_actions
    target = tmp_path / "held.json"
    actions.export(str(target))
    qtbot.waitUntil(lambda: "Exported 6" in actions.message.text(), timeout=10_000)
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert len(exported) == 6 and all(e["reason"] == "operation id reused with other content" for e in exported)
    phones = [e["payload"]["legal_rep_phone"] for e in exported if "legal_rep_phone" in e["payload"]]
    assert phones and all("****" in p for p in phones)
    assert not actions.retry_button.isEnabled()  # nothing chosen yet
    row = next(i for i, r in enumerate(rows(panel.quarantine)) if r[0] == "Enterprises")
    panel.quarantine.setCurrentItem(panel.quarantine.topLevelItem(row))
    dialog = actions.retry()
    dialog.field.setCurrentIndex(dialog.field.findData("employees"))
    dialog.value.setText("many")
    dialog.ok_button.click()
    assert dialog.isVisible() and "not a whole number" in dialog.message.text()  # said what and where
    dialog.value.setText("31")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: panel.quarantine.topLevelItemCount() == 5, timeout=10_000)
    assert "Queued again" in actions.message.text()
    finished.clear()
    panel.sync_button.click()
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert finished[0].applied >= 1  # the corrected enterprise went as a new operation


def test_cancel_stops_after_the_batch_in_flight_and_keeps_the_rest(open_window, home, qtbot, hub):
    from fault_proxy import FaultProxy

    from loandesk.storage import Store
    from loandesk.sync import run

    captured_home(home, 10)  # 30 operations
    proxy = FaultProxy(hub[0].port)
    try:
        store = Store.open(home)
        try:
            run.enroll(store, proxy.url, hub[0].code(BRANCH))
        finally:
            store.close()
        window = open_window(home)
        controller = window.sync_controller
        controller.batch = 5
        controller.idle_interval = 3600  # no background attempt after this one
        qtbot.waitUntil(lambda: controller.enrolled, timeout=10_000)
        proxy.stall_down = b"POST /v1/push"  # the first batch's answer waits
        window.sync_menu.sync_now()
        panel = window.sync_menu.panel
        qtbot.waitUntil(lambda: proxy.stats["held"] > 0, timeout=20_000)
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
        assert window.online_label.text() == "Syncing…"
        running = controller.state
        assert controller.sync_now() is running and panel.sync_button.isEnabled() is False  # never two at once
        controller._tick()  # a background attempt now starts nothing either
        assert controller.state is running and not controller._probing
        finished = []
        controller.finished.connect(finished.append)
        panel.cancel_button.click()
        assert panel.progress_text.text() == "Cancelling after this batch…"
        proxy.calm()  # the answer arrives; the run stops there
        qtbot.waitUntil(lambda: bool(finished), timeout=20_000)
        assert finished[0].cancelled and finished[0].applied == 5 and finished[0].unsent == 25
        assert panel.progress_text.text() == "Cancelled: sent 5, set aside 0, still waiting 25."
        assert not panel.cancel_button.isVisible() and panel.sync_button.isEnabled()
        qtbot.waitUntil(lambda: window.unsynced_label.text() == "Unsynced: 25", timeout=10_000)
        assert panel.last_value.text() == "Never"  # a cancelled run is not a successful sync
    finally:
        proxy.close()


def test_only_an_administrator_may_enrol(window, qtbot, in_store, hub):
    from loandesk.core.permissions import Actor

    qtbot.waitUntil(window.sync_menu.enrol_action.isEnabled, timeout=10_000)  # the store opened with its key
    assert window.sync_menu.enrol_action.isVisible()  # acts as the system
    in_store(window, lambda store: setattr(store, "actor", Actor("zhang", "teller", "张柜员")))
    window.sync_menu.check_permission()
    qtbot.waitUntil(lambda: not window.sync_menu.enrol_action.isVisible(), timeout=10_000)
    panel = window.sync_menu.show_panel()
    assert not panel.enrol_button.isVisible()
    refused = []
    window.sync_controller.enroll(hub[0].url, hub[0].code(BRANCH), refused.append, refused.append)
    qtbot.waitUntil(lambda: bool(refused), timeout=10_000)
    assert refused == ["zhang (teller) may not enrol this device"] and not window.sync_controller.enrolled


def test_the_enrol_dialog_says_what_is_wrong_and_where(window, qtbot, hub):
    qtbot.waitUntil(window.sync_menu.enrol_action.isEnabled, timeout=10_000)
    window.sync_menu.enrol_action.trigger()
    dialog = window.sync_menu.panel.enrol_dialog
    dialog.url.setText("hub.example:8800")
    dialog.code.setText("ABCD-1234")
    dialog.ok_button.click()
    assert dialog.message.text() == "Hub address: give it as http://HOST:PORT or https://…"
    dialog.url.setText(hub[0].url)
    dialog.code.setText("ab")
    dialog.ok_button.click()
    assert dialog.message.text() == "Enrolment code: enter the code head office gave you."
    dialog.code.setText("WRONG-CODE-1")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Not enrolled: the hub refused (401)"), timeout=20_000)
    assert "\n" not in dialog.message.text() and dialog.ok_button.isEnabled() and dialog.isVisible()
    assert not window.sync_controller.enrolled and window.online_label.text() == "Offline"
