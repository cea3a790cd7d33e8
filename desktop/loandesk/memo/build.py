"""Lay out a memo's content as a PDF with reportlab platypus.

Text flows over as many pages as it needs (long names wrap in their cells, long notes
split between pages, factor tables repeat their header). Every page carries the memo
number, "page X of Y" and, until approved, a DRAFT watermark. The one font is an embedded
TrueType subset (see ``fonts``), so Chinese prints the same everywhere.
"""

from __future__ import annotations

import io
import re
from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics.shapes import Circle, Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from . import linebreak
from .chart import finance_chart
from .fonts import register_font
from .numbers import factor_value_text, money_text, number_text, rate_text
from .qr import QRCode
from .template import MemoTemplate

INK = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa9bb")
SHADE = colors.HexColor("#eef2f7")
OVERRIDE = colors.HexColor("#fbefd9")  # the override's rows stand out from the model's
MARGIN = 18 * mm
LABEL_W = 36 * mm  # every label column of every label/value table: the values line up down the memo


# Text with any Chinese (or full-width) character in it wraps by the CJK rules.
_CJK_TEXT = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


class _Styles:
    """The paragraph styles, made once per font and shared by every memo of a batch.

    Each style has a twin that wraps by the CJK rules, which ``linebreak`` extends with the Chinese
    line-breaking rules. A Chinese memo uses the twins throughout; an English memo uses them for any
    text with Chinese in it (names, notes, purposes are Chinese whatever the memo's language) and
    wraps plain English between words (the CJK wrap may break an English word anywhere).
    """

    def __init__(self, font: str):
        base = ParagraphStyle("body", fontName=font, bulletFontName=font, fontSize=9.5, leading=14,
                              splitLongWords=1)  # fmt: skip
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=11)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.8, leading=12.5)
        self.label = ParagraphStyle("label", parent=self.cell, textColor=INK)
        self.sublabel = ParagraphStyle("sublabel", parent=self.label, keepWithNext=1)  # stays with what it heads
        self.num = ParagraphStyle("num", parent=self.cell, alignment=TA_RIGHT)
        self.title = ParagraphStyle("title", parent=base, fontSize=17, leading=22, alignment=TA_CENTER,
                                    textColor=INK, spaceAfter=4)  # fmt: skip
        self.bank = ParagraphStyle("bank", parent=base, fontSize=12, leading=15, textColor=INK)
        self.heading = ParagraphStyle("heading", parent=base, fontSize=11.5, leading=16, textColor=INK,
                                      spaceBefore=9, spaceAfter=4, keepWithNext=1)  # fmt: skip
        self.bullet = ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2)
        self.code = ParagraphStyle("code", parent=base, fontSize=6.5, leading=8.5, textColor=colors.HexColor("#555555"))
        self._cjk: dict[str, ParagraphStyle] = {}

    def cjk(self, style: ParagraphStyle) -> ParagraphStyle:
        twin = self._cjk.get(style.name)
        if twin is None:
            twin = self._cjk[style.name] = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
        return twin


@cache
def _styles(font: str) -> _Styles:
    return _Styles(font)


# Parsed paragraph markup, by (markup, style, bullet): a batch prints the same headings, labels and
# sentences in every memo, and parsing the markup is most of what a Paragraph costs to make. The parse
# (fragments: text runs with their font, size and colour) is only read while a page is laid out and
# drawn, so one parse serves every memo; the styles are made once per process (``_styles``), so their
# ids stay valid. Bounded: a batch's own names and notes are parsed each time once it is full.
_PARSED: dict[tuple[str, int, str | None], tuple] = {}
PARSED_MAX = 20_000


