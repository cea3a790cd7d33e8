"""The main window: navigation between the enterprise and application lists, intake forms,
and a status bar that always says whether Loan Desk is online and how much is unsynced.

The window paints at once; the store opens on the database worker meanwhile, and the
lists fill when it is ready.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .column_fit import fit_columns
from .screen_fit import fit_to_screen
from .table_models import ApplicationTableModel, EnterpriseTableModel, RecordTableModel
from .tasks import TaskRunner

if TYPE_CHECKING:  # imported when first used: the form and dialogs are not needed for the first paint
    from .drafts_dialog import DraftsDialog
    from .intake_form import IntakeForm
    from .widgets import Banner

SEARCH_DELAY_MS = 150
DOCK_WIDTH = 270
DEMO_COUNT = 60


class _ListView(QTableView):
    """The list's table; tells ``on_paint`` as each paint of its rows starts.

    Watching the paints here, not through an event filter on ``viewport()``, keeps the start-up
    from asking for the viewport: PySide6 resolves that plain QWidget's Python type by creating every
    QtWidgets class's enums (≈10 ms before the first paint).
    """

    on_paint = None
    on_resize = None

    def paintEvent(self, event) -> None:
        if self.on_paint is not None:  # told as the paint starts, as the event filter it replaces was
            self.on_paint()
        super().paintEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.on_resize is not None:
            self.on_resize()


class ListPage(QWidget):
    """A search box, an optional banner, the table, and the row count."""

    activated = Signal(str)  # record id

    def __init__(self, model: RecordTableModel, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.count_label = QLabel()
        top.addWidget(self.count_label)
        layout.addLayout(top)
        self.banner_slot = QVBoxLayout()
        layout.addLayout(self.banner_slot)
        self.view = _ListView()
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)  # a narrowed column elides its cells (whole in the tooltip), never wraps
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setResizeContentsPrecision(30)  # fit columns to the first rows only
        self.view.horizontalHeader().setSortIndicator(model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)
        layout.addWidget(self.view, 1)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: model.set_query(self.search.text()))
        self.search.textChanged.connect(self._timer.start)  # debounced: one query per pause, not per key
        self.search.returnPressed.connect(self._to_table)
        self.view.activated.connect(self._activate)
        model.countChanged.connect(self._show_count)
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._fit_columns)
        model.modelReset.connect(self._restore_current)
        self._fitted = False
        self._fitting = False
        self._hand_sized = False
        self._fitted_width = 0
        self.view.on_resize = self._view_resized
        self.view.horizontalHeader().sectionResized.connect(self._section_resized)
        self._current_id: str | None = None

    def _remember_current(self) -> None:
        index = self.view.currentIndex()
        self._current_id = self.model.record_id(index.row()) if index.isValid() else None

    def _restore_current(self) -> None:
        """A reload (after a save, a decision, a memo) keeps the officer's place in the list."""
        if self._current_id is None:
            return
        row = self.model.row_of(self._current_id)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _to_table(self) -> None:
        self._timer.stop()
        self.model.set_query(self.search.text())
        self.view.setFocus()
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.selectRow(0)

    def _activate(self, index) -> None:
        record_id = self.model.record_id(index.row())
        if record_id:
            self.activated.emit(record_id)

    def _show_count(self, total: int) -> None:
        if self.model.query:
            self.count_label.setText(self.tr("%n found", "", total))
        else:
            self.count_label.setText(self.tr("%n records", "", total))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_columns()  # a page hidden at start-up fits its columns when first shown

    def _fit_columns(self) -> None:
        if not self._fitted and self.model.rowCount() and self.isVisible():
            self._refit()
            self._fitted = True

    def _refit(self) -> None:
        self._fitting = True
        try:
            fit_columns(self.view, self.model.elastic_columns())  # every column on screen, either language
        finally:
            self._fitting = False
        self._fitted_width = self.view.width()

    def _view_resized(self) -> None:
        # The list's room changes (the window resized, the decision dock closed or opened): fit again,
        # until the user sizes a column by hand (theirs is kept from then on).
        if self._fitted and not self._hand_sized and abs(self.view.width() - self._fitted_width) > 8:
            self._refit()

    def _section_resized(self) -> None:
        # Only a drag is the user's sizing (the button is down); resets and the stretching last column are not.
        if not self._fitting and self._fitted and QApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            self._hand_sized = True


