"""Form save latency with 530,000 enterprises on file: what pressing Save costs (validate_intake +
find_duplicates + save_intake, one transaction on the encrypted store), median and p95 over N saves.

Baselines measured in the same run, on the same disk:
* one durable transaction on the same encrypted file (same WAL + synchronous=FULL connection)
  inserting the same record's rows raw (person, enterprise, application as JSON);
* the same insert into a plain (unencrypted) SQLite file with the same settings: the least any
  durable save can cost here.

The data file is bench_search's cached 530,000-row home (built once under .bench/), copied.
BENCH_SAVES sets N (default 100); BENCH_ENTERPRISES the size of the file.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import N as ENTERPRISES  # (also puts desktop/ on sys.path)
from bench_search import percentile, working_copy

from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.storage import Store

N = int(os.environ.get("BENCH_SAVES", "100"))


def main() -> int:
    rng = random.Random(11)
    forms = [demo_record(rng, i) for i in range(N)]
    with tempfile.TemporaryDirectory() as tmp:
        home, _ = working_copy(Path(tmp) / "home")
        store = Store.open(home)
        on_file = store.count_enterprises()
        app_times, dup_times = [], []
        for form in forms:
            started = time.perf_counter()
            result = validate_intake(form)
            assert result.ok
            t0 = time.perf_counter()
            store.find_duplicates(result.values["credit_code"], result.values["legal_rep_id"])
            dup_times.append(time.perf_counter() - t0)
            store.save_intake(result.values, draft_key="intake:new:bench")
            app_times.append(time.perf_counter() - started)

        conn = store.db.conn
        conn.execute("CREATE TABLE bench_save_raw (id INTEGER PRIMARY KEY, kind TEXT, payload TEXT)")
        raw_times = []
        for form in forms:
            started = time.perf_counter()
            conn.execute("BEGIN")
            for kind in ("person", "enterprise", "application"):
                conn.execute("INSERT INTO bench_save_raw(kind, payload) VALUES (?, ?)",
                             (kind, json.dumps(form, ensure_ascii=False)))  # fmt: skip
            conn.execute("COMMIT")
            raw_times.append(time.perf_counter() - started)
        store.close()

        plain = sqlite3.connect(Path(tmp) / "plain.db", isolation_level=None)
        plain.execute("PRAGMA journal_mode = WAL")
        plain.execute("PRAGMA synchronous = FULL")
        plain.execute("CREATE TABLE saves (id INTEGER PRIMARY KEY, payload TEXT)")
        plain_times = []
        for form in forms:
            started = time.perf_counter()
            plain.execute("BEGIN")
            plain.execute("INSERT INTO saves(payload) VALUES (?)", (json.dumps(form, ensure_ascii=False),))
            plain.execute("COMMIT")
            plain_times.append(time.perf_counter() - started)
        plain.close()
    app_ms, raw_ms, plain_ms = (statistics.median(t) * 1000 for t in (app_times, raw_times, plain_times))
    print(
        f"form save (validate + duplicates + save_intake, encrypted, {on_file:,} enterprises on file): "
        f"{app_ms:.2f} ms median, {percentile(app_times, 0.95) * 1000:.2f} ms p95 over {N} saves "
        f"(baseline raw durable insert of the same rows on the same encrypted file: {raw_ms:.2f} ms; "
        f"ratio {app_ms / raw_ms:.1f}x)"
    )
    print(
        f"duplicate check alone: {statistics.median(dup_times) * 1000:.2f} ms median, "
        f"{percentile(dup_times, 0.95) * 1000:.2f} ms p95; plain unencrypted durable insert: {plain_ms:.2f} ms "
        f"(ratio {app_ms / plain_ms:.1f}x)"
    )
    assert on_file >= ENTERPRISES
    return 0


if __name__ == "__main__":
    sys.exit(main())
