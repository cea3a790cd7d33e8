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
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from loandesk.core import clock
from loandesk.core.dictionary import GUARANTEE_MODES, TAX_GRADES
from loandesk.core.sizing import SizeClass
from loandesk.paths import resource

from .card import CATEGORICAL, NUMERIC, Bin, Card, Variable
from .importers import CardError, read_card
from .inputs import known_variables, variable_label

DEFAULT_PACK_FILE = "bank_tax_first_loan.toml"
DECISIONS = ("approve", "refer", "decline")
SEVERITY = {"approve": 0, "refer": 1, "decline": 2}
# Bounds on what a pack may hold. A pack is read again whenever it is stored or replayed, and its
# figures drive every decision: sizes are bounded, and every figure must be plausible for the product.
MAX_PACK_BYTES = 1_000_000  # the shipped pack is ~8 KB
MAX_CARD_BYTES = 2_000_000  # an imported scorecard's CSV
MAX_FACTORS, MAX_BINS, MAX_KNOCKOUTS, MAX_BANDS, MAX_VALUES = 100, 200, 100, 50, 1000
MAX_POINTS = 10_000  # |points| of a bin, base points, missing/other points
MAX_RATE = 36.0  # annual %: far above any bank loan (36 % was the most courts upheld for any lending)
MAX_BP = 3_600  # a spread or discount in basis points: at most the whole lawful range
MAX_AMOUNT = 10_000_000_000  # yuan: caps, minimums and rounding steps
MAX_MULTIPLE = 100  # x average annual tax
MAX_MONTHS = 360
MAX_WINDOW_DAYS = 3650
MAX_TEXT = 64  # characters of an id or version
# Variables with a closed set of values: a knock-out or category naming anything else is a typo.
DOMAINS: dict[str, tuple[str, ...]] = {
    "tax_grade": TAX_GRADES,
    "size_class": tuple(s.value for s in SizeClass),
    "guarantee_mode": tuple(GUARANTEE_MODES),
}
# Every key a pack may hold, table by table: anything else (a misspelling such as ``monotonc`` or
# ``cap_at_requst``) is refused rather than silently ignored.
ALLOWED = {
    "": ("pack", "knockout", "factor", "scorecard", "grade", "decision", "limit", "pricing", "term"),
    "pack": ("id", "version", "name_zh", "name_en", "product", "effective", "expires", "base_points", "required",
             "reentry_window_days"),
    "knockout": ("code", "variable", "in", "not_in", "is_true", "below", "above", "optional", "reason_zh",
                 "reason_en", "fix_zh", "fix_en"),
    "factor": ("variable", "monotonic", "better", "missing_points", "other_points", "bins", "reason_zh", "reason_en",
               "fix_zh", "fix_en"),
    "bin": ("lower", "upper", "points", "values"),
    "scorecard": ("file", "special_codes"),
    "band": ("name", "lower", "upper"),
    "limit": ("product_cap", "tax_multiple", "revenue_share", "cap_at_request", "round_down_to", "minimum"),
    "pricing": ("lpr_1y", "lpr_5y", "lpr_date", "long_term_months", "spread_bp", "first_loan_discount_bp", "floor",
                "cap"),
    "term": ("max_months", "revolving", "validity_months"),
}  # fmt: skip


class PackError(ValueError):
    def __init__(self, source: str, key: str, en: str, zh: str, line: int | None = None):
        self.source, self.key, self.en, self.zh, self.line = source, key, en, zh, line
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        where = self.source + (f":{self.line}" if self.line else "")
        if lang == "zh":
            return f"规则包 {where}，{self.key}：{self.zh}"
        return f"rule pack {where}, {self.key}: {self.en}"


@dataclass
class Knockout:
    code: str
    variable: str
    op: str  # in / not_in / is_true / below / above
    value: object
    reason_zh: str
    reason_en: str
    fix_zh: str
    fix_en: str
    optional: bool = False


