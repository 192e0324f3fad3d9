"""Building the ledger's records from what was read of ForecastBench's files.

Every choice is the one the package docstring (`importers.forecastbench`)
describes: a question per market and per dataset horizon, the platform crowd
at the freeze date as a forecaster, outcomes from the resolution set, late
forecasts dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.core.model import Forecast, Forecaster, Location, Outcome, Question
from ledger.core.numbers import parse_probability
from ledger.importers.common import (
    SLUG_MAX,
    binary_result,
    clean,
    iso_day,
    one_line,
    provisional,
    slugify,
    unique_ids,
    when,
)
from ledger.importers.forecastbench.rows import json_text

if TYPE_CHECKING:

    from ledger.importers.forecastbench.rows import (
        Counts,
        Forecasts,
        Item,
        Key,
        Resolution,
        Row,
        Who,
    )

URL = "https://github.com/forecastingresearch/forecastbench-datasets"
LICENCE = "CC BY-SA 4.0"
ATTRIBUTION = (
    "ForecastBench data, © Forecasting Research Institute "
    "(github.com/forecastingresearch/forecastbench-datasets), licensed CC BY-SA 4.0; "
    "market probabilities come from the crowds of the platforms named in each question"
)
SOURCE_ID = "forecastbench"
PLATFORMS = {
    "manifold": "Manifold",
    "metaculus": "Metaculus",
    "polymarket": "Polymarket",
    "infer": "INFER",
}
RESOLVER = "ForecastBench"


def _fill(template: str, due: str, horizon: str) -> str:
    return template.replace("{forecast_due_date}", due).replace(
        "{resolution_date}", horizon
    )


def texts(question: Item, due: str, horizon: str) -> tuple[str, str]:
    """The title and the criteria of a question (for one horizon)."""
    record = question.record
    body = _fill(clean(record.get("question")), due, horizon)
    paragraphs = re.split(r"\n\s*\n", body, maxsplit=1)
    title = (
        one_line(paragraphs[0])
        or f"ForecastBench {question.source} question {question.id}"
    )
    parts = [paragraphs[1].strip()] if len(paragraphs) > 1 else []
    market_criteria = clean(record.get("market_info_resolution_criteria"))
    if market_criteria and market_criteria != "N/A":
        parts.append(_fill(market_criteria, due, horizon))
    criteria = clean(record.get("resolution_criteria"))
    if criteria and criteria != "N/A":
        parts.append(_fill(criteria, due, horizon))
    background = clean(record.get("background"))
    if background and background != "N/A":
        parts.append("Background: " + _fill(background, due, horizon))
    return title, "\n\n".join(parts) or title


def _crowd(question: Item) -> tuple[str, float] | None:
    """The platform crowd's forecast at the freeze date: (day, p), if it is one."""
    record = question.record
    try:
        day = iso_day(record.get("freeze_datetime"))
        p = parse_probability(json_text(record.get("freeze_datetime_value")))
    except ValueError:
        return None
    return day, p


def _year_after(day: str) -> str:
    date = dt.date.fromisoformat(day)
    try:
        return date.replace(year=date.year + 1).isoformat()
    except ValueError:  # 29 February
        return (date.replace(day=28, year=date.year + 1)).isoformat()


def _add_horizons(
    questions: dict[Key, Item], rows: list[Row], resolutions: list[Resolution]
) -> None:
    """Horizons: the listed ones, plus any a forecast or resolution row names."""
    for row in rows:
        if row.horizon is not None:
            questions[row.key].horizons.add(row.horizon)
    for resolution in resolutions:
        if not questions[resolution.key].market:
            questions[resolution.key].horizons.add(resolution.day)


def _question_ids(questions: dict[Key, Item]) -> dict[tuple[str, ...], str]:
    """The ledger id of each market, ("market", *key), and each dataset horizon."""
    wanted: dict[tuple[str, ...], str] = {}
    for key, question in questions.items():
        base = slugify(f"{key[0]}-{key[1]}", SLUG_MAX)
        if question.market:
            wanted[("market", *key)] = base
        else:
            for horizon in question.horizons:
                wanted[("dataset", *key, horizon)] = f"{base}-{horizon}"
    return unique_ids(wanted)


