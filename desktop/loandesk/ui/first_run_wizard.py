"""The first start of a data home without users: a short wizard (issue 11, "First run").

Pages: the language (switching it re-reads the wizard in that language at once), the bank's and
branch's names and the branch code, the first administrator (the password rules of
``first_run_dialog``), the head-office hub's address or offline only, demo data yes or no.
Nothing is written until Finish: then one job on the worker creates the home and its admin
(``security.session.create_home``) and records the choices (``storage.branch_settings``, audited,
and the language preference); Cancel (Quit) leaves the home as it was.

A home from before users (``store.key`` beside it) is upgraded instead (``upgrade_home``): its key is
wrapped for the new admin, its branch code and data stay, and it is asked only the language, the
names and the admin. Demo data and a language other than the window's are taken care of once the
window has the store (``follow_up``, connected by ``settings_menu.install``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from loandesk.core import i18n as core_i18n
from loandesk.core.branch_setup import NAME_MAX, SetupError, check_branch_code, check_hub_url, check_name

from . import i18n
from .accessibility import name_fields
from .first_run_dialog import PasswordFields
from .login_dialog import Busy

if TYPE_CHECKING:
    from .main_window import MainWindow

DEMO_COUNT = 60  # as the window's own offer (main_window.DEMO_COUNT)
POLL_MS = 50
LANGUAGES = (("zh", "中文"), ("en", "English"))  # each in its own words, whatever the wizard's language
_pending: dict[Path, FirstRunChoices] = {}  # homes just set up, waiting for their window (follow_up)


@dataclass
class FirstRunChoices:
    lang: str
    bank_name: str
    branch_name: str
    branch: str | None  # None: a home from before users keeps its code
    hub_url: str  # "": offline only
    demo: bool
    user: str
    password: str
    display_name: str


def setup_job(home: Path, choices: FirstRunChoices, upgrade: bool) -> Callable:
    """Create (or upgrade) the home with its admin, then record the wizard's choices as that admin."""

    def job(_store, _state):
        from loandesk.security import session as sessions
        from loandesk.storage import branch_settings

        if upgrade:
            session = sessions.upgrade_home(home, choices.user, choices.password, choices.display_name)
        else:
            session = sessions.create_home(home, choices.user, choices.password, choices.display_name,
                                           branch=choices.branch)  # fmt: skip
        # The wizard's pages refused empty names; a name left out (the start-up benchmark) keeps the template's.
        changes = {key: value for key, value in (("bank_name", choices.bank_name),
                                                 ("branch_name", choices.branch_name)) if value}  # fmt: skip
        if not upgrade and choices.hub_url:
            changes["hub_url"] = choices.hub_url  # offline only: no hub address at all
        branch_settings.apply(session.store, changes)
        i18n.save_language(home, choices.lang)
        return session

    return job


