"""Lay out a memo's content as a PDF with reportlab platypus.

Text flows over as many pages as it needs (long names wrap in their cells, long notes
split between pages, factor tables repeat their header). Every page carries the memo
number, "page X of Y" and, until approved, a DRAFT watermark. The one font is an embedded
TrueType subset (see ``fonts``), so Chinese prints the same everywhere.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

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
from .content import money_text, rate_text
from .fonts import register_font
from .qr import QRCode
from .template import MemoTemplate

INK = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa9bb")
SHADE = colors.HexColor("#eef2f7")
MARGIN = 18 * mm


class _Styles:
    def __init__(self, font: str, lang: str):
        wrap = "CJK" if lang == "zh" else None
        base = ParagraphStyle("body", fontName=font, bulletFontName=font, fontSize=9.5, leading=14, wordWrap=wrap,
                              splitLongWords=1)
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=11)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.8, leading=12.5)
        self.label = ParagraphStyle("label", parent=self.cell, textColor=INK)
        self.num = ParagraphStyle("num", parent=self.cell, alignment=TA_RIGHT)
        self.title = ParagraphStyle("title", parent=base, fontSize=17, leading=22, alignment=TA_CENTER,
                                    textColor=INK, spaceAfter=4)  # fmt: skip
        self.bank = ParagraphStyle("bank", parent=base, fontSize=12, leading=15, textColor=INK)
        self.heading = ParagraphStyle("heading", parent=base, fontSize=11.5, leading=16, textColor=INK,
                                      spaceBefore=9, spaceAfter=4, keepWithNext=1)  # fmt: skip
        self.bullet = ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2)


class _Ctx:
    """What every section builder needs: content, template, language, styles, width."""

    def __init__(self, content: dict, template: MemoTemplate, styles: _Styles, width: float, font: str):
        self.c, self.t, self.s, self.width, self.font = content, template, styles, width, font
        self.lang = content["lang"]

    def w(self, key: str, **fields) -> str:
        return self.t.text(key, self.lang, **fields)

    def p(self, text, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(str(text)) if text not in (None, "") else "—", style or self.s.body)

    def fit(self, text, style: ParagraphStyle, width: float):
        """A plain string when it fits on one line of a ``width`` cell, else a wrapping Paragraph.

        Plain table strings cost a fraction of a Paragraph to lay out, and most cells are short.
        """
        text = "—" if text in (None, "") else str(text)
        if "\n" not in text and stringWidth(text, self.font, style.fontSize) <= width - 12.5:
            return text
        return Paragraph(escape(text), style)

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


def _kv_table(ctx: _Ctx, pairs: list[tuple[str, object]], columns: int = 2, label_w: float | None = None) -> Table:
    """Label/value pairs, ``columns`` pairs per row; values wrap inside their cells."""
    label_w = label_w or (30 * mm if columns == 2 else 42 * mm)
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
    style += [("BACKGROUND", (2 * i, 0), (2 * i, -1), SHADE) for i in range(columns)]
    style += [("TEXTCOLOR", (2 * i, 0), (2 * i, -1), INK) for i in range(columns)]
    table.setStyle(_table_style(ctx, style))
    return table


def _bullets(ctx: _Ctx, items: list[str]) -> list:
    if not items:
        return [ctx.p(ctx.w("none"))]
    return [Paragraph(escape(str(i)), ctx.s.bullet, bulletText="•") for i in items]


def _heading(ctx: _Ctx, key: str) -> Paragraph:
    return Paragraph(escape(ctx.w(key)), ctx.s.heading)


# ---- sections ------------------------------------------------------------------------------


def _summary(ctx: _Ctx) -> list:
    b, a, d = ctx.c["borrower"], ctx.c["application"], ctx.c["decision"]
    pairs = [
        (ctx.w("enterprise_name"), b["enterprise_name"]),
        (ctx.w("requested_amount"), ctx.money(a["requested_amount"])),
        (ctx.w("product"), a["product_name"]),
        (ctx.w("term"), ctx.w("months", n=a["term_months"])),
        (ctx.w("guarantee_mode"), ctx.t.enum("guarantee_mode", a["guarantee_mode"], ctx.lang)),
        (ctx.w("officer"), ctx.c["officer"]),
        (ctx.w("decision"), ctx.t.enum("decision", d["decision"], ctx.lang) if d else ctx.w("unknown")),
        (ctx.w("recommended_limit"), ctx.money(d["limit"]) if d else ctx.w("unknown")),
    ]
    return [_kv_table(ctx, pairs)]


def _borrower(ctx: _Ctx) -> list:
    b = ctx.c["borrower"]
    years = ctx.w("years", n=b["years_operating"]) if b["years_operating"] is not None else None
    industry = ctx.paren(b["industry_name"], b["industry"]) if b["industry"] else None
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
    consent = ctx.w("consent_given" if a["consent_given"] else "consent_missing")
    pairs = [(ctx.w("consent"), consent), (ctx.w("consent_date"), a["consent_date"])]
    return [
        Paragraph(escape(ctx.w("sources_used")), ctx.s.label),
        *_bullets(ctx, ctx.c["sources"]),
        Spacer(1, 3),
        _kv_table(ctx, pairs),
        _kv_table(ctx, [(ctx.w("consent_scope"), a["consent_scope"])], columns=1),
    ]


def _site_visit(ctx: _Ctx) -> list:
    notes = ctx.c["application"]["site_notes"]
    if not notes.strip():
        return [ctx.p(ctx.w("site_notes_missing"))]
    # One paragraph per line the officer typed: each can split across pages on its own.
    return [ctx.p(line) for line in notes.splitlines() if line.strip()]


def _financials(ctx: _Ctx) -> list:
    f = ctx.c["financials"]
    unit = " 元" if ctx.lang == "zh" else " yuan"

    def persons(n):
        return ctx.w("persons", n=n) if n is not None else None

    def yuan(v):  # whole yuan here; the chart shows 10k yuan
        return f"{v:,}{unit}" if v is not None else None

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
    out: list = [_kv_table(ctx, rows, label_w=44 * mm)]
    words = {k: ctx.w(k) for k in ("chart_revenue", "chart_tax", "chart_revenue_bar", "chart_invoice_bar",
                                   "chart_prev", "chart_last")}  # fmt: skip
    figures = {k: f[k] for k in ("annual_revenue", "invoice_sales_12m", "tax_paid_12m", "tax_paid_prev_12m")}
    chart = finance_chart(figures, words, ctx.font, width=ctx.width, height=125)
    out += [Spacer(1, 6), chart] if chart else [ctx.p(ctx.w("chart_missing"), ctx.s.small)]
    return out


def _scoring(ctx: _Ctx) -> list:
    d = ctx.c["decision"]
    if d is None:
        return [ctx.p(ctx.w("unknown"))]
    score = f"{d['score']:.1f}" if isinstance(d["score"], int | float) else d["score"]
    pairs = [
        (ctx.w("score"), score),
        (ctx.w("grade"), d["grade"]),
        (ctx.w("decision"), ctx.t.enum("decision", d["decision"], ctx.lang)),
        (ctx.w("limit"), ctx.money(d["limit"])),
        (ctx.w("rate"), rate_text(d["rate"], ctx.t, ctx.lang)),
        (ctx.w("scored_at"), (d["scored_at"] or "")[:19].replace("T", " ")),
    ]
    out: list = [_kv_table(ctx, pairs)]
    pack = f"{d['pack_id']} v{d['pack_version']}  SHA-256 {d['pack_hash']}"
    out.append(_kv_table(ctx, [(ctx.w("rule_pack"), pack)], columns=1))
    if d["factors"]:
        head = [ctx.p(ctx.w("factor"), ctx.s.label), ctx.p(ctx.w("value"), ctx.s.label),
                ctx.p(ctx.w("points"), ctx.s.label)]  # fmt: skip
        rows = [head]
        for f in d["factors"]:
            value = f["value"]
            value = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
            points = f"{f['points']:g}" if isinstance(f["points"], int | float) else f["points"]
            rows.append([ctx.p(f["label"], ctx.s.cell), ctx.p(value, ctx.s.cell), ctx.p(points, ctx.s.num)])
        table = Table(rows, colWidths=[ctx.width * 0.5, ctx.width * 0.32, ctx.width * 0.18], repeatRows=1)
        table.setStyle(_table_style(ctx, [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
        out += [Spacer(1, 4), table]
    for key in ("knockouts", "reasons", "what_would_change"):
        out += [Spacer(1, 3), Paragraph(escape(ctx.w(key)), ctx.s.label), *_bullets(ctx, d[key])]
    return out


def _risks(ctx: _Ctx) -> list:
    return [
        Paragraph(escape(ctx.w("risks_found")), ctx.s.label), *_bullets(ctx, ctx.c["risks"]), Spacer(1, 3),
        Paragraph(escape(ctx.w("mitigants")), ctx.s.label), *_bullets(ctx, ctx.c["mitigants"]),
    ]  # fmt: skip


def _conclusion(ctx: _Ctx) -> list:
    return [
        Paragraph(escape(ctx.w("officer_conclusion")), ctx.s.label),
        *[ctx.p(line) for line in ctx.c["conclusion"].splitlines() if line.strip()],
        Spacer(1, 3),
        Paragraph(escape(ctx.w("recommendation")), ctx.s.label),
        ctx.p(ctx.c["recommendation"]),
    ]


def _conditions(ctx: _Ctx) -> list:
    items = ctx.c["conditions"]
    return [Paragraph(escape(c), ctx.s.bullet, bulletText=f"{i}.") for i, c in enumerate(items, 1)] or [
        ctx.p(ctx.w("none"))
    ]


def _approval(ctx: _Ctx) -> list:
    approval = ctx.c["approval"]
    line = "_" * 22
    officer = f"{ctx.c['officer']}    {line}" if ctx.c["officer"] else line
    approver_date = approval["approved_on"] if approval else line
    rows = [
        [ctx.p(ctx.w("officer_sign"), ctx.s.label), ctx.p(officer),
         ctx.p(ctx.w("sign_date"), ctx.s.label), ctx.p(ctx.c["issued_on"])],
        [ctx.p(ctx.w("approver_sign"), ctx.s.label),
         ctx.p(f"{approval['approved_by']}    {line}" if approval else line),
         ctx.p(ctx.w("sign_date"), ctx.s.label), ctx.p(approver_date)],
    ]  # fmt: skip
    table = Table(rows, colWidths=[ctx.width * 0.24, ctx.width * 0.42, ctx.width * 0.1, ctx.width * 0.24])
    table.setStyle(_table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 12)]))
    block = [ctx.p(ctx.w("declaration")), table]
    if approval:
        block.append(ctx.p(ctx.w("approved_by", name=approval["approved_by"], date=approval["approved_on"])))
    return [KeepTogether(block)]


SECTION_BUILDERS = {
    "summary": _summary, "borrower": _borrower, "request": _request, "sources": _sources,
    "site_visit": _site_visit, "financials": _financials, "scoring": _scoring, "risks": _risks,
    "conclusion": _conclusion, "conditions": _conditions, "approval": _approval,
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
    bank = Paragraph(f"{escape(c['bank'])}<br/><font size=9.5>{escape(c['branch'])}</font>", ctx.s.bank)
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
    return [top, Spacer(1, 4), Paragraph(escape(ctx.w("title")), ctx.s.title), _kv_table(ctx, pairs),
            Paragraph(escape(ctx.w("verify_hint")), ctx.s.small)]  # fmt: skip


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
            super().save()

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


def render_pdf(content: dict, template: MemoTemplate, qr_text: str) -> bytes:
    """The memo as PDF bytes. Deterministic: the same content gives the same bytes."""
    linebreak.install()
    font = register_font()
    lang = content["lang"]
    pagesize = LETTER if template.page_size == "LETTER" else A4
    width = pagesize[0] - 2 * MARGIN
    ctx = _Ctx(content, template, _Styles(font, lang), width, font)
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
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="memo", frames=[frame], onPage=watermark)])
    doc.build(story, canvasmaker=canvas_cls)
    return out.getvalue()
