"""One serialised database worker: every store call runs on it, results come back by signal.

Modelled on Anki's ``QueryOp`` (one fluent call, success and failure handlers run on
the GUI thread) and Orange3's ``TaskState`` (progress and cancel for long jobs).
SQLite connections must not be shared between threads at once, so the store is
opened, used and closed on this one thread; jobs run in the order they were submitted,
which also means a draft saved before "close" is written before the store closes.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

Job = Callable[[Any, "TaskState"], Any]  # job(store, state) -> result


class TaskState:
    """What a running job sees: report progress, notice a cancel request."""

    def __init__(self, task_id: int, emit_progress: Callable[[int, int, int], None]):
        self.task_id = task_id
        self._emit = emit_progress
        self._cancel = threading.Event()

    def set_progress(self, done: int, total: int) -> None:
        self._emit(self.task_id, done, total)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Worker(QObject):
    # (result, exception or None) travels as ONE tuple: PySide6 on Python 3.11 miscounts references
    # to a bare None sent through a queued ``object`` argument and eventually aborts ("none_dealloc").
    finished = Signal(int, object)  # task id, (result, exception or None)
    progress = Signal(int, int, int)  # task id, done, total

    def __init__(self) -> None:
        super().__init__()
        self.store = None

    @Slot(int, object, object)
    def run(self, task_id: int, job: Job, state: TaskState) -> None:
        try:
            result = job(self.store, state)
            error = None
        except BaseException as exc:  # a failing job must never take the worker thread down
            result, error = None, exc
            exc.formatted = traceback.format_exc()  # type: ignore[attr-defined]
        self.finished.emit(task_id, (result, error))


@dataclass
class _Pending:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[int, int], None] | None
    state: TaskState


class TaskRunner(QObject):
    """Owns the worker thread and the store on it. Call ``submit`` from the GUI thread only."""

    _request = Signal(int, object, object)
    store_opened = Signal(object)  # the Store (use it only inside jobs)
    store_failed = Signal(object)  # the exception
    failed = Signal(str)  # a job failed and had no error handler: a one-line description
    idle = Signal()  # no job left running

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._thread = QThread()
        self._thread.setObjectName("loandesk-db")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)
        self._worker.finished.connect(self._on_finished)
        self._worker.progress.connect(self._on_progress)
        self._thread.start()
        self._closed = False
        self.is_open = False
        self.session = None  # the signed-in security.session.Session (None: a store opened with its key)

    # ---- lifecycle -------------------------------------------------------------------------
    def open_store(self, home: Path) -> None:
        def job(_store, _state):
            from .startup import use_storage_hook

            use_storage_hook()  # a new or older data home imports sqlite-utils for its migrations: without pandas
            from loandesk.storage import Store

            self._worker.store = Store.open(home)
            return self._worker.store

        def opened(store) -> None:
            self.is_open = True
            self.store_opened.emit(store)

        self.submit(job, opened, self.store_failed.emit)

    def sign_in(self, job: Job, on_error: Callable[[BaseException], None] | None = None,
                on_done: Callable[[Any], None] | None = None) -> None:
        """Run ``job`` (security.session's sign_in, create_home or upgrade_home, see login_dialog) on the
        worker; the Session it returns becomes the worker's store and ``store_opened`` follows."""

        def run(_store, state):
            from .startup import use_storage_hook

            use_storage_hook()
            session = job(None, state)
            self._worker.store = session.store
            return session

        def opened(session) -> None:
            self.session = session
            self.is_open = True
            if on_done is not None:
                on_done(session)
            self.store_opened.emit(session.store)

        self.submit(run, opened, on_error or self.store_failed.emit)

    def sign_out(self, on_done: Callable[[Any], None] | None = None) -> None:
        """Close the signed-in store after every job already queued; the runner then waits for a sign-in."""
        self.is_open = False  # no new work from the window while nobody is signed in

        def job(store, _state):
            if store is not None:
                store.close()
            self._worker.store = None

        def done(_result) -> None:
            self.session = None
            if on_done is not None:
                on_done(None)

        self.submit(job, done)

    def close(self, timeout_ms: int = 15_000) -> None:
        """Run every job already submitted, close the store, stop the thread (blocks)."""
        if self._closed:
            return
        self._closed = True

        def job(store, _state):
            if store is not None:
                store.close()
            self._worker.store = None
            QThread.currentThread().quit()  # after this job: every earlier job has run

        self._request.emit(next(self._ids), job, TaskState(0, lambda *a: None))
        self._thread.wait(timeout_ms)

    @property
    def accepting(self) -> bool:
        """Open and not closing: jobs may be submitted."""
        return self.is_open and not self._closed

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    # ---- jobs ------------------------------------------------------------------------------
    def submit(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskState:
        """Queue ``job(store, state)``; handlers run later on the GUI thread. Returns the state (cancel)."""
        if self._closed:
            raise RuntimeError("the task runner is closed")
        task_id = next(self._ids)
        state = TaskState(task_id, self._worker.progress.emit)
        self._pending[task_id] = _Pending(on_done, on_error, on_progress, state)
        self._request.emit(task_id, job, state)
        return state

    @Slot(int, object)
    def _on_finished(self, task_id: int, outcome: tuple[Any, BaseException | None]) -> None:
        result, error = outcome
        pending = self._pending.pop(task_id, None)
        try:
            if pending is None:
                return
            if error is None:
                if pending.on_done:
                    _call_if_alive(pending.on_done, result)
            elif pending.on_error:
                _call_if_alive(pending.on_error, error)
            else:
                # Never silent: the main window shows this in the status bar.
                self.failed.emit(f"{type(error).__name__}: {error}")
        finally:
            if not self._pending:
                self.idle.emit()

    @Slot(int, int, int)
    def _on_progress(self, task_id: int, done: int, total: int) -> None:
        pending = self._pending.get(task_id)
        if pending and pending.on_progress:
            _call_if_alive(pending.on_progress, done, total)


def _call_if_alive(handler: Callable, *args) -> None:
    """A widget may have been closed while its job ran; its late answer is then dropped."""
    try:
        handler(*args)
    except RuntimeError as exc:
        if "deleted" not in str(exc):  # "already deleted" / "Signal source has been deleted"
            raise
