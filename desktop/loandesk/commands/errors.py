"""What the command line says when a handler raises: bad input is one line and exit 2; a defect is
one line naming a log file, exit 70, with the traceback (no personal data) in the data home's logs/."""

from __future__ import annotations

import os
import traceback
from pathlib import Path

from loandesk.core.i18n import language, pick

from .common import EXIT_BAD_INPUT, EXIT_INTERNAL, one_line


def _ours(exc: BaseException) -> bool:
    """An exception class Loan Desk defines (BatchError, PackError, CardError, MemoError, TemplateError,
    FontMissing, StoreLocked, OverrideRefused, TableError, OutputError... and any added later) is a
    refusal raised on purpose with a message for the user; built-in ones (TypeError, KeyError...)
    escaping from our code are defects."""
    return type(exc).__module__.startswith("loandesk.")


def explain(exc: BaseException, args) -> tuple[str, int]:
    """(one-line message, exit code) for an exception a handler did not turn into a CommandError."""
    if _ours(exc):
        return one_line(exc), EXIT_BAD_INPUT
    if isinstance(exc, FileNotFoundError):
        return pick(f"no such file or folder: {exc.filename}", f"文件或文件夹不存在：{exc.filename}"), EXIT_BAD_INPUT
    if isinstance(exc, IsADirectoryError):
        return pick(f"{exc.filename} is a folder, not a file", f"{exc.filename} 是文件夹，不是文件"), EXIT_BAD_INPUT
    if isinstance(exc, NotADirectoryError):
        return pick(f"{exc.filename}: a part of the path is a file",
                    f"{exc.filename}：路径中有一段是文件"), EXIT_BAD_INPUT  # fmt: skip
    if isinstance(exc, PermissionError):
        return pick(f"no permission: {exc.filename}", f"无权访问：{exc.filename}"), EXIT_BAD_INPUT
    if isinstance(exc, UnicodeDecodeError):
        return pick(f"a file is not in a text encoding Loan Desk reads ({exc.encoding})",
                    f"文件编码无法识别（{exc.encoding}）"), EXIT_BAD_INPUT  # fmt: skip
    if isinstance(exc, OSError):  # disk full, read-only file system...
        where = f"{exc.filename}: " if exc.filename else ""
        return pick(f"cannot read or write {where}{exc.strerror or type(exc).__name__}",
                    f"无法读写 {where}{exc.strerror or type(exc).__name__}"), EXIT_BAD_INPUT  # fmt: skip
    where = _log(exc, args)
    if where:
        return pick(f"internal error ({type(exc).__name__}); details written to {where}",
                    f"内部错误（{type(exc).__name__}）；详情已写入 {where}"), EXIT_INTERNAL  # fmt: skip
    return pick(f"internal error ({type(exc).__name__}); the details could not be written to the data home",
                f"内部错误（{type(exc).__name__}）；详情无法写入数据目录"), EXIT_INTERNAL  # fmt: skip


def _log(exc: BaseException, args) -> Path | None:
    """Write the traceback to <home>/logs/ (0700 folder, 0600 file): where the code failed (files,
    lines, functions, source lines), the exception's type and its message with quoted values, ID and
    phone numbers and name-like words masked. No local variables, no cell values."""
    from loandesk.core import clock
    from loandesk.core.redact import redact
    from loandesk.paths import data_home

    try:
        logs = data_home(getattr(args, "home", None)) / "logs"
        logs.mkdir(mode=0o700, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S")
        path = logs / f"internal-error-{stamp}-{os.getpid()}.log"
        frames = traceback.extract_tb(exc.__traceback__)
        lines = [f"loandesk {getattr(args, 'command', '')} (language {language()}) at {clock.now().isoformat()}\n",
                 "Traceback (most recent call last):\n", *traceback.format_list(frames),
                 f"{type(exc).__module__}.{type(exc).__qualname__}: {redact(str(exc))}\n"]  # fmt: skip
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
        return path
    except Exception:  # the log is a courtesy; the one-line message is what matters
        return None
