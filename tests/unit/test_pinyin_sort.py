"""Chinese names sort by pinyin in the lists (the encrypted store's COLLATE PINYIN) and in exports."""

from __future__ import annotations

import random
import subprocess
import sys

import pandas as pd
import pytest
from pypinyin import Style, lazy_pinyin

from loandesk.core import pinyin
from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.lists.writing import sort_rows, write_table


def test_readings_agree_with_pypinyin_on_generated_names():
    """pypinyin's own segmentation is the reference; ours is a faster path to the same readings."""
    rng = random.Random(11)
    names = []
    for i in range(1500):
        rec = demo_record(rng, i)
        names += [rec["enterprise_name"], rec["legal_rep_name"]]
    names += ["重庆银行长沙分行", "中国农业银行", "长江重工有限公司", "行政服务中心", "音乐厅", "银行街便利店"]
    for name in names:
        assert pinyin.readings(name) == lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True), name


def test_characters_read_several_ways_follow_their_phrase():
    assert pinyin.readings("重庆") == ["chong2", "qing4"]
    assert pinyin.readings("重要") == ["zhong4", "yao4"]
    assert pinyin.readings("银行") == ["yin2", "hang2"]
    assert pinyin.readings("长沙") == ["chang2", "sha1"]
    assert pinyin.readings("A座") == ["A", "zuo4"]


def by_pinyin(names, key=pinyin.sort_key):
    return sorted(names, key=lambda n: (key(n), n))


def test_names_sort_by_reading_not_code_point():
    names = ["张伟", "王芳", "李娜", "陈静", "赵磊", "艾青", "白洁", "欧阳娜娜"]
    assert sorted(names) != by_pinyin(names)  # code-point order is not what a reader expects
    assert by_pinyin(names) == ["艾青", "白洁", "陈静", "李娜", "欧阳娜娜", "王芳", "张伟", "赵磊"]


def test_cities_read_in_context_and_syllables_before_their_extensions():
    names = ["重庆火锅店", "中国五金", "重要客户服务部", "长沙米粉", "先锋书店", "西安面馆", "杭州茶叶"]
    # 重庆 chóng (C), 重要 zhòng (Z); 西安 xī ān before 先 xiān, as in a dictionary
    assert by_pinyin(names) == [
        "长沙米粉", "重庆火锅店", "杭州茶叶", "西安面馆", "先锋书店", "中国五金", "重要客户服务部"]  # fmt: skip


def test_homophones_tones_digits_and_latin():
    # same syllable: by tone (妈 mā, 麻 má, 马 mǎ, 骂 mà); same reading: always the same way (张 and 章)
    assert by_pinyin(["骂", "马", "麻", "妈"]) == ["妈", "麻", "马", "骂"]
    assert by_pinyin(["章子怡", "张三", "张三丰"]) == ["张三", "张三丰", "章子怡"]
    # digits, then Latin letters (either case), then Han; full-width forms read as ASCII
    assert by_pinyin(["阿里巴巴", "ABC商行", "3号店", "abd", "Ｂ座"]) == ["3号店", "ABC商行", "abd", "Ｂ座", "阿里巴巴"]


def test_polyphonic_surnames_read_as_surnames():
    people = ["曾国藩", "蔡明", "张伟", "单田芳", "沙宝亮", "解晓东", "谢娜", "尉迟恭", "于谦"]
    assert by_pinyin(people, pinyin.name_sort_key) == [
        "蔡明", "沙宝亮", "单田芳", "解晓东", "谢娜", "于谦", "尉迟恭", "曾国藩", "张伟"]  # fmt: skip
    assert pinyin.readings("曾经")[0] == "ceng2"  # in other text 曾 reads céng
    assert pinyin.sort_key("曾经") < pinyin.sort_key("陈") < pinyin.name_sort_key("曾经")


def test_compare_is_a_total_order():
    rng = random.Random(3)
    names = [demo_record(rng, i)["enterprise_name"] for i in range(300)] + ["abc", "ABC", "", None]
    for _ in range(2000):
        a, b, c = rng.choice(names), rng.choice(names), rng.choice(names)
        assert pinyin.compare(a, b) == -pinyin.compare(b, a)
        assert (pinyin.compare(a, b) == 0) == (a == b)
        if pinyin.compare(a, b) <= 0 and pinyin.compare(b, c) <= 0:
            assert pinyin.compare(a, c) <= 0


