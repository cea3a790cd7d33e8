"""The Application menu on the real main window: record a decision, override it (maker-checker),
issue and preview the memo, verify memo files. Every store call goes through the window's worker."""

from __future__ import annotations

import random

from intake_helpers import type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.storage import Store

GUI_AS_SYSTEM = True  # scoring, override and confirm in one test, names typed (see conftest)


def saved_applications(home, count: int = 3) -> None:
    """Applications as a teller leaves them: saved, not yet scored (grade A, long in business)."""
    rng = random.Random(3)
    store = Store.open(home)
    try:
        for i in range(count):
            record = demo_record(rng, i * 5)  # i*5: tax grade A in the demo generator's rotation
            record.update(industry="RET", employees=8, annual_revenue=5_000_000, social_insurance_headcount=8,
                      invoice_sales_12m=4_800_000, tax_paid_12m=200_000, tax_paid_24m=380_000, tax_grade="A",
                      registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=False,
                      requested_amount=300_000)  # fmt: skip
            store.save_intake(validate_intake(record).values)
    finally:
        store.close()


def choose_first_application(window, qtbot) -> str:
    window.show_page(1)
    qtbot.waitUntil(lambda: window.application_model.rowCount() > 0)
    view = window.application_page.view
    view.setCurrentIndex(window.application_model.index(0, 0))
    return window.application_model.row_dict(0)["ref"]


def cell(window, row: int, title: str) -> str:
    model = window.application_model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return model.index(row, titles.index(title)).data()


def test_actions_wait_for_a_chosen_application(home, open_window, qtbot):
    saved_applications(home, 1)
    window = open_window(home)
    actions = window.application_actions
    assert not actions.memo_action.isEnabled()  # nothing chosen yet
    assert actions.verify_action.isEnabled()  # needs no application
    choose_first_application(window, qtbot)
    assert actions.memo_action.isEnabled() and actions.decide_action.isEnabled()
    window.show_page(0)  # the enterprise list: application actions do not apply
    assert not actions.decide_action.isEnabled()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.index("&Application") == len(menus) - 2  # before Help


def test_right_click_menu_offers_the_record_actions_each_time(home, open_window, qtbot):
    from PySide6.QtWidgets import QApplication
    from shiboken6 import isValid

    saved_applications(home, 1)
    window = open_window(home)
    choose_first_application(window, qtbot)
    view = window.application_page.view
    actions = window.application_actions
    spot = view.visualRect(window.application_model.index(0, 0)).center()
    for _ in range(2):  # a second right-click after the first menu closed works the same
        view.customContextMenuRequested.emit(spot)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
        menu = QApplication.activePopupWidget()
        assert actions.open_action in menu.actions() and actions.memo_action in menu.actions()
        menu.close()
        qtbot.waitUntil(lambda m=menu: not isValid(m))  # freed once closed: menus do not pile up
    assert actions.memo_action.isEnabled()  # the actions are the window's: they outlive each menu
    view.customContextMenuRequested.emit(view.viewport().rect().bottomRight())  # below the last row
    assert QApplication.activePopupWidget() is None


def record_decision(window, qtbot):
    """Ctrl+D: the score is shown first; confirm it to record the decision."""
    actions = window.application_actions
    before = actions.record_dialog
    actions.decide_action.trigger()
    qtbot.waitUntil(lambda: actions.record_dialog is not before and actions.record_dialog.isVisible(), timeout=20_000)
    dialog = actions.record_dialog
    dialog.record_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    return dialog


