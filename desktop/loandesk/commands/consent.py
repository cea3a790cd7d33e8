"""consent record|list|revoke: the applicant's authorisation to query tax and credit data (issue 8).

``loandesk consent record REF --given-by NAME --scope tax,credit [--given-on DATE] [--expires DATE]
[--evidence FILE]``; ``loandesk consent list [REF] [--json] [--unmasked]``; ``loandesk consent revoke REF``.
Scoring (``decide``, the score panel, memos, ``rescore``) refuses an application without a consent
valid on the day of scoring. Every record, revocation and unmasked listing is audited.
"""

from __future__ import annotations

from loandesk.core.i18n import language, pick

from .common import EXIT_OK, CommandError, print_json, say, store_for


def register(sub) -> None:
    p = sub.add_parser("consent", help="record, list or revoke an applicant's consent to query tax and credit data",
                       description="Scoring with tax or credit data needs the applicant's recorded authorisation: "
                       "who gave it, when, for what (tax data, the credit report or both) and until when (one year "
                       "after it was given unless --expires says otherwise).")  # fmt: skip
    acts = p.add_subparsers(dest="consent_action", metavar="ACTION", required=True, parser_class=type(p))
    rec = acts.add_parser("record", help="record a consent for an application")
    rec.add_argument("application", help="application reference (A-...) or id")
    rec.add_argument("--given-by", required=True, help="who gave it: the legal representative or the person they "
                     "authorised")  # fmt: skip
    rec.add_argument("--scope", required=True, help="tax, credit or tax,credit (涉税信息 / 征信报告)")
    rec.add_argument("--given-on", metavar="YYYY-MM-DD", help="the day it was signed (default: today)")
    rec.add_argument("--expires", metavar="YYYY-MM-DD", help="when it expires (default: a year after --given-on)")
    rec.add_argument("--evidence", metavar="FILE", help="the signed form (scan or photo), kept encrypted")
    rec.set_defaults(handler=record)
    ls = acts.add_parser("list", help="list consents (givers' names masked unless --unmasked)")
    ls.add_argument("application", nargs="?", help="only this application's")
    ls.add_argument("--json", action="store_true", help="a JSON list of objects")
    ls.add_argument("--unmasked", action="store_true", help="show givers' names in full (needs that permission; "
                    "audited)")  # fmt: skip
    ls.set_defaults(handler=list_consents)
    rv = acts.add_parser("revoke", help="revoke an application's consent (the applicant withdrew it)")
    rv.add_argument("application", help="application reference (A-...) or id")
    rv.set_defaults(handler=revoke)


def _application(store, key: str):
    app = store.application(key)
    if app is None:
        raise CommandError(pick(f"no application {key}", f"没有申请 {key}"))
    return app


def record(args) -> int:
    from pathlib import Path

    from loandesk.core import clock
    from loandesk.core.validation import ValidationFailed
    from loandesk.storage import consents

    evidence = Path(args.evidence) if args.evidence else None
    if evidence is not None and not evidence.is_file():  # checked before anything is written
        raise CommandError(pick(f"--evidence {evidence}: no such file", f"--evidence {evidence}：文件不存在"))
    with store_for(args, "record_consent") as store:
        app = _application(store, args.application)
        try:
            consent = consents.record(store, app.id, given_by=args.given_by,
                                      given_on=args.given_on or clock.today().isoformat(), scope=args.scope,
                                      expires_on=args.expires, evidence=evidence)  # fmt: skip
        except ValidationFailed as exc:
            raise CommandError(_options(exc)) from None
    shown = consent.summary(language())
    say(pick(f"{app.ref}: consent given by {shown['given_by']} on {shown['given_on']} for {shown['scope_text']}, "
             f"valid until {shown['expires_on']}",
             f"{app.ref}：已记录授权，授权人 {shown['given_by']}，授权日期 {shown['given_on']}，"
             f"范围 {shown['scope_text']}，{shown['expires_on']} 到期"))  # fmt: skip
    print_json({"application": app.ref, **shown})
    return EXIT_OK


_OPTION = {"consent_given_by": "--given-by", "consent_date": "--given-on", "consent_scopes": "--scope",
           "consent_expires": "--expires"}  # fmt: skip


def _options(exc) -> str:
    """Each bad value named by its option, on one line."""
    lang = language()
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{_OPTION.get(f.field, f.field)} {f.message(lang)}" for f in exc.findings)


def list_consents(args) -> int:
    from loandesk.core import clock
    from loandesk.storage import consents

    with store_for(args, "unmask" if args.unmasked else "search") as store:
        app_id = _application(store, args.application).id if args.application else None
        rows = consents.listing(store, app_id)
        if args.unmasked:  # who saw what, when: the references shown, never the names themselves
            with store.db.atomic():
                store.audit("unmasked", "consents", {"count": len(rows), "refs": sorted({r for r, _c in rows})[:50]})
    today = clock.today()
    records = []
    for ref, c in rows:
        status = "revoked" if c.revoked_on else "valid" if c.valid_on(today) else \
            "expired" if today >= c.expires_on else "not_yet"  # fmt: skip
        records.append({"application": ref, **c.summary(language(), unmasked=args.unmasked), "status": status})
    if args.json:
        print_json(records)
        return EXIT_OK
    words = {"valid": ("valid", "有效"), "revoked": ("revoked", "已撤销"), "expired": ("expired", "已过期"),
             "not_yet": ("not yet in force", "尚未生效")}  # fmt: skip
    for r in records:
        print(f"{r['application']}  {r['given_by']}  {r['given_on']} → {r['expires_on']}  {r['scope_text']}  "
              f"{pick(*words[r['status']])}" + (f" ({r['revoked_on']}, {r['revoked_by']})" if r["revoked_on"] else ""))
    if not records:
        say(pick("no consents on record", "没有授权记录"))
    return EXIT_OK


def revoke(args) -> int:
    from loandesk.storage import consents

    with store_for(args, "revoke_consent") as store:
        app = _application(store, args.application)
        done = consents.revoke(store, app.id)  # ConsentRefused when there is none: exit 2, one line
    say(pick(f"{app.ref}: {len(done)} consent(s) revoked on {done[0].revoked_on}; the application cannot be scored "
             "until a new consent is recorded",
             f"{app.ref}：已于 {done[0].revoked_on} 撤销 {len(done)} 项授权；在记录新的授权前不能评分"))  # fmt: skip
    print_json([{"application": app.ref, **c.summary(language())} for c in done])
    return EXIT_OK