@dataclass
class Factor:
    variable: Variable
    monotonic: str | None = None  # increasing / decreasing (numeric)
    better: tuple[str, ...] = ()  # categorical order, worst to best
    reason_zh: str = ""
    reason_en: str = ""
    fix_zh: str = ""
    fix_en: str = ""


@dataclass
class Band:
    name: str
    lower: float
    upper: float
    key: str = ""  # where the pack declares it, e.g. "decision[0]"


@dataclass
class RulePack:
    id: str
    version: str
    name_zh: str
    name_en: str
    product: str
    effective: dt.date
    expires: dt.date
    hash: str
    source: str
    text: str
    base_points: float
    required: tuple[str, ...]
    reentry_window_days: int
    knockouts: list[Knockout]
    factors: list[Factor]
    grades: list[Band]
    decisions: list[Band]
    limit: dict
    pricing: dict
    term: dict
    card: Card | None = None
    card_text: str | None = None
    extra: dict = field(default_factory=dict)
    score_range: tuple[float, float] | None = None  # the lowest and highest score the pack can give
    warnings: list[dict] = field(default_factory=list)  # {"key", "line", "en", "zh"}: allowed, but look

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def variables(self) -> list[str]:
        return [f.variable.name for f in self.factors]

    def summary(self) -> dict:
        return {"id": self.id, "version": self.version, "hash": self.hash, "name_zh": self.name_zh,
                "name_en": self.name_en, "effective": self.effective.isoformat(),
                "expires": self.expires.isoformat(), "source": self.source,
                "warnings": [{"key": w["key"], "en": w["en"], "zh": w["zh"]} for w in self.warnings]}  # fmt: skip


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
    c = _Checker(source, text, strict)
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


