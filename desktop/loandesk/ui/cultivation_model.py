"""The cultivation list's table model: pages of ``storage.cultivation_lists.rows`` under a filter.

Lazy like the other lists (``RecordTableModel``): the first page and the counts come from the
database worker, more pages as the user scrolls (``fetchMore``); a new filter starts again and drops
late answers for the old one. No personal data is shown here.
"""

from __future__ import annotations

from functools import cached_property

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from loandesk.core import clock
from loandesk.core.cultivation import STAGES, EnterpriseFilter
from loandesk.core.i18n import language
from loandesk.core.industries import industry_name
from loandesk.core.sizing import SIZE_LABELS, SizeClass

from .table_models import PAGE_SIZE, Column, RecordTableModel, money

_OVERDUE = QColor("#b42318")


class CultivationTableModel(RecordTableModel):
    """Rows of the pipeline; ``set_filter`` narrows them. ``stageCounts`` carries the per-stage counts."""

    stageCounts = Signal(dict)
    default_sort = "next_on"

    def __init__(self, runner, parent=None) -> None:
        super().__init__(runner, parent)
        self.filter = EnterpriseFilter()
        self.today = clock.today().isoformat()

    def columns(self) -> list[Column]:
        return [
            Column("ref", self.tr("Reference"), sortable=False),
            Column("enterprise_name", self.tr("Enterprise"), sortable=False, elastic=True),
            Column("stage", self.tr("Stage"), sortable=False),
            Column("officer", self.tr("Account manager"), sortable=False),
            Column("next_step", self.tr("Next step"), sortable=False, elastic=True),
            Column("next_on", self.tr("Due"), sortable=False),
            Column("last_visit_on", self.tr("Last visit"), sortable=False),
            Column("industry", self.tr("Industry"), sortable=False, elastic=True),
            Column("size_class", self.tr("Size"), sortable=False),
            Column("tax_grade", self.tr("Tax grade"), sortable=False),
            Column("score", self.tr("Pre-score"), sortable=False, align_right=True),
            Column("eligible", self.tr("Likely eligible"), sortable=False),
            Column("annual_revenue", self.tr("Revenue (yuan)"), sortable=False, align_right=True),
        ]

    @cached_property
    def stage_names(self) -> dict[str, str]:
        return {
            "no_loan": self.tr("No loan"), "contacted": self.tr("Contacted"),
            "need_identified": self.tr("Need identified"), "first_loan": self.tr("First loan"),
            "partner": self.tr("Partner"), "declined": self.tr("Declined"), "not_interested": self.tr("Not interested"),
        }  # fmt: skip

    def set_filter(self, where: EnterpriseFilter) -> None:
        if where != self.filter:
            self.filter = where
            self.refresh()

    def refresh(self) -> None:
        super().refresh()
        if not self._runner.accepting:
            return
        where = self.filter

        def job(store, _state):
            from loandesk.storage import cultivation_lists

            return cultivation_lists.stage_counts(store, where)

        self._runner.submit(job, lambda counts: self.stageCounts.emit(counts) if where == self.filter else None,
                            self._failed)  # fmt: skip

    def _load(self, store, query, order_by, descending, offset):
        from loandesk.storage import cultivation_lists

        return cultivation_lists.rows(store, self._filter_now(query), offset, PAGE_SIZE)

    def _count(self, store, query):
        from loandesk.storage import cultivation_lists

        return cultivation_lists.count(store, self._filter_now(query))

    def _filter_now(self, query: str) -> EnterpriseFilter:
        return EnterpriseFilter(**{**self.filter.__dict__, "text": query or None})

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            row, key = self._rows[index.row()], self._columns[index.column()].key
            if key in ("score", "eligible") and row.get("pre_reasons"):  # why: the reasons pre-qualification kept
                return self.tr("Grade {grade}; {reasons}").format(grade=row.get("pre_grade") or "",
                                                                 reasons=row["pre_reasons"])  # fmt: skip
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row = self._rows[index.row()]
            if self._columns[index.column()].key == "next_on" and row.get("next_on") and row["next_on"] < self.today:
                return _OVERDUE  # overdue in red (they are listed first)
            return None
        return super().data(index, role)

    def display(self, row: dict, key: str) -> str:
        if key == "stage":
            return self.stage_names.get(row.get("stage") or "", row.get("stage") or "")
        if key == "industry":
            return industry_name(row["industry"], language()) if row.get("industry") else ""
        if key == "size_class":
            size = row.get("size_class")
            if not size:
                return ""
            en, zh = SIZE_LABELS[SizeClass(size)]
            return zh if language() == "zh" else en
        if key == "score":
            return "" if row.get("score") is None else f"{row['score']:.0f}"
        if key == "eligible":
            return {1: self.tr("Yes"), 0: self.tr("No")}.get(row.get("eligible"), "")
        if key == "next_on" and row.get("next_on") and row["next_on"] < self.today:
            return self.tr("{date} (overdue)").format(date=row["next_on"])
        if key == "officer":
            return row.get("officer_name") or row.get("officer") or ""  # the display name people know
        if key == "annual_revenue":
            return money(row.get(key))
        return super().display(row, key)

    def stage_codes(self) -> tuple[str, ...]:
        return STAGES
