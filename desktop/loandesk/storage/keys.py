"""Where the database key comes from.

For now a random 256-bit key kept in a 0600 file beside the data home; the
security work on the roadmap wraps it per user behind a password-derived key,
which only needs another ``KeyProvider``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Protocol

KEY_FILE = "store.key"


class KeyProvider(Protocol):
    def key_hex(self) -> str: ...


class FileKeyProvider:
    def __init__(self, home: Path):
        self.path = Path(home) / KEY_FILE

    def key_hex(self) -> str:
        if self.path.exists():
            key = self.path.read_text(encoding="ascii").strip()
            if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
                raise KeyError(f"{self.path} does not hold a 256-bit hex key")
            return key
        key = secrets.token_hex(32)
        # O_EXCL: two processes starting at once must not each write a different key.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        return key
