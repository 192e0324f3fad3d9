"""Reading ForecastBench's question, forecast and resolution sets, row by row.

Each file is checked as it is read: a row that is not what ForecastBench
writes is an error at its line (`questions[3]: ...`); a row that is fine but
not imported (a combination question, a question not in the question set, an
imputed or repeated forecast) is counted in `Counts`, for the summary.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ledger.core.jsontext import key_line
from ledger.core.model import Error, Location
from ledger.core.numbers import parse_probability
from ledger.importers.common import clean, iso_day, no_progress
from ledger.importers.forecastbench.rows import (
    Counts,
    Forecasts,
    Item,
    Key,
    Locator,
    Resolution,
    Row,
    Who,
    json_text,
)
from ledger.importers.read import read_json

if TYPE_CHECKING:
    from ledger.importers.common import Progress


def _combination(record: dict[str, Any], counts: Counts) -> bool:
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


def _row_key(
    record: object, i: int, where: Locator, counts: Counts, what: str
) -> tuple[dict[str, Any], Key] | Error | None:
    """A row as a JSON object with its key; an error; None for a combination.

    `what` names the row in messages: question, forecast or resolution.
    """
    if not isinstance(record, dict):
        return where.error(i, f"a {what} must be a JSON object")
    if _combination(record, counts):
        return None
    key = _key(record)
    if key is None:
        return where.error(i, f"a {what} needs a 'source' and an 'id'")
    return record, key


def _top(
    path: str, content: str, data: Any, key: str, what: str
) -> tuple[list[Any], Locator, list[Error]]:
    """The top-level list `key` of a file, and where its items are."""
    where = Locator(path, content, key)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        message = f"expected a ForecastBench {what}: a JSON object with a '{key}' list"
        return [], where, [Error(Location(path, 1), message)]
    return data[key], where, []


def _due(
    path: str, content: str, data: dict[str, Any]
) -> tuple[str | None, list[Error]]:
    try:
        return iso_day(data.get("forecast_due_date")), []
    except ValueError as exc:
        line = key_line(content, "forecast_due_date")
        return None, [Error(Location(path, line), f"forecast_due_date: {exc}")]


# -- the question set ----------------------------------------------------------


def _question(
    record: dict[str, Any], key: Key, i: int, where: Locator, errors: list[Error]
) -> Item | None:
    """The question of a record that has a key; None after an error."""
    text = record.get("question")
    if not isinstance(text, str) or not text.strip():
        errors.append(
            where.error(i, f"question {key[0]}/{key[1]} has no 'question' text")
        )
        return None
    frozen = _freeze_problem(record)
    if frozen is not None:
        errors.append(where.error(i, f"question {key[0]}/{key[1]}: {frozen}"))
        return None
    dates = record.get("resolution_dates")
    if dates in ("N/A", None):
        return Item(key[0], key[1], record, True, set(), where.at(i))
    if not isinstance(dates, list):
        errors.append(
            where.error(
                i,
                'resolution_dates must be "N/A" (a market) or a list of dates, '
                f"got {json.dumps(dates)}",
            )
        )
        return None
    horizons = set()
    for value in dates:
        try:
            horizons.add(iso_day(value))
        except ValueError as exc:
            errors.append(where.error(i, f"resolution_dates: {exc}"))
    return Item(key[0], key[1], record, False, horizons, where.at(i))


def _freeze_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with a record's freeze date and value, if anything.

    Either may be missing or "N/A" (a question without a crowd); a freeze date
    must be a real day, and a value one number or text, never a list.
    """
    day = record.get("freeze_datetime")
    if day not in (None, "", "N/A"):
        try:
            iso_day(day)
        except ValueError as exc:
            return f"freeze_datetime: {exc}"
    value = record.get("freeze_datetime_value")
    if isinstance(value, list | dict | bool):
        return (
            "freeze_datetime_value must be a number or text, got "
            f"{json.dumps(value)[:60]}"
        )
    return None


def read_questions(
    path: str, counts: Counts
) -> tuple[dict[str, Any], dict[Key, Item], list[Error]]:
    """The question set: ({"due": its due date, "name"}, its questions, errors)."""
    data, content, errors = read_json(path)
    if errors:
        return {}, {}, errors
    records, where, errors = _top(path, content, data, "questions", "question set")
    if errors:
        return {}, {}, errors
    due, errors = _due(path, content, data)
    found: dict[Key, Item] = {}
    first: dict[Key, int] = {}
    for i, row in enumerate(records):
        read = _row_key(row, i, where, counts, "question")
        if not isinstance(read, tuple):
            if read is not None:
                errors.append(read)
            continue
        record, key = read
        if key in first:
            line = where.at(first[key]).line
            message = f"duplicate question {key[0]}/{key[1]} (first at line {line})"
            errors.append(where.error(i, message))
            continue
        first[key] = i
        item = _question(record, key, i, where, errors)
        if item is not None:
            found[key] = item
    meta = {"due": due, "name": data.get("question_set")}
    return meta, found, errors


# -- forecast sets ---------------------------------------------------------------


@dataclass(slots=True)
class _Set:
    """One forecast set as a whole: who made it, when, where its rows are.

    `seen` holds the (who, question, horizon) of its rows kept so far: a
    repeated one is dropped.
    """

    made: str | None
    model: str | None
    organization: str | None
    where: Locator
    seen: set[tuple[Who, Key, str | None]] = field(default_factory=set)


