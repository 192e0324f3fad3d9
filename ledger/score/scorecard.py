"""Scorecards: per-forecast scores from the tidy frame, and aggregates by group.

`scored` adds the proper scores to the frame's standing, scored rows (or, in
the time-averaged mode, to each forecaster-question pair, averaging every
forecast by the days it stood). `aggregate` groups them by forecaster, tag,
year, question, horizon or basis, with a seeded question-level bootstrap CI
(`bootstrap`), and counts what is void, open, due and unscorable in each group.
`calibration` gives the reliability table, the folded ACX-style table, the
Murphy decomposition and ECE, for all scored forecasts or for each group.

How it is computed: each row gets an integer group code once (`_Groups`), and
every count, sum and mean is an `np.bincount` over those codes, so the cost is
a few passes over the rows whatever the number of groups. Only the bootstrap
loops, over the groups that hold more than one question.

Scales and directions, printed wherever the numbers are:
Brier 0-1 (lower is better; `--scale 0-2` shows the GJ Open/Fatebook scale);
log score ln p, ≤ 0 (higher is better); Metaculus Baseline 0 = chance, 100 =
perfect (higher is better); spherical 0-1 (higher is better).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, Literal

import numpy as np
import pandas as pd

from ledger.frame import EXCLUDED
from ledger.score import rules as score

GROUPS = ("forecaster", "tag", "year", "question", "horizon", "basis")
HORIZONS = (
    (365, "<1y"),
    (730, "1-2y"),
    (1826, "2-5y"),
    (3652, "5-10y"),
    (math.inf, "10y+"),
)
SCALES = {"0-1": 1.0, "0-2": 2.0}
SUMMARY = (
    "n",
    "brier",
    "brier_ci_low",
    "brier_ci_high",
    "log_score",
    "baseline_score",
    "spherical",
    "bss_half",
    "bss_base_rate",
    "n_clipped",
    "n_window_only",
    "timing_error",
    "interval_score",
)
COUNTS = {
    "n_void": "void",
    "n_open": "open",
    "n_due": "due",
    "n_unscorable": "unscorable",
}
SCORES = ("brier", "log_score", "baseline_score", "spherical")
_EXCLUDED = pd.CategoricalDtype(EXCLUDED)


SCALE_WORDS = {
    "0-1": "0-1, lower is better",
    "0-2": "0-2 (GJ Open/Fatebook scale), lower is better",
}
"""How a Brier score on each scale reads, after the word 'Brier'."""


def scale_text(scale: str = "0-1") -> str:
    """How a Brier score on `scale` reads: 'brier 0-1, lower is better'."""
    return f"brier {SCALE_WORDS[scale]}"


# ---------------------------------------------------------------- scores per forecast


def _score_arrays(outcome: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
    """Brier, log, Baseline and spherical scores, and `clipped`, of forecasts with p."""
    # Each array is checked once (outcome first, as score.log_score would),
    # then scored by score's unchecked kernels: the same numbers and errors.
    outcome, p = score._unit(outcome, "outcome"), score._unit(p, "p")
    clipped = (p < 0.001) | (p > 0.999)
    log, _ = score._log_score(outcome, p, clipped=clipped)
    return {
        "brier": score._brier(outcome, p),
        "log_score": log,
        # = score.baseline_score(outcome, p), 100 (1 + ln p / ln 2), from the log
        "baseline_score": 100 * (1 + log / math.log(2)),
        "spherical": score._spherical(outcome, p),
        "clipped": clipped,
    }


def _scores(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` with the score columns (NaN, and not clipped, without p or outcome)."""
    p, outcome = rows["p"].to_numpy(dtype=float), rows["outcome"].to_numpy(dtype=float)
    has_p = ~np.isnan(p) & ~np.isnan(outcome)
    columns = {}
    for name, values in _score_arrays(outcome[has_p], p[has_p]).items():
        column = (
            np.zeros(len(rows), bool)
            if name == "clipped"
            else np.full(len(rows), np.nan)
        )
        column[has_p] = values
        columns[name] = column
    return rows.assign(**columns)


def _reasons(frame: pd.DataFrame) -> np.ndarray:
    """Each row's `excluded` as an index into `frame.EXCLUDED`."""
    excluded = frame["excluded"]
    if excluded.dtype != _EXCLUDED:
        excluded = excluded.astype(_EXCLUDED)
    return excluded.cat.codes.to_numpy()


