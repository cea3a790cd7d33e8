"""Scoring a stored application needs the applicant's consent to the data the rule pack reads.

Every path that scores a stored application (``decide``, the score panel's Ctrl+D, memos of an
application never scored, ``memo --all-pending``, ``rescore``, the demo) passes through ``require``,
judged on the day of scoring (``as_of``) by ``core.consent.judge``.
"""

from __future__ import annotations

import datetime as dt

from loandesk.core.consent import Consent, needed_scopes

from .inputs import DERIVED
from .pack import RulePack


def inputs_used(pack: RulePack) -> frozenset[str]:
    """The input fields the pack reads: its factors', knock-outs', required fields and card's variables,
    derived variables by what they are made from, and the tax paid when limits are a multiple of tax."""
    names = {*pack.variables, *(k.variable for k in pack.knockouts), *pack.required}
    if pack.card is not None:
        names |= set(pack.card.names)
    if pack.limit.get("tax_multiple"):
        names.add("avg_annual_tax")
    out = set()
    for name in names:
        out |= set(DERIVED[name][2]) if name in DERIVED else {name}
    return frozenset(out)


def needed(pack: RulePack) -> frozenset[str]:
    """The consent scopes (tax, credit) scoring with ``pack`` needs."""
    return needed_scopes(inputs_used(pack))


def require(store, application_id: str, pack: RulePack, as_of: dt.date) -> Consent | None:
    """Raise ``core.consent.ConsentRefused`` (naming the application) unless a consent valid on ``as_of``
    covers what ``pack`` uses; returns that consent."""
    from loandesk.storage import consents

    scopes = needed(pack)
    if not scopes:  # the pack reads no tax or credit data: there is nothing to consent to
        return None
    return consents.require_valid(store, application_id, scopes, as_of)
