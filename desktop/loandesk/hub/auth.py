"""Device tokens and one-time enrolment codes: random, shown once, kept only as SHA-256 hashes.

A token is 256 random bits, so a plain SHA-256 (not a slow password hash) is enough to make a stolen
database useless for impersonating devices, and lets the hub find a device by its token's hash.
"""

from __future__ import annotations

import hashlib
import secrets

_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # read aloud or typed off paper: no 0/O, 1/I/L
CODE_GROUPS, CODE_GROUP_LEN = 3, 4  # 12 characters, about 59 bits; single use and expiring


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    groups = ("".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_GROUP_LEN)) for _ in range(CODE_GROUPS))
    return "-".join(groups)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def code_digest(code: str) -> str:
    return digest(normalise_code(code))
