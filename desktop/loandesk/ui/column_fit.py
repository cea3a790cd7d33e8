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

ELASTIC_FLOOR_CHARS = 8  # an elastic column keeps room for this many average characters at least
WRAP = Qt.TextFlag.TextWordWrap


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


def fit_columns(view: QTableView, elastic: Sequence[int] = (), available: int | None = None) -> list[int]:
    """Size ``view``'s columns to fit ``available`` pixels (its viewport's width); returns the widths."""
    header = view.horizontalHeader()
    model = view.model()
    count = model.columnCount()
    if available is None:
        bar = view.verticalScrollBar()
        # Rows are usually still arriving: keep room for the scroll bar they will bring.
        available = view.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width())
    metrics = header.fontMetrics()
    titles = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(count)]
    content = [view.sizeHintForColumn(c) for c in range(count)]  # the first rows (resizeContentsPrecision)
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
        floor = metrics.averageCharWidth() * ELASTIC_FLOOR_CHARS
        room = {c: max(0, widths[c] - max(floor, heading[c])) for c in elastic}  # the title stays whole
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

