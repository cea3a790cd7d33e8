"""Personal data sealed at rest in the hub's database: legal representatives' names, ID numbers and phones.

Those fields' values are stored as AES-256-GCM ciphertext (``{"sealed": "<base64>"}``) inside records,
the change log and conflicts; the hub opens them only to merge, to answer a device of the record's
branch, or to show head office (masked unless asked). The key is a 0600 file: ``LOANDESK_HUB_KEY_FILE``,
else beside an SQLite database (``hub.db.key``), else the user's config folder (PostgreSQL). Every hub
process serving one database must hold the same key: the database keeps the key's fingerprint and a
hub with another key refuses to start, rather than write records nobody else could read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import make_url

from loandesk.core import clock

from .schema import changes, conflicts, hub_keys, records

PERSONAL_FIELDS = frozenset({"legal_rep_name", "legal_rep_id", "legal_rep_phone", "given_by"})  # given_by: consent
ENV_KEY_FILE = "LOANDESK_HUB_KEY_FILE"


class KeyMismatch(RuntimeError):
    pass


def key_path(db_url: str) -> Path:
    if os.environ.get(ENV_KEY_FILE):
        return Path(os.environ[ENV_KEY_FILE])
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database + ".key")
    from platformdirs import user_config_dir

    return Path(user_config_dir("loandesk")) / "hub.key"


def _load_or_make(path: Path) -> bytes:
    if path.exists():
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(key) != 32:
            raise KeyMismatch(f"{path} does not hold a 256-bit hex key")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    try:  # O_EXCL: hub processes starting together must not each write a different key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_or_make(path)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex())
        fh.flush()
        os.fsync(fh.fileno())
    return key


class Sealer:
    def __init__(self, key: bytes):
        self.aead = AESGCM(key)
        self.key_id = hashlib.sha256(b"loandesk-hub-key:" + key).hexdigest()[:32]

    @classmethod
    def for_database(cls, db_url: str, engine: Engine) -> Sealer:
        """The key for this database: registered by the first hub that opens it, checked by every other."""
        path = key_path(db_url)
        sealer = cls(_load_or_make(path))
        with engine.begin() as conn:
            known = conn.execute(select(hub_keys.c.key_id)).scalars().all()
            if not known:
                conn.execute(insert(hub_keys).values(key_id=sealer.key_id, created_at=clock.stamp()))
                sealer._seal_existing(conn)
            elif sealer.key_id not in known:
                raise KeyMismatch(f"the key in {path} is not this database's: copy the key file of the hub that "
                                  f"first opened it (or set {ENV_KEY_FILE})")  # fmt: skip
        return sealer

    def _seal_existing(self, conn) -> None:
        """Seal personal fields a database from before sealing holds in clear (once, with the first key)."""
        for table, keys in ((records, (records.c.entity, records.c.entity_id)), (changes, (changes.c.seq,))):
            for row in conn.execute(select(*keys, table.c.data)).all():
                data = json.loads(row.data)
                if any(k in PERSONAL_FIELDS and not isinstance(v, dict) and v is not None for k, v in data.items()):
                    where = [col == getattr(row, col.name) for col in keys]
                    conn.execute(update(table).where(*where).values(data=json.dumps(self.seal(data),
                                                                                    ensure_ascii=False)))
        for row in conn.execute(select(conflicts.c.id, conflicts.c.hub_value, conflicts.c.device_value)
                                .where(conflicts.c.field.in_(sorted(PERSONAL_FIELDS)))).all():  # fmt: skip
            values = {c: json.dumps(self.seal_value(self.open_value(json.loads(getattr(row, c)))), ensure_ascii=False)
                      for c in ("hub_value", "device_value")}  # fmt: skip
            conn.execute(update(conflicts).where(conflicts.c.id == row.id).values(**values))

    def seal_value(self, value):
        if value is None:
            return None
        nonce = secrets.token_bytes(12)
        plain = json.dumps(value, ensure_ascii=False).encode()
        return {"sealed": base64.b64encode(nonce + self.aead.encrypt(nonce, plain, b"loandesk")).decode()}

    def open_value(self, value):
        if isinstance(value, dict) and set(value) == {"sealed"}:
            raw = base64.b64decode(value["sealed"])
            return json.loads(self.aead.decrypt(raw[:12], raw[12:], b"loandesk"))
        return value

    # Most records (applications, memos, visits) hold no personal field: they come back as they are, the
    # very dict given (callers encode the result, or hand over a dict just parsed), not a copy.
    def seal(self, data: dict) -> dict:
        if PERSONAL_FIELDS.isdisjoint(data):
            return data
        return {k: self.seal_value(v) if k in PERSONAL_FIELDS else v for k, v in data.items()}

    def open(self, data: dict) -> dict:
        if PERSONAL_FIELDS.isdisjoint(data):
            return data
        return {k: self.open_value(v) if k in PERSONAL_FIELDS else v for k, v in data.items()}
