"""Table models for the enterprise and application lists: thin adapters over store pages.

Rows arrive in pages (``store.enterprise_rows`` / ``application_rows``) fetched on the
database worker; the view asks for more through ``canFetchMore``/``fetchMore`` as the
user scrolls. Sorting and searching are done by the store (ORDER BY, the substring
index), so a keystroke never reloads or sorts the whole table in Python. Personal
data is masked with ``core.models.masked`` before it reaches a cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from loandesk.core import formatting
from loandesk.core.i18n import language
from loandesk.core.industries import industry_name
from loandesk.core.models import masked
from loandesk.core.products import products
from loandesk.core.sizing import SIZE_LABELS, SizeClass, classify

from .decision_words import words
from .tasks import TaskRunner

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's id, for opening it

_Index = QModelIndex | QPersistentModelIndex

# Looked up once: data() runs for every role of every painted or measured cell.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_DATA_ROLES = frozenset((_DISPLAY, _TOOLTIP, _ALIGNMENT, int(ID_ROLE)))
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_HORIZONTAL = Qt.Orientation.Horizontal


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sortable: bool = True
    align_right: bool = False
    elastic: bool = False  # long free text (names): gives up width first when the columns do not fit


def money(value) -> str:
    """Whole yuan grouped by thousands (``1,234,567``), rounded, never cut: the column says (yuan)."""
    return formatting.grouped(value, 0)


MONEY_KEYS = frozenset({"annual_revenue", "requested_amount", "decision_limit"})
DATE_KEYS = frozenset({"registered_on", "updated_at"})


class RecordTableModel(QAbstractTableModel):
    """Shared paging, sorting and searching; subclasses name the columns and the store calls."""

    countChanged = Signal(int)  # total rows matching the query (capped by the store for searches)
    loadingChanged = Signal(bool)
    loadFailed = Signal(str)

    default_sort = "ref"

    def __init__(self, runner: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._columns = self.columns()
        self._rows: list[dict] = []
        self._total = 0
        self._query = ""
        self._order_by = self.default_sort
        self._descending = True
        self._generation = 0  # answers for an older query or sort are dropped
        self._fetching = False
        self.answered = False  # the first page (or its error) has come back at least once

    # ---- subclass hooks --------------------------------------------------------------------
    def columns(self) -> list[Column]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _load(self, store, query: str, order_by: str, descending: bool, offset: int) -> list[dict]:
        raise NotImplementedError  # pragma: no cover

    def _count(self, store, query: str) -> int:
        raise NotImplementedError  # pragma: no cover

    def display(self, row: dict, key: str) -> str:
        value = row.get(key)
        return "" if value is None else str(value)

    # ---- public ----------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def query(self) -> str:
        return self._query

    def set_query(self, query: str) -> None:
        query = query.strip()
        if query != self._query:
            self._query = query
            self.refresh()

    def refresh(self) -> None:
        """Start again from the first page (after a save, a new query or sort)."""
        if not self._runner.accepting:
            return
        self._generation += 1
        generation = self._generation
        query, order_by, descending = self._query, self._order_by, self._descending
        self._fetching = True
        self.loadingChanged.emit(True)

        def job(store, _state):
            return self._count(store, query), self._load(store, query, order_by, descending, 0)

        def done(result) -> None:
            if generation != self._generation:
                return
            total, rows = result
            self.beginResetModel()
            self._rows = [masked(r) for r in rows]
            self._total = max(total, len(rows))
            self._fetching = False
            self.answered = True
            self.endResetModel()
            self.loadingChanged.emit(False)
            self.countChanged.emit(self._total)

        self._runner.submit(job, done, self._failed)

    def elastic_columns(self) -> list[int]:
        return [i for i, c in enumerate(self._columns) if c.elastic]

    def record_id(self, row: int) -> str | None:
        return self._rows[row].get("id") if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str) -> int | None:
        """The row showing ``record_id`` among the rows loaded so far."""
        return next((i for i, r in enumerate(self._rows) if r.get("id") == record_id), None)

    def row_dict(self, row: int) -> dict:
        return dict(self._rows[row])

    # ---- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = _DISPLAY):
        # Called for every role of every visible cell (and by column fitting): answer the roles
        # that are not ours before touching the index.
        if role not in _DATA_ROLES or not index.isValid():
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == _TOOLTIP and column.key in MONEY_KEYS:  # 1,234,567 reads as 123.46万元 on hover
            return formatting.short_money(row.get(column.key), language()) or None
        if role == _DISPLAY or role == _TOOLTIP:
            return self.display(row, column.key)
        if role == _ALIGNMENT:
            return _RIGHT_ALIGNED if column.align_right else None
        return row.get("id")  # ID_ROLE

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == _HORIZONTAL:
            return self._columns[section].title
        return super().headerData(section, orientation, role)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, offset = self._generation, len(self._rows)
        query, order_by, descending = self._query, self._order_by, self._descending

        def job(store, _state):
            return self._load(store, query, order_by, descending, offset)

        def done(rows: list[dict]) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            if not rows:
                self._total = len(self._rows)  # the store holds fewer than counted (e.g. a capped count)
                return
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(masked(r) for r in rows)
            self.endInsertRows()

        self._runner.submit(job, done, self._failed)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or not self._columns[column].sortable:
            return
        order_by = self._columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (order_by, descending) != (self._order_by, self._descending):
            self._order_by, self._descending = order_by, descending
            self.refresh()

    def sort_column(self) -> int:
        keys = [c.key for c in self._columns]
        return keys.index(self._order_by) if self._order_by in keys else 0

    def _failed(self, error: BaseException) -> None:
        self._fetching = False
        self.answered = True
        self.loadingChanged.emit(False)
        self.loadFailed.emit(str(error))


def size_label(row: dict) -> str:
    industry = row.get("industry")
    if not industry:
        return ""
    size = classify(industry, row.get("employees"), row.get("annual_revenue"), row.get("total_assets"))
    if size is None:
        return ""
    en, zh = SIZE_LABELS[SizeClass(size)]
    return zh if language() == "zh" else en


class EnterpriseTableModel(RecordTableModel):
    def columns(self) -> list[Column]:
        return [
            Column("ref", self.tr("Reference")),
            Column("enterprise_name", self.tr("Enterprise"), elastic=True),
            Column("credit_code", self.tr("Credit code")),
            Column("industry", self.tr("Industry"), elastic=True),
            Column("size_class", self.tr("Size"), sortable=False),
            Column("tax_grade", self.tr("Tax grade")),
            Column("legal_rep_name", self.tr("Legal representative")),
            Column("legal_rep_phone", self.tr("Phone"), sortable=False),
            Column("annual_revenue", self.tr("Revenue (yuan)"), align_right=True),
            Column("registered_on", self.tr("Registered")),
        ]

    def _load(self, store, query, order_by, descending, offset):
        return store.enterprise_rows(query, order_by, descending, offset, PAGE_SIZE)

    def _count(self, store, query):
        return store.count_enterprises(query)

    def display(self, row: dict, key: str) -> str:
        if key == "industry":
            return industry_name(row["industry"], language()) if row.get("industry") else ""
        if key == "size_class":
            return size_label(row)
        if key == "annual_revenue":
            return money(row.get(key))
        if key == "registered_on":
            return formatting.date_text(row.get(key), language())
        return super().display(row, key)


class ApplicationTableModel(RecordTableModel):
    def columns(self) -> list[Column]:
        return [
            Column("ref", self.tr("Reference")),
            Column("enterprise_name", self.tr("Enterprise"), elastic=True),
            Column("legal_rep_name", self.tr("Legal representative")),
            Column("requested_amount", self.tr("Amount (yuan)"), align_right=True),
            Column("term_months", self.tr("Term (months)"), align_right=True),
            Column("product", self.tr("Product"), elastic=True),
            Column("stage", self.tr("Stage")),
            Column("decision", self.tr("Decision"), elastic=True),  # words, long while an override waits
            Column("decision_limit", self.tr("Limit (yuan)"), align_right=True),
            Column("updated_at", self.tr("Updated")),
        ]

    # The language is fixed for the session: names are translated once per model, not per cell.
    @cached_property
    def stage_names(self) -> dict[str, str]:
        return {
            "draft": self.tr("Draft"),
            "submitted": self.tr("Submitted"),
            "scored": self.tr("Scored"),
            "memo_issued": self.tr("Memo issued"),
            "approved": self.tr("Approved"),
            "declined": self.tr("Declined"),
        }

    @cached_property
    def decision_names(self) -> dict[str, str]:
        return words().names()  # the one word per decision (decision_words.py)

    def _load(self, store, query, order_by, descending, offset):
        return store.application_rows(query, order_by, descending, offset, PAGE_SIZE)

    def _count(self, store, query):
        return store.count_applications(query)

    def display(self, row: dict, key: str) -> str:
        if key == "requested_amount":
            return money(row.get(key))
        if key == "product":
            product = products().get(row.get("product") or "")
            return product.name(language()) if product else str(row.get("product") or "")
        if key == "stage":
            return self.stage_names.get(row.get("stage") or "", row.get("stage") or "")
        if key == "decision":
            if row.get("pending_override"):  # what an approver looks for: an override waiting for them
                return words().pending(row.get("decision"), row["pending_override"])
            return self.decision_names.get(row.get("decision") or "", "")
        if key == "decision_limit":
            return money(row.get(key))
        if key == "updated_at":  # the local day of the stored time, as the officer reads dates
            return formatting.date_text(row.get("updated_at"), language())
        return super().display(row, key)
