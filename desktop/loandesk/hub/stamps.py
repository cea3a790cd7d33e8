"""A record's per-field stamps (the version each field last changed at, the device that changed it), as stored.

Most records have every field at one version by one device (a record created and not edited since), so
the stored text names the common value once, under the key "" (never a field name), and lists only the
fields that differ: ``{"":"<device>"}`` instead of the device's id repeated for every field. That cut
an application's row in the hub's ``records`` table from about 1.4 KB to under 600 bytes, which is what
a push writes and commits. Text without "" (written before this) is a full mapping and reads as it is.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from typing import Any

COMMON = ""  # the key of the value most fields share; FIELD_NAME never matches it
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def pack(stamps: dict[str, Any], names: Collection[str]) -> str:
    """The stored text of ``stamps``, a value for each of the record's field ``names``."""
    if not stamps or stamps.keys() != set(names):
        return _ENCODE(stamps)  # not one stamp per field: kept in full
    values = iter(stamps.values())
    first = next(values)
    if all(v == first for v in values):
        return uniform(first)
    common = Counter(stamps.values()).most_common(1)[0][0]
    return _ENCODE({COMMON: common, **{k: v for k, v in stamps.items() if v != common}})


def uniform(value: Any) -> str:
    """The stored text of stamps that are ``value`` for every field of a record."""
    return _ENCODE({COMMON: value})


def unpack(text: str, names: Collection[str]) -> dict[str, Any]:
    """The stamp of each of the record's field ``names``, from ``pack``'s text (or a full mapping)."""
    stamps = json.loads(text)
    if COMMON not in stamps:
        return stamps
    common = stamps.pop(COMMON)
    return {name: stamps.get(name, common) for name in names}
