"""Run by test_scaling.py in a process of its own (QT_SCALE_FACTOR and the screen are per process):
opens the main window, a new intake form, About and the user guide in Chinese on a demo home, saves a
screenshot of each into
the folder given, and prints one JSON line: each window's size, the screen's, and every clipped widget."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import loandesk.ui  # noqa: F401  (its PySide6 work-around first)

# isort: split
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QCheckBox, QLabel, QPushButton

from loandesk.core.i18n import set_language
from loandesk.demo import populate
from loandesk.storage import Store
from loandesk.ui import i18n
from loandesk.ui.app import make_app


def pump(app: QApplication, seconds: float, until=None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (until and until()):
        app.processEvents()
        time.sleep(0.01)


def in_scroll_area(widget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QLabel):
            return True
        parent = parent.parentWidget()
    return False


def clipped(window) -> list[dict]:
    """Visible labels and buttons narrower or lower than their text needs, or cut off by the window's edge."""
    found = []
    frame = window.rect()
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.window() is not window or not widget.isVisible() or widget.width() <= 0:
            continue  # (the intake form is the main window's child, but a window of its own)
        if not isinstance(widget, QLabel | QPushButton | QCheckBox) or widget.objectName().startswith("qt_"):
            continue
        text = widget.text()
        if not text.strip():
            continue
        hint = widget.sizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap():
            need_w, need_h = 0, widget.heightForWidth(widget.width())
        else:
            need_w, need_h = hint.width(), hint.height()
        short = widget.width() < need_w - 1 or widget.height() < need_h - 1
        top_left = widget.mapTo(window, widget.rect().topLeft())
        bottom_right = widget.mapTo(window, widget.rect().bottomRight())
        outside = not in_scroll_area(widget) and not (frame.contains(top_left) and frame.contains(bottom_right))
        if short or outside:
            found.append(
                {
                    "class": type(widget).__name__,
                    "text": text[:60],
                    "size": [widget.width(), widget.height()],
                    "needs": [need_w, need_h],
                    "outside": outside,
                    "in": type(window).__name__,
                }
            )
    return found


def main() -> int:
    out = Path(sys.argv[1])
    app = make_app([])
    set_language("zh")
    i18n.install_translators(app, "zh")
    home = Path(tempfile.mkdtemp(prefix="loandesk-scaling-")) / "home"
    store = Store.open(home, branch="HZ01")
    populate(store, 20)
    store.close()
    from loandesk.ui.main_window import MainWindow

    window = MainWindow(home, lang="zh", offer_demo=False, offer_drafts=False)
    ready = []
    window.ready.connect(lambda: ready.append(True))
    window.show()
    pump(app, 20, lambda: bool(ready))
    pump(app, 0.5)
    screen = app.primaryScreen().availableGeometry()
    report = {"screen": [screen.width(), screen.height()], "ready": bool(ready), "windows": {}, "clipped": []}
    form = window.new_intake()
    pump(app, 1.5)
    window.about()
    about = window.about_dialog
    pump(app, 10, lambda: about.facts is not None)
    guide = window.help_actions.open("decisions")
    pump(app, 10, lambda: guide.current is not None)
    pump(app, 0.3)
    for name, shown in (("main", window), ("intake", form), ("about", about), ("guide", guide)):
        geometry = shown.frameGeometry()
        report["windows"][name] = {"size": [shown.width(), shown.height()],
                                   "frame": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
                                   "fits": screen.contains(geometry)}  # fmt: skip
        shown.grab().save(str(out / f"{name}.png"))
        report["clipped"] += clipped(shown)
    hbar = form.scroll_area.horizontalScrollBar()
    report["intake_scrolls_sideways"] = hbar.isVisible() and hbar.maximum() > 0
    print("scaling-report " + json.dumps(report, ensure_ascii=False), flush=True)
    form.close_silently()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
