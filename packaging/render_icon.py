"""Render packaging/loandesk.svg to PNG sizes (Linux icon theme) and a Windows .ico, with Qt's own SVG renderer.

    python packaging/render_icon.py OUT_DIR      -> OUT_DIR/loandesk-{16..256}.png and OUT_DIR/loandesk.ico

PNGs are build output (never committed); `make bundle` and packaging/install-linux.sh run this.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
SVG = Path(__file__).resolve().parent / "loandesk.svg"


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {SVG} is not a valid SVG")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"loandesk-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"render_icon: cannot write {path}")
        written.append(path)
    ico = out_dir / "loandesk.ico"  # Qt's ico plugin writes the largest size; Windows scales it down
    if QImage(str(written[-1])).save(str(ico), "ICO"):
        written.append(ico)
    return written


if __name__ == "__main__":
    for path in render(Path(sys.argv[1] if len(sys.argv) > 1 else "build/icons")):
        print(path)
