"""Where the database key comes from.

For now a random 256-bit key kept in a 0600 file beside the database; the security work on the
roadmap wraps it per user behind a password-derived key, which only needs another ``KeyProvider``.

A key is made only for a data home that has no database yet. A store that cannot be opened is never
given a new key: a missing, empty or damaged ``store.key`` next to an existing database is refused
with a message saying which file and what is wrong (a new key would open nothing, and the old one,
perhaps only mislaid, would then be overwritten by the next start).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Protocol

from .connection import DB_FILE, StoreLocked

KEY_FILE = "store.key"
_KEY = re.compile(r"[0-9a-fA-F]{64}")


class KeyProvider(Protocol):
    def key_hex(self) -> str: ...


class KeyFileProblem(StoreLocked):
    """``store.key`` is missing beside an existing database, empty, malformed or unreadable."""


class FileKeyProvider:
    def __init__(self, home: Path):
        self.home = Path(home)
        self.path = self.home / KEY_FILE

    def key_hex(self) -> str:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return self._create()
        except IsADirectoryError:
            raise self._problem("is a folder, not a key file", "是文件夹，不是密钥文件") from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise self._problem(f"cannot be read ({reason})", f"无法读取（{reason}）") from None
        text = data.strip()
        if not text:
            raise self._problem("is empty", "是空文件")
        if not _KEY.fullmatch(text.decode("latin-1")):
            # Never quote the file: it may hold most of a real key.
            if len(text) == 64:
                raise self._problem("does not hold a key (characters other than 0-9 and a-f)",
                                    "不是有效的密钥（含 0-9、a-f 以外的字符）")  # fmt: skip
            raise self._problem(f"does not hold a key (64 hexadecimal characters expected, {len(text)} found)",
                                f"不是有效的密钥（应为 64 位十六进制字符，实际为 {len(text)} 个）")  # fmt: skip
        return text.decode("ascii").lower()

    def _database_exists(self) -> bool:
        """A database with anything in it (an empty file holds nothing a key could open)."""
        for name in (DB_FILE, DB_FILE + "-wal"):
            with contextlib.suppress(OSError):
                if (self.home / name).stat().st_size > 0:
                    return True
        return False

    def _problem(self, en: str, zh: str) -> KeyFileProblem:
        if self._database_exists():
            en_fix = (f"the database {self.home / DB_FILE} can only be opened with the key it was made with: put its "
                      "store.key back (from where the database was copied, or from a backup); a new key is never "
                      "made for an existing database")  # fmt: skip
            zh_fix = (f"数据库 {self.home / DB_FILE} 只能用创建它时的密钥打开："
                      "请放回它的 store.key（从复制数据库的原处或备份中取回）；已有数据库时不会生成新密钥")  # fmt: skip
        else:
            en_fix = "no database exists here yet: delete the file to start a new store"
            zh_fix = "此处尚无数据库：删除该文件即可新建数据库"
        return KeyFileProblem(f"the key file {self.path} {en}; {en_fix}", f"密钥文件 {self.path} {zh}；{zh_fix}")

    def _create(self) -> str:
        if self._database_exists():
            # A process starting this new home at the same moment links its key before it writes the
            # database: a database with content and a key file means that one made both meanwhile.
            if self.path.exists():
                return self.key_hex()
            raise KeyFileProblem(
                f"the key file {self.path} is missing, but the database {self.home / DB_FILE} exists: it can only be "
                "opened with the key it was made with. Put its store.key back (from where the database was copied, "
                "or from a backup); a new key is never made for an existing database",
                f"密钥文件 {self.path} 缺失，而数据库 {self.home / DB_FILE} 已存在：它只能用创建它时的密钥打开。"
                "请放回它的 store.key（从复制数据库的原处或备份中取回）；已有数据库时不会生成新密钥",
            )
        import secrets  # a new home only: not imported on an everyday start

        key = secrets.token_hex(32)
        # Written whole to a private temporary file, then linked into place in one step that fails if
        # the name exists: a reader never sees half a key, and of two processes starting a new home at
        # once the second finds the first one's key and uses it.
        tmp = self.home / f".{KEY_FILE}.{secrets.token_hex(8)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(key)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                _place_new(tmp, self.path)
            except FileExistsError:
                return self.key_hex()  # another process made the key first
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        _sync_folder(self.home)
        return key


def _place_new(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path`` only if no file has it (FileExistsError otherwise)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # No hard links on this file system (FAT, some network shares): Windows' rename never replaces
        # a file; elsewhere an exclusive create is the next best (a reader might see it half-written,
        # and would then refuse it rather than replace it).
        if os.name == "nt":
            os.rename(tmp, path)
            return
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(tmp.read_bytes())
            fh.flush()
            os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the new file's name survive a power cut too (POSIX; Windows cannot open a folder)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
