"""Help > About Loan Desk: version, build date, the rule pack in force, the data home and its size on disk,
and "Back up…", which writes an encrypted backup of the data home and says where it went.

Everything that reads the disk or the store (the pack, the size of a home that may hold 750 MB, the
backup itself) runs as jobs on the task runner; the dialog only shows their answers. The backup is
``storage.backup.backup`` as ``loandesk backup`` runs it: the export permission, the audit entry, the
same archive (restorable with ``loandesk restore``).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loandesk import __version__, build_info
from loandesk.core import formatting
from loandesk.core.i18n import language

from . import file_dialogs
from .tasks import TaskRunner, TaskState

WATCH_S = 0.2


def about_facts(store, home: Path, resources: Path | None = None) -> dict:
    """What About shows, read on the worker: the build (from ``resources``, default the app's own), the pack
    in force, the home's size, the backup's name."""
    from loandesk.core import clock
    from loandesk.storage.backup import data_home_size, default_name

    facts: dict = {"size": data_home_size(home), "built": build_info.read(resources), "pack": None, "backup_name": None}
    if store is not None:
        from loandesk.scoring.replay import pack_status
        from loandesk.scoring.service import pack_in_force

        pack = pack_in_force(store, check_dates=False)  # shown even when out of date, with its status
        facts["pack"] = {**pack.summary(), "status": pack_status(pack, clock.today())}
        facts["backup_name"] = default_name(store)
    return facts


def _written(folder: Path) -> int:
    """Bytes written so far into the backup's staging folders in ``folder`` (backup.py's temporary dir)."""
    total = 0
    for staging in folder.glob(".loandesk-backup-*"):
        for part in staging.iterdir():
            try:
                total += part.stat().st_size
            except OSError:  # renamed into place or removed as we looked
                pass
    return total


def backup_job(dest: Path):
    """A runner job writing the backup to ``dest`` with progress; a cancel discards the finished file
    (the copy itself is one step that cannot stop half-way, so nothing half-written is ever left)."""

    def job(store, state: TaskState):
        from loandesk.storage.backup import backup

        if store is None:
            raise RuntimeError("the store is not open")
        store.actor.require("export")  # as `loandesk backup`: needs the export permission
        db = Path(store.home) / "loandesk.db"
        sizes = [p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists()]
        attachments = sum(p.stat().st_size for p in (Path(store.home) / "attachments").rglob("*") if p.is_file())
        # The copy of the store is written once, then again into the archive with the attachments.
        expected = max(1, 2 * sum(sizes) + attachments)
        folder = Path(dest).parent if not Path(dest).is_dir() else Path(dest)
        stop = threading.Event()

        def watch() -> None:
            while not stop.wait(WATCH_S):
                state.set_progress(min(_written(folder), expected - 1), expected)

        watcher = threading.Thread(target=watch, name="loandesk-backup-progress", daemon=True)
        watcher.start()
        try:
            info = backup(store, dest)
        finally:
            stop.set()
            watcher.join()
        if state.cancelled:
            info.path.unlink(missing_ok=True)
            return None
        with store.db.atomic():  # the whole store leaves in one file: who, when, how much (as the CLI)
            store.audit("backup", info.path.name, {"tables": info.tables, "attachments": info.attachments})
        state.set_progress(expected, expected)
        return info

    return job


class AboutDialog(QDialog):
    facts_shown = Signal()
    backup_finished = Signal(object)  # BackupInfo, or None when cancelled
    backup_failed = Signal(str)

    def __init__(self, runner: TaskRunner, home: Path, parent: QWidget | None = None, *,
                 resources: Path | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.runner = runner
        self.home = Path(home)
        self.resources = resources  # where the build record is looked for (None: the app's resources)
        self.lang = language()
        self.facts: dict | None = None
        self._backup_state: TaskState | None = None
        self.setWindowTitle(self.tr("About Loan Desk"))
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Loan Desk {version}").format(version=__version__))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        blurb = QLabel(self.tr("Offline intake, scoring and credit memos for first-loan small and micro enterprises."))
        blurb.setWordWrap(True)
        layout.addWidget(blurb)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        waiting = self.tr("Reading…")
        self.version_label = QLabel(__version__)
        self.built_label = QLabel(waiting)
        self.pack_label = QLabel(waiting)
        self.pack_label.setWordWrap(True)
        self.home_label = QLabel(str(self.home))
        self.home_label.setWordWrap(True)
        self.home_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.size_label = QLabel(self.tr("Measuring…"))
        for text, label in ((self.tr("Version"), self.version_label), (self.tr("Build date"), self.built_label),
                            (self.tr("Rule pack in force"), self.pack_label), (self.tr("Data home"), self.home_label),
                            (self.tr("Size on disk"), self.size_label)):  # fmt: skip
            form.addRow(text, label)
        layout.addLayout(form)

        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("&Back up…"))
        self.backup_button.setToolTip(
            self.tr("Write an encrypted copy of the data home to a file, e.g. on a USB drive")
        )
        self.backup_button.setEnabled(False)  # until the store's facts arrive (the backup's name needs the store)
        self.backup_button.clicked.connect(self.choose_backup_file)
        row.addWidget(self.backup_button)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Backup progress"))
        self.progress.hide()
        row.addWidget(self.progress, 1)
        self.cancel_button = QPushButton(self.tr("&Cancel backup"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_backup)
        row.addWidget(self.cancel_button)
        row.addStretch()  # the button as wide as its words while no backup runs
        layout.addLayout(row)
        self.backup_label = QLabel()
        self.backup_label.setWordWrap(True)
        self.backup_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.backup_label)

        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("Close"))
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())
        self.refresh()

    # ---- facts -------------------------------------------------------------------------------
    def refresh(self) -> None:
        home, resources = self.home, self.resources
        self.runner.submit(lambda store, _state: about_facts(store, home, resources), self._show_facts,
                           self._facts_failed)  # fmt: skip

    def _show_facts(self, facts: dict) -> None:
        self.facts = facts
        lang = self.lang
        self.built_label.setText(self.build_text(facts.get("built")))
        pack = facts.get("pack")
        if pack:
            name = pack["name_zh"] if lang == "zh" else pack["name_en"]
            self.pack_label.setText(self.tr("{name} {version} ({id}), valid {start} to {end}: {status}").format(
                name=name, version=pack["version"], id=pack["id"], start=formatting.date_text(pack["effective"], lang),
                end=formatting.date_text(pack["expires"], lang), status=pack["status"][lang]))  # fmt: skip
        else:
            self.pack_label.setText(self.tr("unknown: the store is not open"))
        self.size_label.setText(formatting.byte_size(facts["size"]))
        self.backup_button.setEnabled(bool(facts.get("backup_name")) and self._backup_state is None)
        self.facts_shown.emit()

    def _facts_failed(self, error: BaseException) -> None:
        self.pack_label.setText(self.tr("unknown: {error}").format(error=_message(error, self.lang)))
        self.size_label.setText(self.tr("unknown"))
        self.built_label.setText(self.tr("unknown"))  # not read again here: it may ask git, off the GUI thread

    def build_text(self, info: build_info.BuildInfo | None) -> str:
        """The build as IT asks about it: a bundle's build date and commit; a checkout said to be one."""
        if info is None:
            return self.tr("unknown")
        date = formatting.date_text(info.date, self.lang) if info.date else ""
        if info.kind == "bundle":
            if info.commit:
                return self.tr("{date} (commit {commit})").format(date=date, commit=info.commit)
            return date
        if info.kind == "checkout":
            if date:
                return self.tr("no build: a source checkout (last commit {date}, {commit})").format(
                    date=date, commit=info.commit)  # fmt: skip
            return self.tr("no build: a source checkout")
        if info.kind == "installed":
            if date:
                return self.tr("not recorded: installed from the package on {date}").format(date=date)
            return self.tr("not recorded: installed from the package")
        return self.tr("unknown: the build record cannot be read")

    # ---- backup ------------------------------------------------------------------------------
    def choose_backup_file(self) -> None:
        name = (self.facts or {}).get("backup_name") or "loandesk-backup.zip"
        path = file_dialogs.save_file_name(self, self.tr("Back up the data home"), name,
                                           self.tr("Loan Desk backups (*.zip)"), suffix="zip")  # fmt: skip
        if path:
            self.backup_to(Path(path))

    def backup_to(self, dest: Path) -> None:
        """Write the backup to ``dest`` on the worker, with progress; the answer comes by signal."""
        if self._backup_state is not None:
            return
        self.backup_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first figure arrives
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.backup_label.setText(self.tr("Backing up to {path}…").format(path=dest))
        self._backup_state = self.runner.submit(backup_job(Path(dest)), self._backed_up, self._backup_error,
                                                self._backup_progress)  # fmt: skip

    def _backup_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * done / max(total, 1)))

    def cancel_backup(self) -> None:
        if self._backup_state is not None:
            self._backup_state.cancel()
            self.cancel_button.setEnabled(False)
            self.backup_label.setText(self.tr("Cancelling: the copy under way is finished, then deleted…"))

    def _end_backup(self) -> None:
        self._backup_state = None
        if not self.isVisible():  # closed while it ran: back, with the answer
            self.show()
        self.progress.hide()
        self.cancel_button.hide()
        self.backup_button.setEnabled(True)

    def _backed_up(self, info) -> None:
        self._end_backup()
        if info is None:
            self.backup_label.setText(self.tr("Backup cancelled: no file was kept."))
            self.backup_finished.emit(None)
            return
        ents, apps = info.tables.get("enterprises", 0), info.tables.get("applications", 0)
        where = self.tr("Backed up to {path} ({size}): {ents} enterprises, {apps} applications, {files} "
                        "attachments.").format(path=info.path, size=formatting.byte_size(info.size), ents=ents,
                                               apps=apps, files=info.attachments)  # fmt: skip
        if info.has_keyring:
            key = self.tr("The backup holds the key ring, not the key: restoring it needs a user's password.")
        else:
            key = self.tr("The backup does not hold the key: restoring it needs {key}; keep a copy of that file "
                          "apart from the backup.").format(key=self.home / "store.key")  # fmt: skip
        self.backup_label.setText(where + ("" if self.lang == "zh" else " ") + key)  # no space after 。
        self.backup_finished.emit(info)
        self.refresh()  # the size again: the audit trail grew

    def _backup_error(self, error: BaseException) -> None:
        self._end_backup()
        text = self.tr("Not backed up: {error}").format(error=_message(error, self.lang))
        self.backup_label.setText(text)
        self.backup_failed.emit(text)

    def closeEvent(self, event) -> None:
        if self._backup_state is not None:
            # The backup goes on: the dialog only hides, and comes back to say where the file went.
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)


def _message(error: BaseException, lang: str) -> str:
    """One line in the user's language: our errors carry both languages; the OS says what failed."""
    if hasattr(error, "message"):
        try:
            return str(error.message(lang))
        except TypeError:
            pass
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename or ''} {error.strerror}".strip()
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def show_about(window) -> AboutDialog:
    """Help > About on the main window: one dialog, raised again if already open."""
    dialog = getattr(window, "about_dialog", None)
    if dialog is not None and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = AboutDialog(window.runner, window.home, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.about_dialog = dialog
    dialog.show()
    return dialog
