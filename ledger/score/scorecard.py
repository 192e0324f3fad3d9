"""Scorecards: the tidy frame's scores aggregated by group, and the frame-level API.

`aggregate` groups the scored rows (`scored`) by forecaster, tag, year,
question, horizon or basis (`ledger.score.groups`), with a seeded
question-level bootstrap CI (`bootstrap`), and counts what is void, open, due
and unscorable in each group. This module is the frame-level API of the score
package (the README's `ledger.scorecard`), so it also offers, from their own
modules, `scored` (per-forecast scores, `ledger.score.forecasts`),
`calibration` (reliability tables, `ledger.score.reliability`) and `explain`
(one question's forecasts, `ledger.score.explain`).

Scales and directions, printed wherever the numbers are:
Brier 0-1 (lower is better; `--scale 0-2` shows the GJ Open/Fatebook scale);
log score ln p, ≤ 0 (higher is better); Metaculus Baseline 0 = chance, 100 =
perfect (higher is better); spherical 0-1 (higher is better).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ledger.frame import EXCLUDED
from ledger.score.bootstrap import bootstrap_ci
from ledger.score.explain import explain
from ledger.score.forecasts import SCORES, scored
from ledger.score.groups import GROUPS, Groups, Scoring, groups, prepare
from ledger.score.reliability import calibration
from ledger.score.rules import BRIER_SCALES, scale_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    Floats = NDArray[np.float64]

__all__ = [
    "COUNTS",
    "GROUPS",
    "HEADLINE",
    "MIXED_UNITS",
    "SUMMARY",
    "aggregate",
    "bootstrap",
    "calibration",
    "explain",
    "scored",
]

HEADLINE = (
    "n",
    "brier",
    "brier_ci_low",
    "brier_ci_high",
    "log_score",
    "baseline_score",
)
"""A count, the mean Brier and its 95% CI, the mean log and Baseline scores: the
first columns of every table of scores (the scorecard's, the leaderboard's)."""

SUMMARY = (
    *HEADLINE,
    "spherical",
    "bss_half",
    "bss_base_rate",
    "n_clipped",
    "n_window_only",
    "timing_error",
    "interval_score",
    "numeric_error",
    "numeric_interval_score",
    "numeric_unit",
    "n_quantiles",
    "quantile_score",
    "wis",
    "numeric_quantile_score",
    "numeric_wis",
)
"""The columns of a group's scores, in order, after its keys."""

MIXED_UNITS = "(mixed units)"
"""`numeric_unit` of a group whose numeric questions have different units."""

COUNTS = {
    "n_void": "void",
    "n_open": "open",
    "n_due": "due",
    "n_unscorable": "unscorable",
}
"""Standing forecasts not scored, per reason: column name, reason."""


def _counts(grouped: Groups, taken: tuple[NDArray[Any], NDArray[Any]]) -> pd.DataFrame:
    """Standing forecasts per group and reason: `n_standing` and COUNTS.

    `taken` is `grouped.standing_reasons(frame)`.
    """
    standing, reasons = taken
    reasons = reasons[standing]
    k = len(EXCLUDED)
    table = np.bincount(
        grouped.code[standing] * k + reasons, minlength=len(grouped.index) * k
    )
    table = table.reshape(-1, k)
    return grouped.index.assign(
        n_standing=table.sum(axis=1),
        **{name: table[:, EXCLUDED.index(reason)] for name, reason in COUNTS.items()},
    )


def _kind_rows(scoring: Scoring, kind_name: str) -> NDArray[np.intp]:
    """Positions (among the usable rows) of those on questions of one kind."""
    kind = scoring.frame["kind"]
    if isinstance(kind.dtype, pd.CategoricalDtype) and kind_name in kind.cat.categories:
        # the frame's own dtype: compare the codes of the usable rows only
        code = kind.cat.categories.get_loc(kind_name)
        found = kind.cat.codes.to_numpy()[scoring.at] == code
    else:
        found = (kind == kind_name).to_numpy()[scoring.at]
    return np.flatnonzero(found)


_MEANS = ("timing_error", "interval_score", "quantile_score", "wis")
"""The scores of a quantity averaged per group, each over the rows that have it."""


def _means(scoring: Scoring, rows: NDArray[np.intp]) -> dict[str, Floats]:
    """Mean of each of _MEANS per group, over `rows` where known."""
    size = len(scoring.index)
    at, code = scoring.at[rows], scoring.code[rows]
    found = {}
    for name in _MEANS:
        values = scoring.frame[name].to_numpy()[at]
        known = ~np.isnan(values)
        with np.errstate(divide="ignore", invalid="ignore"):
            found[name] = np.bincount(code[known], values[known], size) / np.bincount(
                code[known], minlength=size
            )
    return found


