"""Preview a credit memo inside the app, print it, save it as PDF, and verify a memo file or a
printed memo's code.

PySide6-Essentials ships no QtPdf, so pages are rendered by poppler's ``pdftoppm`` on a
worker thread and shown as images; the GUI thread only paints. The dialog never touches
the store itself: it is given the PDF bytes, and verification is a callable (or the
``verifyRequested`` / ``verifyCodeRequested`` signal) so the main window can run it on its
own database worker and hand the answer back with ``show_verification``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from . import file_dialogs
from .accessibility import name_fields

PREVIEW_DPI = 80
PRINT_DPI = 200


class RenderError(RuntimeError):
    pass


def render_pages(pdf: bytes, dpi: int) -> list[bytes]:
    """Every page of ``pdf`` as PNG bytes, via pdftoppm (poppler-utils)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RenderError("pdftoppm (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory(prefix="loandesk-memo-") as tmp:
        source = Path(tmp) / "memo.pdf"
        source.write_bytes(pdf)
        proc = subprocess.run([tool, "-png", "-r", str(dpi), str(source), str(Path(tmp) / "page")],
                              capture_output=True, text=True, check=False)  # fmt: skip
        if proc.returncode != 0:
            raise RenderError(proc.stderr.strip() or f"pdftoppm exited {proc.returncode}")
        # pdftoppm pads page numbers to the page count's width: sort numerically, not by name.
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [p.read_bytes() for p in pages]


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    """Run ``work`` on the thread pool; the result comes back to the GUI thread by signal."""

    def __init__(self, work: Callable[[], object]):
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:
            self.signals.failed.emit(str(exc))
            return
        self.signals.done.emit(result)


class MemoDialog(QDialog):
    """``MemoDialog(pdf, memo_no, verify=lambda data: verify_pdf(store, data),
    verify_code=lambda code: verify_code(store, code))``.

    Without ``verify`` / ``verify_code`` the dialog emits ``verifyRequested(bytes)`` /
    ``verifyCodeRequested(str)`` instead, and the caller answers with ``show_verification``.
    """

    pagesReady = Signal(int)
    verified = Signal(object)  # the Verification (or the error text)
    printed = Signal(int)  # pages sent to the printer
    verifyRequested = Signal(bytes)
    verifyCodeRequested = Signal(str)  # the code as pasted or typed by a barcode reader

    def __init__(self, pdf: bytes, memo_no: str = "", verify: Callable[[bytes], object] | None = None,
                 parent: QWidget | None = None, verify_code: Callable[[str], object] | None = None):  # fmt: skip
        super().__init__(parent)
        self.pdf, self.memo_no, self._verify, self._verify_code = pdf, memo_no, verify, verify_code
        self.pages: list[QImage] = []
        self._jobs: set[_Job] = set()
        self.setWindowTitle(self.tr("Credit memo %1").replace("%1", memo_no) if memo_no else self.tr("Credit memo"))
        self.resize(760, 900)

        self.status = QLabel(self.tr("Rendering pages…"))
        self.pages_box = QVBoxLayout()
        self.pages_box.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        holder = QWidget()
        holder.setLayout(self.pages_box)
        self.scroll = QScrollArea()
        self.scroll.setWidget(holder)
        self.scroll.setWidgetResizable(True)

        self.print_button = QPushButton(self.tr("Print…"))
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.verify_button = QPushButton(self.tr("Verify a memo file…"))
        self.close_button = QPushButton(self.tr("Close"))
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.choose_save_path)
        self.verify_button.clicked.connect(self.choose_file_to_verify)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.print_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        # A printed memo is verified by its code: a USB barcode reader types it and presses Enter.
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("Paste or scan the code printed on a memo (LOANDESK-MEMO:…)"))
        self.code_edit.setClearButtonEnabled(True)
        self.code_button = QPushButton(self.tr("Verify code"))
        self.code_button.setEnabled(False)
        self.code_edit.textChanged.connect(lambda text: self.code_button.setEnabled(bool(text.strip())))
        self.code_edit.returnPressed.connect(self._verify_typed_code)
        self.code_button.clicked.connect(self._verify_typed_code)
        # Enter in the code field is the reader's "done": it verifies once, and presses no button as well.
        for button in (self.print_button, self.save_button, self.verify_button, self.close_button, self.code_button):
            button.setAutoDefault(False)
        code_label = QLabel(self.tr("Printed memo's &code:"))
        code_label.setBuddy(self.code_edit)
        code_row = QHBoxLayout()
        code_row.addWidget(code_label)
        code_row.addWidget(self.code_edit, 1)
        code_row.addWidget(self.code_button)
        code_row.addWidget(self.verify_button)  # a file's answer shows in the same place as a code's
        # The answer to a verification, right under the code box it answers (not in the status line
        # at the top of the window, far from where the user typed or scanned).
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setVisible(False)
        self.verify_box = QGroupBox(self.tr("Verify a memo"))
        box = QVBoxLayout(self.verify_box)
        box.addLayout(code_row)
        box.addWidget(self.result)

        # head office's decision on this application, when sync brought one (``show_head_office``)
        self.head_office = QLabel()
        self.head_office.setObjectName("headOfficeDecision")
        self.head_office.setWordWrap(True)
        self.head_office.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.head_office)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.verify_box)
        layout.addLayout(buttons)
        name_fields(self)  # the code box named by its label, for screen readers
        self._run(lambda: render_pages(self.pdf, PREVIEW_DPI), self._show_pages, self._render_failed)

    def show_head_office(self, found: dict | None) -> None:
        from .head_office import line

        self.head_office.setText(line(found))
        self.head_office.setVisible(bool(found))

    # ---- background work ---------------------------------------------------------------------
    def _run(self, work: Callable[[], object], done: Callable[[object], None], failed: Callable[[str], None]):
        job = _Job(work)
        job.setAutoDelete(False)
        self._jobs.add(job)  # keep the job (and its signals) alive until it reports back
        job.signals.done.connect(lambda result: self._finish(job, done, result))
        job.signals.failed.connect(lambda error: self._finish(job, failed, error))
        QThreadPool.globalInstance().start(job)

    def _finish(self, job: _Job, handler: Callable[[object], None], outcome: object) -> None:
        self._jobs.discard(job)
        if shiboken6.isValid(self):  # closed (and deleted) while the pages rendered: nothing to show
            handler(outcome)

    @Slot(object)
    def _show_pages(self, pngs: list[bytes]) -> None:
        self.pages = [QImage.fromData(png, "PNG") for png in pngs]
        for image in self.pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("border: 1px solid #9aa9bb; background: white;")
            self.pages_box.addWidget(label)
        self.status.setText(self.tr("%n page(s)", "", len(self.pages)))
        self.print_button.setEnabled(True)
        self.pagesReady.emit(len(self.pages))

    @Slot(str)
    def _render_failed(self, error: str) -> None:
        self.status.setText(self.tr("Cannot show the preview: %1").replace("%1", error))
        self.pagesReady.emit(0)

    # ---- save --------------------------------------------------------------------------------
    def choose_save_path(self) -> None:
        name = f"{self.memo_no or 'memo'}.pdf"
        path = file_dialogs.save_file_name(self, self.tr("Save memo as PDF"), name, self.tr("PDF files (*.pdf)"), "pdf")
        if path:
            self.save_to(path)

    def save_to(self, path: str | Path) -> None:
        try:
            Path(path).write_bytes(self.pdf)  # the issued bytes exactly, so the copy still verifies
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Save as PDF"), self.tr("Cannot save %1: %2")
                                .replace("%1", str(path)).replace("%2", exc.strerror or str(exc)))  # fmt: skip
            return
        self.status.setText(self.tr("Saved to %1").replace("%1", str(path)))

    # ---- print -------------------------------------------------------------------------------
    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.memo_no or "memo")
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Render the pages at print resolution off the GUI thread, then paint them onto ``printer``."""
        self.status.setText(self.tr("Preparing pages for the printer…"))
        self.print_button.setEnabled(False)
        self._printer = printer  # kept until the pages are painted
        self._run(lambda: render_pages(self.pdf, PRINT_DPI), self._paint_to_printer, self._print_failed)

    @Slot(object)
    def _paint_to_printer(self, pngs: list[bytes]) -> None:
        printer = self._printer
        painter = QPainter()
        if not painter.begin(printer):
            self._print_failed(self.tr("the printer could not be opened"))
            return
        for i, png in enumerate(pngs):
            if i:
                printer.newPage()
            image = QImage.fromData(png, "PNG")
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
        painter.end()
        self.print_button.setEnabled(True)
        self.status.setText(self.tr("Sent %n page(s) to the printer", "", len(pngs)))
        self.printed.emit(len(pngs))

    @Slot(str)
    def _print_failed(self, error: str) -> None:
        self.print_button.setEnabled(True)
        self.status.setText(self.tr("Cannot print: %1").replace("%1", error))
        self.printed.emit(0)

    # ---- verify ------------------------------------------------------------------------------
    def choose_file_to_verify(self) -> None:
        path = file_dialogs.open_file_name(self, self.tr("Verify a memo file"), self.tr("PDF files (*.pdf)"))
        if path:
            self.verify_file(path)

    def verify_file(self, path: str | Path) -> None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self._show_verification(self.tr("Cannot read %1: %2").replace("%1", str(path))
                                    .replace("%2", exc.strerror or str(exc)))  # fmt: skip
            return
        if self._verify is None:
            self.verifyRequested.emit(data)
            return
        self._say_verifying()
        self._run(lambda: self._verify(data), self._show_verification, self._show_verification)

    def _verify_typed_code(self) -> None:
        code = self.code_edit.text().strip()
        if code:
            self.verify_code(code)

    def verify_code(self, code: str) -> None:
        """Check a memo's verification code (the QR code's text) with the ``verify_code`` callable, or
        ask the caller to by ``verifyCodeRequested``."""
        if self._verify_code is None:
            self.verifyCodeRequested.emit(code)
            return
        self._say_verifying()
        self._run(lambda: self._verify_code(code), self._show_verification, self._show_verification)

    @Slot(object)
    def show_verification(self, result: object) -> None:
        """Show a Verification (or an error text); public for callers that verify on their own worker."""
        self._show_verification(result)

    def _say_verifying(self) -> None:
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Verifying…"))
        self.result.setVisible(True)

    def _show_verification(self, result: object) -> None:
        """The answer beside the code box: verified (the issued bytes), exists (a code or a copy: compare
        the paper with the stored memo's facts, listed), or does not verify."""
        facts: list[str] = []
        if isinstance(result, str):
            status, text = "error", result
        else:
            status = getattr(result, "status", "verified" if getattr(result, "ok", False) else "unknown")
            text = result.message() if hasattr(result, "message") else str(result)
            facts = result.fact_lines() if hasattr(result, "fact_lines") else []
        ok = status == "verified"
        if ok:
            title, colour = self.tr("Memo verified"), "#1b6e20"
        elif status == "exists":
            title, colour = self.tr("Not proven: compare the paper with the stored memo"), "#8a5a00"
        else:
            title, colour = self.tr("Memo does NOT verify"), "#a11a1a"
        self.result.setStyleSheet(f"color: {colour};")
        self.result.setText("\n".join([f"{title}: {text}", *(f"  • {line}" for line in facts)]))
        self.result.setVisible(True)
        self.last_verification = (ok, text)
        self.verified.emit(result)
