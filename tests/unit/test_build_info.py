"""Which build this is (loandesk/build_info.py): a bundle's build record, a source checkout said to be one."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from loandesk import __version__, build_info
from loandesk.paths import resources_dir

BUILT = dt.datetime(2026, 11, 30, 8, 15, tzinfo=dt.UTC)


def write_record(folder, **fields):
    folder.mkdir(parents=True, exist_ok=True)
    record = {**build_info.record(__version__, "abc1234", BUILT), **fields}
    (folder / build_info.BUILD_INFO).write_text(json.dumps(record), encoding="utf-8")


def test_a_bundles_record_gives_the_build_date_and_commit(tmp_path):
    write_record(tmp_path / "resources")
    info = build_info.read(tmp_path / "resources")
    assert (info.kind, info.date, info.commit) == ("bundle", dt.date(2026, 11, 30), "abc1234")
    assert info.built_at == "2026-11-30T08:15:00+00:00"


def test_an_unreadable_record_is_said_to_be_one(tmp_path):
    (tmp_path / build_info.BUILD_INFO).write_text("{not json", encoding="utf-8")
    info = build_info.read(tmp_path)
    assert info.kind == "unreadable" and build_info.BUILD_INFO in info.problem
    write_record(tmp_path, built="yesterday")
    assert build_info.read(tmp_path).kind == "unreadable"


def test_this_checkout_is_a_source_checkout_with_its_last_commit():
    info = build_info.read(resources_dir())  # the tests run from a checkout (resources/ at the top)
    assert info.kind == "checkout" and info.built_at is None
    if shutil.which("git"):
        assert isinstance(info.date, dt.date) and info.commit and all(c in "0123456789abcdef" for c in info.commit)


def test_resources_without_a_record_outside_a_checkout_are_an_installed_package(tmp_path):
    assert build_info.read(tmp_path).kind == "installed"


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_the_record_marks_a_build_from_uncommitted_changes(tmp_path):
    def git(*args):
        env = {"GIT_AUTHOR_DATE": "2026-11-01T10:00:00Z", "GIT_COMMITTER_DATE": "2026-11-01T10:00:00Z",
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}  # fmt: skip
        return subprocess.run(["git", "-C", str(tmp_path), *args], env=env, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "a.txt").write_text("one")
    git("add", "a.txt")
    git("commit", "-qm", "one")
    head = build_info.source_commit(tmp_path)
    assert head and "-" not in head
    (tmp_path / "a.txt").write_text("two")
    assert build_info.source_commit(tmp_path) == f"{head}-modified"
    assert build_info.source_commit(tmp_path / "nowhere") is None
