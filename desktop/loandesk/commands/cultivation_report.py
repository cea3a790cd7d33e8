"""First-loan cultivation from the command line: thin faces over storage.cultivation and friends.

``loandesk report cultivation [--xlsx OUT.xlsx] [--from DATE --to DATE] [--json]``
``loandesk stage REF|CODE STAGE --reason TEXT``
``loandesk assign OFFICER (REF|CODE ... | --region R --industry I --stage S --tax-grade G --size C ...)``
``loandesk visit REF|CODE --findings TEXT [--need --amount YUAN] [--date D] [--next-step T --next-date D]
  [--photo FILE ...] [--lat X --lon Y]``
``loandesk my-list [--officer NAME] [--limit N] [--json]``
``loandesk prequalify [filters] [--json]``
Refusals (bad dates, a move the rules forbid, someone else's enterprise) are one line and exit 2.
"""

from __future__ import annotations

import datetime as dt

from loandesk.core.i18n import language, pick

from .common import EXIT_OK, CommandError, output_file, print_json, say, store_for


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(pick(f"{option} must be a date YYYY-MM-DD, got '{text}'",
                                f"{option} 应为日期 YYYY-MM-DD，实际为“{text}”")) from None  # fmt: skip


def _money(text: str | None, option: str) -> int | None:
    from loandesk.core.messages import CATALOGUE
    from loandesk.core.values import ValueProblem, parse_money

    if text is None:
        return None
    try:
        return parse_money(text)
    except ValueProblem as exc:
        en, zh = CATALOGUE[exc.code]
        raise CommandError(pick(f"{option} {en.format(**exc.params)}", f"{option} {zh.format(**exc.params)}")) from None


def _filters(p) -> None:
    p.add_argument("--stage", help="only enterprises at this stage (no_loan, contacted, need_identified, ...)")
    p.add_argument("--region", help="region code or its prefix (33, 3301, 330106)")
    p.add_argument("--industry", help="industry code (RET, IND, ...)")
    p.add_argument("--tax-grade", choices=list("ABMCD"))
    p.add_argument("--size", choices=["micro", "small", "medium", "large"], help="size class (after pre-qualification)")
    p.add_argument("--officer", help="assigned to this account manager")
    p.add_argument("--unassigned", action="store_true", help="only enterprises without an account manager")
    p.add_argument("--eligible", action="store_true", help="only those pre-qualification marked likely eligible")


def _filter_of(args):
    from loandesk.core.cultivation import EnterpriseFilter, parse_stage

    if getattr(args, "unassigned", False) and getattr(args, "officer", None):
        raise CommandError(pick("--unassigned and --officer exclude each other",
                                "--unassigned 与 --officer 不能同时使用"))  # fmt: skip
    region = (args.region or "").strip() or None
    if region and not region.isdigit():
        raise CommandError(pick(f"--region must be digits, got '{region}'", f"--region 应为数字，实际为“{region}”"))
    return EnterpriseFilter(stage=parse_stage(args.stage) if args.stage else None,
                            officer="" if args.unassigned else args.officer, region=region,
                            industry=(args.industry or "").strip().upper() or None, tax_grade=args.tax_grade,
                            size_class=args.size, eligible=True if args.eligible else None)  # fmt: skip


def register(sub) -> None:
    p = sub.add_parser("report", help="reports for head office (cultivation: funnel, 首贷户占比, visits)")
    reports = p.add_subparsers(dest="report", metavar="REPORT", required=True, parser_class=type(p))
    r = reports.add_parser("cultivation", help="the first-loan cultivation figures; --xlsx writes the workbook")
    r.add_argument("--xlsx", metavar="OUT.xlsx", help="write the figures and the underlying rows (masked) here")
    r.add_argument("--from", dest="start", metavar="DATE", help="period start, YYYY-MM-DD")
    r.add_argument("--to", dest="end", metavar="DATE", help="period end, YYYY-MM-DD (inclusive)")
    r.add_argument("--json", action="store_true", help="print the figures as JSON")
    r.set_defaults(handler=report)

    p = sub.add_parser("stage", help="set an enterprise's cultivation stage by hand, with the reason")
    p.add_argument("enterprise", help="enterprise reference (E-...), id or credit code")
    p.add_argument("stage", help="no_loan, contacted, need_identified, first_loan, partner, declined, not_interested "
                   "(or the Chinese name)")
    p.add_argument("--reason", required=True, help="why (kept with the stage event and audited)")
    p.set_defaults(handler=stage)

    p = sub.add_parser("assign", help="assign an account manager to enterprises, by reference or in bulk by filter")
    p.add_argument("officer_name", metavar="OFFICER", help="the account manager's user name (officer role)")
    p.add_argument("enterprises", nargs="*", metavar="REF", help="enterprise references, ids or credit codes")
    _filters(p)
    p.add_argument("--all", action="store_true", help="every enterprise matching the filters (needed without REF "
                   "and without filters)")
    p.set_defaults(handler=assign)

    p = sub.add_parser("visit", help="record a visit by the signed-in officer (stage moves to contacted / need)")
    p.add_argument("enterprise", help="enterprise reference (E-...), id or credit code")
    p.add_argument("--date", help="visit date YYYY-MM-DD (default today)")
    p.add_argument("--findings", required=True, help="what was found on site")
    need = p.add_mutually_exclusive_group()
    need.add_argument("--need", action="store_true", help="the enterprise has a financing need")
    need.add_argument("--no-need", action="store_true", help="no financing need (the default)")
    p.add_argument("--amount", help="the financing need in yuan (e.g. 500000 or 50万)")
    p.add_argument("--next-step", help="the next action")
    p.add_argument("--next-date", help="when the next action is due, YYYY-MM-DD")
    p.add_argument("--photo", action="append", default=[], help="a photo of the premises (repeat; kept encrypted)")
    p.add_argument("--lat", type=float, help="latitude")
    p.add_argument("--lon", type=float, help="longitude")
    p.set_defaults(handler=visit)

    p = sub.add_parser("my-list", help="the signed-in officer's enterprises, next actions due first (overdue first)")
    p.add_argument("--officer", help="another officer's list (admins)")
    p.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    p.add_argument("--json", action="store_true", help="JSON (the default output)")
    p.set_defaults(handler=my_list)

    p = sub.add_parser("prequalify", help="batch-score enterprises with the rule pack in force; mark the likely "
                       "eligible for visits")
    _filters(p)
    p.add_argument("--json", action="store_true", help="JSON summary (the default output)")
    p.set_defaults(handler=prequalify)


