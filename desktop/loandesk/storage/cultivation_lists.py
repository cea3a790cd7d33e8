"""The cultivation list ("my list" and the filtered pipeline): pages and counts in SQL, by index.

Order: enterprises with a next action planned first, the earliest due first (so overdue ones lead),
then the rest newest first. The two parts are two index walks joined by paging arithmetic, never a
sort of 530,000 rows: the first part is small (actions planned), the second walks ``enterprises``
by rowid and stops at the page.
"""

from __future__ import annotations

from loandesk.core.cultivation import STAGES, EnterpriseFilter

from .store import Store

ROW_SELECT = """
    SELECT e.seq, e.id, e.ref, e.enterprise_name, e.credit_code, e.region_code, e.industry, e.tax_grade,
           e.cultivation_stage AS stage, e.employees, e.annual_revenue, e.total_assets,
           a.officer, (SELECT u.display_name FROM users u WHERE u.username = a.officer) AS officer_name,
           a.next_step, a.next_on, q.score, q.grade AS pre_grade, q.decision AS pre_decision,
           q.eligible, q.size_class, q.reasons AS pre_reasons,
           (SELECT max(v.visited_on) FROM visits v WHERE v.enterprise_seq = e.seq) AS last_visit_on
    FROM enterprises e LEFT JOIN assignments a ON a.enterprise_seq = e.seq
    LEFT JOIN prequalifications q ON q.enterprise_seq = e.seq
"""
JOINS = "LEFT JOIN assignments a ON a.enterprise_seq = e.seq"
PREQUALIFIED = " LEFT JOIN prequalifications q ON q.enterprise_seq = e.seq"  # only when a filter reads it


def filter_sql(where: EnterpriseFilter | None, assignments: bool = False) -> tuple[str, list]:
    """(joins and WHERE for ``FROM enterprises e``, parameters). Each term can use an index; a table is
    joined only when a term reads it (``assignments``: the caller's own terms read ``a``), so counts
    over the whole list stay index-only scans."""
    parts, params = [], []
    f = where or EnterpriseFilter()
    if f.stage:
        parts.append("e.cultivation_stage = ?")
        params.append(f.stage)
    if f.officer is not None:
        if f.officer == "":
            parts.append("a.officer IS NULL")
        else:
            parts.append("a.officer = ?")
            params.append(f.officer)
    if f.region:
        parts.append("e.region_code >= ? AND e.region_code < ?")  # a prefix as a range: the index serves it
        params += [f.region, f.region + ":"]  # ':' sorts just after '9'
    if f.industry:
        parts.append("e.industry = ?")
        params.append(f.industry)
    if f.tax_grade:
        parts.append("e.tax_grade = ?")
        params.append(f.tax_grade)
    if f.size_class:
        parts.append("q.size_class = ?")
        params.append(f.size_class)
    if f.eligible is not None:
        parts.append("q.eligible = ?" if f.eligible else "(q.eligible = ? OR q.eligible IS NULL)")
        params.append(int(f.eligible))
    if f.text and f.text.strip():
        # each arm an index lookup (SQLite unions an OR of indexed terms): ref, code, name prefix
        text = f.text.strip()
        parts.append("(e.ref = ? OR e.credit_code = ? OR (e.enterprise_name >= ? AND e.enterprise_name < ?))")
        params += [text, text.upper(), text, text + "\U0010ffff"]
    if f.due_by:
        parts.append("a.next_on <= ?")
        params.append(f.due_by)
    joins = JOINS if assignments or f.officer is not None or f.due_by else ""
    joins += PREQUALIFIED if f.size_class or f.eligible is not None else ""
    return joins + (" WHERE " + " AND ".join(parts) if parts else ""), params


def _and(sql: str, term: str) -> str:
    return f"{sql} AND {term}" if " WHERE " in sql else f"{sql} WHERE {term}"


def count(store: Store, where: EnterpriseFilter | None = None) -> int:
    if where is None or where.is_empty():
        return store.db.execute("SELECT count(*) FROM enterprises").fetchone()[0]
    sql, params = filter_sql(where)
    return store.db.execute(f"SELECT count(*) FROM enterprises e {sql}", params).fetchone()[0]


def stage_counts(store: Store, where: EnterpriseFilter | None = None) -> dict[str, int]:
    """How many of the filtered enterprises are at each stage (the filter's own stage left out)."""
    f = where or EnterpriseFilter()
    sql, params = filter_sql(EnterpriseFilter(**{**f.__dict__, "stage": None}))
    found = dict(store.db.execute(
        f"SELECT e.cultivation_stage, count(*) FROM enterprises e {sql} GROUP BY e.cultivation_stage", params))
    return {stage: found.get(stage, 0) for stage in STAGES}


