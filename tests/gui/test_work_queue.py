"""The start page's work queue on the real window: what waits for whom, counts per group, each row opening
the thing, and the queue read again after a decision; plus who sees what (roles, maker-checker)."""

from __future__ import annotations

import datetime as dt
import random

from test_application_actions import saved_applications

from loandesk.core import clock
from loandesk.core.permissions import Actor
from loandesk.demo import demo_record
from loandesk.storage import Store
from loandesk.storage import cultivation as cv
from loandesk.storage import work_queue as wq


def queue_home(home, applications: int = 2) -> list[str]:
    """Saved applications, a typed-but-unsaved draft, and li's visits: one overdue, one due, one far off."""
    saved_applications(home, applications)
    store = Store.open(home, branch="HZ01")
    try:
        rng = random.Random(5)
        store.import_enterprises([{**demo_record(rng, 100 + i), "has_loan_history": False} for i in range(3)])
        refs = [r[0] for r in store.db.execute("SELECT ref FROM enterprises ORDER BY seq DESC LIMIT 3")]
        cv.assign(store, "li", keys=refs)
        store.actor = Actor("li", "officer", "李明")
        today = clock.today()
        for ref, days in zip(refs, (-3, 2, 30), strict=True):
            cv.record_visit(store, cv.Visit(ref, today - dt.timedelta(days=5), "门店正常经营", True, 200_000,
                                            "收集纳税证明", today + dt.timedelta(days=days)))  # fmt: skip
        store.actor = Actor("system", "system")
        store.save_draft("intake:new:abc", {"form": {"enterprise_name": "杭州未存贸易有限公司"}, "ref": None})
    finally:
        store.close()
    return refs


def with_officer_li(home) -> None:
    """The branch's users (the demo's four) and li, the account manager whose visits queue_home plans."""
    from loandesk.demo import DEMO_PASSWORD
    from loandesk.security import session as sessions
    from users_support import with_demo_users

    with_demo_users(home)
    admin = sessions.sign_in(home, "admin", DEMO_PASSWORD)
    try:
        sessions.add_user(admin, "li", "officer", DEMO_PASSWORD, "李明")
    finally:
        admin.close()


def group_titles(page) -> dict[str, str]:
    return {key: item.text(0) for key, item in page.items.items()}


def wait_queue(page, qtbot) -> None:
    qtbot.waitUntil(lambda: page.model.answered and bool(page.items), timeout=15_000)


def test_the_start_page_is_my_work_with_counts_per_group(home, open_window, qtbot):
    refs = queue_home(home)
    with_officer_li(home)
    window = open_window(home, user="li")  # the officer: his drafts, applications to score, his visits
    page = window.work_queue_page
    assert window.stack.currentWidget() is page  # shown first
    assert window.nav.currentItem().text() == "My work"
    wait_queue(page, qtbot)
    titles = group_titles(page)
    assert titles["drafts"] == "Unsaved drafts (1)"
    assert titles["to_score"] == "Waiting for my decision (score) (2)"
    assert "to_approve" not in titles and "overrides" not in titles  # an officer approves nothing
    assert titles["visits"] == "Visits due and overdue (2)"  # the one 30 days off is not due yet
    assert titles["quarantined"] == "Set aside by the hub (0)"
    visits = page.items["visits"]
    assert [visits.child(i).text(0) for i in range(2)] == [refs[0], refs[1]]  # overdue first
    assert visits.child(0).text(3).endswith("(overdue)") and not visits.child(1).text(3).endswith("(overdue)")
    assert page.total_label.text() == "5 waiting"
    page.search.setText(refs[1])  # the filter narrows every group at once
    assert [visits.child(i).isHidden() for i in range(2)] == [True, False]
    assert page.items["to_score"].child(0).isHidden()


def test_rows_open_the_draft_the_decision_and_the_visit(home, open_window, qtbot):
    refs = queue_home(home, 1)
    with_officer_li(home)
    window = open_window(home, user="li")
    page = window.work_queue_page
    wait_queue(page, qtbot)
    # The draft: the form comes back with what was typed.
    page.view.itemActivated.emit(page.items["drafts"].child(0), 0)
    qtbot.waitUntil(lambda: len(window.forms) == 1)
    assert window.forms[0].editors["enterprise_name"].text() == "杭州未存贸易有限公司"
    window.forms[0].close_silently()
    # The application to score: the decision preview for it (the list chooses it first).
    ref = page.items["to_score"].child(0).text(0)
    page.view.itemActivated.emit(page.items["to_score"].child(0), 0)
    actions = window.application_actions
    qtbot.waitUntil(lambda: actions.record_dialog is not None and actions.record_dialog.isVisible(), timeout=20_000)
    assert actions.record_dialog.windowTitle() == f"Record decision — {ref}"
    assert window.current_page() is window.application_page
    actions.record_dialog.reject()
    # The visit due: the visit dialog for that enterprise.
    window.work_queue.show_page()
    page.view.itemActivated.emit(page.items["visits"].child(0), 0)
    qtbot.waitUntil(lambda: window.work_queue.dialog is not None and window.work_queue.dialog.isVisible())
    assert refs[0] in " ".join(label.text() for label in window.work_queue.dialog.findChildren(type(page.title)))
    window.work_queue.dialog.reject()


