"""Fixtures every test shares. One clock, pinned: no test depends on the day it runs.

The pinned instant lies inside the shipped rule pack's validity, and the command-line processes the
tests start read the same instant from LOANDESK_CLOCK. CI runs the suite again with the machine's
calendar a year ahead (faketime) to prove nothing reads the real date.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from loandesk.core import clock

# Sign-in for the whole run (CLI subprocesses inherit it): homes made by `loandesk demo` have the users
# admin, approver, officer and teller with the password demo; tests_support.homes makes others quickly.
# LOANDESK_KDF=fast: the suite derives hundreds of keys; real homes never use it.
os.environ["LOANDESK_KDF"] = "fast"
os.environ["LOANDESK_USER"] = "admin"
os.environ["LOANDESK_PASSWORD"] = "demo"

PINNED = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
PINNED_DAY = PINNED.date()


@pytest.fixture(autouse=True, scope="session")
def private_default_home(tmp_path_factory):
    """A command run without --home uses LOANDESK_HOME: never the real user's data home."""
    from users_support import with_demo_users

    # With the demo's users, so a command run without --home signs in as on a demo home.
    os.environ["LOANDESK_HOME"] = str(with_demo_users(tmp_path_factory.mktemp("default-home")))
    yield


@pytest.fixture(autouse=True, scope="session")
def pinned_clock():
    os.environ[clock.ENV_VAR] = PINNED.isoformat()
    clock.pin(PINNED)
    yield PINNED
    clock.pin(None)
