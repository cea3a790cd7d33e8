"""sync, conflicts, quarantine: two-way sync with the head-office hub, the conflict inbox and the
operations the hub refused. Thin faces over ``loandesk.sync``."""

from __future__ import annotations

import json

from loandesk.core.i18n import pick

from .common import EXIT_FAILED, EXIT_OK, CommandError, output_file, print_json, say, store_for


def register(sub) -> None:
    p = sub.add_parser("sync", help="enrol with the head-office hub (once), send what was saved here, receive "
                                    "head office's decisions, rule packs and other devices' changes")
    p.add_argument("--hub", help="the hub's address, e.g. https://hub.example:8800 (remembered after enrolment)")
    p.add_argument("--enroll", metavar="CODE", help="the one-time enrolment code head office gave you")
    p.add_argument("--cafile", help="certificate (PEM) the hub's TLS certificate is checked against")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(handler=sync)

    p = sub.add_parser("conflicts", help="the conflict inbox: a field changed here and elsewhere")
    p.add_argument("action", nargs="?", choices=["list", "resolve"], default="list")
    p.add_argument("id", nargs="?", help="resolve: the conflict's id (or its first characters)")
    p.add_argument("--keep", choices=["local", "remote"], help="resolve: keep this device's value or the hub's")
    p.add_argument("--value", help="resolve: keep this value instead")
    p.add_argument("--all", action="store_true", help="list resolved ones too")
    p.add_argument("--unmasked", action="store_true", help="show personal data in full")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=conflicts)

    p = sub.add_parser("quarantine", help="operations the hub refused: list, send again, export")
    p.add_argument("action", choices=["list", "retry", "export"])
    p.add_argument("target", nargs="?", help="retry: the operation id (or its first characters); export: FILE")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help="retry: change a field before sending again (an edit is a new operation)")
    p.add_argument("--json", action="store_true", help="list: print as JSON")
    p.set_defaults(handler=quarantine)


def _lang_pair(exc) -> str:
    return pick(exc.message("en"), exc.message("zh"))


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
            report = client.sync(store, args.hub, verify=verify)
        except client.SyncError as exc:
            raise CommandError(pick(f"sync failed: {exc.message('en')}", f"同步失败：{exc.message('zh')}")) from None
        from loandesk.storage import sync_state, uploads

        pushed, pulled = report.push, report.pull
        held = sync_state.quarantined(store)
        open_conflicts = sync_state.conflicts(store)
        outcome = {"hub": args.hub or store.setting("hub_url"), "device": store.setting("hub_device_id"),
                   "branch": store.setting("hub_branch"), "pushed": pushed.applied + pushed.duplicate,
                   "applied": pushed.applied, "duplicate": pushed.duplicate, "rejected": pushed.rejected,
                   "attachments": pushed.attachments, "files": pushed.files,
                   "files_waiting": uploads.waiting(store), "unreadable_files": pushed.unreadable_files,
                   "pulled": pulled.changes, "merged": pulled.records,
                   "decisions": pulled.decisions, "conflicts": len(open_conflicts),
                   "new_conflicts": pulled.conflicts_new,
                   "rule_packs": {"waiting": pulled.packs_waiting, "installed": pulled.packs_installed,
                                  "refused": pulled.packs_refused},
                   "audit": report.audit, "unsent": client.unsent(store), "quarantined": len(held),
                   "quarantine": [{k: q[k] for k in ("op_id", "entity", "entity_id", "code", "reason",
                                                     "quarantined_at")} for q in held],
                   "last_sync": store.setting(sync_state.LAST_SYNC)}  # fmt: skip
    if args.json:
        print_json(outcome)
    else:
        say(pick(f"pushed {pushed.applied} changes ({pushed.duplicate} already on the hub), pulled {pulled.changes} "
                 f"({pulled.decisions} decisions), {len(pushed.rejected)} rejected, {len(open_conflicts)} conflicts "
                 f"to resolve; {outcome['unsent']} not sent, {outcome['files_waiting']} files still to send",
                 f"已发送 {pushed.applied} 项变更（{pushed.duplicate} 项中心已有），已接收 {pulled.changes} 项"
                 f"（{pulled.decisions} 项总行决定），{len(pushed.rejected)} 项被拒，"
                 f"{len(open_conflicts)} 个冲突待处理；"
                 f"未发送 {outcome['unsent']} 项，{outcome['files_waiting']} 个文件待发送"))  # fmt: skip
        for item in pushed.rejected:
            say(f"  {item['op_id']}: {item['reason']}")
        for item in pushed.unreadable_files:
            say(pick(f"  not sent: {item['reason']}", f"  未发送：{item['reason_zh']}"))
        for pack in pulled.packs_refused:
            name = f"{pack.get('pack_id')} {pack.get('version') or ''}"
            say(pick(f"  rule pack {name} refused: {pack['reason']}",
                     f"  规则包 {name} 被拒收：{pack.get('reason_zh') or pack['reason']}"))
        if report.audit.get("refused"):
            say(pick(f"  the hub refused the audit trail: {report.audit['refused']}",
                     f"  总行中心拒收审计记录：{report.audit['refused']}"))  # fmt: skip
    # 0 only when everything was sent (and the hub took the audit trail); refused items wait in quarantine
    all_sent = (outcome["unsent"] == 0 and outcome["files_waiting"] == 0 and not pushed.rejected
                and not report.audit.get("refused"))
    return EXIT_OK if all_sent else EXIT_FAILED


