"""Scoring rules for forecasts of a quantity: intervals, windows, distributions.

Array in, array out, like `ledger.score.rules`, but the truth is a number
``y`` (a date as a number of days or years, or a numeric outcome), and every
score is in the units of ``y``, lower is better. The interval and timing rules
take ``(lower, upper, y)`` in the order people write an interval; the rules of
quantiles take ``(y, quantiles, levels)``, truth first; the CRPS rules of a
distribution take its parameters, and of an ensemble ``(y, members)``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ledger.core.quantiles import unpaired

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    Floats = NDArray[np.float64]

_ERF = np.vectorize(math.erf, otypes=[float])


def interval_score(
    lower: ArrayLike, upper: ArrayLike, y: ArrayLike, alpha: ArrayLike
) -> Floats:
    """Interval (Winkler) score of a central (1 - alpha) interval; lower is better.

    ``(u - l) + (2/alpha) * ((l - y) if y < l) + (2/alpha) * ((y - u) if y > u)``
    (Gneiting & Raftery 2007, eq. 43), in the units of ``y``, range [0, inf).

    >>> [round(float(s), 4) for s in interval_score(10, 20, [5, 15, 25], 0.2)]
    [60.0, 10.0, 60.0]
    """
    lo, hi, obs = (np.asarray(a, dtype=np.float64) for a in (lower, upper, y))
    misses: Floats = np.maximum(lo - obs, 0) + np.maximum(obs - hi, 0)
    return (hi - lo) + 2 / np.asarray(alpha, dtype=np.float64) * misses


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
    a = np.asarray(alphas, dtype=np.float64)
    obs = np.asarray(y, dtype=np.float64)
    scores = interval_score(lower, upper, obs[..., None], a)
    total = 0.5 * np.abs(obs - np.asarray(median, dtype=np.float64))
    weighted: Floats = (a / 2 * scores).sum(axis=-1)
    return (total + weighted) / (int(a.shape[-1]) + 0.5)


def quantile_score(y: ArrayLike, quantiles: ArrayLike, levels: ArrayLike) -> Floats:
    """Quantile score: the mean over the levels of 2·ρ_τ(y − q_τ); lower is better.

    ρ_τ(u) = u·(τ − 1{u < 0}) is the pinball loss (Koenker & Bassett 1978);
    with a median alone the score is |y − m|, and as the levels become dense
    it approaches the CRPS (Gneiting & Raftery 2007; Bracher et al. 2021).
    Units of ``y``, range [0, inf).

    Args:
        y: outcomes, shape ``S``.
        quantiles: the forecasts' values, shape ``S + (K,)``.
        levels: the K levels in (0, 1), shape ``(K,)`` or ``S + (K,)``.

    Returns:
        One score per forecast, shape ``S``.

    >>> round(float(quantile_score(10, [8, 12, 14], [0.25, 0.5, 0.75])), 4)
    1.6667
    >>> float(quantile_score(2031, [2030], [0.5]))  # a median: the absolute error
    1.0
    """
    obs = np.asarray(y, dtype=np.float64)[..., None]
    error = obs - np.asarray(quantiles, dtype=np.float64)
    tau = np.asarray(levels, dtype=np.float64)
    loss: Floats = 2 * error * (tau - (error < 0))
    mean: Floats = loss.mean(axis=-1)
    return mean


def wis(y: ArrayLike, quantiles: ArrayLike, levels: ArrayLike) -> Floats:
    """Weighted interval score of quantiles that pair up around a median.

    The levels (shape ``(K,)``, shared by every forecast) must hold 0.5 and,
    for each other level τ, 1 − τ: each pair is a central (1 − 2τ) interval,
    scored by `weighted_interval_score` (Bracher et al. 2021). Units of
    ``y``; lower is better.

    Args:
        y: outcomes, shape ``S``.
        quantiles: the values at `levels`, shape ``S + (K,)``.
        levels: the levels, shape ``(K,)``.

    Returns:
        One score per forecast, shape ``S``.

    Raises:
        ValueError: the levels do not pair up, saying why.

    >>> round(float(wis(10, [5, 8, 12, 14, 20], [0.05, 0.25, 0.5, 0.75, 0.95])), 4)
    1.3
    """
    tau = np.asarray(levels, dtype=np.float64)
    reason = unpaired(tau.tolist())
    if reason is not None:
        raise ValueError(f"the levels do not pair up around a median: {reason}")
    values = np.asarray(quantiles, dtype=np.float64)
    lows = np.flatnonzero(tau < 0.5)
    highs = np.array(
        [int(np.argmin(np.abs(tau - (1 - tau[i])))) for i in lows], dtype=np.intp
    )
    median = values[..., int(np.argmin(np.abs(tau - 0.5)))]
    return weighted_interval_score(
        values[..., lows], values[..., highs], y, 2 * tau[lows], median
    )


def timing_error(lower: ArrayLike, upper: ArrayLike, y: ArrayLike) -> Floats:
    """Distance from ``y`` to the window ``[lower, upper]``; 0 inside, lower is better.

    A missing end (None or NaN) leaves the window open on that side. Units are
    those of ``y``.

    >>> errors = timing_error([2, 2, None], [3, 3, 3], [2.5, 3.5, 1.0])
    >>> [round(float(e), 1) for e in errors]
    [0.0, 0.5, 0.0]
    """
    lo, hi, obs = (np.asarray(a, dtype=np.float64) for a in (lower, upper, y))
    lo, hi = np.where(np.isnan(lo), -np.inf, lo), np.where(np.isnan(hi), np.inf, hi)
    return np.maximum(lo - obs, 0) + np.maximum(obs - hi, 0)


def crps_uniform(a: ArrayLike, b: ArrayLike, y: ArrayLike) -> Floats:
    """CRPS of a Uniform(a, b) forecast at ``y``; lower is better, units of y.

    Closed form ``E|X - y| - (b - a)/6``; a stated "between 2 and 3 years" is
    read as Uniform(2, 3). With ``a == b`` it is ``|y - a|``.

    >>> [round(float(s), 4) for s in crps_uniform(2, 3, [2.5, 3.5])]
    [0.0833, 0.8333]
    """
    lo, hi, obs = (np.asarray(v, dtype=np.float64) for v in (a, b, y))
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
    lo, hi, t = (np.asarray(v, dtype=np.float64) for v in (a, b, tau))
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
    x = np.sort(np.asarray(members, dtype=np.float64), axis=-1)
    obs = np.asarray(y, dtype=np.float64)
    m = int(x.shape[-1])
    # the sum over all i, j of |x_i - x_j|, from the sorted members
    spread: Floats = 2 * (x * (2 * np.arange(m) - m + 1)).sum(axis=-1)
    pairs = m * (m - 1) if fair else m * m
    mean_abs: Floats = np.abs(x - obs[..., None]).mean(axis=-1)
    return mean_abs - spread / (2 * pairs)


def crps_normal(y: ArrayLike, mu: ArrayLike, sigma: ArrayLike) -> Floats:
    """CRPS of a Normal(mu, sigma) forecast (Gneiting & Raftery 2007); lower is better.

    ``sigma * (z * (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi))`` with
    ``z = (y - mu)/sigma``; units of ``y``.

    >>> round(float(crps_normal(0, 0, 1)), 4)  # properscoring crps_gaussian
    0.2337
    """
    s = np.asarray(sigma, dtype=np.float64)
    z = (np.asarray(y, dtype=np.float64) - np.asarray(mu, dtype=np.float64)) / s
    pdf = np.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    erf: Floats = _ERF(z / math.sqrt(2))
    return s * (z * erf + 2 * pdf - 1 / math.sqrt(math.pi))
