"""Import forecasts (and outcomes) from plain CSV files into a ledger.

Forecasts, long format (one row per forecast), columns matched by name,
ignoring case and surrounding spaces; other columns are ignored:

- `question` (required): the question as written; its slug becomes the
  question's id and the text its title.
- `forecaster` (required): a name; its slug becomes the forecaster's id.
- `probability` (required): 0.7 or 70%; with `--percent`, 70 means 70%.
- `made` (optional): when the forecast was made, any ledger date form.
- `deadline` (optional): the question's deadline (the same on every row of a
  question).

Wide format (`--wide`): one row per forecaster, the first column named
`forecaster`, an optional column `made`, and one column per question holding
that forecaster's probability (an empty cell is no forecast).

Outcomes (`--outcomes`): columns `question` and `outcome` (yes/no, 1/0,
true/false, a fraction in [0, 1], void or ambiguous; an empty cell is skipped),
optional `known` (when it became known).

`--made`, `--deadline` and `--known` fill in dates a file lacks; a date that is
needed and neither in the file nor given is an error at its row naming the
option to pass. Every question is binary. Question and forecaster ids that
would clash (`Q1` and `q1`) get a hash suffix, stable for the same text.
Errors are `PATH:ROW: message`, where ROW is the physical line of the row
(the header is line 1).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ledger.core.memory import gc_paused
from ledger.core.model import Error, Location
from ledger.core.text import plural
from ledger.core.words import did_you_mean
from ledger.importers.common import (
    Forecast,
    Forecaster,
    Imported,
    Outcome,
    Question,
    Row,
    Source,
    columns,
    files_header,
    finish,
    in_order,
    ledger_date,
    number,
    one_line,
    probability,
    progress,
    read_csv,
    slugify,
    unique_ids,
    when,
)

_YES = {"yes", "y", "true", "1", "1.0"}
_NO = {"no", "n", "false", "0", "0.0"}


@dataclass(slots=True)
class _Row:
    """A forecast row; `p` or `made` is None when the row has an error there."""

    question: str
    forecaster: str
    p: float | None
    made: str | None
    where: Location


def _outcome_text(value: str) -> str:
    """yes, no, void, ambiguous or a fraction; ValueError with a message otherwise."""
    word = value.strip().lower()
    if word in _YES:
        return "yes"
    if word in _NO:
        return "no"
    if word in ("void", "ambiguous"):
        return word
    try:
        fraction = probability(value)
    except ValueError:
        raise ValueError(
            f"outcome must be yes, no, 1, 0, a fraction in [0, 1], void or ambiguous, "
            f"got '{value}'"
        ) from None
    return "yes" if fraction == 1 else "no" if fraction == 0 else number(fraction)


def _cell_count(row: Row, header: list[str], path: str) -> Error | None:
    """A row with fewer cells than the header, or extra non-empty cells, is an error."""
    if len(row.values) < len(header):
        missing = ", ".join(f"'{h}'" for h in header[len(row.values) :])
        return Error(
            Location(path, row.line),
            f"the row has {len(row.values)} of {len(header)} columns; missing {missing}",
        )
    extra = [v for v in row.values[len(header) :] if v.strip()]
    if extra:
        return Error(
            Location(path, row.line),
            f"the row has {len(row.values)} cells but the header names {len(header)}",
        )
    return None


def _date(
    value: str,
    option: str | None,
    what: str,
    flag: str,
    where: Location,
    errors: list[Error],
) -> str | None:
    """A date from the row, else from the option; an error naming the option if neither."""
    text = value or option
    if not text:
        errors.append(
            Error(where, f"no {what} date: add a '{what}' column or pass {flag} DATE")
        )
        return None
    try:
        return ledger_date(text)
    except ValueError as exc:
        errors.append(Error(where, f"{what}: {exc}"))
        return None


def _long(
    path: str,
    header: list[str],
    rows: list[Row],
    percent: bool,
    made: str | None,
    errors: list[Error],
    deadlines: dict[str, tuple[str, Location]],
) -> list[_Row]:
    found, problems = columns(
        header, path, ["question", "forecaster", "probability"], ["made", "deadline"]
    )
    errors += problems
    if problems:
        return []
    kept: list[_Row] = []
    with progress(rows, f"reading {os.path.basename(path)}") as items:
        for row in items:
            where = Location(path, row.line)
            short = _cell_count(row, header, path)
            if short is not None:
                errors.append(short)
                continue
            question = one_line(row.cells[found["question"]])
            who = one_line(row.cells[found["forecaster"]])
            if not question:
                errors.append(Error(where, "the question is empty"))
            if not who:
                errors.append(Error(where, "the forecaster is empty"))
            try:
                p = probability(row.cells[found["probability"]], percent, hint=True)
            except ValueError as exc:
                errors.append(Error(where, str(exc)))
                p = None
            cell = row.cells[found["made"]] if "made" in found else ""
            day = _date(cell, made, "made", "--made", where, errors)
            if "deadline" in found and row.cells[found["deadline"]] and question:
                try:
                    deadline = ledger_date(row.cells[found["deadline"]])
                except ValueError as exc:
                    errors.append(Error(where, f"deadline: {exc}"))
                else:
                    first = deadlines.setdefault(question, (deadline, where))
                    if first[0] != deadline:
                        errors.append(
                            Error(
                                where,
                                f"deadline {deadline} differs from "
                                f"{first[0]} given for the same question at "
                                f"line {first[1].line}",
                            )
                        )
            if question and who:
                kept.append(_Row(question, who, p, day, where))
    return kept


def _wide(
    path: str,
    header: list[str],
    rows: list[Row],
    percent: bool,
    made: str | None,
    errors: list[Error],
) -> list[_Row]:
    if not header or header[0].strip().lower() != "forecaster":
        first = header[0] if header else ""
        errors.append(
            Error(
                Location(path, 1),
                f"the first column of a --wide file must be "
                f"'forecaster', got '{first}'",
            )
        )
        return []
    made_column = None
    questions: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, name in enumerate(header[1:], start=1):
        name = one_line(name)
        if name.lower() == "made" and made_column is None:
            made_column = i
        elif not name:
            errors.append(
                Error(
                    Location(path, 1), f"column {i + 1} has no question in the header"
                )
            )
        elif name in seen:
            errors.append(
                Error(
                    Location(path, 1),
                    f"question '{name}' heads columns {seen[name] + 1} and {i + 1}",
                )
            )
        else:
            seen[name] = i
            questions[i] = name
    if not questions:
        errors.append(
            Error(Location(path, 1), "no question columns after 'forecaster'")
        )
    kept: list[_Row] = []
    with progress(rows, f"reading {os.path.basename(path)}") as items:
        for row in items:
            where = Location(path, row.line)
            short = _cell_count(row, header, path)
            if short is not None:
                errors.append(short)
                continue
            who = one_line(row.values[0])
            if not who:
                errors.append(Error(where, "the forecaster is empty"))
                continue
            cell = row.values[made_column].strip() if made_column is not None else ""
            day: str | None = None
            dated = False
            for i, question in questions.items():
                value = row.values[i].strip()
                if not value:
                    continue
                if not dated:
                    day, dated = (
                        _date(cell, made, "made", "--made", where, errors),
                        True,
                    )
                try:
                    p: float | None = probability(value, percent, hint=True)
                except ValueError as exc:
                    errors.append(Error(where, f"'{question}': {exc}"))
                    p = None
                kept.append(_Row(question, who, p, day, where))
    return kept


@gc_paused()  # builds many objects, none in cycles: see loader.gc_paused
def import_csv(
    forecasts_path: str,
    outcomes_path: str | None = None,
    *,
    percent: bool = False,
    made: str | None = None,
    deadline: str | None = None,
    known: str | None = None,
    wide: bool = False,
    output: str = "imported.yaml",
) -> Imported:
    """Read a forecasts CSV (long or `wide`) and an optional outcomes CSV; build a ledger.

    `made`, `deadline` and `known` are ledger dates filling in what the files
    lack; `percent` reads bare probabilities as percents.
    """
    imported = Imported()
    errors: list[Error] = []
    header, rows, problems = read_csv(forecasts_path)
    errors += problems
    deadlines: dict[str, tuple[str, Location]] = {}
    kept: list[_Row] = []
    if not problems:
        if wide:
            kept = _wide(forecasts_path, header, rows, percent, made, errors)
        else:
            kept = _long(forecasts_path, header, rows, percent, made, errors, deadlines)

    originals: dict[str, Location] = {}
    for row in kept:
        originals.setdefault(row.question, row.where)
    question_ids = unique_ids({q: slugify(q) for q in originals})
    by_slug: dict[str, list[str]] = {}
    for q in originals:
        by_slug.setdefault(slugify(q), []).append(q)

    question_deadline: dict[str, str] = {}
    for q, where in originals.items():
        if q in deadlines:
            question_deadline[q] = deadlines[q][0]
        elif deadline:
            question_deadline[q] = deadline
        else:
            line = Location(forecasts_path, 1) if wide else where
            errors.append(
                Error(
                    line,
                    f"no deadline for question '{q}': "
                    + (
                        "pass --deadline DATE"
                        if wide
                        else "add a 'deadline' column or pass --deadline DATE"
                    ),
                )
            )

    forecasts: dict[str, list[tuple[_Row, str | None]]] = {}
    for row in kept:
        end = question_deadline.get(row.question)
        if (
            end is not None
            and row.made is not None
            and when(row.made).earliest > when(end).latest
        ):
            errors.append(
                Error(
                    row.where,
                    f"forecast made {row.made}, after the question's deadline {end}",
                )
            )
        forecasts.setdefault(row.question, []).append((row, row.made))

    outcomes: dict[str, list[tuple[Outcome, Location]]] = {}
    if outcomes_path is not None:
        _outcomes(outcomes_path, known, originals, by_slug, forecasts, outcomes, errors)

    if errors:
        imported.errors = in_order(errors)
        return imported

    people = unique_ids({row.forecaster: slugify(row.forecaster) for row in kept})
    files = [forecasts_path, *([outcomes_path] if outcomes_path else [])]
    source_id = slugify(os.path.basename(forecasts_path))
    names = [os.path.basename(p) for p in files]
    source = Source(
        source_id,
        " and ".join(names),
        "dataset",
        note=f"Imported with ledger import csv{' --wide' if wide else ''} from "
        + ", ".join(names)
        + ".",
    )
    built = []
    for q in originals:
        built.append(
            Question(
                question_ids[q],
                q,
                f"As the title says; {names[0]} gives no resolution criteria.",
                question_deadline[q],
                forecasts=[
                    Forecast(
                        people[r.forecaster], str(r.made), float(r.p or 0), source_id
                    )
                    for r, _ in forecasts[q]
                ],
                outcomes=[o for o, _ in outcomes.get(q, [])],
            )
        )
    forecasters = [Forecaster(ident, name) for name, ident in people.items()]
    imported.summary = [
        f"{plural(len(built), 'question')}, {plural(len(kept), 'forecast')} by "
        f"{plural(len(people), 'forecaster')}, "
        f"{plural(sum(len(v) for v in outcomes.values()), 'outcome')}"
    ]
    return finish(
        imported, files_header("csv", files), forecasters, [source], built, output
    )


def _outcomes(
    path: str,
    known: str | None,
    originals: dict[str, Location],
    by_slug: dict[str, list[str]],
    forecasts: dict[str, list[tuple[_Row, str | None]]],
    outcomes: dict[str, list[tuple[Outcome, Location]]],
    errors: list[Error],
) -> None:
    header, rows, problems = read_csv(path)
    errors += problems
    if problems:
        return
    found, problems = columns(header, path, ["question", "outcome"], ["known"])
    errors += problems
    if problems:
        return
    for row in rows:
        where = Location(path, row.line)
        short = _cell_count(row, header, path)
        if short is not None:
            errors.append(short)
            continue
        value = row.cells[found["outcome"]]
        if not value:
            continue  # not resolved yet
        name = one_line(row.cells[found["question"]])
        question = name if name in originals else None
        if question is None and len(by_slug.get(slugify(name), [])) == 1:
            question = by_slug[slugify(name)][0]
        if question is None:
            hint = did_you_mean(name, list(originals))
            errors.append(
                Error(
                    where,
                    f"question '{name}' has no forecasts in the forecasts file{hint}",
                )
            )
            continue
        try:
            result = _outcome_text(value)
        except ValueError as exc:
            errors.append(Error(where, str(exc)))
            continue
        cell = row.cells[found["known"]] if "known" in found else ""
        day = _date(cell, known, "known", "--known", where, errors)
        if day is None:
            continue
        day_known = when(day)
        for forecast, made in forecasts.get(question, []):
            if made is not None and when(made).earliest > day_known.latest:
                errors.append(
                    Error(
                        where,
                        f"outcome known {day}, before the forecast at "
                        f"{forecast.where} was made ({made})",
                    )
                )
                break
        outcomes.setdefault(question, []).append((Outcome(result, day, day), where))
