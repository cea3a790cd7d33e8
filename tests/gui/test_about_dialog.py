"""Help > About: version, build date, the rule pack in force, the data home and its size; "Back up…" writes
an encrypted backup on the worker, says where, and the file restores into a new home with the same
applications."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from loandesk import __version__
from loandesk.core import formatting
from loandesk.demo import DEMO_PASSWORD, populate
from loandesk.storage import Store
from loandesk.storage.backup import data_home_size, restore
from loandesk.ui.about_dialog import AboutDialog
from loandesk.ui.tasks import TaskRunner


def application_refs(store) -> list[str]:
    return [r["ref"] for r in store.application_rows("", "ref", False, 0, 10_000)]


@pytest.fixture
def demo_home(home) -> tuple[Path, list[str]]:
    store = Store.open(home, branch="HZ01")
    populate(store, 8)
    refs = application_refs(store)
    store.close()
    return home, refs


def test_about_shows_the_facts_and_backs_up_a_restorable_copy(demo_home, open_window, qtbot, tmp_path):
    home, refs = demo_home
    window = open_window(home)
    window.about()
    dialog = window.about_dialog
    qtbot.waitUntil(lambda: dialog.facts is not None, timeout=10_000)
    assert dialog.isVisible()
    assert __version__ in dialog.version_label.text()
    assert dialog.home_label.text() == str(home)
    pack = dialog.facts["pack"]
    assert pack["id"] in dialog.pack_label.text() and pack["version"] in dialog.pack_label.text()
    assert "in force" in dialog.pack_label.text()
    assert dialog.size_label.text() == formatting.byte_size(dialog.facts["size"])
    assert abs(dialog.facts["size"] - data_home_size(home)) < data_home_size(home) * 0.5
    assert dialog.built_label.text() not in ("", "Reading…")
    assert dialog.backup_button.isEnabled()

    dest = tmp_path / "usb" / "branch-backup.zip"
    dest.parent.mkdir()
    with qtbot.waitSignal(dialog.backup_finished, timeout=30_000) as done:
        dialog.backup_to(dest)
        assert not dialog.backup_button.isEnabled() and dialog.progress.isVisible()  # busy while it runs
    info = done.args[0]
    assert info.path == dest and dest.is_file()
    assert str(dest) in dialog.backup_label.text() and "8 applications" in dialog.backup_label.text()
    assert "a user's password" in dialog.backup_label.text()  # the window signed in: the home has a key ring
    assert not dialog.progress.isVisible() and dialog.backup_button.isEnabled()
    assert "loandesk.db" in zipfile.ZipFile(dest).namelist()
    assert "store.key" not in zipfile.ZipFile(dest).namelist()  # never the unwrapped key

    from loandesk.security.keyring import KEYRING_FILE, Keyring
    from loandesk.security.session import StaticKey
    from users_support import open_store

    restored_home = tmp_path / "restored"
    ring = json.loads(zipfile.ZipFile(dest).read(KEYRING_FILE))
    restore(dest, restored_home, keys=StaticKey(Keyring(dest / KEYRING_FILE, ring).unwrap("admin", DEMO_PASSWORD)))
    restored = open_store(restored_home)
    try:
        assert application_refs(restored) == refs
        trail = [r["action"] for r in restored.db.query("SELECT action FROM audit")]
    finally:
        restored.close()
    assert "backup" not in trail  # the entry is written after the copy, in the home backed up
    store = open_store(home)
    try:
        assert [r["action"] for r in store.db.query("SELECT action FROM audit WHERE action = 'backup'")] == ["backup"]
    finally:
        store.close()


def test_backup_refusals_are_one_line_and_leave_nothing(demo_home, open_window, qtbot, tmp_path):
    home, _refs = demo_home
    window = open_window(home)
    window.about()
    dialog = window.about_dialog
    qtbot.waitUntil(lambda: dialog.facts is not None, timeout=10_000)
    with qtbot.waitSignal(dialog.backup_failed, timeout=10_000) as failed:
        dialog.backup_to(tmp_path / "no-such-folder" / "b.zip")
    assert failed.args[0] == f"Not backed up: no folder {tmp_path / 'no-such-folder'}"
    (tmp_path / "taken.zip").write_bytes(b"someone's file")
    with qtbot.waitSignal(dialog.backup_failed, timeout=10_000) as failed:
        dialog.backup_to(tmp_path / "taken.zip")
    assert "already exists" in failed.args[0] and "\n" not in failed.args[0]
    assert (tmp_path / "taken.zip").read_bytes() == b"someone's file"  # never overwritten
    assert dialog.backup_button.isEnabled()  # the window carries on

    with qtbot.waitSignal(dialog.backup_finished, timeout=30_000) as done:
        dialog.backup_to(tmp_path / "cancelled.zip")
        dialog.cancel_backup()
    assert done.args[0] is None and not (tmp_path / "cancelled.zip").exists()
    assert dialog.backup_label.text() == "Backup cancelled: no file was kept."
    assert not list(tmp_path.glob(".loandesk-backup-*"))  # no staging left behind


def signed_in_runner(qtbot, home: Path, user: str) -> TaskRunner:
    """A task runner whose store is ``user``'s signed-in session (what the GUI's sign-in gives it)."""
    from loandesk.security import session as sessions

    runner = TaskRunner()
    box: dict = {}

    def sign_in(_store, _state):
        runner._worker.store = sessions.sign_in(home, user, DEMO_PASSWORD).store
        runner.is_open = True

    runner.submit(sign_in, lambda _r: box.setdefault("ok", True))
    qtbot.waitUntil(lambda: "ok" in box, timeout=20_000)
    return runner


def test_a_home_with_users_backs_up_its_key_ring_and_a_teller_may_not(home, qtbot, tmp_path):
    from loandesk.security.keyring import KEYRING_FILE, Keyring
    from loandesk.security.session import StaticKey
    from users_support import with_demo_users

    store = Store.open(home, branch="HZ01")
    populate(store, 5)
    refs = application_refs(store)
    store.close()
    with_demo_users(home)

    teller = signed_in_runner(qtbot, home, "teller")
    try:
        dialog = AboutDialog(teller, home)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.facts is not None, timeout=10_000)
        with qtbot.waitSignal(dialog.backup_failed, timeout=10_000) as failed:
            dialog.backup_to(tmp_path / "t.zip")
        assert failed.args[0] == "Not backed up: teller (teller) may not export files"
        assert not (tmp_path / "t.zip").exists()
    finally:
        teller.close()

    admin = signed_in_runner(qtbot, home, "admin")
    try:
        dialog = AboutDialog(admin, home)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.facts is not None, timeout=10_000)
        with qtbot.waitSignal(dialog.backup_finished, timeout=30_000) as done:
            dialog.backup_to(tmp_path / "a.zip")
        assert done.args[0].has_keyring and "a user's password" in dialog.backup_label.text()
    finally:
        admin.close()

    archive = tmp_path / "a.zip"
    ring = json.loads(zipfile.ZipFile(archive).read(KEYRING_FILE))
    key = StaticKey(Keyring(archive / KEYRING_FILE, ring).unwrap("admin", DEMO_PASSWORD))
    restore(archive, tmp_path / "restored", keys=key)
    from users_support import open_store

    restored = open_store(tmp_path / "restored")  # the same users sign in with the same passwords
    try:
        assert application_refs(restored) == refs
    finally:
        restored.close()
