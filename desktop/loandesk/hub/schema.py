"""The hub's tables (SQLAlchemy Core), as the latest migration leaves them.

Queries use these objects; ``migrations`` creates and alters the tables with its own snapshots, so
an old database is upgraded step by step and never from this file.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

# One-time enrolment codes: only their SHA-256 is kept.
enrol_codes = Table(
    "enrol_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("branch", String(32), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
    Column("used_by", String(64)),
)  # fmt: skip

devices = Table(
    "devices", metadata,
    Column("id", String(64), primary_key=True),  # made on the device; kept across re-enrolments
    Column("code", String(16)),
    Column("name", String(120)),
    Column("branch", String(32), nullable=False),
    Column("token_hash", String(64), unique=True),  # SHA-256 of the device's bearer token
    Column("enrolled_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
    Column("last_seen", String(40)),
    Column("unsent", Integer),  # outbox operations the device reported still waiting
)  # fmt: skip

# Every operation received: a replay gets the stored answer; the same id with another hash gets 409.
operations = Table(
    "operations", metadata,
    Column("op_id", String(36), primary_key=True),
    Column("device_id", String(64), nullable=False),
    Column("device_seq", BigInteger, nullable=False),
    Column("payload_sha256", String(64), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("entity_id", String(80), nullable=False),
    Column("status", String(12), nullable=False),
    Column("code", Integer),
    Column("reason", Text),
    Column("version", Integer),
    Column("conflicts", Text),  # JSON list of field names
    Column("hub_seq", BigInteger),
    Column("device_time", String(40)),
    Column("received_at", String(40), nullable=False),
)  # fmt: skip

# The current state of every record, with a version per field so devices can merge field by field.
records = Table(
    "records", metadata,
    Column("entity", String(20), primary_key=True),
    Column("entity_id", String(80), primary_key=True),
    Column("branch", String(32), nullable=False),
    Column("ref", String(80)),  # what people quote: A-..., E-..., M-..., a pack's hash
    Column("file_sha256", String(64)),  # memos: the SHA-256 of the issued PDF
    Column("version", Integer, nullable=False),
    Column("field_versions", Text, nullable=False),  # JSON {field: version it last changed at}
    Column("field_devices", Text, nullable=False),  # JSON {field: device that last changed it}
    Column("data", Text, nullable=False),  # JSON
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)  # fmt: skip

# The change log devices pull from; ``seq`` order is commit order (see service.append_changes).
changes = Table(
    "changes", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("entity", String(20), nullable=False),
    Column("entity_id", String(80), nullable=False),
    Column("branch", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("op_id", String(36)),
    Column("origin_device", String(64)),
    Column("data", Text, nullable=False),
    Column("committed_at", String(40), nullable=False),
)  # fmt: skip

conflicts = Table(
    "conflicts", metadata,
    Column("id", String(36), primary_key=True),
    Column("entity", String(20), nullable=False),
    Column("entity_id", String(80), nullable=False),
    Column("branch", String(32), nullable=False),
    Column("field", String(64), nullable=False),
    Column("base_version", Integer),
    Column("hub_version", Integer, nullable=False),
    Column("hub_value", Text),  # JSON
    Column("device_value", Text),  # JSON
    Column("op_id", String(36), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("detected_at", String(40), nullable=False),
    Column("resolved_at", String(40)),
    Column("resolved_by", String(80)),
    Column("resolution", String(10)),  # m003: whose value was kept, hub or device
)  # fmt: skip

blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("chunk_size", Integer, nullable=False),
    Column("branch", String(32), nullable=False),
    Column("complete", Integer, nullable=False),
    Column("created_at", String(40), nullable=False),
)  # fmt: skip

blob_chunks = Table(
    "blob_chunks", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)  # fmt: skip

# The fingerprint of the key personal data is sealed with (m004): a hub holding another key refuses to start.
hub_keys = Table(
    "hub_keys", metadata,
    Column("key_id", String(64), primary_key=True),
    Column("created_at", String(40), nullable=False),
)  # fmt: skip

# Devices' audit trails (m005): records as sealed on the device, and where each chain stands.
audit_records = Table(
    "audit_records", metadata,
    Column("device_id", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("record", Text, nullable=False),
    Column("received_at", String(40), nullable=False),
)  # fmt: skip

audit_heads = Table(
    "audit_heads", metadata,
    Column("device_id", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("problem", Text),
    Column("problem_at", String(40)),
    Column("updated_at", String(40), nullable=False),
)  # fmt: skip

schema_migrations = Table(
    "hub_schema", metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(80), nullable=False),
    Column("applied_at", String(40), nullable=False),
)  # fmt: skip