def _paragraph(markup: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    key = (markup, id(style), bullet)
    parsed = _PARSED.get(key)
    if parsed is None:
        para = Paragraph(markup, style, bulletText=bullet)
        if len(_PARSED) < PARSED_MAX:
            _PARSED[key] = (para.style, para.frags, para.bulletText)
        return para
    parsed_style, frags, bullet_text = parsed
    return Paragraph(markup, parsed_style, bulletText=bullet_text, frags=list(frags))


class _Ctx:
    """What every section builder needs: content, template, language, styles, width."""

    def __init__(self, content: dict, template: MemoTemplate, styles: _Styles, width: float, font: str):
        self.c, self.t, self.s, self.width, self.font = content, template, styles, width, font
        self.lang = content["lang"]

    def w(self, key: str, **fields) -> str:
        return self.t.text(key, self.lang, **fields)

    def style(self, text: str, style: ParagraphStyle) -> ParagraphStyle:
        return self.s.cjk(style) if self.lang == "zh" or _CJK_TEXT.search(text) else style

    def p(self, text, style: ParagraphStyle | None = None, markup: str | None = None, **kw) -> Paragraph:
        """A paragraph of plain ``text`` (escaped), wrapped by the rules its text needs."""
        text = "—" if text in (None, "") else str(text)
        chosen = self.style(text, style or self.s.body)
        if set(kw) - {"bulletText"}:
            return Paragraph(markup or escape(text), chosen, **kw)
        return _paragraph(markup or escape(text), chosen, kw.get("bulletText"))

    def label(self, key: str) -> Paragraph:
        """A small heading over a list or paragraph, kept on the same page as it."""
        return self.p(self.w(key), self.s.sublabel)

    def fit(self, text, style: ParagraphStyle, width: float):
        """A plain string when it fits on one line of a ``width`` cell, else a wrapping Paragraph.

        Plain table strings cost a fraction of a Paragraph to lay out, and most cells are short.
        """
        text = "—" if text in (None, "") else str(text)
        if "\n" not in text and stringWidth(text, self.font, style.fontSize) <= width - 12.5:
            return text
        return self.p(text, style)

    def money(self, amount) -> str:
        return money_text(amount, self.t, self.lang)

    def paren(self, text, aside) -> str:
        """``text（aside）`` in Chinese, ``text (aside)`` in English."""
        return f"{text}（{aside}）" if self.lang == "zh" else f"{text} ({aside})"

    def yes_no(self, flag) -> str:
        return self.w("unknown") if flag is None else self.w("yes" if flag else "no")


def _table_style(ctx: _Ctx, commands: list) -> TableStyle:
    # Tables draw plain-string cells (even empty ones) in Helvetica unless told otherwise, and an
    # unembedded font must not appear in the file at all.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), ctx.font), *commands])


def _kv_table(ctx: _Ctx, pairs: list[tuple[str, object]], columns: int = 2, shade=SHADE) -> Table:
    """Label/value pairs, ``columns`` pairs per row; values wrap inside their cells. Every table has
    the same label width, so a one-column row's value starts where the two-column rows' values do."""
    label_w = LABEL_W
    value_w = ctx.width / columns - label_w
    rows, row = [], []
    for label, value in pairs:
        row += [ctx.fit(label, ctx.s.label, label_w), ctx.fit(value, ctx.s.cell, value_w)]
        if len(row) == 2 * columns:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (2 * columns - len(row)))
    table = Table(rows, colWidths=[label_w, value_w] * columns)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.4, RULE),
             ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
             ("FONTSIZE", (0, 0), (-1, -1), ctx.s.cell.fontSize), ("LEADING", (0, 0), (-1, -1), ctx.s.cell.leading)]
    style += [("BACKGROUND", (2 * i, 0), (2 * i, -1), shade) for i in range(columns)]
    style += [("TEXTCOLOR", (2 * i, 0), (2 * i, -1), INK) for i in range(columns)]
    table.setStyle(_table_style(ctx, style))
    return table


def _bullets(ctx: _Ctx, items: list[str]) -> list:
    if not items:
        return [ctx.p(ctx.w("none"))]
    return [ctx.p(i, ctx.s.bullet, bulletText="•") for i in items]


