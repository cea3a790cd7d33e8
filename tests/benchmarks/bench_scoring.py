"""Batch scoring of 1,000,000 rows: a rule pack over a data dictionary file, and imported cards
against scorecardpy's and optbinning's own scoring.

Rule pack: a generated 1,000,000-row CSV in the data dictionary's columns (text as users' files hold
it, a few formatted amounts like '1,234,567' and blanks) scored with the default pack by
``batch.score_with_pack`` (parsing, checks, derived variables, knock-outs, limit, pricing, reasons).
Baselines measured in the same run on the same file: pandas reading it (``read_csv`` as text, as the
batch does) and a plain vectorised pandas pass (``read_csv(thousands=",")`` typing every column in C,
then one ``pd.to_numeric`` per numeric column) -- what it costs just to get the numbers. The
file-to-file figure adds reading and writing the output CSV (every input column, points, reasons).

Cards:

scorecardpy 0.1.9.7 does not run on pandas 3, so both tools run in a tool environment
(.bench/cardtools, created here with pinned versions if missing) in the same benchmark run: the tool
side fits each card on generated data, writes card + 1,000,000 scoring rows, and times its own
scoring (``scorecard_ply``, ``Scorecard.score``) on the in-memory frame, saving its totals. This side
times ``Card.score_frame`` on the same rows (typed frame, like the tools) and the whole CSV-text path
(``batch.score_with_card``: parsing, checks, output frame), and checks every total against the tool's.
The tool side reads the rows back with ``float_precision="round_trip"``: pandas' default fast float
parser can be one ulp off, which moves values written next to a bin edge into the other bin.
If the tool environment cannot be made (no network), the card comparison is reported as skipped and
the rule-pack figures still stand. Usage: python tests/benchmarks/bench_scoring.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".bench" / "cardtools"
WORK = ROOT / ".bench" / "scoring"
PINS = ["scorecardpy==0.1.9.7", "optbinning==1.0.0", "pandas==2.3.3", "numpy==2.2.6"]

TOOL_SIDE = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, sys.argv[1])
import numpy as np, pandas as pd
import make_fixtures as mf
out = __import__("pathlib").Path(sys.argv[2]); rows = int(sys.argv[3])
mf.scorecardpy_fixture(out, rows); mf.optbinning_fixture(out, rows)
import scorecardpy as sc
from optbinning import BinningProcess, Scorecard
from sklearn.linear_model import LogisticRegression
times = {}
card = pd.read_csv(out / "sc_card.csv")
data = pd.read_csv(out / "sc_data.csv", float_precision="round_trip")
t = time.perf_counter(); s = sc.scorecard_ply(data, card, print_step=0)["score"].to_numpy()
times["scorecardpy"] = time.perf_counter() - t
np.save(out / "sc_tool.npy", s)
df, y = mf.training()
process = BinningProcess(list(df.columns), categorical_variables=["tax_grade", "industry"],
    binning_fit_params={"avg_annual_tax": {"special_codes": [-1.0]}, "employees": {"special_codes": [-9]}})
model = Scorecard(binning_process=process, estimator=LogisticRegression(max_iter=1000), scaling_method="pdo_odds",
    scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600}).fit(df, y)
data = pd.read_csv(out / "ob_data.csv", float_precision="round_trip")
t = time.perf_counter(); s = model.score(data[list(df.columns)]); times["optbinning"] = time.perf_counter() - t
np.save(out / "ob_tool.npy", s)
json.dump(times, open(out / "tool_times.json", "w"))
"""


PACK_AS_OF = dt.date(2026, 11, 22)  # inside the default pack's validity
NUMERIC = ["employees", "annual_revenue", "total_assets", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m",
           "social_insurance_headcount", "requested_amount", "term_months"]  # fmt: skip


