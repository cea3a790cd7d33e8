"""Importing enterprise lists (issue 10) into a real encrypted store: encodings, headers, every kind
of bad row, duplicates within the file and against the store, whole-file refusals, sheets."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from test_import_list_support import EN, VARIANTS, ZH, bad_check_code, records, write_list

from loandesk.lists.enterprise_import import ListRefused
from loandesk.lists.header_mapping import Mapped, map_header
from loandesk.lists.reading import TableError
from loandesk.storage import Store
from loandesk.storage.enterprise_import import import_file


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "home", branch="HZ01")
    yield s
    s.close()


def count(store, table="enterprises") -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def stored(store, code: str) -> dict:
    rows = list(store.db.query(
        """SELECT e.*, p.name AS rep, p.id_number AS rep_id, p.phone AS rep_phone FROM enterprises e
           LEFT JOIN persons p ON p.id = e.legal_rep_person_id WHERE e.credit_code = ?""", [code]))  # fmt: skip
    assert len(rows) == 1
    return rows[0]


def report(result) -> list[dict]:
    return result.report.to_dict("records")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_every_encoding_imports_the_same_enterprises(store, tmp_path, encoding):
    rows = records(40, seed=3)
    if encoding == "gb18030":
        rows[5]["legal_rep_name"] = "王𠮷"  # outside GBK: four bytes in GB18030
    result = import_file(store, write_list(tmp_path / f"{encoding}.csv", rows, encoding=encoding))
    assert (result.imported, result.rejected, result.warned) == (40, 0, 0), report(result)
    ent = stored(store, rows[5]["credit_code"])
    assert ent["enterprise_name"] == rows[5]["enterprise_name"] and ent["rep"] == rows[5]["legal_rep_name"]
    assert ent["annual_revenue"] == int(rows[5]["annual_revenue"]) * 10_000  # the header says 万元
    assert store.enterprise_rows(rows[5]["enterprise_name"][2:4])  # searchable at once


@pytest.mark.parametrize("headers", [ZH, VARIANTS, EN], ids=["dictionary", "variants", "english"])
def test_chinese_variant_and_english_headers(store, tmp_path, headers):
    rows = records(10, seed=4)
    result = import_file(store, write_list(tmp_path / "l.csv", rows, headers))
    assert result.imported == 10
    ent = stored(store, rows[0]["credit_code"])
    assert (ent["rep_id"], ent["rep_phone"], ent["registered_on"], ent["tax_grade"], ent["list_branch"]) == (
        rows[0]["legal_rep_id"], rows[0]["legal_rep_phone"], rows[0]["registered_on"], rows[0]["tax_grade"],
        rows[0]["list_branch"])  # fmt: skip


def test_header_variants_map_to_dictionary_fields():
    assert map_header("单位名称") == Mapped("enterprise_name")
    assert map_header("信用代码") == Mapped("credit_code")
    assert map_header("法人") == Mapped("legal_rep_name")
    assert map_header("联系电话") == Mapped("legal_rep_phone")
    assert map_header("资产总额（万元）") == Mapped("total_assets", unit_wan=True)
    assert map_header("Credit_Code") == Mapped("credit_code")
    assert map_header("申请金额") is None  # a loan request's column: not on an enterprise list
    assert map_header("备注") is None


def test_every_kind_of_bad_row_is_rejected_with_its_field_and_reason(store, tmp_path):
    rows = records(12, seed=5)
    bad = {
        1: ("credit_code", "123"),
        2: ("credit_code", "91330106MA2XXXXXI1"),  # I is not in the code's alphabet
        3: ("legal_rep_id", rows[3]["legal_rep_id"][:-1] + ("0" if rows[3]["legal_rep_id"][-1] != "0" else "1")),
        4: ("legal_rep_id", "33010619991332001X"),  # no 32nd of the 13th month
        5: ("registered_on", "2019-02-30"),
        6: ("annual_revenue", "一百万"),
        7: ("annual_revenue", "1e6"),
        8: ("legal_rep_phone", "12345"),
        9: ("tax_grade", "Z"),
        10: ("enterprise_name", ""),
        11: ("registered_on", "2099-01-01"),
    }
    for i, (field, value) in bad.items():
        rows[i][field] = value
    result = import_file(store, write_list(tmp_path / "bad.csv", rows), lang="en")
    assert (result.imported, result.rejected) == (1, 11)
    lines = report(result)
    assert {(r["row"], r["field"]) for r in lines} == {(i + 1, f) for i, (f, _) in bad.items()}
    assert all(r["severity"] == "error" for r in lines)
    reasons: dict[int, str] = {}
    for r in lines:
        reasons[r["row"]] = reasons.get(r["row"], "") + r["reason"] + "; "
    assert "18 characters" in reasons[2] and "not allowed" in reasons[3] and "check character" in reasons[4]
    assert "birth date" in reasons[5] and "date" in reasons[6] and "scientific" in reasons[8]
    assert "future" in reasons[12] and "required" in reasons[11]
    # personal data in the report is masked; the row number finds it in the file
    assert rows[3]["legal_rep_id"] not in result.report.to_csv()
    assert count(store) == 1 and count(store, "persons") == 1


def test_reasons_are_in_the_users_language(store, tmp_path):
    rows = records(2, seed=6)
    rows[1]["credit_code"] = "123"
    result = import_file(store, write_list(tmp_path / "zh.csv", rows), lang="zh")
    assert report(result)[0]["reason"] == "统一社会信用代码：应为 18 位，实际 3 位"


def test_a_code_failing_only_its_check_character_is_imported_with_a_warning(store, tmp_path):
    rows = records(3, seed=7)
    rows[1]["credit_code"] = bad_check_code(__import__("random").Random(1))
    result = import_file(store, write_list(tmp_path / "w.csv", rows))
    assert (result.imported, result.warned, result.rejected) == (3, 1, 0)
    [line] = report(result)
    assert (line["row"], line["field"], line["severity"]) == (2, "credit_code", "warning")
    assert "校验位应为" in line["reason"]
    stored(store, rows[1]["credit_code"])


def test_duplicates_within_the_file_the_later_row_wins(store, tmp_path):
    rows = records(4, seed=8)
    rows[3]["credit_code"] = rows[0]["credit_code"]
    rows[3]["enterprise_name"] = "后一行企业有限公司"
    result = import_file(store, write_list(tmp_path / "d.csv", rows))
    assert (result.imported, result.duplicates) == (3, 1)
    assert stored(store, rows[0]["credit_code"])["enterprise_name"] == "后一行企业有限公司"
    [line] = report(result)
    assert (line["row"], line["severity"]) == (1, "warning") and "第 4 行" in line["reason"]


def test_a_rejected_later_duplicate_does_not_hide_the_valid_earlier_row(store, tmp_path):
    rows = records(3, seed=9)
    rows[2]["credit_code"] = rows[0]["credit_code"]
    rows[2]["registered_on"] = "not a date"
    result = import_file(store, write_list(tmp_path / "d2.csv", rows))
    assert (result.imported, result.rejected, result.duplicates) == (2, 1, 0)
    assert stored(store, rows[0]["credit_code"])["enterprise_name"] == rows[0]["enterprise_name"]


def test_the_same_code_updates_the_enterprise_on_file_and_blank_cells_erase_nothing(store, tmp_path):
    rows = records(5, seed=10)
    first = import_file(store, write_list(tmp_path / "a.csv", rows))
    assert first.imported == 5
    ref = stored(store, rows[0]["credit_code"])["ref"]
    rows[0]["enterprise_name"] = "杭州新名字科技有限公司"
    rows[1]["annual_revenue"] = ""  # blank: keeps what is stored
    rows[2]["legal_rep_phone"] = "13900001111"
    again = import_file(store, write_list(tmp_path / "b.csv", rows))
    assert (again.imported, again.updated, again.unchanged) == (0, 2, 3)
    assert count(store) == 5
    ent = stored(store, rows[0]["credit_code"])
    assert ent["ref"] == ref and ent["enterprise_name"] == "杭州新名字科技有限公司"
    assert stored(store, rows[1]["credit_code"])["annual_revenue"] is not None
    assert stored(store, rows[2]["credit_code"])["rep_phone"] == "13900001111"
    # the search index follows the update
    assert [r["ref"] for r in store.enterprise_rows("新名字")] == [ref]
    assert [r["ref"] for r in store.enterprise_rows("1111")] == [stored(store, rows[2]["credit_code"])["ref"]]


def test_reimporting_the_same_list_changes_nothing(store, tmp_path):
    path = write_list(tmp_path / "same.csv", records(20, seed=11))
    import_file(store, path)
    before = store.db.execute("SELECT group_concat(updated_at) FROM enterprises").fetchone()[0]
    again = import_file(store, path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 20)
    assert store.db.execute("SELECT group_concat(updated_at) FROM enterprises").fetchone()[0] == before


def test_an_enterprise_from_intake_gets_its_listing_day_when_a_list_names_it(store, tmp_path):
    rows = records(2, seed=12)
    store.import_enterprises([{"enterprise_name": rows[0]["enterprise_name"], "credit_code": rows[0]["credit_code"]}])
    assert stored(store, rows[0]["credit_code"])["listed_on"] is None
    result = import_file(store, write_list(tmp_path / "l.csv", rows))
    assert (result.imported, result.updated) == (1, 1)
    from loandesk.core import clock

    assert {stored(store, r["credit_code"])["listed_on"] for r in rows} == {clock.today().isoformat()}
    batch = store.db.execute("SELECT file_name, rows, imported, updated, sha256 FROM import_batches").fetchall()
    assert [tuple(b[:4]) for b in batch] == [("l.csv", 2, 1, 1)] and len(batch[0][4]) == 64


def test_an_import_is_audited_without_personal_data(store, tmp_path):
    rows = records(3, seed=13)
    import_file(store, write_list(tmp_path / "a.csv", rows))
    [entry] = store.db.execute("SELECT action, details FROM audit WHERE action = 'import_list'").fetchall()
    assert '"imported": 3' in entry[1]
    assert not any(r["legal_rep_name"] in entry[1] or r["legal_rep_id"] in entry[1] for r in rows)


def _refused(store, path, lang="en") -> str:
    with pytest.raises((TableError, ListRefused)) as caught:
        import_file(store, path)
    assert count(store) == 0
    return caught.value.message(lang)


def test_whole_files_that_are_refused(store, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "empty" in _refused(store, tmp_path / "empty.csv")
    write_list(tmp_path / "header.csv", [])
    assert "no rows" in _refused(store, tmp_path / "header.csv")
    path = write_list(tmp_path / "cut.csv", records(5, seed=14))
    path.write_bytes(path.read_bytes().rstrip()[:-40])  # cut off in the middle of the last row
    assert "line 6" in _refused(store, path)
    (tmp_path / "picture.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    _refused(store, tmp_path / "picture.csv")
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert ".xls" in _refused(store, tmp_path / "old.xlsx")
    (tmp_path / "unknown.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    assert "no column" in _refused(store, tmp_path / "unknown.csv")
    (tmp_path / "nocode.csv").write_text("企业名称,法人\n杭州某某有限公司,王伟\n", encoding="utf-8")
    assert "Unified social credit code" in _refused(store, tmp_path / "nocode.csv")


def test_a_list_of_only_bad_rows_writes_nothing(store, tmp_path):
    rows = records(3, seed=15)
    for r in rows:
        r["credit_code"] = "bad"
    result = import_file(store, write_list(tmp_path / "bad.csv", rows))
    assert not result.written and result.rejected == 3 and count(store) == 0
    assert count(store, "import_batches") == 0


def _workbook(path, sheets: dict[str, list[dict]]):
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, rows in sheets.items():
            pd.DataFrame([{ZH[k]: v for k, v in r.items()} for r in rows]).to_excel(xw, sheet_name=name, index=False)
    return path


def test_xlsx_with_several_sheets_imports_the_sheet_asked_for(store, tmp_path):
    first, second = records(3, seed=16), records(4, seed=17)
    path = _workbook(tmp_path / "book.xlsx", {"说明": first, "名单": second})
    result = import_file(store, path, sheet="名单")
    assert (result.imported, result.sheet) == (4, "名单")
    stored(store, second[3]["credit_code"])
    with pytest.raises(TableError) as caught:
        import_file(store, path, sheet="没有")
    assert "说明, 名单" in caught.value.message("en")
    assert import_file(store, path).imported == 3  # no sheet named: the first


def test_a_chosen_mapping_reads_headers_loan_desk_does_not_know(store, tmp_path):
    rows = records(3, seed=18)
    path = write_list(tmp_path / "odd.csv", rows, {"enterprise_name": "主体", "credit_code": "代码号"},
                      columns=["enterprise_name", "credit_code"])  # fmt: skip
    mapping = {"主体": Mapped("enterprise_name"), "代码号": Mapped("credit_code")}
    assert import_file(store, path, mapping=mapping).imported == 3


def test_report_csv_columns_exactly(store, tmp_path):
    rows = records(2, seed=19)
    rows[0]["legal_rep_phone"] = "1"
    result = import_file(store, write_list(tmp_path / "r.csv", rows))
    out = io.StringIO(result.report.to_csv(index=False))
    assert next(csv.reader(out)) == ["row", "field", "value", "severity", "reason"]


def test_a_large_first_import_rebuilds_the_indexes_it_dropped(store, tmp_path, monkeypatch):
    from loandesk.storage import enterprise_import

    def indexes():
        return sorted(store.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('enterprises', 'persons')"))

    before = indexes()
    monkeypatch.setattr(enterprise_import, "REBUILD_INDEXES_AT", 10)
    rows = records(40, seed=60)
    assert import_file(store, write_list(tmp_path / "l.csv", rows)).imported == 40
    assert indexes() == before
    plan = " ".join(r[3] for r in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM enterprises WHERE credit_code = ?", [rows[0]["credit_code"]]))
    assert "enterprises_credit_code" in plan
    assert stored(store, rows[7]["credit_code"])["enterprise_name"] == rows[7]["enterprise_name"]


def test_full_width_and_spaced_cells_are_folded_and_the_rest_still_checked(store, tmp_path):
    import random

    rows = records(4, seed=61)
    code = rows[0]["credit_code"]
    rows[0]["credit_code"] = code.translate({ord(c): ord(c) + 0xFEE0 for c in code})  # full-width, as typed
    rows[1]["credit_code"] = bad_check_code(random.Random(3))
    rows[2]["legal_rep_phone"] = "+86 138-0000-1234"
    rows[3]["registered_on"] = "2019年3月5日"
    rows[3]["annual_revenue"] = "1,200"
    result = import_file(store, write_list(tmp_path / "w.csv", rows))
    assert (result.imported, result.warned, result.rejected) == (4, 1, 0), report(result)
    assert report(result)[0]["row"] == 2
    assert stored(store, code)["credit_code"] == code
    assert stored(store, rows[2]["credit_code"])["rep_phone"] == "13800001234"
    ent = stored(store, rows[3]["credit_code"])
    assert (ent["registered_on"], ent["annual_revenue"]) == ("2019-03-05", 12_000_000)


def test_a_reimport_is_compared_chunk_by_chunk(store, tmp_path, monkeypatch):
    from loandesk.storage import enterprise_import

    monkeypatch.setattr(enterprise_import, "BATCH", 4)
    rows = records(21, seed=62)
    import_file(store, write_list(tmp_path / "a.csv", rows[:15]))
    for i in (0, 5, 13):
        rows[i]["employees"] = "999"
    again = import_file(store, write_list(tmp_path / "b.csv", rows))
    assert (again.imported, again.updated, again.unchanged) == (6, 3, 12)
    assert {stored(store, rows[i]["credit_code"])["employees"] for i in (0, 5, 13)} == {999}
    assert count(store) == 21


def test_columns_a_list_leaves_blank_or_lacks_are_stored_empty_and_the_rest_in_full(store, tmp_path):
    """The insert names only the columns a batch fills (storage.enterprise_import._given): a column blank in
    every row, one the file lacks, and a person's column given for some rows only all land where they should."""
    rows = records(6, seed=4)
    for i, r in enumerate(rows):
        r["employees"] = ""  # blank in every row
        if i % 2:
            r["legal_rep_phone"] = ""  # given for some rows only
        if i == 5:
            r["legal_rep_name"] = r["legal_rep_id"] = r["legal_rep_phone"] = ""  # no legal representative
    columns = [c for c in ZH if c != "tax_grade"]  # a column the file lacks
    result = import_file(store, write_list(tmp_path / "list.csv", rows, columns=columns))
    assert result.imported == 6 and result.rejected == 0
    for i, r in enumerate(rows):
        got = stored(store, r["credit_code"])
        assert got["employees"] is None and got["tax_grade"] is None
        assert got["enterprise_name"] == r["enterprise_name"] and got["industry"] == r["industry"]
        assert got["annual_revenue"] == int(r["annual_revenue"]) * 10_000  # 万元 in the header
        if i == 5:
            assert got["legal_rep_person_id"] is None and got["rep"] is None
        else:
            assert (got["rep"], got["rep_id"]) == (r["legal_rep_name"], r["legal_rep_id"])
            assert got["rep_phone"] == (None if i % 2 else r["legal_rep_phone"])
    assert count(store, "persons") == 5
    # and all of them findable: by name, by the legal representative, by a phone's last four digits
    assert store.count_enterprises(rows[0]["enterprise_name"][:4]) >= 1
    assert rows[2]["credit_code"] in {e["credit_code"] for e in store.enterprise_rows(rows[2]["legal_rep_phone"][-4:])}


def test_blank_text_cells_of_a_reimported_list_erase_nothing(store, tmp_path):
    rows = records(4, seed=12)
    import_file(store, write_list(tmp_path / "a.csv", rows))
    before = [stored(store, r["credit_code"]) for r in rows]
    rows[0]["legal_rep_phone"] = rows[1]["industry"] = rows[2]["legal_rep_name"] = rows[3]["list_branch"] = ""
    again = import_file(store, write_list(tmp_path / "b.csv", rows))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 4)
    assert [stored(store, r["credit_code"]) for r in rows] == before
