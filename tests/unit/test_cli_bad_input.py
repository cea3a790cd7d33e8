"""Every sub-command, fed bad input as a user would, answers exit 2 with one line and nothing else.

Real processes (``python -m loandesk``) on a real data home. For each case: exit 2, exactly one line
on stderr, no traceback anywhere, no output file, no temporary file left, and none of the personal
data in the input files (names, ID numbers, phones) in anything printed. A sub-command added to the
CLI without a case here fails ``test_every_sub_command_has_bad_input_cases``.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from loandesk.core.dictionary import DICTIONARY_COLUMNS
from loandesk.demo import demo_record

EXIT_BAD_INPUT = 2


def _rows(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [demo_record(rng, i) for i in range(n)]


ROWS = _rows(4)
PERSONAL = [str(r[k]) for r in ROWS for k in ("legal_rep_name", "legal_rep_id", "legal_rep_phone")] + [
    "陳大文", "林美玲"]


def _csv_text(rows: list[dict], columns: list[str] = DICTIONARY_COLUMNS) -> str:
    lines = [",".join(columns)]
    for r in rows:
        lines.append(",".join(str(r.get(c, "")) for c in columns))
    return "\n".join(lines) + "\n"


def _ragged(text: str, line: int, drop: int) -> str:
    lines = text.splitlines()
    cells = lines[line - 1].split(",")
    del cells[drop]
    lines[line - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def _one_bad_cell(field: str, value: str) -> str:
    row = dict(ROWS[0], **{field: value})
    return _csv_text([row, *ROWS[1:]])


def _swapped_id_column() -> str:
    """One row, its ID numbers under the employees header: a mislabelled column, not a shifted row."""
    cols = list(DICTIONARY_COLUMNS)
    i, j = cols.index("employees"), cols.index("legal_rep_id")
    header = list(cols)
    header[i], header[j] = header[j], header[i]
    return ",".join(header) + "\n" + ",".join(str(ROWS[0][c]) for c in cols) + "\n"


GOOD = _csv_text(ROWS)
SECOND = ROWS[1]["enterprise_name"]
# name -> bytes of an input file for `score --input`
INPUTS: dict[str, bytes] = {
    "good.csv": GOOD.encode(),
    "empty.csv": b"",
    "header_only.csv": GOOD.splitlines()[0].encode() + b"\n",
    "unclosed_quote.csv": GOOD.replace(f"\n{SECOND},", f'\n"{SECOND},').encode(),  # a quote opened, never closed
    "random_bytes.xlsx": os.urandom(4000),
    "random_bytes.csv": os.urandom(4000) + b"\x00",
    "no_known_column.csv": b"foo\n1\n2\n",
    "long_row.csv": GOOD.replace(ROWS[0]["purpose"], f"{ROWS[0]['purpose']},{ROWS[0]['legal_rep_id']}", 1).encode(),
    "short_row.csv": _ragged(GOOD, 3, 3).encode(),
    "cut_off.csv": GOOD.rstrip("\n").rsplit(",", 3)[0].encode(),
    "duplicate_header.csv": GOOD.replace("total_assets", "annual_revenue", 1).encode(),
    "big5.csv": ("企業名稱,法定代表人,營業收入\n台北永豐貿易有限公司,陳大文,3000000\n").encode("big5"),
    "big5_values.csv": ("enterprise_name,industry,legal_rep_name,annual_revenue,employees,purpose\n"
                        "台北永豐貿易有限公司,RET,陳大文,3000000,12,流動資金週轉\n"
                        "高雄興業有限公司,IND,林美玲,5000000,30,購買設備\n").encode("big5"),
    "forty_nines.csv": _one_bad_cell("annual_revenue", "9" * 40).encode(),
    "not_a_number.csv": _one_bad_cell("employees", str(ROWS[0]["legal_rep_phone"])).encode(),
    "id_under_employees.csv": _swapped_id_column().encode(),
}

PACK_GARBAGE = "[pack\nid = 1\n"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A demo data home, a home whose key is damaged, and a folder of input files."""
    root = tmp_path_factory.mktemp("bad_input")
    home = root / "home"
    proc = _run(["demo", "--count", "2"], home)
    assert proc.returncode == 0, proc.stderr
    # The key ring (keyring.json) holds the store key wrapped per user: damaged, emptied, another
    # home's, or missing beside the database. Each is refused in one line.
    broken = root / "broken_key"
    shutil.copytree(home, broken)
    (broken / "keyring.json").write_text("not a key ring\n")
    ring = json.loads((home / "keyring.json").read_text())
    other = {**ring, "store_id": "ZZZZ"}  # the entries no longer unwrap: as if from another home
    keys = {"empty_key": "", "wrong_key": json.dumps(other), "no_key": None}
    for name, key in keys.items():  # a damaged key ring, another home's, a database copied without it
        shutil.copytree(home, root / name)
        if key is None:
            (root / name / "keyring.json").unlink()
        else:
            (root / name / "keyring.json").write_text(key)
    files = root / "in"
    files.mkdir()
    for name, data in INPUTS.items():
        (files / name).write_bytes(data)
    (files / "garbage_pack.toml").write_text(PACK_GARBAGE)
    (files / "card.csv").write_text("variable,bin,points\n")
    (files / "not_a_memo.pdf").write_bytes(b"%PDF-1.4 not really\n")
    out = root / "out"
    out.mkdir()
    a_file = root / "a_file"
    a_file.write_text("not a data home")
    return {"root": root, "home": home, "broken": broken, "in": files, "out": out, "a_file": a_file,
            **{name: root / name for name in keys}}


