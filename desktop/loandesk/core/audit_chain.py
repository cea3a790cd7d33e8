"""The audit trail's hash chain: append-only records, each sealing the one before it.

Every record carries its sequence number, the previous record's hash and its own hash over a
canonical JSON of its fields. ``verify`` walks the chain and names the first record that was
altered (its hash no longer matches), inserted (its sequence or back-link does not follow) or
removed (a gap in the sequence, or fewer records than the chain's recorded head). Storage keeps the
rows (storage/audit.py); this module only computes and checks, so the hub can check a device's chain
with the same code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from loandesk.core.i18n import pick

GENESIS = "0" * 64
FIELDS = ("seq", "at", "user", "device", "action", "target", "details", "prev_hash")


def canonical(record: dict) -> str:
    body = {name: record.get(name) for name in FIELDS}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_hash(record: dict) -> str:
    return hashlib.sha256(canonical(record).encode("utf-8")).hexdigest()


def seal(record: dict, previous: dict | None) -> dict:
    """The record as it is stored: numbered after ``previous``, linked to it, hashed."""
    sealed = dict(record)
    sealed["seq"] = (previous["seq"] + 1) if previous else 1
    sealed["prev_hash"] = previous["hash"] if previous else GENESIS
    sealed["hash"] = record_hash(sealed)
    return sealed


@dataclass(frozen=True)
class ChainProblem:
    kind: str  # altered | inserted | removed
    seq: int  # the first record concerned (for "removed": the first missing number)
    en: str
    zh: str

    def message(self, lang: str | None = None) -> str:
        return pick(self.en, self.zh, lang)


def _problem(kind: str, seq: int, detail_en: str, detail_zh: str) -> ChainProblem:
    words = {"altered": ("altered", "被篡改"), "inserted": ("inserted", "被插入"), "removed": ("removed", "被删除")}
    en, zh = words[kind]
    return ChainProblem(kind, seq, f"audit record {seq} was {en}: {detail_en}", f"第 {seq} 条审计记录{zh}：{detail_zh}")


def verify(records: Iterable[dict], head: tuple[int, str] | None = None) -> ChainProblem | None:
    """The first problem in the chain, or None when it is whole.

    ``records`` in storage order (by sequence). ``head`` = (last seq, last hash) recorded when the
    newest record was appended, so that removing records from the end is noticed too.
    """
    previous: dict | None = None
    for rec in records:
        expected_seq = previous["seq"] + 1 if previous else 1
        seq = rec.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            return _problem("inserted", expected_seq, f"sequence {seq!r} is not a record number",
                            f"序号 {seq!r} 不是记录编号")  # fmt: skip
        if seq < expected_seq:
            return _problem("inserted", seq, f"a second record numbered {seq}", f"出现第二条编号为 {seq} 的记录")
        if record_hash(rec) != rec.get("hash"):
            return _problem("altered", seq, "its content no longer matches its hash", "内容与其哈希不符")
        if seq > expected_seq:
            return _problem("removed", expected_seq, f"records {expected_seq} to {seq - 1} are missing",
                            f"第 {expected_seq} 至 {seq - 1} 条记录缺失")  # fmt: skip
        if rec.get("prev_hash") != (previous["hash"] if previous else GENESIS):
            return _problem("inserted", seq, "it does not follow the record before it", "与前一条记录不衔接")
        previous = rec
    last = previous["seq"] if previous else 0
    if head is not None:
        head_seq, head_hash = head
        if head_seq > last:
            return _problem("removed", last + 1, f"the chain ended at {head_seq}, only {last} remain",
                            f"审计链应至第 {head_seq} 条，现仅余 {last} 条")  # fmt: skip
        if head_seq == last and previous is not None and head_hash != previous["hash"]:
            return _problem("altered", last, "the newest record is not the one recorded", "最新一条记录与登记不符")
    return None
