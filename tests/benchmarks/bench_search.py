"""Search latency on 530,000 enterprises (the Zhejiang no-loan list's size).

Figures: bulk import rate (ours, with the search index, vs raw sqlite3 executemany of the same
rows into a plain table on the same encrypted connection), and the median / p95 latency of
substring queries a teller types: 2-4 Chinese characters from names, surnames+given names,
phone and code fragments. Baseline: a LIKE '%...%' scan over the same table.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "desktop"))

from loandesk.demo import demo_record
from loandesk.storage import (
    Store,
    search,
)

N = int(sys.argv[1]) if len(sys.argv) > 1 else 530_000


def records(n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        rec = demo_record(rng, i)
        rec["abnormal_operation"] = rec["dishonest_debtor"] = rec["has_loan_history"] = False
        yield rec


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "home", branch="HZ01")
        rows = list(records(N))
        t0 = time.perf_counter()
        store.import_enterprises(rows)
        ours = time.perf_counter() - t0

        conn = store.db.conn
        conn.execute("CREATE TABLE raw (name TEXT, code TEXT, rep TEXT, phone TEXT)")
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO raw VALUES (?, ?, ?, ?)",
            ((r["enterprise_name"], r["credit_code"], r["legal_rep_name"], r["legal_rep_phone"]) for r in rows),
        )
        conn.execute("COMMIT")
        raw = time.perf_counter() - t0
        print(f"import {N:,} enterprises: {N / ours:,.0f} rows/s (baseline raw executemany, no index: "
              f"{N / raw:,.0f} rows/s; ratio {ours / raw:.1f}x slower)")

        rng = random.Random(3)
        sample = rng.sample(rows, 300)
        queries = []
        for r in sample:
            name = r["enterprise_name"]
            k = rng.choice([2, 2, 3, 4])
            start = rng.randrange(0, max(1, len(name) - k))
            queries.append(name[start:start + k])
            queries.append(r["legal_rep_name"][:2])
            queries.append(r["legal_rep_phone"][-6:])
            queries.append(r["credit_code"][8:14])
        ours_ms, like_ms, hits = [], [], 0
        for q in queries:
            t0 = time.perf_counter()
            found = search.find_rowids(store.db, q, limit=200)
            ours_ms.append((time.perf_counter() - t0) * 1000)
            hits += bool(found)
        for q in queries[:60]:
            t0 = time.perf_counter()
            conn.execute(
                "SELECT rowid FROM raw WHERE name LIKE ?1 OR code LIKE ?1 OR rep LIKE ?1 OR phone LIKE ?1 LIMIT 200",
                (f"%{q}%",),
            ).fetchall()
            like_ms.append((time.perf_counter() - t0) * 1000)
        med, base = statistics.median(ours_ms), statistics.median(like_ms)
        print(f"search on {N:,}: median {med:.2f} ms, p95 {percentile(ours_ms, 0.95):.2f} ms, "
              f"max {max(ours_ms):.1f} ms over {len(queries)} queries, {hits} found their record "
              f"(baseline LIKE scan: median {base:.2f} ms; ratio {base / med:.0f}x faster)")
        page = []
        for q in queries[:200]:
            t0 = time.perf_counter()
            store.enterprise_rows(q, limit=50)
            page.append((time.perf_counter() - t0) * 1000)
        print(f"search + first page of 50 rows: median {statistics.median(page):.2f} ms, "
              f"p95 {percentile(page, 0.95):.2f} ms")
        print(f"database size: {(Path(tmp) / 'home' / 'loandesk.db').stat().st_size / 1e6:.0f} MB")
        store.close()


if __name__ == "__main__":
    main()
