"""Cells a spreadsheet would run as formulas are written as text (OWASP's CSV-injection rule).

A cell that starts with ``=`` ``+`` ``-`` ``@``, a tab or a carriage return (or their full-width forms
＝＋－＠, which Excel also accepts) is a formula to Excel: ``=HYPERLINK(...)`` copied from an
applicant's file would become a live link in the bank's spreadsheet. Every CSV and Excel file Loan
Desk writes passes through here first:

* text cells that start so get a leading single quote ``'``, which Excel shows as text and never
  evaluates; the text after it is unchanged, so nothing is lost;
* numbers are data, not formulas: numeric output columns (float, int) are never touched, and in a
  text column where every filled cell is a number (an input column of amounts, say) a plain number
  such as ``-12.5`` stays as it is. In any other text column ``-12.5`` is quoted too, as OWASP says.
* headers come from the user's file too, and are treated the same way.

Everything is vectorised (first characters compared as a numpy array), so a million rows stay fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loandesk.core.missing import MISSING_TOKENS

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
QUOTE = "'"
_TRIGGER_CODES = np.array([ord(c) for c in TRIGGERS], dtype=np.uint32)
def safe_text(text: str) -> str:
    """One cell or header, as it is written."""
    return QUOTE + text if text[:1] in TRIGGERS else text


def risky(values: np.ndarray, blob: str | None = None) -> np.ndarray:
    """Which cells of an object array are text starting with a formula character. ``blob``: the
    cells joined with NUL, if the caller has it (one C-level scan per character rules most columns out)."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    if blob is not None and not any(ch in blob for ch in TRIGGERS):
        return np.zeros(len(values), dtype=bool)
    # First characters as one numpy array, in C. Non-text values come out as the first character of
    # str(value) (None -> 'N'), so the few hits are checked to be text: -3 stored as a number is data.
    first = np.asarray(values, dtype="U1").view(np.uint32)
    hit = np.isin(first, _TRIGGER_CODES)
    where = np.flatnonzero(hit)
    if len(where):
        hit[where] = [isinstance(v, str) for v in values[where]]
    return hit


def _numbers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each cell as pandas reads a number -- NaN where it is none --, the cell is blank or a missing token)."""
    cells = pd.Series(values, dtype=object)
    missing = cells.isna().to_numpy() | cells.isin(MISSING_TOKENS).to_numpy(dtype=bool)
    num = pd.to_numeric(cells.where(~missing, None), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return num, missing


def safe_column(values: np.ndarray, blob: str | None = None) -> np.ndarray | None:
    """The column with its risky text cells quoted, or None when nothing needs to change."""
    hit = risky(values, blob)
    if not hit.any():
        return None
    num, missing = _numbers(values)
    if not (np.isnan(num) & ~missing).any():
        # Every filled cell is a number: a column of amounts. Its plain numbers (-12.5, not -inf,
        # which Excel would read as a formula) are data.
        hit &= ~np.isfinite(num)
        if not hit.any():
            return None
    out = values.astype(object, copy=True)
    where = np.flatnonzero(hit)
    out[where] = [QUOTE + v for v in out[where]]
    return out


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame safe to write: text columns and headers quoted where needed (the input is not changed)."""
    changed: dict[int, np.ndarray] = {}
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        if pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
            continue  # numbers (and True/False) are data; Excel never runs them
        if isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(col.dtype):
            continue
        fixed = safe_column(col.to_numpy(dtype=object))
        if fixed is not None:
            changed[i] = fixed
    headers = [safe_text(str(c)) for c in frame.columns]
    if not changed and headers == [str(c) for c in frame.columns]:
        return frame
    out = frame.copy(deep=False)
    out.columns = range(frame.shape[1])  # positions: duplicate or odd headers stay as they are
    for i, fixed in changed.items():
        out[i] = pd.Series(fixed, index=frame.index, dtype=object)
    out.columns = headers
    return out