def _window_means(scoring: Scoring) -> dict[str, NDArray[Any]]:
    """Mean timing error, interval and quantile scores per group, by kind.

    Date windows give `timing_error` and `interval_score`, and date quantiles
    `quantile_score` and `wis`, in years. Numeric windows give `numeric_error`
    (the distance to the window) and `numeric_interval_score`, and numeric
    quantiles `numeric_quantile_score` and `numeric_wis`, in the questions'
    unit, `numeric_unit`: a group
    whose numeric questions have different units gets no mean (NaN) and the
    unit MIXED_UNITS, since a distance in GW and one in dollars do not add up;
    a group with none gets None.
    """
    size = len(scoring.index)
    dated = _means(scoring, _kind_rows(scoring, "date"))
    numeric = _kind_rows(scoring, "numeric")
    found = _means(scoring, numeric)
    units = scoring.frame["unit"].to_numpy(dtype=object)[scoring.at[numeric]]
    labels = np.array(["" if pd.isna(u) else str(u) for u in units], dtype=object)
    unit_code, names = pd.factorize(labels)
    code = scoring.code[numeric]
    low = np.full(size, len(names))
    high = np.full(size, -1)
    np.minimum.at(low, code, unit_code)
    np.maximum.at(high, code, unit_code)
    mixed = (high >= 0) & (low != high)
    unit = np.array(
        [
            None if h < 0 else MIXED_UNITS if m else str(names[h])
            for h, m in zip(high, mixed, strict=True)
        ],
        dtype=object,
    )
    return {
        **dated,
        "numeric_error": np.where(mixed, np.nan, found["timing_error"]),
        "numeric_interval_score": np.where(mixed, np.nan, found["interval_score"]),
        "numeric_unit": unit,
        "numeric_quantile_score": np.where(mixed, np.nan, found["quantile_score"]),
        "numeric_wis": np.where(mixed, np.nan, found["wis"]),
    }


