"""The intake form as an officer uses it: type, see errors, save, find, reopen."""

from __future__ import annotations

import random

from intake_helpers import GOOD, GOOD_CODE, GOOD_ID, fill, today, type_into, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loandesk.core.intake import validate_intake
from loandesk.demo import make_credit_code
from loandesk.storage.attachments import attachments_for, read_attachment
from loandesk.ui.widgets import ERROR_COLOUR, WARNING_COLOUR

GUI_USER = "officer"  # conftest signs this user in: officers capture applications


def open_new_form(window, qtbot):
    qtbot.waitUntil(lambda: not window.forms)  # a saved form closes (and is deleted) first
    activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N
    qtbot.waitUntil(lambda: len(window.forms) == 1)
    return activate(window.forms[0], qtbot)


def activate(widget, qtbot):
    """Keyboard shortcuts go to the active window; offscreen activation takes a moment."""
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=5_000)
    return widget


def test_type_bad_code_see_error_fix_save_find_and_reopen(window, qtbot, in_store):
    form = open_new_form(window, qtbot)
    type_into(form, qtbot, "credit_code", "91350100M000100Y4")  # 17 characters
    message = form.messages["credit_code"]
    assert message.text() == ""  # still typing: nothing is said yet
    qtbot.keyClick(form.editors["credit_code"], Qt.Key.Key_Tab)  # moving on shows the field's findings
    assert message.isVisible()
    assert message.text() == "✖ must be 18 characters, got 17"
    assert not form.save_button.isEnabled()
    assert "Unified social credit code: must be 18 characters, got 17" in form.reason_label.text()

    fill(form, qtbot)
    assert message.text() == ""
    assert form.reason_label.text() == ""
    assert form.save_button.isEnabled()
    # Derived facts shown beside the figures: entity type from the code, size from the 2011 table.
    assert "Entity type: enterprise" in form.derived_label.text()
    assert "SME size: Small" in form.derived_label.text()

    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)
    assert not window.forms  # the form closed after saving
    assert window.unsynced_label.text() == "Unsynced: 3"  # one enterprise, one application, its consent
    assert "Saved A-" in window.statusBar().currentMessage()

    # Find it on the enterprise list by a two-character Chinese substring of its name.
    window.show_page(0)
    page = window.enterprise_page
    qtbot.waitUntil(lambda: page.model.total == 1)
    page.search.setFocus()
    type_text(qtbot, page.search, "恒瑞")
    qtbot.waitUntil(lambda: page.model.query == "恒瑞" and page.count_label.text() == "1 found", timeout=5_000)
    assert page.model.rowCount() == 1
    row = {page.model.headerData(c, Qt.Orientation.Horizontal): page.model.index(0, c).data()
           for c in range(page.model.columnCount())}  # fmt: skip
    assert row["Enterprise"] == GOOD["enterprise_name"]
    assert row["Legal representative"] == "王**"  # masked in the list
    assert row["Phone"] == "138****5678"
    page.search.selectAll()
    type_text(qtbot, page.search, "不存在")
    qtbot.waitUntil(lambda: page.count_label.text() == "0 found", timeout=5_000)
    page.search.selectAll()
    type_text(qtbot, page.search, "瑞机")
    qtbot.waitUntil(lambda: page.count_label.text() == "1 found", timeout=5_000)

    # Reopen it with the keyboard: Enter in the search box moves to the table, Enter opens the row.
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.forms) == 1, timeout=5_000)
    form = window.forms[0]
    assert form.windowTitle().startswith("Application A-")
    assert form.editors["enterprise_name"].text() == GOOD["enterprise_name"]
    assert form.editors["credit_code"].text() == GOOD_CODE
    assert form.editors["annual_revenue"].text() == "5,000,000"
    assert form.editors["industry"].currentData() == "IND"
    assert form.editors["consent_given"].isChecked()
    assert form.editors["consent_date"].text() == today()
    # Personal data shows masked and read-only until the officer presses Show.
    assert form.editors["legal_rep_name"].text() == "王**"
    assert form.editors["legal_rep_id"].text() == "110105********002X"
    assert form.editors["legal_rep_phone"].isReadOnly()
    assert form.save_button.isEnabled()  # masked fields still validate with their real values
    activate(form, qtbot)
    qtbot.keyClick(form, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # Sho&w
    qtbot.waitUntil(form.show_personal.isChecked)  # a mnemonic "animates" the click for a moment
    assert form.editors["legal_rep_id"].text() == GOOD_ID
    assert not form.editors["legal_rep_phone"].isReadOnly()


def test_check_character_warning_needs_an_override_reason(window, qtbot):
    form = open_new_form(window, qtbot)
    fill(form, qtbot, {**GOOD, "credit_code": "91350100M000100Y44"})  # check character should be 3
    message = form.messages["credit_code"]
    assert message.text() == (
        "⚠ check character should be 3; early pilot-city codes may differ: give a reason to keep it"
    )
    assert message.styleSheet() == f"color: {WARNING_COLOUR};" != f"color: {ERROR_COLOUR};"  # amber, not red: a warning
    reason = form.editors["code_override_reason"]
    assert reason.isVisible() and reason.isEnabled()
    assert not form.save_button.isEnabled()
    assert "Check-digit override reason" in form.reason_label.text()
    type_into(form, qtbot, "code_override_reason", "厦门早期试点代码，已核对营业执照")
    assert form.save_button.isEnabled()
    # Correcting the code disables the reason again (its row stays, so nothing below moves).
    type_into(form, qtbot, "credit_code", GOOD_CODE)
    assert reason.isVisible() and not reason.isEnabled()
    assert form.result.values["code_override_reason"] is None


def test_amount_outside_product_bounds_and_product_switch(window, qtbot):
    form = open_new_form(window, qtbot)
    fill(form, qtbot)
    type_into(form, qtbot, "requested_amount", "5,000,000")
    assert form.messages["requested_amount"].text() == "✖ must be at most 3,000,000"
    assert not form.save_button.isEnabled()
    type_into(form, qtbot, "product", "inclusive_micro")  # up to 10,000,000 yuan
    assert form.messages["requested_amount"].text() == ""
    assert form.save_button.isEnabled()


def test_duplicate_code_is_shown_before_a_second_record(window, qtbot, in_store):
    form = open_new_form(window, qtbot)
    fill(form, qtbot)
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)

    form = open_new_form(window, qtbot)
    fill(form, qtbot, {**GOOD, "enterprise_name": "另一个名称有限公司", "legal_rep_id": "440524188001010014"})
    form.save()
    qtbot.waitUntil(lambda: form.duplicate_dialog is not None and form.duplicate_dialog.isVisible())
    dialog = form.duplicate_dialog
    assert dialog.list.count() == 1
    assert GOOD["enterprise_name"] in dialog.list.item(0).text()
    assert "same credit code" in dialog.list.item(0).text()
    dialog.attach_button.click()
    qtbot.waitUntil(lambda: window.application_model.total == 2, timeout=10_000)
    assert in_store(window, lambda store: store.count_enterprises()) == 1  # no second enterprise