def _heading(ctx: _Ctx, key: str) -> Paragraph:
    return ctx.p(ctx.w(key), ctx.s.heading)


# ---- sections ------------------------------------------------------------------------------


def _in_effect(ctx: _Ctx, d: dict | None) -> tuple[str, str]:
    """(decision, limit) in effect as printed: a confirmed override's, marked as such, or the model's."""
    if d is None:
        return ctx.w("unknown"), ctx.w("unknown")
    eff = d["effective"]
    decision = ctx.t.enum("decision", eff["decision"], ctx.lang)
    if eff.get("source") == "approval":
        decision = ctx.paren(decision, ctx.w("by_approver"))
    elif d["override"]:
        decision = ctx.paren(decision, ctx.w("overridden"))
    limit = ctx.money(eff["limit"]) if eff["limit"] else ctx.w("limit_to_set")
    if eff["decision"] == "decline":
        limit = ctx.w("none")
    return decision, limit


def _summary(ctx: _Ctx) -> list:
    b, a, d = ctx.c["borrower"], ctx.c["application"], ctx.c["decision"]
    decision, limit = _in_effect(ctx, d)
    pairs = [
        (ctx.w("enterprise_name"), b["enterprise_name"]),
        (ctx.w("requested_amount"), ctx.money(a["requested_amount"])),
        (ctx.w("product"), a["product_name"]),
        (ctx.w("term"), ctx.w("months", n=a["term_months"])),
        (ctx.w("guarantee_mode"), ctx.t.enum("guarantee_mode", a["guarantee_mode"], ctx.lang)),
        (ctx.w("officer"), ctx.c["officer"]),
        (ctx.w("decision"), decision),
        (ctx.w("recommended_limit"), limit),
    ]
    return [_kv_table(ctx, pairs)]


def _borrower(ctx: _Ctx) -> list:
    b = ctx.c["borrower"]
    years = ctx.w("years", n=number_text(b["years_operating"])) if b["years_operating"] is not None else None
    industry = b["industry_name"] or b["industry"]  # the name only: the code is for the system, not the reader
    pairs = [
        (ctx.w("enterprise_name"), b["enterprise_name"]),
        (ctx.w("credit_code"), b["credit_code"]),
        (ctx.w("entity_type"), ctx.t.enum("entity_type", b["entity_type"], ctx.lang)),
        (ctx.w("industry"), industry),
        (ctx.w("size_class"), ctx.t.enum("size_class", b["size_class"], ctx.lang)),
        (ctx.w("region_code"), b["region_code"]),
        (ctx.w("registered_on"), b["registered_on"]),
        (ctx.w("years_operating"), years),
        (ctx.w("legal_rep"), b["legal_rep_name"]),
        (ctx.w("legal_rep_id"), b["legal_rep_id"]),
        (ctx.w("legal_rep_phone"), b["legal_rep_phone"]),
    ]
    # The name can be very long: give it a full-width row of its own.
    first = _kv_table(ctx, pairs[:1], columns=1)
    return [first, _kv_table(ctx, pairs[1:])]


def _request(ctx: _Ctx) -> list:
    a = ctx.c["application"]
    pairs = [
        (ctx.w("requested_amount"), ctx.money(a["requested_amount"])),
        (ctx.w("term"), ctx.w("months", n=a["term_months"])),
        (ctx.w("product"), a["product_name"]),
        (ctx.w("guarantee_mode"), ctx.t.enum("guarantee_mode", a["guarantee_mode"], ctx.lang)),
    ]
    return [_kv_table(ctx, pairs), _kv_table(ctx, [(ctx.w("purpose"), a["purpose"])], columns=1)]


