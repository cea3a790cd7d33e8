"""The windows on a 1366x768 laptop and at 125% and 150% scaling (a 1920x1080 screen): each opens whole on
the screen and no label or button is cut short. Each size runs in a process of its own (QT_SCALE_FACTOR
and the offscreen screen's size are fixed when Qt starts); the screenshots stay in the test's folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

CHILD = Path(__file__).with_name("scaling_child.py")
WINDOWS = ("main", "intake", "about", "guide")


@pytest.mark.parametrize(("screen", "scale"), [((1366, 768), 1.0), ((1920, 1080), 1.25), ((1920, 1080), 1.5)])
def test_windows_fit_and_nothing_is_clipped(tmp_path, screen, scale):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": screen[0],
                                               "height": screen[1], "logicalDpi": 96, "dpr": 1}]}))  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": str(scale),
           "PYTHONPATH": os.pathsep.join([str(CHILD.parent.parent), *sys.path])}  # fmt: skip
    env.pop("LOANDESK_HOME", None)
    done = subprocess.run([sys.executable, str(CHILD), str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=180)  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("scaling-report ")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    report = json.loads(lines[0].removeprefix("scaling-report "))
    logical = [round(screen[0] / scale), round(screen[1] / scale)]
    assert abs(report["screen"][0] - logical[0]) <= 1 and abs(report["screen"][1] - logical[1]) <= 1
    assert report["ready"]
    for name in WINDOWS:
        shown = report["windows"][name]
        assert shown["fits"], (name, shown, report["screen"])  # whole on the screen, title bar's room kept
        image = QImage(str(tmp_path / f"{name}.png"))
        assert not image.isNull()
        assert abs(image.width() - shown["size"][0] * scale) <= 2, name  # drawn at the scale asked for
    assert report["clipped"] == [], report["clipped"]
    assert not report["intake_scrolls_sideways"]  # the form's fields fit its width: only up and down
