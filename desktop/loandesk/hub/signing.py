"""The hub's Ed25519 key pair: it signs the rule packs head office publishes.

The private key is a 0600 PEM file beside the hub's personal-data key (``sealing.key_path``: beside
an SQLite database, or ``LOANDESK_HUB_KEY_FILE``'s folder), made on first use with ``O_EXCL`` so hub
processes starting together agree on one key. Devices receive the public key at enrolment and pin
it; a pack signed by any other key is refused on the device.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from loandesk.sync.pack_signing import SIGNATURE, signed_bytes

from .sealing import key_path


def signing_key_path(db_url: str) -> Path:
    sealing = key_path(db_url)
    return sealing.with_name(sealing.name.removesuffix(".key") + ".sign.pem")


def _load_or_make(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())  # fmt: skip
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_or_make(path)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    return key


class Signer:
    def __init__(self, key: Ed25519PrivateKey):
        self.key = key

    @classmethod
    def for_database(cls, db_url: str) -> Signer:
        return cls(_load_or_make(signing_key_path(db_url)))

    def public_key(self) -> str:
        raw = self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def sign(self, data: dict) -> dict:
        """``data`` with its signature added."""
        return {**data, SIGNATURE: base64.b64encode(self.key.sign(signed_bytes(data))).decode()}
