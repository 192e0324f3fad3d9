"""Calibration of probabilities: reliability bins, the folded table, Murphy, ECE.

Array in, array out, truth first, like `ledger.score.rules`. Bins use integer
basis points: ``p`` is first rounded half up to the nearest 0.01%
(`basis_points`), so float edges never misplace 0.7 or drop 0.15. Each table
keeps its empty bins and gives a Wilson 95% interval of the observed
frequency (`wilson`). The same tables for every group of the tidy frame at
once are `ledger.score.reliability`'s.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ledger.score.rules import unit_interval

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import ArrayLike, NDArray

    Floats = NDArray[np.float64]

WILSON_Z = 1.959963984540054  # two-sided 95% standard normal quantile
FOLDED_BUCKETS = (50, 60, 70, 80, 90, 95, 99)  # ACX/SSC stated values, percent


def basis_points(p: Floats) -> NDArray[np.int64]:
    """Round probabilities half up to whole basis points (0.01%)."""
    return np.floor(p * 10_000 + 0.5).astype(np.int64)


def decile(p: Floats, closed: Literal["left", "right"]) -> NDArray[np.int64]:
    """Index 0-9 of the 10%-wide bin holding each probability."""
    bp = basis_points(p)
    if closed == "left":  # [0, 10), ..., [80, 90), [90, 100]
        return np.minimum(bp // 1000, 9)
    if closed == "right":  # [0, 10], (10, 20], ..., (90, 100]
        return np.maximum((bp + 999) // 1000 - 1, 0)
    raise ValueError(f"closed must be 'left' or 'right', got '{closed}'")


def wilson(observed: Floats, n: Floats) -> tuple[Floats, Floats]:
    """Wilson 95% interval for a proportion; NaN where n is 0.

    Args:
        observed: the observed frequencies.
        n: how many forecasts each frequency is of.

    Returns:
        The low and high ends of each interval.
    """
    z2 = WILSON_Z**2
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (observed + z2 / (2 * n)) / (1 + z2 / n)
        spread = np.sqrt(observed * (1 - observed) / n + z2 / (4 * n**2))
        half = WILSON_Z / (1 + z2 / n) * spread
    return centre - half, centre + half


def folded_bucket(bp: NDArray[np.int64]) -> NDArray[np.int64]:
    """Index into FOLDED_BUCKETS of each probability in basis points.

    A probability below 50% is folded to its complement first; each goes to
    the nearest bucket, and a tie between two buckets to the upper one.
    """
    buckets = 100 * np.asarray(FOLDED_BUCKETS)
    midpoints = (buckets[:-1] + buckets[1:]) / 2
    return np.searchsorted(midpoints, np.maximum(bp, 10_000 - bp), side="right")


def _table(
    codes: NDArray[np.int64],
    labels: Sequence[object],
    outcome: Floats,
    p: Floats,
    name: str,
) -> pd.DataFrame:
    """Count, mean forecast, observed frequency and Wilson interval per label."""
    group = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(list(labels)))
    table = (
        pd.DataFrame({name: group, "p": p, "outcome": outcome})
        .groupby(name, observed=False)
        .agg(n=("p", "size"), mean_p=("p", "mean"), observed=("outcome", "mean"))
        .reset_index()
    )
    low, high = wilson(table["observed"].to_numpy(), table["n"].to_numpy())
    return table.assign(wilson_lo=low, wilson_hi=high)


def calibration_bins(
    outcome: ArrayLike, p: ArrayLike, closed: Literal["left", "right"] = "left"
) -> pd.DataFrame:
    """Reliability-diagram table: 10 bins of width 10%, empty bins kept.

    The ledger's bins are left-closed, ``[0, 10), [10, 20), ..., [90, 100]``
    (the last also holds 100%), on probabilities rounded half up to whole basis
    points, so 0.7 lands in 70-80% exactly. ``closed="right"`` gives
    sklearn's ``[0, 10], (10, 20], ..., (90, 100]`` instead.

    Args:
        outcome: 0/1 (or fractional) outcomes.
        p: probabilities of "yes".
        closed: which end of each bin is closed.

    Returns:
        Columns ``bin`` (label like "70-80%"), ``lo`` and ``hi`` (integer
        percent), ``n``, ``mean_p``, ``observed`` (frequency of yes) and
        ``wilson_lo``/``wilson_hi`` (Wilson 95%, NaN for empty bins).

    >>> t = calibration_bins([1, 0, 1], [0.7, 0.75, 1.0])
    >>> t.loc[[7, 9], ["bin", "n", "observed"]].to_dict("list")
    {'bin': ['70-80%', '90-100%'], 'n': [2, 1], 'observed': [0.5, 1.0]}
    >>> len(t), int(t["n"].sum())
    (10, 3)
    """
    o, q = unit_interval(outcome, "outcome"), unit_interval(p, "p")
    labels = [f"{10 * k}-{10 * k + 10}%" for k in range(10)]
    table = _table(decile(q, closed), labels, o, q, "bin")
    edges = np.arange(0, 100, 10)
    columns = ["bin", "lo", "hi", "n", "mean_p", "observed", "wilson_lo", "wilson_hi"]
    return table.assign(bin=table["bin"].astype(str), lo=edges, hi=edges + 10)[columns]


def folded_table(outcome: ArrayLike, p: ArrayLike) -> pd.DataFrame:
    """ACX/SSC-style calibration: folded at 50%, buckets 50/60/70/80/90/95/99.

    A forecast below 50% is restated as its complement with the outcome
    flipped ("X does not happen: 90%"). The folded probability is then rounded
    half up, in basis points, to the nearest bucket: 65% goes to 70, 92.5% to
    95, 97% to 99, and 100% to 99 (the top bucket). Empty buckets are kept.

    Returns:
        Columns ``bucket`` (integer percent), ``n``, ``mean_p`` (mean folded
        probability), ``observed`` (fraction that came true as stated) and
        ``wilson_lo``/``wilson_hi`` (Wilson 95%, NaN when empty).

    >>> t = folded_table([1, 0, 1], [0.7, 0.3, 0.98])
    >>> t["bucket"].tolist(), t["n"].tolist()
    ([50, 60, 70, 80, 90, 95, 99], [0, 0, 2, 0, 0, 0, 1])
    >>> t["observed"].tolist()
    [nan, nan, 1.0, nan, nan, nan, 1.0]
    """
    o, q = unit_interval(outcome, "outcome"), unit_interval(p, "p")
    bp = basis_points(q)
    below = bp < 5000
    codes = folded_bucket(bp)
    stated, folded = np.where(below, 1 - o, o), np.where(below, 1 - q, q)
    table = _table(codes, list(FOLDED_BUCKETS), stated, folded, "bucket")
    return table.assign(bucket=table["bucket"].astype("int64"))


def _bin_means(codes: ArrayLike, values: Floats) -> Floats:
    """Each element's bin mean of ``values``, bins given by ``codes``."""
    _, inverse = np.unique(codes, return_inverse=True)
    return (np.bincount(inverse, weights=values) / np.bincount(inverse))[inverse]


