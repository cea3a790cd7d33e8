"""Search and list latency on 530,000 enterprises (the Zhejiang no-loan list's size).

Figures, each beside a baseline measured in the same run:

* bulk import rate (ours, with the search index, vs raw executemany of the same rows into a plain
  table on the same encrypted connection), measured when the data file is built;
* what the enterprise list runs per keystroke: the capped count plus the first page of 200
  (``count_enterprises(q)`` + ``enterprise_rows(q, ...)``), median and p95, beside
  ``search.find_rowids`` alone; baseline: the same count and page by a LIKE '%q%' scan of the
  same rows on the same encrypted connection;
* the first page sorted by each sortable column (whole list), and pages of a sorted search;
  baseline: the same ORDER BY over the plain (unindexed) copy of the rows.

The 530,000-row data home is built once with ``store.import_enterprises`` and kept under
``.bench/`` (rebuilt when the schema or the search code changes); each run works on a copy.
``bench_save.py`` uses the same file. Size: ``python tests/benchmarks/bench_search.py 50000``
or BENCH_ENTERPRISES=50000.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))

from loandesk.demo import demo_record  # noqa: E402
from loandesk.storage import Store, migrations, search  # noqa: E402

N = int(os.environ.get("BENCH_ENTERPRISES", "530000"))
if __name__ == "__main__" and len(sys.argv) > 1:
    N = int(sys.argv[1])
CACHE = ROOT / ".bench"
RAW = "bench_raw"  # the baseline's plain copy of the rows, in the same encrypted file


def records(n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        rec = demo_record(rng, i)
        rec["abnormal_operation"] = rec["dishonest_debtor"] = rec["has_loan_history"] = False
        yield rec


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _stamp() -> str:
    """Changes when what the file holds would change: the schema (migrations), the search index's tables
    and tokens, the bulk import."""
    parts = [inspect.getsource(migrations), getattr(search, "_CODE_TABLE", "")]
    for name in ("create", "index_many", "text_row", "unigrams", "bigrams", "_chars", "code_row", "grams"):
        if hasattr(search, name):
            parts.append(inspect.getsource(getattr(search, name)))
    parts.append(inspect.getsource(Store._import_batch))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def cached_home(n: int = N) -> tuple[Path, dict]:
    """A data home with ``n`` enterprises (and the baseline's raw table), built once under .bench/."""
    home = CACHE / f"home-{n}-{_stamp()}"
    done = home / "bench.json"
    if done.exists():
        return home, json.loads(done.read_text())
    shutil.rmtree(home, ignore_errors=True)
    for old in CACHE.glob(f"home-{n}-*"):
        shutil.rmtree(old, ignore_errors=True)  # built by older code
    print(f"building {n:,} enterprises under {home} (once) ...", flush=True)
    rows = list(records(n))
    store = Store.open(home, branch="HZ01")
    t0 = time.perf_counter()
    store.import_enterprises(rows)
    ours = time.perf_counter() - t0
    conn = store.db.conn
    conn.execute(f"CREATE TABLE {RAW} (name TEXT, code TEXT, rep TEXT, phone TEXT, id_number TEXT, revenue INTEGER)")
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        f"INSERT INTO {RAW} VALUES (?, ?, ?, ?, ?, ?)",
        ((r["enterprise_name"], r["credit_code"], r["legal_rep_name"], r["legal_rep_phone"], r["legal_rep_id"],
          r["annual_revenue"]) for r in rows),
    )  # fmt: skip
    conn.execute("COMMIT")
    raw = time.perf_counter() - t0
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    info = {"n": n, "import_s": ours, "raw_s": raw, "built": time.strftime("%Y-%m-%d %H:%M")}
    done.write_text(json.dumps(info))
    return home, info


def working_copy(dest: Path, n: int = N) -> tuple[Path, dict]:
    """A copy of the cached home that a benchmark may write to."""
    home, info = cached_home(n)
    shutil.copytree(home, dest)
    return dest, info


def keystroke_queries(rows: list[dict], count: int = 150) -> list[str]:
    """What tellers type: 2-4 characters of a name, a surname + given name, a phone's last 4-6
    digits, a credit-code fragment."""
    rng = random.Random(3)
    queries = []
    for r in rng.sample(rows, count):
        name = r["enterprise_name"]
        k = rng.choice([2, 2, 3, 4])
        start = rng.randrange(0, max(1, len(name) - k))
        queries.append(name[start : start + k])
        queries.append(r["legal_rep_name"][:2])
        queries.append(r["legal_rep_phone"][-rng.choice([4, 6]) :])
        queries.append(r["credit_code"][8:14])
    return queries


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def fresh(store) -> None:
    """Forget the last query's matches (a keystroke is a new query; repeated ones must not hit a cache)."""
    if hasattr(store, "_match_cache"):
        store._match_cache = None


