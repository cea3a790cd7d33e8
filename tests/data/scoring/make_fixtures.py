"""Build the scorecard fixtures with the modellers' own tools (scorecardpy 0.1.9.7, optbinning 1.0.0).

scorecardpy 0.1.9.7 does not run on pandas 3 (it calls ``pd.to_numeric(errors="ignore")``), so
this script runs in a separate tool environment, not in the project's .venv:

    python3 -m venv .bench/cardtools
    .bench/cardtools/bin/pip install scorecardpy==0.1.9.7 optbinning==1.0.0 pandas==2.3.3 numpy==2.2.6
    .bench/cardtools/bin/python tests/data/scoring/make_fixtures.py

It fits each tool on generated data, exports the card exactly as the tools document
(scorecardpy: ``pd.concat(card).to_csv()``; optbinning: ``Scorecard.table(style="detailed").to_csv()``),
then scores a small test set with the tool itself and writes the tool's totals with full precision.
The test set holds every awkward case: values on bin edges, missing values, special values,
unseen categories, +/-inf and values far outside the training range.

Outputs (small, committed): {sc,ob}_card.csv, {sc,ob}_data.csv, {sc,ob}_scores.csv, and
{sc,ob}_tokens_data.csv / _scores.csv: a user's CSV holding pandas' missing-value texts (NA, N/A,
null, empty...) and labels with stray spaces, read by each tool with ``pd.read_csv`` defaults and
scored by the tool itself, with their cards ({sc,ob}_tokens_card.csv; ``--only-tokens`` rebuilds
just these, so the older fixtures stay as they were made).
``--rows N --out DIR`` writes an N-row scoring set for the benchmark instead.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
HERE = Path(__file__).resolve().parent
GRADES = list("ABMCD")


def training(n: int = 4000, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "months_in_operation": rng.integers(1, 240, n).astype(float),
            "avg_annual_tax": rng.gamma(2.0, 40_000, n).round(0),
            "employees": rng.integers(1, 300, n),  # integer column: scorecardpy matches special values on it
            "tax_grade": rng.choice(GRADES, n, p=[0.3, 0.3, 0.2, 0.12, 0.08]),
            "industry": rng.choice(["IND", "WHS", "RET", "SWS", "CAT", "OTH"], n),
        }
    )
    df.loc[rng.random(n) < 0.05, "months_in_operation"] = np.nan
    df.loc[rng.random(n) < 0.04, "avg_annual_tax"] = -1.0  # special: tax data not authorised
    df.loc[rng.random(n) < 0.03, "employees"] = -9  # special: headcount unknown
    df.loc[rng.random(n) < 0.04, "tax_grade"] = np.nan
    logit = (
        -1.5
        + 0.012 * df.months_in_operation.fillna(40)
        + df.tax_grade.map({"A": 1.2, "B": 0.8, "M": 0.2, "C": -0.6, "D": -1.2}).fillna(0)
        + 0.000004 * df.avg_annual_tax.clip(0)
        + 0.002 * df.employees.clip(0)
        + df.industry.map({"SWS": 0.3, "CAT": -0.4}).fillna(0)
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return df, y


def awkward_rows(numeric_edges: dict[str, list[float]], categories: dict[str, list[str]], n: int, seed: int):
    """Scoring rows: random values plus every edge, missing, special, unseen and infinite value."""
    rng = np.random.default_rng(seed)
    base, _ = training(n, seed)
    extra = []
    for var, edges in numeric_edges.items():
        for edge in edges:
            for value in (edge, np.nextafter(edge, -np.inf), edge + 0.5):
                row = base.iloc[int(rng.integers(len(base)))].to_dict()
                row[var] = value
                extra.append(row)
    for var, special in (("avg_annual_tax", -1.0), ("employees", -9), ("months_in_operation", np.inf),
                         ("avg_annual_tax", -np.inf), ("avg_annual_tax", 1e12), ("months_in_operation", -5.0)):
        row = base.iloc[int(rng.integers(len(base)))].to_dict()
        row[var] = special
        extra.append(row)
    for var in categories:
        for unseen in ("Z", "未知"):
            row = base.iloc[int(rng.integers(len(base)))].to_dict()
            row[var] = unseen
            extra.append(row)
        row = base.iloc[int(rng.integers(len(base)))].to_dict()
        row[var] = np.nan
        extra.append(row)
    data = pd.concat([base, pd.DataFrame(extra)], ignore_index=True)
    data["employees"] = data["employees"].astype("int64")
    return data


def scorecardpy_fixture(out: Path, rows: int | None) -> None:
    import scorecardpy as sc
    from sklearn.linear_model import LogisticRegression

    df, y = training()
    df = df.assign(y=y)
    bins = sc.woebin(df, y="y", special_values={"avg_annual_tax": [-1.0], "employees": [-9]}, print_step=0)
    woe = sc.woebin_ply(df, bins, print_step=0)
    x = woe.drop(columns="y")
    model = LogisticRegression(max_iter=1000).fit(x, woe["y"])
    card = sc.scorecard(bins, model, x.columns)
    card_df = pd.concat(card)
    card_df.to_csv(out / "sc_card.csv")
    edges = {}
    for var in ("months_in_operation", "avg_annual_tax", "employees"):
        found = [re.match(r".*\[(.*),.+\).*", b) for b in card_df.loc[card_df.variable == var, "bin"].astype(str)]
        edges[var] = [float(m.group(1)) for m in found if m and m.group(1) != "-inf"]
    data = awkward_rows(edges, {"tax_grade": [], "industry": []}, rows or 200, seed=11)
    write_scores(out, "sc", data, sc.scorecard_ply(data, card, print_step=0)["score"].to_numpy(), rows)


def optbinning_fixture(out: Path, rows: int | None) -> None:
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression

    df, y = training()
    names = list(df.columns)
    process = BinningProcess(
        names,
        categorical_variables=["tax_grade", "industry"],
        binning_fit_params={"avg_annual_tax": {"special_codes": [-1.0]}, "employees": {"special_codes": [-9]}},
    )
    card = Scorecard(
        binning_process=process,
        estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    )
    card.fit(df, y)
    table = card.table(style="detailed")
    table.to_csv(out / "ob_card.csv")
    edges = {}
    for var in ("months_in_operation", "avg_annual_tax", "employees"):
        texts = table.loc[table.Variable == var, "Bin"].astype(str)
        edges[var] = [float(m.group(1)) for t in texts if (m := re.match(r"\[([-0-9.]+),", t))]
    data = awkward_rows(edges, {"tax_grade": [], "industry": []}, rows or 200, seed=12)
    write_scores(out, "ob", data, card.score(data[names]), rows)


# Missing-value texts pandas' read_csv reads as NaN by default, and labels a tool does not trim.
NA_TOKENS = ["NA", "N/A", "n/a", "null", "NULL", "NaN", "nan", "None", "#N/A", "<NA>", "-nan", ""]
SPACED = ["A ", " B", "M  ", "RET ", " SWS", "CAT\t", "A\u3000"]


def tokens_csv(data: pd.DataFrame, path: Path, seed: int) -> None:
    """The scoring rows as a user's CSV: numbers with full precision, then in ~6% of cells a missing
    token, in ~3% of category cells a label with a leading or trailing space, a few numbers padded with
    spaces (pandas reads those as numbers)."""
    rng = np.random.default_rng(seed)
    text = data.astype(object).where(data.notna(), "").map(lambda v: v if isinstance(v, str) else f"{v:.17g}")
    n = len(text)
    for col in text.columns:
        hit = rng.random(n) < 0.06
        text.loc[hit, col] = rng.choice(NA_TOKENS, int(hit.sum()))
        if col in ("tax_grade", "industry"):
            spaced = rng.random(n) < 0.03
            text.loc[spaced, col] = rng.choice(SPACED, int(spaced.sum()))
        elif col != "employees":  # padded numbers: still numbers to pandas
            padded = (rng.random(n) < 0.01) & ~hit
            text.loc[padded, col] = " " + text.loc[padded, col] + " "
    text.to_csv(path, index=False)


def tool_read(path: Path) -> pd.DataFrame:
    """How a modeller reads the file: pandas' defaults (round-trip floats: exact edges)."""
    return pd.read_csv(path, float_precision="round_trip")


