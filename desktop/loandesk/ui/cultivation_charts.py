"""Charts for the cultivation dashboard, drawn with QPainter (no chart library to load at start-up).

One widget, ``BarChart``: a title and horizontal bars, each with its label on the left and its
figure on the right, so long Chinese labels and large numbers never overlap the bars. The funnel is
the same chart with its steps in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#2f6fb0")
TRACK = QColor("#e8edf3")
ROW_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the figure as shown, e.g. "14,458" or "28.6%"


class BarChart(QWidget):
    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[Bar] = []
        self.empty_text = ""
        self.maximum: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[Bar], empty_text: str = "", maximum: float | None = None) -> None:
        """``maximum``: the value a full bar stands for (1.0 for shares); default the largest bar."""
        self.bars = list(bars)
        self.maximum = maximum
        self.empty_text = empty_text
        self.setToolTip("\n".join(f"{b.label}: {b.text}" for b in self.bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 30 + ROW_HEIGHT * max(1, len(self.bars)) + 6)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.drawText(QRectF(0, 0, self.width(), 24), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.title)  # fmt: skip
        painter.setFont(self.font())
        metrics = painter.fontMetrics()
        if not self.bars:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(QRectF(0, 28, self.width(), ROW_HEIGHT), Qt.AlignmentFlag.AlignLeft, self.empty_text)
            return
        label_w = min(max(metrics.horizontalAdvance(b.label) for b in self.bars) + 10, self.width() * 0.45)
        text_w = max(metrics.horizontalAdvance(b.text) for b in self.bars) + 10
        track_w = max(20.0, self.width() - label_w - text_w)
        top = self.maximum or max((b.value for b in self.bars), default=0) or 1
        for i, b in enumerate(self.bars):
            y = 28 + i * ROW_HEIGHT
            painter.setPen(self.palette().text().color())
            label = metrics.elidedText(b.label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            painter.drawText(QRectF(0, y, label_w - 8, ROW_HEIGHT - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)  # fmt: skip
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(QRectF(label_w, y + 3, track_w, ROW_HEIGHT - 10), 3, 3)
            painter.setBrush(BAR)
            width = track_w * min(1.0, max(0.0, b.value) / top)
            if width > 0:
                painter.drawRoundedRect(QRectF(label_w, y + 3, max(width, 2.0), ROW_HEIGHT - 10), 3, 3)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(label_w + track_w + 6, y, text_w, ROW_HEIGHT - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, b.text)  # fmt: skip
        painter.end()
