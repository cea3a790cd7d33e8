"""The sync panel's quarantine buttons: send a set-aside operation again (optionally with one field
corrected) and export the quarantine for head office, through the same functions as ``loandesk
quarantine retry|export`` (``sync.quarantine``), on the task runner.

A retry makes a new operation in the refused one's place (its payload was frozen when first sent);
the next sync sends it. The export is JSON with personal data masked.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.validation import field_label

from . import file_dialogs
from .accessibility import name_fields
from .error_text import user_message


class RetryDialog(QDialog):
    """Send again as it was, or with one field changed (the hub's reason shown above)."""

    def __init__(self, item: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setWindowTitle(self.tr("Send again"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        reason = QLabel(self.tr("The hub's reason: {reason}").format(reason=item.get("reason") or "—"))
        reason.setWordWrap(True)
        layout.addWidget(reason)
        form = QFormLayout()
        self.field = QComboBox()
        self.field.addItem(self.tr("(send as it was)"), "")
        for name in sorted(item.get("payload") or {}):
            self.field.addItem(field_label(name), name)
        self.value = QLineEdit()
        self.value.setPlaceholderText(self.tr("the corrected value"))
        form.addRow(self.tr("Correct field"), self.field)
        form.addRow(self.tr("New value"), self.value)
        name_fields(self)  # each field named by its label, for screen readers
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("Send &again"), QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        self.ok_button.clicked.connect(self.check)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def changes(self) -> dict | None:
        """The change asked for, typed like the field's old value; raises ValueError saying what is wrong."""
        name = self.field.currentData()
        if not name:
            return None
        text = self.value.text().strip()
        if not text:
            raise ValueError(self.tr("{field}: type the corrected value.").format(field=field_label(name)))
        old = (self.item.get("payload") or {}).get(name)
        if isinstance(old, int) and not isinstance(old, bool):
            try:
                return {name: int(text.replace(",", ""))}
            except ValueError:
                raise ValueError(self.tr("{field}: {value} is not a whole number.").format(
                    field=field_label(name), value=text)) from None  # fmt: skip
        return {name: text}

    def check(self) -> None:
        try:
            self.changes()
        except ValueError as exc:
            self.message.setText(str(exc))
            self.value.setFocus()
            return
        self.accept()


class QuarantineActions(QObject):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.runner = panel.controller.runner
        self.items: list[dict] = []
        self.retry_dialog: RetryDialog | None = None
        row = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Send &again…"))
        self.export_button = QPushButton(self.tr("E&xport…"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        row.addWidget(self.retry_button)
        row.addWidget(self.export_button)
        row.addWidget(self.message, 1)
        layout = panel.layout()
        layout.insertLayout(layout.indexOf(panel.quarantine) + 1, row)
        self.retry_button.clicked.connect(self.retry)
        self.export_button.clicked.connect(lambda: self.export())
        panel.quarantine.itemSelectionChanged.connect(self._enable)
        panel.controller.status_read.connect(self._status_read)
        if panel.controller.status is not None:
            self._status_read(panel.controller.status)
        self._enable()

    def _status_read(self, status) -> None:
        self.items = list(status.quarantined)  # in the panel's row order
        self._enable()

    def selected(self) -> dict | None:
        row = self.panel.quarantine.indexOfTopLevelItem(self.panel.quarantine.currentItem())
        return self.items[row] if 0 <= row < len(self.items) and self.panel.quarantine.selectedItems() else None

    def _enable(self) -> None:
        self.retry_button.setEnabled(self.selected() is not None)
        self.export_button.setEnabled(bool(self.items))

    def retry(self) -> RetryDialog | None:
        item = self.selected()
        if item is None:
            return None
        self.retry_dialog = RetryDialog(item, self.panel)
        self.retry_dialog.accepted.connect(lambda: self._send_again(item, self.retry_dialog.changes()))
        self.retry_dialog.open()
        return self.retry_dialog

    def _send_again(self, item: dict, changes: dict | None) -> None:
        def job(store, _state):
            from loandesk.sync import quarantine

            return quarantine.retry(store, item["op_id"], changes)

        def done(_answer) -> None:
            self.message.setText(self.tr("Queued again: it goes with the next sync."))
            self.panel.controller.read_status()

        self.runner.submit(job, done, self._failed)

    def export(self, path: str | None = None) -> None:
        path = path or file_dialogs.save_file_name(self.panel, self.tr("Export the quarantine"), "quarantine.json",
                                                   self.tr("JSON files (*.json)"), ".json")  # fmt: skip
        if not path:
            return

        def job(store, _state):
            from pathlib import Path

            from loandesk.sync import quarantine

            return quarantine.export(store, Path(path))

        def done(count: int) -> None:
            self.message.setText(self.tr("Exported {n} operations to {path} (personal data masked).").format(
                n=count, path=path))  # fmt: skip

        self.runner.submit(job, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(self.tr("Not done: {reason}").format(reason=user_message(error)))


def attach(panel) -> QuarantineActions:
    panel.quarantine_actions = QuarantineActions(panel)
    return panel.quarantine_actions
