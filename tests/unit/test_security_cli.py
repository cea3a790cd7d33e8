"""Issue 8 through the real command line: sign-in, each role against each action, users, audit, upgrade
of a home from before users, and what a copied data home gives away (nothing). Real processes, real
encrypted stores; LOANDESK_KDF=fast (tests/conftest.py) keeps the key derivations quick."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from loandesk.core import permissions
from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.scoring.pack import default_pack_path
from loandesk.storage import Store
from users_support import open_store

ROLE_EN = {"teller": "teller", "officer": "officer", "approver": "approver", "admin": "branch admin"}


def loandesk(home, *args, user="admin", password="demo", lang="en", **extra_env):
    cmd = [sys.executable, "-m", "loandesk", "--lang", lang, "--home", str(home), *args]
    env = {**os.environ, "LOANDESK_USER": user, "LOANDESK_PASSWORD": password, **extra_env}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A home made by `loandesk demo` (its four users, password demo), and a file to score."""
    root = tmp_path_factory.mktemp("security")
    home = root / "home"
    made = loandesk(home, "demo", "--count", "10")
    assert made.returncode == 0, made.stderr
    assert "admin" in made.stderr and "teller" in made.stderr and "demo" in made.stderr  # says who, and the password
    apps = json.loads(loandesk(home, "list", "applications").stdout)
    return {"home": home, "root": root, "apps": apps}


def _ref(apps, stage):
    return next(a["ref"] for a in apps if a["stage"] == stage)


# ---- each role against each action -----------------------------------------------------------------
# (action in permissions.toml, the command that needs it; {out} is a fresh folder per run)
COMMANDS = [
    ("search", lambda d: ["list", "applications"]),
    ("unmask", lambda d: ["list", "enterprises", "--unmasked"]),
    ("score", lambda d: ["decide", _ref(d["apps"], "submitted")]),
    ("score_file", lambda d: ["score", "--input", str(d["input"]), "--output", "{out}/scored.csv"]),
    ("request_override", lambda d: ["override", _ref(d["apps"], "scored"), "--to", "decline", "--reason", "走访"]),
    ("confirm_override", lambda d: ["confirm-override", "no-such-override"]),
    ("approve", lambda d: ["approve", _ref(d["apps"], "memo_issued"), "--decline", "--reason", "不予授信"]),
    ("print_memo", lambda d: ["memo", d["apps"][0]["ref"], "--out", "{out}/memo.pdf"]),
    ("draft_memo", lambda d: ["memo", "--all-pending", "--out-dir", "{out}/memos"]),
    ("export", lambda d: ["backup", "{out}/backup.zip"]),
    ("install_rules", lambda d: ["rules", "install", str(default_pack_path())]),
    ("manage_users", lambda d: ["users", "list"]),
    ("view_audit", lambda d: ["audit", "list"]),
]
CASES = [(role, action) for action, _ in COMMANDS for role in permissions.ROLES]


@pytest.fixture(scope="module")
def matrix_runs(demo):
    """Every (role, action) run once against one demo home, a few processes at a time."""
    from test_security_core import ISSUE_8  # noqa: F401  (the matrix the issue states is checked there)

    data = dict(demo)
    data["input"] = demo["root"] / "in.csv"
    rows = [demo_record(__import__("random").Random(3), i) for i in range(3)]
    cols = [c for c in rows[0] if c not in ("officer",)]
    data["input"].write_text(",".join(cols) + "\n" + "\n".join(",".join(str(r[c]) for c in cols) for r in rows)
                             + "\n", encoding="utf-8")  # fmt: skip
    commands = dict(COMMANDS)

    def one(case):
        role, action = case
        out = demo["root"] / f"out-{role}-{action}"
        out.mkdir()
        args = [a.replace("{out}", str(out)) for a in commands[action](data)]
        return case, loandesk(demo["home"], *args, user=role)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(one, CASES))


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{r}-{a}" for r, a in CASES])
def test_each_role_against_each_action(matrix_runs, role, action):
    proc = matrix_runs[(role, action)]
    refusal = f"{role} ({ROLE_EN[role]}) may not"
    if permissions.allowed(role, action):
        assert "may not" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
        if action != "confirm_override":  # allowed, then refused for another reason: no such override
            assert proc.returncode in (0, 1), proc.stderr
    else:
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and refusal in proc.stderr, proc.stderr


def test_records_carry_the_signed_in_user_and_a_typed_other_name_is_refused(demo):
    home, apps = demo["home"], demo["apps"]
    ref = [a["ref"] for a in apps if a["stage"] == "scored"][-1]
    other = loandesk(home, "override", ref, "--to", "decline", "--reason", "x", "--officer", "周建华", user="officer")
    assert other.returncode == 2 and "--officer 周建华 is not the signed-in user 李明" in other.stderr
    made = loandesk(home, "override", ref, "--to", "decline", "--reason", "停业", user="officer")
    assert made.returncode == 0, made.stderr
    ov = json.loads(made.stdout)
    assert ov["officer"] == "李明"
    done = loandesk(home, "confirm-override", ov["id"], "--reject", user="approver")
    assert done.returncode == 0 and json.loads(done.stdout)["approver"] == "陈静"