def report(args) -> int:
    from loandesk.lists import cultivation_report

    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if start and end and start > end:
        raise CommandError(pick("--from is after --to", "--from 晚于 --to"))
    path = output_file(args.xlsx, suffixes=(".xlsx",), option="--xlsx") if args.xlsx else None
    with store_for(args, "export" if path else "search") as store:
        s, e = (start.isoformat() if start else None), (end.isoformat() if end else None)
        if path:
            data = cultivation_report.write_xlsx(store, path, s, e, language())
            say(pick(f"wrote {path}", f"已写出 {path}"))
        else:
            data = cultivation_report.figures(store, s, e)
    if args.json or not path:
        print_json(data)
    return EXIT_OK


def stage(args) -> int:
    from loandesk.core.cultivation import stage_name
    from loandesk.storage import cultivation

    with store_for(args, "move_stage") as store:
        event = cultivation.set_stage(store, args.enterprise, args.stage, args.reason)
    say(pick(f"{event['ref']}: {stage_name(event['from_stage'], 'en')} -> {stage_name(event['to_stage'], 'en')}",
             f"{event['ref']}：{stage_name(event['from_stage'], 'zh')} → {stage_name(event['to_stage'], 'zh')}"))
    print_json({k: event[k] for k in ("ref", "from_stage", "to_stage", "on_date", "user", "reason", "source")})
    return EXIT_OK


def assign(args) -> int:
    from loandesk.storage import cultivation

    where = _filter_of(args)
    if args.enterprises and not where.is_empty():
        raise CommandError(pick("give enterprise references or filters, not both",
                                "请给出企业编号或筛选条件，不能同时给出"))  # fmt: skip
    if not args.enterprises and where.is_empty() and not args.all:
        raise CommandError(pick("no enterprises chosen: give references, filters, or --all",
                                "未选择企业：请给出企业编号、筛选条件或 --all"))  # fmt: skip
    with store_for(args, "assign") as store:
        if args.enterprises:
            n = cultivation.assign(store, args.officer_name, keys=args.enterprises)
        else:
            n = cultivation.assign(store, args.officer_name, where=where)
    say(pick(f"{n} enterprises assigned to {args.officer_name}", f"已将 {n} 家企业分配给 {args.officer_name}"))
    print_json({"officer": args.officer_name, "assigned": n})
    return EXIT_OK


def visit(args) -> int:
    from loandesk.core import clock
    from loandesk.core.cultivation import stage_name
    from loandesk.storage import cultivation

    amount = _money(args.amount, "--amount")
    record = cultivation.Visit(enterprise=args.enterprise, visited_on=_date(args.date, "--date") or clock.today(),
                               findings=args.findings, need=bool(args.need), need_amount=amount,
                               next_step=args.next_step, next_on=_date(args.next_date, "--next-date"),
                               photos=tuple(args.photo), lat=args.lat, lon=args.lon)  # fmt: skip
    with store_for(args, "visit") as store:
        saved = cultivation.record_visit(store, record)
    say(pick(f"{saved['ref']}: visit recorded ({saved['photos']} photos); stage {stage_name(saved['stage'], 'en')}",
             f"{saved['ref']}：已登记走访（照片 {saved['photos']} 张）；阶段：{stage_name(saved['stage'], 'zh')}"))
    print_json({k: saved[k] for k in ("ref", "id", "visited_on", "officer", "need", "need_amount", "next_step",
                                      "next_on", "stage", "photos")})  # fmt: skip
    return EXIT_OK


def my_list(args) -> int:
    from loandesk.core import clock
    from loandesk.storage import cultivation_lists

    with store_for(args, "search") as store:
        officer = args.officer or store.actor.username
        if args.officer and args.officer not in (store.actor.username, store.actor.display_name):
            store.actor.require("assign")  # someone else's list: the people who hand lists out
        rows = cultivation_lists.my_list(store, officer, 0, max(1, args.limit))
    today = clock.today().isoformat()
    keys = ("ref", "enterprise_name", "credit_code", "stage", "next_step", "next_on", "last_visit_on", "score",
            "eligible")  # fmt: skip
    print_json([{**{k: r[k] for k in keys}, "overdue": bool(r["next_on"] and r["next_on"] < today)} for r in rows])
    return EXIT_OK


def prequalify(args) -> int:
    from loandesk.scoring.prequalify import prequalify as run

    where = _filter_of(args)
    with store_for(args, "prequalify") as store:
        result = run(store, where, lang=language())
    say(pick(f"{result['scored']} scored with {result['pack']}; {result['eligible']} likely eligible",
             f"已用 {result['pack']} 评分 {result['scored']} 家；{result['eligible']} 家可能符合条件"))
    print_json(result)
    return EXIT_OK
