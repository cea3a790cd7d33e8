"""What an officer or approver does with a stored application, from the main window.

Score it and record the decision after seeing the result; ask to override the decision (with a
reason) and have an approver confirm or reject that (maker-checker); the approver's own decision
(approve with a limit and conditions, or decline with a reason), which issues the approved memo;
issue, preview, print and save the credit memo; verify a memo file someone hands in. Every store
call runs on the window's database worker (``TaskRunner``); memo rendering and page previews run
off the GUI thread too.
The rules themselves live below the GUI (``scoring.service``, ``storage.decisions``,
``memo.service``): this module only asks and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from loandesk.core.i18n import language

from . import head_office
from .decision_words import words
from .error_text import user_message  # not .widgets: no dialog types before the first paint

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .memo_dialog import MemoDialog


class ApplicationActions(QObject):
    """The Application menu, the list's context menu and their shortcuts."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runner = window.runner
        self.memo_dialogs: list[MemoDialog] = []
        self.override_dialog = None
        self.confirm_dialog = None
        self.record_dialog = None
        self.approval_dialog = None

        def act(text: str, slot: Callable[[], None], shortcut=None, tip: str = "") -> QAction:
            action = QAction(text, window)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            if tip:
                action.setStatusTip(tip)
            action.triggered.connect(slot)
            window.addAction(action)  # shortcuts work with the menu closed
            return action

        self.open_action = act(self.tr("&Open"), self.open_selected)  # Enter in the list opens it too
        self.decide_action = act(self.tr("Score and &record decision…"), self.record_decision, "Ctrl+D",
                                 self.tr("Score the saved application with the rule pack in force, see the "
                                         "result, and keep the decision"))  # fmt: skip
        self.override_action = act(self.tr("Request &override…"), self.request_override, None,
                                   self.tr("Ask for a different decision, with a reason; an approver confirms it"))
        self.confirm_action = act(self.tr("&Confirm or reject override…"), self.confirm_override, None,
                                  self.tr("For approvers: decide on an override another officer asked for"))
        self.memo_action = act(self.tr("Credit &memo…"), self.show_memo, "Ctrl+M",
                               self.tr("Issue the credit memo (or show the one on file), preview and print it"))
        self.approve_action = act(self.tr("&Approve or decline…"), self.approve, None,
                                  self.tr("For approvers: approve with a limit and conditions, or decline with a "
                                          "reason; the approved memo is issued with it"))  # fmt: skip
        self.verify_action = act(self.tr("&Verify a memo file…"), self.verify_memo_file, None,
                                 self.tr("Check a memo PDF against the memos issued here"))  # fmt: skip
        self.record_actions = (self.decide_action, self.override_action, self.confirm_action, self.memo_action,
                               self.approve_action)  # fmt: skip
        for action in (*self.record_actions, self.verify_action):
            action.setEnabled(False)  # until the store is open and an application is chosen

    # ---- menus and selection -----------------------------------------------------------------
    def menu_title(self) -> str:
        return self.tr("&Application")

    def fill_menu(self, menu: QMenu) -> None:
        menu.addAction(self.decide_action)
        menu.addSeparator()
        menu.addAction(self.override_action)
        menu.addAction(self.confirm_action)
        menu.addAction(self.approve_action)
        menu.addSeparator()
        menu.addAction(self.memo_action)
        menu.addAction(self.verify_action)

    def context_menu(self, pos) -> None:
        view = self.window.application_page.view
        if not view.indexAt(pos).isValid():
            return
        menu = QMenu(view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per right-click: freed when it closes
        menu.addAction(self.open_action)
        menu.addSeparator()
        self.fill_menu(menu)
        menu.popup(view.viewport().mapToGlobal(pos))

    def update_enabled(self) -> None:
        chosen = self.runner.accepting and self.selected() is not None
        for action in self.record_actions:
            action.setEnabled(chosen)
        self.verify_action.setEnabled(self.runner.accepting)

    def selected(self) -> tuple[str, str] | None:
        """(id, reference) of the application chosen in the applications list, if that list is shown."""
        page = self.window.application_page
        if self.window.current_page() is not page:
            return None
        index = page.view.currentIndex()
        if not index.isValid():
            return None
        row = page.model.row_dict(index.row())
        return row["id"], row["ref"]

    def open_selected(self) -> None:
        chosen = self.selected()
        if chosen:
            self.window.open_application(chosen[0])

    # ---- helpers -----------------------------------------------------------------------------
    def _status(self, text: str, ms: int = 10_000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def _error(self, title: str) -> Callable[[BaseException], None]:
        def show(error: BaseException) -> None:
            self.window.unsetCursor()
            QMessageBox.warning(self.window, title, user_message(error))

        return show

    # ---- decisions ---------------------------------------------------------------------------
    def record_decision(self) -> None:
        """Score off the GUI thread, show the result, and record it only when the officer confirms."""
        chosen = self.selected()
        if not chosen:
            return
        app_id, ref = chosen

        def job(store, _state):
            from loandesk.approvals.service import preview

            return preview(store, app_id), store.setting("officer")

        def done(result) -> None:
            self._status("")
            preview, officer = result
            from .approval_dialogs import RecordDecisionDialog

            dialog = RecordDecisionDialog(preview, officer, self.runner, self.window)
            dialog.recorded.connect(lambda decision: self._recorded(ref, decision))
            self.record_dialog = dialog
            dialog.open()

        self._status(self.tr("Scoring {ref}…").format(ref=ref), 0)
        self.runner.submit(job, done, self._error(self.tr("Not scored")))

    def _recorded(self, ref: str, decision: dict) -> None:
        limit = f"{int(decision['limit_amount'] or 0):,}"
        self._status(self.tr("{ref}: {decision}, grade {grade}, limit {limit} yuan — decision recorded").format(
            ref=ref, decision=words().name(decision["decision"]), grade=decision["grade"] or "—",
            limit=limit))  # fmt: skip
        self.window.refresh()

    def approve(self) -> None:
        """The approver's decision: load what decides the application (off the GUI thread), then ask."""
        chosen = self.selected()
        if not chosen:
            return
        app_id, ref = chosen
        lang = language()

        def job(store, _state):
            from loandesk.approvals.service import summary

            return summary(store, app_id)

        def done(summary: dict) -> None:
            if summary["decision"] is None:
                QMessageBox.information(self.window, self.tr("Approve or decline"),
                                        self.tr("{ref} has no decision yet: score it first (Ctrl+D).")
                                        .format(ref=ref))  # fmt: skip
                return
            from .approval_dialogs import ApprovalDialog

            dialog = ApprovalDialog(summary, self.runner, self.window, lang)
            dialog.decided.connect(lambda approval, memo, pdf: self._approved(ref, approval, memo, pdf))
            self.approval_dialog = dialog
            dialog.open()

        self.runner.submit(job, done, self._error(self.tr("Approve or decline")))

    def _approved(self, ref: str, approval: dict, memo: dict, pdf: bytes) -> None:
        if approval["outcome"] == "approve":
            text = self.tr("{ref}: {decision} by {name}, limit {limit} yuan; memo {memo} issued").format(
                ref=ref, decision=words().name("approve"), name=approval["approver"],
                limit=f"{int(approval['limit_amount']):,}", memo=memo["memo_no"])  # fmt: skip
        else:
            text = self.tr("{ref}: {decision} by {name}; memo {memo} issued").format(
                ref=ref, decision=words().name("decline"), name=approval["approver"], memo=memo["memo_no"])
        self._status(text)
        self.open_memo_dialog(pdf, memo["memo_no"])
        self.window.refresh()

    def request_override(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        app_id, ref = chosen

        def job(store, _state):
            from loandesk.storage import decisions

            return decisions.current_decision(store, app_id), store.setting("officer")

        def done(result) -> None:
            decision, officer = result
            if decision is None:
                QMessageBox.information(self.window, self.tr("Request override"),
                                        self.tr("{ref} has no decision yet: score it first (Ctrl+D).")
                                        .format(ref=ref))  # fmt: skip
                return
            from .override_dialogs import OverrideRequestDialog

            officer = officer or decision.get("officer") or ""  # this device's officer, else who scored it
            dialog = OverrideRequestDialog(ref, decision, officer, self.runner, self.window)
            dialog.requested.connect(lambda _ov: (self._status(self.tr("Override of {ref} sent to an approver")
                                                                .format(ref=ref)), self.window.refresh()))
            self.override_dialog = dialog
            dialog.open()

        self.runner.submit(job, done, self._error(self.tr("Request override")))

    def confirm_override(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        app_id, ref = chosen

        def job(store, _state):
            from loandesk.storage import decisions

            return [o for o in decisions.overrides_for(store, app_id) if o["status"] == "pending"]

        def done(pending: list[dict]) -> None:
            if not pending:
                QMessageBox.information(self.window, self.tr("Confirm override"),
                                        self.tr("No override of {ref} is waiting for an approver.").format(ref=ref))
                return
            from .override_dialogs import OverrideConfirmDialog

            dialog = OverrideConfirmDialog(ref, pending[0], self.runner, self.window)
            dialog.decided.connect(lambda ov: self._override_decided(ref, ov))
            self.confirm_dialog = dialog
            dialog.open()

        self.runner.submit(job, done, self._error(self.tr("Confirm override")))

    def _override_decided(self, ref: str, override: dict) -> None:
        if override["status"] == "confirmed":
            self._status(self.tr("Override of {ref} confirmed").format(ref=ref))
        else:
            self._status(self.tr("Override of {ref} rejected").format(ref=ref))
        self.window.refresh()

    # ---- memos -------------------------------------------------------------------------------
    def show_memo(self) -> None:
        """The memo on file for the current decision in the UI language, or a new one issued now."""
        chosen = self.selected()
        if not chosen:
            return
        app_id, ref = chosen
        lang = language()

        def job(store, _state):
            from loandesk.memo import service

            row, new = service.memo_for_output(store, app_id, lang)
            return row, new, service.memo_pdf(store, row["id"])

        self._memo_job(ref, job)

    def _memo_job(self, ref: str, job) -> None:
        self.window.setCursor(Qt.CursorShape.BusyCursor)
        self._status(self.tr("Preparing the memo for {ref}…").format(ref=ref), 0)

        def done(result) -> None:
            self.window.unsetCursor()
            row, new, pdf = result
            if new:
                self._status(self.tr("Issued memo {memo} (version {version}) for {ref}").format(
                    memo=row["memo_no"], version=row["version"], ref=ref))  # fmt: skip
            else:
                self._status(self.tr("Memo {memo} on file for {ref}").format(memo=row["memo_no"], ref=ref))
            head_office.show_in(self.runner, self.open_memo_dialog(pdf, row["memo_no"]), row.get("application_id"))
            self.window.refresh()

        self.runner.submit(job, done, self._error(self.tr("Credit memo")))

    def open_memo_dialog(self, pdf: bytes, memo_no: str = "") -> MemoDialog:
        from .memo_dialog import MemoDialog

        dialog = MemoDialog(pdf, memo_no, parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.verifyRequested.connect(lambda data, d=dialog: self._verify_bytes(data, d.show_verification))
        dialog.verifyCodeRequested.connect(lambda code, d=dialog: self._verify_code(code, d.show_verification))
        self.memo_dialogs.append(dialog)
        dialog.destroyed.connect(lambda _o=None, d=dialog: self.memo_dialogs.remove(d)
                                 if d in self.memo_dialogs else None)  # fmt: skip
        dialog.show()
        return dialog

    def _verify_bytes(self, data: bytes, show: Callable[[object], None]) -> None:
        def job(store, _state):
            from loandesk.memo.service import verify_pdf

            return verify_pdf(store, data)

        self.runner.submit(job, show, lambda error: show(user_message(error)))

    def _verify_code(self, code: str, show: Callable[[object], None]) -> None:
        """Check a printed memo's code (typed, pasted or read by a barcode scanner)."""

        def job(store, _state):
            from loandesk.memo.service import verify_code

            return verify_code(store, code)

        self.runner.submit(job, show, lambda error: show(user_message(error)))

    def verify_memo_file(self) -> None:
        from . import file_dialogs  # not needed for the first paint

        path = file_dialogs.open_file_name(self.window, self.tr("Verify a memo file"), self.tr("PDF files (*.pdf)"))
        if path:
            self.verify_path(path)

    def verify_path(self, path: str | Path) -> None:
        """Check a memo file (read and checked on the worker) and say the answer in a message box."""
        name = Path(path).name

        def job(store, _state):
            from loandesk.memo.service import verify_pdf

            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                return self.tr("Cannot read {name}: {error}").format(name=name, error=exc.strerror or exc)
            return verify_pdf(store, data)

        def show(result: object) -> None:
            ok = bool(getattr(result, "ok", False))
            text = result.message() if hasattr(result, "message") else str(result)
            # Three answers, three titles: the issued file itself; a memo that exists but this file (a scan,
            # an edited copy) is not proof of it, so compare its key facts with the paper; no such memo.
            exists = getattr(result, "status", None) == "exists"
            if exists and hasattr(result, "fact_lines"):
                text = "\n".join([text, *result.fact_lines()])
            self.last_verification = (ok, text)
            self._status(("✔ " if ok else "⚠ " if exists else "✘ ") + text.splitlines()[0])
            if ok:
                icon, title = QMessageBox.Icon.Information, self.tr("Memo verified")
            elif exists:
                icon, title = QMessageBox.Icon.Warning, self.tr("Memo exists, but this file is not proof of it")
            else:
                icon, title = QMessageBox.Icon.Critical, self.tr("Memo does NOT verify")
            box = QMessageBox(icon, title, f"{name}\n\n{text}", QMessageBox.StandardButton.Ok, self.window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.verification_box = box
            box.open()

        self.runner.submit(job, show, lambda error: show(user_message(error)))


def install(window: MainWindow, before: QMenu | None = None) -> ApplicationActions:
    """Create the actions, the Application menu (before ``before``) and the list's context menu."""
    actions = ApplicationActions(window)
    menu = QMenu(actions.menu_title(), window.menuBar())
    actions.fill_menu(menu)
    if before is not None:
        window.menuBar().insertMenu(before.menuAction(), menu)
    else:
        window.menuBar().addMenu(menu)
    view = window.application_page.view
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(actions.context_menu)
    view.selectionModel().currentChanged.connect(lambda *_: actions.update_enabled())
    window.nav.currentRowChanged.connect(lambda *_: actions.update_enabled())
    window.application_model.modelReset.connect(actions.update_enabled)
    return actions
