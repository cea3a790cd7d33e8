"""The domain never imports Qt, and the command line starts without Qt, pandas or reportlab."""

import pkgutil
import subprocess
import sys

import loandesk

NON_UI = sorted(
    m.name for m in pkgutil.walk_packages(loandesk.__path__, "loandesk.")
    if not m.name.startswith(("loandesk.ui", "loandesk.hub")) and m.name != "loandesk.__main__"
)  # fmt: skip


def test_every_non_ui_module_imports_without_qt():
    code = (
        "import importlib, sys\n"
        f"for name in {NON_UI!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_start_up_imports_stay_light():
    code = (
        "import sys\n"
        "from loandesk.cli import build_parser\n"
        "build_parser()\n"
        "heavy = {'pandas', 'reportlab', 'PySide6', 'fastapi', 'uvicorn'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_only_the_clock_module_reads_the_real_date():
    """One clock (loandesk.core.clock), pinned by the tests: any other read of the wall clock would make
    the application's dates, and so the tests, depend on the day they run."""
    import re
    from pathlib import Path

    wall_clock = re.compile(r"date\.today\(\)|datetime\.now\(|datetime\.utcnow\(|QDate\.currentDate|"
                            r"QDateTime\.current|time\.localtime\(|'now'|\"now\"")  # fmt: skip
    root = Path(loandesk.__file__).parent
    offenders = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py") if path.name != "clock.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if wall_clock.search(line)]  # fmt: skip
    assert offenders == []