def _sources(ctx: _Ctx) -> list:
    a = ctx.c["application"]
    record = a.get("consent_record")
    if record is not None or "consent_record" in a:  # the consent record (memos from before it: inline)
        return [ctx.label("sources_used"), *_bullets(ctx, ctx.c["sources"]), Spacer(1, 3), *_consent(ctx, record)]
    consent = ctx.w("consent_given" if a["consent_given"] else "consent_missing")
    pairs = [(ctx.w("consent"), consent), (ctx.w("consent_date"), a["consent_date"])]
    return [
        ctx.label("sources_used"),
        *_bullets(ctx, ctx.c["sources"]),
        Spacer(1, 3),
        _kv_table(ctx, pairs),
        _kv_table(ctx, [(ctx.w("consent_scope"), a["consent_scope"])], columns=1),
    ]


def _consent(ctx: _Ctx, record: dict | None) -> list:
    """Who gave the consent (masked), when, for what and until when; or that there is none."""
    from loandesk.core.consent import scope_text

    if record is None:
        return [_kv_table(ctx, [(ctx.w("consent"), ctx.w("consent_missing"))], columns=1)]
    state = ctx.w("consent_revoked", date=record["revoked_on"]) if record.get("revoked_on") else ctx.w("consent_given")
    pairs = [(ctx.w("consent"), state), (ctx.w("consent_given_by"), record["given_by"]),
             (ctx.w("consent_date"), record["given_on"]), (ctx.w("consent_expires"), record["expires_on"])]  # fmt: skip
    return [_kv_table(ctx, pairs),
            _kv_table(ctx, [(ctx.w("consent_scope"), scope_text(record["scope"], ctx.lang))], columns=1)]


def _site_visit(ctx: _Ctx) -> list:
    notes = ctx.c["application"]["site_notes"]
    if not notes.strip():
        return [ctx.p(ctx.w("site_notes_missing"))]
    # One paragraph per line the officer typed: each can split across pages on its own.
    return [ctx.p(line) for line in notes.splitlines() if line.strip()]


def _financials(ctx: _Ctx) -> list:
    f = ctx.c["financials"]

    def persons(n):
        return ctx.w("persons", n=n) if n is not None else None

    def yuan(v):  # the chart shows 10k yuan, its axis says so
        return ctx.money(v) if v is not None else None

    rows = [
        (ctx.w("annual_revenue"), yuan(f["annual_revenue"])),
        (ctx.w("total_assets"), yuan(f["total_assets"])),
        (ctx.w("invoice_sales_12m"), yuan(f["invoice_sales_12m"])),
        (ctx.w("tax_paid_12m"), yuan(f["tax_paid_12m"])),
        (ctx.w("tax_paid_prev_12m"), yuan(f["tax_paid_prev_12m"])),
        (ctx.w("tax_burden"), f"{f['tax_burden']:.2f}%" if f["tax_burden"] is not None else None),
        (ctx.w("tax_grade"), f["tax_grade"]),
        (ctx.w("employees"), persons(f["employees"])),
        (ctx.w("social_insurance_headcount"), persons(f["social_insurance_headcount"])),
        (ctx.w("has_loan_history"), ctx.yes_no(f["has_loan_history"])),
        (ctx.w("abnormal_operation"), ctx.yes_no(f["abnormal_operation"])),
        (ctx.w("dishonest_debtor"), ctx.yes_no(f["dishonest_debtor"])),
    ]
    out: list = [_kv_table(ctx, rows)]
    words = {k: ctx.w(k) for k in ("chart_revenue", "chart_tax", "chart_revenue_bar", "chart_invoice_bar",
                                   "chart_prev", "chart_last")}  # fmt: skip
    figures = {k: f[k] for k in ("annual_revenue", "invoice_sales_12m", "tax_paid_12m", "tax_paid_prev_12m")}
    chart = finance_chart(figures, words, ctx.font, width=ctx.width, height=125)
    if chart:
        out += [Spacer(1, 6), chart, ctx.p(ctx.w("chart_note"), ctx.s.small)]
    else:
        out.append(ctx.p(ctx.w("chart_missing"), ctx.s.small))
    return out


