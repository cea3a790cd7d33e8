"""File > Import enterprise list…: the menu entry (``install(window)``); the dialog itself is
``ui.list_import_dialog``, imported when the user first opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from .list_import_dialog import ListImportDialog
    from .main_window import MainWindow


class ListImportMenu(QObject):
    """The File menu's entry, enabled once the store is open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: ListImportDialog | None = None
        self.action = QAction(self.tr("&Import enterprise list…"), window)
        self.action.setStatusTip(self.tr("Import a regulator's or head office's list of enterprises (CSV or Excel)"))
        self.action.setEnabled(False)
        self.action.triggered.connect(self.open)
        window.runner.store_opened.connect(lambda _store: self.action.setEnabled(True))
        menu = window.menuBar().actions()[0].menu()  # File
        menu.insertAction(window.demo_action, self.action)

    def open(self) -> ListImportDialog:
        from .list_import_dialog import ListImportDialog  # loaded when first asked for, not at start-up

        self.dialog = ListImportDialog(self.window.runner, self.window, on_imported=lambda _r: self.window.refresh())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog


def install(window: MainWindow) -> ListImportMenu:
    """Add File > Import enterprise list… to the main window."""
    return ListImportMenu(window)
