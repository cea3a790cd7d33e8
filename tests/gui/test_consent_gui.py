"""Consent on the screens (issue 8): the intake form records who gave it, for what and until when; the
score panel shows a refusal in place of a score for a form and for a stored application; Chinese."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from intake_helpers import GOOD, fill, type_into
from PySide6.QtCore import QCoreApplication, QTranslator

from loandesk.core import clock
from loandesk.core.consent import default_expiry
from loandesk.core.i18n import set_language
from loandesk.ui.i18n import lrelease
from loandesk.ui.score_panel import ScorePanel

GUI_USER = "officer"  # officers capture applications and record consent

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    "industry": "RET", "registered_on": "2019-03-01", "employees": "12", "annual_revenue": "300万",
    "total_assets": "100万", "tax_grade": "B", "tax_paid_12m": "60000", "tax_paid_24m": "110000",
    "requested_amount": "500000", "term_months": "12", "legal_rep_name": "王建国",
}  # fmt: skip


def refused(panel, qtbot, record) -> str:
    seen = []
    panel.show_blank()
    panel.scored.connect(seen.append)
    panel.set_record(record)
    qtbot.waitUntil(lambda: panel.decision_label.text() == "Not scored", timeout=10_000)
    panel.wait_idle()
    assert seen == [] and panel.result is None and panel.score_value.text() == "—"  # nothing was scored
    return panel.decided_label.text()


def test_the_panel_scores_nothing_without_a_valid_consent(qtbot):
    panel = ScorePanel()
    qtbot.addWidget(panel)
    today = clock.today()
    assert "no recorded consent" in refused(panel, qtbot, FIGURES)
    given = today - dt.timedelta(days=400)
    expired = {**FIGURES, "consent_given": True, "consent_date": given.isoformat()}
    assert f"consent expired on {default_expiry(given)}" in refused(panel, qtbot, expired)
    credit_only = {**FIGURES, "consent_given": True, "consent_date": today.isoformat(), "consent_scopes": "credit"}
    assert "does not cover tax data" in refused(panel, qtbot, credit_only)
    with qtbot.waitSignal(panel.scored, timeout=10_000) as got:  # consent given: scored as before
        panel.set_record({**credit_only, "consent_scopes": "tax,credit"})
    assert got.args[0].decision in ("approve", "refer") and panel.decision_label.text() != "Not scored"


def test_a_stored_application_without_consent_says_why_instead_of_a_score(qtbot):
    panel = ScorePanel()
    qtbot.addWidget(panel)
    panel.show_stored({"decision": None, "consent": {"refusal": "consent expired on 2026-01-01", "consent": None}})
    assert panel.decision_label.text() == "Not scored"
    assert "consent expired on 2026-01-01" in panel.decided_label.text()
    assert "loandesk consent record" in panel.decided_label.text()


def test_the_intake_form_records_the_consent_with_the_save(window, qtbot, in_store):
    form = window.new_intake()
    qtbot.waitExposed(form)
    fill(form, qtbot, {k: v for k, v in GOOD.items() if k != "consent_given"})
    type_into(form, qtbot, "consent_given", True)  # ticking it names the legal representative, a year on
    today = clock.today()
    assert form.editors["consent_given_by"].text() == "王建国"
    assert form.editors["consent_date"].text() == today.isoformat()
    assert form.editors["consent_expires"].text() == default_expiry(today).isoformat()
    # the expiry follows the date while nobody typed another one
    earlier = today - dt.timedelta(days=10)
    type_into(form, qtbot, "consent_date", earlier.isoformat())
    assert form.editors["consent_expires"].text() == default_expiry(earlier).isoformat()
    # an expiry before the date is refused under its field, and Save waits
    type_into(form, qtbot, "consent_expires", (earlier - dt.timedelta(days=1)).isoformat())
    form.save()  # refused: every finding shows, this one under its field
    assert "must be after the day the consent was given" in form.messages["consent_expires"].text()
    assert not form.save_button.isEnabled()
    type_into(form, qtbot, "consent_expires", (earlier + dt.timedelta(days=180)).isoformat())
    type_into(form, qtbot, "consent_given_by", "王小明")  # the person the legal representative authorised
    type_into(form, qtbot, "consent_scopes", "tax")
    form.validate()
    assert form.save_button.isEnabled(), form.reason_label.text()
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)

    def consents_of(store):
        from loandesk.storage import consents

        return [(ref, c.given_by, c.given_on, c.expires_on, c.scope_code, c.recorded_by)
                for ref, c in consents.listing(store)]  # fmt: skip

    ((_ref, given_by, given_on, expires_on, scope, _by),) = in_store(window, consents_of)
    assert (given_by, given_on, expires_on, scope) == ("王小明", earlier, earlier + dt.timedelta(days=180), "tax")

    # reopened, the giver shows masked like the legal representative
    window.show_page(1)
    qtbot.waitUntil(lambda: window.application_model.rowCount() == 1)
    window.open_application(window.application_model.row_dict(0)["id"])
    qtbot.waitUntil(lambda: bool(window.forms), timeout=10_000)
    reopened = window.forms[-1]
    assert reopened.editors["consent_given_by"].text() == "王**"
    assert reopened.editors["consent_scopes"].currentData() == "tax"
    assert reopened.editors["consent_expires"].text() == (earlier + dt.timedelta(days=180)).isoformat()
    # a renewed consent: the officer types today's date; an expiry typed on purpose stays as it was
    type_into(reopened, qtbot, "consent_date", today.isoformat())
    assert reopened.editors["consent_expires"].text() == (earlier + dt.timedelta(days=180)).isoformat()
    reopened.close_silently()


def test_a_reopened_consent_a_year_long_follows_a_new_date(home, open_window, qtbot, in_store):
    import random

    from loandesk.core.intake import validate_intake
    from loandesk.demo import demo_record
    from loandesk.storage import Store

    store = Store.open(home)
    try:
        record = demo_record(random.Random(3), 0)
        record["consent_date"] = (clock.today() - dt.timedelta(days=20)).isoformat()  # expires a year on
        store.save_intake(validate_intake(record).values)
    finally:
        store.close()
    window = open_window(home)
    window.show_page(1)
    qtbot.waitUntil(lambda: window.application_model.rowCount() == 1)
    window.open_application(window.application_model.row_dict(0)["id"])
    qtbot.waitUntil(lambda: bool(window.forms), timeout=10_000)
    form = window.forms[-1]
    today = clock.today()
    assert form.editors["consent_expires"].text() == default_expiry(today - dt.timedelta(days=20)).isoformat()
    type_into(form, qtbot, "consent_date", today.isoformat())  # typed key by key: half-dates in between
    assert form.editors["consent_expires"].text() == default_expiry(today).isoformat()
    form.close_silently()


def test_the_consent_group_and_refusal_in_chinese(qtbot, tmp_path, window):
    qm = tmp_path / "consent.qm"
    subprocess.run([lrelease(), str(ROOT / "resources/translations/consent_zh_CN.ts"), "-qm", str(qm)],
                   check=True, capture_output=True)  # fmt: skip
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    set_language("zh")
    try:
        form = window.new_intake()
        qtbot.waitExposed(form)
        texts = [form.editors["consent_scopes"].itemText(i) for i in range(form.editors["consent_scopes"].count())]
        assert texts == ["涉税信息和征信报告", "仅涉税信息", "仅征信报告"]
        panel = ScorePanel()
        qtbot.addWidget(panel)
        text = refused_zh(panel, qtbot)
        assert "评分须取得申请人授权：没有已记录的涉税及征信信息查询授权" in text
        panel.resize(360, 420)
        panel.grab().save(str(tmp_path / "consent-refusal-zh.png"))
        form.grab().save(str(tmp_path / "consent-form-zh.png"))
    finally:
        QCoreApplication.removeTranslator(translator)
        set_language("en")


def refused_zh(panel, qtbot) -> str:
    panel.set_record(FIGURES)
    qtbot.waitUntil(lambda: panel.decision_label.text() == "未评分", timeout=10_000)
    return panel.decided_label.text()


def test_ctrl_d_on_an_application_without_consent_says_why_and_records_nothing(home, open_window, qtbot, in_store):
    import random

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from loandesk.core.intake import validate_intake
    from loandesk.demo import demo_record
    from loandesk.storage import Store

    store = Store.open(home)
    try:  # as a file import would leave it: no consent recorded
        record = demo_record(random.Random(3), 0)
        record.update(consent_given=False, consent_date=None, consent_scope=None)
        store.save_intake(validate_intake(record, require_consent=False).values)
    finally:
        store.close()
    window = open_window(home)
    window.show_page(1)
    qtbot.waitUntil(lambda: window.application_model.rowCount() == 1)
    window.application_page.view.setCurrentIndex(window.application_model.index(0, 0))
    dock_panel = window.findChild(ScorePanel)
    qtbot.waitUntil(lambda: dock_panel.decision_label.text() == "Not scored", timeout=10_000)
    assert "no recorded consent" in dock_panel.decided_label.text()  # the dock says why before anyone asks
    said: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)
    window.application_actions.decide_action.trigger()
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert "no recorded consent" in said[0]
    decisions = in_store(window, lambda s: s.db.execute("SELECT count(*) FROM decisions").fetchone()[0])
    assert decisions == 0
