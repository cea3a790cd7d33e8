"""The embedded Chinese font: WenQuanYi Micro Hei, a TrueType subset inside every memo.

A CID font such as STSong-Light is not embedded and prints blank or as boxes where the
reader lacks the language pack; an embedded TrueType subset prints the same everywhere
and ``pdftotext`` gives the Chinese text back.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from loandesk.core.i18n import pick
from loandesk.paths import bundled_fonts

FONT_NAME = "LoanDeskCJK"
KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/local/share/fonts/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",  # Microsoft YaHei on Windows: also a TrueType collection
)


class FontMissing(RuntimeError):
    """No usable Chinese TrueType font: memos cannot be printed correctly without one."""


def find_font() -> Path:
    """``LOANDESK_MEMO_FONT``, then the font a bundle carries, then known paths, then fontconfig."""
    chosen = os.environ.get("LOANDESK_MEMO_FONT")
    if chosen:
        if Path(chosen).is_file():
            return Path(chosen)
        raise FontMissing(pick(f"LOANDESK_MEMO_FONT names {chosen}, which is not a file",
                               f"LOANDESK_MEMO_FONT 指定的字体文件 {chosen} 不存在"))  # fmt: skip
    for known in (*bundled_fonts(), *KNOWN_PATHS):
        if Path(known).is_file():
            return Path(known)
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", "WenQuanYi Micro Hei:lang=zh-cn"], capture_output=True, text=True
        ).stdout.strip()
        if out.lower().endswith((".ttf", ".ttc")) and Path(out).is_file() and "wqy" in out.lower():
            return Path(out)
    raise FontMissing(
        pick(
            "no Chinese font for memos: install WenQuanYi Micro Hei (Debian/Ubuntu: apt install "
            "fonts-wqy-microhei) or set LOANDESK_MEMO_FONT to a .ttf/.ttc file",
            "找不到打印授信报告所需的中文字体：请安装文泉驿微米黑（Debian/Ubuntu：apt install "
            "fonts-wqy-microhei），或用 LOANDESK_MEMO_FONT 指定 .ttf/.ttc 字体文件",
        )
    )


@cache
def register_font() -> str:
    """Register the font with reportlab once per process; returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = find_font()
    index = 0 if path.suffix.lower() == ".ttc" else None
    font = TTFont(FONT_NAME, str(path), subfontIndex=index) if index is not None else TTFont(FONT_NAME, str(path))
    _keep_tables(font.face)
    pdfmetrics.registerFont(font)
    return FONT_NAME


def _keep_tables(face) -> None:
    """Every subset reportlab embeds copies tables out of the whole font file, the multi-megabyte glyph
    table included, twice or more per memo. The font file does not change while the process runs:
    each table is sliced once and the same bytes handed out after that (bytes are immutable)."""
    tables: dict[str, bytes] = {}
    read = face.get_table

    def get_table(tag: str) -> bytes:
        found = tables.get(tag)
        if found is None:
            found = tables[tag] = read(tag)
        return found

    face.get_table = get_table
