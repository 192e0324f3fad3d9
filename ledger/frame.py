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
error that is a lower bound (`censored`), and a window with an open end that
starts by the day after the deadline as inside (under every reading, the event
comes later or never). A window that reaches past the deadline with a finite
end is undetermined.

A `not-yet` entry (`rules.not_yet`) on a date question still open or due
closes every window that ended on or before its day: each is a miss, scored
like a window missed by a `no` (timing error a lower bound, `known` the
not-yet day), while every other window stays open or due.

A window also gets `timing_error`: 0 inside, else the distance to its nearer
end, in years (365.25 days) for a date question and in the question's unit for
a numeric one; and `interval_score`, Gneiting & Raftery's (2007) interval score
in the same units, with alpha = 1 - p, or an assumed 50% coverage
(`coverage_assumed`, ASSUMED_COVERAGE) when the window has no p. An open-ended
window, a censored miss and a window with p = 1 get no interval score.
`window_start` and `window_end` are a date window's ends at their widest
(NaT for an open end, and on other questions), `window_width` its width in
the same units as the timing error (inf with an open end), and `unit` the
question's unit. `table` and `words` are a mapped forecast's.

Quantiles (`quantile_levels`, `quantile_values`, `quantile_score`, `wis`,
`quantile_censored`, `quantile_below`) and a date or numeric question's result
as numbers (`result_low`, `result_high`) are `ledger.core.quantiles.settle`'s.

`excluded` says why a standing forecast is not scored: `open`, `due`, `void`,
`unscorable`, `no probability` (a window with no p, or quantiles: still scored
by timing error and interval score, or quantile score), or `undetermined`. The
empty string means it is scored.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ledger.core import quantiles, windows
from ledger.core.dates import When
from ledger.core.memory import gc_paused
from ledger.core.rules import (
    STATUSES,
    index,
    not_yet,
    outcome,
    standing_among,
    status,
    timely,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ledger.core.model import Forecast, Ledger, Location, Outcome, Question

ASSUMED_COVERAGE = windows.ASSUMED_COVERAGE
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
    "window_start": "datetime64[s]",
    "window_end": "datetime64[s]",
    "window_width": "float64",
    "quantile_levels": "object",
    "quantile_values": "object",
    "quantile_score": "float64",
    "wis": "float64",
    "quantile_censored": "bool",
    "quantile_below": "object",
    "result_low": "float64",
    "result_high": "float64",
    "unit": "category",
    "table": "category",
    "words": "object",
    "line": "int64",
}
"""Every column of the frame and its dtype, declared once (categories included,
so an empty ledger gives exactly the same dtypes)."""


_NAT = np.datetime64("NaT", "s")


@functools.lru_cache(maxsize=65_536)
def _day(value: dt.date | None) -> np.datetime64:
    # Memoised: a big ledger repeats the same few days many times over.
    return _NAT if value is None else np.datetime64(value, "s")


@dataclass(frozen=True, slots=True)
class _Judged:
    """What a question's forecasts are scored against, as of the frame's day.

    `state` and `result` are the question's status and standing outcome,
    `not_yet` the day of its interim not-yet observation (`rules.not_yet`),
    and `provisional` whether provisional outcomes are scored.
    """

    state: str
    result: Outcome | None
    not_yet: dt.date | None
    provisional: bool


def _window_fields(row: dict[str, Any], question: Question, forecast: Forecast) -> None:
    """Set `window_start`, `window_end` (date questions) and `window_width` of `row`."""
    window = forecast.window
    if window is None:
        row["window_start"] = row["window_end"] = _NAT
        row["window_width"] = math.nan
        return
    start, end = window.start, window.end
    if isinstance(start, When) or isinstance(end, When):
        row["window_start"] = _day(start.earliest) if isinstance(start, When) else _NAT
        row["window_end"] = _day(end.latest) if isinstance(end, When) else _NAT
    else:
        row["window_start"] = row["window_end"] = _NAT
    lo, hi = windows.ends(window)
    row["window_width"] = (hi - lo) / windows.unit_days(question.kind)


def _row(
    question: Question,
    forecast: Forecast,
    standing: bool,
    until: dt.date | None,
    judged: _Judged,
) -> dict[str, Any]:
    result = judged.result
    row: dict[str, Any] = {
        "question": question.id,
        "forecaster": forecast.by,
        "kind": question.kind,
        "tags": question.tags,
        "status": judged.state,
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
        "unit": question.unit,
        "table": forecast.table,
        "words": forecast.words,
        "line": forecast.location.line,
        **quantiles.EMPTY,
    }
    _window_fields(row, question, forecast)
    reason = row["excluded"] = _score_outcome(row, question, forecast, judged)
    if question.kind != "binary":  # quantiles, and the result as numbers
        row.update(found := quantiles.settle(question, forecast, reason, judged))
        if "known" in found:  # closed by a not-yet entry
            row["known"] = _day(found["known"])
    closed = row["censored"] or row["quantile_censored"]
    if judged.not_yet is not None and closed and result is None:
        closed = judged.not_yet  # it stood until the not-yet day at the latest
        row["until"] = _day(closed if until is None else min(until, closed))
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
    row: dict[str, Any], question: Question, forecast: Forecast, judged: _Judged
) -> str:
    """Fill the outcome and window scores of `row`; return why it is excluded."""
    result = judged.result
    excluded = _exclusion(question, judged.state, result, judged.provisional)
    if excluded is not None:
        if judged.not_yet is not None and excluded in ("open", "due"):
            return _closed_window(row, question, forecast, judged.not_yet, excluded)
        return excluded
    assert result is not None, "a forecast without an outcome is excluded"
    if result.result.kind == "provisional":
        row["outcome"], row["provisional"] = result.result.value, True
        return ""
    if question.kind == "binary":
        row["outcome"] = result.result.value
        return ""
    if forecast.window is None:
        return "undetermined"  # no window to score; its quantiles may be
    after = question.deadline.latest if result.result.kind == "no" else None
    return _window_outcome(row, question, forecast, result, after)


