"""Readable contrast (WCAG 2.1, 1.4.3 and 1.4.11) for the colours Loan Desk paints its own text in.

Every colour literal in the ui package's source is either a text colour, which must reach 4.5:1 on
each background text sits on (the window's grey, a field's or table's white, a table's alternate
row), or is listed below as something else (a bar, a border, a background) with the check that
applies to it. A colour added later is checked as text unless it is declared here.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette

from loandesk.ui import accessibility, contrast, cultivation_charts, score_panel

UI_DIR = Path(accessibility.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
# Colours that are not text, and what they are (each is checked below as what it is).
NOT_TEXT = {
    "#e3e3e3": "the score panel's bar track",
    "#2f6fb0": "the cultivation dashboard's bars",
    "#e8edf3": "the cultivation dashboard's bar track",
    "#f8d7da": "the audit log's background for a broken link (black text on it)",
    "#eef1f5": "the lock screen's backdrop (its text sits on the white card)",
    "#c8ced6": "the lock screen card's border",
    "#9aa9bb": "the memo preview page's border",
    "#e8f0fe": "a banner's background (window text on it, checked below)",
    "#aac4f0": "a banner's border",
}


def colour_literals(path: Path) -> set[str]:
    """Hex colours in the module's string literals (not in its comments)."""
    found = set()
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING:
            found |= {contrast.hex_colour(c) for c in HEX.findall(token.string)}
    return found


def backgrounds(qapp) -> dict[str, str]:
    palette = qapp.palette()
    return {r: palette.color(QPalette.ColorGroup.Active, getattr(QPalette.ColorRole, r)).name()
            for r in ("Window", "Base", "AlternateBase")}  # fmt: skip


MODULES = sorted(p.name for p in UI_DIR.glob("*.py"))


@pytest.mark.parametrize("module", MODULES)
def test_text_colours_read_on_every_background(module, qapp):
    grounds = backgrounds(qapp)
    failing = [(colour, name, round(contrast.ratio(colour, ground), 2))
               for colour in sorted(colour_literals(UI_DIR / module) - {contrast.hex_colour(c) for c in NOT_TEXT})
               for name, ground in grounds.items() if contrast.ratio(colour, ground) < contrast.TEXT]  # fmt: skip
    assert not failing, f"{module}: text colours under 4.5:1 (colour, background, ratio): {failing}"


def test_the_scan_sees_the_colours_text_is_painted_in():
    from loandesk.ui import widgets

    assert contrast.hex_colour(widgets.ERROR_COLOUR) in colour_literals(UI_DIR / "widgets.py")
    assert contrast.hex_colour(widgets.WARNING_COLOUR) in colour_literals(UI_DIR / "widgets.py")
    assert "#555555" in colour_literals(UI_DIR / "intake_form.py")  # the hint beside Save
    every = set().union(*(colour_literals(UI_DIR / m) for m in MODULES))
    assert {contrast.hex_colour(c) for c in NOT_TEXT} <= every  # no stale entry in the list above


def test_bars_stand_out_from_their_track():
    """A chart's bars are graphics: 3:1 against the track behind them (1.4.11)."""
    for colour in score_panel.DECISION_COLOURS.values():
        assert contrast.ratio(colour, score_panel.BAR_TRACK) >= contrast.LARGE_TEXT, colour
    bar, track = cultivation_charts.BAR.name(), cultivation_charts.TRACK.name()
    assert contrast.ratio(bar, track) >= contrast.LARGE_TEXT


def test_text_on_the_apps_own_backgrounds_reads(qapp):
    """A broken audit link's row (table text) and a banner (window text, warning amber in a demo banner)."""
    from loandesk.ui import widgets

    palette = qapp.palette()
    assert contrast.ratio(palette.color(QPalette.ColorRole.Text).name(), "#f8d7da") >= contrast.TEXT
    for colour in (palette.color(QPalette.ColorRole.WindowText).name(), widgets.WARNING_COLOUR, widgets.ERROR_COLOUR):
        assert contrast.ratio(colour, "#e8f0fe") >= contrast.TEXT, colour


def test_the_app_palette_makes_placeholders_and_selected_rows_readable(qapp):
    """Qt's own placeholder (text at half strength) and Fusion's selection fail 4.5:1; make_app fixes both."""
    before = QPalette(qapp.palette())
    try:
        accessibility.readable_palette(qapp)
        palette = qapp.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            hint = palette.color(group, QPalette.ColorRole.PlaceholderText)
            assert hint.alpha() == 255  # no transparency left to blend into a lighter grey
            for ground in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
                assert contrast.ratio(hint.name(), palette.color(group, ground).name()) >= contrast.TEXT
            assert contrast.ratio(palette.color(group, QPalette.ColorRole.HighlightedText).name(),
                                  palette.color(group, QPalette.ColorRole.Highlight).name()) >= contrast.TEXT
            # still a hint: lighter than the text it stands beside
            text = palette.color(group, QPalette.ColorRole.Text).name()
            assert contrast.ratio(hint.name(), palette.color(group, QPalette.ColorRole.Base).name()) < \
                contrast.ratio(text, palette.color(group, QPalette.ColorRole.Base).name())
    finally:
        qapp.setPalette(before)


def test_qts_own_placeholder_would_fail(qapp):
    """Why the palette is changed: the style's own hint colour, blended as Qt paints it, is under 4.5:1."""
    palette = qapp.style().standardPalette()
    hint = palette.color(QPalette.ColorRole.PlaceholderText)
    base = palette.color(QPalette.ColorRole.Base).name()
    painted = contrast.mix(hint.name(), base, hint.alphaF())
    assert contrast.ratio(painted, base) < contrast.TEXT
