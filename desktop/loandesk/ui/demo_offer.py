"""Demo data for a first start: offered on an empty data home, added on the worker with progress.

The records come from ``loandesk.demo.populate`` (the CLI's ``demo`` uses it too) and pass
``validate_intake`` like typed ones; this module only adds a progress dialog and cancel (each
step is its own transaction, so a cancel keeps what was added and leaves nothing half-written).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from .tasks import TaskRunner

DEMO_COUNT = 60


def populate_job(count: int) -> Callable:
    def job(store, state) -> int:
        from loandesk.core.permissions import SYSTEM
        from loandesk.demo import populate

        # As `loandesk demo` on a home with users: only an admin adds demo data; the generator then plays
        # the demo officer and approver, whose names it records, and the addition is audited.
        signed_in = store.actor
        signed_in.require("change_settings")
        store.actor = SYSTEM
        try:
            # A seed per data home size: adding demo data twice does not repeat the same codes.
            added = populate(store, count, seed=20261122 + store.count_enterprises(), lifecycle=True,
                             progress=state.set_progress, cancelled=lambda: state.cancelled)  # fmt: skip
        finally:
            store.actor = signed_in
        with store.db.atomic():
            store.audit("demo_data_added", None, {"applications": len(added)})
        return len(added)

    return job


class DemoLoader(QProgressDialog):
    """Runs the demo job with a progress bar and Cancel; ``on_done(added)`` runs on the GUI thread."""

    def __init__(self, runner: TaskRunner, parent: QWidget, on_done: Callable[[int], None],
                 count: int = DEMO_COUNT) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Demo data"))
        self.setLabelText(self.tr("Adding {count} demo enterprises…").format(count=count))
        self.setCancelButtonText(self.tr("&Cancel"))
        self.setRange(0, count)
        self.setMinimumDuration(0)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self._on_done = on_done
        self.state = runner.submit(
            populate_job(count), self._finished, self._failed, lambda done, _total: self.setValue(done)
        )
        self.canceled.connect(self.state.cancel)

    def _finished(self, added: int) -> None:
        self.close()
        self._on_done(added)

    def _failed(self, error: BaseException) -> None:
        self.close()
        QMessageBox.critical(self.parentWidget(), self.tr("Demo data"),
                             self.tr("Demo data could not be added: {error}").format(error=error))  # fmt: skip
        self._on_done(0)
