"""The user guide inside the app: complete in Chinese and English, F1 opens the page for the screen in
front, links between topics work, finding words narrows the contents."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from loandesk.core.decisions import DECISION_WORDS
from loandesk.ui import help_viewer, i18n
from loandesk.ui.help_viewer import HelpViewer, load_guide, topic_for

SUBJECTS = {"daily-path", "enterprises", "applications", "intake", "decisions", "memo", "credit-code", "sync",
            "backup", "keys"}  # fmt: skip
LINK = re.compile(r"\]\(([^)]+)\)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_guide_is_complete_in_each_language(lang):
    topics = load_guide(lang)
    assert {t.id for t in topics} == SUBJECTS
    assert topics[0].id == "daily-path"  # the contents start with the daily path
    ids = {t.id for t in topics}
    for topic in topics:
        assert topic.title and len(topic.markdown) > 300, topic.id
        for target in LINK.findall(topic.markdown):
            assert target.endswith(".md") and target[:-3] in ids, (lang, topic.id, target)
    guide = "\n".join(t.markdown for t in topics)
    if lang == "zh":
        assert "查询" in guide and "新建受理" in guide and "评分" in guide and "打印" in guide
    # each decision in the same word the app shows (core.decisions.DECISION_WORDS)
    for en, zh in DECISION_WORDS.values():
        assert (zh if lang == "zh" else en) in load_guide(lang)[[t.id for t in topics].index("decisions")].markdown


def test_what_to_do_when_things_fail_is_there():
    zh = {t.id: t.markdown for t in load_guide("zh")}
    assert "校验位例外说明" in zh["credit-code"] and "试点" in zh["credit-code"]
    assert "待同步" in zh["sync"] and "不会" in zh["sync"]  # work goes on, nothing is lost
    assert "核验未通过" in zh["memo"] and "核验码" in zh["memo"]


def shown_viewer(window, qtbot) -> HelpViewer:
    viewer = window.help_actions.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.current is not None, timeout=5_000)
    return viewer


def test_f1_opens_the_topic_of_the_screen_in_front(window, qtbot):
    assert window.help_actions.action in window._help_menu.actions()
    assert window.help_actions.action.shortcut().toString() == "F1"
    window.activateWindow()
    window.show_page(1)
    qtbot.keyClick(window.application_page.view, Qt.Key.Key_F1)
    viewer = shown_viewer(window, qtbot)
    assert viewer.isVisible() and viewer.current == "applications"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    window.show_page(0)
    qtbot.keyClick(window.enterprise_page.view, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: viewer.current == "enterprises", timeout=5_000)
    assert window.help_actions.viewer is viewer  # one guide window, turned to the new page

    form = window.new_intake()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=5_000)
    form.editors["enterprise_name"].setFocus()
    assert topic_for(form.editors["enterprise_name"]) == "intake"
    qtbot.keyClick(form.editors["enterprise_name"], Qt.Key.Key_F1)  # F1 in the form's own window
    qtbot.waitUntil(lambda: viewer.current == "intake", timeout=5_000)
    assert "Ctrl+S" in viewer.browser.toPlainText()


def test_a_screen_names_its_own_topic(window, qtbot):
    window.statusBar().setProperty("helpTopic", "sync")  # as another area's screen would
    assert topic_for(window.online_label) == "sync"
    assert topic_for(None) == "daily-path"


def test_links_back_and_finding_words(qtbot):
    viewer = HelpViewer(lang="en")
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitUntil(lambda: viewer.current == "daily-path", timeout=5_000)
    assert viewer.contents.count() == len(SUBJECTS)
    assert "look up" in viewer.browser.toPlainText().lower()
    viewer.browser.anchorClicked.emit(QUrl("credit-code.md"))  # a link, as clicked
    assert viewer.current == "credit-code" and "GB 32100" in viewer.browser.toPlainText()
    assert viewer.back_button.isEnabled()
    viewer.back_button.click()
    assert viewer.current == "daily-path" and not viewer.back_button.isEnabled()
    qtbot.keyClicks(viewer.search, "quarantined")
    visible = [viewer.contents.item(r).data(Qt.ItemDataRole.UserRole) for r in range(viewer.contents.count())
               if not viewer.contents.item(r).isHidden()]  # fmt: skip
    assert visible == ["sync"] and viewer.current == "sync"
    assert viewer.found_label.text() == "1 topic(s)"
    assert viewer.browser.textCursor().selectedText().lower() == "quarantined"  # the word is found
    viewer.search.clear()
    assert all(not viewer.contents.item(r).isHidden() for r in range(viewer.contents.count()))
    viewer.show_topic("no-such-topic")
    assert viewer.current == "daily-path"  # an unknown topic opens the contents' first


@pytest.fixture
def chinese(qapp):
    from loandesk.core.i18n import set_language

    set_language("zh")
    translators = i18n.install_translators(qapp, "zh")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    set_language("en")


def test_the_guide_window_is_in_chinese(chinese, qtbot):
    help_viewer._guides.clear()
    viewer = HelpViewer()
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitUntil(lambda: viewer.current is not None, timeout=5_000)
    assert viewer.windowTitle() == "信贷工作台使用指南"
    assert viewer.search.placeholderText().startswith("在指南中查找")
    assert viewer.back_button.text() == "返回(&B)"
    titles = [viewer.contents.item(r).text() for r in range(viewer.contents.count())]
    assert titles[0] == "日常办理流程" and "信用代码校验不通过" in titles and "同步失败怎么办" in titles
    assert "查询" in viewer.browser.toPlainText()
    viewer.search.setText("核验码")
    found = viewer.matching_topics("核验码")
    assert len(found) >= 2 and viewer.found_label.text() == f"{len(found)} 个主题"
