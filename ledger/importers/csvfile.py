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

The rows are read by `csvrows`; this module puts them together: ids,
deadlines, outcomes and the records.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypedDict, Unpack

from ledger.core import model
from ledger.core.memory import gc_paused
from ledger.core.model import Error, Location
from ledger.core.numbers import parse_probability
from ledger.core.text import plural
from ledger.core.words import did_you_mean
from ledger.importers import common
from ledger.importers.csvrows import Reader, cell_count, dated
from ledger.importers.read import columns, read_csv

if TYPE_CHECKING:
    from ledger.importers.common import Progress
    from ledger.importers.csvrows import Forecast as Row

_YES = {"yes", "y", "true", "1", "1.0"}
_NO = {"no", "n", "false", "0", "0.0"}


def _outcome(value: str) -> model.Result:
    """yes, no, void, ambiguous or a fraction; ValueError with a message otherwise."""
    word = value.strip().lower()
    if word in _YES:
        return common.word_result("yes")
    if word in _NO:
        return common.word_result("no")
    if word in ("void", "ambiguous"):
        return common.word_result(word)
    try:
        fraction = parse_probability(value)
    except ValueError:
        raise ValueError(
            f"outcome must be yes, no, 1, 0, a fraction in [0, 1], void or ambiguous, "
            f"got '{value}'"
        ) from None
    return common.binary_result(fraction)


def _deadlines(
    originals: dict[str, Location],
    reader: Reader,
    deadline: str | None,
    wide: bool,
    errors: list[Error],
) -> dict[str, str]:
    """Each question's deadline: from the file, else `--deadline`; else an error."""
    found: dict[str, str] = {}
    for q, where in originals.items():
        if q in reader.deadlines:
            found[q] = reader.deadlines[q][0]
        elif deadline:
            found[q] = deadline
        else:
            remedy = (
                "pass --deadline DATE"
                if wide
                else "add a 'deadline' column or pass --deadline DATE"
            )
            line = Location(reader.path, 1) if wide else where
            errors.append(Error(line, f"no deadline for question '{q}': {remedy}"))
    return found


def _by_question(
    kept: list[Row], deadlines: dict[str, str], errors: list[Error]
) -> dict[str, list[Row]]:
    """The forecasts of each question; one made after its deadline is an error."""
    forecasts: dict[str, list[Row]] = {}
    for row in kept:
        end = deadlines.get(row.question)
        if (
            end is not None
            and row.made is not None
            and common.when(row.made).earliest > common.when(end).latest
        ):
            errors.append(
                Error(
                    row.where,
                    f"forecast made {row.made}, after the question's deadline {end}",
                )
            )
        forecasts.setdefault(row.question, []).append(row)
    return forecasts


class Options(TypedDict, total=False):
    """The keyword options of `import_csv`; each may be left out.

    percent: read bare probabilities as percents (default False).
    made: the ledger date of forecasts whose row has none.
    deadline: the ledger date of questions whose rows give none.
    known: the ledger date of outcomes whose row has none.
    wide: the forecasts file is wide, a column per question (default False).
    output: the path the ledger will be written to, for messages only
        (default imported.yaml).
    progress: shows the progress of reading the rows and of the check.
    """

    percent: bool
    made: str | None
    deadline: str | None
    known: str | None
    wide: bool
    output: str
    progress: Progress


@gc_paused()  # builds many objects, none in cycles: see loader.gc_paused
def import_csv(
    forecasts_path: str, outcomes_path: str | None = None, **options: Unpack[Options]
) -> common.Imported:
    """Read a forecasts CSV (long or wide) and an optional outcomes CSV; build a ledger.

    Args:
        forecasts_path: the forecasts.
        outcomes_path: the outcomes, if any.
        **options: see `Options`.

    Returns:
        An `Imported` with the ledger text and a summary, or the errors.
    """
    percent, wide = options.get("percent", False), options.get("wide", False)
    made, deadline = options.get("made"), options.get("deadline")
    output = options.get("output", "imported.yaml")
    progress = options.get("progress", common.no_progress)
    errors: list[Error] = []
    header, rows, problems = read_csv(forecasts_path)
    errors += problems
    reader = Reader(forecasts_path, header, percent, made, errors)
    kept: list[Row] = []
    if not problems:
        kept = reader.wide(rows, progress) if wide else reader.long(rows, progress)
    originals: dict[str, Location] = {}
    for row in kept:
        originals.setdefault(row.question, row.where)
    deadlines = _deadlines(originals, reader, deadline, wide, errors)
    forecasts = _by_question(kept, deadlines, errors)
    outcomes: dict[str, list[model.Outcome]] = {}
    if outcomes_path is not None:
        known = options.get("known")
        _outcomes(outcomes_path, known, originals, forecasts, outcomes, errors)
    if errors:
        return common.Imported(errors=common.in_order(errors))
    files = [forecasts_path, *([outcomes_path] if outcomes_path else [])]
    return _built(files, wide, kept, originals, deadlines, outcomes, output, progress)


