"""Scorecards: per-forecast scores from the tidy frame, and aggregates by group.

`scored` adds the proper scores to the frame's standing, scored rows (or, in
the time-averaged mode, to each forecaster-question pair, averaging every
forecast by the days it stood). `aggregate` groups them by forecaster, tag,
year or horizon, with a seeded question-level bootstrap CI, and counts what is
void, open, due and unscorable in each group. `calibration` gives the
reliability table, the folded ACX-style table, the Murphy decomposition and ECE.

Scales and directions, printed wherever the numbers are:
Brier 0–1 (lower is better; `--scale 0-2` shows the GJ Open/Fatebook scale);
log score ln p, ≤ 0 (higher is better); Metaculus Baseline 0 = chance, 100 =
perfect (higher is better); spherical 0–1 (higher is better).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ledger import score

GROUPS = ("forecaster", "tag", "year", "question", "horizon", "basis")
HORIZONS = ((365, "<1y"), (730, "1-2y"), (1826, "2-5y"), (3652, "5-10y"), (math.inf, "10y+"))
SCALES = {"0-1": 1.0, "0-2": 2.0}
SUMMARY = (
    "n", "brier", "brier_ci_low", "brier_ci_high", "log_score", "baseline_score",
    "spherical", "bss_half", "bss_base_rate", "n_clipped", "n_window_only",
    "timing_error", "interval_score",
)


def scale_text(scale: str = "0-1") -> str:
    """How a Brier score on `scale` reads."""
    if scale == "0-2":
        return "brier 0-2 (GJ Open/Fatebook scale), lower is better"
    return "brier 0-1, lower is better"


def _horizon(days: pd.Series) -> pd.Series:
    edges = [-math.inf] + [edge for edge, _ in HORIZONS]
    labels = [label for _, label in HORIZONS]
    return pd.cut(days, edges, labels=labels, right=False).astype(str)


def _with_keys(frame: pd.DataFrame, year_of: str) -> pd.DataFrame:
    end = frame["known"].fillna(frame["deadline"])
    year = (frame["known"] if year_of == "resolved" else frame["made"]).dt.year
    return frame.assign(
        year=year.astype("Int64").astype(str).replace("<NA>", "unresolved"),
        horizon=_horizon((end - frame["made"]).dt.days),
    )


def _scores(rows: pd.DataFrame) -> pd.DataFrame:
    has_p = rows["p"].notna() & rows["outcome"].notna()
    o = rows["outcome"].where(has_p, 0.0).to_numpy()
    p = rows["p"].where(has_p, 0.5).to_numpy()
    log, _ = score.log_score(o, p)
    clipped = (p < 0.001) | (p > 0.999)
    nan = np.where(has_p, 1.0, np.nan)
    return rows.assign(
        brier=score.brier(o, p) * nan,
        log_score=log * nan,
        baseline_score=score.baseline_score(o, p) * nan,
        spherical=score.spherical(o, p) * nan,
        clipped=clipped & has_p.to_numpy(),
    )


def scored(frame: pd.DataFrame, *, time_averaged: bool = False) -> pd.DataFrame:
    """Scored rows: one per standing forecast that has a score.

    Rows excluded only for lacking a probability keep their timing error and
    interval score, with NaN Brier, log and Baseline scores.

    With `time_averaged`, each forecaster-question pair gets the day-weighted
    mean of the scores of all its forecasts: a forecast stands from the day it
    was made until its forecaster's next forecast or the day the outcome was
    known; no day before the first forecast or after the outcome counts.
    """
    usable = frame["excluded"].isin(["", "no probability"])
    if not time_averaged:
        return _scores(frame[frame["standing"] & usable])
    rows = _scores(frame[usable])
    days = (rows["until"] - rows["made"]).dt.days.clip(lower=0).astype(float)
    rows = rows.assign(days=days)
    columns = ["brier", "log_score", "baseline_score", "spherical"]
    weighted = rows[columns].mul(days, axis=0).assign(
        days=days, question=rows["question"], forecaster=rows["forecaster"]
    )
    sums = weighted.groupby(["question", "forecaster"], observed=True).sum(min_count=1)
    means = sums[columns].div(sums["days"].where(sums["days"] > 0), axis=0)
    standing = rows[rows["standing"]].set_index(["question", "forecaster"])
    standing = standing.drop(columns=columns).join(means, how="inner")
    return standing.reset_index()


def _group_frame(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    if "tag" in by:
        tags = frame["tags"].map(lambda t: list(t) or ["(untagged)"])
        frame = frame.assign(tag=tags).explode("tag")
    return frame


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
    (then n is 0 and the means are NaN), so what is open stays visible.

    Args:
        frame: the tidy frame from `ledger.frame.frame`.
        by: group keys, from GROUPS.
        time_averaged: score the day-weighted average of every forecast.
        year_of: the year of a forecast's `made` date, or of its resolution.
        scale: "0-1", or "0-2" to show Brier on the GJ Open/Fatebook scale.
        n_boot: bootstrap resamples for the 95% CI of the mean Brier.
        seed: the bootstrap's seed; the same seed gives the same interval.

    Returns:
        Columns: the keys, n, brier, brier_ci_low, brier_ci_high, log_score,
        baseline_score, spherical, bss_half, bss_base_rate, n_clipped,
        n_window_only, timing_error, interval_score, n_void, n_open, n_due,
        n_unscorable, scale.
    """
    keys = list(by)
    base = _group_frame(_with_keys(frame, year_of), keys)
    standing = base[base["standing"]]
    rows = _group_frame(_with_keys(scored(frame, time_averaged=time_averaged), year_of), keys)
    factor = SCALES[scale]
    counts = (
        standing.assign(
            n_void=standing["excluded"].eq("void"),
            n_open=standing["excluded"].eq("open"),
            n_due=standing["excluded"].eq("due"),
            n_unscorable=standing["excluded"].eq("unscorable"),
        )
        .groupby(keys, observed=True)[["n_void", "n_open", "n_due", "n_unscorable"]]
        .sum()
    )
    groups = {_as_tuple(k): g for k, g in rows.groupby(keys, observed=True)}
    empty = rows.iloc[0:0]
    records = [
        {**dict(zip(keys, key, strict=True)),
         **_summary(groups.get(key, empty), factor, n_boot, seed)}
        for key in map(_as_tuple, counts.index)
    ]
    table = pd.DataFrame(records, columns=[*keys, *SUMMARY]).assign(
        **{name: counts[name].to_numpy().astype(int) for name in counts}
    )
    return table.assign(scale=scale_text(scale)).sort_values(keys, ignore_index=True)