def tokens_fixture(out: Path) -> None:
    """Rows holding NA/N/A/null/empty and spaced labels, scored by each tool from the CSV file itself."""
    import scorecardpy as sc
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression

    df, y = training()
    bins = sc.woebin(df.assign(y=y), y="y", special_values={"avg_annual_tax": [-1.0], "employees": [-9]},
                     print_step=0)  # fmt: skip
    woe = sc.woebin_ply(df.assign(y=y), bins, print_step=0).drop(columns="y")
    card = sc.scorecard(bins, LogisticRegression(max_iter=1000).fit(woe, y), woe.columns)
    pd.concat(card).to_csv(out / "sc_tokens_card.csv")
    data = awkward_rows({}, {"tax_grade": [], "industry": []}, 300, seed=21)
    tokens_csv(data, out / "sc_tokens_data.csv", seed=22)
    scores = sc.scorecard_ply(tool_read(out / "sc_tokens_data.csv"), card, print_step=0)["score"].to_numpy()
    pd.DataFrame({"score": scores}).to_csv(out / "sc_tokens_scores.csv", index=False, float_format="%.17g")

    names = list(df.columns)
    process = BinningProcess(names, categorical_variables=["tax_grade", "industry"],
                             binning_fit_params={"avg_annual_tax": {"special_codes": [-1.0]},
                                                 "employees": {"special_codes": [-9]}})  # fmt: skip
    model = Scorecard(binning_process=process, estimator=LogisticRegression(max_iter=1000),
                      scaling_method="pdo_odds",
                      scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600}).fit(df, y)  # fmt: skip
    model.table(style="detailed").to_csv(out / "ob_tokens_card.csv")
    data = awkward_rows({}, {"tax_grade": [], "industry": []}, 300, seed=23)
    tokens_csv(data, out / "ob_tokens_data.csv", seed=24)
    scores = model.score(tool_read(out / "ob_tokens_data.csv")[names])
    pd.DataFrame({"score": scores}).to_csv(out / "ob_tokens_scores.csv", index=False, float_format="%.17g")


def write_scores(out: Path, prefix: str, data: pd.DataFrame, scores: np.ndarray, rows: int | None) -> None:
    data.to_csv(out / f"{prefix}_data.csv", index=False, float_format="%.17g")
    if rows is None:
        pd.DataFrame({"score": scores}).to_csv(out / f"{prefix}_scores.csv", index=False, float_format="%.17g")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(HERE))
    ap.add_argument("--rows", type=int, default=None, help="write an N-row scoring set (benchmark)")
    ap.add_argument("--only-tokens", action="store_true", help="only the missing-token fixtures (with their cards)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.only_tokens is False:
        scorecardpy_fixture(out, args.rows)
        optbinning_fixture(out, args.rows)
    if args.rows is None:
        tokens_fixture(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
