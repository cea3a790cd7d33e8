"""The built one-folder bundle (dist/loandesk, `make bundle`) started as a user would: no checkout, no venv.

Not in the default test run (testpaths): `make bundle-test` builds the bundle and runs these. They are
skipped when there is no bundle, unless LOANDESK_TEST_BUNDLE=1 asks for one (then a missing bundle fails).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from loandesk import __version__, selfcheck

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "loandesk"
PROGRAM = BUNDLE / ("loandesk.exe" if os.name == "nt" else "loandesk")

pytestmark = pytest.mark.bundle
if not PROGRAM.is_file():
    if os.environ.get("LOANDESK_TEST_BUNDLE") == "1":
        pytest.fail(f"no bundle at {BUNDLE}: run `make bundle` first", pytrace=False)
    pytest.skip("no bundle in dist/loandesk (make bundle-test builds one)", allow_module_level=True)


def run(*args, tmp_path, **env):
    """The bundle in a bare environment: nothing of this checkout or its venv on any path."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PYTHON", "VIRTUAL_ENV", "LOANDESK_")) or k == "LOANDESK_CLOCK"}  # fmt: skip
    clean.update({"LOANDESK_CACHE": str(tmp_path / "cache"), "HOME": str(tmp_path), "LOANDESK_LANG": "en", **env})
    clean["PATH"] = "/usr/bin:/bin"
    return subprocess.run([str(PROGRAM), *args], capture_output=True, text=True, cwd=tmp_path, env=clean,
                          timeout=180)  # fmt: skip


def test_self_check_passes_with_the_bundles_own_font_and_translations(tmp_path):
    proc = run("--self-check", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"PASS  {c.label_en}" for c in selfcheck.CHECKS]
    fonts = next(line for line in lines if line.startswith("PASS  fonts"))
    assert str(BUNDLE / "_internal" / "loandesk" / "resources" / "fonts") in fonts  # not the system's copy
    assert "xcb" in next(line for line in lines if line.startswith("PASS  Qt plugins"))
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())  # shipped .qm, no compile


def test_the_bundle_carries_its_build_record_and_reports_it(tmp_path):
    """The build date comes from the record the spec wrote at build time (not from this checkout)."""
    import datetime as dt
    import json

    from loandesk import build_info

    record_file = BUNDLE / "_internal" / "loandesk" / "resources" / build_info.BUILD_INFO
    assert record_file.is_file(), "the spec writes the build record into the bundle"
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert record["version"] == __version__
    built = dt.datetime.fromisoformat(record["built"])
    assert built.tzinfo is not None  # a UTC timestamp, not a local wall-clock time
    assert not (ROOT / "resources" / build_info.BUILD_INFO).exists()  # generated into the build, never committed
    proc = run("--self-check", tmp_path=tmp_path)
    line = next(line for line in proc.stdout.splitlines() if line.startswith("PASS  build"))
    assert f"built {record['built']}" in line and (record["commit"] or "unknown") in line, line


def test_version_and_commands(tmp_path):
    assert run("--version", tmp_path=tmp_path).stdout.strip() == f"loandesk {__version__}"
    home = tmp_path / "home"
    made = run("--home", str(home), "demo", "--count", "3", tmp_path=tmp_path)
    assert made.returncode == 0, made.stderr
    from loandesk.demo import DEMO_PASSWORD

    signed_in = {"LOANDESK_USER": "admin", "LOANDESK_PASSWORD": DEMO_PASSWORD}  # a backup is an audited export
    backed = run("--home", str(home), "backup", str(tmp_path / "b.zip"), tmp_path=tmp_path, **signed_in)
    assert backed.returncode == 0, backed.stderr
    # The backup holds the key ring, not the key: the restore opens it with the same user's password.
    restored = run("restore", str(tmp_path / "b.zip"), "--into", str(tmp_path / "r"), tmp_path=tmp_path,
                   **signed_in)  # fmt: skip
    assert restored.returncode == 0, restored.stderr


def test_the_window_opens_in_chinese(tmp_path):
    proc = run("--home", str(tmp_path / "home"), tmp_path=tmp_path, LOANDESK_LANG="zh", QT_QPA_PLATFORM="offscreen",
               LOANDESK_BENCHMARK_STARTUP="1")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    title = re.search(r"^startup-title (.*)$", proc.stdout, re.M)
    assert title and "信贷工作台" in title.group(1), proc.stdout


def test_the_bundle_leaves_out_what_it_does_not_need():
    internal = BUNDLE / "_internal"
    for unwanted in ("tkinter", "pytest", "hypothesis", "PyInstaller", "fastapi", "uvicorn"):
        assert not list(internal.glob(f"{unwanted}*")), unwanted
    qt_translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()}
    assert qt_translations <= {"qtbase_zh_CN.qm", "qt_zh_CN.qm"}
    assert (BUNDLE / "icons" / "loandesk-256.png").is_file() and (BUNDLE / "loandesk.desktop").is_file()


def test_install_script_installs_menu_entry_and_icons_then_uninstalls(tmp_path):
    prefix = tmp_path / "prefix"
    script = BUNDLE / "install-linux.sh"
    done = subprocess.run(["sh", str(script), "--prefix", str(prefix)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-check passed" in done.stdout
    entry = (prefix / "share" / "applications" / "loandesk.desktop").read_text(encoding="utf-8")
    assert f"Exec={prefix}/lib/loandesk/loandesk" in entry and "Name[zh_CN]=信贷工作台" in entry
    icons = prefix / "share" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "loandesk.svg").is_file()
    assert (icons / "48x48" / "apps" / "loandesk.png").is_file()
    version = subprocess.run([str(prefix / "bin" / "loandesk"), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"loandesk {__version__}"
    gone = subprocess.run(["sh", str(script), "--prefix", str(prefix), "--uninstall"], capture_output=True, text=True)
    assert gone.returncode == 0
    assert not (prefix / "lib" / "loandesk").exists() and not (prefix / "bin" / "loandesk").exists()
    assert not list(icons.rglob("loandesk.*"))
