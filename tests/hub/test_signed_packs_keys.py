"""The hub's signing key and the device's check, without a network: a pack verifies only with the hub's
own key and only as it was signed."""

from __future__ import annotations

import os
import stat

from loandesk.hub.signing import Signer, signing_key_path
from loandesk.sync.pack_signing import refusal

PACK = {"pack_id": "p", "version": "1", "hash": "ab" * 32, "effective": "2026-01-01", "expires": "2027-01-01",
        "text": "[pack]\nid = \"p\"\n", "card_text": None, "published_at": "2026-01-01T00:00:00+00:00"}  # fmt: skip


def test_the_key_is_made_once_private_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("LOANDESK_HUB_KEY_FILE", str(tmp_path / "hub.key"))
    url = f"sqlite:///{tmp_path}/hub.db"
    first, second = Signer.for_database(url), Signer.for_database(url)
    path = signing_key_path(url)
    assert path.name == "hub.sign.pem" and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert first.public_key() == second.public_key()


def test_a_pack_verifies_only_with_the_hubs_key_and_only_as_signed(tmp_path, monkeypatch):
    monkeypatch.setenv("LOANDESK_HUB_KEY_FILE", str(tmp_path / "a" / "hub.key"))
    ours = Signer.for_database(f"sqlite:///{tmp_path}/a.db")
    monkeypatch.setenv("LOANDESK_HUB_KEY_FILE", str(tmp_path / "b" / "hub.key"))
    other = Signer.for_database(f"sqlite:///{tmp_path}/b.db")
    signed = ours.sign(PACK)
    assert refusal(signed, ours.public_key()) is None
    assert "another hub" in refusal(signed, other.public_key())[0]  # signed by a hub this device does not know
    assert "altered" in refusal({**signed, "effective": "2025-01-01"}, ours.public_key())[0]
    assert "altered" in refusal({**signed, "text": signed["text"] + "x"}, ours.public_key())[0]
    assert "not signed" in refusal(PACK, ours.public_key())[0]
    assert "altered" in refusal({**signed, "signature": "!!not base64!!"}, ours.public_key())[0]
    assert "enrol it again" in refusal(signed, None)[0] and "重新注册" in refusal(signed, None)[1]
