"""ScorePanel: decision, grade, limit, rate, factor points, reasons and what would change, live.

``set_record(record)`` takes a dict in data dictionary names, as a form holds it (strings or typed
values), waits ~300 ms for typing to settle, then scores on a QThreadPool worker; a result for an
older record is dropped. Scoring is ``loandesk.scoring.service.score_record`` (no Qt, no store).

``show_stored(summary)`` shows a stored application instead (``approvals.service.summary``, loaded
by the caller off the GUI thread): its scoring, and above it the decision in effect (the
approver's, a confirmed override's or the model's) with who decided it.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFormLayout, QFrame, QGroupBox, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from loandesk.core.i18n import language

from .decision_words import words

BAR_TRACK = "#e3e3e3"  # a factor's full width, behind the bar of its points
# Readable on the window's grey at 4.5:1 or more (tests/gui/test_colour_contrast.py), and the bars on their track.
DECISION_COLOURS = {"approve": "#1b6e20", "refer": "#8a5a00", "decline": "#b3261e"}
CONSENT_REFUSALS = ("missing", "expired", "revoked", "not_yet", "scope")  # core.consent.ConsentRefused.code


class _Signals(QObject):
    done = Signal(int, object)  # generation, ScoreResult or Exception


class _ScoreJob(QRunnable):
    def __init__(self, generation: int, record: dict, pack, signals: _Signals):
        super().__init__()
        self.generation, self.record, self.pack, self.signals = generation, record, pack, signals

    def run(self) -> None:  # worker thread: no widgets touched here
        from loandesk.core import clock
        from loandesk.core.consent import from_form, judge
        from loandesk.scoring.consent_gate import needed
        from loandesk.scoring.service import default_pack, score_record

        try:
            # Tax and credit data are used only with the applicant's consent (the one the form records):
            # without a valid one the panel says why and scores nothing.
            consent, scopes = from_form(self.record, clock.today()), needed(self.pack or default_pack())
            refused = judge([consent] if consent else [], scopes, clock.today()) if scopes else None
            result = refused if refused is not None else score_record(self.record, self.pack)
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
        lang = language()
        self.setToolTip("\n".join(f"{f[f'label_{lang}']}: {f['points']:g}/{f['max_points']:g}" for f in factors))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 8 + 22 * max(1, len(self.factors)))

    def minimumSizeHint(self) -> QSize:
        # Narrower than the hint is fine (the bars shorten); a wide minimum would push the panel's
        # content past the edge of its scroll area.
        return QSize(160, self.sizeHint().height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        lang = language()
        metrics = painter.fontMetrics()
        label_w = max([metrics.horizontalAdvance(f[f"label_{lang}"]) for f in self.factors] + [60]) + 8
        text_w = metrics.horizontalAdvance("000/000") + 8
        # In a narrow panel the labels give way (elided, whole in the tooltip) before the points do.
        label_w = max(60, min(label_w, self.width() - text_w - 48))
        bar_w = max(40, self.width() - label_w - text_w - 8)
        top = max((f["max_points"] for f in self.factors), default=1) or 1
        for i, f in enumerate(self.factors):
            y = 4 + i * 22
            painter.setPen(self.palette().text().color())
            label = metrics.elidedText(f[f"label_{lang}"], Qt.TextElideMode.ElideRight, label_w - 6)
            painter.drawText(0, y, label_w - 6, 18, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             label)  # fmt: skip
            painter.fillRect(label_w, y + 3, int(bar_w * f["max_points"] / top), 12, QColor(BAR_TRACK))
            share = f["points"] / f["max_points"] if f["max_points"] else 0
            colour = DECISION_COLOURS["approve" if share >= 0.75 else "refer" if share >= 0.4 else "decline"]
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
        # Everything scrolls together when the panel is shorter than its content (a long "what would
        # change" list): squeezed into a short window, labels would overlap and clip instead.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        content = QWidget()
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area)
        layout = QVBoxLayout(content)
        self.decision_label = QLabel(self.tr("Not scored yet"))
        font = self.decision_label.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.decision_label.setFont(font)
        layout.addWidget(self.decision_label)
        self.decided_label = QLabel("")  # who decided a stored application, and what is waiting
        self.decided_label.setWordWrap(True)
        self.decided_label.setTextFormat(Qt.TextFormat.PlainText)
        self.decided_label.hide()
        layout.addWidget(self.decided_label)
        self.head_office_label = QLabel("")  # head office's decision, pulled by sync (ui/head_office.py)
        self.head_office_label.setObjectName("headOfficeDecision")
        self.head_office_label.setWordWrap(True)
        self.head_office_label.setTextFormat(Qt.TextFormat.PlainText)
        self.head_office_label.hide()
        layout.addWidget(self.head_office_label)
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

    def show_blank(self, text: str = "") -> None:
        """No verdict: nothing entered yet. Drops any pending or running scoring; ``text`` says why."""
        self._timer.stop()
        self._record = None
        self._latest = next(self._generation)  # a result still on its way is dropped as stale
        self.result = None
        self.decision_label.setText(self.tr("Not scored yet"))
        self.decision_label.setStyleSheet("")
        for label in (self.score_value, self.grade_value, self.limit_value, self.rate_value, self.term_value,
                      self.size_value, self.reasons_label, self.changes_label):  # fmt: skip
            label.setText("—")
        self.chart.set_factors([])
        self.status_label.setText(text)

    def show_refusal(self, reason: str, hint: str = "") -> None:
        """No valid consent: the reason in place of a score, nothing scored (``core.consent``)."""
        self.result = None
        self.decision_label.setText(self.tr("Not scored"))
        self.decision_label.setStyleSheet(f"color: {DECISION_COLOURS['decline']}")
        for label in (self.score_value, self.grade_value, self.limit_value, self.rate_value, self.term_value,
                      self.size_value, self.reasons_label, self.changes_label):  # fmt: skip
            label.setText("—")
        self.chart.set_factors([])
        self.decided_label.setText(self.tr("Scoring needs the applicant's consent: %1").replace("%1", reason)
                                   + (f"\n{hint}" if hint else ""))  # fmt: skip
        self.decided_label.show()
        self.status_label.setText("")

    def wait_idle(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)

    def show_stored(self, summary: dict | None) -> None:
        """Show a stored application's decision in effect and its scoring (``approvals.service.summary``
        with ``score_result``); None clears the panel (no application chosen)."""
        self._latest = next(self._generation)  # a live scoring still running is no longer wanted
        self._timer.stop()
        from .head_office import line

        self.head_office_label.setText(line((summary or {}).get("head_office")))
        self.head_office_label.setVisible(bool(self.head_office_label.text()))
        decision = (summary or {}).get("decision")
        refusal = ((summary or {}).get("consent") or {}).get("refusal")
        if decision is None and refusal:
            self.show_refusal(refusal, self.tr("Record the consent in the application's Consent section "
                                               "(or with loandesk consent record), then score it."))  # fmt: skip
            return
        if decision is None:
            self.result = None
            self.decision_label.setText(self.tr("Not scored yet") if summary else self.tr("No application chosen"))
            self.decision_label.setStyleSheet("")
            for label in (self.score_value, self.grade_value, self.limit_value, self.rate_value, self.term_value,
                          self.size_value, self.reasons_label, self.changes_label):  # fmt: skip
                label.setText("—")
            self.chart.set_factors([])
            self.decided_label.setVisible(bool(summary))
            self.decided_label.setText(self.tr("Score it and record the decision with Ctrl+D."))
            self.status_label.setText("")
            return
        result = summary["score_result"]
        self.result = result
        self._show(result)
        now = summary["in_effect"]
        code = now["decision"]
        self.decision_label.setText(words().name(code))
        self.decision_label.setStyleSheet(f"color: {DECISION_COLOURS.get(code, '')}")
        lending = code != "decline" and bool(now["limit"])
        self.limit_value.setText(self.tr("%1 yuan").replace("%1", f"{int(now['limit']):,}") if now["limit"] is not None
                                 else "—")  # fmt: skip
        if not lending:
            self.rate_value.setText("—")
            self.term_value.setText("—")
        elif now["source"] == "approval":
            self.rate_value.setText(f"{now['rate']:.2f}%" if now["rate"] is not None else "—")
            self.term_value.setText(self.tr("%1 months").replace("%1", str(now["term_months"])))
        who = self._who_decided(summary)
        if refusal:  # decided earlier; it cannot be scored again until a consent is recorded
            who += "\n" + self.tr("Consent: %1. It cannot be scored again until a new consent is recorded.") \
                .replace("%1", refusal)  # fmt: skip
        self.decided_label.setText(who)
        self.decided_label.show()

    def _who_decided(self, summary: dict) -> str:
        now, decision = summary["in_effect"], summary["decision"]
        model = words().name(decision["decision"])
        lines = []
        aside = summary.get("set_aside")
        if aside and now["source"] != "approval":  # an edit after the approval: it needs approval again
            lines.append(self.tr("%1's decision of %2 was set aside: the application was changed on %3. Score it "
                                 "again; the approver then decides again.")
                         .replace("%1", aside["approver"]).replace("%2", (aside["decided_at"] or "")[:10])
                         .replace("%3", (aside["set_aside_at"] or "")[:10]))  # fmt: skip
        if now["source"] == "approval":
            approval = summary["approval"]
            if approval["outcome"] == "approve":
                lines.append(self.tr("Approved by %1 on %2 (model: %3)").replace("%1", approval["approver"])
                             .replace("%2", now["on"] or "").replace("%3", model))  # fmt: skip
                if approval["conditions"]:
                    lines.append(self.tr("Conditions: %1").replace("%1", "; ".join(approval["conditions"])))
            else:
                lines.append(self.tr("Declined by %1 on %2 (model: %3)").replace("%1", approval["approver"])
                             .replace("%2", now["on"] or "").replace("%3", model))  # fmt: skip
                lines.append(self.tr("Reason: %1").replace("%1", approval["reason"] or ""))
        elif now["source"] == "override":
            lines.append(self.tr("Override confirmed by %1 (model: %2); the approver has not decided yet")
                         .replace("%1", now["by"] or "").replace("%2", model))  # fmt: skip
        else:
            lines.append(self.tr("The model's decision; the approver has not decided yet"))
        pending = summary.get("pending_override")
        if pending:
            lines.append(words().pending(now["decision"], pending["to_decision"]))
        return "\n".join(lines)

    # ---- internals ---------------------------------------------------------------------------
    def _start(self) -> None:
        self._pool.start(_ScoreJob(self._latest, self._record, self.pack, self._signals))

    def _on_done(self, generation: int, result) -> None:
        if generation != self._latest:
            return  # stale: the record changed while this one was being scored
        if getattr(result, "code", None) in CONSENT_REFUSALS and hasattr(result, "message"):
            self.show_refusal(result.message(language()))
            return
        if isinstance(result, Exception):
            message = result.message(language()) if hasattr(result, "message") else str(result)
            self.status_label.setText(self.tr("Could not score: %1").replace("%1", message))
            return
        self.result = result
        self._show(result)
        self.scored.emit(result)

    def _show(self, r) -> None:
        lang = language()
        self.decision_label.setText(words().name(r.decision))
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
