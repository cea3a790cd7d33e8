"""Signing in: the key ring unwraps the store key, the store opens, the user's role comes with it.

One service for the command line and the GUI alike:
* ``home_state``: new (nothing yet), legacy (a store from before users: ``store.key`` beside it),
  ready (a key ring), or broken (a database with neither).
* ``create_home`` makes the first admin of a new home; ``upgrade_home`` wraps a legacy home's key for
  its first admin and removes the bare key file. Nothing is re-encrypted, nothing is lost.
* ``sign_in`` checks the throttle (after 5 failures in a row, a growing wait), unwraps the key,
  opens the store, refuses a disabled account, and audits the login; failed attempts wait in the
  key ring (the store cannot be opened without the password) and join the audit trail at the next
  successful sign-in.
* account management (add, disable, reset, change password), each audited.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from loandesk.core import clock
from loandesk.core.permissions import Actor
from loandesk.storage import Store, audit, users
from loandesk.storage.connection import DB_FILE

from .keyring import Keyring, KeyringError, WrongPassword, new_store_key

LEGACY_KEY_FILE = "store.key"
FREE_ATTEMPTS = 5
MAX_WAIT_S = 15 * 60


class SignInError(KeyringError):
    """Signing in was refused; the message says why (never whether the user name exists)."""


@dataclass(frozen=True)
class StaticKey:
    """A KeyProvider for a key already unwrapped in memory."""

    key: bytes

    def key_hex(self) -> str:
        return self.key.hex()


@dataclass
class Session:
    store: Store
    actor: Actor
    home: Path
    key: bytes  # the unwrapped store key, in memory only: wraps it for new users and resets

    def __post_init__(self) -> None:
        self.store.actor = self.actor  # the services check the signed-in user's permissions

    def audit(self, action: str, target: str | None = None, details: dict | None = None) -> None:
        audit.append(self.store.db, user=self.actor.username, device=self.actor.device, action=action,
                     target=target, details=details)  # fmt: skip

    def close(self) -> None:
        self.store.close()


def home_state(home: Path) -> str:
    home = Path(home)
    if Keyring.exists(home):
        return "ready"
    if (home / LEGACY_KEY_FILE).exists():
        return "legacy"
    if (home / DB_FILE).exists():
        return "broken"
    return "new"


def _actor(store: Store, row: dict) -> Actor:
    return Actor(row["username"], row["role"], row["display_name"], store.setting("device") or "")


def create_home(home: Path, admin: str, password: str, display_name: str = "", *, branch: str | None = None) -> Session:
    """A new data home whose first user is ``admin``."""
    home = Path(home)
    if home_state(home) != "new":
        raise SignInError(f"{home} already holds a Loan Desk store", f"{home} 已有信贷工作台数据")
    users.check_username(admin)
    users.check_password(password)
    key = new_store_key()
    store = Store.open(home, StaticKey(key), branch=branch)
    ring = Keyring.create(home, store.setting("device") or "")
    ring.wrap(admin, password, key)
    return _first_admin(store, ring, home, admin, display_name, "home_created", key)


def upgrade_home(home: Path, admin: str, password: str, display_name: str = "") -> Session:
    """A store from before users: wrap its existing key for its first admin, then drop the bare key."""
    home = Path(home)
    if home_state(home) != "legacy":
        raise SignInError(f"{home} has no store from before users to upgrade", f"{home} 无需升级")
    users.check_username(admin)
    users.check_password(password)
    key_file = home / LEGACY_KEY_FILE
    key = bytes.fromhex(key_file.read_text(encoding="ascii").strip())
    store = Store.open(home, StaticKey(key))  # proves the key opens the store before anything changes
    ring = Keyring.create(home, store.setting("device") or "")
    ring.wrap(admin, password, key)
    session = _first_admin(store, ring, home, admin, display_name, "home_upgraded", key)
    _shred(key_file)
    return session


def _first_admin(store: Store, ring: Keyring, home: Path, admin: str, display_name: str, action: str,
                 key: bytes) -> Session:
    with store.db.atomic():
        row = users.add(store.db, admin, "admin", display_name, created_by=None)
        session = Session(store, _actor(store, row), home, key)
        session.audit(action)
        session.audit("user_added", admin, {"role": "admin"})
    ring.save()  # after the store holds the user: a crash before this leaves a home that asks again
    return session


def _shred(path: Path) -> None:
    """Overwrite, then remove: the bare key must not linger in the file's old blocks more than it must."""
    with contextlib.suppress(FileNotFoundError):
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(os.urandom(max(size, 64)))
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()


def _wait_left(entry: dict | None) -> float:
    if not entry or entry.get("failures", 0) < FREE_ATTEMPTS:
        return 0.0
    wait = min(2 ** (entry["failures"] - FREE_ATTEMPTS), MAX_WAIT_S)
    passed = (clock.now() - dt.datetime.fromisoformat(entry["last"])).total_seconds()
    return max(0.0, wait - passed)