def _source(files: list[str], wide: bool) -> model.Source:
    """The input files, as the source of every forecast."""
    names = [os.path.basename(p) for p in files]
    return model.Source(
        location=Location(files[0], 1),
        id=common.slugify(names[0]),
        title=" and ".join(names),
        kind="dataset",
        note=f"Imported with ledger import csv{' --wide' if wide else ''} from "
        + ", ".join(names)
        + ".",
    )


def _forecasters(kept: list[Row]) -> tuple[dict[str, str], list[model.Forecaster]]:
    """Each forecaster's ledger id, by name, and their records."""
    first_seen: dict[str, Location] = {}
    for row in kept:
        first_seen.setdefault(row.forecaster, row.where)
    people = common.unique_ids({name: common.slugify(name) for name in first_seen})
    forecasters = [
        model.Forecaster(location=first_seen[name], id=ident, name=name)
        for name, ident in people.items()
    ]
    return people, forecasters


def _built(
    files: list[str],
    wide: bool,
    kept: list[Row],
    originals: dict[str, Location],
    deadlines: dict[str, str],
    outcomes: dict[str, list[model.Outcome]],
    output: str,
    progress: Progress,
) -> common.Imported:
    """The records of the rows read without a problem, checked (`finish`)."""
    question_ids = common.unique_ids({q: common.slugify(q) for q in originals})
    people, forecasters = _forecasters(kept)
    source = _source(files, wide)
    forecasts: dict[str, list[model.Forecast]] = {}
    for row in kept:
        forecasts.setdefault(row.question, []).append(
            model.Forecast(
                location=row.where,
                by=people[row.forecaster],
                made=common.when(str(row.made)),
                p=float(row.p or 0),
                basis="stated",
                source=source.id,
            )
        )
    first = os.path.basename(files[0])
    criteria = f"As the title says; {first} gives no resolution criteria."
    built = [
        model.Question(
            location=where,
            id=question_ids[q],
            title=q,
            criteria=criteria,
            kind="binary",
            deadline=common.when(deadlines[q]),
            forecasts=tuple(forecasts[q]),
            outcomes=tuple(outcomes.get(q, [])),
        )
        for q, where in originals.items()
    ]
    summary = (
        f"{plural(len(built), 'question')}, {plural(len(kept), 'forecast')} by "
        f"{plural(len(people), 'forecaster')}, "
        f"{plural(sum(len(v) for v in outcomes.values()), 'outcome')}"
    )
    return common.finish(
        common.Imported(summary=[summary]),
        common.files_header("csv", files),
        forecasters,
        [source],
        built,
        output,
        progress,
    )


def _question_named(
    name: str,
    originals: dict[str, Location],
    by_slug: dict[str, list[str]],
    where: Location,
    errors: list[Error],
) -> str | None:
    """The question an outcome row names: as written, else by its slug."""
    if name in originals:
        return name
    same = by_slug.get(common.slugify(name), [])
    if len(same) == 1:
        return same[0]
    hint = did_you_mean(name, list(originals))
    errors.append(
        Error(where, f"question '{name}' has no forecasts in the forecasts file{hint}")
    )
    return None


def _outcomes(
    path: str,
    known: str | None,
    originals: dict[str, Location],
    forecasts: dict[str, list[Row]],
    outcomes: dict[str, list[model.Outcome]],
    errors: list[Error],
) -> None:
    """Read the outcomes file into `outcomes`, problems into `errors`."""
    header, rows, problems = read_csv(path)
    errors += problems
    if problems:
        return
    found, problems = columns(header, path, ["question", "outcome"], ["known"])
    errors += problems
    if problems:
        return
    by_slug: dict[str, list[str]] = {}
    for q in originals:
        by_slug.setdefault(common.slugify(q), []).append(q)
    for row in rows:
        where = Location(path, row.line)
        short = cell_count(row, header, path)
        if short is not None:
            errors.append(short)
            continue
        value = row.cells[found["outcome"]]
        if not value:
            continue  # not resolved yet
        name = common.one_line(row.cells[found["question"]])
        question = _question_named(name, originals, by_slug, where, errors)
        if question is None:
            continue
        try:
            result = _outcome(value)
        except ValueError as exc:
            errors.append(Error(where, str(exc)))
            continue
        cell = row.cells[found["known"]] if "known" in found else ""
        day = dated(cell, known, "known", where, errors)
        if day is None:
            continue
        _known_after_forecasts(day, forecasts.get(question, []), where, errors)
        day_known = common.when(day)
        outcomes.setdefault(question, []).append(
            model.Outcome(
                location=where, result=result, known=day_known, recorded=day_known
            )
        )


def _known_after_forecasts(
    day: str, forecasts: list[Row], where: Location, errors: list[Error]
) -> None:
    """An outcome known before a forecast on its question was made is an error."""
    day_known = common.when(day)
    for forecast in forecasts:
        made = forecast.made
        if made is not None and common.when(made).earliest > day_known.latest:
            errors.append(
                Error(
                    where,
                    f"outcome known {day}, before the forecast at "
                    f"{forecast.where} was made ({made})",
                )
            )
            break
