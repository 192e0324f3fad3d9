"""Scores per forecast: the tidy frame's rows with their proper scores.

A row is usable when it is scored (`excluded` is empty) or is a window without
a probability (it keeps its timing error and interval score, with no Brier).
`scored` gives the standing, usable rows with the Brier, log, Baseline and
spherical scores of `ledger.score.rules.binary_scores`; in the time-averaged
mode, each forecaster-question pair instead averages every one of its
forecasts by the days it stood.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ledger.frame import EXCLUDED
from ledger.score.rules import binary_scores

if TYPE_CHECKING:
    from numpy.typing import NDArray

SCORES = ("brier", "log_score", "baseline_score", "spherical")
"""The proper scores of a forecast with a probability."""

_EXCLUDED = pd.CategoricalDtype(list(EXCLUDED))
_SCORED, _NO_PROBABILITY = EXCLUDED.index(""), EXCLUDED.index("no probability")
_UNDETERMINED = EXCLUDED.index("undetermined")


def with_scores(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` with SCORES and `clipped` (NaN, and not clipped, without p or outcome)."""
    p, outcome = rows["p"].to_numpy(dtype=float), rows["outcome"].to_numpy(dtype=float)
    has_p = ~np.isnan(p) & ~np.isnan(outcome)
    columns = {}
    for name, values in binary_scores(outcome[has_p], p[has_p]).items():
        column = (
            np.zeros(len(rows), bool)
            if name == "clipped"
            else np.full(len(rows), np.nan)
        )
        column[has_p] = values
        columns[name] = column
    return rows.assign(**columns)


def reasons(frame: pd.DataFrame) -> NDArray[np.integer[Any]]:
    """Each row's `excluded` as an index into `ledger.frame.EXCLUDED`."""
    excluded = frame["excluded"]
    if excluded.dtype != _EXCLUDED:
        excluded = excluded.astype(_EXCLUDED)
    return excluded.cat.codes.to_numpy()


def is_usable(reason: NDArray[np.integer[Any]]) -> NDArray[np.bool_]:
    """Whether rows with these `reasons` get scores: scored, or a window without p."""
    usable: NDArray[np.bool_] = (reason == _SCORED) | (reason == _NO_PROBABILITY)
    return usable


def scored(frame: pd.DataFrame, *, time_averaged: bool = False) -> pd.DataFrame:
    """Scored rows: one per standing forecast that has a score.

    Rows excluded only for lacking a probability keep their timing error and
    interval score, with NaN Brier, log, Baseline and spherical scores.

    With `time_averaged`, each forecaster-question pair gets the day-weighted
    mean of the scores of all its forecasts: a forecast stands from the day it
    was made until its forecaster's next forecast, the day after the deadline,
    or the day the outcome was known, whichever comes first (the frame's
    `until`), so no day before the first forecast or after the outcome counts.
    Each score is averaged over the days on which it exists. A pair whose
    forecasts stood for no day at all has NaN scores. A pair counts when its
    standing forecast is usable or undetermined (an earlier forecast that
    missed still counts then), never while it is open or due; its row is its
    last usable forecast.

    Args:
        frame: the tidy frame of `ledger.frame.frame`.
        time_averaged: average every forecast of a pair by the days it stood.

    Returns:
        The rows, with SCORES and `clipped` added.
    """
    reason = reasons(frame)
    usable = is_usable(reason)
    if not time_averaged:
        return with_scores(frame[frame["standing"].to_numpy() & usable])
    rows = with_scores(frame[usable])
    days = (rows["until"] - rows["made"]).dt.days.clip(lower=0).astype(float)
    scores = rows[list(SCORES)]
    pair = [rows["question"], rows["forecaster"]]
    sums = scores.mul(days, axis=0).groupby(pair, observed=True).sum()
    weights = scores.notna().mul(days, axis=0).groupby(pair, observed=True).sum()
    means = sums / weights.where(weights > 0)
    # A pair counts once its question is settled for it: its standing forecast
    # is scored, or can never be (undetermined), while an earlier one was.
    # Its row is its last usable forecast (the frame is in order of `made`).
    settled = frame["standing"].to_numpy() & (usable | (reason == _UNDETERMINED))
    keys = ["question", "forecaster"]
    chosen = pd.MultiIndex.from_frame(frame.loc[settled, keys].astype(str))
    last = rows.groupby(pair, observed=True).tail(1)
    last = last[pd.MultiIndex.from_frame(last[keys].astype(str)).isin(chosen)]
    last = last.set_index(keys).drop(columns=list(SCORES)).join(means, how="inner")
    return last.reset_index()
