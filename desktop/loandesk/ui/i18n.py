"""Translations: Qt Linguist .ts files (committed) compiled to .qm on demand into a cache.

Every ``resources/translations/*_zh_CN.ts`` is loaded (each area of the app owns one
file), plus Qt's own ``qtbase_zh_CN.qm`` for standard dialogs' buttons. The .qm is
built by ``pyside6-lrelease`` into the user cache folder, named by the .ts file's hash,
so an edited .ts is rebuilt and an unchanged one costs nothing at start-up.
The language is ``--lang``, else ``LOANDESK_LANG``, else the saved preference, else Chinese.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from loandesk.core import i18n as core_i18n
from loandesk.paths import resource

PREFERENCES_FILE = "ui-preferences.json"  # beside the store in the data home; holds no personal data


def translation_files(lang: str = "zh") -> list[Path]:
    if lang != "zh":
        return []
    return sorted(resource("translations").glob("*_zh_CN.ts"))


def cache_dir() -> Path:
    override = os.environ.get("LOANDESK_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("LoanDesk", appauthor=False)) / "qm"


def lrelease() -> str | None:
    """pyside6-lrelease beside the interpreter (a venv), in PySide6's folder, or on PATH."""
    here = Path(sys.executable).parent
    candidates = [here / "pyside6-lrelease", here / "pyside6-lrelease.exe"]
    try:
        import PySide6

        pkg = Path(PySide6.__file__).parent
        candidates += [pkg / "lrelease", pkg / "lrelease.exe"]
    except ImportError:  # pragma: no cover
        pass
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compiled(ts: Path) -> Path | None:
    """The .qm for ``ts``: from the cache, built now if missing; a shipped .qm beside it as fallback."""
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    target = cache_dir() / f"{ts.stem}-{digest}.qm"
    if target.is_file():
        return target
    tool = lrelease()
    if tool:
        import subprocess  # only when a .qm must be built


        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        proc = subprocess.run(
            [tool, "-silent", str(ts), "-qm", str(partial)], capture_output=True, text=True, check=False
        )
        if proc.returncode == 0 and partial.is_file():
            os.replace(partial, target)  # two starting processes never read a half-written file
            return target
        print(f"loandesk: cannot compile {ts.name}: {proc.stderr.strip()}", file=sys.stderr)
    shipped = ts.with_suffix(".qm")  # built at packaging time for bundles without lrelease
    return shipped if shipped.is_file() else None


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Load every translation for ``lang`` into ``app``; keep the returned list alive."""
    core_i18n.set_language(lang)
    installed: list[QTranslator] = []
    if lang != "zh":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    if qtbase.load("qtbase_zh_CN", qt_dir):
        app.installTranslator(qtbase)
        installed.append(qtbase)
    for ts in translation_files(lang):
        qm = compiled(ts)
        translator = QTranslator(app)
        if qm and translator.load(str(qm)):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            print(f"loandesk: translation {ts.name} not loaded", file=sys.stderr)
    return installed


# ---- the language preference ------------------------------------------------------------
def saved_language(home: Path | None) -> str | None:
    if home is None:
        return None
    try:
        data = json.loads((Path(home) / PREFERENCES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    lang = data.get("language") if isinstance(data, dict) else None
    return lang if lang in core_i18n.SUPPORTED else None


def save_language(home: Path, lang: str) -> None:
    path = Path(home) / PREFERENCES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        data = {}
    data["language"] = lang
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def choose_language(cli_lang: str | None, home: Path | None) -> str:
    if cli_lang in core_i18n.SUPPORTED:
        return cli_lang
    env = (os.environ.get("LOANDESK_LANG") or "").lower()
    if env:
        return "en" if env.startswith("en") else "zh"
    return saved_language(home) or "zh"
