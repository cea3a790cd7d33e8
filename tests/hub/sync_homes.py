"""Device data homes for the pull, conflict and convergence tests: made, edited and synced as a branch
officer would, with a real hub on loopback."""

from __future__ import annotations

import json
from pathlib import Path

from hubs import HubProcess, loandesk

from users_support import as_user, open_store, with_demo_users

OFFICER = as_user("officer")  # resolving a conflict is editing the record: an officer's (or teller's) work


def new_home(path: Path, demo: int = 0, seed: int = 1) -> Path:
    if demo:
        loandesk("--home", str(path), "demo", "--count", str(demo), "--seed", str(seed))
    else:
        with_demo_users(path)  # an empty home with the demo's four users
    return path


def sync(home: Path, hub: HubProcess | None = None, branch: str | None = None, *, check: bool = True) -> dict:
    """``loandesk sync --json`` (enrolling first when a hub and branch are given); the JSON outcome with
    the exit code under ``rc``."""
    extra = ["--hub", hub.url, "--enroll", hub.code(branch)] if hub and branch else []
    done = loandesk("--home", str(home), "sync", *extra, "--json", check=False)
    if check and done.returncode not in (0, 1):
        raise AssertionError(f"sync exited {done.returncode}: {done.stderr}")
    out = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {"error": done.stderr}
    out["rc"] = done.returncode
    return out


def applications(home: Path) -> list[dict]:
    return json.loads(loandesk("--home", str(home), "list", "applications", "--json").stdout)


def enterprises(home: Path, *, unmasked: bool = True) -> list[dict]:
    args = ["--unmasked"] if unmasked else []
    return json.loads(loandesk("--home", str(home), "list", "enterprises", "--json", *args).stdout)


def conflicts(home: Path, *args: str) -> list[dict]:
    return json.loads(loandesk("--home", str(home), "conflicts", "--json", *args).stdout)


def edit(home: Path, ref: str, **changes) -> None:
    """Save an application's intake again with some fields changed (as the intake form does)."""
    store = open_store(home)
    try:
        record = store.application_record(ref)
        assert record is not None, f"no application {ref} in {home}"
        store.save_intake({**record, **changes}, enterprise_id=record["enterprise_id"], application_id=record["id"])
    finally:
        store.close()


def record(home: Path, ref: str) -> dict:
    store = open_store(home)
    try:
        return store.application_record(ref)
    finally:
        store.close()
