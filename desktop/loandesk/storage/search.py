"""Substring search over enterprise name, legal representative, credit code, phone and ID number.

Why not a stock tokenizer: the default one treats a whole Chinese name as one
word, and the trigram tokenizer silently finds nothing for the two-character
queries tellers type most ("王伟", "恒瑞"). So names are indexed as
*character unigrams and overlapping bigrams* in separate columns (tokens made
here, joined by spaces for FTS5's unicode61 tokenizer), all in one column: a
unigram is one character and a bigram two, so a token says what it is, and a
query matches the name or the legal representative alike:

* a one-character query looks up one unigram token, a two-character query one
  bigram token: exactly the substring;
* a query of n >= 3 characters is the AND of its n-1 bigrams (each already
  selective), then checked against the stored names (``instr`` on the folded
  name, ``SEARCH_FOLD``): exactly the substring. The table stores no positions
  (``detail = 'none'``, m017): a phrase query would need them, and they were
  three quarters of the table (~40 MB at 530,000 enterprises).

Codes, phones and the legal representative's ID number are digits drawn from a
small alphabet, where bigrams (or FTS5's own trigrams: each digit trigram is in
~3% of rows) would match far too many rows, so they go to a second table as
*overlapping 4-grams* made here (a 4-digit gram is in ~0.2% of rows), plus each
value's last three characters:

* a fragment of 4 characters (a phone's or ID's last four digits) is one gram:
  exactly the substring;
* a longer fragment (a whole ID number, part of a credit code) is the AND of its
  n-3 grams, then checked against the stored values (``instr``): exactly the
  substring. The table stores no positions (``detail = 'none'``): a digit gram is
  in few rows, so positions bought nothing but half the table's size (issue 10:
  530,000 enterprises);
* a 3-character fragment is a prefix query ("567" *) over the grams;
* a one- or two-character code query falls back to a prefix match on the
  indexed credit code column.

Tokens for bulk imports are made column-wise (``tokens_many``, ``grams_many``): names and codes
of the same length become rows of one numpy code-point matrix, so a 530,000-row list costs a few
array copies instead of a Python loop over every character.

Both tables are contentless (rows live only in ``enterprises`` and ``persons``), keyed by the
enterprise's rowid, and written in the same transaction as the enterprise. They live inside the
encrypted file like every other table.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

_SPACE = re.compile(r"\s+")
_CODE_TERM = re.compile(r"[0-9A-Za-z]+")


_CODE_TABLE = """
    CREATE VIRTUAL TABLE search_code USING fts5(
        code, phone, id_number,
        tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1, detail = 'none'
    )
"""
_GRAM = 4
# A fragment of several grams: every gram in the row, then the substring itself in a stored value
# (codes, phones and ID numbers are stored normalised: upper-case letters, digits only).
_CODE_CHECKED = """SELECT s.rowid FROM search_code s CROSS JOIN enterprises e ON e.seq = s.rowid
    LEFT JOIN persons p ON p.id = e.legal_rep_person_id
    WHERE search_code MATCH ? AND (instr(lower(e.credit_code), ?) OR instr(p.phone, ?)
                                   OR instr(lower(p.id_number), ?))"""


_TEXT_TABLE = """
    CREATE VIRTUAL TABLE search_text USING fts5(
        tokens,
        tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1, detail = 'none'
    )
