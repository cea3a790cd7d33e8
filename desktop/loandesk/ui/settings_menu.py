"""Account > Settings… (admin only, greyed out with the reason for other roles) and what the first-run
wizard leaves for the window. Light on purpose: the main window installs it before its first paint; the
dialog (``settings_dialog``) and the wizard's module load only when used.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .settings_dialog import SettingsDialog


class SettingsUI(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: SettingsDialog | None = None
        account = window.account
        self.action = QAction(self.tr("Se&ttings…"), window)
        self.action.setObjectName("settingsAction")
        self.action.triggered.connect(self.show)
        window.addAction(self.action)
        account.menu.addAction(self.action)
        account.gate.gate(self.action, "change_settings")  # greyed out, with the reason, for other roles

    def show(self) -> SettingsDialog | None:
        if not self.window.runner.is_open or not self.window.account._may("change_settings"):
            return None
        from .settings_dialog import SettingsDialog

        self.dialog = SettingsDialog(self.window)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog


def install(window: MainWindow) -> SettingsUI:
    """Account > Settings…, and what the first-run wizard left for the window (language, demo data)."""
    window.store_ready.connect(lambda: _follow_up(window))
    window.settings = SettingsUI(window)
    return window.settings


def _follow_up(window: MainWindow) -> None:
    wizard = sys.modules.get("loandesk.ui.first_run_wizard")  # only a start through the wizard left anything
    if wizard is not None:
        wizard.follow_up(window)
