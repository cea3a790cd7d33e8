"""Teller mode and field mode on the real window: the counter's path by keyboard alone (F2 look up, F3 new
application, F4 score, F5 memo, Esc back), large type, the function-key strip, the mode remembered per
user in the store's settings; field mode's start page with Record visit and the sync state up front."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_application_actions import saved_applications

from loandesk.core.permissions import Actor
from loandesk.demo import demo_record
from loandesk.storage import Store
from loandesk.storage import cultivation as cv
from loandesk.ui import mode_switch
from loandesk.ui.teller_mode import scale_font


@pytest.fixture(autouse=True)
def normal_size():
    yield
    scale_font(False)  # the next test starts at the normal size whatever happened here


def active(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def press(qtbot, key) -> None:
    qtbot.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), key)


def test_teller_mode_large_type_keys_strip_and_remembered(home, open_window, qtbot, in_store):
    base = QApplication.font().pointSizeF()
    window = open_window(home, user="officer")  # an officer at the counter for a day chooses the counter layout
    switch = window.mode_switch
    assert [a.text() for a in switch.menu.actions()] == ["&Standard", "&Teller (counter)", "&Field (visits)"]
    assert not switch.teller.strip.isVisible() and not switch.teller.score_action.isEnabled()
    switch.actions["teller"].trigger()
    assert switch.mode == "teller"
    assert abs(QApplication.font().pointSizeF() - base * 1.3) < 0.01  # the form and dialogs grow too
    assert switch.teller.strip.isVisible()
    assert [a.text() for a in switch.teller.strip.actions()] == ["F2 Look up", "F3 New application", "F4 Score",
                                                                  "F5 Print memo", "Esc Back"]  # fmt: skip
    assert all(a.isEnabled() for a in switch.teller.keys)  # an officer captures and scores: every key works
    assert window.current_page() is window.application_page
    assert QApplication.focusWidget() is window.application_page.search  # ready to look the customer up
    # kept for the signed-in user, not for the device
    qtbot.waitUntil(lambda: in_store(window, lambda s: s.setting("ui_mode:officer")) == "teller")
    assert in_store(window, lambda s: s.setting("ui_mode")) is None
    window.close()

    again = open_window(home, user="officer")  # the officer's next start: the counter layout again
    qtbot.waitUntil(lambda: again.mode_switch.mode == "teller")
    assert again.mode_switch.actions["teller"].isChecked() and again.mode_switch.teller.strip.isVisible()
    again.mode_switch.set_mode("standard")
    assert abs(QApplication.font().pointSizeF() - base) < 0.01 and not again.mode_switch.teller.strip.isVisible()
    assert not any(a.isEnabled() for a in again.mode_switch.teller.keys)  # the keys are teller mode's only
    again.close()

    other = open_window(home, user="approver")  # another user on the same laptop: their own (standard) layout
    qtbot.wait(300)
    assert other.mode_switch.mode == "standard" and not other.mode_switch.teller.strip.isVisible()


def test_a_tellers_first_sign_in_opens_the_counter_layout(home, open_window, qtbot):
    base = QApplication.font().pointSizeF()
    window = open_window(home, user="teller")
    switch = window.mode_switch
    qtbot.waitUntil(lambda: switch.mode == "teller")
    assert switch.actions["teller"].isChecked() and switch.teller.strip.isVisible()
    assert abs(QApplication.font().pointSizeF() - base * 1.3) < 0.01
    keys = switch.teller
    # a teller captures, looks up and prints; scoring is an officer's: F4 greyed out with the core's reason
    assert keys.lookup_action.isEnabled() and keys.new_action.isEnabled() and keys.memo_action.isEnabled()
    assert not keys.score_action.isEnabled()
    assert keys.score_action.toolTip() == "teller (teller) may not score applications"  # the core's refusal
    switch.set_mode("standard")  # the teller may leave it, and the keys go with it
    assert not any(a.isEnabled() for a in keys.keys)
    switch.set_mode("teller")
    assert keys.new_action.isEnabled() and not keys.score_action.isEnabled()


def switch_user(window, qtbot, user: str) -> None:
    from loandesk.demo import DEMO_PASSWORD

    account = window.account
    # the menu's actions come on once the window has taken the session in; a busy machine takes its time
    qtbot.waitUntil(lambda: account.switch_action.isEnabled() and account.runner.session is not None, timeout=30_000)
    account.switch_action.trigger()
    qtbot.waitUntil(lambda: account.login_dialog is not None, timeout=30_000)  # after every queued job
    dialog = account.login_dialog
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.store_ready, timeout=20_000):
        dialog.ok_button.click()


def test_the_keys_follow_the_user_who_signs_in(home, open_window, qtbot):
    window = open_window(home, user="teller")
    switch, keys = window.mode_switch, window.mode_switch.teller
    qtbot.waitUntil(lambda: switch.mode == "teller", timeout=20_000)
    assert not keys.score_action.isEnabled()
    switch_user(window, qtbot, "officer")  # the officer takes over the counter laptop: his own layout
    qtbot.waitUntil(lambda: switch.mode == "standard", timeout=20_000)
    assert not any(a.isEnabled() for a in keys.keys) and not keys.strip.isVisible()
    switch.set_mode("teller")
    assert all(a.isEnabled() for a in keys.keys)  # F4 scores for an officer
    switch_user(window, qtbot, "teller")  # and back: the teller's counter layout, F4 greyed out again
    qtbot.waitUntil(lambda: window.runner.session is not None and window.runner.session.actor.username == "teller",
                    timeout=20_000)  # a real sign-in (Argon2) on a busy machine
    qtbot.waitUntil(lambda: switch.mode == "teller", timeout=20_000)
    assert keys.lookup_action.isEnabled() and keys.new_action.isEnabled() and not keys.score_action.isEnabled()


def scored_with_memo(home, count: int = 2) -> list[str]:
    """Saved applications, the first scored by the officer with its memo issued (what a teller prints)."""
    from loandesk.approvals.service import record
    from loandesk.demo import DEMO_PASSWORD
    from loandesk.memo import service as memos
    from loandesk.security import session as sessions
    from users_support import with_demo_users

    saved_applications(home, count)
    with_demo_users(home)
    session = sessions.sign_in(home, "officer", DEMO_PASSWORD)
    try:
        store = session.store
        ids = store.all_application_ids()
        refs = [store.application(i).ref for i in ids]
        record(store, ids[0])
        memos.memo_for_output(store, ids[0], "en")
    finally:
        session.close()
    return refs


def test_the_counter_path_by_keyboard_alone(home, open_window, qtbot):
    refs = scored_with_memo(home, 2)
    window = open_window(home, user="teller")
    qtbot.waitUntil(lambda: window.mode_switch.mode == "teller")  # a teller's own layout
    active(window, qtbot)
    qtbot.waitUntil(lambda: window.application_model.rowCount() == 2, timeout=15_000)
    ref = refs[0]
    press(qtbot, Qt.Key.Key_F2)
    search = window.application_page.search
    assert QApplication.focusWidget() is search
    qtbot.keyClicks(search, ref)
    press(qtbot, Qt.Key.Key_Return)  # to the list, on the one found
    qtbot.waitUntil(lambda: window.application_model.rowCount() == 1, timeout=15_000)  # a busy shared machine
    assert QApplication.focusWidget() is window.application_page.view
    assert window.application_actions.selected()[1] == ref

    actions = window.application_actions
    keys = window.mode_switch.teller
    press(qtbot, Qt.Key.Key_F4)  # scoring is the officer's: the key is greyed out and says why
    qtbot.wait(200)
    assert actions.record_dialog is None or not actions.record_dialog.isVisible()
    assert not keys.score_action.isEnabled()
    assert keys.score_action.toolTip() == "teller (teller) may not score applications"
    assert keys.strip.widgetForAction(keys.score_action).toolTip() == keys.score_action.toolTip()

    active(window, qtbot)
    window.application_page.view.setFocus()
    press(qtbot, Qt.Key.Key_F5)  # the credit memo the officer issued: preview, print
    qtbot.waitUntil(lambda: bool(actions.memo_dialogs), timeout=30_000)
    memo = actions.memo_dialogs[-1]
    qtbot.waitUntil(memo.print_button.isEnabled, timeout=30_000)
    memo.close()

    active(window, qtbot)
    window.application_page.view.setFocus()
    press(qtbot, Qt.Key.Key_Escape)  # back to the look-up, where the typed search is cleared by a second Esc
    assert QApplication.focusWidget() is search and search.text() == ref
    press(qtbot, Qt.Key.Key_Escape)
    assert search.text() == ""

    press(qtbot, Qt.Key.Key_F3)  # the next customer: a new application
    qtbot.waitUntil(lambda: len(window.forms) == 1)
    form = window.forms[0]
    qtbot.waitExposed(form)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    press(qtbot, Qt.Key.Key_F5)  # not saved yet: the key says what to do first
    assert said and said[-1] == "Save the intake first (Ctrl+S); then F4 scores it."


def test_an_officer_scores_at_the_counter_with_f4(home, open_window, qtbot):
    saved_applications(home, 1)
    window = open_window(home, user="officer")
    window.mode_switch.set_mode("teller")
    active(window, qtbot)
    qtbot.waitUntil(lambda: window.application_model.rowCount() == 1)
    ref = window.application_model.row_dict(0)["ref"]
    window.application_page.view.setFocus()
    window.application_page.view.selectRow(0)
    actions = window.application_actions
    press(qtbot, Qt.Key.Key_F4)  # score: the decision preview first
    qtbot.waitUntil(lambda: actions.record_dialog is not None and actions.record_dialog.isVisible(), timeout=20_000)
    dialog = actions.record_dialog
    assert dialog.windowTitle() == f"Record decision — {ref}"
    qtbot.waitUntil(dialog.record_button.isEnabled)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter keeps the decision (the default button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: window.application_model.rowCount() == 1 and
                    window.application_model.row_dict(0)["decision"] == "approve", timeout=10_000)  # fmt: skip


def test_the_mode_is_kept_per_signed_in_user(home):
    store = Store.open(home)
    try:
        assert mode_switch.read_mode(store) == "standard"
        mode_switch.save_mode(store, "field")
        store.actor = Actor("li", "officer", "李明")
        assert mode_switch.read_mode(store) == "standard"  # li has not chosen yet; the device's choice is not li's
        mode_switch.save_mode(store, "teller")
        assert store.setting("ui_mode:li") == "teller" and store.setting("ui_mode") == "field"
        store.actor = Actor("zhou", "teller", "周敏")
        assert mode_switch.read_mode(store) == "teller"  # a teller starts on the counter layout
        store.actor = Actor("li", "officer", "李明")
        assert mode_switch.read_mode(store) == "teller"
    finally:
        store.close()


def test_field_mode_puts_my_list_visits_and_sync_first(home, open_window, qtbot):
    store = Store.open(home, branch="HZ01")
    store.import_enterprises([{**demo_record(random.Random(2), i), "has_loan_history": False} for i in range(4)])
    cv.assign(store, "li", keys=[r[0] for r in store.db.execute("SELECT ref FROM enterprises")])
    store.close()
    window = open_window(home)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.mode_switch.set_mode("field")
    field = window.mode_switch.field
    page = window.cultivation_page
    assert window.current_page() is page and page.tabs.currentIndex() == 0
    assert field.bar.isVisible() and not window.decision_dock.isVisible()  # My list gets the width
    assert [a.text() for a in field.bar.actions() if a.text()][:3] == ["Record &visit… (F6)", "Sync now (F9)",
                                                                      "Sync panel…"]  # fmt: skip
    qtbot.waitUntil(lambda: field.state.text() == "Not enrolled with head office: all work is kept on this laptop")
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=10_000)
    field.visit_action.trigger()  # nothing chosen yet: says so
    assert said[-1] == "Choose an enterprise in the cultivation list first."
    page.view.setCurrentIndex(page.model.index(0, 0))
    field.visit_action.trigger()
    dialog = window.cultivation_actions.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    dialog.reject()
    window.mode_switch.set_mode("standard")
    assert not field.bar.isVisible() and window.decision_dock.isVisible()
