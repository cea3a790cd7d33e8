"""users and audit: account management and the audit trail from the command line.

    loandesk users list [--json]
    loandesk users add NAME --role ROLE [--display-name 张三]     (password from LOANDESK_NEW_PASSWORD or a prompt)
    loandesk users disable NAME
    loandesk users reset NAME                                      (new password likewise)
    loandesk users passwd                                          (your own: old and new password)
    loandesk audit verify
    loandesk audit list [--user NAME] [--since YYYY-MM-DD] [--json]

Every command signs in first (``--user``/LOANDESK_USER, LOANDESK_PASSWORD or a prompt); the service
checks the permission, so a teller is refused here exactly as in the GUI.
"""

from __future__ import annotations

import getpass
import os
import sys

from loandesk.core.i18n import pick
from loandesk.core.permissions import role_name

from .auth import session_for
from .common import EXIT_FAILED, EXIT_OK, CommandError, print_json, say


def register(sub) -> None:
    p = sub.add_parser("users", help="list, add, disable or reset user accounts (admin)")
    usub = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    q = usub.add_parser("list", help="every account with its role")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=users_list)
    q = usub.add_parser("add", help="a new account")
    q.add_argument("name")
    q.add_argument("--role", required=True, choices=["teller", "officer", "approver", "admin"])
    q.add_argument("--display-name", default="", help="the name printed on records, e.g. 李明")
    q.set_defaults(handler=users_add)
    q = usub.add_parser("disable", help="the account can no longer sign in; its records stay")
    q.add_argument("name")
    q.set_defaults(handler=users_disable)
    q = usub.add_parser("reset", help="set a new password for an account (and enable it again)")
    q.add_argument("name")
    q.set_defaults(handler=users_reset)
    q = usub.add_parser("passwd", help="change your own password")
    q.set_defaults(handler=users_passwd)

    p = sub.add_parser("audit", help="check or show the audit trail (admin)")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    q = asub.add_parser("verify", help="check the hash chain; exit 1 names the first bad record")
    q.set_defaults(handler=audit_verify)
    q = asub.add_parser("list", help="the records, oldest first")
    q.add_argument("--user")
    q.add_argument("--since", help="YYYY-MM-DD")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=audit_list)


def new_password(prompt_en: str, prompt_zh: str) -> str:
    """LOANDESK_NEW_PASSWORD, or asked twice on a terminal; never an argument (it would sit in the history)."""
    env = os.environ.get("LOANDESK_NEW_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        raise CommandError(pick("set LOANDESK_NEW_PASSWORD or run this on a terminal to type the new password",
                                "请设置 LOANDESK_NEW_PASSWORD，或在终端中输入新密码"))  # fmt: skip
    first = getpass.getpass(pick(prompt_en, prompt_zh) + ": ")
    if getpass.getpass(pick("again", "再次输入") + ": ") != first:
        raise CommandError(pick("the two passwords differ", "两次输入的密码不一致"))
    return first


def _user_json(row: dict) -> dict:
    return {"username": row["username"], "role": row["role"], "display_name": row["display_name"],
            "disabled": bool(row["disabled"]), "created_at": row["created_at"], "created_by": row["created_by"],
            "password_changed_at": row["password_changed_at"]}  # fmt: skip


def users_list(args) -> int:
    from loandesk.storage import users

    with session_for(args, "manage_users") as session:
        rows = [_user_json(r) for r in users.all_users(session.store.db)]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            state = pick("disabled", "已停用") if r["disabled"] else ""
            print(f"{r['username']:<16} {r['role']:<9} {r['display_name']} {state}".rstrip())
    return EXIT_OK


def users_add(args) -> int:
    from loandesk.security import session as sessions

    with session_for(args, "manage_users") as session:
        password = new_password(f"password for {args.name}", f"{args.name} 的密码")
        sessions.add_user(session, args.name, args.role, password, args.display_name)
    en, zh = role_name(args.role, "en"), role_name(args.role, "zh")
    say(pick(f"user {args.name} added ({en})", f"已添加用户 {args.name}（{zh}）"))
    return EXIT_OK


def users_disable(args) -> int:
    from loandesk.security import session as sessions

    with session_for(args, "manage_users") as session:
        sessions.disable_user(session, args.name)
    say(pick(f"user {args.name} disabled", f"已停用用户 {args.name}"))
    return EXIT_OK


def users_reset(args) -> int:
    from loandesk.security import session as sessions

    with session_for(args, "manage_users") as session:
        sessions.reset_password(session, args.name, new_password(f"new password for {args.name}",
                                                                 f"{args.name} 的新密码"))  # fmt: skip
    say(pick(f"password of {args.name} reset", f"已重置 {args.name} 的密码"))
    return EXIT_OK


def users_passwd(args) -> int:
    from loandesk.security import session as sessions

    with session_for(args, None) as session:
        old = os.environ.get("LOANDESK_PASSWORD") or getpass.getpass(pick("current password", "当前密码") + ": ")
        sessions.change_password(session, old, new_password("new password", "新密码"))
    say(pick("password changed", "密码已修改"))
    return EXIT_OK


def audit_verify(args) -> int:
    from loandesk.storage import audit

    with session_for(args, "view_audit") as session:
        problem = audit.verify(session.store.db)
        count = session.store.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    if problem is None:
        print(pick(f"audit trail intact: {count} records", f"审计记录完整：共 {count} 条"))
        return EXIT_OK
    print(problem.message())
    return EXIT_FAILED


def audit_list(args) -> int:
    from loandesk.storage import audit

    since = None
    if args.since:
        import datetime as dt

        try:
            since = dt.date.fromisoformat(args.since).isoformat()
        except ValueError:
            raise CommandError(pick(f"--since {args.since!r}: write a date as YYYY-MM-DD",
                                    f"--since “{args.since}”：日期格式应为 YYYY-MM-DD")) from None  # fmt: skip
    with session_for(args, "view_audit") as session:
        rows = audit.records(session.store.db, user=args.user, since=since)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['seq']:>6}  {r['at']}  {r['user']:<12} {r['device']:<5} {r['action']:<18} {r['target'] or ''}")
    return EXIT_OK
