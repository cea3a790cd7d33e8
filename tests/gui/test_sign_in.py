"""Signing in through the GUI: the same key ring and session as the CLI; wrong passwords, the throttle,
disabled accounts; the first-run wizard on a new home and on a home from before users."""

from __future__ import annotations

import random
import re

import pytest

from loandesk.core.intake import validate_intake
from loandesk.demo import DEMO_PASSWORD, demo_record
from loandesk.security import session as sessions
from loandesk.storage import Store
from loandesk.ui.login_dialog import LoginDialog, ask_sign_in
from loandesk.ui.main_window import MainWindow
from loandesk.ui.tasks import TaskRunner
from users_support import with_demo_users


@pytest.fixture
def start(qtbot):
    """``start(home)``: what run_gui does, without the event loop it owns: the hidden window, the dialog."""
    made = []

    def make(home, lang="en"):
        runner = TaskRunner()
        window = MainWindow(home, runner=runner, offer_demo=False, offer_drafts=False, lang=lang)
        qtbot.addWidget(window)
        quits = []
        dialog = ask_sign_in(home, runner, None, lambda _s: window.show(), lambda: quits.append(1))
        qtbot.addWidget(dialog)
        made.append(window)
        return window, dialog, quits

    yield make
    for window in made:
        window.close()


def sign_in(qtbot, dialog, user: str, password: str) -> None:
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(password)
    dialog.ok_button.click()
    assert dialog.busy.isVisible() and not dialog.password_edit.isEnabled()  # off the GUI thread, busy shown


def test_a_home_made_by_the_cli_opens_after_signing_in(home, start, qtbot):
    with_demo_users(home)  # as `loandesk demo` / `init --admin` leave it: a key ring, no store.key
    assert sessions.home_state(home) == "ready" and not (home / "store.key").exists()
    window, dialog, _quits = start(home)
    assert isinstance(dialog, LoginDialog) and not window.isVisible()
    with qtbot.waitSignal(window.store_ready, timeout=20_000):
        sign_in(qtbot, dialog, "officer", DEMO_PASSWORD)
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.account.user_label.text() == "李明 · officer")
    assert window.runner.session.actor.username == "officer"
    assert window.runner.session.store.actor.role == "officer"  # the services check this user


def test_a_wrong_password_says_so_and_keeps_the_window_closed(home, start, qtbot):
    with_demo_users(home)
    window, dialog, _quits = start(home)
    sign_in(qtbot, dialog, "teller", "not-the-password")
    qtbot.waitUntil(lambda: dialog.password_edit.isEnabled())
    assert dialog.error_label.text() == "wrong user name or password for 'teller'"
    assert dialog.password_edit.text() == "" and not window.isVisible() and not window.runner.is_open
    sign_in(qtbot, dialog, "nobody", "whatever")  # an unknown name reads exactly like a wrong password
    qtbot.waitUntil(lambda: dialog.password_edit.isEnabled())
    assert dialog.error_label.text() == "wrong user name or password for 'nobody'"


def test_after_five_failures_a_growing_wait(home, start, qtbot):
    with_demo_users(home)
    window, dialog, _quits = start(home)
    for _ in range(5):
        sign_in(qtbot, dialog, "teller", "wrong")
        qtbot.waitUntil(lambda: dialog.password_edit.isEnabled())
    sign_in(qtbot, dialog, "teller", DEMO_PASSWORD)  # even the right password waits now
    qtbot.waitUntil(lambda: dialog.password_edit.isEnabled())
    assert re.fullmatch(r"too many failed sign-ins for teller: try again in [12] s", dialog.error_label.text())
    assert not window.isVisible()


def test_a_disabled_account_is_refused_with_the_reason(home, start, qtbot):
    with_demo_users(home)
    admin = sessions.sign_in(home, "admin", DEMO_PASSWORD)
    sessions.disable_user(admin, "teller")
    admin.close()
    _window, dialog, _quits = start(home)
    sign_in(qtbot, dialog, "teller", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: dialog.password_edit.isEnabled())
    assert dialog.error_label.text() == "the account teller is disabled: ask the branch admin to reset its password"


def test_the_dialog_is_in_chinese_first(home, qtbot, qapp):
    from loandesk.core.i18n import set_language
    from loandesk.ui import i18n

    translators = i18n.install_translators(qapp, "zh")
    set_language("zh")
    try:
        with_demo_users(home)
        runner = TaskRunner()
        dialog = ask_sign_in(home, runner, None, lambda _s: None, lambda: None)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "信贷工作台 — 登录"
        assert dialog.ok_button.text() == "登录(&S)"
        sign_in(qtbot, dialog, "teller", "wrong")
        qtbot.waitUntil(lambda: dialog.password_edit.isEnabled())
        assert dialog.error_label.text() == "用户名或密码错误（teller）"
        runner.close()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        set_language("en")


