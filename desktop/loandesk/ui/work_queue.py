"""The start page (issue 11): what waits for the signed-in user, by group, each row opening the thing.

Unsaved drafts, applications to score (officers), to approve and overrides to confirm (approvers),
records the hub set aside (read as the sync panel reads them), and visits due or overdue (the
cultivation assignments' next action). The groups are read in one job on the task runner and read again
after every save (the window's refresh reloads the page on screen, and the lists' reloads follow saves).

The page offers what ``ListPage`` does (``model``, ``search``, ``view``), so the main window's refresh,
find and first-paint handling treat it like the lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .decision_words import words
from .sync_status import local_time
from .table_models import money

if TYPE_CHECKING:
    from .main_window import MainWindow

GROUPS = ("drafts", "to_score", "to_approve", "overrides", "quarantined", "visits")
REFRESH_DELAY_MS = 300  # several lists reload after one save: read the queue once for all of them
OVERDUE = QColor("#b00020")


def read_queue(store, _state=None) -> dict:
    """Every group the signed-in user's role has (runs on the database worker)."""
    from loandesk.core import clock
    from loandesk.storage import work_queue as q

    may = store.actor.may
    found: dict[str, q.Group | None] = dict.fromkeys(GROUPS)
    if may("capture"):
        found["drafts"] = q.drafts(store)
    if may("score"):
        found["to_score"] = q.to_score(store)
    if may("approve"):
        found["to_approve"] = q.to_approve(store)
    if may("confirm_override"):
        found["overrides"] = q.overrides(store)
    # What the hub set aside comes from the sync controller's own reading (as the sync panel shows it),
    # not from here: reading it imports the sync client, which the first paint must not wait for.
    if may("visit") or may("assign"):  # an officer's own visits; a branch admin sees every manager's
        found["visits"] = q.visits_due(store, clock.today())
    return found


