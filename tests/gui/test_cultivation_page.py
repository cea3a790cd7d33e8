"""The Cultivation page as an officer uses it: my list with filters and counts, a stage change, an
assignment (one and bulk), a visit record with a photo, and the dashboard showing the figures."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from loandesk.core.permissions import Actor
from loandesk.demo import DEMO_PASSWORD, demo_record
from loandesk.security import session as sessions
from loandesk.storage import Store
from loandesk.storage import cultivation as cv
from users_support import open_store, with_demo_users

TODAY = dt.date(2026, 11, 23)
COUNT = 30


@pytest.fixture
def cult_home(home):
    store = Store.open(home, branch="HZ01")
    rng = random.Random(11)
    store.import_enterprises([{**demo_record(rng, i, today=TODAY), "has_loan_history": False} for i in range(COUNT)])
    refs = [r[0] for r in store.db.execute("SELECT ref FROM enterprises ORDER BY seq")]
    store.close()
    # the branch's users: the demo's four, and three account managers the tests assign
    with_demo_users(home)
    admin = sessions.sign_in(home, "admin", DEMO_PASSWORD)
    try:
        for name, shown in (("li", "李明"), ("wang", "王芳"), ("zhao", "赵强")):
            sessions.add_user(admin, name, "officer", DEMO_PASSWORD, shown)
    finally:
        admin.close()
    store = open_store(home)
    cv.assign(store, "li", keys=refs[:3])
    store.actor = Actor("li", "officer", "李明")
    cv.record_visit(store, cv.Visit(refs[0], TODAY - dt.timedelta(days=10), "门店正常经营", True, 300_000,
                                    "收集纳税证明", TODAY - dt.timedelta(days=2)))  # overdue  # fmt: skip
    store.close()
    return home, refs


def open_page(cult_home, open_window, qtbot, user: str):
    home, refs = cult_home
    window = open_window(home, user=user)
    window.cultivation_actions.show_page()
    page = window.cultivation_page
    rows = COUNT if user == "admin" else 3  # an officer's list: the enterprises assigned to them
    qtbot.waitUntil(lambda: page.model.answered and page.model.rowCount() == rows, timeout=10_000)
    return window, page, refs


@pytest.fixture
def page(cult_home, open_window, qtbot):
    """The page as the branch admin sees it (every enterprise; assigns account managers)."""
    return open_page(cult_home, open_window, qtbot, "admin")


@pytest.fixture
def officer_page(cult_home, open_window, qtbot):
    """The page as the account manager li sees it (records visits)."""
    return open_page(cult_home, open_window, qtbot, "li")


def select(page, ref, qtbot):
    qtbot.waitUntil(lambda: page.model.row_of(page.model._rows[0]["id"]) is not None)
    row = next(i for i in range(page.model.rowCount()) if page.model.row_dict(i)["ref"] == ref)
    page.view.setCurrentIndex(page.model.index(row, 0))
    return row


def press_ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_my_list_shows_overdue_first_and_counts_by_stage(page, qtbot):
    _window, page, refs = page
    assert page.model.row_dict(0)["ref"] == refs[0]
    due = page.model.index(0, [c.key for c in page.model._columns].index("next_on"))
    assert page.model.data(due) == "2026-11-21 (overdue)"
    qtbot.waitUntil(lambda: page.stage_box.itemText(0) == f"All stages ({COUNT})")
    assert page.stage_box.itemText(1) == f"No loan ({COUNT - 1})"
    assert page.stage_box.itemText(3) == "Need identified (1)"
    qtbot.waitUntil(lambda: page.officer_box.findData("li") > 0)
    page.officer_box.setCurrentIndex(page.officer_box.findData("li"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert page.list_page.count_label.text() == "3 records"
    page.officer_box.setCurrentIndex(page.officer_box.findData(""))  # unassigned
    qtbot.waitUntil(lambda: page.model.rowCount() == COUNT - 3)


def test_a_stage_change_needs_its_reason_and_moves_the_enterprise(page, qtbot, in_store):
    window, page, refs = page
    select(page, refs[5], qtbot)
    window.cultivation_actions.change_stage()
    dialog = window.cultivation_actions.dialog
    qtbot.waitExposed(dialog)
    dialog.target.setCurrentIndex(dialog.target.findData("not_interested"))
    press_ok(dialog)
    assert dialog.error_label.text() == "Give the reason for the change." and dialog.isVisible()
    dialog.reason.setPlainText("电话联系，企业暂无融资计划")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        press_ok(dialog)
    events = in_store(window, lambda store: cv.stage_events(store, refs[5]))
    assert [(e["to_stage"], e["reason"]) for e in events] == [("not_interested", "电话联系，企业暂无融资计划")]
    qtbot.waitUntil(lambda: any(page.model.row_dict(i)["ref"] == refs[5] and page.model.row_dict(i)["stage"]
                                == "not_interested" for i in range(page.model.rowCount())))  # fmt: skip


def test_assignment_of_one_and_of_every_enterprise_in_the_filter(page, qtbot, in_store):
    window, page, refs = page
    select(page, refs[10], qtbot)
    window.cultivation_actions.assign()
    qtbot.waitUntil(lambda: window.cultivation_actions.dialog is not None)
    dialog = window.cultivation_actions.dialog
    dialog.officer.setEditText("wang")
    assert dialog.one.isChecked()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        press_ok(dialog)
    assert in_store(window, lambda store: store.db.execute(
        "SELECT a.officer FROM assignments a JOIN enterprises e ON e.seq = a.enterprise_seq WHERE e.ref = ?",
        (refs[10],)).fetchone()[0]) == "wang"  # fmt: skip
    # bulk: every retail enterprise still unassigned
    retail = in_store(window, lambda store: store.db.execute(
        "SELECT count(*) FROM enterprises e LEFT JOIN assignments a ON a.enterprise_seq = e.seq "
        "WHERE e.industry = 'RET' AND a.officer IS NULL").fetchone()[0])  # fmt: skip
    assert retail > 0
    qtbot.waitUntil(lambda: page.industry_box.findData("RET") > 0)
    page.industry_box.setCurrentIndex(page.industry_box.findData("RET"))
    page.officer_box.setCurrentIndex(page.officer_box.findData(""))
    qtbot.waitUntil(lambda: page.model.total == retail and page.model.rowCount() == retail)
    window.cultivation_actions.dialog = None
    window.cultivation_actions.assign()
    qtbot.waitUntil(lambda: window.cultivation_actions.dialog is not None)
    dialog = window.cultivation_actions.dialog
    assert dialog.many.text() == f"All {retail} enterprise(s) in the current filter"
    dialog.many.setChecked(True)
    dialog.officer.setEditText("zhao")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        press_ok(dialog)
    assert in_store(window, lambda store: store.db.execute(
        "SELECT count(*) FROM assignments WHERE officer = 'zhao'").fetchone()[0]) == retail  # fmt: skip
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)  # none unassigned in retail any more


def test_a_visit_record_with_a_photo(officer_page, qtbot, in_store, tmp_path):
    window, page, refs = officer_page
    select(page, refs[1], qtbot)
    window.cultivation_actions.record_visit()
    dialog = window.cultivation_actions.dialog
    qtbot.waitExposed(dialog)
    photo = tmp_path / "shop.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo of the shop front")
    dialog.findings.setPlainText("仓库整洁，订单增长，需要备货资金")
    dialog.need.setChecked(True)
    dialog.amount.setText("lots")
    press_ok(dialog)
    assert dialog.error_label.text().startswith("Amount needed: must be an amount in yuan")
    dialog.amount.setText("80万")
    dialog.next_step.setText("准备授信申请材料")
    dialog.has_next.setChecked(True)
    dialog.add_photo(photo)
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        press_ok(dialog)
    assert saved.args[0]["need_amount"] == 800_000 and saved.args[0]["photos"] == 1
    visits = in_store(window, lambda store: cv.visits_for(store, refs[1]))
    assert [(v["findings"], v["next_on"]) for v in visits] == [("仓库整洁，订单增长，需要备货资金", "2026-11-30")]
    data = in_store(window, lambda store: cv.read_photo(store, cv.visit_photos(store, visits[0]["id"])[0]["id"]))
    assert data == photo.read_bytes()
    qtbot.waitUntil(lambda: any(page.model.row_dict(i)["ref"] == refs[1] and page.model.row_dict(i)["stage"]
                                == "need_identified" for i in range(page.model.rowCount())))  # fmt: skip


def test_the_dashboard_shows_the_figures_and_exports_them(page, qtbot, tmp_path):
    _window, page, _refs = page
    with qtbot.waitSignal(page.dashboard.refreshed, timeout=10_000):
        page.tabs.setCurrentIndex(1)
    bars = {b.label: b.value for b in page.dashboard.funnel_chart.bars}
    assert bars == {"Listed": COUNT, "Contacted": 1, "Financing need": 1, "Visited": 1, "Credit granted": 0}
    assert [(b.label, b.text) for b in page.dashboard.visits_chart.bars] == [("李明", "visits: 1, with a need: 1")]
    assert "First-loan share of new loan customers: — (0 of 0)" in page.dashboard.summary.text()
    path = tmp_path / "report.xlsx"
    page.dashboard.export_to(str(path))
    qtbot.waitUntil(lambda: page.dashboard.status.text().startswith("Saved"), timeout=10_000)
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["Figures", "Enterprises", "Visits"]
    rows = {r[0]: r[1] for r in wb["Figures"].iter_rows(values_only=True) if len(r) > 1 and r[0]}
    assert rows["Listed"] == COUNT and rows["Visited"] == 1


def test_prequalification_from_the_menu_marks_the_list(page, qtbot, in_store):
    window, page, _refs = page
    window.cultivation_actions.prequalify()
    qtbot.waitUntil(lambda: "likely eligible" in window.statusBar().currentMessage(), timeout=20_000)
    eligible = in_store(window, lambda store: store.db.execute(
        "SELECT count(*) FROM prequalifications WHERE eligible = 1").fetchone()[0])  # fmt: skip
    assert window.statusBar().currentMessage() == f"{COUNT} scored; {eligible} likely eligible for a visit."
    qtbot.waitUntil(lambda: page.model.rowCount() and page.model.row_dict(0)["score"] is not None)
    column = [c.key for c in page.model._columns].index("score")
    tip = page.model.data(page.model.index(0, column), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Grade ") and page.model.row_dict(0)["pre_reasons"] in tip
    page.eligible_box.setChecked(True)
    qtbot.waitUntil(lambda: page.model.total == eligible and page.model.rowCount() == eligible)
