"""Signing in from the command line: every command that opens the store goes through here.

The user comes from ``--user`` or LOANDESK_USER, the password from LOANDESK_PASSWORD or a prompt on
a terminal (never an argument: it would stay in the shell's history). A refusal (wrong password,
disabled account, throttled, missing permission) is exit 2 with the reason in one line.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loandesk.core.i18n import pick

from .common import CommandError, cannot_open, checked_home, one_line


def user_name(args) -> str:
    user = getattr(args, "user", None) or os.environ.get("LOANDESK_USER")
    if not user:
        raise CommandError(pick("sign in first: give --user NAME (or set LOANDESK_USER)",
                                "请先登录：使用 --user 用户名（或设置 LOANDESK_USER）"))  # fmt: skip
    return user


def password(prompt_en: str, prompt_zh: str, *, twice: bool = False) -> str:
    """LOANDESK_PASSWORD, or typed on a terminal (twice for a new password); never an argument."""
    given = os.environ.get("LOANDESK_PASSWORD")
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise CommandError(pick("no password: set LOANDESK_PASSWORD or run on a terminal to type it",
                                "缺少密码：请设置 LOANDESK_PASSWORD，或在终端中输入"))  # fmt: skip
    first = getpass.getpass(pick(prompt_en, prompt_zh) + ": ")
    if twice and getpass.getpass(pick("again", "再次输入") + ": ") != first:
        raise CommandError(pick("the two passwords differ", "两次输入的密码不一致"))
    return first


def credentials(args) -> tuple[str, str]:
    user = user_name(args)
    return user, password(f"password for {user}", f"{user} 的密码")


def _refusal(exc: BaseException) -> CommandError:
    return CommandError(one_line(exc))


@contextmanager
def session_for(args, action: str | None) -> Iterator:
    """A signed-in session on the command's data home, allowed to do ``action`` (None: any user)."""
    from loandesk.core.permissions import PermissionDenied
    from loandesk.security import session as sessions
    from loandesk.security.keyring import KeyringError
    from loandesk.storage.users import UserError

    home = checked_home(args)
    if sessions.home_state(home) != "ready":  # said before a password is asked for
        ready_or_refuse(home)
    user, secret = credentials(args)
    session = open_session(home, user, secret)
    try:
        if action:
            session.actor.require(action)
        yield session
    except (PermissionDenied, UserError, KeyringError) as exc:
        raise _refusal(exc) from None
    finally:
        session.close()


def ready_or_refuse(home: Path) -> None:
    """Refuse a home that has no users yet (new or from before users) with what to do about it."""
    from loandesk.security import session as sessions
    from loandesk.security.keyring import KeyringError

    try:
        sessions.sign_in(home, "", "")  # raises the home state's message without touching anything
    except KeyringError as exc:
        raise _refusal(exc) from None


def open_session(home: Path, user: str, secret: str):
    from loandesk.security import session as sessions
    from loandesk.security.keyring import KeyringError

    from .common import quiet_sqlcipher

    quiet_sqlcipher()
    try:
        return sessions.sign_in(home, user, secret)
    except KeyringError as exc:
        raise _refusal(exc) from None
    except Exception as exc:  # a store that does not open is refused, whatever the cause
        if not cannot_open(exc):
            raise
        raise CommandError(pick(f"cannot open the data home {home}: {one_line(exc)}",
                                f"无法打开数据目录 {home}：{one_line(exc)}")) from None  # fmt: skip
