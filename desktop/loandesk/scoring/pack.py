"""Rule packs: versioned TOML files from head office, loaded and checked before they are used.

A pack that is malformed or inconsistent (TOML syntax, missing key, unknown field, overlapping or
gapped bins or bands, expired) raises ``PackError`` naming the file, the line where it can be found
and the key, in English and Chinese. Whoever loads a pack keeps the one in force when that happens.
So does a pack that makes no sense: a value of the wrong type or out of its plausible range (rates
within 0-36 % a year, points within +/-10,000, positive terms and caps, ...), more than 1 MB of TOML,
a knock-out value no applicant can have, knock-outs that decline everyone, or bands and limits under
which no applicant could ever be approved. A band no score can reach is a warning (``RulePack.warnings``).
The hash is SHA-256 over the pack's bytes (and its card's, when it uses an imported scorecard), so a
stored decision names exactly the rules that made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
import tomllib
from pathlib import Path

from loandesk.core import clock
from loandesk.core.dictionary import TAX_GRADES
from loandesk.paths import resource

from .importers import CardError, read_card
from .inputs import known_variables, variable_label
from .pack_checks import Checker
from .pack_model import (  # noqa: F401  (re-exported: callers import the pack's names from here)
    ALLOWED,
    DECISIONS,
    DEFAULT_PACK_FILE,
    DOMAINS,
    MAX_AMOUNT,
    MAX_BANDS,
    MAX_BINS,
    MAX_BP,
    MAX_CARD_BYTES,
    MAX_FACTORS,
    MAX_KNOCKOUTS,
    MAX_MONTHS,
    MAX_MULTIPLE,
    MAX_PACK_BYTES,
    MAX_POINTS,
    MAX_RATE,
    MAX_TEXT,
    MAX_VALUES,
    MAX_WINDOW_DAYS,
    SEVERITY,
    Band,
    Factor,
    Knockout,
    PackError,
    RulePack,
)

_Checker = Checker  # the name reach.py and older callers use

def default_pack_path() -> Path:
    return resource("rules", DEFAULT_PACK_FILE)


def load_pack(path: str | Path, today: dt.date | None = None, *, check_dates: bool = True) -> RulePack:
    """A pack file checked in full; ``check_dates=False`` still refuses a malformed pack but accepts one
    not yet (or no longer) in force, for previews such as ``rescore``."""
    path = Path(path)
    text = read_text_file(path, MAX_PACK_BYTES, str(path), "-")

    def card_loader(rel: str) -> str:
        return read_text_file((path.parent / rel).resolve(), MAX_CARD_BYTES, str(path), "scorecard.file")

    return parse_pack(text, str(path), today=today, card_loader=card_loader, check_dates=check_dates)


def read_text_file(path: Path, limit: int, source: str, key: str) -> str:
    """A UTF-8 text file of at most ``limit`` bytes (a byte-order mark is dropped), or PackError saying why not:
    missing, a folder or device, too large (checked before reading), or not text."""
    what_en, what_zh = ("the file", "文件") if key == "-" else (f"the card file {path}", f"评分卡文件 {path}")
    fail = lambda en, zh: PackError(source, key, f"{what_en} {en}", f"{what_zh}{zh}")  # noqa: E731
    try:
        if path.is_dir():
            raise fail("is a folder, not a file", "是文件夹，不是文件")
        if not path.exists():
            raise fail("does not exist", "不存在")
        if not path.is_file():
            raise fail("is not a regular file", "不是普通文件")
        size = path.stat().st_size
        if size > limit:
            raise fail(f"is {size:,} bytes: at most {limit:,} are accepted",
                       f"大小为 {size:,} 字节，超过上限 {limit:,} 字节")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)  # bounded even if the file grows while it is read
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise fail(f"cannot be read ({reason})", f"无法读取（{reason}）") from None
    if len(data) > limit:
        raise fail(f"is over {limit:,} bytes", f"超过上限 {limit:,} 字节")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}): a rule pack is a TOML "
                   "text file", f"不是 UTF-8 文本（第 {exc.start} 字节为 0x{data[exc.start]:02x}）："
                   "规则包应为 TOML 文本文件") from None  # fmt: skip


def parse_pack(text: str, source: str = "pack", *, today: dt.date | None = None, card_loader=None,
               card_text: str | None = None, check_dates: bool = True, strict: bool = True) -> RulePack:  # fmt: skip
    """Parse and check a pack. ``card_text`` (stored packs) or ``card_loader(rel_path)`` supplies a card.

    ``strict=False`` is for replaying stored decisions only: a pack stored before a check was added
    (unknown keys, missing points above the worst bin, an optbinning card without its special codes)
    must still replay exactly as it scored then. Every pack loaded to make new decisions is strict."""
    today = today or clock.today()
    size = len(text.encode("utf-8"))
    if strict and size > MAX_PACK_BYTES:
        raise PackError(source, "-", f"the pack is {size:,} bytes: at most {MAX_PACK_BYTES:,} are accepted",
                        f"规则包大小为 {size:,} 字节，超过上限 {MAX_PACK_BYTES:,} 字节")  # fmt: skip
    if not text.strip():
        raise PackError(source, "-", "the file is empty: a rule pack is TOML text starting with a [pack] table",
                        "文件为空：规则包应为以 [pack] 表开头的 TOML 文本")  # fmt: skip
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise PackError(source, "-", f"not valid TOML: {exc}", f"不是有效的 TOML：{exc}",
                        int(m.group(1)) if m else None) from None  # fmt: skip
    except RecursionError:
        raise PackError(source, "-", "not valid TOML: arrays or tables nested too deeply",
                        "不是有效的 TOML：数组或表嵌套过深") from None  # fmt: skip
    c = Checker(source, text, strict)
    c.keys(raw, "", "")
    head = c.table(raw, "pack")
    c.keys(head, "pack", "pack")
    pack_id = c.name(head, "pack.id")
    # A version is a name ("2026.2"), never a number: 2026.10 would read back as 2026.1.
    version = c.name(head, "pack.version") if strict else str(c.get(head, "pack.version"))
    effective, expires = c.date(head, "pack.effective"), c.date(head, "pack.expires")
    if expires <= effective:
        c.fail("pack.expires", "expires before it takes effect", "失效日期早于生效日期")
    if check_dates and expires < today:
        c.fail("pack.expires", f"expired on {expires}", f"已于 {expires} 失效")
    if check_dates and effective > today:
        c.fail("pack.effective", f"not in force until {effective}", f"{effective} 起才生效")
    for key in ("name_zh", "name_en", "product"):
        if key in head and strict:
            c.string(head, f"pack.{key}")
    if "base_points" in head and strict:
        c.number(head, "pack.base_points", -MAX_POINTS, MAX_POINTS)
    if "reentry_window_days" in head:
        c.whole(head, "pack.reentry_window_days", minimum=0, maximum=MAX_WINDOW_DAYS)
    known = known_variables()
    required = tuple(c.array(head, "pack.required", optional=True))
    for i, name in enumerate(required):
        if name not in known:
            c.fail(f"pack.required[{i}]", f"unknown field '{name}'", f"未知字段“{name}”")

    knockouts = [c.knockout(k, f"knockout[{i}]", known) for i, k in enumerate(c.tables(raw, "knockout", MAX_KNOCKOUTS))]
    codes = [k.code for k in knockouts]
    if len(set(codes)) != len(codes):
        c.fail("knockout", "two knock-outs share a code", "两个否决规则代码重复")

    card = None
    factors: list[Factor] = []
    base = float(head.get("base_points", 0))
    sc = raw.get("scorecard")
    if sc is not None:
        sc = c.table(raw, "scorecard")
        c.keys(sc, "scorecard", "scorecard")
        rel = c.string(sc, "scorecard.file")
        if "special_codes" in sc and not isinstance(sc["special_codes"], dict):
            c.fail("scorecard.special_codes", "must be a table: variable = [codes]", "应为表：变量 = [特殊值]")
        if card_text is None:
            if card_loader is None:
                c.fail("scorecard.file", "no card supplied", "未提供评分卡")
            card_text = card_loader(rel)
        try:
            card = read_card(card_text, special_codes=sc.get("special_codes"), name=rel, option="special_codes",
                             strict=strict)  # fmt: skip
        except CardError as exc:
            c.fail("scorecard.file", exc.message("en"), exc.message("zh"))
        base = card.base_points
        for var in (sc.get("special_codes") or {}) if strict else ():
            if var not in card.names:
                c.fail(f"scorecard.special_codes.{var}", f"'{var}' is not a variable of the card {card.names}",
                       f"“{var}”不是评分卡中的变量 {card.names}")  # fmt: skip
        for var in card.variables:
            if var.name not in known:
                c.fail("scorecard.file", f"the card's variable '{var.name}' is not a known field",
                       f"评分卡变量“{var.name}”不是已知字段")  # fmt: skip
            var.label_zh, var.label_en = variable_label(var.name, "zh"), variable_label(var.name, "en")
            factors.append(Factor(var))
        c.card_points(card)
    for i, f in enumerate(c.tables(raw, "factor", MAX_FACTORS)):
        factors.append(c.factor(f, f"factor[{i}]", known))
    if not factors:
        c.fail("factor", "the pack has no scorecard factors", "规则包没有评分因子")
    names = [f.variable.name for f in factors]
    if len(set(names)) != len(names):
        c.fail("factor", "a variable is scored twice", "同一变量重复评分")

    grades = c.bands(raw.get("grade"), "grade")
    decisions = c.bands(raw.get("decision"), "decision")
    for b in decisions:
        if b.name not in DECISIONS:
            c.fail(f"{b.key}.name", f"'{b.name}' is not approve/refer/decline", f"“{b.name}”不是 approve/refer/decline")
    if strict:
        for lower, higher in itertools.pairwise(decisions):
            if SEVERITY[higher.name] > SEVERITY[lower.name]:
                c.fail(f"{higher.key}.name", f"a higher score must never get a worse decision: '{higher.name}' from "
                       f"{higher.lower:g} is above '{lower.name}'",
                       f"分数越高决定不应越差：{higher.lower:g} 分起为“{higher.name}”，"
                       f"却高于“{lower.name}”")  # fmt: skip
    limit = c.table(raw, "limit")
    c.keys(limit, "limit", "limit")
    if "cap_at_request" in limit:
        c.boolean(limit, "limit.cap_at_request")
    c.number(limit, "limit.product_cap", 0, MAX_AMOUNT, above=True)
    c.number(limit, "limit.revenue_share", 0, 1)
    c.number(limit, "limit.round_down_to", 0, MAX_AMOUNT)
    c.number(limit, "limit.minimum", 0, MAX_AMOUNT)
    for key in ("product_cap", "revenue_share", "round_down_to", "minimum"):  # as before, for stored packs
        value = float(limit[key])
        if value < 0 or (key == "revenue_share" and value > 1):
            c.fail(f"limit.{key}", f"{value} is out of range", f"{value} 超出范围")
    multiples = c.table(limit, "limit.tax_multiple")
    for grade, value in multiples.items():
        if grade not in TAX_GRADES or isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            0 <= value <= MAX_MULTIPLE
        ):
            c.fail(f"limit.tax_multiple.{grade}", f"must map a tax grade ({'/'.join(TAX_GRADES)}) to a multiple from 0 "
                   f"to {MAX_MULTIPLE}, got {grade} = {value!r}",
                   f"应为纳税信用等级（{'/'.join(TAX_GRADES)}）对应 0 至 {MAX_MULTIPLE} 的倍数，"
                   f"实际为 {grade} = {value!r}")  # fmt: skip
    pricing = c.table(raw, "pricing")
    c.keys(pricing, "pricing", "pricing")
    for key in ("lpr_1y", "lpr_5y", "cap"):
        c.number(pricing, f"pricing.{key}", 0, MAX_RATE, above=True)
    c.number(pricing, "pricing.floor", 0, MAX_RATE)
    c.number(pricing, "pricing.first_loan_discount_bp", 0, MAX_BP)
    if strict:
        c.whole(pricing, "pricing.long_term_months", minimum=1, maximum=MAX_MONTHS)
    else:
        c.number(pricing, "pricing.long_term_months")
    c.date(pricing, "pricing.lpr_date")
    if pricing["floor"] > pricing["cap"]:
        c.fail("pricing.floor", "the floor is above the cap", "利率下限高于上限")
    spreads = c.table(pricing, "pricing.spread_bp")
    names = [g.name for g in grades]
    for g in names:
        if g not in spreads:
            c.fail("pricing.spread_bp", f"no spread for grade {g}", f"缺少 {g} 级的加点")
    for g in spreads if strict else ():
        if g not in names:
            c.fail(f"pricing.spread_bp.{g}", f"'{g}' is not one of the grades {names}",
                   f"“{g}”不是已定义的评级 {names}")  # fmt: skip
        c.number(spreads, f"pricing.spread_bp.{g}", -MAX_BP, MAX_BP)
    term = c.table(raw, "term")
    c.keys(term, "term", "term")
    c.whole(term, "term.max_months", minimum=1, maximum=MAX_MONTHS)
    if "revolving" in term:
        c.boolean(term, "term.revolving")
    if "validity_months" in term:
        c.whole(term, "term.validity_months", minimum=1, maximum=MAX_MONTHS)
    elif term.get("revolving") and strict:
        c.fail("term.validity_months", "a revolving line needs validity_months (how long it can be drawn on)",
               "循环额度须给出 validity_months（额度有效期）")  # fmt: skip

    score_range = None
    if strict:
        from .reach import check_reachable

        score_range = check_reachable(c, base, knockouts, factors, grades, decisions, limit, required)

    digest = hashlib.sha256(text.encode("utf-8"))
    if card_text is not None:
        digest.update(b"\0" + card_text.encode("utf-8"))
    return RulePack(
        id=pack_id, version=version, name_zh=head.get("name_zh", pack_id), name_en=head.get("name_en", pack_id),
        product=head.get("product", ""), effective=effective, expires=expires, hash=digest.hexdigest(),
        source=source, text=text, base_points=base, required=required,
        reentry_window_days=int(head.get("reentry_window_days", 90)), knockouts=knockouts, factors=factors,
        grades=grades, decisions=decisions, limit=limit, pricing=pricing, term=term, card=card,
        card_text=card_text, score_range=score_range, warnings=c.warnings,
    )  # fmt: skip