def test_the_queue_is_read_again_after_a_decision(home, open_window, qtbot):
    queue_home(home, 1)
    with_officer_li(home)
    window = open_window(home, user="li")
    page = window.work_queue_page
    wait_queue(page, qtbot)
    page.view.itemActivated.emit(page.items["to_score"].child(0), 0)
    qtbot.waitUntil(lambda: window.application_actions.record_dialog is not None, timeout=20_000)
    dialog = window.application_actions.record_dialog
    qtbot.waitUntil(dialog.record_button.isEnabled, timeout=10_000)
    dialog.record_button.click()
    qtbot.waitUntil(lambda: page.count("to_score") == 0, timeout=15_000)  # li's decision: off his queue
    window.work_queue.show_page()
    assert group_titles(page)["to_score"] == "Waiting for my decision (score) (0)"
    assert page.count("to_approve") is None  # not his to approve (maker-checker and role)
    window.close()

    checker = open_window(home, user="approver")  # the approver signs in: li's decision waits for them
    queue = checker.work_queue_page
    qtbot.waitUntil(lambda: queue.model.answered and queue.count("to_approve") == 1, timeout=15_000)
    assert group_titles(queue)["to_approve"] == "Waiting for my approval (1)"
    assert "to_score" not in group_titles(queue) and "drafts" not in group_titles(queue)


def test_each_role_sees_its_own_work(home):
    refs = queue_home(home, 1)
    store = Store.open(home)
    try:
        store.actor = Actor("wang", "officer", "王芳")
        assert wq.visits_due(store, clock.today()).count == 0  # li's visits are li's
        store.actor = Actor("li", "officer", "李明")
        due = wq.visits_due(store, clock.today())
        assert [r["ref"] for r in due.rows] == refs[:2] and [r["overdue"] for r in due.rows] == [True, False]
        app_id = store.all_application_ids()[0]
        store.db.execute("UPDATE applications SET officer = 'wang' WHERE id = ?", (app_id,))
        assert wq.to_score(store).count == 0  # wang took it in
        store.actor = Actor("wang", "officer", "王芳")
        assert wq.to_score(store).count == 1
        from loandesk.storage import decisions

        with store.db.atomic():
            store.db.execute(
                "INSERT INTO decisions(id, application_id, pack_id, pack_version, pack_hash, inputs, as_of, result, "
                "decision, officer, is_current, created_at) VALUES ('d1', ?, 'p', '1', 'h', '{}', '2026-01-01', '{}', "
                "'approve', 'wang', 1, '2026-01-01T00:00:00Z')", (app_id,))  # fmt: skip
        assert decisions.current_decision(store, app_id)["officer"] == "wang"
        store.actor = Actor("wang", "approver", "王芳")
        assert wq.to_approve(store).count == 0  # maker-checker: never one's own
        store.actor = Actor("zhao", "approver", "赵强")
        assert [r["ref"] for r in wq.to_approve(store).rows] == [store.application(app_id).ref]
    finally:
        store.close()


def test_what_the_hub_set_aside_shows_as_the_sync_panel_reads_it(home, open_window, qtbot):
    """An operation the hub refused waits in the queue (as the sync client keeps it); its row opens the panel."""
    from loandesk.storage import sync_state

    saved_applications(home, 1)
    store = Store.open(home)
    try:
        op_id, seq, entity_id, app_ref = store.db.execute(
            "SELECT o.op_id, o.seq, o.entity_id, a.ref FROM outbox o JOIN applications a ON a.id = o.entity_id "
            "WHERE o.entity = 'application'").fetchone()  # fmt: skip
        with store.db.atomic():  # as the sync client keeps what the hub refused (sync/client.py _quarantine)
            sync_state.quarantine(store, op_id, seq, "application", entity_id, 409,
                                  "operation id reused with other content")
    finally:
        store.close()
    window = open_window(home)
    page = window.work_queue_page
    window.sync_controller.read_status()
    qtbot.waitUntil(lambda: page.items.get("quarantined") is not None
                    and page.items["quarantined"].text(0) == "Set aside by the hub (1)", timeout=15_000)  # fmt: skip
    row = page.items["quarantined"].child(0)
    assert row.text(0) == app_ref and row.text(2).startswith("The hub holds this operation with other content")
    page.view.itemActivated.emit(row, 0)
    qtbot.waitUntil(lambda: window.sync_menu.panel is not None and window.sync_menu.panel.isVisible())
    qtbot.waitUntil(lambda: window.sync_menu.panel.quarantine.topLevelItemCount() == 1, timeout=10_000)
