"""ScorePanel: decision, grade, limit, rate, factor points, reasons and what would change, live.

``set_record(record)`` takes a dict in data dictionary names, as a form holds it (strings or typed
values), waits ~300 ms for typing to settle, then scores on a QThreadPool worker; a result for an
older record is dropped. Scoring is ``loandesk.scoring.service.score_record`` (no Qt, no store).
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from loandesk.core.i18n import language

DECISION_COLOURS = {"approve": "#1b7f3b", "refer": "#b26a00", "decline": "#b3261e"}


class _Signals(QObject):
    done = Signal(int, object)  # generation, ScoreResult or Exception


class _ScoreJob(QRunnable):
    def __init__(self, generation: int, record: dict, pack, signals: _Signals):
        super().__init__()
        self.generation, self.record, self.pack, self.signals = generation, record, pack, signals

    def run(self) -> None:  # worker thread: no widgets touched here
        from loandesk.scoring.service import score_record

        try:
            result = score_record(self.record, self.pack)
        except Exception as exc:  # shown in the panel; the GUI must not die on a bad pack or value
            result = exc
        self.signals.done.emit(self.generation, result)


class FactorChart(QWidget):
    """Horizontal bars: each factor's points against its best, drawn with QPainter (no QtCharts here)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.factors: list[dict] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_factors(self, factors: list[dict]) -> None:
        self.factors = factors
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 8 + 22 * max(1, len(self.factors)))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        lang = language()
        metrics = painter.fontMetrics()
        label_w = max([metrics.horizontalAdvance(f[f"label_{lang}"]) for f in self.factors] + [60]) + 8
        text_w = metrics.horizontalAdvance("000/000") + 8
        bar_w = max(40, self.width() - label_w - text_w - 8)
        top = max((f["max_points"] for f in self.factors), default=1) or 1
        for i, f in enumerate(self.factors):
            y = 4 + i * 22
            painter.setPen(self.palette().text().color())
            painter.drawText(0, y, label_w - 6, 18, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f[f"label_{lang}"])  # fmt: skip
            painter.fillRect(label_w, y + 3, int(bar_w * f["max_points"] / top), 12, QColor("#e3e3e3"))
            share = f["points"] / f["max_points"] if f["max_points"] else 0
            colour = "#1b7f3b" if share >= 0.75 else "#b26a00" if share >= 0.4 else "#b3261e"
            width = int(bar_w * max(f["points"], 0) / top)
            painter.fillRect(label_w, y + 3, width, 12, QColor(colour))
            painter.drawText(label_w + bar_w + 6, y, text_w, 18, Qt.AlignmentFlag.AlignVCenter,
                             f"{f['points']:g}/{f['max_points']:g}")  # fmt: skip
        painter.end()


class ScorePanel(QWidget):
    """Scores a record off the GUI thread and shows the result. ``scored`` fires with each result."""

    scored = Signal(object)
    DEBOUNCE_MS = 300

    def __init__(self, parent=None, pack=None):
        super().__init__(parent)
        self.pack = pack
        self.result = None
        self._record: dict | None = None
        self._generation = itertools.count(1)
        self._latest = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.decision_label = QLabel(self.tr("Not scored yet"))
        font = self.decision_label.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.decision_label.setFont(font)
        layout.addWidget(self.decision_label)
        figures = QFormLayout()
        self.score_value, self.grade_value = QLabel("—"), QLabel("—")
        self.limit_value, self.rate_value, self.size_value = QLabel("—"), QLabel("—"), QLabel("—")
        figures.addRow(self.tr("Score"), self.score_value)
        figures.addRow(self.tr("Grade"), self.grade_value)
        figures.addRow(self.tr("Credit limit"), self.limit_value)
        figures.addRow(self.tr("Annual rate"), self.rate_value)
        self.term_value = QLabel("—")
        self.term_value.setWordWrap(True)
        figures.addRow(self.tr("Term"), self.term_value)
        figures.addRow(self.tr("Enterprise size"), self.size_value)
        layout.addLayout(figures)
        box = QGroupBox(self.tr("Points by factor"))
        self.chart = FactorChart()
        QVBoxLayout(box).addWidget(self.chart)
        layout.addWidget(box)
        self.reasons_box, self.reasons_label = self._text_box(self.tr("Reasons"))
        self.changes_box, self.changes_label = self._text_box(self.tr("What would change the outcome"))
        layout.addWidget(self.reasons_box)
        layout.addWidget(self.changes_box)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        layout.addStretch(1)

    def _text_box(self, title: str) -> tuple[QGroupBox, QLabel]:
        box = QGroupBox(title)
        label = QLabel("—")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        QVBoxLayout(box).addWidget(label)
        return box, label

    # ---- public ------------------------------------------------------------------------------
    def set_record(self, record: dict) -> None:
        """Schedule scoring of ``record`` (debounced); the newest record always wins."""
        self._record = dict(record)
        self._latest = next(self._generation)
        self.status_label.setText(self.tr("Scoring…"))
        self._timer.start()

    def wait_idle(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)

    # ---- internals ---------------------------------------------------------------------------
    def _start(self) -> None:
        self._pool.start(_ScoreJob(self._latest, self._record, self.pack, self._signals))

    def _on_done(self, generation: int, result) -> None:
        if generation != self._latest:
            return  # stale: the record changed while this one was being scored
        if isinstance(result, Exception):
            message = result.message(language()) if hasattr(result, "message") else str(result)
            self.status_label.setText(self.tr("Could not score: %1").replace("%1", message))
            return
        self.result = result
        self._show(result)
        self.scored.emit(result)

    def _show(self, r) -> None:
        lang = language()
        names = {"approve": self.tr("Approve"), "refer": self.tr("Refer to approver"), "decline": self.tr("Decline")}
        self.decision_label.setText(names[r.decision])
        self.decision_label.setStyleSheet(f"color: {DECISION_COLOURS[r.decision]}")
        self.score_value.setText(f"{r.score:g}")
        self.grade_value.setText(r.grade)
        self.limit_value.setText(self.tr("%1 yuan").replace("%1", f"{r.limit:,}"))
        lending = r.decision != "decline" and r.limit > 0  # no rate or term for a line of 0 yuan
        if r.rate is None or not lending:
            self.rate_value.setText("—")
        else:
            self.rate_value.setText(self.tr("%1% (LPR %2% of %3)").replace("%1", f"{r.rate:.2f}")
                                    .replace("%2", f"{r.lpr['1y']:.2f}").replace("%3", r.lpr["date"]))  # fmt: skip
        sizes = {"large": self.tr("Large"), "medium": self.tr("Medium"), "small": self.tr("Small"),
                 "micro": self.tr("Micro")}  # fmt: skip
        self.size_value.setText(sizes.get(r.size_class, "—"))
        self.chart.set_factors(r.factors)
        self.reasons_label.setText("\n".join(f"• {t}" for t in r.texts("reasons", lang)) or self.tr("None"))
        self.changes_label.setText("\n".join(f"• {t}" for t in r.texts("what_would_change", lang)) or self.tr("None"))
        if not lending:
            self.term_value.setText("—")
        elif r.revolving and r.validity_months:
            self.term_value.setText(self.tr("%1 months, revolving within %2 months").replace("%1", str(r.term_months))
                                    .replace("%2", str(r.validity_months)))  # fmt: skip
        else:
            self.term_value.setText(self.tr("%1 months").replace("%1", str(r.term_months)))
        # Inconsistent figures (r.warnings) are among the reasons already; problems are shown apart.
        problems = [p[lang] for p in r.problems]
        self.status_label.setText("\n".join(problems))
