"""Where a photo was taken, from its EXIF GPS tags (phones write them), for a visit typed without one.

Pillow reads the tags (already here for reportlab). A photo without GPS tags, or a file Pillow cannot
read, simply has no location: the officer can still type one.
"""

from __future__ import annotations

from pathlib import Path

GPS_IFD = 0x8825
LAT_REF, LAT, LON_REF, LON = 1, 2, 3, 4


def _degrees(value) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600


def photo_location(path: str | Path) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees, south and west negative; None when the photo has none."""
    try:
        from PIL import Image, UnidentifiedImageError

        with Image.open(path) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
    except (OSError, ValueError, UnidentifiedImageError):
        return None
    try:
        lat, lon = _degrees(gps[LAT]), _degrees(gps[LON])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    lat = -lat if str(gps.get(LAT_REF, "N")).upper().startswith("S") else lat
    lon = -lon if str(gps.get(LON_REF, "E")).upper().startswith("W") else lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 6), round(lon, 6)
