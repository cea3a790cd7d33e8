"""File > Import enterprise list…: pick a file (and sheet), map its headers, import with progress.

Steps: (1) the file, and for a workbook with several sheets the sheet; (2) the mapping: every
header of the file against the data dictionary's fields, auto-mapped where Loan Desk knows the
header (Chinese names and their common variants, English names), a combo for each header to
change or skip, and a preview of the first rows as mapped; (3) the import on the database worker
(``ui.tasks``) with a progress bar and Cancel (a cancel rolls the whole import back: nothing is
written); (4) the counts, and the report of rejected and warned rows to save as CSV.

Reading, importing and saving the report all run on the worker; this module only asks and shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from loandesk.core.dictionary import FIELDS
from loandesk.core.i18n import language
from loandesk.lists.header_mapping import LIST_FIELDS, Mapped, auto_mapping, field_label

from .accessibility import name_fields
from .error_text import user_message

if TYPE_CHECKING:
    import pandas as pd

    from .tasks import TaskRunner, TaskState

PREVIEW_ROWS = 5
REPORT_SHOWN = 500  # report lines shown in the dialog; the saved CSV has them all
PERSONAL = {"legal_rep_name", "legal_rep_id", "legal_rep_phone"}


def _masked(field: str | None, value: str) -> str:
    """The preview masks personal data as every screen does."""
    from loandesk.core.codes import mask_id, mask_name, mask_phone

    if field not in PERSONAL or not value:
        return value
    return {"legal_rep_name": mask_name, "legal_rep_id": mask_id, "legal_rep_phone": mask_phone}[field](value)


def read_job(path: Path, sheet: str | None):
    """On the worker: the sheets of a workbook and the file's cells (every header, known or not)."""

    def job(_store, _state):
        from loandesk.lists.enterprise_import import sheet_names
        from loandesk.lists.header_mapping import field_of
        from loandesk.lists.reading import read_table

        sheets = sheet_names(path)
        frame = read_table(path, field_of=field_of, sheet=sheet or (sheets[0] if sheets else None))
        return sheets, frame

    return job


def import_job(path: Path, sheet: str | None, mapping: dict, frame: pd.DataFrame):
    def job(store, state: TaskState):
        from loandesk.storage.enterprise_import import ImportCancelled, import_file

        def progress(done: int, total: int) -> None:
            if state.cancelled:
                raise ImportCancelled
            state.set_progress(done, total)

        return import_file(store, path, sheet=sheet, mapping=mapping, frame=frame, progress=progress,
                           lang=language())  # fmt: skip

    return job


