"""approve: the approver's decision on a scored application, and the approved memo it puts on file.

``loandesk approve REF --approve --limit YUAN [--term MONTHS] [--rate PCT] [--condition TEXT ...]
--approver NAME`` or ``loandesk approve REF --decline --reason TEXT --approver NAME``; ``--out FILE.pdf``
also writes the approved memo. A decision the rules refuse (limit above the product's maximum,
approving a knock-out, a decline without a reason, the approver being the officer, ...) exits 2 with
one line saying why, and nothing is stored.
"""

from __future__ import annotations

from loandesk.core.decisions import decision_word
from loandesk.core.i18n import language, pick

from .common import EXIT_OK, CommandError, output_file, print_json, say, store_for


def register(sub) -> None:
    p = sub.add_parser(
        "approve",
        help="the approver's decision on a scored application: approve with a limit and conditions, or decline "
        "with a reason (the approved memo is issued with it)",
        description="Records the approver's decision on the application's current scoring decision, sets the "
        "application's status (approved / declined) and issues the approved memo, all or nothing. The approver "
        "must not be the officer who scored the application, wrote it or asked for an override (maker-checker).",
    )
    p.add_argument("application", help="application reference (A-...) or id")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--approve", action="store_true", help="approve (needs --limit)")
    what.add_argument("--decline", action="store_true", help="decline (needs --reason)")
    p.add_argument("--limit", help="the limit granted, in yuan (e.g. 200000 or 20万)")
    p.add_argument("--term", type=int, metavar="MONTHS", help="term in months (default: the scoring's)")
    p.add_argument("--rate", type=float, metavar="PCT", help="annual rate in %% (default: the scoring's)")
    p.add_argument("--condition", action="append", default=[], help="a condition of the credit (repeat for more)")
    p.add_argument("--conditions", help="conditions, one per line")
    p.add_argument("--reason", help="why (required for --decline)")
    p.add_argument("--approver", help="the approver (default and only choice: the signed-in user)")
    p.add_argument("--out", help="also write the approved memo to this PDF file")
    p.add_argument("--lang", dest="memo_lang", choices=["zh", "en"], help="memo language (default: --lang or zh)")
    p.set_defaults(handler=approve)


def _limit(text: str | None) -> int | None:
    from loandesk.core.messages import CATALOGUE
    from loandesk.core.values import ValueProblem, parse_money

    if text is None:
        return None
    try:
        return parse_money(text)
    except ValueProblem as exc:
        en, zh = CATALOGUE[exc.code]
        raise CommandError(pick("--limit " + en.format(**exc.params), "--limit " + zh.format(**exc.params))) from None


def approve(args) -> int:
    from loandesk.approvals import service
    from loandesk.core.decisions import ApprovalRefused
    from loandesk.memo.fonts import FontMissing
    from loandesk.memo.service import MemoError, memo_pdf
    from loandesk.memo.template import TemplateError

    from .memos import _write

    outcome = "approve" if args.approve else "decline"
    if args.decline and (args.limit or args.term or args.rate is not None or args.condition or args.conditions):
        raise CommandError(pick("--decline takes a --reason, not a limit, term, rate or conditions",
                                "--decline 只需 --reason，不能同时给出额度、期限、利率或条件"))  # fmt: skip
    conditions = list(args.condition) + [c for c in (args.conditions or "").splitlines() if c.strip()]
    lang = args.memo_lang or language()
    # checked before anything is recorded: a decision must not be stored and then fail to be written
    path = output_file(args.out, suffixes=(".pdf",), option="--out") if args.out else None
    with store_for(args, "approve") as store:
        try:
            approval, memo = service.decide(store, args.application, outcome, args.approver,
                                            limit=_limit(args.limit), term_months=args.term, rate=args.rate,
                                            conditions=conditions, reason=args.reason, lang=lang)  # fmt: skip
        except ApprovalRefused as exc:
            raise CommandError(exc.message(language())) from None
        except (MemoError, FontMissing, TemplateError) as exc:
            raise CommandError(pick(f"nothing recorded: the memo cannot be made: {exc}",
                                    f"未记录：无法生成报告：{exc}")) from None  # fmt: skip
        ref = store.application(approval["application_id"]).ref
        if path:
            _write(path, memo_pdf(store, memo["id"]))
            with store.db.atomic():
                store.audit("exported", memo["memo_no"], {"version": memo["version"], "lang": memo["lang"]})
    word = decision_word(outcome, language())
    if outcome == "approve":
        say(pick(f"{ref}: approved by {approval['approver']}, limit {approval['limit_amount']:,} yuan for "
                 f"{approval['term_months']} months; memo {memo['memo_no']} issued",
                 f"{ref}：{approval['approver']}审批{word}，额度 {approval['limit_amount']:,} 元，期限 "
                 f"{approval['term_months']} 个月；已签发报告 {memo['memo_no']}"))  # fmt: skip
    else:
        say(pick(f"{ref}: declined by {approval['approver']}; memo {memo['memo_no']} issued",
                 f"{ref}：{approval['approver']}审批{word}；已签发报告 {memo['memo_no']}"))  # fmt: skip
    print_json({"application": ref, "decision": outcome, "limit": approval["limit_amount"],
                "term_months": approval["term_months"], "rate": approval["rate"],
                "conditions": approval["conditions"], "reason": approval["reason"],
                "decided_by": approval["approver"], "decided_on": approval["decided_at"][:10],
                "approval_id": approval["id"],
                "memo": {"memo_no": memo["memo_no"], "version": memo["version"], "status": memo["status"],
                         "lang": memo["lang"], "file": str(path) if path else None}})  # fmt: skip
    return EXIT_OK
