"""init, demo, list: filling and reading a data home."""

from __future__ import annotations

from loandesk.core.i18n import pick

from .common import EXIT_OK, CommandError, print_json, say, store_for


def register(sub) -> None:
    p = sub.add_parser("init", help="create a data home (branch code, device id, encrypted store)")
    p.add_argument("--branch", help="branch code used in reference numbers, e.g. HZ01")
    p.add_argument("--admin", help="reserved for user accounts (roadmap); accepted and ignored now")
    p.set_defaults(handler=init)

    p = sub.add_parser("demo", help="fill the data home with realistic demo enterprises and applications")
    p.add_argument("--count", type=int, default=60, help="number of enterprises (default 60)")
    p.add_argument("--seed", type=int, default=20261122)
    p.set_defaults(handler=demo)

    p = sub.add_parser("list", help="print stored enterprises or applications")
    p.add_argument("what", choices=["applications", "enterprises"])
    p.add_argument("--json", action="store_true", help="a JSON list of objects (the default output)")
    p.add_argument("--unmasked", action="store_true", help="show personal data in full (audited later)")
    p.add_argument("--search", default="", help="only records matching this text")
    p.add_argument("--limit", type=int, default=0, help="at most this many records (0: all)")
    p.set_defaults(handler=list_records)


def init(args) -> int:
    from loandesk.core.ids import valid_branch

    if args.branch and not valid_branch(args.branch):
        raise CommandError(
            pick("branch code must be 2-8 capital letters or digits", "网点代码应为 2-8 位大写字母或数字")
        )
    with store_for(args) as store:
        current = store.setting("branch")
        if args.branch and args.branch != current:
            # A home made without a branch (e.g. by the GUI: BR01) takes one until it issues a reference.
            if store.db.execute("SELECT count(*) FROM counters").fetchone()[0]:
                raise CommandError(pick(
                    f"{store.home} already issues references for branch {current}; use a new data home",
                    f"{store.home} 已按网点 {current} 编号，不能更改；请使用新的数据目录"))  # fmt: skip
            with store.db.atomic():
                store.set_setting("branch", args.branch)
        say(pick(f"data home ready: {store.home} (branch {store.setting('branch')})",
                 f"数据目录已就绪：{store.home}（网点 {store.setting('branch')}）"))  # fmt: skip
    return EXIT_OK


def demo(args) -> int:
    from loandesk.demo import populate

    if args.count < 1:
        raise CommandError(pick("--count must be at least 1", "--count 至少为 1"))
    args.branch = getattr(args, "branch", None) or "HZ01"
    with store_for(args) as store:
        ids = populate(store, args.count, args.seed, lifecycle=True)
        say(pick(f"added {len(ids)} demo enterprises and applications to {store.home}",
                 f"已向 {store.home} 添加 {len(ids)} 家演示企业及申请"))  # fmt: skip
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


def list_records(args) -> int:
    from loandesk.core.models import masked

    limit = args.limit if args.limit > 0 else 10_000_000
    with store_for(args) as store:
        if args.what == "enterprises":
            records = [enterprise_json(r) for r in store.enterprise_rows(args.search, "ref", False, 0, limit)]
        else:
            rows = store.application_rows(args.search, "ref", False, 0, limit)
            records = [application_json(store.application_record(r["id"]), r) for r in rows]
    if not args.unmasked:
        records = [masked(r) for r in records]
    print_json(records)
    return EXIT_OK


def application_json(record: dict, row: dict | None = None) -> dict:
    """An application record, with the decision in effect from its list ``row`` (the approver's, a
    confirmed override's or the model's: ``core.decisions.in_effect``) and who decided it."""
    for flag in ("abnormal_operation", "dishonest_debtor", "has_loan_history"):
        if record.get(flag) is not None:
            record[flag] = bool(record[flag])
    if row is not None:
        record.update(decision=row.get("decision"), limit=row.get("decision_limit"),
                      model_decision=row.get("model_decision"), pending_override=row.get("pending_override"),
                      decided_by=row.get("decided_by"), decided_on=row.get("decided_on"))  # fmt: skip
    return record
