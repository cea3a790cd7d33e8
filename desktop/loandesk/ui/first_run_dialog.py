"""The first start of a data home without users: create its branch administrator.

A new home gets a new store key; a home from before users (``store.key`` beside the database) keeps
its key, wrapped for the new admin, and its bare key file is removed (security.session.upgrade_home).
Nothing already stored is touched. The password rule here is the GUI's (longer than the core's floor):
a bank's admin account guards every applicant's ID number, so "1234" is refused with the reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .accessibility import name_fields
from .login_dialog import Busy

MIN_LENGTH = 8


def password_problem(password: str, user: str = "") -> tuple[str, str] | None:
    """Why a new password is refused (en, zh), or None. Qt-free: the users dialog uses it too."""
    if len(password) < MIN_LENGTH:
        return (f"the password needs at least {MIN_LENGTH} characters ({len(password)} typed)",
                f"密码至少 {MIN_LENGTH} 位（已输入 {len(password)} 位）")  # fmt: skip
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "the password needs letters and digits", "密码须同时包含字母和数字"
    if user and user.lower() in password.lower():
        return "the password must not contain the user name", "密码不能包含用户名"
    return None


def strength(password: str) -> int:
    """0 (none) .. 3 (strong): length and the kinds of characters used."""
    if not password:
        return 0
    kinds = sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                 any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))  # fmt: skip
    if len(password) < MIN_LENGTH or kinds < 2:
        return 1
    return 3 if len(password) >= 12 and kinds >= 3 else 2


class PasswordFields(QWidget):
    """New password, typed twice, with a live strength line (the users dialog's reset uses it too)."""

    def __init__(self, form: QFormLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("newPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(256)
        self.again_edit = QLineEdit()
        self.again_edit.setObjectName("newPasswordAgain")
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit.setMaxLength(256)
        self.strength_label = QLabel()
        self.strength_label.setObjectName("passwordStrength")
        form.addRow(self.tr("New &password:"), self.password_edit)
        form.addRow(self.tr("Password &again:"), self.again_edit)
        form.addRow("", self.strength_label)
        self.password_edit.textChanged.connect(self._show_strength)
        self._show_strength("")

    def _show_strength(self, text: str) -> None:
        words = {0: self.tr("At least 8 characters, with letters and digits."), 1: self.tr("Strength: weak"),
                 2: self.tr("Strength: fair"), 3: self.tr("Strength: strong")}  # fmt: skip
        colours = {0: "#555", 1: "#b00020", 2: "#8a6d00", 3: "#1b6e20"}
        level = strength(text)
        self.strength_label.setText(words[level])
        self.strength_label.setStyleSheet(f"color: {colours[level]};")

    def problem(self, user: str = "") -> tuple[str, str] | None:
        """Why the typed pair is refused (en, zh), or None."""
        found = password_problem(self.password_edit.text(), user)
        if found:
            return found
        if self.password_edit.text() != self.again_edit.text():
            return "the two passwords differ", "两次输入的密码不一致"
        return None

    def clear(self) -> None:
        self.password_edit.clear()
        self.again_edit.clear()


class FirstRunDialog(QDialog):
    """Create the first admin. ``submitted(user, password, display name)``; the caller runs the job."""

    submitted = Signal(str, str, str)

    def __init__(self, upgrade: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.upgrade = upgrade
        self.setWindowTitle(self.tr("Loan Desk — first administrator"))
        layout = QVBoxLayout(self)
        intro = (self.tr("This data home was made before user accounts. Create its administrator: the store's "
                         "key is then protected by the password. Nothing already stored is lost.") if upgrade else
                 self.tr("This data home has no users yet. Create the branch administrator: the admin then adds "
                         "tellers, officers and approvers."))  # fmt: skip
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.user_edit = QLineEdit("admin")
        self.user_edit.setObjectName("firstUser")
        self.user_edit.setMaxLength(32)
        self.user_edit.setToolTip(self.tr("2-32 lower-case letters, digits, . _ -, starting with a letter"))
        form.addRow(self.tr("&User name:"), self.user_edit)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("firstDisplayName")
        self.name_edit.setMaxLength(60)
        self.name_edit.setPlaceholderText(self.tr("as printed on memos, e.g. 王芳"))
        form.addRow(self.tr("&Full name:"), self.name_edit)
        self.passwords = PasswordFields(form, self)
        layout.addLayout(form)
        self.busy = Busy(self)
        layout.addWidget(self.busy)
        self.error_label = QLabel()
        self.error_label.setObjectName("firstRunError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Create administrator"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Quit"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        name_fields(self)  # each field named by its label, for screen readers (ui/accessibility.py)
        self.setMinimumWidth(460)

    def _submit(self) -> None:
        from loandesk.core.i18n import pick
        from loandesk.storage.users import UserError, check_username

        user = self.user_edit.text().strip()
        try:
            check_username(user)
        except UserError as exc:
            self.failed(exc.message())
            self.user_edit.setFocus()
            return
        problem = self.passwords.problem(user)
        if problem:
            self.failed(pick(*problem))
            self.passwords.clear()
            self.passwords.password_edit.setFocus()
            return
        self.set_busy(True)
        self.error_label.setText(self.tr("Creating the administrator…"))
        self.submitted.emit(user, self.passwords.password_edit.text(), self.name_edit.text().strip())

    def set_busy(self, busy: bool) -> None:
        for widget in (self.user_edit, self.name_edit, self.passwords.password_edit, self.passwords.again_edit,
                       self.buttons):  # fmt: skip
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)

    def reject(self) -> None:
        if not self.busy.isVisible():
            super().reject()

    def failed(self, message: str) -> None:
        self.set_busy(False)
        self.error_label.setText(message)
