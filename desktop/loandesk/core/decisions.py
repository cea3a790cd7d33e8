"""Credit decisions as a branch sees them: one word per decision, the decision in effect, and the
rules an approver's decision must meet (maker-checker).

Three records can decide an application, and the one in effect is the first there is of:
1. the approver's decision on the current scoring decision (approve with a limit and conditions,
   or decline with a reason): ``storage.approvals``;
2. an override of the scoring decision that an approver confirmed: ``storage.decisions``;
3. the model's decision (the rule pack's): ``storage.decisions``.
The list, the score panel, the memo and the command line all show ``in_effect(...)``, in the words
of ``DECISION_WORDS``. Pure functions over plain dicts: no SQL, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

# One word per decision, everywhere (the GUI's own translations and the memo template say the same:
# tests/unit/test_decision_words.py compares them). "refer" is what a teller hands on: 转审批.
DECISION_WORDS: dict[str, tuple[str, str]] = {
    "approve": ("Approve", "同意"),
    "refer": ("Refer", "转审批"),
    "decline": ("Decline", "拒绝"),
}
OUTCOMES = ("approve", "decline")  # what an approver decides; "refer" is the model's hand-over to them
MAX_NAME = 40
MAX_RATE = 24.0  # % a year: well above any credit-loan rate; a typo such as 385 for 3.85 is refused


def decision_word(code: str | None, lang: str = "zh") -> str:
    if not code:
        return ""
    en, zh = DECISION_WORDS.get(code, (code, code))
    return zh if lang == "zh" else en


def pending_text(code: str | None, wanted: str, lang: str = "zh") -> str:
    """The decision in effect while an override waits for an approver, e.g. 转审批（申请改为同意，待复核）."""
    now, asked = decision_word(code, lang), decision_word(wanted, lang)
    if lang == "zh":
        return f"{now}（申请改为{asked}，待复核）"
    return f"{now} (change to {asked} requested, awaiting an approver)"


class ApprovalRefused(ValueError):
    """An approver's decision the rules do not allow; says which field and why, in both languages."""

    def __init__(self, field: str, en: str, zh: str):
        self.field, self.en, self.zh = field, en, zh
        super().__init__(en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def _override_limit(decision: dict, override: dict) -> int | float | None:
    """An override that leaves the limit unchanged keeps the model's limit, unless either side is a
    decline (a declined application has no limit to keep)."""
    if override.get("to_limit") is not None:
        return override["to_limit"]
    return decision.get("limit_amount") if "decline" not in (decision.get("decision"), override.get("to_decision")) \
        else None  # fmt: skip


def in_effect(decision: dict | None, override: dict | None = None, approval: dict | None = None) -> dict:
    """The decision in effect: ``decision`` (limit, term, rate, conditions, reason), who made it
    (``source``: approval / override / model / None), ``by`` and ``on`` for an approver's.

    ``decision``: a stored scoring decision (``storage.decisions``); ``override``: its confirmed
    override, if any; ``approval``: the approver's decision on it, if any (``storage.approvals``).
    """
    empty = {"decision": None, "limit": None, "term_months": None, "rate": None, "conditions": [], "reason": None,
             "source": None, "by": None, "on": None}  # fmt: skip
    if decision is None:
        return empty
    result = decision.get("result") or {}
    out = {**empty, "decision": decision.get("decision"), "limit": decision.get("limit_amount"),
           "term_months": result.get("term_months"), "rate": decision.get("rate"), "source": "model"}  # fmt: skip
    if override is not None:
        out.update(decision=override.get("to_decision"), limit=_override_limit(decision, override), source="override",
                   by=override.get("approver"), on=(override.get("decided_at") or "")[:10] or None)  # fmt: skip
    if approval is not None:
        approve = approval.get("outcome") == "approve"
        out.update(decision=approval.get("outcome"), limit=approval.get("limit_amount") if approve else None,
                   term_months=approval.get("term_months") if approve else None,
                   rate=approval.get("rate") if approve else None, conditions=list(approval.get("conditions") or []),
                   reason=approval.get("reason"), source="approval", by=approval.get("approver"),
                   on=(approval.get("decided_at") or "")[:10] or None)  # fmt: skip
    if out["decision"] == "decline":
        out.update(limit=None, term_months=None, rate=None)
    return out


@dataclass(frozen=True)
class ApprovalFacts:
    """What an approver's decision is checked against (gathered from the store by the caller)."""

    in_effect: str | None  # the decision in effect before the approver's: model's or a confirmed override's
    knockouts: tuple[tuple[str, str], ...]  # the model's knock-outs, (en, zh)
    officers: tuple[str, ...]  # who scored it, who wrote the application, who asked for an override
    requested_amount: int | None
    min_amount: int | None
    max_amount: int | None  # the product's
    max_term_months: int | None  # the product's
    product_name: str = ""
    pending_override: bool = False
    already: dict | None = None  # an approver's decision already on this scoring decision


def _money(amount: int | float) -> str:
    return f"{amount:,.0f}"


def check_approval(facts: ApprovalFacts, outcome: str, approver: str, *, limit: int | None = None,
                   term_months: int | None = None, rate: float | None = None,
                   reason: str | None = None) -> None:  # fmt: skip
    """Raise ``ApprovalRefused`` (field, en, zh) when the approver's decision breaks a rule."""
    name = (approver or "").strip()
    if outcome not in OUTCOMES:
        raise ApprovalRefused("outcome", f"'{outcome}' is not approve or decline", f"“{outcome}”不是同意或拒绝")
    if facts.already is not None:
        done = facts.already
        word_en, word_zh = DECISION_WORDS[done["outcome"]]
        when = (done.get("decided_at") or "")[:10]
        raise ApprovalRefused("outcome",
                              f"{done['approver']} already decided this application ({word_en.lower()}, {when}); "
                              "a new decision needs a new scoring",
                              f"审批人{done['approver']}已于 {when} 作出审批决定（{word_zh}）；"
                              "如需重新审批，须先重新评分")  # fmt: skip
    if facts.in_effect is None:
        raise ApprovalRefused("outcome", "the application has not been scored: score it first",
                              "该申请尚未评分，请先评分")  # fmt: skip
    if facts.pending_override:
        raise ApprovalRefused("outcome", "an override of this decision is waiting: confirm or reject it first",
                              "该申请有待复核的推翻申请：请先确认或驳回")  # fmt: skip
    if not name:
        raise ApprovalRefused("approver", "the approver must be named", "须填写审批人姓名")
    if len(name) > MAX_NAME:
        raise ApprovalRefused("approver", f"the approver's name is longer than {MAX_NAME} characters",
                              f"审批人姓名超过 {MAX_NAME} 个字符")  # fmt: skip
    if name.casefold() in {o.strip().casefold() for o in facts.officers if o and o.strip()}:
        raise ApprovalRefused("approver",
                              f"{name} scored or asked for this application: the approver must be someone else "
                              "(maker-checker)",
                              f"{name}是本申请的经办人（评分或发起人），审批人须为另一人（双人复核）")  # fmt: skip
    if outcome == "decline":
        if not (reason or "").strip():
            raise ApprovalRefused("reason", "a decline needs a reason", "拒绝须填写理由")
        return
    if facts.knockouts:
        raise ApprovalRefused("outcome", "a knock-out was hit, so it cannot be approved: "
                              + "; ".join(en for en, _zh in facts.knockouts),
                              "命中准入否决项，不能同意：" + "；".join(zh for _en, zh in facts.knockouts))  # fmt: skip
    if facts.in_effect == "decline":
        raise ApprovalRefused("outcome",
                              "the decision in effect is decline: to approve, an officer requests an override and "
                              "another approver confirms it first",
                              "当前结论为拒绝：如需同意，须先由客户经理申请推翻、另一审批人确认")  # fmt: skip
    if limit is None or limit <= 0:
        raise ApprovalRefused("limit", "approving needs a limit in yuan (more than 0)",
                              "同意须填写授信额度（大于 0 元）")  # fmt: skip
    if facts.max_amount is not None and limit > facts.max_amount:
        raise ApprovalRefused("limit",
                              f"the limit {_money(limit)} yuan is above the product's maximum of "
                              f"{_money(facts.max_amount)} yuan",
                              f"额度 {_money(limit)} 元超过产品{facts.product_name}上限 {_money(facts.max_amount)} 元")
    if facts.min_amount is not None and limit < facts.min_amount:
        raise ApprovalRefused("limit",
                              f"the limit {_money(limit)} yuan is below the product's minimum of "
                              f"{_money(facts.min_amount)} yuan",
                              f"额度 {_money(limit)} 元低于产品{facts.product_name}下限 {_money(facts.min_amount)} 元")
    if facts.requested_amount and limit > facts.requested_amount:
        raise ApprovalRefused("limit",
                              f"the limit {_money(limit)} yuan is above the {_money(facts.requested_amount)} yuan "
                              "applied for",
                              f"额度 {_money(limit)} 元超过申请金额 {_money(facts.requested_amount)} 元")  # fmt: skip
    if term_months is not None:
        if term_months < 1:
            raise ApprovalRefused("term_months", "the term must be at least 1 month", "期限至少为 1 个月")
        if facts.max_term_months is not None and term_months > facts.max_term_months:
            raise ApprovalRefused("term_months",
                                  f"the term of {term_months} months is over the product's maximum of "
                                  f"{facts.max_term_months}",
                                  f"期限 {term_months} 个月超过产品上限 {facts.max_term_months} 个月")  # fmt: skip
    if rate is not None and not 0 < rate <= MAX_RATE:
        raise ApprovalRefused("rate", f"the annual rate {rate:g}% is not between 0 and {MAX_RATE:g}%",
                              f"年利率 {rate:g}% 不在 0 至 {MAX_RATE:g}% 之间")  # fmt: skip
