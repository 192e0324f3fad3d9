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
Brier 0–1 (lower is better; `--scale 0-2` shows the GJ Open/Fatebook scale);
log score ln p, ≤ 0 (higher is better); Metaculus Baseline 0 = chance, 100 =
perfect (higher is better); spherical 0–1 (higher is better).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, Literal

import numpy as np
import pandas as pd

from ledger import score
from ledger.frame import EXCLUDED

GROUPS = ("forecaster", "tag", "year", "question", "horizon", "basis")
HORIZONS = ((365, "<1y"), (730, "1-2y"), (1826, "2-5y"), (3652, "5-10y"), (math.inf, "10y+"))
SCALES = {"0-1": 1.0, "0-2": 2.0}
SUMMARY = (
    "n", "brier", "brier_ci_low", "brier_ci_high", "log_score", "baseline_score",
    "spherical", "bss_half", "bss_base_rate", "n_clipped", "n_window_only",
    "timing_error", "interval_score",
)
COUNTS = {"n_void": "void", "n_open": "open", "n_due": "due", "n_unscorable": "unscorable"}
SCORES = ("brier", "log_score", "baseline_score", "spherical")
_USABLE = ("", "no probability")  # `excluded` values that still get scores
_EXCLUDED = pd.CategoricalDtype(EXCLUDED)


def scale_text(scale: str = "0-1") -> str:
    """How a Brier score on `scale` reads."""
    if scale == "0-2":
        return "brier 0-2 (GJ Open/Fatebook scale), lower is better"
    return "brier 0-1, lower is better"


# ---------------------------------------------------------------- scores per forecast


