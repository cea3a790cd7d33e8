"""The intake form: enterprise, legal representative, loan request, consent and documents.

Every keystroke runs ``core.intake.validate_intake`` (the same validator files go
through). A field's findings show under it once the officer has edited it and moved
on (or tried to save), and then follow every keystroke; a blank intake shows no
verdict and no errors. Save stays disabled, with the reason beside it, while errors
remain. Every field keeps its message line, so messages never move the fields below.
Edits are autosaved as a draft ~1.5 s after the last keystroke and when the form
closes, so a crash or a kill loses nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from loandesk.core import clock, ids
from loandesk.core.codes import entity_type_of
from loandesk.core.i18n import language
from loandesk.core.intake import IntakeResult, validate_intake
from loandesk.core.models import MASKERS
from loandesk.core.products import default_product, products
from loandesk.core.sizing import SIZE_LABELS, SizeClass, classify

from .accessibility import name_fields
from .intake_consent import fill_consent
from .intake_sections import IntakeSections
from .screen_fit import fit_to_screen
from .signed_in import bind_to_signed_in
from .tasks import TaskRunner
from .widgets import ERROR_COLOUR, DuplicateDialog, FieldMessage, user_message

HINT_COLOUR = "#555555"  # the reason beside Save before anything is wrong: a hint, not an error

AUTOSAVE_MS = 1500
AUTOSAVE_MAX_WAIT_S = 5.0  # an officer typing without pause still has a draft at most this old
SCORE_DELAY_MS = 300
MONEY_FIELDS = ("annual_revenue", "total_assets", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m",
                "requested_amount")  # fmt: skip
CHECK_FIELDS = ("abnormal_operation", "dishonest_debtor", "has_loan_history", "consent_given")
COMBO_FIELDS = ("industry", "tax_grade", "product", "guarantee_mode")
PERSONAL = tuple(MASKERS)  # legal_rep_name, legal_rep_id, legal_rep_phone
CHECK_WARNINGS = ("uscc_check", "uscc_org_check")


def record_to_form(record: dict) -> dict:
    """A stored record (typed values) as the form shows it (text, booleans, combo data)."""
    form = {}
    for key, value in record.items():
        if value is None:
            continue
        if key in MONEY_FIELDS:
            form[key] = f"{int(value):,}"
        elif key in CHECK_FIELDS:
            form[key] = bool(value)
        else:
            form[key] = value if isinstance(value, str) else str(value)
    return form


class IntakeForm(IntakeSections):
    """New intake (``record`` None) or an existing application (``record`` from ``application_record``)."""

    saved = Signal(str, str)  # application id, application ref
    open_requested = Signal(str)  # enterprise id of a duplicate the officer chose to open
    draft_saved = Signal(str)  # draft key

    def __init__(
        self,
        runner: TaskRunner,
        *,
        record: dict | None = None,
        draft: dict | None = None,
        enterprise: dict | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self._runner = runner
        payload = (draft or {}).get("payload", {})
        self.application_id: str | None = (record or {}).get("id") or payload.get("application_id")
        self.enterprise_id: str | None = (
            (record or {}).get("enterprise_id") or payload.get("enterprise_id") or (enterprise or {}).get("id")
        )
        self.ref: str | None = (record or {}).get("ref") or payload.get("ref")
        if draft:
            self.draft_key = draft["key"]
        elif self.application_id:
            self.draft_key = f"intake:{self.application_id}"
        else:
            self.draft_key = f"intake:new:{ids.new_id()}"
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, FieldMessage] = {}
        self._personal: dict[str, str] = {}  # real values of personal fields while they show masked
        self._masked = bool(self.application_id or enterprise)  # on file already: personal data masked
        self._loading = True
        self._editing: set[str] = set()  # edited, not yet left: its findings wait until the officer moves on
        self._touched: set[str] = set()  # edited and left: its findings show, live from then on
        self._show_all = bool(record or draft)  # a record on file or a draft: every finding shows at once
        self._prefilled = bool(enterprise)  # an enterprise on file: its figures can be scored at once
        self._changed = bool(draft)  # differs from what is stored
        self._draft_pending = False  # edits not yet in the stored draft
        self._pending_since = time.monotonic()  # when the oldest edit not yet in a draft was made
        self._saving = False
        self._closing_ok = False
        self._check_warning = False
        self.pending_files: list[tuple[str, str]] = [tuple(p) for p in payload.get("pending_files", [])]
        self.stored_files: list[dict] = []
        self.result = IntakeResult()
        self.duplicate_dialog: DuplicateDialog | None = None

        self._build()
        initial = record_to_form(record or enterprise or {})
        if draft:
            initial = dict(payload.get("form", {}))
        if not initial.get("product"):
            initial["product"] = default_product().id
        self.set_form(initial)
        self._consent_date_seen = self.editors["consent_date"].text()  # the expiry follows it (intake_consent)
        self._loading = False

        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS, timeout=self.save_draft)
        self._score_timer = QTimer(self, singleShot=True, interval=SCORE_DELAY_MS, timeout=self._update_score)
        self.validate()
        was_loading, self._loading = self._loading, True
        signed_in = bind_to_signed_in(self.editors["officer"], self._runner)  # the officer is who signed in
        self._loading = was_loading
        if signed_in:
            self.validate()
        if self.application_id:
            self._load_attachments()
        elif not initial.get("officer") and not signed_in:
            self._prefill_officer()
        self._load_pack_in_force()
        fit_to_screen(self, 1180, 820)  # never taller than the screen (a 1366x768 laptop, 150% scaling)

    # ---- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle(
            self.tr("Application {ref}").format(ref=self.ref) if self.ref else self.tr("New intake")
        )
        outer = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # A click on empty space must not take the focus from the field (Tab would restart at the top).
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area = scroll
        body = QWidget()
        column = QVBoxLayout(body)
        scroll.setWidget(body)
        splitter.addWidget(scroll)

        column.addWidget(self._enterprise_group())
        column.addWidget(self._person_group())
        column.addWidget(self._loan_group())
        column.addWidget(self._consent_group())
        column.addWidget(self._investigation_group())
        column.addWidget(self._documents_group())
        column.addStretch(1)
        # One label column across all groups, so the fields line up from top to bottom.
        labels = [lab for lab in body.findChildren(QLabel) if lab.property("fieldLabel")]
        width = max((lab.sizeHint().width() for lab in labels), default=0)
        for lab in labels:
            lab.setMinimumWidth(width)

        # ---- the scoring helper's panel lives here (loandesk.ui.score_panel.ScorePanel) ----
        self.score_panel = self._make_score_panel()
        splitter.addWidget(self.score_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 320])
        body.setMinimumWidth(560)
        for editor in self.editors.values():
            editor.installEventFilter(self)  # leaving a field is when its findings first show
        name_fields(body)  # each field named by its label, for screen readers

        bottom = QHBoxLayout()
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        # Room for two lines always: a longer reason must not make the form above it jump.
        self.reason_label.setMinimumHeight(self.reason_label.fontMetrics().lineSpacing() * 2)
        bottom.addWidget(self.reason_label, 1)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setToolTip(self.tr("Save the record (Ctrl+S)"))
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setToolTip(self.tr("Close; unsaved edits are kept as a draft (Esc)"))
        for button in (self.save_button, self.close_button):
            button.setAutoDefault(False)  # Enter in a field must never save or close the form
            bottom.addWidget(button)
        outer.addLayout(bottom)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)

        save_action = QAction(self)
        save_action.setShortcut(QKeySequence.StandardKey.Save)
        save_action.triggered.connect(self.save)
        self.addAction(save_action)

    def _make_score_panel(self) -> QWidget:
        try:
            from loandesk.ui.score_panel import ScorePanel  # written by the scoring work; optional here
        except ImportError:
            placeholder = QLabel(self.tr("The score appears here once scoring is installed."))
            placeholder.setWordWrap(True)
            placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            placeholder.setObjectName("scorePlaceholder")
            return placeholder
        return ScorePanel(self)

    # ---- reading and writing the fields -----------------------------------------------------
    def set_form(self, values: dict) -> None:
        was_loading, self._loading = self._loading, True
        try:
            if "product" in values:
                self._set_combo("product", values["product"])
                self._fill_guarantees()
            for name, editor in self.editors.items():
                value = values.get(name)
                if name == "product" or (name == "guarantee_mode" and value is None):
                    continue  # product set above; a one-mode product has chosen its guarantee already
                if isinstance(editor, QLineEdit):
                    text = "" if value is None else str(value)
                    if name in PERSONAL:
                        self._personal[name] = text
                        if self._masked and text:
                            text = MASKERS[name](text)
                    editor.setText(text)
                    editor.setCursorPosition(0)
                elif isinstance(editor, QComboBox):
                    self._set_combo(name, value)
                elif isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                elif isinstance(editor, QPlainTextEdit):
                    editor.setPlainText("" if value is None else str(value))
            self._apply_masking()
        finally:
            self._loading = was_loading

    def _set_combo(self, name: str, value) -> None:
        combo: QComboBox = self.editors[name]
        index = combo.findData(value) if value is not None else -1
        combo.setCurrentIndex(index if index >= 0 else 0)

    def form_values(self) -> dict:
        """What the officer has entered, as ``validate_intake`` reads it (real personal values)."""
        values: dict = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                values[name] = self._personal.get(name, "") if self._is_masked(name) else editor.text()
            elif isinstance(editor, QComboBox):
                values[name] = editor.currentData()
            elif isinstance(editor, QCheckBox):
                values[name] = editor.isChecked()
            elif isinstance(editor, QPlainTextEdit):
                values[name] = editor.toPlainText()
        return values

    def _is_masked(self, name: str) -> bool:
        return name in PERSONAL and self._masked and bool(self._personal.get(name))

    # ---- masking -----------------------------------------------------------------------------
    def _toggle_masking(self, shown: bool) -> None:
        if not shown:
            for name in PERSONAL:  # keep what was typed while shown
                self._personal[name] = self.editors[name].text()
        self._masked = not shown
        was_loading, self._loading = self._loading, True
        for name in PERSONAL:
            value = self._personal.get(name, "")
            self.editors[name].setText(MASKERS[name](value) if self._masked and value else value)
        self._loading = was_loading
        self._apply_masking()

    def _apply_masking(self) -> None:
        for name in PERSONAL:
            editor: QLineEdit = self.editors[name]
            masked_now = self._is_masked(name)
            editor.setReadOnly(masked_now)
            editor.setToolTip(self.tr("Masked: press Show to see or change it") if masked_now else "")

    # ---- reacting to edits --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and event.reason() != Qt.FocusReason.PopupFocusReason:
            name = next((n for n, e in self.editors.items() if e is watched), None)
            if name in self._editing:
                self._left(name)
        return super().eventFilter(watched, event)

    def _left(self, name: str) -> None:
        """The officer moved on from a field they edited: its findings show from now on."""
        self._editing.discard(name)
        self._touched.add(name)
        self.validate()

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        if name in PERSONAL and not self._is_masked(name):
            self._personal[name] = self.editors[name].text()
        # Editing another field is moving on too (whether or not a focus change was seen); a choice or a
        # tick is complete as made, so it counts at once.
        self._touched |= self._editing - {name}
        self._editing = {name}
        if isinstance(self.editors[name], (QComboBox, QCheckBox)):
            self._touched.add(name)
            self._editing.clear()
        self._changed = True
        if not self._draft_pending:
            self._pending_since = time.monotonic()
        self._draft_pending = True
        if time.monotonic() - self._pending_since >= AUTOSAVE_MAX_WAIT_S:
            self.save_draft()  # typing without a pause: do not wait for one
        else:
            self._autosave.start()
        self.validate()

    def _product_changed(self) -> None:
        self._fill_guarantees()

    def _fill_guarantees(self) -> None:
        combo: QComboBox = self.editors["guarantee_mode"]
        product = products().get(self.editors["product"].currentData() or "", default_product())
        current = combo.currentData()
        was_loading, self._loading = self._loading, True
        combo.clear()
        combo.addItem(self.tr("— choose —"), None)
        names = self.guarantee_names()
        for mode in product.guarantee_modes:
            combo.addItem(names.get(mode, mode), mode)
        index = combo.findData(current) if current is not None else -1
        if index < 0 and len(product.guarantee_modes) == 1:
            index = 1  # one mode only (a credit product): choose it for the officer
        combo.setCurrentIndex(max(index, 0))
        self._loading = was_loading

    def _consent_toggled(self, checked: bool) -> None:
        if self._loading or not checked:
            return
        date_edit: QLineEdit = self.editors["consent_date"]
        scope_edit: QLineEdit = self.editors["consent_scope"]
        if not date_edit.text().strip():
            date_edit.setText(clock.today().isoformat())
        if not scope_edit.text().strip():
            scope_edit.setText(self.tr("Tax data and credit report queries for this application"))
        fill_consent(self)
        self.validate()

    def _consent_date_edited(self) -> None:
        fill_consent(self, date_changed=True)

    def _override_needed(self) -> bool:
        return self._check_warning

    def started(self) -> bool:
        """Whether the officer has done anything a verdict or an error could be about yet."""
        return self._show_all or self._prefilled or bool(self._touched)

    def validate(self) -> IntakeResult:
        raw = self.form_values()
        result = validate_intake(raw)
        self._check_warning = any(f.code in CHECK_WARNINGS for f in result.findings)
        if not self._check_warning:
            result.values["code_override_reason"] = None  # a reason is kept only for a code that needs one
        self.result = result
        # The reason's row is always there (enabled only when the check character differs), so the
        # fields below never jump while the code is typed.
        self.editors["code_override_reason"].setEnabled(self._override_needed())
        for name, message in self.messages.items():
            message.show_findings(result.for_field(name) if self._shows(name) else [])
            editor = self.editors[name]
            if editor.accessibleDescription() != message.text():  # a screen reader reads it with the field
                editor.setAccessibleDescription(message.text())
        self._show_derived(result.values)
        self._update_save_state()
        self._score_timer.start()
        return result

    def _shows(self, name: str) -> bool:
        return self._show_all or name in self._touched or (
            name == "code_override_reason" and "credit_code" in self._touched
        )

    def _show_derived(self, values: dict) -> None:
        parts = []
        code = values.get("credit_code")
        if code and values.get("entity_type"):
            kinds = {
                "enterprise": self.tr("enterprise"),
                "individual_business": self.tr("individual business"),
                "cooperative": self.tr("farmers' cooperative"),
            }
            kind = entity_type_of(code)
            parts.append(self.tr("Entity type: {kind}").format(kind=kinds.get(kind, self.tr("other"))))
        if values.get("industry"):
            size = classify(values["industry"], values.get("employees"), values.get("annual_revenue"),
                            values.get("total_assets"))  # fmt: skip
            if size is not None:
                en, zh = SIZE_LABELS[SizeClass(size)]
                parts.append(self.tr("SME size: {size}").format(size=zh if language() == "zh" else en))
        self.derived_label.setText("   ·   ".join(parts) if parts else self.tr("(from the code and figures)"))

    def _update_save_state(self) -> None:
        order = {name: i for i, name in enumerate(self.editors)}
        errors = sorted(self.result.errors, key=lambda f: order.get(f.field, len(order)))
        shown = [f for f in errors if self._shows(f.field)]
        colour = ERROR_COLOUR
        if self._saving:
            self.reason_label.setText(self.tr("Saving…"))
        elif errors and not shown:
            # Nothing the officer did is wrong yet: say what Save waits for, without a wall of red.
            colour = HINT_COLOUR
            self.reason_label.setText(self.tr("Save is enabled once the required fields are filled in "
                                              "(%n still to complete).", "", len(errors)))  # fmt: skip
        elif errors:
            errors = shown + [f for f in errors if f not in shown]  # what the officer sees first
            sep = "；" if language() == "zh" else "; "
            details = sep.join(f.describe() for f in errors[:3]) + (sep + "…" if len(errors) > 3 else "")
            self.reason_label.setText(self.tr("%n error(s): ", "", len(errors)) + details)
        elif not self._runner.accepting:
            self.reason_label.setText(self.tr("The store is still opening…"))
        else:
            self.reason_label.setText("")
        self.reason_label.setStyleSheet(f"color: {colour};")
        self.save_button.setEnabled(not errors and not self._saving and self._runner.accepting)

    def _update_score(self) -> None:
        setter = getattr(self.score_panel, "set_record", None)
        if setter is None:
            return
        if not self.started():
            # A blank intake scores as "refer, 300, D": a verdict about nothing. Wait for the first field.
            blank = getattr(self.score_panel, "show_blank", None)
            if blank is not None:
                blank(self.tr("The score appears once you have filled in a field."))
                return
        record = dict(self.result.values, id=self.application_id, enterprise_id=self.enterprise_id, ref=self.ref)
        try:
            setter(record)
        except Exception as exc:  # the score is advice; a failing panel must not block intake
            print(f"loandesk: score panel failed: {type(exc).__name__}", file=sys.stderr)

    def _load_pack_in_force(self) -> None:
        """Score with the data home's pack in force (what Ctrl+D records), not the shipped default."""
        if not hasattr(self.score_panel, "set_record") or not self._runner.is_open:
            return

        def job(store, _state):
            from loandesk.scoring.service import pack_in_force

            return pack_in_force(store)

        def done(pack) -> None:
            self.score_panel.pack = pack
            self._update_score()

        # A broken pack in force is shown in the panel by its own scoring; the form still works.
        self._runner.submit(job, done, lambda error: self.score_panel.status_label.setText(user_message(error)))

    def _prefill_officer(self) -> None:
        """A new intake names the officer who saved the last one on this device (they can change it)."""

        def fill(name: str | None) -> None:
            editor: QLineEdit = self.editors["officer"]
            if name and not editor.text():
                was_loading, self._loading = self._loading, True
                editor.setText(name)
                self._loading = was_loading
                self.validate()

        if self._runner.is_open:
            self._runner.submit(lambda store, _s: store.setting("officer"), fill)

    # ---- documents --------------------------------------------------------------------------
    def choose_files(self, doc_type: str) -> None:
        from . import file_dialogs

        paths = file_dialogs.open_file_names(
            self, self.tr("Attach documents"),
            self.tr("Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic);;All files (*)"),
        )  # fmt: skip
        self.add_files(doc_type, paths)

    def add_files(self, doc_type: str, paths: list[str]) -> None:
        """Queue files to attach; they are encrypted into the data home when the record is saved."""
        for path in paths:
            if (doc_type, path) not in self.pending_files:
                self.pending_files.append((doc_type, str(path)))
        if paths:
            self._changed = self._draft_pending = True
            self._autosave.start()
            self._show_files()

    def _show_files(self) -> None:
        for doc_type, label in self.doc_labels.items():
            names = [f["file_name"] for f in self.stored_files if f["doc_type"] == doc_type]
            names += [
                self.tr("{name} (attached on save)").format(name=Path(p).name)
                for d, p in self.pending_files
                if d == doc_type
            ]
            label.setText("\n".join(names) if names else self.tr("none"))

    def _load_attachments(self) -> None:
        app_id = self.application_id

        def job(store, _state):
            from loandesk.storage.attachments import attachments_for

            return attachments_for(store, app_id)

        def done(rows: list[dict]) -> None:
            self.stored_files = rows
            self._show_files()

        self._runner.submit(job, done)

    # ---- drafts -----------------------------------------------------------------------------
    def draft_payload(self) -> dict:
        return {
            "form": self.form_values(),
            "application_id": self.application_id,
            "enterprise_id": self.enterprise_id,
            "ref": self.ref,
            "pending_files": [list(p) for p in self.pending_files],
        }

    def save_draft(self) -> None:
        """Write the form to the store's drafts table (encrypted like everything else)."""
        self._autosave.stop()
        if not self._draft_pending or not self._runner.accepting:
            if self._draft_pending:
                self._autosave.start()  # the store is still opening: try again shortly
            return
        self._draft_pending = False
        key, payload = self.draft_key, self.draft_payload()
        self._runner.submit(lambda store, _s: store.save_draft(key, payload), lambda _r: self.draft_saved.emit(key))

    def discard_draft(self) -> None:
        self._autosave.stop()
        self._draft_pending = False
        key = self.draft_key
        if self._runner.accepting:
            self._runner.submit(lambda store, _s: store.delete_draft(key))

    # ---- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        result = self.validate()
        if not result.ok or self._saving:
            self._show_all = True
            self.validate()
            first = next((f.field for f in result.errors if f.field in self.editors), None)
            if first:
                self.editors[first].setFocus()
            return
        if not self._runner.accepting:
            return
        self._saving = True
        self._update_save_state()
        values = dict(result.values)
        code, rep_id, own = values.get("credit_code"), values.get("legal_rep_id"), self.enterprise_id
        self._runner.submit(
            lambda store, _s: store.find_duplicates(code, rep_id, exclude_enterprise_id=own),
            lambda dups: self._after_duplicate_check(values, dups),
            self._save_failed,
        )

    def _after_duplicate_check(self, values: dict, duplicates: list[dict]) -> None:
        if self.application_id:
            # Re-saving a record on file: another enterprise of the same legal representative is normal;
            # only the same credit code on another enterprise would make two records of one entity.
            duplicates = [d for d in duplicates if d["match"] == "credit_code"]
        if duplicates and not self.application_id:
            # Not exec(): the dialog is window-modal and answers by signal, so no nested event loop.
            dialog = DuplicateDialog(duplicates, self, typed_name=values.get("enterprise_name") or "")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda choice: self._duplicate_answered(values, dialog, choice))
            self.duplicate_dialog = dialog
            dialog.open()
            return
        if duplicates:
            # An existing application whose code now matches another enterprise: never merge silently.
            names = ", ".join(f"{d['ref']} {d['enterprise_name']}" for d in duplicates)
            self._saving = False
            self._update_save_state()
            QMessageBox.warning(
                self, self.tr("Already on file"),
                self.tr("Another enterprise on file has this credit code: {names}")
                .format(names=names),
            )  # fmt: skip
            return
        self._write(values, self.enterprise_id)

    def _duplicate_answered(self, values: dict, dialog: DuplicateDialog, choice: int) -> None:
        self.duplicate_dialog = None
        chosen = dialog.selected_id()
        if choice == DuplicateDialog.ATTACH:
            self._write(values, chosen)
            return
        if choice == DuplicateDialog.NEW:
            self._write(values, None)
            return
        self._saving = False
        self._update_save_state()
        if choice == DuplicateDialog.OPEN:
            self.open_requested.emit(chosen)

    def _write(self, values: dict, enterprise_id: str | None) -> None:
        app_id, key, files = self.application_id, self.draft_key, list(self.pending_files)
        self._autosave.stop()

        def job(store, _state):
            _ent, app = store.save_intake(values, enterprise_id=enterprise_id, application_id=app_id, draft_key=key)
            if values.get("officer"):
                store.set_setting("officer", values["officer"])
            problems = []
            from loandesk.storage.attachments import AttachmentError, add_attachment

            for doc_type, path in files:
                try:
                    add_attachment(store, app.id, doc_type, path)
                except (AttachmentError, OSError) as exc:
                    problems.append(f"{Path(path).name}: {exc}")
            return app.id, app.ref, problems

        self._runner.submit(job, self._saved, self._save_failed)

    def _saved(self, result: tuple[str, str, list[str]]) -> None:
        app_id, ref, problems = result
        self._saving = False
        self._changed = self._draft_pending = False
        self.application_id = app_id
        self.pending_files = []
        self.saved.emit(app_id, ref)
        if problems:
            QMessageBox.warning(
                self, self.tr("Some documents were not attached"),
                self.tr("The record {ref} is saved, but these files could not be attached:").format(ref=ref)
                + "\n" + "\n".join(problems),
            )  # fmt: skip
        self._closing_ok = True
        self.accept()

    def _save_failed(self, error: BaseException) -> None:
        self._saving = False
        self._update_save_state()
        self._draft_pending = True
        self.save_draft()  # keep what was typed
        QMessageBox.critical(
            self, self.tr("Not saved"),
            self.tr("The record was not saved; your entries are kept as a draft.\n{error}")
            .format(error=user_message(error)),  # the core's own words (e.g. a refused permission)
        )  # fmt: skip

    # ---- closing ----------------------------------------------------------------------------
    def flush(self) -> None:
        """Keep unsaved edits as a draft now (the application is closing)."""
        if self._changed and self._draft_pending:
            self.save_draft()

    def close_silently(self) -> None:
        self.flush()
        self._closing_ok = True
        self.close()

    def reject(self) -> None:
        if self._closing_ok or not self._changed or self._ask_keep_draft():
            self._closing_ok = True
            super().reject()

    def closeEvent(self, event) -> None:
        if self._closing_ok or not self._changed or self._ask_keep_draft():
            self._closing_ok = True
            event.accept()
        else:
            event.ignore()

    def _ask_keep_draft(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("This record has changes that are not saved."))
        keep = box.addButton(self.tr("&Keep as draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("&Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        if clicked is keep:
            self._draft_pending = True
            self.save_draft()
            return True
        if clicked is discard:
            self.discard_draft()
            return True
        return False
