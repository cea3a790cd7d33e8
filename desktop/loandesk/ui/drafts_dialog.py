"""Offers unsaved drafts back at start-up (after a crash, a kill or a close without saving)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)


def local_time(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return stamp or ""


class DraftsDialog(QDialog):
    """A list of drafts with Restore / Discard / Later. Restoring opens the draft in the intake form."""

    restore_requested = Signal(dict)  # the draft: key, payload, updated_at
    discard_requested = Signal(str)  # draft key

    def __init__(self, drafts: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unsaved drafts"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Loan Desk found entries that were typed but not saved. Restore them to carry on.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Unsaved drafts"))
        for draft in drafts:
            self._add(draft)
        self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(self.tr("&Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = buttons.addButton(self.tr("&Discard"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.later_button = buttons.addButton(self.tr("&Later"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self._discard)
        self.later_button.clicked.connect(self.reject)
        self.list.itemActivated.connect(lambda _item: self._restore())
        layout.addWidget(buttons)
        self.resize(560, 300)

    def _add(self, draft: dict) -> None:
        form = draft.get("payload", {}).get("form", {})
        name = (form.get("enterprise_name") or "").strip() or self.tr("(no enterprise name yet)")
        ref = draft.get("payload", {}).get("ref")
        what = self.tr("changes to {ref}").format(ref=ref) if ref else self.tr("new intake")
        text = self.tr("{name} — {what}, last edited {when}").format(
            name=name, what=what, when=local_time(draft.get("updated_at", ""))
        )
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, draft)
        self.list.addItem(item)

    def _current(self) -> tuple[int, dict] | None:
        row = self.list.currentRow()
        if row < 0:
            return None
        return row, self.list.item(row).data(Qt.ItemDataRole.UserRole)

    def _take(self, row: int) -> None:
        self.list.takeItem(row)
        if self.list.count() == 0:
            self.accept()

    def _restore(self) -> None:
        current = self._current()
        if current:
            self.restore_requested.emit(current[1])
            self._take(current[0])

    def _discard(self) -> None:
        current = self._current()
        if current:
            self.discard_requested.emit(current[1]["key"])
            self._take(current[0])
