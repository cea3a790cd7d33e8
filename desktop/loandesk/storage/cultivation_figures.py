"""The cultivation dashboard's figures, aggregated in SQL (lists/cultivation_report.py shapes them).

Definitions (the same in the app, the command line and the Excel export):
- listed: enterprises on the list (no loan history), listed in the period (``listed_on`` when the list
  import recorded it, else the day the enterprise was added to this store);
- contacted: of those, any stage move off 无贷户, any visit, or credit granted;
- need: a visit found a financing need, a move to 有融资需求 or beyond, or credit granted;
- visited: at least one visit recorded; granted: at least one approved application; amount: the sum
  of approved limits (yuan);
- 首贷户占比 by month: among enterprises whose first approved loan falls in the month (new loan
  customers), those with no earlier loan history (first-loan customers), by officer and branch too;
- time to first loan: days from listing to the first move to 首贷户.
Periods: the funnel and time to first loan by listing date; visits by visit date; shares by the
approval date. ``None`` for an open end.
"""

from __future__ import annotations

from .cultivation import columns
from .store import Store

LADDER_ON = "('need_identified', 'first_loan', 'partner')"


def shown(column: str) -> str:
    """An account manager as people know them: the user's display name (assignments and visits keep the
    user name; applications the name as typed or shown), else the name itself."""
    return f"coalesce((SELECT u.display_name FROM users u WHERE u.username = {column} AND u.display_name <> ''), " \
           f"{column})"
BUCKETS = ((30, "0-30"), (90, "31-90"), (180, "91-180"), (365, "181-365"))


def listing_date(store: Store) -> str:
    if "listed_on" in columns(store.db, "enterprises"):
        return "COALESCE(e.listed_on, substr(e.created_at, 1, 10))"
    return "substr(e.created_at, 1, 10)"


def _period(expr: str, start: str | None, end: str | None) -> tuple[str, list]:
    parts, params = [], []
    if expr == "substr(e.created_at, 1, 10)":
        expr = "e.created_at"  # compared as stored (ISO text sorts as time), so the index serves the period
        end = end and end + "~"  # '~' sorts after any time on the end day
    if start:
        parts.append(f"{expr} >= ?")
        params.append(start)
    if end:
        parts.append(f"{expr} <= ?")
        params.append(end)
    return (" AND " + " AND ".join(parts)) if parts else "", params


ACTIVITY = f"""
    WITH act(seq, contacted, need, visited, granted, amount) AS (
        SELECT enterprise_seq, max(to_stage <> 'no_loan'), max(to_stage IN {LADDER_ON}), 0, 0, 0
            FROM stage_events GROUP BY enterprise_seq
        UNION ALL
        SELECT enterprise_seq, 1, max(need), 1, 0, 0 FROM visits GROUP BY enterprise_seq
        UNION ALL
        SELECT e.seq, 1, 1, 0, 1, sum(ap.limit_amount)
            FROM approvals ap JOIN applications a ON a.id = ap.application_id
            JOIN enterprises e ON e.id = a.enterprise_id WHERE ap.outcome = 'approve' GROUP BY e.seq
    ), per AS (
        SELECT seq, max(contacted) AS contacted, max(need) AS need, max(visited) AS visited,
               max(granted) AS granted, sum(amount) AS amount FROM act GROUP BY seq
    )"""


def funnel(store: Store, start: str | None = None, end: str | None = None) -> dict:
    when, params = _period(listing_date(store), start, end)
    listed = store.db.execute(
        f"SELECT count(*) FROM enterprises e WHERE coalesce(e.has_loan_history, 0) = 0{when}", params).fetchone()[0]
    row = store.db.execute(
        f"""{ACTIVITY}
        SELECT coalesce(sum(p.contacted), 0), coalesce(sum(p.need), 0), coalesce(sum(p.visited), 0),
               coalesce(sum(p.granted), 0), coalesce(sum(p.amount), 0)
        FROM per p JOIN enterprises e ON e.seq = p.seq WHERE coalesce(e.has_loan_history, 0) = 0{when}""",
        params,
    ).fetchone()
    return dict(zip(("listed", "contacted", "need", "visited", "granted", "amount"), (listed, *row), strict=True))


