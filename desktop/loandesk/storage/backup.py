"""Backing up a data home into one encrypted archive file, and restoring it into a new, empty home.

The archive is a .zip holding:
- ``loandesk.db``: a copy of the store made by SQLCipher's ``sqlcipher_export`` into an attached database,
  which (attached without a KEY clause) is encrypted with the store's own key. The copy is taken inside one
  read transaction, so it is the store exactly as it was at one moment, while other windows or processes
  go on writing (WAL lets them);
- ``attachments/``: the attachment blobs the copied rows refer to, as they are on disk (AES-256-GCM sealed
  under a key derived from the store key);
- ``keyring.json`` when the home has one (the store key wrapped under each user's password), and the
  bank's memo template and UI preferences, which hold no personal data;
- ``manifest.json``: format, app version, time, every table's row count and each member's SHA-256.

The unwrapped key (``store.key``) is never put in the archive: a lost USB stick with a backup on it opens
nothing. So a restore needs the original home's key: its ``store.key`` file (kept apart from the backup,
e.g. by the branch's IT officer), or, once the home has a key ring, a user's password.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from loandesk.core import clock
from loandesk.core.i18n import pick

from .connection import DB_FILE, StoreLocked, connect, make_private
from .keys import KEY_FILE, FileKeyProvider, KeyProvider

FORMAT = 1
MANIFEST = "manifest.json"
KEYRING_FILE = "keyring.json"  # the security work's password-wrapped key ring (security/keyring.py)
# Small files of the home that hold no applicant data and that a restored home should keep.
EXTRA_FILES = (KEYRING_FILE, "memo/template.toml", "ui-preferences.json")
BLOB_NAME = re.compile(r"attachments/[0-9a-f]{2}/[0-9a-f]{64}")
COPY_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in both languages."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def message(self, lang: str | None = None) -> str:
        return pick(self.en, self.zh, lang)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    tables: dict[str, int]  # row counts at the moment of the copy
    attachments: int
    size: int  # bytes of the archive
    has_keyring: bool


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(COPY_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _counts(conn) -> dict[str, int]:
    """Rows in each real table (an FTS5 index is counted by its shadow tables, which hold its data)."""
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]  # fmt: skip
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def default_name(store) -> str:
    """``loandesk-backup-BR01-20261123-0930.zip``: the branch and the local time of the backup."""
    when = clock.now().astimezone().strftime("%Y%m%d-%H%M")
    return f"loandesk-backup-{store.setting('branch') or 'home'}-{when}.zip"


def data_home_size(home: Path) -> int:
    """Bytes the data home takes on disk (the store, its WAL, attachments...), for Help > About."""
    return sum(p.stat().st_size for p in Path(home).rglob("*") if p.is_file())


def _export(store, target: Path) -> tuple[dict[str, int], list[str]]:
    """Copy the store into ``target`` (encrypted with the same key) inside one read transaction; returns
    the copy's row counts and the attachment blobs its rows name, both read in that same transaction."""
    conn = store.db.conn
    if conn.in_transaction:
        raise BackupError("cannot back up in the middle of a save: try again", "正在保存，无法备份：请稍后再试")
    make_private(target)  # SQLite writes into the 0600 file made here; no other user may read the copy
    # No KEY clause: SQLCipher encrypts an attached database with the main database's key.
    conn.execute("ATTACH DATABASE ? AS backup_copy", (str(target),))
    try:
        conn.execute("BEGIN")  # one snapshot: rows saved after this moment are not in the copy
        try:
            conn.execute("SELECT sqlcipher_export('backup_copy')")
            # Read from the same snapshot the export read: restore checks the copy holds exactly these.
            counts = _counts(conn)
            blobs = [row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM main.attachments")]
        finally:
            conn.execute("COMMIT")
    finally:
        conn.execute("DETACH DATABASE backup_copy")
    return counts, blobs


def backup(store, dest: str | os.PathLike) -> BackupInfo:
    """Write an encrypted backup of ``store``'s data home to ``dest`` (a .zip file, or a folder to put one in).

    The archive appears whole or not at all (written beside it, then renamed) and is readable by its
    owner only. It never holds the unwrapped store key: see the module's docstring.
    """
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / default_name(store)
    if dest.exists():
        raise BackupError(f"{dest} already exists: choose a new file name",
                          f"{dest} 已存在：请换一个文件名")  # fmt: skip
    if not dest.parent.is_dir():
        raise BackupError(f"no folder {dest.parent}", f"文件夹 {dest.parent} 不存在")
    home = Path(store.home)
    with tempfile.TemporaryDirectory(prefix=".loandesk-backup-", dir=dest.parent) as tmp:
        db_copy = Path(tmp) / DB_FILE
        try:
            counts, blobs = _export(store, db_copy)
        except sqlcipher3.Error as exc:
            raise BackupError(f"cannot copy the store: {exc}", f"无法复制数据库：{exc}") from None
        members: list[tuple[str, Path, int]] = [(DB_FILE, db_copy, zipfile.ZIP_STORED)]  # encrypted: incompressible
        for digest in sorted(blobs):
            blob = home / "attachments" / digest[:2] / digest
            if not blob.is_file():
                raise BackupError(f"attachment {digest[:12]}… is missing from {home / 'attachments'}",
                                  f"{home / 'attachments'} 中缺少附件 {digest[:12]}…")  # fmt: skip
            members.append((f"attachments/{digest[:2]}/{digest}", blob, zipfile.ZIP_STORED))
        for name in EXTRA_FILES:
            if (home / name).is_file():
                members.append((name, home / name, zipfile.ZIP_DEFLATED))
        manifest = {
            "format": FORMAT,
            "app_version": __import__("loandesk").__version__,
            "created_at": clock.stamp(),
            "branch": store.setting("branch"),
            "device": store.setting("device"),
            "tables": counts,
            "files": {name: _sha256(path) for name, path, _ in members},
            "key": "keyring" if (home / KEYRING_FILE).is_file() else "store.key (not in this archive)",
        }
        partial = Path(tmp) / "archive.part"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            entry = zipfile.ZipInfo(MANIFEST, clock.now().astimezone().timetuple()[:6])  # the one clock
            archive.writestr(entry, json.dumps(manifest, ensure_ascii=False, indent=1),
                             compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
            for name, path, method in members:
                archive.write(path, name, compress_type=method)
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, dest)
    return BackupInfo(dest, counts, len(blobs), dest.stat().st_size, (home / KEYRING_FILE).is_file())


# ---- restoring -----------------------------------------------------------------------------------
def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        raise BackupError(f"{path} is not a Loan Desk backup (no manifest)",
                          f"{path} 不是信贷工作台的备份文件（缺少清单）") from None  # fmt: skip
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r} is not supported by this version",
                          f"{path}：本版本不支持备份格式 {manifest.get('format')!r}")  # fmt: skip
    return manifest


