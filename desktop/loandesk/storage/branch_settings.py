"""The branch's own settings, in the store's settings table: read them, change them (admin only, audited).

``bank_name`` and ``branch_name`` print on memos (over the memo template's names); ``branch`` is the code
in reference numbers (fixed once a reference has been issued); ``hub_url`` is the head-office hub's address
recorded before enrolment (the enrol dialog offers it; enrolling writes it again), empty for offline only.
The interface language is not here: it is the device's preference (``ui.i18n``), not the branch's.
"""

from __future__ import annotations

from loandesk.core.branch_setup import SetupError, check_branch_code, check_hub_url, check_name

KEYS = ("bank_name", "branch_name", "branch", "hub_url")


def read(store) -> dict[str, str]:
    """Every key of KEYS, "" when unset; ``enrolled`` says whether the hub address is the enrolled one."""
    found = {key: store.setting(key) or "" for key in KEYS}
    found["enrolled"] = "yes" if store.setting("hub_token") else ""
    return found


def checked(key: str, value: str) -> str:
    """``value`` as it is stored, or SetupError naming the field. Empty: for a name, the memo template's
    (a home made by ``loandesk init`` has none of its own); for the hub address, offline only."""
    if key in ("bank_name", "branch_name"):
        return check_name(key, value) if (value or "").strip() else ""
    if key == "branch":
        return check_branch_code(value)
    if key == "hub_url":
        return check_hub_url(value) if (value or "").strip() else ""
    raise SetupError("bank_name", f"unknown setting {key!r}; known: {', '.join(KEYS)}",
                     f"无此设置 {key}；可设置：{'、'.join(KEYS)}")  # fmt: skip


def apply(store, changes: dict[str, str]) -> dict[str, str]:
    """Check every change first, then write them in one transaction, each audited; returns what changed.

    Needs ``change_settings``. Refused whole (nothing written): a bad value, a new branch code once a
    reference has been issued, a hub address other than the one this device is enrolled with."""
    store.actor.require("change_settings")
    values = {key: checked(key, value) for key, value in changes.items()}
    current = read(store)
    changed = {key: value for key, value in values.items() if value != current[key]}
    if "branch" in changed and store.db.execute("SELECT count(*) FROM counters").fetchone()[0]:
        raise SetupError("branch", f"this data home already issues references for branch {current['branch']}; "
                         "use a new data home for another branch",
                         f"本数据目录已按网点 {current['branch']} 编号，不能更改；"
                         "其他网点请使用新的数据目录")  # fmt: skip
    if "hub_url" in changed and current["enrolled"]:
        raise SetupError("hub_url", f"this device is enrolled with {current['hub_url']}; head office moves it "
                         "to another hub", f"本设备已在 {current['hub_url']} 注册，如需更换中心请联系总行")  # fmt: skip
    with store.db.atomic():
        for key, value in changed.items():
            store.set_setting(key, value)
            store.audit("setting_changed", key, {"value": value})
    return changed