class ListImportDialog(QDialog):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, on_imported=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.on_imported = on_imported
        self.frame: pd.DataFrame | None = None
        self.sheets: list[str] = []
        self.state: TaskState | None = None
        self.result = None
        self.setWindowTitle(self.tr("Import enterprise list"))
        self.resize(900, 560)
        self.pages = QStackedWidget()
        self._build_file_page()
        self._build_mapping_page()
        self._build_progress_page()
        self._build_result_page()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        layout.addWidget(self.message)

    # ---- step 1: the file ------------------------------------------------------------------------
    def _build_file_page(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("CSV (UTF-8, GBK, GB18030) or Excel (.xlsx)"))
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(self.tr("List file:"), row)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setEnabled(False)
        self.sheet_combo.activated.connect(lambda _i: self.read_file())
        form.addRow(self.tr("Sheet:"), self.sheet_combo)
        buttons = QDialogButtonBox()
        self.read_button = buttons.addButton(self.tr("&Next"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.read_file)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        name_fields(page)  # each field named by its label, for screen readers
        self.pages.addWidget(page)

    def browse(self) -> None:
        from .file_dialogs import open_file_name

        name = open_file_name(self, self.tr("Import enterprise list"),
                              self.tr("Lists (*.csv *.xlsx);;All files (*)"))  # fmt: skip
        if name:
            self.path_edit.setText(name)
            self.sheets = []
            self.read_file()

    def read_file(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self.message.setText(self.tr("Choose the list file first."))
            return
        self.message.setText(self.tr("Reading…"))
        self.read_button.setEnabled(False)
        sheet = self.sheet_combo.currentText() if self.sheets else None
        self.runner.submit(read_job(Path(text), sheet), self._read, self._failed)

    def _read(self, outcome) -> None:
        sheets, frame = outcome
        self.read_button.setEnabled(True)
        self.message.clear()
        if sheets != self.sheets:
            self.sheets = sheets
            self.sheet_combo.clear()
            self.sheet_combo.addItems(sheets)
        self.sheet_combo.setEnabled(len(sheets) > 1)
        self.frame = frame
        self._fill_mapping()
        self.pages.setCurrentIndex(1)

    def _failed(self, error: BaseException) -> None:
        self.read_button.setEnabled(True)
        self.message.setText(user_message(error))

    # ---- step 2: the mapping -----------------------------------------------------------------------
    def _build_mapping_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.mapping_hint = QLabel()
        self.mapping_hint.setWordWrap(True)
        layout.addWidget(self.mapping_hint)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels([self.tr("Column in the file"), self.tr("Loan Desk field"),
                                                      self.tr("First value")])  # fmt: skip
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.mapping_table.setAccessibleName(self.tr("Column mapping"))
        layout.addWidget(self.mapping_table, 2)
        preview_label = QLabel(self.tr("Preview of the first rows as mapped:"))
        layout.addWidget(preview_label)
        self.preview = QTableWidget(0, 0)
        preview_label.setBuddy(self.preview)  # the table named by the words above it (name_fields below)
        layout.addWidget(self.preview, 1)
        buttons = QDialogButtonBox()
        back = buttons.addButton(self.tr("&Back"), QDialogButtonBox.ButtonRole.ResetRole)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.import_button = buttons.addButton(self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.start_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        name_fields(page)
        self.pages.addWidget(page)
        self.combos: dict[str, QComboBox] = {}

    def _fill_mapping(self) -> None:
        headers = [str(h) for h in self.frame.columns]
        found = auto_mapping(headers)
        self.units = {h: m.unit_wan for h, m in found.items() if m is not None}
        self.mapping_table.setRowCount(len(headers))
        self.combos = {}
        unknown = 0
        for row, header in enumerate(headers):
            self.mapping_table.setItem(row, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.addItem(self.tr("— skip this column —"), None)
            for name in LIST_FIELDS:
                # The field as users know it; its key (what a command-line mapping names) as the tooltip,
                # not in the text, where Chinese readers would meet English words.
                combo.addItem(field_label(name, language()), name)
                combo.setItemData(combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
            mapped = found.get(header)
            combo.setCurrentIndex(combo.findData(mapped.field) if mapped else 0)
            unknown += mapped is None
            combo.setAccessibleName(self.tr("Field for the column {header}").format(header=header))
            combo.currentIndexChanged.connect(self._refresh_preview)
            self.combos[header] = combo
            self.mapping_table.setCellWidget(row, 1, combo)
            first = self.frame.iloc[0][header] if len(self.frame) else ""
            self.mapping_table.setItem(row, 2, QTableWidgetItem(_masked(mapped.field if mapped else None, first)))
        self.mapping_table.resizeColumnsToContents()
        self.mapping_hint.setText(
            self.tr("{rows} rows, {columns} columns; {unknown} column(s) not recognised: choose their field or "
                    "skip them.").format(rows=len(self.frame), columns=len(headers), unknown=unknown))  # fmt: skip
        self._refresh_preview()

    def mapping(self) -> dict[str, Mapped | None]:
        out = {}
        for header, combo in self.combos.items():
            name = combo.currentData()
            # a header the user mapped by hand is read in 万元 when it says so, as known headers are
            wan = self.units.get(header, "万元" in header and name in FIELDS and FIELDS[name].kind == "money")
            out[header] = Mapped(name, wan) if name else None
        return out

    def _mapping_problem(self) -> str:
        chosen = [m.field for m in self.mapping().values() if m is not None]
        twice = sorted({f for f in chosen if chosen.count(f) > 1})
        if twice:
            return self.tr("Two columns are mapped to {field}: map one of them or skip it.").format(
                field=field_label(twice[0], language()))
        missing = [f for f in ("enterprise_name", "credit_code") if f not in chosen]
        if missing:
            return self.tr("Map a column to {field}: a list cannot be imported without it.").format(
                field=field_label(missing[0], language()))
        return ""

    def _refresh_preview(self) -> None:
        mapped = [(h, m.field) for h, m in self.mapping().items() if m is not None]
        self.preview.clear()
        self.preview.setColumnCount(len(mapped))
        self.preview.setHorizontalHeaderLabels([field_label(f, language()) for _h, f in mapped])
        rows = self.frame.head(PREVIEW_ROWS)
        self.preview.setRowCount(len(rows))
        for r in range(len(rows)):
            for c, (header, name) in enumerate(mapped):
                self.preview.setItem(r, c, QTableWidgetItem(_masked(name, str(rows.iloc[r][header]))))
        problem = self._mapping_problem()
        self.message.setText(problem)
        self.import_button.setEnabled(not problem)

    # ---- step 3: importing -------------------------------------------------------------------------
    def _build_progress_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress_label = QLabel(self.tr("Importing… the list is written as one whole: Cancel leaves the "
                                             "store exactly as it was."))  # fmt: skip
        self.progress_label.setWordWrap(True)
        layout.addWidget(self.progress_label)
        self.progress = QProgressBar()
        layout.addWidget(self.progress)
        layout.addStretch(1)
        self.cancel_button = QPushButton(self.tr("&Cancel import"))
        self.cancel_button.clicked.connect(self.cancel_import)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.pages.addWidget(page)

    def start_import(self) -> None:
        if self._mapping_problem():
            return
        self.pages.setCurrentIndex(2)
        self.message.clear()
        self.progress.setRange(0, 0)  # reading and checking: busy until the first count
        self.cancel_button.setEnabled(True)
        path = Path(self.path_edit.text().strip())
        sheet = self.sheet_combo.currentText() if self.sheets else None
        self.state = self.runner.submit(import_job(path, sheet, self.mapping(), self.frame), self._imported,
                                        self._import_failed, self._progress)  # fmt: skip

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def cancel_import(self) -> None:
        if self.state is not None:
            self.state.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling: rolling the import back…"))

    def _import_failed(self, error: BaseException) -> None:
        from loandesk.storage.enterprise_import import ImportCancelled

        self.state = None
        if isinstance(error, ImportCancelled):
            self.show_result(None, self.tr("Import cancelled: nothing was written."))
        else:
            self.pages.setCurrentIndex(1)
            self.message.setText(user_message(error))

    def _imported(self, result) -> None:
        self.state = None
        self.result = result
        if not result.written:
            text = self.tr("Every row was rejected: nothing was imported. Save the report to see why.")
        else:
            text = self.tr("{imported} imported, {updated} updated, {unchanged} unchanged, {rejected} rejected, "
                           "{warned} with warnings, {duplicates} duplicate rows superseded (of {rows} rows).").format(
                **result.counts())  # fmt: skip
        self.show_result(result, text)
        if result.written and self.on_imported:
            self.on_imported(result)

    # ---- step 4: the result ------------------------------------------------------------------------
    def _build_result_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        self.report_table = QTableWidget(0, 5)
        self.report_table.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Field"), self.tr("Value"),
                                                     self.tr("Severity"), self.tr("Reason")])  # fmt: skip
        self.report_table.horizontalHeader().setStretchLastSection(True)
        self.report_table.verticalHeader().setVisible(False)
        self.report_table.setAccessibleName(self.tr("Rows with a problem"))
        layout.addWidget(self.report_table, 1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("&Save report…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_report)
        close = buttons.addButton(self.tr("&Close"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.pages.addWidget(page)

    def show_result(self, result, text: str) -> None:
        self.result_label.setText(text)
        report = result.report if result is not None and result.report is not None else None
        shown = report.head(REPORT_SHOWN) if report is not None else []
        self.report_table.setRowCount(len(shown))
        severity = {"error": self.tr("rejected"), "warning": self.tr("warning")}
        for r, line in enumerate(shown.itertuples(index=False) if len(shown) else []):
            field = field_label(line.field, language())
            for c, value in enumerate((str(line.row), field, line.value, severity.get(line.severity, line.severity),
                                       line.reason)):  # fmt: skip
                self.report_table.setItem(r, c, QTableWidgetItem(value))
        self.report_table.resizeColumnsToContents()
        self.report_table.setVisible(bool(len(shown)))
        self.save_button.setEnabled(result is not None and result.report is not None and not result.report.empty)
        self.pages.setCurrentIndex(3)

    def save_report(self) -> None:
        from .file_dialogs import save_file_name

        name = save_file_name(self, self.tr("Save import report"), f"{Path(self.result.file_name).stem}-report.csv",
                              self.tr("CSV (*.csv)"), "csv")  # fmt: skip
        if name:
            self.write_report(Path(name))

    def write_report(self, path: Path) -> None:
        report = self.result.report

        def job(_store, _state):
            from loandesk.lists import writing

            writing.write_table(report, path)
            return path

        self.runner.submit(job, lambda p: self.message.setText(self.tr("Report saved to {path}").format(path=p)),
                           lambda e: self.message.setText(user_message(e)))  # fmt: skip

    def reject(self) -> None:
        if self.state is not None:  # closing mid-import cancels it (rolled back)
            self.cancel_import()
        super().reject()
