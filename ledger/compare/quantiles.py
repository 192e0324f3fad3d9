"""Quantile forecasters compared: relative quantile scores and crowd quantiles.

Questions have different units (years, gigawatts, dollars), so quantile
scores are compared as ratios, question by question, as relative Brier is:

- **Relative quantile score** of a forecast: its quantile score over the
  median quantile score of the *real* others on the same question
  (`ledger.compare.crowd` aggregates are never one of them). 1 is as good as
  the others' median, below 1 better; lower is better. Undefined when the
  forecaster is alone on the question or the others' median is 0. A
  forecaster's is the mean over the questions where it is defined.
- **Head to head** reads the same per-question ratios with
  `ledger.compare.pairs.head_to_head` (mean difference a - b, bootstrap CI,
  sign-flip or paired t), on the questions both forecast with quantiles.
- **Crowd quantiles** (`aggregate_rows`): on each date or numeric question,
  the median or mean, level by level, of the members' values at the levels
  every member with quantiles there gave (quantile averaging, Vincentization);
  each end of an uncertain date is aggregated apart. Monotone values stay
  monotone, since both are monotone in every member's value.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ledger.compare.pairs import head_to_head
from ledger.core import quantiles
from ledger.core.dates import parse_when

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from numpy.typing import NDArray

    Floats = NDArray[np.float64]

RELATIVE = "relative_quantile_score"
"""The column of a forecast's relative quantile score."""

BOARD = ["forecaster", "n", "n_relative", RELATIVE, "synthetic"]
"""The columns of `leaderboard`, in order."""


def with_relative(rows: pd.DataFrame, synthetic: Collection[str] = ()) -> pd.DataFrame:
    """The rows with a quantile score, each with its relative quantile score.

    Args:
        rows: scored rows (`ledger.score.scorecard.scored`).
        synthetic: the crowd aggregates among the forecasters.
    """
    rows = rows[rows["quantile_score"].notna().to_numpy()]
    score = rows["quantile_score"].to_numpy(np.float64)
    question = rows["question"].to_numpy(object)
    real = ~rows["forecaster"].astype(str).isin(list(synthetic)).to_numpy()
    ratio = np.full(len(rows), np.nan)
    for group in pd.Series(range(len(rows))).groupby(question).groups.values():
        at = np.asarray(group)
        for i in at:
            others = score[at[(at != i) & real[at]]]
            if others.size:
                middle = float(np.median(others))
                ratio[i] = score[i] / middle if middle > 0 else math.nan
    return rows.assign(**{RELATIVE: ratio})


def leaderboard(rows: pd.DataFrame, synthetic: Collection[str] = ()) -> pd.DataFrame:
    """One row per forecaster with a quantile score: counts, mean relative score.

    Args:
        rows: `with_relative`'s rows.
        synthetic: the crowd aggregates among the forecasters.

    Returns:
        Columns BOARD: `n` (questions with a quantile score), `n_relative`
        (those with a relative score), the mean relative score; sorted by it
        (undefined last), then by forecaster.
    """
    names = rows["forecaster"].astype(str)
    ratio = rows[RELATIVE]
    table = pd.DataFrame({
        "n": names.groupby(names).size(),
        "n_relative": ratio.notna().groupby(names).sum(),
        RELATIVE: ratio.groupby(names).mean(),
    }).rename_axis("forecaster").reset_index()
    table["synthetic"] = table["forecaster"].isin(list(synthetic))
    table = table.sort_values([RELATIVE, "forecaster"], na_position="last")
    return table[BOARD].reset_index(drop=True)


def _value(kind: str, low: float, high: float) -> float | str:
    """A crowd's value as the frame writes it: a number, or a day (or two)."""
    if kind != "date":
        return (low + high) / 2
    first, last = quantiles.day_of(low), quantiles.day_of(high)
    return first.isoformat() if first == last else f"{first}..{last}"


