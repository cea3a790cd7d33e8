"""Batch scoring of 1,000,000 rows: our vectorised card scoring vs scorecardpy's and optbinning's own.

scorecardpy 0.1.9.7 does not run on pandas 3, so both tools run in a tool environment
(.bench/cardtools, created here with pinned versions if missing) in the same benchmark run: the tool
side fits each card on generated data, writes card + 1,000,000 scoring rows, and times its own
scoring (``scorecard_ply``, ``Scorecard.score``) on the in-memory frame, saving its totals. This side
times ``Card.score_frame`` on the same rows (typed frame, like the tools) and the whole CSV-text path
(``batch.score_with_card``: parsing, checks, output frame), and checks every total against the tool's.
The tool side reads the rows back with ``float_precision="round_trip"``: pandas' default fast float
parser can be one ulp off, which moves values written next to a bin edge into the other bin.
Usage: python tests/benchmarks/bench_scoring.py [ROWS]
"""

from __future__ import annotations

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
    python = ensure_tools()
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
