"""The memo's QR matrix is exactly the one segno makes for the same text (error M, mask 4).

``qr.qr_matrix`` builds it faster (the modules that never hold data are worked out once per
version); a scanner must read the same code either way, so whole matrices are compared."""

from __future__ import annotations

import random
import string

import segno

from loandesk.memo import qr


def _segno(text: str) -> list[bytes]:
    return [bytes(row) for row in segno.make(text, error="m", micro=False, mask=qr.MASK).matrix]


def test_memo_payloads_give_segnos_matrix():
    rng = random.Random(7)
    for k in range(60):
        branch = rng.choice(["HZ01", "SH0001", "BJ"])
        text = qr.payload(f"M-{branch}-{rng.choice(['8X57', 'A1'])}-{k:06d}", f"{rng.getrandbits(256):064x}")
        assert [bytes(row) for row in qr.qr_matrix(text)] == _segno(text)


def test_every_length_and_mode_gives_segnos_matrix():
    """Numeric, alphanumeric and byte data of many lengths: other versions, boosted error levels,
    version information (version 7 and up)."""
    rng = random.Random(11)
    alphabets = (string.digits, string.ascii_uppercase + string.digits + " $%*+-./:", string.printable[:94])
    for length in range(1, 400, 9):
        for alphabet in alphabets:
            text = "".join(rng.choice(alphabet) for _ in range(length))
            assert [bytes(row) for row in qr.qr_matrix(text)] == _segno(text), (length, text)
