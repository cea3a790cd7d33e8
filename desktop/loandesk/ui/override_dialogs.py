"""Maker-checker dialogs: an officer asks to override a decision, an approver confirms or rejects.

The rules (a reason is required, the approver is someone else, one pending override per
decision) are enforced by ``storage.decisions``; these dialogs say them up front, and show the
store's refusal in place, in the user's language, without closing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.values import ValueProblem, parse_money

from .accessibility import name_fields
from .decision_words import words
from .signed_in import bind_to_signed_in
from .tasks import TaskRunner
from .widgets import ERROR_COLOUR, user_message


class OverrideDialog(QDialog):
    """What both dialogs share: the decisions' names (one word each, as on every screen)."""

    def decision_names(self) -> dict[str, str]:
        return words().names()


class OverrideRequestDialog(OverrideDialog):
    """Ask for another decision (and optionally another limit) with a reason."""

    requested = Signal(object)  # the stored override

    def __init__(self, ref: str, decision: dict, officer: str, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.decision, self.runner = decision, runner
        self.setWindowTitle(self.tr("Request override — {ref}").format(ref=ref))
        names = self.decision_names()
        layout = QVBoxLayout(self)
        current = QLabel(self.tr("Current decision: {decision}, grade {grade}, limit {limit} yuan").format(
            decision=names.get(decision["decision"], decision["decision"]), grade=decision.get("grade") or "—",
            limit=f"{int(decision.get('limit_amount') or 0):,}"))  # fmt: skip
        layout.addWidget(current)
        form = QFormLayout()
        self.to_decision = QComboBox()
        for code, name in names.items():
            if code != decision["decision"]:
                self.to_decision.addItem(name, code)
        self.to_limit = QLineEdit()
        self.to_limit.setPlaceholderText(self.tr("unchanged"))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("Why the decision should be different (required)"))
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        self.officer = QLineEdit(officer)
        self.officer.setMaxLength(40)
        bind_to_signed_in(self.officer, runner)  # the officer asking is whoever signed in
        rows = ((self.tr("&New decision"), self.to_decision), (self.tr("New &limit (yuan)"), self.to_limit),
                (self.tr("&Reason"), self.reason), (self.tr("&Officer"), self.officer))  # fmt: skip
        for label, editor in rows:
            lab = QLabel(label)
            lab.setBuddy(editor)
            form.addRow(lab, editor)
        layout.addLayout(form)
        note = QLabel(self.tr("An approver other than you must confirm the override before it takes effect."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR};")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(self.tr("&Send to approver"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for signal in (self.reason.textChanged, self.officer.textChanged, self.to_limit.textChanged):
            signal.connect(self._check)
        self._check()
        name_fields(self)  # each field named by its label, for screen readers
        self.resize(520, self.sizeHint().height())

    def _limit(self) -> int | None:
        text = self.to_limit.text().strip()
        return parse_money(text) if text else None

    def _check(self) -> bool:
        problem = ""
        if not self.reason.toPlainText().strip():
            problem = self.tr("Give the reason for the override.")
        elif not self.officer.text().strip():
            problem = self.tr("Give your name as the officer asking.")
        else:
            try:
                self._limit()
            except ValueProblem:
                problem = self.tr("The new limit is not an amount in yuan.")
        self.problem.setText(problem)
        self.send_button.setEnabled(not problem)
        return not problem

    def send(self) -> None:
        if not self._check():
            return
        decision, to, limit = self.decision, self.to_decision.currentData(), self._limit()
        reason, officer = self.reason.toPlainText(), self.officer.text()
        self.send_button.setEnabled(False)

        def job(store, _state):
            from loandesk.storage import decisions

            return decisions.request_override(store, decision, to, reason, officer, limit)

        def refused(error: BaseException) -> None:
            self.problem.setText(user_message(error))
            self.send_button.setEnabled(True)

        def done(override: dict) -> None:
            self.requested.emit(override)
            self.accept()

        self.runner.submit(job, done, refused)


class OverrideConfirmDialog(OverrideDialog):
    """Show a pending override and let an approver (not its officer) confirm or reject it."""

    decided = Signal(object)  # the override after the approver's answer

    def __init__(self, ref: str, override: dict, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.override, self.runner = override, runner
        self.setWindowTitle(self.tr("Confirm override — {ref}").format(ref=ref))
        names = self.decision_names()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        change = self.tr("from {old} to {new}").format(
            old=names.get(override["from_decision"], override["from_decision"]),
            new=names.get(override["to_decision"], override["to_decision"]))  # fmt: skip
        if override.get("to_limit") is not None:
            change += self.tr(", limit {limit} yuan").format(limit=f"{int(override['to_limit']):,}")
        reason = QLabel(override["reason"])
        reason.setWordWrap(True)
        form.addRow(self.tr("Change"), QLabel(change))
        form.addRow(self.tr("Reason"), reason)
        form.addRow(self.tr("Asked by"), QLabel(override["officer"]))
        form.addRow(self.tr("Asked at"), QLabel(override["requested_at"][:16].replace("T", " ")))
        self.approver = QLineEdit()
        self.approver.setMaxLength(40)
        bind_to_signed_in(self.approver, runner)
        self.note = QLineEdit()
        for label, editor in ((self.tr("&Approver"), self.approver), (self.tr("&Note"), self.note)):
            lab = QLabel(label)
            lab.setBuddy(editor)
            form.addRow(lab, editor)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR};")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button: QPushButton = buttons.addButton(self.tr("Con&firm"),
                                                             QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        self.reject_button: QPushButton = buttons.addButton(self.tr("Re&ject"), QDialogButtonBox.ButtonRole.ActionRole)
        self.confirm_button.clicked.connect(lambda: self.answer(True))
        self.reject_button.clicked.connect(lambda: self.answer(False))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.approver.textChanged.connect(self._check)
        self._check()
        name_fields(self)  # each field named by its label, for screen readers
        self.resize(520, self.sizeHint().height())

    def _check(self) -> bool:
        name = self.approver.text().strip()
        problem = ""
        if not name:
            problem = self.tr("Give the approver's name.")
        elif name == self.override["officer"]:
            problem = self.tr("The approver must be someone other than the officer who asked.")
        self.problem.setText(problem)
        for button in (self.confirm_button, self.reject_button):
            button.setEnabled(not problem)
        return not problem

    def answer(self, confirm: bool) -> None:
        if not self._check():
            return
        override_id, approver, note = self.override["id"], self.approver.text(), self.note.text()
        for button in (self.confirm_button, self.reject_button):
            button.setEnabled(False)

        def job(store, _state):
            from loandesk.storage import decisions

            return decisions.decide_override(store, override_id, approver, confirm, note)

        def refused(error: BaseException) -> None:
            self.problem.setText(user_message(error))
            self._check()

        def done(override: dict) -> None:
            self.decided.emit(override)
            self.accept()

        self.runner.submit(job, done, refused)
