"""Run every benchmark (tests/benchmarks/bench_*.py) in its own process and print its figures.

Each bench script prints lines of the form
    <name>: <figure> <unit>  (baseline <what>: <figure> <unit>; ratio <x>)
and exits 0. ``make bench`` runs this file; CI does not (benchmarks report, tests do not time).
Pass names to run only some: ``python tests/benchmarks/run.py search startup``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(a in s.stem for a in argv)]
    failed = 0
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], cwd=HERE.parents[1])
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
        failed += proc.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
