"""The ledger as of a day: what every report page reads, each thing computed once.

A `Book` holds the ledger, the report's as-of date and its `View`, and
caches by day the frame (`ledger.frame`), the scored standing forecasts,
what `rules` says of each question, and the comparisons' shared questions: a
year page reads the ledger as it stood at the end of its year, and every page
reads the view as of the as-of date again.

**What existed.** A question exists from its `written:` date, else its first
forecast (`rules.exists_from`); as of a day before that, a page shows nothing
of it (`frame` drops its rows, `existing` leaves it out), so a past year's
scorecard describes only what the ledger held then. Its forecasts are still
listed as made in their year (`all_rows`), flagged as made before the
question was written.

**As known, or as recorded** (`View.as_recorded`): as known, an outcome
counts from the day it became known, even when it was written down later; as
recorded, only outcomes recorded by the day count, and only forecasts entered
by then (`ledger.frame`'s as-recorded view).

**Entry dates** (`hindsight`, `ledger.query.hindsight`) come from the
ledger file's git history, read only up to the as-of date so that later
commits never change a report (`View.history`), else from `entered:`
fields. A forecast no commit up to the as-of date holds is "not committed
by" it: as recorded, it does not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

from ledger import compare as comparing
from ledger.core import rules
from ledger.frame import frame as make_frame
from ledger.query.hindsight import Criteria, Entry, Hindsight, criteria, hindsight
from ledger.report.escape import safe_url
from ledger.score import scorecard

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    import pandas as pd

    from ledger.core.model import (
        Forecast,
        Ledger,
        Location,
        Outcome,
        Question,
        Source,
    )
    from ledger.query.history import History

State = tuple["rules.Status", "Outcome | None"]
"""A question's status as of a day and its standing outcome (None: none yet)."""

WINDOW_FIELDS = (
    "status", "excluded", "known", "outcome", "timing_error", "censored",
    "interval_score", "coverage_assumed", "window_end", "window_width",
)
"""The frame's columns `Book.rows` gives for each window."""


