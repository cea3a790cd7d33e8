"""Accessibility: every interactive widget a screen reader reaches has a name (in the user's language), and
Tab walks the intake form and the sign-in dialog in the order the eye reads them.

The walk opens the main window in Chinese and every page and dialog a user can reach from it (as
test_chinese_walk does for visible text), and lists each visible input, list, table or button that a
screen reader would announce only by its kind ("edit", "combo box", "table"): the failure names them all.
"""

from __future__ import annotations

import pytest
import test_chinese_walk as chinese_walk
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QProxyStyle,
    QScrollBar,
    QStyle,
    QTabBar,
    QTextEdit,
    QWidget,
)

from loandesk.ui.accessibility import spoken_text

GUI_AS_SYSTEM = True  # the walk opens every role's dialogs in one window, as test_chinese_walk does
zh = chinese_walk.zh  # the Chinese translators installed (fixture)
walk_home = chinese_walk.walk_home  # a scored application, one with an override waiting, cultivation work

INTERACTIVE = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView, QPlainTextEdit,
               QTextEdit, QAbstractSlider)  # fmt: skip
# Parts of a composite widget: the composite itself carries the name (a spin box's line edit, a combo's
# popup list, a line edit's clear button, a tab bar's scroll arrows, a date edit's calendar).
COMPOSITES = (QAbstractSpinBox, QComboBox, QLineEdit, QTabBar, QCalendarWidget)


def interactive(widget: QWidget, root: QWidget) -> bool:
    if not isinstance(widget, INTERACTIVE) or isinstance(widget, QHeaderView | QScrollBar):
        return False
    if widget.objectName().startswith("qt_"):  # Qt's own parts (a table's select-all corner button)
        return False
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, COMPOSITES):
            return False
        parent = parent.parentWidget()
    return True


def where(widget: QWidget) -> str:
    """The widget as a developer finds it: its class, object name, and the text nearest to it."""
    hint = widget.objectName() or widget.toolTip() or getattr(widget, "placeholderText", lambda: "")()
    parent = widget.parentWidget()
    chain = []
    while parent is not None and len(chain) < 3:
        chain.append(parent.objectName() or type(parent).__name__)
        parent = parent.parentWidget()
    return f"{type(widget).__name__}({hint!r}) in {'/'.join(chain)}"


def unnamed(root: QWidget) -> list[str]:
    return [where(w) for w in root.findChildren(QWidget) if w.isVisibleTo(root) and interactive(w, root)
            and not spoken_text(w)]  # fmt: skip


def untranslated(root: QWidget) -> list[str]:
    return [f"{where(w)}: {w.accessibleName()!r}" for w in root.findChildren(QWidget)
            if w.isVisibleTo(root) and chinese_walk.latin_words(w.accessibleName())]  # fmt: skip


class NameWalk:
    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.found: dict[str, list[str]] = {}
        self.screens: list[str] = []

    def read(self, name: str, widget: QWidget) -> None:
        self.qtbot.wait(30)
        self.screens.append(name)
        left = unnamed(widget) + [f"English name {w}" for w in untranslated(widget)]
        if left:
            self.found[name] = left

    def report(self) -> str:
        return "\n".join(f"{screen}: {w}" for screen, left in self.found.items() for w in left)


def test_every_interactive_widget_has_a_name_in_chinese(zh, walk_home, open_window, qtbot):
    from loandesk.ui.first_run_wizard import FirstRunWizard
    from loandesk.ui.login_dialog import LoginDialog

    home, override_app = walk_home
    walk = NameWalk(qtbot)
    dialog = LoginDialog(None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    walk.read("sign in", dialog)
    dialog.close()
    for name, upgrade in (("first run", False), ("first run (upgrade)", True)):
        wizard = FirstRunWizard(upgrade=upgrade, lang="zh")
        qtbot.addWidget(wizard)
        wizard.show()
        for page_id in wizard.pageIds():  # each page as the current one (Next would check the fields)
            wizard.setStartId(page_id)
            wizard.restart()
            walk.read(f"{name}: page {page_id}", wizard)
        wizard.close()

    window = open_window(home, lang="zh")
    chinese_walk.read_main_screens(window, qtbot, override_app, walk.read)
    dialog = window.list_import.open()
    walk.read("list import", dialog)
    dialog.close()

    assert len(walk.screens) >= 25
    assert not walk.found, walk.report()


def test_the_check_finds_a_nameless_field(qtbot):
    """The walk is only as good as its reading: a bare line edit and an icon-only button are reported."""
    from PySide6.QtWidgets import QFormLayout, QToolButton

    from loandesk.ui.accessibility import name_fields

    root = QWidget()
    qtbot.addWidget(root)
    form = QFormLayout(root)
    edit, bare, icon = QLineEdit(), QLineEdit(), QToolButton()
    form.addRow("&Amount (yuan):", edit)
    form.addRow(bare)
    form.addRow(icon)
    name_fields(root)
    assert edit.accessibleName() == "Amount (yuan)"  # the label's words, without the mnemonic and colon
    assert sorted(unnamed(root)) == sorted([where(bare), where(icon)])


def activate(widget, qtbot):
    """Focus follows Tab only in the active window; offscreen activation takes a moment."""
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=5_000)
    return widget


def tab_chain(start: QWidget, stop: set[QWidget], limit: int = 80) -> list[QWidget]:
    """The widgets focus visits, pressing Tab from ``start`` until one of ``stop`` (or ``limit`` presses)."""
    seen = [start]
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        seen.append(now)
        if now in stop or now is start:
            break
    return seen