def murphy(
    outcome: ArrayLike,
    p: ArrayLike,
    bins: Literal["deciles", "values"] = "deciles",
    closed: Literal["left", "right"] = "left",
) -> dict[str, float]:
    """Murphy decomposition with Stephenson et al. (2008) within-bin terms.

    ``BS = REL - RES + UNC + WBV - WBC`` holds exactly (to rounding) for any
    binning. REL (calibration error) is lower-is-better, RES (resolution)
    higher-is-better; UNC is the Brier score of always forecasting the base
    rate, ``mean((o - base rate)**2)`` = o(1 - o) for 0/1 outcomes.

    Args:
        outcome: 0/1 (or fractional) outcomes.
        p: probabilities of "yes".
        bins: ``"deciles"`` (the ledger's default: the 10 bins of
            :func:`calibration_bins`) or ``"values"`` (each distinct forecast
            its own bin, Murphy 1973, where WBV = WBC = 0).
        closed: bin closure for ``"deciles"``, as in :func:`calibration_bins`.

    Returns:
        ``REL``, ``RES``, ``UNC``, ``WBV``, ``WBC`` and ``BS`` (all NaN for no data).

    >>> o = [0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0]
    >>> f = [0.1] * 4 + [0.3] * 3 + [0.7] * 3 + [0.9] * 4
    >>> {k: round(v, 4) for k, v in murphy(o, f, bins="values").items()}
    {'REL': 0.0133, 'RES': 0.0476, 'UNC': 0.25, 'WBV': 0.0, 'WBC': 0.0, 'BS': 0.2157}
    """
    o, q = unit_interval(outcome, "outcome"), unit_interval(p, "p")
    if bins not in ("deciles", "values"):
        raise ValueError(f"bins must be 'deciles' or 'values', got '{bins}'")
    if q.size == 0:
        return dict.fromkeys(("REL", "RES", "UNC", "WBV", "WBC", "BS"), math.nan)
    codes = q if bins == "values" else decile(q, closed)
    f_k, o_k, base = _bin_means(codes, q), _bin_means(codes, o), o.mean()
    return {
        "REL": float(np.mean((f_k - o_k) ** 2)),
        "RES": float(np.mean((o_k - base) ** 2)),
        "UNC": float(np.mean((o - base) ** 2)),
        "WBV": float(np.mean((q - f_k) ** 2)),
        "WBC": float(2 * np.mean((o - o_k) * (q - f_k))),
        "BS": float(np.mean((q - o) ** 2)),
    }


def ece(
    outcome: ArrayLike,
    p: ArrayLike,
    variant: Literal["positive_class", "top_label"] = "positive_class",
    closed: Literal["left", "right"] = "left",
) -> float:
    """Expected calibration error over 10 equal-width bins; lower is better, 0-1.

    ``sum_k n_k/N * |mean forecast_k - observed_k|``. The ledger reports the
    ``"positive_class"`` variant (probability of yes against how often yes
    happened). ``"top_label"`` is the ML one (Guo et al. 2017): confidence
    ``max(p, 1 - p)`` against whether the side above 50% happened (p = 0.5
    counts as predicting yes). A diagnostic only: ECE is not a proper score.

    >>> o = [0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0]
    >>> f = [.05, .12, .18, .33, .38, .55, .61, .68, .72, .79, .85, .91, .97, .64]
    >>> [round(ece(o, f, kind, "right"), 4) for kind in ("positive_class", "top_label")]
    [0.2286, 0.2071]
    """
    o, q = unit_interval(outcome, "outcome"), unit_interval(p, "p")
    if q.size == 0:
        return math.nan
    if variant == "top_label":
        yes = q >= 0.5
        q, o = np.where(yes, q, 1 - q), np.where(yes, o, 1 - o)
    elif variant != "positive_class":
        raise ValueError(f"unknown variant '{variant}'")
    codes = decile(q, closed)
    return float(np.mean(np.abs(_bin_means(codes, q) - _bin_means(codes, o))))