def _usable(frame: pd.DataFrame) -> np.ndarray:
    """Rows that get scores: scored, or a window without a probability."""
    reasons = _reasons(frame)
    return (reasons == EXCLUDED.index("")) | (
        reasons == EXCLUDED.index("no probability")
    )


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
    forecasts stood for no day at all has NaN scores.
    """
    usable = _usable(frame)
    if not time_averaged:
        return _scores(frame[frame["standing"].to_numpy() & usable])
    rows = _scores(frame[usable])
    days = (rows["until"] - rows["made"]).dt.days.clip(lower=0).astype(float)
    scores = rows[list(SCORES)]
    pair = [rows["question"], rows["forecaster"]]
    sums = scores.mul(days, axis=0).groupby(pair, observed=True).sum()
    weights = scores.notna().mul(days, axis=0).groupby(pair, observed=True).sum()
    means = sums / weights.where(weights > 0)
    standing = rows[rows["standing"]].set_index(["question", "forecaster"])
    standing = standing.drop(columns=list(SCORES)).join(means, how="inner")
    return standing.reset_index()


# ---------------------------------------------------------------- groups


def _resolved_on(frame: pd.DataFrame) -> pd.Series:
    """The day the outcome a row is scored against was known (NaT while open or due).

    A provisional price on an open question has a `known` date too, but it
    resolves nothing unless it is scored (`--provisional`).
    """
    return frame["known"].where(~frame["excluded"].isin(["open", "due"]))


def _year(frame: pd.DataFrame, year_of: str) -> pd.Categorical:
    """The year of `made` (or of the resolution) as text; "unresolved" if not known."""
    when = _resolved_on(frame) if year_of == "resolved" else frame["made"]
    codes, years = pd.factorize(when.dt.year, sort=True)
    labels = [str(int(year)) for year in years] + ["unresolved"]
    return pd.Categorical.from_codes(
        np.where(codes < 0, len(years), codes), categories=labels
    )


def _horizon(frame: pd.DataFrame) -> pd.Categorical:
    """Days from `made` to the outcome (or to the deadline, if none), in bands."""
    days = (_resolved_on(frame).fillna(frame["deadline"]) - frame["made"]).dt.days
    edges = [-math.inf] + [edge for edge, _ in HORIZONS]
    labels = [label for _, label in HORIZONS]
    return pd.cut(days, edges, labels=labels, right=False).array  # type: ignore[return-value]


def _key_codes(
    frame: pd.DataFrame, key: str, year_of: str
) -> tuple[np.ndarray, list[Any]]:
    """Integer codes of one group key, in sorted (or natural) order, and the labels."""
    if key == "year":
        values: Any = _year(frame, year_of)
    elif key == "horizon":
        values = _horizon(frame)
    elif isinstance(frame[key].dtype, pd.CategoricalDtype):
        values = frame[key].array
    else:
        codes, labels = pd.factorize(frame[key], sort=True)
        return codes, list(labels)
    return np.asarray(values.codes, dtype=np.int64), [str(c) for c in values.categories]


@dataclass(frozen=True)
class _Groups:
    """Rows of a frame sorted into groups.

    `rows` maps each grouped row to its frame row (None: one grouped row per
    frame row; with `tag`, a row appears once per tag), `code` is its group,
    and `index` holds the key values of each group, in sorted order.
    """

    rows: np.ndarray | None
    code: np.ndarray
    index: pd.DataFrame

    def take(self, column: pd.Series | np.ndarray) -> np.ndarray:
        values = column.to_numpy() if isinstance(column, pd.Series) else column
        return values if self.rows is None else values[self.rows]


def _groups(frame: pd.DataFrame, keys: Sequence[str], year_of: str) -> _Groups:
    """Sort the rows of `frame` into the groups of `keys` (any may be a column).

    Each key is coded in its own order (sorted, or the order of its categories:
    horizons short to long, years with "unresolved" last), the codes are
    combined, and only the combinations that occur become groups.
    """
    for key in keys:
        if key not in GROUPS and key not in frame.columns:
            raise ValueError(f"unknown group '{key}'; use one of {', '.join(GROUPS)}")
    n = len(frame)
    rows = None
    if "tag" in keys:
        tags = [t or ("(untagged)",) for t in frame["tags"].to_numpy()]
        rows = np.repeat(np.arange(n), np.fromiter(map(len, tags), np.int64, n))
        tag_codes, tag_labels = pd.factorize(
            np.array(list(chain(*tags)), dtype=object), sort=True
        )
    combined = None
    labels = []
    for key in keys:
        if key == "tag":
            codes, names = tag_codes, list(tag_labels)
        else:
            codes, names = _key_codes(frame, key, year_of)
            codes = codes if rows is None else codes[rows]
        combined = (
            np.asarray(codes, dtype=np.int64)  # = 0 * width + codes
            if combined is None
            else combined * max(len(names), 1) + codes
        )
        labels.append(names)
    if combined is None:
        combined = np.zeros(n if rows is None else len(rows), dtype=np.int64)
    cells = math.prod(max(len(names), 1) for names in labels)
    if cells <= 4 * len(combined) + 1024:  # renumber the observed cells in linear time
        present = np.flatnonzero(np.bincount(combined, minlength=cells))
        if len(present) == cells:  # every cell occurs: the numbering stands
            code = combined
        else:
            renumber = np.zeros(cells, dtype=np.int64)
            renumber[present] = np.arange(len(present))
            code = renumber[combined]
    else:
        present, code = np.unique(combined, return_inverse=True)
    index = {}
    rest = present
    for key, names in reversed(list(zip(keys, labels, strict=True))):
        width = max(len(names), 1)
        index[key] = np.asarray(names, dtype=object)[rest % width] if names else rest
        rest = rest // width
    table = pd.DataFrame({key: index[key] for key in keys}, index=range(len(present)))
    return _Groups(rows, code, table)


# ---------------------------------------------------------------- aggregates


def _standing_reasons(
    frame: pd.DataFrame, groups: _Groups
) -> tuple[np.ndarray, np.ndarray]:
    """Each grouped row's `standing` and its reason (see `_reasons`)."""
    return groups.take(frame["standing"]), groups.take(_reasons(frame))


