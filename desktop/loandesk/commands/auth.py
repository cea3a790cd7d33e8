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

from loandesk.core.i18n import pick

from .common import CommandError


def credentials(args) -> tuple[str, str]:
    user = getattr(args, "user", None) or os.environ.get("LOANDESK_USER")
    if not user:
        raise CommandError(pick("sign in first: give --user NAME (or set LOANDESK_USER)",
                                "请先登录：使用 --user 用户名（或设置 LOANDESK_USER）"))  # fmt: skip
    password = os.environ.get("LOANDESK_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(pick("no password: set LOANDESK_PASSWORD or run on a terminal to type it",
                                    "缺少密码：请设置 LOANDESK_PASSWORD，或在终端中输入"))  # fmt: skip
        password = getpass.getpass(pick(f"password for {user}", f"{user} 的密码") + ": ")
    return user, password


@contextmanager
def session_for(args, action: str | None) -> Iterator:
    """A signed-in session on the command's data home, allowed to do ``action`` (None: any user)."""
    from loandesk.core.permissions import PermissionDenied
    from loandesk.paths import data_home
    from loandesk.security import session as sessions
    from loandesk.security.keyring import KeyringError
    from loandesk.storage.users import UserError

    home = data_home(getattr(args, "home", None))
    user, password = credentials(args)
    try:
        session = sessions.sign_in(home, user, password)
    except KeyringError as exc:
        raise CommandError(exc.message()) from None
    try:
        if action:
            session.actor.require(action)
        yield session
    except (PermissionDenied, UserError, KeyringError) as exc:
        raise CommandError(exc.message()) from None
    finally:
        session.close()