def test_record_decision_shows_the_score_first_and_records_only_on_confirm(home, open_window, qtbot, in_store):
    saved_applications(home, 1)
    window = open_window(home)
    ref = choose_first_application(window, qtbot)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    assert cell(window, 0, "Decision") == ""
    actions = window.application_actions
    actions.decide_action.trigger()
    qtbot.waitUntil(lambda: actions.record_dialog is not None and actions.record_dialog.isVisible(), timeout=20_000)
    dialog = actions.record_dialog
    assert dialog.windowTitle() == f"Record decision — {ref}"
    assert dialog.decision_label.text() == "Approve" and dialog.grade_value.text() == "A"
    assert dialog.limit_value.text() == "300,000 yuan" and dialog.reasons_label.text()
    dialog.reject()  # cancelled: nothing is stored
    qtbot.waitUntil(lambda: not dialog.isVisible())
    count = "SELECT count(*) FROM decisions"
    assert in_store(window, lambda store: store.db.execute(count).fetchone()[0]) == 0
    assert cell(window, 0, "Stage") == "Submitted"

    record_decision(window, qtbot)
    qtbot.waitUntil(lambda: cell(window, 0, "Stage") == "Scored", timeout=10_000)
    assert cell(window, 0, "Decision") == "Approve"
    assert cell(window, 0, "Limit (yuan)") == "300,000"
    assert any(m.startswith(f"{ref}: Approve, grade A") for m in said)
    assert in_store(window, lambda store: store.db.execute(count).fetchone()[0]) == 1


def test_override_needs_a_reason_and_another_person_to_confirm(home, open_window, qtbot, in_store):
    saved_applications(home, 1)
    window = open_window(home)
    ref = choose_first_application(window, qtbot)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    actions = window.application_actions
    record_decision(window, qtbot)
    qtbot.waitUntil(lambda: cell(window, 0, "Decision") == "Approve", timeout=10_000)

    actions.override_action.trigger()
    qtbot.waitUntil(lambda: actions.override_dialog is not None and actions.override_dialog.isVisible())
    dialog = actions.override_dialog
    assert dialog.windowTitle() == f"Request override — {ref}"
    assert not dialog.send_button.isEnabled()
    assert dialog.problem.text() == "Give the reason for the override."
    dialog.to_decision.setCurrentIndex(dialog.to_decision.findData("refer"))
    type_text(qtbot, dialog.reason, "实地走访发现仓库已搬迁，需审批人复核")
    dialog.officer.setText("李明")
    assert dialog.send_button.isEnabled()
    dialog.send_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert f"Override of {ref} sent to an approver" in said
    # waiting for an approver, said in words
    qtbot.waitUntil(lambda: cell(window, 0, "Decision") == "Approve (change to Refer requested, awaiting an approver)")

    # Asking again while one waits is refused by the store, said in the dialog, which stays open.
    actions.override_action.trigger()
    qtbot.waitUntil(lambda: actions.override_dialog is not dialog and actions.override_dialog.isVisible())
    again = actions.override_dialog
    type_text(qtbot, again.reason, "再次申请")
    again.officer.setText("李明")
    again.send_button.click()
    qtbot.waitUntil(lambda: "already waiting" in again.problem.text())
    assert again.isVisible()
    again.reject()

    actions.confirm_action.trigger()
    qtbot.waitUntil(lambda: actions.confirm_dialog is not None and actions.confirm_dialog.isVisible())
    confirm = actions.confirm_dialog
    confirm.approver.setText("李明")  # the officer who asked cannot approve
    assert not confirm.confirm_button.isEnabled()
    assert confirm.problem.text() == "The approver must be someone other than the officer who asked."
    confirm.approver.setText("陈静")
    confirm.confirm_button.click()
    qtbot.waitUntil(lambda: cell(window, 0, "Decision") == "Refer", timeout=10_000)
    counts = in_store(window, lambda store: __import__("loandesk.storage.decisions").storage.decisions
                      .override_counts(store))  # fmt: skip
    assert counts["confirmed"] == 1 and counts["pending"] == 0


