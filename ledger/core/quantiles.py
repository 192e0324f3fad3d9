"""Quantiles: a quantile forecast against what came true.

One definition, used by the frame (each forecast's scores) and by the crowd
aggregates of `compare`. Values and outcomes are numbers on the question's
axis (`reading`): the number itself on a numeric question, and on a date
question a decimal year, 2000 + (days since 2000-01-01) / 365.25 (2030-07-02
is about 2030.5), so that differences are in years, the unit of the timing
error.
An uncertain date is read at both ends, as a `(low, high)` pair; a number is
`(x, x)`.

- **Quantile score** (`quantile_score`): the mean over the levels of
  2·ρ_τ(y − q_τ), with the pinball loss ρ_τ(u) = u·(τ − 1{u < 0}); for a
  median alone, |y − m|. Lower is better, in the question's unit (years on a
  date question).
- **Weighted interval score** (`wis`, Bracher et al. 2021): where the levels
  pair up around a median (0.5, and 1 − τ for every other τ), (½|y − m| +
  Σₖ (αₖ/2)·IS_αₖ) / (K + ½), each central (1 − α) interval scored by the
  interval score; NaN otherwise (`unpaired` says why). Where it is defined it
  equals the quantile score, computed a second way.
- **Readings**: an uncertain value or outcome is read at the reading most
  favourable to the forecaster (the benefit of the doubt that window ends
  get): the outcome reading that minimises the score, each value at its
  reading nearest that outcome.
- **Censoring**: when the event is known only to come after a day (`after`:
  a `no` past the deadline, a not-yet entry), the outcome is at least the next
  day. Every value before that day gives a lower bound, 2τ(y₀ − q); the score
  of a forecast all of whose values lie before it is a lower bound
  (`censored`). A value on or after that day is scored only once the outcome
  is known: until then the forecast has no score.
- **Below** (`below`), per level: 1 if the outcome fell below the value under
  every reading, 0 if it did not (an outcome equal to the value is not below
  it), NaN when the readings disagree or the outcome is not known yet. It is
  what quantile calibration counts.
"""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ledger.core.dates import When

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from ledger.core.model import Forecast, Kind, Outcome, Quantiles, Question

YEAR_DAYS = 365.25
"""Days in the year in which a date question's quantile scores are counted."""

MEDIAN = 0.5


class Scored(NamedTuple):
    """A quantile forecast against an outcome, as the frame's columns."""

    quantile_score: float
    wis: float
    quantile_censored: bool
    quantile_below: tuple[float, ...]


class Truth(NamedTuple):
    """What came true, as readings: `high` is inf when only a lower bound is known."""

    low: float
    high: float


_EPOCH = 730120  # the ordinal of 2000-01-01


def year(day: dt.date) -> float:
    """A day as a decimal year: 2000 + (days since 2000-01-01) / 365.25.

    >>> import datetime
    >>> round(year(datetime.date(2030, 7, 2)), 3), year(datetime.date(2000, 1, 1))
    (2030.5, 2000.0)
    """
    return 2000 + (day.toordinal() - _EPOCH) / YEAR_DAYS


def day_of(value: float) -> dt.date:
    """The day nearest a decimal year (`year`'s inverse).

    >>> import datetime
    >>> day_of(year(datetime.date(2031, 3, 1)))
    datetime.date(2031, 3, 1)
    """
    return datetime.date.fromordinal(round((value - 2000) * YEAR_DAYS) + _EPOCH)


def reading(value: When | float) -> tuple[float, float]:
    """A value's readings on its question's axis: (low, high).

    >>> reading(12.5)
    (12.5, 12.5)
    """
    if isinstance(value, When):
        return year(value.earliest), year(value.latest)
    return float(value), float(value)


def truth(result: float | When | None, after: dt.date | None) -> Truth:
    """The outcome as readings: a day or a number, or every day after `after`."""
    if after is not None:
        return Truth(year(after) + 1 / YEAR_DAYS, math.inf)
    assert result is not None, "an outcome has a value or a day it came after"
    return Truth(*reading(result))


def unpaired(levels: Sequence[float]) -> str | None:
    """Why the levels give no weighted interval score, or None when they do.

    >>> unpaired([0.1, 0.5, 0.9]) is None
    True
    >>> unpaired([0.25, 0.75])
    'no median (level 0.5)'
    >>> unpaired([0.5, 0.8])
    'level 0.8 has no partner 0.2'
    """
    given = {round(level, 9) for level in levels}
    if MEDIAN not in given:
        return "no median (level 0.5)"
    for level in levels:
        partner = round(1 - level, 9)
        if partner not in given:
            return f"level {level:g} has no partner {partner:g}"
    return None


def _pinball(level: float, error: float) -> float:
    """ρ_τ(u) = u·(τ − 1{u < 0}): the loss of value q at level τ when u = y − q."""
    return error * (level - (1.0 if error < 0 else 0.0))


def _loss(
    levels: Sequence[float], ranges: Sequence[tuple[float, float]], y: float
) -> float:
    """Σ 2ρ_τ(y − q), each value read at its reading nearest `y`."""
    return sum(
        2 * _pinball(level, y - min(max(y, low), high))
        for level, (low, high) in zip(levels, ranges, strict=True)
    )