def test_duplicate_open_existing_and_cancel(window, qtbot, in_store):
    form = open_new_form(window, qtbot)
    fill(form, qtbot)
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)
    form = open_new_form(window, qtbot)
    fill(form, qtbot)
    form.save()
    qtbot.waitUntil(lambda: form.duplicate_dialog is not None and form.duplicate_dialog.isVisible())
    form.duplicate_dialog.reject()  # Cancel: nothing saved, the form stays with its values
    qtbot.waitUntil(lambda: form.save_button.isEnabled())
    assert form.editors["enterprise_name"].text() == GOOD["enterprise_name"]
    form.save()
    qtbot.waitUntil(lambda: form.duplicate_dialog is not None and form.duplicate_dialog.isVisible())
    form.duplicate_dialog.open_button.click()
    qtbot.waitUntil(lambda: len(window.forms) == 2, timeout=5_000)
    existing = window.forms[1]
    assert existing.windowTitle().startswith("Application A-")
    assert in_store(window, lambda store: store.count_applications()) == 1


def test_same_legal_rep_other_enterprise_can_be_saved_as_new_but_never_merged(window, qtbot, in_store):
    form = open_new_form(window, qtbot)
    fill(form, qtbot)
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)

    other_code = make_credit_code(random.Random(1), "330106", individual=True)
    form = open_new_form(window, qtbot)
    fill(form, qtbot, {**GOOD, "enterprise_name": "杭州恒瑞五金店", "credit_code": other_code})
    form.save()
    qtbot.waitUntil(lambda: form.duplicate_dialog is not None and form.duplicate_dialog.isVisible())
    dialog = form.duplicate_dialog
    assert "same legal representative ID" in dialog.list.item(0).text()
    assert not dialog.attach_button.isVisible()  # another entity: attaching would overwrite it
    assert dialog.new_button.isVisible()
    dialog.new_button.click()
    qtbot.waitUntil(lambda: window.application_model.total == 2, timeout=10_000)
    names = in_store(window, lambda store: sorted(r["enterprise_name"] for r in store.enterprise_rows()))
    assert names == ["杭州恒瑞五金店", GOOD["enterprise_name"]]

    # Re-saving either application later is not blocked by the shared legal representative.
    app_id = window.application_model.record_id(0)
    window.open_application(app_id)
    qtbot.waitUntil(lambda: len(window.forms) == 1, timeout=5_000)
    form = window.forms[0]
    type_into(form, qtbot, "purpose", "购置设备")
    form.save()
    qtbot.waitUntil(lambda: not window.forms, timeout=10_000)
    assert in_store(window, lambda store: store.application_record(app_id))["purpose"] == "购置设备"


