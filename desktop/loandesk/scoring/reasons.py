"""A batch file's ``reasons`` column: each row's reasons as ``explain.reason_items`` words them, built once
per distinct outcome so a million rows cost as many text builds as they have distinct outcomes.

Rows are grouped by integer keys (mixed radix over ``pd.factorize`` codes); the reasons other than the
shortfalls and the shortfalls themselves are grouped apart, since rows differ mostly in how many points
they fall short by.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .engine import Evaluation
from .explain import reason_items, shortfall_items, shortfalls
from .pack import RulePack


def _pack_bits(masks: list[np.ndarray], n: int) -> list[np.ndarray]:
    words = []
    for start in range(0, len(masks), 62):
        word = np.zeros(n, dtype=np.int64)
        for bit, mask in enumerate(masks[start:start + 62]):
            word |= mask.astype(np.int64) << bit
        words.append(word)
    return words


def _status_parts(ev: Evaluation) -> list[np.ndarray]:
    """Everything but the shortfalls that ``reason_items`` reads, as a few integer columns."""
    masks = [ev.decision == "decline", ev.below_minimum, ev.history_unknown, np.isnan(ev.term_requested),
             ev.term_shortened]  # fmt: skip
    for group in (ev.knocked, ev.absent_blocking, ev.absent_other, ev.unworkable, ev.warnings):
        masks += [np.asarray(m, dtype=bool) for m in group.values()]
    parts = _pack_bits(masks, len(ev))
    parts.append(np.where(ev.term_shortened, ev.term_requested, 0.0))
    return parts


def _combined(parts: list[np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(group per row numbered 0.., the first row of each group) for rows equal in every part."""
    code = np.zeros(n, dtype=np.int64)
    radix = 1
    for part in parts:
        codes, uniques = pd.factorize(part)
        size = max(len(uniques), 1)
        if radix * size >= 2**62:  # the combined key would overflow: renumber what we have so far
            code = pd.factorize(code)[0].astype(np.int64)
            radix = int(code.max(initial=0)) + 1
        code = code * size + codes  # mixed radix: one key per distinct combination, renumbered once
        radix *= size
    code = pd.factorize(code)[0]
    # factorize numbers groups in order of first appearance: a group's first row is where the code
    # exceeds every code before it (one pass, no sort)
    seen = np.maximum.accumulate(np.concatenate(([-1], code[:-1]))) if n else code
    first = np.flatnonzero(code > seen)
    return code, first


def _view(ev: Evaluation, first: np.ndarray) -> Evaluation:
    """One row per group, its values as Python lists: reason_items then reads plain lists, not numpy scalars."""
    take = lambda d: {k: np.asarray(v)[first].tolist() for k, v in d.items()}  # noqa: E731
    return dataclasses.replace(ev, knocked=take(ev.knocked), absent_blocking=take(ev.absent_blocking),
                               absent_other=take(ev.absent_other), unworkable=take(ev.unworkable),
                               warnings=take(ev.warnings), decision=ev.decision[first].tolist(),
                               below_minimum=ev.below_minimum[first].tolist(),
                               history_unknown=ev.history_unknown[first].tolist(),
                               term_requested=ev.term_requested[first].tolist(),
                               term_shortened=ev.term_shortened[first].tolist())  # fmt: skip


def reason_texts(pack: RulePack, ev: Evaluation, lang: str, sep: str) -> tuple[np.ndarray, list[str]]:
    """(text number per row, texts): each row's reasons joined by ``sep``, exactly as ``reason_items``
    words them. A file's rows differ mostly in how many points they fall short by: the rest of the
    reasons (knock-outs, missing data, warnings, term, pricing) and the shortfalls are worded once per
    distinct value each, and a row's text is the two put together, once per distinct pair."""
    n = len(ev)
    idx, gaps = shortfalls(pack, ev)
    status, status_first = _combined(_status_parts(ev), n)
    columns = [idx[:, j] for j in range(idx.shape[1])] + [gaps[:, j] for j in range(gaps.shape[1])]
    short, short_first = _combined(columns, n)
    none = np.full((len(status_first), 0), -1)
    view = _view(ev, status_first)
    status_texts = [sep.join(item[lang] for item in reason_items(pack, view, j, none, none))
                    for j in range(len(status_first))]  # fmt: skip
    short_texts = [sep.join(item[lang] for item in shortfall_items(pack, idx[r], gaps[r])) for r in short_first]
    pair, pair_first = _combined([status, short], n)
    texts = [sep.join(t for t in (status_texts[status[r]], short_texts[short[r]]) if t) for r in pair_first]
    return pair, texts
