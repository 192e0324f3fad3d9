"""Import ForecastBench's question, forecast and resolution sets into a ledger.

ForecastBench (github.com/forecastingresearch/forecastbench-datasets, CC BY-SA
4.0, © Forecasting Research Institute) publishes three kinds of JSON file:

- a **question set** `{"forecast_due_date", "question_set", "questions": [...]}`;
  a question's key is (`source`, `id`). Market questions (manifold, metaculus,
  polymarket, infer) have `resolution_dates: "N/A"`; dataset questions (acled,
  dbnomics, fred, wikipedia, yfinance, ...) list their horizons there.
- **forecast sets** `{"organization", "model", "question-set",
  "forecast_due_date", "forecasts": [...]}`, one row per (user, question,
  horizon): `id`, `source`, `forecast`, `resolution_date`, `user_id`, ...
- a **resolution set** `{"forecast_due_date", "question_set", "resolutions":
  [...]}`: `id`, `source`, `resolution_date`, `resolved_to`, `resolved`.

How they become a ledger (every choice here is deliberate):

- Only the questions of the question set are kept, matched by (source, id);
  forecast and resolution rows on other questions are dropped and counted.
- Combination questions (whose `id` is a list, or with a `combination_of`
  list) are dropped from every file, and counted.
- Each horizon of a dataset question is a question of its own, with the
  horizon date as its deadline; a market question is one question however
  many rows the files repeat for it.
- Question ids are slugs of `<source>-<id>` (plus `-<horizon>` for dataset
  questions): lowercase, `[a-z0-9-]`, stable. An id longer than 48 characters
  keeps its start and ends in a hash of the whole; ids that would clash (say
  two ids differing only in case) all get a hash suffix.
- Title: the first paragraph of `question`, with `{forecast_due_date}` and
  `{resolution_date}` filled in (the horizon, or for a market its deadline).
  Criteria: the rest of the question text, `market_info_resolution_criteria`
  (when not "N/A"), `resolution_criteria` and `background`, in that order.
- Deadline of a market: its `market_info_close_datetime` (the day the
  platform stops trading or forecasting); when that is missing, the latest
  `resolution_date` of its resolution rows; when there are none, the question
  set's forecast due date plus one year. It is then raised, if need be, to the
  latest day a kept forecast was made on it, because a ledger forecast must be
  made by its question's deadline.
- Outcomes: a resolved market (`resolved: true`) resolves yes (`resolved_to`
  1), no (0) or to a fraction, known on its `resolution_date`; an unresolved
  market's latest row gives `provisional:P` (its latest market probability),
  known on that row's date. A dataset horizon resolved yes or no is known on
  the horizon date; an unresolved one gets no outcome. `recorded` is the same
  day as `known` (the resolution set records them), so the output does not
  depend on the day of the import.
- Forecasts: `made` is the forecast set's `forecast_due_date`; `basis:
  stated`. The forecaster is the row's `user_id` (the set's `model` when rows
  have none), slugified; the original is kept as the forecaster's `name`, with
  a note when the id differs. Each market's `freeze_datetime_value` (the
  platform crowd's probability on the freeze date) is also recorded as a
  forecast by `<source>-crowd`, made on the freeze date; dataset questions'
  freeze values are data values, not probabilities, and are only noted.
  Forecasts made after their question's outcome was known, or after a dataset
  horizon, are dropped and counted; rows marked `imputed` are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ledger.core.memory import gc_paused
from ledger.core.model import Error, Location
from ledger.core.text import plural
from ledger.importers.common import (
    SLUG_MAX,
    Forecast,
    Forecaster,
    Imported,
    Outcome,
    Question,
    Source,
    clean,
    files_header,
    finish,
    in_order,
    iso_day,
    item_lines,
    key_line,
    number,
    one_line,
    probability,
    progress,
    read_json,
    slugify,
    unique_ids,
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

Key = tuple[str, str]


class _Locator:
    """Lines of the records of one JSON array, computed only when an error needs one."""

    def __init__(self, path: str, content: str, key: str) -> None:
        self.path, self.content, self.key = path, content, key
        self._lines: list[int] | None = None

    def at(self, index: int) -> Location:
        if self._lines is None:
            self._lines = item_lines(self.content, self.key)
        line = self._lines[index] if index < len(self._lines) else 1
        return Location(self.path, line)

    def error(self, index: int, message: str) -> Error:
        return Error(self.at(index), f"{self.key}[{index}]: {message}")


@dataclass(slots=True)
class _Question:
    source: str
    id: str
    record: dict[str, Any]
    market: bool
    horizons: set[str]


@dataclass(slots=True)
class _Row:
    """One forecast row kept from a forecast set."""

    key: Key
    horizon: str | None
    who: tuple[str, str]  # ("user", user_id) or ("model", model)
    made: str
    p: float


@dataclass(slots=True)
class _Resolution:
    key: Key
    day: str
    resolved: bool
    value: float
    order: int


@dataclass(slots=True)
class _Counts:
    combinations: set[str] = field(default_factory=set)
    combination_rows: int = 0
    unknown_forecasts: int = 0
    unknown_resolutions: int = 0
    duplicates: int = 0
    imputed: int = 0
    late: int = 0
    no_crowd: int = 0
    set_notes: list[str] = field(default_factory=list)


def _combination(record: dict[str, Any], counts: _Counts) -> bool:
    ident = record.get("id")
    combo = record.get("combination_of")
    if isinstance(ident, list) or isinstance(combo, list):
        shown = ident if isinstance(ident, list) else combo
        counts.combinations.add(
            json.dumps([record.get("source"), shown], sort_keys=True)
        )
        counts.combination_rows += 1
        return True
    return False


def _key(record: dict[str, Any]) -> Key | None:
    source, ident = record.get("source"), record.get("id")
    if not isinstance(source, str) or not source.strip():
        return None
    if (
        isinstance(ident, bool)
        or not isinstance(ident, (str, int))
        or str(ident).strip() == ""
    ):
        return None
    return source.strip(), str(ident).strip()


def _top(
    path: str, content: str, data: Any, key: str, what: str
) -> tuple[list[Any], list[Error]]:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        message = f"expected a ForecastBench {what}: a JSON object with a '{key}' list"
        return [], [Error(Location(path, 1), message)]
    return data[key], []


def _due(
    path: str, content: str, data: dict[str, Any]
) -> tuple[str | None, list[Error]]:
    try:
        return iso_day(data.get("forecast_due_date")), []
    except ValueError as exc:
        line = key_line(content, "forecast_due_date")
        return None, [Error(Location(path, line), f"forecast_due_date: {exc}")]


def _read_questions(
    path: str, counts: _Counts
) -> tuple[dict[str, Any], dict[Key, _Question], list[Error]]:
    data, content, errors = read_json(path)
    if errors:
        return {}, {}, errors
    records, errors = _top(path, content, data, "questions", "question set")
    if errors:
        return {}, {}, errors
    due, errors = _due(path, content, data)
    where = _Locator(path, content, "questions")
    found: dict[Key, _Question] = {}
    first: dict[Key, int] = {}
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append(where.error(i, "a question must be a JSON object"))
            continue
        if _combination(record, counts):
            continue
        key = _key(record)
        if key is None:
            errors.append(where.error(i, "a question needs a 'source' and an 'id'"))
            continue
        if key in first:
            line = where.at(first[key]).line
            errors.append(
                where.error(
                    i, f"duplicate question {key[0]}/{key[1]} (first at line {line})"
                )
            )
            continue
        first[key] = i
        if (
            not isinstance(record.get("question"), str)
            or not record["question"].strip()
        ):
            errors.append(
                where.error(i, f"question {key[0]}/{key[1]} has no 'question' text")
            )
            continue
        dates = record.get("resolution_dates")
        if dates in ("N/A", None):
            found[key] = _Question(key[0], key[1], record, True, set())
        elif isinstance(dates, list):
            horizons = set()
            for value in dates:
                try:
                    horizons.add(iso_day(value))
                except ValueError as exc:
                    errors.append(where.error(i, f"resolution_dates: {exc}"))
            found[key] = _Question(key[0], key[1], record, False, horizons)
        else:
            errors.append(
                where.error(
                    i,
                    f'resolution_dates must be "N/A" (a market) or a list of dates, got {json.dumps(dates)}',
                )
            )
    meta = {"due": due, "name": data.get("question_set")}
    return meta, found, errors


def _read_forecasts(
    path: str, questions: dict[Key, _Question], question_set: object, counts: _Counts
) -> tuple[list[_Row], dict[tuple[str, str], str], list[Error]]:
    """The kept rows of one forecast set, and who's who: {who: affiliation}."""
    data, content, errors = read_json(path)
    if errors:
        return [], {}, errors
    records, errors = _top(path, content, data, "forecasts", "forecast set")
    if errors:
        return [], {}, errors
    made, errors = _due(path, content, data)
    model = clean(data.get("model")) or None
    organization = clean(data.get("organization")) or None
    named = clean(data.get("question-set") or data.get("question_set"))
    if named and question_set and named != question_set:
        counts.set_notes.append(
            f"{os.path.basename(path)} answers question set {named}, not {question_set}"
        )
    where = _Locator(path, content, "forecasts")
    rows: list[_Row] = []
    people: dict[tuple[str, str], str] = {}
    seen: set[tuple[Any, ...]] = set()
    with progress(records, f"reading {os.path.basename(path)}") as items:
        for i, record in enumerate(items):
            if not isinstance(record, dict):
                errors.append(where.error(i, "a forecast must be a JSON object"))
                continue
            if _combination(record, counts):
                continue
            key = _key(record)
            if key is None:
                errors.append(where.error(i, "a forecast needs a 'source' and an 'id'"))
                continue
            try:
                p = probability(record.get("forecast"))
            except ValueError as exc:
                errors.append(where.error(i, f"forecast: {exc}"))
                continue
            user = record.get("user_id")
            if user is not None and (
                not isinstance(user, (str, int)) or not str(user).strip()
            ):
                errors.append(
                    where.error(i, f"user_id must be text, got {json.dumps(user)}")
                )
                continue
            if user is not None:
                who = ("user", str(user).strip())
                people.setdefault(who, _affiliation(model, organization))
            elif model is not None:
                who = ("model", model)
                people.setdefault(who, organization or "")
            else:
                errors.append(
                    where.error(
                        i, "the row has no user_id and the forecast set no 'model'"
                    )
                )
                continue
            question = questions.get(key)
            horizon = None
            if question is not None and not question.market:
                try:
                    horizon = iso_day(record.get("resolution_date"))
                except ValueError as exc:
                    errors.append(
                        where.error(i, f"resolution_date of a dataset question: {exc}")
                    )
                    continue
            if question is None:
                counts.unknown_forecasts += 1
                continue
            if record.get("imputed") is True:
                counts.imputed += 1
                continue
            if made is None:
                continue
            ident = (who, key, horizon)
            if ident in seen:
                counts.duplicates += 1
                continue
            seen.add(ident)
            rows.append(_Row(key, horizon, who, made, p))
    return rows, people, errors


