"""Help > Self-check: the checks of ``loandesk --self-check``, run on a background thread, one row each.

The checks use a temporary data home of their own (the user's store is never opened) and take a few
seconds (a memo is rendered), so they run off the GUI thread and each row appears as its check ends.
"Copy results" puts the same lines the command prints on the clipboard, for the help desk.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QThread, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loandesk import selfcheck
from loandesk.core.i18n import language

PASS_COLOUR, FAIL_COLOUR = QColor("#1b6e20"), QColor("#b3202a")
_running: set[QThread] = set()  # threads still running after their dialog closed: kept until they end


def _wait_for_checks() -> None:
    """At quit, let running checks end (a few seconds at most) so Qt never destroys a running thread."""
    for thread in list(_running):
        thread.wait(30_000)


class _Runner(QThread):
    outcome = Signal(object)  # a selfcheck.Outcome, as each check ends

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def run(self) -> None:
        selfcheck.run_checks(self.lang, on_outcome=self.outcome.emit)


class SelfCheckDialog(QDialog):
    finished_checks = Signal(bool)  # every check passed?

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = language()
        self.outcomes: list[selfcheck.Outcome] = []
        self._runner: _Runner | None = None
        self.setWindowTitle(self.tr("Self-check"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Loan Desk checks this installation in a temporary data home of its own: "
                               "your data is not opened or changed."))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTreeWidget()
        self.table.setHeaderLabels([self.tr("Result"), self.tr("Check"), self.tr("Details")])
        self.table.setAccessibleName(self.tr("Self-check results"))
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox()
        self.again_button = buttons.addButton(self.tr("Run &again"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button = buttons.addButton(self.tr("&Copy results"), QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.again_button.clicked.connect(self.start)
        self.copy_button.clicked.connect(self.copy_results)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 360)

    @property
    def running(self) -> bool:
        return self._runner is not None

    def start(self) -> None:
        if self.running:
            return
        self.outcomes.clear()
        self.table.clear()
        self.again_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.summary.setText(self.tr("Checking… ({count} checks)").format(count=len(selfcheck.CHECKS)))
        runner = _Runner(self.lang)
        runner.outcome.connect(self._add)
        runner.finished.connect(self._done)
        runner.finished.connect(lambda: _running.discard(runner))
        runner.finished.connect(runner.deleteLater)
        app = QCoreApplication.instance()
        if not app.property("loandesk_waits_for_checks"):
            app.aboutToQuit.connect(_wait_for_checks)
            app.setProperty("loandesk_waits_for_checks", True)
        _running.add(runner)
        self._runner = runner
        runner.start()

    def _add(self, outcome: selfcheck.Outcome) -> None:
        self.outcomes.append(outcome)
        item = QTreeWidgetItem([self.tr("Passed") if outcome.ok else self.tr("FAILED"),
                                outcome.check.label(self.lang), outcome.detail])  # fmt: skip
        item.setForeground(0, QBrush(PASS_COLOUR if outcome.ok else FAIL_COLOUR))
        item.setToolTip(2, outcome.detail)
        self.table.addTopLevelItem(item)

    def _done(self) -> None:
        self._runner = None
        failed = [o.check.label(self.lang) for o in self.outcomes if not o.ok]
        if failed:
            self.summary.setText(self.tr("{n} of {count} checks failed: {names}. Copy the results for the help desk.")
                                 .format(n=len(failed), count=len(self.outcomes), names=", ".join(failed)))
        else:
            self.summary.setText(self.tr("All {count} checks passed.").format(count=len(self.outcomes)))
        self.again_button.setEnabled(True)
        self.copy_button.setEnabled(True)
        self.finished_checks.emit(not failed)

    def results_text(self) -> str:
        """The lines ``loandesk --self-check`` prints, in the same language."""
        return "\n".join(o.line(self.lang) for o in self.outcomes)

    def copy_results(self) -> None:
        QGuiApplication.clipboard().setText(self.results_text())


def show_self_check(parent: QWidget | None = None) -> SelfCheckDialog:
    """Open the dialog (not modal: the window stays usable) and start the checks. Help > Self-check calls this."""
    dialog = SelfCheckDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a late check result is then dropped
    dialog.setModal(False)
    dialog.show()
    dialog.start()
    return dialog
