"""Strict table reading (lists.reading.read_table) of a 1,000,000-row CSV against plain pandas.

The file is the batch-scoring benchmark's (data dictionary columns, Chinese names, ~2 % of amounts
quoted as '1,234,567', blanks), written as UTF-8 and as GB18030. Baseline, measured in the same run on
the same bytes: ``pd.read_csv(dtype=str, keep_default_na=False)``, the read the batch did before the
checks (encoding, binary bytes, short/long rows, duplicate headers) were added.
Usage: python tests/benchmarks/bench_reading.py [ROWS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scoring import WORK, pack_rows

from loandesk.lists.reading import read_table
from loandesk.scoring.inputs import header_field


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str]) -> int:
    rows = int(argv[0]) if argv else 1_000_000
    WORK.mkdir(parents=True, exist_ok=True)
    frame = pack_rows(rows)
    frame.insert(0, "legal_rep_name", ["王伟", "欧阳娜娜", "李静", "张敏"] * (rows // 4) + ["陈"] * (rows % 4))
    for encoding in ("utf-8", "gb18030"):
        path = WORK / f"read_{rows}_{encoding}.csv"
        if not path.exists():
            frame.to_csv(path, index=False, encoding=encoding)
        plain = best_of(3, lambda p=path, e=encoding: pd.read_csv(p, dtype=str, keep_default_na=False, encoding=e))
        strict = best_of(3, lambda p=path: read_table(p, field_of=header_field, require_known=True))
        mb = path.stat().st_size / 1e6
        print(f"read_table_{rows}_{encoding}: {strict:.3f} s  (baseline pandas read_csv as text: {plain:.3f} s; "
              f"ratio {strict / plain:.2f}x; {mb:.0f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
