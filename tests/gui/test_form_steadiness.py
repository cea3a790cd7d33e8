"""The intake form under a hurried hand: the wheel, a blank form, warnings appearing, stray clicks."""

from __future__ import annotations

from intake_helpers import GOOD, type_into
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from loandesk.core import clock
from loandesk.ui.score_panel import ScorePanel
from loandesk.ui.widgets import ERROR_COLOUR


def new_form(window, qtbot):
    form = window.new_intake()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=5_000)
    return form


def wheel(widget, steps: int = -1) -> None:
    """One notch of a real mouse wheel over the middle of ``widget`` (negative: scroll down).

    Through the window system, as a mouse gives it: Qt delivers it to the widget under the pointer and
    passes it on to the parents while ignored (an event sent straight to a widget would not propagate).
    """
    top = widget.window()
    pos = QPointF(widget.mapTo(top, QPoint(widget.width() // 2, widget.height() // 2)))
    QTest.wheelEvent(top.windowHandle(), pos, QPoint(0, 120 * steps))


def settle(qtbot) -> None:
    qtbot.wait(30)  # let posted layout requests run


def test_the_wheel_scrolls_the_form_and_never_changes_an_unfocused_choice(window, qtbot):
    form = new_form(window, qtbot)
    form.editors["enterprise_name"].setFocus()
    bar = form.scroll_area.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    for name in ("industry", "tax_grade", "product"):
        combo = form.editors[name]
        form.scroll_area.ensureWidgetVisible(combo)
        settle(qtbot)
        before, scrolled = combo.currentIndex(), bar.value()
        wheel(combo)
        assert combo.currentIndex() == before, name  # the choice is as it was
        assert bar.value() > scrolled, name  # the wheel scrolled the form instead
    assert QApplication.focusWidget() is form.editors["enterprise_name"]  # and did not take the focus

    # A focused combo still answers the wheel: that is a deliberate choice.
    industry = form.editors["industry"]
    industry.setFocus()
    form.scroll_area.ensureWidgetVisible(industry)
    settle(qtbot)
    wheel(industry)
    assert industry.currentIndex() == 1


def test_a_blank_intake_shows_no_verdict_and_no_errors(window, qtbot):
    form = new_form(window, qtbot)
    panel = form.score_panel
    qtbot.wait(ScorePanel.DEBOUNCE_MS + 400)  # longer than scoring would take to show a verdict
    assert panel.result is None
    assert panel.decision_label.text() == "Not scored yet"
    assert panel.score_value.text() == "—" and panel.grade_value.text() == "—"
    assert panel.status_label.text() == "The score appears once you have filled in a field."
    assert [n for n, m in form.messages.items() if m.text()] == []
    # Save is still disabled, and says why, as a hint rather than an error.
    assert not form.save_button.isEnabled()
    assert form.reason_label.text() == "Save is enabled once the required fields are filled in (11 still to complete)."
    assert ERROR_COLOUR not in form.reason_label.styleSheet()

    # Typing in a field says nothing yet; moving on from it shows its findings and the verdict.
    type_into(form, qtbot, "credit_code", "9135")
    assert form.messages["credit_code"].text() == "" and panel.result is None
    qtbot.keyClick(form.editors["credit_code"], Qt.Key.Key_Tab)
    assert form.messages["credit_code"].text() == "✖ must be 18 characters, got 4"
    assert form.messages["enterprise_name"].text() == ""  # never touched: still quiet
    assert form.reason_label.text().startswith("11 error(s): Unified social credit code: must be 18 characters")
    assert ERROR_COLOUR in form.reason_label.styleSheet()
    # the verdict on this form: nothing can be scored before the applicant's consent is entered
    qtbot.waitUntil(lambda: panel.decision_label.text() != "Not scored yet", timeout=10_000)
    assert panel.decision_label.text() == "Not scored" and panel.result is None
    assert "no recorded consent" in panel.decided_label.text()


def test_trying_to_save_a_blank_intake_shows_every_error(window, qtbot):
    form = new_form(window, qtbot)
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    shown = {n for n, m in form.messages.items() if m.text()}
    assert {"enterprise_name", "credit_code", "industry", "legal_rep_name", "requested_amount"} <= shown
    assert form.reason_label.text().startswith("11 error(s): Enterprise name: is required")
    assert QApplication.focusWidget() is form.editors["enterprise_name"]  # the first field to fix
    assert not form.save_button.isEnabled()


def test_fields_below_do_not_move_when_warnings_and_the_override_reason_appear(window, qtbot):
    form = new_form(window, qtbot)
    body = form.scroll_area.widget()
    below = ["industry", "registered_on", "legal_rep_name", "requested_amount", "officer"]

    def tops() -> dict[str, int]:
        settle(qtbot)
        return {n: form.editors[n].mapTo(body, QPoint(0, 0)).y() for n in below}

    before = tops()
    type_into(form, qtbot, "credit_code", "91350100M000100Y44")  # check character should be 3
    qtbot.keyClick(form.editors["credit_code"], Qt.Key.Key_Tab)
    assert form.messages["credit_code"].text().startswith("⚠ check character should be 3")
    assert form.messages["code_override_reason"].text().startswith("✖ the check character does not match")
    assert form.editors["code_override_reason"].isEnabled()
    type_into(form, qtbot, "employees", "many")  # an error under a field higher up than most
    qtbot.keyClick(form.editors["employees"], Qt.Key.Key_Tab)
    assert form.messages["employees"].text()
    assert tops() == before

    # A message longer than the line is elided on screen, whole in its tooltip.
    message = form.messages["credit_code"]
    form.resize(700, form.height())
    settle(qtbot)
    assert message.is_elided()
    assert message.toolTip() == message.text()
    assert message.height() == message.fontMetrics().height()


def test_a_click_on_empty_space_keeps_the_place_in_the_tab_order(window, qtbot):
    form = new_form(window, qtbot)
    type_into(form, qtbot, "employees", "25")
    body = form.scroll_area.widget()
    spot = QPoint(2, form.editors["employees"].mapTo(body, QPoint(0, 0)).y())  # the margin left of the groups
    assert body.childAt(spot) is None
    qtbot.mouseClick(body, Qt.MouseButton.LeftButton, pos=spot)
    assert QApplication.focusWidget() is form.editors["employees"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.editors["annual_revenue"]  # not back at the first field

    # The same for a click between the fields and the score panel, and on the panel itself.
    panel = form.score_panel
    qtbot.mouseClick(panel, Qt.MouseButton.LeftButton, pos=QPoint(panel.width() // 2, panel.height() - 5))
    assert QApplication.focusWidget() is form.editors["annual_revenue"]


def test_what_would_change_scrolls_instead_of_clipping(qtbot):
    panel = ScorePanel()
    qtbot.addWidget(panel)
    panel.resize(320, 420)
    panel.show()
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(panel.scored, timeout=10_000):
        # almost blank (but for the consent): a long list of advice
        panel.set_record({"requested_amount": GOOD["requested_amount"], "consent_given": True,
                          "consent_date": clock.today().isoformat(), "consent_given_by": "王伟"})  # fmt: skip
    settle(qtbot)
    lines = panel.changes_label.text().splitlines()
    assert len(lines) >= 8
    label = panel.changes_label
    assert label.height() >= label.heightForWidth(label.width())  # every line has its room
    bar = panel.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0  # the panel scrolls to reach them
    panel.scroll_area.ensureWidgetVisible(label)
    assert bar.value() > 0
    content = panel.scroll_area.widget()
    assert content.width() <= panel.scroll_area.viewport().width()  # nothing cut off at the right edge
