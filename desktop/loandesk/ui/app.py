"""Start the GUI: the application object, translations, the main window.

Start-up imports only Qt and the small core modules; pandas, reportlab and the hub
are never imported here (the start-up benchmark checks the time this takes).
With ``LOANDESK_BENCHMARK_STARTUP=1`` the app prints the seconds since the
process started once the window has painted its loaded lists, and quits.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from loandesk.paths import bundled_fonts, data_home

from . import startup

if TYPE_CHECKING:  # Qt is imported inside run_gui, after the storage import has started beside it
    from PySide6.QtWidgets import QApplication

HEAVY_MODULES = ("pandas", "numpy", "reportlab", "fastapi", "uvicorn", "pydantic", "openpyxl", "pypdf")
CJK_FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)


def ensure_cjk_font(app: QApplication) -> None:
    """Name a Chinese font where the platform has none of its own (minimal platforms, no fontconfig).

    Where the font database already holds a Simplified Chinese family (fontconfig on X11, Wayland
    and offscreen; Windows; macOS) Qt falls back to it by itself, and registering the 5 MB
    .ttc again would only cost start-up time.
    """
    from PySide6.QtGui import QFont, QFontDatabase

    if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return
    for path in (*map(str, bundled_fonts()), *CJK_FONT_FILES):  # a bundle's own font first
        if Path(path).is_file():
            font_id = QFontDatabase.addApplicationFont(path)
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                font = QFont(app.font())
                font.setFamilies([app.font().family(), *families])
                app.setFont(font)
            return


def make_app(argv: list[str] | None = None) -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Loan Desk")
    app.setOrganizationName("LoanDesk")
    app.setApplicationVersion(__import__("loandesk").__version__)
    from .accessibility import readable_palette

    readable_palette(app)  # placeholders and selected rows dark enough to read (4.5:1)
    return app


def run_gui(home: str | None = None, lang: str | None = None) -> int:
    startup.enabled = True
    home_path = data_home(home)
    startup.preload_storage(home_path)  # imports the store (and sqlite-utils for a new home) while Qt loads
    from . import i18n  # Qt-free until install_translators

    chosen = i18n.choose_language(lang, home_path)
    translations = i18n.Compilation(chosen)  # prebuilt .qm found, or compiled on a thread while Qt loads
    from PySide6.QtCore import QTimer

    from .tasks import TaskRunner

    app = make_app()
    runner = TaskRunner()  # the store opens on its worker once the user has signed in
    ensure_cjk_font(app)
    app._translators = i18n.install_translators(app, chosen, translations)  # keep them alive
    built: list = []

    def main_window():
        """The main window, built once: just after the sign-in dialog is on screen, while the user types
        (the first window a user sees does not wait for it), or at the sign-in if that comes first."""
        if built:
            return built[0]
        from .main_window import MainWindow

        window = MainWindow(home_path, lang=chosen, runner=runner)
        built.append(window)
        if os.environ.get("LOANDESK_BENCHMARK_STARTUP"):
            _benchmark_hook(app, window)  # connected first: it reports before anything below runs

        # pandas/numpy for sqlite-utils' column types: loaded on the worker a moment after the first paint.
        def complete_types() -> None:
            if window.runner.accepting:
                window.runner.submit(startup.complete_sqlite_utils_types)

        window.ready.connect(lambda: QTimer.singleShot(500, complete_types))
        return window

    from .login_dialog import ask_sign_in

    def quit_app() -> None:
        if built:
            built[0].close()  # closes the runner (and any store) after its queued jobs
        else:
            runner.close()
        app.quit()

    dialog = ask_sign_in(home_path, runner, None, lambda _session: main_window().show(), quit_app)
    if dialog is None:  # the home cannot be opened at all; the reason was shown
        runner.close()
        return 2
    after_first_paint(dialog, main_window)
    if os.environ.get("LOANDESK_BENCHMARK_STARTUP"):
        _benchmark_sign_in(dialog)
    return app.exec()


def after_first_paint(widget, then) -> None:
    """Run ``then`` once ``widget`` has painted for the first time (or after 300 ms if it never does,
    say when it is hidden at once), so what it shows is on screen before ``then``'s work starts."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        done = False

        def fire(self) -> None:
            if not self.done:
                self.done = True
                widget.removeEventFilter(self)
                QTimer.singleShot(0, then)

        def eventFilter(self, _obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.fire()
            return False

    watch = FirstPaint(widget)
    widget.installEventFilter(watch)
    QTimer.singleShot(300, watch.fire)


def _benchmark_sign_in(dialog) -> None:
    """The start-up benchmark signs in as a user would type it: LOANDESK_USER with LOANDESK_PASSWORD, else the
    demo's admin / demo (a home made by ``loandesk demo``). A new home gets that admin through the first-run
    wizard's own signal (benchmark only: the GUI's longer password rule is a typing rule, not the core's)."""
    from PySide6.QtCore import QTimer

    from loandesk.core.i18n import language as core_language

    def submit() -> None:
        user = os.environ.get("LOANDESK_USER") or "admin"
        password = os.environ.get("LOANDESK_PASSWORD")
        if not password:
            from loandesk.demo import DEMO_PASSWORD  # (the benchmark gives its password: not timed)

            password = DEMO_PASSWORD
        print(f"startup-sign-in {time.time():.6f}", flush=True)
        if hasattr(dialog, "ok_button"):  # the login dialog
            dialog.user_edit.setText(user)
            dialog.password_edit.setText(password)
            dialog.ok_button.click()
        else:  # the first-run wizard of a new home: its choices as if typed, no names, offline, no demo
            from .first_run_wizard import FirstRunChoices

            dialog.set_busy(True)
            dialog.submitted.emit(FirstRunChoices(lang=core_language(), bank_name="", branch_name="", branch=None,
                                                  hub_url="", demo=False, user=user, password=password,
                                                  display_name=""))  # fmt: skip

    print_shown = lambda: print(f"startup-login-shown {time.time():.6f}", flush=True)  # noqa: E731
    after_first_paint(dialog, lambda: (print_shown(), QTimer.singleShot(0, submit)))


def _benchmark_hook(app: QApplication, window) -> None:
    from PySide6.QtCore import QTimer

    window.offer_drafts = window.offer_demo = False

    def ready() -> None:
        print(f"startup-ready {time.time():.6f}", flush=True)
        print(f"startup-cpu {time.process_time():.6f}", flush=True)  # every thread's CPU time so far
        heavy = sorted(m for m in HEAVY_MODULES if m in sys.modules)
        print(f"startup-heavy-modules {','.join(heavy) or '-'}", flush=True)
        print(f"startup-title {window.windowTitle()}", flush=True)
        QTimer.singleShot(0, window.close)

    window.ready.connect(ready)
