"""A hub serving on SQLite copies its write-ahead log into the database file from a thread of its own,
so a push's commit never pays for it; SQLite's own checkpoint (at 1,000 pages) would not have run yet."""

from __future__ import annotations

import os
import time

from sqlalchemy import text

from loandesk.hub.db import checkpoints_in_background, engine_for


def _write_rows(engine, count: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body TEXT)"))
        conn.execute(text("INSERT INTO filler (body) VALUES (:body)"), [{"body": "账" * 300}] * count)


def _main_file_after(path: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    size = os.path.getsize(path)
    while time.monotonic() < deadline and size < 500_000:
        time.sleep(0.02)
        size = os.path.getsize(path)
    return size


def test_the_log_reaches_the_database_file_while_the_hub_runs_and_only_then(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path}/hub.db")
    _write_rows(engine, 600)  # about 540 KB: in the log, under SQLite's own threshold
    assert _main_file_after(str(tmp_path / "hub.db"), 0.5) < 100_000  # nothing copies it on its own
    with checkpoints_in_background(engine, every=0.05):
        assert _main_file_after(str(tmp_path / "hub.db"), 5) >= 500_000
        _write_rows(engine, 10)  # the hub keeps working while the thread runs
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM filler")).scalar_one() == 610
    engine.dispose()
