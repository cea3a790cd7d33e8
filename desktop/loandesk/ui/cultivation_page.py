"""The Cultivation page (首贷培育): "My list" with its filters and counts, and the dashboard; the
Cultivation menu (change stage, assign, record visit, pre-qualify, export). ``install(window)`` adds
all of it to the main window with one navigation entry, one page and one menu.

The page offers what ``ListPage`` does (``model``, ``search``, ``view``), so the main window's refresh,
find and paint handling treat it like the other lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.cultivation import STAGES, EnterpriseFilter
from loandesk.core.i18n import language
from loandesk.core.industries import industry_name

from .cultivation_dashboard import CultivationDashboard
from .cultivation_model import CultivationTableModel
from .error_text import user_message
from .main_window import ListPage

if TYPE_CHECKING:
    from .main_window import MainWindow

SIZES = ("micro", "small", "medium", "large")


class CultivationPage(QWidget):
    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.model = CultivationTableModel(runner, self)
        self.list_page = ListPage(self.model, self.tr("Reference, credit code or the start of a name"))
        self.search, self.view = self.list_page.search, self.list_page.view
        self.tabs = QTabWidget()
        mine = QWidget()
        layout = QVBoxLayout(mine)
        layout.addLayout(self._filter_bar())
        layout.addWidget(self.list_page, 1)
        self.tabs.addTab(mine, self.tr("My list"))
        self.dashboard = CultivationDashboard(runner, self)
        self.tabs.addTab(self.dashboard, self.tr("Dashboard"))
        self.tabs.currentChanged.connect(self._tab_changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self.model.stageCounts.connect(self._show_stage_counts)
        self.actor_name: str | None = None  # the signed-in officer: "My list" starts on theirs

    # ---- filters -----------------------------------------------------------------------------
    def _filter_bar(self) -> QGridLayout:
        bar = QGridLayout()
        self.stage_box, self.officer_box, self.region_box = QComboBox(), QComboBox(), QComboBox()
        self.industry_box, self.size_box, self.grade_box = QComboBox(), QComboBox(), QComboBox()
        self.stage_box.addItem(self.tr("All stages"), None)
        for stage in STAGES:
            self.stage_box.addItem(self.model.stage_names[stage], stage)
        self.officer_box.addItem(self.tr("All account managers"), None)
        self.officer_box.addItem(self.tr("Unassigned"), "")
        self.region_box.addItem(self.tr("All regions"), None)
        self.industry_box.addItem(self.tr("All industries"), None)
        self.size_box.addItem(self.tr("All sizes"), None)
        sizes = {"micro": self.tr("Micro"), "small": self.tr("Small"), "medium": self.tr("Medium"),
                 "large": self.tr("Large")}  # fmt: skip
        for size in SIZES:
            self.size_box.addItem(sizes[size], size)
        self.grade_box.addItem(self.tr("All tax grades"), None)
        for grade in "ABMCD":
            self.grade_box.addItem(grade, grade)
        self.eligible_box = QCheckBox(self.tr("Likely eligible only"))
        # Two rows, combos capped in width: the page fits a 1366-pixel laptop beside the score panel.
        pairs = ((self.tr("Stage"), self.stage_box), (self.tr("Manager"), self.officer_box),
                 (self.tr("Region"), self.region_box), (self.tr("Industry"), self.industry_box),
                 (self.tr("Size"), self.size_box), (self.tr("Grade"), self.grade_box))  # fmt: skip
        for i, (label, box) in enumerate(pairs):
            label_widget = QLabel(label)
            label_widget.setBuddy(box)  # the filter is named by its label (accessibility.name_fields)
            bar.addWidget(label_widget, i // 4, 2 * (i % 4))
            bar.addWidget(box, i // 4, 2 * (i % 4) + 1)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.setMaximumWidth(210)  # a long industry name is elided in the box, whole in its list
            box.currentIndexChanged.connect(self.apply_filter)
        bar.addWidget(self.eligible_box, 1, 4, 1, 2)
        self.eligible_box.toggled.connect(self.apply_filter)
        bar.setColumnStretch(8, 1)
        return bar

    def current_filter(self) -> EnterpriseFilter:
        return EnterpriseFilter(stage=self.stage_box.currentData(), officer=self.officer_box.currentData(),
                                region=self.region_box.currentData(), industry=self.industry_box.currentData(),
                                size_class=self.size_box.currentData(), tax_grade=self.grade_box.currentData(),
                                eligible=True if self.eligible_box.isChecked() else None)  # fmt: skip

    def apply_filter(self, *_args) -> None:
        self.model.set_filter(self.current_filter())

    def _show_stage_counts(self, counts: dict) -> None:
        """Each stage's entry says how many of the filtered enterprises are there (the counts shown)."""
        total = sum(counts.values())
        self.stage_box.setItemText(0, self.tr("All stages ({n})").format(n=f"{total:,}"))
        for i, stage in enumerate(STAGES, start=1):
            self.stage_box.setItemText(i, f"{self.model.stage_names[stage]} ({counts.get(stage, 0):,})")

    def load_choices(self) -> None:
        def job(store, _state):
            from loandesk.storage import cultivation, cultivation_lists

            found = cultivation_lists.choices(store)
            found["officer"] = sorted(set(found["officer"]) | set(cultivation.officers(store)))
            actor = store.actor
            return found, (actor.username if actor.role == "officer" else None)

        self.runner.submit(job, self._choices_loaded)

    def _choices_loaded(self, result) -> None:
        found, me = result
        lang = language()
        industry = lambda code: industry_name(code, lang)  # noqa: E731
        for box, values, label in ((self.officer_box, found["officer"], str), (self.region_box, found["region"], str),
                                   (self.industry_box, found["industry"], industry)):  # fmt: skip
            box.blockSignals(True)
            keep = 2 if box is self.officer_box else 1
            while box.count() > keep:
                box.removeItem(keep)
            for value in values:
                box.addItem(label(value), value)
            box.blockSignals(False)
        if me and self.actor_name is None:  # an officer signed in: their own list first
            self.actor_name = me
            self.officer_box.setCurrentIndex(max(0, self.officer_box.findData(me)))

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self.dashboard.figures is None:
            self.dashboard.refresh()

    def nav_title(self) -> str:
        return self.tr("Cultivation")

    def selected_row(self) -> dict | None:
        index = self.view.currentIndex()
        return self.model.row_dict(index.row()) if index.isValid() else None


