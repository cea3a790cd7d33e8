"""Real hubs for the hub tests: uvicorn in a subprocess on 127.0.0.1 (a random free port), over SQLite and
over a throw-away PostgreSQL cluster started from Debian's packages (``make`` installs ``postgresql``).

PostgreSQL tests are skipped only when PostgreSQL is not installed on this machine.
"""

from __future__ import annotations

import os

import pytest
from hubs import HubProcess, PgCluster, pg_bin


@pytest.fixture(autouse=True, scope="session")
def hub_key_file(tmp_path_factory):
    """The hubs' personal-data key in a test folder, never the user's config folder (PostgreSQL's default)."""
    from loandesk.hub.sealing import ENV_KEY_FILE

    os.environ[ENV_KEY_FILE] = str(tmp_path_factory.mktemp("hubkey") / "hub.key")
    yield os.environ[ENV_KEY_FILE]
    del os.environ[ENV_KEY_FILE]


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed here (Debian package postgresql; `make test` installs it)")
    cluster = PgCluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def db_url(request, tmp_path_factory):
    """A fresh, empty hub database of each kind (one per test module: tests keep apart by branch)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('hub')}/hub.db"
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture
def fresh_db(db_url, request, tmp_path):
    """A database of its own for a test that needs one, SQLite or PostgreSQL as ``db_url`` is."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path}/hub.db"
    return request.getfixturevalue("pg_cluster").new_database()


_branches = iter(range(1, 10_000))


@pytest.fixture
def branch() -> str:
    """A branch code no other test in the session uses."""
    return f"330106-{next(_branches):02d}"


@pytest.fixture(scope="module")
def shared_hubs():
    started = []
    yield started
    for hub in started:
        hub.stop()


@pytest.fixture
def start_hub():
    """Start hubs with ``start_hub(db_url, *serve_options)``; every one is stopped after the test."""
    started = []

    def start(db: str, *extra: str, **kwargs) -> HubProcess:
        hub = HubProcess(db, *extra, **kwargs)
        started.append(hub)
        return hub

    yield start
    for hub in started:
        hub.stop()


@pytest.fixture(scope="module")
def hub(db_url, shared_hubs) -> HubProcess:
    """One hub process per database kind for a test module."""
    started = HubProcess(db_url)
    shared_hubs.append(started)
    return started