def _closed_window(
    row: dict[str, Any],
    question: Question,
    forecast: Forecast,
    day: dt.date,
    state: str,
) -> str:
    """A window on a question with a not-yet entry on `day`: a miss if it closed.

    A window that ended on or before `day` is scored as a miss by at least the
    distance to the day after; any other stays `state` (open or due).
    """
    if forecast.window is None:
        return state
    found = windows.score(question.kind, forecast.window, forecast.p, None, day)
    if found.inside != 0.0:
        return state
    row.update(
        outcome=0.0,
        timing_error=found.miss,
        censored=True,
        coverage_assumed=found.assumed,
        known=_day(day),
    )
    return "" if forecast.p is not None else "no probability"


def _window_outcome(
    row: dict[str, Any],
    question: Question,
    forecast: Forecast,
    result: Outcome,
    after: dt.date | None,
) -> str:
    """Fill the window scores of `row`; return why it is excluded."""
    assert forecast.window is not None
    inside, miss, censored, interval, assumed = windows.score(
        question.kind, forecast.window, forecast.p, result.result.value, after
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
        last = question.deadline.latest  # 9999-12-31 has no day after it
        closed = last + dt.timedelta(days=1) if last < dt.date.max else last
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


def frame(
    ledger: Ledger,
    as_of: dt.date,
    *,
    provisional: bool = False,
    as_recorded: bool = False,
    entered: Mapping[Location, dt.date] | None = None,
) -> pd.DataFrame:
    """The tidy frame of `ledger` as of `as_of` (see the module docstring).

    Args:
        ledger: a validated ledger.
        as_of: only outcomes known on or before this day count.
        provisional: score provisional outcomes (market prices on open questions).
        as_recorded: count only outcomes also recorded by `as_of` (the view
            that could have been published that day).
        entered: with `as_recorded`, the day each forecast was first entered
            (by location; `ledger.query.hindsight.entered_days`): a forecast
            entered after `as_of` does not count.

    Returns:
        One row per forecast made by its question's deadline, columns `SCHEMA`.
    """
    view = _View(as_of, provisional, as_recorded, entered if as_recorded else None)
    with gc_paused():  # many small objects, none in cycles: see loader.gc_paused
        return _frame(ledger, view)


@dataclass(frozen=True, slots=True)
class _View:
    """`frame`'s day and options."""

    as_of: dt.date
    provisional: bool
    as_recorded: bool
    entered: Mapping[Location, dt.date] | None


_PER_FORECAST = (
    "forecaster",
    "standing",
    "basis",
    "made",
    "made_latest",
    "until",
    "p",
    "table",
    "words",
    "line",
)
_DATES = (
    "made", "made_latest", "until", "deadline", "known", "window_start", "window_end"
)


def _judged(
    question: Question, questions: Mapping[str, Question], view: _View
) -> _Judged:
    """What `question`'s forecasts are scored against in `view`."""
    result = outcome(question, questions, view.as_of, as_recorded=view.as_recorded)
    state = status(question, result, view.as_of)
    interim = None
    if question.kind == "date" and question.outcomes:
        interim = not_yet(question, result, view.as_of, as_recorded=view.as_recorded)
    return _Judged(state, result, interim, view.provisional)


def _frame(ledger: Ledger, view: _View) -> pd.DataFrame:
    # Built column by column: one list per column, extended a question at a
    # time. A binary question's outcome and exclusion are the question's own,
    # so its row template is made once and only the forecast's fields vary.
    questions = index(ledger)
    columns: dict[str, list[Any]] = {name: [] for name in SCHEMA}
    for question in ledger.questions:
        judged = _judged(question, questions, view)
        counted = timely(question, view.as_of, view.entered)
        standing = set(map(id, standing_among(counted)))
        untils = _untils(counted, question, judged.result)
        if question.kind != "binary" or not counted:
            for forecast, until in zip(counted, untils, strict=True):
                row = _row(question, forecast, id(forecast) in standing, until, judged)
                for name, values in columns.items():
                    values.append(row[name])
            continue
        template = _row(question, counted[0], True, None, judged)
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
        columns["table"].extend([f.table for f in counted])
        columns["words"].extend([f.words for f in counted])
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
