"""File > Import enterprise list…: the real dialog on a real window and store (pytest-qt): mapping an
unknown header, progress, cancel leaving the store unchanged, the result's counts and report."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_import_list_support import ZH, records, write_list

HEADERS = {**ZH, "enterprise_name": "主体名字"}  # a header Loan Desk does not know


@pytest.fixture
def dialog(window, qtbot):
    d = window.list_import.open()
    qtbot.addWidget(d)
    return d


def read(dialog, qtbot, path: Path) -> None:
    dialog.path_edit.setText(str(path))
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1 or dialog.message.text() not in ("", "Reading…"),
                    timeout=20_000)  # fmt: skip


def enterprises(window, in_store) -> int:
    return in_store(window, lambda store: store.count_enterprises())


def test_the_menu_opens_the_dialog(window):
    assert window.list_import.action.isEnabled()
    assert window.list_import.action.text() == "&Import enterprise list…"


def test_mapping_an_unknown_header_then_importing(dialog, window, qtbot, in_store, tmp_path):
    rows = records(25, seed=50)
    rows[4]["credit_code"] = "bad"
    read(dialog, qtbot, write_list(tmp_path / "list.csv", rows, HEADERS, encoding="gbk"))
    combo = dialog.combos["主体名字"]
    assert combo.currentData() is None  # not recognised: skipped until the user chooses
    assert dialog.combos["统一社会信用代码"].currentData() == "credit_code"
    assert not dialog.import_button.isEnabled() and "Enterprise name" in dialog.message.text()
    combo.setCurrentIndex(combo.findData("enterprise_name"))
    assert dialog.import_button.isEnabled()
    assert dialog.mapping()["营业收入(万元)"].unit_wan
    labels = [dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())]
    assert "Enterprise name" in labels
    name_col = labels.index("Enterprise name")
    assert dialog.preview.item(0, name_col).text() == rows[0]["enterprise_name"]
    rep_col = labels.index("Legal representative")
    assert dialog.preview.item(0, rep_col).text() != rows[0]["legal_rep_name"]  # masked on screen
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 3, timeout=30_000)
    assert "24 imported" in dialog.result_label.text() and "1 rejected" in dialog.result_label.text()
    assert enterprises(window, in_store) == 24
    assert dialog.report_table.item(0, 0).text() == "5" and "18" in dialog.report_table.item(0, 4).text()
    assert in_store(window, lambda store: store.count_enterprises(rows[0]["enterprise_name"][2:6])) >= 1
    out = tmp_path / "report.csv"
    assert dialog.save_button.isEnabled()
    dialog.write_report(out)
    qtbot.waitUntil(out.exists, timeout=10_000)
    with open(out, encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["row", "field", "value", "severity", "reason"] and lines[1][:2] == ["5", "credit_code"]


def test_progress_is_shown_while_importing(dialog, window, qtbot, in_store, tmp_path, monkeypatch):
    from loandesk.storage import enterprise_import

    monkeypatch.setattr(enterprise_import, "BATCH", 100)
    read(dialog, qtbot, write_list(tmp_path / "list.csv", records(600, seed=51)))
    seen = []
    dialog.progress.valueChanged.connect(seen.append)
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 3, timeout=30_000)
    assert len(set(seen)) >= 3 and max(seen) == 600 and dialog.progress.maximum() == 600
    assert "600 imported" in dialog.result_label.text()


def test_cancel_leaves_the_store_unchanged(dialog, window, qtbot, in_store, tmp_path, monkeypatch):
    from loandesk.storage import enterprise_import

    first = write_list(tmp_path / "first.csv", records(10, seed=52))
    in_store(window, lambda store: enterprise_import.import_file(store, first))
    before = in_store(window, lambda store: (store.count_enterprises(), store.count_enterprises("有限公司")))
    monkeypatch.setattr(enterprise_import, "BATCH", 100)
    read(dialog, qtbot, write_list(tmp_path / "big.csv", records(2000, seed=53)))
    dialog.progress.valueChanged.connect(lambda v: v >= 100 and dialog.cancel_import())
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 3, timeout=30_000)
    assert "cancelled" in dialog.result_label.text() and not dialog.save_button.isEnabled()
    assert in_store(window, lambda store: (store.count_enterprises(), store.count_enterprises("有限公司"))) == before


def test_a_refused_file_says_why_in_the_dialog(dialog, qtbot, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    read(dialog, qtbot, path)
    assert dialog.pages.currentIndex() == 0 and "empty" in dialog.message.text()


def test_a_workbook_offers_its_sheets(dialog, qtbot, tmp_path):
    import pandas as pd

    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, rows in {"说明": records(2, seed=1), "名单": records(3, seed=2)}.items():
            pd.DataFrame([{ZH[k]: v for k, v in r.items()} for r in rows]).to_excel(xw, sheet_name=name, index=False)
    read(dialog, qtbot, path)
    assert [dialog.sheet_combo.itemText(i) for i in range(dialog.sheet_combo.count())] == ["说明", "名单"]
    assert dialog.sheet_combo.isEnabled()
    dialog.sheet_combo.setCurrentIndex(1)
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.frame is not None and len(dialog.frame) == 3, timeout=20_000)
