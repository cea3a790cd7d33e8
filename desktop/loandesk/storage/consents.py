"""Repository for consent records (table made by migration m011; rules in ``core.consent``).

The giver's name is personal data: it is kept in ``persons`` like a legal representative's (inside
the encrypted store), each consent with its own person row, because a consent records who signed
on that day and must not change when the enterprise's legal representative is edited later. The
signed form, when there is one, is an encrypted attachment. Every record and revocation is one
transaction with its outbox row and its audit record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from loandesk.core import clock, ids
from loandesk.core.consent import Consent, ConsentRefused, check, default_expiry, judge
from loandesk.core.permissions import acting_name
from loandesk.core.validation import ValidationFailed

from .store import Store, now

_PERSON_INSERT = ("INSERT INTO persons(id, name, id_number, phone, created_at, updated_at) "
                  "VALUES (?, ?, NULL, NULL, ?, ?)")
_SELECT = """SELECT c.*, p.name AS given_by FROM consents c JOIN persons p ON p.id = c.given_by_person_id"""


def create_table(db) -> None:
    """The consents table (migration m011)."""
    db.execute(
        """CREATE TABLE consents (
            id TEXT PRIMARY KEY,
            application_id TEXT NOT NULL REFERENCES applications(id),
            given_by_person_id TEXT NOT NULL REFERENCES persons(id),
            given_on TEXT NOT NULL,
            expires_on TEXT NOT NULL,
            scope TEXT NOT NULL CHECK (scope IN ('tax', 'credit', 'tax,credit')),
            recorded_by TEXT NOT NULL,              -- the signed-in user who recorded it
            recorded_at TEXT NOT NULL,
            evidence_id TEXT REFERENCES attachments(id),
            revoked_on TEXT,
            revoked_by TEXT,
            note TEXT,
            CHECK (expires_on > given_on)
        )"""
    )
    db.execute("CREATE INDEX consents_application ON consents(application_id, given_on)")


def convert_inline(db) -> int:
    """Each application's inline consent (consent_given, consent_date, consent_scope) as a record, so an
    upgraded home keeps scoring: given by the enterprise's legal representative, for tax data and the
    credit report (the old tick box read "to query tax and credit data", whatever the free text beside
    it said; that text is kept as the note), expiring a year after its date. Returns how many."""
    rows = db.execute(
        """SELECT a.id, a.consent_date, a.consent_scope, a.officer, a.updated_at, p.name
           FROM applications a JOIN enterprises e ON e.id = a.enterprise_id
           LEFT JOIN persons p ON p.id = e.legal_rep_person_id
           WHERE a.consent_given = 1 AND a.consent_date IS NOT NULL"""
    ).fetchall()
    done = 0
    for app_id, day, scope_text, officer, updated_at, rep_name in rows:
        try:
            given_on = dt.date.fromisoformat(day)
        except (TypeError, ValueError):
            continue  # never a valid date: the application is refused as without consent
        person_id = ids.new_id()
        db.execute(_PERSON_INSERT, (person_id, rep_name or "—", updated_at, updated_at))
        db.execute(
            """INSERT INTO consents(id, application_id, given_by_person_id, given_on, expires_on, scope, recorded_by,
                                    recorded_at, note) VALUES (?, ?, ?, ?, ?, 'tax,credit', ?, ?, ?)""",
            (ids.new_id(), app_id, person_id, given_on.isoformat(), default_expiry(given_on).isoformat(),
             officer or "system", updated_at, scope_text),
        )  # fmt: skip
        done += 1
    return done


def _consent(row: dict) -> Consent:
    return Consent(
        id=row["id"], application_id=row["application_id"], given_by=row["given_by"],
        given_on=dt.date.fromisoformat(row["given_on"]), expires_on=dt.date.fromisoformat(row["expires_on"]),
        scope=frozenset(row["scope"].split(",")), recorded_by=row["recorded_by"], recorded_at=row["recorded_at"],
        evidence_id=row["evidence_id"],
        revoked_on=dt.date.fromisoformat(row["revoked_on"]) if row["revoked_on"] else None,
        revoked_by=row["revoked_by"], note=row["note"],
    )  # fmt: skip


def for_application(store: Store, application_id: str) -> list[Consent]:
    """The application's consents, oldest first."""
    rows = store.db.query(f"{_SELECT} WHERE c.application_id = ? ORDER BY c.given_on, c.recorded_at",
                          [application_id])  # fmt: skip
    return [_consent(r) for r in rows]


def listing(store: Store, application_id: str | None = None) -> list[tuple[str, Consent]]:
    """(application reference, consent) for one application or all, in the order recorded."""
    where, params = ("WHERE c.application_id = ?", [application_id]) if application_id else ("", [])
    rows = store.db.query(f"""SELECT c.*, p.name AS given_by, a.ref AS application_ref FROM consents c
                              JOIN persons p ON p.id = c.given_by_person_id
                              JOIN applications a ON a.id = c.application_id
                              {where} ORDER BY a.seq, c.recorded_at""", params)  # fmt: skip
    return [(r["application_ref"], _consent(r)) for r in rows]


