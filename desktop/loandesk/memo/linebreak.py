"""Chinese line-breaking rules (避头尾) for reportlab's CJK wrapping.

reportlab's CJK wrap (``wordWrap='CJK'``) already lets one "cannot start a line" mark
hang in the right margin instead of starting the next line, but its list is written for
Japanese: it lacks the Chinese full-width ，；：？！ and 》〉” among others, so a Chinese line
could start with a comma. Two things are added here, without copying reportlab's code:

1. the missing closing marks are added to reportlab's own list (both places that read it);
2. the split functions are wrapped: when a line would still start with a closing mark
   (two in a row, e.g. "）。", where only one can hang) or end with an opening mark, the
   previous line is made one character narrower and the paragraph re-split, so a
   character moves down with the mark.

``install()`` is idempotent and is called by the memo builder before it lays out text.
"""

from __future__ import annotations

from reportlab.lib import textsplit
from reportlab.platypus import paragraph

CLOSING = "，。、；：？！）》」』】〕〉］｝”’…‥·%％,.;:?!)]}"
OPENING = "（《「『【〔〈［｛“‘([{"
CANNOT_START = frozenset(CLOSING)
CANNOT_END = frozenset(OPENING)
_MAX_RETRIES = 40
_installed = False


def _needs_fix(texts: list[str]) -> int | None:
    """Index of the first line (>0) that starts with a closing mark or follows an opening mark."""
    for k in range(1, len(texts)):
        prev, cur = texts[k - 1], texts[k]
        if cur and (cur[0] in CANNOT_START or (prev and prev[-1] in CANNOT_END)) and len(prev) > 1:
            return k
    return None


def _respect(split, max_widths, line_texts, step: float):
    widths = list(max_widths) if isinstance(max_widths, list | tuple) else [max_widths]
    lines = split(widths)
    for _ in range(_MAX_RETRIES):
        bad = _needs_fix(line_texts(lines))
        if bad is None:
            break
        while len(widths) < bad + 1:  # past the end of the list reportlab reuses the last width
            widths.append(widths[-1])
        widths[bad - 1] -= step
        lines = split(widths)
    return lines


def _frag_line_text(line) -> str:
    return "".join(getattr(w, "text", "") for w in getattr(line, "words", []))


def install() -> None:
    global _installed
    if _installed:
        return
    extra = "".join(c for c in CLOSING if c not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START += extra

    dumb_split = textsplit.dumbSplit
    cjk_frag_split = paragraph.cjkFragSplit

    def dumbSplit(word, widths, maxWidths):
        step = max(widths) if widths else 1.0
        return _respect(lambda w: dumb_split(word, widths, w), maxWidths, lambda ls: [t for _, t in ls], step)

    def cjkFragSplit(frags, maxWidths, calcBounds, encoding="utf8"):
        step = max((getattr(f, "fontSize", 10) for f in frags), default=10)
        return _respect(
            lambda w: cjk_frag_split(frags, w, calcBounds, encoding),
            maxWidths,
            lambda para: [_frag_line_text(line) for line in para.lines],
            step,
        )

    textsplit.dumbSplit = dumbSplit
    paragraph.cjkFragSplit = cjkFragSplit
    _installed = True
