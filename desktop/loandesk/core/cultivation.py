"""The first-loan cultivation path (domain.md §1): stages, which moves are allowed, and who may make them.

无贷户 no-loan -> 已联系 contacted -> 有融资需求 need identified -> 首贷户 first loan -> 伙伴客户 partner,
with two side exits: 已拒绝 declined and 无意向 not interested. Pure rules, no SQL and no Qt: the store
(storage/cultivation.py) asks here before it writes a stage event.

Two kinds of move:
- an event move (a visit, an approval, a second approved loan) only ever moves an enterprise forward
  along the ladder, so a late visit never undoes a first loan;
- a manual move (a person, with a reason) may take any step in ``MANUAL_MOVES``, including the exits
  and a return from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from loandesk.core.i18n import pick
from loandesk.core.permissions import Actor, PermissionDenied

STAGES: tuple[str, ...] = ("no_loan", "contacted", "need_identified", "first_loan", "partner", "declined",
                           "not_interested")  # fmt: skip
LADDER: tuple[str, ...] = STAGES[:5]  # the forward path, in order
EXITS: tuple[str, ...] = ("declined", "not_interested")
STAGE_NAMES: dict[str, tuple[str, str]] = {
    "no_loan": ("no loan", "无贷户"),
    "contacted": ("contacted", "已联系"),
    "need_identified": ("need identified", "有融资需求"),
    "first_loan": ("first loan", "首贷户"),
    "partner": ("partner", "伙伴客户"),
    "declined": ("declined", "已拒绝"),
    "not_interested": ("not interested", "无意向"),
}
SOURCES: tuple[str, ...] = ("manual", "visit", "approval", "second_loan")

# Manual moves a person may make, from -> allowed targets. Forward steps may skip (a phone call that
# finds a need goes straight to "need identified"); first loan and partner by hand only from the stage
# before (a loan granted outside Loan Desk, recorded with its reason); an exit can be left again.
MANUAL_MOVES: dict[str, frozenset[str]] = {
    "no_loan": frozenset({"contacted", "need_identified", "declined", "not_interested"}),
    "contacted": frozenset({"no_loan", "need_identified", "declined", "not_interested"}),
    "need_identified": frozenset({"contacted", "first_loan", "declined", "not_interested"}),
    "first_loan": frozenset({"partner"}),
    "partner": frozenset(),
    "declined": frozenset({"no_loan", "contacted", "need_identified"}),
    "not_interested": frozenset({"no_loan", "contacted", "need_identified"}),
}
MAX_REASON = 500


class StageRefused(ValueError):
    """A move the rules do not allow; the message in both languages, one line."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh
        super().__init__(en)

    def message(self, lang: str | None = None) -> str:
        return pick(self.en, self.zh, lang)


def stage_name(stage: str, lang: str | None = None) -> str:
    en, zh = STAGE_NAMES.get(stage, (stage, stage))
    return pick(en, zh, lang)


def parse_stage(text: str) -> str:
    """A stage from its code or either language's name (``first_loan``, ``first loan``, ``首贷户``)."""
    wanted = (text or "").strip().lower().replace("-", "_").replace(" ", "_")
    for code, (en, zh) in STAGE_NAMES.items():
        if wanted in (code, en.replace(" ", "_").replace("-", "_"), zh):
            return code
    names = ", ".join(f"{c} ({STAGE_NAMES[c][1]})" for c in STAGES)
    raise StageRefused(f"unknown stage {text!r}; choose one of {names}", f"未知阶段“{text}”，可选：{names}")


@dataclass(frozen=True)
class EnterpriseFilter:
    """What the lists, bulk assignment, pre-qualification and reports narrow to (None: any).
    ``officer`` "" means unassigned; ``eligible`` True: marked likely eligible by pre-qualification;
    ``due_by``: next action due on or before that date (overdue included)."""

    stage: str | None = None
    officer: str | None = None
    region: str | None = None  # a region code prefix: 33 (province), 3301 (city) or 330106
    industry: str | None = None
    size_class: str | None = None  # known once pre-qualified (the size class is worked out by scoring)
    tax_grade: str | None = None
    eligible: bool | None = None
    due_by: str | None = None
    text: str | None = None  # a reference or credit code, or the start of the enterprise's name

    def is_empty(self) -> bool:
        return all(v is None for v in self.__dict__.values())


@dataclass(frozen=True)
class Move:
    """A stage change about to be stored as an event."""

    from_stage: str
    to_stage: str
    source: str
    reason: str | None = None


def check_manual(current: str, target: str, reason: str | None) -> Move:
    """A person's move: allowed by ``MANUAL_MOVES`` and with a reason (why is the audit's first question)."""
    reason = (reason or "").strip()
    if target not in STAGES:
        parse_stage(target)  # raises with the list of stages
    if not reason:
        raise StageRefused("a reason is required to change the stage by hand", "手工调整阶段须填写原因")
    if len(reason) > MAX_REASON:
        raise StageRefused(f"the reason is too long (at most {MAX_REASON} characters)",
                           f"原因过长（最多 {MAX_REASON} 个字符）")  # fmt: skip
    if target == current:
        raise StageRefused(f"the enterprise is already at stage {stage_name(current, 'en')}",
                           f"该企业已处于“{stage_name(current, 'zh')}”阶段")  # fmt: skip
    if target not in MANUAL_MOVES.get(current, frozenset()):
        allowed = MANUAL_MOVES.get(current, frozenset())
        en_ok = ", ".join(stage_name(s, "en") for s in STAGES if s in allowed) or "none"
        zh_ok = "、".join(stage_name(s, "zh") for s in STAGES if s in allowed) or "无"
        raise StageRefused(
            f"cannot move from {stage_name(current, 'en')} to {stage_name(target, 'en')} by hand (allowed: {en_ok})",
            f"不能手工从“{stage_name(current, 'zh')}”调整为“{stage_name(target, 'zh')}”（可调整为：{zh_ok}）")
    return Move(current, target, "manual", reason)


def rank(stage: str) -> int:
    """Position on the ladder; the exits count as before contact (a visit with a need brings one back)."""
    return LADDER.index(stage) if stage in LADDER else -1


def event_move(current: str, source: str, *, need: bool = False, approved_count: int = 0) -> Move | None:
    """The move an event makes, or None when the enterprise is already as far (events only go forward).

    visit: contacted, or need identified when the visit found a financing need (a visit without a
    need leaves a declined / not-interested enterprise where it is: the officer said so by hand).
    approval: an approved loan makes a first-loan customer; the second approved loan or product a partner.
    """
    if source == "visit":
        target = "need_identified" if need else "contacted"
        if current in EXITS and not need:
            return None
    elif source in ("approval", "second_loan"):
        target = "partner" if approved_count >= 2 else "first_loan"
        source = "second_loan" if target == "partner" else "approval"
    else:
        raise ValueError(f"unknown event source {source!r}")
    if rank(target) <= rank(current):
        return None
    return Move(current, target, source)


def may_move(actor: Actor, assigned_to: str | None) -> None:
    """Officers move the enterprises assigned to them (or no one yet); admins any (permissions.toml:
    ``move_stage``, ``move_any_stage``)."""
    actor.require("move_stage")
    if actor.is_system or actor.may("move_any_stage"):
        return
    if assigned_to and assigned_to not in (actor.username, actor.display_name):
        raise PermissionDenied(actor.username, actor.role, "move_stage",
                               en=f"{actor.username} may not change the stage of an enterprise assigned to "
                                  f"{assigned_to}",
                               zh=f"{actor.username} 无权调整分配给 {assigned_to} 的企业的阶段")  # fmt: skip
