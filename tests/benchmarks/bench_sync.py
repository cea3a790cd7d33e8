"""Pushing and then pulling 10,000 applications over loopback (SQLite hub database), and a device's catch-up.

* push: 10,000 operations in gzip batches of 200 (the client's batch size).
* pull: a second device of the branch reads those 10,000 changes back in pages of 500, as the client
  does (``GET /v1/changes`` by the hub's cursor, each page parsed into ``PullResponse``).
* catch-up: a data home holding BENCH_SYNC_CATCHUP (default 10,000) unsent applications, each with its
  enterprise, made offline with the demo data, enrolled, then ``loandesk sync``'s own ``client.sync``
  timed until its outbox is empty (push, pull, audit trail): the wait a field officer sees after a
  week offline. Reported as records per second; it has no bare counterpart.

Baseline measured in the same run: a bare FastAPI endpoint under the same uvicorn, that decompresses
and validates the same bodies with the same pydantic model and commits each batch's payloads to an
SQLite file in one transaction (the least a validating, durable endpoint can cost); for the pull, the
same endpoint pages those rows back by their sequence as the same ``PullResponse``. The hub's extra
work is what makes sync safe: the replay check, per-field versions, the change log, per-op answers,
branch filtering. Goal: at least half the baseline's rate (a ratio of the times <= 2x).
BENCH_SYNC_OPS sets the count (default 10,000). The two are pushed (and pulled) batch by batch in turn
(hub, then the baseline), each side timed on its own requests only. Both servers freeze what they made
at start-up out of the garbage collector's sight (the hub does so when it serves; the baseline gets the
same). This machine's timings drift by a fifth from run to run: compare the ratio, not the rates.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))

import httpx  # noqa: E402
from fastapi import FastAPI, Request, Response  # noqa: E402  (module level: FastAPI resolves the annotations here)

from loandesk.core import clock, ids  # noqa: E402
from loandesk.sync import protocol as p  # noqa: E402

N = int(os.environ.get("BENCH_SYNC_OPS", "10000"))
CATCHUP = int(os.environ.get("BENCH_SYNC_CATCHUP", "10000"))
BATCH = 200
PAGE = 500
HEADERS = {p.PROTOCOL_HEADER: "1", "Content-Encoding": "gzip", "Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, proc: subprocess.Popen) -> None:
    for _ in range(240):
        if proc.poll() is not None:
            raise SystemExit(f"server exited {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.25)
    raise SystemExit("server did not start")


def bodies(device: str) -> list[bytes]:
    out, seq = [], 0
    for start in range(0, N, BATCH):
        ops = []
        for i in range(start, min(N, start + BATCH)):
            seq += 1
            payload = {"ref": f"A-HZ01-BNCH-{i:06d}", "enterprise_id": ids.new_id(), "requested_amount": 300000 + i,
                       "term_months": 12, "purpose": "流动资金周转", "guarantee_mode": "credit",
                       "product": "bank_tax_credit", "consent_given": 1, "consent_date": "2026-11-20",
                       "consent_scope": "tax", "site_notes": "经营场所正常，库存充足", "officer": "张伟",
                       "stage": "submitted"}  # fmt: skip
            ops.append(p.Operation.build(op_id=ids.new_id(), device_seq=seq, entity="application",
                                         entity_id=ids.new_id(), op="insert", changed=sorted(payload), payload=payload,
                                         schema_version=1, device=device, device_time=clock.stamp()))  # fmt: skip
        out.append(gzip.compress(p.PushRequest(device=device, ops=ops).model_dump_json().encode(), 5))
    return out


def push_both(hub: tuple[str, str, str], bare: tuple[str, str, None], batches: list[bytes]) -> tuple[float, float]:
    """Seconds the hub and the bare endpoint took for all the batches. Each batch goes to the hub, then the
    same batch to the baseline, so a machine busy with other work slows both alike (their ratio stays
    meaningful); each side's time counts only its own requests."""
    clients = []
    for url, _path, token in (hub, bare):
        headers = dict(HEADERS, **({"Authorization": f"Bearer {token}"} if token else {}))
        clients.append(httpx.Client(base_url=url, headers=headers, timeout=120))
    spent = [0.0, 0.0]
    try:
        for body in batches:
            for side, (client, path) in enumerate(zip(clients, (hub[1], bare[1]), strict=True)):
                started = time.perf_counter()
                answer = client.post(path, content=body)
                spent[side] += time.perf_counter() - started
                assert answer.status_code == 200, answer.text[:300]
    finally:
        for client in clients:
            client.close()
    return spent[0], spent[1]


def bare_app(db_path: str):
    """The baseline endpoint: decompress, validate with the same model, one INSERT per op, commit."""
    conn = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS ops (op_id TEXT PRIMARY KEY, entity_id TEXT, payload TEXT)")
    app = FastAPI()

    @app.post("/bare")
    async def bare(request: Request):
        req = p.PushRequest.model_validate_json(gzip.decompress(await request.body()))
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO ops VALUES (?, ?, ?)",
                         [(op.op_id, op.entity_id, json.dumps(op.payload, ensure_ascii=False)) for op in req.ops])
        conn.execute("COMMIT")
        return {"results": [{"op_id": op.op_id, "status": "applied"} for op in req.ops]}

    @app.get("/bare_changes")
    def bare_changes(after: int = 0, limit: int = PAGE):
        rows = conn.execute("SELECT rowid, op_id, entity_id, payload FROM ops WHERE rowid > ? ORDER BY rowid "
                            "LIMIT ?", (after, limit + 1)).fetchall()  # fmt: skip
        out = [p.Change(cursor=str(r[0]), entity="application", entity_id=r[2], version=1, branch="HZ01",
                        data=json.loads(r[3]), op_id=r[1]) for r in rows[:limit]]  # fmt: skip
        answer = p.PullResponse(changes=out, cursor=out[-1].cursor if out else str(after), more=len(rows) > limit)
        return Response(answer.model_dump_json(), media_type="application/json")

    return app


