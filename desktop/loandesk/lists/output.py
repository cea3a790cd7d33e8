"""Write an output file safely: checked before the work starts, private, whole or not at all.

Files Loan Desk writes hold personal data, so they are created owner-only (0600). The file is
written in a private staging folder (0700) beside the target, on the same file system, and renamed
over the target only when complete; on any failure the staging folder goes and the target is left
as it was. Whatever temporary name a writer uses inside the staging folder, nothing of it stays.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

PRIVATE_FILE = 0o600
STAGING_PREFIX = ".loandesk-"
STAGING_SUFFIX = ".part"


class OutputError(ValueError):
    """The output cannot be written there; ``message(lang)`` says why in one line."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh
        super().__init__(en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def check_output(path: str | Path, *, suffixes: tuple[str, ...] = (), not_same_as: Path | None = None,
                 option: str = "--output") -> Path:  # fmt: skip
    """The target as a Path if a file can be written there: its folder exists and is writable, it is
    not a folder itself, not the input, and ends in one of ``suffixes`` (when given)."""
    path = Path(path).expanduser()
    if str(path).endswith(os.sep) or path.is_dir():
        raise OutputError(f"{option} {path} is a folder: give a file name", f"{option} {path} 是文件夹，请给出文件名")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{option}: folder {folder} does not exist", f"{option}：文件夹 {folder} 不存在")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{option}: no permission to write in {folder}", f"{option}：无权写入文件夹 {folder}")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{option}: {path} exists and may not be overwritten", f"{option}：{path} 已存在且不可覆盖")
    if suffixes and path.suffix.lower() not in suffixes:
        raise OutputError(f"{option} {path.name} must end in {' or '.join(suffixes)}",
                          f"{option} {path.name} 的扩展名应为 {' 或 '.join(suffixes)}")  # fmt: skip
    if not_same_as is not None and path.exists() and path.resolve() == Path(not_same_as).resolve():
        raise OutputError(f"{option} {path} is the input file: give another name",
                          f"{option} {path} 就是输入文件，请另取文件名")  # fmt: skip
    return path


def check_folder(path: str | Path, *, option: str = "--out-dir") -> Path:
    """A folder to write several outputs into: created (0700) if missing, refused if it is a file."""
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise OutputError(f"{option} {path} is a file, not a folder", f"{option} {path} 是文件，不是文件夹")
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{option}: cannot create {path} ({exc.strerror})",
                          f"{option}：无法创建 {path}（{exc.strerror}）") from None  # fmt: skip
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"{option}: no permission to write in {path}", f"{option}：无权写入文件夹 {path}")
    return path


@contextlib.contextmanager
def private_output(path: str | Path) -> Iterator[Path]:
    """Yield a path to write the file to; on success it becomes ``path`` (0600), on failure nothing stays."""
    path = Path(path)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, suffix=STAGING_SUFFIX, dir=path.parent))  # 0700
    try:
        tmp = staging / path.name  # same name, so a writer that looks at the suffix sees the right one
        yield tmp
        if not tmp.is_file():
            raise OutputError(f"{path.name} was not written", f"未写出 {path.name}")
        os.chmod(tmp, PRIVATE_FILE)
        os.replace(tmp, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_private(path: str | Path, data: bytes) -> None:
    """Write bytes to ``path`` whole or not at all, owner-only."""
    with private_output(path) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
