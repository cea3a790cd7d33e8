"""A new password as the GUI asks for it: the first-run wizard's administrator, the users dialog's resets.

The password rule here is the GUI's (longer than the core's floor): a bank's admin account guards every
applicant's ID number, so "1234" is refused with the reason. The first start itself is the wizard
(``first_run_wizard``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

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
        self.password_label, self.again_label = QLabel(), QLabel()
        self.password_label.setBuddy(self.password_edit)
        self.again_label.setBuddy(self.again_edit)
        form.addRow(self.password_label, self.password_edit)
        form.addRow(self.again_label, self.again_edit)
        form.addRow("", self.strength_label)
        self.password_edit.textChanged.connect(self._show_strength)
        self.retranslate()

    def retranslate(self) -> None:
        """Its words again, after the first-run wizard has switched the language."""
        self.password_label.setText(self.tr("New &password:"))
        self.again_label.setText(self.tr("Password &again:"))
        self._show_strength(self.password_edit.text())

    def _show_strength(self, text: str) -> None:
        words = {0: self.tr("At least 8 characters, with letters and digits."), 1: self.tr("Strength: weak"),
                 2: self.tr("Strength: fair"), 3: self.tr("Strength: strong")}  # fmt: skip
        colours = {0: "#555", 1: "#b00020", 2: "#8a5a00", 3: "#1b6e20"}
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

