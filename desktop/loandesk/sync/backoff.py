"""Retrying a hub call after a network error or a 5xx, with jittered exponential backoff.

"Full jitter": before attempt n (n >= 1) wait a random time in [0, min(cap, base * 2**(n-1))], so a
branch's laptops coming back online together do not all knock at once. Bounded: after ``attempts``
tries the last error goes to the caller (the outbox keeps everything; the next sync tries again).
``random`` and ``sleep`` are injectable so tests are deterministic and never wait.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


class Retryable(Exception):
    """A failure worth trying again: the network, or the hub answering 5xx."""


@dataclass
class Backoff:
    attempts: int = 5
    base: float = 0.5
    cap: float = 20.0
    random: Callable[[], float] = _random.random
    sleep: Callable[[float], None] = time.sleep
    waits: list[float] = field(default_factory=list)  # what was waited, for the report and for tests

    def delay(self, attempt: int) -> float:
        return self.random() * min(self.cap, self.base * 2 ** (attempt - 1))

    def run(self, call: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except Retryable:
                if attempt == self.attempts:
                    raise
                wait = self.delay(attempt)
                self.waits.append(wait)
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


def no_retry() -> Backoff:
    return Backoff(attempts=1)
