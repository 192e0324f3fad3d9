"""Statistics that compare scores: Student's t, paired tests, two-way fixed effects.

Pure functions of arrays, one copy of each, used by the leaderboard and head
to head (`ledger.compare`) and by the Python API:

- Student's t distribution: the two-sided p-value `t_two_sided` (from the
  regularized incomplete beta function) and its inverse `t_quantile`.
- Paired per-question score differences: the exact sign-flip test
  `sign_flip_p`, the paired t-test `paired_t`, and both with the
  Diebold-Mariano statistic in `paired_comparison`.
- Difficulty adjustment (ForecastBench): `fixed_effects` fits
  ``y = a[forecaster] + b[question]`` by least squares; `two_way_fixed_effects`
  is the same fit on a frame, with ForecastBench's reference coding.

The question bootstrap is `ledger.score.bootstrap`'s.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    Floats = NDArray[np.float64]
    Codes = NDArray[np.intp] | NDArray[np.int64]

SIGN_FLIP_MAX = 20
"""The exact sign-flip test enumerates 2**n sign patterns, up to this n."""

_TINY = 1e-300


# ---------------------------------------------------------------- Student's t


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 1000):
        for num in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + num * d
            d = 1 / (d if abs(d) > _TINY else _TINY)
            c = 1 + num / c
            c = c if abs(c) > _TINY else _TINY
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
    log_front = (
        a * math.log(x)
        + b * math.log(xc)
        - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1 - math.exp(log_front) * _betacf(b, a, xc) / b


def t_two_sided(t: float, df: float) -> float:
    """Two-sided p-value of Student's t, ``P(|T| >= |t|)``; NaN for a NaN t.

    >>> round(t_two_sided(2.0, 10), 6)
    0.073388
    """
    if math.isnan(t):
        return math.nan
    if math.isinf(t):
        return 0.0
    # 1 - x is passed separately: for tiny t, x rounds to 1 and 1 - x loses digits.
    return _betainc(df / 2, 0.5, df / (df + t * t), t * t / (df + t * t))


@cache
def t_quantile(df: float, level: float = 0.95) -> float:
    """The two-sided t critical value, by bisection on `t_two_sided`.

    >>> round(t_quantile(10), 4)
    2.2281
    """
    alpha = 1 - level
    low, high = 0.0, 1e6
    for _ in range(200):
        mid = (low + high) / 2
        if t_two_sided(mid, df) > alpha:
            low = mid
        else:
            high = mid
    return (low + high) / 2


# ---------------------------------------------------------------- paired tests


def sign_flip_p(d: Floats) -> float:
    """Exact two-sided sign-flip p-value of paired differences ``d``.

    The share of the 2**n sign patterns whose signed sum reaches the observed
    |sum| (within a tolerance of 1e-12 of the total |d|). Counted meeting in
    the middle: each signed sum is one of 2**(n//2) signed sums of the first
    half plus one of the second half's, so counting the pairs whose total
    reaches the threshold takes two sorted arrays of 2**10 instead of 2**20
    patterns.

    >>> sign_flip_p(np.array([-.08, -.07, -.12, -.09, -.16, -.12, -.08, -.0375]))
    0.0078125
    """
    n = d.size
    observed = abs(d.sum())
    threshold = observed - 1e-12 * max(1.0, float(np.abs(d).sum()))
    if threshold <= 0:
        return 1.0

    def sums(part: Floats) -> Floats:
        patterns = np.arange(2**part.size)[:, None]
        signs = 1 - 2 * ((patterns >> np.arange(part.size)) & 1)
        return signs @ part

    first, second = sums(d[: n // 2]), np.sort(sums(d[n // 2 :]))
    above = second.size - np.searchsorted(second, threshold - first, side="left")
    below = np.searchsorted(second, -threshold - first, side="right")
    return float((above + below).sum()) / (1 << n)


def paired_t(d: Floats) -> tuple[float, float]:
    """Paired t statistic of differences ``d`` (n > 1) and its two-sided p-value.

    A zero standard deviation gives an infinite t (p = 0) or NaN (p NaN).
    """
    n = d.size
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(d.mean() / (d.std(ddof=1) / math.sqrt(n)))
    return t, t_two_sided(t, n - 1)


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
    d = np.asarray(diffs, dtype=np.float64).ravel()
    n = d.size
    result: dict[str, float] = dict.fromkeys(
        ("mean", "t", "df", "p_t", "dm", "p_sign_flip"), math.nan
    )
    if n:
        result["mean"] = float(d.mean())
    if 0 < n <= SIGN_FLIP_MAX:
        result["p_sign_flip"] = sign_flip_p(d)
    if n > 1:
        t, p_t = paired_t(d)
        with np.errstate(divide="ignore", invalid="ignore"):  # sd 0 gives +-inf or NaN
            dm = float(d.mean() / np.sqrt(d.var() / n))
        result.update(t=t, df=n - 1, p_t=p_t, dm=dm)
    return {"n": n} | {k: None if math.isnan(v) else v for k, v in result.items()}


# ---------------------------------------------------------------- fixed effects


def fixed_effects(
    forecaster: Codes, question: Codes, y: Floats
) -> tuple[Floats, Floats]:
    """Least squares of y = a[forecaster] + b[question], without a dense design.

    The normal equations of the larger side are solved in closed form
    (a = row means of y - b), which leaves a small symmetric system
    M b = c on the other side; its null space is the constant (one per
    connected group), fixed by centring b so that its mean over all rows is 0.

    Args:
        forecaster: the forecaster code (0, 1, ...) of each row.
        question: the question code of each row.
        y: the value of each row (a Brier score).

    Returns:
        (a per forecaster code, b per question code).

    Raises:
        ValueError: the panel is not connected by shared questions.
    """
    n_f, n_q = int(forecaster.max()) + 1, int(question.max()) + 1
    if _components(forecaster, question, n_f, n_q) > 1:
        raise ValueError("forecasters are not all linked by shared questions")
    swap = n_f < n_q  # solve on the smaller side
    big, small = (question, forecaster) if swap else (forecaster, question)
    n_big, n_small = (n_q, n_f) if swap else (n_f, n_q)
    count_big = np.bincount(big, minlength=n_big).astype(np.float64)
    count_small = np.bincount(small, minlength=n_small).astype(np.float64)
    mean_big = np.bincount(big, y, n_big) / count_big
    incidence = np.zeros((n_big, n_small))
    np.add.at(incidence, (big, small), 1.0)
    matrix = np.diag(count_small) - (incidence / count_big[:, None]).T @ incidence
    rhs = np.bincount(small, y - mean_big[big], n_small)
    b_small = np.linalg.lstsq(matrix, rhs, rcond=None)[0]
    a_big = mean_big - (incidence @ b_small) / count_big
    a, b = (b_small, a_big) if swap else (a_big, b_small)
    shift = b[question].mean()
    return a + shift, b - shift


def _components(f: Codes, q: Codes, n_f: int, n_q: int) -> int:
    """Connected components of the forecaster-question graph (label propagation)."""
    label_f = np.arange(n_f)
    while True:
        label_q = np.full(n_q, n_f)
        np.minimum.at(label_q, q, label_f[f])
        new_f = label_f.copy()
        np.minimum.at(new_f, f, label_q[q])
        if np.array_equal(new_f, label_f):
            return int(np.unique(label_f[np.unique(f)]).size)
        label_f = new_f


def two_way_fixed_effects(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Difficulty-adjusted Brier per forecaster (ForecastBench's two-way fixed effects).

    Fits ``brier_ij = a_i + b_j`` by least squares (forecaster i, question j,
    `fixed_effects`), with the first forecaster in sorted order as the
    reference (``a = 0``), as dummy coding does. A forecaster's adjusted score
    is the mean over their questions of ``brier_ij - b_j``; lower is better.
    Only differences between forecasters are meaningful, and only within a
    panel connected by shared questions (a disconnected panel raises
    ``ValueError``).

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
    y = frame["brier"].to_numpy(dtype=np.float64)
    a, b = fixed_effects(f_codes, q_codes, y)
    # At the least-squares fit, the mean of brier_ij - b_j over i's questions
    # is a_i (i's residuals sum to 0): a with the reference's effect moved to b.
    adjusted = pd.Series(a - a[0], index=pd.Index(forecasters, name="forecaster"))
    difficulty = pd.Series(b + a[0], index=pd.Index(questions, name="question"))
    return adjusted, difficulty
