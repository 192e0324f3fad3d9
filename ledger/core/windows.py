"""Windows: a date or numeric forecast's `[start, end]` against what came true.

One definition, used by the frame (scores) and by `ledger due` (closings).
Window ends are read at their widest (the earliest start, the latest end),
which gives the forecaster the benefit of the doubt. An outcome is a day (or
the readings of an uncertain day), a number, or, when the event is known only
to come after some day (a `no` past the deadline, a not-yet entry), every day
after it, or never:

- **inside** (1) under every reading, **outside** (0) under every reading, or
  **undetermined** (NaN) when it is inside under some readings and outside
  under others. A window with an open end that starts by the day after such
  a day holds every later day, and never: it is inside. A finite end past it
  is undetermined.
- **miss**: the distance to the nearer end, 0 inside, in years (365.25 days)
  for a date question and in the question's unit for a numeric one; a lower
  bound (`censored`) when the event came only "after" a day.
- **interval score** (Gneiting & Raftery 2007): width + (2/alpha) x distance
  outside, alpha = 1 - p, or an assumed 50% coverage (ASSUMED_COVERAGE) when
  the window has no p; none for an open-ended window, a censored miss or p = 1.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

from ledger.core.dates import When

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Bound, Kind, Window

ASSUMED_COVERAGE = 0.5
"""Coverage assumed for the interval score of a window stated without a probability."""

YEAR_DAYS = 365.25
"""Days in the year in which a date window's errors are counted."""


class Scores(NamedTuple):
    """A window against an outcome (see the module docstring)."""

    inside: float
    miss: float
    censored: bool
    interval: float
    assumed: bool


def ends(window: Window) -> tuple[float, float]:
    """Widest reading of a window as numbers (day ordinals for dates; ±inf open)."""

    def number(bound: Bound, latest: bool) -> float:
        if bound is None:
            return math.inf if latest else -math.inf
        if isinstance(bound, When):
            day = bound.latest if latest else bound.earliest
            return float(day.toordinal())
        return float(bound)

    return number(window.start, False), number(window.end, True)


def unit_days(kind: Kind) -> float:
    """How many of a window's numbers make one unit of its errors.

    Days per year for a date question (its ends are day ordinals), 1 for a
    numeric one.
    """
    return YEAR_DAYS if kind == "date" else 1.0


def closes(window: Window) -> dt.date | None:
    """The last day of a date window at its widest; None for an open end or a number."""
    end = window.end
    return end.latest if isinstance(end, When) else None


def score(
    kind: Kind,
    window: Window,
    p: float | None,
    value: float | When | None,
    after: dt.date | None = None,
) -> Scores:
    """Score `window` (with probability `p`) against what came true.

    Args:
        kind: the question's kind, "date" or "numeric".
        window: the forecast's window.
        p: the probability of landing in it, or None.
        value: the day (a `When`) or number that came true; unused with `after`.
        after: set when the event is known only to come after this day, if
            ever (a `no` past the deadline, a not-yet entry).

    Returns:
        The scores (see the module docstring).
    """
    lo, hi = ends(window)
    scale = unit_days(kind)
    if after is not None:  # some day after `after`, or never
        first, last = float(after.toordinal()) + 1, math.inf
    elif isinstance(value, When):
        first, last = float(value.earliest.toordinal()), float(value.latest.toordinal())
    else:
        first = last = float(value or 0.0)
    if first >= lo and last <= hi:
        inside = 1.0
    elif last < lo or first > hi:
        inside = 0.0
    else:
        inside = math.nan
    if after is not None and math.isnan(inside):  # a finite end past `after`
        return Scores(math.nan, math.nan, True, math.nan, False)
    censored = after is not None and inside == 0.0  # a miss by at least this much
    miss = max(lo - last, first - hi, 0.0) / scale
    alpha = 1 - (ASSUMED_COVERAGE if p is None else float(p))
    width = (hi - lo) / scale
    if not math.isfinite(width) or censored or alpha <= 0:
        interval = math.nan
    else:
        below, above = max(lo - last, 0.0) / scale, max(first - hi, 0.0) / scale
        interval = width + (2 / alpha) * (below + above)
    return Scores(inside, miss, censored, interval, p is None)
