"""sync: enrol this data home with the head-office hub and push what was saved here."""

from __future__ import annotations

from loandesk.core.i18n import pick

from .common import EXIT_FAILED, EXIT_OK, CommandError, print_json, say, store_for


def register(sub) -> None:
    p = sub.add_parser("sync", help="enrol with the head-office hub (once) and send it what was saved here")
    p.add_argument("--hub", help="the hub's address, e.g. https://hub.example:8800 (remembered after enrolment)")
    p.add_argument("--enroll", metavar="CODE", help="the one-time enrolment code head office gave you")
    p.add_argument("--cafile", help="certificate (PEM) the hub's TLS certificate is checked against")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(handler=sync)


def sync(args) -> int:
    from loandesk.sync import client

    verify = args.cafile or True
    if args.hub and not args.hub.lower().startswith(("http://", "https://")):
        raise CommandError(pick(f"--hub {args.hub!r}: give the hub's address as http://HOST:PORT or https://…",
                                f"--hub “{args.hub}”：中心地址应为 http://主机:端口 或 https://…"))  # fmt: skip
    with store_for(args, "enrol_device" if args.enroll else "sync") as store:
        try:
            if args.enroll:
                if not args.hub:
                    raise CommandError(pick("--enroll needs --hub URL", "--enroll 需要 --hub 地址"))
                answer = client.enroll(store, args.hub, args.enroll, verify=verify)
                say(pick(f"enrolled as device {answer.device_id} of branch {answer.branch}",
                         f"已注册为网点 {answer.branch} 的设备 {answer.device_id}"))  # fmt: skip
            report = client.push(store, args.hub, verify=verify)
        except client.SyncError as exc:
            raise CommandError(pick(f"sync failed: {exc.message('en')}", f"同步失败：{exc.message('zh')}")) from None
        outcome = {"hub": args.hub or store.setting("hub_url"), "device": store.setting("hub_device_id"),
                   "branch": store.setting("hub_branch"), "applied": report.applied, "duplicate": report.duplicate,
                   "rejected": report.rejected, "attachments": report.attachments,
                   "unsent": store.unsynced_count(), "quarantined": len(client.quarantined(store))}  # fmt: skip
    if args.json:
        print_json(outcome)
    else:
        say(pick(f"sent {report.applied} changes ({report.duplicate} already on the hub, {len(report.rejected)} "
                 f"refused); {outcome['unsent']} not sent",
                 f"已发送 {report.applied} 项变更（{report.duplicate} 项中心已有，{len(report.rejected)} 项被拒）；"
                 f"未发送 {outcome['unsent']} 项"))  # fmt: skip
        for item in report.rejected:
            say(f"  {item['op_id']}: {item['reason']}")
    return EXIT_FAILED if report.rejected else EXIT_OK  # sent what it could; some were refused and set aside
