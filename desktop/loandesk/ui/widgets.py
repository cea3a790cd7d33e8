"""Small widgets shared by the screens: an inline field message, a banner, a duplicate chooser."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.validation import Finding, Level

ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#b26a00"  # amber dark enough to read on white


class FieldMessage(QLabel):
    """The line under a field: red for errors, amber for warnings, hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.level: Level | None = None
        self.hide()

    def show_findings(self, findings: list[Finding]) -> None:
        if not findings:
            self.level = None
            self.clear()
            self.hide()
            return
        errors = [f for f in findings if f.level is Level.ERROR]
        shown = errors or findings
        self.level = Level.ERROR if errors else Level.WARNING
        colour = ERROR_COLOUR if errors else WARNING_COLOUR
        self.setStyleSheet(f"color: {colour};")
        self.setText("\n".join(("✖ " if f.is_error else "⚠ ") + f.message() for f in shown))
        self.show()


class Banner(QFrame):
    """A tinted strip with a message and buttons, shown above a list (e.g. the demo data offer)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet("#banner { background: #e8f0fe; border: 1px solid #aac4f0; border-radius: 4px; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self._buttons = layout

    def add_button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        self._buttons.addWidget(button)
        return button


class DuplicateDialog(QDialog):
    """Shown before a new record is made when its credit code or legal representative is on file."""

    OPEN, ATTACH = 1, 2
    chosen = Signal(int, str)  # choice, enterprise id

    def __init__(self, duplicates: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Already on file"))
        self.duplicates = duplicates
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "These enterprises already on file have the same credit code or legal representative. "
                "Open one, or add this application to it instead of making a second record."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        for dup in duplicates:
            reason = self.tr("same credit code") if dup["match"] == "credit_code" else self.tr(
                "same legal representative ID"
            )
            item = QListWidgetItem(f"{dup['ref']}  {dup['enterprise_name']}  {dup['credit_code']}  ({reason})")
            item.setData(Qt.ItemDataRole.UserRole, dup["id"])
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(self.tr("&Open existing"), QDialogButtonBox.ButtonRole.ActionRole)
        self.attach_button = buttons.addButton(
            self.tr("&Add this application to it"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.clicked.connect(lambda: self._choose(self.OPEN))
        self.attach_button.clicked.connect(lambda: self._choose(self.ATTACH))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 260)

    def selected_id(self) -> str:
        item = self.list.currentItem() or self.list.item(0)
        return item.data(Qt.ItemDataRole.UserRole)

    def _choose(self, choice: int) -> None:
        self.chosen.emit(choice, self.selected_id())
        self.done(choice)
