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

from loandesk.core.i18n import language
from loandesk.core.validation import Finding, Level

ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#b26a00"  # amber dark enough to read on white


def user_message(error: BaseException) -> str:
    """An error as the user should read it: Loan Desk's own errors carry their zh/en text."""
    if hasattr(error, "message"):
        try:
            return error.message(language())
        except TypeError:
            pass
    return str(error) or type(error).__name__


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
    """Shown before a new record is made when its credit code or legal representative is on file.

    The same credit code is the same legal entity: the officer opens it, or adds this application
    to it (its details are updated with what was typed, which the dialog spells out). The same
    legal representative alone is a different enterprise of the same person (common for
    individual businesses): the officer may open that one, or save this one as a new enterprise.
    """

    OPEN, ATTACH, NEW = 1, 2, 3
    chosen = Signal(int, str)  # choice, enterprise id

    def __init__(self, duplicates: list[dict], parent: QWidget | None = None, typed_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Already on file"))
        self.duplicates = duplicates
        self.typed_name = typed_name
        self.same_code = any(d["match"] == "credit_code" for d in duplicates)
        layout = QVBoxLayout(self)
        if self.same_code:
            text = self.tr("An enterprise with this credit code is already on file. Open it, or add this "
                           "application to it instead of making a second record.")  # fmt: skip
        else:
            text = self.tr("The legal representative already represents these enterprises on file. Open one, "
                           "or save this enterprise as a new record.")  # fmt: skip
        intro = QLabel(text)
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
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {WARNING_COLOUR};")
        layout.addWidget(self.note)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(self.tr("&Open existing"), QDialogButtonBox.ButtonRole.ActionRole)
        self.attach_button = buttons.addButton(
            self.tr("&Add this application to it"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.new_button = buttons.addButton(self.tr("Save as a &new enterprise"),
                                            QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.clicked.connect(lambda: self._choose(self.OPEN))
        self.attach_button.clicked.connect(lambda: self._choose(self.ATTACH))
        self.new_button.clicked.connect(lambda: self._choose(self.NEW))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._update)
        self._update()
        self.resize(640, 300)

    def _selected(self) -> dict:
        row = max(self.list.currentRow(), 0)
        return self.duplicates[row]

    def _update(self) -> None:
        chosen = self._selected()
        same_code = chosen["match"] == "credit_code"
        # Attaching updates the enterprise on file: only for the same legal entity (same code).
        self.attach_button.setVisible(same_code)
        # Another record for a code already on file would be a duplicate: never offered.
        self.new_button.setVisible(not self.same_code)
        if same_code and self.typed_name and self.typed_name != chosen["enterprise_name"]:
            self.note.setText(self.tr("Adding the application updates the enterprise on file: its name changes "
                                      "from “{old}” to “{new}”.").format(old=chosen["enterprise_name"],
                                                                        new=self.typed_name))  # fmt: skip
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))

    def selected_id(self) -> str:
        return self._selected()["id"]

    def _choose(self, choice: int) -> None:
        self.chosen.emit(choice, self.selected_id())
        self.done(choice)