# ---- signing in ------------------------------------------------------------------------------------
def test_wrong_password_throttling_and_no_password(tmp_path):
    home = tmp_path / "h"
    assert loandesk(home, "demo", "--count", "1").returncode == 0
    wrong = loandesk(home, "list", "applications", user="teller", password="guess")
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "wrong user name or password" in wrong.stderr
    for _ in range(4):
        assert loandesk(home, "list", "applications", user="teller", password="guess").returncode == 2
    throttled = loandesk(home, "list", "applications", user="teller")  # the right password, too soon
    assert throttled.returncode == 2 and "too many failed sign-ins for teller" in throttled.stderr
    assert loandesk(home, "list", "applications", user="officer").returncode == 0  # others are not held up
    env = {k: v for k, v in os.environ.items() if k != "LOANDESK_PASSWORD"}
    proc = subprocess.run([sys.executable, "-m", "loandesk", "--lang", "en", "--home", str(home), "--user", "officer",
                           "list", "applications"], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    assert proc.returncode == 2 and "no password" in proc.stderr and proc.stderr.count("\n") == 1
    audit = json.loads(loandesk(home, "audit", "list", "--json").stdout)
    assert sum(r["action"] == "login_failed" for r in audit) == 5  # the failures joined the trail at a sign-in


def test_users_add_list_disable_reset(tmp_path):
    home = tmp_path / "h"
    assert loandesk(home, "init", "--admin", "boss", "--display-name", "王行长").returncode == 0
    add = loandesk(home, "users", "add", "zhou", "--role", "officer", "--display-name", "周建华", user="boss",
                   LOANDESK_NEW_PASSWORD="zhou-pass-1")  # fmt: skip
    assert add.returncode == 0, add.stderr
    listed = json.loads(loandesk(home, "users", "list", "--json", user="boss").stdout)
    assert [(u["username"], u["role"], u["display_name"]) for u in listed] == [
        ("boss", "admin", "王行长"), ("zhou", "officer", "周建华")]
    assert loandesk(home, "list", "applications", user="zhou", password="zhou-pass-1").returncode == 0
    refused = loandesk(home, "users", "list", user="zhou", password="zhou-pass-1")
    assert refused.returncode == 2 and "zhou (officer) may not manage users" in refused.stderr
    assert loandesk(home, "users", "disable", "zhou", user="boss").returncode == 0
    off = loandesk(home, "list", "applications", user="zhou", password="zhou-pass-1")
    assert off.returncode == 2 and off.stderr.count("\n") == 1
    assert loandesk(home, "users", "reset", "zhou", user="boss", LOANDESK_NEW_PASSWORD="zhou-pass-2").returncode == 0
    assert loandesk(home, "list", "applications", user="zhou", password="zhou-pass-2").returncode == 0
    assert loandesk(home, "list", "applications", user="zhou", password="zhou-pass-1").returncode == 2
    actions = [r["action"] for r in json.loads(loandesk(home, "audit", "list", "--json", user="boss").stdout)]
    assert {"home_created", "user_added", "user_disabled", "password_reset", "login"} <= set(actions)


# ---- init --admin: a new home, and a home from before users -----------------------------------------
def test_init_admin_on_a_new_and_on_a_legacy_home(tmp_path):
    new = tmp_path / "new"
    made = loandesk(new, "init", "--admin", "boss", "--branch", "SH02", password="s3cret-pass")
    assert made.returncode == 0, made.stderr
    assert (new / "keyring.json").exists() and not (new / "store.key").exists()
    assert loandesk(new, "list", "applications", user="boss", password="s3cret-pass").returncode == 0
    again = loandesk(new, "init", "--admin", "other", password="s3cret-pass")
    assert again.returncode == 2 and "already has users" in again.stderr

    legacy = tmp_path / "legacy"
    store = Store.open(legacy, branch="HZ01")  # a home from before users: store.key beside the database
    store.save_intake(validate_intake(demo_record(__import__("random").Random(1), 0)).values)
    store.close()
    before = loandesk(legacy, "list", "applications")
    assert before.returncode == 2 and "from before users" in before.stderr
    up = loandesk(legacy, "init", "--admin", "boss", password="s3cret-pass")
    assert up.returncode == 0 and "upgraded" in up.stderr, up.stderr
    assert not (legacy / "store.key").exists()
    listed = loandesk(legacy, "list", "applications", user="boss", password="s3cret-pass")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 1  # nothing lost


# ---- the audit trail -------------------------------------------------------------------------------
def test_unmask_and_exports_are_audited_without_personal_data(demo):
    home = demo["home"]
    shown = json.loads(loandesk(home, "list", "enterprises", "--unmasked", user="officer").stdout)
    pdf = demo["root"] / "exported.pdf"
    assert loandesk(home, "memo", demo["apps"][0]["ref"], "--out", str(pdf), user="teller").returncode == 0
    records = json.loads(loandesk(home, "audit", "list", "--json").stdout)
    unmasks = [r for r in records if r["action"] == "unmasked" and r["user"] == "officer"]
    assert unmasks and unmasks[-1]["details"]["count"] == len(shown)
    trail = json.dumps(records, ensure_ascii=False)
    for e in shown:
        assert e["legal_rep_id"] not in trail and e["legal_rep_phone"] not in trail
        assert e["legal_rep_name"] not in trail
    assert any(r["action"] == "exported" and r["user"] == "teller" and r["target"].startswith("M-") for r in records)


def test_audit_verify_names_an_altered_an_inserted_and_a_removed_record(tmp_path):
    home = tmp_path / "h"
    assert loandesk(home, "demo", "--count", "2").returncode == 0
    ok = loandesk(home, "audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout
    cases = {
        "altered": "UPDATE audit SET user = 'someone' WHERE seq = 3",
        "removed": "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
        "inserted": "INSERT INTO audit(seq, at, user, device, action, target, details, prev_hash, hash) "
                    "VALUES (:seq, :at, :user, :device, :action, :target, :details, :prev_hash, :hash)",
    }  # fmt: skip
    for kind, sql in cases.items():
        copy = tmp_path / kind
        shutil.copytree(home, copy)
        store = open_store(copy)  # the decrypted store, as someone with a password and sqlite would
        with store.db.atomic():  # the append-only triggers dropped first, as a tamperer would
            store.db.execute("DROP TRIGGER IF EXISTS audit_no_update")
            store.db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
            store.db.execute(sql, _forged(store) if kind == "inserted" else ())
        store.close()
        said = loandesk(copy, "audit", "verify")
        assert said.returncode == 1, (kind, said.stdout, said.stderr)
        assert re.search(rf"audit record \d+ was {kind}", said.stdout), (kind, said.stdout)
    altered = loandesk(tmp_path / "altered", "audit", "verify")
    assert "audit record 3 was altered" in altered.stdout


def _forged(store) -> dict:
    """A well-formed record (its own hash right) slipped in at the end, claiming a login nobody made."""
    from loandesk.core.audit_chain import record_hash

    seq = store.db.execute("SELECT max(seq) FROM audit").fetchone()[0] + 1
    rec = {"seq": seq, "at": "2026-11-23T09:00:00.000+00:00", "user": "mallory", "device": "X", "action": "login",
           "target": None, "details": None, "prev_hash": "f" * 64}  # fmt: skip
    return {**rec, "hash": record_hash(rec)}


# ---- injection strings, and a copied data home ------------------------------------------------------
HOSTILE = ["'; DROP TABLE applications;--", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]


def test_hostile_strings_are_stored_literally(tmp_path):
    home = tmp_path / "h"
    assert loandesk(home, "demo", "--count", "1").returncode == 0
    store = open_store(home)
    for i, text in enumerate(HOSTILE):
        rec = demo_record(__import__("random").Random(9), 10 + i)
        rec["enterprise_name"] = f"{text}有限公司"
        rec["purpose"] = text
        store.save_intake(validate_intake(rec).values)
    store.close()
    listed = json.loads(loandesk(home, "list", "applications", "--unmasked").stdout)
    assert {f"{t}有限公司" for t in HOSTILE} <= {a["enterprise_name"] for a in listed}
    assert len(listed) == 1 + len(HOSTILE)  # the table is there, every row in it


def test_a_copied_data_home_opens_nothing_and_holds_no_plaintext_personal_data(demo, tmp_path):
    from loandesk.storage.attachments import add_attachment

    home = tmp_path / "laptop"
    shutil.copytree(demo["home"], home)
    people = json.loads(loandesk(home, "list", "enterprises", "--unmasked").stdout)
    store = open_store(home)
    scan = tmp_path / "id_card.txt"
    scan.write_text(f"身份证 {people[0]['legal_rep_id']} {people[0]['legal_rep_name']}", encoding="utf-8")
    app_id = store.all_application_ids()[0]
    add_attachment(store, app_id, "id_card", scan)
    other = people[1]
    store.save_draft("draft-1", {"legal_rep_id": other["legal_rep_id"], "legal_rep_phone": other["legal_rep_phone"]})
    scan.unlink()
    stolen = tmp_path / "stolen"
    shutil.copytree(home, stolen)  # database, WAL, attachments, the draft: copied while the store is open
    store.close()
    secrets = {p[k] for p in people for k in ("legal_rep_id", "legal_rep_phone", "legal_rep_name")}
    files = [p for p in stolen.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files) or any("attachments" in p.parts for p in files)
    leaks = [(p.name, s) for p in files for s in secrets if s.encode() in p.read_bytes()]
    assert not leaks, leaks
    assert not (stolen / "store.key").exists()
    with pytest.raises(Exception):  # noqa: B017 - whatever the reason, it does not open
        Store.open(stolen)
    guessed = loandesk(stolen, "list", "applications", password="password")
    assert guessed.returncode == 2
