"""The bytes both sides hash (payloads, memo contents, rule packs) must never change: the fast path for
flat payloads gives exactly what json gives, for every character and integer, and floats keep json's form."""

from __future__ import annotations

import json

import pytest

from loandesk.sync import protocol as p


def _json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def test_every_character_is_written_as_json_writes_it():
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(chars), 4096):  # a payload of 4,096 one-character fields (and keys) at a time
        payload = {f"{c}k{i}": f"a{c}\\\"{c}" for i, c in enumerate(chars[start : start + 4096])}
        assert p.canonical_json(payload) == _json(payload)


@pytest.mark.parametrize("value", [0, -1, 2**53 + 1, 2**63, -(2**63) - 1, 10**40, True, False, None, "", "流动资金"])
def test_plain_values_are_written_as_json_writes_them(value):
    payload = {"z": value, "a": 1, "中": "文"}
    assert p.canonical_json(payload) == _json(payload) and p.canonical_json(payload).startswith(b'{"a":1,')


@pytest.mark.parametrize("value", [1e-05, 1e16, 0.1, 1.0, -2.5e-300, [1e-05, {"b": 1, "a": 2}], {"y": 1, "x": 0.5}])
def test_floats_and_nested_values_keep_json_form(value):
    payload = {"rate": value, "name": "恒瑞"}
    assert p.canonical_json(payload) == _json(payload)
    assert p.canonical_json([payload]) == _json([payload])


def test_not_json_is_refused_as_before():
    with pytest.raises(ValueError):
        p.canonical_json({"x": float("nan")})
    with pytest.raises(ValueError):  # a lone surrogate is no UTF-8 text
        p.canonical_json({"x": "\ud800"})
