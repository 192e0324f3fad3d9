"""Proper scoring rules of a probability: array in, array out, truth first.

Every function here is pure and array-in/array-out (scoringrules' ``core``
style): no I/O, no ledger records, no global state. The rules put the truth
first, ``fn(outcome, p, ...)``, as sklearn and scoringrules do. Conventions,
stated once (details in each docstring):

- Brier is the canonical ``1/2 * sum_k (p_k - o_k)**2``, range 0-1, which is
  ``(p - o)**2`` for a yes/no question. The GJ Open/Fatebook scale is twice it
  (`BRIER_SCALES`).
- The log score is ``ln p(outcome)`` (<= 0, higher is better), with ``p``
  clipped to ``[LOG_CLIP, 1 - LOG_CLIP]`` = ``[0.001, 0.999]`` (Metaculus)
  unless ``clip=None``.
- A probability may be exactly 0 or 1; one outside ``[0, 1]`` raises
  ``ValueError`` (the loader rejects such data before it gets here).
- Outcomes may be fractional (partial credit): every binary rule then scores
  the outcome-weighted average of its yes and no scores.

The rules of a quantity (intervals, windows, CRPS) are in
`ledger.score.quantities`, calibration tables in `ledger.score.calibration`,
scores over a question's life in `ledger.score.daily`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    Floats = NDArray[np.float64]

LOG_CLIP = 0.001
"""The log score clips p to [LOG_CLIP, 1 - LOG_CLIP] (Metaculus's [0.001, 0.999])."""

BRIER_SCALES = {"0-1": 1.0, "0-2": 2.0}
"""Factor of each scale a Brier score can be shown on (0-2: GJ Open, Fatebook)."""

BRIER_SCALE_WORDS = {
    "0-1": "0-1, lower is better",
    "0-2": "0-2 (GJ Open/Fatebook scale), lower is better",
}
"""How a Brier score on each scale reads, after the word 'Brier'."""


def scale_text(scale: str = "0-1") -> str:
    """How a Brier score on `scale` reads: 'brier 0-1, lower is better'."""
    return f"brier {BRIER_SCALE_WORDS[scale]}"


def unit_interval(x: ArrayLike, name: str) -> Floats:
    """Return ``x`` as floats, refusing values outside [0, 1] (NaN passes).

    Args:
        x: probabilities or outcomes.
        name: what ``x`` is, for the error message.

    Returns:
        ``x`` as an array of floats.

    Raises:
        ValueError: a value lies outside [0, 1].
    """
    a = np.asarray(x, dtype=np.float64)
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
    return (unit_interval(p, "p") - unit_interval(outcome, "outcome")) ** 2


def brier_multi(outcome_index_or_onehot: ArrayLike, probs: ArrayLike) -> Floats:
    """Multi-category Brier ``1/2 * sum_k (p_k - o_k)**2``; range 0-1, lower is better.

    Args:
        outcome_index_or_onehot: the realised option as an integer index
            (shape ``S``) or as a one-hot/fractional vector (shape ``S + (K,)``).
        probs: probabilities over the K options, shape ``S + (K,)``; each row
            must sum to 1 within 1e-6.

    Returns:
        One score per question, shape ``S``.

    Raises:
        ValueError: a row of ``probs`` does not sum to 1.

    Cultivate's ordinal guide publishes 0.81 on its 0-2 scale for this forecast:

    >>> round(float(brier_multi(2, [0.15, 0.45, 0.25, 0.15])), 4)
    0.405
    """
    q = unit_interval(probs, "probability")
    if np.any(np.abs(q.sum(axis=-1) - 1) > 1e-6):
        raise ValueError("probabilities over the options must sum to 1")
    o = np.asarray(outcome_index_or_onehot)
    if o.ndim < q.ndim:
        o = np.arange(q.shape[-1]) == o[..., None]
    squares = (q - unit_interval(o, "outcome")) ** 2
    total: Floats = squares.sum(axis=-1)
    return 0.5 * total


def log_score(
    outcome: ArrayLike, p: ArrayLike, clip: float | None = LOG_CLIP
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
    o, q = unit_interval(outcome, "outcome"), unit_interval(p, "p")
    scores, clipped = _log_score(o, q, clip)
    return scores, int(np.count_nonzero(clipped))


def _log_score(
    o: Floats, q: Floats, clip: float | None
) -> tuple[Floats, NDArray[np.bool_]]:
    """`log_score` of checked arrays, and which forecasts clipping changed."""
    clipped = np.zeros(q.shape, dtype=bool)
    if clip is not None:
        clipped = (q < clip) | (q > 1 - clip)
        q = np.clip(q, clip, 1 - clip)
    with np.errstate(divide="ignore", invalid="ignore"):
        if np.all((o == 0) | (o == 1)):
            # Yes/no outcomes: one of the two terms below is 0, so one
            # expression gives the same floats with far fewer passes (+ 0.0
            # turns ln(1 - 0) = -0.0 into the 0.0 that sum gives).
            return np.where(o == 1, np.log(q), np.log1p(-q)) + 0.0, clipped
        yes = np.where(o > 0, o * np.log(q), 0.0)
        no = np.where(o < 1, (1 - o) * np.log1p(-q), 0.0)
    return yes + no, clipped


def _baseline(log: Floats, n_options: int) -> Floats:
    """Baseline scores from natural-log scores."""
    return 100 * (1 + log / math.log(n_options))


def baseline_score(
    outcome: ArrayLike, p: ArrayLike, n_options: int = 2, clip: float | None = LOG_CLIP
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
    return _baseline(scores, n_options)


def spherical(outcome: ArrayLike, p: ArrayLike) -> Floats:
    """Spherical score ``p_y / sqrt(p**2 + (1 - p)**2)``; range 0-1, higher is better.

    Strictly proper (Gneiting & Raftery 2007, sec. 3.1). A fractional outcome
    weights the yes and no scores.

    >>> [round(float(s), 3) for s in spherical([1, 0], [0.7, 0.7])]
    [0.919, 0.394]
    """
    return _spherical(unit_interval(outcome, "outcome"), unit_interval(p, "p"))


def _spherical(o: Floats, q: Floats) -> Floats:
    """`spherical` of checked arrays."""
    if np.all((o == 0) | (o == 1)):
        # yes/no: the numerator is q or 1 - q (+ 0.0, as the sum gives)
        r = 1 - q
        return (np.where(o == 1, q, r) + 0.0) / np.sqrt(q**2 + r**2)
    return (o * q + (1 - o) * (1 - q)) / np.sqrt(q**2 + (1 - q) ** 2)


def binary_scores(outcome: ArrayLike, p: ArrayLike) -> dict[str, NDArray[Any]]:
    """Every binary rule of each forecast at once, the inputs checked once.

    Args:
        outcome: 0/1 (or fractional) outcomes.
        p: probabilities of "yes", each in [0, 1].

    Returns:
        ``brier``, ``log_score`` (clipped at `LOG_CLIP`), ``baseline_score``
        (two options), ``spherical``, and ``clipped``, a boolean array marking
        the forecasts clipping changed: the numbers of each rule above.

    >>> scores = binary_scores([1, 0], [0.7, 1.0])
    >>> [round(float(v[0]), 3) for v in scores.values()], scores["clipped"].tolist()
    ([0.09, -0.357, 48.543, 0.919, 0.0], [False, True])
    """
    # Checked as log_score checks (outcome first): the same numbers and errors.
    o, q = unit_interval(outcome, "outcome"), unit_interval(p, "p")
    log, clipped = _log_score(o, q, LOG_CLIP)
    return {
        "brier": (q - o) ** 2,
        "log_score": log,
        "baseline_score": _baseline(log, 2),
        "spherical": _spherical(o, q),
        "clipped": clipped,
    }


def peer_scores(log_scores: ArrayLike) -> Floats:
    """Metaculus Peer scores ``100 * (ln p_i - mean of the others' ln p)``.

    Higher is better, and the scores on a question sum to 0. The last axis
    holds the natural-log scores of the forecasters on one question; with
    fewer than two forecasters the Peer score is undefined (NaN).

    Metaculus FAQ: log scores -1, 1 and 2 give Peer scores -2.5, 0.5, 2 (x100).

    >>> [round(float(s), 4) for s in peer_scores([-1.0, 1.0, 2.0])]
    [-250.0, 50.0, 200.0]
    """
    s = np.asarray(log_scores, dtype=np.float64)
    n = s.shape[-1]
    if n < 2:
        return np.full_like(s, np.nan)
    others: Floats = (s.sum(axis=-1, keepdims=True) - s) / (n - 1)
    return 100 * (s - others)


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
    o = unit_interval(outcome, "outcome")
    if o.size == 0:
        return None
    if reference == "half":
        ref = 0.25
    elif reference == "base_rate":
        ref = float(o.mean() * (1 - o.mean()))
    else:
        raise ValueError(f"unknown reference '{reference}'; use 'half' or 'base_rate'")
    return None if ref == 0 else 1 - float(brier(o, p).mean()) / ref
