"""The first-run wizard on a fresh data home, driven as a user would: its pages, the refusals naming the
field, nothing written before Finish or after Cancel; then the store, the memo, the demo data and the
language it leaves; and Account > Settings… to change the names and the hub later (admin only)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWizard

from loandesk.core.i18n import set_language
from loandesk.demo import DEMO_PASSWORD
from loandesk.security import session as sessions
from loandesk.storage import audit
from loandesk.ui.first_run_wizard import FirstRunWizard
from loandesk.ui.login_dialog import ask_sign_in
from loandesk.ui.main_window import MainWindow
from loandesk.ui.tasks import TaskRunner

PASSWORD = "branch2026"


@pytest.fixture
def start(qtbot):
    """What run_gui does: the window built hidden (offering demo data, as there), then the wizard."""
    made = []

    def make(home, lang="en"):
        runner = TaskRunner()
        window = MainWindow(home, runner=runner, offer_drafts=False, lang=lang)
        quits = []
        dialog = ask_sign_in(home, runner, None, lambda _s: window.show(), lambda: quits.append(1))
        qtbot.addWidget(dialog)
        made.append(window)
        return window, dialog, quits

    yield make
    from shiboken6 import isValid

    from loandesk.ui import language_switch

    for window in made + [w for w in language_switch._alive if isinstance(w, MainWindow)]:
        if isValid(window):
            window.close()
    language_switch._alive.clear()
    app = QApplication.instance()
    for translator in getattr(app, "_translators", []):
        app.removeTranslator(translator)
    app._translators = []
    set_language("en")


def next_page(wizard: FirstRunWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()


def fill_branch(wizard, bank="钱塘农商银行", branch="城西支行", code="QT07") -> None:
    page = wizard.branch_page
    page.bank_edit.setText(bank)
    page.branch_edit.setText(branch)
    page.code_edit.setText(code)


def fill_admin(wizard, user="wang", name="王芳", password=PASSWORD) -> None:
    page = wizard.admin_page
    page.user_edit.setText(user)
    page.name_edit.setText(name)
    page.passwords.password_edit.setText(password)
    page.passwords.again_edit.setText(password)


def test_the_wizard_sets_up_a_new_home_with_demo_data(home, start, qtbot):
    window, wizard, _quits = start(home)
    assert isinstance(wizard, FirstRunWizard) and not wizard.upgrade
    assert wizard.currentPage() is wizard.language_page and wizard.language_page.lang() == "en"
    next_page(wizard)
    fill_branch(wizard, code="qt-7")
    next_page(wizard)  # refused: the page stays, the reason names the field
    assert wizard.currentPage() is wizard.branch_page
    assert wizard.branch_page.error_label.text() == "Branch code: 2-8 capital letters or digits, e.g. HZ01"
    fill_branch(wizard, bank="  ")
    next_page(wizard)
    assert wizard.branch_page.error_label.text() == "Bank name: type the name as it is printed on memos"
    fill_branch(wizard)
    next_page(wizard)
    assert wizard.currentPage() is wizard.admin_page
    fill_admin(wizard, password="short1")
    next_page(wizard)
    assert wizard.admin_page.error_label.text() == "the password needs at least 8 characters (6 typed)"
    assert wizard.admin_page.passwords.password_edit.text() == ""  # never left in the field
    fill_admin(wizard)
    next_page(wizard)
    hub = wizard.hub_page
    assert wizard.currentPage() is hub and hub.offline.isChecked() and not hub.url_edit.isEnabled()
    for junk, reason in (("hub.example.cn", "give it as http://HOST:PORT or https://HOST"),
                         ("http://", "'http://' names no host"), ("https://hub example", "an address has no spaces"),
                         ("https://hub.example.cn:99999", "names no host")):  # fmt: skip
        hub.online.setChecked(True)
        hub.url_edit.setText(junk)
        next_page(wizard)
        assert wizard.currentPage() is hub and hub.error_label.text().startswith("Hub address: ")
        assert reason in hub.error_label.text()
    hub.url_edit.setText("https://hub.qiantang.example:8800/")
    next_page(wizard)
    assert wizard.currentPage() is wizard.demo_page and wizard.demo_page.no.isChecked()
    wizard.demo_page.yes.setChecked(True)
    assert sessions.home_state(home) == "new" and not any(home.iterdir())  # nothing written before Finish
    with qtbot.waitSignal(window.store_ready, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert window.isVisible() and window.account.user_label.text() == "王芳 · branch admin"
    assert window.demo_banner is None  # the wizard asked: no second offer
    qtbot.waitUntil(lambda: window.enterprise_model.total == 60, timeout=120_000)  # the demo data, as asked
    # A hub address recorded is not an enrolment: the status bar says offline, and why.
    qtbot.waitUntil(lambda: window.online_label.text() == "Offline" and "Not enrolled" in window.online_label.toolTip(),
                    timeout=10_000)  # fmt: skip
    window.close()

    session = sessions.sign_in(home, "wang", PASSWORD)  # the admin signs in with what the wizard was given
    try:
        store = session.store
        assert session.actor.role == "admin"
        assert (store.setting("bank_name"), store.setting("branch_name"), store.setting("branch")) == (
            "钱塘农商银行", "城西支行", "QT07")  # fmt: skip
        assert store.setting("hub_url") == "https://hub.qiantang.example:8800"  # recorded, not enrolled
        assert not store.setting("hub_token")
        changed = [r["target"] for r in audit.records(store.db, action="setting_changed")]
        assert sorted(changed) == ["bank_name", "branch_name", "hub_url"]
        from loandesk.memo.service import stored_content

        memo_no = store.db.execute("SELECT memo_no FROM memos ORDER BY memo_no LIMIT 1").fetchone()[0]
        content = stored_content(store, memo_no)
        assert (content["bank"], content["branch"]) == ("钱塘农商银行", "城西支行")  # on the memo the demo issued
        assert memo_no.split("-")[1] == "QT07"
    finally:
        session.close()
    from loandesk.ui import i18n

    assert i18n.saved_language(home) == "en"


def test_offline_only_stores_no_hub_and_no_demo_data(home, start, qtbot, in_store):
    window, wizard, _quits = start(home)
    next_page(wizard)
    fill_branch(wizard)
    next_page(wizard)
    fill_admin(wizard)
    next_page(wizard)
    next_page(wizard)  # offline only, as it starts
    assert wizard.demo_page.no.isChecked()
    with qtbot.waitSignal(window.store_ready, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert in_store(window, lambda store: store.setting("hub_url")) is None
    assert in_store(window, lambda store: store.count_enterprises()) == 0
    assert window.demo_banner is None


def test_cancel_leaves_the_home_as_it_was(home, start, qtbot):
    window, wizard, quits = start(home)
    next_page(wizard)
    fill_branch(wizard)
    next_page(wizard)
    fill_admin(wizard)
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert quits == [1] and not window.isVisible()
    assert sessions.home_state(home) == "new" and not any(home.iterdir())


def test_choosing_chinese_turns_the_wizard_and_then_the_window_chinese(home, start, qtbot):
    window, wizard, _quits = start(home)
    assert wizard.windowTitle() == "Loan Desk — first start"
    combo = wizard.language_page.combo
    combo.setCurrentIndex(combo.findData("zh"))
    qtbot.waitUntil(lambda: wizard.windowTitle() == "信贷工作台 — 首次启动", timeout=30_000)
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "下一步(&N) >"
    assert wizard.branch_page.bank_label.text() == "银行名称(&B)："
    next_page(wizard)
    fill_branch(wizard, code="")
    next_page(wizard)
    assert wizard.branch_page.error_label.text() == "网点代码：应为 2-8 位大写字母或数字，例如 HZ01"
    fill_branch(wizard)
    next_page(wizard)
    fill_admin(wizard)
    next_page(wizard)
    next_page(wizard)
    with qtbot.waitSignal(window.store_ready, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: getattr(window, "language_switch", None) is not None
                    and window.language_switch.window is not None, timeout=30_000)  # fmt: skip
    new = window.language_switch.window
    qtbot.waitUntil(lambda: new.work_queue_page.model.answered, timeout=30_000)  # it has the store again
    assert new.lang == "zh" and new.windowTitle() == "信贷工作台"
    from loandesk.ui import i18n

    assert i18n.saved_language(home) == "zh"


def test_a_home_from_before_users_is_upgraded_with_its_branch_code(home, start, qtbot):
    from loandesk.storage import Store

    store = Store.open(home, branch="OLD1")  # a store from before users: its key in store.key
    store.close()
    window, wizard, _quits = start(home)
    assert wizard.upgrade and wizard.hub_page is None and wizard.demo_page is None
    assert not wizard.branch_page.code_edit.isVisibleTo(wizard)
    next_page(wizard)
    fill_branch(wizard, code="")
    next_page(wizard)
    assert "Nothing already stored is lost" in wizard.admin_page.intro.text()
    fill_admin(wizard, user="admin")
    with qtbot.waitSignal(window.store_ready, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    window.close()
    assert not (home / "store.key").exists()
    session = sessions.sign_in(home, "admin", PASSWORD)
    assert (session.store.setting("branch"), session.store.setting("bank_name")) == ("OLD1", "钱塘农商银行")
    session.close()


# ---- Account > Settings… -----------------------------------------------------------------------
def test_an_admin_changes_the_names_and_the_hub_later(home, open_window, qtbot, in_store):
    window = open_window(home, user="admin")
    action = window.settings.action
    assert action.isEnabled()
    dialog = window.settings.show()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert dialog.code_label.text() == "HZ01" and dialog.offline.isChecked()
    assert dialog.bank_edit.text() == "" and "示范农村商业银行" not in dialog.bank_edit.placeholderText()
    assert dialog.bank_edit.placeholderText() == "empty: as in the memo template, Demo Rural Commercial Bank"
    dialog.bank_edit.setText("钱" * 61)
    dialog.save_button.click()
    assert dialog.message.text() == "Bank name: at most 60 characters (61 typed)" and dialog.isVisible()
    dialog.bank_edit.setText("钱塘农商银行")
    dialog.online.setChecked(True)
    dialog.url_edit.setText("ftp://hub")
    dialog.save_button.click()
    assert dialog.message.text() == "Hub address: give it as http://HOST:PORT or https://HOST"
    assert in_store(window, lambda store: store.setting("bank_name")) is None  # nothing written on a refusal
    dialog.url_edit.setText("http://10.1.2.3:8800")
    dialog.save_button.click()
    from shiboken6 import isValid

    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())
    assert window.statusBar().currentMessage() == "Settings saved."
    assert in_store(window, lambda store: (store.setting("bank_name"), store.setting("hub_url"))) == (
        "钱塘农商银行", "http://10.1.2.3:8800")  # fmt: skip
    found = in_store(window, lambda store: audit.records(store.db, action="setting_changed"))
    assert [(r["user"], r["target"]) for r in found] == [("admin", "bank_name"), ("admin", "hub_url")]
    # The enrol dialog offers the address recorded in settings.
    from loandesk.ui.sync_panel import EnrolDialog

    enrol = EnrolDialog(window.sync_controller, window)
    qtbot.waitUntil(lambda: enrol.url.text() == "http://10.1.2.3:8800")


def test_a_teller_cannot_open_the_settings(home, open_window, qtbot):
    window = open_window(home, user="teller")
    action = window.settings.action
    qtbot.waitUntil(lambda: not action.isEnabled())
    assert action.toolTip() == "teller (teller) may not change settings"
    assert window.settings.show() is None  # a shortcut or a stale menu: the same refusal
    assert window.account.refusal_box.text() == "teller (teller) may not change settings"


def test_the_domain_refuses_a_teller_too(home):
    from loandesk.core.permissions import PermissionDenied
    from loandesk.storage import branch_settings
    from users_support import with_demo_users

    with_demo_users(home)
    session = sessions.sign_in(home, "teller", DEMO_PASSWORD)
    try:
        with pytest.raises(PermissionDenied):
            branch_settings.apply(session.store, {"bank_name": "x"})
    finally:
        session.close()


def test_the_language_chosen_in_settings_switches_the_window(home, open_window, qtbot, qapp):
    from shiboken6 import isValid

    window = open_window(home, user="admin")
    dialog = window.settings.show()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh"))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: getattr(window, "language_switch", None) is not None)
    job = window.language_switch  # kept: the old window is deleted once the new one shows
    try:
        qtbot.waitUntil(lambda: job.window is not None, timeout=30_000)
        new = job.window
        qtbot.waitUntil(lambda: new.work_queue_page.model.answered, timeout=30_000)  # it has the store again
        assert new.lang == "zh" and new.settings.action.text() == "设置(&T)…"
        from loandesk.ui import i18n

        assert i18n.saved_language(home) == "zh"
    finally:
        if job.window is not None and isValid(job.window):
            job.window.close()
        for translator in getattr(qapp, "_translators", []):
            qapp.removeTranslator(translator)
        qapp._translators = []
        set_language("en")
