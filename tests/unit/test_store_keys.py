"""Opening a store: a key is made only for a new home; a store that cannot be opened is refused with a
message naming the file and what is wrong, and is never given a new key."""

import shutil
import subprocess
import sys

import pytest

from loandesk.storage import Store
from loandesk.storage.connection import DB_FILE, StoreLocked
from loandesk.storage.keys import KEY_FILE, FileKeyProvider, KeyFileProblem


@pytest.fixture
def made(tmp_path):
    """A home with a store holding one setting, closed."""
    home = tmp_path / "made"
    store = Store.open(home, branch="HZ01")
    store.set_setting("marker", "kept")
    store.close()
    return home


def snapshot(home):
    return {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}


def test_the_message_is_in_the_users_language(made):
    from loandesk.core.i18n import language, set_language

    (made / KEY_FILE).unlink()
    before = language()
    try:
        for lang, words in (("zh", "缺失"), ("en", "is missing")):
            set_language(lang)
            with pytest.raises(KeyFileProblem) as err:
                Store.open(made)
            assert words in str(err.value)  # what the GUI's dialog shows
    finally:
        set_language(before)


def test_a_new_home_gets_one_private_key_and_no_temporary_files(tmp_path):
    home = tmp_path / "new"
    Store.open(home).close()
    key = (home / KEY_FILE).read_text()
    assert len(key) == 64 and int(key, 16) >= 0
    assert (home / KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert not [p.name for p in home.iterdir() if p.name.endswith(".tmp")]
    store = Store.open(home)  # the same key opens it again
    assert store.setting("branch") == "BR01"
    store.close()


def test_a_missing_key_next_to_a_database_is_refused_and_never_replaced(made):
    (made / KEY_FILE).unlink()
    before = snapshot(made)
    with pytest.raises(KeyFileProblem) as err:
        Store.open(made)
    assert not (made / KEY_FILE).exists()  # no new key beside the old database
    assert snapshot(made) == before
    exc = err.value
    assert isinstance(exc, StoreLocked)
    assert str(made / KEY_FILE) in exc.message("en") and "missing" in exc.message("en")
    assert "never made" in exc.message("en")
    assert "缺失" in exc.message("zh") and str(made / KEY_FILE) in exc.message("zh")


@pytest.mark.parametrize(
    ("content", "en", "zh"),
    [
        (b"", "is empty", "空文件"),
        (b"  \n", "is empty", "空文件"),
        (b"0123456789abcdef" * 3, "48 found", "48 个"),
        (b"g" * 64, "other than 0-9", "以外的字符"),
        (b"\xff\xfe\x00garbage" * 10, "found", "不是有效的密钥"),
    ],
)
def test_an_empty_or_malformed_key_is_refused_naming_the_file(made, content, en, zh):
    (made / KEY_FILE).write_bytes(content)
    with pytest.raises(KeyFileProblem) as err:
        Store.open(made)
    assert (made / KEY_FILE).read_bytes() == content  # left exactly as it was
    for lang, words in (("en", en), ("zh", zh)):
        message = err.value.message(lang)
        assert str(made / KEY_FILE) in message and words in message, message
    assert "put its store.key back" in err.value.message("en")


def test_a_malformed_key_without_a_database_says_how_to_start_afresh(tmp_path):
    home = tmp_path / "fresh"
    home.mkdir()
    (home / KEY_FILE).write_text("half a ke")
    with pytest.raises(KeyFileProblem) as err:
        Store.open(home)
    assert "delete the file to start a new store" in err.value.message("en")
    assert "half a ke" not in err.value.message("en")  # the file is never quoted (it may be most of a key)
    assert not (home / DB_FILE).exists() or (home / DB_FILE).stat().st_size == 0


def test_a_key_file_that_is_a_folder_is_refused(made):
    (made / KEY_FILE).unlink()
    (made / KEY_FILE).mkdir()
    with pytest.raises(KeyFileProblem) as err:
        Store.open(made)
    assert "is a folder" in err.value.message("en") and "是文件夹" in err.value.message("zh")


def test_a_wrong_key_is_refused_and_changes_nothing(made):
    (made / KEY_FILE).write_text("ab" * 32)
    before = snapshot(made)
    with pytest.raises(StoreLocked) as err:
        Store.open(made)
    assert snapshot(made) == before
    assert "does not open it" in err.value.message("en") and str(made / DB_FILE) in err.value.message("en")
    assert "不匹配" in err.value.message("zh")


def test_a_database_copied_without_its_key_is_refused(made, tmp_path):
    elsewhere = tmp_path / "copy"
    elsewhere.mkdir()
    shutil.copy(made / DB_FILE, elsewhere / DB_FILE)
    with pytest.raises(KeyFileProblem) as err:
        Store.open(elsewhere)
    assert "is missing" in err.value.message("en")
    assert not (elsewhere / KEY_FILE).exists()
    shutil.copy(made / KEY_FILE, elsewhere / KEY_FILE)  # with its key it opens, data and all
    store = Store.open(elsewhere)
    assert store.setting("marker") == "kept"
    store.close()


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    home = tmp_path / "junk"
    home.mkdir()
    (home / DB_FILE).write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(KeyFileProblem) as err:  # no key: and none is made for it
        Store.open(home)
    assert "is missing" in err.value.message("en") and not (home / KEY_FILE).exists()
    (home / KEY_FILE).write_text("cd" * 32)
    with pytest.raises(StoreLocked) as err:
        Store.open(home)
    assert "not a Loan Desk store" in err.value.message("en")


def test_processes_starting_a_new_home_at_once_agree_on_one_key(tmp_path):
    """Each process waits for a go file, then asks for the key: every one gets the same complete key."""
    home, go = tmp_path / "race", tmp_path / "go"
    home.mkdir()
    script = (
        "import os, sys, time\n"
        "from loandesk.storage.keys import FileKeyProvider\n"
        f"while not os.path.exists({str(go)!r}): time.sleep(0.001)\n"
        f"print(FileKeyProvider({str(home)!r}).key_hex())\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(6)]
    go.touch()
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert keys == {(home / KEY_FILE).read_text()}
    assert FileKeyProvider(home).key_hex() in keys


def test_a_key_another_starter_made_meanwhile_is_used(made):
    """The race behind 'list' failing on a new home: this process found no key, and by the time it
    looked for a database another process had made both. It uses that key instead of refusing."""
    provider = FileKeyProvider(made)
    assert provider._create() == (made / KEY_FILE).read_text()
    assert not [p.name for p in made.iterdir() if p.name.endswith(".tmp")]
