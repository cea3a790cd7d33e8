"""The hub's HTTP face: FastAPI over ``service.Hub``.

Refusals always carry a JSON body (``protocol.Refusal``) saying why: 401 no or revoked token,
403 another branch's record, 409 an operation id reused with other content, 413 too large,
422 malformed, 426 an unsupported protocol version, 429 too many requests.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
import time
import zlib
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from loandesk.sync import protocol as p

from .db import checkpoints_in_background
from .service import Hub, HubError

DEFAULT_MAX_BODY = 8 * 1024 * 1024  # bytes of a request as sent (and of a push once decompressed)
DEFAULT_RATE = 50.0  # requests per second per device (or per address for enrolment), bursts of 10 s' worth
ENV_DB, ENV_MAX_BODY, ENV_RATE = "LOANDESK_HUB_DB", "LOANDESK_HUB_MAX_BODY", "LOANDESK_HUB_RATE"


def refusal(status: int, error: str, detail: str, **extra) -> JSONResponse:
    return JSONResponse(HubError(status, error, detail, **extra).body(), status_code=status)


class Guard:
    """Before any route (plain ASGI, no per-request task): refuse a device request without a protocol
    version this hub speaks (426), and a body over ``limit`` bytes (413), by its Content-Length or as it
    streams in."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        path = scope["path"]
        if path.startswith("/v1/") and path != "/v1/health":
            sent = headers.get(_PROTOCOL_KEY, b"").decode("latin-1") or None
            if sent is None or not sent.isdigit() or int(sent) not in p.SUPPORTED_VERSIONS:
                response = refusal(426, "protocol", f"this hub speaks sync protocol {list(p.SUPPORTED_VERSIONS)}; "
                                                    f"the request said {sent!r} (header {p.PROTOCOL_HEADER}): "
                                                    "update Loan Desk", supported=list(p.SUPPORTED_VERSIONS))
                return await response(scope, receive, send)
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._too_large(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope, receive, send):
        response = refusal(413, "too_large", f"the request is larger than this hub accepts ({self.limit} bytes)")
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


_PROTOCOL_KEY = p.PROTOCOL_HEADER.lower().encode()


class RateLimit:
    """A token bucket per key (device or address), in this process: a runaway device cannot swamp the hub."""

    def __init__(self, rate: float, burst_seconds: float = 10.0):
        self.rate, self.capacity = rate, max(1.0, rate * burst_seconds)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        moment = time.monotonic()
        with self.lock:
            level, last = self.buckets.get(key, (self.capacity, moment))
            level = min(self.capacity, level + (moment - last) * self.rate)
            if level < 1:
                self.buckets[key] = (level, moment)
                return False
            self.buckets[key] = (level - 1, moment)
            return True


def _device(request: Request) -> dict:
    """The device the request's bearer token names (401 without one), within its rate (429)."""
    return _authorised(request.app.state.hub, request.app.state.limiter, _bearer(request))


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _authorised(hub: Hub, limiter: RateLimit, token: str | None) -> dict:
    found = hub.authenticate(token)
    if not limiter.allow(f"device:{found['id']}"):
        raise HubError(429, "too_many", "too many requests from this device: wait a moment")
    return found


Device = Annotated[dict, Depends(_device)]


@contextlib.asynccontextmanager
async def _serving(app: FastAPI):
    """While the server runs. At start-up, what exists by now (the app, SQLAlchemy's and pydantic's
    tables, the modules) lives as long as the server, so it is moved out of the cyclic collector's sight:
    each full collection walked all of it, a tenth of a push's time (0.1 s of 0.9 s for 10,000
    operations), 0.015 s after. On SQLite the write-ahead log is checkpointed off the requests' path."""
    gc.collect()
    gc.freeze()
    with checkpoints_in_background(app.state.hub.engine):
        yield


