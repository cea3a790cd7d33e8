"""Start-up discipline: the real `loandesk` command opens the window without the heavy libraries."""

from __future__ import annotations

import os
import subprocess
import sys


def test_first_window_paints_without_pandas_reportlab_or_the_hub(home):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOANDESK_BENCHMARK_STARTUP": "1", "LOANDESK_LANG": "zh"}
    proc = subprocess.run(
        [sys.executable, "-m", "loandesk", "--home", str(home)], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line.startswith("startup-"))
    assert "startup-ready" in lines  # the window painted with the store open and its lists loaded
    assert lines["startup-heavy-modules"] == "-"
    assert (home / "loandesk.db").is_file()
