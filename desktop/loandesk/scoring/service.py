"""What the faces call: score one record, score and store an application, the pack in force.

``score_record(record, pack=None)`` is pure (no store). ``record`` is keyed by the data dictionary's
names and may hold typed values (as ``core.intake.validate_intake(...).values`` makes them: ints,
bools, ISO dates) or a form's raw strings ('120万', '是', '2020/1/5'): both go through the same
parsers. A value that cannot be read is listed in ``result.problems`` and scored as missing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import weakref
from functools import lru_cache

from loandesk.core import clock
from loandesk.core.dictionary import FIELDS

from .engine import evaluate
from .explain import ScoreResult, explain
from .inputs import EXTRA_INPUTS, derive, frame_from_records
from .pack import PackError, RulePack, default_pack_path, load_pack, parse_pack

SNAPSHOT_FIELDS = [f for f in FIELDS if not FIELDS[f].personal] + list(EXTRA_INPUTS)
REENTRY_FIELDS = ("employees", "annual_revenue", "total_assets", "tax_grade", "tax_paid_12m", "tax_paid_24m",
                  "invoice_sales_12m", "social_insurance_headcount", "registered_on", "industry")  # fmt: skip


@lru_cache(maxsize=1)
def _shipped_default(today: dt.date) -> RulePack:
    return load_pack(default_pack_path(), today=today)


def default_pack(today: dt.date | None = None) -> RulePack:
    """The shipped default pack (cached per day: expiry is checked against the date)."""
    return _shipped_default(today or clock.today())


def score_record(record: dict, pack: RulePack | None = None, as_of: dt.date | None = None) -> ScoreResult:
    as_of = as_of or clock.today()
    pack = pack or default_pack()
    typed, problems = frame_from_records([record], today=as_of)
    ev = evaluate(pack, derive(typed, as_of))
    return explain(pack, ev, 0, problems, as_of=as_of.isoformat())


def snapshot(record: dict) -> dict:
    """The inputs a decision is replayed from: scoring fields only, never personal data."""
    out = {}
    for name in SNAPSHOT_FIELDS:
        value = record.get(name)
        out[name] = value if not isinstance(value, dt.date) else value.isoformat()
    return out


# ---- the pack in force in a data home --------------------------------------------------------------
# Parsed packs per store, by the stored pack's hash: a stored pack never changes (its hash is over its
# text and card), so ``decide`` over many applications, the GUI's score panel and replays parse each
# pack once. Installing a pack changes settings.rule_pack, so the next call finds the new hash (and
# another process's install is seen the same way). Keyed by the store because each keeps its own
# record of where a pack came from.
_PARSED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PARSED_LOCK = threading.Lock()
_PARSED_PER_STORE = 8


def _parsed(store, pack_hash: str, today: dt.date | None, check_dates: bool, strict: bool) -> RulePack | None:
    from loandesk.storage import decisions as repo

    key = (pack_hash, (today or clock.today()) if check_dates else None, check_dates, strict)
    with _PARSED_LOCK:
        found = _PARSED.get(store, {}).get(key)
    if found is not None:
        return found
    row = repo.stored_pack(store, pack_hash)
    if row is None:
        return None
    pack = parse_pack(row["text"], row["source"], today=key[1], card_text=row["card_text"], check_dates=check_dates,
                      strict=strict)  # fmt: skip
    with _PARSED_LOCK:
        packs = _PARSED.setdefault(store, {})
        if len(packs) >= _PARSED_PER_STORE:
            packs.clear()
        packs[key] = pack
    return pack


def forget_parsed_packs(store) -> None:
    """Drop the store's parsed packs (they stay correct, but an install makes them old news)."""
    with _PARSED_LOCK:
        _PARSED.pop(store, None)


def pack_in_force(store, today: dt.date | None = None, *, check_dates: bool = True) -> RulePack:
    """The installed pack (settings.rule_pack), or the shipped default in a fresh home. With
    ``check_dates=False`` it is returned even when out of date or installed before a newer check
    refused it (to show it, not to score with it). Parsed once per store and day (see ``_PARSED``)."""
    pack_hash = store.setting("rule_pack")
    if not pack_hash:
        if check_dates:
            return default_pack(today)
        return load_pack(default_pack_path(), today=today, check_dates=False)
    pack = _parsed(store, pack_hash, today, check_dates, strict=check_dates)
    if pack is None:
        raise PackError("store", pack_hash, "the pack in force is not stored in this data home",
                        "本数据目录中没有现行规则包的记录")  # fmt: skip
    return pack


def stored_pack(store, pack_hash: str) -> RulePack | None:
    """A pack by hash as it was when used (dates not re-checked: replay must be exact)."""
    return _parsed(store, pack_hash, None, check_dates=False, strict=False)


