"""Import Fatebook's CSV export into a ledger.

The format is the one Fatebook's "Export all your forecasts" writes
(Sage-Future/fatebook, `lib/web/export.ts`, `questionsToCsv`): one row per
forecast, a header row of these names, string cells double-quoted, dates as
`YYYY-MM-DD H:MM:S` (server time; only the day is used), empty cells for
missing values. Columns are matched by name, ignoring case and spacing; their
order does not matter.

Columns (required ones marked so):

- `Question title` (required): the question's title; its slug is the id.
- `Multiple choice option`: for a multiple-choice question, the option; each
  option becomes a binary question "TITLE: OPTION".
- `Forecast created by` (required): the forecaster's name; its slug is the id
  (empty: `anonymous`).
- `Forecast (scale = 0-1)` (required; also `Forecast`): the probability: 0.7,
  or a percent such as 70%.
- `Forecast created at` (required): `made`.
- `Question created by`, `Question created at`: with the title, tell questions
  of the same title apart; noted.
- `Question resolve by` (required): the deadline.
- `Resolution` (older exports: `Question resolution`): YES, NO or AMBIGUOUS
  (empty: unresolved).
- `Resolved at` (older exports: `Question resolved at`): when the outcome was
  known (and recorded).
- `Question notes`: added to the criteria.

Ignored: `Your Brier score for this question`, `Your relative Brier score for
this question`, `Question shared with`, `Question shared publicly`, `Question
comments`, and any other column.

Fatebook has no question ids in its export, so a question is the set of rows
with the same title, option, creator and creation time. Fatebook accepts
forecasts after a question's resolve-by date; the ledger does not, so such a
question's deadline is moved to its last forecast, and its note says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.core.memory import gc_paused
from ledger.core.model import (
    Error,
    Forecast,
    Forecaster,
    Location,
    Outcome,
    Question,
    Source,
)
from ledger.core.numbers import parse_probability
from ledger.core.text import plural
from ledger.importers.common import (
    Imported,
    clean,
    files_header,
    finish,
    in_order,
    iso_day,
    no_progress,
    one_line,
    slugify,
    unique_ids,
    when,
    word_result,
)
from ledger.importers.read import columns, read_csv

if TYPE_CHECKING:
    from ledger.importers.common import Progress
    from ledger.importers.read import Row

SOURCE_ID = "fatebook"
REQUIRED = [
    "question title",
    "forecast created by",
    "forecast (scale = 0-1)",
    "forecast created at",
    "question resolve by",
]
OPTIONAL = [
    "multiple choice option",
    "question created by",
    "question created at",
    "resolution",
    "resolved at",
    "question notes",
]
ALIASES = {
    "forecast": "forecast (scale = 0-1)",
    "question resolution": "resolution",
    "question resolved at": "resolved at",
}
RESULTS = {"YES": "yes", "NO": "no", "AMBIGUOUS": "ambiguous"}

Key = tuple[str, str, str, str]
"""A question: (title, option, created by, created at)."""


@dataclass(slots=True)
class _Question:
    """What a question's first row says: deadline, outcome and notes."""

    where: Location
    notes: str
    deadline: str | None = None
    result: str | None = None
    known: str | None = None


@dataclass(slots=True)
class _Forecast:
    who: str
    made: str
    p: float
    where: Location


@dataclass(slots=True)
class _Export:
    """The rows of an export, read: its questions and their forecasts."""

    path: str
    header: list[str]
    found: dict[str, str]
    errors: list[Error] = field(default_factory=list)
    questions: dict[Key, _Question] = field(default_factory=dict)
    forecasts: dict[Key, list[_Forecast]] = field(default_factory=dict)

    def cell(self, cells: dict[str, str], name: str) -> str:
        """The cell of column `name` (a wanted name), or "" without that column."""
        return clean(cells[self.found[name]]) if name in self.found else ""

    def question(self, cells: dict[str, str], where: Location) -> _Question:
        """Deadline, outcome and notes of a question, from its first row."""
        info = _Question(where, self.cell(cells, "question notes"))
        try:
            info.deadline = iso_day(self.cell(cells, "question resolve by"))
        except ValueError as exc:
            self.errors.append(Error(where, f"question resolve by: {exc}"))
        resolution = self.cell(cells, "resolution").upper()
        if not resolution:
            return info
        if resolution not in RESULTS:
            self.errors.append(
                Error(
                    where,
                    f"unknown resolution '{resolution}'; expected YES, NO or AMBIGUOUS",
                )
            )
            return info
        try:
            info.known = iso_day(self.cell(cells, "resolved at"))
        except ValueError as exc:
            message = f"resolved at (the question resolved {resolution}): {exc}"
            self.errors.append(Error(where, message))
            return info
        info.result = RESULTS[resolution]
        return info

    def row(self, row: Row) -> None:
        """Read one row: a forecast, and its question if it is the first row."""
        where = Location(self.path, row.line)
        if len(row.values) < len(self.header):
            message = f"the row has {len(row.values)} of {len(self.header)} columns"
            self.errors.append(Error(where, message))
            return
        cells = row.cells
        title = one_line(self.cell(cells, "question title"))
        if not title:
            self.errors.append(Error(where, "the question title is empty"))
            return
        key = (
            title,
            one_line(self.cell(cells, "multiple choice option")),
            self.cell(cells, "question created by"),
            self.cell(cells, "question created at"),
        )
        who = one_line(self.cell(cells, "forecast created by")) or "anonymous"
        problems = len(self.errors)
        try:
            p = parse_probability(self.cell(cells, "forecast (scale = 0-1)"))
        except ValueError as exc:
            self.errors.append(Error(where, f"forecast: {exc}"))
        try:
            made = iso_day(self.cell(cells, "forecast created at"))
        except ValueError as exc:
            self.errors.append(Error(where, f"forecast created at: {exc}"))
        if key not in self.questions:
            self.questions[key] = self.question(cells, where)
        if len(self.errors) == problems:
            self.forecasts.setdefault(key, []).append(_Forecast(who, made, p, where))

    def late(self) -> None:
        """A forecast made after its question resolved is an error."""
        for key, info in self.questions.items():
            resolved = info.known
            for forecast in self.forecasts.get(key, []):
                if resolved is not None and forecast.made > resolved:
                    self.errors.append(
                        Error(
                            forecast.where,
                            f"forecast made {forecast.made}, after the question "
                            f"resolved on {resolved}",
                        )
                    )


