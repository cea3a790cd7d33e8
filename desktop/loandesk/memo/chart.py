"""The small financial chart: revenue against invoiced sales, and tax paid in the two known 12-month periods.

What it shows are single period totals the application records (revenue for the last full
year; invoiced sales and tax for rolling 12-month periods): the labels name each bar's period,
and a bar label may have two lines ("\n") for that.

Drawn straight onto the canvas as a flowable: two bar panels need a few dozen drawing
operations, while reportlab.graphics' VerticalBarChart builds and validates hundreds of
shape objects per memo, which was a quarter of a memo's build time in a batch.
"""

from __future__ import annotations

import math

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

BAR_COLOURS = (colors.HexColor("#2f5d8a"), colors.HexColor("#8fb3d9"))
AXIS = colors.HexColor("#555555")


def nice_step(top: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 x 10^n) giving about ``ticks`` steps up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _number(value: float) -> str:
    """Small figures to one decimal, whole ones (axis ticks) and large ones without: ``20``, ``34.3``, ``1,453``."""
    if value >= 100 or float(round(value, 1)).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


class FinanceChart(Flowable):
    """Two bar panels side by side; values in 10k yuan."""

    def __init__(self, panels: list[tuple[str, list[tuple[str, float]]]], font: str, width: float, height: float):
        super().__init__()
        self.panels, self.font = panels, font
        self.width, self.height = width, height

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        gap = 12
        panel_w = (self.width - gap * (len(self.panels) - 1)) / len(self.panels)
        for i, (title, bars) in enumerate(self.panels):
            self._panel(i * (panel_w + gap), panel_w, title, bars)

    def _panel(self, x0: float, w: float, title: str, bars: list[tuple[str, float]]) -> None:
        c, font = self.canv, self.font
        lines = max(label.count("\n") + 1 for label, _ in bars)
        left, bottom, top_pad = 38, 8 + 8 * lines, 22
        plot_w, plot_h = w - left - 6, self.height - bottom - top_pad
        top = max(v for _, v in bars)
        step = nice_step(top * 1.15)
        axis_max = step * math.ceil(top * 1.15 / step) if top > 0 else step
        c.saveState()
        c.setFont(font, 8)
        c.setFillColor(colors.black)
        c.drawCentredString(x0 + w / 2, self.height - 9, title)
        c.setStrokeColor(AXIS)
        c.setLineWidth(0.5)
        c.setFont(font, 6.5)
        c.setFillColor(AXIS)
        ticks = round(axis_max / step)
        for k in range(ticks + 1):
            y = bottom + plot_h * k / ticks
            c.line(x0 + left - 3, y, x0 + left, y)
            c.drawRightString(x0 + left - 5, y - 2, _number(step * k))
        c.line(x0 + left, bottom, x0 + left, bottom + plot_h)
        c.line(x0 + left, bottom, x0 + left + plot_w, bottom)
        slot = plot_w / len(bars)
        bar_w = min(34, slot * 0.45)
        for j, (label, value) in enumerate(bars):
            cx = x0 + left + slot * (j + 0.5)
            h = plot_h * value / axis_max
            c.setFillColor(BAR_COLOURS[j % len(BAR_COLOURS)])
            c.rect(cx - bar_w / 2, bottom, bar_w, h, stroke=0, fill=1)
            c.setFillColor(colors.black)
            c.setFont(font, 6.5)
            c.drawCentredString(cx, bottom + h + 2.5, _number(value))
            c.setFont(font, 7)
            for k, text in enumerate(label.split("\n")):
                while stringWidth(text, font, 7) > slot and len(text) > 2:
                    text = text[:-1]
                c.drawCentredString(cx, bottom - 9 - 8 * k, text)
        c.restoreState()


def finance_chart(
    figures: dict, words: dict, font: str, width: float = 460, height: float = 120
) -> FinanceChart | None:
    """The chart flowable, or None when there is nothing to draw.

    ``figures``: annual_revenue, invoice_sales_12m, tax_paid_12m, tax_paid_prev_12m (yuan or None).
    ``words``: the template's labels in the memo's language.
    """
    wan = {k: (v / 10_000 if isinstance(v, int | float) else None) for k, v in figures.items()}
    sales = [(words["chart_revenue_bar"], wan.get("annual_revenue")),
             (words["chart_invoice_bar"], wan.get("invoice_sales_12m"))]  # fmt: skip
    tax = [(words["chart_prev"], wan.get("tax_paid_prev_12m")), (words["chart_last"], wan.get("tax_paid_12m"))]
    panels = [(title, [(label, max(value, 0.0)) for label, value in bars if value is not None])
              for title, bars in ((words["chart_revenue"], sales), (words["chart_tax"], tax))]  # fmt: skip
    panels = [p for p in panels if p[1]]
    return FinanceChart(panels, font, width, height) if panels else None
