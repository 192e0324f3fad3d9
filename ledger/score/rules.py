"""Proper scoring rules, calibration tables and comparison statistics.

Every function here is pure and array-in/array-out (scoringrules' ``core``
style): no I/O, no ledger records, no global state. Forecast-scoring rules put
the truth first, ``fn(outcome, p, ...)``, as sklearn and scoringrules do;
the interval and timing rules take ``(lower, upper, y)`` in the order people
write an interval. Conventions, stated once (details in each docstring):

- Brier is the canonical ``1/2 * sum_k (p_k - o_k)**2``, range 0-1, which is
  ``(p - o)**2`` for a yes/no question. The GJ Open/Fatebook scale is twice it.
- The log score is ``ln p(outcome)`` (<= 0, higher is better), with ``p``
  clipped to ``[0.001, 0.999]`` (Metaculus) unless ``clip=None``.
- A probability may be exactly 0 or 1; one outside ``[0, 1]`` raises
  ``ValueError`` (the loader rejects such data before it gets here).
- Outcomes may be fractional (partial credit): every binary rule then scores
  the outcome-weighted average of its yes and no scores.
- Calibration bins use integer basis points: ``p`` is first rounded half up to
  the nearest 0.01%, so float edges never misplace 0.7 or drop 0.15.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from numpy.typing import ArrayLike, NDArray

    Floats = NDArray[np.float64]

WILSON_Z = 1.959963984540054  # two-sided 95% standard normal quantile
FOLDED_BUCKETS = (50, 60, 70, 80, 90, 95, 99)  # ACX/SSC stated values, percent
_ERF = np.vectorize(math.erf, otypes=[float])


def _unit(x: ArrayLike, name: str) -> Floats:
    """Return ``x`` as floats, refusing values outside [0, 1] (NaN passes)."""
    a = np.asarray(x, dtype=float)
    bad = a[(a < 0) | (a > 1)]
    if bad.size:
        raise ValueError(f"{name} must lie in [0, 1], got {bad.ravel()[0]:g}")
    return a


def brier(outcome: ArrayLike, p: ArrayLike) -> Floats:
    """Brier score of each forecast, ``(p - o)**2``; range 0-1, lower is better.

    This is the canonical half-sum over both categories, so 50% always scores
    0.25 (GJ Open and Fatebook show twice this). A fractional outcome ``o`` in
    [0, 1] gives partial credit with the same formula.

    Args:
        outcome: 0/1 (or fractional) outcomes.
        p: probabilities of "yes", each in [0, 1].

    Returns:
        Elementwise scores, shaped like the broadcast inputs.

    >>> round(float(brier([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]).mean()), 4)  # sklearn
    0.0375
    """
    return (_unit(p, "p") - _unit(outcome, "outcome")) ** 2


def _brier(o: Floats, q: Floats) -> Floats:
    """`brier` of arrays already checked by `_unit`."""
    return (q - o) ** 2


def brier_multi(outcome_index_or_onehot: ArrayLike, probs: ArrayLike) -> Floats:
    """Multi-category Brier ``1/2 * sum_k (p_k - o_k)**2``; range 0-1, lower is better.

    Args:
        outcome_index_or_onehot: the realised option as an integer index
            (shape ``S``) or as a one-hot/fractional vector (shape ``S + (K,)``).
        probs: probabilities over the K options, shape ``S + (K,)``; each row
            must sum to 1 within 1e-6.

    Returns:
        One score per question, shape ``S``.

    Cultivate's ordinal guide publishes 0.81 on its 0-2 scale for this forecast:

    >>> round(float(brier_multi(2, [0.15, 0.45, 0.25, 0.15])), 4)
    0.405
    """
    q = _unit(probs, "probability")
    if np.any(np.abs(q.sum(axis=-1) - 1) > 1e-6):
        raise ValueError("probabilities over the options must sum to 1")
    o = np.asarray(outcome_index_or_onehot)
    if o.ndim < q.ndim:
        o = np.arange(q.shape[-1]) == o[..., None]
    return 0.5 * ((q - _unit(o, "outcome")) ** 2).sum(axis=-1)


def log_score(
    outcome: ArrayLike, p: ArrayLike, clip: float | None = 0.001
) -> tuple[Floats, int]:
    """Natural-log score ``ln p(outcome)``; range (-inf, 0], higher is better.

    ``p`` is first clipped to ``[clip, 1 - clip]`` (Metaculus accepts only
    [0.001, 0.999]); ``clip=None`` scores the raw ``p``, where 0 on the
    outcome gives ``-inf`` without a warning. A fractional outcome ``o`` scores
    ``o * ln p + (1 - o) * ln(1 - p)``. Log loss is the negation.

    Args:
        outcome: 0/1 (or fractional) outcomes.
        p: probabilities of "yes", each in [0, 1].
        clip: distance from 0 and 1 to clip to, or None.

    Returns:
        The scores and how many forecasts clipping changed.

    Metaculus FAQ: 99% scores -0.01 if yes; 99.9% scores -6.9 if no.

    >>> scores, n_clipped = log_score([1, 0, 0], [0.99, 0.999, 1.0])
    >>> [round(float(s), 4) for s in scores], n_clipped
    ([-0.0101, -6.9078, -6.9078], 1)
    """
    return _log_score(_unit(outcome, "outcome"), _unit(p, "p"), clip)


def _log_score(
    o: Floats,
    q: Floats,
    clip: float | None = 0.001,
    clipped: NDArray[np.bool_] | None = None,
) -> tuple[Floats, int]:
    """`log_score` of arrays already checked by `_unit`; `clipped` may pass in
    `(q < clip) | (q > 1 - clip)`, when already known."""
    n_clipped = 0
    if clip is not None:
        if clipped is None:
            clipped = (q < clip) | (q > 1 - clip)
        n_clipped = int(np.count_nonzero(clipped))
        q = np.clip(q, clip, 1 - clip)
    with np.errstate(divide="ignore", invalid="ignore"):
        if np.all((o == 0) | (o == 1)):
            # Yes/no outcomes: one of the two terms below is 0, so one
            # expression gives the same floats with far fewer passes (+ 0.0
            # turns ln(1 - 0) = -0.0 into the 0.0 that sum gives).
            return np.where(o == 1, np.log(q), np.log1p(-q)) + 0.0, n_clipped
        yes = np.where(o > 0, o * np.log(q), 0.0)
        no = np.where(o < 1, (1 - o) * np.log1p(-q), 0.0)
    return yes + no, n_clipped


def baseline_score(
    outcome: ArrayLike, p: ArrayLike, n_options: int = 2, clip: float | None = 0.001
) -> Floats:
    """Metaculus Baseline score ``100 * ln(p * N) / ln N``; higher is better.

    0 is the chance forecast 1/N, +100 a certain correct forecast; with the
    default clip a binary score lies in [-896.6, +99.9]. For N > 2 options pass
    ``outcome=1`` and the probability on the realised option. A fractional
    outcome scores the weighted yes/no average, as in :func:`log_score`.

    Args:
        outcome: 0/1 (or fractional) outcomes.
        p: probabilities of "yes" (or on the realised option).
        n_options: N, the number of options.
        clip: passed to :func:`log_score`.

    Returns:
        Elementwise scores.

    Metaculus FAQ: 70% scores +48.5 if yes, -73.7 if no; the worst is -897.

    >>> [round(float(s), 1) for s in baseline_score([1, 0, 0], [0.7, 0.7, 1.0])]
    [48.5, -73.7, -896.6]
    """
    scores, _ = log_score(outcome, p, clip)
    return 100 * (1 + scores / math.log(n_options))


def spherical(outcome: ArrayLike, p: ArrayLike) -> Floats:
    """Spherical score ``p_y / sqrt(p**2 + (1 - p)**2)``; range 0-1, higher is better.

    Strictly proper (Gneiting & Raftery 2007, sec. 3.1). A fractional outcome
    weights the yes and no scores.

    >>> [round(float(s), 3) for s in spherical([1, 0], [0.7, 0.7])]
    [0.919, 0.394]
    """
    return _spherical(_unit(outcome, "outcome"), _unit(p, "p"))


def _spherical(o: Floats, q: Floats) -> Floats:
    """`spherical` of arrays already checked by `_unit`."""
    if np.all((o == 0) | (o == 1)):
        # yes/no: the numerator is q or 1 - q (+ 0.0, as the sum gives)
        r = 1 - q
        return (np.where(o == 1, q, r) + 0.0) / np.sqrt(q**2 + r**2)
    return (o * q + (1 - o) * (1 - q)) / np.sqrt(q**2 + (1 - q) ** 2)


def peer_scores(log_scores: ArrayLike) -> Floats:
    """Metaculus Peer scores ``100 * (ln p_i - mean of the others' ln p)``.

    Higher is better, and the scores on a question sum to 0. The last axis
    holds the natural-log scores of the forecasters on one question; with
    fewer than two forecasters the Peer score is undefined (NaN).

    Metaculus FAQ: log scores -1, 1 and 2 give Peer scores -2.5, 0.5, 2 (x100).

    >>> [round(float(s), 4) for s in peer_scores([-1.0, 1.0, 2.0])]
    [-250.0, 50.0, 200.0]
    """
    s = np.asarray(log_scores, dtype=float)
    n = s.shape[-1]
    if n < 2:
        return np.full_like(s, np.nan)
    others = (s.sum(axis=-1, keepdims=True) - s) / (n - 1)
    return 100 * (s - others)


def interval_score(
    lower: ArrayLike, upper: ArrayLike, y: ArrayLike, alpha: ArrayLike
) -> Floats:
    """Interval (Winkler) score of a central (1 - alpha) interval; lower is better.

    ``(u - l) + (2/alpha) * ((l - y) if y < l) + (2/alpha) * ((y - u) if y > u)``
    (Gneiting & Raftery 2007, eq. 43), in the units of ``y``, range [0, inf).

    >>> [round(float(s), 4) for s in interval_score(10, 20, [5, 15, 25], 0.2)]
    [60.0, 10.0, 60.0]
    """
    lo, hi, obs = (np.asarray(a, dtype=float) for a in (lower, upper, y))
    misses = np.maximum(lo - obs, 0) + np.maximum(obs - hi, 0)
    return (hi - lo) + 2 / np.asarray(alpha, dtype=float) * misses


def weighted_interval_score(
    lower: ArrayLike,
    upper: ArrayLike,
    y: ArrayLike,
    alphas: ArrayLike,
    median: ArrayLike,
) -> Floats:
    """Weighted interval score (Bracher et al. 2021); lower is better, units of y.

    ``(|y - m|/2 + sum_k alpha_k/2 * IS_alpha_k) / (K + 1/2)``. This is the
    correct formula: scoringrules 0.10.0 adds ``median/2`` instead of
    ``|y - median|/2``.

    Args:
        lower: lower ends, shape ``S + (K,)``.
        upper: upper ends, shape ``S + (K,)``.
        y: outcomes, shape ``S``.
        alphas: the K levels, e.g. 0.5 for a 50% interval.
        median: predictive medians, shape ``S``.

    Returns:
        One score per forecast, shape ``S``.

    >>> round(float(weighted_interval_score([8, 5], [14, 20], 10, [0.5, 0.1], 12)), 4)
    1.3
    """
    a = np.asarray(alphas, dtype=float)
    obs = np.asarray(y, dtype=float)
    scores = interval_score(lower, upper, obs[..., None], a)
    total = 0.5 * np.abs(obs - np.asarray(median, dtype=float))
    return (total + (a / 2 * scores).sum(axis=-1)) / (a.shape[-1] + 0.5)


def timing_error(lower: ArrayLike, upper: ArrayLike, y: ArrayLike) -> Floats:
    """Distance from ``y`` to the window ``[lower, upper]``; 0 inside, lower is better.

    A missing end (None or NaN) leaves the window open on that side. Units are
    those of ``y``.

    >>> errors = timing_error([2, 2, None], [3, 3, 3], [2.5, 3.5, 1.0])
    >>> [round(float(e), 1) for e in errors]
    [0.0, 0.5, 0.0]
    """
    lo, hi, obs = (np.asarray(a, dtype=float) for a in (lower, upper, y))
    lo, hi = np.where(np.isnan(lo), -np.inf, lo), np.where(np.isnan(hi), np.inf, hi)
    return np.maximum(lo - obs, 0) + np.maximum(obs - hi, 0)


def crps_uniform(a: ArrayLike, b: ArrayLike, y: ArrayLike) -> Floats:
    """CRPS of a Uniform(a, b) forecast at ``y``; lower is better, units of y.

    Closed form ``E|X - y| - (b - a)/6``; a stated "between 2 and 3 years" is
    read as Uniform(2, 3). With ``a == b`` it is ``|y - a|``.

    >>> [round(float(s), 4) for s in crps_uniform(2, 3, [2.5, 3.5])]
    [0.0833, 0.8333]
    """
    lo, hi, obs = (np.asarray(v, dtype=float) for v in (a, b, y))
    width = hi - lo
    inside = (obs > lo) & (obs < hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        near = ((obs - lo) ** 2 + (hi - obs) ** 2) / (2 * width)
    mean_abs = np.where(inside, near, np.abs(obs - (lo + hi) / 2))
    return mean_abs - width / 6


def crps_uniform_censored(a: ArrayLike, b: ArrayLike, tau: ArrayLike) -> Floats:
    """Provisional CRPS of Uniform(a, b) when no event has happened by ``tau``.

    Threshold-weighted CRPS with weight ``1{t <= tau}`` against the censored
    outcome (Taggart, Loveday & Louis 2026): ``integral_{-inf}^{tau} F(t)**2 dt``.
    Lower is better, units of time; it grows while the forecast's mass passes.

    >>> round(float(crps_uniform_censored(2, 3, 2.5)), 4)
    0.0417
    """
    lo, hi, t = (np.asarray(v, dtype=float) for v in (a, b, tau))
    width = hi - lo
    covered = np.clip(t, lo, hi) - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        ramp = np.where(width > 0, covered**3 / (3 * width**2), 0.0)
    return ramp + np.maximum(t - hi, 0)


def crps_ensemble(y: ArrayLike, members: ArrayLike, fair: bool = False) -> Floats:
    """CRPS of an ensemble forecast ``E|X - y| - E|X - X'|/2``; lower is better.

    Args:
        y: outcomes, shape ``S``.
        members: ensemble members on the last axis, shape ``S + (m,)``.
        fair: use the unbiased "fair" estimator (m(m - 1) pairs) instead of
            the empirical-CDF one (m**2 pairs, properscoring's).

    Returns:
        One score per forecast, units of ``y``.

    >>> crps = crps_ensemble(2.5, [1, 2, 3]), crps_ensemble(2.5, [1, 2, 3], fair=True)
    >>> [round(float(c), 4) for c in crps]
    [0.3889, 0.1667]
    """
    x = np.sort(np.asarray(members, dtype=float), axis=-1)
    obs = np.asarray(y, dtype=float)
    m = x.shape[-1]
    spread = 2 * (x * (2 * np.arange(m) - m + 1)).sum(axis=-1)  # sum_ij |x_i - x_j|
    pairs = m * (m - 1) if fair else m * m
    return np.abs(x - obs[..., None]).mean(axis=-1) - spread / (2 * pairs)


def crps_normal(y: ArrayLike, mu: ArrayLike, sigma: ArrayLike) -> Floats:
    """CRPS of a Normal(mu, sigma) forecast (Gneiting & Raftery 2007); lower is better.

    ``sigma * (z * (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi))`` with
    ``z = (y - mu)/sigma``; units of ``y``.

    >>> round(float(crps_normal(0, 0, 1)), 4)  # properscoring crps_gaussian
    0.2337
    """
    s = np.asarray(sigma, dtype=float)
    z = (np.asarray(y, dtype=float) - np.asarray(mu, dtype=float)) / s
    pdf = np.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    return s * (z * _ERF(z / math.sqrt(2)) + 2 * pdf - 1 / math.sqrt(math.pi))


def brier_skill(
    outcome: ArrayLike, p: ArrayLike, reference: Literal["half", "base_rate"]
) -> float | None:
    """Brier skill score ``1 - BS/BS_ref``; range (-inf, 1], higher is better.

    ``reference="half"`` compares with always 50% (BS_ref = 0.25);
    ``"base_rate"`` with the in-sample climatology, BS_ref = o(1 - o). Returns
    None when BS_ref is 0 (every outcome the same) or there is no data.

    >>> o = [1, 1, 0, 1, 0, 1, 0, 1]
    >>> round(brier_skill(o, [0.9, 0.8, 0.3, 0.6, 0.1, 0.7, 0.2, 0.95], "base_rate"), 4)
    0.764
    """
    o = _unit(outcome, "outcome")
    if o.size == 0:
        return None
    if reference == "half":
        ref = 0.25
    elif reference == "base_rate":
        ref = float(o.mean() * (1 - o.mean()))
    else:
        raise ValueError(f"unknown reference '{reference}'; use 'half' or 'base_rate'")
    return None if ref == 0 else 1 - float(brier(o, p).mean()) / ref


def _basis_points(p: Floats) -> NDArray[np.int64]:
    """Round probabilities half up to whole basis points (0.01%)."""
    return np.floor(p * 10_000 + 0.5).astype(np.int64)


def _decile(p: Floats, closed: Literal["left", "right"]) -> NDArray[np.int64]:
    """Index 0-9 of the 10%-wide bin holding each probability."""
    bp = _basis_points(p)
    if closed == "left":  # [0, 10), ..., [80, 90), [90, 100]
        return np.minimum(bp // 1000, 9)
    if closed == "right":  # [0, 10], (10, 20], ..., (90, 100]
        return np.maximum((bp + 999) // 1000 - 1, 0)
    raise ValueError(f"closed must be 'left' or 'right', got '{closed}'")


def _wilson(observed: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Wilson 95% interval for a proportion; NaN where n is 0."""
    z2 = WILSON_Z**2
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (observed + z2 / (2 * n)) / (1 + z2 / n)
        spread = np.sqrt(observed * (1 - observed) / n + z2 / (4 * n**2))
        half = WILSON_Z / (1 + z2 / n) * spread
    return centre - half, centre + half


def _table(
    codes: NDArray[np.int64],
    labels: Sequence[object],
    outcome: Floats,
    p: Floats,
    name: str,
) -> pd.DataFrame:
    """Count, mean forecast, observed frequency and Wilson interval per label."""
    group = pd.Categorical.from_codes(codes, categories=labels)
    table = (
        pd.DataFrame({name: group, "p": p, "outcome": outcome})
        .groupby(name, observed=False)
        .agg(n=("p", "size"), mean_p=("p", "mean"), observed=("outcome", "mean"))
        .reset_index()
    )
    low, high = _wilson(table["observed"], table["n"])
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
    o, q = _unit(outcome, "outcome"), _unit(p, "p")
    labels = [f"{10 * k}-{10 * k + 10}%" for k in range(10)]
    table = _table(_decile(q, closed), labels, o, q, "bin")
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
    o, q = _unit(outcome, "outcome"), _unit(p, "p")
    bp = _basis_points(q)
    below = bp < 5000
    folded_bp = np.where(below, 10_000 - bp, bp)
    buckets = 100 * np.asarray(FOLDED_BUCKETS)
    midpoints = (buckets[:-1] + buckets[1:]) / 2  # a tie goes to the upper bucket
    codes = np.searchsorted(midpoints, folded_bp, side="right")
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
    o, q = _unit(outcome, "outcome"), _unit(p, "p")
    if bins not in ("deciles", "values"):
        raise ValueError(f"bins must be 'deciles' or 'values', got '{bins}'")
    if q.size == 0:
        return dict.fromkeys(("REL", "RES", "UNC", "WBV", "WBC", "BS"), math.nan)
    codes = q if bins == "values" else _decile(q, closed)
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
    o, q = _unit(outcome, "outcome"), _unit(p, "p")
    if q.size == 0:
        return math.nan
    if variant == "top_label":
        yes = q >= 0.5
        q, o = np.where(yes, q, 1 - q), np.where(yes, o, 1 - o)
    elif variant != "positive_class":
        raise ValueError(f"unknown variant '{variant}'")
    codes = _decile(q, closed)
    return float(np.mean(np.abs(_bin_means(codes, q) - _bin_means(codes, o))))


def bootstrap_ci(
    values: ArrayLike,
    groups: ArrayLike | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean, resampling whole questions.

    Each replicate draws the groups (by default each value is its own
    question) with replacement and takes the mean of all their values.
    Replicates are drawn in chunks from ``numpy.random.default_rng(seed)``,
    so the same seed gives the same interval.

    Args:
        values: per-forecast scores or score differences.
        groups: the question (or cluster) of each value.
        n_boot: number of replicates.
        seed: random seed.
        level: coverage of the interval.

    Returns:
        ``(low, high)``; ``(nan, nan)`` with no values, ``(x, x)`` with one.

    >>> low, high = bootstrap_ci([0.01, 0.16, 0.09, 0.04, 0.25])
    >>> bool(low < 0.11 < high), bootstrap_ci([0.3]), bootstrap_ci([])
    (True, (0.3, 0.3), (nan, nan))
    """
    x = np.asarray(values, dtype=float).ravel()
    if x.size <= 1:
        return (float(x[0]), float(x[0])) if x.size else (math.nan, math.nan)
    if groups is None:
        codes = np.arange(x.size)
    else:
        codes = pd.factorize(np.asarray(groups).ravel())[0]
    sums, sizes = np.bincount(codes, weights=x), np.bincount(codes)
    rng = np.random.default_rng(seed)
    chunk = max(1, 2**20 // sums.size)  # about 8 MB of indices at a time
    means = []
    for start in range(0, n_boot, chunk):
        size = (min(chunk, n_boot - start), sums.size)
        idx = rng.integers(0, sums.size, size=size)
        means.append(sums[idx].sum(axis=1) / sizes[idx].sum(axis=1))
    low, high = np.quantile(np.concatenate(means), [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def time_averaged(
    forecasts: Sequence[tuple[int, float]],
    open_day: int,
    close_day: int,
    known_day: int,
    score: Callable[[Floats], ArrayLike],
    convention: Literal["ledger", "metaculus"] = "ledger",
) -> float:
    """Average one forecaster's daily score over a question's life.

    Days are whole integer time units; the question is open on days
    ``open_day .. close_day - 1`` (``close_day`` is the scheduled close). A
    forecast made on day d stands from day d until replaced (carry-forward;
    the last one made on a day wins). Days from ``known_day`` on, when the
    outcome was known, are never scored.

    - ``"ledger"`` (GJ Open/Cultivate style, the default): the mean over the
      days on which a forecast stands, so days before the first forecast and
      after the outcome was known do not count. NaN if there are none.
    - ``"metaculus"``: the sum over those days divided by the full scheduled
      duration ``close_day - open_day``, so days before the first forecast
      and after an early resolution count as 0 (score truncation).

    Args:
        forecasts: ``(day, p)`` pairs of one forecaster.
        open_day: first day of the question.
        close_day: scheduled close (exclusive).
        known_day: first day the outcome was known.
        score: maps an array of standing probabilities to daily scores, e.g.
            ``lambda p: baseline_score(1, p)``.
        convention: ``"ledger"`` or ``"metaculus"``.

    Returns:
        The time-averaged score.

    Metaculus FAQ example (no forecast on day 1, then 40%, 70%, 70%, 80%;
    resolves yes): daily 0, -32, +49, +49, +68, average +27.

    >>> f = [(1, 0.4), (2, 0.7), (4, 0.8)]
    >>> round(time_averaged(f, 0, 5, 5, lambda p: baseline_score(1, p), "metaculus"), 2)
    26.54
    >>> round(time_averaged(f, 0, 5, 5, lambda p: baseline_score(1, p)), 2)
    33.17
    """
    if convention not in ("ledger", "metaculus"):
        raise ValueError(f"unknown convention '{convention}'")
    made = np.array([day for day, _ in forecasts], dtype=np.int64)
    order = np.argsort(made, kind="stable")  # same-day forecasts keep their order
    probs = np.array([p for _, p in forecasts], dtype=float)[order]
    days = np.arange(open_day, min(close_day, known_day))
    standing = np.searchsorted(made[order], days, side="right") - 1
    daily = np.asarray(score(probs[standing[standing >= 0]]), dtype=float)
    if convention == "metaculus":
        return float(daily.sum() / (close_day - open_day))
    return float(daily.mean()) if daily.size else math.nan


def relative_brier(outcome: float, daily: pd.DataFrame) -> pd.Series:
    """Relative Brier per forecaster: own daily Brier minus the daily median.

    Averaged over the days each forecaster has a standing forecast; negative
    means better than the crowd's median (GJ Open/Cultivate, Fatebook). On the
    canonical 0-1 scale (GJ Open shows twice it). Days with fewer than two
    active forecasters are skipped, since a median of one is no comparison.

    Args:
        outcome: the question's outcome (0/1 or fractional).
        daily: one row per day, one column per forecaster, holding the
            standing probability (NaN while a forecaster has none).

    Returns:
        Mean relative Brier per forecaster (NaN if never compared).

    >>> days = pd.DataFrame(
    ...     {"A": [0.9, 0.9, 0.95], "B": [0.6, 0.7, 0.7], "C": [0.3, 0.5, 0.8]}
    ... )
    >>> relative_brier(1, days).round(4).to_dict()
    {'A': -0.0892, 'B': 0.0167, 'C': 0.1633}
    """
    scores = pd.DataFrame(
        brier(outcome, daily), index=daily.index, columns=daily.columns
    )
    compared = scores[scores.notna().sum(axis=1) >= 2]
    return compared.sub(compared.median(axis=1), axis=0).mean()


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        for num in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + num * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float, xc: float) -> float:
    """Regularized incomplete beta I_x(a, b); ``xc`` is 1 - x, computed exactly."""
    if x <= 0:
        return 0.0
    if xc <= 0:
        return 1.0
    log_front = a * math.log(x) + b * math.log(xc) - (
        math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1 - math.exp(log_front) * _betacf(b, a, xc) / b


def _t_two_sided(t: float, df: float) -> float:
    """Two-sided p-value of Student's t, ``P(|T| >= |t|)``."""
    if math.isnan(t):
        return math.nan
    if math.isinf(t):
        return 0.0
    # 1 - x is passed separately: for tiny t, x rounds to 1 and 1 - x loses digits.
    return _betainc(df / 2, 0.5, df / (df + t * t), t * t / (df + t * t))


def _sign_flip_p(d: Floats) -> float:
    """Exact two-sided sign-flip p-value, enumerating all 2**n sign patterns."""
    n, observed = d.size, abs(d.sum())
    tol = 1e-12 * max(1.0, float(np.abs(d).sum()))
    bits = np.arange(n)
    hits = 0
    for start in range(0, 2**n, 2**16):
        patterns = np.arange(start, min(start + 2**16, 2**n))[:, None]
        signs = 1 - 2 * ((patterns >> bits) & 1)
        hits += int(np.count_nonzero(np.abs(signs @ d) >= observed - tol))
    return hits / 2**n


def paired_comparison(diffs: ArrayLike) -> dict[str, float | None]:
    """Tests of whether paired per-question score differences centre on 0.

    Args:
        diffs: score of A minus score of B on each shared question.

    Returns:
        ``n``; ``mean``; ``t`` (paired t, which equals the Harvey-Leybourne-
        Newbold corrected Diebold-Mariano statistic at horizon 1) with ``df``
        and two-sided ``p_t``; ``dm`` (uncorrected Diebold-Mariano, biased
        variance); ``p_sign_flip`` (exact two-sided, only for n <= 20).
        Undefined values are None.

    Eight questions, all favouring A (vector H1):

    >>> r = paired_comparison([-.08, -.07, -.12, -.09, -.16, -.12, -.08, -.0375])
    >>> round(r["t"], 4), round(r["p_t"], 6), r["p_sign_flip"]
    (-7.1285, 0.000189, 0.0078125)
    """
    d = np.asarray(diffs, dtype=float).ravel()
    n = d.size
    result: dict[str, float] = dict.fromkeys(
        ("mean", "t", "df", "p_t", "dm", "p_sign_flip"), math.nan
    )
    if n:
        result["mean"] = float(d.mean())
    if 0 < n <= 20:
        result["p_sign_flip"] = _sign_flip_p(d)
    if n > 1:
        with np.errstate(divide="ignore", invalid="ignore"):  # sd 0 gives +-inf or NaN
            t = float(d.mean() / (d.std(ddof=1) / math.sqrt(n)))
            dm = float(d.mean() / np.sqrt(d.var() / n))
        result.update(t=t, df=n - 1, p_t=_t_two_sided(t, n - 1), dm=dm)
    return {"n": n} | {k: None if math.isnan(v) else v for k, v in result.items()}


def two_way_fixed_effects(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Difficulty-adjusted Brier per forecaster (ForecastBench's two-way fixed effects).

    Fits ``brier_ij = a_i + b_j`` by least squares (forecaster i, question j),
    with the first forecaster in sorted order as the reference (``a = 0``), as
    dummy coding does. A forecaster's adjusted score is the mean over their
    questions of ``brier_ij - b_j``; lower is better. Only differences between
    forecasters are meaningful, and only within a panel connected by shared
    questions (a disconnected panel raises ``ValueError``).

    Args:
        frame: columns ``forecaster``, ``question`` and ``brier``.

    Returns:
        Adjusted Brier per forecaster, and the difficulty ``b_j`` per question.

    >>> f = pd.DataFrame({
    ...     "forecaster": ["a", "a", "b", "b"],
    ...     "question": ["q1", "q2", "q1", "q2"],
    ...     "brier": [0.04, 0.36, 0.01, 0.25],
    ... })
    >>> adjusted, difficulty = two_way_fixed_effects(f)
    >>> adjusted.round(4).to_dict(), difficulty.round(4).to_dict()
    ({'a': 0.0, 'b': -0.07}, {'q1': 0.06, 'q2': 0.34})
    """
    q_codes, questions = pd.factorize(frame["question"], sort=True)
    f_codes, forecasters = pd.factorize(frame["forecaster"], sort=True)
    rows, n_q = np.arange(len(frame)), len(questions)
    design = np.zeros((len(frame), n_q + len(forecasters) - 1))
    design[rows, q_codes] = 1
    design[rows[f_codes > 0], n_q + f_codes[f_codes > 0] - 1] = 1
    y = frame["brier"].to_numpy(dtype=float)
    coef, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    if rank < design.shape[1]:
        raise ValueError("forecasters are not all linked by shared questions")
    difficulty = pd.Series(coef[:n_q], index=pd.Index(questions, name="question"))
    adjusted = pd.Series(y - coef[q_codes]).groupby(f_codes).mean()
    return adjusted.set_axis(pd.Index(forecasters, name="forecaster")), difficulty
