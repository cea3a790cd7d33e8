"""WCAG 2.1 contrast, without Qt: is a text colour readable on its background?

Normal text needs 4.5:1 (success criterion 1.4.3), large text and the parts of a chart or control
3:1 (1.4.11). Colours are "#rgb", "#rrggbb" or (r, g, b) with 0-255 channels. ``readable_mix`` finds
the lightest hint colour (placeholder text) that still reads: a mix of the text colour into the
background, as Qt itself makes placeholders, but never below the ratio asked for.
"""

from __future__ import annotations

TEXT = 4.5  # normal text
LARGE_TEXT = 3.0  # 18 pt, or 14 pt bold; also a chart's bars against their track

RGB = tuple[int, int, int]


def rgb(colour: str | RGB) -> RGB:
    if isinstance(colour, tuple):
        return colour
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        raise ValueError(f"not a #rgb or #rrggbb colour: {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def hex_colour(colour: str | RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb(colour))


def luminance(colour: str | RGB) -> float:
    """Relative luminance: sRGB channels linearised, weighted as the eye sees them."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(foreground: str | RGB, background: str | RGB) -> float:
    """From 1 (the same colour) to 21 (black on white); the order of the two does not matter."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(foreground: str | RGB, background: str | RGB, share: float) -> RGB:
    """``share`` of the foreground over the background (what a half-transparent colour paints)."""
    f, b = rgb(foreground), rgb(background)
    return tuple(round(share * fc + (1 - share) * bc) for fc, bc in zip(f, b, strict=True))  # type: ignore[return-value]


def readable_mix(foreground: str | RGB, background: str | RGB, minimum: float = TEXT, margin: float = 0.3,
                 also: tuple[str | RGB, ...] = ()) -> RGB:  # fmt: skip
    """The faintest mix of ``foreground`` into ``background`` reaching ``minimum`` (plus a margin, so a
    slightly different screen still reads it) on ``background`` and on each of ``also``: a hint stays
    lighter than text, but readable wherever it is drawn."""
    share = 0.5

    def weakest(colour: RGB) -> float:
        return min(ratio(colour, b) for b in (background, *also))

    while share < 1 and weakest(mix(foreground, background, share)) < minimum + margin:
        share += 0.05
    return mix(foreground, background, min(share, 1.0))


def away_from(colour: str | RGB, against: str | RGB, minimum: float = TEXT, margin: float = 0.3) -> RGB:
    """``colour`` moved away from ``against`` (towards black under light text, towards white under dark
    text) until ``against`` reads on it: a selection's background under its text."""
    end = (0, 0, 0) if luminance(against) > 0.5 else (255, 255, 255)
    share = 1.0
    current = rgb(colour)
    while share > 0 and ratio(current, against) < minimum + margin:
        share = max(0.0, share - 0.05)
        current = mix(colour, end, share)
    return current
