"""Signing in at start, creating the first admin, and unlocking after the idle lock.

The dialog only collects what the user types; the work (Argon2id unwrap, opening the store) runs
off the GUI thread through ``sign_in_job`` / ``create_admin_job`` on the task runner, so the window
stays responsive and a wrong password costs no frozen screen. Chinese first: every string is
translated, and the password never leaves this dialog except to the sign-in service.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


def sign_in_job(home: Path, user: str, password: str) -> Callable:
    def job(_store, _state):
        from loandesk.security import session as sessions

        return sessions.sign_in(home, user, password)

    return job


def create_admin_job(home: Path, user: str, password: str, display_name: str, upgrade: bool) -> Callable:
    def job(_store, _state):
        from loandesk.security import session as sessions

        make = sessions.upgrade_home if upgrade else sessions.create_home
        return make(home, user, password, display_name)

    return job


def error_text(error: BaseException) -> str:
    """What the services say, in the user's language (their exceptions carry both)."""
    message = getattr(error, "message", None)
    return message() if callable(message) else str(error)


class LoginDialog(QDialog):
    """Sign in (``mode="sign_in"``), or create the first admin of a new or upgraded home.

    ``submit(user, password, display_name)`` is called when the user presses OK; the caller runs the
    job and calls ``failed(message)`` or ``accept()``. While a job runs the inputs are disabled.
    """

    submitted = Signal(str, str, str)  # user, password, display name

    def __init__(self, mode: str = "sign_in", parent: QWidget | None = None, user: str = "") -> None:
        super().__init__(parent)
        self.mode = mode
        self.setWindowTitle(self.tr("Loan Desk — sign in") if mode == "sign_in" else self.tr("Loan Desk — first admin"))
        layout = QVBoxLayout(self)
        intro = {
            "sign_in": self.tr("Sign in with your Loan Desk user name and password."),
            "unlock": self.tr("Loan Desk was locked after 10 idle minutes. Your unsaved entries are kept: "
                              "type your password to carry on."),
            "create": self.tr("This data home has no users yet. Create the branch administrator: "
                              "the admin then adds tellers, officers and approvers."),
            "upgrade": self.tr("This data home was made before user accounts. Create its administrator: "
                               "the store's key is then protected by the password. Nothing is lost."),
        }[mode]
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.user_edit = QLineEdit(user)
        self.user_edit.setObjectName("loginUser")
        self.user_edit.setAccessibleName(self.tr("User name"))
        form.addRow(self.tr("&User name:"), self.user_edit)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("loginDisplayName")
        self.name_edit.setPlaceholderText(self.tr("as printed on memos, e.g. 王芳"))
        if mode in ("create", "upgrade"):
            form.addRow(self.tr("&Full name:"), self.name_edit)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("loginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(self.tr("Password"))
        form.addRow(self.tr("&Password:"), self.password_edit)
        self.again_edit = QLineEdit()
        self.again_edit.setObjectName("loginPasswordAgain")
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if mode in ("create", "upgrade"):
            form.addRow(self.tr("Password &again:"), self.again_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Sign in") if mode in ("sign_in", "unlock") else self.tr("&Create"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("&Quit") if mode != "unlock" else self.tr("Sign &out"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if mode == "unlock":
            self.user_edit.setReadOnly(True)
        (self.password_edit if user else self.user_edit).setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(420)

    def _submit(self) -> None:
        user = self.user_edit.text().strip()
        password = self.password_edit.text()
        if not user:
            self.failed(self.tr("Type your user name."))
            self.user_edit.setFocus()
            return
        if not password:
            self.failed(self.tr("Type your password."))
            self.password_edit.setFocus()
            return
        if self.mode in ("create", "upgrade") and password != self.again_edit.text():
            self.failed(self.tr("The two passwords differ."))
            self.again_edit.clear()
            self.again_edit.setFocus()
            return
        self.set_busy(True)
        self.error_label.setText(self.tr("Signing in…") if self.mode in ("sign_in", "unlock") else self.tr("Creating…"))
        self.submitted.emit(user, password, self.name_edit.text().strip())

    def set_busy(self, busy: bool) -> None:
        for widget in (self.user_edit, self.name_edit, self.password_edit, self.again_edit, self.buttons):
            widget.setEnabled(not busy)

    def failed(self, message: str) -> None:
        self.set_busy(False)
        self.error_label.setText(message)
        self.password_edit.selectAll()
        if self.user_edit.text():
            self.password_edit.setFocus()
