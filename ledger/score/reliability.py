"""Calibration of the tidy frame's scored forecasts: overall, or every group at once.

The tables are those of `ledger.score.calibration` (ten reliability bins,
the folded ACX table, the Murphy decomposition and ECE). Per group, every
table comes from sums per (group, bin) cell: the decile bin and folded bucket
of every probability in basis points are computed once (`_DECILE`,
`_FOLDED`), so each forecast is binned by one lookup, and the within-bin terms
of the decomposition come from sums of squares and products per group, so no
pass over the rows is needed for each term.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ledger.score.calibration import (
    FOLDED_BUCKETS,
    basis_points,
    calibration_bins,
    decile,
    ece,
    folded_bucket,
    folded_table,
    murphy,
    wilson,
)
from ledger.score.groups import group_sums, prepare

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    Floats = NDArray[np.float64]
    Cells = tuple[Floats, Floats, Floats]

_GRID = np.arange(10_001)
_DECILE = decile(_GRID / 10_000, "left")
_FOLDED = folded_bucket(_GRID)
_EDGES = np.arange(0, 100, 10)
_BIN_LABELS = [f"{lo}-{lo + 10}%" for lo in _EDGES]
_BIN_COLUMNS = ["bin", "lo", "hi", "n", "mean_p", "observed", "wilson_lo", "wilson_hi"]


def _sums(cell: NDArray[np.int64], size: int, outcome: Floats, p: Floats) -> Cells:
    """Count, sum of forecasts and sum of outcomes in each of `size` cells."""
    return (
        np.bincount(cell, minlength=size).astype(np.float64),
        group_sums(cell, p, size),
        group_sums(cell, outcome, size),
    )


def _cell_table(
    index: pd.DataFrame, name: str, labels: Sequence[object], cells: Cells
) -> pd.DataFrame:
    """One row per (group, label): keys, label, n, mean_p, observed, Wilson interval."""
    n, mean_p, observed = cells
    low, high = wilson(observed, n)
    columns = {
        key: np.repeat(index[key].to_numpy(), len(labels)) for key in index.columns
    }
    return pd.DataFrame(
        {
            **columns,
            name: np.tile(np.asarray(labels, dtype=object), len(index)),
            "n": n.astype(np.int64),
            "mean_p": mean_p,
            "observed": observed,
            "wilson_lo": low,
            "wilson_hi": high,
        }
    )


def _summary(
    index: pd.DataFrame,
    code: NDArray[np.int64],
    outcome: Floats,
    p: Floats,
    bins: Cells,
) -> pd.DataFrame:
    """n, the Murphy terms (REL, RES, UNC, WBV, WBC), BS and ECE per group."""
    g = len(index)

    def total(values: Floats) -> Floats:
        return group_sums(code, values, g)

    n_k, f_k, o_k = bins
    n = n_k.sum(axis=1)
    sum_p2, sum_o2, sum_po = total(p * p), total(outcome * outcome), total(p * outcome)
    f, o = np.nan_to_num(f_k), np.nan_to_num(o_k)  # empty bins add nothing
    base = (n_k * o).sum(axis=1) / n
    return index.assign(
        n=n.astype(np.int64),
        REL=(n_k * (f - o) ** 2).sum(axis=1) / n,
        RES=(n_k * (o - base[:, None]) ** 2).sum(axis=1) / n,
        UNC=sum_o2 / n - base**2,
        WBV=(sum_p2 - (n_k * f * f).sum(axis=1)) / n,
        WBC=2 * (sum_po - (n_k * o * f).sum(axis=1)) / n,
        BS=(sum_p2 - 2 * sum_po + sum_o2) / n,
        ECE=(n_k * np.abs(f - o)).sum(axis=1) / n,
    )


def _folded(
    index: pd.DataFrame,
    code: NDArray[np.int64],
    outcome: Floats,
    p: Floats,
    bp: NDArray[np.int64],
) -> pd.DataFrame:
    """The folded table of every group.

    Below 50% a forecast is restated as its complement with the outcome
    flipped: the two sides are summed apart and the sums of the lower one
    flipped.
    """
    g, k = len(index), len(FOLDED_BUCKETS)
    below = (bp < 5000).astype(np.int64)
    halves = _sums((code * 2 + below) * k + _FOLDED[bp], g * 2 * k, outcome, p)
    n_h, sp_h, so_h = (a.reshape(g, 2, k) for a in halves)
    n_b = n_h.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_p = (sp_h[:, 0] + n_h[:, 1] - sp_h[:, 1]) / n_b
        observed = (so_h[:, 0] + n_h[:, 1] - so_h[:, 1]) / n_b
    cells = (n_b.ravel(), mean_p.ravel(), observed.ravel())
    table = _cell_table(index, "bucket", list(FOLDED_BUCKETS), cells)
    return table.astype({"bucket": "int64"})


def _calibration_by(
    index: pd.DataFrame, code: NDArray[np.int64], outcome: Floats, p: Floats
) -> dict[str, pd.DataFrame]:
    """`calibration` for every group at once (see its docstring).

    The bins, buckets and decomposition are those of
    `calibration.calibration_bins`, `calibration.folded_table`,
    `calibration.murphy` and `calibration.ece`, per group.
    """
    g = len(index)
    bp = basis_points(p)
    n_k, sp_k, so_k = (
        a.reshape(g, 10) for a in _sums(code * 10 + _DECILE[bp], g * 10, outcome, p)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        f_k, o_k = sp_k / n_k, so_k / n_k
    cells = (n_k.ravel(), f_k.ravel(), o_k.ravel())
    bins = _cell_table(index, "bin", _BIN_LABELS, cells).assign(
        lo=np.tile(_EDGES, g), hi=np.tile(_EDGES + 10, g)
    )[[*index.columns, *_BIN_COLUMNS]]
    return {
        "bins": bins,
        "folded": _folded(index, code, outcome, p, bp),
        "summary": _summary(index, code, outcome, p, (n_k, f_k, o_k)),
    }


def calibration(
    frame: pd.DataFrame,
    by: Sequence[str] | None = None,
    *,
    year_of: Literal["made", "resolved"] = "made",
) -> dict[str, Any]:
    """Calibration of the scored standing forecasts in `frame` (those with a p).

    Bins are the ten of `calibration.calibration_bins`, left-closed in integer
    percent ([0, 10), ..., [90, 100]), with empty ones kept; the folded table
    is `calibration.folded_table`'s (ACX style, 50-99%).

    Without `by`, returns a dict with `bins` (Wilson intervals), `folded`,
    `murphy` (REL, RES, UNC and the two within-bin terms, which add up to the
    Brier score exactly), `ece` (positive-class expected calibration error, a
    diagnostic) and `n`; `murphy` and `ece` are None when nothing is scored.

    With `by` (keys from GROUPS), the same for every group that has a scored
    forecast, as three frames that start with the key columns: `bins` (10 rows
    per group), `folded` (7 rows per group) and `summary` (n, REL, RES, UNC,
    WBV, WBC, BS and ECE per group).

    Args:
        frame: the tidy frame from `ledger.frame.frame`.
        by: group keys, or None for all scored forecasts together.
        year_of: the year of a forecast's `made` date, or of its resolution.

    Returns:
        The tables, as described above.
    """
    scoring = prepare(frame, list(by or ()), year_of=year_of, with_scores=False)
    outcome, p = scoring.scores["outcome"], scoring.scores["p"]
    if by:
        code = scoring.code[scoring.has_p]
        present = np.flatnonzero(np.bincount(code, minlength=len(scoring.index)))
        if len(present) < len(scoring.index):  # else every group stays as numbered
            renumber = np.zeros(len(scoring.index), dtype=np.int64)
            renumber[present] = np.arange(len(present))
            code = renumber[code]
        index = scoring.index.iloc[present].reset_index(drop=True)
        return _calibration_by(index, code, outcome, p)
    return {
        "n": len(p),
        "bins": calibration_bins(outcome, p),
        "folded": folded_table(outcome, p),
        "murphy": murphy(outcome, p) if len(p) else None,
        "ece": ece(outcome, p) if len(p) else None,
    }
