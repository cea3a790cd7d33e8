"""The signed-in user in the main window: the Account menu, the status bar's "who", role-aware actions,
the idle lock, and sign out / switch user.

Role-aware actions are a courtesy on top of the core's checks (core.permissions, enforced by the
services): an action the signed-in role may not do is disabled with a tooltip saying why, and stays
disabled whatever else (a selection change, the store opening) would enable it. A store opened with
its key and no session (the system actor) keeps every action, as before sign-in existed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox
from shiboken6 import isValid

from loandesk.core.i18n import language
from loandesk.core.permissions import SYSTEM, Actor, PermissionDenied, role_name

from .idle_lock import IDLE_LOCK_MINUTES, IdleLock

if TYPE_CHECKING:
    from .main_window import MainWindow


def why_not(actor: Actor, permission: str) -> str:
    """The core's own refusal, in the user's language: what the tooltip of a disabled action says."""
    return PermissionDenied(actor.username, actor.role, permission).message(language())


class RoleGate(QObject):
    """Keeps each gated action disabled (with the reason as its tooltip) while the actor may not do it."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.actor: Actor = SYSTEM
        self.gated: list[tuple[QAction, str, str]] = []  # action, permission, its own tooltip
        self._busy = False

    def gate(self, action: QAction, permission: str) -> None:
        self.gated.append((action, permission, action.toolTip()))
        action.changed.connect(lambda a=action, p=permission: self._enforce(a, p))
        for widget in action.associatedObjects():
            if isinstance(widget, QMenu):
                widget.setToolTipsVisible(True)  # the reason shows on the menu item too

    def set_actor(self, actor: Actor) -> None:
        """A new user signed in. An action the new role may do is enabled again; the window then corrects
        those that need more (a chosen application) through its own update (AccountUI._signed_in)."""
        self.actor = actor
        for action, permission, tip in self.gated:
            if actor.may(permission):
                if action.property("gatedOff"):
                    action.setProperty("gatedOff", False)
                    action.setToolTip(tip)
                    action.setEnabled(True)
            else:
                self._enforce(action, permission)

    def _enforce(self, action: QAction, permission: str) -> None:
        if self._busy or self.actor.may(permission) or (action.property("gatedOff") and not action.isEnabled()):
            return
        self._busy = True  # our own setEnabled/setToolTip emit ``changed`` again
        try:
            action.setProperty("gatedOff", True)
            action.setEnabled(False)
            action.setToolTip(why_not(self.actor, permission))
        finally:
            self._busy = False