"""
# A text term of 3 characters or more: its bigrams in the row, then the substring in a stored name.
_TEXT_CHECKED = """SELECT s.rowid FROM search_text s CROSS JOIN enterprises e ON e.seq = s.rowid
    LEFT JOIN persons p ON p.id = e.legal_rep_person_id WHERE search_text MATCH ?"""
_NAME_HAS = "(instr(SEARCH_FOLD(e.enterprise_name), ?) OR instr(SEARCH_FOLD(p.name), ?))"


def create(db: Database) -> None:
    db.execute(_TEXT_TABLE)
    db.execute(_CODE_TABLE)


def recreate_text_table(db: Database) -> None:
    """Drop and rebuild the name table from the stored rows (m017: one column, no positions)."""
    db.execute("DROP TABLE IF EXISTS search_text")
    db.execute(_TEXT_TABLE)
    rows = db.execute(
        "SELECT e.seq, e.enterprise_name, p.name FROM enterprises e LEFT JOIN persons p ON p.id = e.legal_rep_person_id"
    ).fetchall()
    if rows:
        seqs, names, reps = (list(c) for c in zip(*rows, strict=True))
        db.conn.executemany("INSERT INTO search_text(rowid, tokens) VALUES (?, ?)",
                            zip(seqs, text_tokens_many(names, reps), strict=True))  # fmt: skip


def recreate_code_table(db: Database) -> None:
    """Drop and rebuild the code/phone/ID table from the stored rows (FTS5 tables cannot add a column)."""
    db.execute("DROP TABLE IF EXISTS search_code")
    db.execute(_CODE_TABLE)
    rows = db.execute(
        """SELECT e.seq, e.credit_code, p.phone, p.id_number
           FROM enterprises e LEFT JOIN persons p ON p.id = e.legal_rep_person_id"""
    ).fetchall()
    if rows:
        seqs, codes, phones, id_numbers = (list(c) for c in zip(*rows, strict=True))
        db.conn.executemany(
            "INSERT INTO search_code(rowid, code, phone, id_number) VALUES (?, ?, ?, ?)",
            zip(seqs, grams_many(codes), grams_many(phones), grams_many(id_numbers), strict=True),
        )


def _chars(text: str) -> list[str]:
    # NFKC folds full-width letters and digits (normalising only when needed: imports call this per row);
    # only letters and digits become tokens.
    text = text or ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return [c for c in text.lower() if c.isalnum()]


def fold(text: str | None) -> str:
    """What the tokens are made of, as one string (SQL's ``SEARCH_FOLD``, for checking a longer term)."""
    return "".join(_chars(text or ""))


def unigrams(text: str) -> str:
    return " ".join(_chars(text))


def bigrams(text: str) -> str:
    chars = _chars(text)
    return " ".join(map(str.__add__, chars, chars[1:]))


def text_row(name: str, rep_name: str | None) -> str:
    return " ".join(t for t in (unigrams(name), bigrams(name), unigrams(rep_name or ""), bigrams(rep_name or "")) if t)


def grams(value: str | None) -> str:
    """``13812345678`` -> ``1381 3812 8123 … 5678 678``: every 4-character substring, then the last 3."""
    text = "".join(_chars(value or ""))
    if len(text) < _GRAM:
        return text
    return " ".join([text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)] + [text[1 - _GRAM :]])


def code_row(code: str | None, phone: str | None, id_number: str | None) -> tuple[str, str, str]:
    return grams(code), grams(phone), grams(id_number)


def index(
    db: Database,
    rowid: int,
    name: str,
    rep_name: str | None,
    code: str,
    phone: str | None,
    id_number: str | None = None,
) -> None:
    unindex(db, rowid)
    db.execute("INSERT INTO search_text(rowid, tokens) VALUES (?, ?)", (rowid, text_row(name, rep_name)))
    db.execute(
        "INSERT INTO search_code(rowid, code, phone, id_number) VALUES (?, ?, ?, ?)",
        (rowid, *code_row(code, phone, id_number)),
    )


def unindex(db: Database, rowid: int) -> None:
    db.execute("DELETE FROM search_text WHERE rowid = ?", (rowid,))
    db.execute("DELETE FROM search_code WHERE rowid = ?", (rowid,))


def index_many(db: Database, rows) -> None:
    """Bulk form for imports and rebuilds: rows of (rowid, name, rep_name, code, phone, id_number)."""
    rows = list(rows)
    if not rows:
        return
    seqs, names, reps, codes, phones, *rest = (list(c) for c in zip(*rows, strict=True))
    id_numbers = rest[0] if rest else [None] * len(rows)
    db.conn.executemany(
        "INSERT INTO search_text(rowid, tokens) VALUES (?, ?)", zip(seqs, text_tokens_many(names, reps), strict=True)
    )
    db.conn.executemany(
        "INSERT INTO search_code(rowid, code, phone, id_number) VALUES (?, ?, ?, ?)",
        zip(seqs, grams_many(codes), grams_many(phones), grams_many(id_numbers), strict=True),
    )


def text_tokens_many(names: list, reps: list) -> list[str]:
    """``text_row(name, rep)`` for every pair, column-wise (``tokens_many``)."""
    parts = (*tokens_many(names), *tokens_many(reps))
    return [" ".join(t for t in row if t) for row in zip(*parts, strict=True)]


