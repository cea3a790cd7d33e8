"""The cultivation dashboard: the funnel, 首贷户占比 by month / officer / branch, visits per officer and
the days from listing to first loan, as charts; the figures come from ``lists.cultivation_report``
computed on the database worker, and export to Excel the same way.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from loandesk.core import clock
from loandesk.core.i18n import language

from .cultivation_charts import Bar, BarChart
from .error_text import user_message


def _pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


class CultivationDashboard(QWidget):
    refreshed = Signal(dict)  # the figures on screen (tests and the export wait for it)

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.figures: dict | None = None
        self._generation = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.all_dates = QCheckBox(self.tr("All dates"))
        self.all_dates.setChecked(True)
        today = clock.today()
        self.start = QDateEdit(QDate(today.year, 1, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for label, edit in ((self.tr("From"), self.start), (self.tr("To"), self.end)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            self.all_dates.toggled.connect(lambda on, e=edit: e.setEnabled(not on))
            edit.setAccessibleName(label)
            bar.addWidget(QLabel(label))
            bar.addWidget(edit)
        bar.insertWidget(0, self.all_dates)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("E&xport to Excel…"))
        self.export_button.clicked.connect(self.export)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.export_button)
        bar.addStretch(1)
        self.status = QLabel()
        bar.addWidget(self.status)
        outer.addLayout(bar)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)

        body = QWidget()
        grid = QGridLayout(body)
        self.funnel_chart = BarChart(self.tr("Funnel"))
        self.month_chart = BarChart(self.tr("First-loan share of new loan customers, by month"))
        self.officer_chart = BarChart(self.tr("First-loan share, by account manager"))
        self.branch_chart = BarChart(self.tr("First-loan share, by branch"))
        self.visits_chart = BarChart(self.tr("Visits per account manager"))
        self.days_chart = BarChart(self.tr("Days from listing to first loan"))
        charts = (self.funnel_chart, self.visits_chart, self.month_chart, self.days_chart, self.officer_chart,
                  self.branch_chart)  # fmt: skip
        for i, chart in enumerate(charts):
            grid.addWidget(chart, i // 2, i % 2, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(3, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

    def period(self) -> tuple[str | None, str | None]:
        if self.all_dates.isChecked():
            return None, None
        s, e = self.start.date(), self.end.date()
        return dt.date(s.year(), s.month(), s.day()).isoformat(), dt.date(e.year(), e.month(), e.day()).isoformat()

    def refresh(self) -> None:
        if not self.runner.accepting:
            return
        start, end = self.period()
        if start and end and start > end:
            self.status.setText(self.tr("The period starts after it ends."))
            return
        self._generation += 1
        generation = self._generation
        self.status.setText(self.tr("Computing…"))

        def job(store, _state):
            from loandesk.lists import cultivation_report

            return cultivation_report.figures(store, start, end)

        def done(figures: dict) -> None:
            if generation == self._generation:
                self.show_figures(figures)

        self.runner.submit(job, done, lambda error: self.status.setText(user_message(error)))

    def show_figures(self, figures: dict) -> None:
        self.figures = figures
        f = figures["funnel"]
        steps = (("listed", self.tr("Listed")), ("contacted", self.tr("Contacted")),
                 ("need", self.tr("Financing need")), ("visited", self.tr("Visited")),
                 ("granted", self.tr("Credit granted")))  # fmt: skip
        self.funnel_chart.set_bars([Bar(label, f[key], f"{f[key]:,}") for key, label in steps])
        share = figures["first_loan_share"]
        none = self.tr("No approved loans in the period")

        def share_bars(rows):
            unassigned = self.tr("(unassigned)")
            return [Bar(r["key"] or unassigned, r["share"] or 0.0,
                        f"{_pct(r['share'])} ({r['first_loan']}/{r['new_customers']})") for r in rows]  # fmt: skip

        self.month_chart.set_bars(share_bars(share["month"]), none, maximum=1.0)  # a full bar is 100%
        self.officer_chart.set_bars(share_bars(share["officer"]), none, maximum=1.0)
        self.branch_chart.set_bars(share_bars(share["branch"]), none, maximum=1.0)
        visits = self.tr("visits: {visits}, with a need: {need}")
        bars = [Bar(r["officer"], r["visits"], visits.format(visits=r["visits"], need=r["with_need"]))
                for r in figures["visits_per_officer"]]
        self.visits_chart.set_bars(bars, self.tr("No visits in the period"))
        ttf = figures["time_to_first_loan"]
        self.days_chart.set_bars([Bar(self.tr("{days} days").format(days=b["days"]), b["count"], f"{b['count']:,}")
                                  for b in ttf["distribution"]])  # fmt: skip
        median = self.tr("none yet") if ttf["median_days"] is None else self.tr("{days:.0f} days").format(
            days=ttf["median_days"])  # fmt: skip
        amount = f"{f['amount']:,}"
        self.summary.setText(self.tr(
            "First-loan share of new loan customers: {share} ({first} of {new}). Credit granted: {amount} yuan. "
            "Median time from listing to first loan: {median}.").format(
                share=_pct(share["share"]) or "—", first=share["first_loan"], new=share["new_customers"],
                amount=amount, median=median))  # fmt: skip
        self.status.setText(self.tr("Updated {time}").format(time=clock.now().astimezone().strftime("%H:%M")))
        self.refreshed.emit(figures)

    def export(self) -> None:
        from .file_dialogs import save_file_name

        name = self.tr("cultivation-report") + f"-{clock.today().isoformat()}.xlsx"
        path = save_file_name(self, self.tr("Export the cultivation report"), name, self.tr("Excel workbook (*.xlsx)"),
                              "xlsx")  # fmt: skip
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        start, end = self.period()
        lang = language()
        self.status.setText(self.tr("Exporting…"))
        self.export_button.setEnabled(False)

        def job(store, _state):
            from loandesk.lists import cultivation_report

            cultivation_report.write_xlsx(store, path, start, end, lang)
            return path

        def done(written: str) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("Saved {path}").format(path=written))

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("Not exported: {error}").format(error=user_message(error)))

        self.runner.submit(job, done, failed)
