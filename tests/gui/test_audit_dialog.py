"""The admin's audit log: a lazy table of the real trail, filters, and Verify naming the first broken record."""

from __future__ import annotations

from PySide6.QtCore import QDate

from loandesk.core import clock
from loandesk.storage import audit
from loandesk.ui.audit_dialog import PAGE, AuditDialog


def open_audit(window, qtbot) -> AuditDialog:
    window.account.audit_action.trigger()
    dialog = window.account.audit_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0 and not dialog.model.loading)
    return dialog


def cells(dialog, row: int) -> list[str]:
    model = dialog.model
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_the_log_shows_the_sign_in_and_filters_by_user_and_date(home, open_window, qtbot, in_store):
    window = open_window(home)  # admin
    dialog = open_audit(window, qtbot)
    newest = cells(dialog, 0)
    assert newest[2:5] == ["admin", window.runner.session.actor.device, "signed in"]
    assert dialog.count_label.text() == f"{dialog.model.total} records"
    made = in_store(window, lambda store: {r["user"] for r in audit.records(store.db)})
    assert made == {"admin"}  # the home's creation, the users added, the sign-in: all the admin's
    # Another user's work joins the trail; the user filter shows only theirs.
    in_store(window, lambda store: audit.append(store.db, user="teller", device="D1", action="exported",
                                                target="A-HZ01-0001"))  # fmt: skip
    dialog.close()
    dialog = open_audit(window, qtbot)
    qtbot.waitUntil(lambda: dialog.user_combo.findData("teller") > 0)  # the names come from the worker
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("teller"))
    qtbot.waitUntil(lambda: dialog.model.total == 1 and dialog.model.rowCount() == 1)
    assert cells(dialog, 0)[2:] == ["teller", "D1", "exported", "A-HZ01-0001"]
    # Dates: from tomorrow on there is nothing; up to today, everything of the teller's.
    today = QDate(*clock.today().timetuple()[:3])
    dialog.since_edit.setDate(today.addDays(1))
    dialog.since_check.setChecked(True)
    qtbot.waitUntil(lambda: dialog.model.total == 0 and not dialog.model.loading)
    dialog.since_check.setChecked(False)
    dialog.until_edit.setDate(today)
    dialog.until_check.setChecked(True)
    qtbot.waitUntil(lambda: dialog.model.total == 1 and not dialog.model.loading)


def test_the_table_loads_pages_as_it_scrolls(home, open_window, qtbot, in_store):
    window = open_window(home)

    def many(store):
        with store.db.atomic():
            for i in range(450):
                audit.append(store.db, user="officer", device="D1", action="scored", target=f"A-{i:04d}")

    in_store(window, many)
    dialog = open_audit(window, qtbot)
    total = dialog.model.total
    assert total > 450 and dialog.model.rowCount() == PAGE
    dialog.view.scrollToBottom()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2 * PAGE)


def test_verify_runs_off_the_gui_thread_and_names_the_altered_record(home, open_window, qtbot, in_store):
    window = open_window(home)
    dialog = open_audit(window, qtbot)
    with qtbot.waitSignal(dialog.verified, timeout=10_000) as whole:
        dialog.verify_button.click()
        assert not dialog.verify_button.isEnabled() and dialog.result_label.text() == "Verifying…"
    assert whole.args == [None]
    assert dialog.result_label.text() == f"The chain is whole: {dialog.model.total} records checked."
    # Tamper in the decrypted store, as someone with the key and a SQLite shell would.
    def tamper(store):
        with store.db.atomic():  # the append-only trigger dropped first, as a tamperer would
            store.db.execute("DROP TRIGGER IF EXISTS audit_no_update")
            store.db.execute("UPDATE audit SET target = 'someone-else' WHERE seq = 3")

    in_store(window, tamper)
    with qtbot.waitSignal(dialog.verified, timeout=10_000) as broken:
        dialog.verify_button.click()
    assert broken.args[0].seq == 3
    assert dialog.result_label.text() == ("The chain is broken: audit record 3 was altered: its content no "
                                          "longer matches its hash")  # fmt: skip
    row = dialog.model.row_of(3)
    assert dialog.view.currentIndex().row() == row and dialog.model.broken_seq == 3


def test_the_core_refuses_the_trail_to_other_roles(home, open_window, qtbot):
    window = open_window(home, user="approver")
    assert not window.account.audit_action.isEnabled()
    dialog = AuditDialog(window.runner, window)  # built directly, round the disabled menu item
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.result_label.text() != "")
    assert dialog.result_label.text() == "approver (approver) may not view the audit trail"
    assert dialog.model.rowCount() == 0
