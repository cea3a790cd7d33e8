"""Roles and the permission matrix (resources/permissions.toml), checked where the work is done.

The matrix is data so that a reader (or an auditor) checks one table, and a bank can see exactly
what each role may do. ``require`` raises ``PermissionDenied`` with a message in both languages;
the command line turns it into exit 2, the GUI into a message box.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from loandesk.core.i18n import pick
from loandesk.paths import resource

ROLES: tuple[str, ...] = ("teller", "officer", "approver", "admin")
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "teller": ("teller", "柜员"),
    "officer": ("officer", "客户经理"),
    "approver": ("approver", "审批人"),
    "admin": ("branch admin", "网点管理员"),
    "system": ("system", "系统"),  # the actor of set-up work and of homes opened with their key (not a role to give)
}
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "capture": ("capture applications", "录入申请"),
    "search": ("search records", "查询记录"),
    "print_memo": ("print credit memos", "打印授信调查报告"),
    "verify_memo": ("verify credit memos", "核验授信调查报告"),
    "visit": ("record visits", "登记走访"),
    "score": ("score applications", "评分并记录结论"),
    "score_file": ("score files of enterprises", "批量评分文件"),
    "draft_memo": ("issue credit memos", "出具授信调查报告"),
    "request_override": ("request overrides", "申请调整结论"),
    "approve": ("approve or decline applications", "审批申请"),
    "confirm_override": ("confirm or reject overrides", "复核调整申请"),
    "unmask": ("show unmasked personal data", "查看完整个人信息"),
    "export": ("export files", "导出文件"),
    "manage_users": ("manage users", "管理用户"),
    "install_rules": ("install rule packs", "安装评分规则"),
    "enrol_device": ("enrol this device", "注册本设备"),
    "change_settings": ("change settings", "修改设置"),
    "view_audit": ("view the audit trail", "查看审计记录"),
    "sync": ("sync with head office", "与总行同步"),
    "move_stage": ("change cultivation stages", "调整培育阶段"),
    "move_any_stage": ("change any enterprise's cultivation stage", "调整任意企业的培育阶段"),
    "assign": ("assign account managers", "分配客户经理"),
    "prequalify": ("pre-qualify enterprises", "批量预筛企业"),
    "record_consent": ("record applicants' consent", "记录客户授权"),
    "revoke_consent": ("revoke applicants' consent", "撤销客户授权"),
    "import_list": ("import enterprise lists", "导入企业名单"),
}


def role_name(role: str, lang: str | None = None) -> str:
    """A role as users read it (客户经理, not officer); an unknown code as it is."""
    return pick(*ROLE_NAMES.get(role, (role, role)), lang)


class PermissionDenied(PermissionError):
    def __init__(self, user: str, role: str, action: str, en: str | None = None, zh: str | None = None):
        self.user, self.role, self.action = user, role, action
        what_en, what_zh = ACTION_NAMES.get(action, (action, action))
        role_en, role_zh = ROLE_NAMES.get(role, (role, role))
        self.en = en or f"{user} ({role_en}) may not {what_en}"
        self.zh = zh or f"{user}（{role_zh}）无权{what_zh}"
        super().__init__(self.en)

    def message(self, lang: str | None = None) -> str:
        return pick(self.en, self.zh, lang)


@cache
def matrix() -> dict[str, frozenset[str]]:
    """action -> the roles allowed; checked on load so a typo in the table cannot grant anything."""
    import tomllib  # on first check, not on the way to the GUI's first window

    with open(resource("permissions.toml"), "rb") as fh:
        table = tomllib.load(fh)["actions"]
    unknown_actions = set(table) - set(ACTION_NAMES)
    missing_actions = set(ACTION_NAMES) - set(table)
    unknown_roles = {r for roles in table.values() for r in roles} - set(ROLES)
    if unknown_actions or missing_actions or unknown_roles:
        raise ValueError(f"permissions.toml: unknown actions {sorted(unknown_actions)}, missing actions "
                         f"{sorted(missing_actions)}, unknown roles {sorted(unknown_roles)}")
    return {action: frozenset(roles) for action, roles in table.items()}


def allowed(role: str, action: str) -> bool:
    return role in matrix().get(action, frozenset())


def actions_of(role: str) -> list[str]:
    return [action for action, roles in matrix().items() if role in roles]


@dataclass(frozen=True)
class Actor:
    """Who is doing the work: the signed-in user (never typed text), on this device."""

    username: str
    role: str
    display_name: str = ""
    device: str = ""

    @property
    def shown(self) -> str:
        return self.display_name or self.username

    @property
    def is_system(self) -> bool:
        return self.role == SYSTEM_ROLE

    def may(self, action: str) -> bool:
        return self.is_system or allowed(self.role, action)

    def require(self, action: str) -> None:
        if not self.may(action):
            raise PermissionDenied(self.username, self.role, action)

    def require_other_than(self, maker: str | None, action: str) -> None:
        """Maker-checker: the checker must be someone other than the maker of the record."""
        self.require(action)
        if maker and not self.is_system and maker.strip() in {self.username, self.shown}:
            what_en, what_zh = ACTION_NAMES[action]
            raise PermissionDenied(self.username, self.role, action,
                                   en=f"{self.username} may not {what_en} on their own record (maker-checker)",
                                   zh=f"{self.username} 不能{what_zh}自己经办的记录（双人复核）")  # fmt: skip


def require(actor: Actor, action: str) -> None:
    actor.require(action)


# The store opened with its key directly (unit tests, the self-check, the GUI until its login dialog is
# wired): not a hole, since opening the store needs the key, and the key needs a password once the home
# has a key ring. Names on records are then the ones the caller gives.
SYSTEM_ROLE = "system"
SYSTEM = Actor("system", SYSTEM_ROLE)


def acting_name(actor: Actor, typed: str | None, option: str) -> str | None:
    """The name recorded as officer or approver: the signed-in user's, never typed text. A name typed
    anyway (``--officer``/``--approver``) must be the signed-in user's; the system actor keeps the typed one."""
    if actor.is_system:
        return typed
    given = (typed or "").strip()
    if given and given not in {actor.username, actor.display_name}:
        raise PermissionDenied(
            actor.username, actor.role, "",
            en=f"{option} {given} is not the signed-in user {actor.shown}: records carry the signed-in user's name",
            zh=f"{option} {given} 与当前登录用户 {actor.shown} 不符：记录上只能是登录用户本人")  # fmt: skip
    return actor.shown