def _scoring(ctx: _Ctx) -> list:
    d = ctx.c["decision"]
    if d is None:
        return [ctx.p(ctx.w("unknown"))]
    score = number_text(d["score"]) if isinstance(d["score"], int | float) else d["score"]
    ov = d["override"]
    model_limit = ctx.w("none") if d["decision"] == "decline" and not d["limit"] else ctx.money(d["limit"])
    pairs = [
        (ctx.w("score"), score),
        (ctx.w("grade"), d["grade"]),
        (ctx.w("model_decision" if ov else "decision"), ctx.t.enum("decision", d["decision"], ctx.lang)),
        (ctx.w("model_limit" if ov else "limit"), model_limit),
        (ctx.w("rate"), rate_text(d["rate"], ctx.t, ctx.lang)),
        (ctx.w("scored_at"), _stamp(d["scored_at"])),
    ]
    out: list = [_kv_table(ctx, pairs)]
    if ov:
        limit = ctx.money(ov["to_limit"]) if ov["to_limit"] is not None else ctx.w("limit_unchanged")
        rows = [
            (ctx.w("override_to"), ctx.t.enum("decision", ov["to_decision"], ctx.lang)),
            (ctx.w("override_limit"), limit if ov["to_decision"] != "decline" else ctx.w("none")),
            (ctx.w("override_officer"), ov["officer"]),
            (ctx.w("override_approver"), ov["approver"]),
        ]
        out.append(_kv_table(ctx, rows, shade=OVERRIDE))
        notes = [(ctx.w("override_reason"), ov["reason"]), (ctx.w("override_decided_at"), _stamp(ov["decided_at"]))]
        if ov["approver_note"]:
            notes.append((ctx.w("override_note"), ov["approver_note"]))
        out.append(_kv_table(ctx, notes, columns=1, shade=OVERRIDE))
    pack = f"{d['pack_id']} v{d['pack_version']}  SHA-256 {d['pack_hash']}"
    out.append(_kv_table(ctx, [(ctx.w("rule_pack"), pack)], columns=1))
    if d["factors"]:
        widths = [ctx.width * 0.5, ctx.width * 0.32, ctx.width * 0.18]
        rows = [[ctx.fit(ctx.w(k), ctx.s.label, w) for k, w in zip(("factor", "value", "points"), widths, strict=True)]]
        for f in d["factors"]:
            value = factor_value_text(f["value"], f.get("kind"), ctx.t, ctx.lang)
            points = number_text(f["points"]) if isinstance(f["points"], int | float) else f["points"]
            rows.append([ctx.fit(f["label"], ctx.s.cell, widths[0]), ctx.fit(value, ctx.s.cell, widths[1]),
                         ctx.fit(points, ctx.s.num, widths[2])])  # fmt: skip
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(_table_style(ctx, [
            ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TEXTCOLOR", (0, 0), (-1, 0), INK),
            ("ALIGN", (2, 1), (2, -1), "RIGHT"),
            ("FONTSIZE", (0, 0), (-1, -1), ctx.s.cell.fontSize), ("LEADING", (0, 0), (-1, -1), ctx.s.cell.leading),
        ]))  # fmt: skip
        out += [Spacer(1, 4), table]
    for key in ("knockouts", "reasons", "what_would_change"):
        out += [Spacer(1, 3), ctx.label(key), *_bullets(ctx, d[key])]
    return out


def _stamp(iso: str | None) -> str:
    return (iso or "")[:19].replace("T", " ")


def _risks(ctx: _Ctx) -> list:
    return [
        ctx.label("risks_found"), *_bullets(ctx, ctx.c["risks"]), Spacer(1, 3),
        ctx.label("mitigants"), *_bullets(ctx, ctx.c["mitigants"]),
    ]  # fmt: skip


