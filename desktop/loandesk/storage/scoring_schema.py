"""Tables for scoring (owned by the scoring package; applied by migration m004).

decisions   every scoring of a stored application: the pack (id, version, hash), a JSON snapshot
            of its inputs for exact replay, and the self-describing result (labels in zh and en).
rule_packs  every pack installed or used, with its exact text (and card), keyed by hash: a stored
            decision can always be replayed under the rules that made it. settings.rule_pack holds
            the hash of the pack in force.
overrides   an officer's override of a decision (with a reason) and the approver's confirmation:
            maker-checker, a different person, recorded and counted.
"""

from sqlite_utils import Database


def create(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE decisions (
            id TEXT PRIMARY KEY,
            application_id TEXT NOT NULL REFERENCES applications(id),
            credit_code TEXT,                -- for the limit-shopping check across applications
            pack_id TEXT NOT NULL,
            pack_version TEXT NOT NULL,
            pack_hash TEXT NOT NULL,
            inputs TEXT NOT NULL,            -- JSON snapshot of every input, for exact replay
            as_of TEXT NOT NULL,             -- the date months in operation were counted to
            result TEXT NOT NULL,            -- JSON: factors, knock-outs, reasons, what-would-change
            score REAL,
            grade TEXT,
            decision TEXT NOT NULL,          -- approve / refer / decline
            limit_amount INTEGER,
            rate REAL,
            flags TEXT NOT NULL DEFAULT '[]',-- JSON list, e.g. re-entered figures (limit shopping)
            officer TEXT,
            is_current INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE INDEX decisions_application ON decisions(application_id, is_current);
        CREATE INDEX decisions_credit_code ON decisions(credit_code, created_at);
        CREATE TABLE rule_packs (
            hash TEXT PRIMARY KEY,
            pack_id TEXT NOT NULL,
            version TEXT NOT NULL,
            source TEXT NOT NULL,
            text TEXT NOT NULL,
            card_text TEXT,
            installed_at TEXT NOT NULL
        );
        CREATE TABLE overrides (
            id TEXT PRIMARY KEY,
            decision_id TEXT NOT NULL REFERENCES decisions(id),
            application_id TEXT NOT NULL REFERENCES applications(id),
            from_decision TEXT NOT NULL,
            to_decision TEXT NOT NULL,
            to_limit INTEGER,
            reason TEXT NOT NULL,
            officer TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',   -- pending / confirmed / rejected
            approver TEXT,
            approver_note TEXT,
            decided_at TEXT
        );
        CREATE INDEX overrides_application ON overrides(application_id, status);
        """
    )
