"""A bank adapts the memo with a template file in its data home, without code changes."""

from __future__ import annotations

import pytest
from memo_support import add_decision, make_store, pdf_text, squash

from loandesk.memo import fonts, service
from loandesk.memo.template import TemplateError, load_template

BANK_TEMPLATE = """
[bank]
name = { zh = "浙东村镇银行", en = "East Zhejiang Village Bank" }
branch = { zh = "余姚营业部", en = "Yuyao Office" }

[sections]
order = ["summary", "borrower", "scoring", "approval"]

[text]
approval = { zh = "四、审查审批意见", en = "4. Approval" }
"""


def test_a_bank_template_changes_names_sections_and_wording(tmp_path):
    store, app_ids = make_store(tmp_path, count=1)
    add_decision(store, app_ids[0])
    (store.home / "memo").mkdir()
    (store.home / "memo" / "template.toml").write_text(BANK_TEMPLATE, encoding="utf-8")
    row = service.issue_memo(store, app_ids[0], "zh")
    path = tmp_path / "m.pdf"
    path.write_bytes(service.memo_pdf(store, row["id"]))
    text = squash(pdf_text(path))
    assert "浙东村镇银行" in text and "余姚营业部" in text and "示范农村商业银行" not in text
    assert "四、审查审批意见" in text
    assert "现场调查情况" not in text and "授信条件" not in text  # sections left out
    assert "一、授信概要" in text  # wording the bank did not change keeps its default
    store.close()


def test_a_bad_template_is_refused_naming_file_and_key(tmp_path):
    (tmp_path / "memo").mkdir()
    bad = tmp_path / "memo" / "template.toml"
    bad.write_text('[sections]\norder = ["summary", "gossip"]\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"template\.toml.*gossip"):
        load_template(tmp_path)
    bad.write_text('[text]\ntitle = { zh = "报告" }\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"\[text\] title needs both zh and en"):
        load_template(tmp_path)
    bad.write_text('[bank]\nlogo = "nowhere.png"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"nowhere\.png"):
        load_template(tmp_path)


def test_a_bank_logo_file_is_printed(tmp_path):
    from PIL import Image

    store, app_ids = make_store(tmp_path, count=1)
    add_decision(store, app_ids[0])
    (store.home / "memo").mkdir()
    Image.new("RGB", (60, 60), (0, 160, 0)).save(store.home / "memo" / "logo.png")
    (store.home / "memo" / "template.toml").write_text('[bank]\nlogo = "logo.png"\n', encoding="utf-8")
    row = service.issue_memo(store, app_ids[0], "en")
    path = tmp_path / "m.pdf"
    path.write_bytes(service.memo_pdf(store, row["id"]))
    import subprocess

    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == 3  # header lines + the one logo image
    store.close()


def test_missing_font_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("LOANDESK_MEMO_FONT", str(tmp_path / "none.ttf"))
    with pytest.raises(fonts.FontMissing, match=r"none\.ttf"):
        fonts.find_font()
    monkeypatch.delenv("LOANDESK_MEMO_FONT")
    assert fonts.find_font().suffix in (".ttc", ".ttf")
