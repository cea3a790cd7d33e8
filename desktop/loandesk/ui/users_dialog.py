"""The admin's Users dialog (list, add, disable, enable by a password reset, change role) and every
user's "Change my password". All through security.session's services, on the database worker: the
services check the permission (manage_users) and audit each change; this module asks and shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.i18n import pick
from loandesk.core.permissions import ROLE_NAMES, ROLES, role_name

from .accessibility import name_fields
from .error_text import user_message
from .first_run_dialog import PasswordFields
from .login_dialog import Busy
from .tasks import TaskRunner


def _session_job(runner: TaskRunner, work: Callable) -> Callable:
    """A job that calls ``work(session)`` with the signed-in session (read on the worker, where it is used)."""

    def job(_store, _state):
        session = runner.session
        if session is None:
            raise RuntimeError("nobody is signed in")
        return work(session)

    return job


class _Form(QDialog):
    """A small dialog whose OK runs a job; it stays open with the reason when the service refuses."""

    done_ok = Signal()

    def __init__(self, runner: TaskRunner, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.busy = Busy(self)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(440)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.busy)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(self.buttons)
        name_fields(self)  # each field named by its label, for screen readers

    def _ok(self) -> None:
        raise NotImplementedError

    def run(self, work: Callable) -> None:
        self.buttons.setEnabled(False)
        self.busy.show()
        self.runner.submit(_session_job(self.runner, work), self._succeeded, self.failed)

    def _succeeded(self, _result) -> None:
        self.done_ok.emit()
        self.accept()

    def failed(self, error: BaseException | str) -> None:
        self.buttons.setEnabled(True)
        self.busy.hide()
        self.error_label.setText(error if isinstance(error, str) else user_message(error))


class NewUserDialog(_Form):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, "", parent)
        self.setWindowTitle(self.tr("Add a user"))
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("newUser")
        self.user_edit.setMaxLength(32)
        self.user_edit.setToolTip(self.tr("2-32 lower-case letters, digits, . _ -, starting with a letter"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("newDisplayName")
        self.name_edit.setMaxLength(60)
        self.name_edit.setPlaceholderText(self.tr("as printed on memos, e.g. 王芳"))
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("newRole")
        for role in ROLES:
            self.role_combo.addItem(pick(*ROLE_NAMES[role]), role)
        self.form.addRow(self.tr("&User name:"), self.user_edit)
        self.form.addRow(self.tr("&Full name:"), self.name_edit)
        self.form.addRow(self.tr("&Role:"), self.role_combo)
        self.passwords = PasswordFields(self.form, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Add"))
        self.finish_layout()

    def _ok(self) -> None:
        user = self.user_edit.text().strip()
        problem = self.passwords.problem(user)
        if problem:
            self.failed(pick(*problem))
            return
        role, name, password = ROLES[self.role_combo.currentIndex()], self.name_edit.text().strip(), \
            self.passwords.password_edit.text()  # fmt: skip
        from loandesk.security import session as sessions

        self.run(lambda session: sessions.add_user(session, user, role, password, name))


class ResetPasswordDialog(_Form):
    """An admin's reset: the user's data stays; a disabled account comes back with the new password."""

    def __init__(self, runner: TaskRunner, username: str, enabling: bool, parent: QWidget | None = None) -> None:
        super().__init__(runner, "", parent)
        title = self.tr("Enable {user}") if enabling else self.tr("Reset the password of {user}")
        self.setWindowTitle(title.format(user=username))
        self.username = username
        intro = QLabel(self.tr("Give {user} a new password and tell it to them in person; they can change it "
                               "afterwards. Their records are kept.").format(user=username))  # fmt: skip
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.passwords = PasswordFields(self.form, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("&Enable") if enabling else self.tr("&Reset password"))  # fmt: skip
        self.finish_layout()

    def _ok(self) -> None:
        problem = self.passwords.problem(self.username)
        if problem:
            self.failed(pick(*problem))
            return
        user, password = self.username, self.passwords.password_edit.text()
        from loandesk.security import session as sessions

        self.run(lambda session: sessions.reset_password(session, user, password))


class RoleDialog(_Form):
    def __init__(self, runner: TaskRunner, username: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(runner, "", parent)
        self.setWindowTitle(self.tr("Change the role of {user}").format(user=username))
        self.username = username
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("changeRole")
        for code in ROLES:
            self.role_combo.addItem(pick(*ROLE_NAMES[code]), code)
        self.role_combo.setCurrentIndex(ROLES.index(role) if role in ROLES else 0)
        self.form.addRow(self.tr("&Role:"), self.role_combo)
        self.finish_layout()

    def _ok(self) -> None:
        user, role = self.username, ROLES[self.role_combo.currentIndex()]
        from loandesk.security import session as sessions

        self.run(lambda session: sessions.change_role(session, user, role))


class ChangePasswordDialog(_Form):
    """Any user: the current password again (a passer-by at an unlocked desk cannot), then the new one."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, "", parent)
        self.setWindowTitle(self.tr("Change my password"))
        self.old_edit = QLineEdit()
        self.old_edit.setObjectName("oldPassword")
        self.old_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("&Current password:"), self.old_edit)
        self.passwords = PasswordFields(self.form, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Change password"))
        self.finish_layout()

    def _ok(self) -> None:
        session = self.runner.session
        problem = self.passwords.problem(session.actor.username if session else "")
        if problem:
            self.failed(pick(*problem))
            return
        old, new = self.old_edit.text(), self.passwords.password_edit.text()
        from loandesk.security import session as sessions

        self.run(lambda s: sessions.change_password(s, old, new))

    def failed(self, error: BaseException | str) -> None:
        super().failed(error)
        if not isinstance(error, str):  # the service refused (a wrong current password): type it again
            self.old_edit.clear()
        self.passwords.clear()


class UsersDialog(QDialog):
    """Every user of this data home: role, status, last sign-in; the admin's changes, each audited."""

    COLUMNS = ("username", "display_name", "role", "status", "last_login", "password_changed_at")

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.rows: list[dict] = []
        self.child: QDialog | None = None
        self.setWindowTitle(self.tr("Users"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("usersTable")
        self.table.setAccessibleName(self.tr("Users"))
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Full name"), self.tr("Role"),
                                              self.tr("Status"), self.tr("Last sign-in"),
                                              self.tr("Password changed")])  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)  # list rows, not cards
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("usersStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add user…"))
        self.disable_button = QPushButton(self.tr("&Disable"))
        self.enable_button = QPushButton(self.tr("&Enable…"))
        self.reset_button = QPushButton(self.tr("&Reset password…"))
        self.role_button = QPushButton(self.tr("Change r&ole…"))
        close = QPushButton(self.tr("&Close"))
        for button in (self.add_button, self.disable_button, self.enable_button, self.reset_button, self.role_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.add_button.clicked.connect(lambda: self._open(NewUserDialog(self.runner, self)))
        self.disable_button.clicked.connect(self.disable_selected)
        self.enable_button.clicked.connect(lambda: self._open_for(lambda u: ResetPasswordDialog(
            self.runner, u["username"], True, self)))  # fmt: skip
        self.reset_button.clicked.connect(lambda: self._open_for(lambda u: ResetPasswordDialog(
            self.runner, u["username"], False, self)))  # fmt: skip
        self.role_button.clicked.connect(lambda: self._open_for(lambda u: RoleDialog(
            self.runner, u["username"], u["role"], self)))  # fmt: skip
        close.clicked.connect(self.close)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(820, 420)
        self.reload()

    def reload(self) -> None:
        def job(store, _state):
            from loandesk.storage import users

            store.actor.require("manage_users")
            logins = users.last_logins(store.db)
            return [{**row, "last_login": logins.get(row["username"])} for row in users.all_users(store.db)]

        self.runner.submit(job, self._show, lambda e: self.status_label.setText(user_message(e)))

    def _show(self, rows: list[dict]) -> None:
        chosen = self.selected()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            role = role_name(row["role"])
            values = (row["username"], row["display_name"] or "", role,
                      self.tr("Disabled") if row["disabled"] else self.tr("Active"),
                      _when(row["last_login"]) or self.tr("never"), _when(row["password_changed_at"]))  # fmt: skip
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if chosen and row["username"] == chosen["username"]:
                self.table.selectRow(r)
        self._update_buttons()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def select_user(self, username: str) -> None:
        for r, row in enumerate(self.rows):
            if row["username"] == username:
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.disable_button.setEnabled(bool(row) and not row["disabled"])
        self.enable_button.setEnabled(bool(row) and bool(row["disabled"]))
        self.reset_button.setEnabled(bool(row) and not row["disabled"])
        self.role_button.setEnabled(bool(row))

    def _open_for(self, make: Callable[[dict], QDialog]) -> None:
        row = self.selected()
        if row:
            self._open(make(row))

    def _open(self, dialog: _Form) -> None:
        self.child = dialog
        dialog.done_ok.connect(self.reload)
        dialog.open()

    def disable_selected(self) -> None:
        row = self.selected()
        if not row:
            return
        user = row["username"]
        from loandesk.security import session as sessions

        def done(_r) -> None:
            self.status_label.setText(self.tr("{user} is disabled: they can no longer sign in.").format(user=user))
            self.reload()

        self.runner.submit(_session_job(self.runner, lambda s: sessions.disable_user(s, user)), done,
                           lambda e: self.status_label.setText(user_message(e)))  # fmt: skip


def _when(stamp: str | None) -> str:
    """A stored UTC stamp in the desk's own time zone, to the minute."""
    return local_time(stamp)[:16]


def local_time(stamp: str | None) -> str:
    import datetime as dt

    if not stamp:
        return ""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stamp
