"""Ids made on the device, so records synced later never need renumbering.

* ``new_id()``: a UUIDv7 (RFC 9562): time-ordered, so indexes stay compact and
  newer records sort last, and random enough to never collide across devices.
* Reference numbers people read out: ``A-HZ01-7K3Q-000042`` = kind, branch,
  device, per-device sequence.
"""

from __future__ import annotations

import os
import re
import time

REF_KINDS = {"enterprise": "E", "application": "A", "memo": "M"}
_DEVICE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over a counter


def new_id() -> str:
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= (rand >> 68 & 0xFFF) << 64  # rand_a (12 bits)
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b
    # The UUID's usual text (8-4-4-4-12 hex digits), written out here: the uuid module imports
    # platform and more, on the way to the GUI's first window, for this one line.
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_device_code() -> str:
    import secrets  # once per device: hmac and hashlib stay off the way to the GUI's first window

    return "".join(secrets.choice(_DEVICE_ALPHABET) for _ in range(4))


def make_ref(kind: str, branch: str, device: str, seq: int) -> str:
    return f"{REF_KINDS[kind]}-{branch}-{device}-{seq:06d}"


def valid_branch(branch: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9]{2,8}", branch or ""))