def _run(args: list[str], home: Path | None, lang: str = "zh") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "loandesk", "--lang", lang] + (["--home", str(home)] if home else []) + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _fill(args: list[str], w: dict) -> list[str]:
    return [a.format(**{k: str(v) for k, v in w.items()}) for a in args]


# (sub-command, case name, arguments with {in}/{out}/{root} placeholders, home: "home"/"broken"/None)
CASES = [
    ("init", "bad branch code", ["init", "--branch", "hz-1"], "home"),
    ("init", "damaged store key", ["init"], "broken"),
    ("demo", "count 0", ["demo", "--count", "0"], "home"),
    ("demo", "count not a number", ["demo", "--count", "many"], "home"),
    ("list", "damaged store key", ["list", "enterprises"], "broken"),
    ("list", "unknown kind", ["list", "people"], "home"),
    ("list", "data home is a file", ["list", "applications"], "a_file"),
    ("list", "empty store key", ["list", "applications"], "empty_key"),
    ("list", "another home's key", ["list", "applications"], "wrong_key"),
    ("list", "database copied without its key", ["list", "applications"], "no_key"),
    *[("score", f"input {name}", ["score", "--input", "{in}/" + name, "--output", "{out}/scored.csv",
                                  "--as-of", "2026-11-23"], "home") for name in INPUTS if name != "good.csv"],
    ("score", "input missing", ["score", "--input", "{in}/nope.csv", "--output", "{out}/scored.csv"], "home"),
    ("score", "input is a folder", ["score", "--input", "{in}", "--output", "{out}/scored.csv"], "home"),
    ("score", "output folder missing", ["score", "--input", "{in}/good.csv", "--output", "{out}/no/such.csv"], "home"),
    ("score", "output is a folder", ["score", "--input", "{in}/good.csv", "--output", "{out}"], "home"),
    ("score", "output not csv/xlsx", ["score", "--input", "{in}/good.csv", "--output", "{out}/scored.txt"], "home"),
    ("score", "output is the input", ["score", "--input", "{in}/good.csv", "--output", "{in}/good.csv"], "home"),
    ("score", "garbage rule pack", ["score", "--input", "{in}/good.csv", "--output", "{out}/scored.csv",
                                    "--rules", "{in}/garbage_pack.toml"], "home"),
    ("score", "empty scorecard", ["score", "--input", "{in}/good.csv", "--output", "{out}/scored.csv",
                                  "--scorecard", "{in}/card.csv"], "home"),
    ("score", "damaged store key", ["score", "--input", "{in}/good.csv", "--output", "{out}/scored.csv"], "broken"),
    ("rescore", "garbage rule pack", ["rescore", "--rules", "{in}/garbage_pack.toml"], "home"),
    ("rescore", "output folder missing", ["rescore", "--rules", "{in}/garbage_pack.toml",
                                          "--output", "{out}/no/such.csv"], "home"),
    ("rules", "check garbage", ["rules", "check", "{in}/garbage_pack.toml"], "home"),
    ("rules", "install garbage", ["rules", "install", "{in}/garbage_pack.toml"], "home"),
    ("rules", "install missing file", ["rules", "install", "{in}/nope.toml"], "home"),
    ("rules", "show with a damaged key", ["rules", "show"], "broken"),
    ("decide", "unknown application", ["decide", "A-HZ01-NOPE-000009"], "home"),
    ("decide", "bad date", ["decide", "--as-of", "2026-13-45"], "home"),
    ("override", "unknown application", ["override", "A-HZ01-NOPE-000009", "--to", "approve", "--reason", "x",
                                         "--officer", "王芳"], "home"),
    ("override", "limit not a number", ["override", "A-1", "--to", "approve", "--reason", "x", "--officer", "王芳",
                                        "--limit", "lots"], "home"),
    ("confirm-override", "unknown override", ["confirm-override", "nope", "--approver", "李审批"], "home"),
    ("overrides", "unknown application", ["overrides", "A-HZ01-NOPE-000009"], "home"),
    ("approve", "output folder missing", ["approve", "A-1", "--approve", "--limit", "100000", "--approver", "李审批",
                                          "--out", "{out}/no/such.pdf"], "home"),
    ("approve", "output not pdf", ["approve", "A-1", "--approve", "--limit", "100000", "--approver", "李审批",
                                   "--out", "{out}/memo.txt"], "home"),
    ("approve", "limit not an amount", ["approve", "A-1", "--approve", "--limit", "lots", "--approver", "李审批"],
     "home"),
    ("approve", "decline with a limit", ["approve", "A-1", "--decline", "--limit", "1", "--approver", "李审批"],
     "home"),
    ("approve", "unknown application", ["approve", "A-HZ01-NOPE-000009", "--decline", "--reason", "x",
                                        "--approver", "李审批"], "home"),
    ("memo", "output folder missing", ["memo", "A-1", "--out", "{out}/no/such.pdf"], "home"),
    ("memo", "output is a folder", ["memo", "A-1", "--out", "{out}"], "home"),
    ("memo", "output not pdf", ["memo", "A-1", "--out", "{out}/memo.txt"], "home"),
    ("memo", "all pending into a file", ["memo", "--all-pending", "--out-dir", "{in}/good.csv"], "home"),
    ("memo", "no application and no --all-pending", ["memo", "--out", "{out}/m.pdf"], "home"),
    ("backup", "folder missing", ["backup", "{out}/no/such/backup.zip"], "home"),
    ("backup", "damaged store key", ["backup", "{out}/backup.zip"], "broken"),
    ("restore", "not a backup", ["restore", "{in}/random_bytes.xlsx", "--into", "{out}/new",
                                 "--key-from", "{home}"], None),
    ("restore", "into a home in use", ["restore", "{in}/random_bytes.xlsx", "--into", "{home}",
                                       "--key-from", "{home}"], None),
    ("restore", "no key", ["restore", "{in}/random_bytes.xlsx", "--into", "{out}/new"], None),
    ("verify-memo", "missing file", ["verify-memo", "{in}/nope.pdf"], "home"),
    ("verify-memo", "a folder", ["verify-memo", "{in}"], "home"),
    ("verify-memo", "damaged store key", ["verify-memo", "{in}/not_a_memo.pdf"], "broken"),
    ("hub", "unsupported database", ["hub", "list", "applications", "--db", "nosuch://x", "--json"], None),
    ("hub", "enrolment expiry not a duration", ["hub", "enroll", "--db", "sqlite:///{out}/hub.db", "--branch",
                                                "330106-01", "--expires", "soon"], None),
    ("hub", "verify a file that is not a PDF", ["hub", "verify-memo", "--db", "sqlite:///{out}/hub.db",
                                                "{in}/good.csv"], None),
    ("hub", "verify a code that is not a memo code", ["hub", "verify-memo", "--db", "sqlite:///{out}/hub.db",
                                                      "--code", "hello"], None),
    ("sync", "hub address not a URL", ["sync", "--hub", "notaurl"], "home"),
    ("sync", "not enrolled", ["sync"], "home"),
    ("sync", "enrolment code without a hub", ["sync", "--enroll", "ABCD"], "home"),
    ("users", "unknown role", ["users", "add", "zhou", "--role", "boss"], "home"),
    ("users", "disable an unknown user", ["users", "disable", "nobody"], "home"),
    ("users", "damaged key ring", ["users", "list"], "broken"),
    ("audit", "bad --since date", ["audit", "list", "--since", "yesterday"], "home"),
    ("audit", "key ring missing", ["audit", "verify"], "no_key"),
    ("consent", "list an unknown application", ["consent", "list", "A-HZ01-NOPE-000009"], "home"),
    ("consent", "revoke an unknown application", ["consent", "revoke", "A-HZ01-NOPE-000009"], "home"),
    ("consent", "evidence file missing", ["consent", "record", "A-1", "--given-by", "王五", "--scope", "tax",
                                          "--evidence", "{in}/nope.pdf"], "home"),
    ("consent", "record without a scope", ["consent", "record", "A-1", "--given-by", "王五"], "home"),
    ("import-list", "random bytes named .xlsx", ["import-list", "{in}/random_bytes.xlsx"], "home"),
    ("import-list", "an empty file", ["import-list", "{in}/empty.csv", "--rejects", "{out}/r.csv"], "home"),
    ("import-list", "missing file", ["import-list", "{in}/nope.csv"], "home"),
    ("stage", "unknown stage", ["stage", "E-HZ01-NOPE-000009", "flying", "--reason", "试"], "home"),
    ("stage", "unknown enterprise", ["stage", "E-HZ01-NOPE-000009", "contacted", "--reason", "试"], "home"),
    ("assign", "not an account manager", ["assign", "nobody", "--all"], "home"),
    ("visit", "unknown enterprise", ["visit", "E-HZ01-NOPE-000009", "--findings", "正常经营"], "home"),
    ("visit", "date not a date", ["visit", "E-HZ01-NOPE-000009", "--findings", "正常", "--date", "tomorrow"], "home"),
    ("my-list", "limit not a number", ["my-list", "--limit", "many"], "home"),
    ("prequalify", "unknown stage", ["prequalify", "--stage", "flying"], "home"),
    ("report", "from not a date", ["report", "cultivation", "--from", "soon"], "home"),
    ("report", "xlsx in a missing folder", ["report", "cultivation", "--xlsx", "{out}/nofolder/r.xlsx"], "home"),
    ("settings", "an unknown setting", ["settings", "set", "colour", "red"], "home"),
    ("settings", "hub address not a URL", ["settings", "set", "hub_url", "hub.example"], "home"),
    ("settings", "branch code not 2-8 capitals or digits", ["settings", "set", "branch", "west-1"], "home"),
    ("conflicts", "resolve an unknown conflict", ["conflicts", "resolve", "nope", "--keep", "local"], "home"),
    ("conflicts", "resolve without a choice", ["conflicts", "resolve", "nope"], "home"),
    ("quarantine", "retry an unknown operation", ["quarantine", "retry", "nope"], "home"),
    ("quarantine", "export into a missing folder", ["quarantine", "export", "{out}/nofolder/q.csv"], "home"),
]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith(".loandesk-"))