def _allowed(name: str) -> bool:
    """Only the members a backup writes, so a crafted archive cannot write outside the new home."""
    return name in (DB_FILE, *EXTRA_FILES) or bool(BLOB_NAME.fullmatch(name))


def _key_file(key_from: Path) -> Path:
    """The original home's key file: ``key_from`` is that file, or the home folder that holds it."""
    path = key_from / KEY_FILE if key_from.is_dir() else key_from
    if not path.is_file():
        raise BackupError(f"no key file at {path}: give the original data home's {KEY_FILE}",
                          f"{path} 处没有密钥文件：请提供原数据目录中的 {KEY_FILE}")  # fmt: skip
    return path


def restore(archive_path: str | os.PathLike, new_home: str | os.PathLike, *, key_from: str | os.PathLike | None = None,
            keys: KeyProvider | None = None) -> dict[str, int]:  # fmt: skip
    """Restore a backup into ``new_home`` (absent or empty) and check it opens; returns the row counts.

    The key: ``key_from`` (the original home's ``store.key``, or that home) is copied into the new home;
    or ``keys`` (e.g. a key ring unwrapped by a user's sign-in). Every file is checked against the
    manifest's SHA-256 and the database must open with the key and hold the manifest's row counts, all
    in a folder beside ``new_home`` that is renamed into place only then: a failed restore leaves nothing.
    """
    archive_path, new_home = Path(archive_path), Path(new_home)
    if new_home.exists() and (not new_home.is_dir() or any(new_home.iterdir())):
        raise BackupError(f"{new_home} is not empty: restore into a new, empty folder",
                          f"{new_home} 不是空文件夹：请恢复到新的空文件夹")  # fmt: skip
    if key_from is None and keys is None:
        raise BackupError(f"a backup holds no unwrapped key: give the original data home's {KEY_FILE} (--key-from)",
                          f"备份中不含明文密钥：请提供原数据目录中的 {KEY_FILE}（--key-from）")  # fmt: skip
    key_file = _key_file(Path(key_from)) if key_from is not None else None
    try:
        archive = zipfile.ZipFile(archive_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"cannot read {archive_path}: {exc}", f"无法读取 {archive_path}：{exc}") from None
    with archive:
        manifest = read_manifest(archive, archive_path)
        new_home.parent.mkdir(parents=True, exist_ok=True)
        return _restore(archive, archive_path, manifest, new_home, key_file, keys)


