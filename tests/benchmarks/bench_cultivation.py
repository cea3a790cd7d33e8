"""Cultivation dashboard and "my list" at the Zhejiang list's size: 530,000 enterprises.

The store is generated quickly with plain inserts on the real (encrypted) store, shaped like the
regulator's figures: 530,000 listed, 50,000 contacted (stage events), 14,458 visited, 4,158
granted credit (applications + approvals), 20 account managers with 2,500 enterprises each.

Figures, each beside a baseline measured in the same run:
* dashboard refresh: every figure the page shows (``lists.cultivation_report.figures``), median of
  5; baseline: a bare SQL query of the funnel's counts (count(*) / count(DISTINCT ...) per table) on
  the same connection;
* pre-qualification of the whole list with the rule pack in force (scored, reasons kept, stored);
  baseline: reading the same rows into a pandas frame;
* "my list": one officer's first page of 200 plus the count, and the whole list's first page under a
  stage filter with its per-stage counts; baseline: the same officer's rows by a plain indexed
  SELECT ... ORDER BY next_on LIMIT 200 on the assignments table alone.
Size: ``python tests/benchmarks/bench_cultivation.py 50000`` or BENCH_ENTERPRISES=50000.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))

from loandesk.core.cultivation import EnterpriseFilter  # noqa: E402
from loandesk.lists import cultivation_report  # noqa: E402
from loandesk.scoring.prequalify import prequalify  # noqa: E402
from loandesk.storage import Store, cultivation_lists  # noqa: E402

N = int(os.environ.get("BENCH_ENTERPRISES", "530000"))
if __name__ == "__main__" and len(sys.argv) > 1:
    N = int(sys.argv[1])
SCALE = N / 530_000
CONTACTED, VISITED, GRANTED = int(50_000 * SCALE), int(14_458 * SCALE), int(4_158 * SCALE)
OFFICERS = [f"officer{i:02d}" for i in range(20)]
INDUSTRIES = ("AGR", "IND", "CON", "WHS", "RET", "TRN", "CAT", "SWS", "OTH")
REGIONS = ("330106", "330203", "330302", "330402", "330502", "330602", "330702", "331002")


def build(store: Store) -> float:
    rng = random.Random(10)
    db = store.db.conn
    started = time.perf_counter()
    db.execute("PRAGMA foreign_keys = OFF")  # generated rows reference each other by construction
    listed = "2026-03-01T09:00:00.000+00:00"
    db.execute("BEGIN")
    db.executemany(
        """INSERT INTO enterprises(seq, id, ref, enterprise_name, credit_code, industry, region_code, tax_grade,
               employees, annual_revenue, total_assets, has_loan_history, cultivation_stage, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)""",
        ((i, str(uuid.uuid4()), f"E-HZ01-BNCH-{i:06d}", f"企业{i:06d}有限公司", f"91330106MA{i:08d}",
          rng.choice(INDUSTRIES), rng.choice(REGIONS), rng.choice("ABMCD"), rng.randint(1, 200),
          rng.randint(100_000, 50_000_000), rng.randint(100_000, 50_000_000),
          "need_identified" if i <= VISITED else "contacted" if i <= CONTACTED else "no_loan", listed, listed)
         for i in range(1, N + 1)),
    )  # fmt: skip
    db.executemany(
        """INSERT INTO stage_events(id, enterprise_seq, from_stage, to_stage, on_date, at, user, source)
           VALUES (?, ?, 'no_loan', ?, '2026-06-01', '2026-06-01T09:00', 'officer00', ?)""",
        ((str(uuid.uuid4()), i, "need_identified" if i <= VISITED else "contacted",
          "visit" if i <= VISITED else "manual") for i in range(1, CONTACTED + 1)),
    )  # fmt: skip
    db.executemany(
        """INSERT INTO visits(id, enterprise_seq, visited_on, officer, findings, need, need_amount, created_at)
           VALUES (?, ?, '2026-06-01', ?, '走访', 1, 300000, '2026-06-01T09:00')""",
        ((str(uuid.uuid4()), i, OFFICERS[i % 20]) for i in range(1, VISITED + 1)),
    )
    apps = [(str(uuid.uuid4()), i) for i in range(1, GRANTED + 1)]
    ids = {r[0]: r[1] for r in db.execute(f"SELECT seq, id FROM enterprises WHERE seq <= {GRANTED}")}
    db.executemany(
        """INSERT INTO applications(id, ref, enterprise_id, requested_amount, term_months, purpose, guarantee_mode,
               product, stage, officer, created_at, updated_at)
           VALUES (?, ?, ?, 300000, 12, '流动资金', 'credit', 'bank_tax_credit', 'approved', ?, '2026-07-01',
                   '2026-07-01')""",
        ((a, f"A-HZ01-BNCH-{i:06d}", ids[i], OFFICERS[i % 20]) for a, i in apps),
    )  # fmt: skip
    db.executemany(
        """INSERT INTO approvals(id, application_id, decision_id, outcome, limit_amount, term_months, rate, approver,
               decided_at) VALUES (?, ?, ?, 'approve', 300000, 12, 3.8, '陈静', ?)""",
        ((str(uuid.uuid4()), a, str(uuid.uuid4()), f"2026-{7 + i % 5:02d}-15T10:00") for a, i in apps),
    )  # fmt: skip
    db.executemany(
        """INSERT INTO stage_events(id, enterprise_seq, from_stage, to_stage, on_date, at, user, source)
           VALUES (?, ?, 'need_identified', 'first_loan', ?, '2026-07-15T10:00', '陈静', 'approval')""",
        ((str(uuid.uuid4()), i, f"2026-{7 + i % 5:02d}-15") for _a, i in apps),
    )
    db.execute(f"UPDATE enterprises SET cultivation_stage = 'first_loan' WHERE seq <= {GRANTED}")
    db.executemany(
        "INSERT INTO assignments(enterprise_seq, officer, assigned_at, assigned_by, next_step, next_on) "
        "VALUES (?, ?, '2026-05-01', 'admin', ?, ?)",
        ((i, OFFICERS[i % 20], "回访" if i <= VISITED else None,
          f"2026-{6 + i % 7:02d}-{1 + i % 28:02d}" if i <= VISITED else None) for i in range(1, 50_001 if N >= 50_000
                                                                                             else N + 1)),
    )  # fmt: skip
    db.execute("COMMIT")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("ANALYZE")
    return time.perf_counter() - started


def timed(fn, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def bare_funnel(store: Store) -> tuple:
    q = store.db.execute
    return (q("SELECT count(*) FROM enterprises WHERE has_loan_history = 0").fetchone()[0],
            q("SELECT count(DISTINCT enterprise_seq) FROM stage_events").fetchone()[0],
            q("SELECT count(DISTINCT enterprise_seq) FROM visits").fetchone()[0],
            q("SELECT count(DISTINCT a.enterprise_id), sum(ap.limit_amount) FROM approvals ap "
              "JOIN applications a ON a.id = ap.application_id WHERE ap.outcome = 'approve'").fetchone())  # fmt: skip


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-cult-") as tmp:
        store = Store.open(Path(tmp) / "home")
        built = build(store)
        print(f"generated {N:,} enterprises with {CONTACTED:,} contacted, {VISITED:,} visited, {GRANTED:,} granted "
              f"in {built:.1f} s (plain inserts)")  # fmt: skip
        base, bare = timed(lambda: bare_funnel(store))
        ours, figures = timed(lambda: cultivation_report.figures(store))
        f = figures["funnel"]
        assert (f["listed"], f["visited"], f["granted"]) == (bare[0], bare[2], bare[3][0]), (f, bare)
        print(f"dashboard refresh (every figure): {ours * 1000:.0f} ms  (baseline bare funnel counts: "
              f"{base * 1000:.0f} ms; ratio {ours / base:.1f}x)")  # fmt: skip
        print(f"  funnel {f['listed']:,} -> {f['contacted']:,} -> {f['need']:,} -> {f['visited']:,} -> "
              f"{f['granted']:,}, {f['amount']:,} yuan; 首贷户占比 {figures['first_loan_share']['share']}")
        officer = OFFICERS[3]
        base_my, _ = timed(lambda: store.db.execute(
            "SELECT enterprise_seq FROM assignments WHERE officer = ? ORDER BY next_on LIMIT 200", (officer,)
        ).fetchall(), runs=9)  # fmt: skip
        mine, rows = timed(lambda: (cultivation_lists.count(store, EnterpriseFilter(officer=officer)),
                                    cultivation_lists.my_list(store, officer)), runs=9)  # fmt: skip
        print(f"my list (count + first page of 200): {mine * 1000:.1f} ms  (baseline bare indexed SELECT of the "
              f"officer's 200: {base_my * 1000:.1f} ms; ratio {mine / base_my:.1f}x; {rows[0]:,} enterprises)")
        where = EnterpriseFilter(stage="no_loan", region="3302")
        page, _ = timed(lambda: (cultivation_lists.count(store, where), cultivation_lists.rows(store, where),
                                 cultivation_lists.stage_counts(store, where)), runs=5)  # fmt: skip
        deep, _ = timed(lambda: cultivation_lists.rows(store, None, offset=100_000), runs=3)
        print(f"filtered list (stage + region: count, first page, per-stage counts): {page * 1000:.0f} ms; "
              f"a page 100,000 rows down: {deep * 1000:.0f} ms")  # fmt: skip
        read, _ = timed(lambda: _read_frame(store), runs=1)
        scored, result = timed(lambda: prequalify(store), runs=1)
        n = result["scored"]
        print(f"pre-qualification of every enterprise (score, reasons, stored): {scored:.1f} s for {n:,} "
              f"({n / scored:,.0f}/s; baseline reading the same rows into pandas: {read:.1f} s; "
              f"ratio {scored / read:.1f}x)")  # fmt: skip
        store.close()
    return 0


def _read_frame(store: Store):
    import pandas as pd

    names, cursor = cultivation_lists.scoring_frame_rows(store)
    return pd.DataFrame.from_records(cursor.fetchall(), columns=names)


if __name__ == "__main__":
    sys.exit(main())