class WorkQueueModel(QObject):
    """The queue as last read; ``answered`` once the first reading came back (the window waits for it)."""

    loaded = Signal(dict)
    loadFailed = Signal(str)

    def __init__(self, runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.answered = False
        self.groups: dict = {}
        self._generation = 0

    def refresh(self) -> None:
        if not self.runner.accepting:
            return
        self._generation += 1
        generation = self._generation

        def done(groups: dict) -> None:
            if generation == self._generation:  # an older reading arriving late never overwrites a newer one
                self.groups, self.answered = groups, True
                self.loaded.emit(groups)

        def failed(error: BaseException) -> None:
            self.answered = True
            self.loadFailed.emit(str(error))

        self.runner.submit(read_queue, done, failed)


class _QueueView(QTreeWidget):
    """Tells ``on_paint`` as each paint starts (the window's first-paint signal), like the lists' view."""

    on_paint = None

    def paintEvent(self, event) -> None:
        if self.on_paint is not None:
            self.on_paint()
        super().paintEvent(event)


class WorkQueuePage(QWidget):
    activated = Signal(str, dict)  # group, row

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = WorkQueueModel(runner, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel(self.tr("My work"))
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter the queue by reference or enterprise (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Filter the queue"))
        top.addWidget(self.search, 1)
        self.total_label = QLabel()
        top.addWidget(self.total_label)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the queue again"))
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.header = QVBoxLayout()  # field mode puts its buttons here (ui/field_mode.py)
        layout.addLayout(self.header)
        self.view = _QueueView()
        self.view.setAccessibleName(self.tr("Work queue"))
        self.view.setHeaderLabels([self.tr("Item"), self.tr("Enterprise"), self.tr("Details"), self.tr("Since")])
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        header = self.view.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout.addWidget(self.view, 1)
        self.empty_label = QLabel(self.tr("Nothing is waiting for you. New work shows here as it arrives."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setVisible(False)
        layout.addWidget(self.empty_label)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.quarantined: list[dict] = []  # the sync controller's last reading (``set_quarantined``)
        self.view.itemActivated.connect(self._activated)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._to_list)
        self.refresh_button.clicked.connect(self.model.refresh)
        self.model.loaded.connect(self.show_groups)

    def titles(self) -> dict[str, str]:
        return {
            "drafts": self.tr("Unsaved drafts"), "to_score": self.tr("Waiting for my decision (score)"),
            "to_approve": self.tr("Waiting for my approval"), "overrides": self.tr("Overrides to confirm"),
            "quarantined": self.tr("Set aside by the hub"), "visits": self.tr("Visits due and overdue"),
        }  # fmt: skip

    # ---- showing -------------------------------------------------------------------------------
    def set_quarantined(self, held: list[dict]) -> None:
        self.quarantined = list(held)
        if self.model.answered:
            self.show_groups(self.model.groups)

    def show_groups(self, groups: dict) -> None:
        from loandesk.storage.work_queue import ROW_LIMIT, Group

        groups["quarantined"] = Group(len(self.quarantined), self.quarantined[:ROW_LIMIT])
        expanded = {key for key, item in self.items.items() if item.isExpanded()} if self.items else None
        current = self.current_row()
        self.view.clear()
        self.items = {}
        total = 0
        titles = self.titles()
        for key in GROUPS:
            group = groups.get(key)
            if group is None:  # not this role's work
                continue
            total += group.count
            title = titles[key] + f" ({group.count:,})"
            item = QTreeWidgetItem(self.view, [title])
            item.setFirstColumnSpanned(True)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.items[key] = item
            for row in group.rows:
                child = QTreeWidgetItem(item, self._cells(key, row))
                child.setData(0, Qt.ItemDataRole.UserRole, (key, row))
                if row.get("overdue"):
                    for column in range(4):
                        child.setForeground(column, QBrush(OVERDUE))
                if current is not None and current[0] == key and _same(current[1], row):
                    self.view.setCurrentItem(child)
            if group.count > len(group.rows):
                more = QTreeWidgetItem(item, [self.tr("… and {n} more").format(n=f"{group.count - len(group.rows):,}")])
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setExpanded(group.count > 0 if expanded is None else key in expanded or group.count > 0)
        self.total_label.setText(self.tr("%n waiting", "", total))
        self.empty_label.setVisible(total == 0)
        for column in range(3):
            self.view.resizeColumnToContents(column)
        self._filter(self.search.text())
        if self.view.currentItem() is None:
            first = next((i.child(0) for i in self.items.values() if i.childCount()), None)
            if first is not None:
                self.view.setCurrentItem(first)

    def _cells(self, key: str, row: dict) -> list[str]:
        name = row.get("enterprise_name") or ""
        if key == "drafts":
            what = self.tr("changes to {ref}").format(ref=row["ref"]) if row.get("ref") else self.tr("new intake")
            return [what, name or self.tr("(no enterprise name yet)"), "", local_time(row["updated_at"])]
        if key == "to_score":
            amount = self.tr("{amount} yuan requested").format(amount=money(row["requested_amount"]))
            return [row["ref"], name, amount, local_time(row["created_at"])]
        if key == "to_approve":
            details = self.tr("{decision}, grade {grade}, limit {limit} yuan").format(
                decision=words().name(row["decision"]), grade=row["grade"] or "—",
                limit=money(row["limit_amount"] or 0))  # fmt: skip
            return [row["ref"], name, details, local_time(row["decided_at"])]
        if key == "overrides":
            details = self.tr("{officer} asks: {old} → {new}").format(
                officer=row["officer"], old=words().name(row["from_decision"]), new=words().name(row["to_decision"]))
            return [row["ref"], name, details, local_time(row["requested_at"])]
        if key == "quarantined":
            record = row.get("ref") or (row.get("entity_id") or row["op_id"])[-12:]
            return [record, "", self.reason(row["reason"]), local_time(row.get("created_at"))]
        step = row.get("next_step") or self.tr("Visit")
        due = self.tr("{date} (overdue)").format(date=row["next_on"]) if row.get("overdue") else row["next_on"]
        return [row["ref"], name, f"{step} · {row['officer']}", due]

    def reason(self, text: str) -> str:
        """The device's own reason in the user's language, as the sync panel says it; the hub's as it gave them."""
        if text == "operation id reused with other content":
            return self.tr("The hub holds this operation with other content (was this data home copied from "
                           "another computer?)")  # fmt: skip
        return text

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for item in self.items.values():
            for i in range(item.childCount()):
                child = item.child(i)
                shown = not needle or any(needle in child.text(c).lower() for c in range(4))
                child.setHidden(not shown)

    def _to_list(self) -> None:
        self.view.setFocus()
        visible = [i.child(n) for i in self.items.values() for n in range(i.childCount()) if not i.child(n).isHidden()]
        if visible and (self.view.currentItem() is None or self.view.currentItem().isHidden()):
            self.view.setCurrentItem(visible[0])

    def current_row(self) -> tuple[str, dict] | None:
        item = self.view.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def count(self, key: str) -> int | None:
        group = self.model.groups.get(key)
        return None if group is None else group.count

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        found = item.data(0, Qt.ItemDataRole.UserRole)
        if found:
            self.activated.emit(*found)

    def nav_title(self) -> str:
        return self.tr("My work")


def _same(a: dict, b: dict) -> bool:
    return any(a.get(k) is not None and a.get(k) == b.get(k) for k in ("key", "override_id", "op_id", "id"))


class WorkQueue(QObject):
    """Opens what a row names, and reads the queue again after saves."""

    def __init__(self, window: MainWindow, page: WorkQueuePage) -> None:
        super().__init__(window)
        self.window, self.page = window, page
        self.dialog = None
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(page.model.refresh)
        page.activated.connect(self.open)
        page.model.loadFailed.connect(lambda text: window.statusBar().showMessage(self.tr("Error: ") + text, 15000))
        # Every save, decision, approval and visit ends in the window's refresh, which reloads the lists.
        window.application_model.modelReset.connect(self.refresh_soon)
        window.sync_controller.status_read.connect(lambda status: page.set_quarantined(status.quarantined))
        window.store_ready.connect(self._first_look)

    def _first_look(self) -> None:
        """An empty data home starts on the applications list, where the demo data and a first intake are
        offered (answered before the window's own first look, which puts that offer there)."""

        def done(enterprises: int) -> None:
            if enterprises == 0 and self.window.stack.currentWidget() is self.page:
                self.window.show_page(self.window.stack.indexOf(self.window.application_page))

        self.window.runner.submit(lambda store, _s: store.count_enterprises(), done)

    def refresh_soon(self) -> None:
        if self.window.stack.currentWidget() is not self.page:
            self._timer.start()  # the page on screen is read by the window's own refresh

    def show_page(self) -> None:
        self.window.show_page(self.window.stack.indexOf(self.page))

    def open(self, key: str, row: dict) -> None:
        window = self.window
        if key == "drafts":
            open_form = next((f for f in window.forms if f.draft_key == row["key"]), None)
            if open_form is not None:
                open_form.raise_()
                open_form.activateWindow()
            else:
                window.restore_draft(row["draft"])
        elif key in ("to_score", "to_approve", "overrides"):
            actions = window.application_actions
            act = {"to_score": actions.record_decision, "to_approve": actions.approve,
                   "overrides": actions.confirm_override}[key]  # fmt: skip
            self.with_application(row["id"], row["ref"], act)
        elif key == "quarantined":
            window.sync_menu.show_panel()
        elif key == "visits":
            from .cultivation_dialogs import VisitDialog

            self.dialog = VisitDialog(window.runner, row, window)
            window.cultivation_actions._open(self.dialog)  # its save refreshes the page and the window

    def with_application(self, app_id: str, ref: str, action) -> None:
        """Choose the application in the list (searched by its reference when not on the first page), then act."""
        window = self.window
        page = window.application_page
        window.show_page(window.stack.indexOf(page))

        def choose() -> bool:
            row = page.model.row_of(app_id)
            if row is None:
                return False
            page.view.setCurrentIndex(page.model.index(row, 0))
            action()
            return True

        if choose():
            return

        def after_reset() -> None:
            page.model.modelReset.disconnect(after_reset)
            if not choose():
                window.statusBar().showMessage(self.tr("{ref} is no longer on file.").format(ref=ref), 8000)

        page.model.modelReset.connect(after_reset)
        page.search.blockSignals(True)  # the list searches now, not after the typing pause
        page.search.setText(ref)
        page.search.blockSignals(False)
        if page.model.query == ref:
            page.model.refresh()
        else:
            page.model.set_query(ref)


def install(window: MainWindow) -> WorkQueue:
    """The navigation entry and the page, shown first (the lists stay where they were in the navigation)."""
    page = WorkQueuePage(window.runner, window)
    window.nav.addItem(page.nav_title())
    window.stack.addWidget(page)
    page.view.on_paint = window._painted  # the window's "ready" waits for the page on screen
    queue = WorkQueue(window, page)
    window.work_queue = queue
    window.work_queue_page = page
    window.nav.setCurrentRow(window.stack.indexOf(page))
    return queue