class _Page(QWizardPage):
    """A page with a red line for the reason a value is refused, and a bar while Finish runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.layout_.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.layout_.addLayout(self.form)

    def finish_layout(self) -> None:
        self.busy = Busy(self)
        self.layout_.addWidget(self.busy)
        self.error_label = QLabel()
        self.error_label.setObjectName("firstRunError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.layout_.addWidget(self.error_label)  # right under the fields it speaks of
        self.layout_.addStretch(1)

    def row(self, field: QWidget) -> QLabel:
        label = QLabel()
        label.setBuddy(field)
        self.form.addRow(label, field)
        return label

    def refuse(self, message: str, field: QWidget | None = None) -> bool:
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setText(message)
        if field is not None:
            field.setFocus()
        return False

    def initializePage(self) -> None:
        self.error_label.clear()


class LanguagePage(_Page):
    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setObjectName("firstRunLanguage")
        for code, name in LANGUAGES:
            self.combo.addItem(name, code)
        self.combo.setCurrentIndex(max(0, self.combo.findData(lang)))
        self.language_label = self.row(self.combo)
        self.finish_layout()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Welcome to Loan Desk"))
        self.setSubTitle(self.tr("A few questions before the first start. Nothing is saved until you finish."))
        self.intro.setText(self.tr("Choose the language of Loan Desk on this computer. It can be changed later "
                                   "in View > Language."))  # fmt: skip
        self.language_label.setText(self.tr("&Language:"))

    def lang(self) -> str:
        return self.combo.currentData()


class BranchPage(_Page):
    def __init__(self, upgrade: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.upgrade = upgrade
        self.bank_edit = QLineEdit()
        self.bank_edit.setObjectName("bankName")
        self.bank_edit.setMaxLength(NAME_MAX + 20)  # a longer name is refused with the reason, not cut silently
        self.bank_label = self.row(self.bank_edit)
        self.branch_edit = QLineEdit()
        self.branch_edit.setObjectName("branchName")
        self.branch_edit.setMaxLength(NAME_MAX + 20)
        self.branch_label = self.row(self.branch_edit)
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("branchCode")
        self.code_edit.setMaxLength(12)
        self.code_label = self.row(self.code_edit)
        if upgrade:  # its references already carry its code: it stays
            self.code_edit.hide()
            self.code_label.hide()
        self.finish_layout()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Bank and branch"))
        self.setSubTitle(self.tr("Printed at the top of every credit memo."))
        self.intro.setText(self.tr("This data home keeps its branch code: its reference numbers already use it.")
                           if self.upgrade else
                           self.tr("The branch code starts every reference number (e.g. A-HZ01-…) and cannot be "
                                   "changed once the first record is saved."))  # fmt: skip
        self.bank_label.setText(self.tr("&Bank name:"))
        self.bank_edit.setPlaceholderText(self.tr("e.g. 示范农村商业银行"))
        self.branch_label.setText(self.tr("Branch &name:"))
        self.branch_edit.setPlaceholderText(self.tr("e.g. 杭州西湖支行"))
        self.code_label.setText(self.tr("Branch &code:"))
        self.code_edit.setPlaceholderText(self.tr("2-8 capital letters or digits, e.g. HZ01"))

    def validatePage(self) -> bool:
        try:
            check_name("bank_name", self.bank_edit.text())
        except SetupError as exc:
            return self.refuse(exc.message(core_i18n.language()), self.bank_edit)
        try:
            check_name("branch_name", self.branch_edit.text())
        except SetupError as exc:
            return self.refuse(exc.message(core_i18n.language()), self.branch_edit)
        if not self.upgrade:
            try:
                check_branch_code(self.code_edit.text())
            except SetupError as exc:
                return self.refuse(exc.message(core_i18n.language()), self.code_edit)
        self.error_label.clear()
        return True


class AdminPage(_Page):
    def __init__(self, upgrade: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.upgrade = upgrade
        self.user_edit = QLineEdit("admin")
        self.user_edit.setObjectName("firstUser")
        self.user_edit.setMaxLength(32)
        self.user_label = self.row(self.user_edit)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("firstDisplayName")
        self.name_edit.setMaxLength(60)
        self.name_label = self.row(self.name_edit)
        self.passwords = PasswordFields(self.form, self)
        self.finish_layout()

    def retranslate(self) -> None:
        self.setTitle(self.tr("The branch administrator"))
        self.setSubTitle(self.tr("The administrator then adds tellers, officers and approvers."))
        self.intro.setText(self.tr("This data home was made before user accounts. Create its administrator: the "
                                   "store's key is then protected by the password. Nothing already stored is lost.")
                           if self.upgrade else
                           self.tr("This data home has no users yet. Create the branch administrator; the "
                                   "password protects every applicant's data, so keep it safe."))  # fmt: skip
        self.user_label.setText(self.tr("&User name:"))
        self.user_edit.setToolTip(self.tr("2-32 lower-case letters, digits, . _ -, starting with a letter"))
        self.name_label.setText(self.tr("&Full name:"))
        self.name_edit.setPlaceholderText(self.tr("as printed on memos, e.g. 王芳"))
        self.passwords.retranslate()

    def validatePage(self) -> bool:
        from loandesk.core.i18n import pick
        from loandesk.storage.users import UserError, check_username

        user = self.user_edit.text().strip()
        try:
            check_username(user)
        except UserError as exc:
            return self.refuse(exc.message(), self.user_edit)
        problem = self.passwords.problem(user)
        if problem:
            self.passwords.clear()
            return self.refuse(pick(*problem), self.passwords.password_edit)
        self.error_label.clear()
        return True


class HubPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.offline = QRadioButton()
        self.offline.setObjectName("offlineOnly")
        self.online = QRadioButton()
        self.online.setObjectName("useHub")
        self.group = QButtonGroup(self)
        self.group.addButton(self.offline)
        self.group.addButton(self.online)
        self.offline.setChecked(True)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("hubAddress")
        self.url_edit.setPlaceholderText("https://hub.example.cn:8800")
        self.url_edit.setEnabled(False)
        self.online.toggled.connect(self.url_edit.setEnabled)
        self.online.toggled.connect(lambda on: on and self.url_edit.setFocus())
        self.url_edit.textEdited.connect(lambda _t: self.online.setChecked(True))
        self.form.addRow(self.offline)
        self.form.addRow(self.online)
        self.url_label = self.row(self.url_edit)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.layout_.addWidget(self.note)
        self.finish_layout()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Head office"))
        self.setSubTitle(self.tr("Where this branch sends its work, if it does."))
        self.intro.setText(self.tr("Loan Desk works offline; a head-office hub receives the branch's records when "
                                   "this computer can reach it."))  # fmt: skip
        self.offline.setText(self.tr("&Offline only (no head-office hub for now)"))
        self.online.setText(self.tr("Send to the head-office &hub at this address:"))
        self.url_label.setText(self.tr("Hub &address:"))
        self.note.setText(self.tr("Enrolling needs a one-time code from head office: after the first start, "
                                  "choose Sync > Enrol with head office… (the address is filled in)."))  # fmt: skip

    def hub_url(self) -> str:
        return check_hub_url(self.url_edit.text()) if self.online.isChecked() else ""

    def validatePage(self) -> bool:
        try:
            self.hub_url()
        except SetupError as exc:
            return self.refuse(exc.message(core_i18n.language()), self.url_edit)
        self.error_label.clear()
        return True


class DemoPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.yes = QRadioButton()
        self.yes.setObjectName("demoYes")
        self.no = QRadioButton()
        self.no.setObjectName("demoNo")
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.no.setChecked(True)
        self.form.addRow(self.yes)
        self.form.addRow(self.no)
        self.finish_layout()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Demo data"))
        self.setSubTitle(self.tr("Try Loan Desk on made-up enterprises first, or start with real work."))
        self.intro.setText(self.tr("Demo records are clearly made up; an administrator can add them later too "
                                   "(File > Add demo data…)."))  # fmt: skip
        self.yes.setText(self.tr("&Add {n} demo enterprises and applications").format(n=DEMO_COUNT))
        self.no.setText(self.tr("&Start empty"))


class FirstRunWizard(QWizard):
    """``submitted(FirstRunChoices)`` on Finish; the caller runs ``setup_job`` and calls ``failed`` or ``done``."""

    submitted = Signal(object)

    def __init__(self, upgrade: bool = False, parent: QWidget | None = None, lang: str | None = None) -> None:
        super().__init__(parent)
        self.upgrade = upgrade
        self.setObjectName("firstRunWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.language_page = LanguagePage(lang or core_i18n.language())
        self.branch_page = BranchPage(upgrade)
        self.admin_page = AdminPage(upgrade)
        self.hub_page = None if upgrade else HubPage()
        self.demo_page = None if upgrade else DemoPage()
        for page in self.pages():
            self.addPage(page)
        self.language_page.combo.currentIndexChanged.connect(self._language_chosen)
        self._poll: QTimer | None = None
        self._switching: i18n.Compilation | None = None
        self._busy = False
        self.retranslate()
        self.setMinimumSize(600, 460)

    def pages(self) -> list[_Page]:
        return [p for p in (self.language_page, self.branch_page, self.admin_page, self.hub_page, self.demo_page)
                if p is not None]  # fmt: skip

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Loan Desk — first start"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("&Quit"))
        for page in self.pages():
            page.retranslate()
            for label in page.findChildren(QLabel):  # named again in the new language (name_fields keeps names)
                if label.buddy() is not None:
                    label.buddy().setAccessibleName("")
            name_fields(page)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    # ---- the language, live ------------------------------------------------------------------
    def _language_chosen(self, _index: int) -> None:
        lang = self.language_page.lang()
        if lang == core_i18n.language():
            return
        self._switching = i18n.Compilation(lang)  # compiled on its own thread when the cache lacks it
        if self._poll is None:
            self._poll = QTimer(self, interval=POLL_MS)
            self._poll.timeout.connect(self._check_language)
        self._poll.start()
        self._check_language()

    def _check_language(self) -> None:
        ready = self._switching
        if ready is None or not ready.done():
            return
        self._poll.stop()
        self._switching = None
        if ready.lang != self.language_page.lang():  # chosen again meanwhile: follow the latest
            self._language_chosen(0)
            return
        app = QApplication.instance()
        for translator in getattr(app, "_translators", []):
            app.removeTranslator(translator)
        app._translators = i18n.install_translators(app, ready.lang, ready)
        self.retranslate()  # LanguageChange does so too; English installs no translator, so say it here

    # ---- finishing ---------------------------------------------------------------------------
    def choices(self) -> FirstRunChoices:
        admin = self.admin_page
        return FirstRunChoices(
            lang=self.language_page.lang(), bank_name=self.branch_page.bank_edit.text().strip(),
            branch_name=self.branch_page.branch_edit.text().strip(),
            branch=None if self.upgrade else self.branch_page.code_edit.text().strip(),
            hub_url=self.hub_page.hub_url() if self.hub_page else "",
            demo=bool(self.demo_page and self.demo_page.yes.isChecked()), user=admin.user_edit.text().strip(),
            password=admin.passwords.password_edit.text(), display_name=admin.name_edit.text().strip(),
        )  # fmt: skip

    def accept(self) -> None:
        """Finish: every page was checked on leaving it; the caller now does the writing."""
        if self._busy:
            return
        page = self.currentPage()
        if not page.validatePage():
            return
        self.set_busy(True)
        page.error_label.setStyleSheet("")
        page.error_label.setText(self.tr("Creating the data home and its administrator…"))
        self.submitted.emit(self.choices())

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.currentPage().setEnabled(not busy)
        self.currentPage().busy.setVisible(busy)
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton,
                      QWizard.WizardButton.CancelButton):  # fmt: skip
            self.button(which).setEnabled(not busy)

    def failed(self, message: str) -> None:
        self.set_busy(False)
        self.currentPage().refuse(message)

    def reject(self) -> None:
        if not self._busy:  # Esc while the home is being made would quit under a half-open store
            super().reject()


def remember(home: Path, choices: FirstRunChoices) -> None:
    """The home is set up: its window finishes the job once it has the store (``follow_up``)."""
    choices.password = ""  # not kept a moment longer than the job needed it
    _pending[Path(home)] = choices


def follow_up(window: MainWindow) -> None:
    """On the window's store_ready after the wizard: its language first (the window is made again in it,
    and this runs again for the new one), then the demo data if asked for. No banner offers it again."""
    choices = _pending.get(Path(window.home))
    if choices is None or window.runner.session is None:
        return
    window.offer_demo = False  # the wizard asked already
    if choices.lang != window.lang:
        window.choose_language(choices.lang)
        return
    del _pending[Path(window.home)]
    if choices.demo:
        window.add_demo_data()
