"""init, demo, list: filling and reading a data home."""

from __future__ import annotations

from contextlib import contextmanager

from loandesk.core.i18n import pick

from .common import EXIT_OK, CommandError, checked_home, one_line, print_json, quiet_sqlcipher, say, store_for


def register(sub) -> None:
    p = sub.add_parser("init", help="create a data home and its first admin, or upgrade a home from before users")
    p.add_argument("--branch", help="branch code used in reference numbers, e.g. HZ01")
    p.add_argument("--admin", metavar="NAME", help="the first admin's user name (password from LOANDESK_PASSWORD "
                   "or typed twice); on a home from before users, wraps its key for this admin")
    p.add_argument("--display-name", default="", help="the admin's name as printed on records, e.g. 王管理")
    p.set_defaults(handler=init)

    p = sub.add_parser("demo", help="fill the data home with realistic demo enterprises and applications; a new "
                       "home gets the users admin, approver, officer and teller (password demo)")
    p.add_argument("--count", type=int, default=60, help="number of enterprises (default 60)")
    p.add_argument("--seed", type=int, default=20261122)
    p.set_defaults(handler=demo)

    p = sub.add_parser("list", help="print stored enterprises or applications")
    p.add_argument("what", choices=["applications", "enterprises"])
    p.add_argument("--json", action="store_true", help="a JSON list of objects (the default output)")
    p.add_argument("--unmasked", action="store_true", help="show personal data in full (needs that permission; "
                   "audited)")
    p.add_argument("--search", default="", help="only records matching this text")
    p.add_argument("--limit", type=int, default=0, help="at most this many records (0: all)")
    p.set_defaults(handler=list_records)


def init(args) -> int:
    from loandesk.core.ids import valid_branch
    from loandesk.security import session as sessions

    if args.branch and not valid_branch(args.branch):
        raise CommandError(
            pick("branch code must be 2-8 capital letters or digits", "网点代码应为 2-8 位大写字母或数字")
        )
    home = checked_home(args)
    state = sessions.home_state(home)
    if state in ("new", "legacy"):
        if not args.admin:
            raise CommandError(pick(f"{home} has no users yet: give its first admin (loandesk init --admin NAME)",
                                    f"{home} 尚无用户：请指定首位管理员（loandesk init --admin 用户名）"))  # fmt: skip
        with _first_admin(home, state, args) as session:
            _set_branch(session.store, args.branch)
            _ready(session.store)
            if state == "legacy":
                say(pick(f"upgraded {home}: its key is now wrapped for {args.admin}; store.key removed",
                         f"已升级 {home}：密钥已由 {args.admin} 的密码保护，store.key 已删除"))  # fmt: skip
        return EXIT_OK
    if args.admin:
        raise CommandError(pick(f"{home} already has users: add more with loandesk users add",
                                f"{home} 已有用户：如需添加，请使用 loandesk users add"))  # fmt: skip
    with store_for(args, "change_settings" if args.branch else None) as store:
        _set_branch(store, args.branch)
        _ready(store)
    return EXIT_OK


@contextmanager
def _first_admin(home, state: str, args):
    from loandesk.security import session as sessions
    from loandesk.security.keyring import KeyringError
    from loandesk.storage.users import UserError

    from .auth import password

    secret = password(f"new password for {args.admin}", f"{args.admin} 的新密码", twice=True)
    quiet_sqlcipher()
    try:
        if state == "new":
            session = sessions.create_home(home, args.admin, secret, args.display_name, branch=args.branch)
        else:
            session = sessions.upgrade_home(home, args.admin, secret, args.display_name)
    except (KeyringError, UserError) as exc:
        raise CommandError(one_line(exc)) from None
    try:
        yield session
    finally:
        session.close()


def _set_branch(store, branch: str | None) -> None:
    current = store.setting("branch")
    if branch and branch != current:
        # A home made without a branch (e.g. by the GUI: BR01) takes one until it issues a reference.
        if store.db.execute("SELECT count(*) FROM counters").fetchone()[0]:
            raise CommandError(pick(
                f"{store.home} already issues references for branch {current}; use a new data home",
                f"{store.home} 已按网点 {current} 编号，不能更改；请使用新的数据目录"))  # fmt: skip
        with store.db.atomic():
            store.set_setting("branch", branch)
            store.audit("setting_changed", "branch", {"value": branch})


def _ready(store) -> None:
    say(pick(f"data home ready: {store.home} (branch {store.setting('branch')})",
             f"数据目录已就绪：{store.home}（网点 {store.setting('branch')}）"))  # fmt: skip


