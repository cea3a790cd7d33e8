"""WCAG 2.1 contrast arithmetic (ui/contrast.py, Qt-free), against figures the WCAG documents give."""

from __future__ import annotations

import pytest

from loandesk.ui import contrast


def test_ratio_matches_the_wcag_reference_figures():
    assert contrast.ratio("#000", "#fff") == pytest.approx(21.0)
    assert contrast.ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast.ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert contrast.ratio("#595959", "#ffffff") == pytest.approx(7.0, abs=0.01)
    assert contrast.ratio("#ffffff", "#767676") == contrast.ratio("#767676", "#ffffff")  # order does not matter
    assert contrast.ratio((0, 0, 0), "#fff") == pytest.approx(21.0)


def test_bad_colour_is_a_clear_error():
    with pytest.raises(ValueError, match="not a #rgb or #rrggbb colour"):
        contrast.rgb("#12345")


def test_a_placeholder_half_as_dark_as_text_fails_and_the_readable_mix_passes():
    half = contrast.mix("#000000", "#ffffff", 0.5)  # what Qt paints for placeholder text
    assert contrast.ratio(half, "#ffffff") < contrast.TEXT
    hint = contrast.readable_mix("#000000", "#ffffff", also=("#efefef",))
    assert contrast.ratio(hint, "#ffffff") >= contrast.TEXT and contrast.ratio(hint, "#efefef") >= contrast.TEXT
    assert contrast.luminance(hint) > contrast.luminance("#000000")  # still lighter than text: a hint
    dark = contrast.readable_mix("#ffffff", "#2b2b2b")  # a dark theme: light text, light enough hint
    assert contrast.ratio(dark, "#2b2b2b") >= contrast.TEXT


def test_a_selection_is_moved_away_from_its_text_until_it_reads():
    fusion = "#308cc6"  # Fusion's selected row under white text: about 3.6:1
    assert contrast.ratio("#ffffff", fusion) < contrast.TEXT
    darker = contrast.away_from(fusion, "#ffffff")
    assert contrast.ratio("#ffffff", darker) >= contrast.TEXT
    lighter = contrast.away_from("#305070", "#000000")  # dark text on a dark selection: lightened
    assert contrast.ratio("#000000", lighter) >= contrast.TEXT
