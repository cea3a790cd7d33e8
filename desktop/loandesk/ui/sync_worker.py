"""Runs sync for the window: on demand (the Sync action) and in the background while a hub is configured.

* A sync is a job on the task runner (the store lives on its thread): ``sync.run.sync_once`` with the
  job's progress and cancel. Never two at once: asking while one runs hands back the running one.
* In the background a single-shot QTimer wakes up; the hub is first probed from a plain thread (no
  store needed, so an unreachable hub never holds up the database thread), then a sync job is queued.
  A failure waits a jittered, doubling delay (``backoff_base`` .. ``backoff_cap`` seconds); a success
  resets it and the next attempt comes after ``idle_interval`` seconds. Tests pass small intervals.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from loandesk.sync import run

from .error_text import user_message
from .tasks import TaskRunner, TaskState


class SyncController(QObject):
    started = Signal()
    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # a run.SyncReport
    failed = Signal(str)  # one line, in the user's language
    reachability = Signal(bool)  # the hub answered (True) or not (False)
    status_read = Signal(object)  # a run.SyncStatus
    scheduled = Signal(float)  # seconds until the next background attempt
    _probed = Signal(bool)  # from the probe thread to the GUI thread

    def __init__(self, runner: TaskRunner, parent: QObject | None = None, *, idle_interval: float = 60,
                 backoff_base: float = 30, backoff_cap: float = 900, first_delay: float = 2,
                 probe_timeout: float = 3, rng=None) -> None:  # fmt: skip
        super().__init__(parent)
        self.runner = runner
        self.idle_interval, self.first_delay, self.probe_timeout = idle_interval, first_delay, probe_timeout
        self.backoff = run.Backoff(backoff_base, backoff_cap, rng)
        self.state: TaskState | None = None  # the running sync's, if one runs
        self.status: run.SyncStatus | None = None
        self.reachable: bool | None = None
        self.last_report: run.SyncReport | None = None
        self.last_error: str | None = None
        self.next_delay: float | None = None  # seconds until the next background attempt, as last scheduled
        self.attempts = 0  # background attempts made (probe included)
        self.batch = run.BATCH  # operations per push
        self._probing = False
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._tick)
        self._probed.connect(self._after_probe)

    # ---- state ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.state is not None

    @property
    def enrolled(self) -> bool:
        return bool(self.status and self.status.enrolled)

    def start(self) -> None:
        """The store is open: read the sync settings, and begin background sync if a hub is configured."""
        self.read_status(schedule=True)

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
        if self.state is not None:
            self.state.cancel()

    def read_status(self, schedule: bool = False) -> None:
        if not self.runner.accepting:
            return

        def done(found: run.SyncStatus) -> None:
            self.status = found
            self.status_read.emit(found)
            if schedule and found.enrolled and not self.timer.isActive() and not self.running:
                self._schedule(self.first_delay)

        self.runner.submit(lambda store, _state: run.status(store), done, lambda e: self.failed.emit(user_message(e)))

    # ---- on demand -----------------------------------------------------------------------------
    def sync_now(self, *, retries: int = 1) -> TaskState | None:
        """Start a sync now (or return the running one); None when the store is not open."""
        if self.state is not None:
            return self.state
        if not self.runner.accepting:
            return None
        return self._submit(retries=retries, background=False)

    def _submit(self, *, retries: int, background: bool) -> TaskState:
        batch = self.batch

        def job(store, state: TaskState):
            return run.sync_once(store, state.set_progress, lambda: state.cancelled, retries=retries, batch=batch,
                                 timeout=15)  # fmt: skip

        self.timer.stop()
        self.state = self.runner.submit(job, self._done, self._error, self.progress.emit)
        self.started.emit()
        return self.state

    def _done(self, report: run.SyncReport) -> None:
        self.state = None
        self.last_report, self.last_error = report, None
        self.backoff.reset()
        self._set_reachable(True)
        self.finished.emit(report)
        self.read_status()
        self._schedule(self.idle_interval)

    def _error(self, error: BaseException) -> None:
        self.state = None
        self.last_error = user_message(error)
        if run.transient(error):
            self._set_reachable(False)
        self.failed.emit(self.last_error)
        self.read_status()
        self._schedule(self.backoff.failed())

    # ---- background ----------------------------------------------------------------------------
    def _schedule(self, seconds: float) -> None:
        if self._stopped or not self.enrolled_or_unknown():
            return
        self.next_delay = seconds
        self.timer.start(max(1, int(seconds * 1000)))
        self.scheduled.emit(seconds)

    def enrolled_or_unknown(self) -> bool:
        return self.status is None or self.status.enrolled

    def _tick(self) -> None:
        if self._stopped or not self.runner.accepting:  # the window is closing
            return
        if self.running or self._probing:
            self._schedule(self.idle_interval)
            return
        if not self.enrolled:
            return
        self.attempts += 1
        self._probing = True
        url, timeout = self.status.hub_url, self.probe_timeout

        def probe() -> None:
            answered = run.probe(url, timeout=timeout)
            try:
                self._probed.emit(answered)
            except RuntimeError:  # the window closed while the probe ran
                pass

        threading.Thread(target=probe, daemon=True, name="loandesk-hub-probe").start()

    def _after_probe(self, answered: bool) -> None:
        self._probing = False
        if self._stopped:
            return
        self._set_reachable(answered)
        if not answered:
            self._schedule(self.backoff.failed())
        elif self.state is None and self.runner.accepting:
            self._submit(retries=2, background=True)

    def _set_reachable(self, answered: bool) -> None:
        if answered != self.reachable:
            self.reachable = answered
            self.reachability.emit(answered)

    # ---- enrolment -----------------------------------------------------------------------------
    def enroll(self, hub_url: str, code: str, on_done, on_error) -> None:
        def job(store, _state) -> Any:
            answer = run.enroll(store, hub_url, code)
            return answer.device_id, answer.branch

        def done(result) -> None:
            on_done(result)
            self.backoff.reset()
            self.read_status(schedule=True)

        self.runner.submit(job, done, lambda e: on_error(user_message(e)))
