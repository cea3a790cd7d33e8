"""Every list column on screen at the default window size, in Chinese and in English."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from loandesk.demo import populate
from loandesk.storage import Store
from loandesk.ui.column_fit import two_line_width
from loandesk.ui.screen_fit import FRAME_H, FRAME_W


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("lists") / "home"
    home.mkdir()
    store = Store.open(home)
    try:
        populate(store, 24, lifecycle=True)  # decisions, limits, overrides waiting: the widest cells
    finally:
        store.close()
    return home


@pytest.fixture
def chinese_translators(qapp):
    from loandesk.core.i18n import set_language
    from loandesk.ui import i18n

    translators = i18n.install_translators(qapp, "zh")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    set_language("en")


def on_screen(page) -> bool:
    view, header = page.view, page.view.horizontalHeader()
    last = page.model.columnCount() - 1
    return header.sectionViewportPosition(last) + header.sectionSize(last) <= view.viewport().width()


def check_page(window, page, qtbot, *, whole: bool = True) -> dict[str, int]:
    """Titles on at most two lines, figures never elided; ``whole``: every column on screen too."""
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page._fitted, timeout=10_000)
    view, header, model = page.view, page.view.horizontalHeader(), page.model
    qtbot.waitUntil(lambda: view.verticalScrollBar().isVisible())
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    if whole:
        qtbot.waitUntil(lambda: on_screen(page), timeout=5_000)  # the last column is not cut off
        # nothing to scroll sideways to (the scroll bar's range follows the layout a moment later)
        qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() == 0, timeout=5_000)
    metrics = header.fontMetrics()
    elastic = set(model.elastic_columns())
    for c, title in enumerate(titles):
        width = header.sectionSize(c)
        padding = header.sectionSizeHint(c) - metrics.horizontalAdvance(title)
        assert width >= padding + two_line_width(title, metrics.horizontalAdvance), title  # at most two lines
        if c not in elastic:
            assert width >= view.sizeHintForColumn(c), title  # figures, codes, dates: never elided
    return {title: header.sectionSize(c) for c, title in enumerate(titles)}


def test_english_lists_fit_the_default_window(demo_home, open_window, qtbot):
    window = open_window(demo_home)
    window.show_page(1)  # the start page is the work queue (issue 11)
    # the default window fills the suite's 1366x768 laptop screen, room kept for the title bar (screen_fit)
    assert (window.width(), window.height()) == (1366 - FRAME_W, 768 - FRAME_H)
    assert window.decision_dock.isVisible()
    widths = check_page(window, window.application_page, qtbot)  # beside the decision dock, every column
    window.decision_dock.close()  # the list takes the room back and still fits
    widths = check_page(window, window.application_page, qtbot)
    assert {"Decision", "Limit (yuan)", "Updated"} <= set(widths)
    window.show_page(0)
    check_page(window, window.enterprise_page, qtbot)


def test_chinese_lists_fit_the_default_window(demo_home, open_window, chinese_translators, qtbot):
    window = open_window(demo_home, lang="zh")
    window.show_page(1)
    assert window.decision_dock.isVisible()
    assert "更新时间" in check_page(window, window.application_page, qtbot)
    window.decision_dock.close()
    widths = check_page(window, window.application_page, qtbot)
    assert "更新时间" in widths
    window.show_page(0)
    check_page(window, window.enterprise_page, qtbot)


def test_a_column_sized_by_hand_keeps_its_width(demo_home, open_window, qtbot):
    window = open_window(demo_home)
    window.show_page(1)
    page = window.application_page
    qtbot.waitUntil(lambda: page._fitted, timeout=10_000)
    header = page.view.horizontalHeader()
    edge = header.sectionViewportPosition(1) + header.sectionSize(1) - 1  # the handle right of "Enterprise"
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    qtbot.mouseMove(header.viewport(), QPoint(edge + 60, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + 60, y))
    dragged = header.sectionSize(1)
    assert page._hand_sized and dragged > 100
    window.decision_dock.close()
    qtbot.wait(100)
    assert header.sectionSize(1) == dragged  # not fitted again over the user's choice


def test_two_line_titles_break_at_a_space_or_before_a_bracket():
    def advance(text: str) -> int:
        return len(text)

    assert two_line_width("Legal representative", advance) == len("representative")
    assert two_line_width("申请金额（元）", advance) == len("申请金额")
    assert two_line_width("Stage", advance) == len("Stage")  # one word: one line
