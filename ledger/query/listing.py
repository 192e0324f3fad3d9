"""The keeper's view of a ledger as of a date: questions, status, deadlines, forecasts.

Builds plain rows (no pandas) for `ledger list`: one per question, with its
forecasts nested. Due questions come first, most overdue first; then open ones
by deadline; then resolved and void ones. `ledger.show.lists` writes them as a
table, CSV or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.core.dates import When
from ledger.core.rules import (
    index,
    made_key,
    not_yet,
    outcome,
    standing_forecasts,
    status,
)
from ledger.core.text import exact

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from ledger.core.model import Bound, Forecast, Ledger, Question


@dataclass(frozen=True, slots=True)
class Filters:
    """What `ledger list` shows: empty means everything."""

    forecaster: str | None = None
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()


def _bound(bound: Bound, end: str) -> str:
    if bound is None:
        return ""
    if isinstance(bound, When):
        day = bound.earliest if end == "start" else bound.latest
        return day.isoformat()
    return exact(bound)


def window_text(forecast: Forecast) -> tuple[str, str]:
    """The widest reading of a forecast's window: (start, end); '' for an open end."""
    if forecast.window is None:
        return "", ""
    return _bound(forecast.window.start, "start"), _bound(forecast.window.end, "end")


def quantiles_rows(forecast: Forecast) -> list[dict[str, Any]] | None:
    """A forecast's quantiles as `[{"level", "value"}]`: a number, or a date as written.

    A date written relative to `made` (+5y) is its day, or its readings
    `earliest..latest`; None without quantiles.
    """
    given = forecast.quantiles
    if given is None:
        return None
    return [
        {"level": level, "value": str(value) if isinstance(value, When) else value}
        for level, value in zip(given.levels, given.values, strict=True)
    ]


def _forecast_row(forecast: Forecast, standing: bool) -> dict[str, Any]:
    start, end = window_text(forecast)
    return {
        "by": forecast.by,
        "made": str(forecast.made),
        "p": forecast.p,
        "window": None if forecast.window is None else [start or None, end or None],
        "window_as_written": None if forecast.window is None else forecast.window.text,
        "quantiles": quantiles_rows(forecast),
        "basis": forecast.basis,
        "table": forecast.table,
        "words": forecast.words,
        "source": forecast.source,
        "quote": forecast.quote,
        "entered": None if forecast.entered is None else str(forecast.entered),
        "standing": standing,
        "line": forecast.location.line,
    }


def rows(
    ledger: Ledger, as_of: dt.date, filters: Filters = Filters()
) -> list[dict[str, Any]]:
    """One row per question (with its forecasts nested), filtered and sorted."""
    return list(iter_rows(ledger, as_of, filters))


def iter_rows(
    ledger: Ledger, as_of: dt.date, filters: Filters = Filters()
) -> Iterator[dict[str, Any]]:
    """`rows`, one at a time: each question's row is built only when it is asked for.

    The order (status, latest deadline, id) is found first, from each
    question's status alone, so a listing of a big ledger is written as it
    is made instead of held whole.
    """
    questions = index(ledger)
    rank = {name: n for n, name in enumerate(("due", "open", "resolved", "void"))}
    chosen = []
    for question in ledger.questions:
        standing = outcome(question, questions, as_of)
        state = status(question, standing, as_of)
        if filters.statuses and state not in filters.statuses:
            continue
        if filters.tags and not set(filters.tags) & set(question.tags):
            continue
        if filters.forecaster is not None and not any(
            f.by == filters.forecaster and f.made.earliest <= as_of
            for f in question.forecasts
        ):
            continue
        key = (rank[state], question.deadline.latest, question.id)
        chosen.append((key, question, state, standing))
    chosen.sort(key=lambda item: item[0])
    for _, question, state, standing in chosen:
        current = set(map(id, standing_forecasts(question, as_of)))
        forecasts = [
            _forecast_row(f, id(f) in current)
            for f in sorted(question.forecasts, key=made_key)
            if f.made.earliest <= as_of
            and (filters.forecaster is None or f.by == filters.forecaster)
        ]
        yield _question_row(question, state, standing, forecasts, as_of)


def _question_row(
    question: Question,
    state: str,
    standing: Any,
    forecasts: list[dict[str, Any]],
    as_of: dt.date,
) -> dict[str, Any]:
    latest = question.deadline.latest
    interim = not_yet(question, standing, as_of) if question.kind == "date" else None
    return {
        "id": question.id,
        "title": question.title,
        "kind": question.kind,
        "status": state,
        "deadline": str(question.deadline),
        "deadline_latest": latest.isoformat(),
        "days_to_deadline": (latest - as_of).days,
        "assess": question.assess,
        "written": None if question.written is None else str(question.written),
        "not_yet": None if interim is None else interim.isoformat(),
        "tags": list(question.tags),
        "unscorable": question.unscorable,
        "outcome": None
        if standing is None
        else {
            "result": str(standing.result),
            "known": str(standing.known),
            "derived": standing.derived,
        },
        "forecasts": forecasts,
    }
