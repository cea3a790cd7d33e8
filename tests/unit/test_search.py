"""Searching, sorting and paging the lists: every match is sorted, then paged; ID numbers and phone
tails are found; the store's plans use indexes (duplicate check, every sortable column)."""

import random

import pytest

from loandesk.core import pinyin
from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.storage import Store, search
from loandesk.storage.store import APPLICATION_SORTS, ENTERPRISE_SORTS

ROWS = 3_000
PAGE = 200


def bulk_records(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        rec = demo_record(rng, i)
        rec["abnormal_operation"] = rec["dishonest_debtor"] = rec["has_loan_history"] = False
        if i % 40 == 0:  # some enterprises on a regulator's list come without a legal representative
            rec["legal_rep_name"] = rec["legal_rep_id"] = rec["legal_rep_phone"] = None
        if i % 97 == 0:
            rec["annual_revenue"] = None
        out.append(rec)
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """3,000 enterprises, every 3rd with an application; read-only for the tests that use it."""
    store = Store.open(tmp_path_factory.mktemp("search") / "home", branch="HZ01")
    store.import_enterprises(bulk_records(ROWS))
    rng = random.Random(2)
    with store.db.atomic():
        for seq, ent_id in store.db.execute("SELECT seq, id FROM enterprises WHERE seq % 3 = 0").fetchall():
            store.db.execute(
                """INSERT INTO applications(id, ref, enterprise_id, requested_amount, term_months, purpose,
                   guarantee_mode, product, stage, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '备货', 'credit',
                   ?, ?, ?, ?)""",
                (f"a{seq}", f"A-HZ01-TEST-{seq:06d}", ent_id, rng.randrange(1, 60) * 50_000, rng.choice([6, 12, 24]),
                 rng.choice(["bank_tax_credit", "inclusive"]), rng.choice(["submitted", "scored", "approved"]),
                 f"2025-01-{1 + seq % 28:02d}", f"2025-02-{1 + seq % 28:02d}T{seq % 24:02d}"),
            )  # fmt: skip
    yield store
    store.close()


def everything(store) -> list[dict]:
    return store.enterprise_rows("", "ref", True, 0, 10**6)


def contains(row: dict, query: str) -> bool:
    return any(query in (row.get(k) or "") for k in ("enterprise_name", "legal_rep_name"))


# Names sort by pinyin (COLLATE PINYIN / PINYIN_NAME); equal keys by code point, as core.pinyin.compare.
NAME_KEYS = {"enterprise_name": pinyin.sort_key, "legal_rep_name": pinyin.name_sort_key}


def expected_order(rows: list[dict], key: str, descending: bool, tie: str = "seq") -> list[str]:
    """SQLite's order: NULL lowest, names by pinyin, other text by code point (BINARY), ties by ``tie``
    in the same direction."""
    by = NAME_KEYS.get(key)

    def value(r):
        return r[key] if by is None else (by(r[key]), r[key])

    ordered = sorted(rows, key=lambda r: (r[key] is not None, 0 if r[key] is None else value(r), r[tie]),
                     reverse=descending)  # fmt: skip
    return [r["ref"] for r in ordered]


def pages(fetch, total: int) -> list[list[str]]:
    return [[r["ref"] for r in fetch(offset)] for offset in range(0, total + PAGE, PAGE)]


# ---- item 5: sort every match, then page -----------------------------------------------------------------
@pytest.mark.parametrize("query", ["有限公司", "王", "杭州 有限"])
@pytest.mark.parametrize("order_by", list(ENTERPRISE_SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_sorted_search_pages_are_disjoint_slices_of_the_full_sorted_list(big, query, order_by, descending):
    matches = [r for r in everything(big) if all(contains(r, t) for t in query.split())]
    assert len(matches) > (2 * PAGE if query == "有限公司" else 20)
    key = {"ref": "seq"}.get(order_by, order_by)
    want = expected_order(matches, key, descending)
    got = pages(lambda o: big.enterprise_rows(query, order_by, descending, o, PAGE), len(matches))
    for i, page in enumerate(got):
        assert page == want[i * PAGE : (i + 1) * PAGE], (query, order_by, descending, i)
    flat = [ref for page in got for ref in page]
    assert len(flat) == len(set(flat)) == len(matches)
    assert big.count_enterprises(query, cap=10**6) == len(matches)


@pytest.mark.parametrize("order_by", list(ENTERPRISE_SORTS))
def test_whole_list_pages_follow_the_full_sort(big, order_by):
    rows = everything(big)
    key = {"ref": "seq"}.get(order_by, order_by)
    for descending in (False, True):
        want = expected_order(rows, key, descending)
        for offset in (0, 200, 2_800):
            got = [r["ref"] for r in big.enterprise_rows("", order_by, descending, offset, PAGE)]
            assert got == want[offset : offset + PAGE], (order_by, descending, offset)


def test_audit_case_pages_one_and_two_do_not_overlap(big):
    first = {r["ref"] for r in big.enterprise_rows("有限公司", "enterprise_name", False, 0, PAGE)}
    second = {r["ref"] for r in big.enterprise_rows("有限公司", "enterprise_name", False, PAGE, PAGE)}
    assert len(first) == len(second) == PAGE and not first & second
    names = [r["enterprise_name"] for r in big.enterprise_rows("有限公司", "enterprise_name", False, 0, PAGE)]
    everyone = sorted((r["enterprise_name"] for r in everything(big) if "有限公司" in r["enterprise_name"]),
                      key=lambda name: (pinyin.sort_key(name), name))  # fmt: skip
    assert names == everyone[:PAGE]


@pytest.mark.parametrize("order_by", [k for k in APPLICATION_SORTS if k not in ("decision", "decision_limit")])
@pytest.mark.parametrize("descending", [False, True])
def test_application_search_pages_follow_the_full_sort(big, order_by, descending):
    query = "有限公司"
    rows = big.application_rows("", "ref", True, 0, 10**6)
    matches = [r for r in rows if "有限公司" in r["enterprise_name"] or query in (r["legal_rep_name"] or "")]
    assert len(matches) > 2 * PAGE
    key = {"ref": "seq"}.get(order_by, order_by)
    want = expected_order(matches, key, descending)
    got = pages(lambda o: big.application_rows(query, order_by, descending, o, PAGE), len(matches))
    assert [ref for page in got for ref in page] == want
    assert big.count_applications(query) == len(matches)


def test_count_is_capped_and_pages_by_reference_go_past_the_first_newest(big):
    assert big.count_enterprises("有限公司", cap=100) == 100
    total = big.count_enterprises("有限公司", cap=10**6)
    oldest = big.enterprise_rows("有限公司", "ref", False, 0, 5)
    newest_last = big.enterprise_rows("有限公司", "ref", True, total - 5, 5)
    assert [r["ref"] for r in oldest] == [r["ref"] for r in reversed(newest_last)]
    assert oldest[0]["seq"] < oldest[-1]["seq"]


# ---- item 14: ID numbers and phone tails ---------------------------------------------------------------
def test_id_numbers_and_four_digit_tails_are_found(store, intake):
    store.import_enterprises(bulk_records(300, seed=1))
    result = validate_intake(intake)
    ent, _ = store.save_intake(result.values)
    number, phone = result.values["legal_rep_id"], result.values["legal_rep_phone"]
    for query in (number, number[-4:], number[-5:], number[-6:], number.lower(), phone[-4:], phone[-6:], phone):
        rows = store.enterprise_rows(query, limit=5_000)
        assert ent.ref in [r["ref"] for r in rows], query
        # and nothing that does not hold the fragment
        for r in rows:
            held = "".join(r[k] or "" for k in ("legal_rep_id", "legal_rep_phone", "credit_code")).upper()
            assert query.upper() in held or query in (r["enterprise_name"] + (r["legal_rep_name"] or "")), query
    assert store.count_enterprises(number) == 1


def test_code_phone_and_id_fragments_find_exactly_the_rows_holding_them(big):
    """Fragments of 3 to 18 characters, at the start, middle and end of a value, in any letter case:
    the index finds exactly the rows a substring scan finds."""
    rows = everything(big)
    rng = random.Random(9)
    fields = ("credit_code", "legal_rep_phone", "legal_rep_id")
    for _ in range(60):
        value = rng.choice(rows)[rng.choice(fields)] or "91350100M000100Y43"
        size = rng.choice([3, 4, 4, 5, 6, len(value)])
        start = rng.choice([0, len(value) - size, rng.randrange(0, len(value) - size + 1)])
        fragment = value[start : start + size]
        query = fragment.lower() if rng.random() < 0.3 else fragment
        want = {r["ref"] for r in rows
                if any(fragment.upper() in (r[f] or "").upper() for f in (*fields, "enterprise_name"))}  # fmt: skip
        got = {r["ref"] for r in big.enterprise_rows(query, "ref", True, 0, 10**6)}
        assert got == want, (query, len(got), len(want))


def test_id_search_follows_edits(store, intake):
    result = validate_intake(intake)
    ent, app = store.save_intake(result.values)
    old = result.values["legal_rep_id"]
    intake["legal_rep_id"] = "11010519491231002X"
    store.save_intake(validate_intake(intake).values, application_id=app.id)
    assert store.enterprise_rows(old) == []
    assert [r["ref"] for r in store.enterprise_rows("1231002x")] == [ent.ref]


@pytest.mark.parametrize("query", ["恒", "瑞", "恒瑞", "娜娜", "欧"])
def test_one_and_two_character_chinese_queries_still_work(store, intake, query):
    store.import_enterprises(bulk_records(200, seed=3))
    ent, _ = store.save_intake(validate_intake(intake).values)
    assert ent.ref in [r["ref"] for r in store.enterprise_rows(query, limit=5_000)]


def test_longer_name_terms_match_substrings_only_not_scattered_bigrams(store, intake):
    """m017's name table keeps no positions: a 3+ character term is its bigrams, then checked as a substring."""
    saved = {}
    for name, rep in (("恒瑞瑞恒商行", "王伟"), ("恒瑞恒商行", "李娜"), ("ABC贸易有限公司", "欧阳娜娜")):
        intake.update(enterprise_name=name, legal_rep_name=rep)
        ent, _ = store.save_intake(validate_intake(intake).values)
        saved[name] = ent.ref

    def refs(query):
        found = {r["ref"] for r in store.enterprise_rows(query, "enterprise_name", False, 0, 5_000)}
        assert len(found) == min(store.count_enterprises(query), 10_000), query
        return found

    # 恒瑞瑞恒 holds the bigrams 恒瑞 and 瑞恒 but not the substring 恒瑞恒
    assert refs("恒瑞恒") == {saved["恒瑞恒商行"]}
    assert refs("瑞瑞恒") == {saved["恒瑞瑞恒商行"]}
    assert refs("abc贸易") == {saved["ABC贸易有限公司"]}  # letter case folded, as the index folds it
    assert refs("欧阳娜娜") == {saved["ABC贸易有限公司"]}  # the legal representative's name
    assert refs("阳娜 abc") == {saved["ABC贸易有限公司"]}  # every term, in either name
    assert refs("恒瑞恒 李娜") == {saved["恒瑞恒商行"]} and refs("恒瑞恒 王伟") == set()


def test_after_edits_and_list_updates_the_index_finds_exactly_what_is_stored(store, intake, tmp_path):
    """The search tables keep no per-row record (m017): a row comes out with the tokens it went in with.
    After renames, new legal representatives, phones and ID numbers (intake edits and a list's updates),
    every old and new value's fragments find exactly the rows a substring scan of the stored rows finds."""
    from test_import_list_support import records, write_list

    from loandesk.storage.enterprise_import import import_file

    rows = records(12, seed=31)
    import_file(store, write_list(tmp_path / "a.csv", rows))
    result = validate_intake(intake)
    _ent, app = store.save_intake(result.values)
    old_values = [result.values[k] for k in ("enterprise_name", "legal_rep_name", "legal_rep_phone", "legal_rep_id")]
    intake.update(enterprise_name="丽水市焕新茶叶有限公司", legal_rep_name="欧阳明月", legal_rep_phone="13712345678",
                  legal_rep_id="11010519491231002X")  # fmt: skip
    store.save_intake(validate_intake(intake).values, application_id=app.id)
    changed = [dict(r) for r in rows]
    changed[0]["enterprise_name"] = "温州市鼎新五金有限公司"
    changed[1]["legal_rep_phone"] = "13998765432"
    changed[2]["legal_rep_name"] = "诸葛亮"
    changed[3]["legal_rep_id"] = "330106199001011236"
    import_file(store, write_list(tmp_path / "b.csv", changed))
    stored = everything(store)
    fields = ("enterprise_name", "legal_rep_name", "credit_code", "legal_rep_phone", "legal_rep_id")
    values = old_values + [r[f] for r in rows[:4] for f in fields] + [r[f] for r in stored for f in fields]
    for value in filter(None, values):
        for fragment in {value, value[:2], value[-4:], value[1:4], value[-6:]}:
            if fragment.isascii() and len(fragment) < 3:
                continue  # 1-2 digits or letters: a credit code prefix by design (search.py), not a substring
            want = {r["ref"] for r in stored if any(fragment.upper() in (r[f] or "").upper() for f in fields)}
            got = {r["ref"] for r in store.enterprise_rows(fragment, "ref", True, 0, 10**6)}
            assert got == want, (fragment, got ^ want)


def test_the_name_table_keeps_no_positions(store):
    sql = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'search_text'").fetchone()[0]
    assert "detail = 'none'" in sql and "tokens" in sql


# ---- the last query's matches are cached, and forgotten when the index changes --------------------------
def test_cached_matches_follow_saves_here_and_commits_elsewhere(home, store, intake):
    assert store.count_enterprises("新航") == 0 and store.enterprise_rows("新航", "enterprise_name") == []
    intake["enterprise_name"] = "宁波新航贸易有限公司"
    ent, _ = store.save_intake(validate_intake(intake).values)
    assert store.count_enterprises("新航") == 1
    assert [r["ref"] for r in store.enterprise_rows("新航", "enterprise_name")] == [ent.ref]
    other = Store.open(home)  # another connection (a CLI import while the GUI is open)
    intake.update(enterprise_name="宁波新航物流有限公司", credit_code="91350100M000100Y43")
    other.save_intake(validate_intake(intake).values)
    other.close()
    assert store.count_enterprises("新航") == 2
    assert len(store.enterprise_rows("新航", "enterprise_name")) == 2
    assert len(store.application_rows("新航", "requested_amount")) == 2


def test_find_rowids_and_matching_agree(big):
    for query in ("有限公司", "王伟", "330", "91 有限", "3301", "有限 王", "责任公司 3301"):
        sql, params = search.matching(query)
        every = sorted((r[0] for r in big.db.execute(sql, params)), reverse=True)
        assert search.find_rowids(big.db, query, limit=None) == every, query
        assert search.find_rowids(big.db, query, limit=50) == every[:50], query


# ---- items 3 and 8: the plans use indexes --------------------------------------------------------------
def plans_of(store, call) -> list[list[str]]:
    """EXPLAIN QUERY PLAN of every SELECT ``call`` runs (as traced, parameters bound)."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        store.db.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH")) and "sqlite_master" not in s]
    return [[row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + s)] for s in selects]


def test_duplicate_check_reads_indexes_only(big):
    row = big.db.execute("SELECT credit_code FROM enterprises WHERE seq = 7").fetchone()
    person = big.db.execute("SELECT id_number FROM persons LIMIT 1").fetchone()
    plans = plans_of(big, lambda: big.find_duplicates(row[0], person[0]))
    assert len(plans) == 2
    steps = [step for plan in plans for step in plan]
    assert not [s for s in steps if s.startswith("SCAN")], steps
    assert any("persons_id_number" in s for s in steps) and any("enterprises_legal_rep" in s for s in steps)
    assert any("enterprises_credit_code" in s for s in steps)


# Names sort by pinyin from m017's indexes on the key (test_pinyin_sort.py): every sort walks an index.
@pytest.mark.parametrize("order_by", list(ENTERPRISE_SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_enterprise_sort_walks_an_index(big, order_by, descending):
    (plan,) = plans_of(big, lambda: big.enterprise_rows("", order_by, descending, 0, PAGE))
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan  # (a partial sort of equal names is fine)
    scans = [s for s in plan if s.startswith("SCAN") and s != "SCAN page"]  # (the 200 rows of the page)
    assert scans and all("INDEX" in s or (s == "SCAN e" and order_by == "ref") for s in scans), plan
    assert any(s.startswith("SEARCH p USING INDEX") for s in plan), plan  # each row's person by its key


@pytest.mark.parametrize("order_by", ["ref", "requested_amount", "term_months", "stage", "updated_at", "product"])
def test_application_sorts_on_their_own_columns_walk_an_index(big, order_by):
    (plan,) = plans_of(big, lambda: big.application_rows("", order_by, True, 0, PAGE))
    main = plan[: plan.index("CORRELATED SCALAR SUBQUERY 1")] if "CORRELATED SCALAR SUBQUERY 1" in plan else plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in main, plan
    assert main[0].startswith("SCAN a"), plan  # applications first, never the enterprises by an enterprise column


def test_new_store_has_the_list_indexes(store):
    indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"enterprises_legal_rep", "enterprises_industry", "enterprises_tax_grade", "enterprises_annual_revenue",
            "enterprises_updated_at", "enterprises_registered_on", "persons_name_pinyin", "enterprises_name_pinyin",
            "applications_requested_amount",
            "applications_term_months", "applications_stage", "applications_updated_at",
            "applications_product"} <= indexes  # fmt: skip
    # m017: a copy of persons; code-point name order; two indexes no query reads
    assert not {"persons_listing", "persons_name", "enterprises_listing", "enterprises_listed_on"} & indexes
