"""The encrypted local store: saves, references, duplicates, search, drafts, outbox."""

import re
import subprocess
import sys

import pytest

from loandesk.core.intake import validate_intake
from loandesk.demo import populate
from loandesk.storage import Store
from loandesk.storage.connection import StoreLocked, connect
from loandesk.storage.keys import KEY_FILE


def save(store, intake, **kw):
    result = validate_intake(intake)
    assert result.ok, [f.describe("en") for f in result.findings]
    return store.save_intake(result.values, **kw)


def test_save_gives_branch_prefixed_refs_and_device_ids(store, intake):
    ent, app = save(store, intake)
    assert re.fullmatch(r"E-HZ01-[A-Z2-9]{4}-000001", ent.ref)
    assert re.fullmatch(r"A-HZ01-[A-Z2-9]{4}-000001", app.ref)
    assert ent.id[14] == "7" and app.id != ent.id  # UUIDv7
    intake["credit_code"] = intake["credit_code"]  # same enterprise data, second application
    _, app2 = save(store, intake, enterprise_id=ent.id)
    assert app2.ref.endswith("000002") and app2.enterprise_id == ent.id
    assert store.count_enterprises() == 1 and store.count_applications() == 2


def test_record_round_trips_typed_values(store, intake):
    _, app = save(store, intake)
    record = store.application_record(app.ref)
    for field in ("enterprise_name", "credit_code", "legal_rep_name", "legal_rep_id", "legal_rep_phone", "purpose"):
        assert record[field] == intake[field]
    assert record["requested_amount"] == int(intake["requested_amount"])
    assert record["consent_given"] is True and record["size_class"] in {"large", "medium", "small", "micro"}


def test_duplicates_by_code_and_by_legal_rep_id(store, intake):
    """(The duplicate check's query plan is checked in test_search.py.)"""
    ent, _ = save(store, intake)
    by_code = store.find_duplicates(intake["credit_code"], None)
    assert [(d["ref"], d["match"]) for d in by_code] == [(ent.ref, "credit_code")]
    by_rep = store.find_duplicates("91350100M000100Y43", intake["legal_rep_id"])
    assert [(d["ref"], d["match"]) for d in by_rep] == [(ent.ref, "legal_rep_id")]
    assert store.find_duplicates(intake["credit_code"], None, exclude_enterprise_id=ent.id) == []


@pytest.mark.parametrize(
    "query", ["恒瑞", "恒", "五金制品有限", "欧阳", "阳娜", "娜", "hengrui", "有限公司 欧阳"]
)  # fmt: skip
def test_search_finds_chinese_substrings_of_any_length(store, intake, query):
    populate(store, 30)
    ent, _ = save(store, intake)
    found = [r["ref"] for r in store.enterprise_rows(query)]
    if query == "hengrui":
        assert ent.ref not in found  # pinyin is not in the record: no false match
    else:
        assert ent.ref in found


def test_search_by_code_and_phone_fragments(store, intake):
    populate(store, 30)
    ent, _ = save(store, intake)
    for query in (intake["credit_code"], intake["credit_code"][8:14], intake["legal_rep_phone"][-5:],
                  intake["credit_code"][:2].lower()):  # fmt: skip
        assert ent.ref in [r["ref"] for r in store.enterprise_rows(query, limit=500)], query
    assert store.enterprise_rows("不存在的企业名") == []


def test_search_follows_edits(store, intake):
    ent, app = save(store, intake)
    intake["enterprise_name"] = "宁波新航贸易有限公司"
    save(store, intake, application_id=app.id)
    assert store.enterprise_rows("恒瑞") == []
    assert [r["ref"] for r in store.enterprise_rows("新航")] == [ent.ref]


def test_every_save_is_in_the_outbox(store, intake):
    assert store.unsynced_count() == 0
    save(store, intake)
    # the enterprise, the application and the consent its form records
    assert store.unsynced_count() == 3
    entities = [r[0] for r in store.db.execute("SELECT entity FROM outbox ORDER BY seq")]
    assert entities == ["enterprise", "application", "consent"]


def test_failed_save_writes_nothing(store, intake):
    result = validate_intake(intake)
    values = dict(result.values, purpose=None)  # NOT NULL in applications: fails after the enterprise insert
    with pytest.raises(Exception):  # noqa: B017 - the driver's IntegrityError
        store.save_intake(values)
    assert store.count_enterprises() == 0 and store.unsynced_count() == 0
    assert store.enterprise_rows(intake["enterprise_name"][:4]) == []


