"""Help > User guide and F1 on the main window; the guide itself (help_viewer) loads on first use, so
start-up pays only for one menu item."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication


class HelpActions(QObject):
    """Help > User guide (F1 anywhere in Loan Desk: the topic of the screen in front)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.viewer = None  # the HelpViewer, made on first use
        self.action = QAction(self.tr("&User guide"), window)
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
        # F1 works in every window of the app (an intake form, a dialog), not only in the main window.
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.setToolTip(self.tr("The guide for tellers and field officers, at the page for this screen"))
        self.action.triggered.connect(self.open_for_focus)
        window.addAction(self.action)
        menu = getattr(window, "_help_menu", None)
        if menu is not None:
            first = menu.actions()[0] if menu.actions() else None
            menu.insertAction(first, self.action)
            if first is not None:
                menu.insertSeparator(first)

    def open_for_focus(self):
        """The guide at the topic of the screen that has the focus (the main window's when none has)."""
        from .help_viewer import HelpViewer, topic_for

        app = QApplication.instance()
        focus = app.focusWidget() if app is not None else None
        active = app.activeWindow() if app is not None else None
        if isinstance(active, HelpViewer):
            return active  # F1 in the guide itself: stay where the reader is
        return self.open(topic_for(focus or active or self.window))

    def open(self, topic: str = "daily-path"):
        """The guide window (one per main window, kept when closed), turned to ``topic``."""
        from .help_viewer import HelpViewer

        if self.viewer is None:
            self.viewer = HelpViewer(self.window)
            self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # kept: reopens at once
        self.viewer.show_topic(topic)
        self.viewer.show()
        self.viewer.raise_()
        self.viewer.activateWindow()
        return self.viewer


def install(window) -> HelpActions:
    """Help > User guide and F1 on the main window (its Help menu must exist)."""
    window.help_actions = HelpActions(window)
    return window.help_actions