def _question(
    key: Key, info: _Question, forecasts: list[Forecast], ident: str
) -> Question:
    """The ledger question of a Fatebook question (or of one option of one)."""
    title, option, author, created = key
    deadline = str(info.deadline)
    notes = [
        f"Fatebook question created{' ' + created[:10] if created else ''}"
        f"{' by ' + author if author else ''}"
    ]
    last = max((f.made.text for f in forecasts), default=None)
    if last is not None and last > deadline:
        notes.append(
            f"Fatebook's resolve-by date is {deadline}, but forecasts were made "
            f"until {last}, so that is the deadline here"
        )
        deadline = last
    criteria = (
        f"The option '{option}' of the multiple-choice question '{title}'"
        if option
        else title
    )
    criteria += f", as resolved on Fatebook by {author or 'its author'}."
    if info.notes:
        criteria += f"\n\nNotes: {info.notes}"
    outcomes: tuple[Outcome, ...] = ()
    if info.result and info.known:
        known = when(info.known)
        outcomes = (
            Outcome(
                location=info.where,
                result=word_result(info.result),
                known=known,
                recorded=known,
                by=author or "Fatebook",
            ),
        )
    return Question(
        location=info.where,
        id=ident,
        title=f"{title}: {option}" if option else title,
        criteria=criteria,
        kind="binary",
        deadline=when(deadline),
        tags=("source:fatebook",),
        note="; ".join(notes) + ".",
        forecasts=tuple(forecasts),
        outcomes=outcomes,
    )


def _built(export: _Export, output: str, progress: Progress) -> Imported:
    """The records of an export read without a problem, checked (`finish`)."""
    names: dict[str, Location] = {}
    for rows in export.forecasts.values():
        for row in rows:
            names.setdefault(row.who, row.where)
    people = unique_ids({name: slugify(name) for name in names})
    ids = unique_ids(
        {k: slugify(k[0] + (f" {k[1]}" if k[1] else "")) for k in export.questions}
    )
    built = []
    for key, info in export.questions.items():
        forecasts = [
            Forecast(
                location=f.where,
                by=people[f.who],
                made=when(f.made),
                p=f.p,
                basis="stated",
                source=SOURCE_ID,
            )
            for f in export.forecasts.get(key, [])
        ]
        built.append(_question(key, info, forecasts, ids[key]))
    forecasters = [
        Forecaster(location=names[name], id=ident, name=name)
        for name, ident in people.items()
    ]
    path = export.path
    source = Source(
        location=Location(path, 1),
        id=SOURCE_ID,
        title=f"Fatebook export {os.path.basename(path)}",
        kind="platform",
        url="https://fatebook.io",
        note=f"Imported with ledger import fatebook from {os.path.basename(path)}.",
    )
    summary = (
        f"{plural(len(built), 'question')}, "
        f"{plural(sum(len(v) for v in export.forecasts.values()), 'forecast')} by "
        f"{plural(len(people), 'forecaster')}, "
        f"{plural(sum(1 for q in built if q.outcomes), 'outcome')}"
    )
    return finish(
        Imported(summary=[summary]),
        files_header("fatebook", [path]),
        forecasters,
        [source],
        built,
        output,
        progress,
    )


@gc_paused()  # builds many objects, none in cycles: see loader.gc_paused
def import_fatebook(
    path: str, output: str = "imported.yaml", *, progress: Progress = no_progress
) -> Imported:
    """Read a Fatebook CSV export; build a ledger (see the module docstring).

    Args:
        path: the export.
        output: the path the ledger will be written to (for messages only).
        progress: shows the progress of reading the rows and of the check.

    Returns:
        An `Imported` with the ledger text and a summary, or the errors.
    """
    header, rows, errors = read_csv(path)
    if errors:
        return Imported(errors=errors)
    found, errors = columns(header, path, REQUIRED, OPTIONAL, ALIASES)
    if errors:
        return Imported(errors=errors)
    export = _Export(path, header, found)
    with progress(rows, f"reading {os.path.basename(path)}") as items:
        for row in items:
            export.row(row)
    export.late()
    if export.errors:
        return Imported(errors=in_order(export.errors))
    return _built(export, output, progress)
