"""Several Loan Desk processes on one data home at once: every one succeeds (or waits its turn), and
afterwards every write is there, once. Real processes of the real CLI on a real encrypted store."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from test_migrations import make_v1_home

from loandesk.storage import Store, migrations
from users_support import open_store


def loandesk(home, *args: str, lang: str = "en", user: str = "admin") -> list[str]:
    return [sys.executable, "-m", "loandesk", "--home", str(home), "--user", user, "--lang", lang, *args]


# The way the GUI opens a home today (Store.open with the key file), in its own process: prints the
# enterprises' references as JSON.
OPEN_AND_LIST = ("import json, sys; from loandesk.storage import Store; s = Store.open(sys.argv[1]); "
                 "print(json.dumps([r['ref'] for r in s.enterprise_rows('', 'ref', False, 0, 10**7)])); s.close()")


def opener(home) -> list[str]:
    return [sys.executable, "-c", OPEN_AND_LIST, str(home)]


def run_at_once(commands: list[list[str]], timeout: float = 120) -> list[tuple[list[str], int, str, str]]:
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    done = []
    for command, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=timeout)
        done.append((command, proc.returncode, out, err))
    return done


def test_readers_starting_a_new_home_at_once_all_succeed(tmp_path):
    """The first start makes the key, the database and its schema: starters racing it wait or agree.
    (The command line refuses a home without users; the GUI's first start still makes one.)"""
    refused = subprocess.run(loandesk(tmp_path / "nobody", "list", "applications"), capture_output=True, text=True)
    assert refused.returncode == 2 and "no users yet" in refused.stderr and refused.stderr.count("\n") == 1
    for round_no in range(3):
        home = tmp_path / f"fresh{round_no}"
        results = run_at_once([opener(home) for _ in range(5)])
        for command, code, out, err in results:
            assert code == 0, (command, err)
            assert json.loads(out) == []
        store = Store.open(home)
        try:
            applied = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations")]
            assert sorted(applied) == sorted(name for name, _fn in migrations.MIGRATIONS)  # each once
            assert store.setting("device") and store.setting("branch") == "BR01"
        finally:
            store.close()


def test_processes_opening_an_older_home_at_once_upgrade_it_once(tmp_path):
    older = tmp_path / "v1"
    make_v1_home(older)  # a version-1 store with enterprises on file: every migration since is pending
    results = run_at_once([opener(older) for _ in range(4)])
    listings = []
    for command, code, out, err in results:
        assert code == 0, (command, err)
        listings.append(sorted(json.loads(out)))
    assert listings[0] and all(listing == listings[0] for listing in listings)
    store = Store.open(older)
    try:
        applied = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations")]
        assert sorted(applied) == sorted(name for name, _fn in migrations.MIGRATIONS)  # each exactly once
    finally:
        store.close()


def _state(home):
    store = open_store(home)
    try:
        q = lambda sql: [tuple(r) for r in store.db.execute(sql)]  # noqa: E731
        return {
            "apps": q("SELECT id, ref FROM applications ORDER BY seq"),
            "current": q("SELECT a.ref, d.id, d.decision FROM decisions d "
                         "JOIN applications a ON a.id = d.application_id WHERE d.is_current = 1"),
            "decisions": q("SELECT id FROM decisions"),
            "overrides": q("SELECT id, status FROM overrides"),
            "memos": q("SELECT memo_no, version, lang FROM memos"),  # a memo's versions and renditions share its number
            "counters": dict(q("SELECT kind, next FROM counters")),
            "enterprises": q("SELECT ref FROM enterprises"),
        }  # fmt: skip
    finally:
        store.close()


def test_writers_at_once_all_succeed_and_nothing_is_lost(tmp_path):
    home = tmp_path / "busy"
    setup = run_at_once([loandesk(home, "demo", "--count", "20")])
    assert setup[0][1] == 0, setup[0][3]
    before = _state(home)
    pending = {r[0] for r in before["overrides"]}
    store = open_store(home)
    try:
        waiting = {r[0] for r in store.db.execute(
            "SELECT a.ref FROM overrides o JOIN applications a ON a.id = o.application_id WHERE o.status = 'pending'")}
    finally:
        store.close()
    current = {ref: decision for ref, _id, decision in before["current"]}
    refs = [ref for _id, ref in before["apps"]]
    to_decide = refs[:5]
    # Overrides on the other applications with a decision and none waiting: each changes the decision.
    to_override = [r for r in refs[5:] if r in current and r not in waiting]
    assert len(to_override) >= 10
    other = {"approve": "refer", "refer": "decline", "decline": "refer"}
    commands = [
        loandesk(home, "decide", *to_decide, user="officer"),
        loandesk(home, "memo", "--all-pending", "--out-dir", str(tmp_path / "memos"), user="officer"),
        loandesk(home, "demo", "--count", "4", "--seed", "7"),
        loandesk(home, "list", "applications"),
        *[loandesk(home, "override", r, "--to", other[current[r]], "--reason", f"concurrency check {i}",
                   user="officer") for i, r in enumerate(to_override)],
    ]  # fmt: skip
    results = run_at_once(commands)
    by_kind = {}
    for command, code, out, err in results:
        kind = command[command.index("--lang") + 2]
        assert "Traceback" not in err, (command, err)
        if kind == "memo" and code == 1:
            # Legitimate: the concurrent demo approved a memo for one of its new applications first.
            failed = json.loads(out)["failed"]
            assert failed and all("approved" in f["error"] for f in failed), err
        else:
            assert code == 0, (command, code, err)
        by_kind.setdefault(kind, []).append(json.loads(out) if out.strip() else None)

    after = _state(home)
    # decide: a new decision stored for each application it scored (the memo batch, scoring applications
    # never scored before it prints them, may have scored one again since: then that one is current)
    decided = {d["application"]: d["decision_id"] for d in by_kind["decide"][0]}
    assert sorted(decided) == sorted(to_decide)
    assert set(decided.values()) <= {d for (d,) in after["decisions"]}
    assert set(decided) <= {ref for ref, _, _ in after["current"]}
    assert len(after["current"]) == len({ref for ref, _, _ in after["current"]})  # one current decision each
    # override: every request stored, pending
    made = {ov["id"] for ov in by_kind["override"]}
    assert len(made) == len(to_override)
    statuses = dict(after["overrides"])
    assert all(statuses.get(oid) == "pending" for oid in made)
    assert pending | made <= set(statuses)
    # memo: every memo it issued is stored and written
    issued = [m["memo_no"] for m in by_kind["memo"][0]["issued"]]
    assert set(issued) <= {m for m, _version, _lang in after["memos"]}
    assert len(list((tmp_path / "memos").glob("*.pdf"))) == len(issued)
    # demo: four more enterprises and applications
    assert len(after["apps"]) == len(before["apps"]) + 4
    assert len(after["enterprises"]) == len(before["enterprises"]) + 4
    # nothing counted twice: references and memo numbers unique, counters at the number issued
    for rows in (after["apps"], after["enterprises"], after["memos"], after["decisions"]):
        assert not [k for k, n in Counter(rows).items() if n > 1]
    assert after["counters"]["application"] - 1 == len(after["apps"])
    assert after["counters"]["enterprise"] - 1 == len(after["enterprises"])
    assert after["counters"]["memo"] - 1 == len({m for m, _version, _lang in after["memos"]})
    # the reader saw a consistent list
    assert len(by_kind["list"][0]) >= len(before["apps"])