def sign_in(home: Path, username: str, password: str) -> Session:
    home = Path(home)
    state = home_state(home)
    if state != "ready":
        raise SignInError(
            {"new": "this data home has no users yet: create the first admin (loandesk init --admin NAME)",
             "legacy": "this data home is from before users: create its first admin to upgrade it "
                       "(loandesk init --admin NAME)",
             "broken": "the store's key ring (keyring.json) is missing: restore it from a backup"}[state],
            {"new": "该数据目录尚无用户：请先创建管理员（loandesk init --admin 用户名）",
             "legacy": "该数据目录为旧版本：请创建管理员完成升级（loandesk init --admin 用户名）",
             "broken": "缺少密钥文件 keyring.json：请从备份恢复"}[state])  # fmt: skip
    ring = Keyring.load(home)
    if username in ring.data.get("disabled", []):
        # Said before any password is tried: the account is off whatever is typed, and the reason helps.
        raise SignInError(f"the account {username} is disabled: ask the branch admin to reset its password",
                          f"账户 {username} 已停用：请网点管理员重置其密码")  # fmt: skip
    attempts = ring.data.setdefault("attempts", {})
    left = _wait_left(attempts.get(username))
    if left > 0:
        raise SignInError(f"too many failed sign-ins for {username}: try again in {int(left) + 1} s",
                          f"{username} 登录失败次数过多，请 {int(left) + 1} 秒后再试")  # fmt: skip
    try:
        key = ring.unwrap(username, password)
    except WrongPassword:
        entry = attempts.setdefault(username, {"failures": 0})
        entry["failures"] += 1
        entry["last"] = clock.stamp()
        log = ring.data.setdefault("failed_log", [])
        log.append({"user": username, "at": entry["last"]})
        del log[:-1000]  # bounded: guessing at a locked laptop must not grow the file without end
        ring.save()
        raise
    store = Store.open(home, StaticKey(key))
    row = users.get(store.db, username)
    if row is None or row["disabled"]:
        store.close()
        raise SignInError(f"the account {username} is disabled", f"账户 {username} 已停用")
    session = Session(store, _actor(store, row), home, key)
    failed = ring.data.pop("failed_log", [])
    attempts.pop(username, None)
    with store.db.atomic():
        for fail in failed:
            session.audit("login_failed", fail["user"], {"at": fail["at"]})
        session.audit("login")
    ring.save()
    return session


def _ring(session: Session) -> Keyring:
    return Keyring.load(session.home)


def add_user(session: Session, username: str, role: str, password: str, display_name: str = "") -> dict:
    session.actor.require("manage_users")
    users.check_password(password)
    ring = _ring(session)
    with session.store.db.atomic():
        row = users.add(session.store.db, username, role, display_name, created_by=session.actor.username)
        session.audit("user_added", username, {"role": role})
    ring.wrap(username, password, session.key)
    ring.save()
    return row


def reset_password(session: Session, username: str, new_password: str) -> None:
    session.actor.require("manage_users")
    users.check_password(new_password)
    if users.get(session.store.db, username) is None:
        raise users.UserError(f"no user {username}", f"无此用户 {username}")
    ring = _ring(session)
    ring.wrap(username, new_password, session.key)
    ring.data.get("attempts", {}).pop(username, None)
    if username in ring.data.get("disabled", []):
        ring.data["disabled"].remove(username)
    with session.store.db.atomic():
        users.password_changed(session.store.db, username)
        users.set_disabled(session.store.db, username, False)  # a reset is also how a disabled account returns
        session.audit("password_reset", username)
    ring.save()


def change_password(session: Session, old_password: str, new_password: str) -> None:
    users.check_password(new_password)
    ring = _ring(session)
    me = session.actor.username
    key = ring.unwrap(me, old_password)  # the old password again: a passer-by at an unlocked desk cannot
    ring.wrap(me, new_password, key)
    with session.store.db.atomic():
        users.password_changed(session.store.db, me)
        session.audit("password_changed", me)
    ring.save()


def disable_user(session: Session, username: str) -> None:
    """The account can no longer sign in (its key-ring entry is removed); its records stay. An admin's
    password reset brings it back."""
    disabled = True
    session.actor.require("manage_users")
    row = users.get(session.store.db, username)
    if row is None:
        raise users.UserError(f"no user {username}", f"无此用户 {username}")
    if disabled and username == session.actor.username:
        raise users.UserError("you cannot disable your own account", "不能停用自己的账户")
    if disabled and row["role"] == "admin" and users.count_admins(session.store.db) <= 1:
        raise users.UserError("the last active admin cannot be disabled", "不能停用最后一名管理员")
    ring = _ring(session)
    with session.store.db.atomic():
        users.set_disabled(session.store.db, username, disabled)
        session.audit("user_disabled", username)
    ring.remove(username)  # a disabled account's password no longer opens the store
    disabled_names = ring.data.setdefault("disabled", [])
    if username not in disabled_names:
        disabled_names.append(username)  # so its sign-in is refused with the reason, not "wrong password"
    ring.save()


def change_role(session: Session, username: str, role: str) -> None:
    """A user's role changes (the key ring is untouched: the role lives in the store); audited."""
    session.actor.require("manage_users")
    row = users.get(session.store.db, username)
    if row is None:
        raise users.UserError(f"no user {username}", f"无此用户 {username}")
    users.check_role(role)
    if row["role"] == role:
        return
    if username == session.actor.username:
        raise users.UserError("you cannot change your own role", "不能更改自己的角色")
    if row["role"] == "admin" and not row["disabled"] and users.count_admins(session.store.db) <= 1:
        raise users.UserError("the last active admin must stay an admin", "最后一名管理员的角色不能更改")
    with session.store.db.atomic():
        users.set_role(session.store.db, username, role)
        session.audit("role_changed", username, {"from": row["role"], "to": role})

