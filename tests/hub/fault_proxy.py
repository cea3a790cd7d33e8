"""A TCP proxy on loopback that misbehaves on purpose, between a device and a real hub process.

Faults are drawn from a seeded ``random.Random``, so a failing run can be replayed:

* ``drop``: a new connection is closed at once (the device sees a reset or an empty answer);
* ``truncate``: a chunk of the hub's answer is cut to half and both sides closed (the hub did the work,
  the device never heard back: its resend must be acknowledged as a duplicate);
* ``fail_503``: the next N connections are answered ``503 Service Unavailable`` without reaching the hub;
* ``cut_after_up``: after that many request bytes the connection is cut mid-request (an upload cut half-way);
* ``down_delay`` / ``up_delay``: seconds to wait before passing on each chunk (a slow link);
* ``stall_up = (b"POST /v1/push", n)``: a request starting so is passed on for its first n bytes only, then
  held (the hub is mid-request: kill it now); ``stall_down = b"POST /v1/push"``: the hub's answer to such
  a request is held (the hub has done the work: kill the device now). ``calm()`` lifts every fault.

``paused`` answers nothing new (connections refused as if the hub were gone). ``restart_hub`` starts a
hub again on the same database and port after it was killed.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import random
import subprocess
import sys
import tempfile
import threading

from hubs import HubProcess, free_port

SERVICE_UNAVAILABLE = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 40\r\nConnection: close\r\n\r\n"
                       b'{"error":"busy","detail":"hub is busy."}')  # fmt: skip


class FaultProxy:
    def __init__(self, upstream_port: int, *, seed: int = 0, drop: float = 0.0, truncate: float = 0.0,
                 chunk: int = 64 * 1024) -> None:  # fmt: skip
        self.upstream_port, self.port = upstream_port, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.rng = random.Random(seed)
        self.drop, self.truncate, self.chunk = drop, truncate, chunk
        self.fail_503 = 0
        self.cut_after_up: int | None = None
        self.up_delay = self.down_delay = 0.0
        self.stall_up: tuple[bytes, int] | None = None
        self.stall_down: bytes | None = None
        self.stats: collections.Counter = collections.Counter()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fault-proxy")
        self._thread.start()
        self._call(self._start())

    def _call(self, coro, timeout: float = 10):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    def close(self) -> None:
        async def stop() -> None:
            self._server.close()
            await self._server.wait_closed()

        with contextlib.suppress(Exception):
            self._call(stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def calm(self) -> None:
        """No more faults: pass everything on."""
        self.drop = self.truncate = self.up_delay = self.down_delay = 0.0
        self.fail_503, self.cut_after_up = 0, None
        self.stall_up = self.stall_down = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stats["connections"] += 1
        if self.fail_503 > 0:
            self.fail_503 -= 1
            self.stats["503"] += 1
            with contextlib.suppress(Exception):
                await reader.read(self.chunk)
                writer.write(SERVICE_UNAVAILABLE)
                await writer.drain()
            writer.close()
            return
        if self.rng.random() < self.drop:
            self.stats["dropped"] += 1
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:  # the hub is down: the device sees its connection closed
            self.stats["no_upstream"] += 1
            writer.close()
            return
        writers = (writer, up_writer)
        link = {"request": b"", "request_bytes": 0}  # what the device last asked on this connection
        await asyncio.gather(self._pipe(reader, up_writer, writers, link, up=True),
                             self._pipe(up_reader, writer, writers, link, up=False))  # fmt: skip

    async def _hold(self, writers, still, src=None) -> bool:
        """Wait while ``still()``; False if a side went meanwhile (a writer closed, or ``src`` saw its end:
        the hub died while its answer was held, so that answer is lost as it would be on a broken link)."""
        while still():  # (asyncio's StreamReader has no public "the peer closed" flag: _eof is it)
            if any(w.is_closing() for w in writers) or (src is not None and src._eof):
                return False
            await asyncio.sleep(0.05)
        return True

    async def _pipe(self, src, dst, writers, link: dict, *, up: bool) -> None:
        sent = 0
        try:
            while data := await src.read(self.chunk):
                await asyncio.sleep(self.up_delay if up else self.down_delay)
                if up and data[:8].split(b" ")[0] in (b"GET", b"POST", b"PUT", b"DELETE"):
                    link["request"], link["request_bytes"] = data[:80], 0
                if up and self.stall_up and link["request"].startswith(self.stall_up[0]):
                    room = self.stall_up[1] - link["request_bytes"]
                    if len(data) > room:
                        dst.write(data[: max(room, 0)])
                        self.stats["stalled"] += 1
                        await self._hold(writers, lambda: True, src)  # until the hub or the device goes
                        break
                if not up and self.stall_down and link["request"].startswith(self.stall_down):
                    self.stats["held"] += 1
                    if not await self._hold(writers, lambda: self.stall_down is not None, src):
                        break
                link["request_bytes"] += len(data) if up else 0
                if up and self.cut_after_up is not None and sent + len(data) > self.cut_after_up:
                    dst.write(data[: max(0, self.cut_after_up - sent)])
                    self.stats["cut"] += 1
                    self.cut_after_up = None  # once
                    break
                if not up and self.rng.random() < self.truncate:
                    dst.write(data[: len(data) // 2])
                    self.stats["truncated"] += 1
                    break
                dst.write(data)
                await dst.drain()
                sent += len(data)
                self.stats["bytes_up" if up else "bytes_down"] += len(data)
        except (ConnectionError, OSError):
            pass
        for w in writers:  # one side ended or was cut: end both, as a broken link does
            with contextlib.suppress(Exception):
                w.close()


def restart_hub(old: HubProcess) -> HubProcess:
    """A hub on ``old``'s database and port again (after it was killed): devices find it where it was."""
    hub = HubProcess.__new__(HubProcess)
    hub.db, hub.port, hub.url, hub.verify = old.db, old.port, old.url, old.verify
    hub.log = tempfile.TemporaryFile()
    hub.proc = subprocess.Popen([sys.executable, "-m", "loandesk", "hub", "serve", "--db", old.db, "--host",
                                 "127.0.0.1", "--port", str(old.port)], stdout=hub.log,
                                stderr=subprocess.STDOUT)  # fmt: skip
    hub._wait()
    return hub