class _Checker:
    """Reads keys and raises PackError with the line where the key can be found."""

    def __init__(self, source: str, text: str, strict: bool = True):
        self.source = source
        self.lines = text.splitlines()
        self.strict = strict  # False: only the checks every stored pack has passed (see parse_pack)
        self.warnings: list[dict] = []

    def line_of(self, key: str, leaf_first: bool = False) -> int | None:
        # "factor[2].bins[1].lower" -> the 3rd [[factor]] header, then the first line after it naming a leaf.
        parts = re.findall(r"([A-Za-z_][A-Za-z_0-9]*)(?:\[(\d+)\])?", key)
        start = 0
        if parts:
            table, index = parts[0]
            pattern = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*$")
            seen = -1
            for n, line in enumerate(self.lines):
                if pattern.match(line):
                    seen += 1
                    if seen == int(index or 0):
                        start = n
                        break
            else:
                plain = [n for n, line in enumerate(self.lines) if re.match(rf"^\s*{re.escape(table)}\s*=", line)]
                return plain[0] + 1 if plain else None
        leaf = parts[-1][0] if len(parts) > 1 else None
        if leaf is None:
            return start + 1
        hits = [n for n in range(start, len(self.lines)) if re.search(rf"\b{re.escape(leaf)}\s*=", self.lines[n])]
        if not hits:
            return start + 1
        if len(parts) > 2 and parts[-2][1] and not leaf_first:  # the n-th inline entry of a list, e.g. bins[3]
            entries = [n for n in range(start, len(self.lines)) if re.match(r"^\s*\{", self.lines[n])]
            idx = int(parts[-2][1])
            if idx < len(entries):
                return entries[idx] + 1
        return hits[0] + 1

    def fail(self, key: str, en: str, zh: str):
        raise PackError(self.source, key, en, zh, self.line_of(key))

    def warn(self, key: str, en: str, zh: str) -> None:
        self.warnings.append({"key": key, "line": self.line_of(key), "en": en, "zh": zh})

    def keys(self, table: dict, kind: str, prefix: str) -> None:
        """Refuse a key the pack format does not have (a misspelling would otherwise be ignored)."""
        if not self.strict:
            return
        allowed = ALLOWED[kind]
        for name in table:
            if name not in allowed:
                key = f"{prefix}.{name}" if prefix else name
                hint = ", ".join(allowed)
                line = self.line_of(key, leaf_first=True)
                raise PackError(self.source, key, f"unknown key '{name}' (allowed here: {hint})",
                                f"未知的键“{name}”（此处可用：{hint}）", line)  # fmt: skip

    def tables(self, parent: dict, key: str, limit: int | None = None) -> list[dict]:
        """An array of tables ([[knockout]], [[factor]], ...); each is checked to be a table."""
        rows = parent.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            self.fail(key, f"must be written as [[{key}]] tables", f"应写成 [[{key}]] 表")
        self.at_most(rows, key, limit)
        return rows

    def at_most(self, rows: list, key: str, limit: int | None) -> None:
        if self.strict and limit is not None and len(rows) > limit:
            self.fail(key, f"{len(rows)} entries: at most {limit} are accepted", f"共 {len(rows)} 项，最多 {limit} 项")

    def array(self, table: dict, key: str, optional: bool = False) -> list:
        leaf = key.rsplit(".", 1)[-1]
        if optional and leaf not in table:
            return []
        value = self.get(table, key)
        if self.strict and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            self.fail(key, "must be a list of names", "应为名称列表")
        return list(value)

    def boolean(self, table: dict, key: str) -> bool:
        value = self.get(table, key)
        if self.strict and not isinstance(value, bool):
            self.fail(key, f"must be true or false, got {value!r}", f"应为 true 或 false，实际为 {value!r}")
        return bool(value)

    def whole(self, table: dict, key: str, minimum: int = 0, maximum: int | None = None) -> int:
        if not self.strict:
            return self.number(table, key)
        value = self.get(table, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"must be a whole number of at least {minimum}, got {value!r}",
                      f"应为不小于 {minimum} 的整数，实际为 {value!r}")  # fmt: skip
        if maximum is not None and value > maximum:
            self.fail(key, f"must be a whole number from {minimum} to {maximum}, got {value!r}",
                      f"应为 {minimum} 至 {maximum} 的整数，实际为 {value!r}")  # fmt: skip
        return value

    def get(self, table: dict, key: str):
        leaf = key.rsplit(".", 1)[-1]
        if leaf not in table:
            self.fail(key, "is missing", "缺失")
        return table[leaf]

    def table(self, parent: dict, key: str) -> dict:
        value = self.get(parent, key)
        if not isinstance(value, dict):
            self.fail(key, "must be a table", "应为表")
        return value

    def string(self, table: dict, key: str) -> str:
        value = self.get(table, key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a non-empty string, got {_shown(value)}",
                      f"应为非空字符串，实际为 {_shown(value)}")  # fmt: skip
        return value

    def name(self, table: dict, key: str) -> str:
        """An identifier people read and files name: a quoted string of at most ``MAX_TEXT`` printable characters."""
        value = self.string(table, key)
        if self.strict and (len(value) > MAX_TEXT or not value.isprintable()):
            self.fail(key, f"must be at most {MAX_TEXT} printable characters", f"应为不超过 {MAX_TEXT} 个可打印字符")
        return value

    def number(self, table: dict, key: str, minimum: float | None = None, maximum: float | None = None, *,
               above: bool = False) -> float:  # fmt: skip
        """A finite number (never true/false); within [minimum, maximum] (``above``: more than minimum)."""
        value = self.get(table, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(key, f"must be a number, got {_shown(value)}", f"应为数字，实际为 {_shown(value)}")
        low_ok = minimum is None or (value > minimum if above else value >= minimum)
        if self.strict and (not low_ok or (maximum is not None and value > maximum)):
            low = "" if minimum is None else f"{'above' if above else 'from'} {minimum:g}"
            low_zh = "" if minimum is None else f"{'大于' if above else '不小于'} {minimum:g}"
            high, high_zh = ("", "") if maximum is None else (f"at most {maximum:g}", f"不大于 {maximum:g}")
            self.fail(key, f"must be {' and '.join(filter(None, (low, high)))}, got {value:g}",
                      f"应{' 且'.join(filter(None, (low_zh, high_zh)))}，实际为 {value:g}")  # fmt: skip
        return float(value)

    def values(self, value, key: str, variable: str) -> None:
        """The values of a knock-out's in/not_in or a category bin: names or numbers (strict: of the
        variable's closed set of values, when it has one)."""
        if not self.strict:
            return
        if len(value) > MAX_VALUES:
            self.fail(key, f"{len(value)} values: at most {MAX_VALUES} are accepted",
                      f"共 {len(value)} 个值，最多 {MAX_VALUES} 个")  # fmt: skip
        for v in value:
            if isinstance(v, bool) or not isinstance(v, (str, int, float)):
                self.fail(key, f"must list names or numbers, got {_shown(v)}", f"应列出名称或数字，实际为 {_shown(v)}")
        domain = DOMAINS.get(variable)
        if domain:
            for v in value:
                if str(v) not in domain:
                    self.fail(key, f"'{v}' is not a {variable} value ({', '.join(domain)}): no applicant can have it",
                              f"“{v}”不是 {variable} 的取值（{'、'.join(domain)}），不会有申请人取此值")  # fmt: skip

    def card_points(self, card: Card) -> None:
        """An imported card's base and points within the same bounds as a pack's own."""
        if not self.strict:
            return
        where = "scorecard.file"
        if not -MAX_POINTS <= card.base_points <= MAX_POINTS:
            self.fail(where, f"the card's base points {card.base_points:g} are not within +/-{MAX_POINTS:,}",
                      f"评分卡基础分 {card.base_points:g} 超出 ±{MAX_POINTS:,}")  # fmt: skip
        for var in card.variables:
            points = [b.points for b in var.bins] + [var.missing_points, var.other_points, *var.special_points.values()]
            bad = [p for p in points if not (math.isfinite(p) and -MAX_POINTS <= p <= MAX_POINTS)]
            if bad:
                self.fail(where, f"the card's variable '{var.name}' has points {bad[0]:g}, "
                          f"not within +/-{MAX_POINTS:,}",
                          f"评分卡变量“{var.name}”的分值 {bad[0]:g} 超出 ±{MAX_POINTS:,}")  # fmt: skip

    def date(self, table: dict, key: str) -> dt.date:
        value = self.get(table, key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.fail(key, "must be a date like 2026-01-01", "应为日期，如 2026-01-01")

    def knockout(self, k: dict, key: str, known: set) -> Knockout:
        self.keys(k, "knockout", key)
        code = self.string(k, f"{key}.code")
        variable = self.string(k, f"{key}.variable")
        if variable not in known:
            self.fail(f"{key}.variable", f"unknown field '{variable}'", f"未知字段“{variable}”")
        ops = [op for op in ("in", "not_in", "is_true", "below", "above") if op in k]
        if len(ops) != 1:
            self.fail(key, "needs exactly one of in, not_in, is_true, below, above",
                      "须且只能有 in、not_in、is_true、below、above 之一")  # fmt: skip
        op = ops[0]
        value = k[op]
        if op in ("below", "above"):
            value = self.number(k, f"{key}.{op}")
        elif op in ("in", "not_in") and not (isinstance(value, list) and value):
            self.fail(f"{key}.{op}", "must be a non-empty list", "应为非空列表")
        if op in ("in", "not_in"):
            self.values(value, f"{key}.{op}", variable)
        elif op == "is_true" and value is not True and self.strict:
            self.fail(f"{key}.is_true", f"must be true, got {value!r} (a rule 'is_true = false' would never be "
                      "checked; to decline on 'no', ask for a field that is true in that case)",
                      f"应为 true，实际为 {value!r}（is_true = false 的规则永远不会生效）")  # fmt: skip
        texts = [self.string(k, f"{key}.{t}") for t in ("reason_zh", "reason_en", "fix_zh", "fix_en")]
        optional = self.boolean(k, f"{key}.optional") if "optional" in k else False
        return Knockout(code, variable, op, value, *texts, optional=optional)

    def factor(self, f: dict, key: str, known: set) -> Factor:
        self.keys(f, "factor", key)
        name = self.string(f, f"{key}.variable")
        if name not in known:
            self.fail(f"{key}.variable", f"unknown field '{name}'", f"未知字段“{name}”")
        rows = self.get(f, f"{key}.bins")
        if not isinstance(rows, list) or not rows:
            self.fail(f"{key}.bins", "must be a non-empty list", "应为非空列表")
        self.at_most(rows, f"{key}.bins", MAX_BINS)
        if not isinstance(rows[0], dict):
            self.fail(f"{key}.bins[0]", "must be a table", "应为表")
        categorical = "values" in rows[0]
        bins: list[Bin] = []
        for j, b in enumerate(rows):
            bkey = f"{key}.bins[{j}]"
            if not isinstance(b, dict):
                self.fail(bkey, "must be a table", "应为表")
            self.keys(b, "bin", bkey)
            points = self.number(b, f"{bkey}.points", -MAX_POINTS, MAX_POINTS)
            if categorical:
                values = b.get("values")
                if not isinstance(values, list) or not values:
                    self.fail(f"{bkey}.values", "must be a non-empty list", "应为非空列表")
                self.values(values, f"{bkey}.values", name)
                bins.append(Bin("/".join(map(str, values)), points, members=tuple(str(v) for v in values)))
            else:
                if "values" in b:
                    self.fail(bkey, "mixes category and numeric bins", "分类分箱与数值分箱混用")
                lo = self.number(b, f"{bkey}.lower") if "lower" in b else -math.inf
                hi = self.number(b, f"{bkey}.upper") if "upper" in b else math.inf
                if lo >= hi:
                    self.fail(bkey, f"lower {lo} is not below upper {hi}", f"下限 {lo} 不小于上限 {hi}")
                bins.append(Bin(_interval_label(lo, hi), points, lo, hi))
        if categorical:
            seen: dict[str, int] = {}
            for j, b in enumerate(bins):
                for m in b.members:
                    if m in seen:
                        self.fail(f"{key}.bins[{j}].values", f"'{m}' is already in bin {seen[m]}",
                                  f"“{m}”已在第 {seen[m]} 个分箱中")  # fmt: skip
                    seen[m] = j
        else:
            self._contiguous([(b.lower, b.upper) for b in bins], f"{key}.bins")
        bound = (-MAX_POINTS, MAX_POINTS)
        missing_points = self.number(f, f"{key}.missing_points", *bound) if "missing_points" in f else 0.0
        other_points = self.number(f, f"{key}.other_points", *bound) if "other_points" in f else 0.0
        worst = min(b.points for b in bins)
        if missing_points > worst and self.strict:
            # Otherwise leaving the data out would score better than giving the worst value.
            self.fail(f"{key}.missing_points", f"{missing_points:g} is more than the worst bin's {worst:g} points: "
                      "leaving the data out must not score better than the worst value",
                      f"缺失分值 {missing_points:g} 高于最差分箱的 {worst:g} 分："
                      "不提供数据不应比最差的值得分更高")  # fmt: skip
        var = Variable(name, CATEGORICAL if categorical else NUMERIC, "pack", bins,
                       missing_points=missing_points, other_points=other_points,
                       label_zh=variable_label(name, "zh"), label_en=variable_label(name, "en"))  # fmt: skip
        monotonic = f.get("monotonic")
        if monotonic not in (None, "increasing", "decreasing"):
            self.fail(f"{key}.monotonic", "must be increasing or decreasing", "应为 increasing 或 decreasing")
        pts = [b.points for b in bins]
        if monotonic == "increasing" and pts != sorted(pts):
            self.fail(f"{key}.bins", "points must not fall as the value rises (monotonic = increasing)",
                      "声明单调递增，但分值随数值增加而下降")  # fmt: skip
        if monotonic == "decreasing" and pts != sorted(pts, reverse=True):
            self.fail(f"{key}.bins", "points must not rise as the value rises (monotonic = decreasing)",
                      "声明单调递减，但分值随数值增加而上升")  # fmt: skip
        better = tuple(self.array(f, f"{key}.better", optional=True))
        if better:
            lookup = {m: b.points for b in bins for m in b.members}
            order = [lookup.get(v, var.other_points) for v in better]
            if order != sorted(order):
                self.fail(f"{key}.better", "a better category scores less than a worse one",
                          "较优类别的分值低于较差类别")  # fmt: skip
        texts = [(self.string(f, f"{key}.{t}") if self.strict else f[t]) if t in f else ""
                 for t in ("reason_zh", "reason_en", "fix_zh", "fix_en")]  # fmt: skip
        return Factor(var, monotonic, better, *texts)

    def _contiguous(self, spans: list[tuple[float, float]], key: str) -> None:
        order = sorted(range(len(spans)), key=lambda j: spans[j][0])
        if spans[order[0]][0] != -math.inf:
            self.fail(f"{key}[{order[0]}].lower", f"nothing covers values below {spans[order[0]][0]}",
                      f"低于 {spans[order[0]][0]} 的值没有分箱")  # fmt: skip
        for prev, cur in itertools.pairwise(order):
            p_hi, c_lo = spans[prev][1], spans[cur][0]
            if c_lo < p_hi:
                self.fail(f"{key}[{cur}].lower", f"overlaps the bin ending at {p_hi}", f"与止于 {p_hi} 的分箱重叠")
            if c_lo > p_hi:
                self.fail(f"{key}[{cur}].lower", f"gap between {p_hi} and {c_lo}", f"{p_hi} 与 {c_lo} 之间有空档")
        if spans[order[-1]][1] != math.inf:
            self.fail(f"{key}[{order[-1]}].upper", f"nothing covers values from {spans[order[-1]][1]}",
                      f"{spans[order[-1]][1]} 及以上的值没有分箱")  # fmt: skip

    def bands(self, rows, key: str) -> list[Band]:
        if not isinstance(rows, list) or not rows:
            self.fail(key, "needs at least one band", "至少需要一个区间")
        self.at_most(rows, key, MAX_BANDS)
        bands = []
        for i, r in enumerate(rows):
            if not isinstance(r, dict):
                self.fail(f"{key}[{i}]", "must be a table", "应为表")
            self.keys(r, "band", f"{key}[{i}]")
            name = self.string(r, f"{key}[{i}].name")
            lo = self.number(r, f"{key}[{i}].lower") if "lower" in r else -math.inf
            hi = self.number(r, f"{key}[{i}].upper") if "upper" in r else math.inf
            if lo >= hi:
                self.fail(f"{key}[{i}]", f"lower {lo} is not below upper {hi}", f"下限 {lo} 不小于上限 {hi}")
            bands.append(Band(name, lo, hi, f"{key}[{i}]"))
        self._contiguous([(b.lower, b.upper) for b in bands], key)
        return sorted(bands, key=lambda b: b.lower)


def _shown(value) -> str:
    """A value as the pack wrote it, cut short (a 50 MB string must not fill the message)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _interval_label(lo: float, hi: float) -> str:
    def fmt(v: float) -> str:
        return "-inf" if v == -math.inf else "inf" if v == math.inf else f"{v:g}"

    return f"[{fmt(lo)}, {fmt(hi)})"