def _forecaster_ids(
    questions: dict[Key, Item], people: dict[Who, tuple[str, Location]]
) -> dict[Who, str]:
    """The ledger id of each forecaster, and of each platform's crowd."""
    wanted = {person: slugify(person[1]) for person in people}
    crowds = {key[0] for key, q in questions.items() if q.market}
    for source in crowds:
        wanted[("crowd", source)] = slugify(f"{source}-crowd")
    return unique_ids(wanted)


@dataclass(slots=True)
class Builder:
    """Builds the questions and forecasters, one question-set item at a time.

    `used` holds each forecaster that got a forecast, with where it was
    first seen.
    """

    due: str
    questions: dict[Key, Item]
    forecasts: Forecasts
    resolutions: list[Resolution]
    counts: Counts
    used: dict[Who, Location] = field(default_factory=dict)
    ids: dict[tuple[str, ...], str] = field(default_factory=dict)
    who_ids: dict[Who, str] = field(default_factory=dict)
    by_market: dict[Key, list[Resolution]] = field(default_factory=dict)
    by_horizon: dict[tuple[Key, str], Resolution] = field(default_factory=dict)
    rows_by: dict[tuple[Key, str | None], list[Row]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _add_horizons(self.questions, self.forecasts.rows, self.resolutions)
        self.ids = _question_ids(self.questions)
        self.who_ids = _forecaster_ids(self.questions, self.forecasts.people)
        for resolution in sorted(self.resolutions, key=lambda r: (r.day, r.order)):
            key = resolution.key
            if self.questions[key].market:
                self.by_market.setdefault(key, []).append(resolution)
            elif resolution.resolved:
                self.by_horizon.setdefault((key, resolution.day), resolution)
        self.counts.built["resolved_horizons"] = len(self.by_horizon)
        for row in self.forecasts.rows:
            self.rows_by.setdefault((row.key, row.horizon), []).append(row)

    def questions_built(self) -> list[Question]:
        """Every question: one per market, one per dataset question's horizon."""
        built: list[Question] = []
        for key in sorted(self.questions):
            item = self.questions[key]
            if item.market:
                built.append(self.market(key, item))
            else:
                built += self.dataset(key, item)
        return built

    def _forecast(self, row: Row) -> Forecast:
        self.used.setdefault(row.who, row.location)
        return Forecast(
            location=row.location,
            by=self.who_ids[row.who],
            made=when(row.made),
            p=row.p,
            basis="stated",
            source=SOURCE_ID,
        )

    def _market_outcome(self, history: list[Resolution]) -> Outcome | None:
        """A resolved market's outcome, else an open one's latest probability."""
        decided = next((r for r in history if r.resolved), None)
        if decided is not None:
            self.counts.built["decided"] += 1
            result = binary_result(decided.value)
        elif history:
            decided = history[-1]
            self.counts.built["provisional"] += 1
            result = provisional(decided.value)
        else:
            self.counts.built["unresolved"] += 1
            return None
        day = when(decided.day)
        return Outcome(
            location=decided.location, result=result, known=day, recorded=day,
            by=RESOLVER,
        )

    def _market_forecasts(self, key: Key, item: Item) -> list[Forecast]:
        """The crowd's forecast at the freeze date, then the forecast sets' rows."""
        forecasts = []
        crowd = _crowd(item)
        if crowd is None:
            self.counts.no_crowd += 1
        else:
            who = ("crowd", key[0])
            self.used.setdefault(who, item.location)
            forecasts.append(
                Forecast(
                    location=item.location,
                    by=self.who_ids[who],
                    made=when(crowd[0]),
                    p=crowd[1],
                    basis="stated",
                    source=SOURCE_ID,
                )
            )
        forecasts += [self._forecast(row) for row in self.rows_by.get((key, None), [])]
        return forecasts

    def _market_deadline(
        self, item: Item, history: list[Resolution], forecasts: list[Forecast]
    ) -> str:
        """The close date, else the last resolution, else a year after the due date.

        Raised to the last day a kept forecast was made on.
        """
        try:
            deadline = iso_day(item.record.get("market_info_close_datetime"))
        except ValueError:
            days = [r.day for r in history]
            deadline = max(days) if days else _year_after(self.due)
        return max([deadline, *(f.made.text for f in forecasts)])

    def market(self, key: Key, item: Item) -> Question:
        """The question of a market, with its crowd's and the sets' forecasts."""
        self.counts.built["market"] += 1
        history = self.by_market.get(key, [])
        outcome = self._market_outcome(history)
        forecasts = self._market_forecasts(key, item)
        if outcome is not None and outcome.result.kind != "provisional":
            kept = [f for f in forecasts if f.made.text <= outcome.known.text]
            self.counts.late += len(forecasts) - len(kept)
            forecasts = kept
        deadline = self._market_deadline(item, history, forecasts)
        title, criteria = texts(item, self.due, deadline)
        url = clean(item.record.get("url"))
        note = f"ForecastBench {key[0]} question {key[1]}" + (f"; {url}" if url else "")
        crowd = sum(1 for f in forecasts if f.by == self.who_ids.get(("crowd", key[0])))
        self.counts.built["crowd"] += crowd
        self.counts.built["rows"] += len(forecasts) - crowd
        return Question(
            location=item.location,
            id=self.ids[("market", *key)],
            title=title,
            criteria=criteria,
            kind="binary",
            deadline=when(deadline),
            tags=("category:market", f"source:{key[0]}"),
            note=note,
            forecasts=tuple(forecasts),
            outcomes=(outcome,) if outcome else (),
        )

    def _dataset_note(self, key: Key, item: Item, horizon: str) -> str:
        record = item.record
        note = f"ForecastBench {key[0]} question {key[1]}, horizon {horizon}"
        url = clean(record.get("url"))
        if url:
            note += f"; {url}"
        freeze = clean(record.get("freeze_datetime_value"))
        if freeze:
            explanation = one_line(
                clean(record.get("freeze_datetime_value_explanation"))
            )
            freeze_day = clean(record.get("freeze_datetime"))[:10]
            note += f". Value on {freeze_day or 'the freeze date'}: {freeze}"
            note += f" ({explanation})" if explanation else ""
        return note

    def dataset(self, key: Key, item: Item) -> list[Question]:
        """The questions of a dataset question: one per horizon."""
        self.counts.built["dataset"] += 1
        built = []
        for horizon in sorted(item.horizons):
            self.counts.built["horizons"] += 1
            title, criteria = texts(item, self.due, horizon)
            decided = self.by_horizon.get((key, horizon))
            day = when(horizon)
            outcomes = []
            if decided is not None:
                outcomes.append(
                    Outcome(
                        location=decided.location,
                        result=binary_result(decided.value),
                        known=day,
                        recorded=day,
                        by=RESOLVER,
                    )
                )
            rows = self.rows_by.get((key, horizon), [])
            kept = [row for row in rows if row.made <= horizon]
            self.counts.late += len(rows) - len(kept)
            forecasts = tuple(self._forecast(row) for row in kept)
            self.counts.built["rows"] += len(forecasts)
            built.append(
                Question(
                    location=item.location,
                    id=self.ids[("dataset", *key, horizon)],
                    title=title,
                    criteria=criteria,
                    kind="binary",
                    deadline=day,
                    tags=("category:dataset", f"source:{key[0]}"),
                    note=self._dataset_note(key, item, horizon),
                    forecasts=forecasts,
                    outcomes=tuple(outcomes),
                )
            )
        return built

    def forecasters(self) -> list[Forecaster]:
        """Everyone who got a forecast: forecast sets' users and models, crowds."""
        built = []
        for person in sorted(self.used):
            ident = self.who_ids[person]
            kind, original = person
            where = self.used[person]
            if kind == "crowd":
                platform = PLATFORMS.get(original, original)
                about = (
                    f"The {platform} crowd's probability on ForecastBench's freeze "
                    "date (freeze_datetime_value in the question set), one forecast "
                    "per market question."
                )
                built.append(
                    Forecaster(
                        location=where, id=ident, name=f"{platform} crowd", note=about
                    )
                )
                continue
            note = None
            if ident != original:
                label = "user_id" if kind == "user" else "model"
                note = f"ForecastBench {label} '{original}'; the ledger id is its slug"
            affiliation = self.forecasts.people[person][0] or None
            built.append(
                Forecaster(
                    location=where,
                    id=ident,
                    name=original,
                    affiliation=affiliation,
                    note=note,
                )
            )
        return built
