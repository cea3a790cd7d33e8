"""Sync > Conflicts…: the conflict inbox. A field of a shared record changed here and elsewhere; the hub
kept the other side's value and a person chooses what stays: this device's value, the other side's, or
a value typed in. The choice goes through ``sync.merge.resolve_conflict`` (the same as ``loandesk
conflicts resolve``) on the task runner, so the next sync sends it to head office and every device.

Personal data (names, ID numbers, phones) is shown masked, as everywhere on screen. The rows come in
pages (``canFetchMore``) so a long inbox does not build every row at once. Whether the signed-in user
may resolve is asked of the core (the same permission as editing the record); when not, the buttons
are off and the core's own reason is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.models import masked
from loandesk.core.validation import field_label

from .error_text import user_message
from .sync_status import local_time

PAGE = 100  # rows handed to the view at a time


def shown(field: str, value: Any) -> str:
    """A value as a person reads it, personal data masked."""
    if value is None or value == "":
        return "—"
    value = masked({field: value})[field]
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class ConflictModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.all: list[dict] = []
        self.loaded = 0

    def headers(self) -> list[str]:
        return [self.tr("Record"), self.tr("Field"), self.tr("This device's value"), self.tr("Other side's value"),
                self.tr("Other side"), self.tr("Changed here at")]  # fmt: skip

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.all, self.loaded = rows, min(PAGE, len(rows))
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else self.loaded

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return not parent.isValid() and self.loaded < len(self.all)

    def fetchMore(self, parent: QModelIndex) -> None:
        more = min(PAGE, len(self.all) - self.loaded)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self.loaded, self.loaded + more - 1)
        self.loaded += more
        self.endInsertRows()

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def conflict(self, row: int) -> dict:
        return self.all[row]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        c = self.all[index.row()]
        column = index.column()
        if column == 4 and role == Qt.ItemDataRole.ToolTipRole:
            return c.get("remote_device") or None  # the whole device id, for the help desk
        if column == 0:
            record = c.get("ref") or c["entity_id"][-12:]
            return f"{record} {c['name']}" if c.get("name") else record
        if column == 1:
            return field_label(c["field"])
        if column == 2:
            return shown(c["field"], c["local_value"])
        if column == 3:
            return shown(c["field"], c["remote_value"])
        if column == 4:
            # the device that made the other value; the hub itself when head office changed it
            device = c.get("remote_device")
            return self.tr("Device …{tail}").format(tail=device[-8:]) if device else self.tr("Head office")
        return local_time(c.get("local_at")) or "—"


class ConflictInbox(QDialog):
    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.runner = window.runner
        self.may_resolve = False
        self.setWindowTitle(self.tr("Conflicts to resolve"))
        self.resize(940, 460)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self.tr("The same field was changed on this device and elsewhere. Head office kept "
                                    "the other side's value for now; choose which value stays. Your choice is "
                                    "sent with the next sync."))  # fmt: skip
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.model = ConflictModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Conflicts"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.keep_local = QPushButton(self.tr("Keep &this device's value"))
        self.keep_remote = QPushButton(self.tr("Keep the &other side's value"))
        self.value = QLineEdit()
        self.value.setPlaceholderText(self.tr("or type the value to keep"))
        self.value.setAccessibleName(self.tr("Value to keep"))
        self.keep_value = QPushButton(self.tr("Keep &typed value"))
        for widget in (self.keep_local, self.keep_remote):
            row.addWidget(widget)
        row.addWidget(self.value, 1)
        row.addWidget(self.keep_value)
        layout.addLayout(row)
        self.keep_local.clicked.connect(lambda: self.resolve("local"))
        self.keep_remote.clicked.connect(lambda: self.resolve("remote"))
        self.keep_value.clicked.connect(lambda: self.resolve("value", self.value.text()))
        self.value.returnPressed.connect(lambda: self.resolve("value", self.value.text()))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("conflictMessage")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.refresh_button = buttons.addButton(self.tr("&Refresh"), QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        self.refresh_button.clicked.connect(self.reload)
        close.clicked.connect(self.close)
        layout.addWidget(buttons)
        self.busy = False
        self._enable()
        self.reload()

    # ---- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        if not self.runner.accepting:
            return

        def job(store, _state):
            from loandesk.core.permissions import PermissionDenied
            from loandesk.sync import merge

            try:
                store.actor.require("capture")  # resolving writes the record: the core's rule and reason
                refusal = None
            except PermissionDenied as exc:
                refusal = exc
            return merge.list_conflicts(store), refusal

        self.runner.submit(job, self._loaded, self._failed)

    def _loaded(self, result: tuple[list[dict], BaseException | None]) -> None:
        rows, refusal = result
        self.model.set_rows(rows)
        self.may_resolve = refusal is None
        if refusal is not None:
            self.message.setText(self.tr("You may not resolve conflicts: {reason}").format(
                reason=user_message(refusal)))  # fmt: skip
        elif not rows:
            self.message.setText(self.tr("No conflicts: nothing waits for a choice."))
        if rows:
            self.table.selectRow(0)
        self._enable()

    # ---- resolving -----------------------------------------------------------------------------
    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.conflict(rows[0].row()) if rows else None

    def _enable(self) -> None:
        on = self.may_resolve and not self.busy and self.selected() is not None
        for widget in (self.keep_local, self.keep_remote, self.keep_value, self.value):
            widget.setEnabled(on)

    def resolve(self, choice: str, value: str | None = None) -> None:
        c = self.selected()
        if c is None or self.busy:
            return
        if choice == "value" and not (value or "").strip():
            words = self.tr("{field}: type the value to keep first.")
            self.message.setText(words.format(field=field_label(c["field"])))
            self.value.setFocus()
            return
        self.busy = True
        self._enable()
        self.message.setText(self.tr("Saving your choice…"))

        def job(store, _state):
            from loandesk.sync import merge

            return merge.resolve_conflict(store, c["id"], choice, value)

        self.runner.submit(job, self._resolved, self._failed)

    def _resolved(self, answer: dict) -> None:
        self.busy = False
        self.value.clear()
        self.message.setText(self.tr("{field}: your choice is saved and goes to head office with the next sync.")
                             .format(field=field_label(answer["field"])))  # fmt: skip
        self.reload()
        if hasattr(self.window_, "refresh"):
            self.window_.refresh()  # the lists show the value kept
        controller = getattr(self.window_, "sync_controller", None)
        if controller is not None:
            controller.read_status()  # the menu's and panel's counts

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.message.setText(self.tr("Not resolved: {reason}").format(reason=user_message(error)))
        self._enable()


class ConflictMenu(QObject):
    """Sync > Conflicts… with the open count, kept current from the sync status the controller reads."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.inbox: ConflictInbox | None = None
        self.count = 0
        self.action = window._action(self.tr("&Conflicts…"), self.show_inbox)
        self.action.setEnabled(False)
        window.sync_menu.menu.addAction(self.action)
        window.runner.store_opened.connect(lambda _store: self.action.setEnabled(True))
        window.sync_controller.status_read.connect(self._status_read)

    def _status_read(self, status) -> None:
        self.count = status.conflicts
        text = self.tr("&Conflicts ({n})…").format(n=self.count) if self.count else self.tr("&Conflicts…")
        self.action.setText(text)
        if self.inbox is not None and self.inbox.isVisible() and not self.inbox.busy:
            self.inbox.reload()  # a sync may have brought new ones

    def show_inbox(self) -> ConflictInbox:
        if self.inbox is None:
            self.inbox = ConflictInbox(self.window)
        else:
            self.inbox.reload()
        self.inbox.show()
        self.inbox.raise_()
        return self.inbox


def install(window) -> ConflictMenu:
    """Sync > Conflicts…; ``sync_panel.install`` must have run (it makes the Sync menu)."""
    window.conflict_menu = ConflictMenu(window)
    return window.conflict_menu
