"""The main window's score panel: the selected application's decision in effect and its scoring.

It follows the applications list: when the chosen application changes (or the list reloads after a
decision, an override, an approval), its summary (``approvals.service.summary``) is loaded on the
database worker and shown; an answer for an application no longer chosen is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QWidget

from .score_panel import ScorePanel
from .tasks import TaskRunner

FOLLOW_DELAY_MS = 120  # arrow keys through the list: one load per pause, not per row


class DecisionDock(QDockWidget):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionDock")
        self.setWindowTitle(self.tr("Score and decision"))
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)  # fmt: skip
        self.runner = runner
        self.panel = ScorePanel()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.panel)
        self.setWidget(scroll)
        self.setMinimumWidth(250)  # beside the lists at the default window size: every column stays on screen
        self.application_id: str | None = None
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=FOLLOW_DELAY_MS)
        self._timer.timeout.connect(self._load)
        self.panel.show_stored(None)

    def follow(self, application_id: str | None) -> None:
        """Show ``application_id`` (None: nothing chosen) once the selection settles; reloads the same one."""
        self.application_id = application_id
        self._generation += 1  # any answer on its way is for an older choice
        self._timer.start()

    def _load(self) -> None:
        app_id, generation = self.application_id, self._generation
        if app_id is None:
            self._show(generation, None)
            return
        if not self.runner.accepting:
            return

        def job(store, _state):
            from loandesk.approvals.service import summary

            return summary(store, app_id)

        self.runner.submit(job, lambda result: self._show(generation, result),
                           lambda error: self._failed(generation, error))  # fmt: skip

    def _show(self, generation: int, summary: dict | None) -> None:
        if generation != self._generation:
            return
        self.panel.show_stored(summary)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        from .widgets import user_message

        self.panel.show_stored(None)
        self.panel.status_label.setText(user_message(error))
