"""settings: the branch's settings from the command line, over the same function as Account > Settings….

    loandesk settings show [--json]
    loandesk settings set KEY VALUE       (KEY: bank_name, branch_name, branch, hub_url; "" clears a name or
                                           the hub address: the memo template's name, offline only)

``show`` needs only a sign-in; ``set`` needs an admin (change_settings), is checked like the GUI's and audited.
"""

from __future__ import annotations

from loandesk.core.i18n import pick

from .common import EXIT_OK, CommandError, one_line, print_json, say, store_for


def register(sub) -> None:
    p = sub.add_parser("settings", help="show or change the branch's settings: bank and branch names on memos, "
                       "branch code, hub address (admin)")  # fmt: skip
    ssub = p.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    q = ssub.add_parser("show", help="every setting and its value")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=show)
    from loandesk.core.branch_setup import FIELDS  # light: the storage package loads only when a command runs

    q = ssub.add_parser("set", help="change one setting (admin; audited)")
    q.add_argument("key", choices=list(FIELDS))
    q.add_argument("value")
    q.set_defaults(handler=set_value)


def show(args) -> int:
    from loandesk.storage import branch_settings

    with store_for(args, "search") as store:
        found = branch_settings.read(store)
    found["enrolled"] = bool(found["enrolled"])
    if args.json:
        print_json(found)
    else:
        for key, value in found.items():
            print(f"{key}\t{value}")
    return EXIT_OK


def set_value(args) -> int:
    from loandesk.core.branch_setup import SetupError
    from loandesk.storage import branch_settings

    with store_for(args, "change_settings") as store:
        try:
            changed = branch_settings.apply(store, {args.key: args.value})
        except SetupError as exc:
            raise CommandError(one_line(exc)) from None
        value = store.setting(args.key) or ""
    if changed:
        say(pick(f"{args.key} set to {value!r}", f"已将 {args.key} 设为“{value}”"))
    else:
        say(pick(f"{args.key} is already {value!r}", f"{args.key} 已是“{value}”"))
    return EXIT_OK