def test_drafts_round_trip_and_are_deleted_by_the_save(store, intake):
    store.save_draft("intake:new", {"enterprise_name": "杭州半填企业"})
    assert store.drafts()[0]["payload"] == {"enterprise_name": "杭州半填企业"}
    save(store, intake, draft_key="intake:new")
    assert store.drafts() == []


def test_key_file_is_private_and_a_wrong_key_cannot_open(home, store):
    assert (home / KEY_FILE).stat().st_mode & 0o777 == 0o600
    store.close()
    with pytest.raises(StoreLocked):
        connect(home / "loandesk.db", "00" * 32)


def encodings(text: str) -> list[bytes]:
    out = [text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be")]
    try:
        out.append(text.encode("gbk"))
    except UnicodeEncodeError:
        pass
    return out


def test_no_personal_data_in_plain_bytes_while_the_store_is_open(home, store, intake):
    """The WAL holds every recent page until a checkpoint: it must be as unreadable as the database."""
    populate(store, 5)
    _, app = save(store, intake)
    first_phone, intake["legal_rep_phone"] = intake["legal_rep_phone"], "13698765432"
    save(store, intake, application_id=app.id)  # an update: old and new values both pass through the WAL
    store.save_draft("intake:new", {"legal_rep_phone": "13912345678", "legal_rep_name": "司马相如"})
    assert store.enterprise_rows("欧阳", "legal_rep_name")  # a sorted search fills the in-memory temp table
    assert (home / "loandesk.db-wal").stat().st_size > 0
    secrets = [intake["legal_rep_id"], first_phone, intake["legal_rep_phone"], "13912345678", intake["legal_rep_name"],
               "司马相如", intake["enterprise_name"], "欧 阳 娜 娜", "欧阳 阳娜 娜娜"]  # fmt: skip
    files = sorted(p.name for p in home.iterdir() if p.is_file())
    assert set(files) <= {"loandesk.db", "loandesk.db-wal", "loandesk.db-shm", KEY_FILE}, files
    for name in files:
        if name == KEY_FILE:
            continue
        data = (home / name).read_bytes()
        for secret in secrets:
            for encoded in encodings(secret):
                assert encoded not in data, (name, secret, encoded)


def test_data_home_is_private(tmp_path):
    home = tmp_path / "new" / "home"
    store = Store.open(home)
    store.set_setting("x", "y")
    assert home.stat().st_mode & 0o777 == 0o700
    for name in ("loandesk.db", "loandesk.db-wal", "loandesk.db-shm", KEY_FILE):
        assert (home / name).stat().st_mode & 0o777 == 0o600, name
    store.close()


def test_an_empty_folder_made_for_the_home_is_made_private(tmp_path):
    home = tmp_path / "made-by-paths"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    Store.open(home).close()
    assert home.stat().st_mode & 0o777 == 0o700


def test_an_existing_home_keeps_its_folder_and_gets_private_files(tmp_path):
    home = tmp_path / "old"
    Store.open(home).close()
    home.chmod(0o755)
    (home / "loandesk.db").chmod(0o644)
    store = Store.open(home)
    store.set_setting("x", "y")
    assert home.stat().st_mode & 0o777 == 0o755  # not ours to change: it may be a shared folder
    for name in ("loandesk.db", "loandesk.db-wal", "loandesk.db-shm"):
        assert (home / name).stat().st_mode & 0o777 == 0o600, name
    store.close()


def test_no_personal_data_in_plain_bytes_anywhere_in_the_data_home(home, store, intake):
    populate(store, 5)
    save(store, intake)
    store.save_draft("intake:new", {"legal_rep_phone": "13912345678"})
    store.close()
    secrets = [intake["legal_rep_id"], intake["legal_rep_phone"], "13912345678", intake["legal_rep_name"]]
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                for encoded in encodings(secret):
                    assert encoded not in data, (path.name, "holds personal data")
    assert (home / "loandesk.db").read_bytes()[:16] != b"SQLite format 3\x00"


def test_a_killed_writer_leaves_the_last_completed_save(home, intake):
    """SIGKILL in the middle of a large transaction: the store opens with the earlier saves only."""
    store = Store.open(home)
    populate(store, 3)
    store.close()
    script = (
        "import sys, os, signal\n"
        "from loandesk.storage import Store\n"
        "from loandesk.demo import demo_record\n"
        "import random\n"
        f"s = Store.open({str(home)!r})\n"
        "rows = [demo_record(random.Random(1), i) for i in range(3000)]\n"
        "with s.db.atomic():\n"
        "    s._import_batch(rows[:2000], 'x')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == -9
    store = Store.open(home)
    assert store.count_enterprises() == 3
    assert len(store.enterprise_rows("有限公司", limit=5000)) + len(store.enterprise_rows("店", limit=5000)) >= 3
    store.close()