def install_pack(store, path, today: dt.date | None = None) -> RulePack:
    """Check a pack file and make it the one in force; a bad pack raises PackError, nothing changes.

    A pack with the id and version of a stored pack but other content is refused: a decision names its
    pack by id and version, and two different rule sets under one name would make that ambiguous."""
    from loandesk.storage import decisions as repo

    store.actor.require("install_rules")
    pack = load_pack(path, today=today)
    with store.db.atomic():  # checked and installed under one write lock: two installs at once cannot both pass
        clash = _same_name_other_content(store, pack)
        if clash:
            line = next((n for n, text in enumerate(pack.text.splitlines(), 1) if re.match(r"\s*version\s*=", text)),
                        None)  # fmt: skip
            raise PackError(pack.source, "pack.version",
                            f"a different pack {pack.id} {pack.version} is already stored (hash {clash[:12]}, this one "
                            f"{pack.hash[:12]}): give the changed pack a new version",
                            f"已存有内容不同的同名规则包 {pack.id} {pack.version}"
                            f"（哈希 {clash[:12]}，本包 {pack.hash[:12]}）：修改后的规则包须使用新版本号",
                            line)  # fmt: skip
        repo.install_pack(store, pack.hash, pack.id, pack.version, pack.source, pack.text, pack.card_text)
        store.audit("rules_installed", pack.id, {"version": pack.version, "hash": pack.hash})
    forget_parsed_packs(store)
    return pack


def _same_name_other_content(store, pack: RulePack) -> str | None:
    """The hash of a stored pack with ``pack``'s id and version but other content, if any."""
    from loandesk.storage import decisions as repo

    others = sorted(row["hash"] for row in repo.packs_named(store, pack.id, pack.version) if row["hash"] != pack.hash)
    return others[0] if others else None


# ---- stored applications ---------------------------------------------------------------------------
def score_application(store, application_id: str, officer: str | None = None, as_of: dt.date | None = None,
                      pack: RulePack | None = None) -> dict:  # fmt: skip
    """Score a stored application with the pack in force and store the decision (one transaction)."""
    from loandesk.core.permissions import acting_name
    from loandesk.storage import decisions as repo

    store.actor.require("score")
    officer = acting_name(store.actor, officer, "--officer")
    record = store.application_record(application_id)
    if record is None:
        raise KeyError(application_id)
    as_of = as_of or clock.today()
    pack = pack or pack_in_force(store, as_of)
    from .consent_gate import require as require_consent

    require_consent(store, record["id"], pack, as_of)  # no valid consent: nothing is scored or stored
    inputs = snapshot(record)
    result = score_record(inputs, pack, as_of)
    flags = _reentry_flags(store, record, inputs, pack, as_of)
    result.flags = flags
    with store.db.atomic():
        repo.remember_pack(store, pack.hash, pack.id, pack.version, pack.source, pack.text, pack.card_text)
        saved = repo.save_decision(store, record["id"], record.get("credit_code"), result.to_dict(), inputs,
                                   as_of.isoformat(), flags, officer)  # fmt: skip
        store._update("applications", record["id"], {"stage": "scored", "updated_at": saved["created_at"]})
        store._outbox("application", record["id"], "stage", {"stage": "scored"})
        store.audit("scored", record["ref"], {"decision": saved["id"]})
    return saved


def _reentry_flags(store, record: dict, inputs: dict, pack: RulePack, as_of: dt.date) -> list[dict]:
    """Rules forbid re-entering figures to shop for a limit: flag a re-score of the same credit code
    whose figures differ from a decision made within the pack's window."""
    from loandesk.storage import decisions as repo

    code = record.get("credit_code")
    if not code:
        return []
    since = (clock.now() - dt.timedelta(days=pack.reentry_window_days)).isoformat()
    flags = []
    for prior in repo.recent_for_credit_code(store, code, since):
        changed = [f for f in REENTRY_FIELDS if prior["inputs"].get(f) != inputs.get(f)]
        if changed:
            flags.append({
                "code": "reentry", "prior_decision": prior["id"], "prior_at": prior["created_at"],
                "fields": changed,
                "zh": "同一企业在 {d} 天内重新录入数据后再次评分（{f}），按规定须说明原因".format(
                    d=pack.reentry_window_days, f="、".join(_labels(changed, "zh"))),
                "en": "the same enterprise was re-scored within {d} days with re-entered figures ({f}); "
                      "rules forbid re-entering data to shop for a limit".format(
                    d=pack.reentry_window_days, f=", ".join(_labels(changed, "en"))),
            })  # fmt: skip
            break
    return flags


def _labels(names, lang):
    from .inputs import variable_label

    return [variable_label(n, lang) for n in names]


def current_decision(store, application_id: str) -> dict | None:
    from loandesk.storage import decisions as repo

    app = store.application(application_id)
    return repo.current_decision(store, app.id) if app else None


def replay(store, decision: dict, pack: RulePack | None = None) -> ScoreResult:
    """Score a stored decision's input snapshot again: under its own pack (exact replay) or another."""
    pack = pack or stored_pack(store, decision["pack_hash"])
    if pack is None:
        raise PackError("store", decision["pack_hash"], "the pack that made this decision is not stored",
                        "做出该决定的规则包未保存")  # fmt: skip
    return score_record(decision["inputs"], pack, dt.date.fromisoformat(decision["as_of"]))


def result_json(result: ScoreResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False)
