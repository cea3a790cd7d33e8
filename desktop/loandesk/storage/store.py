"""The local store: one encrypted SQLite file per data home, and the repositories over it.

Every save is one transaction that also appends to the outbox, so a crash or
kill leaves the data exactly as it was after the last completed save, and sync
(roadmap) will push exactly what was saved.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from loandesk.core import clock, ids
from loandesk.core.models import Application, Enterprise
from loandesk.core.permissions import SYSTEM, Actor

from . import list_indexes, migrations, search
from .connection import DB_FILE, Database, connect
from .keys import FileKeyProvider, KeyProvider

ENTERPRISE_COLUMNS = (
    "enterprise_name", "credit_code", "entity_type", "industry", "region_code", "registered_on",
    "employees", "annual_revenue", "total_assets", "tax_grade", "tax_paid_12m", "tax_paid_24m",
    "invoice_sales_12m", "social_insurance_headcount", "abnormal_operation", "dishonest_debtor",
    "has_loan_history", "code_override_reason",
)  # fmt: skip
APPLICATION_COLUMNS = (
    "requested_amount", "term_months", "purpose", "guarantee_mode", "product", "consent_given",
    "consent_date", "consent_scope", "site_notes", "officer",
)  # fmt: skip
BOOL_COLUMNS = ("abnormal_operation", "dishonest_debtor", "has_loan_history", "consent_given")
_ENTERPRISE_COLUMNS = "e.*, p.name AS legal_rep_name, p.id_number AS legal_rep_id, p.phone AS legal_rep_phone"
_PERSON_JOIN = "LEFT JOIN persons p ON p.id = e.legal_rep_person_id"
# For list pages: persons_listing (m006) covers the columns a row shows, so each row costs one page read
# for its legal representative instead of two (the id index, then the table); without statistics the
# planner would not choose it.
_PERSON_JOIN_LISTED = "LEFT JOIN persons p INDEXED BY persons_listing ON p.id = e.legal_rep_person_id"
_ENTERPRISE_SELECT = f"""
    SELECT {_ENTERPRISE_COLUMNS}
    FROM enterprises e {_PERSON_JOIN}
"""
_APPLICATION_SELECT = """
    SELECT a.*, e.ref AS enterprise_ref, e.enterprise_name, e.credit_code, p.name AS legal_rep_name,
           COALESCE(hd.decision, ap.outcome, o.to_decision, d.decision) AS decision,
           CASE WHEN hd.id IS NOT NULL THEN hd.limit_amount
                WHEN ap.id IS NOT NULL THEN ap.limit_amount
                WHEN COALESCE(o.to_decision, d.decision) = 'decline' THEN NULL
                WHEN o.id IS NOT NULL AND o.to_limit IS NULL AND d.decision = 'decline' THEN NULL
                ELSE COALESCE(o.to_limit, d.limit_amount) END AS decision_limit,
           d.decision AS model_decision, o.id AS override_id, ap.id AS approval_id,
           COALESCE(hd.decided_by, ap.approver) AS decided_by,
           substr(COALESCE(hd.decided_at, ap.decided_at), 1, 10) AS decided_on, hd.id AS head_office_decision,
           (SELECT to_decision FROM overrides WHERE decision_id = d.id AND status = 'pending'
            LIMIT 1) AS pending_override
    FROM applications a CROSS JOIN enterprises e ON e.id = a.enterprise_id
    LEFT JOIN persons p ON p.id = e.legal_rep_person_id
    LEFT JOIN decisions d ON d.application_id = a.id AND d.is_current = 1
    LEFT JOIN overrides o ON o.id = (SELECT id FROM overrides WHERE decision_id = d.id AND status = 'confirmed'
                                     ORDER BY decided_at DESC LIMIT 1)
    LEFT JOIN approvals ap ON ap.decision_id = d.id AND ap.set_aside_at IS NULL
    LEFT JOIN hub_decisions hd ON hd.id = (SELECT id FROM hub_decisions WHERE application_id = a.id
                                           ORDER BY decided_at DESC, cursor DESC LIMIT 1)
