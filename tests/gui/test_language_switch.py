"""View > Language takes effect at once: the window is made again in the new language on the same store,
keeping the page, searches and open forms (typed content included); the default follows the system locale."""

from __future__ import annotations

import pytest
from intake_helpers import type_text
from PySide6.QtWidgets import QApplication
from test_application_actions import saved_applications

from loandesk.core.i18n import set_language
from loandesk.ui import i18n
from loandesk.ui.teller_mode import scale_font


@pytest.fixture
def live(qtbot, qapp, monkeypatch):
    """Windows that may be replaced by a language switch: the last one standing is closed at the end."""
    monkeypatch.delenv("LOANDESK_LANG", raising=False)
    qapp._translators = []
    made: list = []

    def open_window(home, lang="en"):
        from loandesk.ui.main_window import MainWindow

        window = MainWindow(home, lang=lang, offer_demo=False)
        made.append(window)
        with qtbot.waitSignal(window.store_ready, timeout=20_000):
            window.show()
        return window

    def switch(window, lang):
        window.language_actions[lang].trigger()
        job = window.language_switch
        qtbot.waitUntil(lambda: job.window is not None, timeout=30_000)
        made.append(job.window)
        qtbot.waitUntil(lambda: job.window.work_queue_page.model.answered, timeout=30_000)  # a busy machine
        return job.window

    yield open_window, switch
    from shiboken6 import isValid

    for window in made:
        if isValid(window):
            for form in list(window.forms):
                form.close_silently()
            window.close()
    for translator in qapp._translators:
        qapp.removeTranslator(translator)
    qapp._translators = []
    set_language("en")
    scale_font(False)  # the next test starts at the normal size whatever happened here


def menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_switching_language_relabels_everything_now_and_keeps_the_work(home, live, qtbot):
    open_window, switch = live
    saved_applications(home, 2)
    window = open_window(home)
    assert window.windowTitle() == "Loan Desk" and menu_titles(window)[:2] == ["&File", "&View"]
    window.show_page(1)
    window.application_page.search.setText("Hangzhou")
    form = window.new_intake()
    qtbot.waitExposed(form)
    form.editors["enterprise_name"].setFocus()
    type_text(qtbot, form.editors["enterprise_name"], "杭州新语言机械有限公司")

    chinese = switch(window, "zh")
    assert chinese is not window and chinese.lang == "zh"
    assert chinese.windowTitle() == "信贷工作台"
    assert menu_titles(chinese)[:2] == ["文件(&F)", "查看(&V)"]
    assert [chinese.nav.item(i).text() for i in range(chinese.nav.count())] == ["企业", "贷款申请", "首贷培育",
                                                                                 "我的待办"]  # fmt: skip
    assert chinese.current_page() is chinese.application_page  # the page the user was on
    assert chinese.application_page.search.text() == "Hangzhou"
    qtbot.waitUntil(lambda: chinese.unsynced_label.text().startswith("待同步："), timeout=10_000)  # the store answers
    unsynced = int(chinese.unsynced_label.text().split("：")[1])
    assert unsynced > 0  # the two applications saved wait to be sent
    assert len(chinese.forms) == 1  # the form, with what was typed, in Chinese
    again = chinese.forms[0]
    assert again.windowTitle() == "新建受理"
    assert again.editors["enterprise_name"].text() == "杭州新语言机械有限公司"
    assert i18n.saved_language(home) == "zh"  # and for the next start
    qtbot.waitUntil(lambda: chinese.application_model.query == "Hangzhou", timeout=10_000)  # searched again

    english = switch(chinese, "en")
    assert english.windowTitle() == "Loan Desk" and english.nav.item(3).text() == "My work"
    assert english.forms[0].windowTitle() == "New intake"
    assert english.forms[0].editors["enterprise_name"].text() == "杭州新语言机械有限公司"
    assert i18n.saved_language(home) == "en"


def test_teller_mode_survives_a_language_switch(home, live, qtbot):
    open_window, switch = live
    window = open_window(home)
    base = QApplication.font().pointSizeF()
    window.mode_switch.set_mode("teller")
    chinese = switch(window, "zh")
    qtbot.waitUntil(lambda: chinese.mode_switch.mode == "teller")
    assert chinese.mode_switch.teller.strip.isVisible()
    assert [a.text() for a in chinese.mode_switch.teller.strip.actions()][:2] == ["F2 查询", "F3 新建申请"]
    assert abs(QApplication.font().pointSizeF() - base * 1.3) < 0.01  # scaled once, not once per window
    chinese.mode_switch.set_mode("standard")


def test_the_default_follows_the_system_locale(tmp_path, monkeypatch):
    monkeypatch.delenv("LOANDESK_LANG", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert i18n.choose_language(None, tmp_path) == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.choose_language(None, tmp_path) == "zh"
    monkeypatch.setenv("LANG", "C.UTF-8")  # no language named: Chinese, as our users read
    assert i18n.choose_language(None, tmp_path) == "zh"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # LC_ALL overrides LANG
    assert i18n.choose_language(None, tmp_path) == "en"
    i18n.save_language(tmp_path, "zh")
    assert i18n.choose_language(None, tmp_path) == "zh"  # a saved choice wins over the system
