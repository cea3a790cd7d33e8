"""Start-up discipline: the real `loandesk` command opens the window without the heavy libraries,
and without running lrelease on the GUI thread, in Chinese even when no translation was compiled yet."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from loandesk.ui import i18n
from loandesk.ui.app import HEAVY_MODULES
from users_support import with_demo_users


def start(home: Path, cache: Path, lang: str = "zh") -> dict[str, str]:
    """Run ``python -m loandesk`` until its window has painted its loaded lists; its ``startup-`` report.

    The home has the demo's users; the benchmark mode signs in through the login dialog as LOANDESK_USER
    with LOANDESK_PASSWORD (tests/conftest.py: admin / demo)."""
    with_demo_users(home)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOANDESK_BENCHMARK_STARTUP": "1", "LOANDESK_LANG": lang,
           "LOANDESK_CACHE": str(cache)}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "loandesk", "--home", str(home)], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line.startswith("startup-"))


def test_first_window_paints_without_pandas_reportlab_or_the_hub(home, tmp_path):
    assert {"pandas", "numpy", "reportlab", "fastapi", "uvicorn", "pydantic", "openpyxl", "pypdf"} <= set(HEAVY_MODULES)
    lines = start(home, tmp_path / "qm")
    assert "startup-ready" in lines  # the window painted with the store open and its lists loaded
    assert float(lines["startup-login-shown"]) <= float(lines["startup-sign-in"]) < float(lines["startup-ready"])
    assert lines["startup-heavy-modules"] == "-"
    assert (home / "loandesk.db").is_file()


def test_a_fresh_cache_still_starts_in_chinese(home, tmp_path):
    cache = tmp_path / "fresh-qm"  # nothing compiled ahead of time: the first start of a new install
    lines = start(home, cache)
    assert lines["startup-title"] == "信贷工作台"
    assert lines["startup-heavy-modules"] == "-"
    built = sorted(p.name.split("-")[0] for p in cache.glob("*.qm"))
    assert built == sorted(ts.stem for ts in i18n.translation_files("zh"))  # compiled once, kept for next time
    assert start(home, cache)["startup-title"] == "信贷工作台"  # and used from the cache


def test_english_start_compiles_nothing(home, tmp_path):
    cache = tmp_path / "qm"
    lines = start(home, cache, lang="en")
    assert lines["startup-title"] == "Loan Desk"
    assert not cache.exists()


def test_translations_compile_off_the_calling_thread(tmp_path, monkeypatch):
    monkeypatch.setenv("LOANDESK_CACHE", str(tmp_path))
    seen = []
    real_build = i18n.build

    def build(jobs, tool=None):
        seen.append(threading.current_thread())
        return real_build(jobs, tool)

    monkeypatch.setattr(i18n, "build", build)
    compilation = i18n.Compilation("zh")
    assert compilation.compiling == i18n.translation_files("zh")
    files = compilation.files()
    assert seen and threading.current_thread() not in seen  # lrelease ran on a background thread
    assert all(qm is not None and qm.parent == tmp_path for _ts, qm in files)
    again = i18n.Compilation("zh")  # prebuilt now: found in the cache, nothing to compile
    assert again.compiling == [] and again.files() == files and len(seen) == 1


def test_the_i18n_module_loads_without_qt():
    # run_gui starts compiling translations before Qt is imported, beside the Qt import.
    code = "import sys, loandesk.ui.i18n, loandesk.ui.app; print(sorted(m for m in sys.modules if 'PySide6' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.strip() == "[]"


def test_an_everyday_start_paints_without_sqlite_utils(home, tmp_path):
    """An up-to-date store opens and lists its first pages without sqlite-utils (it comes after the paint)."""
    from loandesk.storage import Store

    Store.open(home).close()  # created and migrated before: an everyday start
    with_demo_users(home)  # upgraded in place, as its first start after the upgrade does
    code = ("import sys, loandesk.ui.app as a; a.HEAVY_MODULES += ('sqlite_utils', 'click', 'pluggy');"
            "sys.exit(a.run_gui(sys.argv[1]))")  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOANDESK_BENCHMARK_STARTUP": "1", "LOANDESK_LANG": "en",
           "LOANDESK_CACHE": str(tmp_path / "qm")}  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code, str(home)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line.startswith("startup-"))
    assert "startup-ready" in lines and lines["startup-heavy-modules"] == "-"


def test_the_preload_guesses_the_data_home_as_run_gui_resolves_it(tmp_path, monkeypatch):
    from loandesk.paths import default_home
    from loandesk.ui.startup import _guessed_home

    monkeypatch.setenv("LOANDESK_HOME", str(tmp_path / "env"))
    assert _guessed_home(["loandesk", "--home", str(tmp_path / "a")]) == tmp_path / "a"
    assert _guessed_home(["loandesk", f"--home={tmp_path / 'b'}"]) == tmp_path / "b"
    assert _guessed_home(["loandesk", "--home"]) is None
    assert _guessed_home(["loandesk"]) == tmp_path / "env"
    monkeypatch.delenv("LOANDESK_HOME")
    assert _guessed_home(["loandesk", "--lang", "en"]) == default_home()
