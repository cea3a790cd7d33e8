"""The sync protocol between a device and the head-office hub: the one module both sides import.

Wire rules (version ``PROTOCOL_VERSION``, sent by the device as the ``X-Loandesk-Protocol`` header):

* Every request body is a strict pydantic model (``extra='forbid'``): an unknown field is a 422.
* An operation carries an id made on the device (UUIDv7) and the SHA-256 of its canonical JSON
  payload. Sending it again with the same hash is acknowledged again (``duplicate``); a push that
  reuses an operation id with another hash is refused as a whole with 409 and nothing in it is
  applied, the body naming the offending operations (``reused``): the device quarantines those
  (what it sent was frozen: an edit is a new operation) and pushes the rest again, so one bad
  operation never stalls the queue. Every other refusal of an operation (another branch's record,
  a bad payload, a hash that does not match) is a per-operation ``rejected`` answer inside a
  successful response.
* Pull is by an opaque cursor the hub hands out (a position in its commit-ordered change log),
  never by time. The device's clock is shown, never used for ordering.
* Attachments are content-addressed: chunks are put by index, the device asks which the hub holds
  after an interruption, and the whole is checked against its SHA-256 on completion.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import to_json

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS = (1,)
PROTOCOL_HEADER = "X-Loandesk-Protocol"
MAX_OPS_PER_PUSH = 500
CHUNK_SIZE = 256 * 1024  # attachment chunk bytes (the last chunk may be shorter)

# Entities a device may push, and those only head office makes (they flow down in pulls).
DEVICE_ENTITIES = ("application", "enterprise", "visit", "memo", "score", "override", "approval", "attachment",
                   "pack_install", "audit", "consent", "approval_set_aside")  # consents: revoked_on/by change
HUB_ENTITIES = ("decision", "rule_pack")
# Written once; a memo may only change its standing.
IMMUTABLE_ENTITIES = ("memo", "score", "approval", "pack_install", "audit", "approval_set_aside")
Entity = Literal["application", "enterprise", "visit", "memo", "score", "override", "approval", "attachment",
                 "pack_install", "audit", "decision", "rule_pack", "consent", "approval_set_aside"]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


# One encoder: json.dumps with options builds a new one on every call, a fifth of a hash's cost.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
# Values pydantic-core's encoder writes byte for byte as the one above does (every code point is checked
# in the tests); it writes floats in another form (0.00001 for 1e-05), so those never take its path.
_PLAIN, _KEYS = frozenset({str, int, bool, type(None)}), frozenset({str})


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value both sides hash: sorted keys, no spaces, UTF-8."""
    if type(value) is dict and _PLAIN.issuperset(map(type, value.values())) and _KEYS.issuperset(map(type, value)):
        # a flat record's payload, the hub's hot path (a hash per operation): a fifth of json's time
        return to_json(dict(sorted(value.items())))
    return _CANONICAL(value).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload_hash(payload: dict) -> str:
    return sha256_hex(canonical_json(payload))


def is_uuid7(text: str) -> bool:
    try:
        return uuid.UUID(text).version == 7 and str(uuid.UUID(text)) == text
    except (ValueError, AttributeError):
        return False


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- enrolment -------------------------------------------------------------------------------------
class EnrollRequest(Strict):
    code: Annotated[str, Field(min_length=4, max_length=64)]
    device_id: Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
    device_code: Annotated[str, Field(max_length=16)] | None = None  # the short code in its reference numbers
    name: Annotated[str, Field(max_length=120)] | None = None


class EnrollResponse(Strict):
    device_id: str
    branch: str
    token: str  # shown once: the hub keeps only its SHA-256
    signing_key: str | None = None  # the hub's Ed25519 public key (base64): the device pins it


# ---- push ------------------------------------------------------------------------------------------
class Operation(Strict):
    op_id: str
    device_seq: Annotated[int, Field(ge=1)]
    # Any entity name is well formed: one this hub does not know (a newer device's) is refused for that
    # operation alone, so it never turns the whole push into a 422 that would stall the queue.
    entity: Annotated[str, Field(pattern=r"^[a-z][a-z_]{0,29}$")]
    entity_id: Annotated[str, Field(min_length=1, max_length=80)]
    op: Literal["insert", "update", "delete"]
    base_version: Annotated[int, Field(ge=0)] | None = None  # the hub version the edit was made on
    changed: list[str] = Field(default_factory=list, max_length=200)  # fields this op changes (all on insert)
    payload: dict[str, Any]
    payload_sha256: Sha256
    schema_version: Annotated[int, Field(ge=1)]
    user: Annotated[str, Field(max_length=80)] | None = None
    device: Annotated[str, Field(min_length=1, max_length=64)]
    device_time: Annotated[str, Field(max_length=40)]  # shown, never used for ordering

    @field_validator("op_id")
    @classmethod
    def _uuid7(cls, value: str) -> str:
        if not is_uuid7(value):
            raise ValueError("op_id must be a UUIDv7 in canonical form")
        return value

    @field_validator("changed")
    @classmethod
    def _fields(cls, value: list[str]) -> list[str]:
        bad = [f for f in value if not FIELD_NAME.match(f)]
        if bad:
            raise ValueError(f"not field names: {bad[:3]}")
        return value

    @classmethod
    def build(cls, **kwargs: Any) -> Operation:
        """An operation with its payload hash computed (the device side's constructor)."""
        return cls(payload_sha256=payload_hash(kwargs["payload"]), **kwargs)