def _conclusion(ctx: _Ctx) -> list:
    return [
        ctx.label("officer_conclusion"),
        *[ctx.p(line) for line in ctx.c["conclusion"].splitlines() if line.strip()],
        Spacer(1, 3),
        ctx.label("recommendation"),
        ctx.p(ctx.c["recommendation"]),
    ]


def _conditions(ctx: _Ctx) -> list:
    items = ctx.c["conditions"]
    if not items:
        return [ctx.p(ctx.w("none" if ctx.c["conditions_apply"] else "conditions_not_applicable"))]
    return [ctx.p(c, ctx.s.bullet, bulletText=f"{i}.") for i, c in enumerate(items, 1)]


def _approval(ctx: _Ctx) -> list:
    approval = ctx.c["approval"]
    line = "_" * 22
    officer = f"{ctx.c['officer']}    {line}" if ctx.c["officer"] else line
    approver_date = approval["approved_on"] if approval else line
    widths = [ctx.width * 0.24, ctx.width * 0.42, ctx.width * 0.1, ctx.width * 0.24]
    cells = [
        [ctx.w("officer_sign"), officer, ctx.w("sign_date"), ctx.c["issued_on"]],
        [ctx.w("approver_sign"), f"{approval['approved_by']}    {line}" if approval else line, ctx.w("sign_date"),
         approver_date],
    ]  # fmt: skip
    styles = [ctx.s.label, ctx.s.body] * 2
    rows = [[ctx.fit(text, st, w) for text, st, w in zip(r, styles, widths, strict=True)] for r in cells]
    table = Table(rows, colWidths=widths)
    table.setStyle(_table_style(ctx, [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 12),
        ("FONTSIZE", (0, 0), (-1, -1), ctx.s.body.fontSize), ("LEADING", (0, 0), (-1, -1), ctx.s.body.leading),
        ("FONTSIZE", (0, 0), (0, -1), ctx.s.label.fontSize), ("FONTSIZE", (2, 0), (2, -1), ctx.s.label.fontSize),
        ("TEXTCOLOR", (0, 0), (0, -1), INK), ("TEXTCOLOR", (2, 0), (2, -1), INK),
    ]))  # fmt: skip
    # The officer declares an on-site visit only when one is recorded.
    block = [ctx.p(ctx.w("declaration" if ctx.c["site_visit_recorded"] else "declaration_no_visit")), table]
    if approval:
        words = {"name": approval["approved_by"], "date": approval["approved_on"]}
        signed = approval.get("signed_lang")
        if signed and signed != ctx.lang:  # a rendition: say in which language the approver signed
            block.append(ctx.p(ctx.w("approved_copy", signed=ctx.w(f"lang_{signed}"), **words)))
        else:
            block.append(ctx.p(ctx.w("approved_by", **words)))
        block += _approver_decision(ctx, approval)
    return [KeepTogether(block)]


def _approver_decision(ctx: _Ctx, approval: dict) -> list:
    """The approver's own decision under the signatures: approve (limit, term, rate, conditions) or decline
    (reason). Memos approved before approvers recorded a decision have only a name and a date."""
    if "decision" not in approval:
        return []
    word = ctx.t.enum("decision", approval["decision"], ctx.lang)
    if approval["decision"] == "decline":
        return [ctx.p(ctx.w("approval_decision_decline", decision=word, reason=approval.get("reason") or ""))]
    term = ctx.w("months", n=approval["term_months"]) if approval.get("term_months") else ctx.w("unknown")
    out = [ctx.p(ctx.w("approval_decision_approve", decision=word, limit=ctx.money(approval.get("limit")), term=term,
                       rate=rate_text(approval.get("rate"), ctx.t, ctx.lang)))]  # fmt: skip
    # The approver's conditions are numbered in the conditions section already (content.py adds them
    # there): printed again here they read as a second set. Only any not listed there are printed.
    listed = set(ctx.c.get("conditions") or [])
    extra = [c for c in approval.get("conditions") or [] if c not in listed]
    if extra:
        joined = ("；" if ctx.lang == "zh" else "; ").join(extra)
        out.append(ctx.p(ctx.w("approval_conditions", conditions=joined)))
    return out
