"""The approvals table (applied by migration m008): the approver's own decision on an application.

approvals   one per scoring decision at most: who decided and when, approve (limit in yuan, term,
            rate, conditions) or decline (with a reason), and the officers it was checked against
            (maker-checker). It puts its decision in effect (``core.decisions.in_effect``); a new
            scoring of the application makes a new decision, on which the approver decides again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def create(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE approvals (
            id TEXT PRIMARY KEY,
            application_id TEXT NOT NULL REFERENCES applications(id),
            decision_id TEXT NOT NULL UNIQUE REFERENCES decisions(id),
            override_id TEXT REFERENCES overrides(id),  -- the confirmed override in effect when decided
            outcome TEXT NOT NULL CHECK (outcome IN ('approve', 'decline')),
            limit_amount INTEGER,                       -- yuan; NULL on a decline
            term_months INTEGER,
            rate REAL,                                  -- % a year
            conditions TEXT NOT NULL DEFAULT '[]',      -- JSON list of the approver's conditions
            reason TEXT,                                -- why (required for a decline)
            approver TEXT NOT NULL,
            officers TEXT NOT NULL DEFAULT '[]',        -- JSON: the officers the approver is not
            decided_at TEXT NOT NULL,
            CHECK (outcome = 'decline' OR limit_amount > 0),
            CHECK (outcome = 'approve' OR length(trim(coalesce(reason, ''))) > 0)
        );
        CREATE INDEX approvals_application ON approvals(application_id, decided_at);
        """
    )