QUANTILE_COLUMNS = (
    "excluded", "quantile_levels", "quantile_score", "wis", "quantile_censored",
    "result_low", "result_high",
)
"""The frame's columns a quantile forecast's fan reads (`ledger.report.fans`)."""


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of `frame` as dicts keyed by column name."""
    # The frames' columns are all named by strings (pandas types them Hashable).
    return cast("list[dict[str, Any]]", frame.to_dict("records"))


def default_years(ledger: Ledger, as_of: dt.date) -> list[int]:
    """Every year from the ledger's first to `as_of`'s, empty years included.

    The first year is the earliest in which, by `as_of`, a forecast was made,
    an outcome became known or a question was written (`rules.exists_from`);
    an empty ledger has none.
    """
    questions = rules.index(ledger)
    years = set()
    for question in ledger.questions:
        years |= {f.made.earliest.year for f in rules.timely(question, as_of)}
        start = rules.exists_from(question)
        if start is not None and start <= as_of:
            years.add(start.year)
        found = rules.outcome(question, questions, as_of)
        if found is not None and rules.status(question, found, as_of) in (
            "resolved",
            "void",
        ):
            years.add(found.known.latest.year)
    return list(range(min(years), as_of.year + 1)) if years else []


@dataclass(frozen=True, slots=True)
class View:
    """How a report reads the ledger (see the module docstring).

    `as_recorded`: count only outcomes recorded, and forecasts entered, by
    each page's day. `history`: the git history of the ledger's files
    (`ledger.query.history.history`), or None when it has none; only commits
    dated on or before the as-of date are read. `frames`: the frame of the
    ledger as of a day, from the frame cache (`ledger.columnar.cache`, given
    by the command line), used in the view as known.
    """

    as_recorded: bool = False
    history: History | None = None
    frames: Callable[[dt.date], pd.DataFrame] | None = None


@dataclass
class Book:
    """The ledger and what every page needs from it, with frames cached by day."""

    ledger: Ledger
    as_of: dt.date
    view: View = field(default_factory=View)
    questions: dict[str, Question] = field(init=False)
    names: dict[str, str] = field(init=False)
    sources: dict[str, Source] = field(init=False)
    _frames: dict[dt.date, pd.DataFrame] = field(default_factory=dict, init=False)
    _shared: dict[dt.date, list[dict[str, Any]]] = field(
        default_factory=dict, init=False
    )
    _together: dict[dt.date, dict[str, list[str]]] = field(
        default_factory=dict, init=False
    )
    _rows: dict[dt.date, dict[tuple[str, int], dict[str, Any]]] = field(
        default_factory=dict, init=False
    )
    _scores: dict[dt.date, dict[tuple[str, str], dict[str, Any]]] = field(
        default_factory=dict, init=False
    )
    # Per day, by id(question): what `rules` says, computed once (every page
    # asks again, and a big ledger has a hundred thousand questions).
    _states: dict[dt.date, dict[int, State]] = field(
        default_factory=dict, init=False
    )
    _timely: dict[dt.date, dict[int, tuple[Forecast, ...]]] = field(
        default_factory=dict, init=False
    )
    _standing: dict[dt.date, dict[int, tuple[Forecast, ...]]] = field(
        default_factory=dict, init=False
    )
    _tables: list[str] | None = field(default=None, init=False)
    _urls: dict[int, str | None] = field(default_factory=dict, init=False)
    _all: dict[dt.date, pd.DataFrame] = field(default_factory=dict, init=False)
    _existing: dict[dt.date, list[Question]] = field(default_factory=dict, init=False)
    _hindsight: Hindsight | None = field(default=None, init=False)
    _entries: dict[Location, Entry] | None = field(default=None, init=False)
    _entered: dict[Location, dt.date] | None = field(default=None, init=False)
    _criteria: dict[int, Criteria] = field(default_factory=dict, init=False)
    _memo: dict[tuple[str, dt.date], Any] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.questions = rules.index(self.ledger)
        self.names = {f.id: f.name for f in self.ledger.forecasters}
        self.sources = {s.id: s for s in self.ledger.sources}

    def hindsight(self) -> Hindsight:
        """When each forecast was entered (`ledger.query.hindsight`), made once.

        From the commits dated on or before the as-of date (`View`); a
        forecast none of them holds is entered on the as-of date at the
        earliest (`how` is "uncommitted").
        """
        if self._hindsight is None:
            found = self.view.history
            if found is not None:
                versions = tuple(
                    v for v in found.versions if v.commit.date <= self.as_of
                )
                found = replace(found, versions=versions)
            self._hindsight = hindsight(self.ledger, found, self.as_of)
        return self._hindsight

    def entry(self, forecast: Forecast) -> Entry | None:
        """When `forecast` was entered, or None when nothing says so."""
        if self._entries is None:
            forecasts = (f for q in self.ledger.questions for f in q.forecasts)
            if self.view.history is None and all(
                f.entered is None for f in forecasts
            ):  # no git history and no `entered:`: nothing is known (a fast path)
                self._entries = {}
            else:
                self._entries = {e.location: e for e in self.hindsight().forecasts}
        found = self._entries.get(forecast.location)
        return found if found is not None and found.entered is not None else None

    def criteria(self, question: Question) -> Criteria:
        """When `question`'s criteria were written (`hindsight.criteria`), made once."""
        if id(question) not in self._criteria:
            self._criteria[id(question)] = criteria(question)
        return self._criteria[id(question)]

    def memo(self, name: str, day: dt.date, make: Callable[[], Any]) -> Any:
        """`make()`, computed once per `name` and `day` (what several pages share)."""
        key = (name, day)
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def entered(self) -> Mapping[Location, dt.date] | None:
        """The as-recorded view's entry days (None as known).

        A forecast not committed by the as-of date is entered the day after,
        so that no day of the report counts it.
        """
        if not self.view.as_recorded:
            return None
        if self._entered is None:
            after = self.as_of + dt.timedelta(days=1)
            self._entered = {
                e.location: after if e.how == "uncommitted" else e.entered
                for e in self.hindsight().forecasts
                if e.entered is not None
            }
        return self._entered

    def existing(self, day: dt.date) -> list[Question]:
        """The questions that existed on `day` (`rules.exists`), in ledger order."""
        if day not in self._existing:
            self._existing[day] = [
                q for q in self.ledger.questions if rules.exists(q, day)
            ]
        return self._existing[day]

    def written_later(self, day: dt.date) -> int:
        """How many questions were written after `day` (they exist only from then)."""
        return len(self.ledger.questions) - len(self.existing(day))

    def forecast(self, key: tuple[str, int]) -> Forecast:
        """The forecast of question `key[0]` written on line `key[1]`.

        The key is a frame row's `question` and `line`. Looked up among the
        question's few forecasts: an index of every forecast cost 100 MB at
        550,000 forecasts, for the few thousand a report shows.
        """
        question, line = key
        forecasts = self.questions[question].forecasts
        return next(f for f in forecasts if f.location.line == line)

    def name(self, forecaster: str) -> str:
        """The forecaster's name (their id, when they are not declared)."""
        return self.names.get(forecaster, forecaster)

    def all_rows(self, day: dt.date) -> pd.DataFrame:
        """The frame of the ledger as of `day` (`ledger.frame`, in the view), made once.

        Every question's rows, those of questions written after `day` too.
        """
        if day not in self._all and self.view.frames and not self.view.as_recorded:
            self._all[day] = self.view.frames(day)
        if day not in self._all:
            self._all[day] = make_frame(
                self.ledger, day, as_recorded=self.view.as_recorded,
                entered=self.entered(),
            )
        return self._all[day]

    def frame(self, day: dt.date) -> pd.DataFrame:
        """`all_rows(day)` without the rows of questions that did not exist yet."""
        if day not in self._frames:
            rows = self.all_rows(day)
            if len(self.existing(day)) == len(self.ledger.questions):
                self._frames[day] = rows
            else:
                later = {q.id for q in self.ledger.questions} - {
                    q.id for q in self.existing(day)
                }
                self._frames[day] = rows[~rows["question"].isin(later).to_numpy()]
        return self._frames[day]

    def settled_in(self, question: Question, found: Outcome) -> int:
        """The year `question`'s outcome `found` is settled in (`settled_year`)."""
        day = found.known.latest
        if question.written is not None:
            day = max(day, question.written.earliest)
        return day.year

    def settled_year(self, frame: pd.DataFrame) -> pd.Series[Any]:
        """The year each row of `frame` was settled: when its outcome became known.

        Or, for a question written after its outcome was known, the year it
        was written: it was settled on the page of the year it appeared in.
        """
        known = frame["known"]
        written = {
            q.id: q.written.earliest
            for q in self.ledger.questions
            if q.written is not None
        }
        if written:
            days = frame["question"].map(written).astype("datetime64[s]")
            known = known.where(~(days > known).to_numpy(), days)
        years: pd.Series[Any] = known.dt.year
        return years

    def rows(self, day: dt.date) -> dict[tuple[str, int], dict[str, Any]]:
        """The outcome and window scores of windows as of `day` (WINDOW_FIELDS).

        These are the frame's rows on date and numeric questions, by
        (question, line of the forecast), with their quantile scores (and
        why a row is excluded, and the result as numbers) for the fans.
        """
        if day not in self._rows:
            frame = self.frame(day)
            frame = frame[(frame["kind"] != "binary").to_numpy()]
            names = (*WINDOW_FIELDS, *QUANTILE_COLUMNS)
            values = zip(*(frame[name].tolist() for name in names), strict=True)
            keys = zip(frame["question"].tolist(), frame["line"].tolist(), strict=True)
            self._rows[day] = {
                key: dict(zip(names, row, strict=True))
                for key, row in zip(keys, values, strict=True)
            }
        return self._rows[day]

    def scores(self, day: dt.date) -> dict[tuple[str, str], dict[str, Any]]:
        """The scored standing forecasts as of `day`, by (question, forecaster)."""
        if day not in self._scores:
            scored = scorecard.scored(self.frame(day))
            chosen = scored[["question", "forecaster", "brier", "baseline_score"]]
            self._scores[day] = {
                (r["question"], str(r["forecaster"])): r for r in records(chosen)
            }
        return self._scores[day]

    def standing_forecasters(self, day: dt.date) -> dict[str, list[str]]:
        """Each question's forecasters with a standing forecast as of `day`."""
        if day not in self._together:
            frame = self.frame(day)
            standing = frame[frame["standing"]]
            found: dict[str, list[str]] = {}
            for question_id, forecaster in zip(
                standing["question"].tolist(),
                standing["forecaster"].astype(str).tolist(),
                strict=True,
            ):
                found.setdefault(question_id, []).append(forecaster)
            self._together[day] = found
        return self._together[day]

    def shared(self, day: dt.date) -> list[dict[str, Any]]:
        """`compare.shared_questions` of the frame as of `day`, computed once."""
        if day not in self._shared:
            self._shared[day] = comparing.shared_questions(self.frame(day))
        return self._shared[day]

    def state(self, question: Question, day: dt.date) -> State:
        """(`rules.status`, `rules.outcome`) of `question` as of `day`, made once."""
        known = self._states.setdefault(day, {})
        if id(question) not in known:
            found = rules.outcome(
                question, self.questions, day, as_recorded=self.view.as_recorded
            )
            known[id(question)] = rules.status(question, found, day), found
        return known[id(question)]

    def not_yet(self, question: Question, day: dt.date) -> dt.date | None:
        """`rules.not_yet`: the day the event had not happened by, as of `day`."""
        return rules.not_yet(
            question, self.state(question, day)[1], day,
            as_recorded=self.view.as_recorded,
        )

    def timely(self, question: Question, day: dt.date) -> tuple[Forecast, ...]:
        """`rules.timely(question, day)` (in the view), computed once."""
        known = self._timely.setdefault(day, {})
        if id(question) not in known:
            known[id(question)] = rules.timely(question, day, self.entered())
        return known[id(question)]

    def counts(self, forecast: Forecast, day: dt.date) -> bool:
        """Whether `forecast` was made (and, as recorded, entered) by `day`."""
        if forecast.made.earliest > day:
            return False
        entered = self.entered()
        return entered is None or entered.get(forecast.location, day) <= day

    def standing(self, question: Question, day: dt.date) -> tuple[Forecast, ...]:
        """`rules.standing_forecasts(question, day)`, computed once."""
        known = self._standing.setdefault(day, {})
        if id(question) not in known:  # from the timely forecasts already found
            known[id(question)] = rules.standing_among(self.timely(question, day))
        return known[id(question)]

    def overdue(self, day: dt.date) -> list[Question]:
        """The questions due but unrecorded as of `day`: `ledger due`'s overdue list.

        Most overdue (earliest deadline) first, then by id; only those that
        existed on `day`.
        """
        found = [q for q in self.existing(day) if self.state(q, day)[0] == "due"]
        return sorted(found, key=lambda q: (q.deadline.latest, q.id))

    def url(self, source: Source) -> str | None:
        """`safe_url(source.url)`, computed once per source."""
        if id(source) not in self._urls:
            self._urls[id(source)] = safe_url(source.url)
        return self._urls[id(source)]

    def tables(self) -> list[str]:
        """The verbal-probability tables the ledger's mapped forecasts use, sorted."""
        if self._tables is None:
            self._tables = sorted(
                {
                    f.table
                    for q in self.ledger.questions
                    for f in q.forecasts
                    if f.basis == "mapped" and f.table
                }
            )
        return self._tables

    def cutoff(self, year: int) -> dt.date:
        """The day `year`'s scorecard is as of: its last day, or the as-of date."""
        return min(self.as_of, dt.date(year, 12, 31))

    def forecaster_order(self, ids: Iterable[str]) -> list[str]:
        """The distinct `ids` by name (case-folded), then id."""
        return sorted(set(ids), key=lambda f: (self.name(f).casefold(), f))
