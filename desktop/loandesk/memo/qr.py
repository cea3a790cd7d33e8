"""The verification QR code: memo number and the SHA-256 of the memo's canonical content.

Drawn as vector squares (segno computes the matrix), so it prints sharp at any size and
needs no image file.
"""

from __future__ import annotations

import re

import segno
from reportlab.lib import colors
from reportlab.platypus import Flowable

PREFIX = "LOANDESK-MEMO"
_PAYLOAD = re.compile(rf"{PREFIX}:(?P<memo_no>M-[A-Z0-9]+-[A-Z0-9]+-\d+);SHA256:(?P<sha>[0-9a-f]{{64}})", re.IGNORECASE)


def payload(memo_no: str, content_sha256: str) -> str:
    return f"{PREFIX}:{memo_no};SHA256:{content_sha256}"


def parse_payload(text: str) -> tuple[str, str] | None:
    """(memo number, content SHA-256) from a scanned QR text, a typed code or PDF metadata, or None.

    White space is ignored (a code copied off paper may be broken over lines) and so is letter case
    (a barcode reader types with whatever Caps Lock says).
    """
    found = _PAYLOAD.search(re.sub(r"\s+", "", text or ""))
    return (found["memo_no"].upper(), found["sha"].lower()) if found else None


_CODE = re.compile(rf"{PREFIX}:(M-[A-Z0-9]+-[A-Z0-9]+-\d+);SHA256:([0-9a-f]{{64}})", re.IGNORECASE)


def parse_code(text: str) -> tuple[str, str] | None:
    """(memo number, content SHA-256) from a code given by hand: exactly the printed code, nothing
    around it (the ends are trimmed; letter case is free, a barcode reader types what Caps Lock says)."""
    found = _CODE.fullmatch((text or "").strip())
    return (found[1].upper(), found[2].lower()) if found else None


class QRCode(Flowable):
    """A ``size`` x ``size`` point QR code, quiet zone included, drawn as one filled path.

    One path of rectangles (a run of dark modules per rectangle) is far cheaper to lay out
    and to write than a reportlab Drawing with a shape object per run, and writing it in
    module units is cheaper still than reportlab's path object.
    """

    def __init__(self, text: str, size: float):
        super().__init__()
        self.text, self.size = text, size
        self.width = self.height = size
        # Any mask gives a valid code; fixing one skips segno scoring all eight (most of its time).
        self.matrix = segno.make(text, error="m", micro=False, mask=4).matrix

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self) -> None:
        canvas, border = self.canv, 2
        modules = len(self.matrix) + 2 * border
        canvas.saveState()
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        # Scale to one unit per module: every rectangle then has whole-number coordinates, written
        # straight into the page as PDF operators (no float formatting per rectangle).
        unit = self.size / modules
        canvas.transform(unit, 0, 0, unit, 0, 0)
        runs = []
        for r, row in enumerate(self.matrix):
            y = modules - border - r - 1
            c, width = 0, len(row)
            while c < width:
                if row[c]:
                    start = c
                    while c < width and row[c]:
                        c += 1
                    runs.append(f"{border + start} {y} {c - start} 1 re")
                else:
                    c += 1
        canvas.addLiteral("\n".join(runs) + "\nf")
        canvas.restoreState()
