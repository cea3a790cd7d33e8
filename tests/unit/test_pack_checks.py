"""Rule packs that make no sense are refused before they can decide anything: wrong types, implausible
figures, packs under which nobody can be approved, oversized files, files that are not packs at all.
Every refusal names the file, the line, the key and the reason, in Chinese and English; the command
line refuses with exit 2 and one line. The pack in force is parsed once, not at every decision."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from loandesk.cli import main
from loandesk.scoring import service
from loandesk.scoring.pack import MAX_PACK_BYTES, PackError, default_pack_path, load_pack
from loandesk.storage import decisions as repo
from users_support import with_demo_users

TODAY = dt.date(2026, 11, 23)
TEXT = default_pack_path().read_text(encoding="utf-8")


def write(tmp_path, text, name="pack.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def changed(*pairs: tuple[str, str]) -> str:
    text = TEXT
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def refused(tmp_path, text) -> PackError:
    path = write(tmp_path, text)
    with pytest.raises(PackError) as exc:
        load_pack(path, today=TODAY)
    err = exc.value
    assert err.source == str(path)
    for lang in ("en", "zh"):
        assert str(path) in err.message(lang) and err.key in err.message(lang)
    return err


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


APPROVE = 'name = "approve"\nlower = 620'
SCORECARD = "# ---- points scorecard"


def knockout(code: str, rule: str) -> str:
    """One more [[knockout]], after the shipped ones."""
    texts = 'reason_zh = "x"\nreason_en = "x"\nfix_zh = "x"\nfix_en = "x"'
    return f'[[knockout]]\ncode = "{code}"\n{rule}\n{texts}\n\n{SCORECARD}'

REFER = 'name = "refer"\nlower = 540\nupper = 620'

# (changes to the shipped pack, the key named, words of the English reason, the line's text)
REFUSALS = [
    # wrong types
    ([('version = "2026.2"', "version = [1, 2]")], "pack.version", "non-empty string", "version = [1, 2]"),
    ([('version = "2026.2"', "version = 2026.2")], "pack.version", "non-empty string", "version = 2026.2"),
    ([("base_points = 300", "base_points = true")], "pack.base_points", "must be a number", "base_points = true"),
    ([("{ values = [\"A\"], points = 120 }", "{ values = [\"A\"], points = nan }")], "factor[0].bins[0].points",
     "must be a number", '{ values = ["A"], points = nan }'),
    ([("{ lower = 120, points = 110 }", "{ lower = 120, points = inf }")], "factor[1].bins[4].points",
     "must be a number", "{ lower = 120, points = inf }"),
    ([("tax_multiple = { A = 5, B = 3, M = 2 }", "tax_multiple = { A = true, B = 3, M = 2 }")],
     "limit.tax_multiple.A", "multiple from 0 to 100", "tax_multiple"),
    # out of range
    ([("lpr_1y = 3.00", "lpr_1y = -3.00")], "pricing.lpr_1y", "above 0", "lpr_1y = -3.00"),
    ([("floor = 3.20", "floor = -45.0")], "pricing.floor", "from 0", "floor = -45.0"),
    ([("cap = 6.00", "cap = 60.0")], "pricing.cap", "at most 36", "cap = 60.0"),
    ([("spread_bp = { A = 60,", "spread_bp = { A = -9000,")], "pricing.spread_bp.A", "from -3600", "spread_bp"),
    ([("first_loan_discount_bp = 20", "first_loan_discount_bp = -20")], "pricing.first_loan_discount_bp", "from 0",
     "first_loan_discount_bp"),
    ([("long_term_months = 60", "long_term_months = 0")], "pricing.long_term_months", "at least 1",
     "long_term_months"),
    ([("base_points = 300", "base_points = 1.7e308")], "pack.base_points", "at most 10000", "base_points = 1.7e308"),
    ([("{ values = [\"B\"], points = 90 }", "{ values = [\"B\"], points = -1e9 }")], "factor[0].bins[1].points",
     "from -10000", '{ values = ["B"], points = -1e9 }'),
    ([("product_cap = 3000000", "product_cap = 0")], "limit.product_cap", "above 0", "product_cap = 0"),
    ([("product_cap = 3000000", "product_cap = 1e300")], "limit.product_cap", "at most 1e+10", "product_cap"),
    ([("tax_multiple = { A = 5,", "tax_multiple = { A = 500,")], "limit.tax_multiple.A", "multiple from 0 to 100",
     "tax_multiple"),
    ([("max_months = 12", "max_months = 0")], "term.max_months", "at least 1", "max_months = 0"),
    ([("max_months = 12", "max_months = 9999")], "term.max_months", "from 1 to 360", "max_months = 9999"),
    ([("reentry_window_days = 90", "reentry_window_days = -1")], "pack.reentry_window_days", "at least 0",
     "reentry_window_days"),
    # values no applicant can have
    ([('in = ["C", "D"]', 'in = ["C", "E"]')], "knockout[1].in", "'E' is not a tax_grade value", 'in = ["C", "E"]'),
    ([('{ values = ["M"], points = 60 }', '{ values = ["m"], points = 60 }')], "factor[0].bins[2].values",
     "'m' is not a tax_grade value", '{ values = ["m"], points = 60 }'),
    # nobody can be approved
    ([(APPROVE, 'name = "approve"\nlower = 900'), (REFER, 'name = "refer"\nlower = 540\nupper = 900')],
     "decision[0].lower", "highest score the pack can give is 850", "lower = 900"),
    ([(APPROVE, 'name = "refer"\nlower = 620')], "decision", "no band gives 'approve'", "[[decision]]"),
    ([(APPROVE, 'name = "decline"\nlower = 620'), ('name = "decline"\nupper = 540', 'name = "approve"\nupper = 540')],
     "decision[1].name", "a higher score must never get a worse decision: 'refer' from 540 is above 'approve'",
     'name = "refer"'),
    ([("minimum = 10000 ", "minimum = 5000000 ")], "limit.minimum", "above the largest limit", "minimum = 5000000"),
    ([("tax_multiple = { A = 5, B = 3, M = 2 }", "tax_multiple = { A = 0, B = 0, M = 0, C = 4 }")],
     "limit.tax_multiple", "no tax grade that passes the knock-outs", "tax_multiple"),
    ([("revenue_share = 0.2 ", "revenue_share = 0 ")], "limit.revenue_share", "every limit 0", "revenue_share = 0"),
    ([("round_down_to = 10000", "round_down_to = 5000000")], "limit.round_down_to", "leaves nothing",
     "round_down_to = 5000000"),
    ([(SCORECARD, knockout("too_young_to_be_old", 'variable = "months_in_operation"\nabove = 12'))],
     "knockout[6].above", "at least 24 and at most 12", "above = 12"),
    ([(SCORECARD, knockout("all_other_grades", 'variable = "tax_grade"\nin = ["A", "B", "M"]'))],
     "knockout[6].in", "declines every applicant: no tax_grade value", 'in = ["A", "B", "M"]'),
]  # fmt: skip


@pytest.mark.parametrize(("pairs", "key", "words", "line_text"), REFUSALS, ids=[r[1] + ":" + r[2] for r in REFUSALS])
def test_a_pack_that_makes_no_sense_is_refused_naming_line_key_and_reason(tmp_path, pairs, key, words, line_text):
    text = changed(*pairs)
    err = refused(tmp_path, text)
    assert err.key == key, err.message("en")
    assert words in err.message("en"), err.message("en")
    assert err.zh and err.zh != err.en and err.message("zh").startswith("规则包")
    assert err.line == line_of(text, line_text), (err.line, err.message("en"))


def test_the_shipped_pack_passes_every_check_without_warnings():
    pack = load_pack(default_pack_path(), today=TODAY)
    assert pack.warnings == [] and pack.summary()["warnings"] == []
    assert pack.score_range == (300, 850)  # 300 base; the best bins an applicant passing the knock-outs can get


def test_a_band_no_score_reaches_is_a_warning_naming_it(tmp_path):
    text = changed(('name = "A"\nlower = 700', 'name = "A"\nlower = 900'),
                   ('name = "B"\nlower = 620\nupper = 700', 'name = "B"\nlower = 620\nupper = 900'))  # fmt: skip
    pack = load_pack(write(tmp_path, text), today=TODAY)  # still decides: installed, with a warning
    [warning] = pack.warnings
    assert warning["key"] == "grade[0]" and warning["line"] == line_of(text, "[[grade]]")
    assert "no score reaches grade 'A'" in warning["en"] and "850" in warning["en"] and "评级“A”" in warning["zh"]
    assert pack.summary()["warnings"][0]["key"] == "grade[0]"


def test_an_oversized_pack_is_refused_before_it_is_parsed(tmp_path):
    # Not TOML either: had it been parsed, the refusal would be about its syntax.
    path = write(tmp_path, TEXT + "\n" + "= not toml\n" * (MAX_PACK_BYTES // 10))
    with pytest.raises(PackError) as exc:
        load_pack(path, today=TODAY)
    assert "at most 1,000,000 are accepted" in exc.value.message("en") and "超过上限" in exc.value.message("zh")
    assert "TOML" not in exc.value.message("en")


@pytest.mark.parametrize(
    ("content", "words", "zh"),
    [
        (b"", "the file is empty", "文件为空"),
        (b"  \n\n", "the file is empty", "文件为空"),
        (b"this is not toml {{{\n", "not valid TOML", "不是有效的 TOML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "is not UTF-8 text (byte 0x89 at position 0)",
         "不是 UTF-8 文本"),
        (b"x = " + b"[" * 100_000, "nested too deeply", "嵌套过深"),
        (b"[pack]\nid = 'x'\n", "pack.version", "缺失"),
    ],
)
def test_a_file_that_is_not_a_pack_is_refused(tmp_path, content, words, zh):
    path = tmp_path / "not_a_pack.toml"
    path.write_bytes(content)
    with pytest.raises(PackError) as exc:
        load_pack(path, today=TODAY)
    assert words in exc.value.message("en") and zh in exc.value.message("zh")


def test_a_folder_or_a_missing_file_is_refused(tmp_path):
    with pytest.raises(PackError, match="is a folder"):
        load_pack(tmp_path, today=TODAY)
    with pytest.raises(PackError, match="does not exist"):
        load_pack(tmp_path / "nowhere.toml", today=TODAY)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("action", ["install", "check"])
def test_rules_install_and_check_refuse_with_exit_2_and_one_line(tmp_path, capsys, action):
    home = str(with_demo_users(tmp_path / "home"))  # signed in as its admin, who installs rule packs
    bad = write(tmp_path, changed(("lpr_1y = 3.00", "lpr_1y = -3.00")), "negative.toml")
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(bytes(range(256)) * 4)
    empty = tmp_path / "empty.toml"
    empty.write_bytes(b"")
    not_toml = write(tmp_path, "<xml>not a pack</xml>\n", "pack.xml")
    for path, words in [(bad, f"{bad}:{line_of(TEXT, 'lpr_1y')}, pricing.lpr_1y: must be above 0"),
                        (folder, "is a folder"), (garbage, "is not UTF-8 text"), (empty, "the file is empty"),
                        (not_toml, "not valid TOML")]:  # fmt: skip
        code, out, err = cli(capsys, "--home", home, "--lang", "en", "rules", action, str(path))
        assert code == 2, (path, err)
        assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert out == ""
    code, out, err = cli(capsys, "--home", home, "--lang", "zh", "rules", action, str(bad))
    assert code == 2 and "pricing.lpr_1y：应大于 0" in err, err
    code, out, _ = cli(capsys, "--home", home, "rules", "show")
    assert code == 0 and '"bank-tax-first-loan"' in out  # the pack in force is unchanged


def test_the_pack_in_force_is_parsed_once_and_replaced_on_install(tmp_path, store):
    first = service.pack_in_force(store, TODAY)
    assert service.pack_in_force(store, TODAY) is first  # the shipped default, cached per day
    newer = write(tmp_path, changed(('version = "2026.2"', 'version = "2026.3"')))
    installed = service.install_pack(store, newer, today=TODAY)
    in_force = service.pack_in_force(store, TODAY)
    assert in_force.version == "2026.3" and in_force.hash == installed.hash
    assert service.pack_in_force(store, TODAY) is in_force  # parsed once for every decision after
    assert service.stored_pack(store, installed.hash) is service.stored_pack(store, installed.hash)
    assert service.pack_in_force(store, TODAY + dt.timedelta(days=1)) is not in_force  # dates checked per day


def test_a_stored_pack_that_fails_the_checks_no_longer_decides_but_still_replays(tmp_path, store):
    """A pack installed before these checks existed (here: written to the store directly)."""
    text = changed(("lpr_1y = 3.00", "lpr_1y = -3.00"), ('version = "2026.2"', 'version = "2026.9"'))
    good = load_pack(write(tmp_path, changed(('version = "2026.2"', 'version = "2026.9"'))), today=TODAY)
    digest = hashlib.sha256(text.encode()).hexdigest()
    repo.install_pack(store, digest, good.id, "2026.9", "old.toml", text, None)
    with pytest.raises(PackError) as exc:
        service.pack_in_force(store, TODAY)
    assert exc.value.key == "pricing.lpr_1y" and "old.toml" in exc.value.message("en")
    shown = service.pack_in_force(store, TODAY, check_dates=False)  # still shown, to be replaced
    assert shown.hash == digest and shown.pricing["lpr_1y"] == -3.0
    assert service.stored_pack(store, digest).hash == digest  # replay stays exact
