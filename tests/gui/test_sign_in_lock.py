"""The idle lock (a short interval here, 10 minutes in use), sign out and switch user, the status bar's
user, and "Change my password"."""

from __future__ import annotations

from intake_helpers import type_into
from PySide6.QtCore import Qt

from loandesk.demo import DEMO_PASSWORD
from loandesk.security import session as sessions
from loandesk.ui.idle_lock import IDLE_LOCK_MINUTES

NAME = "杭州恒瑞机械制造有限公司"


def drafted_names(window, in_store) -> list[str]:
    return [d["payload"]["form"].get("enterprise_name") for d in in_store(window, lambda store: store.drafts())]


def test_idle_lock_hides_the_work_keeps_the_draft_and_needs_the_same_password(home, open_window, qtbot, in_store):
    assert IDLE_LOCK_MINUTES == 10
    window = open_window(home, user="officer")
    idle = window.account.idle
    assert idle.timer.interval() == 10 * 60_000 and idle.timer.isActive()
    form = window.new_intake()
    qtbot.waitExposed(form)
    type_into(form, qtbot, "enterprise_name", NAME)
    idle.set_interval(300)  # no input from here on: the lock comes by itself
    qtbot.waitUntil(lambda: idle.locked, timeout=5_000)
    screen = idle.screen
    assert screen.isVisible() and screen.geometry() == window.rect()
    assert not form.isVisible() and form in window.forms  # hidden, not closed
    assert not window.centralWidget().isEnabled() and not window.menuBar().isEnabled()
    assert screen.who.text().startswith("Locked after 0.005 idle minutes.\n")
    assert "李明 (officer): type your password" in screen.who.text()
    qtbot.waitUntil(lambda: NAME in drafted_names(window, in_store))  # kept in the store at once
    # The window's shortcuts do nothing while locked.
    window.activateWindow()
    qtbot.keyClick(screen.password_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(window.forms) == 1
    # A wrong password: said, still locked.
    screen.password_edit.setText("not-it")
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: screen.error_label.text() != "")
    assert screen.error_label.text() == "wrong user name or password for 'officer'" and idle.locked
    # The officer's own password unlocks, and the form comes back as it was.
    screen.password_edit.setText(DEMO_PASSWORD)
    idle.set_interval(10 * 60_000)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: not idle.locked, timeout=10_000)
    assert form.isVisible() and form.editors["enterprise_name"].text() == NAME  # the draft is still on screen
    assert window.centralWidget().isEnabled() and not screen.isVisible()
    assert window.runner.session.actor.username == "officer"


def test_lock_now_then_sign_out_from_the_lock_screen(home, open_window, qtbot):
    window = open_window(home, user="teller")
    window.account.lock_action.trigger()
    assert window.account.idle.locked
    assert window.account.idle.screen.who.text().startswith("Locked.\nYour unsaved entries are kept. 张柜员 (teller)")
    window.account.idle.screen.sign_out_button.click()
    qtbot.waitUntil(lambda: window.account.login_dialog is not None, timeout=10_000)
    assert not window.isVisible() and window.runner.session is None
    assert not window.account.idle.locked and not window.account.idle.screen.isVisible()


def test_sign_out_keeps_drafts_and_another_user_signs_in(home, open_window, qtbot, in_store):
    window = open_window(home, user="officer", offer_drafts=True)
    assert window.account.user_label.text() == "李明 · officer"
    form = window.new_intake()
    qtbot.waitExposed(form)
    type_into(form, qtbot, "enterprise_name", NAME)
    window.account.sign_out_action.trigger()
    qtbot.waitUntil(lambda: window.account.login_dialog is not None, timeout=10_000)
    dialog = window.account.login_dialog
    assert not window.forms and not window.isVisible() and not window.runner.accepting
    assert window.account.user_label.text() == "Not signed in"
    assert dialog.windowTitle() == "Loan Desk — sign in"
    dialog.user_edit.setText("teller")
    dialog.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.store_ready, timeout=20_000):
        dialog.ok_button.click()
    assert window.isVisible() and window.account.user_label.text() == "张柜员 · teller"
    assert NAME in drafted_names(window, in_store)  # the officer's typing was kept as a draft
    qtbot.waitUntil(lambda: window.drafts_dialog is not None and window.drafts_dialog.isVisible())
    assert window.new_action.isEnabled() and not window.account.users_action.isEnabled()


def test_switch_user_changes_the_enabled_actions(home, open_window, qtbot):
    window = open_window(home, user="teller")
    assert not window.account.audit_action.isEnabled()
    assert window.account.audit_action.toolTip() == "teller (teller) may not view the audit trail"
    window.account.switch_action.trigger()
    qtbot.waitUntil(lambda: window.account.login_dialog is not None, timeout=10_000)
    dialog = window.account.login_dialog
    assert dialog.windowTitle() == "Loan Desk — switch user" and dialog.user_edit.text() == ""
    dialog.user_edit.setText("admin")
    dialog.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.store_ready, timeout=20_000):
        dialog.ok_button.click()
    assert window.account.user_label.text() == "王管理 · branch admin"
    assert window.account.audit_action.isEnabled() and window.account.users_action.isEnabled()
    assert not window.new_action.isEnabled()  # an admin does not capture applications
    assert window.new_action.toolTip() == "admin (branch admin) may not capture applications"


def test_change_my_password(home, open_window, qtbot):
    window = open_window(home, user="teller")
    window.account.change_password_action.trigger()
    dialog = window.account.password_dialog
    qtbot.waitExposed(dialog)
    dialog.old_edit.setText("wrong")
    dialog.passwords.password_edit.setText("counter2026")
    dialog.passwords.again_edit.setText("counter2026")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=20_000)  # a real Argon2 check, off-thread
    assert dialog.error_label.text() == "wrong user name or password for 'teller'"
    dialog.old_edit.setText(DEMO_PASSWORD)
    dialog.passwords.password_edit.setText("short")
    dialog.passwords.again_edit.setText("short")
    dialog.buttons.accepted.emit()
    assert dialog.error_label.text() == "the password needs at least 8 characters (5 typed)"
    dialog.passwords.password_edit.setText("counter2026")
    dialog.passwords.again_edit.setText("counter2026")
    with qtbot.waitSignal(dialog.done_ok, timeout=10_000):
        dialog.buttons.accepted.emit()
    window.close()
    session = sessions.sign_in(home, "teller", "counter2026")  # the new password opens the store; the data stays
    session.close()