WORKERS = max(2, min(4, os.cpu_count() or 2))  # the cases are independent processes: a few at a time


def _lang(case: str) -> str:
    return "en" if len(case) % 2 else "zh"  # both languages, spread over the cases


@pytest.fixture(scope="module")
def outcomes(world):
    """Every case run once, each with its own (empty) output folder, a few processes at a time."""

    def one(index: int) -> tuple[subprocess.CompletedProcess, Path]:
        _, case, args, home = CASES[index]
        out = world["out"] / f"case{index:02d}"
        out.mkdir()
        return _run(_fill(args, {**world, "out": out}), world[home] if home else None, _lang(case)), out

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(one, range(len(CASES))))


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_bad_input_gets_exit_2_and_one_line(world, outcomes, index):
    proc, out = outcomes[index]
    said = proc.stdout + proc.stderr
    assert proc.returncode == EXIT_BAD_INPUT, said
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("loandesk"), proc.stderr
    assert "Traceback" not in said and 'File "' not in said
    assert list(out.iterdir()) == []  # no output file, no temporary file
    assert _leftovers(world["in"]) == []
    leaked = [p for p in PERSONAL if p in said]
    assert not leaked, said


def test_every_sub_command_has_bad_input_cases():
    from loandesk.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == {c[0] for c in CASES}


