"""Network errors and 5xx answers are retried with jittered exponential backoff, bounded; refusals (4xx)
never are. Deterministic: the random draw and the sleep are injected, so no test waits."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from hubs import free_port, loandesk
from sync_homes import new_home, sync

from loandesk.sync import client
from loandesk.sync.backoff import Backoff
from users_support import open_store


def test_the_waits_grow_exponentially_with_jitter_and_are_capped():
    draws = iter([1.0, 0.5, 1.0, 0.25, 1.0, 1.0])
    plan = Backoff(attempts=7, base=0.5, cap=3.0, random=lambda: next(draws), sleep=lambda s: None)
    assert [plan.delay(n) for n in range(1, 7)] == [0.5, 0.5, 2.0, 0.75, 3.0, 3.0]


def test_an_unreachable_hub_is_tried_a_bounded_number_of_times_then_reported():
    waits: list[float] = []
    plan = Backoff(attempts=4, base=0.5, random=lambda: 1.0, sleep=waits.append)
    hub = client.HubClient(f"http://127.0.0.1:{free_port()}", "token", backoff=plan, timeout=2)
    with pytest.raises(client.SyncError) as caught:
        hub.changes(None)
    hub.close()
    assert waits == [0.5, 1.0, 2.0] and "cannot reach the hub" in caught.value.en and "无法连接" in caught.value.zh


class _Flaky(BaseHTTPRequestHandler):
    """In front of a real hub: answers 503 to the first ``failures`` requests, then passes them on."""

    failures = 0
    target = ""
    seen = 0

    def _any(self) -> None:
        type(self).seen += 1
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if type(self).seen <= type(self).failures:
            self.send_response(503)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error":"unavailable","detail":"try again later"}')
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        answer = httpx.request(self.command, self.target + self.path, headers=headers, content=body, timeout=60)
        self.send_response(answer.status_code)
        self.send_header("content-type", answer.headers.get("content-type", "application/json"))
        raw = answer.content  # decoded by httpx: passed on without its content-encoding
        self.send_header("content-length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_PUT = _any

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def flaky(hub):
    _Flaky.target, _Flaky.seen, _Flaky.failures = hub.url, 0, 2
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_hub_answering_503_is_tried_again_and_the_sync_completes(hub, flaky, tmp_path):
    home = new_home(tmp_path / "home", demo=1, seed=71)
    sync(home, hub, "330106-41")
    loandesk("--home", str(home), "demo", "--count", "1", "--seed", "72")  # more to send
    waits: list[float] = []
    store = open_store(home)
    try:
        report = client.sync(store, flaky, backoff=Backoff(random=lambda: 0.5, sleep=waits.append))
        assert report.push.applied > 0 and report.push.rejected == [] and client.unsent(store) == 0
    finally:
        store.close()
    assert waits == [0.25, 0.5] and _Flaky.seen > 2


def test_a_refusal_is_not_retried(hub, tmp_path):
    home = new_home(tmp_path / "home", demo=1, seed=73)
    device = sync(home, hub, "330106-42")["device"]
    loandesk("hub", "revoke", device, "--db", hub.db)
    waits: list[float] = []
    store = open_store(home)
    try:
        with pytest.raises(client.SyncError) as caught:
            client.sync(store, backoff=Backoff(random=lambda: 0.5, sleep=waits.append))
    finally:
        store.close()
    assert caught.value.status == 401 and "revoked" in caught.value.en and waits == []
