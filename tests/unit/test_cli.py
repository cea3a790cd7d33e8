"""The `loandesk` command as a user runs it: a real process, a real data home."""

import json
import os
import random
import re
import subprocess
import sys

import pytest

from loandesk import __version__
from loandesk.security.session import sign_in
from users_support import with_demo_users


def loandesk(*args, home=None):
    cmd = [sys.executable, "-m", "loandesk"] + (["--home", str(home)] if home else []) + list(args)
    env = {**os.environ, "LOANDESK_LANG": "zh"}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo")
    proc = loandesk("demo", "--count", "40", home=home)
    assert proc.returncode == 0, proc.stderr
    return home


def test_version():
    proc = loandesk("--version")
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_demo_covers_every_industry_and_tax_grade(demo_home):
    ents = json.loads(loandesk("list", "enterprises", "--json", "--unmasked", home=demo_home).stdout)
    assert len(ents) == 40
    assert {e["industry"] for e in ents} == {"AGR", "IND", "CON", "WHS", "RET", "TRN", "STO", "PST", "ACC",
                                             "CAT", "ITC", "SWS", "RED", "PMG", "LBS", "OTH"}  # fmt: skip
    assert {e["tax_grade"] for e in ents} == set("ABMCD")
    assert all(re.search(r"[\u4e00-\u9fff]", e["enterprise_name"]) for e in ents)
    assert all(e["ref"].startswith("E-HZ01-") for e in ents)


def test_list_masks_personal_data_unless_asked(demo_home):
    full = json.loads(loandesk("list", "enterprises", "--json", "--unmasked", home=demo_home).stdout)
    shown = loandesk("list", "enterprises", "--json", home=demo_home).stdout
    for e in full:
        assert e["legal_rep_id"] not in shown and e["legal_rep_phone"] not in shown
    masked = json.loads(shown)
    assert masked[0]["legal_rep_id"] == full[0]["legal_rep_id"][:6] + "********" + full[0]["legal_rep_id"][-4:]
    assert masked[0]["legal_rep_phone"] == full[0]["legal_rep_phone"][:3] + "****" + full[0]["legal_rep_phone"][-4:]


def test_list_applications_has_refs_and_dictionary_fields(demo_home):
    apps = json.loads(loandesk("list", "applications", "--json", home=demo_home).stdout)
    assert len(apps) == 40
    needed = {"ref", "enterprise_name", "credit_code", "requested_amount", "term_months", "purpose",
              "guarantee_mode", "legal_rep_name", "tax_grade", "industry"}  # fmt: skip
    assert needed <= set(apps[0])
    assert all(a["ref"].startswith("A-HZ01-") for a in apps)


def test_list_search(demo_home):
    ents = json.loads(loandesk("list", "enterprises", "--json", home=demo_home).stdout)
    name = ents[5]["enterprise_name"]
    found = json.loads(loandesk("list", "enterprises", "--search", name[3:5], home=demo_home).stdout)
    assert ents[5]["ref"] in [e["ref"] for e in found]


def test_home_from_environment(tmp_path):
    env = {**os.environ, "LOANDESK_HOME": str(tmp_path / "envhome")}
    proc = subprocess.run([sys.executable, "-m", "loandesk", "demo", "--count", "2"], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0 and (tmp_path / "envhome" / "loandesk.db").exists()


def test_bad_count_is_refused_with_a_message(tmp_path):
    proc = loandesk("demo", "--count", "0", home=tmp_path / "h")
    assert proc.returncode == 2 and "--count" in proc.stderr


def test_list_into_a_closed_pipe_ends_quietly(tmp_path):
    """`loandesk list enterprises | head`: no BrokenPipe traceback, the usual SIGPIPE status."""
    from loandesk.demo import demo_record
    from loandesk.storage import Store

    home = tmp_path / "big"
    store = Store.open(home, branch="HZ01")
    rng = random.Random(4)
    store.import_enterprises(
        {**demo_record(rng, i), "abnormal_operation": False, "dishonest_debtor": False, "has_loan_history": False}
        for i in range(600)
    )  # ~600 KB of JSON: far more than a pipe holds
    store.close()
    with_demo_users(home)
    cmd = [sys.executable, "-m", "loandesk", "--home", str(home), "list", "enterprises"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100).startswith(b"[")
    proc.stdout.close()  # what head does after its lines
    assert proc.wait(timeout=120) in (0, 141)
    assert proc.stderr.read() == b""


def test_init_sets_the_branch_of_a_new_home(tmp_path):
    home = tmp_path / "h"
    assert loandesk("init", "--branch", "SH02", home=home).returncode == 2  # a new home needs its first admin
    proc = loandesk("init", "--admin", "admin", "--branch", "SH02", home=home)
    assert proc.returncode == 0 and "SH02" in proc.stderr
    assert not (home / "store.key").exists() and (home / "keyring.json").exists()
    assert loandesk("demo", "--count", "2", home=home).returncode == 0
    ents = json.loads(loandesk("list", "enterprises", home=home).stdout)
    assert ents and all(e["ref"].startswith("E-SH02-") for e in ents)


def test_init_gives_a_branch_to_a_home_the_gui_made(tmp_path):
    from loandesk.storage import Store

    home = tmp_path / "gui"
    Store.open(home).close()  # the GUI's data home: branch BR01, nothing issued yet
    proc = loandesk("init", "--admin", "admin", "--branch", "NB03", home=home)  # upgraded in place
    assert proc.returncode == 0 and "NB03" in proc.stderr
    assert not (home / "store.key").exists()
    session = sign_in(home, "admin", "demo")
    assert session.store.setting("branch") == "NB03"
    session.close()


def test_init_refuses_to_change_the_branch_once_references_are_issued(tmp_path):
    home = tmp_path / "used"
    assert loandesk("demo", "--count", "1", home=home).returncode == 0
    proc = loandesk("init", "--branch", "SH02", home=home)
    assert proc.returncode == 2 and "HZ01" in proc.stderr
    assert loandesk("init", "--branch", "HZ01", home=home).returncode == 0  # the same branch: fine
    assert loandesk("init", "--branch", "hz-1", home=home).returncode == 2