def pull_both(hub: tuple[str, str], bare_url: str) -> tuple[float, float, int, int]:
    """Seconds the hub and the bare endpoint took to page every change back, page by page in turn, and
    how many changes each gave."""
    sides = [httpx.Client(base_url=hub[0], headers={p.PROTOCOL_HEADER: "1", "Authorization": f"Bearer {hub[1]}"},
                          timeout=120),
             httpx.Client(base_url=bare_url, timeout=120)]  # fmt: skip
    spent, got, cursors, more = [0.0, 0.0], [0, 0], [None, "0"], [True, True]
    try:
        while any(more):
            for side, client in enumerate(sides):
                if not more[side]:
                    continue
                started = time.perf_counter()
                if side == 0:
                    params = {"limit": PAGE, **({"cursor": cursors[0]} if cursors[0] else {})}
                    answer = client.get("/v1/changes", params=params)
                else:
                    answer = client.get("/bare_changes", params={"after": cursors[1], "limit": PAGE})
                assert answer.status_code == 200, answer.text[:300]
                page = p.PullResponse.model_validate_json(answer.content)
                spent[side] += time.perf_counter() - started
                got[side] += sum(c.entity == "application" for c in page.changes)
                cursors[side], more[side] = page.cursor, page.more
    finally:
        for client in sides:
            client.close()
    return spent[0], spent[1], got[0], got[1]


def catch_up(url: str, code: str, home: Path) -> tuple[float, int]:
    """Seconds ``client.sync`` takes to send a data home's CATCHUP unsent applications (and their
    enterprises) and pull what the hub has, until nothing is left unsent; the operations it sent."""
    from loandesk.demo import populate
    from loandesk.storage import Store
    from loandesk.sync import client

    store = Store.open(home, branch="HZ01")
    try:
        populate(store, CATCHUP, seed=5)  # offline capture: every record waits in the outbox
        client.enroll(store, url, code)
        waiting = client.unsent(store)
        started = time.perf_counter()
        report = client.sync(store, url)
        spent = time.perf_counter() - started
        assert client.unsent(store) == 0, f"{client.unsent(store)} still unsent"
        assert report.push.applied == waiting, (report.push.applied, waiting)
        return spent, waiting
    finally:
        store.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
        db = f"sqlite:///{tmp}/hub.db"
        port = free_port()
        hub = subprocess.Popen([sys.executable, "-m", "loandesk", "hub", "serve", "--db", db, "--port", str(port),
                                "--rate", "100000"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bare_port = free_port()
        bare = subprocess.Popen([sys.executable, __file__, "--bare", f"{tmp}/bare.db", str(bare_port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            url, bare_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
            wait(url + "/", hub)
            wait(bare_url + "/docs", bare)
            def enroll_code() -> str:
                return subprocess.run([sys.executable, "-m", "loandesk", "hub", "enroll", "--db", db, "--branch",
                                       "HZ01"], env=env, capture_output=True, text=True,
                                      check=True).stdout.split()[-1]  # fmt: skip

            def enrolled_token() -> tuple[str, str]:
                device = ids.new_id()
                answer = httpx.post(url + "/v1/enroll", json={"code": enroll_code(), "device_id": device},
                                    headers={p.PROTOCOL_HEADER: "1"}).json()  # fmt: skip
                return device, answer["token"]

            device_id, token = enrolled_token()
            batches = bodies(device_id)
            hub_s, bare_s = push_both((url, "/v1/push", token), (bare_url, "/bare", None), batches)
            _, reader_token = enrolled_token()  # another device of the branch reads it all back
            pull_s, bare_pull_s, pulled, bare_pulled = pull_both((url, reader_token), bare_url)
            assert pulled == N and bare_pulled == N, (pulled, bare_pulled)
            catch_s, sent = catch_up(url, enroll_code(), Path(tmp) / "offline-home")
        finally:
            for proc in (hub, bare):
                proc.terminate()
                proc.wait(15)
    hub_rate, bare_rate = N / hub_s, N / bare_s
    print(f"push {N} applications to the hub: {hub_rate:,.0f} ops/s ({hub_s:.2f} s)  (baseline bare FastAPI "
          f"validate+commit to SQLite: {bare_rate:,.0f} ops/s ({bare_s:.2f} s); "
          f"ratio {hub_s / bare_s:.2f}x the baseline's time; goal <= 2x)")
    print(f"pull {N} applications from the hub: {N / pull_s:,.0f} records/s ({pull_s:.2f} s)  (baseline bare "
          f"FastAPI paging the same rows from SQLite: {N / bare_pull_s:,.0f} records/s ({bare_pull_s:.2f} s); "
          f"ratio {pull_s / bare_pull_s:.2f}x the baseline's time; goal <= 2x)")
    print(f"catch_up {sent} unsent operations ({CATCHUP} applications with their enterprises, offline): "
          f"{catch_s:.2f} s, {sent / catch_s:,.0f} operations/s  (client.sync from the first push to an empty "
          f"outbox; baseline: the push above, {hub_rate:,.0f} ops/s)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--bare":
        import gc

        import uvicorn

        @contextlib.asynccontextmanager
        async def frozen(_app):  # as the hub does at start-up: the baseline gets the same help
            gc.collect()
            gc.freeze()
            yield

        app = bare_app(sys.argv[2])
        app.router.lifespan_context = frozen
        uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
        sys.exit(0)
    sys.exit(main())
