"""The ledger as of a day: what every report page reads, each thing computed once.

A `Book` holds the ledger and the report's as-of date, and caches by day
the frame (`ledger.frame`), the scored standing forecasts, what `rules` says
of each question, and the comparisons' shared questions: a year page reads
the ledger as it stood at the end of its year, and every page reads the
view as of the as-of date again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from ledger import compare as comparing
from ledger.core import rules
from ledger.frame import frame as make_frame
from ledger.query import due
from ledger.report.escape import safe_url
from ledger.score import scorecard

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

    from ledger.core.model import Forecast, Ledger, Outcome, Question, Source

State = tuple["rules.Status", "Outcome | None"]
"""A question's status as of a day and its standing outcome (None: none yet)."""


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


@dataclass
class Book:
    """The ledger and what every page needs from it, with frames cached by day."""

    ledger: Ledger
    as_of: dt.date
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

    def __post_init__(self) -> None:
        self.questions = rules.index(self.ledger)
        self.names = {f.id: f.name for f in self.ledger.forecasters}
        self.sources = {s.id: s for s in self.ledger.sources}

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

    def frame(self, day: dt.date) -> pd.DataFrame:
        """The frame of the ledger as of `day` (`ledger.frame`), made once."""
        if day not in self._frames:
            self._frames[day] = make_frame(self.ledger, day)
        return self._frames[day]

    def rows(self, day: dt.date) -> dict[tuple[str, int], dict[str, Any]]:
        """The outcome, timing error and censoring of windows as of `day`.

        These are the frame's rows on date and numeric questions, by
        (question, line of the forecast), with their quantile scores (and
        why a row is excluded, and the result as numbers) for the fans.
        """
        if day not in self._rows:
            frame = self.frame(day)
            frame = frame[(frame["kind"] != "binary").to_numpy()]
            names = ("outcome", "timing_error", "censored", *QUANTILE_COLUMNS)
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
            found = rules.outcome(question, self.questions, day)
            known[id(question)] = rules.status(question, found, day), found
        return known[id(question)]

    def timely(self, question: Question, day: dt.date) -> tuple[Forecast, ...]:
        """`rules.timely(question, day)`, computed once."""
        known = self._timely.setdefault(day, {})
        if id(question) not in known:
            known[id(question)] = rules.timely(question, day)
        return known[id(question)]

    def standing(self, question: Question, day: dt.date) -> tuple[Forecast, ...]:
        """`rules.standing_forecasts(question, day)`, computed once."""
        known = self._standing.setdefault(day, {})
        if id(question) not in known:  # from the timely forecasts already found
            known[id(question)] = rules.standing_among(self.timely(question, day))
        return known[id(question)]

    def overdue(self, day: dt.date) -> list[Question]:
        """The questions due but unrecorded as of `day`: `ledger due`'s overdue list.

        Most overdue (earliest deadline) first, then by id.
        """
        found = due.report(self.ledger, day, day).overdue
        return [self.questions[row["question"]] for row in found]

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
