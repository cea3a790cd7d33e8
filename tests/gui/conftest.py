"""GUI test fixtures: a fresh data home per test (never the user's), English unless a test asks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import loandesk.ui  # noqa: F401  (its PySide6 6.12 + Python 3.11 work-around must run first)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite's screen is the smallest laptop branches use, 1366x768 (not offscreen's 800x800): windows open
# at the size they open at there (ui/screen_fit.py). Child processes of the tests inherit it.
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).with_name('screen_1366x768.json')}"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    # Compiled .qm files go to a throw-away cache, not the user's cache folder.
    os.environ["LOANDESK_CACHE"] = str(tmp_path_factory.mktemp("qm-cache"))
    yield


@pytest.fixture(autouse=True)
def english():
    from loandesk.core.i18n import set_language

    set_language("en")
    yield
    _delete_leftover_windows()  # first: the language and font changes below then reach no stale window
    set_language("en")
    from loandesk.ui.teller_mode import scale_font

    scale_font(False)  # a teller's sign-in opens teller mode's large type: the next test starts at normal size


def _delete_leftover_windows() -> None:
    """Close and delete every window a test left behind (closed windows too: Qt keeps a closed window).

    Each stale window would otherwise live on to the end of the run, and every later language switch or
    teller-mode font change walks all of them on the GUI thread: after a hundred tests that took longer
    than the tests' waits (the CI failures of the language switch and the lock screen)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        if widget.parentWidget() is None:
            widget.close()  # a main window's close stops its database thread first
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def home(tmp_path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def signed_in_runner(home: Path, user: str = "admin", as_system: bool = False):
    """A task runner signing ``user`` in on ``home`` as the login dialog does (key ring, session, audit).

    A new home, or one made by ``Store.open`` (a store from before users), first gets the demo's four
    users, the legacy one upgraded in place as the first-run dialog does (its data kept). ``as_system``:
    signed in for real, then acting as the system (every action, the names the test types), as
    users_support.open_store does for tests of workflows written before users existed."""
    from loandesk.core.permissions import SYSTEM
    from loandesk.demo import DEMO_PASSWORD
    from loandesk.ui.login_dialog import sign_in_job
    from loandesk.ui.tasks import TaskRunner
    from users_support import with_demo_users

    with_demo_users(home)
    sign_in = sign_in_job(Path(home), user, DEMO_PASSWORD)

    def job(store, state):
        session = sign_in(store, state)
        if as_system:
            session.actor = session.store.actor = SYSTEM
        return session

    runner = TaskRunner()
    runner.sign_in(job)  # answered through the event loop, after the window has connected to it
    return runner


@pytest.fixture
def open_window(qtbot, request):
    """Open the real main window on a data home, signed in, and wait until its store is open and lists loaded.

    Signed in as ``user`` (default: the module's ``GUI_USER``, else admin); a module whose workflow
    spans roles and types the names (written before users existed) sets ``GUI_AS_SYSTEM = True``."""
    from loandesk.ui.main_window import MainWindow

    windows = []
    module_user = getattr(request.module, "GUI_USER", "admin")
    as_system = getattr(request.module, "GUI_AS_SYSTEM", False)

    def make(home: Path, user: str | None = None, **options) -> MainWindow:
        options.setdefault("offer_demo", False)
        options.setdefault("lang", "en")
        runner = signed_in_runner(home, user or module_user, as_system and user is None)
        window = MainWindow(home, runner=runner, **options)  # closed below (not qtbot's: a language switch
        # replaces it, and qtbot would close the deleted one)
        windows.append(window)
        with qtbot.waitSignal(window.store_ready, timeout=20_000):
            window.show()
        qtbot.waitUntil(lambda: window.unsynced_label.text().startswith("Unsynced") or "待同步" in
                        window.unsynced_label.text(), timeout=10_000)  # fmt: skip
        return window

    yield make
    from shiboken6 import isValid

    for window in windows:
        if not isValid(window):  # replaced by a language switch (the new window is the test's to close)
            continue
        for form in list(window.forms):
            form.close_silently()
        window.close()  # closes the store after every queued job


@pytest.fixture
def window(open_window, home):
    return open_window(home)


@pytest.fixture
def in_store(qtbot):
    """``in_store(window, job)``: run ``job(store)`` on the window's database worker and return its result."""

    def call(window, job, timeout: int = 10_000):
        box: dict = {}
        window.runner.submit(
            lambda store, _state: job(store),
            lambda result: box.setdefault("result", result),
            lambda error: box.setdefault("error", error),
        )
        qtbot.waitUntil(lambda: bool(box), timeout=timeout)
        if "error" in box:
            raise box["error"]
        return box["result"]

    return call


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A wait that timed out says where every thread was: a job stuck on the database worker shows there."""
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is not None and call.excinfo.typename == "TimeoutError":
        import sys
        import threading
        import traceback

        names = {thread.ident: thread.name for thread in threading.enumerate()}
        stacks = [f"--- thread {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame))
                  for ident, frame in sys._current_frames().items()]  # fmt: skip
        report.sections.append(("threads at the timeout", "\n".join(stacks)))