# ---- the lists: the encrypted store sorts by pinyin ------------------------------------------------
PEOPLE = [("杭州市张记五金有限公司", "张伟"), ("宁波市李氏贸易有限公司", "李娜"), ("温州市王家餐饮店", "王芳"),
          ("重庆市陈氏火锅店", "曾国藩"), ("丽水市艾青茶叶有限公司", "艾青"),
          ("台州市白云纺织有限公司", None)]  # fmt: skip


@pytest.fixture
def named_store(store):
    rng = random.Random(5)
    for i, (name, person) in enumerate(PEOPLE):
        rec = demo_record(rng, i)
        rec.update(enterprise_name=name, legal_rep_name=person, abnormal_operation=False, dishonest_debtor=False,
                   has_loan_history=False)  # fmt: skip
        if person is None:  # from a regulator's list: no legal representative, no application
            rec["legal_rep_id"] = rec["legal_rep_phone"] = None
            store.import_enterprises([rec])
            continue
        result = validate_intake({k: (str(v) if isinstance(v, int) and not isinstance(v, bool) else v)
                                  for k, v in rec.items()})  # fmt: skip
        assert result.ok, result.errors
        store.save_intake(result.values)
    return store


def test_enterprise_list_sorted_by_name_follows_pinyin(named_store):
    names = [r["enterprise_name"] for r in named_store.enterprise_rows("", "enterprise_name", False)]
    assert names == ["重庆市陈氏火锅店", "杭州市张记五金有限公司", "丽水市艾青茶叶有限公司", "宁波市李氏贸易有限公司",
                     "台州市白云纺织有限公司", "温州市王家餐饮店"]  # fmt: skip
    backwards = [r["enterprise_name"] for r in named_store.enterprise_rows("", "enterprise_name", True)]
    assert backwards == names[::-1]
    # a search sorted by name, paged: the same order
    found = [r["enterprise_name"] for r in named_store.enterprise_rows("有限公司", "enterprise_name", False, 1, 2)]
    assert found == ["丽水市艾青茶叶有限公司", "宁波市李氏贸易有限公司"]


def test_legal_representatives_sort_by_pinyin_with_surname_readings(named_store):
    rows = named_store.enterprise_rows("", "legal_rep_name", False)
    people = [r["legal_rep_name"] for r in rows]
    assert people == [None, "艾青", "李娜", "王芳", "曾国藩", "张伟"]  # no legal representative first (NULL lowest)


def test_application_list_sorts_names_by_pinyin(named_store):
    rows = named_store.application_rows("", "enterprise_name", False)
    assert [r["enterprise_name"][:3] for r in rows] == ["重庆市", "杭州市", "丽水市", "宁波市", "温州市"]
    rows = named_store.application_rows("", "legal_rep_name", True)
    assert [r["legal_rep_name"] for r in rows] == ["张伟", "曾国藩", "王芳", "李娜", "艾青"]


