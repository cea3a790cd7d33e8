"""File dialogs that speak the app's language and open where the user keeps files.

Every file dialog of Loan Desk goes through here, so that:

* it starts in the last folder used for a file this session, else the user's documents folder
  (``QStandardPaths.DocumentsLocation``), never the program's working directory;
* it is in the app's language: the platform's own dialog speaks the system's language, so where that
  differs from the app's (a Chinese Loan Desk on an English desktop, ``--lang en`` on a Chinese one)
  Qt's dialog is used, translated by ``qtbase_zh_CN.qm`` (loaded by ``i18n.install_translators``,
  with ``resources/translations/qtbase_fixes_zh_CN.ts`` for the labels that file lacks).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from loandesk.core.i18n import language

_last_folder: Path | None = None  # this session's; the next dialog opens there


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()  # a desktop without a documents folder (a minimal Linux account)


def start_folder() -> Path:
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    return documents_folder()


def remember(path: str | Path) -> None:
    """The folder of a file the user chose: where the next dialog opens."""
    global _last_folder
    folder = Path(path).parent
    if folder.is_dir():
        _last_folder = folder


def native_speaks_app_language() -> bool:
    system = (QLocale.system().uiLanguages() or [QLocale.system().name()])[0].lower()
    return system.startswith(language())


def make_dialog(parent: QWidget | None, title: str, filters: str, *, save: bool = False,
                name: str = "", many: bool = False, suffix: str = "") -> QFileDialog:  # fmt: skip
    """The dialog, set up but not shown (``run`` shows it); ``name``: the file name a save suggests."""
    dialog = QFileDialog(parent, title, str(start_folder()), filters)
    if not native_speaks_app_language():
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        if suffix:
            dialog.setDefaultSuffix(suffix)
        if name:
            dialog.selectFile(str(start_folder() / name))
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles if many else QFileDialog.FileMode.ExistingFile)
    return dialog


def run(dialog: QFileDialog) -> list[str]:
    """Show ``dialog`` (modal, as the static QFileDialog functions do) and return the chosen files."""
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return []
    files = dialog.selectedFiles()
    if files:
        remember(files[0])
    return files


def open_file_names(parent: QWidget | None, title: str, filters: str) -> list[str]:
    return run(make_dialog(parent, title, filters, many=True))


def open_file_name(parent: QWidget | None, title: str, filters: str) -> str:
    files = run(make_dialog(parent, title, filters))
    return files[0] if files else ""


def save_file_name(parent: QWidget | None, title: str, name: str, filters: str, suffix: str = "") -> str:
    files = run(make_dialog(parent, title, filters, save=True, name=name, suffix=suffix))
    return files[0] if files else ""