def _as_tuple(key: object) -> tuple[object, ...]:
    return key if isinstance(key, tuple) else (key,)


def _summary(rows: pd.DataFrame, factor: float, n_boot: int, seed: int) -> dict[str, Any]:
    with_p = rows[rows["brier"].notna()]
    n = len(with_p)
    low, high = score.bootstrap_ci(with_p["brier"], with_p["question"], n_boot, seed)
    outcome, p = with_p["outcome"].to_numpy(), with_p["p"].to_numpy()
    mean = with_p["brier"].mean() if n else math.nan
    return {
        "n": n,
        "brier": factor * mean,
        "brier_ci_low": factor * low,
        "brier_ci_high": factor * high,
        "log_score": with_p["log_score"].mean() if n else math.nan,
        "baseline_score": with_p["baseline_score"].mean() if n else math.nan,
        "spherical": with_p["spherical"].mean() if n else math.nan,
        "bss_half": None if not n else 1 - mean / 0.25,
        "bss_base_rate": None if not n else score.brier_skill(outcome, p, "base_rate"),
        "n_clipped": int(with_p["clipped"].sum()),
        "n_window_only": int(rows["brier"].isna().sum()),
        "timing_error": rows["timing_error"].mean() if rows["timing_error"].notna().any() else math.nan,
        "interval_score": rows["interval_score"].mean() if rows["interval_score"].notna().any() else math.nan,
    }


def calibration(frame: pd.DataFrame) -> dict[str, Any]:
    """Calibration of the scored standing forecasts in `frame`.

    Returns a dict with `bins` (10 bins, empty ones kept, Wilson intervals),
    `folded` (ACX-style 50–99% buckets), `murphy` (REL, RES, UNC and the two
    within-bin terms, which add up to the Brier score exactly), `ece`
    (positive-class expected calibration error, a diagnostic) and `n`.
    """
    rows = scored(frame)
    rows = rows[rows["brier"].notna()]
    outcome, p = rows["outcome"].to_numpy(), rows["p"].to_numpy()
    return {
        "n": len(rows),
        "bins": score.calibration_bins(outcome, p),
        "folded": score.folded_table(outcome, p),
        "murphy": score.murphy(outcome, p) if len(rows) else None,
        "ece": score.ece(outcome, p) if len(rows) else None,
    }


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
