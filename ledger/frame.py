"""Turn a validated ledger and an `as_of` date into the one tidy frame scoring reads.

One row per forecast made on or before its question's deadline, questions in
file order and each question's forecasts in the order `rules` uses (by `made`,
then line); `standing` marks each forecaster's standing forecast (the rule
lives in `rules`), and the default scores read only those rows. Every other
forecast is there for the time-averaged mode, which weights each forecast by
the days it stood: from `made` (its earliest reading) to `until`, the first of
its forecaster's next forecast, the day after the deadline, and the day the
outcome was known (`until` is empty while a forecast still stands).

`outcome` is what a probability is scored against: the result of a binary
question (1, 0, a fraction, or with `provisional=True` a provisional market
price), and for a date or numeric question whether the outcome fell inside the
forecast's window. Window ends are read at their widest (the earliest start,
the latest end), which gives the forecaster the benefit of the doubt; an
outcome that is inside under some readings and outside under others is
`undetermined` and not scored. A date question that resolved `no` (not by the
deadline) scores a window that ended by the deadline as a miss, with a timing
error that is a lower bound (`censored`).

A window also gets `timing_error`: 0 inside, else the distance to its nearer
end, in years (365.25 days) for a date question and in the question's unit for
a numeric one; and `interval_score`, Gneiting & Raftery's (2007) interval score
in the same units, with alpha = 1 - p, or an assumed 50% coverage
(`coverage_assumed`, ASSUMED_COVERAGE) when the window has no p. An open-ended
window, a censored miss and a window with p = 1 get no interval score.

`excluded` says why a standing forecast is not scored: `open`, `due`, `void`,
`unscorable`, `no probability` (a window claim with no p: it still gets a
timing error and an interval score), or `undetermined`. The empty string means
it is scored.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ledger.core.dates import When
from ledger.core.memory import gc_paused
from ledger.core.rules import STATUSES, index, outcome, standing_among, status, timely

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledger.core.model import Bound, Forecast, Ledger, Outcome, Question, Window

ASSUMED_COVERAGE = 0.5
"""Coverage assumed for the interval score of a window stated without a probability."""

EXCLUDED = ("", "open", "due", "void", "unscorable", "no probability", "undetermined")
"""Why a standing forecast is not scored (the empty string: it is scored)."""

SCHEMA: dict[str, Any] = {
    "question": "str",
    "forecaster": "category",
    "kind": pd.CategoricalDtype(["binary", "date", "numeric"]),
    "tags": "object",
    "status": pd.CategoricalDtype(list(STATUSES)),
    "standing": "bool",
    "excluded": pd.CategoricalDtype(list(EXCLUDED)),
    "basis": pd.CategoricalDtype(["stated", "mapped", "judged"]),
    "made": "datetime64[s]",
    "made_latest": "datetime64[s]",
    "until": "datetime64[s]",
    "deadline": "datetime64[s]",
    "known": "datetime64[s]",
    "p": "float64",
    "outcome": "float64",
    "provisional": "bool",
    "timing_error": "float64",
    "censored": "bool",
    "interval_score": "float64",
    "coverage_assumed": "bool",
    "line": "int64",
}
"""Every column of the frame and its dtype, declared once (categories included,
so an empty ledger gives exactly the same dtypes)."""


_NAT = np.datetime64("NaT", "s")


@functools.lru_cache(maxsize=65_536)
def _day(value: dt.date | None) -> np.datetime64:
    # Memoised: a big ledger repeats the same few days many times over.
    return _NAT if value is None else np.datetime64(value, "s")


def _window_ends(window: Window) -> tuple[float, float]:
    """Widest reading of a window as numbers (days since epoch for dates)."""

    def number(bound: Bound, latest: bool) -> float:
        if bound is None:
            return math.inf if latest else -math.inf
        if isinstance(bound, When):
            day = bound.latest if latest else bound.earliest
            return float(day.toordinal())
        return float(bound)

    return number(window.start, False), number(window.end, True)


def _window_scores(
    question: Question, forecast: Forecast, result: Outcome
) -> tuple[float, float, bool, float, bool]:
    """(inside 0/1/nan, miss distance, censored, interval score, coverage assumed)."""
    assert forecast.window is not None
    lo, hi = _window_ends(forecast.window)
    scale = 365.25 if question.kind == "date" else 1.0  # dates: years
    value = result.result.value
    censored = False
    if isinstance(value, When):
        first, last = float(value.earliest.toordinal()), float(value.latest.toordinal())
    elif isinstance(value, float) and result.result.kind == "number":
        first = last = value
    else:  # a date question that did not happen by its deadline
        first, last = float(question.deadline.latest.toordinal()) + 1, math.inf
        censored = True
    if first >= lo and last <= hi:
        inside = 1.0
    elif last < lo or first > hi:
        inside = 0.0
    else:
        inside = math.nan
    if censored and hi >= first:
        return math.nan, math.nan, True, math.nan, False
    miss = max(lo - last, first - hi, 0.0) / scale
    assumed = forecast.p is None
    alpha = 1 - (ASSUMED_COVERAGE if forecast.p is None else float(forecast.p))
    width = (hi - lo) / scale
    if not math.isfinite(width) or censored or alpha <= 0:
        interval = math.nan
    else:
        below, above = max(lo - last, 0.0) / scale, max(first - hi, 0.0) / scale
        interval = width + (2 / alpha) * (below + above)
    return inside, miss, censored, interval, assumed


def _row(
    question: Question,
    forecast: Forecast,
    standing: bool,
    until: dt.date | None,
    state: str,
    result: Outcome | None,
    provisional: bool,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "question": question.id,
        "forecaster": forecast.by,
        "kind": question.kind,
        "tags": question.tags,
        "status": state,
        "standing": standing,
        "basis": forecast.basis,
        "made": _day(forecast.made.earliest),
        "made_latest": _day(forecast.made.latest),
        "until": _day(until),
        "deadline": _day(question.deadline.latest),
        "known": _day(None if result is None else result.known.latest),
        "p": math.nan if forecast.p is None else forecast.p,
        "outcome": math.nan,
        "provisional": False,
        "timing_error": math.nan,
        "censored": False,
        "interval_score": math.nan,
        "coverage_assumed": False,
        "line": forecast.location.line,
    }
    row["excluded"] = _score_outcome(
        row, question, forecast, state, result, provisional
    )
    return row


def _exclusion(
    question: Question, state: str, result: Outcome | None, provisional: bool
) -> str | None:
    """Why forecasts on `question` are not scored, or None when they may be."""
    if question.unscorable:
        return "unscorable"
    if state == "void":
        return "void"
    if result is None:
        return state
    if result.result.kind == "provisional":
        return None if provisional else state
    return None if state == "resolved" else state


def _score_outcome(
    row: dict[str, Any],
    question: Question,
    forecast: Forecast,
    state: str,
    result: Outcome | None,
    provisional: bool,
) -> str:
    """Fill the outcome and window scores of `row`; return why it is excluded."""
    excluded = _exclusion(question, state, result, provisional)
    if excluded is not None:
        return excluded
    assert result is not None, "a forecast without an outcome is excluded"
    if result.result.kind == "provisional":
        row["outcome"], row["provisional"] = result.result.value, True
        return ""
    if question.kind == "binary":
        row["outcome"] = result.result.value
        return ""
    return _window_outcome(row, question, forecast, result)


def _window_outcome(
    row: dict[str, Any], question: Question, forecast: Forecast, result: Outcome
) -> str:
    """Fill the window scores of `row`; return why it is excluded."""
    inside, miss, censored, interval, assumed = _window_scores(
        question, forecast, result
    )
    row.update(
        outcome=inside,
        timing_error=miss,
        censored=censored,
        interval_score=interval,
        coverage_assumed=assumed,
    )
    if math.isnan(inside) and math.isnan(miss):
        return "undetermined"
    if forecast.p is None:
        return "no probability"
    return "undetermined" if math.isnan(inside) else ""


def _untils(
    forecasts: Sequence[Forecast], question: Question, result: Outcome | None
) -> list[dt.date | None]:
    """When each of `forecasts` (in order) stopped standing.

    Its forecaster's next forecast replaces it; the question closes the day
    after its deadline; no day from the one the outcome was known counts. With
    no outcome yet, only a later forecast ends it (None: it still stands).
    One pass from the end, remembering each forecaster's next forecast.
    """
    closing: list[dt.date] = []
    if result is not None:
        closed = question.deadline.latest + dt.timedelta(days=1)
        closing = [closed, result.known.latest]
    following: dict[str, dt.date] = {}
    untils: list[dt.date | None] = [None] * len(forecasts)
    for i in range(len(forecasts) - 1, -1, -1):
        forecast = forecasts[i]
        ends = [following[forecast.by]] if forecast.by in following else []
        ends += closing
        untils[i] = min(ends) if ends else None
        following[forecast.by] = forecast.made.earliest
    return untils


def frame(ledger: Ledger, as_of: dt.date, *, provisional: bool = False) -> pd.DataFrame:
    """The tidy frame of `ledger` as of `as_of` (see the module docstring).

    Args:
        ledger: a validated ledger.
        as_of: only outcomes known on or before this day count.
        provisional: score provisional outcomes (market prices on open questions).

    Returns:
        One row per forecast made by its question's deadline, columns `SCHEMA`.
    """
    with gc_paused():  # many small objects, none in cycles: see loader.gc_paused
        return _frame(ledger, as_of, provisional)


_PER_FORECAST = (
    "forecaster",
    "standing",
    "basis",
    "made",
    "made_latest",
    "until",
    "p",
    "line",
)
_DATES = ("made", "made_latest", "until", "deadline", "known")


def _frame(ledger: Ledger, as_of: dt.date, provisional: bool) -> pd.DataFrame:
    # Built column by column: one list per column, extended a question at a
    # time. A binary question's outcome and exclusion are the question's own,
    # so its row template is made once and only the forecast's fields vary.
    questions = index(ledger)
    columns: dict[str, list[Any]] = {name: [] for name in SCHEMA}
    for question in ledger.questions:
        result = outcome(question, questions, as_of)
        state = status(question, result, as_of)
        counted = timely(question, as_of)
        standing = set(map(id, standing_among(counted)))
        untils = _untils(counted, question, result)
        if question.kind != "binary" or not counted:
            for forecast, until in zip(counted, untils, strict=True):
                row = _row(
                    question,
                    forecast,
                    id(forecast) in standing,
                    until,
                    state,
                    result,
                    provisional,
                )
                for name, values in columns.items():
                    values.append(row[name])
            continue
        template = _row(question, counted[0], True, None, state, result, provisional)
        count = len(counted)
        for name, values in columns.items():
            if name not in _PER_FORECAST:
                values.extend([template[name]] * count)
        columns["forecaster"].extend([f.by for f in counted])
        columns["standing"].extend([id(f) in standing for f in counted])
        columns["basis"].extend([f.basis for f in counted])
        columns["made"].extend([_day(f.made.earliest) for f in counted])
        columns["made_latest"].extend([_day(f.made.latest) for f in counted])
        columns["until"].extend([_day(until) for until in untils])
        columns["p"].extend([math.nan if f.p is None else f.p for f in counted])
        columns["line"].extend([f.location.line for f in counted])
    if not columns["question"]:
        return pd.DataFrame([], columns=list(SCHEMA)).astype(SCHEMA)
    data: dict[str, Any] = dict(columns)
    for name in _DATES:
        data[name] = np.array(columns[name], dtype="datetime64[s]")
    tags = np.empty(len(columns["tags"]), dtype=object)
    tags[:] = columns["tags"]  # a column of tuples, never a 2-D array
    data["tags"] = tags
    return pd.DataFrame(data, columns=list(SCHEMA)).astype(SCHEMA)


def years(start: pd.Series, end: pd.Series) -> pd.Series:
    """Distance in years (365.25 days) between two datetime columns."""
    return (end - start).dt.days / 365.25


__all__ = ["ASSUMED_COVERAGE", "EXCLUDED", "SCHEMA", "frame", "years"]
