"""Sync > Sync panel: what is waiting to go to head office, what the hub set aside and why, when the last
sync succeeded, whether the hub answers, and this device's id and branch; Sync now (with progress and
cancel) and, for an administrator, Enrol… (hub address and the one-time code head office gave).

The panel reads everything in one job on the database thread (``sync.run.status``) and never blocks the
GUI thread: syncing is the ``SyncController``'s job on the task runner.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loandesk.core import clock

from .accessibility import name_fields
from .sync_status import local_time
from .sync_worker import SyncController


class SyncPanel(QDialog):
    def __init__(self, controller: SyncController, parent: QWidget | None = None, *, may_enrol: bool = False):
        super().__init__(parent)
        self.controller, self.may_enrol = controller, may_enrol
        self.enrol_dialog: EnrolDialog | None = None
        self.setWindowTitle(self.tr("Sync with head office"))
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.hub_value, self.reach_value = QLabel(), QLabel()
        self.device_value, self.branch_value = QLabel(), QLabel()
        self.last_value, self.error_value = QLabel(), QLabel()
        self.pull_value, self.conflicts_value = QLabel(), QLabel()
        self.error_value.setWordWrap(True)
        for value in (self.hub_value, self.device_value):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Hub"), self.hub_value)
        form.addRow(self.tr("Hub reachable"), self.reach_value)
        form.addRow(self.tr("Device"), self.device_value)
        form.addRow(self.tr("Branch"), self.branch_value)
        form.addRow(self.tr("Last successful sync"), self.last_value)
        form.addRow(self.tr("Last received from head office"), self.pull_value)
        form.addRow(self.tr("Conflicts to resolve"), self.conflicts_value)
        form.addRow(self.tr("Last problem"), self.error_value)
        layout.addLayout(form)

        self.unsent_title = QLabel()
        layout.addWidget(self.unsent_title)
        self.unsent = self._table([self.tr("Type"), self.tr("Waiting"), self.tr("Oldest saved"),
                                   self.tr("Waiting for")])  # fmt: skip
        self.unsent.setAccessibleName(self.tr("Waiting to be sent"))
        layout.addWidget(self.unsent)
        self.quarantine_title = QLabel()
        layout.addWidget(self.quarantine_title)
        self.quarantine = self._table([self.tr("Type"), self.tr("Record"), self.tr("Saved"),
                                       self.tr("Hub's reason")])  # fmt: skip
        self.quarantine.setAccessibleName(self.tr("Set aside by the hub"))
        layout.addWidget(self.quarantine)

        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress_text = QLabel()
        row.addWidget(self.progress, 1)
        row.addWidget(self.progress_text, 1)
        layout.addLayout(row)
        buttons = QDialogButtonBox()
        self.sync_button = buttons.addButton(self.tr("Sync &now"), QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = buttons.addButton(self.tr("&Cancel sync"), QDialogButtonBox.ButtonRole.ActionRole)
        self.enrol_button = buttons.addButton(self.tr("&Enrol…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("Close"))
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button.clicked.connect(self.cancel)
        self.enrol_button.clicked.connect(self.enrol)
        self.close_button.clicked.connect(self.close)
        layout.addWidget(buttons)

        controller.status_read.connect(self.show_status)
        controller.started.connect(self._started)
        controller.progress.connect(self._progress)
        controller.finished.connect(self._finished)
        controller.failed.connect(self._failed)
        controller.reachability.connect(lambda _ok: self._show_reach())
        self._running(controller.running)
        if controller.status is not None:
            self.show_status(controller.status)
        from . import quarantine_actions

        quarantine_actions.attach(self)  # Send again… and Export… under the quarantine table
        controller.read_status()

    @staticmethod
    def _table(headers: list[str]) -> QTreeWidget:
        table = QTreeWidget()
        table.setHeaderLabels(headers)
        table.setRootIsDecorated(False)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = table.header()
        header.setMinimumSectionSize(90)  # an empty table's headers stay readable (six Chinese characters)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    # ---- showing -------------------------------------------------------------------------------
    def show_status(self, status) -> None:
        self.hub_value.setText(status.hub_url or self.tr("Not enrolled"))
        self.device_value.setText(status.device_id or "—")
        self.branch_value.setText(status.branch or "—")
        self.last_value.setText(local_time(status.last_ok) or self.tr("Never"))
        self.pull_value.setText(local_time(status.last_pull) or self.tr("Never"))
        self.conflicts_value.setText(str(status.conflicts))
        self.error_value.setText(self.controller.last_error or status.last_error or "—")
        self._show_reach()
        self.enrol_button.setVisible(self.may_enrol)
        self.sync_button.setEnabled(status.enrolled and not self.controller.running)
        waiting = sum(g["count"] for g in status.groups) + status.files_waiting
        self.unsent_title.setText(self.tr("Waiting to be sent: {n} (longest waiting first)").format(n=waiting))
        self.unsent.clear()
        for group in status.groups:
            QTreeWidgetItem(self.unsent, [self.entity_name(group["entity"]), str(group["count"]),
                                          local_time(group["oldest"]), self.age(group["oldest"])])  # fmt: skip
        if status.files_waiting:  # files go after their records: their own line
            QTreeWidgetItem(self.unsent, [self.tr("Files (attachments, visit photos)"), str(status.files_waiting),
                                          "—", "—"])  # fmt: skip
        self.quarantine_title.setText(
            self.tr("Set aside by the hub: {n} (they wait; the rest of the queue goes on)").format(
                n=len(status.quarantined)))  # fmt: skip
        self.quarantine.clear()
        for item in status.quarantined:
            # The reference people quote; else the random tail of the record's id (a UUIDv7 starts with its time).
            record = item.get("ref") or (item.get("entity_id") or item["op_id"])[-12:]
            row = QTreeWidgetItem(self.quarantine, [self.entity_name(item.get("entity") or ""), record,
                                                    local_time(item.get("created_at")), self.reason(item["reason"])])
            row.setToolTip(3, item["reason"])  # as the hub gave it, for the help desk  # fmt: skip

    def _show_reach(self) -> None:
        reachable, status = self.controller.reachable, self.controller.status
        if status is not None and not status.enrolled:
            self.reach_value.setText("—")
        elif reachable is None:
            self.reach_value.setText(self.tr("Not checked yet"))
        else:
            self.reach_value.setText(self.tr("Yes") if reachable else self.tr("No"))

    def entity_name(self, entity: str) -> str:
        names = {
            "application": self.tr("Applications"), "enterprise": self.tr("Enterprises"),
            "decision": self.tr("Score decisions"), "memo": self.tr("Credit memos"),
            "override": self.tr("Override requests"), "approval": self.tr("Approvals"),
            "attachment": self.tr("Attachments"), "rule_pack": self.tr("Rule pack installs"),
            "visit": self.tr("Visits"), "audit": self.tr("Audit records"),
            "consent": self.tr("Consent records"), "approval_set_aside": self.tr("Approvals set aside"),
        }  # fmt: skip
        return names.get(entity, entity)

    def reason(self, text: str) -> str:
        """The device's own reasons in the user's language; the hub's other reasons as it gave them."""
        if text == "operation id reused with other content":
            return self.tr("The hub holds this operation with other content (was this data home copied from "
                           "another computer?)")  # fmt: skip
        return text

    def age(self, stamp: str | None) -> str:
        if not stamp:
            return ""
        minutes = max(0, int((clock.now() - clock.parse_instant(stamp)).total_seconds() // 60))
        if minutes >= 24 * 60:
            return self.tr("{n} d").format(n=minutes // (24 * 60))
        if minutes >= 60:
            return self.tr("{n} h").format(n=minutes // 60)
        return self.tr("{n} min").format(n=minutes)

    # ---- syncing -------------------------------------------------------------------------------
    def sync_now(self) -> None:
        self.controller.sync_now()

    def cancel(self) -> None:
        if self.controller.state is not None:
            self.controller.state.cancel()
            self.progress_text.setText(self.tr("Cancelling after this batch…"))

    def _running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.sync_button.setEnabled(not running and self.controller.enrolled)

    def _started(self) -> None:
        self._running(True)
        self.progress.setRange(0, 0)  # busy until the first figures arrive
        self.progress_text.setText(self.tr("Syncing…"))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)
        self.progress_text.setText(self.tr("Sent {done} of {total}").format(done=done, total=total))

    def _finished(self, report) -> None:
        self._running(False)
        text = self.tr("Sent {sent}, set aside {rejected}, still waiting {left}.")
        if report.cancelled:
            text = self.tr("Cancelled: sent {sent}, set aside {rejected}, still waiting {left}.")
        text = text.format(sent=report.sent, rejected=len(report.rejected), left=report.unsent)
        if report.conflicts:
            text += " " + self.tr("{n} conflicts to resolve (Sync > Conflicts…).").format(n=report.conflicts)
        self.progress_text.setText(text)

    def _failed(self, message: str) -> None:
        self._running(False)
        self.progress_text.setText(self.tr("Sync failed: {error}").format(error=message))

    # ---- enrolment -----------------------------------------------------------------------------
    def enrol(self) -> EnrolDialog:
        self.enrol_dialog = EnrolDialog(self.controller, self)
        self.enrol_dialog.open()
        return self.enrol_dialog


class EnrolDialog(QDialog):
    """The hub's address and the one-time code head office gave; the answer (or the refusal) in place."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Enrol with head office"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Enter the hub address and the one-time code head office gave you. Work "
                               "saved here before enrolment is sent as this branch's."))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://hub.example:8800")
        if controller.status and controller.status.hub_url:
            self.url.setText(controller.status.hub_url)
        elif controller.runner.accepting:  # the address given at first start (or in Settings), if any
            controller.runner.submit(lambda store, _s: store.setting("hub_url") or "",
                                     lambda url: url and not self.url.text() and self.url.setText(url))
        self.code = QLineEdit()
        form.addRow(self.tr("Hub address"), self.url)
        form.addRow(self.tr("Enrolment code"), self.code)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("enrolMessage")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.tr("&Enrol"), QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        self.ok_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        name_fields(self)  # each field named by its label, for screen readers

    def submit(self) -> None:
        url, code = self.url.text().strip(), self.code.text().strip()
        if not url.lower().startswith(("http://", "https://")):
            self.message.setText(self.tr("Hub address: give it as http://HOST:PORT or https://…"))
            self.url.setFocus()
            return
        if len(code) < 4:
            self.message.setText(self.tr("Enrolment code: enter the code head office gave you."))
            self.code.setFocus()
            return
        self.ok_button.setEnabled(False)
        self.message.setText(self.tr("Enrolling…"))
        self.controller.enroll(url, code, self._enrolled, self._refused)

    def _enrolled(self, result: tuple[str, str]) -> None:
        device, branch = result
        self.message.setText(self.tr("Enrolled as device {device} of branch {branch}.").format(
            device=device, branch=branch))  # fmt: skip
        self.accept()

    def _refused(self, message: str) -> None:
        self.ok_button.setEnabled(True)
        self.message.setText(self.tr("Not enrolled: {error}").format(error=message))
        self.adjustSize()  # the hub's reason may take a few lines


class SyncMenu(QObject):
    """The Sync menu and its shortcut (F9: sync now), added to the window by ``install``."""

    def __init__(self, window, controller: SyncController) -> None:
        super().__init__(window)
        self.window, self.controller = window, controller
        self.panel: SyncPanel | None = None
        self.may_enrol = False
        menu = QMenu(self.tr("&Sync"), window)
        # Right after View (File, View, Sync, …, Help): the menus of the work on records stay beside Help.
        bar_actions = window.menuBar().actions()
        view = getattr(window, "_view_menu", None)
        after = bar_actions.index(view.menuAction()) + 1 if view is not None else len(bar_actions)
        if after < len(bar_actions):
            window.menuBar().insertMenu(bar_actions[after], menu)
        else:
            window.menuBar().addMenu(menu)
        self.menu = menu
        self.sync_action = window._action(self.tr("Sync &now"), self.sync_now, QKeySequence("F9"))
        self.panel_action = window._action(self.tr("Sync &panel…"), self.show_panel, QKeySequence("Ctrl+Shift+Y"))
        self.enrol_action = window._action(self.tr("&Enrol with head office…"), self.enrol)
        for action in (self.sync_action, self.panel_action, self.enrol_action):
            action.setEnabled(False)  # until the store is open
            menu.addAction(action)
        window.runner.store_opened.connect(self._store_opened)
        controller.status_read.connect(self._status_read)

    def _store_opened(self, _store) -> None:
        self.panel_action.setEnabled(True)
        self.check_permission()
        self.menu.aboutToShow.connect(self.check_permission)  # the signed-in user may have changed

    def check_permission(self) -> None:
        """Enrolment is an administrator's (the permission matrix's ``enrol_device``); asked of the store's actor."""
        if self.window.runner.accepting:
            self.window.runner.submit(lambda store, _s: store.actor.may("enrol_device"), self._may_enrol)

    def _may_enrol(self, allowed: bool) -> None:
        self.may_enrol = allowed
        self.enrol_action.setEnabled(allowed)
        self.enrol_action.setVisible(allowed)
        if self.panel is not None:
            self.panel.may_enrol = allowed
            self.panel.enrol_button.setVisible(allowed)

    def _status_read(self, status) -> None:
        self.sync_action.setEnabled(status.enrolled)

    def show_panel(self) -> SyncPanel:
        if self.panel is None:
            self.panel = SyncPanel(self.controller, self.window, may_enrol=self.may_enrol)
        self.panel.show()
        self.panel.raise_()
        self.controller.read_status()
        return self.panel

    def sync_now(self) -> None:
        if not self.controller.enrolled:
            QMessageBox.information(self.window, self.tr("Sync"), self.tr(
                "This device is not enrolled with a head-office hub yet; an administrator enrols it "
                "(Sync > Enrol with head office…)."))  # fmt: skip
            return
        self.show_panel()
        self.controller.sync_now()

    def enrol(self) -> EnrolDialog:
        return self.show_panel().enrol()


def install(window) -> SyncMenu:
    """The Sync menu (before Help); ``sync_status.install`` must have run (it makes the controller)."""
    window.sync_menu = SyncMenu(window, window.sync_controller)
    return window.sync_menu
