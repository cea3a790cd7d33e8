"""Teller mode: the counter's keyboard-first layout (issue 11).

Large type (the application font 1.3 times, so the intake form and dialogs grow too) and function keys
for the common path, shown in a strip along the bottom: F2 look up (the application search), F3 new
application, F4 score (the score-and-decide preview of ``application_actions``), F5 the credit memo
(preview and print), Esc back to the look-up. The keys work from the intake form as well: F4 and F5 then
act on the form's saved application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QToolBar, QToolButton

if TYPE_CHECKING:
    from .main_window import MainWindow

SCALE = 1.3
_base_font: QFont | None = None  # the font before any mode scaled it (the window may be rebuilt meanwhile)


def scale_font(on: bool) -> None:
    global _base_font
    app = QApplication.instance()
    if app is None:  # no application yet: no font to scale (the next one starts at Qt's default)
        return
    if _base_font is None:
        _base_font = QFont(app.font())
    font = QFont(_base_font)
    if on:
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * SCALE)
        else:
            font.setPixelSize(round(font.pixelSize() * SCALE))
    app.setFont(font)


class TellerMode(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.active = False

        def act(text: str, key: str, slot, tip: str) -> QAction:
            action = QAction(text, window)
            action.setShortcut(QKeySequence(key))
            # The function keys work from the intake form too; Esc stays each dialog's own "close".
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut if key != "Esc"
                                      else Qt.ShortcutContext.WindowShortcut)  # fmt: skip
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.setEnabled(False)  # only in teller mode
            action.triggered.connect(slot)
            window.addAction(action)
            return action

        self.lookup_action = act(self.tr("F2 Look up"), "F2", self.look_up,
                                 self.tr("Find the customer's application: name, credit code, phone or A- reference"))
        self.new_action = act(self.tr("F3 New application"), "F3", self.new_application,
                              self.tr("Start a new intake"))
        self.score_action = act(self.tr("F4 Score"), "F4", self.score,
                                self.tr("Score the chosen application and see the decision before it is kept"))
        self.memo_action = act(self.tr("F5 Print memo"), "F5", self.memo,
                               self.tr("Issue or show the credit memo, preview and print it"))
        self.back_action = act(self.tr("Esc Back"), "Esc", self.back, self.tr("Back to the look-up"))
        self.keys = (self.lookup_action, self.new_action, self.score_action, self.memo_action, self.back_action)
        self.strip = QToolBar(self.tr("Function keys"), window)
        self.strip.setObjectName("tellerKeys")
        self.strip.setMovable(False)
        self.strip.setFloatable(False)
        self.strip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.keys:
            self.strip.addAction(action)
            button = self.strip.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys, not Tab, reach them
        # Key caps: bold, padded, the key's name first, so the strip reads at arm's length across the counter.
        self.strip.setStyleSheet("QToolButton { padding: 4px 14px; margin: 2px 4px;"
                                 " border: 1px solid palette(mid); border-radius: 4px; }")
        window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.strip)
        self.strip.setVisible(False)
        self._dock_was_shown = True
        window.application_model.modelReset.connect(self._choose_found)

    def _choose_found(self) -> None:
        """Enter in the search moves to the list before the answer is in: choose the first one found then,
        so F4 and F5 have an application to act on without a key more."""
        page = self.window.application_page
        if self.active and page.view.hasFocus() and not page.view.currentIndex().isValid() and page.model.rowCount():
            page.view.selectRow(0)

    # ---- on and off ------------------------------------------------------------------------
    def activate(self) -> None:
        self.active = True
        scale_font(True)
        self.enable_keys(True)
        self.strip.setVisible(True)
        # The list gets the room the large type needs: F4 shows the score and the decision in its own dialog.
        self._dock_was_shown = self.window.decision_dock.isVisible()
        self.window.decision_dock.setVisible(False)
        self._fit_again()
        self.look_up()

    def deactivate(self) -> None:
        self.active = False
        scale_font(False)
        self.enable_keys(False)
        self.strip.setVisible(False)
        self.window.decision_dock.setVisible(self._dock_was_shown)
        self._fit_again()

    def enable_keys(self, on: bool) -> None:
        """The keys work in teller mode only; the role gate (ui/account_menu.py) keeps those the signed-in
        user may not use greyed out whatever this asks."""
        for action in self.keys:
            action.setEnabled(on)

    def _fit_again(self) -> None:
        """The type changed size: the navigation, the key caps and the lists' columns fit their words again
        (once the new font has reached the widgets, after this event)."""
        QTimer.singleShot(0, self, self._fit_now)  # dropped with the window (a language switch replaces it)

    def _fit_now(self) -> None:
        window = self.window
        nav = window.nav
        nav.setMaximumWidth(round(220 * SCALE) if self.active else 220)
        width = min(nav.maximumWidth(), nav.sizeHintForColumn(0) + 2 * nav.frameWidth() + 12)
        nav.setMinimumWidth(width)
        splitter = nav.parentWidget()
        if hasattr(splitter, "setSizes"):
            total = sum(splitter.sizes())
            splitter.setSizes([width, max(total - width, 1)])
        bold = QFont(QApplication.font())
        bold.setBold(True)
        for action in self.keys:
            button = self.strip.widgetForAction(action)
            if button is not None:
                button.setFont(bold)  # the key caps at the large size, bold
        for page in (window.enterprise_page, window.application_page):
            page._hand_sized = False
            if page.isVisible() and page.model.rowCount():
                page._refit()
            else:
                page._fitted = False  # fitted when next shown

    # ---- the keys --------------------------------------------------------------------------
    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10_000)

    def look_up(self) -> None:
        window = self.window
        window.raise_()
        window.activateWindow()
        window.show_page(window.stack.indexOf(window.application_page))
        window.focus_search()

    def new_application(self) -> None:
        if self.window.new_action.isEnabled():
            self.window.new_intake()

    def chosen(self) -> tuple[str, str] | None:
        """The application F4 and F5 act on: the intake form in front (once saved), else the list's choice."""
        window = self.window
        active = QApplication.activeWindow()
        form = next((f for f in window.forms if f is active), None)
        if form is not None:
            if form.application_id:
                return form.application_id, form.ref or ""
            self._status(self.tr("Save the intake first (Ctrl+S); then F4 scores it."))
            return None
        chosen = window.application_actions.selected()
        if chosen is None and window.stack.currentWidget() is getattr(window, "work_queue_page", None):
            row = window.work_queue_page.current_row()
            if row and row[0] in ("to_score", "to_approve", "overrides"):
                chosen = row[1]["id"], row[1]["ref"]
        if chosen is None:
            self._status(self.tr("Choose an application first: F2 to look it up, arrows to choose."))
        return chosen

    def score(self) -> None:
        chosen = self.chosen()
        if chosen:
            self.window.work_queue.with_application(*chosen, self.window.application_actions.record_decision)

    def memo(self) -> None:
        chosen = self.chosen()
        if chosen:
            self.window.work_queue.with_application(*chosen, self.window.application_actions.show_memo)

    def back(self) -> None:
        """One step back: clear a typed search, else return to the look-up."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and focus.text():
            focus.clear()
            return
        self.look_up()
