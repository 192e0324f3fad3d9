"""Crowd aggregates: synthetic forecasters made of the standing forecasts of real ones.

On each binary question, `crowd-median`, `crowd-mean` or `crowd-geo-mean-odds`
(the geometric mean of the odds, with p clipped to [LOG_CLIP, 1 - LOG_CLIP]
first so that 0 and 1 keep finite odds) forecasts the aggregate of its
members' standing forecasts; on each date or numeric question, the median and
the mean also aggregate their quantiles, level by level
(`ledger.compare.quantiles.aggregate_rows`). By default the crowd is every
forecaster except those whose id ends in `-crowd` (a crowd already, such as
`manifold-crowd`, a platform's community forecast recorded by `ledger import
forecastbench`).
Synthetic forecasters are scored like everyone else, but the leaderboard
never counts them among "the others" of a real forecaster, nor in the
difficulty fit, so adding one changes no real forecaster's numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ledger.compare.quantiles import aggregate_rows
from ledger.score.rules import LOG_CLIP

if TYPE_CHECKING:
    from collections.abc import Collection

AGGREGATES = ("median", "mean", "geo-mean-odds")
"""The ways of aggregating a crowd's forecasts."""

CROWD_SUFFIX = "-crowd"
"""The id ending of a forecaster that is a crowd already."""


def crowd_name(method: str) -> str:
    """The id of the synthetic forecaster of an aggregate: `crowd-median`, ...

    Raises:
        ValueError: `method` is not one of AGGREGATES.
    """
    if method not in AGGREGATES:
        raise ValueError(
            f"unknown aggregate '{method}'; use one of {', '.join(AGGREGATES)}"
        )
    return f"crowd-{method}"


def default_crowd(names: Collection[str]) -> list[str]:
    """The forecasters aggregated by default: all but crowds (`*-crowd`, `crowd-*`)."""
    synthetic = {crowd_name(method) for method in AGGREGATES}
    return sorted(
        n for n in names if not n.endswith(CROWD_SUFFIX) and n not in synthetic
    )


def _aggregate(rows: pd.DataFrame, method: str) -> pd.Series:
    """The aggregate probability of `rows` on each question."""
    if method == "median":
        return rows.groupby("question", sort=False)["p"].median()
    if method == "mean":
        return rows.groupby("question", sort=False)["p"].mean()
    clipped = rows["p"].to_numpy(dtype=np.float64).clip(LOG_CLIP, 1 - LOG_CLIP)
    log_odds = pd.Series(np.log(clipped / (1 - clipped)), index=rows.index)
    mean = log_odds.groupby(rows["question"], sort=False).mean()
    return pd.Series(1 / (1 + np.exp(-mean.to_numpy())), index=mean.index)


def aggregate_forecaster(
    frame: pd.DataFrame, method: str, members: Collection[str] | None = None
) -> pd.DataFrame:
    """The frame with the rows of a synthetic forecaster `crowd-<method>` added.

    On each binary question, it forecasts the aggregate of the standing
    forecasts (with a probability) of `members` (default: `default_crowd`),
    made when the latest of them was made; with "median" or "mean", on each
    date or numeric question, the level-by-level aggregate of their quantiles.
    Questions none of them answered get no aggregate.

    Raises:
        ValueError: a forecaster already has the aggregate's name.
    """
    name = crowd_name(method)
    forecaster = frame["forecaster"].astype(str)
    if name in set(forecaster):
        raise ValueError(f"a forecaster is already called '{name}'")
    if members is None:
        members = default_crowd(set(forecaster))
    rows = frame[
        frame["standing"].to_numpy()
        & frame["p"].notna().to_numpy()
        & (frame["kind"] == "binary").to_numpy()
        & forecaster.isin(list(members)).to_numpy()
    ]
    parts = [aggregate_rows(frame, method, members, name)]
    if not rows.empty:
        grouped = rows.groupby("question", sort=False)
        first = grouped.head(1).set_index("question")
        crowd = first.assign(
            p=_aggregate(rows, method),
            made=grouped["made"].max(),
            made_latest=grouped["made_latest"].max(),
            until=pd.Series(pd.NaT, first.index),
            basis="stated",
            line=0,
            forecaster=name,
        ).reset_index()
        parts.insert(0, crowd[list(frame.columns)])
    parts = [part for part in parts if len(part)]
    if not parts:
        return frame
    out = pd.concat([frame.astype({"forecaster": str}), *parts], ignore_index=True)
    return out.astype(
        {
            "forecaster": "category",
            "basis": frame["basis"].dtype,
            "until": frame["until"].dtype,
        }
    )
