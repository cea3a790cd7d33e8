"""Windows open no larger than the screen they are on: a 1366x768 laptop, or a larger screen at 125% or
150% scaling (1920x1080 at 150% leaves 1280x720), shows every window whole, title bar included."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for what the window manager adds around a window (title bar, borders), unknown before it is shown.
FRAME_W, FRAME_H = 4, 48  # (side borders are thin or invisible: a list needs every pixel of a 1366 screen)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, made smaller where the screen's free area is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, max(free.width() - FRAME_W, 200))
        height = min(height, max(free.height() - FRAME_H, 200))
    widget.resize(width, height)
