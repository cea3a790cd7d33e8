"""Chinese for every screen: complete .ts files, every tr() string covered, and the screens really in Chinese."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit

from loandesk.paths import resource
from loandesk.ui import i18n

UI_DIR = Path(i18n.__file__).parent
OWN_TS = resource("translations", "loandesk_zh_CN.ts")


def ts_messages(path: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [(ctx.findtext("name"), msg) for ctx in root.iter("context") for msg in ctx.iter("message")]


def all_sources() -> set[tuple[str, str]]:
    found = set()
    for ts in i18n.translation_files("zh"):
        found |= {(context, msg.findtext("source")) for context, msg in ts_messages(ts)}
    return found


def tr_calls(path: Path) -> list[tuple[str, str, int]]:
    """(class, source text, line) of every self.tr("literal") in a module."""
    calls = []

    def visit(node, cls=None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if (
                isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) and child.func.attr == "tr"
                and child.args and isinstance(child.args[0], ast.Constant) and isinstance(child.args[0].value, str)
            ):  # fmt: skip
                calls.append((cls, child.args[0].value, child.lineno))
            visit(child, cls)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return calls


def test_own_ts_is_complete():
    messages = ts_messages(OWN_TS)
    assert len(messages) > 150
    for context, msg in messages:
        translation = msg.find("translation")
        source = msg.findtext("source")
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), (context, source)
        texts = [f.text for f in translation.iter("numerusform")] or [translation.text]
        assert all(t and t.strip() for t in texts), (context, source)
        # Placeholders and mnemonics survive translation.
        for placeholder in ("{ref}", "{n}", "{name}", "{error}", "{count}", "%n"):
            assert (placeholder in source) == all(placeholder in t for t in texts), (source, texts)
        if "&" in source.replace("&&", ""):
            assert all("(&" in t for t in texts), (source, texts)


@pytest.mark.parametrize("module", sorted(p.name for p in UI_DIR.glob("*.py")))
def test_every_tr_string_is_in_a_ts_file(module):
    known = all_sources()
    missing = [(cls, text, line) for cls, text, line in tr_calls(UI_DIR / module) if (cls, text) not in known]
    assert not missing, f"{module}: tr() strings in no .ts file (context, text, line): {missing}"


def test_no_stale_translations():
    # A source no tr() call uses any more is dead weight that translators would keep paying for.
    used = {(cls, text) for path in UI_DIR.glob("*.py") for cls, text, _line in tr_calls(path)}
    stale = [(context, msg.findtext("source")) for context, msg in ts_messages(OWN_TS)
             if (context, msg.findtext("source")) not in used]  # fmt: skip
    assert not stale, stale


def test_tr_scanner_finds_strings():
    # The check above is only as good as its scanner: it must see the form's strings in their classes.
    calls = {(cls, text) for cls, text, _line in tr_calls(UI_DIR / "intake_sections.py")}
    assert ("IntakeSections", "Enterprise &name") in calls
    assert ("IntakeForm", "New intake") in {(c, t) for c, t, _l in tr_calls(UI_DIR / "intake_form.py")}
    assert len(calls) > 50


@pytest.fixture
def chinese(qapp):
    from loandesk.core.i18n import set_language

    translators = i18n.install_translators(qapp, "zh")
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)
    set_language("en")


def english_sources() -> set[str]:
    return {msg.findtext("source") for _c, msg in ts_messages(OWN_TS)}


def visible_texts(widget) -> list[str]:
    texts = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if child.text():
            texts.append(child.text())
    texts += [g.title() for g in widget.findChildren(QGroupBox)]
    texts += [e.placeholderText() for e in widget.findChildren(QLineEdit) if e.placeholderText()]
    return texts


def test_screens_are_in_chinese(chinese, open_window, home, qtbot):
    assert len(chinese) >= 2  # our .ts, plus Qt's own or another area's
    window = open_window(home, lang="zh")
    assert window.windowTitle() == "信贷工作台"
    assert [window.nav.item(i).text() for i in range(2)] == ["企业", "贷款申请"]
    assert window.online_label.text() == "离线"
    assert window.unsynced_label.text() == "待同步：0"
    model = window.application_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:4] == ["编号", "企业", "法定代表人", "申请金额（元）"]
    form = window.new_intake()
    qtbot.waitExposed(form)
    assert form.windowTitle() == "新建受理"
    english = english_sources()
    leftovers = [t for t in visible_texts(form) + visible_texts(window) if t in english]
    assert not leftovers, leftovers
    # Domain messages follow the same language.
    form.editors["credit_code"].setText("123")
    form._edited("credit_code")
    form.save()  # refused, and every finding shows
    assert form.messages["credit_code"].text() == "✖ 应为 18 位，实际 3 位"
    assert form.reason_label.text().startswith("11 处错误：企业名称：必填；统一社会信用代码：应为 18 位，实际 3 位；")


def test_compiled_translation_is_cached_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("LOANDESK_CACHE", str(tmp_path))
    first = i18n.compiled(OWN_TS)
    assert first is not None and first.parent == tmp_path and first.stat().st_size > 1000
    mtime = first.stat().st_mtime_ns
    assert i18n.compiled(OWN_TS) == first and first.stat().st_mtime_ns == mtime  # not rebuilt
    edited = tmp_path / "edited_zh_CN.ts"
    edited.write_text(OWN_TS.read_text(encoding="utf-8").replace("信贷工作台", "信贷台"), encoding="utf-8")
    assert i18n.compiled(edited).name != first.name


def test_language_choice(tmp_path, monkeypatch):
    monkeypatch.delenv("LOANDESK_LANG", raising=False)
    assert i18n.choose_language(None, tmp_path) == "zh"  # default: our users read Chinese
    i18n.save_language(tmp_path, "en")
    assert i18n.choose_language(None, tmp_path) == "en"  # the saved preference
    assert i18n.choose_language("zh", tmp_path) == "zh"  # --lang wins
    monkeypatch.setenv("LOANDESK_LANG", "zh")
    assert i18n.choose_language(None, tmp_path) == "zh"
