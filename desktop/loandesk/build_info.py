"""Which build of Loan Desk this is: what Help > About and ``--self-check`` say to the bank's IT.

Three cases, said as they are:

- a bundle (``make bundle``): packaging/loandesk.spec writes ``build-info.json`` into the bundle's
  resources at build time (never committed): the build's date and time, version and commit;
- a source checkout (``make run``): there is no build, so no build date; the last commit's date and
  hash say which code it is (from git, when git is there);
- an installed package without a build record: the date it was installed.

Reading git runs a short subprocess: callers off the GUI thread (About reads it on the task runner).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from loandesk.paths import resources_dir

BUILD_INFO = "build-info.json"
GIT_TIMEOUT_S = 3


@dataclass(frozen=True)
class BuildInfo:
    kind: str  # "bundle", "checkout", "installed", or "unreadable" (a build record that cannot be read)
    date: dt.date | None = None  # bundle: built on; checkout: last commit; installed: installed on
    commit: str | None = None  # short hash, "-modified" when built from uncommitted changes
    built_at: str | None = None  # the bundle's full timestamp (ISO 8601, UTC)
    problem: str | None = None


def read(resources: Path | None = None) -> BuildInfo:
    """The build this copy is, from the build record in ``resources`` (default: the app's own)."""
    folder = Path(resources) if resources is not None else resources_dir()
    record = folder / BUILD_INFO
    if record.is_file():
        return _from_record(record)
    root = folder.parent
    if (root / "pyproject.toml").is_file() and (root / "desktop" / "loandesk").is_dir():
        date, commit = _last_commit(root)
        return BuildInfo("checkout", date, commit)
    return BuildInfo("installed", _installed_on())


def _from_record(record: Path) -> BuildInfo:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        built = str(data["built"])
        date = dt.datetime.fromisoformat(built.replace("Z", "+00:00")).date()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return BuildInfo("unreadable", problem=f"{record}: {exc}")
    return BuildInfo("bundle", date, data.get("commit") or None, built)


def _last_commit(root: Path) -> tuple[dt.date | None, str | None]:
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cI %h"], capture_output=True,
                             text=True, timeout=GIT_TIMEOUT_S, check=True).stdout.split()  # fmt: skip
        return dt.datetime.fromisoformat(out[0]).date(), out[1]
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None, None  # no git, not a repository, or an archive of the sources


def _installed_on() -> dt.date | None:
    """When the package was installed: its metadata folder's date (written by pip at install)."""
    from importlib import metadata

    try:
        files = metadata.distribution("loandesk").files or []
        meta = next((f for f in files if f.name == "METADATA"), None)
        stamp = Path(meta.locate()).stat().st_mtime if meta is not None else None
    except (metadata.PackageNotFoundError, OSError):
        stamp = None
    return dt.datetime.fromtimestamp(stamp, dt.UTC).date() if stamp else None


def record(version: str, commit: str | None, built: dt.datetime) -> dict:
    """The build record packaging/loandesk.spec writes (one place for its shape)."""
    return {"built": built.astimezone(dt.UTC).isoformat(timespec="seconds"), "version": version, "commit": commit}


def source_commit(root: Path) -> str | None:
    """The checkout's commit for a build record, marked "-modified" when tracked files differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=GIT_TIMEOUT_S, check=True).stdout.strip()  # fmt: skip
        changed = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                 capture_output=True, text=True, timeout=GIT_TIMEOUT_S, check=True).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}-modified" if changed.strip() else head or None
