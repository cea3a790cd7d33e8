"""The verification QR code: memo number and the SHA-256 of the memo's canonical content.

Drawn as vector squares (segno computes the matrix), so it prints sharp at any size and
needs no image file.
"""

from __future__ import annotations

import re
from functools import cache

import segno
from reportlab.lib import colors
from reportlab.platypus import Flowable
from segno import consts as _consts
from segno import encoder as _encoder

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


MASK = 4  # any mask gives a valid code; fixing one skips segno scoring all eight


def qr_matrix(text: str) -> tuple:
    """The QR matrix (rows of 0/1) segno makes for ``text`` (error level M or better, mask 4), made faster.

    segno places the codeword bits and masks the data region module by module in Python: most of a
    memo's QR time. Both steps depend only on the symbol version and error level, so the modules
    that never hold data (finder, timing, alignment, format and version information, and the mask
    over the data region) are worked out once per version and error level (``_layout``), and each code
    then only flips the data modules its codeword bits set. The codeword bits come from segno's own
    steps, in the order its ``_encode`` runs them (segno is pinned: a test compares whole matrices).
    """
    segments = _encoder.prepare_data(text, None, None)
    version = _encoder.find_version(segments, _consts.ERROR_LEVEL_M, eci=False, micro=False)
    error = _encoder.boost_error_level(version, _consts.ERROR_LEVEL_M, segments, False)
    buff = _encoder.Buffer()
    for segment in segments:
        _encoder.write_segment(buff, segment, None, _encoder.version_range(version), False)
    capacity = _consts.SYMBOL_CAPACITY[version][error]
    _encoder.write_terminator(buff, capacity, None, len(buff))
    _encoder.write_padding_bits(buff, version, len(buff))
    _encoder.write_pad_codewords(buff, version, capacity, len(buff))
    bits = _encoder.make_final_message(version, error, buff).getbits()
    template, positions = _layout(version, error)
    if len(positions) != len(bits):  # never for a valid symbol; segno itself then says what is wrong
        return segno.make(text, error="m", micro=False, mask=MASK).matrix
    rows = [bytearray(row) for row in template]
    for (i, j), bit in zip(positions, bits, strict=True):
        if bit:
            rows[i][j] ^= 1
    return tuple(rows)


@cache
def _layout(version: int, error: int) -> tuple[tuple[bytes, ...], tuple[tuple[int, int], ...]]:
    """(the symbol with every codeword bit 0, masked and with its format and version information;
    the data modules in the order segno's ``add_codewords`` fills them)."""
    width = _encoder.calc_matrix_size(version)
    matrix = _encoder.make_matrix(width, width)
    _encoder.add_finder_patterns(matrix, width, width)
    _encoder.add_alignment_patterns(matrix, width, width)
    positions = []
    for right in range(width - 1, 0, -2):  # add_codewords' walk (QR Code, not Micro), recording each free module
        if right <= 6:
            right -= 1
        for vertical in range(width):
            for z in range(2):
                j = right - z
                upwards = (right & 2) == 0
                upwards ^= j < 6
                i = (width - 1 - vertical) if upwards else vertical
                if matrix[i][j] == 0x2:
                    positions.append((i, j))
    _encoder.add_codewords(matrix, bytearray(len(positions)), version)
    _, matrix = _encoder.find_and_apply_best_mask(matrix, width, width, MASK)
    _encoder.add_format_info(matrix, version, error, MASK)
    _encoder.add_version_info(matrix, version)
    return tuple(bytes(row) for row in matrix), tuple(positions)


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
        self.matrix = qr_matrix(text)

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