def record(store: Store, application_id: str, *, given_by: str, given_on, scope, expires_on=None,
           evidence: str | Path | None = None, note: str | None = None) -> Consent:  # fmt: skip
    """Record a consent for an application (checked by ``core.consent.check``; ValidationFailed names
    each bad field). ``evidence``: the signed form, attached encrypted in the same transaction."""
    store.actor.require("record_consent")
    raw = {"consent_given_by": given_by, "consent_date": given_on, "consent_expires": expires_on,
           "consent_scopes": scope if isinstance(scope, str) else ",".join(scope)}  # fmt: skip
    values, findings = check(raw, clock.today())
    if findings:
        raise ValidationFailed(findings)
    with store.db.atomic():
        consent = _insert(store, application_id, values, evidence, note)
    return consent


def _insert(store: Store, application_id: str, values: dict, evidence, note: str | None) -> Consent:
    """Insert a checked consent (``core.consent.check`` values); call inside a transaction."""
    stamp = now()
    ref = store.db.execute("SELECT ref FROM applications WHERE id = ?", (application_id,)).fetchone()
    if ref is None:
        raise KeyError(application_id)
    evidence_id = None
    if evidence is not None:
        from .attachments import add_attachment

        evidence_id = add_attachment(store, application_id, "other", evidence)["id"]
    person_id = ids.new_id()
    store.db.execute(_PERSON_INSERT, (person_id, values["consent_given_by"], stamp, stamp))
    recorded_by = acting_name(store.actor, None, "") or "system"
    row = {"id": ids.new_id(), "application_id": application_id, "given_by_person_id": person_id,
           "given_on": values["consent_date"], "expires_on": values["consent_expires"],
           "scope": values["consent_scopes"], "recorded_by": recorded_by, "recorded_at": stamp,
           "evidence_id": evidence_id, "note": note}  # fmt: skip
    columns = list(row)
    store.db.execute(f"INSERT INTO consents ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                     [row[c] for c in columns])  # fmt: skip
    store._outbox("consent", row["id"], "insert", {**row, "given_by": values["consent_given_by"]})
    details = {"consent": row["id"], "scope": row["scope"], "given_on": row["given_on"],
               "expires_on": row["expires_on"]}  # references and dates: never the giver's name
    store.audit("consent_recorded", ref[0], details)
    return _consent({**row, "given_by": values["consent_given_by"], "revoked_on": None, "revoked_by": None})


def from_intake(store: Store, application_id: str, values: dict) -> Consent | None:
    """The consent an intake form (or a demo record) holds, recorded with the save (call inside its
    transaction) unless the latest record already says the same. A form without a giver names the
    legal representative, who signs the authorisation unless someone else is authorised."""
    if not values.get("consent_given") or not values.get("consent_date"):
        return None
    raw = {"consent_given_by": values.get("consent_given_by") or values.get("legal_rep_name"),
           "consent_date": values["consent_date"], "consent_expires": values.get("consent_expires"),
           "consent_scopes": values.get("consent_scopes") or "tax,credit"}  # fmt: skip
    checked, findings = check(raw, clock.today())
    if findings:
        raise ValidationFailed(findings)
    same = [c for c in for_application(store, application_id) if c.revoked_on is None
            and (c.given_by, c.given_on.isoformat(), c.expires_on.isoformat(), c.scope_code)
            == (checked["consent_given_by"], checked["consent_date"], checked["consent_expires"],
                checked["consent_scopes"])]  # fmt: skip
    if same:
        return same[-1]
    store.actor.require("record_consent")
    return _insert(store, application_id, checked, None, None)


def revoke(store: Store, application_id: str, on: dt.date | None = None) -> list[Consent]:
    """Revoke every consent of the application not revoked yet (the applicant withdrew it); returns
    them. Nothing to revoke raises ConsentRefused."""
    store.actor.require("revoke_consent")
    day = (on or clock.today()).isoformat()
    by = acting_name(store.actor, None, "") or "system"
    with store.db.atomic():
        open_ = [c for c in for_application(store, application_id) if c.revoked_on is None]
        if not open_:
            raise ConsentRefused("missing", "there is no consent on record to revoke", "没有可撤销的授权记录")
        ref = store.db.execute("SELECT ref FROM applications WHERE id = ?", (application_id,)).fetchone()[0]
        for c in open_:
            store.db.execute("UPDATE consents SET revoked_on = ?, revoked_by = ? WHERE id = ?", (day, by, c.id))
            store._outbox("consent", c.id, "update", {"revoked_on": day, "revoked_by": by})
        store.audit("consent_revoked", ref, {"consents": [c.id for c in open_], "revoked_on": day})
    return [c for c in for_application(store, application_id) if c.id in {o.id for o in open_}]


def require_valid(store: Store, application_id: str, needed, day: dt.date) -> Consent | None:
    """Raise ConsentRefused (naming the application) unless a consent valid on ``day`` covers ``needed``;
    returns the newest valid consent (None when nothing is needed and none is valid)."""
    consents = for_application(store, application_id)
    refused = judge(consents, needed, day)
    if refused is not None:
        ref = store.db.execute("SELECT ref FROM applications WHERE id = ?", (application_id,)).fetchone()
        raise refused.for_application(ref[0] if ref else application_id)
    valid = [c for c in consents if c.valid_on(day)]
    return valid[-1] if valid else None


def latest(store: Store, application_id: str, day: dt.date | None = None) -> Consent | None:
    """The consent to show: the newest valid on ``day`` (default today), else the newest of any kind."""
    consents = for_application(store, application_id)
    day = day or clock.today()
    valid = [c for c in consents if c.valid_on(day)]
    return (valid or consents or [None])[-1]


__all__ = ["convert_inline", "create_table", "for_application", "from_intake", "latest", "listing", "record",
           "require_valid", "revoke"]
