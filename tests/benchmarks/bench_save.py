"""Form save latency: what pressing Save costs (validate_intake + find_duplicates + save_intake, one
transaction on the encrypted store), median over N saves, beside a baseline measured in the same run:
one durable INSERT of the same record as JSON into a plain (unencrypted) SQLite file with the same
WAL + synchronous=FULL settings, i.e. the least any durable save can cost on this disk.
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

from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.storage import Store

N = int(os.environ.get("BENCH_SAVES", "100"))
PRELOADED = 5_000


def main() -> int:
    rng = random.Random(11)
    forms = [demo_record(rng, i) for i in range(N)]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "home")
        store.import_enterprises(validate_intake(demo_record(rng, i)).values for i in range(PRELOADED))
        app_times = []
        for form in forms:
            started = time.perf_counter()
            result = validate_intake(form)
            assert result.ok
            store.find_duplicates(result.values["credit_code"], result.values["legal_rep_id"])
            store.save_intake(result.values, draft_key="intake:new:bench")
            app_times.append(time.perf_counter() - started)
        store.close()

        plain = sqlite3.connect(Path(tmp) / "plain.db", isolation_level=None)
        plain.execute("PRAGMA journal_mode = WAL")
        plain.execute("PRAGMA synchronous = FULL")
        plain.execute("CREATE TABLE saves (id INTEGER PRIMARY KEY, payload TEXT)")
        base_times = []
        for form in forms:
            started = time.perf_counter()
            plain.execute("BEGIN")
            plain.execute("INSERT INTO saves(payload) VALUES (?)", (json.dumps(form, ensure_ascii=False),))
            plain.execute("COMMIT")
            base_times.append(time.perf_counter() - started)
        plain.close()
    app_ms, base_ms = statistics.median(app_times) * 1000, statistics.median(base_times) * 1000
    p95 = sorted(app_times)[int(len(app_times) * 0.95) - 1] * 1000
    print(
        f"form save (validate + duplicates + save_intake, encrypted, {PRELOADED:,} enterprises on file): "
        f"{app_ms:.2f} ms median, {p95:.2f} ms p95 over {N} saves "
        f"(baseline one durable plain SQLite insert: {base_ms:.2f} ms; ratio {app_ms / base_ms:.1f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
