"""What the memo says follows what was recorded: site notes or not, the decision in effect, a confirmed override."""

from __future__ import annotations

import pytest
from memo_support import add_decision, confirm_override, make_store, pdf_text, squash, write_pdf

from loandesk.memo import linebreak, service

NOTES = "走访企业生产车间，设备运转正常，库存与账面基本一致。"


@pytest.fixture
def store_and_apps(tmp_path):
    store, app_ids = make_store(tmp_path, count=3)
    store.db.execute("UPDATE applications SET officer = '李明'")
    yield store, app_ids, tmp_path
    store.close()


def _text(store, app_id, lang, tmp_path, layout=True) -> str:
    """The memo's text without white space; ``layout`` keeps a table row's label and value together."""
    row = service.issue_memo(store, app_id, lang, reissue=True)
    return squash(pdf_text(write_pdf(store, row["id"], tmp_path / f"{row['memo_no']}.pdf"), layout=layout))


def _notes(store, app_id, notes: str) -> None:
    store.db.execute("UPDATE applications SET site_notes = ? WHERE id = ?", (notes, app_id))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_site_notes_no_visit_is_claimed(store_and_apps, lang):
    store, app_ids, tmp_path = store_and_apps
    _notes(store, app_ids[0], "")
    add_decision(store, app_ids[0])
    text = _text(store, app_ids[0], lang, tmp_path)
    if lang == "zh":
        assert "未记录实地调查情况" in text and "未经实地核实" in text
        assert "经实地调查" not in text and "经营正常" not in text
        assert "本人已对借款人进行实地调查" not in text and "本报告未记录实地调查情况" in text
    else:
        assert "Noon-sitevisitisrecorded" in text and "notcheckedonsite" in text
        assert "Ihavevisitedtheborroweronsite" not in text and "operatingnormally" not in text


def test_with_site_notes_the_visit_is_stated_but_nothing_beyond_the_notes(store_and_apps):
    store, app_ids, tmp_path = store_and_apps
    _notes(store, app_ids[0], NOTES)
    add_decision(store, app_ids[0])
    text = _text(store, app_ids[0], "zh", tmp_path)
    assert "已实地调查，情况见现场调查记录" in text and "本人已对借款人进行实地调查" in text
    assert "经营正常，申请资料与税务、市场监管数据相符" not in text  # the old unrecorded claim
    assert "贷款资金仅用于申请用途" in text  # standard conditions on an approval


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_declined_memo_prints_no_lending_conditions(store_and_apps, lang):
    store, app_ids, tmp_path = store_and_apps
    _notes(store, app_ids[0], NOTES)
    add_decision(store, app_ids[0], "decline")
    text = _text(store, app_ids[0], lang, tmp_path)
    if lang == "zh":
        assert "贷款资金仅用于申请用途" not in text and "放款前重新查询" not in text
        assert "不适用：不建议授信。" in text and "结论为拒绝，不建议授信" in text
    else:
        assert "Fundsareusedforthestatedpurpose" not in text and "Beforedrawdown" not in text
        assert "Notapplicable:nocreditisrecommended." in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_confirmed_override_is_shown_and_followed(store_and_apps, lang):
    store, app_ids, tmp_path = store_and_apps
    _notes(store, app_ids[0], NOTES)
    add_decision(store, app_ids[0], "decline", limit=0)
    confirm_override(store, app_ids[0], "approve", to_limit=150_000, reason="企业新签大额订单，现金流可覆盖",
                     officer="李明", approver="陈静", note="同意，按季回访")  # fmt: skip
    text = _text(store, app_ids[0], lang, tmp_path)
    assert "企业新签大额订单，现金流可覆盖" in text and "陈静" in text and "同意，按季回访" in text
    assert "150,000" in text
    if lang == "zh":
        assert "模型评分结论拒绝" in text and "推翻后结论同意" in text and "发起人李明" in text
        assert "确认人陈静" in text and "确认时间" in text
        assert "建议授信¥150,000.00" in text  # the recommendation follows the decision in effect
        assert "经审批人陈静确认推翻为同意" in text and "不建议授信" not in text
        assert "贷款资金仅用于申请用途" in text  # an approval has conditions again
        assert "同意（人工推翻）" in text  # the summary shows the decision in effect
    else:
        # English labels are longer than the label column's width: read the text in reading order
        text = _text(store, app_ids[0], lang, tmp_path, layout=False)
        assert "Model'sdecisionDecline" in text and "OverriddentoApprove" in text and "Askedby李明" in text
        assert "Confirmedby陈静" in text and "RecommendalimitofCNY150,000.00" in text
        assert "Nocreditisrecommended" not in text


def test_an_override_to_decline_drops_the_conditions_and_the_limit(store_and_apps):
    store, app_ids, tmp_path = store_and_apps
    _notes(store, app_ids[0], NOTES)
    add_decision(store, app_ids[0], "approve")
    confirm_override(store, app_ids[0], "decline", reason="实地走访发现经营场所已搬迁")
    text = _text(store, app_ids[0], "zh", tmp_path)
    assert "实地走访发现经营场所已搬迁" in text and "推翻后结论拒绝" in text
    assert "不适用：不建议授信。" in text and "贷款资金仅用于申请用途" not in text
    assert "建议额度不超过近12个月纳税额的倍数上限" not in text  # no longer the model's limit
    assert "建议授信280,000" not in text


def test_the_chart_names_the_period_of_every_bar(store_and_apps):
    store, app_ids, tmp_path = store_and_apps
    add_decision(store, app_ids[0])
    text = _text(store, app_ids[0], "zh", tmp_path, layout=False)
    for words in ("期间不同", "营业收入上一完整年度", "开票销售额近12个月", "纳税额第13–24个月", "纳税额近12个月",
                  "不是逐年或逐月的走势"):  # fmt: skip
        assert words in text, words
    text = _text(store, app_ids[0], "en", tmp_path, layout=False)
    assert "differentperiods" in text and "Revenuelastfullyear" in text and "notayear-by-year" in text


def test_english_memos_keep_the_chinese_line_breaking_rules(store_and_apps):
    store, app_ids, tmp_path = store_and_apps
    notes = "\n".join("企业主要客户为本地超市（含连锁），订单饱满，回款稳定；库存、应收账款与纳税申报数据相互印证。" * 4
                      for _ in range(6))  # fmt: skip
    _notes(store, app_ids[0], notes)
    store.db.execute("UPDATE applications SET purpose = ? WHERE id = ?",
                     ("采购原材料（钢材、铝材），支付上游供应商货款；补充流动资金，用于旺季备货。" * 3, app_ids[0]))
    add_decision(store, app_ids[0])
    row = service.issue_memo(store, app_ids[0], "en")
    path = write_pdf(store, row["id"], tmp_path / "en.pdf")
    lines = [ln.strip() for ln in pdf_text(path).splitlines() if ln.strip()]
    assert any("订单饱满" in ln for ln in lines)
    bad = [ln for ln in lines if ln[0] in linebreak.CANNOT_START and "\u4e00" <= ln[1:2] <= "\u9fff"]
    assert not bad, bad[:3]
    # plain English still wraps between words, not inside them
    assert "requeste" not in [ln.split()[-1] for ln in lines if ln.split()]
