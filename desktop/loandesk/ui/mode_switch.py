"""View > Mode: Standard, Teller (counter, keyboard first, large type) or Field (visits and sync first).

The choice is kept in the store's settings table, per user once users exist (``ui_mode:<username>``, the
store's signed-in actor), else for the device (``ui_mode``); it is read again whenever the store opens,
so each user who signs in gets their own layout back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup

from .field_mode import FieldMode
from .teller_mode import TellerMode

if TYPE_CHECKING:
    from .main_window import MainWindow

MODES = ("standard", "teller", "field")
SETTING = "ui_mode"


def setting_key(store) -> str:
    actor = store.actor
    return SETTING if actor.is_system else f"{SETTING}:{actor.username}"


def read_mode(store, _state=None) -> str:
    saved = store.setting(setting_key(store))
    if saved in MODES:
        return saved
    return "teller" if store.actor.role == "teller" else "standard"  # a teller's first sign-in: the counter layout


def save_mode(store, mode: str) -> None:
    with store.db.atomic():
        store.set_setting(setting_key(store), mode)


class ModeSwitch(QObject):
    changed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.mode = "standard"
        self.teller = TellerMode(window)
        self.field = FieldMode(window)
        self.menu = window._view_menu.addMenu(self.tr("&Mode"))
        group = QActionGroup(self)
        names = {"standard": self.tr("&Standard"), "teller": self.tr("&Teller (counter)"),
                 "field": self.tr("&Field (visits)")}  # fmt: skip
        tips = {"standard": self.tr("Lists, forms and the score panel side by side"),
                "teller": self.tr("Large type and function keys for the counter: F2 look up, F3 new application, "
                                  "F4 score, F5 print memo, Esc back"),
                "field": self.tr("Visits, photos and sync first, for officers out on visits")}  # fmt: skip
        self.actions: dict[str, QAction] = {}
        for mode in MODES:
            action = QAction(names[mode], self, checkable=True)
            action.setStatusTip(tips[mode])
            action.setToolTip(tips[mode])
            action.setChecked(mode == self.mode)
            action.triggered.connect(lambda _c=False, m=mode: self.set_mode(m))
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[mode] = action
        # F3 and F4 are what a role may not always do (a teller captures but does not score; an admin does
        # neither): greyed out with the core's own reason as the key cap's tooltip, as the menus are.
        account = getattr(window, "account", None)
        if account is not None:
            account.gate.gate(self.teller.new_action, "capture")
            account.gate.gate(self.teller.score_action, "score")
        window.runner.store_opened.connect(self._store_opened)

    def _store_opened(self, _store) -> None:
        self.window.runner.submit(read_mode, lambda mode: self.set_mode(mode, save=False))

    def set_mode(self, mode: str, save: bool = True) -> None:
        if mode not in MODES:
            return
        if mode != self.mode:
            for name, part in (("teller", self.teller), ("field", self.field)):
                if name == self.mode:
                    part.deactivate()
            self.mode = mode
            if mode == "teller":
                self.teller.activate()
            elif mode == "field":
                self.field.activate()
        self.actions[mode].setChecked(True)
        self.teller.enable_keys(self.teller.active)  # a new user's gate may have enabled keys outside teller mode
        if save and self.window.runner.accepting:
            self.window.runner.submit(lambda store, _s: save_mode(store, mode))
        self.changed.emit(mode)


def install(window: MainWindow) -> ModeSwitch:
    window.mode_switch = ModeSwitch(window)
    return window.mode_switch
