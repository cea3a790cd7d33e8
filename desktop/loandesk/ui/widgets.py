"""Small widgets shared by the screens: a wheel-safe combo box, an inline field message, a banner,
a duplicate chooser."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
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

from .error_text import user_message  # noqa: F401  (its old home: the screens import it from here)

ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#8a5a00"  # amber dark enough to read on a dialog's grey (5.1:1; #b26a00 was 3.7:1)


class ComboBox(QComboBox):
    """A combo box the mouse wheel changes only once it has focus.

    Scrolling a long form passes over many combo boxes; Qt's default lets the wheel both focus one and
    change its choice (a loan product, an industry, a grade changed without a click). Here an unfocused
    box ignores the wheel, so the scroll area under it scrolls on; a click or Tab gives it focus first.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: the wheel never focuses it

    def wheelEvent(self, event) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the parent (the form's scroll area) scrolls instead


class FieldMessage(QLabel):
    """The line under a field: red for errors, amber for warnings, empty when all is well.

    It always keeps one line of room (reserved, like a form's helper text), so a message appearing or
    going never moves the fields below. A message longer than the line is elided; the whole of it is
    in ``text()`` and the tooltip (and the reason beside Save lists every error in full).
    """

    def __init__(self, parent: QWidget | None = None, *, reserve: bool = True) -> None:
        """``reserve=False``: no room kept while empty (a field that never has a finding, e.g. a list flag)."""
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setFixedHeight(self.fontMetrics().height())
        self.reserve = reserve
        self.level: Level | None = None
        self.setVisible(reserve)

    def sizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height())  # never widens the form: the text is elided instead

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def show_findings(self, findings: list[Finding]) -> None:
        if not findings:
            self.level = None
            self.clear()
            self.setToolTip("")
            self.setVisible(self.reserve)
            return
        errors = [f for f in findings if f.level is Level.ERROR]
        shown = errors or findings
        self.level = Level.ERROR if errors else Level.WARNING
        colour = ERROR_COLOUR if errors else WARNING_COLOUR
        self.setStyleSheet(f"color: {colour};")
        text = "  ".join(("✖ " if f.is_error else "⚠ ") + f.message() for f in shown)
        self.setText(text)
        self.setToolTip(text)
        self.setVisible(True)

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, event) -> None:
        if not self.text():
            return
        painter = QPainter(self)
        rect = self.contentsRect()
        line = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
        painter.end()


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