def test_memo_and_rescore_outputs_are_private(world):
    refs = [a["ref"] for a in json.loads(_run(["list", "applications"], world["home"]).stdout)]
    pdf = world["out"] / "memo.pdf"
    proc = _run(["memo", refs[0], "--out", str(pdf)], world["home"])
    assert proc.returncode == 0, proc.stderr
    report = world["out"] / "rescore.csv"
    pack = Path(__file__).resolve().parents[2] / "resources" / "rules" / "bank_tax_first_loan.toml"
    proc = _run(["rescore", "--rules", str(pack), "--output", str(report), "--as-of", "2026-11-23"], world["home"])
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600 and stat.S_IMODE(report.stat().st_mode) == 0o600
    assert pdf.read_bytes().startswith(b"%PDF") and _leftovers(world["out"]) == []
    pdf.unlink()
    report.unlink()


def test_the_good_file_scores_and_the_output_is_private(world):
    out = world["out"] / "good_scored.csv"
    proc = _run(["score", "--input", str(world["in"] / "good.csv"), "--output", str(out), "--as-of", "2026-11-23"],
                world["home"])  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert len(list(csv.DictReader(open(out, encoding="utf-8-sig")))) == len(ROWS)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert _leftovers(world["out"]) == []
    out.unlink()


