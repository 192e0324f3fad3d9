"""The tidy frame's rows in groups, and the usable rows of each group with their scores.

`groups` gives each row an integer group code once, for any group keys
(GROUPS, or any column): every count, sum and mean is then an `np.bincount`
over those codes, so the cost is a few passes over the rows whatever the
number of groups. With `tag`, a row appears once per tag. `prepare` picks the
usable rows of each group (`ledger.score.forecasts`) and scores them, which
both the scorecard (`ledger.score.scorecard`) and the calibration tables of
each group (`ledger.score.reliability`) read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from ledger.score.forecasts import SCORES, is_usable, reasons, scored
from ledger.score.rules import binary_scores

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    Codes = NDArray[np.int64]

GROUPS = ("forecaster", "tag", "year", "question", "horizon", "basis")
"""The group keys the scorecard knows besides the frame's columns."""

HORIZONS = (
    (365, "<1y"),
    (730, "1-2y"),
    (1826, "2-5y"),
    (3652, "5-10y"),
    (math.inf, "10y+"),
)
"""Horizon bands: (days from `made` to the outcome, below this, label)."""


def _resolved_on(frame: pd.DataFrame) -> pd.Series:
    """The day the outcome a row is scored against was known (NaT while open or due).

    A provisional price on an open question has a `known` date too, but it
    resolves nothing unless it is scored (`--provisional`).
    """
    return frame["known"].where(~frame["excluded"].isin(["open", "due"]))


def _year(frame: pd.DataFrame, year_of: str) -> pd.Categorical[str]:
    """The year of `made` (or of the resolution) as text; "unresolved" if not known."""
    when = _resolved_on(frame) if year_of == "resolved" else frame["made"]
    codes, years = pd.factorize(when.dt.year, sort=True)
    labels = [str(int(year)) for year in years] + ["unresolved"]
    return pd.Categorical.from_codes(
        np.where(codes < 0, len(years), codes), categories=pd.Index(labels)
    )


def _horizon(frame: pd.DataFrame) -> pd.Categorical[str]:
    """Days from `made` to the outcome (or to the deadline, if none), in bands."""
    days = (_resolved_on(frame).fillna(frame["deadline"]) - frame["made"]).dt.days
    edges = [-math.inf] + [edge for edge, _ in HORIZONS]
    labels = [label for _, label in HORIZONS]
    # pd.cut of a Series gives a categorical Series; its array is a Categorical
    return cast(
        "pd.Categorical[str]", pd.cut(days, edges, labels=labels, right=False).array
    )


def _key_codes(frame: pd.DataFrame, key: str, year_of: str) -> tuple[Codes, list[Any]]:
    """Integer codes of one group key, in sorted (or natural) order, and the labels."""
    values: pd.Categorical[Any]
    if key == "year":
        values = _year(frame, year_of)
    elif key == "horizon":
        values = _horizon(frame)
    elif isinstance(frame[key].dtype, pd.CategoricalDtype):
        values = cast("pd.Categorical[Any]", frame[key].array)
    else:
        codes, labels = pd.factorize(frame[key], sort=True)
        return codes.astype(np.int64), list(labels)
    return np.asarray(values.codes, dtype=np.int64), [str(c) for c in values.categories]


def group_sums(
    code: NDArray[np.integer[Any]], values: NDArray[np.float64], size: int
) -> NDArray[np.float64]:
    """The sum of `values` in each of `size` groups, given each value's group code."""
    # numpy's stubs give every bincount intp elements; with weights they are floats
    return cast("NDArray[np.float64]", np.bincount(code, values, size))


@dataclass(frozen=True)
class Groups:
    """Rows of a frame sorted into groups.

    `rows` maps each grouped row to its frame row (None: one grouped row per
    frame row; with `tag`, a row appears once per tag), `code` is its group,
    and `index` holds the key values of each group, in sorted order.
    """

    rows: Codes | None
    code: Codes
    index: pd.DataFrame

    def take(self, column: pd.Series | NDArray[Any]) -> NDArray[Any]:
        """The values of a frame column for each grouped row."""
        values = column.to_numpy() if isinstance(column, pd.Series) else column
        return values if self.rows is None else values[self.rows]

    def standing_reasons(
        self, frame: pd.DataFrame
    ) -> tuple[NDArray[Any], NDArray[Any]]:
        """Each grouped row's `standing` and its reason (`forecasts.reasons`)."""
        return self.take(frame["standing"]), self.take(reasons(frame))


def _tag_rows(frame: pd.DataFrame) -> tuple[Codes, Codes, list[Any]]:
    """With `tag`: the frame row of each grouped row, its tag's code, the tags."""
    n = len(frame)
    tags = [t or ("(untagged)",) for t in frame["tags"].to_numpy()]
    rows = np.repeat(np.arange(n), np.fromiter(map(len, tags), np.int64, n))
    codes, labels = pd.factorize(np.array(list(chain(*tags)), dtype=object), sort=True)
    return rows, codes.astype(np.int64), list(labels)


