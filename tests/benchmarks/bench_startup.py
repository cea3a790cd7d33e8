"""Start-up: process start to the first painted main window with the store open and its lists loaded,
against a bare PySide6 window with one QTableView measured the same way in the same run.

Both are timed from just before the process is spawned to the moment the child reports its
first paint (wall clock, so interpreter start and imports count). Goal: within 1.5x.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
ROOT = Path(__file__).resolve().parents[2]

BARE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
model = QStandardItemModel(60, 8)
for r in range(60):
    for c in range(8):
        model.setItem(r, c, QStandardItem(f"{r}-{c}"))
view = QTableView()
view.setModel(model)
window.setCentralWidget(view)
window.resize(1200, 760)
class Watch(QObject):
    done = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print(f"startup-ready {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watch = Watch()
view.viewport().installEventFilter(watch)
window.show()
app.exec()
"""


def timed(cmd: list[str], env: dict) -> float:
    started = time.time()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    for line in proc.stdout.splitlines():
        if line.startswith("startup-ready "):
            return float(line.split()[1]) - started
    raise RuntimeError(f"{cmd[:3]} did not report: rc={proc.returncode} {proc.stderr[-800:]}")


def main() -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env.update(LOANDESK_CACHE=str(Path(tmp) / "qm"), LOANDESK_LANG="zh")
        subprocess.run([sys.executable, "-m", "loandesk", "--home", str(home), "demo", "--count", "60"],
                       env=env, check=True, capture_output=True, cwd=ROOT)  # fmt: skip
        app_cmd = [sys.executable, "-m", "loandesk", "--home", str(home)]
        bare_cmd = [sys.executable, "-c", BARE]
        app_env = {**env, "LOANDESK_BENCHMARK_STARTUP": "1"}
        timed(app_cmd, app_env)  # warm-up: compiles the translations into the cache, fills the OS cache
        timed(bare_cmd, env)
        app_times, bare_times = [], []
        for _ in range(RUNS):  # interleaved, so load on the machine hits both alike
            bare_times.append(timed(bare_cmd, env))
            app_times.append(timed(app_cmd, app_env))
    app_ms, bare_ms = statistics.median(app_times) * 1000, statistics.median(bare_times) * 1000
    print(
        f"startup to first painted main window (store open, lists loaded): {app_ms:.0f} ms "
        f"(baseline bare PySide6 window with one QTableView: {bare_ms:.0f} ms; ratio {app_ms / bare_ms:.2f}x; "
        f"median of {RUNS}, goal <= 1.5x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
