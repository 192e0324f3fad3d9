"""What needs the keeper's attention as of a date: `ledger due`.

Three lists, built from plain rows (no pandas, so the command starts fast):

- **Overdue**: questions whose deadline (its latest reading) has passed with no
  outcome as of the date (status `due` in `rules`), most overdue first.
- **Upcoming**: open questions whose deadline falls within a window from the
  date (`90d`, `12w`, `6m`, `1y`), soonest first.
- **Stale**: standing forecasts on open or due questions made (latest reading)
  more than a year (365 days) before the date, oldest first. Only forecasts made
  by the date count, so a past view is rebuilt as it stood then.

With `ledger due --sync` (or `--responses DIR`, from a sync's saved
responses), a fourth list: **resolved at the source**, the questions whose
resolver says they have resolved (a `resolve` that `ledger sync --apply`
would append) but whose outcome the ledger has not recorded yet.

`deadlines` lists every open or due question, for `ledger due --ics`
(`ledger.show.calendar` writes them as iCalendar). `ledger.show.due` writes
the report as a table, CSV or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.core.dates import DateError, parse_offset
from ledger.core.rules import index, outcome, standing_forecasts, status

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from dateutil.relativedelta import relativedelta

    from ledger.core.model import Ledger, Question
    from ledger.sync.plan import Action

STALE_DAYS = 365
SECTIONS = ("overdue", "upcoming", "stale", "at_source")


@dataclass(frozen=True, slots=True)
class Report:
    """The three lists as of a date, each a list of plain JSON-ready rows."""

    as_of: dt.date
    within_days: int
    until: dt.date
    overdue: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
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


def report(ledger: Ledger, as_of: dt.date, until: dt.date) -> Report:
    """Overdue questions, deadlines up to `until`, and stale standing forecasts."""
    questions = index(ledger)
    overdue: list[dict[str, Any]] = []
    upcoming: list[dict[str, Any]] = []
    stale: list[dict[str, Any]] = []
    for question in ledger.questions:
        state = status(question, outcome(question, questions, as_of), as_of)
        if state not in ("open", "due"):
            continue
        deadline = question.deadline.latest
        if state == "due":
            overdue.append(_question_row(question, (as_of - deadline).days))
        elif deadline <= until:
            upcoming.append(_question_row(question, (deadline - as_of).days))
        for forecast in standing_forecasts(question, as_of):
            age = (as_of - forecast.made.latest).days
            if age > STALE_DAYS:
                stale.append({
                    "question": question.id,
                    "title": question.title,
                    "forecaster": forecast.by,
                    "made": str(forecast.made),
                    "age_days": age,
                    "span": span(age),
                    "status": state,
                    "line": forecast.location.line,
                })
    overdue.sort(key=lambda row: (-row["days"], row["question"]))
    upcoming.sort(key=lambda row: (row["days"], row["question"]))
    stale.sort(key=lambda row: (-row["age_days"], row["question"], row["forecaster"]))
    return Report(as_of, (until - as_of).days, until, overdue, upcoming, stale)


def deadlines(ledger: Ledger, as_of: dt.date) -> list[Question]:
    """The open and due questions as of `as_of`, by deadline (latest day), then id."""
    questions = index(ledger)
    chosen = [
        q for q in ledger.questions
        if status(q, outcome(q, questions, as_of), as_of) in ("open", "due")
    ]
    chosen.sort(key=lambda q: (q.deadline.latest, q.id))
    return chosen
