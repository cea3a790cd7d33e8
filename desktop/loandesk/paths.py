"""Where things live: the data home (one per user or per --home) and shipped resources."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "LoanDesk"


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def data_home(override: str | os.PathLike | None = None) -> Path:
    """--home beats LOANDESK_HOME beats the platform's user data folder."""
    chosen = override or os.environ.get("LOANDESK_HOME")
    home = Path(chosen).expanduser() if chosen else default_home()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data lives here: the owner only
    return home.resolve()


def resources_dir() -> Path:
    """Inside an installed wheel or bundle resources sit in the package; in a checkout, at the top."""
    packaged = Path(__file__).resolve().parent / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def bundled_fonts() -> list[Path]:
    """The Chinese font a bundle carries in resources/fonts (packaging/loandesk.spec copies it there);
    a checkout has none and uses the system's."""
    return sorted(resource("fonts").glob("*.tt[cf]"))
