"""The score panel scores off the GUI thread and updates as a field changes (pytest-qt, real widgets)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from loandesk.core import clock
from loandesk.core.i18n import set_language
from loandesk.ui.i18n import lrelease
from loandesk.ui.score_panel import ScorePanel

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "industry": "RET", "registered_on": "2019-03-01", "employees": "12", "annual_revenue": "300万",
    "total_assets": "100万", "tax_grade": "B", "tax_paid_12m": "60000", "tax_paid_24m": "110000",
    "invoice_sales_12m": "2,700,000", "social_insurance_headcount": "9", "abnormal_operation": "否",
    "dishonest_debtor": "否", "has_loan_history": "否", "requested_amount": "500000", "term_months": "12",
}  # fmt: skip


def consented(record: dict) -> dict:
    """``record`` with the consent the intake form records: given by the legal representative today
    (the pinned day, read when the test runs), for tax data and the credit report."""
    return {**record, "consent_given": True, "consent_given_by": "王伟", "consent_date": clock.today().isoformat(),
            "consent_scopes": "tax,credit"}  # fmt: skip


@pytest.fixture
def zh_translator(tmp_path):
    qm = tmp_path / "scoring.qm"
    subprocess.run([lrelease(), str(ROOT / "resources/translations/scoring_zh_CN.ts"),
                    "-qm", str(qm)], check=True, capture_output=True)  # fmt: skip
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    set_language("zh")
    yield
    QCoreApplication.removeTranslator(translator)


def test_panel_updates_when_a_field_changes(qtbot, zh_translator, tmp_path):
    panel = ScorePanel()
    qtbot.addWidget(panel)
    panel.resize(460, 720)
    with qtbot.waitSignal(panel.scored, timeout=10_000) as first:
        panel.set_record(consented(GOOD))
    assert first.args[0].decision == "approve"
    assert panel.decision_label.text() == "同意"
    assert "元" in panel.limit_value.text() and panel.limit_value.text() != "—"
    assert len(panel.chart.factors) == 7
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.term_value.text() == "12 个月，12 个月内循环使用"
    panel.grab().save(str(tmp_path / "score_panel_zh.png"))

    with qtbot.waitSignal(panel.scored, timeout=10_000) as second:
        panel.set_record(consented({**GOOD, "tax_grade": "C"}))  # the officer corrects one field
    assert second.args[0].decision == "decline"
    assert panel.decision_label.text() == "拒绝"
    assert panel.term_value.text() == "—"  # nothing is lent on a decline
    assert "纳税信用等级为 C 或 D 级" in panel.reasons_label.text()
    assert "B 级" in panel.changes_label.text()

    with qtbot.waitSignal(panel.scored, timeout=10_000) as third:
        panel.set_record(consented({"industry": "RET", "requested_amount": "500000"}))  # a form barely begun
    assert (third.args[0].decision, third.args[0].limit) == ("refer", 0)
    assert panel.rate_value.text() == panel.term_value.text() == "—"  # no price for a line of 0 yuan


def test_stale_results_are_dropped(qtbot):
    set_language("en")
    panel = ScorePanel()
    qtbot.addWidget(panel)
    seen = []
    panel.scored.connect(seen.append)
    with qtbot.waitSignal(panel.scored, timeout=10_000):
        panel.set_record(consented({**GOOD, "tax_grade": "D"}))
        panel.set_record(consented({**GOOD, "tax_grade": "A"}))  # typed again before the first was scored
    panel.wait_idle()
    qtbot.wait(50)
    assert [r.decision for r in seen] == ["approve"]
    assert panel.result.factors[0]["value"] == "A"


def test_bad_value_is_shown_not_crashed(qtbot):
    set_language("en")
    panel = ScorePanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.scored, timeout=10_000) as got:
        panel.set_record(consented({**GOOD, "annual_revenue": "lots"}))
    assert got.args[0].decision == "refer"
    assert "Annual revenue" in panel.status_label.text()