def test_attaching_to_the_same_code_says_what_changes(window, qtbot):
    form = open_new_form(window, qtbot)
    fill(form, qtbot)
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)
    form = open_new_form(window, qtbot)
    fill(form, qtbot, {**GOOD, "enterprise_name": "杭州恒瑞机械科技有限公司"})
    form.save()
    qtbot.waitUntil(lambda: form.duplicate_dialog is not None and form.duplicate_dialog.isVisible())
    dialog = form.duplicate_dialog
    assert dialog.attach_button.isVisible() and not dialog.new_button.isVisible()
    assert dialog.note.text() == (f"Adding the application updates the enterprise on file: its name changes "
                                  f"from “{GOOD['enterprise_name']}” to “杭州恒瑞机械科技有限公司”.")  # fmt: skip


def test_site_notes_and_officer_are_kept_and_the_officer_is_remembered(window, qtbot, in_store):
    form = open_new_form(window, qtbot)
    fill(form, qtbot, {**GOOD, "site_notes": "走访厂房，设备运转正常。", "officer": "李明"})
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)
    record = in_store(window, lambda store: store.application_record(window.application_model.record_id(0)))
    assert (record["site_notes"], record["officer"]) == ("走访厂房，设备运转正常。", "李明")
    form = open_new_form(window, qtbot)  # the next intake on this device names the same officer
    qtbot.waitUntil(lambda: form.editors["officer"].text() == "李明")


def test_edit_existing_updates_in_place(window, qtbot, in_store):
    form = open_new_form(window, qtbot)
    fill(form, qtbot)
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)
    app_id = window.application_model.record_id(0)
    window.open_application(app_id)
    qtbot.waitUntil(lambda: len(window.forms) == 1, timeout=5_000)
    form = window.forms[0]
    type_into(form, qtbot, "requested_amount", "800000")
    form.save()
    qtbot.waitUntil(lambda: not window.forms, timeout=10_000)
    record = in_store(window, lambda store: store.application_record(app_id))
    assert record["requested_amount"] == 800_000
    assert record["legal_rep_id"] == GOOD_ID  # masked display never overwrote the real value
    assert in_store(window, lambda store: store.count_applications()) == 1


