"""Records the store returns and the faces show. Money is integer yuan; dates ISO strings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from .codes import mask_id, mask_name, mask_phone
from .sizing import classify


@dataclass
class Enterprise:
    id: str
    ref: str
    enterprise_name: str
    credit_code: str
    entity_type: str | None = None
    industry: str | None = None
    region_code: str | None = None
    registered_on: str | None = None
    employees: int | None = None
    annual_revenue: int | None = None
    total_assets: int | None = None
    tax_grade: str | None = None
    tax_paid_12m: int | None = None
    tax_paid_24m: int | None = None
    invoice_sales_12m: int | None = None
    social_insurance_headcount: int | None = None
    abnormal_operation: bool | None = None
    dishonest_debtor: bool | None = None
    has_loan_history: bool | None = None
    legal_rep_name: str | None = None
    legal_rep_id: str | None = None
    legal_rep_phone: str | None = None
    code_override_reason: str | None = None
    cultivation_stage: str = "no_loan"
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def size_class(self) -> str | None:
        if not self.industry:
            return None
        size = classify(self.industry, self.employees, self.annual_revenue, self.total_assets)
        return size.value if size else None


@dataclass
class Application:
    id: str
    ref: str
    enterprise_id: str
    requested_amount: int
    term_months: int
    purpose: str
    guarantee_mode: str
    product: str
    stage: str = "submitted"
    consent_given: bool = False
    consent_date: str | None = None
    consent_scope: str | None = None
    site_notes: str | None = None
    officer: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


MASKERS = {"legal_rep_name": mask_name, "legal_rep_id": mask_id, "legal_rep_phone": mask_phone,
           "consent_given_by": mask_name}  # who gave the consent (core.consent): personal data too


def masked(record: dict) -> dict:
    """A copy with personal fields masked for display (domain.md §8)."""
    return {k: (MASKERS[k](v) if k in MASKERS and v else v) for k, v in record.items()}


def to_dict(obj) -> dict:
    return asdict(obj)


def field_names(cls) -> list[str]:
    return [f.name for f in fields(cls)]