def activity_rows(store: Store, start: str | None = None, end: str | None = None):
    """(columns, rows) of every listed enterprise past "listed", for the export's underlying rows."""
    when, params = _period(listing_date(store), start, end)
    sql = f"""{ACTIVITY}
        SELECT e.ref, e.enterprise_name, e.credit_code, e.region_code, e.industry, e.tax_grade,
               e.cultivation_stage, {listing_date(store)} AS listed_on, {shown("asg.officer")} AS officer,
               p.contacted, p.need,
               p.visited, p.granted, p.amount, pr.name AS legal_rep_name, pr.phone AS legal_rep_phone
        FROM per p JOIN enterprises e ON e.seq = p.seq LEFT JOIN assignments asg ON asg.enterprise_seq = e.seq
        LEFT JOIN persons pr ON pr.id = e.legal_rep_person_id
        WHERE coalesce(e.has_loan_history, 0) = 0{when} ORDER BY e.seq"""
    cursor = store.db.execute(sql, params)
    return [d[0] for d in cursor.description], cursor


def _first_loans(start: str | None, end: str | None) -> tuple[str, list]:
    # SQLite's bare columns with min(): each enterprise's first approved loan row, its officer included.
    when, params = _period("substr(first_at, 1, 10)", start, end)
    return f"""
        WITH first AS (
            SELECT a.enterprise_id, min(ap.decided_at) AS first_at, a.officer AS app_officer
            FROM approvals ap JOIN applications a ON a.id = ap.application_id
            WHERE ap.outcome = 'approve' GROUP BY a.enterprise_id
        ), new AS (
            SELECT f.first_at, {shown("coalesce(asg.officer, f.app_officer, '')")} AS officer,
                   substr(e.ref, instr(e.ref, '-') + 1,
                          instr(substr(e.ref, instr(e.ref, '-') + 1), '-') - 1) AS branch,
                   coalesce(e.has_loan_history, 0) = 0 AS first_loan
            FROM first f JOIN enterprises e ON e.id = f.enterprise_id
            LEFT JOIN assignments asg ON asg.enterprise_seq = e.seq
            WHERE 1{when}
        )""", params


def first_loan_share(store: Store, by: str, start: str | None = None, end: str | None = None) -> list[dict]:
    """[{key, new_customers, first_loan}] by "month", "officer" or "branch"."""
    key = {"month": "substr(first_at, 1, 7)", "officer": "officer", "branch": "branch"}[by]
    cte, params = _first_loans(start, end)
    sql = f"{cte} SELECT {key} AS key, count(*), sum(first_loan) FROM new GROUP BY 1 ORDER BY 1"
    return [{"key": k, "new_customers": n, "first_loan": f} for k, n, f in store.db.execute(sql, params)]


def visits_per_officer(store: Store, start: str | None = None, end: str | None = None) -> list[dict]:
    when, params = _period("visited_on", start, end)
    # counted per user name by its index first, then named (one lookup per officer, not per visit)
    sql = f"""SELECT {shown("officer")}, n, d, w FROM (
                  SELECT officer, count(*) AS n, count(DISTINCT enterprise_seq) AS d, sum(need) AS w FROM visits
                  WHERE 1{when} GROUP BY officer) ORDER BY 2 DESC, 1"""
    return [{"officer": o, "visits": n, "enterprises": d, "with_need": w}
            for o, n, d, w in store.db.execute(sql, params)]  # fmt: skip


def time_to_first_loan(store: Store, start: str | None = None, end: str | None = None) -> dict:
    """Days from listing to the first move to 首贷户: count, median, and a distribution in buckets, in one
    query (window functions number the days once; the median is the middle one or two)."""
    when, params = _period(listing_date(store), start, end)
    buckets = [f"sum(days > {low} AND days <= {high})" for low, high in
               zip((-1e9, *(b[0] for b in BUCKETS[:-1])), (b[0] for b in BUCKETS), strict=True)]  # fmt: skip
    row = store.db.execute(f"""
        WITH d AS (
            SELECT julianday(min(s.on_date)) - julianday({listing_date(store)}) AS days
            FROM stage_events s JOIN enterprises e ON e.seq = s.enterprise_seq
            WHERE s.to_stage = 'first_loan'{when} GROUP BY s.enterprise_seq
        ), r AS (SELECT days, row_number() OVER (ORDER BY days) AS i, count(*) OVER () AS n FROM d)
        SELECT count(*), avg(days) FILTER (WHERE i IN ((n + 1) / 2, (n + 2) / 2)), {", ".join(buckets)},
               sum(days > {BUCKETS[-1][0]}) FROM r""", params).fetchone()  # fmt: skip
    labels = [label for _limit, label in BUCKETS] + [">365"]
    return {"count": row[0], "median_days": row[1],
            "distribution": [{"days": b, "count": c or 0} for b, c in zip(labels, row[2:], strict=True)]}
