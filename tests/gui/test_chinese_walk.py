"""With the Chinese translators installed, open the main window and every page and dialog a user can reach,
and read every visible text: labels, buttons, group titles, tabs, menus and their actions, table headers,
combo box entries, placeholders, tooltips and window titles. A Latin word left in any of them is an
untranslated string, unless it is on the short allow-list (codes, units and key names Chinese screens use).
"""

from __future__ import annotations

import random
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QWidget,
)
from test_approval import OFFICER, scored_applications

from loandesk.core.i18n import set_language
from loandesk.demo import demo_record
from loandesk.storage import Store
from loandesk.storage import cultivation as cv
from loandesk.ui import i18n

# The walk opens every dialog of every role (decide, approve, override, admin dialogs) in one window:
# signed in for real, then acting as the system, as the other cross-role GUI tests do.
GUI_AS_SYSTEM = True

# Words a Chinese screen shows as they are: formats, codes and key names (what Chinese bank software prints).
ALLOWED = {"PDF", "ID", "Ctrl", "Shift", "Alt", "Esc", "Enter", "Tab", "Excel", "QR", "SQLCipher", "URL", "https",
           "http", "PNG", "JPEG", "JPG", "xlsx", "csv", "CSV", "pdf", "png", "jpg", "jpeg", "KB", "MB", "GB",
           "English", "YYYY", "MM", "DD", "UTF", "GBK"}  # fmt: skip
# (English: the language's own name; YYYY-MM-DD: a date's format; UTF-8, GBK: a file's encoding)
# Data, not strings: the printed memo code's prefix, the rule pack's id, user names (the test's account
# manager, the demo's users, and the system actor this cross-role walk acts as).
DATA = ("LOANDESK-MEMO:", "bank-tax-first-loan")
USER_NAMES = {"li", "officer", "system", "admin", "teller"}  # whole words only (the demo's user names)
LATIN = re.compile(r"[A-Za-z]{2,}")
CLEAN = (
    (re.compile(r"<[^>]+>"), " "),  # rich text tags
    (re.compile(r"&[a-z]+;|&#\d+;"), " "),  # entities
    (re.compile(r"\(&\w\)"), ""),  # mnemonics shown as (&X)
    (re.compile(r"\S*[/\\]\S*"), " "),  # paths, addresses
    (re.compile(r"\b(?:Ctrl|Shift|Alt)\+\S+"), " "),  # shortcuts
    (re.compile(r"[A-Za-z0-9_.\-]*\d[A-Za-z0-9_.\-]*"), " "),  # codes with a digit: A-HZ01-…, F2, BR01, v1.2
    (re.compile(r"\*\.\w+"), " "),  # file patterns
)


def latin_words(text: str) -> list[str]:
    if text in DATA:
        return []
    for data in DATA:
        text = text.replace(data, " ")
    for pattern, replacement in CLEAN:
        text = pattern.sub(replacement, text)
    return [w for w in LATIN.findall(text.replace("&", "")) if w not in ALLOWED and w not in USER_NAMES]