def create_app(db_url: str, *, max_body: int = DEFAULT_MAX_BODY, rate: float = DEFAULT_RATE) -> FastAPI:
    hub = Hub.open(db_url)
    limiter = RateLimit(rate)
    app = FastAPI(title="Loan Desk hub", version=str(p.PROTOCOL_VERSION), docs_url=None, redoc_url=None,
                  lifespan=_serving)  # fmt: skip
    app.state.hub, app.state.limiter = hub, limiter
    # Level 5, as devices compress their pushes: a page of changes comes out 3% larger than at Starlette's
    # default 9 in a third of the time (0.04 against 0.11 s for 10,000 records).
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)

    @app.exception_handler(HubError)
    async def hub_error(_request: Request, exc: HubError):
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(SQLAlchemyError)
    async def database_down(_request: Request, exc: SQLAlchemyError):
        # 503: the device keeps its outbox and tries again later; the cause goes to the hub's log only
        logging.getLogger("loandesk.hub").error("database error: %s", exc)
        return refusal(503, "unavailable", "the hub's database is not available just now: try again later")

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, exc: RequestValidationError):
        return refusal(422, "malformed", _describe(exc.errors()))

    @app.get("/")
    def ready():
        return {"service": "loandesk-hub", "ready": True, "protocol": p.PROTOCOL_VERSION}

    @app.get("/v1/health")
    def health() -> p.Health:
        return hub.health()

    @app.post("/v1/enroll")
    def enroll(req: p.EnrollRequest, request: Request) -> p.EnrollResponse:
        if not limiter.allow(f"enrol:{request.client.host if request.client else '?'}"):
            raise HubError(429, "too_many", "too many enrolment attempts: wait a moment")
        return hub.enroll(req)

    def pushed(token: str | None, raw: bytes, gzipped: bool) -> bytes:
        # In one worker thread, in this order: who it is (nothing is parsed for an unknown device), the
        # body, the push. One hand-over per push, and the event loop never parses 200 operations.
        dev = _authorised(hub, limiter, token)
        if gzipped:
            raw = _gunzip(raw, max_body)
        try:
            req = p.PushRequest.model_validate_json(raw)
        except ValidationError as exc:
            raise HubError(422, "malformed", _describe(exc.errors())) from None
        return hub.push_json(dev, req)

    @app.post("/v1/push", response_model=p.PushResponse)
    async def push(request: Request) -> Response:
        gzipped = request.headers.get("content-encoding", "").lower() == "gzip"
        answer = await run_in_threadpool(pushed, _bearer(request), await request.body(), gzipped)
        return Response(answer, media_type="application/json")

    @app.get("/v1/changes", response_model=p.PullResponse)
    def pull(dev: Device, cursor: str | None = None, limit: int = 500) -> Response:
        return Response(hub.pull_json(dev, cursor, limit), media_type="application/json")

    @app.get("/v1/records/{entity}/{entity_id}")
    def record(entity: str, entity_id: str, dev: Device) -> p.Record:
        return hub.record(dev, entity, entity_id)

    @app.get("/v1/conflicts")
    def open_conflicts(dev: Device) -> list[p.Conflict]:
        return hub.conflicts(dev)

    @app.post("/v1/conflicts/{conflict_id}/close")
    def close_conflict(conflict_id: str, req: p.ConflictClose, dev: Device) -> dict:
        return hub.close_conflict(dev, conflict_id, req)

    @app.post("/v1/audit")
    def audit(req: p.AuditPush, dev: Device) -> p.AuditAnswer:
        return hub.receive_audit(dev, req)

    @app.post("/v1/blobs")
    def blob_start(req: p.BlobStart, dev: Device) -> p.BlobStatus:
        return hub.blob_start(dev, req)

    @app.get("/v1/blobs/{sha256}")
    def blob_status(sha256: str, _dev: Device) -> p.BlobStatus:
        return hub.blob_status(sha256)

    @app.put("/v1/blobs/{sha256}/chunks/{index}")
    async def blob_chunk(sha256: str, index: int, request: Request, _dev: Device) -> p.BlobStatus:
        return await run_in_threadpool(hub.blob_put, sha256, index, await request.body())

    return Guard(app, max_body)


def _gunzip(raw: bytes, limit: int) -> bytes:
    """Decompress a gzip body, refusing (413) one that inflates past ``limit``: no zip bombs."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise HubError(422, "malformed", "the body is not valid gzip") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise HubError(413, "too_large", f"the push inflates past what this hub accepts ({limit} bytes)")
    return out


def _describe(errors: list[dict]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "malformed request: " + "; ".join(parts) + more


def app_from_env():
    """The app for ``uvicorn --factory`` (several worker processes read their settings from the environment)."""
    return create_app(os.environ[ENV_DB], max_body=int(os.environ.get(ENV_MAX_BODY, DEFAULT_MAX_BODY)),
                      rate=float(os.environ.get(ENV_RATE, DEFAULT_RATE)))  # fmt: skip
