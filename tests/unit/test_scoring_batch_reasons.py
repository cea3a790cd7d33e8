"""A batch file's reasons column (built once per distinct outcome, scoring/explain.py ``reason_texts``)
says, row for row, what the single result says: 800 generated applicants of every kind (knock-outs,
blanks, formatted amounts, long terms, unknown loan histories), both languages; and the derived
variables a batch adds are those the single result computes."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest

from loandesk.scoring.batch import score_with_pack, typed_for_pack
from loandesk.scoring.engine import evaluate
from loandesk.scoring.explain import explain
from loandesk.scoring.inputs import derive
from loandesk.scoring.pack import default_pack_path, load_pack

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_scoring import pack_rows  # the benchmark's generator: rows like users' files

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def scored():
    pack = load_pack(default_pack_path(), today=TODAY)
    raw = pack_rows(800, seed=5)
    raw.loc[raw.index[::7], "term_months"] = "48"  # over the product's maximum: shortened
    raw.loc[raw.index[::11], "tax_paid_24m"] = ""  # required: referred, said missing
    ev = evaluate(pack, derive(typed_for_pack(raw, "in", TODAY, pack), TODAY))
    return pack, raw, ev


def test_every_rows_reasons_are_the_single_results(scored):
    pack, raw, ev = scored
    files = {lang: score_with_pack(raw, pack, "in", lang, TODAY)["reasons"] for lang in ("en", "zh")}
    for i in range(len(raw)):
        result = explain(pack, ev, i)
        assert files["en"].iloc[i] == "; ".join(result.texts("reasons", "en")), i
        assert files["zh"].iloc[i] == "；".join(result.texts("reasons", "zh")), i
    decisions = set(ev.decision)
    assert len(set(files["en"])) > 50 and decisions == {"approve", "refer", "decline"}


def test_the_derived_variables_are_computed_whatever_the_file_holds(scored):
    pack, raw, ev = scored
    frame = ev.frame
    assert np.allclose(frame["avg_annual_tax"], frame["tax_paid_24m"] / 2, equal_nan=True)
    with_derived = raw.assign(months_in_operation="999")  # a column named like a derived variable: recomputed
    again = derive(typed_for_pack(with_derived, "in", TODAY, pack), TODAY)
    assert np.array_equal(again["months_in_operation"], frame["months_in_operation"], equal_nan=True)
    assert list(again["size_class"]) == list(frame["size_class"])