def _interval_score(lower: float, upper: float, y: float, alpha: float) -> float:
    """The interval score of a central (1 − alpha) interval (Gneiting & Raftery)."""
    return (upper - lower) + (2 / alpha) * (max(lower - y, 0) + max(y - upper, 0))


def weighted_interval(
    levels: Sequence[float], values: Sequence[float], y: float
) -> float:
    """The WIS of paired levels (see `unpaired`) with exact values, at `y`."""
    at = {round(level, 9): value for level, value in zip(levels, values, strict=True)}
    lows = [level for level in levels if level < MEDIAN]
    total = 0.5 * abs(y - at[MEDIAN])
    for level in lows:
        alpha = 2 * level
        upper = at[round(1 - level, 9)]
        total += alpha / 2 * _interval_score(at[round(level, 9)], upper, y, alpha)
    return total / (len(lows) + 0.5)


def score(quantiles: Quantiles, outcome: Truth) -> Scored:
    """Score `quantiles` against `outcome` (see the module docstring)."""
    return score_readings(
        quantiles.levels, [reading(value) for value in quantiles.values], outcome
    )


def score_readings(
    levels: Sequence[float], ranges: Sequence[tuple[float, float]], outcome: Truth
) -> Scored:
    """Score values given as readings `(low, high)` at `levels` against `outcome`."""
    below = tuple(
        1.0 if outcome.high < low else 0.0 if outcome.low >= high else math.nan
        for low, high in ranges
    )
    if math.isinf(outcome.high):  # censored: only values before it are scored
        if any(high >= outcome.low for _, high in ranges):
            return Scored(math.nan, math.nan, False, below)
        y = outcome.low
    else:  # the outcome reading that scores best (a convex, piecewise-linear loss)
        candidates = [outcome.low, outcome.high] + [
            end for pair in ranges for end in pair if outcome.low <= end <= outcome.high
        ]
        y = min(candidates, key=lambda at: (_loss(levels, ranges, at), at))
    values = [min(max(y, low), high) for low, high in ranges]
    mean = _loss(levels, ranges, y) / len(levels)
    wis = math.nan if unpaired(levels) else weighted_interval(levels, values, y)
    return Scored(mean, wis, math.isinf(outcome.high), below)


EMPTY: dict[str, Any] = {
    "quantile_levels": (), "quantile_values": (), "quantile_score": math.nan,
    "wis": math.nan, "quantile_censored": False, "quantile_below": (),
    "result_low": math.nan, "result_high": math.nan,
}
"""The frame's quantile columns of a forecast without quantiles, and no result."""


class Judged(Protocol):
    """What a question's forecasts are scored against (the frame's view of it)."""

    @property
    def result(self) -> Outcome | None:
        """The question's standing outcome."""

    @property
    def not_yet(self) -> dt.date | None:
        """The day of a not-yet entry that counts (`rules.not_yet`)."""


def settle(
    question: Question, forecast: Forecast, reason: str, judged: Judged
) -> dict[str, Any]:
    """The frame's quantile columns of one forecast, its `excluded` and `known`.

    Args:
        question: a date or numeric question.
        forecast: one forecast on it.
        reason: why the frame excludes the forecast so far (its window's
            reason; "undetermined" for a resolved question and no window).
        judged: the question's standing outcome and not-yet day.

    Returns:
        `result_low` and `result_high` when something came true (a day, a
        number, or only a lower bound); the quantile columns of EMPTY when
        the forecast has quantiles; `excluded` ("no probability" once a
        quantile score makes it usable, "undetermined" when it never can be);
        and `known`, the not-yet day, when a not-yet entry closes it.
    """
    waiting, result = reason in ("open", "due"), judged.result
    after = judged.not_yet if waiting else None
    if result is not None and result.result.kind == "no" and not waiting:
        after = question.deadline.latest
    final = reason not in ("void", "unscorable") and not (waiting and after is None)
    outcome = judge(question.kind, result, after) if final else None
    found: dict[str, Any] = {"excluded": reason}
    if outcome is not None:
        found.update(result_low=outcome.low, result_high=outcome.high)
    given = forecast.quantiles
    if given is None:
        return found
    found["quantile_levels"] = given.levels
    found["quantile_values"] = tuple(
        str(v) if isinstance(v, When) else v for v in given.values
    )
    if outcome is None:
        return found
    scored = score(given, outcome)
    found.update(scored._asdict())
    if math.isnan(scored.quantile_score):
        found["excluded"] = reason if forecast.window or waiting else "undetermined"
    elif reason not in ("", "no probability"):
        found["excluded"] = "no probability"
        if waiting:
            found["known"] = after
    return found


def judge(
    kind: Kind,
    result: Outcome | None,
    after: dt.date | None,
) -> Truth | None:
    """What a date or numeric forecast is scored against, or None (nothing yet).

    `result` is the question's standing outcome when a final one stands;
    `after` the day the event is known only to come after (a `no` past the
    deadline: the deadline; a not-yet entry: its day).
    """
    if kind == "binary":
        return None
    if after is not None:
        return truth(None, after)
    if result is None or result.result.kind not in ("date", "number"):
        return None
    return truth(result.result.value, None)