def go_to_admin(wizard) -> None:
    """Through the language and branch pages, as a user fills them, to the administrator's page."""
    from PySide6.QtWidgets import QWizard

    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.branch_page.bank_edit.setText("示范农村商业银行")
    wizard.branch_page.branch_edit.setText("杭州西湖支行")
    wizard.branch_page.code_edit.setText("HZ01")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.admin_page


def fill_admin(wizard, user: str, name: str, password: str, again: str | None = None) -> None:
    page = wizard.admin_page
    page.user_edit.setText(user)
    page.name_edit.setText(name)
    page.passwords.password_edit.setText(password)
    page.passwords.again_edit.setText(password if again is None else again)


def create_admin(qtbot, wizard, user: str, name: str, password: str, again: str | None = None) -> None:
    from PySide6.QtWidgets import QWizard

    fill_admin(wizard, user, name, password, again)
    wizard.button(QWizard.WizardButton.NextButton).click()


def admin_error(wizard) -> str:
    assert wizard.currentPage() is wizard.admin_page  # refused: the page stays
    return wizard.admin_page.error_label.text()


def test_first_run_on_a_new_home_creates_the_admin(home, start, qtbot):
    from PySide6.QtWidgets import QWizard

    from loandesk.ui.first_run_wizard import FirstRunWizard

    window, dialog, _quits = start(home)
    assert isinstance(dialog, FirstRunWizard) and not dialog.upgrade
    go_to_admin(dialog)
    create_admin(qtbot, dialog, "wang", "王芳", "short1")
    assert admin_error(dialog) == "the password needs at least 8 characters (6 typed)"
    create_admin(qtbot, dialog, "wang", "王芳", "longenough")
    assert admin_error(dialog) == "the password needs letters and digits"
    create_admin(qtbot, dialog, "wang", "王芳", "branch2026", "branch2027")
    assert admin_error(dialog) == "the two passwords differ"
    create_admin(qtbot, dialog, "Wang Fang", "王芳", "branch2026")
    assert admin_error(dialog).startswith("user name 'Wang Fang': 2-32 characters")
    assert sessions.home_state(home) == "new"  # nothing was written by the refusals
    create_admin(qtbot, dialog, "wang", "王芳", "branch2026")
    assert dialog.currentPage() is dialog.hub_page
    dialog.button(QWizard.WizardButton.NextButton).click()
    with qtbot.waitSignal(window.store_ready, timeout=20_000):
        dialog.button(QWizard.WizardButton.FinishButton).click()
    assert window.isVisible() and window.account.user_label.text() == "王芳 · branch admin"
    window.close()
    # The CLI's sign-in opens what the first-run wizard made; no bare key is on disk.
    assert sessions.home_state(home) == "ready" and not (home / "store.key").exists()
    session = sessions.sign_in(home, "wang", "branch2026")
    assert session.actor.role == "admin"
    session.close()


def test_first_run_on_a_home_from_before_users_keeps_its_data(home, start, qtbot):
    from PySide6.QtWidgets import QWizard

    from loandesk.ui.first_run_wizard import FirstRunWizard

    store = Store.open(home)  # a store from before users: its key in store.key
    rng = random.Random(3)
    store.import_enterprises([validate_intake(demo_record(rng, i)).values for i in range(12)])
    store.close()
    assert sessions.home_state(home) == "legacy"
    window, dialog, _quits = start(home)
    assert isinstance(dialog, FirstRunWizard) and dialog.upgrade
    go_to_admin(dialog)
    assert "Nothing already stored is lost" in dialog.admin_page.intro.text()
    fill_admin(dialog, "admin", "赵行长", "upgrade2026")
    with qtbot.waitSignal(window.store_ready, timeout=20_000):
        dialog.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: window.enterprise_model.total == 12, timeout=10_000)
    window.close()
    assert not (home / "store.key").exists()  # the key is wrapped for the admin now; the bare copy is gone
    session = sessions.sign_in(home, "admin", "upgrade2026")
    assert session.store.count_enterprises() == 12
    session.close()


def test_a_home_whose_key_ring_is_missing_is_refused_with_the_reason(home, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    with_demo_users(home)
    (home / "keyring.json").unlink()
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    quits = []
    runner = TaskRunner()
    assert ask_sign_in(home, runner, None, lambda _s: None, lambda: quits.append(1)) is None
    runner.close()
    assert quits == [1]
    assert shown == ["the store's key ring (keyring.json) is missing: restore it from a backup"]


def test_a_home_made_by_loandesk_demo_opens_for_its_demo_users(home, start, qtbot):
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "loandesk", "--home", str(home), "demo", "--count", "5"]
    made = subprocess.run(command, env={**os.environ, "LOANDESK_LANG": "en"}, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert made.returncode == 0, made.stderr
    window, dialog, _quits = start(home)
    with qtbot.waitSignal(window.store_ready, timeout=20_000):
        sign_in(qtbot, dialog, "approver", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: window.application_model.total == 5, timeout=10_000)
    assert window.account.user_label.text() == "陈静 · approver"
