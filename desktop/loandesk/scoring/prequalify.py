"""Pre-qualification: score a list (or a filter of it) with the rule pack in force, in batches, and
keep each enterprise's score, decision, size class and reasons; mark the likely eligible for visits.

Vectorised: each batch of enterprises is read from the store into one frame and evaluated by the
same engine as batch files (``engine.evaluate``), no per-row Python. "Likely eligible": no knock-out and a
score in the pack's approve band on the data on file (a list has no requested amount, so the
decision itself is at best "refer"; the reasons say what a visit must collect).
Nothing is stored when cancelled part-way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from loandesk.core import clock
from loandesk.core.cultivation import EnterpriseFilter
from loandesk.storage import Store
from loandesk.storage import cultivation as repo
from loandesk.storage.cultivation_lists import scoring_frame_rows

from .batch import reasons_column
from .engine import evaluate
from .inputs import derive, parse_column

BATCH = 50_000


class Cancelled(Exception):
    pass


def _score_batch(pack, frame: pd.DataFrame, as_of: dt.date, lang: str) -> list[tuple]:
    problems: list = []
    typed = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        if name != "seq":
            typed[name] = parse_column(name, frame[name].astype(object), problems, today=as_of)
    ev = evaluate(pack, derive(typed, as_of))
    reasons = reasons_column(pack, ev, lang)
    limit = np.where(np.isnan(ev.limit), 0, ev.limit).astype(np.int64)
    score = ev.points["score"].to_numpy(dtype=float)
    size = ev.frame["size_class"].to_numpy(dtype=object)
    # Lists carry no requested amount, which the pack requires, so the decision is at best "refer":
    # likely eligible = no knock-out and a score in the approve band on the data on file.
    eligible = (ev.decision != "decline") & (ev.band_decision == "approve")
    return [(int(seq), float(sc), str(g), str(d), int(lim), s if isinstance(s, str) else None, int(el), str(r))
            for seq, sc, g, d, lim, s, el, r in zip(frame["seq"].to_numpy(), score, ev.grade, ev.decision, limit,
                                                    size, eligible, reasons, strict=True)]  # fmt: skip


def prequalify(store: Store, where: EnterpriseFilter | None = None, *, as_of: dt.date | None = None,
               lang: str = "zh", progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> dict:  # fmt: skip
    """Score the filtered enterprises; returns {scored, eligible, pack}. Raises Cancelled (nothing kept)."""
    from loandesk.storage import cultivation_lists

    from .service import pack_in_force

    store.actor.require("prequalify")
    as_of = as_of or clock.today()
    pack = pack_in_force(store, as_of)
    total = cultivation_lists.count(store, where)
    names, cursor = scoring_frame_rows(store, where)
    results: list[tuple] = []
    while True:
        chunk = cursor.fetchmany(BATCH)
        if not chunk:
            break
        if cancelled and cancelled():
            raise Cancelled()
        frame = pd.DataFrame.from_records(chunk, columns=names)
        results += _score_batch(pack, frame, as_of, lang)
        if progress:
            progress(len(results), total)
    if cancelled and cancelled():
        raise Cancelled()
    label = f"{pack.id} {pack.version}"
    repo.save_prequalifications(store, results, label)
    return {"scored": len(results), "eligible": sum(r[6] for r in results), "pack": label}
