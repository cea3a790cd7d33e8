"""Argon2id, the one key-derivation function: password hashes for sign-in and keys that wrap the store key.

The parameters are stored beside every hash and wrapped key, so a later release can raise them and
still open what an earlier one wrote. Defaults follow RFC 9106's second recommended option (64 MiB,
3 passes), which costs a fraction of a second on a branch laptop; ``tests/benchmarks/bench_login``
measures it.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2
    algorithm: str = "argon2id"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> KdfParams:
        params = cls(int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"]),
                     str(data.get("algorithm", "argon2id")))  # fmt: skip
        if params.algorithm != "argon2id":
            raise ValueError(f"unsupported key derivation {params.algorithm!r}")
        # Refuse parameters so weak that a copied key ring could be brute-forced cheaply.
        if params.time_cost < 1 or params.memory_kib < 8 * 1024 or not 1 <= params.parallelism <= 16:
            raise ValueError("key derivation parameters are below the minimum")
        return params


DEFAULT = KdfParams()
# LOANDESK_KDF=fast lowers the cost for test suites, which derive hundreds of keys; never for real data.
FAST = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)


def current_params() -> KdfParams:
    return FAST if os.environ.get("LOANDESK_KDF") == "fast" else DEFAULT


def new_salt() -> bytes:
    return os.urandom(16)


def derive(password: str, salt: bytes, params: KdfParams, length: int = 32) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_kib, parallelism=params.parallelism,
                           hash_len=length, type=Type.ID)  # fmt: skip