def test_memo_is_issued_previewed_and_verified(home, open_window, qtbot, tmp_path, in_store):
    saved_applications(home, 1)
    window = open_window(home)
    ref = choose_first_application(window, qtbot)
    actions = window.application_actions
    said: list[str] = []  # status messages, kept: a slow machine may outlast their display time
    window.statusBar().messageChanged.connect(said.append)
    actions.memo_action.trigger()  # never scored: scored with the pack in force, then the memo issued
    qtbot.waitUntil(lambda: bool(actions.memo_dialogs), timeout=30_000)
    dialog = actions.memo_dialogs[-1]
    qtbot.waitUntil(lambda: len(dialog.pages) > 0, timeout=30_000)
    assert dialog.memo_no.startswith("M-")
    assert f"Issued memo {dialog.memo_no} (version 1) for {ref}" in said
    qtbot.waitUntil(lambda: cell(window, 0, "Stage") == "Memo issued", timeout=10_000)

    saved = tmp_path / "copy.pdf"
    dialog.save_to(saved)
    actions.verify_path(saved)
    qtbot.waitUntil(lambda: getattr(actions, "last_verification", None) is not None, timeout=10_000)
    ok, text = actions.last_verification
    assert ok, text
    assert dialog.memo_no in text

    altered = tmp_path / "altered.pdf"
    data = bytearray(saved.read_bytes())
    at = data.index(b"/Producer")
    data[at + 12] = ord("X") if data[at + 12] != ord("X") else ord("Y")
    altered.write_bytes(bytes(data))
    actions.last_verification = None
    actions.verify_path(altered)
    qtbot.waitUntil(lambda: actions.last_verification is not None, timeout=10_000)
    # an altered copy still names a memo on file: it exists, but this file proves nothing (exit 3 on the
    # command line), so the title says that, with the stored memo's facts to compare with the paper
    ok, text = actions.last_verification
    assert ok is False and dialog.memo_no in text and "Decision: Approve" in text
    assert actions.verification_box.windowTitle() == "Memo exists, but this file is not proof of it"
    assert actions.verification_box.icon() == QMessageBox.Icon.Warning
    actions.verification_box.close()
    stranger = tmp_path / "stranger.pdf"  # a PDF that is no memo at all
    stranger.write_bytes(b"%PDF-1.4\n%%EOF\n")
    actions.last_verification = None
    actions.verify_path(stranger)
    qtbot.waitUntil(lambda: actions.last_verification is not None, timeout=10_000)
    assert actions.last_verification[0] is False
    assert actions.verification_box.windowTitle() == "Memo does NOT verify"

    # A printed memo: the officer scans (or types) the code printed under its QR code.
    code = in_store(window, lambda store: store.db.execute(
        "SELECT content_sha256 FROM memos WHERE memo_no = ?", (dialog.memo_no,)).fetchone()[0])  # fmt: skip
    with qtbot.waitSignal(dialog.verified, timeout=10_000) as answer:
        qtbot.keyClicks(dialog.code_edit, f"LOANDESK-MEMO:{dialog.memo_no};SHA256:{code}")
        qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
    # a code proves only that the memo exists (exit 3 on the command line): never "verified"
    assert answer.args[0].status == "exists" and not dialog.last_verification[0]
    with qtbot.waitSignal(dialog.verified, timeout=10_000) as answer:
        dialog.verify_code(f"LOANDESK-MEMO:{dialog.memo_no};SHA256:{'0' * 64}")  # a forged code
    assert not answer.args[0].ok

    actions.last_verification = None
    actions.verify_path(tmp_path / "missing.pdf")  # a file that is not there: said, nothing crashes
    qtbot.waitUntil(lambda: actions.last_verification is not None, timeout=10_000)
    assert actions.last_verification == (False, "Cannot read missing.pdf: No such file or directory")

    # Asked again for the same decision, the memo on file is shown, not a new version.
    dialog.close()
    actions.memo_action.trigger()
    qtbot.waitUntil(lambda: f"Memo {dialog.memo_no} on file for {ref}" in said, timeout=30_000)
    again = actions.memo_dialogs[-1]
    assert again.memo_no == dialog.memo_no
    qtbot.waitUntil(lambda: len(again.pages) > 0, timeout=30_000)
