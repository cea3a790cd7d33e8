"""Hypothesis stateful test: three devices of one branch edit one shared enterprise and its application
at random, push and pull at random (partial syncs: a push without the pull after it), and people settle
conflicts at random. After everyone syncs, all devices and the hub hold the same values, and every
edit is either in force, knowingly replaced (its device or a person saw it before writing another), or
waiting in a conflict inbox: never silently dropped.

One real hub process (SQLite) serves every example; each example is a fresh branch with fresh homes.
Examples and steps are bounded so the test runs in well under a minute.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from loandesk.sync import client, merge
from users_support import open_store, with_demo_users

FIELDS = {"employees": "enterprise", "annual_revenue": "enterprise", "site_notes": "application",
          "purpose": "application"}  # fmt: skip
_branches = itertools.count(1)


@pytest.fixture
def sqlite_hub(start_hub, tmp_path):
    return start_hub(f"sqlite:///{tmp_path}/hub.db")


def _value(field: str, n: int):
    """Every edit's value is unique in its example (so an edit is known by its value), and the same on a
    replay of the example (so Hypothesis can shrink a failure)."""
    return n * 1000 if field in ("employees", "annual_revenue") else f"值{n}"


class Branch(RuleBasedStateMachine):
    hub = None  # set by the test

    @initialize()
    def start(self):
        from loandesk.demo import populate
        from loandesk.hub.service import Hub

        self.dir = Path(tempfile.mkdtemp(prefix="converge-"))
        self.branch = f"330199-{next(_branches):03d}"
        self.hq = Hub.open(self.hub.db)
        self.homes = [with_demo_users(self.dir / f"d{i}") for i in range(3)]
        store = open_store(self.homes[0])
        try:
            (self.app_id,) = populate(store, 1, seed=7)
            self.ent_id = store.application(self.app_id).enterprise_id
        finally:
            store.close()
        for home in self.homes:
            code, _ = self.hq.issue_code(self.branch, __import__("datetime").timedelta(hours=1))
            self._with(home, lambda s, code=code: client.enroll(s, self.hub.url, code))
        for home in self.homes:
            self._with(home, client.sync)
        self.counter = itertools.count(1000)
        self.superseded: set = set()
        self.edits: list = []  # (device, field, value)

    def _with(self, home, work):
        store = open_store(home)
        try:
            return work(store)
        finally:
            store.close()

    def _local(self, store, field: str):
        return store.application_record(self.app_id)[field]

    @rule(device=st.integers(0, 2), field=st.sampled_from(sorted(FIELDS)))
    def edit(self, device, field):
        value = _value(field, next(self.counter))

        def work(store):
            record = store.application_record(self.app_id)
            self.superseded.add((field, record[field]))  # the device saw it and writes over it
            store.save_intake({**record, field: value}, enterprise_id=self.ent_id, application_id=self.app_id)

        self._with(self.homes[device], work)
        self.edits.append((device, field, value))

    @rule(device=st.integers(0, 2))
    def sync(self, device):
        self._with(self.homes[device], client.sync)

    @rule(device=st.integers(0, 2))
    def push_only(self, device):  # an interrupted sync: sent, but the pull never happened
        self._with(self.homes[device], client.push)

    @rule(device=st.integers(0, 2), keep=st.sampled_from(["local", "remote"]))
    def resolve(self, device, keep):
        def work(store):
            found = merge.list_conflicts(store)
            if found:
                c = found[0]
                loser = c["remote_value"] if keep == "local" else c["local_value"]
                self.superseded.add((c["field"], loser))  # a person chose, seeing both
                merge.resolve_conflict(store, c["id"], keep)

        self._with(self.homes[device], work)

    def teardown(self):
        if not hasattr(self, "homes"):
            return
        for _ in range(3):
            for home in self.homes:
                self._with(home, client.sync)
        hub_ent = self.hq.record(None, "enterprise", self.ent_id).data
        hub_app = self.hq.record(None, "application", self.app_id).data
        hub_values = {f: (hub_ent if kind == "enterprise" else hub_app)[f] for f, kind in FIELDS.items()}
        inboxes = set()
        for home in self.homes:
            def look(store):
                assert client.unsent(store) == 0
                local = {f: self._local(store, f) for f in FIELDS}
                assert local == hub_values  # converged
                for c in merge.list_conflicts(store):
                    inboxes.add((c["field"], c["local_value"]))
                    inboxes.add((c["field"], c["remote_value"]))

            self._with(home, look)
        for _device, field, value in self.edits:
            assert hub_values[field] == value or (field, value) in self.superseded or (field, value) in inboxes, (
                f"edit {field}={value!r} was silently dropped")
        self.hq.engine.dispose()


def test_three_devices_converge_and_no_edit_is_silently_dropped(sqlite_hub):
    Branch.hub = sqlite_hub
    examples = int(os.environ.get("LOANDESK_CONVERGE_EXAMPLES", "8"))  # more for a deeper run by hand
    run = settings(max_examples=examples, stateful_step_count=14, deadline=None,
                   suppress_health_check=list(HealthCheck))(Branch)  # fmt: skip
    run.TestCase().runTest()


def test_two_refused_edits_of_one_field_leave_the_newer_one_in_the_inbox(sqlite_hub):
    """Found by the test above: device 1 edits a field twice while device 0 edits it once and syncs
    first. The hub refuses both of device 1's edits in one push; the inbox must hold the newer one."""
    Branch.hub = sqlite_hub
    for _ in range(3):  # the hub's conflict ids do not order two conflicts made in one millisecond
        machine = Branch()
        machine.start()
        machine.edit(device=0, field="purpose")
        machine.edit(device=1, field="annual_revenue")
        machine.edit(device=1, field="annual_revenue")
        machine.edit(device=0, field="annual_revenue")
        machine.teardown()