def _shown(value, field: str, unmasked: bool):
    from loandesk.core.models import masked

    return value if unmasked else masked({field: value})[field]


def conflicts(args) -> int:
    from loandesk.sync import merge

    with store_for(args, "unmask" if args.unmasked else "search") as store:
        if args.action == "resolve":
            if not args.id or (args.keep is None) == (args.value is None):
                raise CommandError(pick("conflicts resolve ID needs --keep local|remote or --value VALUE",
                                        "conflicts resolve 编号 需要 --keep local|remote 或 --value 取值"))  # fmt: skip
            try:
                done = merge.resolve_conflict(store, args.id, args.keep or "value", args.value)
            except merge.ConflictError as exc:
                raise CommandError(_lang_pair(exc)) from None
            if args.json:
                print_json(done)
            else:
                say(pick(f"conflict {done['id']} resolved: kept the {done['kept']} value of {done['field']}; "
                         "it goes to the hub with the next sync",
                         f"冲突 {done['id']} 已处理：{done['field']} 保留{_kept_zh(done['kept'])}；"
                         "下次同步时发送至总行中心"))
            return EXIT_OK
        found = merge.list_conflicts(store, open_only=not args.all)
        if args.unmasked and any(c["field"].startswith("legal_rep_") for c in found):
            with store.db.atomic():  # who saw what, when: the references shown, never the data itself
                store.audit("unmasked", "conflicts", {"refs": sorted({c["ref"] or c["entity_id"] for c in found
                                                                      if c["field"].startswith("legal_rep_")})})
        for c in found:
            c["local_value"] = _shown(c["local_value"], c["field"], args.unmasked)
            c["remote_value"] = _shown(c["remote_value"], c["field"], args.unmasked)
    if args.json:
        print_json(found)
        return EXIT_OK
    if not found:
        say(pick("no conflicts to resolve", "没有待处理的冲突"))
    for c in found:
        say(pick(f"{c['id']}  {c['ref'] or c['entity_id']} {c['name'] or ''}  {c['field']}: here {c['local_value']!r} "
                 f"({c['local_at'] or '?'}), hub {c['remote_value']!r} (device {c['remote_device'] or 'hub'})",
                 f"{c['id']}  {c['ref'] or c['entity_id']} {c['name'] or ''}  {c['field']}：本机 {c['local_value']!r}"
                 f"（{c['local_at'] or '?'}），中心 {c['remote_value']!r}（设备 {c['remote_device'] or '总行'}）"))
    return EXIT_OK


def _kept_zh(kept: str) -> str:
    return {"local": "本机取值", "remote": "中心取值", "value": "输入的取值"}[kept]


def quarantine(args) -> int:
    from loandesk.sync import quarantine as q

    with store_for(args, "sync") as store:
        try:
            if args.action == "list":
                held = q.listing(store)
                if args.json:
                    print_json(held)
                    return EXIT_OK
                if not held:
                    say(pick("nothing in quarantine", "隔离区为空"))
                for h in held:
                    say(f"{h['op_id']}  {h['entity']} {h['ref'] or h['entity_id']}  {h['quarantined_at']}  "
                        f"{h['code'] or ''} {h['reason']}")
                return EXIT_OK
            if not args.target:
                what = ("ID", "操作编号") if args.action == "retry" else ("FILE", "文件")
                raise CommandError(pick(f"quarantine {args.action} needs {what[0]}",
                                        f"quarantine {args.action} 需要{what[1]}"))
            if args.action == "retry":
                done = q.retry(store, args.target, _assignments(args.set))
                say(pick(f"operation {done['op_id']} goes again as {done['new_op_id']} with the next sync",
                         f"操作 {done['op_id']} 将以 {done['new_op_id']} 在下次同步时重新发送"))  # fmt: skip
                return EXIT_OK
            path = output_file(args.target)
            count = q.export(store, path)
            say(pick(f"wrote {count} quarantined operations to {path}", f"已将 {count} 项隔离操作写入 {path}"))
            return EXIT_OK
        except q.QuarantineError as exc:
            raise CommandError(_lang_pair(exc)) from None


def _assignments(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            raise CommandError(pick(f"--set {pair!r}: write FIELD=VALUE", f"--set “{pair}”：应写为 字段=取值"))
        try:
            out[field.strip()] = json.loads(value)  # numbers and true/false as such; anything else as text
        except ValueError:
            out[field.strip()] = value
    return out