def _observed(combined: Codes, cells: int) -> tuple[Codes, Codes]:
    """The cells that occur, sorted, and each row's number among them."""
    if cells > 4 * len(combined) + 1024:
        present, code = np.unique(combined, return_inverse=True)
        return present, code
    # renumber the observed cells in linear time
    present = np.flatnonzero(np.bincount(combined, minlength=cells))
    if len(present) == cells:  # every cell occurs: the numbering stands
        return present, combined
    renumber = np.zeros(cells, dtype=np.int64)
    renumber[present] = np.arange(len(present))
    return present, renumber[combined]


def groups(frame: pd.DataFrame, keys: Sequence[str], year_of: str) -> Groups:
    """Sort the rows of `frame` into the groups of `keys` (any may be a column).

    Each key is coded in its own order (sorted, or the order of its categories:
    horizons short to long, years with "unresolved" last), the codes are
    combined, and only the combinations that occur become groups.

    Args:
        frame: the tidy frame, or rows of it.
        keys: group keys, from GROUPS or the frame's columns.
        year_of: "made" or "resolved": which date's year the `year` key is.

    Returns:
        The groups.

    Raises:
        ValueError: a key is neither in GROUPS nor a column.
    """
    for key in keys:
        if key not in GROUPS and key not in frame.columns:
            raise ValueError(f"unknown group '{key}'; use one of {', '.join(GROUPS)}")
    rows = None
    if "tag" in keys:
        rows, tag_codes, tag_labels = _tag_rows(frame)
    combined = np.zeros(len(frame) if rows is None else len(rows), dtype=np.int64)
    labels = []
    for key in keys:
        if key == "tag":
            codes, names = tag_codes, tag_labels
        else:
            codes, names = _key_codes(frame, key, year_of)
            codes = codes if rows is None else codes[rows]
        combined = combined * max(len(names), 1) + codes
        labels.append(names)
    present, code = _observed(combined, math.prod(max(len(n), 1) for n in labels))
    index = {}
    rest = present
    for key, names in reversed(list(zip(keys, labels, strict=True))):
        width = max(len(names), 1)
        index[key] = np.asarray(names, dtype=object)[rest % width] if names else rest
        rest = rest // width
    table = pd.DataFrame({key: index[key] for key in keys}, index=range(len(present)))
    return Groups(rows, code, table)


@dataclass(frozen=True)
class Scoring:
    """The usable rows of a frame (scored, or windows without p), in groups.

    `at` holds each usable row's position in `frame`, `code` its group and
    `p` its probability; `has_p` marks those with a probability and an
    outcome, and `scores` holds the scores, `outcome` and `p` of just those.
    """

    frame: pd.DataFrame
    index: pd.DataFrame
    at: NDArray[np.intp]
    code: Codes
    p: NDArray[np.float64]
    has_p: NDArray[np.bool_]
    scores: dict[str, NDArray[Any]]

    def column(self, name: str) -> NDArray[Any]:
        """Column `name` of the usable rows."""
        return self.frame[name].to_numpy()[self.at]

    def total(
        self, where: NDArray[np.bool_], weights: NDArray[np.float64] | None = None
    ) -> NDArray[np.float64]:
        """Per group: how many usable rows are in `where`, or the sum of `weights`."""
        w = None if weights is None else weights[where]
        return np.bincount(self.code[where], w, len(self.index)).astype(np.float64)


def prepare(
    frame: pd.DataFrame,
    keys: Sequence[str],
    *,
    time_averaged: bool = False,
    year_of: str = "made",
    grouped: Groups | None = None,
    with_scores: bool = True,
    taken: tuple[NDArray[Any], NDArray[Any]] | None = None,
) -> Scoring:
    """Group the usable rows of `frame` (or its time-averaged pairs) and score them.

    Args:
        frame: the tidy frame.
        keys: group keys (see `groups`).
        time_averaged: group and score the time-averaged pairs of `scored`.
        year_of: which date's year the `year` key is.
        grouped: the groups of `frame`'s rows, when already known.
        with_scores: score the rows (else `scores` holds only outcome and p).
        taken: `grouped.standing_reasons(frame)`, when already known.

    Returns:
        The usable rows in groups.
    """
    if time_averaged:
        frame = scored(frame, time_averaged=True)
        grouped = groups(frame, keys, year_of)
        usable = np.ones(len(grouped.code), dtype=bool)
    else:
        grouped = groups(frame, keys, year_of) if grouped is None else grouped
        standing, reason = grouped.standing_reasons(frame) if taken is None else taken
        usable = standing & is_usable(reason)
    chosen = np.flatnonzero(usable)
    at = chosen if grouped.rows is None else grouped.rows[chosen]
    p, outcome = frame["p"].to_numpy()[at], frame["outcome"].to_numpy()[at]
    if time_averaged:  # the means over the days: NaN when no day counted
        has_p = ~np.isnan(frame["brier"].to_numpy()[at])
        names = [*SCORES, "clipped"]
        scores = {name: frame[name].to_numpy()[at][has_p] for name in names}
    else:
        has_p = ~np.isnan(p) & ~np.isnan(outcome)
        scores = binary_scores(outcome[has_p], p[has_p]) if with_scores else {}
    scores = {**scores, "outcome": outcome[has_p], "p": p[has_p]}
    return Scoring(frame, grouped.index, at, grouped.code[chosen], p, has_p, scores)
