"""File dialogs: in the app's language (Qt's own strings included) and opening in the user's folders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QLineEdit

from loandesk.ui import file_dialogs

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def chinese(qapp):
    from loandesk.core.i18n import set_language
    from loandesk.ui import i18n

    translators = i18n.install_translators(qapp, "zh")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    set_language("en")


@pytest.fixture(autouse=True)
def fresh_session(monkeypatch):
    monkeypatch.setattr(file_dialogs, "_last_folder", None)


def answer(act) -> None:
    """Once the (modal) file dialog is up, ``act(dialog)`` answers it, as the user would."""

    def attempt(tries: int = 50) -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        if shown:
            try:
                act(shown[0])
            finally:
                if shown[0].isVisible():  # never leave the test waiting on a dialog nobody answers
                    shown[0].reject()
        elif tries:
            QTimer.singleShot(50, lambda: attempt(tries - 1))

    QTimer.singleShot(50, attempt)


def shown_texts(dialog: QFileDialog) -> list[str]:
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton) if w.text()]
    texts += [w.toolTip() for w in dialog.findChildren(QAbstractButton) if w.toolTip()]
    return texts


def test_a_chinese_file_dialog_has_no_english_left(chinese, qtbot):
    for save in (False, True):
        dialog = file_dialogs.make_dialog(None, "附件", "PDF 文件 (*.pdf)", save=save, name="备忘录.pdf")
        qtbot.addWidget(dialog)
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)  # offscreen: Qt's dialog, translated
        dialog.show()
        qtbot.waitExposed(dialog)
        texts = shown_texts(dialog)
        assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts  # the two Qt 6 labels qtbase lacks
        assert "保存(&S)" in texts if save else "打开(&O)" in texts
        english = [t for t in texts if LATIN_WORD.search(t.replace("PDF", ""))]
        assert not english, english
        dialog.close()


def test_dialogs_open_in_documents_then_where_the_user_last_chose_a_file(qtbot, tmp_path):
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    expected = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    assert file_dialogs.documents_folder() == expected
    dialog = file_dialogs.make_dialog(None, "Save memo as PDF", "PDF files (*.pdf)", save=True, name="M-1.pdf")
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == expected  # not the program's working directory
    assert Path.cwd() != expected or Path.cwd() == Path.home()

    # Choose a file in another folder, through the real dialog; the next one opens there.
    folder = tmp_path / "扫描件"
    folder.mkdir()
    scan = folder / "licence.pdf"
    scan.write_bytes(b"%PDF-1.4\n")

    def choose(box: QFileDialog) -> None:
        box.findChild(QLineEdit, "fileNameEdit").setText(str(scan))  # typed, as the user may
        box.accept()

    answer(choose)
    assert file_dialogs.open_file_names(None, "Attach documents", "PDF files (*.pdf)") == [str(scan)]
    again = file_dialogs.make_dialog(None, "Save memo as PDF", "PDF files (*.pdf)", save=True, name="M-1.pdf")
    qtbot.addWidget(again)
    assert Path(again.directory().absolutePath()) == folder
    assert again.selectedFiles() == [str(folder / "M-1.pdf")]  # the suggested name, in that folder


def test_a_cancelled_dialog_changes_nothing(qtbot, tmp_path):
    answer(QFileDialog.reject)
    assert file_dialogs.save_file_name(None, "Save memo as PDF", "M-1.pdf", "PDF files (*.pdf)", "pdf") == ""
    assert file_dialogs.start_folder() == file_dialogs.documents_folder()


def test_attach_opens_in_documents_and_queues_the_chosen_scan(window, qtbot, tmp_path):
    scan = tmp_path / "营业执照.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    form = window.new_intake()
    qtbot.waitExposed(form)
    seen: dict = {}

    def choose(box: QFileDialog) -> None:
        seen["folder"] = Path(box.directory().absolutePath())
        seen["title"] = box.windowTitle()
        box.findChild(QLineEdit, "fileNameEdit").setText(str(scan))
        box.accept()

    answer(choose)
    form.findChild(QAbstractButton, "attach_business_licence").click()
    assert seen == {"folder": file_dialogs.documents_folder(), "title": "Attach documents"}
    assert form.pending_files == [("business_licence", str(scan))]
    assert "营业执照.pdf (attached on save)" in form.doc_labels["business_licence"].text()
