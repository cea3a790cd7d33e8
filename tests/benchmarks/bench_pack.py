"""The pack in force, parsed once: ``decide`` over many stored applications with an installed pack.

Figure: ``score_application`` for every application of a demo home, the pack in force looked up for
each one as ``decide`` does (parsed once, then found by its hash). Baseline measured in the same run
on the same home: the same decisions with the parsed pack forgotten before each one, i.e. the pack
read from the store and parsed for every decision (as before the cache). Shown for the shipped pack
and for the same pack padded to just under the 1 MB bound (what a large head-office pack costs).
Usage: python tests/benchmarks/bench_pack.py [APPLICATIONS]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from loandesk.core import clock
    from loandesk.demo import populate
    from loandesk.scoring import service
    from loandesk.scoring.pack import MAX_PACK_BYTES, default_pack_path
    from loandesk.storage import Store

    count = int(argv[0]) if argv else 200
    clock.pin(dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC))  # inside the shipped pack's validity
    work = Path(tempfile.mkdtemp(prefix="bench_pack_"))
    store = Store.open(work / "home", branch="HZ01")
    ids = populate(store, count, seed=11)
    text = default_pack_path().read_text(encoding="utf-8")
    padding = "# " + "x" * 98 + "\n"
    big = text + padding * ((MAX_PACK_BYTES - len(text.encode()) - 200) // len(padding))
    for name, body in (("shipped", text), ("near_1mb", big)):
        path = work / f"{name}.toml"
        path.write_text(body.replace('version = "2026.2"', f'version = "2026.2-{name}"'), encoding="utf-8")
        service.install_pack(store, path)

        def decide(forget: bool) -> float:
            t = time.perf_counter()
            for app_id in ids:
                if forget:
                    service.forget_parsed_packs(store)
                service.score_application(store, app_id)
            return time.perf_counter() - t

        decide(False)  # warm: pandas, the first parse
        cached, parsed = decide(False), decide(True)
        size = len(body.encode())
        print(f"decide_{len(ids)}_{name}_pack: {cached:.3f} s  (baseline the pack parsed for every decision: "
              f"{parsed:.3f} s; ratio {parsed / cached:.1f}x)")
        print(f"# {name} pack {size:,} bytes: {cached / len(ids) * 1000:.2f} ms per decision cached, "
              f"{parsed / len(ids) * 1000:.2f} ms parsed each time", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