def _statistics(scoring: Scoring) -> dict[str, NDArray[Any]]:
    """Counts, means and skill scores per group."""
    has_p, scores = scoring.has_p, scoring.scores
    with_p = scoring.code[has_p]
    size = len(scoring.index)
    n = np.bincount(with_p, minlength=size)

    def mean(values: Floats) -> Floats:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.bincount(with_p, values, size) / n

    means = {name: mean(scores[name]) for name in SCORES}
    base_rate = mean(scores["outcome"])
    has_window = ~np.isnan(scoring.column("window_width"))
    reference = base_rate * (1 - base_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        bss_base_rate = np.where(reference > 0, 1 - means["brier"] / reference, np.nan)
    return {
        "n": n,
        **means,
        "bss_half": 1 - means["brier"] / 0.25,
        "bss_base_rate": bss_base_rate,
        "n_clipped": np.bincount(with_p[scores["clipped"]], minlength=size),
        "n_window_only": np.bincount(
            scoring.code[~has_p & np.isnan(scoring.p) & has_window], minlength=size
        ),
        "n_quantiles": np.bincount(
            scoring.code[~np.isnan(scoring.column("quantile_score"))], minlength=size
        ),
        **_window_means(scoring),
    }


def _bootstrap(scoring: Scoring, n_boot: int, seed: int) -> tuple[Floats, Floats]:
    """The 95% question-bootstrap CI of each group's mean Brier (0-1 scale).

    Groups with nothing scored, or all of them when `n_boot` is 0, get NaN.
    """
    size = len(scoring.index)
    low, high = np.full(size, np.nan), np.full(size, np.nan)
    if n_boot <= 0:
        return low, high
    code, brier = scoring.code[scoring.has_p], scoring.scores["brier"]
    asked = pd.factorize(scoring.column("question")[scoring.has_p])[0]
    n = np.bincount(code, minlength=size)
    mean = np.bincount(code, brier, size) / np.maximum(n, 1)
    low[n > 0] = high[n > 0] = mean[n > 0]
    # With one question the resampled mean is always the mean: no need to draw.
    width = int(asked.max(initial=0)) + 1
    questions = np.bincount(np.unique(code * width + asked) // width, minlength=size)
    several = np.flatnonzero(questions > 1)
    if several.size:
        order = np.argsort(code, kind="stable")  # each group's rows, in frame order
        starts = np.searchsorted(code[order], np.arange(size + 1))
        for i in several:
            at = order[starts[i] : starts[i + 1]]
            low[i], high[i] = bootstrap_ci(brier[at], asked[at], n_boot, seed)
    return low, high


def bootstrap(
    frame: pd.DataFrame,
    by: Sequence[str] = ("forecaster",),
    *,
    time_averaged: bool = False,
    year_of: Literal["made", "resolved"] = "made",
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """The 95% CI of each group's mean Brier (0-1), resampling whole questions.

    Uses `ledger.score.bootstrap.bootstrap_ci` with the same seed for every
    group, so the same seed gives the same intervals. A group with one
    question gets its mean as both ends; every group gets NaN when `n_boot`
    is 0.

    Args:
        frame: the tidy frame from `ledger.frame.frame`.
        by: group keys, from GROUPS.
        time_averaged: score the day-weighted average of every forecast.
        year_of: the year of a forecast's `made` date, or of its resolution.
        n_boot: bootstrap resamples.
        seed: the bootstrap's seed.

    Returns:
        The key columns, `brier_ci_low` and `brier_ci_high`, one row per group
        that has a forecast scored with a probability.
    """
    scoring = prepare(frame, list(by), time_averaged=time_averaged, year_of=year_of)
    low, high = _bootstrap(scoring, n_boot, seed)
    table = scoring.index.assign(brier_ci_low=low, brier_ci_high=high)
    return table[scoring.total(scoring.has_p) > 0].reset_index(drop=True)


def aggregate(
    frame: pd.DataFrame,
    by: Sequence[str] = ("forecaster",),
    *,
    time_averaged: bool = False,
    year_of: Literal["made", "resolved"] = "made",
    scale: str = "0-1",
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per group: counts, mean scores, a bootstrap CI and skill scores.

    Every group that has a standing forecast appears, even with nothing scored
    (then n is 0 and the means are NaN), so what is open stays visible. Rows
    are sorted by the keys (horizons from short to long, years ascending with
    "unresolved" last).

    Args:
        frame: the tidy frame from `ledger.frame.frame`.
        by: group keys, from GROUPS.
        time_averaged: score the day-weighted average of every forecast.
        year_of: the year of a forecast's `made` date, or of its resolution.
        scale: "0-1", or "0-2" to show Brier on the GJ Open/Fatebook scale.
        n_boot: bootstrap resamples for the 95% CI of the mean Brier; 0 skips
            the bootstrap (the CI is then NaN).
        seed: the bootstrap's seed; the same seed gives the same interval.

    Returns:
        Columns: the keys, n, brier, brier_ci_low, brier_ci_high, log_score,
        baseline_score, spherical, bss_half (vs always 50%), bss_base_rate
        (vs the group's base rate; NaN when every outcome is the same),
        n_clipped, n_window_only, timing_error and interval_score (means
        over the group's date windows, in years), numeric_error,
        numeric_interval_score and numeric_unit (the same over its numeric
        windows, in their unit; see `_window_means`), n_quantiles (forecasts
        with a quantile score), quantile_score and wis (means over its date
        quantile forecasts, in years; WIS over those where it is defined),
        numeric_quantile_score and numeric_wis (the same over its numeric
        ones, in numeric_unit), n_void, n_open, n_due, n_unscorable, scale.
        Brier and its CI are on `scale`.
    """
    keys = list(by)
    every = groups(frame, keys, year_of)
    taken = every.standing_reasons(frame)
    counts = _counts(every, taken)
    scoring = prepare(
        frame,
        keys,
        time_averaged=time_averaged,
        year_of=year_of,
        grouped=every,
        taken=None if time_averaged else taken,
    )
    factor = BRIER_SCALES[scale]
    stats = _statistics(scoring)
    low, high = _bootstrap(scoring, n_boot, seed)
    means = scoring.index.assign(
        **{**stats, "brier": factor * stats["brier"]},
        brier_ci_low=factor * low,
        brier_ci_high=factor * high,
    )
    return _joined(counts, means, keys, time_averaged=time_averaged, scale=scale)


def _joined(
    counts: pd.DataFrame,
    means: pd.DataFrame,
    keys: list[str],
    *,
    time_averaged: bool,
    scale: str,
) -> pd.DataFrame:
    """The counts and the means of each group with a standing forecast, in order."""
    if not time_averaged:  # the same groups, in the same order
        table = counts.join(means.drop(columns=keys))
    elif keys:  # the scored pairs were grouped apart from the frame
        table = counts.merge(means, on=keys, how="left", sort=False)
    else:
        table = counts.join(means)
    table = table[table["n_standing"] > 0]
    table = table.assign(
        **{
            name: table[name].fillna(0).astype(np.int64)
            for name in ("n", "n_clipped", "n_window_only", "n_quantiles")
        },
        scale=scale_text(scale),
    )
    return table[[*keys, *SUMMARY, *COUNTS, "scale"]].reset_index(drop=True)
