"""View > Language, live (issue 11): the new language takes effect at once, no restart.

Qt's translators are swapped on the application (Qt's own dialogs included), then the main window is made
again in the new language on the same database worker (the store stays open and signed in: nothing is
re-read from disk but the lists), keeping what the user had in front of them: the window's place and size,
the page and the searches typed, the score panel shown or not, and every open intake form with its
content (a form with edits comes back from its draft, written first, so nothing typed is lost).

A language whose .qm files are not compiled yet (an English start switching to Chinese on a new install)
is compiled on ``i18n.Compilation``'s own thread; the GUI thread only polls for it.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from . import i18n

if TYPE_CHECKING:
    from .main_window import MainWindow

POLL_MS = 50
_alive: list[QObject] = []  # the running switches and the windows they made (nothing else holds them)


class LanguageSwitch(QObject):
    """One switch of ``old`` to ``lang``; ``switched`` carries the new window (``window`` holds it too)."""

    switched = Signal(object)

    def __init__(self, old: MainWindow, lang: str) -> None:
        super().__init__()
        self.old, self.lang = old, lang
        self.window: MainWindow | None = None
        self.ready = i18n.Compilation(lang)
        _alive.append(self)
        if self.ready.done():
            QTimer.singleShot(0, self._rebuild)  # after the menu's own signal has returned
        else:
            old.statusBar().showMessage(self.tr("Preparing the translations…"), 0)
            self._poll = QTimer(self, interval=POLL_MS)
            self._poll.timeout.connect(self._check)
            self._poll.start()

    def _check(self) -> None:
        if self.ready.done():
            self._poll.stop()
            self._rebuild()

    def _rebuild(self) -> None:
        from .main_window import MainWindow

        old, lang = self.old, self.lang
        app = QApplication.instance()
        for translator in getattr(app, "_translators", []):
            app.removeTranslator(translator)
        app._translators = i18n.install_translators(app, lang, self.ready)

        state = capture(old)
        runner = old.runner
        for signal in (runner.store_opened, runner.store_failed, runner.failed, runner.idle):
            with warnings.catch_warnings():  # a signal nobody listens to says so; nothing to undo then
                warnings.simplefilter("ignore", RuntimeWarning)
                try:
                    signal.disconnect()
                except (RuntimeError, TypeError):
                    pass
        window = MainWindow(old.home, lang=lang, runner=runner, offer_drafts=False, offer_demo=False)
        window.restoreGeometry(state["geometry"])
        old.hide()
        old.deleteLater()  # not close(): that would close the store the new window goes on with
        window.show()
        # The store is open already: say so again to the new window's parts (they wait for it to fill in).
        runner.submit(lambda store, _s: store, runner.store_opened.emit)
        restore(window, state)
        self.window = window
        _alive.remove(self)
        _alive[:] = [w for w in _alive if w is not old]
        _alive.append(window)
        self.switched.emit(window)


def capture(window: MainWindow) -> dict:
    """What the user had in front of them; every open form closed (its edits kept as a draft first)."""
    forms = []
    for form in list(window.forms):
        forms.append({"key": form.draft_key, "payload": form.draft_payload(), "changed": form._changed,
                      "application_id": form.application_id, "enterprise_id": form.enterprise_id,
                      "geometry": form.saveGeometry()})  # fmt: skip
        form.close_silently()
    return {
        "geometry": window.saveGeometry(), "page": window.stack.currentIndex(), "forms": forms,
        "searches": [window.enterprise_page.search.text(), window.application_page.search.text()],
        "dock": window.decision_dock.isVisible(),
    }  # fmt: skip


def restore(window: MainWindow, state: dict) -> None:
    window.stack.setCurrentIndex(state["page"])
    window.nav.setCurrentRow(state["page"])
    for page, text in zip((window.enterprise_page, window.application_page), state["searches"], strict=True):
        if text:
            page.search.setText(text)  # the list searches after the usual pause
    window.decision_dock.setVisible(state["dock"])
    for found in state["forms"]:
        if found["changed"]:
            form = window.restore_draft({"key": found["key"], "payload": found["payload"]})
        elif found["application_id"]:
            window.open_application(found["application_id"])  # read again: it opens when the store answers
            continue
        elif found["enterprise_id"]:
            window.open_enterprise(found["enterprise_id"])
            continue
        else:
            form = window.new_intake()
        form.restoreGeometry(found["geometry"])


def switch(window: MainWindow, lang: str) -> LanguageSwitch | None:
    """Save ``lang`` as the preference and, when it differs, switch the window to it now."""
    i18n.save_language(window.home, lang)
    if lang == window.lang:
        return None
    return LanguageSwitch(window, lang)
