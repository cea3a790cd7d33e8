"""Helpers for the hub tests: real hub processes, a throw-away PostgreSQL cluster, devices that push and pull."""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from loandesk.sync import protocol as p

_counter = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loandesk(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """The ``loandesk`` command in a subprocess (the clock pinned as in every test)."""
    done = subprocess.run([sys.executable, "-m", "loandesk", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})  # fmt: skip
    if check and done.returncode != 0:
        raise AssertionError(f"loandesk {' '.join(args)} exited {done.returncode}: {done.stderr or done.stdout}")
    return done


# ---- PostgreSQL ----------------------------------------------------------------------------------------
def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PgCluster:
    def __init__(self, bindir: Path):
        self.bindir, self.port = bindir, free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="loandesk-pg-"))
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run the cluster as the postgres user
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.dir / "data"

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self.as_user, *cmd], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "hub", "--auth=trust", "-E", "UTF8",
                  "--no-sync")  # fmt: skip
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w",
                  "start")  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def new_database(self) -> str:
        import psycopg

        name = f"hub_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(f"postgresql://hub@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://hub@127.0.0.1:{self.port}/{name}"


# ---- hub processes -------------------------------------------------------------------------------------
class HubProcess:
    def __init__(self, db: str, *extra: str, env: dict | None = None, scheme: str = "http", verify=True):
        self.db, self.port = db, free_port()
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.verify = ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
        cmd = [sys.executable, "-m", "loandesk", "hub", "serve", "--db", db, "--host", "127.0.0.1", "--port",
               str(self.port), *extra]  # fmt: skip
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self._wait()

    def _wait(self) -> None:
        for _ in range(240):
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise AssertionError(f"the hub exited {self.proc.returncode}: {self.log.read().decode()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/", timeout=1, verify=self.verify).status_code == 200:
                    return
            time.sleep(0.25)
        raise AssertionError("the hub did not answer GET / in 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()

    def client(self, token: str | None = None, **headers) -> httpx.Client:
        base = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}
        if token:
            base["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.url, headers={**base, **headers}, timeout=60, verify=self.verify)

    def code(self, branch: str, *extra: str, env: dict | None = None) -> str:
        out = loandesk("hub", "enroll", "--db", self.db, "--branch", branch, *extra, env=env).stdout
        return out.strip().splitlines()[-1].split()[-1]

    def enrol(self, branch: str, device_id: str | None = None) -> Device:
        from loandesk.core import ids

        device_id = device_id or ids.new_id()
        with self.client() as c:
            answer = c.post("/v1/enroll", json={"code": self.code(branch), "device_id": device_id})
        assert answer.status_code == 200, answer.text
        return Device(self, device_id, answer.json()["token"], answer.json()["branch"])


class Device:
    """A device as the hub sees it: its id, token and a sequence for the operations it makes."""

    def __init__(self, hub: HubProcess, device_id: str, token: str, branch: str):
        self.hub, self.id, self.token, self.branch = hub, device_id, token, branch
        self.seq = itertools.count(1)

    def op(self, entity: str, entity_id: str, payload: dict, *, op: str = "insert", base: int | None = None,
           changed: list[str] | None = None, op_id: str | None = None) -> dict:  # fmt: skip
        from loandesk.core import clock, ids

        return p.Operation.build(op_id=op_id or ids.new_id(), device_seq=next(self.seq), entity=entity,
                                 entity_id=entity_id, op=op, base_version=base, changed=changed or sorted(payload),
                                 payload=payload, schema_version=1, device=self.id,
                                 device_time=clock.stamp()).model_dump()  # fmt: skip

    def push(self, *ops: dict, **extra) -> httpx.Response:
        with self.hub.client(self.token) as c:
            return c.post("/v1/push", json={"device": self.id, "ops": list(ops)} | extra)

    def pull(self, cursor: str | None = None, limit: int = 500) -> dict:
        with self.hub.client(self.token) as c:
            answer = c.get("/v1/changes", params={"limit": limit, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def pull_all(self, cursor: str | None = None) -> tuple[list[dict], str | None]:
        got = []
        while True:
            page = self.pull(cursor)
            got += page["changes"]
            cursor = page["cursor"]
            if not page["more"]:
                return got, cursor