"""  # the decision in effect (core.decisions.in_effect): head office's (pulled by sync), else the approver's,
# else a confirmed override (maker-checker), else the model's. CROSS JOIN: applications are walked first
# (a few thousand), never the 530,000 enterprises by an enterprise column.
# Names sort by pinyin (张 after 李, 重庆 under C: core.pinyin), not by code point: by a key (PINYIN_KEY, the
# order of COLLATE PINYIN) that m017 indexes (storage.list_indexes), so a page walks the index.
ENTERPRISE_SORTS = {
    "ref": "e.seq", "enterprise_name": "PINYIN_KEY(e.enterprise_name)", "credit_code": "e.credit_code",
    "industry": "e.industry", "tax_grade": "e.tax_grade", "legal_rep_name": "PINYIN_NAME_KEY(p.name)",
    "annual_revenue": "e.annual_revenue", "updated_at": "e.updated_at", "registered_on": "e.registered_on",
}  # fmt: skip
_REP_KEY = ENTERPRISE_SORTS["legal_rep_name"]
APPLICATION_SORTS = {
    "ref": "a.seq", "enterprise_name": "PINYIN_KEY(e.enterprise_name)", "requested_amount": "a.requested_amount",
    "term_months": "a.term_months", "stage": "a.stage", "updated_at": "a.updated_at", "product": "a.product",
    "legal_rep_name": "PINYIN_NAME_KEY(p.name)", "credit_code": "e.credit_code", "decision": "decision",
    "decision_limit": "decision_limit",
}  # fmt: skip


@dataclass
class _Matches:
    """The rowids of enterprises matching one query, newest first (see ``Store._matches``)."""

    key: tuple
    rowids: list[int] = field(default_factory=list)  # the newest matches, newest first
    complete: bool = False  # ``rowids`` holds every match
    total: int | None = None  # every match's count, once they are in temp.search_matches
    counted: tuple[int, int] | None = None  # (cap, matches counted up to that cap)


def now() -> str:
    return clock.now().isoformat(timespec="milliseconds")


class Store:
    def __init__(self, db: Database, home: Path, key: bytes | None = None):
        self.db = db
        self.home = home
        # The key the store was opened with, in memory only: attachments derive theirs from it.
        self.key = key
        # Who is working: the signed-in user (security.session.sign_in sets it); the system actor for
        # a store opened directly with its key (see core.permissions.SYSTEM).
        self.actor: Actor = SYSTEM
        self._search_generation = 0  # bumped whenever this store writes the search index
        self._match_cache: _Matches | None = None
        self._match_table_holds: _Matches | None = None  # whose matches temp.search_matches holds
        listed = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'persons_listing'")
        self._person_join = _PERSON_JOIN_LISTED if listed.fetchone() else _PERSON_JOIN
        self._list_select = f"SELECT {_ENTERPRISE_COLUMNS} FROM enterprises e {self._person_join}"
        # m017's index on the legal representatives' pinyin key (absent in a store held at an older schema)
        self._rep_index = bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND "
                                          "name = 'persons_name_pinyin'").fetchone())  # fmt: skip
        # A store held at an older schema (migration tests stop before m011) has no consent records to keep
        # and no approvals set aside.
        self.has_m011 = bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'consents'")
                             .fetchone())  # fmt: skip

    # ---- lifecycle -------------------------------------------------------------------------
    @classmethod
    def open(cls, home: Path, keys: KeyProvider | None = None, *, branch: str | None = None) -> Store:
        home = Path(home)
        if not home.exists():
            home.mkdir(parents=True, exist_ok=True, mode=0o700)
            home.chmod(0o700)  # mkdir's mode is cut by the umask; make sure
        elif not any(home.iterdir()):
            home.chmod(0o700)  # created empty just now (paths.data_home): a new home, made private
        # An existing home with files in it keeps the folder's permissions; the files are tightened.
        key_hex = (keys or FileKeyProvider(home)).key_hex()
        db = connect(home / DB_FILE, key_hex)
        migrations.apply(db)
        list_indexes.keep_current(db)
        store = cls(db, home, bytes.fromhex(key_hex))
        if store.setting("device") is None or store.setting("branch") is None:
            with db.atomic():  # the write lock first: two processes opening a new home agree on one device code
                if store.setting("device") is None:
                    store.set_setting("device", ids.new_device_code())
                if store.setting("branch") is None:
                    store.set_setting("branch", branch or "BR01")
        return store

    def close(self) -> None:
        self.db.close()

    def audit(self, action: str, target: str | None = None, details: dict | None = None) -> None:
        """Append to the audit trail as the signed-in user (who, what, when). Details carry references
        and counts, never personal data."""
        from . import audit

        audit.append(self.db, user=self.actor.username, device=self.actor.device or self.setting("device") or "",
                     action=action, target=target, details=details)  # fmt: skip

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def next_ref(self, kind: str) -> str:
        """Reserve the next reference number; call inside the saving transaction."""
        row = self.db.execute(
            """INSERT INTO counters(kind, next) VALUES (?, 2)
               ON CONFLICT(kind) DO UPDATE SET next = next + 1 RETURNING next - 1""",
            (kind,),
        ).fetchone()
        return ids.make_ref(kind, self.setting("branch"), self.setting("device"), row[0])

    def _outbox(self, entity: str, entity_id: str, op: str, payload: dict) -> None:
        self.db.execute(
            "INSERT INTO outbox(op_id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (ids.new_id(), entity, entity_id, op, json.dumps(payload, ensure_ascii=False), now()),
        )

    def _update(self, table: str, record_id: str, values: dict) -> None:
        assignments = ", ".join(f"{col} = ?" for col in values)
        self.db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*values.values(), record_id))

    def unsynced_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM outbox WHERE pushed_at IS NULL").fetchone()[0]

    # ---- duplicates ------------------------------------------------------------------------
    def find_duplicates(
        self, credit_code: str | None, legal_rep_id: str | None, exclude_enterprise_id: str | None = None
    ) -> list[dict]:
        """Enterprises already on file with the same credit code or legal representative ID."""
        found: dict[str, dict] = {}
        if credit_code:
            for row in self.db.query(
                "SELECT id, ref, enterprise_name, credit_code FROM enterprises WHERE credit_code = ?",
                [credit_code],
            ):
                found[row["id"]] = {**row, "match": "credit_code"}
        if legal_rep_id:
            for row in self.db.query(
                """SELECT e.id, e.ref, e.enterprise_name, e.credit_code FROM enterprises e
                   JOIN persons p ON p.id = e.legal_rep_person_id WHERE p.id_number = ?""",
                [legal_rep_id],
            ):
                found.setdefault(row["id"], {**row, "match": "legal_rep_id"})
        found.pop(exclude_enterprise_id, None)
        return list(found.values())

    # ---- saving ----------------------------------------------------------------------------
    def save_intake(
        self,
        values: dict,
        *,
        enterprise_id: str | None = None,
        application_id: str | None = None,
        draft_key: str | None = None,
    ) -> tuple[Enterprise, Application]:
        """Save a validated intake (see ``core.intake``) as one transaction.

        ``enterprise_id``: update that enterprise (e.g. the officer chose the duplicate on file)
        instead of creating one. ``application_id``: update that application. ``draft_key``:
        the draft this save supersedes, deleted in the same transaction.
        """
        self.actor.require("capture")
        stamp = now()
        with self.db.atomic():
            if application_id and not enterprise_id:
                enterprise_id = self.db.execute(
                    "SELECT enterprise_id FROM applications WHERE id = ?", (application_id,)
                ).fetchone()[0]
            edited = application_id is not None and self._differs(application_id, values)
            ent = self._save_enterprise(values, enterprise_id, stamp)
            app_id = application_id or ids.new_id()
            app_values = {c: values.get(c) for c in APPLICATION_COLUMNS}
            app_values["consent_given"] = int(bool(app_values["consent_given"]))
            if application_id:
                self._update("applications", app_id, {**app_values, "updated_at": stamp})
                op = "update"
            else:
                self.db["applications"].insert(
                    {
                        "id": app_id,
                        "ref": self.next_ref("application"),
                        "enterprise_id": ent["id"],
                        **app_values,
                        "stage": "submitted",
                        "created_at": stamp,
                        "updated_at": stamp,
                    },
                    pk="id",
                )
                op = "insert"
            self._outbox("application", app_id, op, {"enterprise_id": ent["id"], **app_values})
            from . import approvals, consents  # they import this module: imported when used

            if self.has_m011:
                consents.from_intake(self, app_id, values)  # the form's consent, recorded with the save
            if edited and self.has_m011:  # changed after the approver decided: the decision no longer stands (issue 7)
                approvals.set_aside(self, app_id, "edited")
            if draft_key:
                self.db.execute("DELETE FROM drafts WHERE key = ?", (draft_key,))
        return self.enterprise(ent["id"]), self.application(app_id)

    def _differs(self, application_id: str, values: dict) -> bool:
        """Whether saving ``values`` changes the stored application or its enterprise."""
        before = self.application_record(application_id) or {}
        # The consent is not among them: a new consent is its own record and changes no figure decided on.
        compared = [c for c in APPLICATION_COLUMNS if not c.startswith("consent_")]
        for col in (*ENTERPRISE_COLUMNS, *compared, "legal_rep_name", "legal_rep_id", "legal_rep_phone"):
            old, new = before.get(col), values.get(col)
            if col in BOOL_COLUMNS:
                old, new = (None if old is None else bool(old)), (None if new is None else bool(new))
            if (old or None) != (new or None) and old != new:
                return True
        return False

    def _save_enterprise(self, values: dict, enterprise_id: str | None, stamp: str) -> dict:
        person_id = None
        if enterprise_id:
            row = self.db.execute(
                "SELECT seq, legal_rep_person_id FROM enterprises WHERE id = ?", (enterprise_id,)
            ).fetchone()
            seq, person_id = row
        person = {
            "name": values.get("legal_rep_name"),
            "id_number": values.get("legal_rep_id"),
            "phone": values.get("legal_rep_phone"),
        }
        if person["name"]:
            if person_id:
                self.db["persons"].update(person_id, {**person, "updated_at": stamp})
            else:
                person_id = ids.new_id()
                self.db["persons"].insert(
                    {"id": person_id, **person, "created_at": stamp, "updated_at": stamp}, pk="id"
                )
        ent_values = {c: values.get(c) for c in ENTERPRISE_COLUMNS}
        for col in BOOL_COLUMNS:
            if col in ent_values and ent_values[col] is not None:
                ent_values[col] = int(bool(ent_values[col]))
        if ent_values.get("has_loan_history"):
            ent_values["cultivation_stage"] = "first_loan"
        if enterprise_id:
            changes = {**ent_values, "legal_rep_person_id": person_id, "updated_at": stamp}
            self._update("enterprises", enterprise_id, changes)
            ent_id, op = enterprise_id, "update"
        else:
            ent_id, op = ids.new_id(), "insert"
            seq = self.db["enterprises"].insert(
                {
                    "id": ent_id,
                    "ref": self.next_ref("enterprise"),
                    **ent_values,
                    "legal_rep_person_id": person_id,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            ).last_pk
        self._search_generation += 1
        search.index(
            self.db, seq, ent_values["enterprise_name"], person["name"], ent_values["credit_code"], person["phone"],
            person["id_number"],
        )
        self._outbox("enterprise", ent_id, op, {**ent_values, **{f"legal_rep_{k}": v for k, v in person.items()}})
        return {"id": ent_id, "seq": seq}

    def import_enterprises(self, records: Iterable[dict], batch: int = 20_000) -> int:
        """Bulk insert validated enterprise records (demo data, tests) in one transaction; regulator
        lists go through ``storage.enterprise_import.import_validated`` (update by credit code, report)."""
        from .enterprise_import import insert_records

        return insert_records(self, records, ENTERPRISE_COLUMNS, BOOL_COLUMNS, batch)

    def _import_batch(self, records: list[dict], stamp: str) -> int:
        """One batch of ``import_enterprises`` inside the caller's transaction (tests kill a writer here)."""
        from .enterprise_import import insert_batch

        return insert_batch(self, records, stamp, ENTERPRISE_COLUMNS, BOOL_COLUMNS)

    def set_application_stage(self, application_id: str, stage: str) -> None:
        with self.db.atomic():
            self._update("applications", application_id, {"stage": stage, "updated_at": now()})
            self._outbox("application", application_id, "stage", {"stage": stage})

    # ---- reading ---------------------------------------------------------------------------
    @staticmethod
    def _enterprise_from(row: dict) -> Enterprise:
        data = {k: row.get(k) for k in Enterprise.__dataclass_fields__}
        for col in BOOL_COLUMNS:
            if col in data and data[col] is not None:
                data[col] = bool(data[col])
        return Enterprise(**data)

    def enterprise(self, key: str) -> Enterprise | None:
        rows = list(self.db.query(_ENTERPRISE_SELECT + " WHERE e.id = ? OR e.ref = ?", [key, key]))
        return self._enterprise_from(rows[0]) if rows else None

    def application(self, key: str) -> Application | None:
        rows = list(self.db.query("SELECT * FROM applications WHERE id = ? OR ref = ?", [key, key]))
        if not rows:
            return None
        data = {k: rows[0].get(k) for k in Application.__dataclass_fields__}
        data["consent_given"] = bool(data["consent_given"])
        return Application(**data)

    def application_record(self, key: str) -> dict | None:
        """An application merged with its enterprise, in the data dictionary's names."""
        app = self.application(key)
        if app is None:
            return None
        ent = self.enterprise(app.enterprise_id)
        record = {**asdict(ent), **asdict(app)}
        record.update(id=app.id, ref=app.ref, enterprise_ref=ent.ref, size_class=ent.size_class)
        record["created_at"], record["updated_at"] = app.created_at, app.updated_at
        if self.has_m011:  # the consent on record (the newest valid one), as the intake form shows it
            from . import consents

            consent = consents.latest(self, app.id)
            record.update(consent_given=bool(consent and consent.revoked_on is None))
            if consent is not None:
                record.update(consent_given_by=consent.given_by, consent_date=consent.given_on.isoformat(),
                              consent_scopes=consent.scope_code, consent_expires=consent.expires_on.isoformat())
        return record

    # ---- lists: search, sort, page --------------------------------------------------------
    # A search matches a set of enterprises; a list page sorts ALL of them, then pages. The newest
    # matches come straight from the index (newest first, stopping early): enough for the capped count
    # and pages by reference. Any other order needs every match: they go into a temp table (in memory,
    # temp_store=MEMORY) that SQL joins, sorts and pages. Both are kept for the last query until the
    # search index may have changed (a save through this store, or a commit by another connection).
    def _matches(self, query: str) -> _Matches:
        key = (" ".join(query.split()), self._search_generation, self._data_version())
        if self._match_cache is None or self._match_cache.key != key:
            self._match_cache = _Matches(key)
        return self._match_cache

    def _data_version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def _newest_matches(self, query: str, need: int) -> _Matches:
        """At least ``need`` matches newest first in ``rowids`` (fewer only when that is all of them)."""
        found = self._matches(query)
        if not found.complete and len(found.rowids) < need:
            limit = max(need, 2 * len(found.rowids), 256)
            found.rowids = search.find_rowids(self.db, query, limit=limit)
            found.complete = len(found.rowids) < limit
        return found

    def _all_matches(self, query: str) -> _Matches:
        """Every match in ``temp.search_matches``, and their number in ``total``."""
        found = self._matches(query)
        if self._match_table_holds is not found:
            self._match_table_holds = None
            with self.db.atomic(immediate=False):  # temp tables only: no write lock on the store
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS search_matches (rowid INTEGER PRIMARY KEY)")
                self.db.execute("DELETE FROM temp.search_matches")
                if found.complete:
                    self.db.conn.executemany(
                        "INSERT INTO temp.search_matches(rowid) VALUES (?)", ((r,) for r in reversed(found.rowids))
                    )
                else:
                    sql, params = search.matching(query) or ("SELECT NULL WHERE 0", ())
                    self.db.execute(f"INSERT OR IGNORE INTO temp.search_matches(rowid) {sql}", params)
            found.total = self.db.execute("SELECT count(*) FROM temp.search_matches").fetchone()[0]
            self._match_table_holds = found
        return found

    def enterprise_rows(
        self, query: str = "", order_by: str = "ref", descending: bool = True, offset: int = 0, limit: int = 200
    ) -> list[dict]:
        """One page of the enterprise list: every match of ``query`` sorted by ``order_by`` (ties by
        reference in the same direction), then ``limit`` rows from ``offset``."""
        offset, limit = max(0, int(offset)), max(0, int(limit))
        column = ENTERPRISE_SORTS.get(order_by, "e.seq")
        direction = "DESC" if descending else "ASC"
        if not query.strip():
            return self._enterprise_page(column, direction, offset, limit, None)
        if column == "e.seq":
            found = self._newest_matches(query, offset + limit)
            if descending or found.complete:  # a page by reference is a slice of the newest matches
                rowids = found.rowids
                if descending:
                    page = rowids[offset : offset + limit]
                else:
                    end = max(len(rowids) - offset, 0)
                    page = rowids[max(end - limit, 0) : end]
                if not page:
                    return []
                ids = ",".join(str(int(r)) for r in page)
                sql = f"{self._list_select} WHERE e.seq IN ({ids}) ORDER BY e.seq {direction}"
                return list(self.db.query(sql))
        found = self._all_matches(query)
        if not found.total:
            return []
        return self._enterprise_page(column, direction, offset, limit, found)

    def _enterprise_page(
        self, column: str, direction: str, offset: int, limit: int, found: _Matches | None
    ) -> list[dict]:
        """Sort in SQL, then page. Two plans: walk the sort column's index keeping matching rows (the
        whole list, or many matches), or sort the matches themselves (few): whichever reads fewer rows."""
        keep = ""
        if found is not None:
            max_seq = self.db.execute("SELECT max(seq) FROM enterprises").fetchone()[0] or 0
            if found.total**2 <= (offset + limit) * max_seq or column == "e.seq":
                order = "m.rowid" if column == "e.seq" else column  # the temp table is in rowid order
                sql = f"""
                    SELECT {_ENTERPRISE_COLUMNS} FROM temp.search_matches m CROSS JOIN enterprises e ON e.seq = m.rowid
                    {self._person_join}
                    ORDER BY {order} {direction}, e.seq {direction} LIMIT ? OFFSET ?"""
                return list(self.db.query(sql, [limit, offset]))
            keep = " AND +e.seq IN (SELECT rowid FROM temp.search_matches)"  # unary +: a filter; the index sorts
        if column == _REP_KEY and self._rep_index:
            # A LEFT JOIN is walked enterprise-first, where the persons' name index cannot give the order: walk
            # persons by name key (index (key, id), m017) to the enterprises (index on legal_rep_person_id), and
            # merge in the enterprises that have no legal representative (their "name" is legal_rep_person_id,
            # NULL there: a column fixed by IS NULL, so that index gives the arm's order without a sort).
            # Both arms read indexes only; the page's rows are fetched after LIMIT/OFFSET.
            sql = f"""
                WITH page(seq, name) AS (
                    SELECT e.seq, {_REP_KEY} FROM persons p INDEXED BY persons_name_pinyin
                        CROSS JOIN enterprises e ON e.legal_rep_person_id = p.id WHERE 1{keep}
                    UNION ALL
                    SELECT e.seq, e.legal_rep_person_id FROM enterprises e WHERE e.legal_rep_person_id IS NULL{keep}
                    ORDER BY 2 {direction}, 1 {direction} LIMIT ? OFFSET ?)
                SELECT {_ENTERPRISE_COLUMNS} FROM page CROSS JOIN enterprises e ON e.seq = page.seq
                {self._person_join} ORDER BY page.name {direction}, page.seq {direction}"""
        else:
            order = f"ORDER BY {column} {direction}, e.seq {direction}"
            sql = f"{self._list_select} WHERE 1{keep} {order} LIMIT ? OFFSET ?"
        return list(self.db.query(sql, [limit, offset]))

    def count_enterprises(self, query: str = "", cap: int = 10_000) -> int:
        """Enterprises on file, or matching ``query`` (at most ``cap``: the list shows "10,000+").

        Per keystroke the list asks for this count and the first page: the newest matches (which the
        page needs anyway) settle the count when they are all of them; otherwise SQLite counts up to
        ``cap`` itself."""
        if not query.strip():
            return self.db.execute("SELECT count(*) FROM enterprises").fetchone()[0]
        found = self._newest_matches(query, 1)
        if found.complete:
            return min(len(found.rowids), cap)
        if found.total is not None:
            return min(found.total, cap)
        if found.counted is not None:
            asked, counted = found.counted
            if counted < asked or asked >= cap:  # exact, or counted at least as far as asked now
                return min(counted, cap)
        counted = search.count(self.db, query, cap)
        found.counted = (cap, counted)
        return counted

    def _application_filter(self, query: str) -> tuple[str, list]:
        query = query.strip()
        if not query:
            return "", []
        parts, params = [], []
        if self._all_matches(query).total:
            parts.append("+e.seq IN (SELECT rowid FROM temp.search_matches)")  # a filter, never a loop
        if query.startswith("A-"):
            parts.append("a.ref = ?")
            params.append(query)
        return " WHERE " + (" OR ".join(parts) or "0"), params

    def application_rows(
        self, query: str = "", order_by: str = "ref", descending: bool = True, offset: int = 0, limit: int = 200
    ) -> list[dict]:
        """One page of the application list: every match sorted by ``order_by``, then paged."""
        offset, limit = max(0, int(offset)), max(0, int(limit))
        where, params = self._application_filter(query)
        direction = "DESC" if descending else "ASC"
        order = f"{APPLICATION_SORTS.get(order_by, 'a.seq')} {direction}, a.seq {direction}"
        sql = f"{_APPLICATION_SELECT}{where} ORDER BY {order} LIMIT ? OFFSET ?"
        return list(self.db.query(sql, [*params, limit, offset]))

    def count_applications(self, query: str = "") -> int:
        if not query.strip():
            return self.db.execute("SELECT count(*) FROM applications").fetchone()[0]
        where, params = self._application_filter(query)
        sql = f"SELECT count(*) FROM applications a CROSS JOIN enterprises e ON e.id = a.enterprise_id{where}"
        return self.db.execute(sql, params).fetchone()[0]

    def latest_application_id(self, enterprise_id: str) -> str | None:
        """The enterprise's newest application (the GUI opens it from the enterprise list)."""
        row = self.db.execute(
            "SELECT id FROM applications WHERE enterprise_id = ? ORDER BY seq DESC LIMIT 1", (enterprise_id,)
        ).fetchone()
        return row[0] if row else None

    def all_application_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM applications ORDER BY seq")]

    # ---- drafts ----------------------------------------------------------------------------
    def save_draft(self, key: str, payload: dict) -> None:
        with self.db.atomic():
            self.db.execute(
                """INSERT INTO drafts(key, payload, updated_at) VALUES (?, ?, ?)
                   ON CONFLICT(key) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at""",
                (key, json.dumps(payload, ensure_ascii=False), now()),
            )

    def drafts(self) -> list[dict]:
        return [
            {"key": r["key"], "payload": json.loads(r["payload"]), "updated_at": r["updated_at"]}
            for r in self.db.query("SELECT * FROM drafts ORDER BY updated_at DESC")
        ]

    def delete_draft(self, key: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM drafts WHERE key = ?", (key,))


def open_store(home: Path, branch: str | None = None) -> Store:
    return Store.open(home, branch=branch)
