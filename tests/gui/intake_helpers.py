"""Typing a whole intake into the real form, as an officer would (shared by GUI tests)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

from loandesk.core import clock

GOOD_CODE = "91350100M000100Y43"  # GB 32100-2015's worked example
GOOD_ID = "11010519491231002X"  # GB 11643-1999's worked example
GOOD = {
    "enterprise_name": "杭州恒瑞机械制造有限公司",
    "credit_code": GOOD_CODE,
    "industry": "IND",
    "registered_on": "2019-03-15",
    "employees": "25",
    "annual_revenue": "500万",
    "total_assets": "3,000,000",
    "tax_grade": "A",
    "tax_paid_12m": "120000",
    "tax_paid_24m": "230000",
    "legal_rep_name": "王建国",
    "legal_rep_id": GOOD_ID,
    "legal_rep_phone": "13812345678",
    "requested_amount": "500,000",
    "term_months": "12",
    "purpose": "采购原材料",
    "consent_given": True,
}


def type_text(qtbot, widget, text: str) -> None:
    """Type like a user: ASCII through key clicks, Chinese through an input method's commit
    (how Chinese is really entered; QTest's key clicks accept only ASCII)."""
    run = ""
    for ch in text + "\0":
        if ch != "\0" and ch.isascii():
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        if ch != "\0":
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def type_into(form, qtbot, name: str, value) -> None:
    editor = form.editors[name]
    if isinstance(editor, QLineEdit):
        editor.setFocus()
        editor.selectAll()
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
        type_text(qtbot, editor, str(value))
    elif isinstance(editor, QPlainTextEdit):
        editor.setFocus()
        editor.clear()
        type_text(qtbot, editor, str(value))
    elif isinstance(editor, QComboBox):
        index = editor.findData(value)
        assert index >= 0, (name, value)
        editor.setCurrentIndex(index)
    elif isinstance(editor, QCheckBox):
        if editor.isChecked() != bool(value):
            editor.setFocus()
            qtbot.keyClick(editor, Qt.Key.Key_Space)
        assert editor.isChecked() == bool(value), name
    else:  # pragma: no cover
        raise AssertionError(name)


def fill(form, qtbot, values: dict | None = None) -> None:
    for name, value in (values or GOOD).items():
        type_into(form, qtbot, name, value)


def today() -> str:
    return clock.today().isoformat()
