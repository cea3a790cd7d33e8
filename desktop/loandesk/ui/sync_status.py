"""The status bar's sync figures: online or offline (the hub answered or not), unsynced count, last sync.

The window's own ``online_label`` and ``unsynced_label`` are kept (other code and tests read them); this
widget sets their text from what the sync controller knows and adds a "last sync" label beside them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel

from loandesk.core import clock

from .sync_worker import SyncController


def local_time(stamp: str | None) -> str:
    """A stored UTC stamp as the user's local date and minute."""
    if not stamp:
        return ""
    return clock.parse_instant(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


class SyncStatus(QObject):
    def __init__(self, window, controller: SyncController) -> None:
        super().__init__(window)
        self.window, self.controller = window, controller
        self.unsynced: int | None = None
        self.hub_url: str | None = None
        self.last_label = QLabel()
        self.last_label.setObjectName("lastSyncStatus")
        window.statusBar().insertPermanentWidget(0, self.last_label)
        controller.reachability.connect(lambda _ok: self.show_online())
        controller.started.connect(self.show_online)
        controller.finished.connect(self._finished)
        controller.failed.connect(self._failed)
        controller.status_read.connect(self._status_read)
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.controller.stop()  # a running sync stops after its batch; the window need not wait for it
        return False

    def show_counts(self, unsynced: int, hub_url: str | None) -> None:
        """Called by the window's ``refresh_status`` after every save."""
        self.unsynced, self.hub_url = unsynced, hub_url
        self.window.unsynced_label.setText(self.tr("Unsynced: {n}").format(n=unsynced))
        self.show_online()

    def show_online(self) -> None:
        label, c = self.window.online_label, self.controller
        status = c.status
        url = status.hub_url if status else self.hub_url
        if c.running:
            label.setText(self.tr("Syncing…"))
            label.setToolTip(url or "")
        elif status is None and not self.hub_url:
            return  # not read yet, no hub: the window's own "Offline" stands
        elif status is not None and not status.enrolled:
            label.setText(self.tr("Offline"))
            label.setToolTip(self.tr("Not enrolled with a head-office hub: all work is kept here until an "
                                     "administrator enrols this device (Sync > Enrol with head office…)."))  # fmt: skip
        elif c.reachable is None:
            label.setText(self.tr("Hub: checking…"))
            label.setToolTip(url or "")
        elif c.reachable:
            label.setText(self.tr("Online"))
            label.setToolTip(self.tr("The head-office hub {url} answers.").format(url=url or ""))
        else:
            label.setText(self.tr("Offline"))
            label.setToolTip(self.tr("The head-office hub {url} does not answer; work is kept here and sent "
                                     "when it does.").format(url=url or ""))  # fmt: skip

    def _status_read(self, status) -> None:
        self.window.unsynced_label.setText(self.tr("Unsynced: {n}").format(n=status.unsent))
        if status.last_ok:
            self.last_label.setText(self.tr("Last sync: {when}").format(when=local_time(status.last_ok)))
        elif status.enrolled:
            self.last_label.setText(self.tr("Never synced"))
        else:
            self.last_label.setText("")
        self.show_online()

    def _finished(self, report) -> None:
        self.window.unsynced_label.setText(self.tr("Unsynced: {n}").format(n=report.unsent))
        self.show_online()
        if report.cancelled:
            text = self.tr("Sync cancelled: {sent} sent, {left} still waiting.")
        else:
            text = self.tr("Synced: {sent} sent, {left} still waiting.")
        self.window.statusBar().showMessage(text.format(sent=report.sent, left=report.unsent), 8000)

    def _failed(self, message: str) -> None:
        self.show_online()
        self.window.statusBar().showMessage(self.tr("Sync failed: {error}").format(error=message), 15000)


def install(window) -> SyncStatus:
    """Add the sync controller and status figures to the window (before its status bar is first filled)."""
    controller = SyncController(window.runner, window)
    window.sync_controller = controller
    window.sync_status = SyncStatus(window, controller)
    window.runner.store_opened.connect(lambda _store: controller.start())
    return window.sync_status
