"""Homes with users for tests, quickly (LOANDESK_KDF=fast is set in tests/conftest.py).

``with_demo_users(home)``: a home made by ``Store.open`` (the legacy path, with a store.key) upgraded in
place, as ``loandesk init --admin`` does, with the demo's four users (password ``demo``), so command-line
tests sign in exactly as on a home made by ``loandesk demo``. ``as_user(name)``: the environment for a
CLI process signed in as that user.
"""

from __future__ import annotations

import os
from pathlib import Path

from loandesk.demo import DEMO_PASSWORD, DEMO_USERS
from loandesk.security import session as sessions


def with_demo_users(home: Path, branch: str = "HZ01") -> Path:
    """A new home, or one made by Store.open (upgraded in place), with the demo's four users."""
    (admin, _, admin_name), *others = DEMO_USERS
    if sessions.home_state(Path(home)) == "ready":
        return Path(home)
    if sessions.home_state(Path(home)) == "new":
        session = sessions.create_home(Path(home), admin, DEMO_PASSWORD, admin_name, branch=branch)
    else:
        session = sessions.upgrade_home(Path(home), admin, DEMO_PASSWORD, admin_name)
    try:
        for username, role, shown in others:
            sessions.add_user(session, username, role, DEMO_PASSWORD, shown)
    finally:
        session.close()
    return Path(home)


def as_user(name: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "LOANDESK_USER": name, "LOANDESK_PASSWORD": DEMO_PASSWORD, **extra}


def open_store(home: Path):
    """The home's store opened by signing in as its admin, acting as the system (for a test to look inside
    or to set data up with the names it gives, as a store opened with its key does)."""
    from loandesk.core.permissions import SYSTEM

    store = sessions.sign_in(Path(home), "admin", DEMO_PASSWORD).store
    store.actor = SYSTEM
    return store
