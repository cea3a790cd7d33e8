"""Child process for the kill test: open the real main window, type into a new intake, wait to be killed.

Run as ``python draft_child.py HOME``; prints ``typed`` once every keystroke has been sent.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import loandesk.ui  # noqa: F401  (work-around first)

sys.path.insert(0, str(Path(__file__).parent))
from intake_helpers import type_text

TYPED = {
    "enterprise_name": "嘉兴断电恢复测试有限公司",
    "credit_code": "91350100M000100Y43",
    "legal_rep_phone": "13912345678",
}


class _Bot:
    """The two QtBot methods ``type_text`` uses, straight from QTest (no pytest in the child)."""

    @staticmethod
    def keyClicks(widget, text):
        from PySide6.QtTest import QTest

        QTest.keyClicks(widget, text)


def main(home: str) -> int:
    from loandesk.core.i18n import set_language
    from loandesk.ui.main_window import MainWindow

    set_language("en")
    app = QApplication(sys.argv[:1])
    window = MainWindow(Path(home), lang="en", offer_demo=False, offer_drafts=False)

    def type_form() -> None:
        form = window.new_intake()
        for name, text in TYPED.items():
            form.editors[name].setFocus()
            type_text(_Bot, form.editors[name], text)
        print("typed", flush=True)

    window.store_ready.connect(lambda: QTimer.singleShot(0, type_form))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