def test_the_dictionary_is_not_loaded_to_open_or_sort_a_list(home, named_store):
    """The keys are in the store's indexes (m017): opening and sorting by name read them; only a save
    (which writes a key) or a sort of search matches (a few keys) loads the dictionaries."""
    named_store.close()
    script = f"""
import sys
from loandesk.storage import Store
store = Store.open({str(home)!r})
store.enterprise_rows("", "ref", True)
store.application_rows("", "updated_at", True)
assert "pypinyin" not in sys.modules, "loaded at start-up"
names = [r["enterprise_name"] for r in store.enterprise_rows("", "enterprise_name", False)]
people = [r["legal_rep_name"] for r in store.enterprise_rows("", "legal_rep_name", False)]
assert "pypinyin" not in sys.modules, "loaded for a sort the index answers"
assert names[0] == "重庆市陈氏火锅店" and people == [None, "艾青", "李娜", "王芳", "曾国藩", "张伟"], (names, people)
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


# ---- exports ------------------------------------------------------------------------------------------
def test_exports_sorted_by_a_name_column_follow_pinyin(tmp_path):
    frame = pd.DataFrame({
        "企业名称": ["温州市王家餐饮店", "重庆市陈氏火锅店", None, "杭州市张记五金有限公司", "丽水市艾青茶叶"],
        "法定代表人": ["王芳", "曾国藩", "李娜", "张伟", "单田芳"],
        "申请金额": [300_000, 500_000, 100_000, 200_000, 400_000],
    })  # fmt: skip
    assert sort_rows(frame, "企业名称")["企业名称"].tolist()[:4] == [
        "重庆市陈氏火锅店", "杭州市张记五金有限公司", "丽水市艾青茶叶", "温州市王家餐饮店"]  # fmt: skip
    assert sort_rows(frame, "企业名称")["企业名称"].isna().tolist()[-1]  # a blank name last
    people = sort_rows(frame, "法定代表人", descending=True)["法定代表人"].tolist()
    assert people == ["张伟", "曾国藩", "王芳", "单田芳", "李娜"]
    assert sort_rows(frame, "申请金额")["申请金额"].tolist() == [100_000, 200_000, 300_000, 400_000, 500_000]
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"list{suffix}"
        write_table(frame, path, sort_by="法定代表人")
        back = pd.read_csv(path, encoding="utf-8-sig") if suffix == ".csv" else pd.read_excel(path)
        assert back["法定代表人"].tolist() == ["李娜", "单田芳", "王芳", "曾国藩", "张伟"], suffix
    with pytest.raises(KeyError):
        sort_rows(frame, "no such column")


def test_sql_key_collation_and_python_agree(store):
    """ORDER BY PINYIN_KEY(x) (what the lists use), ORDER BY x COLLATE PINYIN and core.pinyin.compare give one
    order, NULL first, letter case and ties included."""
    import functools

    rng = random.Random(9)
    names = [demo_record(rng, i)["enterprise_name"] for i in range(300)] + ["abc", "ABC", "Abc", "重庆", "重要", "张"]
    db = store.db
    db.execute("CREATE TEMP TABLE t (x TEXT)")
    db.conn.executemany("INSERT INTO temp.t VALUES (?)", [(n,) for n in names] + [(None,)])
    by_key = [r[0] for r in db.execute("SELECT x FROM temp.t ORDER BY PINYIN_KEY(x)")]
    by_collation = [r[0] for r in db.execute("SELECT x FROM temp.t ORDER BY x COLLATE PINYIN")]
    by_python = [None, *sorted(names, key=functools.cmp_to_key(pinyin.compare))]
    assert by_key == by_collation == by_python
    people = [r[0] for r in db.execute("SELECT x FROM (SELECT '曾国藩' AS x UNION ALL SELECT '张伟' UNION ALL "
                                       "SELECT '蔡明') ORDER BY PINYIN_NAME_KEY(x)")]  # fmt: skip
    assert people == ["蔡明", "曾国藩", "张伟"]


def test_a_list_sorted_by_name_walks_the_pinyin_index(named_store):
    """m017: the page is read from the index on the key, never 530,000 keys computed and sorted."""
    for order_by, index in (("enterprise_name", "enterprises_name_pinyin"), ("legal_rep_name", "persons_name_pinyin")):
        statements: list[str] = []
        named_store.db.conn.set_trace_callback(statements.append)
        try:
            named_store.enterprise_rows("", order_by, False, 0, 200)
        finally:
            named_store.db.conn.set_trace_callback(None)
        (sql,) = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        plan = [r[3] for r in named_store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert any(index in step for step in plan), plan
        assert not any(step.startswith("USE TEMP B-TREE FOR ORDER BY") for step in plan), plan


def test_the_key_version_follows_the_pypinyin_pin():
    from importlib.metadata import version

    assert pinyin.PINYIN_KEY_VERSION.startswith(f"pypinyin {version('pypinyin')},")


def test_indexes_made_by_another_key_version_are_rebuilt_when_the_store_opens(home, named_store):
    from loandesk.storage import Store, list_indexes

    with named_store.db.atomic():
        named_store.set_setting(list_indexes.SETTING, "pypinyin 0.0.1, key 0")
    named_store.close()
    again = Store.open(home)
    assert again.setting(list_indexes.SETTING) == pinyin.PINYIN_KEY_VERSION
    assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list_indexes.keep_current(again.db)  # current now: nothing to do
    again.close()


def test_keys_spell_usual_names_once_and_set_other_forms_apart():
    """What the name indexes hold: 5 bytes of UTF-8 per Han character (its reading, then itself), the text
    not repeated; a text in another form (lower case, full-width, spaces at an end) has its text after."""
    assert len(pinyin.order_key("张伟").encode()) == 10 and len(pinyin.name_order_key("曾国藩").encode()) == 15
    forms = ["ABC", "Abc", "abc", "ＡＢＣ", "ABC "]
    keys = [pinyin.order_key(f) for f in forms]
    assert len(set(keys)) == len(forms)  # never equal: a total order
    assert sorted(forms, key=pinyin.order_key)[0] == "ABC"  # the usual form first
    assert pinyin.readings("ＡＢＣ") == ["A", "B", "C"]
