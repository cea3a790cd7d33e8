"""Signing in at start (and after sign out or switch user), through the same service as the CLI.

The dialog only collects what the user types; the work (Argon2id unwrap, opening the store) runs
off the GUI thread as a job on the task runner, so the window stays responsive and a wrong password
costs no frozen screen. Chinese first: every string is translated, and the password never leaves
this dialog except to the sign-in service (security.session).

``ask_sign_in`` chooses what a data home needs: the login dialog for a home with users, the
first-run wizard for a new home or one from before users, a one-line refusal for a damaged one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from .error_text import user_message

if TYPE_CHECKING:
    from .tasks import TaskRunner


def sign_in_job(home: Path, user: str, password: str) -> Callable:
    def job(_store, _state):
        from loandesk.security import session as sessions

        return sessions.sign_in(home, user, password)

    return job


def error_text(error: BaseException) -> str:
    """What the services say, in the user's language (their exceptions carry both)."""
    return user_message(error)


class Busy(QProgressBar):
    """An indeterminate bar shown while the sign-in job runs (Argon2 takes a noticeable moment)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setMaximumHeight(8)
        self.hide()


class LoginDialog(QDialog):
    """User name and password. ``submitted(user, password)`` when OK is pressed; the caller runs the job
    and calls ``failed(message)`` or ``accept()``. While the job runs the inputs are disabled."""

    submitted = Signal(str, str)  # user, password

    def __init__(self, parent: QWidget | None = None, user: str = "", switching: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Loan Desk — switch user") if switching else self.tr("Loan Desk — sign in"))
        layout = QVBoxLayout(self)
        self.intro = QLabel(self.tr("Sign in with your Loan Desk user name and password."))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.user_edit = QLineEdit(user)
        self.user_edit.setObjectName("loginUser")
        self.user_edit.setAccessibleName(self.tr("User name"))
        self.user_edit.setMaxLength(32)
        form.addRow(self.tr("&User name:"), self.user_edit)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("loginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(self.tr("Password"))
        self.password_edit.setMaxLength(256)
        form.addRow(self.tr("&Password:"), self.password_edit)
        layout.addLayout(form)
        self.busy = Busy(self)
        layout.addWidget(self.busy)
        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Quit"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.password_edit, self.ok_button)  # user, password, Sign in: whatever the buttons' order
        (self.password_edit if user else self.user_edit).setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(420)

    def _submit(self) -> None:
        user = self.user_edit.text().strip().lower()
        password = self.password_edit.text()
        if not user:
            self.failed(self.tr("Type your user name."))
            self.user_edit.setFocus()
            return
        if not password:
            self.failed(self.tr("Type your password."))
            self.password_edit.setFocus()
            return
        self.set_busy(True)
        self.error_label.setStyleSheet("")
        self.error_label.setText(self.tr("Signing in…"))
        self.submitted.emit(user, password)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.user_edit, self.password_edit, self.buttons):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)

    def reject(self) -> None:
        if not self.busy.isVisible():  # Esc while the sign-in runs would quit under a half-open store
            super().reject()

    def failed(self, message: str) -> None:
        self.set_busy(False)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setText(message)
        self.password_edit.clear()  # never left in the field for the next person at the desk
        (self.password_edit if self.user_edit.text() else self.user_edit).setFocus()


def ask_sign_in(home: Path, runner: TaskRunner, parent: QWidget | None, on_signed_in: Callable[[object], None],
                on_quit: Callable[[], None], *, switching: bool = False) -> QDialog | None:  # fmt: skip
    """Show what this home needs to be opened (sign in, or create its first admin); not modal-blocking.

    ``on_signed_in(session)`` once the store is open as the signed-in user (``runner.store_opened``
    follows); ``on_quit()`` when the user gives up. Returns the dialog (tests drive it), or None when
    the home cannot be opened at all (the reason was shown).
    """
    from loandesk.security import session as sessions

    state = sessions.home_state(Path(home))
    if state == "broken":
        QMessageBox.critical(parent, "Loan Desk", error_text(_broken_error(home)))
        on_quit()
        return None
    if state in ("new", "legacy"):
        from .first_run_wizard import FirstRunWizard, remember, setup_job

        dialog: QDialog = FirstRunWizard(upgrade=state == "legacy", parent=parent)

        def create(choices) -> None:
            def made(session) -> None:
                remember(Path(home), choices)  # the demo data and the language follow in the window
                done(session)

            runner.sign_in(setup_job(Path(home), choices, state == "legacy"),
                           lambda error: dialog.failed(error_text(error)), made)  # fmt: skip

        dialog.submitted.connect(create)
    else:
        dialog = LoginDialog(parent, switching=switching)

        def sign_in(user: str, password: str) -> None:
            runner.sign_in(sign_in_job(Path(home), user, password), lambda error: dialog.failed(error_text(error)),
                           done)  # fmt: skip

        dialog.submitted.connect(sign_in)

    def done(session) -> None:
        on_signed_in(session)  # the window shows first: closing the last visible window would quit
        dialog.done(QDialog.DialogCode.Accepted)

    dialog.rejected.connect(on_quit)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _broken_error(home: Path) -> BaseException:
    from loandesk.security import session as sessions

    try:
        sessions.sign_in(Path(home), "", "")
    except Exception as exc:  # the service words the refusal (the key ring is missing)
        return exc
    return RuntimeError(str(home))