def rows(store: Store, where: EnterpriseFilter | None = None, offset: int = 0, limit: int = 200) -> list[dict]:
    """One page: planned actions first (earliest due first), then the rest newest first.

    The page's rowids are chosen first by index walks alone, then only those rows are read with their
    columns (a column such as the last visit is worked out for 200 rows, not for every match)."""
    offset, limit = max(0, int(offset)), max(0, int(limit))
    sql, params = filter_sql(where, assignments=True)
    planned_sql = _and(sql, "a.next_on IS NOT NULL")
    planned = store.db.execute(f"SELECT count(*) FROM enterprises e {planned_sql}", params).fetchone()[0]
    seqs: list[int] = []
    if offset < planned:
        seqs += [r[0] for r in store.db.execute(
            f"SELECT e.seq FROM enterprises e {planned_sql} ORDER BY a.next_on, e.seq LIMIT ? OFFSET ?",
            [*params, limit, offset])]  # fmt: skip
    rest = limit - len(seqs)
    if rest > 0:
        # one officer's list: their assignments' index gives the order (its rowid is the enterprise's)
        order = "a.enterprise_seq" if where is not None and where.officer else "e.seq"
        seqs += [r[0] for r in store.db.execute(
            f"SELECT e.seq FROM enterprises e {_and(sql, 'a.next_on IS NULL')} ORDER BY {order} DESC LIMIT ? OFFSET ?",
            [*params, rest, max(0, offset - planned)])]  # fmt: skip
    if not seqs:
        return []
    found = {r["seq"]: r for r in store.db.query(f"{ROW_SELECT} WHERE e.seq IN ({','.join(map(str, seqs))})")}
    return [found[seq] for seq in seqs]


def my_list(store: Store, officer: str, offset: int = 0, limit: int = 200) -> list[dict]:
    return rows(store, EnterpriseFilter(officer=officer), offset, limit)


def choices(store: Store) -> dict[str, list[str]]:
    """Values the filters offer: officers assigned, regions (cities: 4-digit prefixes), industries, grades."""
    db = store.db
    return {
        "officer": [r[0] for r in db.execute("SELECT DISTINCT officer FROM assignments ORDER BY officer")],
        "region": [r[0] for r in db.execute(
            "SELECT DISTINCT substr(region_code, 1, 4) FROM enterprises WHERE region_code IS NOT NULL ORDER BY 1")],
        "industry": [r[0] for r in db.execute(
            "SELECT DISTINCT industry FROM enterprises WHERE industry IS NOT NULL ORDER BY 1")],
        "tax_grade": [r[0] for r in db.execute(
            "SELECT DISTINCT tax_grade FROM enterprises WHERE tax_grade IS NOT NULL ORDER BY 1")],
    }  # fmt: skip


def scoring_frame_rows(store: Store, where: EnterpriseFilter | None = None):
    """(column names, rows) of the filtered enterprises' scoring inputs, for pre-qualification."""
    from .store import ENTERPRISE_COLUMNS

    sql, params = filter_sql(where)
    cols = [c for c in ENTERPRISE_COLUMNS if c not in ("code_override_reason",)]
    cursor = store.db.execute(f"SELECT e.seq, {', '.join('e.' + c for c in cols)} FROM enterprises e {sql}", params)
    return ["seq", *cols], cursor


def visit_rows(store: Store, start: str | None = None, end: str | None = None) -> tuple[list[str], list[tuple]]:
    """Visits in the period (visit date), for the export: no personal data beyond the officer's name."""
    parts, params = [], []
    if start:
        parts.append("v.visited_on >= ?")
        params.append(start)
    if end:
        parts.append("v.visited_on <= ?")
        params.append(end)
    where = (" WHERE " + " AND ".join(parts)) if parts else ""
    cursor = store.db.execute(
        f"""SELECT e.ref, e.enterprise_name, v.visited_on, v.officer, v.findings, v.need, v.need_amount,
                   v.next_step, v.next_on, (SELECT count(*) FROM visit_photos p WHERE p.visit_id = v.id) AS photos
            FROM visits v JOIN enterprises e ON e.seq = v.enterprise_seq{where} ORDER BY v.visited_on, v.seq""",
        params,
    )
    return [d[0] for d in cursor.description], cursor.fetchall()
