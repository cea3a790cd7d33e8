"""Attached documents (licence scans, photos) kept in the data home, encrypted at rest.

Each file is stored once under ``<home>/attachments/<sha256 of content>`` encrypted with
AES-256-GCM under a key derived (HKDF) from the store key, so a copied data home
reveals nothing; content addressing also suits resumable chunked sync later.
The row in ``attachments`` is written in the same transaction as its outbox record.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from loandesk.core import ids

from .keys import FileKeyProvider

MAX_BYTES = 50 * 1024 * 1024
DOC_TYPES = ("business_licence", "id_card", "tax_certificate", "financial_statement", "site_photo", "other")


class AttachmentError(ValueError):
    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.zh = zh or en


def _key(store) -> bytes:
    """Derived from the key the store was opened with (in memory: a home with a key ring has no key
    file), so attachments open exactly when the store does."""
    master = store.key if store.key is not None else bytes.fromhex(FileKeyProvider(store.home).key_hex())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"loandesk attachments v1").derive(master)


PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600  # owner-only, like the rest of the data home


def _private_folders(home: Path, folder: Path) -> None:
    """attachments/ and its fan-out folders, owner-only whatever the umask (mkdir's mode is cut by it)."""
    top = home / "attachments"
    for path in (top, folder):
        path.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        if path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FOLDER)


def _blob_path(home: Path, digest: str) -> Path:
    return home / "attachments" / digest[:2] / digest


def add_attachment(store, application_id: str, doc_type: str, source: str | os.PathLike) -> dict:
    store.actor.require("capture")
    source = Path(source)
    if doc_type not in DOC_TYPES:
        raise AttachmentError(f"unknown document type {doc_type!r}")
    if not source.is_file():
        raise AttachmentError(f"{source} is not a readable file")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise AttachmentError(f"{source.name} is larger than {MAX_BYTES // 1024 // 1024} MB")
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    blob = _blob_path(store.home, digest)
    if not blob.exists():
        _private_folders(store.home, blob.parent)
        nonce = os.urandom(12)
        sealed = nonce + AESGCM(_key(store)).encrypt(nonce, data, digest.encode())
        tmp = blob.with_name(f".{blob.name}.{os.getpid()}.part")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            with os.fdopen(fd, "wb") as fh:
                fh.write(sealed)
            os.replace(tmp, blob)  # the blob appears whole or not at all
        finally:
            tmp.unlink(missing_ok=True)
    row = {
        "id": ids.new_id(),
        "application_id": application_id,
        "doc_type": doc_type,
        "file_name": source.name,
        "sha256": digest,
        "size": size,
        "added_at": _now(),
    }
    with store.db.atomic():
        store.db["attachments"].insert(row)
        store._outbox("attachment", row["id"], "insert", row)
    return row


def attachments_for(store, application_id: str) -> list[dict]:
    return list(
        store.db.query("SELECT * FROM attachments WHERE application_id = ? ORDER BY added_at", [application_id])
    )


def read_attachment(store, attachment_id: str) -> bytes:
    row = store.db.execute("SELECT sha256 FROM attachments WHERE id = ?", (attachment_id,)).fetchone()
    if row is None:
        raise AttachmentError("no such attachment")
    return read_blob(store, row[0])


def read_blob(store, digest: str) -> bytes:
    """A stored file (attachment or visit photo) by its content hash, decrypted and checked against it.
    AttachmentError when the file is gone, cannot be decrypted or does not match."""
    from cryptography.exceptions import InvalidTag

    try:
        sealed = _blob_path(store.home, digest).read_bytes()
        data = AESGCM(_key(store)).decrypt(sealed[:12], sealed[12:], digest.encode())
    except FileNotFoundError:
        raise AttachmentError(f"the file {digest[:12]}… is missing from the data home",
                              f"文件 {digest[:12]}… 不在数据目录中") from None
    except InvalidTag:
        raise AttachmentError(f"the file {digest[:12]}… cannot be decrypted with this home's key",
                              f"文件 {digest[:12]}… 无法用本数据目录的密钥解密") from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise AttachmentError("attachment content does not match its hash", "附件内容与其校验值不符")
    return data


def remove_attachment(store, attachment_id: str) -> None:
    with store.db.atomic():
        store.db.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
        store._outbox("attachment", attachment_id, "delete", {})


def _now() -> str:
    from .store import now

    return now()
