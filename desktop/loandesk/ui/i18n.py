"""Translations: Qt Linguist .ts files (committed), compiled to .qm files (build output, never committed).

Every ``resources/translations/*_zh_CN.ts`` is loaded (each area of the app owns one
file), plus Qt's own ``qtbase_zh_CN.qm`` (shipped in PySide6's ``Qt/translations``) for the
standard dialogs; ``qtbase_fixes_zh_CN.ts`` adds the few Qt 6 labels that file still lacks
(the file dialog's "&Look in:", "Files of &type:"), installed after it so they win. A .qm lives in the
user cache folder, named by its .ts file's hash, so an edited .ts is rebuilt and an unchanged
one costs nothing. ``make setup`` fills the cache ahead of time (``python -m loandesk.ui.i18n_build``);
when a .qm is missing (first start of a new install, an edited .ts) ``Compilation`` builds it with
Qt's native ``lrelease`` on a background thread that ``run_gui`` starts before Qt is even
imported, so the GUI thread never runs lrelease and, at most, waits for the rest of it.
The language is ``--lang``, else ``LOANDESK_LANG``, else the saved preference, else the system's
locale (English for an English locale, else Chinese).

This module imports Qt only inside ``install_translators``: ``run_gui`` uses the rest before Qt loads.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from loandesk.core import i18n as core_i18n
from loandesk.paths import resource

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTranslator

PREFERENCES_FILE = "ui-preferences.json"  # beside the store in the data home; holds no personal data
COMPILE_WAIT_S = 30.0  # longest the GUI waits for a background compile before going on without it


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


def _pyside_dir() -> Path | None:
    """PySide6's folder, found without importing PySide6 (which loads Qt)."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):  # pragma: no cover
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def lrelease() -> str | None:
    """Qt's lrelease: the native program inside PySide6 first (about 10 ms a file), then the
    ``pyside6-lrelease`` wrapper beside the interpreter (a Python start-up, about 0.1 s a file), then PATH."""
    candidates: list[Path] = []
    pkg = _pyside_dir()
    if pkg is not None:
        candidates += [pkg / "lrelease", pkg / "lrelease.exe"]
    here = Path(sys.executable).parent
    candidates += [here / "pyside6-lrelease", here / "pyside6-lrelease.exe"]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    import shutil  # only here: importing it brings bz2 and lzma, on the way to the first window

    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def cached_path(ts: Path) -> Path:
    """Where the .qm for ``ts`` (as it is now) lives in the cache, built or not."""
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    return cache_dir() / f"{ts.stem}-{digest}.qm"


def shipped(ts: Path) -> Path | None:
    """A .qm beside the .ts, written at packaging time for bundles without lrelease."""
    qm = ts.with_suffix(".qm")
    return qm if qm.is_file() else None


def build(jobs: dict[Path, Path], tool: str | None = None) -> dict[Path, Path | None]:
    """Compile each ``ts -> target`` .qm at once (one lrelease process each, run side by side)."""
    tool = tool or lrelease()
    done: dict[Path, Path | None] = dict.fromkeys(jobs)
    if not jobs:
        return done
    if tool is None:
        print("loandesk: no lrelease to compile the translations", file=sys.stderr)
        return done
    import subprocess  # only when a .qm must be built

    running = []
    for ts, target in jobs.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")
        proc = subprocess.Popen(
            [tool, "-silent", str(ts), "-qm", str(partial)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        running.append((ts, target, partial, proc))
    for ts, target, partial, proc in running:
        _out, err = proc.communicate()
        if proc.returncode == 0 and partial.is_file():
            os.replace(partial, target)  # two starting processes never read a half-written file
            done[ts] = target
        else:
            partial.unlink(missing_ok=True)
            print(f"loandesk: cannot compile {ts.name}: {(err or '').strip()}", file=sys.stderr)
    return done


def compiled(ts: Path) -> Path | None:
    """The .qm for ``ts``: from the cache, built now if missing; a shipped .qm beside it as fallback."""
    target = cached_path(ts)
    if target.is_file():
        return target
    return build({ts: target})[ts] or shipped(ts)


class Compilation:
    """The .qm files for ``lang``: found in the cache, or being compiled on a background thread.

    Create it as early as possible (``run_gui`` does so before importing Qt); ``files()`` waits
    for the compile, if any, and returns (ts, qm or None) pairs in a stable order.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._ts = translation_files(lang)
        self._qm: dict[Path, Path | None] = {}
        missing: dict[Path, Path] = {}
        for ts in self._ts:
            target = cached_path(ts)
            if target.is_file():
                self._qm[ts] = target
            else:
                missing[ts] = target
        self.compiling = sorted(missing)  # what the cache lacked (empty: every .qm was prebuilt)
        self._thread: threading.Thread | None = None
        tool = lrelease() if missing else None
        if tool:  # without lrelease (a bundle) the .qm shipped beside each .ts is used
            self._thread = threading.Thread(
                target=self._build, args=(missing, tool), name="loandesk-lrelease", daemon=True
            )
            self._thread.start()

    def _build(self, missing: dict[Path, Path], tool: str) -> None:
        try:
            self._qm.update(build(missing, tool))
        except Exception as exc:  # never take start-up down: the window shows English for these files
            print(f"loandesk: compiling translations failed: {exc}", file=sys.stderr)

    def done(self) -> bool:
        """Compiled (or nothing to compile): ``files()`` will not wait."""
        return self._thread is None or not self._thread.is_alive()

    def files(self, timeout: float = COMPILE_WAIT_S) -> list[tuple[Path, Path | None]]:
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                print(f"loandesk: translations still compiling after {timeout:.0f} s; going on without them",
                      file=sys.stderr)  # fmt: skip
        return [(ts, self._qm.get(ts) or shipped(ts)) for ts in self._ts]


def install_translators(app: QCoreApplication, lang: str, ready: Compilation | None = None) -> list[QTranslator]:
    """Load every translation for ``lang`` into ``app``; keep the returned list alive.

    ``ready``: a ``Compilation`` started earlier for the same language (else one is made here).
    """
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

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
    if ready is None or ready.lang != lang:
        ready = Compilation(lang)
    for ts, qm in ready.files():
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
    return saved_language(home) or system_language()


def system_language() -> str:
    """English when the system's locale is English; else Chinese (our users read Chinese first)."""
    import locale

    tag = next((os.environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(v)), "")
    if not tag:
        try:
            tag = locale.getlocale()[0] or ""  # Windows: 'English_United States', 'Chinese (Simplified)_China'
        except ValueError:  # pragma: no cover - an unparsable locale setting
            tag = ""
    return "en" if tag.lower().startswith("en") else "zh"
