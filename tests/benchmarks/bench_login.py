"""Sign-in cost: unwrapping the store key with a password (Argon2id at the shipped parameters).

Baseline in the same run: SQLCipher 4's own key derivation for a passphrase (PBKDF2-HMAC-SHA512,
256,000 iterations), what opening the store with a password would cost without a key ring. The goal
(issue 8) is a fraction of a second on a branch laptop. Login to first painted window is measured
once the login dialog is wired (bench_startup).
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "desktop"))

from loandesk.security import kdf
from loandesk.security.keyring import Keyring, new_store_key

RUNS = int(os.environ.get("BENCH_LOGIN_RUNS", "7"))


def timed(fn) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ring = Keyring.create(Path(tmp), "bench")
        key = new_store_key()
        ring.wrap("admin", "a branch password", key, kdf.DEFAULT)
        unwrap = timed(lambda: ring.unwrap("admin", "a branch password"))
    pbkdf2 = timed(lambda: hashlib.pbkdf2_hmac("sha512", b"a branch password", b"0123456789abcdef", 256_000))
    p = kdf.DEFAULT
    print(f"key unwrap (argon2id t={p.time_cost} m={p.memory_kib // 1024} MiB p={p.parallelism}): "
          f"{unwrap * 1000:.0f} ms  (baseline SQLCipher 4 PBKDF2-SHA512 256k: {pbkdf2 * 1000:.0f} ms; "
          f"ratio {unwrap / pbkdf2:.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
