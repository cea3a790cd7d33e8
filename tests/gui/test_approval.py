"""The approval path on the real main window: the approver's dialog, the score panel beside the list,
and one word per decision on every screen, in the memo template and in the domain's texts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.storage import Store
from loandesk.ui import i18n

GUI_AS_SYSTEM = True  # officer's and approver's steps in one test, names typed (see conftest)

OFFICER = "周建华"


def scored_applications(home: Path, *dishonest: bool) -> list[str]:
    """Saved and scored applications (grade A, 300,000 yuan asked); a dishonest debtor is a knock-out."""
    from loandesk.scoring.service import score_application

    store = Store.open(home)
    refs = []
    try:
        for i, bad in enumerate(dishonest):
            record = demo_record(random.Random(3), i * 5)
            record.update(industry="RET", employees=8, annual_revenue=5_000_000, social_insurance_headcount=8,
                          invoice_sales_12m=4_800_000, tax_paid_12m=200_000, tax_paid_24m=380_000, tax_grade="A",
                          registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=bad,
                          has_loan_history=False, requested_amount=300_000, officer=OFFICER)  # fmt: skip
            app = store.save_intake(validate_intake(record).values)[1]
            score_application(store, app.id, officer=OFFICER)
            refs.append(app.ref)
    finally:
        store.close()
    return refs


def row_of(window, ref: str) -> int | None:
    model = window.application_model
    return next((r for r in range(model.rowCount()) if model.row_dict(r)["ref"] == ref), None)


def choose(window, qtbot, ref: str) -> None:
    window.show_page(1)
    qtbot.waitUntil(lambda: row_of(window, ref) is not None)
    window.application_page.view.setCurrentIndex(window.application_model.index(row_of(window, ref), 0))


def cell(window, ref: str, title: str) -> str:
    model = window.application_model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return model.index(row_of(window, ref), titles.index(title)).data()


def open_approval(window, qtbot):
    actions = window.application_actions
    before = actions.approval_dialog
    actions.approve_action.trigger()
    qtbot.waitUntil(lambda: actions.approval_dialog is not before and actions.approval_dialog.isVisible(),
                    timeout=20_000)  # fmt: skip
    return actions.approval_dialog


def test_the_approver_decides_in_the_dialog_and_the_list_panel_and_memo_agree(home, open_window, qtbot, in_store):
    (ref,) = scored_applications(home, False)
    window = open_window(home)
    choose(window, qtbot, ref)
    dock = window.decision_dock
    qtbot.waitUntil(lambda: "has not decided" in dock.panel.decided_label.text(), timeout=10_000)
    assert dock.panel.decision_label.text() == "Approve" and dock.isVisible()

    dialog = open_approval(window, qtbot)
    assert dialog.windowTitle() == f"Approve or decline — {ref}"
    assert dialog.in_effect_label.text() == "Approve"
    assert dialog.memo_label.text() == "No memo for this decision yet: the memo is issued with your decision."
    assert dialog.approve_radio.isChecked() and dialog.limit.text() == "300,000"
    assert dialog.problem.text() == "the approver must be named" and not dialog.record_button.isEnabled()
    dialog.approver.setText(OFFICER)  # maker-checker: the officer who scored it cannot approve it
    assert "maker-checker" in dialog.problem.text() and not dialog.record_button.isEnabled()
    dialog.approver.setText("陈静")
    dialog.limit.setText("400万")
    assert dialog.problem.text() == "the limit 4,000,000 yuan is above the product's maximum of 3,000,000 yuan"
    dialog.limit.setText("二十万")
    assert dialog.problem.text() == "The limit is not an amount in yuan."
    dialog.limit.setText("20万")
    dialog.term.setValue(6)
    dialog.conditions.setPlainText("每季度回访\n放款前核对纳税数据")
    assert dialog.problem.text() == "" and dialog.record_button.isEnabled()
    dialog.record_button.click()

    actions = window.application_actions
    qtbot.waitUntil(lambda: bool(actions.memo_dialogs), timeout=30_000)  # the approved memo is shown
    qtbot.waitUntil(lambda: cell(window, ref, "Stage") == "Approved", timeout=10_000)
    assert cell(window, ref, "Decision") == "Approve" and cell(window, ref, "Limit (yuan)") == "200,000"
    qtbot.waitUntil(lambda: "Approved by 陈静" in dock.panel.decided_label.text(), timeout=10_000)
    assert dock.panel.limit_value.text() == "200,000 yuan" and dock.panel.term_value.text() == "6 months"
    assert "Conditions: 每季度回访; 放款前核对纳税数据" in dock.panel.decided_label.text()

    def memo_content(store):
        from loandesk.memo.service import stored_content
        from loandesk.storage import memos

        app = store.application(ref)
        return stored_content(store, memos.latest_memo(store, app.id)["memo_no"])

    content = in_store(window, memo_content)
    assert content["status"] == "approved" and content["approval"]["approved_by"] == "陈静"
    assert content["decision"]["effective"] == {"decision": "approve", "limit": 200_000, "source": "approval",
                                                "by": "陈静", "term_months": 6, "rate": content["decision"]["rate"]}
    assert content["approval"]["conditions"] == ["每季度回访", "放款前核对纳税数据"]

    again = open_approval(window, qtbot)  # decided once: the dialog says so and records nothing
    assert "already decided" in again.problem.text() and not again.record_button.isEnabled()
    again.reject()


def test_a_knock_out_can_only_be_declined_with_a_reason(home, open_window, qtbot):
    (ref,) = scored_applications(home, True)
    window = open_window(home)
    choose(window, qtbot, ref)
    dialog = open_approval(window, qtbot)
    assert not dialog.approve_radio.isEnabled() and dialog.decline_radio.isChecked()
    assert dialog.approve_note.text().startswith("a knock-out was hit, so it cannot be approved")
    assert not dialog.limit.isVisible() and dialog.reason.isVisible()
    dialog.approver.setText("陈静")
    assert dialog.problem.text() == "a decline needs a reason"
    dialog.reason.setPlainText("法定代表人为失信被执行人")
    dialog.record_button.click()
    qtbot.waitUntil(lambda: cell(window, ref, "Stage") == "Declined", timeout=30_000)
    assert cell(window, ref, "Decision") == "Decline" and cell(window, ref, "Limit (yuan)") == ""
    qtbot.waitUntil(lambda: "Declined by 陈静" in window.decision_dock.panel.decided_label.text(), timeout=10_000)
    assert "Reason: 法定代表人为失信被执行人" in window.decision_dock.panel.decided_label.text()


def test_the_score_panel_follows_the_selection(home, open_window, qtbot):
    good, bad = scored_applications(home, False, True)
    window = open_window(home)
    panel = window.decision_dock.panel
    assert panel.decision_label.text() == "No application chosen"
    choose(window, qtbot, good)
    qtbot.waitUntil(lambda: panel.decision_label.text() == "Approve", timeout=10_000)
    assert panel.grade_value.text() == "A" and panel.limit_value.text() == "300,000 yuan"
    choose(window, qtbot, bad)
    qtbot.waitUntil(lambda: panel.decision_label.text() == "Decline", timeout=10_000)
    assert "dishonest" in panel.reasons_label.text() or panel.limit_value.text() == "—"
    window.show_page(0)  # the enterprise list: no application chosen
    qtbot.waitUntil(lambda: panel.decision_label.text() == "No application chosen", timeout=10_000)


@pytest.fixture
def chinese(qapp):
    from loandesk.core.i18n import set_language

    translators = i18n.install_translators(qapp, "zh")
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)
    set_language("en")


def test_chinese_screens_of_the_approval_path(chinese, home, open_window, qtbot, tmp_path):
    """The approval dialog and the main window with its score panel, in Chinese, saved as PNGs to look at."""
    good, bad = scored_applications(home, False, True)
    window = open_window(home, lang="zh")
    window.resize(1400, 800)
    choose(window, qtbot, good)
    panel = window.decision_dock.panel
    qtbot.waitUntil(lambda: panel.decision_label.text() == "同意", timeout=10_000)
    assert panel.decided_label.text() == "模型结论；审批人尚未审批"
    assert cell(window, good, "决定") == "同意"
    qtbot.wait(100)  # let the panel's layout settle before the picture
    window.grab().save(str(tmp_path / "main_window_zh.png"))
    dialog = open_approval(window, qtbot)
    assert dialog.windowTitle() == f"审批 — {good}"
    assert dialog.approve_radio.text() == "同意" and dialog.decline_radio.text() == "拒绝"
    dialog.approver.setText("陈静")
    dialog.conditions.setPlainText("每季度回访")
    qtbot.wait(50)
    dialog.grab().save(str(tmp_path / "approval_dialog_zh.png"))
    dialog.record_button.click()
    qtbot.waitUntil(lambda: "审批人陈静于" in panel.decided_label.text(), timeout=30_000)
    assert panel.decision_label.text() == "同意" and cell(window, good, "状态") == "已同意"
    qtbot.wait(100)
    window.grab().save(str(tmp_path / "main_window_approved_zh.png"))
    choose(window, qtbot, bad)
    qtbot.waitUntil(lambda: panel.decision_label.text() == "拒绝", timeout=10_000)
    record = window.application_actions
    record.decide_action.trigger()
    qtbot.waitUntil(lambda: record.record_dialog is not None and record.record_dialog.isVisible(), timeout=20_000)
    assert record.record_dialog.decision_label.text() == "拒绝"
    qtbot.wait(50)
    record.record_dialog.grab().save(str(tmp_path / "record_decision_zh.png"))
    record.record_dialog.reject()


def test_one_word_per_decision_everywhere(chinese, qtbot):
    """Collect the Chinese word for each decision from every place that shows one; they must be the same."""
    from loandesk.core.decisions import DECISION_WORDS
    from loandesk.memo import verify as memo_verify
    from loandesk.memo.template import load_template
    from loandesk.scoring.explain import DECISION_LABELS
    from loandesk.ui.override_dialogs import OverrideDialog
    from loandesk.ui.score_panel import ScorePanel
    from loandesk.ui.table_models import ApplicationTableModel
    from loandesk.ui.tasks import TaskRunner

    runner = TaskRunner()
    try:
        model = ApplicationTableModel(runner)
        panel = ScorePanel()
        qtbot.addWidget(panel)
        override = OverrideDialog()
        qtbot.addWidget(override)
        template = load_template(None)
        found: dict[str, dict[str, str]] = {}
        for code in ("approve", "refer", "decline"):
            panel.show_stored({"decision": {"decision": code}, "score_result": _result(code),
                               "in_effect": {"decision": code, "limit": None, "source": "model", "by": None,
                                             "term_months": None, "rate": None, "on": None}})  # fmt: skip
            found[code] = {
                "list": model.display({"decision": code}, "decision"),
                "score panel": panel.decision_label.text(),
                "override dialog": override.decision_names()[code],
                "memo template": template.enum("decision", code, "zh"),
                "memo verification": memo_verify._DECISION_WORDS[code][1],
                "scoring texts": DECISION_LABELS[code][1],
                "command line": DECISION_WORDS[code][1],
            }
        for code, places in found.items():
            assert len(set(places.values())) == 1, (code, places)
        assert {code: places["list"] for code, places in found.items()} == {
            "approve": "同意", "refer": "转审批", "decline": "拒绝"}
        pending = model.display({"decision": "refer", "pending_override": "approve"}, "decision")
        assert pending == "转审批（申请改为同意，待复核）"
    finally:
        runner.close()


def _result(code: str):
    from loandesk.approvals.service import StoredResult

    return StoredResult({"score": 600.0, "grade": "B", "decision": code, "limit": 0, "term_months": 12})
