"""What needs the keeper's attention as of a date: `ledger due`.

Four lists (five with `--sync`), built from plain rows (no pandas, so the
command starts fast):

- **Overdue**: questions whose deadline (its latest reading) has passed with no
  outcome as of the date (status `due` in `rules`), most overdue first.
- **Upcoming**: open questions whose deadline falls within a window from the
  date (`90d`, `12w`, `6m`, `1y`), soonest first.
- **Closing**: windows of standing forecasts on open or due date questions
  that end (latest reading) by the end of the window from the date, soonest
  first: those already closed are to be checked (did the event happen in
  them?), and record `not-yet` if it did not. A window a not-yet entry has
  already closed (it ended on or before the entry's day) is not listed.
- **Stale**: standing forecasts on open or due questions made (latest reading)
  more than a year (365 days) before the date, oldest first. Only forecasts made
  by the date count, so a past view is rebuilt as it stood then.

With `ledger due --sync` (or `--responses DIR`, from a sync's saved
responses), a fifth list: **resolved at the source**, the questions whose
resolver says they have resolved (a `resolve` that `ledger sync --apply`
would append) but whose outcome the ledger has not recorded yet.

`deadlines` lists every open or due question, and `closings` every window
of a standing forecast on one that has not closed yet, for `ledger due --ics`
(`ledger.show.calendar` writes them as iCalendar). `ledger.show.due` writes
the report as a table, CSV or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.core.dates import DateError, parse_offset
from ledger.core.numbers import foreign_digit
from ledger.core.rules import index, not_yet, outcome, standing_forecasts, status
from ledger.core.windows import closes
from ledger.query.listing import window_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from dateutil.relativedelta import relativedelta

    from ledger.core.model import Forecast, Ledger, Outcome, Question
    from ledger.sync.plan import Action

STALE_DAYS = 365
SECTIONS = ("overdue", "upcoming", "closing", "stale", "at_source")


@dataclass(frozen=True, slots=True)
class Report:
    """The four lists as of a date, each a list of plain JSON-ready rows."""

    as_of: dt.date
    within_days: int
    until: dt.date
    overdue: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    closing: list[dict[str, Any]]
    stale: list[dict[str, Any]]
    at_source: list[dict[str, Any]] | None = None  # None: the sources were not asked


def at_source(ledger: Ledger, actions: Sequence[Action]) -> list[dict[str, Any]]:
    """Rows for the questions a sync would resolve (its `resolve` actions)."""
    titles = {q.id: q.title for q in ledger.questions}
    return [
        {
            "question": action.question,
            "title": titles.get(action.question, ""),
            "source": action.source,
            "result": action.result,
            "known": str(action.known),
            "evidence": list(action.evidence),
        }
        for action in actions
        if action.action == "resolve"
    ]


def parse_within(text: str) -> relativedelta:
    """Read a window such as `90d`, `12w`, `6m` or `1y` (a leading `+` is allowed).

    >>> parse_within("12w")
    relativedelta(days=+84)
    >>> parse_within("soon")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 'soon' is not a window; write a whole number followed by d, w, m or y...
    """
    foreign = foreign_digit(text)
    if foreign is not None:
        raise ValueError(f"malformed window: {foreign}")
    cleaned = text.strip().lower()
    try:
        return parse_offset(cleaned if cleaned.startswith("+") else "+" + cleaned)
    except DateError:
        raise ValueError(
            f"'{text}' is not a window; write a whole number followed by d, w, m or y, "
            "like 90d, 12w, 6m or 1y"
        ) from None


def window_end(as_of: dt.date, within: relativedelta, text: str = "") -> dt.date:
    """The last day of the window: `as_of` plus `within` (calendar arithmetic)."""
    try:
        return as_of + within
    except (OverflowError, ValueError):
        raise ValueError(f"window '{text}' reaches past the year 9999") from None


def span(days: int) -> str:
    """A short human duration such as '2y 5m', '3m' or '12d' (a year is 365 days).

    >>> span(900), span(-95), span(12)
    ('2y 5m', '3m', '12d')
    """
    days = abs(days)
    years, rest = divmod(days, 365)
    months = rest // 30
    if years:
        return f"{years}y {months}m" if months else f"{years}y"
    return f"{months}m" if months else f"{days}d"


def _question_row(question: Question, days: int) -> dict[str, Any]:
    return {
        "question": question.id,
        "title": question.title,
        "kind": question.kind,
        "deadline": str(question.deadline),
        "deadline_latest": question.deadline.latest.isoformat(),
        "days": days,
        "span": span(days),
    }


def _closing_row(
    question: Question, forecast: Forecast, end: dt.date, as_of: dt.date
) -> dict[str, Any]:
    days = (end - as_of).days
    start, _ = window_text(forecast)
    return {
        "question": question.id,
        "title": question.title,
        "forecaster": forecast.by,
        "window": f"{start or '…'}..{end.isoformat()}",  # at its widest
        "closes": end.isoformat(),
        "days": days,
        "span": span(days),
        "closed": days < 0,
        "line": forecast.location.line,
    }


def _stale_row(
    question: Question, forecast: Forecast, age: int, state: str
) -> dict[str, Any]:
    return {
        "question": question.id,
        "title": question.title,
        "forecaster": forecast.by,
        "made": str(forecast.made),
        "age_days": age,
        "span": span(age),
        "status": state,
        "line": forecast.location.line,
    }


def window_closings(
    question: Question, standing: Outcome | None, as_of: dt.date
) -> list[tuple[Forecast, dt.date]]:
    """The standing forecasts' windows on a date question still to be checked.

    Each with its last day (widest reading), in order of `made`; a window a
    not-yet entry already closed (it ended on or before the entry's day) is
    left out. `standing` is the question's standing outcome as of `as_of`.
    """
    if question.kind != "date":
        return []
    checked = not_yet(question, standing, as_of)
    found = []
    for forecast in standing_forecasts(question, as_of):
        end = None if forecast.window is None else closes(forecast.window)
        if end is not None and (checked is None or end > checked):
            found.append((forecast, end))
    return found


def report(ledger: Ledger, as_of: dt.date, until: dt.date) -> Report:
    """Overdue questions, deadlines and window ends up to `until`, stale forecasts."""
    questions = index(ledger)
    overdue: list[dict[str, Any]] = []
    upcoming: list[dict[str, Any]] = []
    closing: list[dict[str, Any]] = []
    stale: list[dict[str, Any]] = []
    for question in ledger.questions:
        standing = outcome(question, questions, as_of)
        state = status(question, standing, as_of)
        if state not in ("open", "due"):
            continue
        deadline = question.deadline.latest
        if state == "due":
            overdue.append(_question_row(question, (as_of - deadline).days))
        elif deadline <= until:
            upcoming.append(_question_row(question, (deadline - as_of).days))
        for forecast, end in window_closings(question, standing, as_of):
            if end <= until:
                closing.append(_closing_row(question, forecast, end, as_of))
        for forecast in standing_forecasts(question, as_of):
            age = (as_of - forecast.made.latest).days
            if age > STALE_DAYS:
                stale.append(_stale_row(question, forecast, age, state))
    overdue.sort(key=lambda row: (-row["days"], row["question"]))
    upcoming.sort(key=lambda row: (row["days"], row["question"]))
    closing.sort(key=lambda row: (row["days"], row["question"], row["forecaster"]))
    stale.sort(key=lambda row: (-row["age_days"], row["question"], row["forecaster"]))
    within = (until - as_of).days
    return Report(as_of, within, until, overdue, upcoming, closing, stale)


def deadlines(ledger: Ledger, as_of: dt.date) -> list[Question]:
    """The open and due questions as of `as_of`, by deadline (latest day), then id."""
    questions = index(ledger)
    chosen = [
        q for q in ledger.questions
        if status(q, outcome(q, questions, as_of), as_of) in ("open", "due")
    ]
    chosen.sort(key=lambda q: (q.deadline.latest, q.id))
    return chosen


def closings(
    ledger: Ledger, as_of: dt.date
) -> list[tuple[Question, Forecast, dt.date]]:
    """Every window still to be checked on an open or due date question, as of `as_of`.

    (question, forecast, last day), by last day, then question id and
    forecaster (see `window_closings`).
    """
    questions = index(ledger)
    found = []
    for question in ledger.questions:
        standing = outcome(question, questions, as_of)
        if status(question, standing, as_of) not in ("open", "due"):
            continue
        for forecast, end in window_closings(question, standing, as_of):
            found.append((question, forecast, end))
    found.sort(key=lambda item: (item[2], item[0].id, item[1].by))
    return found
