"""Field mode, for laptops on visits (issue 11): the cultivation page's My list is the start page, with a
bar on top holding Record visit (F6, photos are added in its dialog), Sync now (F9) and the sync state
in words (hub reachable, waiting, set aside, last sync), kept up to date by the sync controller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QLabel, QToolBar

from .sync_status import local_time

if TYPE_CHECKING:
    from .main_window import MainWindow


class FieldMode(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.active = False
        self.bar = QToolBar(self.tr("Field work"), window)
        self.bar.setObjectName("fieldBar")
        self.bar.setMovable(False)
        self.bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.visit_action = QAction(self.tr("Record &visit… (F6)"), window)
        self.visit_action.setShortcut(QKeySequence("F6"))
        self.visit_action.setToolTip(self.tr("Record a visit to the enterprise chosen in My list, with photos"))
        self.visit_action.triggered.connect(self.record_visit)
        self.visit_action.setEnabled(False)
        window.addAction(self.visit_action)
        self.sync_action = QAction(self.tr("Sync now (F9)"), window)
        self.sync_action.setToolTip(self.tr("Send what is waiting to head office and fetch what is new"))
        self.sync_action.triggered.connect(lambda: window.sync_menu.sync_now())
        self.panel_action = QAction(self.tr("Sync panel…"), window)
        self.panel_action.triggered.connect(lambda: window.sync_menu.show_panel())
        self.bar.addAction(self.visit_action)
        self.bar.addSeparator()
        self.bar.addAction(self.sync_action)
        self.bar.addAction(self.panel_action)
        self.state = QLabel()
        self.state.setObjectName("fieldSyncState")
        self.state.setContentsMargins(12, 0, 12, 0)
        self.bar.addWidget(self.state)
        self.bar.setStyleSheet("QToolButton { padding: 4px 14px; margin: 2px 4px;"
                               " border: 1px solid palette(mid); border-radius: 4px; }")
        bold = QFont(self.bar.font())
        bold.setBold(True)
        for action in (self.visit_action, self.sync_action):
            button = self.bar.widgetForAction(action)
            if button is not None:
                button.setFont(bold)  # the two things done most on a visit day
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.setVisible(False)
        self._dock_was_shown = True
        controller = window.sync_controller
        controller.status_read.connect(self.show_state)
        controller.reachability.connect(lambda _ok: self.show_state(controller.status))

    def activate(self) -> None:
        self.active = True
        self.visit_action.setEnabled(True)
        self.bar.setVisible(True)
        # My list gets the whole width on a laptop: the score panel is for applications, not visits.
        self._dock_was_shown = self.window.decision_dock.isVisible()
        self.window.decision_dock.setVisible(False)
        page = self.window.cultivation_page
        page.tabs.setCurrentIndex(0)  # My list
        self.window.cultivation_actions.show_page()
        self.show_state(self.window.sync_controller.status)
        self.window.sync_controller.read_status()

    def deactivate(self) -> None:
        self.active = False
        self.visit_action.setEnabled(False)
        self.bar.setVisible(False)
        self.window.decision_dock.setVisible(self._dock_was_shown)

    def record_visit(self) -> None:
        self.window.cultivation_actions.record_visit()

    def show_state(self, status) -> None:
        if status is None:
            self.state.setText(self.tr("Sync: reading…"))
            return
        if not status.enrolled:
            self.state.setText(self.tr("Not enrolled with head office: all work is kept on this laptop"))
            return
        reachable = self.window.sync_controller.reachable
        reach = {True: self.tr("hub reachable"), False: self.tr("hub not reachable"),
                 None: self.tr("hub not checked yet")}[reachable]  # fmt: skip
        last = local_time(status.last_ok) or self.tr("never")
        self.state.setText(self.tr("Sync: {reach} · {waiting} waiting · {held} set aside · last sync {last}").format(
            reach=reach, waiting=status.unsent, held=len(status.quarantined), last=last))  # fmt: skip