def test_documents_are_attached_encrypted_on_save(window, qtbot, in_store, tmp_path):
    scan = tmp_path / "营业执照.jpg"
    scan.write_bytes(b"\xff\xd8\xff licence scan " * 50)
    form = open_new_form(window, qtbot)
    fill(form, qtbot)
    form.add_files("business_licence", [str(scan)])
    assert "营业执照.jpg (attached on save)" in form.doc_labels["business_licence"].text()
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)
    app_id = window.application_model.record_id(0)
    rows = in_store(window, lambda store: attachments_for(store, app_id))
    assert [(r["doc_type"], r["file_name"]) for r in rows] == [("business_licence", "营业执照.jpg")]
    assert in_store(window, lambda store: read_attachment(store, rows[0]["id"])) == scan.read_bytes()
    window.open_application(app_id)
    qtbot.waitUntil(lambda: len(window.forms) == 1, timeout=5_000)
    qtbot.waitUntil(lambda: window.forms[0].doc_labels["business_licence"].text() == "营业执照.jpg")


def test_edits_are_autosaved_as_a_draft_and_esc_offers_to_keep_it(window, qtbot, in_store):
    form = open_new_form(window, qtbot)
    type_into(form, qtbot, "enterprise_name", "温州草稿测试有限公司")
    type_into(form, qtbot, "legal_rep_phone", "13900001111")
    with qtbot.waitSignal(form.draft_saved, timeout=5_000):
        pass  # autosave fires ~1.5 s after the last keystroke
    drafts = in_store(window, lambda store: store.drafts())
    assert [d["payload"]["form"]["enterprise_name"] for d in drafts] == ["温州草稿测试有限公司"]
    assert drafts[0]["payload"]["form"]["legal_rep_phone"] == "13900001111"

    # Esc asks what to do with the unsaved changes; "Discard changes" removes the draft.
    def answer():
        box = QApplication.activeModalWidget()
        discard = next(b for b in box.buttons() if b.text() == "&Discard changes")
        discard.click()

    qtbot.waitUntil(lambda: True)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(200, answer)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.forms, timeout=5_000)
    qtbot.waitUntil(lambda: in_store(window, lambda store: store.drafts()) == [], timeout=5_000)


def test_typing_without_a_pause_still_saves_drafts(window, qtbot, in_store, monkeypatch):
    import loandesk.ui.intake_form as intake_form

    monkeypatch.setattr(intake_form, "AUTOSAVE_MAX_WAIT_S", 0.4)
    form = open_new_form(window, qtbot)
    saved: list[str] = []
    form.draft_saved.connect(saved.append)
    editor = form.editors["purpose"]
    editor.setFocus()
    for ch in "abcdefghijkl":  # a key every 0.15 s: the 1.5 s pause autosave waits for never comes
        qtbot.keyClicks(editor, ch)
        qtbot.wait(150)
        if saved:
            break
    assert saved, "no draft while typing"  # before any 1.5 s pause: the maximum wait saved it
    stored = in_store(window, lambda store: store.drafts())[0]["payload"]["form"]["purpose"]
    assert stored and "abcdefghijkl".startswith(stored)


def test_validator_agrees_with_the_form(window, qtbot):
    """The form shows exactly the findings ``validate_intake`` makes for the same input."""
    form = open_new_form(window, qtbot)
    fill(form, qtbot, {**GOOD, "legal_rep_id": "11010519491231002Y", "legal_rep_phone": "1381234567"})
    expected = validate_intake(form.form_values())
    shown = {name: m.text() for name, m in form.messages.items() if m.text()}
    assert set(shown) == {f.field for f in expected.findings}
    assert shown["legal_rep_phone"] == "✖ must be an 11-digit mainland mobile number starting 13-19"


def test_tab_walks_the_fields_in_reading_order(window, qtbot):
    form = open_new_form(window, qtbot)
    form.editors["enterprise_name"].setFocus()
    order = []
    for _ in range(6):
        order.append(next(n for n, w in form.editors.items() if w is QApplication.focusWidget()))
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    # The override reason is skipped while hidden (the code has no check-character problem).
    assert order == ["enterprise_name", "credit_code", "industry", "region_code", "registered_on", "employees"]
    qtbot.keyClick(form, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # &Industry: its mnemonic
    assert QApplication.focusWidget() is form.editors["industry"]
