"""Scores over a question's life, day by day: the time-averaged score, relative Brier.

A forecast stands from the day it was made until its forecaster replaces it
(carry-forward), and days are whole integer time units. The tidy frame's own
time-averaged mode is `ledger.score.forecasts.scored`; these are the
array-level rules it follows, as GJ Open, Cultivate and Metaculus state them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ledger.score.rules import brier

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from numpy.typing import ArrayLike, NDArray

    Floats = NDArray[np.float64]


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

    >>> from ledger.score.rules import baseline_score
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
    probs = np.array([p for _, p in forecasts], dtype=np.float64)[order]
    days = np.arange(open_day, min(close_day, known_day))
    standing = np.searchsorted(made[order], days, side="right") - 1
    daily = np.asarray(score(probs[standing[standing >= 0]]), dtype=np.float64)
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