def main() -> None:
    rows = list(records(N))
    with tempfile.TemporaryDirectory() as tmp:
        home, info = working_copy(Path(tmp) / "home")
        print(f"import {N:,} enterprises: {N / info['import_s']:,.0f} rows/s (baseline raw executemany, no index: "
              f"{N / info['raw_s']:,.0f} rows/s; ratio {info['import_s'] / info['raw_s']:.1f}x slower) "
              f"[measured when .bench file was built, {info['built']}]")  # fmt: skip
        store = Store.open(home)
        conn = store.db.conn
        store.enterprise_rows("", limit=200)  # warm the page cache as an opened app would be

        queries = keystroke_queries(rows)
        find_ms, list_ms, hits = [], [], 0
        for q in queries:
            find_ms.append(timed(lambda q=q: search.find_rowids(store.db, q, limit=200)))
        for q in queries:
            fresh(store)
            t0 = time.perf_counter()
            total = store.count_enterprises(q)
            page = store.enterprise_rows(q, "ref", True, 0, 200)
            list_ms.append((time.perf_counter() - t0) * 1000)
            hits += bool(page) and total >= len(page)
        like_ms = []
        where = "name LIKE ?1 OR code LIKE ?1 OR rep LIKE ?1 OR phone LIKE ?1 OR id_number LIKE ?1"
        for q in queries[:40]:
            t0 = time.perf_counter()
            conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {RAW} WHERE {where} LIMIT 10000)", (f"%{q}%",))
            conn.execute(f"SELECT * FROM {RAW} WHERE {where} ORDER BY rowid DESC LIMIT 200", (f"%{q}%",)).fetchall()
            like_ms.append((time.perf_counter() - t0) * 1000)
        med, base = statistics.median(list_ms), statistics.median(like_ms)
        print(f"list per keystroke on {N:,} (capped count + first page of 200): median {med:.2f} ms, "
              f"p95 {percentile(list_ms, 0.95):.2f} ms, max {max(list_ms):.1f} ms over {len(queries)} queries, "
              f"{hits} with rows (baseline LIKE '%q%' count + page: median {base:.1f} ms; "
              f"ratio {base / med:.0f}x faster)")  # fmt: skip
        print(f"find_rowids alone (200 newest): median {statistics.median(find_ms):.2f} ms, "
              f"p95 {percentile(find_ms, 0.95):.2f} ms")  # fmt: skip

        sorts = ["ref", "enterprise_name", "credit_code", "industry", "tax_grade", "legal_rep_name",
                 "annual_revenue", "updated_at", "registered_on"]  # fmt: skip
        figures = []
        for key in sorts:
            ms = [timed(lambda k=key, d=d: store.enterprise_rows("", k, d, 0, 200)) for d in (True, False) * 3]
            figures.append(f"{key} {statistics.median(ms):.1f}")
        deep = timed(lambda: store.enterprise_rows("", "legal_rep_name", False, 10_000, 200))
        t0 = time.perf_counter()
        conn.execute(f"SELECT * FROM {RAW} ORDER BY revenue DESC, rowid DESC LIMIT 200").fetchall()
        raw_sort = (time.perf_counter() - t0) * 1000
        print(f"whole list, first page sorted by (median ms): {', '.join(figures)}; legal_rep_name page at "
              f"offset 10,000: {deep:.1f} ms (baseline ORDER BY revenue over the unindexed copy: {raw_sort:.0f} ms)")

        for q in ("有限公司", "王伟", queries[2]):
            fresh(store)
            first = timed(lambda q=q: store.enterprise_rows(q, "enterprise_name", False, 0, 200))
            later = [timed(lambda q=q, o=o: store.enterprise_rows(q, "enterprise_name", False, o, 200))
                     for o in (200, 400, 600)]  # fmt: skip
            found = store.count_enterprises(q, cap=10**9)
            print(f"search {q!r} ({found:,} matches) sorted by name: first page {first:.1f} ms, "
                  f"next pages median {statistics.median(later):.1f} ms")
        print(f"database size: {(home / 'loandesk.db').stat().st_size / 1e6:.0f} MB")
        store.close()


if __name__ == "__main__":
    main()
