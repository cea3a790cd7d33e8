"""Versioned migrations over SQLAlchemy Core: the same steps on SQLite and PostgreSQL.

Each step runs in its own transaction and records its number in ``hub_schema``; a database newer
than this code is refused (an old hub must not write into a newer schema). On PostgreSQL an advisory
lock makes hub processes starting together migrate one after another. A step builds its tables from
its own frozen definitions, never from ``schema.py`` (which is the latest state), so an old database
upgrades step by step.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

from loandesk.core import clock

from .schema import schema_migrations

MIGRATION_LOCK = 0x10AD_0001  # pg_advisory_xact_lock key while migrating


class SchemaTooNew(RuntimeError):
    pass


def m001_initial(conn: Connection) -> None:
    md = MetaData()
    # One-time enrolment codes: only their SHA-256 is kept.
    Table(
        "enrol_codes", md,
        Column("code_hash", String(64), primary_key=True),
        Column("branch", String(32), nullable=False),
        Column("created_at", String(40), nullable=False),
        Column("expires_at", String(40), nullable=False),
        Column("used_at", String(40)),
        Column("used_by", String(64)),
    )  # fmt: skip

    Table(
        "devices", md,
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
    Table(
        "operations", md,
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
    Table(
        "records", md,
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
    Table(
        "changes", md,
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

    Table(
        "conflicts", md,
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
    )  # fmt: skip

    Table(
        "blobs", md,
        Column("sha256", String(64), primary_key=True),
        Column("size", BigInteger, nullable=False),
        Column("chunk_size", Integer, nullable=False),
        Column("branch", String(32), nullable=False),
        Column("complete", Integer, nullable=False),
        Column("created_at", String(40), nullable=False),
    )  # fmt: skip

    Table(
        "blob_chunks", md,
        Column("sha256", String(64), primary_key=True),
        Column("idx", Integer, primary_key=True),
        Column("data", LargeBinary, nullable=False),
    )  # fmt: skip

    Table(
        "hub_schema", md,
        Column("version", Integer, primary_key=True),
        Column("name", String(80), nullable=False),
        Column("applied_at", String(40), nullable=False),
    )  # fmt: skip
    md.create_all(conn)


def m002_lookup_indexes(conn: Connection) -> None:
    """Indexes for what head office looks up: records by reference or PDF hash, pulls by branch."""
    conn.execute(text("CREATE INDEX IF NOT EXISTS records_ref ON records(entity, ref)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS records_file ON records(file_sha256)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS changes_branch ON changes(branch, seq)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS operations_device ON operations(device_id, device_seq)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS conflicts_open ON conflicts(branch, resolved_at)"))


def m003_conflict_resolution(conn: Connection) -> None:
    """Record whose value a person kept when settling a conflict."""
    conn.execute(text("ALTER TABLE conflicts ADD COLUMN resolution VARCHAR(10)"))


def m004_sealed_personal_data(conn: Connection) -> None:
    """The key fingerprint table; personal fields already stored in clear are sealed when a hub first
    opens the database with its key (``sealing.Sealer.for_database``)."""
    md = MetaData()
    Table("hub_keys", md, Column("key_id", String(64), primary_key=True),
          Column("created_at", String(40), nullable=False))  # fmt: skip
    md.create_all(conn)


def m005_audit_chains(conn: Connection) -> None:
    """Each device's audit trail as received, and the head of its chain (issue 8: the hub checks it)."""
    md = MetaData()
    Table("audit_records", md,
          Column("device_id", String(64), primary_key=True),
          Column("seq", BigInteger, primary_key=True),
          Column("hash", String(64), nullable=False),
          Column("prev_hash", String(64), nullable=False),
          Column("record", Text, nullable=False),  # the record's JSON as the device sealed it
          Column("received_at", String(40), nullable=False))  # fmt: skip
    Table("audit_heads", md,
          Column("device_id", String(64), primary_key=True),
          Column("seq", BigInteger, nullable=False),
          Column("hash", String(64), nullable=False),
          Column("problem", Text),  # the first break the hub refused, kept for head office
          Column("problem_at", String(40)),
          Column("updated_at", String(40), nullable=False))  # fmt: skip
    md.create_all(conn)


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial", m001_initial),
    (2, "lookup_indexes", m002_lookup_indexes),
    (3, "conflict_resolution", m003_conflict_resolution),
    (4, "sealed_personal_data", m004_sealed_personal_data),
    (5, "audit_chains", m005_audit_chains),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("hub_schema"):
        return 0
    return conn.execute(select(schema_migrations.c.version).order_by(schema_migrations.c.version.desc())).scalar() or 0


def apply(engine: Engine) -> int:
    """Bring the database to ``LATEST``; returns the version it is at. Refuses a newer database."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        version = current_version(conn)
        if version > LATEST:
            raise SchemaTooNew(f"the hub database is at schema version {version}, newer than this hub "
                               f"({LATEST}): upgrade the hub software first")
        if version == 0:
            schema_migrations.create(conn, checkfirst=True)
        for number, name, step in MIGRATIONS:
            if number > version:
                step(conn)
                conn.execute(schema_migrations.insert().values(version=number, name=name, applied_at=clock.stamp()))
                version = number
    return version
