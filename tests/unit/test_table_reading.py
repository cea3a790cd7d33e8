"""lists.reading: a table is read whole and exactly, or refused with the line and the reason.

Real files on disk in each encoding (a Big5 file made by the big5 codec, a GBK one by the gbk codec),
real workbooks written by openpyxl, real bytes of garbage."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from loandesk.core.redact import safe_text, safe_value
from loandesk.lists.reading import TableError, column_letter, read_table
from loandesk.scoring.inputs import header_field

HEAD = "enterprise_name,legal_rep_name,annual_revenue,employees\n"


def _file(tmp_path, name: str, content: bytes | str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def _refused(path, **kw) -> TableError:
    with pytest.raises(TableError) as err:
        read_table(path, field_of=header_field, **kw)
    for lang in ("en", "zh"):
        assert "\n" not in err.value.message(lang)  # one line, in both languages
    return err.value


def test_utf8_gbk_and_bom_files_read_as_the_same_text(tmp_path):
    rows = "杭州恒瑞贸易有限公司,王伟,3000000,12\n宁波鑫源有限公司,欧阳娜娜,\"1,200,000\",8\n"
    want = [["杭州恒瑞贸易有限公司", "王伟", "3000000", "12"], ["宁波鑫源有限公司", "欧阳娜娜", "1,200,000", "8"]]
    for name, enc in (("u.csv", "utf-8"), ("b.csv", "utf-8-sig"), ("g.csv", "gbk"), ("g18.csv", "gb18030")):
        frame = read_table(_file(tmp_path, name, HEAD + rows, enc), field_of=header_field, require_known=True)
        assert list(frame.columns) == HEAD.strip().split(",") and frame.values.tolist() == want, name


def test_chinese_headers_and_a_rare_name_character_in_gbk_are_accepted(tmp_path):
    text = "企业名称,法定代表人,营业收入(万元)\n杭州喆泰科技有限公司,王喆,300\n宁波堃源贸易有限公司,李堃,50\n"
    frame = read_table(_file(tmp_path, "zh.csv", text, "gbk"), field_of=header_field, require_known=True)
    assert frame["法定代表人"].tolist() == ["王喆", "李堃"]  # 喆 and 堃 are GBK, not GB2312: still plausible


def test_a_big5_file_is_refused_not_misread(tmp_path):
    # Traditional Chinese headers and names, as a Taiwan or Hong Kong system exports them
    zh_headers = "企業名稱,法定代表人,營業收入\n台北永豐貿易有限公司,陳大文,3000000\n高雄興業有限公司,林美玲,5000000\n"
    err = _refused(_file(tmp_path, "big5.csv", zh_headers, "big5"))
    assert "Big5" in err.message("en") and "Big5" in err.message("zh")
    # dictionary headers in ASCII, so only the values are Big5: the names would have been scored garbled
    ascii_headers = HEAD + "台北永豐貿易有限公司,陳大文,3000000,12\n高雄興業有限公司,張偉,5000000,8\n"
    err = _refused(_file(tmp_path, "big5b.csv", ascii_headers, "big5"))
    assert err.line == 2 and "line 2" in err.message("en")


def test_bytes_that_decode_in_no_encoding_name_the_line(tmp_path):
    data = (HEAD + "A,王伟,1,2\n").encode("utf-8") + b"B,\x81\x20,1,2\n"  # \x81 then a space: not GB18030 either
    err = _refused(_file(tmp_path, "bad.csv", data))
    assert err.line == 3 and "line 3" in err.message("en")


def test_a_replacement_character_is_refused(tmp_path):
    err = _refused(_file(tmp_path, "fffd.csv", HEAD + "A,王\ufffd,1,2\n"))
    assert err.line == 2


@pytest.mark.parametrize("name, content, line, en", [
    ("empty.csv", b"", None, "is empty"),
    ("blank.csv", b"\n \r\n", None, "is empty"),
    ("header.csv", HEAD.encode(), None, "has a header but no rows"),
    ("quote.csv", (HEAD + 'A,王伟,1,2\nB,"李娜,1,2\nC,张三,1,2\n').encode(), 3, "never closed"),
    ("long.csv", (HEAD + "A,王伟,1,2\nB,李娜,1,2,3,4\n").encode(), 3, "line 3 has 6 fields, the header 4"),
    ("short.csv", (HEAD + "A,王伟,1,2\nB,李娜,1\nC,张三,1,2\n").encode(), 3, "line 3 has 3 fields, the header 4"),
    ("cut.csv", (HEAD + "A,王伟,1,2\nB,李娜,1").encode(), 3, "line 3 has 3 fields, the header 4"),
    ("quoted_short.csv", (HEAD + 'A,"王伟, 李娜",1\n').encode(), 2, "line 2 has 3 fields, the header 4"),
    ("binary.csv", b"\x00\x01" + os.urandom(4096), 1, "not a text table"),
    ("zip.csv", b"PK\x03\x04" + os.urandom(200), None, "name it .xlsx"),
    ("utf16.csv", HEAD.encode("utf-16"), None, "UTF-16"),
    ("garbage.xlsx", os.urandom(3000), None, "not an Excel workbook"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(500), None, "old-format .xls"),
    ("brokenzip.xlsx", b"PK\x03\x04" + os.urandom(3000), None, "cannot be opened as an Excel workbook"),
    ("dup.csv", b"enterprise_name,annual_revenue,annual_revenue\nA,1,2\n", 1, "columns B and C have the same header"),
    ("twonames.csv", "营业收入(万元),enterprise_name,annual_revenue\n1,A,2\n".encode(), 1, "(both annual_revenue)"),
    ("unknown.csv", b"foo\n1\n2\n", 1, "no column is one Loan Desk knows"),
])  # fmt: skip
def test_bad_tables_are_refused_by_line(tmp_path, name, content, line, en):
    err = _refused(_file(tmp_path, name, content), require_known=True)
    assert en in err.message("en") and err.line == line
    assert err.message("zh") != err.message("en")


def test_a_quoted_cell_with_commas_and_a_line_break_is_one_cell(tmp_path):
    text = HEAD + 'A,王伟,"1,200,000",2\n"B\n(分公司)",李娜,5,6\n'
    frame = read_table(_file(tmp_path, "ok.csv", text), field_of=header_field)
    assert frame.values.tolist() == [["A", "王伟", "1,200,000", "2"], ["B\n(分公司)", "李娜", "5", "6"]]


def test_a_row_shifted_into_an_extra_column_is_not_read_as_an_index(tmp_path):
    # every data row one field longer: pandas would silently take the first column as the index
    err = _refused(_file(tmp_path, "shift.csv", HEAD + "A,王伟,1,2,3\nB,李娜,1,2,3\n"))
    assert err.line == 2 and "5 fields" in err.message("en")


def test_header_only_is_a_table_when_the_caller_allows_it(tmp_path):
    frame = read_table(_file(tmp_path, "h.csv", HEAD), allow_empty=True)
    assert frame.empty and list(frame.columns) == HEAD.strip().split(",")


def test_xlsx_is_read_as_text_without_the_sheet_s_blank_margins(tmp_path):
    path = tmp_path / "in.xlsx"
    grid = pd.DataFrame([["enterprise_name", "annual_revenue", None], ["A", 3000000, None], ["B", None, None],
                         [None, None, None]])  # fmt: skip
    grid.to_excel(path, header=False, index=False)
    frame = read_table(path, field_of=header_field, require_known=True)
    assert list(frame.columns) == ["enterprise_name", "annual_revenue"]
    assert frame.values.tolist() == [["A", "3000000"], ["B", ""]]
    empty = tmp_path / "empty.xlsx"
    pd.DataFrame().to_excel(empty, index=False)
    assert "is empty" in _refused(empty).message("en")


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    assert "not found" in _refused(tmp_path / "nope.csv").message("en")
    assert "is a folder" in _refused(tmp_path).message("en")


def test_messages_show_no_personal_data(tmp_path):
    # a file without its header line: the first row (a name, an ID number, a phone) is taken as the header
    row = "王伟,330106199003077715,13812345678\n"
    err = _refused(_file(tmp_path, "nohead.csv", row + row), require_known=True)
    for lang in ("en", "zh"):
        text = err.message(lang)
        assert "王伟" not in text and "330106199003077715" not in text and "13812345678" not in text
        assert "王*" in text and "330106********7715" in text and "138****5678" in text


def test_safe_text_masks_what_looks_personal_and_keeps_the_rest():
    assert safe_text("很多") == "很多" and safe_text("lots") == "lots" and safe_text("1,200,000") == "1,200,000"
    assert safe_text("欧阳娜娜") == "欧***" and safe_text("王伟 13812345678") == "王* 138****5678"
    assert safe_text("9" * 40) == "9" * 24 + "…"
    assert safe_value("legal_rep_name", "Zhang San") == "Z********" and safe_value("legal_rep_id", "12") == "**"


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.parametrize("rows", [1, 3, 30])
def test_gbk_lists_of_every_size_are_accepted(tmp_path, rows):
    import random

    from loandesk.demo import demo_record

    rng = random.Random(rows)
    records = [demo_record(rng, i) for i in range(rows)]
    text = "企业名称,法定代表人,贷款用途\n" + "".join(
        f"{r['enterprise_name']},{r['legal_rep_name']},{r['purpose']}\n" for r in records)  # fmt: skip
    frame = read_table(_file(tmp_path, "list.csv", text, "gbk"), field_of=header_field, require_known=True)
    assert frame["法定代表人"].tolist() == [r["legal_rep_name"] for r in records]


def test_a_tiny_file_is_judged_by_which_reading_is_more_ordinary(tmp_path):
    # two characters of Big5 (張偉) read as GBK give 眎岸: nothing impossible, but Big5 reads them as common
    err = _refused(_file(tmp_path, "tiny_big5.csv", "legal_rep_name\n張偉\n", "big5"))
    assert "Big5" in err.message("en")
    # a mainland list with rare name characters outside GB2312 (喆, 堃) is GBK, never Big5
    frame = read_table(_file(tmp_path, "tiny_gbk.csv", "法定代表人,企业名称\n王喆,喆堃科技\n", "gbk"))
    assert frame.values.tolist() == [["王喆", "喆堃科技"]]


def test_a_long_big5_list_is_refused_by_the_share_of_odd_characters(tmp_path):
    names = ["陳大文", "林美玲", "黃志明", "張偉", "李麗華", "吳淑芬", "劉德華", "蔡英傑"]
    firms = ["台北永豐貿易有限公司", "高雄興業有限公司", "台中精密機械股份有限公司", "新竹電子科技有限公司"]
    text = "企業名稱,法定代表人\n" + "".join(f"{firms[i % 4]},{names[i % 8]}\n" for i in range(120))
    err = _refused(_file(tmp_path, "long_big5.csv", text, "big5"))
    assert "Big5" in err.message("en") and err.line == 1


def test_a_large_file_is_sampled_for_its_encoding_and_a_bad_byte_named_by_line(tmp_path):
    rows = 130_000  # ~7 MB: judged on samples from its start, middle and end
    body = "".join(f"杭州恒瑞贸易有限公司{i},王伟,{1000 + i}\n" for i in range(rows))
    gbk = ("企业名称,法定代表人,营业收入\n" + body).encode("gbk")
    frame = read_table(_file(tmp_path, "big_gbk.csv", gbk), field_of=header_field, require_known=True)
    assert len(frame) == rows and frame.iloc[-1, 2] == str(999 + rows)
    big5 = ("企業名稱,法定代表人,營業收入\n" + body.replace("杭州恒瑞贸易", "台北永豐貿易").replace("王伟", "陳大文")
            ).encode("big5")  # fmt: skip
    assert "Big5" in _refused(_file(tmp_path, "big_big5.csv", big5)).message("en")
    at = gbk.index("杭州恒瑞贸易有限公司70000,".encode("gbk"))
    broken = gbk[:at] + b"\x81\x20" + gbk[at + 2 :]  # a lead byte and a space: no encoding decodes it
    err = _refused(_file(tmp_path, "broken_gbk.csv", broken))
    assert err.line == 70_002 and "line 70002" in err.message("en")


def test_damaged_utf8_is_named_as_such_not_tried_as_gbk(tmp_path):
    good = (HEAD + "杭州恒瑞贸易有限公司,王伟,1,2\n宁波鑫源有限公司,李娜,3,4\n").encode()
    err = _refused(_file(tmp_path, "cut.csv", good[:-3]))  # cut after a cell: a short last row
    assert "line 3 has 3 fields" in err.message("en")
    cut = good[: good.index("李娜".encode()) + 4]  # 李 and half of 娜
    err = _refused(_file(tmp_path, "cut_char.csv", cut))
    assert "cut off" in err.message("en") and err.line == 3
    at = good.index("宁波".encode())
    damaged = good[:at] + b"\xff" + good[at + 1 :]
    err = _refused(_file(tmp_path, "damaged.csv", damaged))
    assert "not UTF-8 text" in err.message("en") and err.line == 3 and "Big5" not in err.message("en")
