"""Rule packs from the network are signed by the hub (Ed25519) and checked against the key pinned
at enrolment before anything is stored as installable.

The signed bytes are the canonical JSON (``protocol.canonical_json``) of the pack record without its
``signature`` field: the pack's TOML text and card, its id, version, hash and dates. A pack without a
signature, with one that does not verify, or whose text does not hash to the hash it names, is
refused with a reason; it is never installed.
"""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from loandesk.sync import protocol as p

SIGNATURE = "signature"


def signed_bytes(data: dict) -> bytes:
    return p.canonical_json({k: v for k, v in data.items() if k != SIGNATURE})


def refusal(data: dict, public_key_b64: str | None) -> tuple[str, str] | None:
    """Why this pack must be refused (en, zh), or None when its signature holds."""
    if not public_key_b64:
        return ("no hub signing key is pinned on this device: enrol it again to receive rule packs",
                "本设备未登记总行中心的签名公钥：请重新注册后再接收规则包")  # fmt: skip
    signature = data.get(SIGNATURE)
    if not signature or not isinstance(signature, str):
        return "the rule pack is not signed by the hub", "规则包没有总行中心的签名"
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(signature, validate=True), signed_bytes(data))
    except (InvalidSignature, ValueError):
        return ("the rule pack's signature does not match its content: it was altered or signed by another hub",
                "规则包签名与内容不符：内容被改动或并非本中心签发")  # fmt: skip
    return None
