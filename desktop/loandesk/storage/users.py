"""Local user accounts: who may sign in on this data home, with which role.

The password itself is checked by unwrapping the store key (security/keyring.py); this table keeps
what the store needs once open: role, display name, whether the account is disabled, who made it
and when, and an Argon2id hash used when an admin confirms their own password again (e.g. before
resetting someone else's) without touching the key ring.
"""

from __future__ import annotations

import re

from loandesk.core import clock
from loandesk.core.permissions import ROLES

USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,31}")


class UserError(ValueError):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def message(self, lang: str | None = None) -> str:
        from loandesk.core.i18n import pick

        return pick(self.en, self.zh, lang)


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username or ""):
        raise UserError(f"user name {username!r}: 2-32 characters, lower-case letters, digits, . _ -, "
                        "starting with a letter",
                        f"用户名“{username}”应为 2-32 位小写字母、数字或 . _ -，以字母开头")  # fmt: skip
    return username


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"role {role!r}: choose one of {', '.join(ROLES)}",
                        f"角色“{role}”无效，可选：{'、'.join(ROLES)}")  # fmt: skip
    return role


def check_password(password: str) -> str:
    # A branch's policy may ask for more; this floor keeps a typo or an empty prompt from becoming a password.
    if len(password or "") < 4:
        raise UserError("the password must have at least 4 characters", "密码至少 4 位")
    return password


def add(db, username: str, role: str, display_name: str, created_by: str | None) -> dict:
    check_username(username)
    check_role(role)
    if get(db, username) is not None:
        raise UserError(f"user {username} exists already", f"用户 {username} 已存在")
    row = {"username": username, "role": role, "display_name": display_name or username, "disabled": 0,
           "created_at": clock.stamp(), "created_by": created_by, "password_changed_at": clock.stamp()}  # fmt: skip
    db.execute(f"INSERT INTO users({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
    return row


def get(db, username: str) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE username = ?", [username]))
    return rows[0] if rows else None


def all_users(db) -> list[dict]:
    return list(db.query("SELECT * FROM users ORDER BY username"))


def set_disabled(db, username: str, disabled: bool) -> None:
    db.execute("UPDATE users SET disabled = ? WHERE username = ?", (int(disabled), username))


def set_role(db, username: str, role: str) -> None:
    db.execute("UPDATE users SET role = ? WHERE username = ?", (check_role(role), username))


def last_logins(db) -> dict[str, str]:
    """user -> time of their last successful sign-in, from the audit trail."""
    rows = db.execute("SELECT user, max(at) FROM audit WHERE action = 'login' GROUP BY user").fetchall()
    return {user: at for user, at in rows}


def password_changed(db, username: str) -> None:
    db.execute("UPDATE users SET password_changed_at = ? WHERE username = ?", (clock.stamp(), username))


def count_admins(db, active_only: bool = True) -> int:
    sql = "SELECT count(*) FROM users WHERE role = 'admin'" + (" AND disabled = 0" if active_only else "")
    return db.execute(sql).fetchone()[0]