class PushRequest(Strict):
    device: Annotated[str, Field(min_length=1, max_length=64)]
    ops: list[Operation] = Field(max_length=MAX_OPS_PER_PUSH)
    unsent: Annotated[int, Field(ge=0)] | None = None  # operations still waiting on the device (for head office)


OpStatus = Literal["applied", "duplicate", "rejected"]


class OpResult(Strict):
    op_id: str
    status: OpStatus
    code: int | None = None  # for rejected: the HTTP-like reason class (403, 409, 422; 424 waits behind one)
    reason: str | None = None
    version: int | None = None  # the record's hub version after this op
    conflicts: list[str] = Field(default_factory=list)  # fields kept at the hub's value (see Conflict)
    hub_seq: str | None = None  # the change-log cursor of this op's change, when it made one


class PushResponse(Strict):
    results: list[OpResult]


class Refusal(Strict):
    """The JSON body of every refused request."""

    error: str  # a stable code: unauthorized, revoked, forbidden, reused, too_large, malformed, protocol, ...
    detail: str
    reused: list[str] = Field(default_factory=list)  # 409: the operation ids reused with other content
    supported: list[int] = Field(default_factory=list)  # 426: protocol versions the hub speaks


# ---- pull ------------------------------------------------------------------------------------------
class Change(Strict):
    cursor: str  # the position just after this change
    entity: Entity
    entity_id: str
    version: int
    branch: str  # the branch the record belongs to, or "*" for every branch (rule packs)
    data: dict[str, Any]  # the record's whole state after the change
    origin_device: str | None = None
    op_id: str | None = None


class PullResponse(Strict):
    changes: list[Change]
    cursor: str  # resume from here
    more: bool


class Conflict(Strict):
    """A field change the hub did not apply because the field had changed since the device's base version
    (and not by that device): the hub keeps its value and records both for a person to resolve."""

    id: str
    entity: Entity
    entity_id: str
    field: str
    base_version: int | None
    hub_version: int
    hub_value: Any
    device_value: Any
    op_id: str
    device: str
    detected_at: str
    resolved_at: str | None = None
    resolved_by: str | None = None
    resolution: Literal["hub", "device"] | None = None  # whose value was kept


class ConflictClose(Strict):
    """A device settled a conflict about its edit: ``device`` (its value, sent as a new operation) or
    ``hub`` (the hub's value kept). Only closes the hub's record of it."""

    kept: Literal["hub", "device"]
    by: Annotated[str, Field(min_length=1, max_length=80)]


# ---- audit trail ---------------------------------------------------------------------------------
class AuditRecord(Strict):
    seq: Annotated[int, Field(ge=1)]
    at: Annotated[str, Field(max_length=40)]
    user: Annotated[str, Field(max_length=80)]
    device: Annotated[str, Field(max_length=80)]
    action: Annotated[str, Field(max_length=80)]
    target: Annotated[str, Field(max_length=200)] | None = None
    details: dict[str, Any] | None = None
    prev_hash: Sha256
    hash: Sha256


class AuditPush(Strict):
    device: Annotated[str, Field(min_length=1, max_length=64)]
    records: list[AuditRecord] = Field(max_length=MAX_OPS_PER_PUSH)


class AuditAnswer(Strict):
    accepted: int  # records new to the hub (a resend of what it holds is accepted again, not counted)
    head_seq: int
    head_hash: str


class Record(Strict):
    entity: Entity
    entity_id: str
    branch: str
    version: int
    field_versions: dict[str, int]
    data: dict[str, Any]
    updated_at: str


# ---- attachments -----------------------------------------------------------------------------------
class BlobStart(Strict):
    sha256: Sha256
    size: Annotated[int, Field(ge=0, le=64 * 1024 * 1024)]
    chunk_size: Annotated[int, Field(ge=1024, le=4 * 1024 * 1024)] = CHUNK_SIZE


class BlobStatus(Strict):
    sha256: str
    size: int
    chunk_size: int
    chunks: int  # how many chunks the whole has
    have: list[int]  # the chunk indexes the hub holds
    complete: bool


class Health(Strict):
    status: Literal["ok"]
    database: Literal["sqlite", "postgresql"]
    schema_version: int
    protocol: int