def pack_rows(rows: int, seed: int = 3) -> pd.DataFrame:
    """Applicants in the data dictionary's columns, as text: mostly clean, 2% amounts with thousands
    separators, some blank loan histories and terms, a few knock-outs."""
    rng = np.random.default_rng(seed)
    revenue = rng.integers(500_000, 40_000_000, rows)
    tax12 = revenue // rng.integers(20, 80, rows)
    registered = np.datetime64("2001-01-01") + rng.integers(0, 9000, rows).astype("timedelta64[D]")
    frame = pd.DataFrame({
        "enterprise_name": np.char.add("企业", np.arange(rows).astype(str)),
        "industry": rng.choice(["RET", "IND", "WHS", "SWS", "CAT", "零售业"], rows),
        "registered_on": registered.astype(str), "employees": rng.integers(1, 300, rows).astype(str),
        "annual_revenue": revenue.astype(str), "total_assets": (revenue // 2).astype(str),
        "tax_grade": rng.choice(list("ABMCD"), rows, p=[0.3, 0.3, 0.2, 0.12, 0.08]),
        "tax_paid_12m": tax12.astype(str), "tax_paid_24m": (tax12 + revenue // rng.integers(20, 80, rows)).astype(str),
        "invoice_sales_12m": (revenue * rng.uniform(0.3, 1, rows)).astype(np.int64).astype(str),
        "social_insurance_headcount": rng.integers(0, 200, rows).astype(str),
        "abnormal_operation": rng.choice(["否", "no", "是"], rows, p=[0.6, 0.38, 0.02]),
        "dishonest_debtor": rng.choice(["否", "no", "yes"], rows, p=[0.6, 0.39, 0.01]),
        "has_loan_history": rng.choice(["否", "是", ""], rows, p=[0.5, 0.4, 0.1]),
        "requested_amount": (rng.integers(1, 300, rows) * 10_000).astype(str),
        "term_months": rng.choice(["12", "6", "24", ""], rows),
    })  # fmt: skip
    formatted = rng.random(rows) < 0.02
    frame.loc[formatted, "annual_revenue"] = [f"{v:,}" for v in revenue[formatted]]
    return frame


def bench_pack(rows: int) -> int:
    from loandesk.scoring.batch import read_table, score_with_pack, write_table
    from loandesk.scoring.pack import default_pack_path, load_pack

    path = WORK / f"pack_data_{rows}.csv"
    if not path.exists():
        pack_rows(rows).to_csv(path, index=False)
    pack = load_pack(default_pack_path(), today=PACK_AS_OF)
    t = time.perf_counter()
    pd.read_csv(path, dtype=str, keep_default_na=False)
    read_text = time.perf_counter() - t
    t = time.perf_counter()
    typed = pd.read_csv(path, thousands=",")  # pandas' C parser types every column, '1,234,567' included
    for name in NUMERIC:
        pd.to_numeric(typed[name], errors="coerce")
    plain = time.perf_counter() - t
    raw = read_table(path)
    t = time.perf_counter()
    out = score_with_pack(raw, pack, "bench", "zh", PACK_AS_OF)
    score = time.perf_counter() - t
    t = time.perf_counter()
    write_table(score_with_pack(read_table(path), pack, "bench", "zh", PACK_AS_OF), WORK / "pack_out.csv")
    whole = time.perf_counter() - t
    (WORK / "pack_out.csv").unlink()  # ~400 MB of output: measured, not kept
    n = len(out)
    decided = out["decision"].value_counts().to_dict()
    print(f"pack_score_{n}: {score:.3f} s  (baseline pandas read_csv of the same file as text: {read_text:.3f} s; "
          f"ratio {score / read_text:.1f}x)")
    print(f"pack_score_{n}: {score:.3f} s  (baseline plain vectorised pandas pass, read_csv + to_numeric: "
          f"{plain:.3f} s; ratio {score / plain:.1f}x)")
    print(f"pack_score_{n}_file_to_file: {whole:.3f} s  (baseline pandas read_csv of the same file as text: "
          f"{read_text:.3f} s; ratio {whole / read_text:.1f}x)")
    print(f"# {n:,} rows, {score / n * 1e6:.2f} us/row; decisions {decided}", flush=True)
    return 0


def ensure_tools() -> Path:
    python = TOOLS / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PINS], check=True)
    return python


def ours(prefix: str, special: dict | None) -> tuple[float, float, np.ndarray]:
    from loandesk.scoring.batch import score_with_card
    from loandesk.scoring.importers import read_card

    card = read_card(WORK / f"{prefix}_card.csv", special_codes=special)
    raw = pd.read_csv(WORK / f"{prefix}_data.csv", dtype=str, keep_default_na=False)
    typed = pd.DataFrame({v.name: (pd.to_numeric(raw[v.name].replace("", None)).astype(float) if v.kind == "numeric"
                                   else raw[v.name].replace("", None)) for v in card.variables})  # fmt: skip
    ints = frozenset(v.name for v in card.variables if v.kind == "numeric" and pd.to_numeric(
        raw[v.name].replace("", None)).dtype.kind == "i")  # fmt: skip
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        scores = card.score_frame(typed, ints)["score"].to_numpy()
        best = min(best, time.perf_counter() - t)
    t = time.perf_counter()
    score_with_card(raw, card)
    whole = time.perf_counter() - t
    return best, whole, scores


def main(argv: list[str]) -> int:
    rows = int(argv[0]) if argv else 1_000_000
    WORK.mkdir(parents=True, exist_ok=True)
    failed = bench_pack(rows)
    try:
        python = ensure_tools()
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"# card comparison skipped: the scorecardpy/optbinning tool environment could not be made ({exc})")
        return failed
    t = time.perf_counter()
    subprocess.run([str(python), "-c", TOOL_SIDE, str(ROOT / "tests/data/scoring"), str(WORK), str(rows)],
                   check=True, stderr=subprocess.DEVNULL)  # fmt: skip
    print(f"# tool side (fit, write {rows:,} rows, score): {time.perf_counter() - t:.1f} s", flush=True)
    tool = json.loads((WORK / "tool_times.json").read_text())
    for prefix, name, special in (("sc", "scorecardpy", None),
                                  ("ob", "optbinning", {"avg_annual_tax": [-1.0], "employees": [-9]})):  # fmt: skip
        ours_t, whole_t, scores = ours(prefix, special)
        want = np.load(WORK / f"{prefix}_tool.npy")
        diff = float(np.max(np.abs(scores - want)))
        n = len(scores)
        print(f"card_score_{name}_{n}: {ours_t:.3f} s  (baseline {name} own scoring: {tool[name]:.3f} s; "
              f"ratio {tool[name] / ours_t:.1f}x faster; max |diff| {diff:.1e})")
        print(f"card_score_{name}_{n}_from_csv_text: {whole_t:.3f} s  (baseline {name} own scoring: "
              f"{tool[name]:.3f} s; ratio {tool[name] / whole_t:.1f}x)")
        if diff > 1e-9:
            print(f"MISMATCH against {name}")
            return 1
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
