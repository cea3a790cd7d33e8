"""The settings dialog (Account > Settings…, admin only; see ``settings_menu``): the bank's and branch's
names on memos, the language, the hub's address.

What the first-run wizard asked, changed later through the same domain function
(``storage.branch_settings.apply``: checked, audited, admin only); the branch code is shown, not changed
(reference numbers carry it). The hub's address can be changed until the device is enrolled; after that
it is the enrolled hub's, shown only. The language is this computer's preference: changing it switches
the window at once (``ui.language_switch``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.branch_setup import NAME_MAX, SetupError
from loandesk.core.i18n import language

from .error_text import user_message
from .first_run_wizard import LANGUAGES

if TYPE_CHECKING:
    from .main_window import MainWindow


class SettingsDialog(QDialog):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.runner = window.runner
        self.current: dict[str, str] = {}
        self.setWindowTitle(self.tr("Settings"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.bank_edit = QLineEdit()
        self.bank_edit.setObjectName("bankName")
        self.bank_edit.setMaxLength(NAME_MAX + 20)
        form.addRow(self.tr("&Bank name:"), self.bank_edit)
        self.branch_edit = QLineEdit()
        self.branch_edit.setObjectName("branchName")
        self.branch_edit.setMaxLength(NAME_MAX + 20)
        form.addRow(self.tr("Branch &name:"), self.branch_edit)
        self.code_label = QLabel()
        self.code_label.setObjectName("branchCode")
        self.code_label.setToolTip(self.tr("Reference numbers carry it; it cannot be changed."))
        form.addRow(self.tr("Branch code:"), self.code_label)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("settingsLanguage")
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(window.lang)))
        form.addRow(self.tr("&Language:"), self.language_combo)
        self.offline = QRadioButton(self.tr("&Offline only"))
        self.offline.setObjectName("offlineOnly")
        self.online = QRadioButton(self.tr("Head-office &hub:"))
        self.online.setObjectName("useHub")
        group = QButtonGroup(self)
        group.addButton(self.offline)
        group.addButton(self.online)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("hubAddress")
        self.url_edit.setPlaceholderText("https://hub.example.cn:8800")
        self.online.toggled.connect(self.url_edit.setEnabled)
        self.url_edit.textEdited.connect(lambda _t: self.online.setChecked(True))
        form.addRow(self.offline)
        form.addRow(self.online, self.url_edit)
        self.hub_note = QLabel()
        self.hub_note.setWordWrap(True)
        form.addRow(self.hub_note)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("settingsError")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save"))
        self.save_button.setEnabled(False)  # until the settings have been read
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        from loandesk.storage import branch_settings

        def read(store, _state):
            from loandesk.memo.template import load_template

            template = load_template(store.home)  # its names print while the settings hold none
            return {**branch_settings.read(store), "template_bank": template.bank(language()),
                    "template_branch": template.branch(language())}  # fmt: skip

        self.runner.submit(read, self._read, self._failed)

    def _read(self, current: dict[str, str]) -> None:
        self.current = current
        shown = self.tr("empty: as in the memo template, {name}")
        self.bank_edit.setPlaceholderText(shown.format(name=current["template_bank"]))
        self.branch_edit.setPlaceholderText(shown.format(name=current["template_branch"]))
        self.bank_edit.setText(current["bank_name"])
        self.branch_edit.setText(current["branch_name"])
        self.code_label.setText(current["branch"])
        self.url_edit.setText(current["hub_url"])
        (self.online if current["hub_url"] else self.offline).setChecked(True)
        self.url_edit.setEnabled(bool(current["hub_url"]))
        if current["enrolled"]:
            for widget in (self.offline, self.online, self.url_edit):
                widget.setEnabled(False)
            self.hub_note.setText(self.tr("This device is enrolled with this hub; head office moves it to another."))
        else:
            self.hub_note.setText(self.tr("Enrolling needs a one-time code from head office (Sync > Enrol with "
                                          "head office…)."))  # fmt: skip
        self.save_button.setEnabled(True)

    def changes(self) -> dict[str, str]:
        """What differs from the stored values, checked (SetupError names the field refused)."""
        from loandesk.storage.branch_settings import checked

        wanted = {"bank_name": self.bank_edit.text(), "branch_name": self.branch_edit.text()}
        if not self.current.get("enrolled"):
            wanted["hub_url"] = self.url_edit.text() if self.online.isChecked() else ""
        values = {key: checked(key, value) for key, value in wanted.items()}
        return {key: value for key, value in values.items() if value != self.current.get(key, "")}

    def save(self) -> None:
        fields = {"bank_name": self.bank_edit, "branch_name": self.branch_edit, "hub_url": self.url_edit}
        try:
            changes = self.changes()
        except SetupError as exc:
            self.message.setText(exc.message(language()))
            fields[exc.field].setFocus()
            return
        lang = self.language_combo.currentData()
        if not changes:
            self._saved({}, lang)
            return
        from loandesk.storage import branch_settings

        self.save_button.setEnabled(False)
        self.runner.submit(lambda store, _s: branch_settings.apply(store, changes),
                           lambda done: self._saved(done, lang), self._failed)  # fmt: skip

    def _saved(self, changed: dict[str, str], lang: str) -> None:
        window = self.window_
        self.accept()
        if changed:
            window.statusBar().showMessage(self.tr("Settings saved."), 8000)
            window.refresh_status()  # the hub's address shows in the status bar
        if lang != window.lang:
            window.choose_language(lang)  # saved as the preference, the window made again in it

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(user_message(error))
