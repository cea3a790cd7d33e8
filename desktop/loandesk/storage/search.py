"""Substring search over enterprise name, legal representative, credit code and phone.

Why not a stock tokenizer: the default one treats a whole Chinese name as one
word, and the trigram tokenizer silently finds nothing for the two-character
queries tellers type most ("王伟", "恒瑞"). So names are indexed as
*character unigrams and overlapping bigrams* in separate columns (tokens made
here, joined by spaces for FTS5's unicode61 tokenizer):

* a one-character query looks up one unigram token;
* a query of n >= 2 characters is the phrase of its n-1 bigrams, i.e. exactly
  the substring, and each bigram token is already selective.

Codes and phones are digits drawn from a small alphabet, where bigrams would
match nearly every row, so they go to a second table with FTS5's trigram
tokenizer (queries of three or more characters), and a one- or two-character
code query falls back to a prefix match on the indexed code column.

Both tables are contentless (rows live only in ``enterprises``), keyed by the
enterprise's rowid, and written in the same transaction as the enterprise.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from sqlite_utils import Database

_SPACE = re.compile(r"\s+")
_CODE_TERM = re.compile(r"[0-9A-Za-z]+")


def create(db: Database) -> None:
    db.executescript(
        """
        CREATE VIRTUAL TABLE search_text USING fts5(
            name_uni, name_bi, rep_uni, rep_bi,
            tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1,
            detail = 'full'
        );
        CREATE VIRTUAL TABLE search_code USING fts5(
            code, phone, tokenize = 'trigram', content = '', contentless_delete = 1
        );
        """
    )


def _chars(text: str) -> list[str]:
    # NFKC folds full-width letters and digits (normalising only when needed: imports call this per row);
    # only letters and digits become tokens.
    text = text or ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return [c for c in text.lower() if c.isalnum()]


def unigrams(text: str) -> str:
    return " ".join(_chars(text))


def bigrams(text: str) -> str:
    chars = _chars(text)
    return " ".join(map(str.__add__, chars, chars[1:]))


def text_row(name: str, rep_name: str | None) -> tuple[str, str, str, str]:
    return unigrams(name), bigrams(name), unigrams(rep_name or ""), bigrams(rep_name or "")


def index(db: Database, rowid: int, name: str, rep_name: str | None, code: str, phone: str | None) -> None:
    unindex(db, rowid)
    db.execute(
        "INSERT INTO search_text(rowid, name_uni, name_bi, rep_uni, rep_bi) VALUES (?, ?, ?, ?, ?)",
        (rowid, *text_row(name, rep_name)),
    )
    db.execute(
        "INSERT INTO search_code(rowid, code, phone) VALUES (?, ?, ?)", (rowid, code or "", phone or "")
    )


def unindex(db: Database, rowid: int) -> None:
    db.execute("DELETE FROM search_text WHERE rowid = ?", (rowid,))
    db.execute("DELETE FROM search_code WHERE rowid = ?", (rowid,))


def index_many(db: Database, rows) -> None:
    """Bulk form for imports and rebuilds: rows of (rowid, name, rep_name, code, phone)."""
    rows = list(rows)
    db.conn.executemany(
        "INSERT INTO search_text(rowid, name_uni, name_bi, rep_uni, rep_bi) VALUES (?, ?, ?, ?, ?)",
        ((r[0], *text_row(r[1], r[2])) for r in rows),
    )
    db.conn.executemany(
        "INSERT INTO search_code(rowid, code, phone) VALUES (?, ?, ?)",
        ((r[0], r[3] or "", r[4] or "") for r in rows),
    )


def rebuild(db: Database) -> None:
    db.execute("DELETE FROM search_text")
    db.execute("DELETE FROM search_code")
    rows = db.execute(
        """SELECT e.seq, e.enterprise_name, p.name, e.credit_code, p.phone
           FROM enterprises e LEFT JOIN persons p ON p.id = e.legal_rep_person_id"""
    ).fetchall()
    index_many(db, rows)


def _phrase(tokens: list[str]) -> str:
    return '"' + " ".join(tokens) + '"'


def _text_match(chars: list[str]) -> str:
    if len(chars) == 1:
        return "{name_uni rep_uni}: " + _phrase(chars)
    return "{name_bi rep_bi}: " + _phrase([a + b for a, b in pairwise(chars)])


def _code_like(chars: list[str]) -> bool:
    return bool(_CODE_TERM.fullmatch("".join(chars)))


def _term_sources(chars: list[str]) -> list[tuple[str, tuple]]:
    """Queries (any may match) for rowids of enterprises containing this one term."""
    sources: list[tuple[str, tuple]] = [
        ("SELECT rowid FROM search_text WHERE search_text MATCH ?", (_text_match(chars),))
    ]
    folded = "".join(chars)
    if _code_like(chars):
        if len(folded) >= 3:
            sources.append(("SELECT rowid FROM search_code WHERE search_code MATCH ?", ('"' + folded + '"',)))
        else:
            upper = folded.upper()
            sources.append(
                (
                    "SELECT seq FROM enterprises WHERE credit_code >= ? AND credit_code < ?",
                    (upper, upper + "\uffff"),
                )
            )
    return sources


def find_rowids(db: Database, query: str, limit: int = 200) -> list[int]:
    """Enterprise rowids, newest first, where every whitespace-separated term is a substring
    of the name, legal representative, credit code or phone."""
    terms = [c for c in (_chars(t) for t in _SPACE.split(query.strip())) if c]
    if not terms:
        return []
    if not any(_code_like(t) for t in terms):
        # All terms are text: one FTS5 query, walked newest-first, stops after ``limit``.
        match = " AND ".join(_text_match(t) for t in terms)
        rows = db.execute(
            "SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rowid DESC LIMIT ?",
            (match, limit),
        ).fetchall()
        return [r[0] for r in rows]
    if len(terms) == 1:
        # One code-like term: each source walked newest-first with its own limit, then merged.
        found: set[int] = set()
        for sql, params in _term_sources(terms[0]):
            found.update(r[0] for r in db.execute(f"{sql} ORDER BY 1 DESC LIMIT ?", (*params, limit)))
        return sorted(found, reverse=True)[:limit]
    parts, params = [], []
    for chars in terms:
        sources = _term_sources(chars)
        parts.append("seq IN (" + " UNION ".join(sql for sql, _ in sources) + ")")
        params += [p for _, ps in sources for p in ps]
    rows = db.execute(
        f"SELECT seq FROM enterprises WHERE {' AND '.join(parts)} ORDER BY seq DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [r[0] for r in rows]
