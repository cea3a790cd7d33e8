"""Lock the window after a spell without keyboard or mouse input; the same user's password unlocks it.

While locked the main window's content (lists, score panel, menus, status bar) is covered by the lock
screen and disabled, its shortcuts do nothing, and every window it owns (intake forms, dialogs) is
hidden, not closed: an open form keeps what was typed (and saves it as a draft at once, so a power cut
during the lock loses nothing). Unlocking runs the real sign-in (key unwrap, throttle after 5 failures,
a disabled account refused) off the GUI thread; "Sign out" ends the session instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from .error_text import user_message
from .login_dialog import Busy

if TYPE_CHECKING:
    from .main_window import MainWindow

IDLE_LOCK_MINUTES = 10  # issue 8; a test passes a short interval to IdleLock instead of waiting
ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                      QEvent.Type.TouchBegin, QEvent.Type.InputMethod})  # fmt: skip


class LockScreen(QWidget):
    """The opaque cover over the main window: who is signed in, a password field, Unlock, Sign out."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockScreen { background: #eef1f5; } #lockCard { background: white; "
                           "border: 1px solid #c8ced6; border-radius: 6px; }")  # fmt: skip
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        card = QFrame()
        card.setObjectName("lockCard")
        card.setMinimumWidth(480)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        self.title = QLabel(self.tr("Loan Desk is locked"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.who = QLabel()
        self.who.setWordWrap(True)
        layout.addWidget(self.who)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("unlockPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Password"))
        self.password_edit.setAccessibleName(self.tr("Password"))
        layout.addWidget(self.password_edit)
        self.busy = Busy(card)
        layout.addWidget(self.busy)
        self.error_label = QLabel()
        self.error_label.setObjectName("unlockError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        self.sign_out_button = QPushButton(self.tr("Sign &out"))
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setDefault(True)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.password_edit.returnPressed.connect(self.unlock_button.click)
        self.hide()

    def show_for(self, user: str, role: str, minutes: float | None) -> None:
        """``minutes``: locked after that many idle minutes; None: locked by the user (Lock now)."""
        why = (self.tr("Locked after {minutes} idle minutes.").format(minutes=f"{minutes:g}") if minutes is not None
               else self.tr("Locked."))  # fmt: skip
        self.who.setText(why + "\n" + self.tr("Your unsaved entries are kept. {user} ({role}): type your "
                                              "password to carry on.").format(user=user, role=role))  # fmt: skip
        self.error_label.clear()
        self.password_edit.clear()
        self.set_busy(False)
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.password_edit, self.unlock_button, self.sign_out_button):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)

    def failed(self, message: str) -> None:
        self.set_busy(False)
        self.error_label.setText(message)
        self.password_edit.clear()
        self.password_edit.setFocus()


class IdleLock(QObject):
    """Watches the application's input; ``lock()`` after ``interval_ms`` without any."""

    def __init__(self, window: MainWindow, on_sign_out: Callable[[], None],
                 interval_ms: int = IDLE_LOCK_MINUTES * 60_000) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self.on_sign_out = on_sign_out
        self.screen = LockScreen(window)
        self.locked = False
        self._hidden: list[QWidget] = []
        self._disabled: list[QWidget] = []
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(lambda: self.lock(idle=True))
        self.set_interval(interval_ms)
        self.screen.unlock_button.clicked.connect(self._unlock)
        self.screen.sign_out_button.clicked.connect(self._sign_out)
        QApplication.instance().installEventFilter(self)

    def set_interval(self, interval_ms: int) -> None:
        self.timer.setInterval(max(50, int(interval_ms)))
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        """Signed in: the idle clock runs."""
        self.timer.start()

    def stop(self) -> None:
        """Signed out: nothing to lock; what the lock hid is closed (forms were closed, drafts kept, before)."""
        self.timer.stop()
        hidden = list(self._hidden)
        self._restore(show_hidden=False)
        for widget in hidden:
            if isValid(widget):
                widget.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.locked:
            # The window's actions keep their shortcuts while covered (Ctrl+N would open a form): not now.
            if kind == QEvent.Type.Shortcut and isinstance(watched, QAction) and self._ours(watched):
                return True
            if kind == QEvent.Type.Resize and watched is self.window:
                self.screen.setGeometry(self.window.rect())
        elif kind in ACTIVITY and self.timer.isActive():
            self.timer.start()  # restart the idle clock
        return False

    def _ours(self, obj: QObject) -> bool:
        """Does ``obj`` belong to this lock's window (another window of the application keeps its keys)?"""
        while obj is not None:
            if obj is self.window:
                return True
            obj = obj.parent()
        return False

    # ---- locking -----------------------------------------------------------------------------
    def lock(self, idle: bool = False) -> None:
        """Lock now (the Account menu's "Lock now"); the idle timer locks with ``idle=True``."""
        session = self.window.runner.session
        if self.locked or session is None:
            return
        self.locked = True
        self.timer.stop()
        for form in list(self.window.forms):
            form.flush()  # the draft is in the (encrypted) store now; the form itself stays open, hidden
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w is not self.window and w.isVisible() and _owned_by(w, self.window)]  # fmt: skip
        for widget in self._hidden:
            widget.hide()
        children = self.window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        self._disabled = [w for w in children  # the central widget, menu bar, status bar and docks
                          if w is not self.screen and not w.isWindow() and w.isEnabled()]  # fmt: skip
        for widget in self._disabled:
            widget.setEnabled(False)  # covered, and out of the Tab order too
        from loandesk.core.permissions import role_name

        actor = session.actor
        self.screen.show_for(actor.shown, role_name(actor.role),
                             self.timer.interval() / 60_000 if idle else None)  # fmt: skip

    def _unlock(self) -> None:
        session = self.window.runner.session
        password = self.screen.password_edit.text()
        if session is None:
            return
        if not password:
            self.screen.failed(self.tr("Type your password."))
            return
        home, user = session.home, session.actor.username
        self.screen.set_busy(True)

        def job(_store, _state):
            from loandesk.security import session as sessions

            # The real sign-in (throttle, disabled account, audit) on a second connection, closed at once.
            sessions.sign_in(home, user, password).close()

        self.window.runner.submit(job, lambda _r: self.unlocked(), lambda e: self.screen.failed(user_message(e)))

    def unlocked(self) -> None:
        self._restore(show_hidden=True)
        self.timer.start()

    def _restore(self, show_hidden: bool) -> None:
        if not self.locked:
            return
        self.locked = False
        self.screen.hide()
        for widget in self._disabled:
            widget.setEnabled(True)
        for widget in self._hidden if show_hidden else ():
            widget.show()
        self._hidden, self._disabled = [], []

    def _sign_out(self) -> None:
        self.on_sign_out()


def _owned_by(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False
