"""`loandesk --self-check` as support staff run it: a real process, real store, memo, fonts, Qt and translations."""

from __future__ import annotations

import os
import subprocess
import sys

from loandesk import selfcheck


def self_check(*args, **env):
    cmd = [sys.executable, "-m", "loandesk", *args, "--self-check"]
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=180)


def test_every_check_passes_one_line_each_in_chinese_and_nothing_is_left_behind(tmp_path):
    user_home = tmp_path / "user-home"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = self_check(LOANDESK_LANG="zh", LOANDESK_HOME=str(user_home), TMPDIR=str(scratch))  # as a user runs it
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split("：")[0] for line in lines] == [f"通过  {c.label_zh}" for c in selfcheck.CHECKS]
    assert lines[0].startswith("通过  存储：已打开临时加密存储（SQLCipher ")
    assert "并核验通过" in lines[4] and "平台插件" in lines[5]
    assert not user_home.exists()  # the user's data home is never opened
    assert list(scratch.iterdir()) == []  # the temporary home is deleted


def test_a_missing_font_fails_fonts_and_memo_and_exits_1(tmp_path):
    proc = self_check("--lang", "en", LOANDESK_MEMO_FONT=str(tmp_path / "gone.ttc"))
    assert proc.returncode == 1
    lines = dict(line.split(":", 1) for line in proc.stdout.splitlines())
    assert len(lines) == len(selfcheck.CHECKS)
    assert lines["PASS  store"].startswith(" opened a temporary encrypted store (SQLCipher ")
    assert lines["FAIL  fonts"].strip() == f"LOANDESK_MEMO_FONT names {tmp_path / 'gone.ttc'}, which is not a file"
    assert "FAIL  memo" in lines  # a memo cannot be printed without the font
    assert {"PASS  store", "PASS  intake", "PASS  scoring", "PASS  Qt plugins", "PASS  translations"} <= set(lines)
    assert "Traceback" not in proc.stderr


def test_a_failing_check_is_reported_and_later_checks_still_run():
    def broken(ctx):
        raise OSError("disk full")

    checks = [selfcheck.Check("store", "store", "存储", broken), *selfcheck.CHECKS[1:3]]
    heard = []
    outcomes = selfcheck.run_checks("en", checks, on_outcome=heard.append)
    assert heard == outcomes
    assert [o.line("en") for o in outcomes] == [
        "FAIL  store: OSError: disk full",
        "FAIL  intake: not run: the store did not open",
        "FAIL  scoring: not run: no intake was saved",
    ]
    in_chinese = selfcheck.run_checks("zh", checks[:2])
    assert [o.line("zh") for o in in_chinese] == ["失败  存储：OSError: disk full", "失败  受理：未运行：存储未能打开"]


def test_translation_check_reads_the_finished_messages(tmp_path):
    ts = tmp_path / "x_zh_CN.ts"
    ts.write_text(
        """<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">
<context><name>W</name>
<message><source>Save</source><translation>保存</translation></message>
<message><source>Later</source><translation type="unfinished"></translation></message>
<message numerus="yes"><source>%n file(s)</source>
  <translation><numerusform>%n 个文件</numerusform></translation></message>
<message><source>Open</source><comment>menu</comment><translation>打开</translation></message>
</context></TS>""",
        encoding="utf-8",
    )
    assert selfcheck._finished_messages(ts) == [("W", "Save", None, "保存"), ("W", "Open", "menu", "打开")]


def test_missing_platform_plugins_fail_the_qt_check_without_starting_qt(monkeypatch, tmp_path):
    monkeypatch.setattr(selfcheck, "_platform_plugins", lambda: (tmp_path, ["minimal"]))
    monkeypatch.setattr(selfcheck.sys, "platform", "linux")
    qt = next(c for c in selfcheck.CHECKS if c.name == "qt")
    [outcome] = selfcheck.run_checks("en", [qt])
    assert outcome.line("en") == (f"FAIL  Qt plugins: no desktop platform plugin (xcb, wayland) in {tmp_path}: "
                                  "the window cannot open")  # fmt: skip
