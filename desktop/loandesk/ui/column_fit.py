"""Fitting a list's columns to the width it has, in either language.

Each column is first as wide as its title and its widest cell among the first rows (what
``resizeColumnsToContents`` gives, measured once here). When the columns do not all fit the
view, two things give way, in this order, so every column stays on screen:

1. a title wider than its cells ("Legal representative" over "王**", "Term (months)" over "12")
   wraps onto a second line of the header;
2. the columns the model marks elastic (names, products: long, free text) lose width in
   proportion, down to a floor; their cells are elided and the tooltip shows them whole.

Only what the view shows first is fitted: the user may resize any column after that.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

ELASTIC_FLOOR_CHARS = 6  # an elastic column keeps room for this many Chinese characters at least
SAMPLE_ROWS = 30  # the rows a column is fitted to (the first screenful and a little more)
NEAR_WIDEST = 0.85  # cells whose rough width is within this share of the widest are measured
WRAP = Qt.TextFlag.TextWordWrap


def rough_width(text: str) -> int:
    """Width in half-width cells: a Chinese character takes two. Only to choose which cells to measure."""
    return len(text) + sum(1 for ch in text if ord(ch) >= 0x2E80)


def content_widths(view: QTableView, rows: int = SAMPLE_ROWS) -> list[int]:
    """Each column's width for its widest cell among the first ``rows``, as ``sizeHintForColumn`` gives it.

    Laying out every cell's text (Chinese text above all) through the delegate is what fitting costs.
    Here only the cells whose text is nearly the longest are measured (all of them when they are alike,
    as credit codes are), with the font's metrics, plus the delegate's margins taken from one cell.
    """
    model = view.model()
    count, shown = model.columnCount(), min(rows, model.rowCount())
    metrics = view.fontMetrics()
    grid = 1 if view.showGrid() else 0
    widths = []
    for c in range(count):
        texts = [str(model.data(model.index(r, c)) or "") for r in range(shown)]
        rough = [rough_width(t) for t in texts]
        top = max(rough, default=0)
        if not top:
            widths.append(0)
            continue
        measured = {r: metrics.horizontalAdvance(texts[r]) for r in range(shown) if rough[r] >= NEAR_WIDEST * top}
        widest = max(measured, key=measured.__getitem__)
        padding = view.sizeHintForIndex(model.index(widest, c)).width() - measured[widest]
        widths.append(measured[widest] + padding + grid)
    return widths


def two_line_width(text: str, advance) -> int:
    """The narrowest width that ``text`` takes on two lines, broken at a space or before a bracket
    (Chinese titles break before "（": 申请金额 / （元）), measured with ``advance``."""
    best = advance(text)
    for i, ch in enumerate(text):
        if i and (ch in " (（" or text[i - 1] == " "):
            head, tail = text[:i].rstrip(), text[i:].lstrip()
            if head and tail:
                best = min(best, max(advance(head), advance(tail)))
    return best


def viewport_width(view: QTableView) -> int:
    """The width the columns share, with room for the vertical scroll bar the rows will bring.

    Worked out from the view's own width: asking for ``viewport()`` (a plain QWidget) would have
    PySide6 create every QtWidgets class's enums to find its Python type, on the way to the first paint.
    """
    bar = view.verticalScrollBar()
    row_header = view.verticalHeader()
    return (view.width() - 2 * view.frameWidth() - bar.sizeHint().width()
            - (row_header.width() if row_header.isVisible() else 0))  # fmt: skip


def fit_columns(view: QTableView, elastic: Sequence[int] = (), available: int | None = None) -> list[int]:
    """Size ``view``'s columns to fit ``available`` pixels (its viewport's width); returns the widths."""
    header = view.horizontalHeader()
    model = view.model()
    count = model.columnCount()
    if available is None:
        available = viewport_width(view)
    metrics = header.fontMetrics()
    titles = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(count)]
    content = content_widths(view)
    heading = [header.sectionSizeHint(c) for c in range(count)]  # the title on one line, with its margins
    widths = [max(content[c], heading[c]) for c in range(count)]

    wrapped = False
    excess = sum(widths) - available
    if excess > 0:  # 1. titles wider than their cells take a second header line
        for c in range(count):
            if excess <= 0 or heading[c] <= content[c]:
                continue
            padding = heading[c] - metrics.horizontalAdvance(titles[c])
            narrow = max(content[c], padding + two_line_width(titles[c], metrics.horizontalAdvance))
            if narrow < widths[c]:
                gain = min(widths[c] - narrow, excess)
                widths[c] -= gain
                excess -= gain
                wrapped = True
    if excess > 0 and elastic:  # 2. the long free-text columns give way, elided
        # Room for a few Chinese characters (a name still tells one enterprise from another), the title whole.
        floor = view.fontMetrics().horizontalAdvance("信" * ELASTIC_FLOOR_CHARS) + 12
        room = {c: max(0, widths[c] - max(floor, heading[c])) for c in elastic}
        total = sum(room.values())
        if total:
            share = min(1.0, excess / total)
            for c, spare in room.items():
                widths[c] -= int(spare * share + 0.999)

    if wrapped:
        header.setDefaultAlignment(header.defaultAlignment() | WRAP)
        # The header's own size hint counts one line; a wrapped title needs the second.
        header.setMinimumHeight(header.sizeHint().height() + metrics.lineSpacing())
    for c, width in enumerate(widths):
        header.resizeSection(c, width)
    return widths