def visual_order(widgets: list[QWidget], root: QWidget) -> list[QWidget]:
    """Top to bottom, then left to right, in ``root``'s coordinates (the eye's reading order)."""
    def key(w: QWidget):
        p = w.mapTo(root, w.rect().topLeft())
        return (p.y() // 8, p.x())  # widgets on one row can differ by a few pixels of baseline

    return sorted(widgets, key=key)


def test_tab_walks_the_intake_form_in_reading_order(window, qtbot):
    form = window.new_intake()
    qtbot.waitExposed(form)
    activate(form, qtbot)
    body = form.scroll_area.widget()
    fields = [w for w in body.findChildren(QWidget) if w.isVisibleTo(body) and w.isEnabled()
              and w.focusPolicy() & Qt.FocusPolicy.TabFocus and interactive(w, body)]  # fmt: skip
    expected = visual_order(fields, body)
    first = expected[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(first.hasFocus)
    visited = [w for w in tab_chain(first, {form.save_button, form.close_button}) if w in fields]
    assert len(expected) >= 30  # every field of every group, the documents' buttons too
    names = {id(w): where(w) for w in fields}
    assert [names[id(w)] for w in visited] == [names[id(w)] for w in expected]
    form.close_silently()


class GnomeButtons(QProxyStyle):
    """Buttons in GNOME's order (Cancel before OK), as a Linux desktop may lay out a dialog's buttons."""

    def styleHint(self, hint, option=None, widget=None, returned=None):
        if hint == QStyle.StyleHint.SH_DialogButtonLayout:
            return int(QDialogButtonBox.ButtonLayout.GnomeLayout.value)
        return super().styleHint(hint, option, widget, returned)


@pytest.mark.parametrize("buttons", ["default", "gnome"])
def test_sign_in_tabs_from_user_to_password_to_sign_in(buttons, qapp, qtbot):
    from loandesk.ui.login_dialog import LoginDialog

    style_name = qapp.style().name()
    if buttons == "gnome":
        qapp.setStyle(GnomeButtons(style_name))
    try:
        dialog = LoginDialog(None, "")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        activate(dialog, qtbot)
        quit_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert (quit_button.x() < dialog.ok_button.x()) == (buttons == "gnome")  # the layout under test
        dialog.user_edit.setFocus()
        qtbot.waitUntil(dialog.user_edit.hasFocus)
        chain = tab_chain(dialog.user_edit, {dialog.ok_button}, limit=4)
        assert chain == [dialog.user_edit, dialog.password_edit, dialog.ok_button]
        dialog.close()
    finally:
        qapp.setStyle(style_name)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_intake_fields_are_named_by_their_labels(lang, window, qtbot, request):
    if lang == "zh":
        request.getfixturevalue("zh")
    form = window.new_intake()
    qtbot.waitExposed(form)
    expected = "Amount (yuan)" if lang == "en" else "申请金额（元）"
    assert form.editors["requested_amount"].accessibleName() == expected
    form.close_silently()


def test_the_admin_screens_name_their_widgets_in_chinese(zh, home, open_window, qtbot, tmp_path):
    """Signed in for real as the admin: users and their dialogs, the audit log, a password change, the
    list import's column mapping, the lock screen and the conflict inbox."""
    from loandesk.ui.users_dialog import NewUserDialog, ResetPasswordDialog, RoleDialog

    walk = NameWalk(qtbot)
    window = open_window(home, user="admin", lang="zh")
    account = window.account
    account.users_action.trigger()
    qtbot.waitUntil(lambda: account.users_dialog is not None and account.users_dialog.isVisible())
    users = account.users_dialog
    walk.read("users", users)
    for name, dialog in (("new user", NewUserDialog(window.runner, users)),
                         ("reset password", ResetPasswordDialog(window.runner, "teller", False, users)),
                         ("enable user", ResetPasswordDialog(window.runner, "teller", True, users)),
                         ("change role", RoleDialog(window.runner, "teller", "teller", users))):  # fmt: skip
        dialog.show()
        walk.read(name, dialog)
        dialog.reject()
    users.close()
    account.audit_action.trigger()
    qtbot.waitUntil(lambda: account.audit_dialog is not None and account.audit_dialog.isVisible())
    walk.read("audit log", account.audit_dialog)
    account.audit_dialog.close()
    account.change_password_action.trigger()
    qtbot.waitExposed(account.password_dialog)
    walk.read("change my password", account.password_dialog)
    account.password_dialog.reject()

    dialog = window.list_import.open()
    dialog.path_edit.setText(str(chinese_walk.import_list_file(tmp_path)))
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=20_000)
    walk.read("list import: mapping", dialog)
    dialog.close()

    inbox = window.conflict_menu.show_inbox()
    walk.read("conflict inbox", inbox)
    inbox.close()
    account.idle.lock()
    qtbot.waitUntil(lambda: account.idle.locked)
    walk.read("lock screen", account.idle.screen)

    assert len(walk.screens) >= 10
    assert not walk.found, walk.report()


def test_a_fields_finding_is_read_with_the_field(window, qtbot):
    """The message line under a field is a separate label: the field's description carries it too, so a
    screen reader says the error when the officer comes back to the field."""
    from intake_helpers import type_into

    form = window.new_intake()
    qtbot.waitExposed(form)
    activate(form, qtbot)
    editor = form.editors["credit_code"]
    type_into(form, qtbot, "credit_code", "91350100M000100Y4")  # 17 characters
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    message = form.messages["credit_code"].text()
    assert message and editor.accessibleDescription() == message
    type_into(form, qtbot, "credit_code", "91350100M000100Y43")  # right now: the finding and the description go
    qtbot.waitUntil(lambda: form.messages["credit_code"].text() == "")
    assert editor.accessibleDescription() == ""
    form.close_silently()
