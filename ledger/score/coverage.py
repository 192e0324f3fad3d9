"""Quantile calibration: how often the outcome fell below each level's value.

A forecaster whose quantiles are calibrated sees about a share τ of outcomes
fall below their τ-quantiles, and about 50% (80%) of outcomes inside their
central 50% (80%) intervals: the probability integral transform (PIT) of a
calibrated forecast is uniform (Gneiting, Balabdaoui & Raftery 2007).

`coverage` takes plain arrays (whether each outcome fell below, each level)
and gives, per level, the count, the share below and its Wilson 95% interval
(`ledger.score.calibration.wilson`). `intervals` does the same for the
central intervals. `quantile_calibration` reads the tidy frame: every
standing forecast's levels and, per level, whether the outcome fell below the
value (`quantile_below`, from `ledger.core.quantiles`: undetermined while the
outcome is unknown or an uncertain date straddles the value, and then left
out of the count).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ledger.score.calibration import wilson

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

CENTRAL = (0.5, 0.8)
"""The central intervals whose coverage is shown: 50% (levels 0.25 and 0.75)
and 80% (0.1 and 0.9)."""

COLUMNS = ["level", "n", "below", "ci_low", "ci_high"]
INTERVAL_COLUMNS = ["interval", "lower", "upper", "n", "covered", "ci_low", "ci_high"]


def coverage(below: ArrayLike, levels: ArrayLike) -> pd.DataFrame:
    """Per level: n, the share of outcomes below the value, its Wilson interval.

    Args:
        below: for each (forecast, level), 1 if the outcome fell below the
            value, 0 if not, NaN if undetermined (left out).
        levels: the level of each.

    Returns:
        One row per level that has a determined outcome, ascending: columns
        COLUMNS.

    >>> coverage([1, 0, 0, 1, float("nan")], [0.5, 0.5, 0.1, 0.9, 0.9])[
    ...     ["level", "n", "below"]].to_dict("records")
    [{'level': 0.1, 'n': 1, 'below': 0.0}, {'level': 0.5, 'n': 2, 'below': 0.5}, \
{'level': 0.9, 'n': 1, 'below': 1.0}]
    """
    seen = np.asarray(below, dtype=np.float64)
    tau = np.round(np.asarray(levels, dtype=np.float64), 9)
    known = ~np.isnan(seen)
    found, code = np.unique(tau[known], return_inverse=True)
    n = np.bincount(code, minlength=len(found)).astype(np.float64)
    share = np.bincount(code, seen[known], len(found)) / np.maximum(n, 1)
    low, high = wilson(share, n)
    return pd.DataFrame(
        {"level": found, "n": n.astype(np.int64), "below": share,
         "ci_low": low, "ci_high": high},
        columns=COLUMNS,
    )


def intervals(
    lower: ArrayLike, upper: ArrayLike, coverages: ArrayLike
) -> pd.DataFrame:
    """Per central interval: n, the share of outcomes inside it, its Wilson interval.

    An outcome is inside [q_τ, q_{1−τ}) when it did not fall below the lower
    value and fell below the upper one.

    Args:
        lower: for each (forecast, interval), whether the outcome fell below
            the lower value (1, 0, or NaN when undetermined).
        upper: the same for the upper value.
        coverages: each interval's nominal coverage, 1 − 2τ (0.5 or 0.8).

    Returns:
        One row per coverage in CENTRAL (n 0 and NaN shares when none was
        given): columns INTERVAL_COLUMNS.

    >>> table = intervals([0, 0, 1], [1, 0, 1], [0.5, 0.5, 0.5])
    >>> table[["interval", "n", "covered"]].to_dict("records")[0]
    {'interval': 0.5, 'n': 3, 'covered': 0.3333333333333333}
    """
    low, high = (np.asarray(a, dtype=np.float64) for a in (lower, upper))
    nominal = np.round(np.asarray(coverages, dtype=np.float64), 9)
    known = ~np.isnan(low) & ~np.isnan(high)
    inside = (low == 0) & (high == 1)
    rows = []
    for width in CENTRAL:
        at = known & (nominal == width)
        n = int(at.sum())
        share = float(inside[at].mean()) if n else np.nan
        ci = wilson(np.array([share]), np.array([float(n)]))
        tau = round((1 - width) / 2, 9)
        rows.append([width, tau, 1 - tau, n, share, ci[0][0], ci[1][0]])
    return pd.DataFrame(rows, columns=INTERVAL_COLUMNS)


def quantile_calibration(frame: pd.DataFrame) -> dict[str, Any]:
    """Quantile calibration of the standing forecasts in `frame`.

    Returns:
        `n` (standing forecasts with quantiles), `n_scored` (those with an
        outcome below or above some value), `levels` (`coverage`) and
        `intervals` (`intervals`).
    """
    rows = frame[frame["standing"].to_numpy()]
    given = np.fromiter(map(len, rows["quantile_levels"]), np.int64, len(rows)) > 0
    rows = rows[given]
    levels, below, lower, upper, widths = [], [], [], [], []
    scored = 0
    for taus, seen in zip(rows["quantile_levels"], rows["quantile_below"], strict=True):
        if not seen:
            continue
        at = {round(t, 9): b for t, b in zip(taus, seen, strict=True)}
        scored += any(not np.isnan(b) for b in seen)
        levels += taus
        below += seen
        for width in CENTRAL:
            tau = round((1 - width) / 2, 9)
            if tau in at and round(1 - tau, 9) in at:
                lower.append(at[tau])
                upper.append(at[round(1 - tau, 9)])
                widths.append(width)
    return {
        "n": len(rows),
        "n_scored": scored,
        "levels": coverage(below, levels),
        "intervals": intervals(lower, upper, widths),
    }
