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

`read` reads the three kinds of file into `rows` (checking each row), `build`
turns those into the ledger's records; this module runs them in turn and
sums up what was made and what was dropped.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ledger.core.memory import gc_paused
from ledger.core.model import Location, Source
from ledger.core.text import plural
from ledger.importers.common import (
    Imported,
    clean,
    files_header,
    finish,
    in_order,
    no_progress,
    when,
)
from ledger.importers.forecastbench.build import (
    ATTRIBUTION,
    LICENCE,
    SOURCE_ID,
    URL,
    Builder,
)
from ledger.importers.forecastbench.read import (
    read_forecasts,
    read_questions,
    read_resolutions,
)
from ledger.importers.forecastbench.rows import Counts, Forecasts, Resolution

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledger.importers.common import Progress


@gc_paused()  # builds many objects, none in cycles: see loader.gc_paused
def import_forecastbench(
    questions_path: str,
    forecast_paths: Sequence[str] = (),
    resolutions_path: str | None = None,
    output: str = "imported.yaml",
    *,
    progress: Progress = no_progress,
) -> Imported:
    """Read a question set, any forecast sets and a resolution set; build a ledger.

    Args:
        questions_path: the question set (JSON).
        forecast_paths: forecast sets answering it (JSON), possibly none.
        resolutions_path: its resolution set (JSON), or None for no outcomes.
        output: the path the ledger will be written to (for messages only).
        progress: shows the progress of reading the forecast sets and of the check.

    Returns:
        An `Imported` with the ledger text and a summary, or the errors.
    """
    counts = Counts()
    meta, questions, errors = read_questions(questions_path, counts)
    forecasts = Forecasts()
    for path in forecast_paths:
        errors += read_forecasts(
            path, questions, meta.get("name"), counts, forecasts, progress
        )
    resolutions: list[Resolution] = []
    if resolutions_path is not None:
        resolutions, more = read_resolutions(resolutions_path, questions, counts)
        errors += more
    due = meta.get("due")
    if errors or due is None:
        return Imported(errors=in_order(errors))
    paths = [
        questions_path,
        *forecast_paths,
        *([resolutions_path] if resolutions_path else []),
    ]
    builder = Builder(due, questions, forecasts, resolutions, counts)
    built = builder.questions_built()
    forecasters = builder.forecasters()
    imported = Imported(summary=summary(counts, len(built)))
    return finish(
        imported,
        files_header("forecastbench", paths),
        forecasters,
        [source(questions_path, meta.get("name"), due, paths)],
        built,
        output,
        progress,
    )


def source(
    questions_path: str, name: object, due: str, paths: Sequence[str]
) -> Source:
    """The question set as the source of every forecast."""
    names = [os.path.basename(p) for p in paths]
    set_name = clean(name) or os.path.basename(questions_path)
    return Source(
        location=Location(questions_path, 1),
        id=SOURCE_ID,
        title=f"ForecastBench question set {set_name}",
        kind="dataset",
        url=URL,
        date=when(due),
        note="Imported from " + ", ".join(names) + ".",
        licence=LICENCE,
        attribution=ATTRIBUTION,
    )


def summary(counts: Counts, questions: int) -> list[str]:
    """What the import made, and what it dropped, for the user."""
    built = counts.built
    forecasts = built["crowd"] + built["rows"]
    lines = [
        f"{plural(questions, 'question')}: {built['market']:,} market, "
        f"{built['horizons']:,} dataset question-horizons (from "
        f"{plural(built['dataset'], 'dataset question')})",
        f"{plural(forecasts, 'forecast')}: {built['crowd']:,} by the "
        f"platform crowds at the freeze date, {built['rows']:,} from forecast sets",
        f"outcomes: {built['decided']:,} resolved markets, "
        f"{built['provisional']:,} provisional (open markets), "
        f"{built['resolved_horizons']:,} resolved dataset horizons; "
        f"{plural(built['unresolved'], 'market')} with no resolution row",
    ]
    dropped = [
        text
        for count, text in (
            (
                len(counts.combinations),
                f"{plural(len(counts.combinations), 'combination question')} "
                f"({plural(counts.combination_rows, 'row')})",
            ),
            (
                counts.unknown_forecasts,
                f"{plural(counts.unknown_forecasts, 'forecast')} on questions not "
                "in the question set",
            ),
            (
                counts.unknown_resolutions,
                f"{plural(counts.unknown_resolutions, 'resolution row')} for "
                "questions not in the question set",
            ),
            (
                counts.late,
                f"{plural(counts.late, 'forecast')} made after the outcome was known",
            ),
            (counts.duplicates, plural(counts.duplicates, "repeated forecast row")),
            (counts.imputed, plural(counts.imputed, "imputed forecast")),
        )
        if count
    ]
    if dropped:
        lines.append("dropped " + "; ".join(dropped))
    if counts.no_crowd:
        lines.append(
            f"{plural(counts.no_crowd, 'market')} without a crowd probability at the "
            "freeze date"
        )
    return lines + counts.set_notes
