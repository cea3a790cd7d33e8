"""The enterprise and application lists: pages, server-side sort, debounced search, masking, status bar."""

from __future__ import annotations

import random
import re

from intake_helpers import type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from loandesk.core import pinyin
from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.storage import Store


def fill_store(home, count: int) -> None:
    rng = random.Random(7)
    store = Store.open(home)
    try:
        records = [validate_intake(demo_record(rng, i)).values for i in range(count)]
        store.import_enterprises(records)
    finally:
        store.close()


def column(model, title: str) -> int:
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return titles.index(title)


def cells(model, title: str) -> list[str]:
    col = column(model, title)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_pages_of_200_fetched_as_the_user_scrolls(home, open_window, qtbot):
    fill_store(home, 450)
    window = open_window(home)
    window.show_page(0)
    page = window.enterprise_page
    qtbot.waitUntil(lambda: page.model.total == 450)
    assert page.model.rowCount() == 200
    assert page.count_label.text() == "450 records"
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 400, timeout=5_000)
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 450, timeout=5_000)
    assert not page.model.canFetchMore()
    refs = cells(page.model, "Reference")
    assert len(set(refs)) == 450  # no row twice across pages


def test_sorting_by_a_column_header_is_done_by_the_store(home, open_window, qtbot):
    fill_store(home, 60)
    window = open_window(home)
    window.show_page(0)
    page = window.enterprise_page
    qtbot.waitUntil(lambda: page.model.total == 60)
    header = page.view.horizontalHeader()
    name_col = column(page.model, "Enterprise")
    header.setSortIndicator(name_col, Qt.SortOrder.AscendingOrder)  # what a header click does
    by_pinyin = lambda names: sorted(names, key=lambda n: (pinyin.sort_key(n), n))  # noqa: E731 (names: pinyin)
    qtbot.waitUntil(lambda: cells(page.model, "Enterprise") == by_pinyin(cells(page.model, "Enterprise")))
    names = cells(page.model, "Enterprise")
    assert names != sorted(names) and names != by_pinyin(names)[::-1]
    header.setSortIndicator(column(page.model, "Revenue (yuan)"), Qt.SortOrder.DescendingOrder)
    revenue = lambda: [int(v.replace(",", "")) for v in cells(page.model, "Revenue (yuan)")]  # noqa: E731
    qtbot.waitUntil(lambda: revenue() == sorted(revenue(), reverse=True) and len(set(revenue())) > 5)


def test_personal_data_is_masked_in_every_row(home, open_window, qtbot):
    fill_store(home, 30)
    window = open_window(home)
    window.show_page(0)
    model = window.enterprise_model
    qtbot.waitUntil(lambda: model.total == 30)
    assert all(re.fullmatch(r".\*{1,2}", name) for name in cells(model, "Legal representative"))
    assert all(re.fullmatch(r"1\d\d\*{4}\d{4}", phone) for phone in cells(model, "Phone"))


def test_search_is_debounced_and_finds_two_character_substrings(home, open_window, qtbot):
    fill_store(home, 80)
    window = open_window(home)
    window.show_page(0)
    page = window.enterprise_page
    qtbot.waitUntil(lambda: page.model.total == 80)
    target = cells(page.model, "Enterprise")[5]
    part = target[3:5]  # two characters from inside the name (after "XX市")
    expected = sum(part in name for name in cells(page.model, "Enterprise"))
    generation = page.model._generation
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: to the search box
    assert QApplication.focusWidget() is page.search
    type_text(qtbot, page.search, part)  # keystrokes arrive faster than the 150 ms pause
    qtbot.waitUntil(lambda: page.model.query == part and not page.model._fetching, timeout=5_000)
    assert page.model._generation == generation + 1  # one query for the whole word, not one per key
    assert page.model.total == expected >= 1
    assert all(part in name for name in cells(page.model, "Enterprise"))
    assert page.count_label.text() == f"{expected} found"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.total == 80)


def test_status_bar_shows_offline_and_unsynced_count(window, qtbot, in_store):
    assert window.online_label.text() == "Offline"
    assert window.unsynced_label.text() == "Unsynced: 0"
    in_store(window, lambda store: store.set_setting("hub_url", "https://hub.example.cn"))
    window.refresh_status()  # an address alone is no hub: "Online" means an enrolled hub answers (test_sync_panel)
    qtbot.waitUntil(lambda: "Not enrolled" in window.online_label.toolTip())
    assert window.online_label.text() == "Offline"


def test_empty_data_home_offers_demo_data(home, open_window, qtbot, in_store):
    window = open_window(home, offer_demo=True)
    qtbot.waitUntil(lambda: window.demo_banner is not None and window.demo_banner.isVisible())
    assert "This data home is empty" in window.demo_banner.label.text()
    add = next(b for b in window.demo_banner.findChildren(QPushButton) if b.text() == "Add &demo data")
    add.click()
    qtbot.waitUntil(lambda: window.application_model.total == 60, timeout=60_000)
    qtbot.waitUntil(lambda: window.enterprise_model.total == 60)  # the other list's page comes next, not at once
    unsynced = in_store(window, lambda store: store.unsynced_count())
    assert unsynced > 120  # two saves per record, then decisions, memos and stages on top
    qtbot.waitUntil(lambda: window.unsynced_label.text() == f"Unsynced: {unsynced}")
    assert window.demo_banner is None
    # Demo applications stand at every stage, some with a decision overridden or memos issued.
    assert {"Submitted", "Scored", "Memo issued", "Approved"} <= set(cells(window.application_model, "Stage"))
    assert {"Approve", "Decline"} <= set(cells(window.application_model, "Decision"))
    industries = set(cells(window.enterprise_model, "Industry"))
    assert len(industries) == 16  # every industry of the size table


def test_enterprise_without_application_opens_a_new_request_for_it(home, open_window, qtbot, in_store):
    fill_store(home, 3)  # a regulator's list: enterprises, no applications yet
    window = open_window(home, user="officer")  # officers capture applications
    window.show_page(0)
    model = window.enterprise_model
    qtbot.waitUntil(lambda: model.total == 3)
    window.open_enterprise(model.record_id(0))
    qtbot.waitUntil(lambda: len(window.forms) == 1)
    form = window.forms[0]
    assert form.windowTitle() == "New intake"
    assert form.editors["enterprise_name"].text() == model.row_dict(0)["enterprise_name"]
    assert form.editors["legal_rep_name"].text() == model.row_dict(0)["legal_rep_name"]  # masked, as listed
    assert form.editors["legal_rep_name"].isReadOnly()
    for name, value in {"requested_amount": "300000", "term_months": "12", "purpose": "备货"}.items():
        form.editors[name].setText(value)
        form._edited(name)
    form.editors["consent_given"].setChecked(True)
    assert form.save_button.isEnabled(), form.reason_label.text()
    form.save()
    qtbot.waitUntil(lambda: window.application_model.total == 1, timeout=10_000)
    assert in_store(window, lambda store: store.count_enterprises()) == 3  # attached, not duplicated
