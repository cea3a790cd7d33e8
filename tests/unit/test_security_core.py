"""Permissions as data, the password-wrapped key ring and the audit hash chain (issue 8 foundations)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from loandesk.core import audit_chain, permissions
from loandesk.core.permissions import Actor, PermissionDenied
from loandesk.security import kdf
from loandesk.security.keyring import Keyring, KeyringError, WrongPassword, new_store_key


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setenv("LOANDESK_KDF", "fast")


# --- the permission matrix, as issue 8 states it ---------------------------------------------

ISSUE_8 = {  # role -> what the issue says the role does (a reader's check of the TOML table)
    "teller": {"capture", "search", "print_memo"},
    "officer": {"capture", "search", "print_memo", "visit", "score", "draft_memo", "request_override"},
    "approver": {"approve", "confirm_override"},
    "admin": {"manage_users", "install_rules", "enrol_device", "change_settings"},
}


@pytest.mark.parametrize("role", permissions.ROLES)
def test_each_role_may_do_what_the_issue_says_and_nothing_reserved_for_others(role):
    granted = set(permissions.actions_of(role))
    assert ISSUE_8[role] <= granted
    reserved = {"approve", "confirm_override", "manage_users", "install_rules", "enrol_device", "change_settings",
                "score", "request_override", "draft_memo"}  # fmt: skip
    others = set().union(*(ISSUE_8[r] for r in permissions.ROLES if r != role)) & reserved
    assert not (others - ISSUE_8[role]) & granted


def test_a_refusal_names_the_user_the_role_and_the_action_in_both_languages():
    teller = Actor("li.ming", "teller")
    with pytest.raises(PermissionDenied) as refused:
        teller.require("install_rules")
    assert refused.value.message("en") == "li.ming (teller) may not install rule packs"
    assert refused.value.message("zh") == "li.ming（柜员）无权安装评分规则"


def test_maker_checker_refuses_the_approver_on_their_own_record():
    approver = Actor("chen.jing", "approver")
    approver.require_other_than("wang.wei", "confirm_override")  # someone else's: fine
    with pytest.raises(PermissionDenied, match="maker-checker"):
        approver.require_other_than("chen.jing", "confirm_override")


# --- the key ring ----------------------------------------------------------------------------

def test_a_wrapped_key_opens_only_with_its_password_and_survives_a_password_change(tmp_path):
    key = new_store_key()
    ring = Keyring.create(tmp_path, "store-1")
    ring.wrap("admin", "correct horse", key)
    ring.save()
    assert stat.S_IMODE(os.stat(ring.path).st_mode) == 0o600
    assert key.hex() not in ring.path.read_text() and key not in ring.path.read_bytes()

    again = Keyring.load(tmp_path)
    assert again.unwrap("admin", "correct horse") == key
    with pytest.raises(WrongPassword):
        again.unwrap("admin", "Correct horse")
    with pytest.raises(WrongPassword):
        again.unwrap("nobody", "correct horse")

    again.wrap("admin", "new password 2", again.unwrap("admin", "correct horse"))  # change: same store key
    again.save()
    changed = Keyring.load(tmp_path)
    assert changed.unwrap("admin", "new password 2") == key
    with pytest.raises(WrongPassword):
        changed.unwrap("admin", "correct horse")


def test_entries_cannot_be_swapped_between_users_or_stores(tmp_path):
    key = new_store_key()
    ring = Keyring.create(tmp_path, "store-1")
    ring.wrap("admin", "pw-admin", key)
    ring.wrap("teller", "pw-teller", key)
    ring.data["users"]["teller"] = dict(ring.data["users"]["admin"])  # teller's entry replaced by admin's
    with pytest.raises(WrongPassword):
        ring.unwrap("teller", "pw-admin")
    ring.data["store_id"] = "store-2"
    with pytest.raises(WrongPassword):
        ring.unwrap("admin", "pw-admin")


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": 9, "users": {}}', "\x00\x01binary"])
def test_a_damaged_key_ring_is_refused_with_a_reason(tmp_path, text):
    (tmp_path / "keyring.json").write_text(text, encoding="latin-1")
    with pytest.raises(KeyringError) as refused:
        Keyring.load(tmp_path)
    assert "keyring.json" in refused.value.message("en") and "密钥" in refused.value.message("zh")


def test_weak_or_unknown_derivation_parameters_are_refused(tmp_path):
    ring = Keyring.create(tmp_path, "s")
    ring.wrap("admin", "pw", new_store_key())
    ring.data["users"]["admin"]["kdf"]["memory_kib"] = 16
    with pytest.raises(KeyringError, match="damaged"):
        ring.unwrap("admin", "pw")


def test_default_parameters_are_argon2id_at_rfc_9106_strength():
    assert kdf.DEFAULT.algorithm == "argon2id" and kdf.DEFAULT.memory_kib >= 64 * 1024


# --- the audit chain -------------------------------------------------------------------------

def chain(n: int) -> list[dict]:
    records, previous = [], None
    for i in range(n):
        previous = audit_chain.seal({"at": f"2026-11-23T09:{i:02d}:00Z", "user": "admin", "device": "7K3Q",
                                     "action": "login", "target": None, "details": {"n": i}}, previous)  # fmt: skip
        records.append(previous)
    return records


def head(records):
    return (records[-1]["seq"], records[-1]["hash"])


def test_an_untouched_chain_verifies():
    records = chain(6)
    assert audit_chain.verify(records, head(records)) is None
    assert audit_chain.verify([], None) is None


def test_an_altered_record_is_named():
    records = chain(6)
    records[2] = {**records[2], "user": "mallory"}
    problem = audit_chain.verify(records, head(records))
    assert (problem.kind, problem.seq) == ("altered", 3)
    assert problem.message("zh") == "第 3 条审计记录被篡改：内容与其哈希不符"


def test_a_removed_record_is_named():
    records = chain(6)
    h = head(records)
    del records[3]
    problem = audit_chain.verify(records, h)
    assert (problem.kind, problem.seq) == ("removed", 4)


def test_records_removed_from_the_end_are_noticed_by_the_head():
    records = chain(6)
    h = head(records)
    problem = audit_chain.verify(records[:4], h)
    assert (problem.kind, problem.seq) == ("removed", 5)


def test_an_inserted_record_is_named_even_when_its_own_hash_is_right():
    records = chain(6)
    forged = audit_chain.seal({"at": "x", "user": "mallory", "device": "", "action": "approve", "target": "A-1",
                               "details": {}}, records[1])  # fmt: skip  # claims to follow record 2
    records.insert(2, forged)
    problem = audit_chain.verify(records, head(records))
    assert (problem.kind, problem.seq) == ("inserted", 3)


def test_a_record_renumbered_into_a_gap_does_not_follow_its_predecessor():
    records = chain(4)
    tampered = json.loads(json.dumps(records[3]))
    tampered["prev_hash"] = records[1]["hash"]
    tampered["hash"] = audit_chain.record_hash(tampered)
    records[3] = tampered
    problem = audit_chain.verify(records, None)
    assert (problem.kind, problem.seq) == ("inserted", 4)
