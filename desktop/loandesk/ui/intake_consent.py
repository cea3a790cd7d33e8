"""The intake form's consent group filled in as a teller expects: ticking the consent names the legal
representative as its giver and shows its expiry (a year after the consent date), and the expiry
follows the date while nobody has typed another. The form records the consent with the save
(``storage.consents.from_intake``); the rules are ``core.consent``'s.
"""

from __future__ import annotations

import datetime as dt

from loandesk.core.consent import default_expiry
from loandesk.core.models import MASKERS
from loandesk.core.values import ValueProblem, parse_date


def _default_for(date_text: str) -> str | None:
    try:
        return default_expiry(dt.date.fromisoformat(parse_date(date_text, dt.date.max))).isoformat()
    except (ValueProblem, ValueError):
        return None


def fill_consent(form, *, date_changed: bool = False) -> None:
    """Fill the giver and the expiry the way the form records them when left empty (IntakeForm)."""
    if form._loading or not form.editors["consent_given"].isChecked():
        return
    was_loading, form._loading = form._loading, True
    try:
        giver = form.editors["consent_given_by"]
        if not form._personal.get("consent_given_by") and not giver.text().strip():
            name = form._personal.get("legal_rep_name") or form.editors["legal_rep_name"].text().strip()
            if name:
                form._personal["consent_given_by"] = name
                giver.setText(MASKERS["consent_given_by"](name) if form._masked else name)
                form._apply_masking()
        expires = form.editors["consent_expires"]
        date_text = form.editors["consent_date"].text()
        wanted = _default_for(date_text)
        # The expiry follows the date while it is the default of the date before (filled in by the form,
        # or a record's a year on); one typed by the officer stays.
        before = _default_for(getattr(form, "_consent_date_seen", "") or "")
        automatic = {getattr(form, "_auto_expiry", None), before} - {None}
        if wanted and (not expires.text().strip() or (date_changed and expires.text() in automatic)):
            expires.setText(wanted)
            form._auto_expiry = wanted
        if wanted:  # a whole date: half-typed ones in between do not count
            form._consent_date_seen = date_text
    finally:
        form._loading = was_loading
    if date_changed:
        form.validate()