def _attachments(ctx: _Ctx) -> list:
    """The documents on file with the application: type, file name, and enough of the SHA-256 to match
    the stored file (``loandesk`` keeps them encrypted in the data home)."""
    items = ctx.c.get("attachments") or []
    if not items:
        return [ctx.p(ctx.w("attachments_none"))]
    widths = [ctx.width * 0.26, ctx.width * 0.46, ctx.width * 0.28]
    heads = ("doc_type", "file_name", "file_sha256")
    rows = [[ctx.fit(ctx.w(k), ctx.s.label, w) for k, w in zip(heads, widths, strict=True)]]
    for a in items:
        cells = (ctx.t.enum("doc_type", a["doc_type"], ctx.lang), a["file_name"], (a["sha256"] or "")[:16])
        rows.append([ctx.fit(text, ctx.s.cell, w) for text, w in zip(cells, widths, strict=True)])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style(ctx, [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TEXTCOLOR", (0, 0), (-1, 0), INK),
        ("FONTSIZE", (0, 0), (-1, -1), ctx.s.cell.fontSize), ("LEADING", (0, 0), (-1, -1), ctx.s.cell.leading),
    ]))  # fmt: skip
    return [table]


SECTION_BUILDERS = {
    "summary": _summary, "borrower": _borrower, "request": _request, "sources": _sources,
    "site_visit": _site_visit, "financials": _financials, "scoring": _scoring, "risks": _risks,
    "conclusion": _conclusion, "conditions": _conditions, "attachments": _attachments, "approval": _approval,
}  # fmt: skip


# ---- header, footer, watermark ---------------------------------------------------------------


def _emblem(size: float, font: str) -> Drawing:
    """The built-in logo: a round coin with a square hole, drawn as vectors (no image file)."""
    d = Drawing(size, size, initialFontName=font)
    d.add(Circle(size / 2, size / 2, size / 2 - 1, fillColor=INK, strokeColor=None))
    d.add(Circle(size / 2, size / 2, size / 2 - 4, fillColor=None, strokeColor=colors.white, strokeWidth=1))
    hole = size * 0.26
    d.add(Rect(size / 2 - hole / 2, size / 2 - hole / 2, hole, hole, fillColor=colors.white, strokeColor=None))
    return d