def _counts(
    frame: pd.DataFrame,
    groups: _Groups,
    taken: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Standing forecasts per group and reason: `n_standing` and COUNTS.

    `taken` may pass in `_standing_reasons(frame, groups)`, when already known.
    """
    standing, reasons = _standing_reasons(frame, groups) if taken is None else taken
    reasons = reasons[standing]
    k = len(EXCLUDED)
    table = np.bincount(
        groups.code[standing] * k + reasons, minlength=len(groups.index) * k
    )
    table = table.reshape(-1, k)
    return groups.index.assign(
        n_standing=table.sum(axis=1),
        **{name: table[:, EXCLUDED.index(reason)] for name, reason in COUNTS.items()},
    )


@dataclass(frozen=True)
class _Scoring:
    """The usable rows of a frame (scored, or windows without p), in groups.

    `at` holds each usable row's position in `frame`, `code` its group and
    `p` its probability; `has_p` marks those with a probability and an
    outcome, and `scores` holds the scores, `outcome` and `p` of just those.
    """

    frame: pd.DataFrame
    index: pd.DataFrame
    at: np.ndarray
    code: np.ndarray
    p: np.ndarray
    has_p: np.ndarray
    scores: dict[str, np.ndarray]

    def column(self, name: str) -> np.ndarray:
        """Column `name` of the usable rows."""
        return self.frame[name].to_numpy()[self.at]

    def total(self, where: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Per group: how many usable rows are in `where`, or the sum of `weights`."""
        w = None if weights is None else weights[where]
        return np.bincount(self.code[where], w, len(self.index)).astype(float)


def _prepare(
    frame: pd.DataFrame,
    keys: Sequence[str],
    *,
    time_averaged: bool = False,
    year_of: str = "made",
    groups: _Groups | None = None,
    with_scores: bool = True,
    taken: tuple[np.ndarray, np.ndarray] | None = None,
) -> _Scoring:
    """Group the usable rows of `frame` (or its time-averaged pairs) and score them.

    `groups` may pass in the groups of `frame`'s rows, when already known, and
    `taken` their `_standing_reasons`.
    """
    if time_averaged:
        frame = scored(frame, time_averaged=True)
        groups = _groups(frame, keys, year_of)
        usable = np.ones(len(groups.code), dtype=bool)
    else:
        groups = _groups(frame, keys, year_of) if groups is None else groups
        if taken is None:
            usable = groups.take(frame["standing"]) & groups.take(_usable(frame))
        else:  # = _usable, on the reasons already taken
            standing, reasons = taken
            usable = standing & (
                (reasons == EXCLUDED.index(""))
                | (reasons == EXCLUDED.index("no probability"))
            )
    chosen = np.flatnonzero(usable)
    at = chosen if groups.rows is None else groups.rows[chosen]
    p, outcome = frame["p"].to_numpy()[at], frame["outcome"].to_numpy()[at]
    if time_averaged:  # the means over the days: NaN when no day counted
        has_p = ~np.isnan(frame["brier"].to_numpy()[at])
        scores = {
            name: frame[name].to_numpy()[at][has_p] for name in [*SCORES, "clipped"]
        }
        o, q = outcome[has_p], p[has_p]
    else:
        has_p = ~np.isnan(p) & ~np.isnan(outcome)
        o, q = outcome[has_p], p[has_p]
        scores = _score_arrays(o, q) if with_scores else {}
    scores = {**scores, "outcome": o, "p": q}
    return _Scoring(frame, groups.index, at, groups.code[chosen], p, has_p, scores)


def _statistics(scoring: _Scoring) -> dict[str, np.ndarray]:
    """Counts, means and skill scores per group."""
    has_p, scores = scoring.has_p, scoring.scores
    with_p = scoring.code[has_p]
    size = len(scoring.index)
    n = np.bincount(with_p, minlength=size)

    def mean(values: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.bincount(with_p, values, size) / n

    means = {name: mean(scores[name]) for name in SCORES}
    base_rate = mean(scores["outcome"])
    reference = base_rate * (1 - base_rate)
    window = {}
    # Only date windows: their errors are in years, a numeric question's in its unit.
    kind = scoring.frame["kind"]
    if isinstance(kind.dtype, pd.CategoricalDtype) and "date" in kind.cat.categories:
        # the frame's own dtype: compare the codes of the usable rows only
        date = kind.cat.categories.get_loc("date")
        is_date = kind.cat.codes.to_numpy()[scoring.at] == date
    else:
        is_date = (kind == "date").to_numpy()[scoring.at]
    dated = np.flatnonzero(is_date)
    at, dated_code = scoring.at[dated], scoring.code[dated]
    for name in ("timing_error", "interval_score"):
        values = scoring.frame[name].to_numpy()[at]
        known = ~np.isnan(values)
        code = dated_code[known]
        with np.errstate(divide="ignore", invalid="ignore"):
            window[name] = np.bincount(code, values[known], size) / np.bincount(
                code, minlength=size
            )
    with np.errstate(divide="ignore", invalid="ignore"):
        bss_base_rate = np.where(reference > 0, 1 - means["brier"] / reference, np.nan)
    return {
        "n": n,
        **means,
        "bss_half": 1 - means["brier"] / 0.25,
        "bss_base_rate": bss_base_rate,
        "n_clipped": np.bincount(with_p[scores["clipped"]], minlength=size),
        "n_window_only": np.bincount(
            scoring.code[~has_p & np.isnan(scoring.p)], minlength=size
        ),
        **window,
    }


def _bootstrap(
    scoring: _Scoring, n_boot: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
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
            low[i], high[i] = score.bootstrap_ci(brier[at], asked[at], n_boot, seed)
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

    Uses `score.bootstrap_ci` with the same seed for every group, so the same
    seed gives the same intervals. A group with one question gets its mean as
    both ends; every group gets NaN when `n_boot` is 0.

    Returns:
        The key columns, `brier_ci_low` and `brier_ci_high`, one row per group
        that has a forecast scored with a probability.
    """
    scoring = _prepare(frame, list(by), time_averaged=time_averaged, year_of=year_of)
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
        over the group's date windows, in years: a numeric question's
        errors are in its own unit and are not averaged with them), n_void,
        n_open, n_due, n_unscorable, scale. Brier and its CI are on `scale`.
    """
    keys = list(by)
    every = _groups(frame, keys, year_of)
    taken = _standing_reasons(frame, every)
    counts = _counts(frame, every, taken)
    scoring = _prepare(
        frame, keys, time_averaged=time_averaged, year_of=year_of, groups=every,
        taken=None if time_averaged else taken,
    )
    factor = SCALES[scale]
    stats = _statistics(scoring)
    low, high = _bootstrap(scoring, n_boot, seed)
    stats = scoring.index.assign(
        **{**stats, "brier": factor * stats["brier"]},
        brier_ci_low=factor * low,
        brier_ci_high=factor * high,
    )
    if not time_averaged:  # the same groups, in the same order
        table = counts.join(stats.drop(columns=keys))
    elif keys:  # the scored pairs were grouped apart from the frame
        table = counts.merge(stats, on=keys, how="left", sort=False)
    else:
        table = counts.join(stats)
    table = table[table["n_standing"] > 0]
    table = table.assign(
        **{
            name: table[name].fillna(0).astype(np.int64)
            for name in ("n", "n_clipped", "n_window_only")
        },
        scale=scale_text(scale),
    )
    return table[[*keys, *SUMMARY, *COUNTS, "scale"]].reset_index(drop=True)


# ---------------------------------------------------------------- calibration


def _sums(
    cell: np.ndarray, size: int, outcome: np.ndarray, p: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, sum of forecasts and sum of outcomes in each of `size` cells."""
    return (
        np.bincount(cell, minlength=size).astype(float),
        np.bincount(cell, p, size),
        np.bincount(cell, outcome, size),
    )


def _cell_table(
    index: pd.DataFrame,
    name: str,
    labels: Sequence[object],
    cells: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """One row per (group, label): keys, label, n, mean_p, observed, Wilson interval."""
    n, mean_p, observed = cells
    low, high = score._wilson(observed, n)
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


# The decile bin and the folded bucket of every probability in basis points
# (0.00% .. 100.00%), computed once by the rules in `score`, so that each
# forecast is binned by one lookup. A tie between two folded buckets goes to
# the upper one, as in `score.folded_table`.
_GRID = np.arange(10_001)
_DECILE = score._decile(_GRID / 10_000, "left")
_BUCKETS = 100 * np.asarray(score.FOLDED_BUCKETS)
_FOLDED = np.searchsorted(
    (_BUCKETS[:-1] + _BUCKETS[1:]) / 2, np.maximum(_GRID, 10_000 - _GRID), side="right"
)


def _calibration_by(
    index: pd.DataFrame, code: np.ndarray, outcome: np.ndarray, p: np.ndarray
) -> dict[str, pd.DataFrame]:
    """`calibration` for every group at once (see its docstring).

    The bins, buckets and decomposition are those of `score.calibration_bins`,
    `score.folded_table`, `score.murphy` and `score.ece`, per group. The
    within-bin terms come from sums of squares and products per group, so no
    pass over the rows is needed for each term.
    """
    keys = list(index.columns)
    g = len(index)
    bp = score._basis_points(p)
    n_k, sp_k, so_k = (
        a.reshape(g, 10) for a in _sums(code * 10 + _DECILE[bp], g * 10, outcome, p)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        f_k, o_k = sp_k / n_k, so_k / n_k
    edges = np.arange(0, 100, 10)
    labels = [f"{lo}-{lo + 10}%" for lo in edges]
    cells = (n_k.ravel(), f_k.ravel(), o_k.ravel())
    bins = _cell_table(index, "bin", labels, cells).assign(
        lo=np.tile(edges, g), hi=np.tile(edges + 10, g)
    )[[*keys, "bin", "lo", "hi", "n", "mean_p", "observed", "wilson_lo", "wilson_hi"]]

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(code, values, g)

    n = n_k.sum(axis=1)
    sum_p2, sum_o2, sum_po = total(p * p), total(outcome * outcome), total(p * outcome)
    f, o = np.nan_to_num(f_k), np.nan_to_num(o_k)  # empty bins add nothing
    base = (n_k * o).sum(axis=1) / n
    summary = index.assign(
        n=n.astype(np.int64),
        REL=(n_k * (f - o) ** 2).sum(axis=1) / n,
        RES=(n_k * (o - base[:, None]) ** 2).sum(axis=1) / n,
        UNC=sum_o2 / n - base**2,
        WBV=(sum_p2 - (n_k * f * f).sum(axis=1)) / n,
        WBC=2 * (sum_po - (n_k * o * f).sum(axis=1)) / n,
        BS=(sum_p2 - 2 * sum_po + sum_o2) / n,
        ECE=(n_k * np.abs(f - o)).sum(axis=1) / n,
    )

    # Folded: below 50% a forecast is restated as its complement with the
    # outcome flipped. Sum the two sides apart and flip the sums.
    k = len(_BUCKETS)
    below = (bp < 5000).astype(np.int64)
    halves = _sums((code * 2 + below) * k + _FOLDED[bp], g * 2 * k, outcome, p)
    n_h, sp_h, so_h = (a.reshape(g, 2, k) for a in halves)
    n_b = n_h.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_p = (sp_h[:, 0] + n_h[:, 1] - sp_h[:, 1]) / n_b
        observed = (so_h[:, 0] + n_h[:, 1] - so_h[:, 1]) / n_b
    folded = _cell_table(
        index,
        "bucket",
        list(score.FOLDED_BUCKETS),
        (n_b.ravel(), mean_p.ravel(), observed.ravel()),
    ).astype({"bucket": "int64"})
    return {"bins": bins, "folded": folded, "summary": summary}


def calibration(
    frame: pd.DataFrame,
    by: Sequence[str] | None = None,
    *,
    year_of: Literal["made", "resolved"] = "made",
) -> dict[str, Any]:
    """Calibration of the scored standing forecasts in `frame` (those with a p).

    Bins are the ten of `score.calibration_bins`, left-closed in integer
    percent ([0, 10), ..., [90, 100]), with empty ones kept; the folded table
    is `score.folded_table`'s (ACX style, 50-99%).

    Without `by`, returns a dict with `bins` (Wilson intervals), `folded`,
    `murphy` (REL, RES, UNC and the two within-bin terms, which add up to the
    Brier score exactly), `ece` (positive-class expected calibration error, a
    diagnostic) and `n`; `murphy` and `ece` are None when nothing is scored.

    With `by` (keys from GROUPS), the same for every group that has a scored
    forecast, as three frames that start with the key columns: `bins` (10 rows
    per group), `folded` (7 rows per group) and `summary` (n, REL, RES, UNC,
    WBV, WBC, BS and ECE per group).
    """
    scoring = _prepare(frame, list(by or ()), year_of=year_of, with_scores=False)
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
        "bins": score.calibration_bins(outcome, p),
        "folded": score.folded_table(outcome, p),
        "murphy": score.murphy(outcome, p) if len(p) else None,
        "ece": score.ece(outcome, p) if len(p) else None,
    }


# ---------------------------------------------------------------- one question


REASONS = {
    "": "counts: the standing forecast of its forecaster",
    "open": "not scored: the question is still open",
    "due": "not scored: the deadline has passed and no outcome is recorded",
    "void": "not scored: the question is void",
    "unscorable": "not scored: the question is marked unscorable",
    "no probability": "window without a probability: timing error and interval score "
    "only, no Brier",
    "undetermined": "not scored: the outcome is inside the window under some readings "
    "of the dates and outside under others",
}


def explain(
    frame: pd.DataFrame, question: str, *, scale: str = "0-1"
) -> list[dict[str, Any]]:
    """Every forecast on `question` in `frame`: whether it counts, why, its scores."""
    rows = frame[frame["question"] == question]
    with_scores = _scores(rows)
    factor = SCALES[scale]
    found = []
    for row in with_scores.to_dict("records"):
        reason = (
            REASONS[row["excluded"]]
            if row["standing"]
            else ("not scored: replaced by a later forecast by the same forecaster")
        )
        p = row["p"]
        found.append(
            {
                "forecaster": row["forecaster"],
                "line": row["line"],
                "made": row["made"].date().isoformat(),
                "p": None if math.isnan(p) else p,
                "outcome": None if math.isnan(row["outcome"]) else row["outcome"],
                "counts": bool(row["standing"] and row["excluded"] == ""),
                "why": reason,
                "brier": _finite(factor * row["brier"]),
                "log_score": _finite(row["log_score"]),
                "baseline_score": _finite(row["baseline_score"]),
                "timing_error": _finite(row["timing_error"]),
                "interval_score": _finite(row["interval_score"]),
                "bin": None if math.isnan(p) else _bin(p),
            }
        )
    return found


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _bin(p: float) -> str:
    bins = score.calibration_bins([0.0], [p])
    return str(bins.loc[bins["n"] > 0, "bin"].iloc[0])
