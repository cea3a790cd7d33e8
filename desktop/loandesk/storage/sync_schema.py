"""m014: the device's sync state (issue 9): the hub's view of shared records, head-office decisions,
the conflict inbox, the quarantine and rule packs waiting for their effective date.

``outbox`` gains ``base_version``/``base_data``: the hub version (and state) a local edit was made on,
copied from ``sync_base`` by a trigger in the same statement that appends the operation, so no write
path can forget it. The push sends only the fields that differ from that base, so two devices editing
different fields of one enterprise merge instead of conflicting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m014_sync_state(db: Database) -> None:
    db.executescript(
        """
        -- Per shared record: the hub state the local copy reflects (the base of the next local edit) and
        -- the newest hub state pulled (ahead of the base while unsent local edits wait).
        CREATE TABLE sync_base (
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            hub_version INTEGER NOT NULL,
            hub_data TEXT NOT NULL,
            field_origins TEXT NOT NULL DEFAULT '{}',   -- field -> device that last changed it on the hub
            PRIMARY KEY (entity, entity_id)
        );
        ALTER TABLE outbox ADD COLUMN base_version INTEGER;
        ALTER TABLE outbox ADD COLUMN base_data TEXT;
        CREATE TRIGGER outbox_base AFTER INSERT ON outbox
        WHEN NEW.base_version IS NULL AND NEW.entity IN ('enterprise', 'application') BEGIN
            UPDATE outbox SET
                base_version = (SELECT version FROM sync_base WHERE entity = NEW.entity AND entity_id = NEW.entity_id),
                base_data = (SELECT data FROM sync_base WHERE entity = NEW.entity AND entity_id = NEW.entity_id)
            WHERE seq = NEW.seq;
        END;
        CREATE INDEX outbox_entity ON outbox(entity, entity_id);
        -- Head office's decisions: records of their own, never written over captured data.
        CREATE TABLE hub_decisions (
            id TEXT PRIMARY KEY,
            application_id TEXT NOT NULL,
            application_ref TEXT,
            decision TEXT NOT NULL CHECK (decision IN ('approve', 'decline')),
            limit_amount INTEGER,
            decided_by TEXT NOT NULL,
            note TEXT,
            decided_at TEXT NOT NULL,
            cursor TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE INDEX hub_decisions_application ON hub_decisions(application_id, decided_at);
        -- The conflict inbox: the same field changed here and elsewhere; a person chooses.
        CREATE TABLE sync_conflicts (
            id TEXT PRIMARY KEY,
            hub_conflict_id TEXT UNIQUE,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            local_value TEXT,                       -- JSON
            remote_value TEXT,                      -- JSON
            remote_version INTEGER,
            remote_device TEXT,
            local_device TEXT,
            local_at TEXT,
            detected_at TEXT NOT NULL,
            resolved_at TEXT,
            resolved_by TEXT,
            resolution TEXT CHECK (resolution IN ('local', 'remote', 'value')),
            hub_closed INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX sync_conflicts_open ON sync_conflicts(entity, entity_id, field) WHERE resolved_at IS NULL;
        -- Operations the hub refused, kept with its reason; later operations on the same record wait.
        CREATE TABLE quarantine (
            op_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            code INTEGER,
            reason TEXT NOT NULL,
            quarantined_at TEXT NOT NULL,
            retries INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'retried')),
            payload TEXT,                           -- what was refused, as it was sent (kept after a retry)
            replaced_by TEXT                        -- the new operation an edited retry made
        );
        CREATE INDEX quarantine_entity ON quarantine(entity, entity_id);
        -- Rule packs published by head office: verified on arrival, put in force on their effective date.
        CREATE TABLE hub_rule_packs (
            id TEXT PRIMARY KEY,
            pack_id TEXT,
            version TEXT,
            hash TEXT,
            effective TEXT,
            data TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('waiting', 'installed', 'refused')),
            reason TEXT,
            received_at TEXT NOT NULL,
            installed_at TEXT
        );
        """
    )