def _cover(ctx: _Ctx, qr_text: str) -> list:
    c = ctx.c
    logo_path = ctx.t.logo_path
    if logo_path:
        logo = Image(str(logo_path), width=14 * mm, height=14 * mm, kind="proportional")
    else:
        logo = _emblem(14 * mm, ctx.font)
    bank = ctx.p(c["bank"] + c["branch"], ctx.s.bank,
                 markup=f"{escape(c['bank'])}<br/><font size=9.5>{escape(c['branch'])}</font>")  # fmt: skip
    qr = QRCode(qr_text, 26 * mm)
    top = Table([[logo, bank, qr]], colWidths=[17 * mm, ctx.width - 17 * mm - 28 * mm, 28 * mm])
    top.setStyle(_table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    version = ctx.paren(c["version"], f"{ctx.w('supersedes')} {c['supersedes']}") if c["supersedes"] else c["version"]
    pairs = [
        (ctx.w("memo_no"), c["memo_no"]),
        (ctx.w("application_ref"), c["application"]["ref"]),
        (ctx.w("date"), c["issued_on"]),
        (ctx.w("officer"), c["officer"]),
        (ctx.w("version"), version),
    ]
    if c.get("rendition_of"):
        pairs.append((ctx.w("rendition"), ctx.w(f"rendition_of_{c['rendition_of']}")))
    # The code under the QR code, for whoever has no scanner: verify-memo --code takes it as typed.
    code = f"{ctx.w('verify_code')}: {qr_text}"
    return [top, Spacer(1, 4), ctx.p(ctx.w("title"), ctx.s.title), _kv_table(ctx, pairs),
            ctx.p(ctx.w("verify_hint"), ctx.s.small), ctx.p(code, ctx.s.code)]  # fmt: skip


def _canvas_class(font: str, memo_no: str, page_words: str, header: str, draft: str | None):
    """A canvas that knows the page count when it saves, for "page X of Y" on every page."""

    class MemoCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = font  # else every page names Helvetica, which is never embedded
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            # Streams are written Flate-compressed only, not also ASCII85-encoded (reportlab's default,
            # for 7-bit channels): a quarter smaller and a good part of the save time saved, and the
            # bytes are as deterministic. reportlab reads the switch while it writes, so it is set
            # for this save only.
            saved, rl_config.useA85 = rl_config.useA85, 0
            try:
                super().save()
            finally:
                rl_config.useA85 = saved

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(font, 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, height - 11 * mm, header)
            self.drawRightString(width - MARGIN, height - 11 * mm, memo_no)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            self.line(MARGIN, height - 12.5 * mm, width - MARGIN, height - 12.5 * mm)
            self.line(MARGIN, 13.5 * mm, width - MARGIN, 13.5 * mm)
            self.drawString(MARGIN, 10 * mm, memo_no)
            self.drawRightString(width - MARGIN, 10 * mm, page_words.format(page=self._pageNumber, pages=total))
            self.restoreState()

    def watermark(canvas: Canvas, _doc) -> None:
        if not draft:
            return
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.12))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        canvas.setFont(font, 110 if len(draft) <= 3 else 96)
        canvas.drawCentredString(0, -30, draft)
        canvas.restoreState()

    return MemoCanvas, watermark


class _Frame(Frame):
    """The memo's one frame. reportlab deep-copies the document's frame every time it measures a group
    kept together (a heading with what follows it: some eighteen times a memo), and a deep copy walks
    every attribute through ``copy.deepcopy``. A frame's state is numbers, strings and a few lists and
    dicts of them: copied one level, which is all the measuring ever changes."""

    def __deepcopy__(self, memo: dict) -> _Frame:
        twin = object.__new__(type(self))
        twin.__dict__.update({k: v.copy() if isinstance(v, list | dict) else v for k, v in self.__dict__.items()})
        return twin


def render_pdf(content: dict, template: MemoTemplate, qr_text: str) -> bytes:
    """The memo as PDF bytes. Deterministic: the same content gives the same bytes."""
    linebreak.install()
    font = register_font()
    lang = content["lang"]
    pagesize = LETTER if template.page_size == "LETTER" else A4
    width = pagesize[0] - 2 * MARGIN
    ctx = _Ctx(content, template, _styles(font), width, font)
    story: list = _cover(ctx, qr_text)
    for name in template.sections:
        story.append(_heading(ctx, name))
        story += SECTION_BUILDERS[name](ctx)
    draft = None if content["status"] == "approved" or not template.watermark else ctx.w("draft")
    header = f"{content['bank']} · {content['branch']} · {ctx.w('title')}"
    canvas_cls, watermark = _canvas_class(font, content["memo_no"], ctx.w("page_of"), header, draft)
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=17 * mm, bottomMargin=18 * mm,
        title=f"{ctx.w('title')} {content['memo_no']}", author=content["bank"], subject=qr_text,
        creator="Loan Desk", keywords=[content["memo_no"], content["application"]["ref"]], invariant=1,
        lang="zh-CN" if lang == "zh" else "en",
    )  # fmt: skip
    frame = _Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="memo", frames=[frame], onPage=watermark)])
    doc.build(story, canvasmaker=canvas_cls)
    return out.getvalue()
