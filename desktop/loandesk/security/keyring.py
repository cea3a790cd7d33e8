"""The key ring: the store key wrapped once per user, in ``keyring.json`` beside the database.

The database key is random (256 bits) and never written to disk unwrapped. Each user's entry holds
it encrypted (AES-256-GCM) under a key derived from that user's password (Argon2id), with the salt
and the derivation parameters. Signing in is unwrapping: a wrong password fails the GCM tag. A
password change re-wraps one entry and never re-encrypts the store. A copy of the data home without
a password opens nothing.

The file is replaced atomically (write a 0600 temporary file, fsync, rename), so a crash or a second
process never sees half a key ring. Entries are keyed by user name; the file holds no personal data
about applicants.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from loandesk.core.i18n import pick

from . import kdf

KEYRING_FILE = "keyring.json"
FORMAT = 1


class KeyringError(Exception):
    """The key ring cannot be used; the message says why, in both languages."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def message(self, lang: str | None = None) -> str:
        return pick(self.en, self.zh, lang)


class WrongPassword(KeyringError):
    def __init__(self, user: str):
        super().__init__(f"wrong user name or password for {user!r}", f"用户名或密码错误（{user}）")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass
class Keyring:
    path: Path
    data: dict

    @classmethod
    def path_in(cls, home: Path) -> Path:
        return Path(home) / KEYRING_FILE

    @classmethod
    def exists(cls, home: Path) -> bool:
        return cls.path_in(home).exists()

    @classmethod
    def load(cls, home: Path) -> Keyring:
        path = cls.path_in(home)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyringError(f"{path} is missing: this data home has no users yet",
                               f"缺少密钥文件 {path}：该数据目录尚未建立用户") from None  # fmt: skip
        except (ValueError, UnicodeDecodeError) as exc:
            raise KeyringError(f"{path} is damaged ({type(exc).__name__}); restore it from a backup",
                               f"密钥文件 {path} 已损坏（{type(exc).__name__}），请从备份恢复") from None  # fmt: skip
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("users"), dict):
            raise KeyringError(f"{path} is not a Loan Desk key ring of format {FORMAT}",
                               f"{path} 不是第 {FORMAT} 版信贷工作台密钥文件")  # fmt: skip
        return cls(path, data)

    @classmethod
    def create(cls, home: Path, store_id: str) -> Keyring:
        """An empty key ring for a new store; ``store_id`` binds every wrapped key to this store."""
        ring = cls(cls.path_in(home), {"format": FORMAT, "store_id": store_id, "users": {}})
        return ring

    @property
    def users(self) -> list[str]:
        return sorted(self.data["users"])

    def _aad(self, user: str) -> bytes:
        # The entry only unwraps for this user of this store: entries cannot be swapped between users.
        return f"loandesk-keyring:{self.data['store_id']}:{user}".encode()

    def wrap(self, user: str, password: str, store_key: bytes, params: kdf.KdfParams | None = None) -> None:
        """Add or replace ``user``'s entry (a new user, a password change, an admin's reset)."""
        if len(store_key) != 32:
            raise ValueError("the store key must be 32 bytes")
        params = params or kdf.current_params()
        salt, nonce = kdf.new_salt(), secrets.token_bytes(12)
        kek = kdf.derive(password, salt, params)
        wrapped = AESGCM(kek).encrypt(nonce, store_key, self._aad(user))
        self.data["users"][user] = {"kdf": params.to_dict(), "salt": _b64(salt), "nonce": _b64(nonce),
                                    "wrapped": _b64(wrapped)}  # fmt: skip

    def unwrap(self, user: str, password: str) -> bytes:
        entry = self.data["users"].get(user)
        if entry is None:
            # Derive anyway so that "no such user" takes as long as "wrong password".
            kdf.derive(password, b"\0" * 16, kdf.current_params())
            raise WrongPassword(user)
        try:
            params = kdf.KdfParams.from_dict(entry["kdf"])
            salt, nonce, wrapped = _unb64(entry["salt"]), _unb64(entry["nonce"]), _unb64(entry["wrapped"])
        except (KeyError, ValueError, TypeError) as exc:
            raise KeyringError(f"{self.path}: the entry for {user!r} is damaged ({exc})",
                               f"密钥文件 {self.path} 中用户 {user} 的密钥项已损坏（{exc}）") from None  # fmt: skip
        try:
            return AESGCM(kdf.derive(password, salt, params)).decrypt(nonce, wrapped, self._aad(user))
        except InvalidTag:
            raise WrongPassword(user) from None

    def remove(self, user: str) -> None:
        self.data["users"].pop(user, None)

    def save(self) -> None:
        """Replace the file atomically, owner-only."""
        folder = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=".keyring-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.data, fh, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def new_store_key() -> bytes:
    return secrets.token_bytes(32)