def _folded_many(values: list) -> list[str]:
    """``_chars`` joined, for many values: the common case (already folded letters and digits) in C."""
    out = []
    for v in values:
        if not v:
            out.append("")
        elif v.isalnum() and (v.isascii() or unicodedata.is_normalized("NFKC", v)):
            out.append(v.lower())
        else:
            out.append("".join(_chars(v)))
    return out


def _by_length(folded: list[str]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for i, text in enumerate(folded):
        groups.setdefault(len(text), []).append(i)
    return groups


def _matrix(texts: list[str], width: int):
    """The texts (all ``width`` characters) as a (k, width) matrix of code points."""
    import numpy as np

    return np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).reshape(len(texts), width)


def _strings(matrix) -> list[str]:
    """Rows of a code-point matrix back to strings (numpy's UCS-4 strings are the same bytes)."""
    import numpy as np

    matrix = np.ascontiguousarray(matrix, dtype=np.uint32)
    return matrix.view(f"<U{matrix.shape[1]}").ravel().tolist()


def tokens_many(values: list) -> tuple[list[str], list[str]]:
    """``(unigrams(v), bigrams(v))`` for every value, built as code-point matrices per length."""
    import numpy as np

    folded = _folded_many(values)
    uni, bi = [""] * len(folded), [""] * len(folded)
    space = ord(" ")
    for width, rows in _by_length(folded).items():
        if width == 0:
            continue
        chars = _matrix([folded[i] for i in rows], width)
        k = len(rows)
        u = np.full((k, 2 * width - 1), space, np.uint32)
        u[:, 0::2] = chars
        if width > 1:
            b = np.full((k, 3 * (width - 1) - 1), space, np.uint32)
            b[:, 0::3] = chars[:, :-1]
            b[:, 1::3] = chars[:, 1:]
            bis = _strings(b)
        else:
            bis = [""] * k
        for i, ut, bt in zip(rows, _strings(u), bis, strict=True):
            uni[i], bi[i] = ut, bt
    return uni, bi


def grams_many(values: list) -> list[str]:
    """``grams(v)`` for every value: each length's values as one matrix, the 4-grams copied column-wise."""
    import numpy as np

    folded = _folded_many(values)
    out = list(folded)  # shorter than a gram: the value itself
    space = ord(" ")
    for width, rows in _by_length(folded).items():
        if width < _GRAM:
            continue
        chars = _matrix([folded[i] for i in rows], width)
        n = width - _GRAM + 1
        g = np.full((len(rows), n * (_GRAM + 1) + _GRAM - 1), space, np.uint32)
        for j in range(n):
            g[:, j * (_GRAM + 1) : j * (_GRAM + 1) + _GRAM] = chars[:, j : j + _GRAM]
        g[:, n * (_GRAM + 1) :] = chars[:, width - _GRAM + 1 :]
        for i, text in zip(rows, _strings(g), strict=True):
            out[i] = text
    return out


def rebuild(db: Database) -> None:
    db.execute("DELETE FROM search_text")
    db.execute("DELETE FROM search_code")
    rows = db.execute(
        """SELECT e.seq, e.enterprise_name, p.name, e.credit_code, p.phone, p.id_number
           FROM enterprises e LEFT JOIN persons p ON p.id = e.legal_rep_person_id"""
    ).fetchall()
    index_many(db, rows)


def _phrase(tokens: list[str]) -> str:
    return '"' + " ".join(tokens) + '"'


def _text_match(chars: list[str]) -> str:
    if len(chars) == 1:
        return _phrase(chars)
    return " AND ".join(_phrase([a + b]) for a, b in pairwise(chars))


def _text_source(terms: list[list[str]]) -> tuple[str, tuple]:
    """One SELECT of the rowids whose names hold every one of these text terms: one MATCH, and for each
    term of 3 characters or more the check that it is a substring (bigrams alone say only "all there")."""
    match = " AND ".join(map(_text_match, terms))
    long = ["".join(t) for t in terms if len(t) > 2]
    if not long:
        return "SELECT rowid FROM search_text WHERE search_text MATCH ?", (match,)
    checks = "".join(f" AND {_NAME_HAS}" for _ in long)
    return _TEXT_CHECKED + checks, (match, *(p for folded in long for p in (folded, folded)))


