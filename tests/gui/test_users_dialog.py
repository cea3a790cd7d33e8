"""The admin's Users dialog: the list, add, disable, enable again by a reset, reset, change role."""

from __future__ import annotations

import pytest

from loandesk.demo import DEMO_PASSWORD
from loandesk.security import session as sessions
from loandesk.security.keyring import WrongPassword


def open_users(window, qtbot):
    window.account.users_action.trigger()
    dialog = window.account.users_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == len(dialog.rows) > 0)
    return dialog


def row_of(dialog, user: str) -> list[str]:
    for r in range(dialog.table.rowCount()):
        if dialog.table.item(r, 0).text() == user:
            return [dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
    raise AssertionError(user)


def fill_passwords(fields, password: str) -> None:
    fields.password_edit.setText(password)
    fields.again_edit.setText(password)


def test_the_list_shows_role_status_and_last_sign_in(home, open_window, qtbot):
    window = open_window(home)  # admin
    dialog = open_users(window, qtbot)
    assert [dialog.table.item(r, 0).text() for r in range(4)] == ["admin", "approver", "officer", "teller"]
    admin = row_of(dialog, "admin")
    assert admin[1:4] == ["王管理", "branch admin", "Active"] and admin[4] != "never"  # signed in just now
    assert row_of(dialog, "teller")[2:5] == ["teller", "Active", "never"]


def test_add_disable_enable_and_reset(home, open_window, qtbot):
    window = open_window(home)
    dialog = open_users(window, qtbot)
    dialog.add_button.click()
    add = dialog.child
    qtbot.waitExposed(add)
    add.user_edit.setText("zhou")
    add.name_edit.setText("周敏")
    add.role_combo.setCurrentIndex(add.role_combo.findData("officer"))
    fill_passwords(add.passwords, "weak")
    add.buttons.accepted.emit()
    assert add.error_label.text() == "the password needs at least 8 characters (4 typed)"
    fill_passwords(add.passwords, "field2026")
    add.user_edit.setText("teller")  # taken: the service says so, the dialog stays open
    add.buttons.accepted.emit()
    qtbot.waitUntil(lambda: add.error_label.text() == "user teller exists already")
    add.user_edit.setText("zhou")
    with qtbot.waitSignal(add.done_ok, timeout=10_000):
        add.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 5)
    assert row_of(dialog, "zhou")[1:4] == ["周敏", "officer", "Active"]

    dialog.select_user("zhou")
    dialog.disable_button.click()
    qtbot.waitUntil(lambda: row_of(dialog, "zhou")[3] == "Disabled")
    assert dialog.status_label.text() == "zhou is disabled: they can no longer sign in."
    with pytest.raises(sessions.SignInError, match="disabled"):
        sessions.sign_in(home, "zhou", "field2026")
    dialog.select_user("admin")
    dialog.disable_button.click()  # never oneself
    qtbot.waitUntil(lambda: dialog.status_label.text() == "you cannot disable your own account")

    dialog.select_user("zhou")
    assert dialog.enable_button.isEnabled() and not dialog.disable_button.isEnabled()
    dialog.enable_button.click()
    enable = dialog.child
    qtbot.waitExposed(enable)
    assert enable.windowTitle() == "Enable zhou"
    fill_passwords(enable.passwords, "again2026")
    with qtbot.waitSignal(enable.done_ok, timeout=10_000):
        enable.buttons.accepted.emit()
    qtbot.waitUntil(lambda: row_of(dialog, "zhou")[3] == "Active")
    sessions.sign_in(home, "zhou", "again2026").close()

    dialog.select_user("teller")
    dialog.reset_button.click()
    reset = dialog.child
    qtbot.waitExposed(reset)
    fill_passwords(reset.passwords, "counter2026")
    with qtbot.waitSignal(reset.done_ok, timeout=10_000):
        reset.buttons.accepted.emit()
    with pytest.raises(WrongPassword):
        sessions.sign_in(home, "teller", DEMO_PASSWORD)
    sessions.sign_in(home, "teller", "counter2026").close()  # the teller's data is untouched; the key re-wrapped


def test_change_role(home, open_window, qtbot, in_store):
    window = open_window(home)
    dialog = open_users(window, qtbot)
    dialog.select_user("teller")
    dialog.role_button.click()
    change = dialog.child
    qtbot.waitExposed(change)
    change.role_combo.setCurrentIndex(change.role_combo.findData("officer"))
    with qtbot.waitSignal(change.done_ok, timeout=10_000):
        change.buttons.accepted.emit()
    qtbot.waitUntil(lambda: row_of(dialog, "teller")[2] == "officer")
    dialog.select_user("admin")
    dialog.role_button.click()
    mine = dialog.child
    qtbot.waitExposed(mine)
    mine.role_combo.setCurrentIndex(mine.role_combo.findData("teller"))
    mine.buttons.accepted.emit()
    qtbot.waitUntil(lambda: mine.error_label.text() == "you cannot change your own role")
    mine.reject()
    actions = in_store(window, lambda store: [(r["action"], r["target"]) for r in
                                              store.db.query("SELECT action, target FROM audit")])  # fmt: skip
    assert ("role_changed", "teller") in actions  # every change is audited
