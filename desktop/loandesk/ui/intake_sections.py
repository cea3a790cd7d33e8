"""The intake form's sections: enterprise, legal representative, loan request, consent, documents.

Only layout lives here (labels with mnemonics, editors in reading order so Tab walks them
top to bottom, a message line under each field); ``intake_form.IntakeForm`` adds the behaviour.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.dictionary import TAX_GRADES
from loandesk.core.i18n import language
from loandesk.core.industries import industry_codes, industry_name
from loandesk.core.products import products

from .widgets import ComboBox, FieldMessage


class IntakeSections(QDialog):
    """Builds the form's groups into ``self.editors`` / ``self.messages``; the subclass reacts to edits."""

    editors: dict[str, QWidget]
    messages: dict[str, FieldMessage]

    def _edited(self, name: str) -> None:  # pragma: no cover - IntakeForm's
        raise NotImplementedError

    def _toggle_masking(self, shown: bool) -> None:  # pragma: no cover
        raise NotImplementedError

    def _product_changed(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def _fill_guarantees(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def _consent_toggled(self, checked: bool) -> None:  # pragma: no cover
        raise NotImplementedError

    def _show_files(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def choose_files(self, doc_type: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(2)  # each field keeps a message line under it: that is the room between rows
        return box, form

    def _add(self, form: QFormLayout, name: str, label: str, editor: QWidget, extra: QWidget | None = None,
             *, reserve: bool = True):  # fmt: skip
        """One row: label (with mnemonic, buddy = editor), editor, and the message line under it
        (``reserve=False`` for a field that never has a finding: no empty line kept for it)."""
        self.editors[name] = editor
        message = FieldMessage(reserve=reserve)
        self.messages[name] = message
        cell = QWidget()
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        if extra is not None:
            line = QHBoxLayout()
            line.addWidget(editor, 1)
            line.addWidget(extra)
            box.addLayout(line)
        else:
            box.addWidget(editor)
        box.addWidget(message)
        label_widget = QLabel(label)
        label_widget.setProperty("fieldLabel", True)
        label_widget.setBuddy(editor)
        form.addRow(label_widget, cell)
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _t, n=name: self._edited(n))
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(lambda _i, n=name: self._edited(n))
        elif isinstance(editor, QCheckBox):
            editor.toggled.connect(lambda _c, n=name: self._edited(n))
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(lambda n=name: self._edited(n))
        return label_widget, cell

    def _line(self, placeholder: str = "", max_length: int = 0) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        if max_length:
            edit.setMaxLength(max_length)
        return edit

    def _enterprise_group(self) -> QGroupBox:
        box, form = self._group(self.tr("Enterprise"))
        money_hint = self.tr("yuan, e.g. 1,200,000 or 120万")
        self._add(form, "enterprise_name", self.tr("Enterprise &name"), self._line(max_length=100))
        self._add(form, "credit_code", self.tr("&Credit code"),
                  self._line(self.tr("18 characters, e.g. 91350100M000100Y43"), 24))  # fmt: skip
        # Always in its row (enabled only when the check character differs): nothing below moves for it.
        self._add(
            form, "code_override_reason", self.tr("Chec&k override reason"),
            self._line(self.tr("Why this code is right although its check character differs")),
        )  # fmt: skip
        industry = ComboBox()
        industry.addItem(self.tr("— choose —"), None)
        for code in industry_codes():
            industry.addItem(industry_name(code, language()), code)
        self._add(form, "industry", self.tr("&Industry"), industry)
        self._add(form, "region_code", self.tr("Region code"), self._line(self.tr("6 digits, from the code"), 6))
        self._add(form, "registered_on", self.tr("Registered &on"), self._line(self.tr("YYYY-MM-DD")))
        self._add(form, "employees", self.tr("&Employees"), self._line(self.tr("persons")))
        self._add(form, "annual_revenue", self.tr("Annual re&venue"), self._line(money_hint))
        self._add(form, "total_assets", self.tr("Total &assets"), self._line(money_hint))
        grade = ComboBox()
        grade.addItem(self.tr("— unknown —"), None)
        for g in TAX_GRADES:
            grade.addItem(g, g)
        self._add(form, "tax_grade", self.tr("&Tax credit grade"), grade)
        self._add(form, "tax_paid_12m", self.tr("Tax paid, last &12 months"), self._line(money_hint))
        self._add(form, "tax_paid_24m", self.tr("Tax paid, last &24 months"), self._line(money_hint))
        self._add(form, "invoice_sales_12m", self.tr("Invoiced sa&les, 12 months"), self._line(money_hint))
        self._add(form, "social_insurance_headcount", self.tr("Social insurance &headcount"),
                  self._line(self.tr("persons")))  # fmt: skip
        self._add(form, "abnormal_operation", self.tr("Lists"), QCheckBox(self.tr("On the abnormal-operation list")),
                  reserve=False)  # fmt: skip
        self._add(form, "dishonest_debtor", "", QCheckBox(self.tr("On the dishonest-debtor list")), reserve=False)
        self._add(form, "has_loan_history", "", QCheckBox(self.tr("Has had a bank loan before")), reserve=False)
        self.derived_label = QLabel()
        self.derived_label.setObjectName("derived")
        derived = QLabel(self.tr("Derived"))
        derived.setProperty("fieldLabel", True)
        form.addRow(derived, self.derived_label)
        return box

    def _person_group(self) -> QGroupBox:
        box, form = self._group(self.tr("Legal representative"))
        self.show_personal = QPushButton(self.tr("Sho&w"))
        self.show_personal.setCheckable(True)
        self.show_personal.setAutoDefault(False)
        self.show_personal.setToolTip(self.tr("Show or hide the personal data (masked by default)"))
        self.show_personal.toggled.connect(self._toggle_masking)
        self._add(form, "legal_rep_name", self.tr("Na&me"), self._line(max_length=40), self.show_personal)
        self._add(form, "legal_rep_id", self.tr("I&D number"), self._line(self.tr("18 characters"), 18))
        self._add(form, "legal_rep_phone", self.tr("Mo&bile phone"), self._line(self.tr("11 digits"), 14))
        self.show_personal.setVisible(self._masked)
        return box

    def _loan_group(self) -> QGroupBox:
        box, form = self._group(self.tr("Loan request"))
        product = ComboBox()
        for p in products().values():
            product.addItem(p.name(language()), p.id)
        self._add(form, "product", self.tr("&Product"), product)
        self._add(form, "requested_amount", self.tr("Amount (&yuan)"), self._line(self.tr("e.g. 500,000 or 50万")))
        self._add(form, "term_months", self.tr("Te&rm (months)"), self._line())
        self._add(form, "purpose", self.tr("P&urpose"), self._line(max_length=200))
        self._add(form, "guarantee_mode", self.tr("&Guarantee"), ComboBox())
        product.currentIndexChanged.connect(self._product_changed)
        self._fill_guarantees()
        return box

    def guarantee_names(self) -> dict[str, str]:
        return {
            "credit": self.tr("Credit (unsecured)"),
            "guarantee": self.tr("Guarantee"),
            "collateral": self.tr("Collateral"),
            "insurance": self.tr("Guarantee insurance"),
        }

    def _consent_group(self) -> QGroupBox:
        """The consent recorded with the save (core.consent): who gave it, when, for what, until when."""
        box, form = self._group(self.tr("Consent"))
        consent = QCheckBox(self.tr("The applicant consents to &querying tax and credit data"))
        self._add(form, "consent_given", "", consent)
        self._add(form, "consent_given_by", self.tr("Given by"),
                  self._line(self.tr("The legal representative, or the person they authorised"), 40))  # fmt: skip
        self._add(form, "consent_date", self.tr("Consent date"), self._line(self.tr("YYYY-MM-DD")))
        covers = ComboBox()
        for code, text in self.consent_scope_names().items():
            covers.addItem(text, code)
        self._add(form, "consent_scopes", self.tr("Covers"), covers)
        self._add(form, "consent_expires", self.tr("Expires on"),
                  self._line(self.tr("YYYY-MM-DD; a year after the consent date if left empty")))  # fmt: skip
        self._add(form, "consent_scope", self.tr("Consent scope"), self._line(max_length=200))
        self.editors["consent_given"].toggled.connect(self._consent_toggled)
        self.editors["consent_date"].textEdited.connect(lambda _t: self._consent_date_edited())
        return box

    def consent_scope_names(self) -> dict[str, str]:
        return {"tax,credit": self.tr("Tax data and the credit report"), "tax": self.tr("Tax data only"),
                "credit": self.tr("The credit report only")}  # fmt: skip

    def _consent_date_edited(self) -> None:  # pragma: no cover - IntakeForm's
        raise NotImplementedError

    def _investigation_group(self) -> QGroupBox:
        box, form = self._group(self.tr("On-site investigation"))
        notes = QPlainTextEdit()
        notes.setPlaceholderText(self.tr("What you saw on site: premises, stock, staff, customers, records checked"))
        notes.setTabChangesFocus(True)  # Tab moves on, as in every other field
        notes.setFixedHeight(notes.fontMetrics().lineSpacing() * 5 + 12)
        self._add(form, "site_notes", self.tr("Site &notes"), notes)
        self._add(form, "officer", self.tr("O&fficer"), self._line(self.tr("your name, printed on the memo"), 40))
        return box

    def doc_type_names(self) -> dict[str, str]:
        return {
            "business_licence": self.tr("Business licence"),
            "id_card": self.tr("ID card of the legal representative"),
            "tax_certificate": self.tr("Tax certificate"),
            "financial_statement": self.tr("Financial statements"),
            "site_photo": self.tr("Site photos"),
            "other": self.tr("Other"),
        }

    def _documents_group(self) -> QGroupBox:
        from loandesk.storage.attachments import DOC_TYPES  # a constant; no crypto imported for it

        box, form = self._group(self.tr("Documents"))
        self.doc_labels: dict[str, QLabel] = {}
        for doc_type in DOC_TYPES:
            files = QLabel()
            files.setWordWrap(True)
            button = QPushButton(self.tr("Attach…"))
            button.setAutoDefault(False)
            button.setObjectName(f"attach_{doc_type}")
            button.clicked.connect(lambda _c=False, d=doc_type: self.choose_files(d))
            cell = QWidget()
            line = QHBoxLayout(cell)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(files, 1)
            line.addWidget(button)
            name = QLabel(self.doc_type_names()[doc_type])
            name.setProperty("fieldLabel", True)
            form.addRow(name, cell)
            self.doc_labels[doc_type] = files
        self._show_files()
        return box
