"""The branch's settings (issue 11, first run): each value checked with a reason naming the field, written by
an admin only and audited, printed on memos; and `loandesk settings` over the same function."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from loandesk.core.branch_setup import SetupError, check_branch_code, check_hub_url, check_name
from loandesk.core.permissions import PermissionDenied
from loandesk.demo import DEMO_PASSWORD
from loandesk.memo.template import template_for
from loandesk.security import session as sessions
from loandesk.storage import audit, branch_settings
from users_support import with_demo_users


@pytest.mark.parametrize("url", ["https://hub.example.cn:8800", "http://10.1.2.3:8800/", "http://localhost",
                                 "https://[::1]:8443/hub"])  # fmt: skip
def test_hub_addresses_a_computer_can_reach_are_taken(url):
    assert check_hub_url(url) == url.rstrip("/")


@pytest.mark.parametrize(("url", "reason"), [
    ("hub.example.cn", "Hub address: give it as http://HOST:PORT or https://HOST"),
    ("ftp://hub.example.cn", "Hub address: give it as http://HOST:PORT or https://HOST"),
    ("http://", "Hub address: 'http://' names no host"),
    ("https://hub..example", "names no host"),
    ("https://hub.example:0", "names no host"),
    ("https://hub.example:port", "names no host"),
    ("https://hub example", "Hub address: an address has no spaces"),
    ("https://user:pw@hub.example", "without ?, # or a user name"),
    ("", "type the address head office gave you, or choose offline only"),
])  # fmt: skip
def test_junk_hub_addresses_are_refused_with_the_reason(url, reason):
    with pytest.raises(SetupError) as refused:
        check_hub_url(url)
    assert reason in refused.value.message("en") and refused.value.field == "hub_url"
    assert refused.value.message("zh").startswith("总行中心地址：")


def test_names_and_codes_are_checked_naming_the_field():
    assert check_name("bank_name", "  钱塘农商银行 ") == "钱塘农商银行"
    assert check_branch_code("QT07") == "QT07"
    for call, words in ((lambda: check_name("branch_name", "城西\n支行"), "Branch name: one line of text"),
                        (lambda: check_name("bank_name", "银" * 61), "Bank name: at most 60 characters (61 typed)"),
                        (lambda: check_branch_code("hz01"), "Branch code: 2-8 capital letters or digits")):  # fmt: skip
        with pytest.raises(SetupError) as refused:
            call()
        assert refused.value.message("en").startswith(words)


def test_an_admin_changes_them_audited_and_memos_print_the_names(tmp_path):
    home = with_demo_users(tmp_path / "home")
    session = sessions.sign_in(home, "admin", DEMO_PASSWORD)
    store = session.store
    try:
        assert template_for(store).bank("zh") == "示范农村商业银行"  # the template's, while settings hold none
        with pytest.raises(SetupError):  # one bad value: nothing written
            branch_settings.apply(store, {"bank_name": "钱塘农商银行", "hub_url": "nonsense"})
        assert store.setting("bank_name") is None
        changed = branch_settings.apply(store, {"bank_name": "钱塘农商银行", "branch_name": "城西支行",
                                                "branch": "QT07"})  # fmt: skip
        assert changed == {"bank_name": "钱塘农商银行", "branch_name": "城西支行", "branch": "QT07"}
        template = template_for(store)
        assert (template.bank("en"), template.branch("zh")) == ("钱塘农商银行", "城西支行")
        assert [r["target"] for r in audit.records(store.db, action="setting_changed")] == [
            "bank_name", "branch_name", "branch"]  # fmt: skip
        assert branch_settings.apply(store, {"bank_name": "钱塘农商银行"}) == {}  # the same value: nothing audited
        store.next_ref("application")  # a reference issued: the code is fixed from now on
        with pytest.raises(SetupError, match="already issues references for branch QT07"):
            branch_settings.apply(store, {"branch": "QT08"})
    finally:
        session.close()
    teller = sessions.sign_in(home, "teller", DEMO_PASSWORD)
    try:
        with pytest.raises(PermissionDenied):
            branch_settings.apply(teller.store, {"bank_name": "别的银行"})
    finally:
        teller.close()


def loandesk(home, *args, user="admin"):
    env = {**os.environ, "LOANDESK_USER": user, "LOANDESK_PASSWORD": DEMO_PASSWORD}
    return subprocess.run([sys.executable, "-m", "loandesk", "--lang", "en", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)  # fmt: skip


def test_the_settings_command(tmp_path):
    home = with_demo_users(tmp_path / "home")
    done = loandesk(home, "settings", "set", "bank_name", "钱塘农商银行")
    assert done.returncode == 0 and "bank_name set to '钱塘农商银行'" in done.stderr
    refused = loandesk(home, "settings", "set", "hub_url", "hub.example")
    assert refused.returncode == 2 and "Hub address: give it as http://HOST:PORT" in refused.stderr
    teller = loandesk(home, "settings", "set", "bank_name", "x", user="teller")
    assert teller.returncode == 2 and "teller (teller) may not change settings" in teller.stderr
    shown = json.loads(loandesk(home, "settings", "show", "--json", user="teller").stdout)
    assert shown == {"bank_name": "钱塘农商银行", "branch_name": "", "branch": "HZ01", "hub_url": "",
                     "enrolled": False}  # fmt: skip
