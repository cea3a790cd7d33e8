"""Each role's window: what it may not do is disabled with the reason, and the core refuses it anyway."""

from __future__ import annotations

import random

import pytest
from PySide6.QtWidgets import QMessageBox

from loandesk.core.intake import validate_intake
from loandesk.core.permissions import PermissionDenied, allowed
from loandesk.demo import demo_record
from loandesk.storage import Store


def one_application(home) -> None:
    """A store from before users with one saved application (the window's first sign-in upgrades it)."""
    store = Store.open(home)
    try:
        record = demo_record(random.Random(3), 0)
        record.update(tax_grade="A", registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=False)
        store.save_intake(validate_intake(record).values)
    finally:
        store.close()


def choose_first_application(window, qtbot) -> None:
    window.show_page(1)
    qtbot.waitUntil(lambda: window.application_model.rowCount() > 0)
    window.application_page.view.setCurrentIndex(window.application_model.index(0, 0))


def gated(window) -> dict[str, object]:
    actions, account = window.application_actions, window.account
    return {"capture": window.new_action, "score": actions.decide_action, "request_override": actions.override_action,
            "confirm_override": actions.confirm_action, "approve": actions.approve_action,
            "print_memo": actions.memo_action, "verify_memo": actions.verify_action,
            "manage_users": account.users_action, "view_audit": account.audit_action}  # fmt: skip


EXPECTED = {  # the permission table as a teller, officer, approver and admin see it (resources/permissions.toml)
    "teller": {"capture", "print_memo", "verify_memo"},
    "officer": {"capture", "score", "request_override", "print_memo", "verify_memo"},
    "approver": {"confirm_override", "approve", "print_memo", "verify_memo"},
    "admin": {"print_memo", "verify_memo", "manage_users", "view_audit"},
}


@pytest.mark.parametrize("role", ["teller", "officer", "approver", "admin"])
def test_each_roles_enabled_actions(role, home, open_window, qtbot):
    one_application(home)
    window = open_window(home, user=role)
    choose_first_application(window, qtbot)
    enabled = {name for name, action in gated(window).items() if action.isEnabled()}
    assert enabled == EXPECTED[role] == {name for name in gated(window) if allowed(role, name)}
    for name, action in gated(window).items():
        if name not in enabled:
            assert action.toolTip() == PermissionDenied(role, role, name).en  # says why
    # Changing the selection (which enables the record actions) does not get round the gate.
    window.show_page(0)
    choose_first_application(window, qtbot)
    assert {name for name, action in gated(window).items() if action.isEnabled()} == EXPECTED[role]


def test_a_teller_has_no_enabled_approve_and_the_core_refuses_it_anyway(home, open_window, qtbot, in_store):
    one_application(home)
    window = open_window(home, user="teller")
    choose_first_application(window, qtbot)
    actions = window.application_actions
    assert not actions.approve_action.isEnabled() and not actions.decide_action.isEnabled()
    assert actions.approve_action.toolTip() == "teller (teller) may not approve or decline applications"
    app_id = window.application_model.row_dict(0)["id"]
    from loandesk.approvals import service

    with pytest.raises(PermissionDenied, match=r"teller \(teller\) may not approve or decline applications"):
        in_store(window, lambda store: service.decide(store, app_id, "approve", "teller", limit=100_000))
    # A stale path to the scoring dialog (its shortcut's slot called directly): the refusal is shown in the
    # dialog as a sentence, nothing is recorded, the window carries on.
    actions.record_decision()
    qtbot.waitUntil(lambda: actions.record_dialog is not None and actions.record_dialog.isVisible(), timeout=10_000)
    actions.record_dialog.record_button.click()
    qtbot.waitUntil(lambda: actions.record_dialog.problem.text() != "")
    assert actions.record_dialog.problem.text() == "teller (teller) may not score applications"
    assert in_store(window, lambda store: store.db.execute("SELECT count(*) FROM decisions").fetchone()[0]) == 0
    actions.record_dialog.reject()
    assert window.isVisible()


def test_the_admin_dialogs_refuse_other_roles_with_a_message(home, open_window, qtbot):
    window = open_window(home, user="officer")
    window.account.show_users()  # as a stale shortcut would
    box = window.account.refusal_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "officer (officer) may not manage users"
    assert window.account.users_dialog is None
    box.close()


def switch_to(window, qtbot, user: str) -> None:
    from loandesk.demo import DEMO_PASSWORD

    window.account.switch_action.trigger()
    qtbot.waitUntil(lambda: window.account.login_dialog is not None, timeout=10_000)
    dialog = window.account.login_dialog
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.store_ready, timeout=20_000):
        dialog.ok_button.click()


def test_the_officer_scores_and_the_approver_approves_as_the_signed_in_users(home, open_window, qtbot, in_store):
    one_application(home)
    window = open_window(home, user="officer")
    choose_first_application(window, qtbot)
    actions = window.application_actions
    actions.decide_action.trigger()
    qtbot.waitUntil(lambda: actions.record_dialog is not None and actions.record_dialog.isVisible(), timeout=20_000)
    actions.record_dialog.record_button.click()
    app_id = window.application_model.row_dict(0)["id"]

    def decision(store):
        rows = list(store.db.query("SELECT officer FROM decisions WHERE application_id = ?", [app_id]))
        return rows[0]["officer"] if rows else None

    qtbot.waitUntil(lambda: in_store(window, decision) is not None, timeout=10_000)
    assert in_store(window, decision) == "李明"  # the signed-in officer, not typed text

    switch_to(window, qtbot, "approver")
    choose_first_application(window, qtbot)
    assert actions.approve_action.isEnabled() and not actions.decide_action.isEnabled()
    actions.approve_action.trigger()
    qtbot.waitUntil(lambda: actions.approval_dialog is not None and actions.approval_dialog.isVisible(),
                    timeout=20_000)  # fmt: skip
    dialog = actions.approval_dialog
    if not dialog.approve_radio.isChecked():
        dialog.reason.setPlainText("经营年限与纳税记录不足")  # the model declined: agreed, with a reason
    assert dialog.approver.text() == "陈静" and dialog.approver.isReadOnly()  # the signed-in approver, locked
    dialog.approver.setText("王芳")  # forced anyway (not typeable): the core records only the signed-in approver
    dialog.record_button.click()
    qtbot.waitUntil(lambda: "is not the signed-in user" in dialog.problem.text(), timeout=20_000)
    assert dialog.problem.text().startswith("--approver 王芳 is not the signed-in user 陈静")
    dialog.approver.setText("陈静")
    dialog.record_button.click()
    qtbot.waitUntil(lambda: bool(actions.memo_dialogs), timeout=30_000)  # decided, the memo issued
    approvers = in_store(window, lambda store: [r["approver"] for r in
                                                store.db.query("SELECT approver FROM approvals")])  # fmt: skip
    assert approvers == ["陈静"]
    for memo in actions.memo_dialogs:
        memo.close()