class MainWindow(QMainWindow):
    ready = Signal()  # store open, lists loaded and painted (the start-up benchmark waits for this)
    store_ready = Signal()

    def __init__(
        self, home: Path, *, lang: str = "zh", offer_drafts: bool = True, offer_demo: bool = True,
        runner: TaskRunner | None = None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        """``runner``: a TaskRunner already opening the store at ``home`` (run_gui starts it first)."""
        super().__init__(parent)
        self.home = Path(home)
        self.lang = lang
        self.offer_drafts = offer_drafts
        self.offer_demo = offer_demo
        self.forms: list[IntakeForm] = []
        self.drafts_dialog: DraftsDialog | None = None
        self.demo_banner: Banner | None = None
        self._lists_loaded = False  # the status bar has its first figures
        self._ready_sent = False
        self.setWindowTitle(self.tr("Loan Desk"))
        fit_to_screen(self, 1366, 760)  # a 1366x768 laptop's width, the smallest screen branches use

        if runner is None:
            runner = TaskRunner()
            runner.open_store(self.home)  # the answer arrives through the event loop, after __init__
        runner.setParent(self)
        self.runner = runner
        self.runner.store_opened.connect(self._store_opened)
        self.runner.store_failed.connect(self._store_failed)
        self.runner.failed.connect(lambda text: self.statusBar().showMessage(self.tr("Error: ") + text, 15000))

        self.enterprise_model = EnterpriseTableModel(self.runner, self)
        self.application_model = ApplicationTableModel(self.runner, self)
        self._build()
        self._build_menus()
        self._build_status_bar()
        from . import application_actions

        self.application_actions = application_actions.install(self, before=self._help_menu)
        from . import sync_panel, sync_status

        sync_status.install(self), sync_panel.install(self)  # the Sync menu, background sync, status figures
        from . import conflict_inbox

        conflict_inbox.install(self)  # Sync > Conflicts… (the conflict inbox)
        from . import cultivation_page

        self.cultivation_actions = cultivation_page.install(self)  # the Cultivation page and menu (issue 10)
        from . import list_import_menu

        self.list_import = list_import_menu.install(self)
        self._build_decision_dock()
        from . import account_menu  # the signed-in user: Account menu, role-aware actions, idle lock

        self.account = account_menu.install(self)
        from . import mode_switch, work_queue

        work_queue.install(self), mode_switch.install(self)  # the start page; View > Mode (issue 11)
        from . import settings_menu

        settings_menu.install(self)  # Account > Settings…; what the first-run wizard left to do (issue 11)
        from . import accessibility

        accessibility.install(self)  # screen readers' names for the lists and filters (issue 11)

    # ---- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        splitter = QSplitter()
        self.nav = QListWidget()
        self.nav.addItems([self.tr("Enterprises"), self.tr("Applications")])
        self.nav.setMaximumWidth(220)
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.stack = QStackedWidget()
        self.enterprise_page = ListPage(
            self.enterprise_model, self.tr("Search name, credit code, legal representative or phone (Ctrl+F)")
        )
        self.application_page = ListPage(
            self.application_model, self.tr("Search enterprise, legal representative, code, phone or A- reference")
        )
        self.stack.addWidget(self.enterprise_page)
        self.stack.addWidget(self.application_page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(1)  # applications: what a teller works on
        self.enterprise_page.activated.connect(self.open_enterprise)
        self.application_page.activated.connect(self.open_application)
        for model in (self.enterprise_model, self.application_model):
            model.loadFailed.connect(lambda text: self.statusBar().showMessage(self.tr("Error: ") + text, 15000))
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        # The navigation as wide as its words, so the lists get the rest of the window.
        nav_width = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 12
        splitter.setSizes([nav_width, 1200 - nav_width])
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.addWidget(splitter)
        self.setCentralWidget(container)
        for page in (self.enterprise_page, self.application_page):
            page.view.on_paint = self._painted

    def _build_decision_dock(self) -> None:
        """The chosen application's score panel, beside the lists; it follows the selection."""
        from .decision_dock import DecisionDock

        self.decision_dock = DecisionDock(self.runner, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.decision_dock)
        # As narrow as it reads well: at the default window size every list column stays on screen beside it.
        self.resizeDocks([self.decision_dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        toggle = self.decision_dock.toggleViewAction()
        toggle.setText(self.tr("&Score panel"))
        toggle.setShortcut(QKeySequence("Ctrl+3"))
        self._view_menu.addAction(toggle)
        self.application_page.view.selectionModel().currentChanged.connect(self._follow_selection)
        self.nav.currentRowChanged.connect(self._follow_selection)
        self.application_model.modelReset.connect(self._follow_selection)  # a reload after a decision: show it

    def _follow_selection(self, *_args) -> None:
        chosen = self.application_actions.selected()
        self.decision_dock.follow(chosen[0] if chosen else None)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.new_action = self._action(self.tr("&New intake"), self.new_intake, QKeySequence.StandardKey.New)
        self.drafts_action = self._action(self.tr("Unsaved &drafts…"), self.show_drafts)
        self.demo_action = self._action(self.tr("Add d&emo data…"), self.add_demo_data)
        quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        for action in (self.new_action, self.drafts_action, self.demo_action):
            action.setEnabled(False)  # until the store is open
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        view_menu = bar.addMenu(self.tr("&View"))
        self._view_menu = view_menu
        view_menu.addAction(self._action(self.tr("&Enterprises"), lambda: self.show_page(0), "Ctrl+1"))
        view_menu.addAction(self._action(self.tr("&Applications"), lambda: self.show_page(1), "Ctrl+2"))
        view_menu.addAction(self._action(self.tr("&Find"), self.focus_search, QKeySequence.StandardKey.Find))
        language_menu = view_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in (("zh", "中文"), ("en", "English")):
            action = QAction(name, self, checkable=True)
            self.language_actions[code] = action
            action.setChecked(code == self.lang)
            action.triggered.connect(lambda _c=False, c=code: self.choose_language(c))
            group.addAction(action)
            language_menu.addAction(action)

        help_menu = bar.addMenu(self.tr("&Help"))
        self._help_menu = help_menu
        help_menu.addAction(self._action(self.tr("&Self-check…"), self.self_check))
        help_menu.addAction(self._action(self.tr("&About Loan Desk"), self.about))
        from . import help_menu

        help_menu.install(self)  # Help > User guide, F1 (context help)

    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.online_label = QLabel(self.tr("Offline"))
        self.online_label.setObjectName("onlineStatus")
        self.unsynced_label = QLabel(self.tr("Opening the store…"))
        self.unsynced_label.setObjectName("unsyncedStatus")
        status.addPermanentWidget(self.online_label)
        status.addPermanentWidget(self.unsynced_label)

    # ---- the store ---------------------------------------------------------------------------
    def _store_opened(self, _store) -> None:
        for action in (self.new_action, self.drafts_action, self.demo_action):
            action.setEnabled(True)
        self.refresh()
        self.application_actions.update_enabled()
        self.store_ready.emit()

        def first_look(store, _state):
            return store.drafts() if self.offer_drafts else [], store.count_enterprises()

        self.runner.submit(first_look, self._first_look)

    def _store_failed(self, error: BaseException) -> None:
        self.unsynced_label.setText(self.tr("Store not open"))
        QMessageBox.critical(
            self, self.tr("Loan Desk"),
            self.tr("The data store in {home} could not be opened:\n{error}").format(home=self.home, error=error),
        )  # fmt: skip

    def _first_look(self, result: tuple[list[dict], int]) -> None:
        drafts, enterprises = result
        if drafts:
            self.show_drafts_dialog(drafts)
        if enterprises == 0 and self.offer_demo:
            self._offer_demo()

    def refresh(self) -> None:
        """Reload the lists' first pages and the status bar (after a save, demo data, a discard).

        The worker runs jobs in order: the status bar first, then the list on screen, then the other;
        so at start-up the visible list's own reset repaints it with everything ``ready`` waits for.
        """
        self.refresh_status()
        visible = self.current_page().model
        visible.refresh()
        for model in (self.application_model, self.enterprise_model):
            if model is not visible:
                model.refresh()

    def refresh_status(self) -> None:
        def job(store, _state):
            return store.unsynced_count(), store.setting("hub_url")

        def done(result: tuple[int, str | None]) -> None:
            unsynced, hub = result
            # No hub yet (sync comes later): Loan Desk works offline and says so.
            self.online_label.setText(self.tr("Online") if hub else self.tr("Offline"))
            self.online_label.setToolTip(hub or self.tr("No head-office hub is set up; all work is kept locally."))
            self.unsynced_label.setText(self.tr("Unsynced: {n}").format(n=unsynced))
            self.sync_status.show_counts(unsynced, hub)  # online means the hub answers (ui/sync_status.py)
            if not self._lists_loaded:
                self._lists_loaded = True
                if self.current_page().model.answered and not self._ready_sent:
                    self.current_page().view.viewport().update()  # the list came first: paint it again

        self.runner.submit(job, done)

    def _painted(self) -> None:
        if self._lists_loaded and not self._ready_sent and self.current_page().model.answered:
            self._ready_sent = True
            self.ready.emit()

    # ---- navigation --------------------------------------------------------------------------
    def current_page(self) -> ListPage:
        return self.stack.currentWidget()

    def show_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)
        self.current_page().view.setFocus()

    def focus_search(self) -> None:
        search = self.current_page().search
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()

    # ---- records -----------------------------------------------------------------------------
    def new_intake(self) -> IntakeForm:
        from .intake_form import IntakeForm

        return self._show_form(IntakeForm(self.runner, parent=self))

    def open_application(self, application_id: str) -> None:
        for form in self.forms:
            if form.application_id == application_id:
                form.raise_()
                form.activateWindow()
                return
        self.runner.submit(lambda store, _s: store.application_record(application_id), self._open_record)

    def _open_record(self, record: dict | None) -> None:
        if record is None:
            self.statusBar().showMessage(self.tr("That record is no longer on file."), 8000)
            return
        from .intake_form import IntakeForm

        self._show_form(IntakeForm(self.runner, record=record, parent=self))

    def open_enterprise(self, enterprise_id: str) -> None:
        """Open the enterprise's newest application, or start one for it when it has none."""

        def job(store, _state):
            app_id = store.latest_application_id(enterprise_id)
            if app_id:
                return store.application_record(app_id), None
            enterprise = store.enterprise(enterprise_id)
            return None, asdict(enterprise) if enterprise else None

        def done(result) -> None:
            record, enterprise = result
            if record:
                self._open_record(record)
            elif enterprise:
                from .intake_form import IntakeForm

                self._show_form(IntakeForm(self.runner, enterprise=enterprise, parent=self))

        self.runner.submit(job, done)

    def _show_form(self, form: IntakeForm) -> IntakeForm:
        self.forms.append(form)
        form.saved.connect(self._form_saved)
        form.open_requested.connect(self.open_enterprise)
        form.destroyed.connect(lambda _obj=None, f=form: self.forms.remove(f) if f in self.forms else None)
        form.show()
        return form

    def _form_saved(self, _application_id: str, ref: str) -> None:
        self.statusBar().showMessage(self.tr("Saved {ref}").format(ref=ref), 8000)
        self.refresh()

    # ---- drafts and demo data ----------------------------------------------------------------
    def show_drafts(self) -> None:
        self.runner.submit(lambda store, _s: store.drafts(), self._drafts_loaded)

    def _drafts_loaded(self, drafts: list[dict]) -> None:
        if drafts:
            self.show_drafts_dialog(drafts)
        else:
            self.statusBar().showMessage(self.tr("No unsaved drafts."), 5000)

    def show_drafts_dialog(self, drafts: list[dict]) -> DraftsDialog:
        from .drafts_dialog import DraftsDialog

        open_keys = {form.draft_key for form in self.forms}
        dialog = DraftsDialog([d for d in drafts if d["key"] not in open_keys], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restore_requested.connect(self.restore_draft)
        dialog.discard_requested.connect(self.discard_draft)
        self.drafts_dialog = dialog
        if dialog.list.count():
            dialog.show()
        return dialog

    def restore_draft(self, draft: dict) -> IntakeForm:
        from .intake_form import IntakeForm

        return self._show_form(IntakeForm(self.runner, draft=draft, parent=self))

    def discard_draft(self, key: str) -> None:
        self.runner.submit(lambda store, _s: store.delete_draft(key))

    def _offer_demo(self) -> None:
        from .widgets import Banner  # its dialogs' and combo box's Qt types wait until a banner is shown

        banner = Banner(self.tr("This data home is empty. Add {n} demo enterprises to try Loan Desk?").format(
            n=DEMO_COUNT))  # fmt: skip
        add = banner.add_button(self.tr("Add &demo data"))
        new = banner.add_button(self.tr("Start a &new intake"))
        dismiss = banner.add_button(self.tr("No, thanks"))
        add.clicked.connect(self.add_demo_data)
        new.clicked.connect(self.new_intake)
        dismiss.clicked.connect(self._remove_demo_banner)
        self.demo_banner = banner
        self.application_page.banner_slot.addWidget(banner)

    def _remove_demo_banner(self) -> None:
        if self.demo_banner is not None:
            self.demo_banner.deleteLater()
            self.demo_banner = None

    def add_demo_data(self) -> None:
        from .demo_offer import DemoLoader

        self._remove_demo_banner()

        def done(added: int) -> None:
            self.statusBar().showMessage(self.tr("Added {n} demo enterprises.").format(n=added), 8000)
            self.refresh()

        self.demo_loader = DemoLoader(self.runner, self, done, DEMO_COUNT)

    # ---- preferences and help ----------------------------------------------------------------
    def choose_language(self, lang: str) -> None:
        from .language_switch import switch  # saved, and the window made again in it now (issue 11)

        self.language_switch = switch(self, lang)

    def self_check(self) -> None:
        """The same checks as ``loandesk --self-check``, run off the GUI thread in their own dialog."""
        from .self_check_dialog import show_self_check

        self.self_check_dialog = show_self_check(self)

    def about(self) -> None:
        from .about_dialog import show_about  # version, rule pack, data home and its size, Back up…

        self.about_dialog = show_about(self)

    # ---- closing -----------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        # Nothing typed is lost: open forms keep their edits as drafts, then the store closes
        # after every queued write has run.
        for form in list(self.forms):
            form.close_silently()
        loader = getattr(self, "demo_loader", None)
        if loader is not None:
            loader.state.cancel()  # keep what was added; do not make the user wait for the rest
        self.runner.close()
        event.accept()