class CultivationActions(QObject):
    """The Cultivation menu; every action works on the page's selected enterprise or its filter."""

    def __init__(self, window: MainWindow, page: CultivationPage) -> None:
        super().__init__(window)
        self.window, self.page, self.runner = window, page, window.runner
        self.dialog = None
        self.menu = QMenu(self.tr("C&ultivation"), window.menuBar())

        def act(text: str, slot, shortcut=None) -> QAction:
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            window.addAction(action)
            self.menu.addAction(action)
            return action

        self.show_action = act(self.tr("&Show cultivation"), self.show_page, "Ctrl+4")
        self.menu.addSeparator()
        self.stage_action = act(self.tr("Change &stage…"), self.change_stage)
        self.assign_action = act(self.tr("&Assign account manager…"), self.assign)
        self.visit_action = act(self.tr("Record &visit…"), self.record_visit)
        self.prequalify_action = act(self.tr("&Pre-qualify the filtered list…"), self.prequalify)
        self.export_action = act(self.tr("&Export report to Excel…"), page.dashboard.export)

    def show_page(self) -> None:
        self.window.show_page(self.window.stack.indexOf(self.page))

    def _chosen(self) -> dict | None:
        row = self.page.selected_row()
        if row is None:
            self.window.statusBar().showMessage(self.tr("Choose an enterprise in the cultivation list first."), 8000)
            self.show_page()
        return row

    def _open(self, dialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()

    def _saved(self, _result) -> None:
        self.window.statusBar().showMessage(self.tr("Saved."), 5000)
        self.page.load_choices()
        self.window.refresh()
        if self.page.dashboard.figures is not None:
            self.page.dashboard.refresh()

    def change_stage(self) -> None:
        from .cultivation_dialogs import StageDialog

        row = self._chosen()
        if row:
            self._open(StageDialog(self.runner, row, self.page.model.stage_names, self.window))

    def record_visit(self) -> None:
        from .cultivation_dialogs import VisitDialog

        row = self._chosen()
        if row:
            self._open(VisitDialog(self.runner, row, self.window))

    def assign(self) -> None:
        from .cultivation_dialogs import AssignDialog

        row, where, total = self.page.selected_row(), self.page.current_filter(), self.page.model.total

        def job(store, _state):
            from loandesk.storage import cultivation

            return cultivation.officers(store)

        self.runner.submit(job, lambda officers: self._open(AssignDialog(self.runner, officers, row, total, where,
                                                                         self.window)))  # fmt: skip

    def prequalify(self) -> None:
        where, total = self.page.current_filter(), self.page.model.total
        box = QProgressDialog(self.tr("Scoring %n enterprise(s) with the rule pack in force…", "", total),
                              self.tr("Cancel"), 0, max(total, 1), self.window)  # fmt: skip
        box.setWindowTitle(self.tr("Pre-qualify"))
        box.setMinimumDuration(0)
        lang = language()

        def job(store, state):
            from loandesk.scoring.prequalify import prequalify

            return prequalify(store, where, lang=lang, progress=state.set_progress,
                              cancelled=lambda: state.cancelled)  # fmt: skip

        def finished() -> None:
            box.canceled.disconnect()  # closing the dialog would say "cancel" to a job already done
            box.close()

        def done(result: dict) -> None:
            finished()
            self._saved(result)
            self.window.statusBar().showMessage(self.tr("{scored} scored; {eligible} likely eligible for a visit.")
                                                .format(**result), 10000)  # fmt: skip

        def failed(error: BaseException) -> None:
            finished()
            if type(error).__name__ != "Cancelled":
                QMessageBox.warning(self.window, self.tr("Pre-qualify"), user_message(error))

        state = self.runner.submit(job, done, failed, lambda n, t: box.setValue(min(n, box.maximum())))
        box.canceled.connect(state.cancel)
        self.progress = box
        box.show()


def install(window: MainWindow) -> CultivationActions:
    """The navigation entry, the page and the Cultivation menu (before Help)."""
    page = CultivationPage(window.runner, window)
    window.nav.addItem(page.nav_title())
    window.stack.addWidget(page)
    nav = window.nav  # as wide as its words now that it has one more
    nav.setMinimumWidth(min(nav.maximumWidth(), nav.sizeHintForColumn(0) + 2 * nav.frameWidth() + 12))
    page.model.loadFailed.connect(lambda text: window.statusBar().showMessage(text, 15000))
    actions = CultivationActions(window, page)
    # Before the Application menu, which stays next to Help (the menu bar's order: File View ... Help).
    menus = window.menuBar().actions()
    help_at = menus.index(window._help_menu.menuAction())
    window.menuBar().insertMenu(menus[max(0, help_at - 1)], actions.menu)
    window.store_ready.connect(page.load_choices)

    def shown(*_args) -> None:  # the page loads when first shown (the window refreshes the page on screen)
        if window.stack.currentWidget() is page and not page.model.answered:
            page.model.refresh()

    window.nav.currentRowChanged.connect(shown)
    window.cultivation_page = page
    return actions