def demo(args) -> int:
    from loandesk.security import session as sessions

    if args.count < 1:
        raise CommandError(pick("--count must be at least 1", "--count 至少为 1"))
    home = checked_home(args)
    if sessions.home_state(home) == "new":
        with _demo_home(home) as session:
            _fill(session.store, args)
        return EXIT_OK
    with store_for(args, "change_settings") as store:  # a home with users: only an admin adds demo data
        _fill(store, args)
    return EXIT_OK


@contextmanager
def _demo_home(home):
    """A new home with one user per role (password ``demo``), said on stderr."""
    from loandesk.demo import DEMO_PASSWORD, DEMO_USERS
    from loandesk.security import session as sessions

    quiet_sqlcipher()
    (admin, _, admin_name), *others = DEMO_USERS
    session = sessions.create_home(home, admin, DEMO_PASSWORD, admin_name, branch="HZ01")
    try:
        for username, role, shown in others:
            sessions.add_user(session, username, role, DEMO_PASSWORD, shown)
        names = ", ".join(f"{u} ({r}, {n})" for u, r, n in DEMO_USERS)
        say(pick(f"demo users, each with the password {DEMO_PASSWORD}: {names}",
                 f"演示用户（密码均为 {DEMO_PASSWORD}）：{names}"))  # fmt: skip
        yield session
    finally:
        session.close()


def _fill(store, args) -> None:
    from loandesk.core.permissions import SYSTEM
    from loandesk.demo import populate

    signed_in = store.actor
    store.actor = SYSTEM  # the generator plays the demo officer and approver, whose names it records
    try:
        ids = populate(store, args.count, args.seed, lifecycle=True)
    finally:
        store.actor = signed_in
    with store.db.atomic():
        store.audit("demo_data_added", None, {"applications": len(ids)})
    say(pick(f"added {len(ids)} demo enterprises and applications to {store.home}",
             f"已向 {store.home} 添加 {len(ids)} 家演示企业及申请"))  # fmt: skip


def list_records(args) -> int:
    from loandesk.core.models import masked

    limit = args.limit if args.limit > 0 else 10_000_000
    with store_for(args, "unmask" if args.unmasked else "search") as store:
        if args.what == "enterprises":
            records = [enterprise_json(r) for r in store.enterprise_rows(args.search, "ref", False, 0, limit)]
        else:
            rows = store.application_rows(args.search, "ref", False, 0, limit)
            records = [application_json(store.application_record(r["id"]), r) for r in rows]
        if args.unmasked:  # who saw what, when: the references shown, never the data itself
            with store.db.atomic():
                store.audit("unmasked", args.what, {"count": len(records), "search": bool(args.search),
                                                    "refs": [r["ref"] for r in records[:50]]})  # fmt: skip
    if not args.unmasked:
        records = [masked(r) for r in records]
    print_json(records)
    return EXIT_OK


def enterprise_json(row: dict) -> dict:
    from loandesk.core.sizing import classify

    out = {k: row[k] for k in ("ref", "id", "enterprise_name", "credit_code", "entity_type", "industry",
                               "region_code", "registered_on", "employees", "annual_revenue", "total_assets",
                               "tax_grade", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m",
                               "social_insurance_headcount", "abnormal_operation", "dishonest_debtor",
                               "has_loan_history", "legal_rep_name", "legal_rep_id", "legal_rep_phone",
                               "cultivation_stage", "created_at", "updated_at")}  # fmt: skip
    for flag in ("abnormal_operation", "dishonest_debtor", "has_loan_history"):
        if out[flag] is not None:
            out[flag] = bool(out[flag])
    size = classify(row["industry"], row["employees"], row["annual_revenue"], row["total_assets"]) if row[
        "industry"] else None  # fmt: skip
    out["size_class"] = size.value if size else None
    return out


def application_json(record: dict, row: dict | None = None) -> dict:
    """An application record, with the decision in effect from its list ``row`` (the approver's, a
    confirmed override's or the model's: ``core.decisions.in_effect``) and who decided it."""
    for flag in ("abnormal_operation", "dishonest_debtor", "has_loan_history"):
        if record.get(flag) is not None:
            record[flag] = bool(record[flag])
    if row is not None:
        record.update(decision=row.get("decision"), limit=row.get("decision_limit"),
                      model_decision=row.get("model_decision"), pending_override=row.get("pending_override"),
                      decided_by=row.get("decided_by"), decided_on=row.get("decided_on"),
                      head_office=bool(row.get("head_office_decision")))  # fmt: skip
    return record
