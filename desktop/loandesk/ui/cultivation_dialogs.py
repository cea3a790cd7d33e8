"""Dialogs of the cultivation page: change a stage (with its reason), assign an account manager (one
enterprise or every one in the filter), record a visit (with photos and an optional location).

Each dialog checks what it can as the user types, then hands the write to the database worker
(``TaskRunner``); a refusal from the store (the rules, the permissions) is shown in the dialog, which
stays open with everything typed, and the window never blocks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from loandesk.core import clock
from loandesk.core import cultivation as rules
from loandesk.core.i18n import language

from .accessibility import name_fields
from .error_text import user_message


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class _WriteDialog(QDialog):
    """OK runs ``job`` on the worker; success closes the dialog and emits ``saved``; a refusal is shown."""

    saved = Signal(object)

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error_label = QLabel()
        self.error_label.setObjectName("dialogError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b42318")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(self.buttons)
        name_fields(self)  # each field named by its label, for screen readers

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def job(self):  # pragma: no cover - each dialog's own
        raise NotImplementedError

    def submit(self) -> None:
        job = self.job()
        if job is None:
            return
        self.ok_button().setEnabled(False)
        self.error_label.setText(self.tr("Saving…"))
        self.runner.submit(lambda store, _state: job(store), self._done, self._refused)

    def _done(self, result) -> None:
        self.error_label.clear()
        self.saved.emit(result)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.ok_button().setEnabled(True)
        self.error_label.setText(user_message(error))


class StageDialog(_WriteDialog):
    def __init__(self, runner, row: dict, stage_names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.row = row
        self.setWindowTitle(self.tr("Change stage"))
        current = row.get("stage") or "no_loan"
        self.form.addRow(self.tr("Enterprise:"), QLabel(f"{row.get('ref')}  {row.get('enterprise_name')}"))
        self.form.addRow(self.tr("Current stage:"), QLabel(stage_names.get(current, current)))
        self.target = QComboBox()
        for stage in rules.STAGES:
            if stage in rules.MANUAL_MOVES.get(current, ()):
                self.target.addItem(stage_names.get(stage, stage), stage)
        self.form.addRow(self.tr("New stage:"), self.target)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Why (required): e.g. phoned the owner, no financing plans this year"))
        self.reason.setFixedHeight(70)
        self.form.addRow(self.tr("Reason:"), self.reason)
        if not self.target.count():
            self.error_label.setText(self.tr("This stage is not changed by hand: it moves with approvals."))
            self.ok_button().setEnabled(False)
        self.finish_layout()
        self.resize(460, self.sizeHint().height())

    def job(self):
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.error_label.setText(self.tr("Give the reason for the change."))
            return None
        key, target = self.row["id"], self.target.currentData()

        def run(store):
            from loandesk.storage import cultivation

            return cultivation.set_stage(store, key, target, reason)

        return run


class AssignDialog(_WriteDialog):
    def __init__(self, runner, officers: list[str], row: dict | None, filtered: int, where,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(runner, parent)
        self.row, self.where = row, where
        self.setWindowTitle(self.tr("Assign account manager"))
        self.officer = QComboBox()
        self.officer.setEditable(True)  # a name typed that is not an officer is refused by the store, in words
        self.officer.addItems(officers)
        if row and row.get("officer"):  # the enterprise's account manager now, to change from
            self.officer.setCurrentText(row["officer"])
        self.form.addRow(self.tr("Account manager:"), self.officer)
        self.one = QRadioButton(self.tr("The selected enterprise: {name}").format(
            name=row.get("enterprise_name") if row else self.tr("(none selected)")))  # fmt: skip
        self.many = QRadioButton(self.tr("All %n enterprise(s) in the current filter", "", filtered))
        group = QButtonGroup(self)
        for button in (self.one, self.many):
            group.addButton(button)
            self.layout_.addWidget(button)
        self.one.setEnabled(row is not None)
        (self.one if row is not None else self.many).setChecked(True)
        self.many.setEnabled(filtered > 0)
        self.finish_layout()
        self.resize(480, self.sizeHint().height())

    def job(self):
        officer = self.officer.currentText().strip()
        if not officer:
            self.error_label.setText(self.tr("Choose the account manager."))
            return None
        if self.one.isChecked():
            keys, where = [self.row["id"]], None
        else:
            keys, where = [], self.where

        def run(store):
            from loandesk.storage import cultivation

            return cultivation.assign(store, officer, keys=keys, where=where)

        return run


class VisitDialog(_WriteDialog):
    def __init__(self, runner, row: dict, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.row = row
        self.setWindowTitle(self.tr("Record visit"))
        today = clock.today()
        self.form.addRow(self.tr("Enterprise:"), QLabel(f"{row.get('ref')}  {row.get('enterprise_name')}"))
        self.visited_on = QDateEdit(_qdate(today))
        self.visited_on.setCalendarPopup(True)
        self.visited_on.setDisplayFormat("yyyy-MM-dd")
        self.visited_on.setMaximumDate(_qdate(today))
        self.form.addRow(self.tr("Visit date:"), self.visited_on)
        self.findings = QPlainTextEdit()
        self.findings.setPlaceholderText(self.tr("What you found on site: premises, stock, staff, the owner's plans"))
        self.findings.setFixedHeight(80)
        self.form.addRow(self.tr("Findings:"), self.findings)
        self.need = QCheckBox(self.tr("The enterprise has a financing need"))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("yuan, e.g. 500000 or 50万"))
        self.amount.setEnabled(False)
        self.need.toggled.connect(self.amount.setEnabled)
        self.form.addRow(self.tr("Financing need:"), self.need)
        self.form.addRow(self.tr("Amount needed:"), self.amount)
        self.next_step = QLineEdit()
        self.next_step.setPlaceholderText(self.tr("e.g. collect two years of tax certificates"))
        self.form.addRow(self.tr("Next step:"), self.next_step)
        self.has_next = QCheckBox(self.tr("Due on"))
        self.next_on = QDateEdit(_qdate(today + dt.timedelta(days=7)))
        self.next_on.setCalendarPopup(True)
        self.next_on.setDisplayFormat("yyyy-MM-dd")
        self.next_on.setEnabled(False)
        self.has_next.toggled.connect(self.next_on.setEnabled)
        due = QHBoxLayout()
        due.addWidget(self.has_next)
        due.addWidget(self.next_on, 1)
        self.form.addRow(self.tr("Next step date:"), due)
        self.photos = QListWidget()
        self.photos.setFixedHeight(60)
        add = QPushButton(self.tr("Add &photos…"))
        add.clicked.connect(self.choose_photos)
        photos = QHBoxLayout()
        photos.addWidget(self.photos, 1)
        photos.addWidget(add)
        self.form.addRow(self.tr("Photos:"), photos)
        self.lat, self.lon = QLineEdit(), QLineEdit()
        self.lat.setPlaceholderText(self.tr("latitude, e.g. 30.27"))
        self.lon.setPlaceholderText(self.tr("longitude, e.g. 120.15"))
        where = QHBoxLayout()
        where.addWidget(self.lat)
        where.addWidget(self.lon)
        self.form.addRow(self.tr("Location (optional):"), where)
        self.finish_layout()
        self.resize(560, self.sizeHint().height())

    def choose_photos(self) -> None:
        from .file_dialogs import open_file_names

        for name in open_file_names(self, self.tr("Photos of the premises"), self.tr("Images (*.jpg *.jpeg *.png)")):
            self.add_photo(Path(name))

    def add_photo(self, path: Path) -> None:
        self.photos.addItem(str(path))

    def _coordinate(self, edit: QLineEdit) -> tuple[float | None, bool]:
        text = edit.text().strip()
        if not text:
            return None, True
        try:
            return float(text), True
        except ValueError:
            return None, False

    def job(self):
        from loandesk.core.messages import CATALOGUE
        from loandesk.core.values import ValueProblem, parse_money
        from loandesk.storage.cultivation import Visit

        amount = None
        if self.need.isChecked() and self.amount.text().strip():
            try:
                amount = parse_money(self.amount.text())
            except ValueProblem as exc:
                en, zh = CATALOGUE[exc.code]
                text = zh if language() == "zh" else en
                self.error_label.setText(self.tr("Amount needed: ") + text.format(**exc.params))
                return None
        lat, lat_ok = self._coordinate(self.lat)
        lon, lon_ok = self._coordinate(self.lon)
        if not (lat_ok and lon_ok):
            self.error_label.setText(self.tr("Location: latitude and longitude are numbers, e.g. 30.27 and 120.15."))
            return None
        next_on = _date(self.next_on) if self.has_next.isChecked() else None
        visit = Visit(enterprise=self.row["id"], visited_on=_date(self.visited_on),
                      findings=self.findings.toPlainText(), need=self.need.isChecked(), need_amount=amount,
                      next_step=self.next_step.text(), next_on=next_on,
                      photos=tuple(Path(self.photos.item(i).text()) for i in range(self.photos.count())),
                      lat=lat, lon=lon)  # fmt: skip

        def run(store):
            from loandesk.storage import cultivation

            return cultivation.record_visit(store, visit)

        return run