def _code_like(chars: list[str]) -> bool:
    return bool(_CODE_TERM.fullmatch("".join(chars)))


def _term_sources(chars: list[str]) -> list[tuple[str, tuple]]:
    """Queries (any may match) for rowids of enterprises containing this one term."""
    sources: list[tuple[str, tuple]] = [_text_source([chars])]
    folded = "".join(chars)
    if _code_like(chars):
        if len(folded) == _GRAM:
            sources.append(("SELECT rowid FROM search_code WHERE search_code MATCH ?", (_phrase([folded]),)))
        elif len(folded) > _GRAM:
            every = " AND ".join(_phrase([folded[i : i + _GRAM]]) for i in range(len(folded) - _GRAM + 1))
            sources.append((_CODE_CHECKED, (every, folded, folded, folded)))
        elif len(folded) >= _GRAM - 1:  # a whole gram, or the start of one (the last 3 are a token too)
            sources.append(("SELECT rowid FROM search_code WHERE search_code MATCH ?", (f'"{folded}" *',)))
        else:
            upper = folded.upper()
            sources.append(
                (
                    "SELECT seq FROM enterprises WHERE credit_code >= ? AND credit_code < ?",
                    (upper, upper + "\uffff"),
                )
            )
    return sources


def _terms(query: str) -> list[list[str]]:
    return [c for c in (_chars(t) for t in _SPACE.split(query.strip())) if c]


def matching(query: str) -> tuple[str, tuple] | None:
    """One SELECT of the rowids of every enterprise matching ``query`` (in no particular order), for
    SQL to sort or count without the rowids passing through Python; None for a blank query."""
    terms = _terms(query)
    if not terms:
        return None
    if not any(_code_like(t) for t in terms):
        return _text_source(terms)
    if len(terms) == 1:
        sources = _term_sources(terms[0])
        return " UNION ".join(sql for sql, _ in sources), tuple(p for _, ps in sources for p in ps)
    parts, params = [], []
    for chars in terms:
        sources = _term_sources(chars)
        parts.append("seq IN (" + " UNION ".join(sql for sql, _ in sources) + ")")
        params += [p for _, ps in sources for p in ps]
    return f"SELECT seq FROM enterprises WHERE {' AND '.join(parts)}", tuple(params)


def count(db: Database, query: str, cap: int) -> int:
    """How many enterprises match, counting at most ``cap``: the index walked in its cheap (ascending)
    direction, inside SQLite, with no rowid passing through Python."""
    found = matching(query)
    if found is None:
        return 0
    sql, params = found
    return db.execute(f"SELECT count(*) FROM ({sql} LIMIT ?)", (*params, cap)).fetchone()[0]


def find_rowids(db: Database, query: str, limit: int | None = 200) -> list[int]:
    """Enterprise rowids, newest first, where every whitespace-separated term is a substring
    of the name, legal representative, credit code, phone or legal representative's ID number.
    ``limit=None``: every match."""
    terms = _terms(query)
    if not terms:
        return []
    cap, cap_params = (" LIMIT ?", (limit,)) if limit is not None else ("", ())
    if not any(_code_like(t) for t in terms):
        # All terms are text: one FTS5 query, walked newest-first, stops after ``limit``.
        sql, params = _text_source(terms)
        rows = db.execute(f"{sql} ORDER BY 1 DESC{cap}", (*params, *cap_params)).fetchall()
        return [r[0] for r in rows]
    if len(terms) == 1:
        # One code-like term: each source walked newest-first with its own limit, then merged.
        found: set[int] = set()
        for sql, params in _term_sources(terms[0]):
            found.update(r[0] for r in db.execute(f"{sql} ORDER BY 1 DESC{cap}", (*params, *cap_params)))
        return sorted(found, reverse=True)[:limit]
    parts, params = [], []
    for chars in terms:
        sources = _term_sources(chars)
        parts.append("seq IN (" + " UNION ".join(sql for sql, _ in sources) + ")")
        params += [p for _, ps in sources for p in ps]
    rows = db.execute(
        f"SELECT seq FROM enterprises WHERE {' AND '.join(parts)} ORDER BY seq DESC{cap}",
        (*params, *cap_params),
    ).fetchall()
    return [r[0] for r in rows]
