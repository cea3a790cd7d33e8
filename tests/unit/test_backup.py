"""Backup and restore of a data home: a consistent encrypted copy while another connection writes."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import threading
import zipfile

import pytest

from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record, populate
from loandesk.storage import Store
from loandesk.storage.attachments import add_attachment, attachments_for, read_attachment
from loandesk.storage.backup import BackupError, backup, data_home_size, restore
from users_support import open_store, with_demo_users

SCAN = "营业执照扫描件 欧阳娜娜 身份证 330106199001011234".encode()  # an attachment's plaintext


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    """A home with applications at every stage (scored, memos, overrides) and one attachment."""
    home = tmp_path_factory.mktemp("demo") / "home"
    store = Store.open(home, branch="HZ01")
    ids = populate(store, 12, lifecycle=True)
    scan = home.parent / "licence.txt"
    scan.write_bytes(SCAN)
    add_attachment(store, ids[0], "business_licence", scan)
    scan.unlink()
    store.close()
    return home


def personal_data(store) -> list[bytes]:
    rows = store.db.query("SELECT p.name, p.id_number, p.phone, e.enterprise_name, e.credit_code FROM enterprises e "
                          "JOIN persons p ON p.id = e.legal_rep_person_id")  # fmt: skip
    return [value.encode() for row in rows for value in row.values() if value]


class Writer(threading.Thread):
    """Another connection (as a second window or process would have) saving intakes until told to stop."""

    def __init__(self, home):
        super().__init__(daemon=True)
        self.store = Store.open(home)
        self.saved = 0
        self.stop = threading.Event()
        self.started_writing = threading.Event()
        self.error = None

    def run(self):
        rng = random.Random(7)
        try:
            while not self.stop.is_set():
                result = validate_intake(demo_record(rng, self.saved))
                self.store.save_intake(result.values)
                self.saved += 1
                if self.saved >= 3:
                    self.started_writing.set()
        except Exception as exc:  # reported by the test
            self.error = exc
            self.started_writing.set()
        finally:
            self.store.close()


def test_backup_while_another_connection_writes_restores_a_consistent_copy(demo_home, tmp_path):
    store = Store.open(demo_home)
    writer = Writer(demo_home)
    writer.start()
    assert writer.started_writing.wait(60)
    saved_before = writer.saved
    info = backup(store, tmp_path / "b.zip")
    saved_after = writer.saved
    writer.started_writing.clear()
    while writer.saved < saved_after + 3 and writer.error is None:  # and it goes on writing afterwards
        writer.join(0.05)
    writer.stop.set()
    writer.join(60)
    assert writer.error is None
    assert saved_before >= 3

    restored_home = tmp_path / "restored"
    counts = restore(info.path, restored_home, key_from=demo_home)
    assert counts == info.tables
    restored = Store.open(restored_home)
    original_counts = {t: store.db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in counts}
    # The copy is one moment of the store: some of the writer's saves are in it, the later ones are not,
    # and every save in it is whole (its enterprise, person, application and outbox records together).
    ents = counts["enterprises"]
    assert 12 + saved_before <= ents <= 12 + saved_after < original_counts["enterprises"]
    # each save: its legal representative, and the person who gave the consent its form records
    assert counts["applications"] == counts["consents"] == ents and counts["persons"] == 2 * ents
    app_ids = {r[0] for r in restored.db.execute("SELECT id FROM applications")}
    queued = {r[0] for r in restored.db.execute("SELECT entity_id FROM outbox WHERE entity = 'application'")}
    assert app_ids == queued
    for table in ("decisions", "memos", "overrides", "rule_packs", "attachments", "settings", "counters"):
        assert counts[table] == original_counts[table] > 0, table  # untouched by the writer: all there
    # Records read back the same, personal data included.
    for app_id in sorted(app_ids)[:5]:
        assert restored.application_record(app_id) == store.application_record(app_id)
    memo_pdfs = "SELECT memo_no, pdf FROM memos ORDER BY memo_no"
    assert list(restored.db.execute(memo_pdfs)) == list(store.db.execute(memo_pdfs))
    # The attachment opens with the same key and gives back its bytes.
    first = next(iter(sorted(app_ids & {r[0] for r in store.db.execute("SELECT application_id FROM attachments")})))
    assert read_attachment(restored, attachments_for(restored, first)[0]["id"]) == SCAN
    assert {"device", "branch"} <= {r[0] for r in restored.db.execute("SELECT key FROM settings")}
    restored.close()
    store.close()


def test_the_archive_holds_no_plaintext_personal_data_and_no_key(demo_home, tmp_path):
    store = Store.open(demo_home)
    info = backup(store, tmp_path)  # a folder: the file is named by branch and time
    secrets = personal_data(store)
    store.close()
    assert info.path.parent == tmp_path and info.path.name.startswith("loandesk-backup-HZ01-")
    assert oct(info.path.stat().st_mode & 0o777) == "0o600"
    raw = info.path.read_bytes()
    assert len(secrets) > 40
    leaked = [s.decode() for s in secrets if s in raw]
    assert not leaked
    assert SCAN not in raw
    key = (demo_home / "store.key").read_text().strip()
    assert key.encode() not in raw and bytes.fromhex(key) not in raw
    with zipfile.ZipFile(info.path) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        assert archive.read("loandesk.db")[:16] != b"SQLite format 3\x00"  # encrypted
    assert "store.key" not in names
    assert names[:2] == ["manifest.json", "loandesk.db"] and any(n.startswith("attachments/") for n in names)
    assert manifest["tables"]["enterprises"] == info.tables["enterprises"]
    assert set(manifest["files"]) == set(names) - {"manifest.json"}


def test_restore_refuses_and_leaves_nothing(demo_home, tmp_path):
    store = Store.open(demo_home)
    info = backup(store, tmp_path / "b.zip")
    store.close()
    other = tmp_path / "other"
    Store.open(other).close()
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")

    def refused(archive, into, key_from, needle):
        with pytest.raises(BackupError) as caught:
            restore(archive, into, key_from=key_from)
        assert needle in caught.value.message("en")
        assert caught.value.message("zh") != caught.value.message("en")
        return caught.value

    refused(info.path, taken, demo_home, "is not empty")
    assert [p.name for p in taken.iterdir()] == ["notes.txt"]
    refused(info.path, tmp_path / "new1", other, "does not open this backup")
    refused(info.path, tmp_path / "new2", tmp_path / "nowhere", "no key file")
    with pytest.raises(BackupError, match="holds no unwrapped key"):
        restore(info.path, tmp_path / "new3")
    # A damaged archive: one byte of the database changed.
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(info.path) as src, zipfile.ZipFile(damaged, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "loandesk.db":
                data = data[:5000] + bytes([data[5000] ^ 1]) + data[5001:]
            out.writestr(item, data)
    refused(damaged, tmp_path / "new4", demo_home, "loandesk.db is damaged")
    not_a_backup = tmp_path / "x.zip"
    with zipfile.ZipFile(not_a_backup, "w") as out:
        out.writestr("hello.txt", "hi")
    refused(not_a_backup, tmp_path / "new5", demo_home, "not a Loan Desk backup")
    # A crafted archive naming a file outside the home is refused before anything is written.
    crafted = tmp_path / "crafted.zip"
    with zipfile.ZipFile(info.path) as src, zipfile.ZipFile(crafted, "w") as out:
        manifest = json.loads(src.read("manifest.json"))
        manifest["files"]["../escaped.txt"] = "0" * 64
        out.writestr("manifest.json", json.dumps(manifest))
        out.writestr("../escaped.txt", "x")
        out.writestr("loandesk.db", src.read("loandesk.db"))
    refused(crafted, tmp_path / "new6", demo_home, "unexpected member '../escaped.txt'")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["b.zip", "crafted.zip", "damaged.zip", "other", "taken", "x.zip"]  # nothing half-restored
    with pytest.raises(BackupError, match="already exists"):
        backup(Store.open(demo_home), info.path)


def test_data_home_size_counts_the_store_and_attachments(demo_home):
    size = data_home_size(demo_home)
    assert size >= (demo_home / "loandesk.db").stat().st_size + len(SCAN)


def loandesk(*args, home=None, user="admin", password="demo"):
    cmd = [sys.executable, "-m", "loandesk", "--lang", "en", *(["--home", str(home)] if home else []), *args]
    env = {**os.environ, "LOANDESK_USER": user, "LOANDESK_PASSWORD": password}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def test_cli_backup_and_restore(demo_home, tmp_path):
    """A home with users: the archive holds the key ring, a restore needs a password and no store.key,
    and the same users sign in to the restored home with the same passwords (attachments included)."""
    home = tmp_path / "signed"
    shutil.copytree(demo_home, home)
    with_demo_users(home)  # upgraded in place: no store.key any more
    assert not (home / "store.key").exists()
    made = loandesk("backup", str(tmp_path / "b.zip"), home=home)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == str(tmp_path / "b.zip")
    assert "key ring" in made.stderr and "password" in made.stderr
    assert "keyring.json" in zipfile.ZipFile(tmp_path / "b.zip").namelist()
    again = loandesk("backup", str(tmp_path / "b.zip"), home=home)
    assert again.returncode == 2 and "already exists" in again.stderr and "Traceback" not in again.stderr
    teller = loandesk("backup", str(tmp_path / "t.zip"), home=home, user="teller")
    assert teller.returncode == 2 and "teller (teller) may not export files" in teller.stderr
    into = tmp_path / "restored"
    wrong = loandesk("restore", str(tmp_path / "b.zip"), "--into", str(into), password="not-it")
    assert wrong.returncode == 2 and "wrong user name or password" in wrong.stderr and not into.exists()
    done = loandesk("restore", str(tmp_path / "b.zip"), "--into", str(into))
    assert done.returncode == 0, done.stderr
    assert f"restored into {into}" in done.stderr and not (into / "store.key").exists()
    listed = [loandesk("list", "applications", "--unmasked", home=h).stdout for h in (home, into)]
    assert json.loads(listed[0]) == json.loads(listed[1]) and len(json.loads(listed[0])) >= 12
    assert loandesk("list", "applications", home=into, user="teller").returncode == 0  # same users, same passwords
    restored = open_store(into)
    try:
        found = [a for i in restored.all_application_ids() for a in attachments_for(restored, i)]
        assert found and read_attachment(restored, found[0]["id"]) == SCAN  # the attachment opens with the ring
    finally:
        restored.close()
    refused = loandesk("restore", str(tmp_path / "b.zip"), "--into", str(into))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "is not empty" in refused.stderr
    nothing = loandesk("backup", str(tmp_path / "c.zip"), home=tmp_path / "empty-home")
    assert nothing.returncode == 2 and "nothing to back up" in nothing.stderr