def _score_arrays(outcome: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
    """Brier, log, Baseline and spherical scores (NaN without p or outcome), and `clipped`."""
    has_p = ~np.isnan(p) & ~np.isnan(outcome)
    o, q = np.where(has_p, outcome, 0.0), np.where(has_p, p, 0.5)
    log, _ = score.log_score(o, q)
    nan = np.where(has_p, 1.0, np.nan)
    return {
        "brier": score.brier(o, q) * nan,
        "log_score": log * nan,
        "baseline_score": score.baseline_score(o, q) * nan,
        "spherical": score.spherical(o, q) * nan,
        "clipped": ((q < 0.001) | (q > 0.999)) & has_p,
    }


def _scores(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(
        **_score_arrays(rows["outcome"].to_numpy(dtype=float), rows["p"].to_numpy(dtype=float))
    )


def _reasons(frame: pd.DataFrame) -> np.ndarray:
    """Each row's `excluded` as an index into `frame.EXCLUDED`."""
    excluded = frame["excluded"]
    if excluded.dtype != _EXCLUDED:
        excluded = excluded.astype(_EXCLUDED)
    return excluded.cat.codes.to_numpy()


def _usable(frame: pd.DataFrame) -> np.ndarray:
    """Rows that get scores: scored, or a window without a probability."""
    reasons = _reasons(frame)
    return (reasons == EXCLUDED.index("")) | (reasons == EXCLUDED.index("no probability"))


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
    """The year of `made` (or of the resolution), as text; "unresolved" when not known."""
    when = _resolved_on(frame) if year_of == "resolved" else frame["made"]
    codes, years = pd.factorize(when.dt.year, sort=True)
    labels = [str(int(year)) for year in years] + ["unresolved"]
    return pd.Categorical.from_codes(np.where(codes < 0, len(years), codes), categories=labels)


def _horizon(frame: pd.DataFrame) -> pd.Categorical:
    """Days from `made` to the outcome (or to the deadline, if none), in bands."""
    days = (_resolved_on(frame).fillna(frame["deadline"]) - frame["made"]).dt.days
    edges = [-math.inf] + [edge for edge, _ in HORIZONS]
    labels = [label for _, label in HORIZONS]
    return pd.cut(days, edges, labels=labels, right=False).array  # type: ignore[return-value]


def _key_codes(frame: pd.DataFrame, key: str, year_of: str) -> tuple[np.ndarray, list[Any]]:
    """Integer codes of one group key, in sorted (or natural) order, and their labels."""
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

    def sums(self, mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Per group: the count of rows in `mask`, or the sum of `weights` over them."""
        w = None if weights is None else weights[mask]
        return np.bincount(self.code[mask], w, len(self.index)).astype(float)


def _groups(frame: pd.DataFrame, keys: Sequence[str], year_of: str) -> _Groups:
    for key in keys:
        if key not in GROUPS and key not in frame.columns:
            raise ValueError(f"unknown group '{key}'; use one of {', '.join(GROUPS)}")
    n = len(frame)
    rows = None
    if "tag" in keys:
        tags = [t or ("(untagged)",) for t in frame["tags"].to_numpy()]
        rows = np.repeat(np.arange(n), np.fromiter(map(len, tags), np.int64, n))
        tag_codes, tag_labels = pd.factorize(np.array(list(chain(*tags)), dtype=object), sort=True)
    combined = np.zeros(n if rows is None else len(rows), dtype=np.int64)
    labels = []
    for key in keys:
        if key == "tag":
            codes, names = tag_codes, list(tag_labels)
        else:
            codes, names = _key_codes(frame, key, year_of)
            codes = codes if rows is None else codes[rows]
        combined = combined * max(len(names), 1) + codes
        labels.append(names)
    cells = math.prod(max(len(names), 1) for names in labels)
    if cells <= 4 * len(combined) + 1024:  # linear-time renumbering of the observed cells
        present = np.flatnonzero(np.bincount(combined, minlength=cells))
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


def _counts(frame: pd.DataFrame, groups: _Groups) -> pd.DataFrame:
    """Standing forecasts per group and reason: `n_standing` and COUNTS."""
    standing = groups.take(frame["standing"])
    reasons = groups.take(_reasons(frame))[standing]
    k = len(EXCLUDED)
    table = np.bincount(groups.code[standing] * k + reasons, minlength=len(groups.index) * k)
    table = table.reshape(-1, k)
    return groups.index.assign(
        n_standing=table.sum(axis=1),
        **{name: table[:, EXCLUDED.index(reason)] for name, reason in COUNTS.items()},
    )


def _statistics(
    frame: pd.DataFrame, groups: _Groups, mask: np.ndarray, scores: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Counts, means and skill scores per group of the rows in `mask`.

    `scores` holds the score columns for the rows in `mask`.
    """
    code = groups.code[mask]
    size = len(groups.index)

    def total(values: np.ndarray | None, where: np.ndarray) -> np.ndarray:
        return np.bincount(code[where], None if values is None else values[where], size)

    with_p = ~np.isnan(scores["brier"])
    n = total(None, with_p)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = {name: total(scores[name], with_p) / n for name in SCORES}
        base_rate = total(groups.take(frame["outcome"])[mask], with_p) / n
        reference = base_rate * (1 - base_rate)
        extra = {}
        for name in ("timing_error", "interval_score"):
            values = groups.take(frame[name])[mask]
            known = ~np.isnan(values)
            extra[name] = total(values, known) / total(None, known)
        return {
            "n": n.astype(np.int64),
            **means,
            "bss_half": 1 - means["brier"] / 0.25,
            "bss_base_rate": np.where(reference > 0, 1 - means["brier"] / reference, np.nan),
            "n_clipped": total(None, scores["clipped"] & with_p).astype(np.int64),
            "n_window_only": total(None, np.isnan(groups.take(frame["p"])[mask])).astype(np.int64),
            **extra,
        }


def _bootstrap(
    groups: _Groups, mask: np.ndarray, brier: np.ndarray, question: pd.Series, n_boot: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The 95% question-bootstrap CI of each group's mean Brier (0-1 scale).

    `brier` holds the scores of the rows in `mask`; groups with nothing
    scored, or everything when `n_boot` is 0, get NaN.
    """
    size = len(groups.index)
    low, high = np.full(size, np.nan), np.full(size, np.nan)
    if n_boot <= 0:
        return low, high
    with_p = ~np.isnan(brier)
    code, brier = groups.code[mask][with_p], brier[with_p]
    asked = pd.factorize(groups.take(question)[mask][with_p])[0]
    n = np.bincount(code, minlength=size)
    mean = np.bincount(code, brier, size) / np.maximum(n, 1)
    # With one question the resampled mean is always the mean: no need to draw.
    pairs = np.unique(code.astype(np.int64) * (asked.max(initial=0) + 1) + asked)
    questions = np.bincount(pairs // (asked.max(initial=0) + 1), minlength=size)
    low[n > 0] = high[n > 0] = mean[n > 0]
    several = np.flatnonzero(questions > 1)
    if several.size:
        order = np.argsort(code, kind="stable")  # each group's rows, in frame order
        starts = np.searchsorted(code[order], np.arange(size + 1))
        for i in several:
            at = order[starts[i] : starts[i + 1]]
            low[i], high[i] = score.bootstrap_ci(brier[at], asked[at], n_boot, seed)
    return low, high


def _prepare(
    frame: pd.DataFrame,
    keys: Sequence[str],
    time_averaged: bool,
    year_of: str,
    groups: _Groups | None = None,
) -> tuple[pd.DataFrame, _Groups, np.ndarray, dict[str, np.ndarray]]:
    """The rows to score, their groups, the mask of scored rows and their scores.

    `groups` may pass in the groups of `frame`'s rows, when already known.
    """
    if time_averaged:
        frame = scored(frame, time_averaged=True)
        groups = _groups(frame, keys, year_of)
        mask = np.ones(len(groups.code), dtype=bool)
        scores = {name: groups.take(frame[name]) for name in [*SCORES, "clipped"]}
        return frame, groups, mask, scores
    groups = _groups(frame, keys, year_of) if groups is None else groups
    mask = groups.take(frame["standing"]) & groups.take(_usable(frame))
    p, outcome = groups.take(frame["p"])[mask], groups.take(frame["outcome"])[mask]
    return frame, groups, mask, _score_arrays(outcome, p)


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
    both ends; one with nothing scored, or every group when `n_boot` is 0, NaN.

    Returns:
        The key columns, `brier_ci_low` and `brier_ci_high`, one row per group
        that has a scored forecast.
    """
    rows, groups, mask, scores = _prepare(frame, list(by), time_averaged, year_of)
    low, high = _bootstrap(groups, mask, scores["brier"], rows["question"], n_boot, seed)
    table = groups.index.assign(brier_ci_low=low, brier_ci_high=high)
    return table[groups.sums(mask) > 0].reset_index(drop=True)


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
        n_clipped, n_window_only, timing_error, interval_score, n_void,
        n_open, n_due, n_unscorable, scale. Brier and its CI are on `scale`.
    """
    keys = list(by)
    every = _groups(frame, keys, year_of)
    counts = _counts(frame, every)
    rows, groups, mask, scores = _prepare(frame, keys, time_averaged, year_of, every)
    factor = SCALES[scale]
    stats = _statistics(rows, groups, mask, scores)
    low, high = _bootstrap(groups, mask, scores["brier"], rows["question"], n_boot, seed)
    stats = groups.index.assign(
        **{**stats, "brier": factor * stats["brier"]},
        brier_ci_low=factor * low,
        brier_ci_high=factor * high,
    )
    if time_averaged:  # the scored pairs were grouped apart from the frame
        table = counts.merge(stats, on=keys, how="left", sort=False) if keys else counts.join(
            stats.drop(columns=keys)
        )
    else:
        table = counts.join(stats.drop(columns=keys))
    table = table[table["n_standing"] > 0]
    table = table.assign(
        **{name: table[name].fillna(0).astype(np.int64)
           for name in ("n", "n_clipped", "n_window_only")},
        scale=scale_text(scale),
    )
    return table[[*keys, *SUMMARY, *COUNTS, "scale"]].reset_index(drop=True)


# ---------------------------------------------------------------- calibration


def _cells(
    groups: _Groups, code: np.ndarray, n_codes: int, outcome: np.ndarray, p: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, mean forecast and observed frequency in each (group, code) cell."""
    cell = groups.code * n_codes + code
    size = len(groups.index) * n_codes
    n = np.bincount(cell, minlength=size).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return n, np.bincount(cell, p, size) / n, np.bincount(cell, outcome, size) / n


def _cell_table(
    groups: _Groups, name: str, labels: Sequence[object],
    cells: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """One row per (group, label): the keys, the label, n, mean_p, observed, Wilson interval."""
    n, mean_p, observed = cells
    index = groups.index
    table = index.loc[index.index.repeat(len(labels))].reset_index(drop=True).assign(
        **{name: np.tile(np.asarray(labels, dtype=object), len(index))},
        n=n.astype(np.int64),
        mean_p=mean_p,
        observed=observed,
    )
    low, high = score._wilson(table["observed"], table["n"])
    return table.assign(wilson_lo=low, wilson_hi=high)


def _calibration_by(groups: _Groups, outcome: np.ndarray, p: np.ndarray) -> dict[str, pd.DataFrame]:
    """`calibration` for every group at once (see its docstring).

    The bins, buckets and decomposition are those of `score.calibration_bins`,
    `score.folded_table`, `score.murphy` and `score.ece`, computed per group.
    """
    keys = list(groups.index.columns)
    g = len(groups.index)
    decile = score._decile(p, "left")
    n, mean_p, observed = cells = _cells(groups, decile, 10, outcome, p)
    edges = np.arange(0, 100, 10)
    labels = [f"{lo}-{lo + 10}%" for lo in edges]
    bins = _cell_table(groups, "bin", labels, cells).assign(
        lo=np.tile(edges, g), hi=np.tile(edges + 10, g)
    )[[*keys, "bin", "lo", "hi", "n", "mean_p", "observed", "wilson_lo", "wilson_hi"]]

    size = np.bincount(groups.code, minlength=g).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        base = (np.bincount(groups.code, outcome, g) / size)[groups.code]
        cell = groups.code * 10 + decile
        f_k, o_k = mean_p[cell], observed[cell]
        per_row = {
            "REL": (f_k - o_k) ** 2,
            "RES": (o_k - base) ** 2,
            "UNC": (outcome - base) ** 2,
            "WBV": (p - f_k) ** 2,
            "WBC": 2 * (outcome - o_k) * (p - f_k),
            "BS": (p - outcome) ** 2,
            "ECE": np.abs(f_k - o_k),
        }
        summary = groups.index.assign(
            n=size.astype(np.int64),
            **{name: np.bincount(groups.code, value, g) / size for name, value in per_row.items()},
        )

    bp = score._basis_points(p)
    below = bp < 5000
    buckets = 100 * np.asarray(score.FOLDED_BUCKETS)
    midpoints = (buckets[:-1] + buckets[1:]) / 2  # a tie goes to the upper bucket
    code = np.searchsorted(midpoints, np.where(below, 10_000 - bp, bp), side="right")
    stated, folded_p = np.where(below, 1 - outcome, outcome), np.where(below, 1 - p, p)
    folded = _cell_table(
        groups, "bucket", list(score.FOLDED_BUCKETS),
        _cells(groups, code, len(buckets), stated, folded_p),
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
    keys = list(by or ())
    rows, groups, mask, scores = _prepare(frame, keys, False, year_of)
    with_p = ~np.isnan(scores["brier"])
    outcome = groups.take(rows["outcome"])[mask][with_p]
    p = groups.take(rows["p"])[mask][with_p]
    if by:
        code = groups.code[mask][with_p]
        present = np.flatnonzero(np.bincount(code, minlength=len(groups.index)))
        renumber = np.zeros(len(groups.index), dtype=np.int64)
        renumber[present] = np.arange(len(present))
        index = groups.index.iloc[present].reset_index(drop=True)
        return _calibration_by(_Groups(None, renumber[code], index), outcome, p)
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
    "no probability": "window without a probability: timing error and interval score only, no Brier",
    "undetermined": "not scored: the outcome is inside the window under some readings "
    "of the dates and outside under others",
}


def explain(frame: pd.DataFrame, question: str, *, scale: str = "0-1") -> list[dict[str, Any]]:
    """Every forecast on `question` in `frame`: whether it counts, why, and its scores."""
    rows = frame[frame["question"] == question]
    with_scores = _scores(rows)
    factor = SCALES[scale]
    found = []
    for row in with_scores.to_dict("records"):
        reason = REASONS[row["excluded"]] if row["standing"] else (
            "not scored: replaced by a later forecast by the same forecaster"
        )
        p = row["p"]
        found.append({
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
        })
    return found


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _bin(p: float) -> str:
    bins = score.calibration_bins([0.0], [p])
    return str(bins.loc[bins["n"] > 0, "bin"].iloc[0])
