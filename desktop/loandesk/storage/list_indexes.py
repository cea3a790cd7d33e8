"""m017: the indexes a 530,000-enterprise list needs, and only those (issue 10: lists smooth at 530,000 rows,
a store under 300 MB).

* Names sort by pinyin from an index: ``enterprises(PINYIN_KEY(enterprise_name))`` and
  ``persons(PINYIN_NAME_KEY(name), id)`` are indexes on the key itself (SQLite stores the computed key in
  the index, and keeps it current on every insert and update, whoever writes: a save, an import, a sync
  pull). A page sorted by name walks the index and stops at the page, instead of computing 530,000 keys
  and sorting them (~10 s). The key lives only in the index, not a second time in a column.
* ``persons_listing`` (m006) went: it copied every person's id, name, ID number and phone (a second persons
  table, ~45 MB at 530,000) to save one page read for each of a page's 200 rows.
* ``persons_name`` (m006, code-point order) is replaced by the pinyin index: no list sorts by code point.
* ``enterprises_listing`` (has_loan_history, created_at) and ``enterprises_listed_on`` (m012/m013) went:
  no query reads them (EXPLAIN QUERY PLAN of every list, count and figure): the figures count by
  ``COALESCE(listed_on, created_at)`` and ``coalesce(has_loan_history, 0)``, which neither index serves,
  and the list import finds codes by ``enterprises_credit_code`` (~30 MB at 530,000).
* The name search table is rebuilt as one column without positions (``storage.search``: ~40 MB less at
  530,000, and cheaper to write at import).

The key depends on pypinyin's dictionaries: ``PINYIN_KEY_VERSION`` is recorded in settings, and a store
whose recorded version differs (the pin moved) has its pinyin indexes rebuilt when it opens, so an index
never holds keys the running code would not compute (SQLite would then fail to find a row's entry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loandesk.core.pinyin import PINYIN_KEY_VERSION

from . import search

if TYPE_CHECKING:
    from sqlite_utils import Database

PINYIN_INDEXES = ("enterprises_name_pinyin", "persons_name_pinyin")
SETTING = "pinyin_key_version"


def m017(db: Database) -> None:
    db.executescript(
        """
        DROP INDEX IF EXISTS persons_listing;
        DROP INDEX IF EXISTS persons_name;
        DROP INDEX IF EXISTS enterprises_listing;
        DROP INDEX IF EXISTS enterprises_listed_on;
        CREATE INDEX enterprises_name_pinyin ON enterprises(PINYIN_KEY(enterprise_name));
        -- with id: the legal representative sort walks persons by key to their enterprises, index only
        CREATE INDEX persons_name_pinyin ON persons(PINYIN_NAME_KEY(name), id);
        """
    )
    search.recreate_text_table(db)
    _record(db)


def _record(db: Database) -> None:
    db.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (SETTING, PINYIN_KEY_VERSION),
    )


def keep_current(db: Database) -> bool:
    """Rebuild the pinyin indexes when they were made by another version of the key; True if it did."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    if row is None or row[0] == PINYIN_KEY_VERSION:
        return False  # not migrated yet (a migration test stopping early), or current
    with db.atomic():
        for name in PINYIN_INDEXES:
            db.execute(f"REINDEX {name}")
        _record(db)
    return True
