"""Sign-in cost: unwrapping the store key with a password (Argon2id at the shipped parameters).

Baseline in the same run: SQLCipher 4's own key derivation for a passphrase (PBKDF2-HMAC-SHA512,
256,000 iterations), what opening the store with a password would cost without a key ring. The goal
(issue 8) is a fraction of a second on a branch laptop.

Login to first painted window: the real ``loandesk`` GUI on a home made like ``loandesk demo`` (four
users at the shipped Argon2id parameters, 60 enterprises), signing in through its login dialog
(LOANDESK_BENCHMARK_STARTUP fills it in); measured from pressing "Sign in" to the window painted with
its lists loaded. Baseline in the same run: opening that home's store with its key already unwrapped
(Store.open, migrations checked, first list page read), the part of sign-in that is not the unwrap.
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "desktop"))

from loandesk.security import kdf
from loandesk.security.keyring import Keyring, new_store_key

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_LOGIN_RUNS", "7"))


def timed(fn) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def demo_home(home: Path) -> bytes:
    """A home as ``loandesk demo`` leaves it (users at the real Argon2id cost); returns its store key."""
    from loandesk.core.intake import validate_intake
    from loandesk.demo import DEMO_PASSWORD, DEMO_USERS, demo_record
    from loandesk.security import session as sessions

    (admin, _, admin_name), *others = DEMO_USERS
    session = sessions.create_home(home, admin, DEMO_PASSWORD, admin_name)
    for username, role, shown in others:
        sessions.add_user(session, username, role, DEMO_PASSWORD, shown)
    rng = random.Random(5)
    session.store.import_enterprises([validate_intake(demo_record(rng, i)).values for i in range(60)])
    key = session.key
    session.close()
    return key


def gui_login(home: Path, tmp: Path) -> float:
    """Seconds from pressing "Sign in" to the painted window, in a fresh ``loandesk`` process."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "LOANDESK_LANG": "zh",
           "LOANDESK_BENCHMARK_STARTUP": "1", "LOANDESK_USER": "officer", "LOANDESK_PASSWORD": "demo",
           "LOANDESK_CACHE": str(tmp / "qm")}  # fmt: skip
    env.pop("LOANDESK_KDF", None)  # the shipped parameters, as on a branch laptop
    proc = subprocess.run([sys.executable, "-m", "loandesk", "--home", str(home)], env=env, capture_output=True,
                          text=True, timeout=120, cwd=ROOT)  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"loandesk failed: {proc.stderr[-1500:]}")
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line.startswith("startup-"))
    return float(lines["startup-ready"]) - float(lines["startup-sign-in"])


def store_open(home: Path, key: bytes) -> None:
    from loandesk.security.session import StaticKey
    from loandesk.storage import Store

    store = Store.open(home, StaticKey(key))
    store.application_rows("", "ref", True, 0, 200)  # the first page the window shows
    store.count_applications("")
    store.close()


def main() -> int:
    os.environ.pop("LOANDESK_KDF", None)
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
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        key = demo_home(home)
        gui_login(home, Path(tmp))  # warm: translations compiled into the cache, files in the page cache
        opened, logins = [], []
        for _ in range(max(3, RUNS // 2)):  # interleaved, so load on the machine hits both alike
            started = time.perf_counter()
            store_open(home, key)
            opened.append(time.perf_counter() - started)
            logins.append(gui_login(home, Path(tmp)))
        login, bare = statistics.median(logins), statistics.median(opened)
    print(f"login to first painted window (sign-in pressed -> lists painted): {login * 1000:.0f} ms  "
          f"(baseline Store.open with the key already unwrapped: {bare * 1000:.0f} ms; ratio {login / bare:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