class AccountUI(QObject):
    def __init__(self, window: MainWindow, idle_ms: int = IDLE_LOCK_MINUTES * 60_000) -> None:
        super().__init__(window)
        self.window = window
        self.runner = window.runner
        self.users_dialog = None
        self.audit_dialog = None
        self.password_dialog = None
        self.login_dialog = None
        self.gate = RoleGate(self)
        self.idle = IdleLock(window, self.sign_out, idle_ms)

        self.user_label = QLabel(self.tr("Not signed in"))
        self.user_label.setObjectName("signedInUser")
        window.statusBar().insertPermanentWidget(0, self.user_label)

        self.menu = QMenu(self.tr("A&ccount"), window)
        self.who_action = QAction(self.tr("Not signed in"), window)
        self.who_action.setEnabled(False)
        self.change_password_action = self._action(self.tr("Change my &password…"), self.change_password)
        self.lock_action = self._action(self.tr("&Lock now"), lambda: self.idle.lock(), "Ctrl+L")
        self.switch_action = self._action(self.tr("S&witch user…"), lambda: self.sign_out(switching=True))
        self.sign_out_action = self._action(self.tr("Sign &out"), self.sign_out)
        self.users_action = self._action(self.tr("&Users…"), self.show_users)
        self.audit_action = self._action(self.tr("&Audit log…"), self.show_audit)
        self.menu.addAction(self.who_action)
        self.menu.addSeparator()
        for action in (self.change_password_action, self.lock_action, self.switch_action, self.sign_out_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.users_action)
        self.menu.addAction(self.audit_action)
        # Before the Application menu: File, View, Account, Application, Help (Application stays next to Help).
        bar_actions = window.menuBar().actions()
        before = bar_actions[-2] if len(bar_actions) >= 2 else window._help_menu.menuAction()
        window.menuBar().insertMenu(before, self.menu)
        self.session_actions = (self.change_password_action, self.lock_action, self.switch_action,
                                self.sign_out_action, self.users_action, self.audit_action)  # fmt: skip
        for action in self.session_actions:
            action.setEnabled(False)  # until someone is signed in

        actions = window.application_actions
        for action, permission in ((window.new_action, "capture"), (window.drafts_action, "capture"),
                                   (window.demo_action, "change_settings"), (actions.decide_action, "score"),
                                   (actions.override_action, "request_override"),
                                   (actions.confirm_action, "confirm_override"), (actions.approve_action, "approve"),
                                   (actions.memo_action, "print_memo"), (actions.verify_action, "verify_memo"),
                                   (self.users_action, "manage_users"), (self.audit_action, "view_audit")):  # fmt: skip
            self.gate.gate(action, permission)
        self.runner.store_opened.connect(self._signed_in)

    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    # ---- the session -------------------------------------------------------------------------
    @property
    def actor(self) -> Actor:
        session = self.runner.session
        return session.actor if session is not None else SYSTEM

    def _signed_in(self, _store=None) -> None:
        actor = self.actor
        if self.runner.session is None:  # opened with its key (no users): nobody to show or lock
            self.gate.set_actor(SYSTEM)
            return
        text = self.tr("{user} · {role}").format(user=actor.shown, role=role_name(actor.role))
        self.user_label.setText(text)
        self.user_label.setToolTip(self.tr("Signed in as {name} on device {device}").format(
            name=actor.username, device=actor.device))  # fmt: skip
        self.who_action.setText(self.tr("Signed in: {user}").format(user=text))
        for action in self.session_actions:
            action.setEnabled(True)
        self.gate.set_actor(actor)
        if not actor.may("change_settings"):
            self.window.offer_demo = False  # only an admin adds demo data (as `loandesk demo` on a home with users)
        self.window.application_actions.update_enabled()  # what needs a chosen application, again
        self.idle.start()

    def sign_out(self, switching: bool = False) -> None:
        """End the session: forms keep their drafts, the store closes, the sign-in dialog shows again."""
        if self.runner.session is None or self.login_dialog is not None:
            return
        for form in list(self.window.forms):
            form.close_silently()  # drafts are written before the store closes (jobs run in order)
        for dialog in (self.users_dialog, self.audit_dialog, self.password_dialog):
            if _showing(dialog):
                dialog.close()
        self.idle.stop()
        self.user_label.setText(self.tr("Not signed in"))
        self.who_action.setText(self.tr("Not signed in"))
        for action in self.session_actions:
            action.setEnabled(False)
        for action in (self.window.new_action, self.window.drafts_action, self.window.demo_action):
            action.setEnabled(False)
        self.runner.sign_out(lambda _r: self._ask(switching))

    def _ask(self, switching: bool) -> None:
        from .login_dialog import ask_sign_in

        self.window.hide()

        def signed_in(_session) -> None:
            self.login_dialog = None
            self.window.show()

        def quit_() -> None:
            self.login_dialog = None
            self.window.close()

        self.login_dialog = ask_sign_in(self.window.home, self.runner, None, signed_in, quit_, switching=switching)

    # ---- dialogs -----------------------------------------------------------------------------
    def change_password(self) -> None:
        from .users_dialog import ChangePasswordDialog

        self.password_dialog = ChangePasswordDialog(self.runner, self.window)
        self.password_dialog.open()

    def show_users(self) -> None:
        if not self._may("manage_users"):
            return
        from .users_dialog import UsersDialog

        if not _showing(self.users_dialog):  # none yet, or closed (deleted soon): a fresh one
            self.users_dialog = UsersDialog(self.runner, self.window)
        self.users_dialog.show()
        self.users_dialog.raise_()

    def show_audit(self) -> None:
        if not self._may("view_audit"):
            return
        from .audit_dialog import AuditDialog

        if not _showing(self.audit_dialog):  # none yet, or closed (deleted soon): a fresh one
            self.audit_dialog = AuditDialog(self.runner, self.window)
        self.audit_dialog.show()
        self.audit_dialog.raise_()

    def _may(self, permission: str) -> bool:
        """A shortcut or a stale menu must not get round the gate: the same refusal as the core's."""
        if self.actor.may(permission):
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not allowed"), why_not(self.actor, permission),
                          QMessageBox.StandardButton.Ok, self.window)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.refusal_box = box
        box.open()  # not exec(): no nested event loop
        return False


def _showing(dialog) -> bool:
    return dialog is not None and isValid(dialog) and dialog.isVisible()


def install(window: MainWindow) -> AccountUI:
    return AccountUI(window)