def texts_of(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every visible text of ``root`` and its visible children."""
    found: list[tuple[str, str]] = []
    seen_menus: set[int] = set()

    def add(where: QWidget | object, text: str | None) -> None:
        if text:
            found.append((f"{type(where).__name__}:{getattr(where, 'objectName', lambda: '')()}", text))

    def menu(m: QMenu) -> None:
        if id(m) in seen_menus:
            return
        seen_menus.add(id(m))
        add(m, m.title())
        for action in m.actions():
            if action.isVisible() and not action.isSeparator():
                add(action, action.text())
                add(action, action.statusTip())
                if action.menu():
                    menu(action.menu())

    add(root, root.windowTitle())
    if hasattr(root, "menuBar") and callable(root.menuBar):
        for action in root.menuBar().actions():
            add(action, action.text())
            if action.menu():
                menu(action.menu())
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root:
            continue
        add(w, w.toolTip())
        if isinstance(w, QLabel):
            add(w, w.text())
        elif isinstance(w, QAbstractButton):
            add(w, w.text())
        elif isinstance(w, QGroupBox):
            add(w, w.title())
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(w, w.tabText(i))
                add(w, w.tabToolTip(i))
        elif isinstance(w, QLineEdit):
            add(w, w.placeholderText())
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            add(w, w.placeholderText())
        elif isinstance(w, QComboBox) and not w.isEditable():
            for i in range(w.count()):
                add(w, w.itemText(i))
        elif isinstance(w, QToolBar):
            add(w, w.windowTitle())
            for action in w.actions():
                add(action, action.text())
                add(action, action.toolTip())
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                add(w, w.item(i).text())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for c in range(model.columnCount()):
                add(w, model.headerData(c, Qt.Orientation.Horizontal))
    return found


def leftovers(root: QWidget) -> list[tuple[str, str, list[str]]]:
    out = []
    for where, text in texts_of(root):
        if not isinstance(text, str):
            continue
        words = latin_words(text)
        if words:
            out.append((where, text, words))
    return out


@pytest.fixture
def zh(qapp):
    from loandesk.ui.teller_mode import scale_font

    qapp._translators = i18n.install_translators(qapp, "zh")
    yield
    scale_font(False)  # a teller's window grew the type: the next test starts at the normal size
    for translator in qapp._translators:
        qapp.removeTranslator(translator)
    qapp._translators = []
    set_language("en")


@pytest.fixture
def walk_home(home):
    """A scored application (a decision to approve), one with an override waiting, cultivation work, a draft."""
    scored_applications(home, False, False)
    store = Store.open(home, branch="HZ01")
    try:
        from loandesk.storage import decisions

        app_id = store.all_application_ids()[1]
        decisions.request_override(store, decisions.current_decision(store, app_id), "refer", "需补充材料", OFFICER)
        store.import_enterprises([{**demo_record(random.Random(4), 200 + i), "has_loan_history": False}
                                  for i in range(3)])  # fmt: skip
        refs = [r[0] for r in store.db.execute("SELECT ref FROM enterprises ORDER BY seq DESC LIMIT 3")]
        cv.assign(store, "li", keys=refs)
        store.save_draft("intake:new:walk", {"form": {"enterprise_name": "杭州草稿贸易有限公司"}, "ref": None})
    finally:
        store.close()
    return home, app_id


class Walk:
    """Every screen walked, its leftovers kept by screen (the failure names them all at once)."""

    def __init__(self, qtbot, data: tuple[str, ...] = ()) -> None:
        self.qtbot = qtbot
        self.data = data  # words that are data on this run (a device's id)
        self.found: dict[str, list] = {}
        self.screens: list[str] = []

    def read(self, name: str, widget: QWidget) -> None:
        self.qtbot.wait(30)  # labels filled by the first answers from the worker
        self.screens.append(name)
        left = [(where, text, rest) for where, text, words in leftovers(widget)
                if (rest := [w for w in words if w not in self.data])]  # fmt: skip
        if left:
            self.found[name] = left


def read_main_screens(window, qtbot, override_app: str, read) -> None:
    """Open every page, dock and dialog the main window reaches on a walk home and ``read(name, widget)``
    each (the Chinese walk and the accessibility walk look at the same screens)."""
    page = window.work_queue_page
    qtbot.waitUntil(lambda: page.model.answered and bool(page.items), timeout=15_000)
    read("work queue (main window)", window)
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.waitUntil(lambda: getattr(window.current_page(), "model", None) is None
                        or window.current_page().model.answered, timeout=15_000)  # fmt: skip
        read(f"page {window.nav.item(row).text()}", window)
    cultivation = window.cultivation_page
    cultivation.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: cultivation.dashboard.figures is not None, timeout=20_000)
    read("cultivation dashboard", window)
    cultivation.tabs.setCurrentIndex(0)
    for mode in ("teller", "field"):
        window.mode_switch.set_mode(mode)
        read(f"{mode} mode", window)
    window.mode_switch.set_mode("standard")

    # The applications: the score panel beside the list, then each dialog the Application menu opens.
    window.show_page(1)
    qtbot.waitUntil(lambda: window.application_model.rowCount() == 2, timeout=10_000)
    view, model = window.application_page.view, window.application_model
    other = next(r for r in range(model.rowCount()) if model.row_dict(r)["id"] != override_app)
    view.setCurrentIndex(model.index(other, 0))
    qtbot.waitUntil(lambda: window.decision_dock.panel.decision_label.text() != "", timeout=10_000)
    read("score panel (dock)", window.decision_dock)
    actions = window.application_actions
    for name, action, attribute in (("record decision", actions.decide_action, "record_dialog"),
                                    ("approve or decline", actions.approve_action, "approval_dialog"),
                                    ("request override", actions.override_action, "override_dialog")):  # fmt: skip
        action.trigger()
        qtbot.waitUntil(lambda a=attribute: getattr(actions, a) is not None and getattr(actions, a).isVisible(),
                        timeout=20_000)  # fmt: skip
        read(name, getattr(actions, attribute))
        getattr(actions, attribute).reject()
    pending = next(r for r in range(model.rowCount()) if model.row_dict(r)["id"] == override_app)
    view.setCurrentIndex(model.index(pending, 0))
    actions.confirm_action.trigger()
    qtbot.waitUntil(lambda: actions.confirm_dialog is not None and actions.confirm_dialog.isVisible(), timeout=20_000)
    read("confirm override", actions.confirm_dialog)
    actions.confirm_dialog.reject()
    actions.memo_action.trigger()
    qtbot.waitUntil(lambda: bool(actions.memo_dialogs), timeout=30_000)
    memo = actions.memo_dialogs[-1]
    qtbot.waitUntil(memo.print_button.isEnabled, timeout=30_000)
    read("memo dialog", memo)
    memo.close()

    # The intake form (new, and an application on file) with its own score panel.
    form = window.new_intake()
    qtbot.waitExposed(form)
    read("new intake form", form)
    form.close_silently()
    window.open_application(override_app)
    qtbot.waitUntil(lambda: any(f.application_id == override_app for f in window.forms), timeout=10_000)
    on_file = next(f for f in window.forms if f.application_id == override_app)
    qtbot.waitExposed(on_file)
    read("intake form on file", on_file)
    on_file.close_silently()

    window.show_drafts()
    qtbot.waitUntil(lambda: window.drafts_dialog is not None and window.drafts_dialog.isVisible(), timeout=10_000)
    read("unsaved drafts", window.drafts_dialog)
    window.drafts_dialog.close()

    # Cultivation's dialogs on a chosen enterprise.
    window.cultivation_actions.show_page()
    qtbot.waitUntil(lambda: cultivation.model.rowCount() > 0, timeout=10_000)
    cultivation.view.setCurrentIndex(cultivation.model.index(0, 0))
    cult = window.cultivation_actions
    for name, slot in (("change stage", cult.change_stage), ("record visit", cult.record_visit),
                       ("assign account manager", cult.assign)):  # fmt: skip
        before = cult.dialog
        slot()
        qtbot.waitUntil(lambda b=before: cult.dialog is not b and cult.dialog.isVisible(), timeout=10_000)
        read(name, cult.dialog)
        cult.dialog.reject()

    # Help, About, Self-check, Sync.
    window.about()
    qtbot.waitUntil(lambda: window.about_dialog.isVisible())
    read("about", window.about_dialog)
    window.about_dialog.close()
    window.self_check()
    read("self-check", window.self_check_dialog)
    window.self_check_dialog.close()
    window.help_actions.open()
    read("user guide", window.help_actions.viewer)
    window.help_actions.viewer.close()
    panel = window.sync_menu.show_panel()
    read("sync panel", panel)
    enrol = panel.enrol()
    read("enrol", enrol)
    enrol.reject()
    panel.close()



def test_every_screen_reads_in_chinese(zh, walk_home, open_window, qtbot):
    home, override_app = walk_home
    walk = Walk(qtbot)
    window = open_window(home, lang="zh")
    read_main_screens(window, qtbot, override_app, walk.read)

    # Qt's own dialogs: a message box's standard buttons, the file dialog Loan Desk opens (not the native one).
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "信贷工作台", "？", QMessageBox.StandardButton.Ok |
                      QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes |
                      QMessageBox.StandardButton.No | QMessageBox.StandardButton.Save, window)  # fmt: skip
    box.open()
    walk.read("message box", box)
    box.done(0)
    files = QFileDialog(window)
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    files.open()
    walk.read("file dialog", files)
    files.reject()

    assert len(walk.screens) >= 25
    assert not walk.found, "\n".join(f"{screen}: {where} {text!r} {words}" for screen, left in walk.found.items()
                                     for where, text, words in left)  # fmt: skip


def test_the_walk_sees_english_when_it_is_there(open_window, home, qtbot):
    """The check is only as good as its reading: in English it must find the window's words."""
    window = open_window(home)
    found = {text for _where, text, _words in leftovers(window)}
    assert {"&File", "My work", "Enterprises", "Offline"} <= found
    assert latin_words("A-HZ01-0001 grade A, 300,000 yuan (Ctrl+F) C:\\data F2") == ["grade", "yuan"]


def import_list_file(tmp_path):
    """A small list with one header Loan Desk does not know (the mapping step asks about it)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
    from test_import_list_support import ZH, records, write_list

    rows = records(4, seed=7)
    rows[1]["credit_code"] = "bad"  # the result then has a rejected row and its reason
    return write_list(tmp_path / "名单.csv", rows, {**ZH, "enterprise_name": "主体名字"})


def test_sign_in_security_consent_and_import_screens_read_in_chinese(zh, home, open_window, qtbot, tmp_path):
    """The screens that came with users, consent and list import, walked signed in for real (no system
    actor): the admin's, then a teller's intake with its consent group, then the language switched to
    English and back with the session, the account menu and the idle lock still working."""
    from loandesk.demo import DEMO_PASSWORD
    from loandesk.ui.first_run_wizard import FirstRunWizard
    from loandesk.ui.login_dialog import LoginDialog
    from loandesk.ui.users_dialog import NewUserDialog, ResetPasswordDialog, RoleDialog

    walk = Walk(qtbot)
    # Before anyone signs in: the first-run dialog (new home, and an upgraded one), the sign-in dialog.
    for name, wizard in (("first run", FirstRunWizard()), ("first run (upgrade)", FirstRunWizard(upgrade=True))):
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.branch_page.bank_edit.setText("示范农村商业银行")  # what lets each page pass on to the next
        wizard.branch_page.branch_edit.setText("杭州西湖支行")
        wizard.branch_page.code_edit.setText("HZ01")
        wizard.admin_page.passwords.password_edit.setText("branch2026")
        wizard.admin_page.passwords.again_edit.setText("branch2026")
        for number in wizard.pageIds():  # every page, as the user reaches it
            assert wizard.currentId() == number
            walk.read(f"{name}, page {number + 1}", wizard)
            wizard.next()
        wizard.close()
    for name, dialog in (("sign in", LoginDialog(None, "")), ("switch user", LoginDialog(None, "", switching=True))):
        qtbot.addWidget(dialog)
        dialog.show()
        walk.read(name, dialog)
        dialog.close()

    window = open_window(home, user="admin", lang="zh")
    walk.data = (window.runner.session.actor.device,)  # the status bar names the device by its id
    account = window.account
    walk.read("main window (admin)", window)
    account.users_action.trigger()
    qtbot.waitUntil(lambda: account.users_dialog is not None and account.users_dialog.isVisible())
    users = account.users_dialog
    qtbot.waitUntil(lambda: users.findChild(QAbstractItemView).model().rowCount() >= 4, timeout=10_000)
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
    qtbot.waitUntil(lambda: account.audit_dialog.findChild(QAbstractItemView).model().rowCount() > 0, timeout=10_000)
    walk.read("audit log", account.audit_dialog)
    account.audit_dialog.close()
    settings = window.settings.show()  # Account > Settings… (issue 11)
    qtbot.waitUntil(settings.save_button.isEnabled, timeout=10_000)
    walk.read("settings", settings)
    settings.reject()
    account.change_password_action.trigger()
    qtbot.waitExposed(account.password_dialog)
    walk.read("change my password", account.password_dialog)
    account.password_dialog.passwords.password_edit.setText("short")
    account.password_dialog.passwords.again_edit.setText("other")
    account.password_dialog.buttons.accepted.emit()  # its error said in Chinese too
    walk.read("change my password (error)", account.password_dialog)
    account.password_dialog.reject()

    # The list import: file step, mapping step, result.
    dialog = window.list_import.open()
    walk.read("list import: file", dialog)
    dialog.path_edit.setText(str(import_list_file(tmp_path)))
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=20_000)
    walk.read("list import: mapping", dialog)
    combo = next(c for header, c in dialog.combos.items() if header == "主体名字")
    combo.setCurrentIndex(combo.findData("enterprise_name"))
    walk.read("list import: mapping chosen", dialog)
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 3, timeout=30_000)
    walk.read("list import: result", dialog)
    dialog.close()

    # The lock screen, and the password that opens it again.
    account.idle.lock()
    qtbot.waitUntil(lambda: account.idle.locked)
    walk.read("lock screen", account.idle.screen)
    # "退出登录", not "注销" (which a Chinese reader may take for closing the account)
    assert account.idle.screen.sign_out_button.text() == "退出登录(&O)" == account.sign_out_action.text()
    account.idle.screen.password_edit.setText("not-it")
    account.idle.screen.unlock_button.click()
    qtbot.waitUntil(lambda: account.idle.screen.error_label.text() != "", timeout=10_000)
    walk.read("lock screen (wrong password)", account.idle.screen)
    account.idle.screen.password_edit.setText(DEMO_PASSWORD)
    account.idle.screen.unlock_button.click()
    qtbot.waitUntil(lambda: not account.idle.locked, timeout=10_000)
    window.close()

    # A teller at the counter: the intake's consent group ticked, its giver and expiry filled in.
    teller = open_window(home, user="teller", lang="zh")
    walk.read("main window (teller)", teller)
    form = teller.new_intake()
    qtbot.waitExposed(form)
    form.editors["legal_rep_name"].setText("张三")
    form.editors["consent_given"].setChecked(True)
    form.editors["consent_date"].setText("2026-11-02")
    form.editors["consent_date"].textEdited.emit("2026-11-02")
    qtbot.waitUntil(lambda: form.editors["consent_expires"].text() != "")
    walk.read("intake form with consent", form)
    assert form.editors["consent_expires"].text() == "2027-11-02"  # a year on, filled in as the teller expects
    assert form.editors["consent_expires"].placeholderText() == "年-月-日；留空则为授权日期起一年"  # as other dates
    form.editors["consent_date"].setText("2026-13-40")
    form.editors["consent_date"].textEdited.emit("2026-13-40")
    form.validate()
    walk.read("intake form, consent date wrong", form)
    form.close_silently()

    # The language switched after sign-in, to English and back: the same session, menu and idle lock.
    from loandesk.ui import language_switch

    switched = []
    for lang in ("en", "zh"):
        job = language_switch.switch(teller, lang)
        qtbot.waitUntil(lambda j=job: j.window is not None, timeout=30_000)
        teller = job.window
        qtbot.waitUntil(lambda w=teller: w.work_queue_page.model.answered, timeout=10_000)
        qtbot.waitUntil(lambda w=teller: w.account.lock_action.isEnabled(), timeout=10_000)
        assert teller.runner.session.actor.username == "teller"
        assert teller.account.idle.timer.isActive()
        assert not teller.application_actions.decide_action.isEnabled()  # the role's gate is kept
        switched.append(teller.account.user_label.text())
    assert switched[0] == "张柜员 · teller"  # the status bar said so in English, then in Chinese
    chinese = teller
    assert switched[-1].startswith("张柜员 · ") and "teller" not in switched[-1]
    walk.read("main window after the language switch", chinese)
    chinese.account.idle.lock()
    qtbot.waitUntil(lambda: chinese.account.idle.locked)
    walk.read("lock screen after the language switch", chinese.account.idle.screen)
    chinese.account.idle.screen.password_edit.setText(DEMO_PASSWORD)
    chinese.account.idle.screen.unlock_button.click()
    qtbot.waitUntil(lambda: not chinese.account.idle.locked, timeout=10_000)
    chinese.close()

    assert len(walk.screens) >= 24
    assert not walk.found, "\n".join(f"{screen}: {where} {text!r} {words}" for screen, left in walk.found.items()
                                     for where, text, words in left)  # fmt: skip
