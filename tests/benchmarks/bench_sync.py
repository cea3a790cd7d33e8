"""Pushing 10,000 applications to a hub over loopback (SQLite hub database), in gzip batches of 200.

Baseline measured in the same run: a bare FastAPI endpoint under the same uvicorn, that decompresses
and validates the same bodies with the same pydantic model and commits each batch's payloads to an
SQLite file in one transaction (the least a validating, durable endpoint can cost). The hub's extra
work is what makes sync safe: the replay check, per-field versions, the change log, per-op answers.
BENCH_SYNC_OPS sets the count (default 10,000). The two are pushed batch by batch in turn (hub, then
the baseline), each side timed on its own requests only.
"""

from __future__ import annotations

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
from fastapi import FastAPI, Request  # noqa: E402  (module level: FastAPI resolves the annotations here)

from loandesk.core import clock, ids  # noqa: E402
from loandesk.sync import protocol as p  # noqa: E402

N = int(os.environ.get("BENCH_SYNC_OPS", "10000"))
BATCH = 200
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

    return app


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
            code = subprocess.run([sys.executable, "-m", "loandesk", "hub", "enroll", "--db", db, "--branch", "HZ01"],
                                  env=env, capture_output=True, text=True, check=True).stdout.split()[-1]  # fmt: skip
            device_id = ids.new_id()
            enrolled = httpx.post(url + "/v1/enroll", json={"code": code, "device_id": device_id},
                                  headers={p.PROTOCOL_HEADER: "1"}).json()  # fmt: skip
            batches = bodies(device_id)
            hub_s, bare_s = push_both((url, "/v1/push", enrolled["token"]), (bare_url, "/bare", None), batches)
        finally:
            for proc in (hub, bare):
                proc.terminate()
                proc.wait(15)
    hub_rate, bare_rate = N / hub_s, N / bare_s
    print(f"push {N} applications to the hub: {hub_rate:,.0f} ops/s ({hub_s:.2f} s)  (baseline bare FastAPI "
          f"validate+commit to SQLite: {bare_rate:,.0f} ops/s ({bare_s:.2f} s); "
          f"ratio {hub_s / bare_s:.2f}x the baseline's time)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--bare":
        import uvicorn

        uvicorn.run(bare_app(sys.argv[2]), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
        sys.exit(0)
    sys.exit(main())