SCRIPT = """
import sys
from loandesk import cli
import loandesk.commands.data as data

def broken(args):  # a defect whose message carries personal data, as a careless raise might
    raise RuntimeError("cannot handle {name} id {id} phone {phone}")

data.demo = broken
sys.exit(cli.main(sys.argv[1:]))
"""


def test_an_unexpected_error_is_one_line_and_a_log_without_personal_data(tmp_path):
    home = tmp_path / "h"
    r = ROWS[0]
    script = SCRIPT.format(name=r["legal_rep_name"], id=r["legal_rep_id"], phone=r["legal_rep_phone"])
    cmd = [sys.executable, "-c", script, "--home", str(home), "--lang", "en", "demo"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 70, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "internal error (RuntimeError)" in lines[0] and "Traceback" not in proc.stderr
    logs = list((home / "logs").glob("internal-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: cannot handle" in text and "in broken" in text
    assert not [p for p in (r["legal_rep_name"], r["legal_rep_id"], r["legal_rep_phone"]) if str(p) in text], text
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600 and stat.S_IMODE((home / "logs").stat().st_mode) == 0o700


def test_a_refusal_the_command_did_not_catch_is_still_one_line_and_exit_2(tmp_path, capsys):
    """A Loan Desk exception escaping a handler (here a store lock another part of the code might add)
    is a refusal, said in one line; a built-in one escaping is a defect (exit 70), as above."""
    from loandesk import cli
    from loandesk.commands import data
    from loandesk.storage.connection import StoreLocked

    def locked(args):
        raise StoreLocked("the data home is open in another Loan Desk window\nclose it first", "数据目录已被占用")

    original = data.list_records
    data.list_records = locked
    try:
        code = cli.main(["--home", str(tmp_path / "h"), "--lang", "en", "list", "applications"])
    finally:
        data.list_records = original
    err = capsys.readouterr().err
    assert code == 2 and err == "loandesk list: the data home is open in another Loan Desk window; close it first\n"
