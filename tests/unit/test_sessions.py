"""Signing in on a data home: first admin, upgrade of a pre-users home, throttling, accounts, audit."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from loandesk.core import clock
from loandesk.core.intake import validate_intake
from loandesk.core.permissions import PermissionDenied
from loandesk.demo import demo_record
from loandesk.security import session as sessions
from loandesk.security.keyring import Keyring, WrongPassword
from loandesk.storage import Store, audit
from loandesk.storage.connection import StoreLocked
from loandesk.storage.users import UserError


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setenv("LOANDESK_KDF", "fast")


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def new_home(home):
    s = sessions.create_home(home, "admin", "admin-pw", "王管理")
    s.close()


def test_a_new_home_opens_only_with_the_admins_password(home):
    assert sessions.home_state(home) == "new"
    new_home(home)
    assert sessions.home_state(home) == "ready"
    assert not (home / "store.key").exists()
    with pytest.raises(WrongPassword):
        sessions.sign_in(home, "admin", "wrong")
    s = sessions.sign_in(home, "admin", "admin-pw")
    assert (s.actor.username, s.actor.role, s.actor.display_name) == ("admin", "admin", "王管理")
    actions = [r["action"] for r in audit.records(s.store.db)]
    assert actions == ["home_created", "user_added", "login_failed", "login"]
    assert audit.verify(s.store.db) is None
    s.close()


def test_without_the_password_the_copied_home_does_not_open(home, tmp_path):
    new_home(home)
    with pytest.raises((StoreLocked, KeyError, FileNotFoundError, OSError, ValueError)):
        Store.open(home).close()  # the bare-key path: there is no key file to use, none may be made
    assert not (home / "store.key").exists()


def test_five_failures_then_a_growing_wait(home, pinned_clock):
    new_home(home)
    start = clock.now()
    for _ in range(5):
        with pytest.raises(WrongPassword):
            sessions.sign_in(home, "admin", "guess")
    with pytest.raises(sessions.SignInError, match="try again in"):
        sessions.sign_in(home, "admin", "admin-pw")  # even the right password waits
    try:
        clock.pin(start + dt.timedelta(seconds=2))
        s = sessions.sign_in(home, "admin", "admin-pw")
        assert [r["action"] for r in audit.records(s.store.db)].count("login_failed") == 5
        s.close()
        for _ in range(5):  # the count started again after the good sign-in
            with pytest.raises(WrongPassword):
                sessions.sign_in(home, "admin", "guess")
    finally:
        clock.pin(pinned_clock)


def test_a_home_from_before_users_is_upgraded_in_place_and_keeps_its_data(home):
    legacy = Store.open(home, branch="HZ01")  # the old way: a bare key file beside the database
    result = validate_intake(demo_record(random.Random(3), 1))
    _, app = legacy.save_intake(result.values)
    legacy.close()
    assert sessions.home_state(home) == "legacy"
    s = sessions.upgrade_home(home, "admin", "admin-pw")
    s.close()
    assert sessions.home_state(home) == "ready" and not (home / "store.key").exists()
    s = sessions.sign_in(home, "admin", "admin-pw")
    assert s.store.application(app.id) is not None
    # the consent its intake recorded, then the upgrade and the admin it made
    assert [r["action"] for r in audit.records(s.store.db)][:3] == ["consent_recorded", "home_upgraded", "user_added"]
    s.close()


def test_accounts_are_managed_by_an_admin_only_and_every_change_is_audited(home):
    new_home(home)
    admin = sessions.sign_in(home, "admin", "admin-pw")
    sessions.add_user(admin, "li.ming", "officer", "officer-pw", "李明")
    sessions.add_user(admin, "chen.jing", "approver", "approver-pw", "陈静")
    with pytest.raises(UserError, match="exists"):
        sessions.add_user(admin, "li.ming", "teller", "x-pw1")
    with pytest.raises(UserError, match="role"):
        sessions.add_user(admin, "zhao", "boss", "x-pw1")
    admin.close()

    officer = sessions.sign_in(home, "li.ming", "officer-pw")
    with pytest.raises(PermissionDenied):
        sessions.add_user(officer, "mallory", "admin", "mallory-pw")
    sessions.change_password(officer, "officer-pw", "officer-pw-2")
    with pytest.raises(WrongPassword):
        sessions.change_password(officer, "not-mine", "x-pw-3")
    officer.close()
    with pytest.raises(WrongPassword):
        sessions.sign_in(home, "li.ming", "officer-pw")
    sessions.sign_in(home, "li.ming", "officer-pw-2").close()

    admin = sessions.sign_in(home, "admin", "admin-pw")
    sessions.disable_user(admin, "li.ming")
    with pytest.raises(UserError, match="own account"):
        sessions.disable_user(admin, "admin")
    admin.close()
    # A disabled account's entry is gone from the key ring, and its sign-in is refused with the reason.
    with pytest.raises(sessions.SignInError, match=r"the account li\.ming is disabled"):
        sessions.sign_in(home, "li.ming", "officer-pw-2")
    assert "li.ming" not in Keyring.load(home).users
    admin = sessions.sign_in(home, "admin", "admin-pw")
    sessions.reset_password(admin, "li.ming", "fresh-pw")  # the reset brings the account back
    admin.close()
    back = sessions.sign_in(home, "li.ming", "fresh-pw")
    actions = [(r["user"], r["action"], r["target"]) for r in audit.records(back.store.db)]
    assert ("admin", "user_added", "li.ming") in actions
    assert ("li.ming", "password_changed", "li.ming") in actions
    assert ("admin", "user_disabled", "li.ming") in actions
    assert ("admin", "password_reset", "li.ming") in actions
    assert audit.verify(back.store.db) is None
    back.close()


def _insert(db, row: dict) -> None:
    db.execute(f"INSERT INTO audit({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))


TAMPERING = {  # what someone with the key and a SQL shell does -> (kind, seq) that verify must name
    "edit": (lambda db: db.execute("UPDATE audit SET user = 'mallory' WHERE seq = 4"), ("altered", 4)),
    "delete": (lambda db: db.execute("DELETE FROM audit WHERE seq = 6"), ("removed", 6)),
    "delete the newest": (lambda db: db.execute("DELETE FROM audit WHERE seq = 8"), ("removed", 8)),
    "insert": (lambda db: _insert(db, dict(next(db.query("SELECT * FROM audit WHERE seq = 3")),
                                           action="approve", target="A-HZ01-XXXX-000001")), ("inserted", 3)),
}  # fmt: skip


@pytest.mark.parametrize("tamper", TAMPERING)
def test_audit_verify_names_rows_altered_inserted_or_deleted_in_the_decrypted_store(home, tamper):
    new_home(home)
    s = sessions.sign_in(home, "admin", "admin-pw")
    for i in range(5):
        s.audit("export", f"report-{i}")  # records 4..8 after home_created, user_added, login
    db = s.store.db
    assert audit.verify(db) is None
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("DROP TRIGGER audit_no_delete")
    change, (kind, seq) = TAMPERING[tamper]
    change(db)
    problem = audit.verify(db)
    assert (problem.kind, problem.seq) == (kind, seq)
    s.close()


def test_the_store_refuses_to_alter_or_delete_audit_records(home):
    new_home(home)
    s = sessions.sign_in(home, "admin", "admin-pw")
    with pytest.raises(Exception, match="append-only"):
        s.store.db.execute("UPDATE audit SET user = 'x'")
    with pytest.raises(Exception, match="append-only"):
        s.store.db.execute("DELETE FROM audit")
    s.close()