def _affiliation(model: str | None, organization: str | None) -> str:
    """ "Superforecaster forecasts (ForecastBench)": the forecast set a user came from."""
    if model and organization:
        return f"{model} ({organization})"
    return model or organization or ""


def _read_resolutions(
    path: str, questions: dict[Key, _Question], counts: _Counts
) -> tuple[list[_Resolution], list[Error]]:
    data, content, errors = read_json(path)
    if errors:
        return [], errors
    records, errors = _top(path, content, data, "resolutions", "resolution set")
    if errors:
        return [], errors
    where = _Locator(path, content, "resolutions")
    found: list[_Resolution] = []
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append(where.error(i, "a resolution must be a JSON object"))
            continue
        if _combination(record, counts):
            continue
        key = _key(record)
        if key is None:
            errors.append(where.error(i, "a resolution needs a 'source' and an 'id'"))
            continue
        try:
            day = iso_day(record.get("resolution_date"))
        except ValueError as exc:
            errors.append(where.error(i, f"resolution_date: {exc}"))
            continue
        resolved = record.get("resolved")
        if not isinstance(resolved, bool):
            errors.append(
                where.error(
                    i, f"resolved must be true or false, got {json.dumps(resolved)}"
                )
            )
            continue
        question = questions.get(key)
        if question is None:
            counts.unknown_resolutions += 1
            continue
        value = record.get("resolved_to")
        if not resolved and not question.market:
            continue  # an unresolved dataset horizon: nothing to record
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not 0 <= value <= 1  # before isfinite: 10**400 overflows a float
            or not math.isfinite(value)
        ):
            what = (
                "an outcome (0, 1 or a fraction)"
                if resolved
                else "a market probability"
            )
            errors.append(
                where.error(i, f"resolved_to must be {what}, got {json.dumps(value)}")
            )
            continue
        found.append(_Resolution(key, day, resolved, float(value), i))
    return found, errors