def _readings(kind: str, value: Any) -> tuple[float, float]:
    """A member's value (as the frame holds it) as readings."""
    if kind == "date":
        return quantiles.reading(parse_when(str(value)))
    return quantiles.reading(float(value))


def _aggregated(group: pd.DataFrame, method: str) -> tuple[tuple[float, ...], Floats]:
    """The common levels of `group`'s forecasts and their aggregate (low, high)."""
    common = set(group["quantile_levels"].iloc[0])
    for levels in group["quantile_levels"]:
        common &= set(levels)
    levels = tuple(sorted(common))
    kind = str(group["kind"].iloc[0])
    ends = np.array([
        [
            _readings(kind, dict(zip(given, values, strict=True))[level])
            for level in levels
        ]
        for given, values in zip(
            group["quantile_levels"], group["quantile_values"], strict=True
        )
    ])  # members x levels x (low, high)
    combine = np.median if method == "median" else np.mean
    return levels, combine(ends, axis=0)


def aggregate_rows(
    frame: pd.DataFrame, method: str, members: Collection[str], name: str
) -> pd.DataFrame:
    """The crowd's quantile rows: one per date or numeric question (see above).

    Only "median" and "mean" aggregate quantiles; another method gives none.
    A question whose members share no level gets no row.
    """
    if method not in ("median", "mean"):
        return frame.iloc[:0]
    given = np.fromiter(map(len, frame["quantile_levels"]), np.int64, len(frame)) > 0
    rows = frame[
        frame["standing"].to_numpy()
        & given
        & frame["forecaster"].astype(str).isin(list(members)).to_numpy()
    ]
    found = []
    for _, group in rows.groupby("question", sort=False):
        levels, ends = _aggregated(group, method)
        if not levels:
            continue
        found.append(_crowd_row(group, levels, ends, name))
    if not found:
        return frame.iloc[:0]
    return pd.DataFrame(found, columns=frame.columns)


def _crowd_row(
    group: pd.DataFrame, levels: tuple[float, ...], ends: Floats, name: str
) -> dict[str, Any]:
    """One crowd row: the first member's row, with the crowd's forecast and scores."""
    row = {str(k): v for k, v in group.iloc[0].to_dict().items()}
    kind = str(row["kind"])
    values = [_value(kind, low, high) for low, high in ends]
    row.update(
        forecaster=name, basis="stated", line=0, until=pd.NaT, p=math.nan,
        made=group["made"].max(), made_latest=group["made_latest"].max(),
        outcome=math.nan, timing_error=math.nan, interval_score=math.nan,
        censored=False, coverage_assumed=False, window_start=pd.NaT,
        window_end=pd.NaT, window_width=math.nan, table=None, words=None,
        quantile_levels=levels, quantile_values=tuple(values),
        quantile_score=math.nan, wis=math.nan, quantile_censored=False,
        quantile_below=(),
    )
    if not math.isnan(row["result_low"]):
        outcome = quantiles.Truth(row["result_low"], row["result_high"])
        ranges = [(float(low), float(high)) for low, high in ends]
        row.update(quantiles.score_readings(levels, ranges, outcome)._asdict())
    reason = row["excluded"]
    if not math.isnan(row["quantile_score"]):
        row["excluded"] = "no probability"
    elif reason in ("", "no probability"):
        row["excluded"] = "undetermined"
    return row


def comparison(
    rows: pd.DataFrame,
    pairs: Sequence[tuple[str, str]],
    *,
    same_window: int | None = None,
    synthetic: Collection[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The quantile leaderboard and head to head of scored `rows`.

    Args:
        rows: scored rows (`ledger.score.scorecard.scored`), crowds included.
        pairs: the head-to-head pairs.
        same_window: as `head_to_head`'s.
        synthetic: the crowd aggregates among the forecasters.

    Returns:
        (`leaderboard`, `head_to_head` on RELATIVE).
    """
    scored = with_relative(rows, synthetic)
    board = leaderboard(scored, synthetic)
    return board, head_to_head(scored, pairs, same_window=same_window, score=RELATIVE)
