"""The audit trail for admins: who did what, on which device, when; filter by user and dates; verify the
hash chain off the GUI thread and name the first altered, inserted or removed record.

The table model is lazy: it holds the pages loaded so far (newest first) and asks the database worker
for the next page as the view scrolls to the end (``canFetchMore``/``fetchMore``), so a trail of a
million records opens as fast as one of ten. Reading the trail is a permission (view_audit), checked in
each job as well as by the Account menu.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loandesk.core import clock

from .error_text import user_message
from .login_dialog import Busy
from .tasks import TaskRunner
from .users_dialog import local_time

PAGE = 200


class AuditTableModel(QAbstractTableModel):
    loaded = Signal(int)  # total matching records
    load_failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.rows: list[dict] = []
        self.total = 0
        self.filters: dict = {}
        self.loading = False
        self.broken_seq: int | None = None
        self._generation = 0
        self.headers = (self.tr("No."), self.tr("Time"), self.tr("User"), self.tr("Device"), self.tr("Action"),
                        self.tr("Record"))  # fmt: skip

    def action_label(self, code: str) -> str:
        names = {
            "login": self.tr("signed in"), "login_failed": self.tr("failed sign-in"),
            "home_created": self.tr("data home created"), "home_upgraded": self.tr("data home upgraded"),
            "user_added": self.tr("user added"), "user_disabled": self.tr("user disabled"),
            "password_reset": self.tr("password reset"), "password_changed": self.tr("password changed"),
            "role_changed": self.tr("role changed"), "scored": self.tr("scored"),
            "approved": self.tr("approved or declined"), "memo_issued": self.tr("memo issued"),
            "override_requested": self.tr("override requested"), "override_confirmed": self.tr("override confirmed"),
            "override_rejected": self.tr("override rejected"), "exported": self.tr("exported"),
            "unmasked": self.tr("personal data shown"), "rules_installed": self.tr("rule pack installed"),
            "setting_changed": self.tr("setting changed"), "backup": self.tr("backup made"),
            "demo_data_added": self.tr("demo data added"),
        }  # fmt: skip
        return names.get(code, code)

    # ---- loading -----------------------------------------------------------------------------
    def set_filters(self, user: str | None, since: str | None, until: str | None) -> None:
        self._generation += 1
        generation = self._generation
        self.filters = {"user": user, "since": since, "until": until}
        self.loading = True
        filters = dict(self.filters)

        def job(store, _state):
            from loandesk.storage import audit

            store.actor.require("view_audit")
            return audit.count(store.db, **filters), audit.page(store.db, **filters, offset=0, limit=PAGE)

        def done(result) -> None:
            if generation != self._generation:
                return  # a newer filter was chosen meanwhile
            total, rows = result
            self.beginResetModel()
            self.total, self.rows, self.loading = total, rows, False
            self.endResetModel()
            self.loaded.emit(total)

        self.runner.submit(job, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.loading = False
        self.load_failed.emit(user_message(error))

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008 (Qt's signature)
        return not parent.isValid() and not self.loading and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self.loading = True
        generation, offset, filters = self._generation, len(self.rows), dict(self.filters)

        def job(store, _state):
            from loandesk.storage import audit

            store.actor.require("view_audit")
            return audit.page(store.db, **filters, offset=offset, limit=PAGE)

        def done(rows: list[dict]) -> None:
            if generation != self._generation:
                return
            self.loading = False
            if rows:
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
                self.rows.extend(rows)
                self.endInsertRows()

        self.runner.submit(job, done, self._failed)

    # ---- the table ---------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return str(row["seq"])
            if column == 1:
                return local_time(row["at"])
            if column == 4:
                return self.action_label(row["action"])
            return str(row[("", "", "user", "device", "", "target")[column]] or "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row['action']} {row['details'] or ''}".strip()
        if role == Qt.ItemDataRole.BackgroundRole and self.broken_seq is not None and row["seq"] == self.broken_seq:
            return QColor("#f8d7da")
        return None

    def row_of(self, seq: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r["seq"] == seq), None)


class AuditDialog(QDialog):
    verified = Signal(object)  # the ChainProblem, or None when the chain is whole

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(self.tr("Audit log"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        user_label = QLabel(self.tr("User:"))
        filters.addWidget(user_label)
        self.user_combo = QComboBox()
        user_label.setBuddy(self.user_combo)
        self.user_combo.setAccessibleName(self.tr("User"))
        self.user_combo.setObjectName("auditUser")
        self.user_combo.addItem(self.tr("Everyone"), "")
        filters.addWidget(self.user_combo)
        today = QDate(*clock.today().timetuple()[:3])  # the pinned clock, never the machine's date directly
        self.since_check = QCheckBox(self.tr("From"))
        self.since_edit = QDateEdit(today.addDays(-30))
        self.until_check = QCheckBox(self.tr("to"))
        self.until_edit = QDateEdit(today)
        self.since_edit.setAccessibleName(self.tr("From date"))
        self.until_edit.setAccessibleName(self.tr("To date"))
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        for widget in (self.since_check, self.since_edit, self.until_check, self.until_edit):
            filters.addWidget(widget)
        filters.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        filters.addWidget(self.count_label)
        layout.addLayout(filters)

        self.model = AuditTableModel(runner, self)
        self.view = QTableView()
        self.view.setObjectName("auditTable")
        self.view.setAccessibleName(self.tr("Audit log"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        for column, width in enumerate((60, 150, 110, 120, 150)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("&Verify chain"))
        self.verify_button.setToolTip(self.tr("Check every record's hash and link: names the first altered, "
                                              "inserted or removed record"))  # fmt: skip
        self.busy = Busy(self)
        self.busy.setMaximumWidth(120)
        self.result_label = QLabel()
        self.result_label.setObjectName("verifyResult")
        self.result_label.setWordWrap(True)
        close = QPushButton(self.tr("&Close"))
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.busy)
        bottom.addWidget(self.result_label, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        self.verify_button.clicked.connect(self.verify)
        close.clicked.connect(self.close)
        self.user_combo.currentIndexChanged.connect(self.reload)
        for check, edit in ((self.since_check, self.since_edit), (self.until_check, self.until_edit)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.reload)
            edit.dateChanged.connect(self.reload)
        self.model.loaded.connect(lambda n: self.count_label.setText(self.tr("%n records", "", n)))
        self.model.load_failed.connect(self.result_label.setText)
        self.resize(900, 520)
        self._load_users()
        self.reload()

    def _load_users(self) -> None:
        def job(store, _state):
            from loandesk.storage import audit

            store.actor.require("view_audit")
            return audit.user_names(store.db)

        def done(names: list[str]) -> None:
            for name in names:
                self.user_combo.addItem(name, name)

        self.runner.submit(job, done, lambda e: self.result_label.setText(user_message(e)))

    def reload(self, *_args) -> None:
        user = self.user_combo.currentData() if self.user_combo.currentIndex() > 0 else None
        since = _utc_start(self.since_edit.date()) if self.since_check.isChecked() else None
        until = _utc_start(self.until_edit.date().addDays(1)) if self.until_check.isChecked() else None
        self.model.set_filters(user, since, until)

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.busy.show()
        self.result_label.setStyleSheet("")
        self.result_label.setText(self.tr("Verifying…"))

        def job(store, _state):
            from loandesk.storage import audit

            store.actor.require("view_audit")
            return audit.verify(store.db), audit.count(store.db)

        self.runner.submit(job, self._verified, self._verify_failed)

    def _verified(self, result) -> None:
        problem, total = result
        self.verify_button.setEnabled(True)
        self.busy.hide()
        if problem is None:
            self.result_label.setStyleSheet("color: #1b6e20;")
            self.result_label.setText(self.tr("The chain is whole: %n records checked.", "", total))
            self.model.broken_seq = None
        else:
            from loandesk.core.i18n import language

            self.result_label.setStyleSheet("color: #b00020;")
            self.result_label.setText(self.tr("The chain is broken: {problem}").format(
                problem=problem.message(language())))  # fmt: skip
            self.model.broken_seq = problem.seq
            row = self.model.row_of(problem.seq)
            if row is not None:
                self.view.scrollTo(self.model.index(row, 0))
                self.view.selectRow(row)
        self.model.layoutChanged.emit()
        self.verified.emit(problem)

    def _verify_failed(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.busy.hide()
        self.result_label.setText(user_message(error))


def _utc_start(day: QDate) -> str:
    """Midnight of ``day`` in the desk's time zone, as the stored stamps are written (UTC, ISO 8601)."""
    local = dt.datetime(day.year(), day.month(), day.day()).astimezone()
    return local.astimezone(dt.UTC).isoformat(timespec="milliseconds")
