"""The memo dialog: preview pages, save the exact bytes, print, verify a file; in English and Chinese."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel

from loandesk.memo import service
from loandesk.paths import resource
from loandesk.ui.memo_dialog import MemoDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from memo_support import add_decision, make_store, page_count


@pytest.fixture
def memo(tmp_path):
    store, app_ids = make_store(tmp_path, count=1)
    add_decision(store, app_ids[0])
    row = service.issue_memo(store, app_ids[0], "zh")
    pdf = service.memo_pdf(store, row["id"])
    path = tmp_path / "memo.pdf"
    path.write_bytes(pdf)
    yield store, row, pdf, path
    store.close()


def open_dialog(qtbot, store, row, pdf, **kw) -> MemoDialog:
    """The dialog with its preview rendered (rendering runs on a worker; the signal comes back queued)."""
    kw.setdefault("verify", lambda data: service.verify_pdf(store, data))
    dialog = MemoDialog(pdf, row["memo_no"], **kw)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.pagesReady, timeout=30_000) as blocker:
        pass
    assert blocker.args[0] > 0, dialog.status.text()
    return dialog


def test_preview_shows_every_page(qtbot, memo):
    store, row, pdf, path = memo
    dialog = open_dialog(qtbot, store, row, pdf)
    labels = [w for w in dialog.scroll.widget().findChildren(QLabel) if not w.pixmap().isNull()]
    assert len(labels) == len(dialog.pages) == page_count(path) >= 2
    assert all(lbl.pixmap().width() > 500 for lbl in labels)  # A4 at 80 dpi is ~660 px wide
    assert dialog.print_button.isEnabled()
    assert row["memo_no"] in dialog.windowTitle()


def test_save_as_pdf_writes_the_issued_bytes_which_still_verify(qtbot, memo, tmp_path):
    store, row, pdf, _ = memo
    dialog = open_dialog(qtbot, store, row, pdf)
    target = tmp_path / "saved.pdf"
    dialog.save_to(target)
    assert target.read_bytes() == pdf
    assert service.verify_file(store, target).ok
    assert str(target) in dialog.status.text()


def test_print_sends_every_page_to_the_printer(qtbot, memo, tmp_path):
    store, row, pdf, path = memo
    dialog = open_dialog(qtbot, store, row, pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a real printer path, captured as a file
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=60_000) as blocker:
        dialog.print_to(printer)
    assert blocker.args[0] == page_count(path)
    assert page_count(tmp_path / "printed.pdf") == page_count(path)
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(tmp_path / "printed.pdf"),
                    str(tmp_path / "printed")], check=True)  # fmt: skip
    assert (tmp_path / "printed-1.png").stat().st_size > 3000  # the page has ink on it


def _beside_the_code_box(dialog) -> None:
    """The answer sits right under the code box, in the same group, not in the status line at the top."""
    dialog.show()
    assert dialog.result.isVisible() and dialog.result.parent() is dialog.verify_box
    assert dialog.code_edit.parent() is dialog.verify_box
    code_bottom = dialog.code_edit.mapTo(dialog, dialog.code_edit.rect().bottomLeft()).y()
    result_top = dialog.result.mapTo(dialog, dialog.result.rect().topLeft()).y()
    assert 0 <= result_top - code_bottom < 40, (code_bottom, result_top)


def test_verify_a_file_tells_the_issued_bytes_from_a_changed_copy(qtbot, memo, tmp_path):
    store, row, pdf, path = memo
    dialog = open_dialog(qtbot, store, row, pdf)
    with qtbot.waitSignal(dialog.verified, timeout=30_000) as good:
        dialog.verify_file(path)
    assert good.args[0].ok and dialog.result.text().startswith("Memo verified")
    _beside_the_code_box(dialog)
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(pdf + b"%x\n")
    with qtbot.waitSignal(dialog.verified, timeout=30_000) as bad:
        dialog.verify_file(altered)
    assert not bad.args[0].ok and dialog.result.text().startswith("Not proven")
    assert "bytes differ" in bad.args[0].message("en")
    assert "额度" in dialog.result.text() or "Limit" in dialog.result.text()  # the facts to compare
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n% nothing\n")
    with qtbot.waitSignal(dialog.verified, timeout=30_000):
        dialog.verify_file(junk)
    assert "does NOT verify" in dialog.result.text()


def test_verify_a_printed_memo_by_its_code(qtbot, memo):
    from PySide6.QtCore import Qt

    from loandesk.memo.qr import payload

    store, row, pdf, _ = memo
    dialog = open_dialog(qtbot, store, row, pdf, verify_code=lambda code: service.verify_code(store, code))
    assert not dialog.code_button.isEnabled()
    code = payload(row["memo_no"], row["content_sha256"])
    qtbot.keyClicks(dialog.code_edit, code)  # as a USB barcode reader types it, then Enter
    assert dialog.code_button.isEnabled()
    with qtbot.waitSignal(dialog.verified, timeout=30_000) as found:
        qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
    # a code proves only that the memo exists: the answer says so and lists what to compare
    assert found.args[0].status == "exists" and dialog.result.text().startswith("Not proven")
    assert row["memo_no"] in dialog.result.text() and dialog.result.text().count("•") == 6
    _beside_the_code_box(dialog)
    dialog.code_edit.setText(code[:-1] + ("0" if code[-1] != "0" else "1"))
    with qtbot.waitSignal(dialog.verified, timeout=30_000) as bad:
        dialog.code_button.click()
    assert not bad.args[0].ok and "does NOT verify" in dialog.result.text()


def test_without_a_callable_the_code_goes_out_by_signal(qtbot, memo):
    store, row, pdf, _ = memo
    dialog = open_dialog(qtbot, store, row, pdf, verify=None)
    with qtbot.waitSignal(dialog.verifyCodeRequested, timeout=5_000) as asked:
        dialog.code_edit.setText("  LOANDESK-MEMO:x  ")
        dialog.code_button.click()
    assert asked.args == ["LOANDESK-MEMO:x"]
    dialog.show_verification(service.verify_code(store, asked.args[0]))
    assert "does NOT verify" in dialog.result.text()


def test_enter_after_a_scanned_code_verifies_once_and_presses_nothing_else(qtbot, memo):
    store, row, pdf, _ = memo
    dialog = open_dialog(qtbot, store, row, pdf, verify=None)
    asked, printed = [], []
    dialog.verifyCodeRequested.connect(asked.append)
    dialog.print_button.clicked.connect(lambda: printed.append(True))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.code_edit.setFocus()
    qtbot.keyClicks(dialog.code_edit, "LOANDESK-MEMO:x")  # a barcode reader types the code, then Enter
    qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
    qtbot.wait(100)
    assert asked == ["LOANDESK-MEMO:x"] and printed == [] and dialog.isVisible()


def test_the_dialog_speaks_chinese(qtbot, memo, tmp_path):
    store, row, pdf, _ = memo
    qm = tmp_path / "memo_zh_CN.qm"
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lrelease"), "-silent",
                    str(resource("translations", "memo_zh_CN.ts")), "-qm", str(qm)], check=True)  # fmt: skip
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        dialog = open_dialog(qtbot, store, row, pdf)
        assert dialog.print_button.text() == "打印…"
        assert dialog.save_button.text() == "另存为 PDF…"
        assert dialog.verify_button.text() == "核验报告文件…"
        assert dialog.code_button.text() == "核验" and "核验码" in dialog.code_edit.placeholderText()
        assert dialog.status.text() == f"共 {len(dialog.pages)} 页"
        assert dialog.windowTitle() == f"授信调查报告 {row['memo_no']}"
        dialog.grab().save("/tmp/memo_dialog_zh.png")
    finally:
        QCoreApplication.removeTranslator(translator)