def _who(
    record: dict[str, Any],
    forecast_set: _Set,
    people: dict[Who, tuple[str, Location]],
    at: Location,
) -> Who | str:
    """Who made a forecast row, or the message saying why it cannot be told."""
    user = record.get("user_id")
    model, organization = forecast_set.model, forecast_set.organization
    if user is not None:
        if not isinstance(user, (str, int)) or not str(user).strip():
            return f"user_id must be text, got {json.dumps(user)}"
        who = ("user", str(user).strip())
        people.setdefault(who, (_affiliation(model, organization), at))
        return who
    if model is not None:
        who = ("model", model)
        people.setdefault(who, (organization or "", at))
        return who
    return "the row has no user_id and the forecast set no 'model'"


def _forecast(
    row: object,
    i: int,
    forecast_set: _Set,
    questions: dict[Key, Item],
    counts: Counts,
    kept: Forecasts,
) -> Error | None:
    """Check one forecast row, and keep it (in `kept`) if it is to be imported."""
    where = forecast_set.where
    read = _row_key(row, i, where, counts, "forecast")
    if not isinstance(read, tuple):
        return read
    record, key = read
    try:
        p = parse_probability(json_text(record.get("forecast")))
    except ValueError as exc:
        return where.error(i, f"forecast: {exc}")
    who = _who(record, forecast_set, kept.people, where.at(i))
    if isinstance(who, str):
        return where.error(i, who)
    question = questions.get(key)
    horizon = None
    if question is not None and not question.market:
        try:
            horizon = iso_day(record.get("resolution_date"))
        except ValueError as exc:
            return where.error(i, f"resolution_date of a dataset question: {exc}")
    if question is None:
        counts.unknown_forecasts += 1
    elif record.get("imputed") is True:
        counts.imputed += 1
    elif forecast_set.made is not None:
        ident = (who, key, horizon)
        if ident in forecast_set.seen:
            counts.duplicates += 1
        else:
            forecast_set.seen.add(ident)
            kept.rows.append(
                Row(key, horizon, who, forecast_set.made, p, where.at(i))
            )
    return None


def read_forecasts(
    path: str,
    questions: dict[Key, Item],
    question_set: object,
    counts: Counts,
    kept: Forecasts,
    progress: Progress = no_progress,
) -> list[Error]:
    """Read one forecast set: its kept rows and forecasters go into `kept`."""
    data, content, errors = read_json(path)
    if errors:
        return errors
    records, where, errors = _top(path, content, data, "forecasts", "forecast set")
    if errors:
        return errors
    made, errors = _due(path, content, data)
    forecast_set = _Set(
        made,
        clean(data.get("model")) or None,
        clean(data.get("organization")) or None,
        where,
    )
    named = clean(data.get("question-set") or data.get("question_set"))
    if named and question_set and named != question_set:
        counts.set_notes.append(
            f"{os.path.basename(path)} answers question set {named}, not {question_set}"
        )
    with progress(records, f"reading {os.path.basename(path)}") as items:
        for i, record in enumerate(items):
            error = _forecast(record, i, forecast_set, questions, counts, kept)
            if error is not None:
                errors.append(error)
    return errors


def _affiliation(model: str | None, organization: str | None) -> str:
    """The forecast set a user came from, like "Superforecasts (ForecastBench)"."""
    if model and organization:
        return f"{model} ({organization})"
    return model or organization or ""


# -- the resolution set ------------------------------------------------------------


def _resolved_to(value: object, resolved: bool) -> float | str:
    """`resolved_to` as an outcome (or a market probability), or why it is not one."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 <= value <= 1  # before isfinite: 10**400 overflows a float
        or not math.isfinite(value)
    ):
        what = "an outcome (0, 1 or a fraction)" if resolved else "a market probability"
        return f"resolved_to must be {what}, got {json.dumps(value)}"
    return float(value)


def _day_resolved(
    record: dict[str, Any], i: int, where: Locator
) -> tuple[str, bool] | Error:
    """A resolution row's `resolution_date` and `resolved`, or the error."""
    try:
        day = iso_day(record.get("resolution_date"))
    except ValueError as exc:
        return where.error(i, f"resolution_date: {exc}")
    resolved = record.get("resolved")
    if not isinstance(resolved, bool):
        message = f"resolved must be true or false, got {json.dumps(resolved)}"
        return where.error(i, message)
    return day, resolved


def _resolution(
    row: object, i: int, where: Locator, questions: dict[Key, Item], counts: Counts
) -> Resolution | Error | None:
    """One resolution row: kept, an error, or None (not imported)."""
    read = _row_key(row, i, where, counts, "resolution")
    if not isinstance(read, tuple):
        return read
    record, key = read
    checked = _day_resolved(record, i, where)
    if isinstance(checked, Error):
        return checked
    day, resolved = checked
    question = questions.get(key)
    # not imported: a question not in the set, or an unresolved dataset horizon
    if question is None or (not resolved and not question.market):
        counts.unknown_resolutions += question is None
        return None
    value = _resolved_to(record.get("resolved_to"), resolved)
    if isinstance(value, str):
        return where.error(i, value)
    return Resolution(key, day, resolved, value, i, where.at(i))


def read_resolutions(
    path: str, questions: dict[Key, Item], counts: Counts
) -> tuple[list[Resolution], list[Error]]:
    """The resolution set: its rows on questions of the question set, and errors."""
    data, content, errors = read_json(path)
    if errors:
        return [], errors
    records, where, errors = _top(path, content, data, "resolutions", "resolution set")
    if errors:
        return [], errors
    found: list[Resolution] = []
    for i, record in enumerate(records):
        result = _resolution(record, i, where, questions, counts)
        if isinstance(result, Error):
            errors.append(result)
        elif result is not None:
            found.append(result)
    return found, errors