def _restore(archive: zipfile.ZipFile, archive_path: Path, manifest: dict, new_home: Path,
             key_file: Path | None, keys: KeyProvider | None) -> dict[str, int]:  # fmt: skip
    with tempfile.TemporaryDirectory(prefix=f".{new_home.name}.restoring-", dir=new_home.parent) as tmp:
        staging = Path(tmp) / "home"
        staging.mkdir(mode=0o700)
        expected = manifest.get("files") or {}
        if DB_FILE not in expected or not isinstance(manifest.get("tables"), dict):
            raise BackupError(f"{archive_path}: this backup holds no database",
                              f"{archive_path}：此备份中没有数据库")  # fmt: skip
        unexpected = [name for name in expected if not _allowed(name)]
        if unexpected:
            raise BackupError(f"{archive_path}: unexpected member {unexpected[0]!r}",
                              f"{archive_path}：含有异常文件 {unexpected[0]!r}")  # fmt: skip
        for name, digest in expected.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                with archive.open(name) as src, open(target, "xb") as out:
                    os.chmod(target, 0o600)
                    shutil.copyfileobj(src, out, COPY_CHUNK)
            except (KeyError, zipfile.BadZipFile, OSError) as exc:
                raise BackupError(f"{archive_path}: cannot read {name}: {exc}",
                                  f"{archive_path}：无法读取 {name}：{exc}") from None  # fmt: skip
            if _sha256(target) != digest:
                raise BackupError(f"{archive_path}: {name} is damaged (its checksum differs)",
                                  f"{archive_path}：{name} 已损坏（校验值不符）")  # fmt: skip
        if key_file is not None:
            shutil.copyfile(key_file, staging / KEY_FILE)
            os.chmod(staging / KEY_FILE, 0o600)
            keys = FileKeyProvider(staging)
        counts = _check_opens(staging, keys, manifest["tables"], archive_path)
        if new_home.exists():
            new_home.rmdir()  # empty, checked above
        os.replace(staging, new_home)
    return counts


def _check_opens(home: Path, keys: KeyProvider, expected: dict[str, int], archive_path: Path) -> dict[str, int]:
    """Open the restored database with the key (read only: nothing is migrated or written) and compare."""
    try:
        db = connect(home / DB_FILE, keys.key_hex())
    except (StoreLocked, KeyError, ValueError):
        raise BackupError(
            f"{archive_path}: the key given does not open this backup (a key from another data home?)",
            f"{archive_path}：所给密钥无法打开此备份（是否为其他数据目录的密钥？）",
        ) from None
    try:
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{archive_path}: the database in this backup is damaged",
                              f"{archive_path}：备份中的数据库已损坏")  # fmt: skip
        counts = _counts(db.conn)
    finally:
        db.close()
    with contextlib.suppress(OSError):  # the WAL files the check made: the restored home starts clean
        for suffix in ("-wal", "-shm"):
            (home / (DB_FILE + suffix)).unlink(missing_ok=True)
    if counts != expected:
        raise BackupError(f"{archive_path}: the restored database does not hold what was backed up",
                          f"{archive_path}：恢复的数据库与备份时的内容不符")  # fmt: skip
    return counts
