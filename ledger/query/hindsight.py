"""Hindsight: when each forecast was entered, and when each question's criteria were.

A forecast written down long after it was made, or a question whose criteria
were written after the forecasts on it, may have been shaped by what happened
in between. `hindsight` says, per forecast, when it was entered:

- with git history (`ledger.query.history`, of the ledger's every file), the
  day of the first commit that holds it (`ledger.query.verify` identifies a
  forecast across versions and files); a forecast no commit holds yet is
  entered on `now` (the day the command runs), unless it has an `entered:`
  date;
- without git history, its `entered:` date (earliest reading), else unknown.

It is entered late when that is more than LATE_DAYS days after it was made
(latest reading of `made`, so the gap is never overstated). Per question, a
`written:` date more than LATE_DAYS days after a forecast was made (latest
reading) flags that forecast's criteria as written after it, with the gap.
`entered_days` gives the days for the as-recorded view of `ledger.frame`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ledger.core.rules import exists_from
from ledger.query.verify import forecasts, verify

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Forecast, Ledger, Location, Question
    from ledger.query.history import Commit, History

LATE_DAYS = 30
"""A forecast entered (or criteria written) more than this many days after it
was made is late."""

How = Literal["git", "entered", "uncommitted", "unknown"]
Found = tuple["dt.date | None", How, "str | None"]
"""When a forecast was entered, how that is known, and the commit (if by git)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """When one forecast was entered, and whether that was late.

    `how` says where `entered` comes from: the first commit that holds it
    (`git`, with `commit`), its `entered:` field, `uncommitted` (in the git
    working tree only: entered on `now`), or `unknown` (None).
    """

    question: str
    forecaster: str
    location: Location
    made: str
    entered: dt.date | None
    how: How
    commit: str | None
    late_days: int | None
    late: bool


@dataclass(frozen=True, slots=True)
class Criteria:
    """When a question's criteria were written, and the forecasts they came after.

    `after` holds (forecaster, location, days) for each forecast made more than
    LATE_DAYS days before the criteria were written.
    """

    question: str
    written: str | None
    exists_from: dt.date | None
    after: tuple[tuple[str, Location, int], ...]

    @property
    def late(self) -> bool:
        """Whether the criteria were written after a forecast."""
        return bool(self.after)


@dataclass(frozen=True, slots=True)
class Hindsight:
    """Every forecast's entry and every question's criteria; `source` says how."""

    source: str
    forecasts: tuple[Entry, ...]
    questions: tuple[Criteria, ...]

    def entered_days(self) -> dict[Location, dt.date]:
        """The day each forecast was entered, where known, by its location."""
        return {e.location: e.entered for e in self.forecasts if e.entered is not None}

    def late(self) -> list[Entry]:
        """The forecasts entered late, in file order."""
        return [e for e in self.forecasts if e.late]


def _entry(question: Question, forecast: Forecast, found: Found) -> Entry:
    entered, how, commit = found
    gap = None if entered is None else (entered - forecast.made.latest).days
    return Entry(
        question=question.id,
        forecaster=forecast.by,
        location=forecast.location,
        made=str(forecast.made),
        entered=entered,
        how=how,
        commit=commit,
        late_days=gap,
        late=gap is not None and gap > LATE_DAYS,
    )


def _field(forecast: Forecast) -> Found:
    """When the `entered:` field says the forecast was entered (None: unknown)."""
    if forecast.entered is None:
        return None, "unknown", None
    return forecast.entered.earliest, "entered", None


def _commits(ledger: Ledger, history: History) -> dict[Location, Commit | None]:
    """The first commit holding each forecast of the ledger (None: none)."""
    report = verify(ledger, history)
    by_key = {(p.question, p.forecaster, p.ordinal): p.commit for p in report.forecasts}
    return {
        forecast.location: by_key.get(key)
        for key, forecast in forecasts(ledger).items()
    }


def criteria(question: Question) -> Criteria:
    """When `question`'s criteria were written, and the forecasts made well before."""
    written = question.written
    after = []
    if written is not None:
        for forecast in question.forecasts:
            gap = (written.earliest - forecast.made.latest).days
            if gap > LATE_DAYS:
                after.append((forecast.by, forecast.location, gap))
    return Criteria(
        question=question.id,
        written=None if written is None else str(written),
        exists_from=exists_from(question),
        after=tuple(after),
    )


def hindsight(
    ledger: Ledger, history: History | None, now: dt.date
) -> Hindsight:
    """When each forecast was entered and each question's criteria written.

    Args:
        ledger: the current ledger.
        history: the git history of its files (`ledger.query.history.history`),
            or None when it has none.
        now: the day the command runs: a forecast in the git working tree that
            no commit holds yet is entered on it (unless it has `entered:`).

    Returns:
        The entries in file order of each question's forecasts, and every
        question's criteria.
    """
    commits = {} if history is None else _commits(ledger, history)
    entries = []
    for question in ledger.questions:
        for forecast in sorted(question.forecasts, key=lambda f: f.location.line):
            found = _field(forecast)
            if forecast.location in commits:
                commit = commits[forecast.location]
                if commit is not None:
                    found = commit.date, "git", commit.short
                elif forecast.entered is None:
                    found = now, "uncommitted", None
            entries.append(_entry(question, forecast, found))
    source = "git history" if history is not None else "entered: dates"
    return Hindsight(
        source, tuple(entries), tuple(criteria(q) for q in ledger.questions)
    )
