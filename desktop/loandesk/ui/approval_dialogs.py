"""The two dialogs of the approval path.

``RecordDecisionDialog`` (Ctrl+D): the score the application would get now (decision, score, grade,
limit, reasons, re-entered figures), computed off the GUI thread before it opens; the decision is
stored only when the officer confirms.

``ApprovalDialog``: the approver sees the score result and the memo on file, then approves (limit,
term, conditions) or declines (reason). The rules (``core.decisions.check_approval``) are said as the
approver types; the store checks them again and its refusal is shown in place, without closing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.decisions import MAX_RATE, ApprovalRefused, check_approval
from loandesk.core.i18n import language
from loandesk.core.values import ValueProblem, parse_money

from .accessibility import name_fields
from .decision_words import words
from .score_panel import DECISION_COLOURS
from .signed_in import bind_to_signed_in
from .tasks import TaskRunner
from .widgets import ERROR_COLOUR, WARNING_COLOUR, user_message


def _label(text: str = "", *, wrap: bool = True, plain: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    if plain:
        label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _big(label: QLabel, code: str | None) -> QLabel:
    font = label.font()
    font.setPointSize(font.pointSize() + 5)
    font.setBold(True)
    label.setFont(font)
    label.setStyleSheet(f"color: {DECISION_COLOURS.get(code or '', '')}")
    return label


def _yuan(amount) -> str:
    return "—" if amount is None else f"{int(amount):,}"


def _unique(items: list[str]) -> list[str]:
    """Knock-outs are among the reasons too: each said once, in order."""
    return list(dict.fromkeys(items))


def _bullets(items: list[str]) -> str:
    return "\n".join(f"• {t}" for t in items)


class RecordDecisionDialog(QDialog):
    """Show the score an application would be recorded with; record it only on confirmation."""

    recorded = Signal(object)  # the stored decision

    def __init__(self, preview: dict, officer: str | None, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.preview, self.officer, self.runner = preview, officer, runner
        r, lang = preview["result"], language()
        self.setWindowTitle(self.tr("Record decision — {ref}").format(ref=preview["ref"]))
        layout = QVBoxLayout(self)
        layout.addWidget(_label(preview.get("enterprise_name") or ""))
        self.decision_label = _big(_label(words().name(r["decision"]), wrap=False), r["decision"])
        layout.addWidget(self.decision_label)
        form = QFormLayout()
        lending = r["decision"] != "decline" and r["limit"] > 0
        self.score_value = _label(f"{r['score']:g}")
        self.grade_value = _label(r["grade"] or "—")
        self.limit_value = _label(self.tr("{amount} yuan").format(amount=_yuan(r["limit"])) if lending else "—")
        rate = self.tr("{rate}% a year").format(rate=f"{r['rate']:.2f}") if lending and r["rate"] is not None else "—"
        term = self.tr("{n} months").format(n=r["term_months"]) if lending else "—"
        for title, value in ((self.tr("Score"), self.score_value), (self.tr("Grade"), self.grade_value),
                             (self.tr("Limit"), self.limit_value), (self.tr("Rate"), _label(rate)),
                             (self.tr("Term"), _label(term))):  # fmt: skip
            form.addRow(title, value)
        layout.addLayout(form)
        reasons = _unique([k[lang] for k in r.get("knockouts") or []] + [x[lang] for x in r.get("reasons") or []])
        self.reasons_label = _label(_bullets(reasons) or self.tr("None"))
        box = QGroupBox(self.tr("Reasons"))
        QVBoxLayout(box).addWidget(self.reasons_label)
        layout.addWidget(box)
        warnings = [f[lang] for f in preview.get("flags") or []]
        approval, pending = preview.get("approval"), preview.get("pending_override")
        if approval:
            warnings.append(self.tr("{name} already decided this application ({decision}). Recording a new decision "
                                    "sets that aside: the approver must decide again.")
                            .format(name=approval["approver"], decision=words().name(approval["outcome"])))
        if pending:
            warnings.append(self.tr("The override waiting for an approver is for the current decision; it will no "
                                    "longer apply."))  # fmt: skip
        self.warning_label = _label(_bullets(warnings))
        self.warning_label.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.warning_label.setVisible(bool(warnings))
        layout.addWidget(self.warning_label)
        layout.addWidget(_label(self.tr("Nothing is stored until you record the decision.")))
        self.problem = _label()
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR};")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button: QPushButton = buttons.addButton(self.tr("&Record decision"),
                                                            QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        self.record_button.setDefault(True)
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        name_fields(self)
        self.resize(500, self.sizeHint().height())

    def record(self) -> None:
        app_id, officer = self.preview["application_id"], self.officer
        self.record_button.setEnabled(False)

        def job(store, _state):
            from loandesk.approvals.service import record

            return record(store, app_id, officer=officer)

        def failed(error: BaseException) -> None:
            self.problem.setText(user_message(error))
            self.record_button.setEnabled(True)

        def done(decision: dict) -> None:
            self.recorded.emit(decision)
            self.accept()

        self.runner.submit(job, done, failed)


class ApprovalDialog(QDialog):
    """The approver's decision: approve (limit, term, conditions) or decline (reason), with the memo."""

    decided = Signal(object, object, object)  # the approver's decision, the memo row, the memo PDF

    def __init__(self, summary: dict, runner: TaskRunner, parent: QWidget | None = None, lang: str | None = None):
        super().__init__(parent)
        self.summary, self.runner, self.lang = summary, runner, lang or language()
        app, now, decision = summary["application"], summary["in_effect"], summary["decision"]
        self.facts = summary["facts"]
        self.setWindowTitle(self.tr("Approve or decline — {ref}").format(ref=app["ref"]))
        layout = QVBoxLayout(self)
        layout.addWidget(_label(self.tr("{name}: {amount} yuan for {n} months requested").format(
            name=app["enterprise_name"], amount=_yuan(app["requested_amount"]), n=app["term_months"])))  # fmt: skip
        layout.addWidget(self._score_box(summary))
        layout.addWidget(self._memo_box(summary.get("memo")))
        layout.addWidget(self._decision_box(now, decision))
        self.problem = _label()
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR};")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button: QPushButton = buttons.addButton(self.tr("&Record decision and issue the memo"),
                                                            QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for signal in (self.limit.textChanged, self.reason.textChanged, self.approver.textChanged,
                       self.term.valueChanged, self.rate.valueChanged, self.outcomes.idToggled):  # fmt: skip
            signal.connect(self._check)
        self._check()
        name_fields(self)  # each field named by its label, for screen readers
        self.resize(620, self.sizeHint().height())

    # ---- what the approver sees ----------------------------------------------------------------
    def _score_box(self, summary: dict) -> QGroupBox:
        box = QGroupBox(self.tr("Score result"))
        layout = QVBoxLayout(box)
        now, decision, result = summary["in_effect"], summary["decision"], summary.get("score_result")
        if decision is None:
            layout.addWidget(_label(self.tr("Not scored yet: score it and record the decision first (Ctrl+D).")))
            return box
        row = QHBoxLayout()
        self.in_effect_label = _big(_label(words().name(now["decision"]), wrap=False), now["decision"])
        row.addWidget(self.in_effect_label)
        row.addStretch(1)
        layout.addLayout(row)
        form = QFormLayout()
        form.addRow(self.tr("Score"), _label(f"{decision['score']:g}  ({self.tr('grade')} {decision['grade']})"))
        model = words().name(decision["decision"])
        if decision["decision"] != "decline" and decision["limit_amount"]:  # a decline has no limit to show
            model = self.tr("{decision}, limit {limit} yuan").format(decision=model,
                                                                      limit=_yuan(decision["limit_amount"]))
        form.addRow(self.tr("Model's decision"), _label(model))
        override = summary.get("override")
        if override:
            form.addRow(self.tr("Override"), _label(self.tr("changed to {decision} by {officer}, confirmed by "
                                                            "{approver}: {reason}").format(
                decision=words().name(override["to_decision"]), officer=override["officer"],
                approver=override["approver"], reason=override["reason"])))  # fmt: skip
        pending = summary.get("pending_override")
        if pending:
            form.addRow(self.tr("Waiting"), _label(words().pending(now["decision"], pending["to_decision"])))
        layout.addLayout(form)
        lang = self.lang
        items = _unique([k[lang] for k in (result.knockouts if result else [])]
                        + (result.texts("reasons", lang) if result else []))  # fmt: skip
        self.reasons_label = _label(_bullets(items[:6]) or self.tr("None"))
        layout.addWidget(self.reasons_label)
        return box

    def _memo_box(self, memo: dict | None) -> QGroupBox:
        box = QGroupBox(self.tr("Credit memo"))
        layout = QVBoxLayout(box)
        self.memo_recommendation = _label()
        if memo is None or not memo.get("for_current_decision"):
            self.memo_label = _label(self.tr("No memo for this decision yet: the memo is issued with your decision."))
        else:
            state = self.tr("approved") if memo["status"] == "approved" else self.tr("issued, awaiting approval")
            self.memo_label = _label(self.tr("Memo {memo} (version {version}), {state}").format(
                memo=memo["memo_no"], version=memo["version"], state=state))  # fmt: skip
            self.memo_recommendation.setText(memo.get("recommendation") or "")
        layout.addWidget(self.memo_label)
        layout.addWidget(self.memo_recommendation)
        self.memo_recommendation.setVisible(bool(self.memo_recommendation.text()))
        return box

    def _decision_box(self, now: dict, decision: dict | None) -> QGroupBox:
        box = QGroupBox(self.tr("Your decision"))
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.approve_radio = QRadioButton(words().name("approve"))
        self.decline_radio = QRadioButton(words().name("decline"))
        self.outcomes = QButtonGroup(self)
        self.outcomes.addButton(self.approve_radio, 0)
        self.outcomes.addButton(self.decline_radio, 1)
        row.addWidget(self.approve_radio)
        row.addWidget(self.decline_radio)
        row.addStretch(1)
        layout.addLayout(row)
        self.approve_note = _label()
        self.approve_note.setStyleSheet(f"color: {WARNING_COLOUR};")
        layout.addWidget(self.approve_note)
        form = QFormLayout()
        self.limit = QLineEdit(f"{int(now['limit']):,}" if now.get("limit") else "")
        self.limit.setPlaceholderText(self.tr("e.g. 200000 or 20万"))
        self.term = QSpinBox()
        self.term.setRange(1, self.facts.max_term_months or 360)
        self.term.setSuffix(self.tr(" months"))
        self.term.setValue(min(now.get("term_months") or self.summary["application"]["term_months"] or 12,
                               self.term.maximum()))  # fmt: skip
        self.rate = QDoubleSpinBox()
        self.rate.setDecimals(2)
        self.rate.setRange(0.01, MAX_RATE)
        self.rate.setSingleStep(0.05)
        self.rate.setSuffix(" %")
        self.rate.setValue(now.get("rate") or (decision or {}).get("rate") or 0.01)
        self.conditions = QPlainTextEdit()
        self.conditions.setTabChangesFocus(True)
        self.conditions.setPlaceholderText(self.tr("One condition per line (optional)"))
        self.conditions.setFixedHeight(self.conditions.fontMetrics().lineSpacing() * 3 + 14)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("Why the application is declined (required)"))
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 3 + 14)
        self.approver = QLineEdit()
        self.approver.setMaxLength(40)
        self.approver.setPlaceholderText(self.tr("Not the officer who scored or asked"))
        bind_to_signed_in(self.approver, self.runner)  # the approver is whoever signed in
        self.rows: dict[str, QLabel] = {}
        for key, text, editor in (("limit", self.tr("&Limit (yuan)"), self.limit),
                                  ("term", self.tr("&Term"), self.term),
                                  ("rate", self.tr("Annual rat&e"), self.rate),
                                  ("conditions", self.tr("&Conditions"), self.conditions),
                                  ("reason", self.tr("&Reason"), self.reason),
                                  ("approver", self.tr("A&pprover"), self.approver)):  # fmt: skip
            lab = QLabel(text)
            lab.setBuddy(editor)
            self.rows[key] = lab
            form.addRow(lab, editor)
        layout.addLayout(form)
        blocked = self._approve_blocked()
        self.approve_radio.setEnabled(blocked is None)
        if blocked:
            self.approve_note.setText(blocked)
        self.approve_note.setVisible(bool(blocked))
        (self.decline_radio if blocked or now.get("decision") == "decline" else self.approve_radio).setChecked(True)
        return box

    def _approve_blocked(self) -> str | None:
        """Why approving is not possible at all here (a knock-out, a decline in effect), if it is not."""
        try:
            check_approval(self.facts, "approve", "\0", limit=1)
        except ApprovalRefused as refused:
            if refused.field == "outcome":
                return refused.message(self.lang)
        return None

    # ---- checking and recording ------------------------------------------------------------------
    def outcome(self) -> str:
        return "approve" if self.approve_radio.isChecked() else "decline"

    def _limit(self) -> int | None:
        text = self.limit.text().strip()
        return parse_money(text) if text else None

    def _conditions(self) -> list[str]:
        return [line.strip() for line in self.conditions.toPlainText().splitlines() if line.strip()]

    def _check(self, *_args) -> bool:
        approve = self.outcome() == "approve"
        for key, editor in (("limit", self.limit), ("term", self.term), ("rate", self.rate),
                            ("conditions", self.conditions)):  # fmt: skip
            editor.setVisible(approve)
            self.rows[key].setVisible(approve)
        self.reason.setVisible(not approve)
        self.rows["reason"].setVisible(not approve)
        problem = ""
        try:
            limit = self._limit() if approve else None
            check_approval(self.facts, self.outcome(), self.approver.text(), limit=limit,
                           term_months=self.term.value() if approve else None,
                           rate=self.rate.value() if approve else None, reason=self.reason.toPlainText())  # fmt: skip
        except ValueProblem:
            problem = self.tr("The limit is not an amount in yuan.")
        except ApprovalRefused as refused:
            problem = refused.message(self.lang)
        self.problem.setText(problem)
        self.record_button.setEnabled(not problem)
        return not problem

    def submit(self) -> None:
        if not self._check():
            return
        app_id, outcome, lang = self.summary["application"]["id"], self.outcome(), self.lang
        approve = outcome == "approve"
        values = {"limit": self._limit() if approve else None, "term_months": self.term.value() if approve else None,
                  "rate": round(self.rate.value(), 2) if approve else None,
                  "conditions": self._conditions() if approve else [],
                  "reason": self.reason.toPlainText() if not approve else None}  # fmt: skip
        approver = self.approver.text()
        self.record_button.setEnabled(False)

        def job(store, _state):
            from loandesk.approvals.service import decide
            from loandesk.memo.service import memo_pdf

            approval, memo = decide(store, app_id, outcome, approver, lang=lang, **values)
            return approval, memo, memo_pdf(store, memo["id"])

        def refused(error: BaseException) -> None:
            self.problem.setText(user_message(error))
            self.record_button.setEnabled(True)

        def done(result) -> None:
            self.decided.emit(*result)
            self.accept()

        self.runner.submit(job, done, refused)