def _result(value: float) -> str:
    if value == 1.0:
        return "yes"
    if value == 0.0:
        return "no"
    return number(value)


def _fill(template: str, due: str, horizon: str) -> str:
    return template.replace("{forecast_due_date}", due).replace(
        "{resolution_date}", horizon
    )


def _texts(question: _Question, due: str, horizon: str) -> tuple[str, str]:
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


def _crowd(question: _Question, counts: _Counts) -> tuple[str, float] | None:
    """The platform crowd's forecast at the freeze date: (day, p), if it is one."""
    record = question.record
    try:
        day = iso_day(record.get("freeze_datetime"))
        p = probability(record.get("freeze_datetime_value"))
    except ValueError:
        counts.no_crowd += 1
        return None
    return day, p


def _day_after(day: str, years: int = 1) -> str:
    date = dt.date.fromisoformat(day)
    try:
        return date.replace(year=date.year + years).isoformat()
    except ValueError:  # 29 February
        return (date.replace(day=28, year=date.year + years)).isoformat()


@gc_paused()  # builds many objects, none in cycles: see loader.gc_paused
def import_forecastbench(
    questions_path: str,
    forecast_paths: Sequence[str] = (),
    resolutions_path: str | None = None,
    output: str = "imported.yaml",
) -> Imported:
    """Read a question set, any forecast sets and a resolution set; build a ledger.

    Args:
        questions_path: the question set (JSON).
        forecast_paths: forecast sets answering it (JSON), possibly none.
        resolutions_path: its resolution set (JSON), or None for no outcomes.
        output: the path the ledger will be written to (for messages only).

    Returns:
        An `Imported` with the ledger text and a summary, or the errors.
    """
    counts = _Counts()
    imported = Imported()
    meta, questions, errors = _read_questions(questions_path, counts)
    rows: list[_Row] = []
    people: dict[tuple[str, str], str] = {}
    for path in forecast_paths:
        found, who, more = _read_forecasts(path, questions, meta.get("name"), counts)
        rows += found
        for person, affiliation in who.items():
            people.setdefault(person, affiliation)
        errors += more
    resolutions: list[_Resolution] = []
    if resolutions_path is not None:
        resolutions, more = _read_resolutions(resolutions_path, questions, counts)
        errors += more
    if errors or meta.get("due") is None:
        imported.errors = in_order(errors)
        return imported
    due: str = meta["due"]
    paths = [
        questions_path,
        *forecast_paths,
        *([resolutions_path] if resolutions_path else []),
    ]

    # Horizons: the listed ones, plus any a forecast or resolution row names.
    for row in rows:
        if row.horizon is not None:
            questions[row.key].horizons.add(row.horizon)
    for resolution in resolutions:
        if not questions[resolution.key].market:
            questions[resolution.key].horizons.add(resolution.day)

    wanted: dict[tuple[str, ...], str] = {}
    for key, question in questions.items():
        base = slugify(f"{key[0]}-{key[1]}", SLUG_MAX)
        if question.market:
            wanted[("market", *key)] = base
        else:
            for horizon in question.horizons:
                wanted[("dataset", *key, horizon)] = f"{base}-{horizon}"
    ids = unique_ids(wanted)

    by_market: dict[Key, list[_Resolution]] = {}
    by_horizon: dict[tuple[Key, str], _Resolution] = {}
    for resolution in sorted(resolutions, key=lambda r: (r.day, r.order)):
        if questions[resolution.key].market:
            by_market.setdefault(resolution.key, []).append(resolution)
        elif resolution.resolved:
            by_horizon.setdefault((resolution.key, resolution.day), resolution)
    rows_by: dict[tuple[Key, str | None], list[_Row]] = {}
    for row in rows:
        rows_by.setdefault((row.key, row.horizon), []).append(row)

    who_wanted: dict[tuple[str, str], str] = {}
    for person in people:
        who_wanted[person] = slugify(person[1])
    crowds = {key[0] for key, q in questions.items() if q.market}
    for source in crowds:
        who_wanted[("crowd", source)] = slugify(f"{source}-crowd")
    who_ids = unique_ids(who_wanted)

    built: list[Question] = []
    used: set[tuple[str, str]] = set()
    tally = {
        "market": 0,
        "dataset": 0,
        "crowd": 0,
        "rows": 0,
        "decided": 0,
        "provisional": 0,
        "unresolved": 0,
        "horizons": 0,
    }
    for key in sorted(questions):
        question = questions[key]
        record = question.record
        url = clean(record.get("url"))
        if question.market:
            tally["market"] += 1
            history = by_market.get(key, [])
            decided = next((r for r in history if r.resolved), None)
            outcome = None
            if decided is not None:
                outcome = Outcome(
                    _result(decided.value), decided.day, decided.day, RESOLVER
                )
                tally["decided"] += 1
            elif history:
                latest = history[-1]
                outcome = Outcome(
                    f"provisional:{number(latest.value)}",
                    latest.day,
                    latest.day,
                    RESOLVER,
                )
                tally["provisional"] += 1
            else:
                tally["unresolved"] += 1
            forecasts = []
            crowd = _crowd(question, counts)
            if crowd is not None:
                forecasts.append(
                    Forecast(who_ids[("crowd", key[0])], crowd[0], crowd[1], SOURCE_ID)
                )
                used.add(("crowd", key[0]))
            for row in rows_by.get((key, None), []):
                forecasts.append(Forecast(who_ids[row.who], row.made, row.p, SOURCE_ID))
                used.add(row.who)
            if decided is not None:
                kept = [f for f in forecasts if f.made <= decided.day]
                counts.late += len(forecasts) - len(kept)
                forecasts = kept
            try:
                deadline = iso_day(record.get("market_info_close_datetime"))
            except ValueError:
                days = [r.day for r in history]
                deadline = max(days) if days else _day_after(due)
            deadline = max([deadline, *(f.made for f in forecasts)])
            title, criteria = _texts(question, due, deadline)
            note = f"ForecastBench {key[0]} question {key[1]}" + (
                f"; {url}" if url else ""
            )
            tally["crowd"] += sum(
                1 for f in forecasts if f.by == who_ids.get(("crowd", key[0]))
            )
            tally["rows"] += sum(
                1 for f in forecasts if f.by != who_ids.get(("crowd", key[0]))
            )
            built.append(
                Question(
                    ids[("market", *key)],
                    title,
                    criteria,
                    deadline,
                    ["category:market", f"source:{key[0]}"],
                    note,
                    forecasts,
                    [outcome] if outcome else [],
                )
            )
            continue
        tally["dataset"] += 1
        freeze = clean(record.get("freeze_datetime_value"))
        explanation = one_line(clean(record.get("freeze_datetime_value_explanation")))
        freeze_day = clean(record.get("freeze_datetime"))[:10]
        for horizon in sorted(question.horizons):
            tally["horizons"] += 1
            title, criteria = _texts(question, due, horizon)
            decided = by_horizon.get((key, horizon))
            outcomes = []
            if decided is not None:
                outcomes.append(
                    Outcome(_result(decided.value), horizon, horizon, RESOLVER)
                )
            forecasts = []
            for row in rows_by.get((key, horizon), []):
                if row.made > horizon:
                    counts.late += 1
                    continue
                forecasts.append(Forecast(who_ids[row.who], row.made, row.p, SOURCE_ID))
                used.add(row.who)
            tally["rows"] += len(forecasts)
            note = f"ForecastBench {key[0]} question {key[1]}, horizon {horizon}"
            if url:
                note += f"; {url}"
            if freeze:
                note += f". Value on {freeze_day or 'the freeze date'}: {freeze}"
                note += f" ({explanation})" if explanation else ""
            built.append(
                Question(
                    ids[("dataset", *key, horizon)],
                    title,
                    criteria,
                    horizon,
                    ["category:dataset", f"source:{key[0]}"],
                    note,
                    forecasts,
                    outcomes,
                )
            )

    forecasters = []
    for person in sorted(used):
        ident = who_ids[person]
        kind, original = person
        if kind == "crowd":
            platform = PLATFORMS.get(original, original)
            forecasters.append(
                Forecaster(
                    ident,
                    f"{platform} crowd",
                    None,
                    f"The {platform} crowd's probability on ForecastBench's freeze date "
                    "(freeze_datetime_value in the question set), one forecast per market question.",
                )
            )
        else:
            note = None
            if ident != original:
                label = "user_id" if kind == "user" else "model"
                note = f"ForecastBench {label} '{original}'; the ledger id is its slug"
            forecasters.append(
                Forecaster(ident, original, people.get(person) or None, note)
            )

    names = [os.path.basename(p) for p in paths]
    set_name = clean(meta.get("name")) or os.path.basename(questions_path)
    source = Source(
        SOURCE_ID,
        f"ForecastBench question set {set_name}",
        "dataset",
        URL,
        due,
        "Imported from " + ", ".join(names) + ".",
        LICENCE,
        ATTRIBUTION,
    )
    summary = [
        f"{plural(len(built), 'question')}: {tally['market']:,} market, "
        f"{tally['horizons']:,} dataset question-horizons (from "
        f"{plural(tally['dataset'], 'dataset question')})",
        f"{plural(tally['crowd'] + tally['rows'], 'forecast')}: {tally['crowd']:,} by the "
        f"platform crowds at the freeze date, {tally['rows']:,} from forecast sets",
        f"outcomes: {tally['decided']:,} resolved markets, {tally['provisional']:,} provisional "
        f"(open markets), {len(by_horizon):,} resolved dataset horizons; "
        f"{plural(tally['unresolved'], 'market')} with no resolution row",
    ]
    dropped = []
    if counts.combinations:
        dropped.append(
            f"{plural(len(counts.combinations), 'combination question')} "
            f"({plural(counts.combination_rows, 'row')})"
        )
    if counts.unknown_forecasts:
        dropped.append(
            f"{plural(counts.unknown_forecasts, 'forecast')} on questions not in the "
            "question set"
        )
    if counts.unknown_resolutions:
        dropped.append(
            f"{plural(counts.unknown_resolutions, 'resolution row')} for questions "
            "not in the question set"
        )
    if counts.late:
        dropped.append(
            f"{plural(counts.late, 'forecast')} made after the outcome was known"
        )
    if counts.duplicates:
        dropped.append(f"{plural(counts.duplicates, 'repeated forecast row')}")
    if counts.imputed:
        dropped.append(f"{plural(counts.imputed, 'imputed forecast')}")
    if dropped:
        summary.append("dropped " + "; ".join(dropped))
    if counts.no_crowd:
        summary.append(
            f"{plural(counts.no_crowd, 'market')} without a crowd probability at the "
            "freeze date"
        )
    summary += counts.set_notes
    imported.summary = summary
    return finish(
        imported,
        files_header("forecastbench", paths),
        forecasters,
        [source],
        built,
        output,
    )
