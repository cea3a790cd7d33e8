"""hub ...: the head-office hub from the command line (serve it, enrol and revoke devices, decide,
publish rule packs, list what branches sent, verify memos). A thin face over ``loandesk.hub.service``;
FastAPI and SQLAlchemy load only when a hub command runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
from pathlib import Path

from loandesk.core.i18n import language, pick

from .common import EXIT_FAILED, EXIT_OK, CommandError, print_json, say


def register(sub) -> None:
    hub = sub.add_parser("hub", help="the head-office hub: serve it, enrol devices, decide, publish rule packs")
    cmds = hub.add_subparsers(dest="hub_command", metavar="HUB_COMMAND", required=True)

    def command(name: str, help_text: str, handler, **kwargs):
        p = cmds.add_parser(name, help=help_text, **kwargs)
        p.add_argument("--db", required=True, help="the hub database: sqlite:///PATH or postgresql://USER@HOST/DB")
        p.set_defaults(handler=handler)
        return p

    p = command("serve", "serve the hub over HTTP(S)", serve)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8800)
    p.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL: any number)")
    p.add_argument("--certfile", help="TLS certificate (PEM); with --keyfile the hub speaks HTTPS")
    p.add_argument("--keyfile", help="TLS private key (PEM)")
    p.add_argument("--max-body", type=int, default=8 * 1024 * 1024, help="largest request in bytes (default 8 MiB)")
    p.add_argument("--rate", type=float, default=50.0, help="requests per second allowed per device (default 50)")

    p = command("enroll", "print a one-time enrolment code for a device of BRANCH", enroll)
    p.add_argument("--branch", required=True, help="the branch code the device will belong to")
    p.add_argument("--expires", default="24h", help="how long the code stays valid: 30m, 24h, 7d (default 24h)")

    command("devices", "list enrolled devices (branch, last seen, operations still unsent)", list_devices)

    p = command("revoke", "revoke a device: its token stops working (it keeps what it has not sent)", revoke)
    p.add_argument("device", help="device id (or a unique start of it, or its short code)")

    p = command("decide", "record head office's decision on an application; it flows down to the branch", decide)
    p.add_argument("ref", help="application reference (A-...) or id")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--approve", action="store_true")
    how.add_argument("--decline", action="store_true")
    p.add_argument("--limit", type=int, help="approved limit in yuan (needed to approve)")
    p.add_argument("--by", required=True, help="who decides")
    p.add_argument("--note", help="a note for the branch")

    p = command("publish-rules", "check a rule pack and publish it to every branch or one", publish_rules)
    p.add_argument("pack", help="the rule pack TOML")
    p.add_argument("--branch", help="only this branch (default: every branch)")

    p = command("list", "print what the branches sent", list_records)
    p.add_argument("what", choices=["applications", "enterprises", "decisions", "memos", "rule-packs"])
    p.add_argument("--json", action="store_true", help="a JSON list of objects (the default output)")
    p.add_argument("--branch", help="only this branch's records")
    p.add_argument("--unmasked", action="store_true", help="show personal data in full")

    p = command("conflicts", "list field changes the hub kept aside for a person to resolve", list_conflicts)
    p.add_argument("--all", action="store_true", help="resolved ones too")

    p = command("resolve", "settle a conflict: keep the hub's value or take the device's", resolve)
    p.add_argument("conflict", help="the conflict's id (from hub conflicts)")
    p.add_argument("--keep", required=True, choices=["hub", "device"])
    p.add_argument("--by", required=True, help="who settles it")

    p = command("audit", "check each device's audit trail as the hub received it", audit_verify)
    p.add_argument("action", choices=["verify"])
    p.add_argument("--json", action="store_true", help="print the report per device as JSON")

    p = command("verify-memo", "check a memo PDF (or its printed code) against the memos branches issued",
                verify_memo)
    p.add_argument("file", nargs="?", help="the memo PDF")
    p.add_argument("--code", help='the code printed under the QR code: "LOANDESK-MEMO:M-...;SHA256:..."')


def _hub(args):
    from sqlalchemy.exc import OperationalError

    from loandesk.hub.db import BadDatabaseUrl
    from loandesk.hub.migrations import SchemaTooNew
    from loandesk.hub.sealing import KeyMismatch
    from loandesk.hub.service import Hub

    try:
        return Hub.open(args.db)
    except (BadDatabaseUrl, SchemaTooNew, KeyMismatch) as exc:
        raise CommandError(str(exc)) from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "cannot connect"
        raise CommandError(pick(f"cannot open the hub database: {reason}", f"无法打开中心库：{reason}")) from None


def _refused(exc) -> CommandError:
    return CommandError(exc.detail, EXIT_FAILED if exc.status == 404 else 2)


def serve(args) -> int:
    import os

    import uvicorn

    from loandesk.hub import app as hub_app

    if bool(args.certfile) != bool(args.keyfile):
        raise CommandError(pick("give both --certfile and --keyfile for TLS", "TLS 需同时给出 --certfile 和 --keyfile"))
    for path in (args.certfile, args.keyfile):
        if path and not Path(path).is_file():
            raise CommandError(pick(f"no file {path}", f"文件不存在：{path}"))
    if args.workers < 1 or not 0 < args.port < 65536:
        raise CommandError(pick("--workers must be at least 1 and --port 1-65535",
                                "--workers 至少为 1，--port 为 1-65535"))
    hub = _hub(args)  # migrate once, before any worker starts, and say so if the database is unusable
    hub.engine.dispose()
    os.environ[hub_app.ENV_DB] = args.db
    os.environ[hub_app.ENV_MAX_BODY] = str(args.max_body)
    os.environ[hub_app.ENV_RATE] = str(args.rate)
    scheme = "https" if args.certfile else "http"
    if not args.certfile and args.host not in ("127.0.0.1", "localhost", "::1"):
        say(pick(f"warning: serving {args.host} without TLS: device tokens and records cross the network in clear "
                 "(give --certfile and --keyfile)",
                 f"警告：{args.host} 未启用 TLS，设备令牌和数据将明文传输"
                 "（请给出 --certfile 和 --keyfile）"))  # fmt: skip
    say(pick(f"hub serving {scheme}://{args.host}:{args.port} ({args.workers} worker(s))",
             f"中心服务已启动 {scheme}://{args.host}:{args.port}（{args.workers} 个进程）"))  # fmt: skip
    uvicorn.run("loandesk.hub.app:app_from_env", factory=True, host=args.host, port=args.port, workers=args.workers,
                ssl_certfile=args.certfile, ssl_keyfile=args.keyfile, log_level="warning", access_log=False)
    return EXIT_OK


def _duration(text: str) -> dt.timedelta:
    found = re.fullmatch(r"\s*(\d+)\s*([mhd])\s*", text or "")
    if not found or int(found[1]) == 0:
        raise CommandError(pick(f"--expires {text!r}: give a duration such as 30m, 24h or 7d",
                                f"--expires {text!r}：请给出时长，如 30m、24h、7d"))  # fmt: skip
    unit = {"m": "minutes", "h": "hours", "d": "days"}[found[2]]
    return dt.timedelta(**{unit: int(found[1])})


def enroll(args) -> int:
    from loandesk.hub.service import HubError

    valid_for = _duration(args.expires)
    try:
        code, expires = _hub(args).issue_code(args.branch, valid_for)
    except HubError as exc:
        raise _refused(exc) from None
    print(pick(f"one-time enrolment code for branch {args.branch.upper()}, valid until {expires}:",
               f"网点 {args.branch.upper()} 的一次性注册码，有效期至 {expires}："))  # fmt: skip
    print(code)
    return EXIT_OK


def list_devices(args) -> int:
    print_json(_hub(args).devices())
    return EXIT_OK


def revoke(args) -> int:
    from loandesk.hub.service import HubError

    try:
        done = _hub(args).revoke(args.device)
    except HubError as exc:
        raise _refused(exc) from None
    say(pick(f"revoked device {done['id']} (branch {done['branch']})",
             f"已吊销设备 {done['id']}（网点 {done['branch']}）"))
    return EXIT_OK


def decide(args) -> int:
    from loandesk.hub.service import HubError

    try:
        done = _hub(args).decide(args.ref, args.approve, args.limit, args.by, args.note)
    except HubError as exc:
        raise _refused(exc) from None
    print_json(done)
    return EXIT_OK


def publish_rules(args) -> int:
    from loandesk.hub.service import HubError
    from loandesk.scoring.pack import PackError, load_pack

    try:
        pack = load_pack(args.pack, check_dates=False)  # a future pack is published ahead of its date
    except PackError as exc:
        raise CommandError(exc.message(language())) from None
    from loandesk.core import clock

    if pack.expires < clock.today():
        raise CommandError(pick(f"{pack.id} {pack.version} expired on {pack.expires}: nothing published",
                                f"{pack.id} {pack.version} 已于 {pack.expires} 失效，未发布"))  # fmt: skip
    try:
        done = _hub(args).publish_rules(pack, args.branch)
    except HubError as exc:
        raise _refused(exc) from None
    print_json(done)
    return EXIT_OK


_ENTITIES = {"applications": "application", "enterprises": "enterprise", "decisions": "decision", "memos": "memo",
             "rule-packs": "rule_pack"}  # fmt: skip


def list_records(args) -> int:
    from loandesk.hub.service import masked

    rows = _hub(args).list_records(_ENTITIES[args.what], args.branch)
    if args.what == "rule-packs":
        rows = [{k: v for k, v in r.items() if k not in ("text", "card_text")} for r in rows]
    print_json(rows if args.unmasked else masked(rows))
    return EXIT_OK


def list_conflicts(args) -> int:
    print_json([c.model_dump() for c in _hub(args).conflicts(None, open_only=not args.all)])
    return EXIT_OK


def resolve(args) -> int:
    from loandesk.hub.service import HubError

    try:
        print_json(_hub(args).resolve_conflict(args.conflict, args.keep, args.by))
    except HubError as exc:
        raise _refused(exc) from None
    return EXIT_OK


def audit_verify(args) -> int:
    """Per device: records received, the head, and the first break (exit 1 when any chain is broken)."""
    found = _hub(args).verify_audit()
    if args.json:
        print_json(found)
    else:
        if not found:
            say(pick("no audit records received yet", "尚未收到审计记录"))
        for d in found:
            state = "OK" if d["ok"] else pick(f"BROKEN: {d['problem']}", f"断裂：{d['problem']}")
            say(f"{d['device']}  {d['branch'] or '?'}  {d['records']}  {state}")
    return EXIT_OK if all(d["ok"] for d in found) else EXIT_FAILED


def verify_memo(args) -> int:
    """As the device's verify-memo: exit 0 only for the very file a branch issued, in force; 3 when a code, or
    a file carrying a memo's number, names a memo the hub holds (that proves the memo exists, not that this
    paper is it: compare with the facts shown); 1 superseded or matching nothing; 2 bad input."""
    if bool(args.file) == (args.code is not None):
        raise CommandError(pick("give a memo FILE or --code CODE (one of them)",
                                "请给出报告文件 FILE 或 --code 核验码（二者选一）"))
    if args.code is not None:
        from loandesk.memo.qr import parse_payload

        found = parse_payload(args.code)
        if found is None:
            raise CommandError(pick("--code: not a Loan Desk memo code (give exactly the code printed under the QR)",
                                    "--code：不是信贷工作台的报告核验码（请照抄二维码下方打印的核验码）"))  # fmt: skip
        memo = _hub(args).memo_by_number(found[0])
        if memo is None or memo.get("content_sha256") != found[1]:
            return _verdict(False, found[0], "no memo with this number and content reached the hub",
                            "中心没有此编号和内容的报告")  # fmt: skip
        return _standing(memo, "code")
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(pick(f"no file {path}", f"文件不存在：{path}"))
    data = path.read_bytes()
    if not data.lstrip()[:5] == b"%PDF-":
        raise CommandError(pick(f"{path} is not a PDF file", f"{path} 不是 PDF 文件"))
    hub = _hub(args)  # opened once the arguments are known good: a bad one creates no database
    memo = hub.memo_by_file(hashlib.sha256(data).hexdigest())
    if memo is not None:
        return _standing(memo, "file")
    memo_no = _memo_number(data)
    memo = hub.memo_by_number(memo_no) if memo_no else None
    if memo is not None:
        if memo.get("status") == "superseded":
            return _standing(memo, "copy")
        return _not_proven(memo, f"this file is not the memo {memo_no} as issued (altered, re-saved or scanned)",
                           f"此文件不是已签发的报告 {memo_no} 原件（已改动、另存或为扫描件）")  # fmt: skip
    return _verdict(False, memo_no or str(path), "no memo matching this file reached the hub",
                    "中心没有与此文件相符的报告")  # fmt: skip


def _standing(memo: dict, how: str) -> int:
    no = memo.get("memo_no", "?")
    if memo.get("status") == "superseded":
        return _verdict(False, no, f"memo {no} is authentic but superseded", f"报告 {no} 真实，但已被替代")
    if how == "code":
        return _not_proven(memo, "a code proves only that such a memo exists", "核验码只能证明该报告存在")
    return _verdict(True, no, f"matches byte for byte the memo {no} (version {memo.get('version')}) issued by "
                              f"branch {memo['branch']}",
                    f"与分支签发的报告 {no}（第 {memo.get('version')} 版，"
                    f"网点 {memo['branch']}）逐字节一致")  # fmt: skip


EXIT_NOT_PROVEN = 3  # genuine but not proven: the memo exists; this paper or code is not proof of its content


def _not_proven(memo: dict, en: str, zh: str) -> int:
    no = memo.get("memo_no", "?")
    print(pick(f"EXISTS  {no}: {en}. Memo {no} version {memo.get('version')} of branch {memo['branch']} is on "
               "file at head office: compare the paper with it before relying on it.",
               f"存在  {no}：{zh}。总行存有网点 {memo['branch']} 的报告 {no}（第 {memo.get('version')} 版），"
               "请与存档核对后再使用。"))  # fmt: skip
    return EXIT_NOT_PROVEN


def _verdict(ok: bool, what: str, en: str, zh: str) -> int:
    print(f"{'OK' if ok else 'FAIL'}  {what}: {pick(en, zh)}", file=sys.stdout)
    return EXIT_OK if ok else EXIT_FAILED


def _memo_number(pdf: bytes) -> str | None:
    """The memo number a PDF claims (its metadata's code, else its text)."""
    import io

    import pypdf

    from loandesk.memo.qr import parse_payload

    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf), strict=False)
        found = parse_payload(str((reader.metadata or {}).get("/Subject", "")))
        if found:
            return found[0]
        text = "".join((page.extract_text() or "") for page in reader.pages[:2])
    except Exception:
        return None
    match = re.search(r"M-[A-Z0-9]{2,8}-[A-Z0-9]{4}-\d{6}", re.sub(r"\s+", "", text))
    return match.group(0) if match else None
