"""Import Fatebook's CSV export into a ledger.

The format is the one Fatebook's "Export all your forecasts" writes
(Sage-Future/fatebook, `lib/web/export.ts`, `questionsToCsv`): one row per
forecast, a header row of these names, string cells double-quoted, dates as
`YYYY-MM-DD H:MM:S` (server time; only the day is used), empty cells for
missing values. Columns are matched by name, ignoring case and spacing; their
order does not matter.

| header | use |
|---|---|
| `Question title` (required) | the question's title; its slug is the id |
| `Multiple choice option` | for a multiple-choice question, the option: each option becomes a binary question "TITLE: OPTION" |
| `Forecast created by` (required) | the forecaster's name; its slug is the id (empty: `anonymous`) |
| `Forecast (scale = 0-1)` (required; also `Forecast`) | the probability: 0.7, or a percent such as 70% |
| `Forecast created at` (required) | `made` |
| `Question created by`, `Question created at` | with the title, tell questions of the same title apart; noted |
| `Question resolve by` (required) | the deadline |
| `Resolution` (older exports: `Question resolution`) | YES, NO or AMBIGUOUS (empty: unresolved) |
| `Resolved at` (older exports: `Question resolved at`) | when the outcome was known (and recorded) |
| `Question notes` | added to the criteria |

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

from ledger.core.memory import gc_paused
from ledger.core.model import Error, Location
from ledger.core.text import plural
from ledger.importers.common import (
    Forecast,
    Forecaster,
    Imported,
    Outcome,
    Question,
    Source,
    clean,
    columns,
    files_header,
    finish,
    in_order,
    iso_day,
    one_line,
    probability,
    progress,
    read_csv,
    slugify,
    unique_ids,
)

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


@gc_paused()  # builds many objects, none in cycles: see loader.gc_paused
def import_fatebook(path: str, output: str = "imported.yaml") -> Imported:
    """Read a Fatebook CSV export; build a ledger (see the module docstring)."""
    imported = Imported()
    header, rows, errors = read_csv(path)
    if errors:
        imported.errors = errors
        return imported
    found, errors = columns(header, path, REQUIRED, OPTIONAL, ALIASES)
    if errors:
        imported.errors = errors
        return imported

    def cell(row_cells: dict[str, str], name: str) -> str:
        return clean(row_cells[found[name]]) if name in found else ""

    questions: dict[Key, dict[str, object]] = {}
    forecasts: dict[Key, list[tuple[str, str, float, Location]]] = {}
    names: set[str] = set()
    with progress(rows, f"reading {os.path.basename(path)}") as items:
        for row in items:
            where = Location(path, row.line)
            if len(row.values) < len(header):
                errors.append(
                    Error(
                        where, f"the row has {len(row.values)} of {len(header)} columns"
                    )
                )
                continue
            cells = row.cells
            title = one_line(cell(cells, "question title"))
            if not title:
                errors.append(Error(where, "the question title is empty"))
                continue
            option = one_line(cell(cells, "multiple choice option"))
            key = (
                title,
                option,
                cell(cells, "question created by"),
                cell(cells, "question created at"),
            )
            who = one_line(cell(cells, "forecast created by")) or "anonymous"
            problems = len(errors)
            try:
                p = probability(cell(cells, "forecast (scale = 0-1)"))
            except ValueError as exc:
                errors.append(Error(where, f"forecast: {exc}"))
            try:
                made = iso_day(cell(cells, "forecast created at"))
            except ValueError as exc:
                errors.append(Error(where, f"forecast created at: {exc}"))
            if key not in questions:
                questions[key] = _question(cells, cell, where, errors)
            if len(errors) == problems:
                forecasts.setdefault(key, []).append((who, made, p, where))
                names.add(who)
    for key, info in questions.items():
        resolved = info.get("known")
        for _, made, _, where in forecasts.get(key, []):
            if isinstance(resolved, str) and made > resolved:
                errors.append(
                    Error(
                        where,
                        f"forecast made {made}, after the question resolved "
                        f"on {resolved}",
                    )
                )
    if errors:
        imported.errors = in_order(errors)
        return imported

    ids = unique_ids(
        {key: slugify(key[0] + (f" {key[1]}" if key[1] else "")) for key in questions}
    )
    people = unique_ids({name: slugify(name) for name in names})
    built = []
    for key, info in questions.items():
        title, option, author, created = key
        made_days = [made for _, made, _, _ in forecasts.get(key, [])]
        deadline = str(info["deadline"])
        notes = [
            f"Fatebook question created{' ' + created[:10] if created else ''}"
            f"{' by ' + author if author else ''}"
        ]
        if made_days and max(made_days) > deadline:
            notes.append(
                f"Fatebook's resolve-by date is {deadline}, but forecasts were made "
                f"until {max(made_days)}, so that is the deadline here"
            )
            deadline = max(made_days)
        criteria = (
            f"The option '{option}' of the multiple-choice question '{title}'"
            if option
            else title
        )
        criteria += f", as resolved on Fatebook by {author or 'its author'}."
        if info.get("notes"):
            criteria += f"\n\nNotes: {info['notes']}"
        outcomes = []
        if info.get("result"):
            outcomes.append(
                Outcome(
                    str(info["result"]),
                    str(info["known"]),
                    str(info["known"]),
                    author or "Fatebook",
                )
            )
        built.append(
            Question(
                ids[key],
                f"{title}: {option}" if option else title,
                criteria,
                deadline,
                ["source:fatebook"],
                "; ".join(notes) + ".",
                [
                    Forecast(people[who], made, p, SOURCE_ID)
                    for who, made, p, _ in forecasts.get(key, [])
                ],
                outcomes,
            )
        )
    forecasters = [Forecaster(ident, name) for name, ident in people.items()]
    source = Source(
        SOURCE_ID,
        f"Fatebook export {os.path.basename(path)}",
        "platform",
        "https://fatebook.io",
        note=f"Imported with ledger import fatebook from {os.path.basename(path)}.",
    )
    imported.summary = [
        f"{plural(len(built), 'question')}, "
        f"{plural(sum(len(v) for v in forecasts.values()), 'forecast')} by "
        f"{plural(len(people), 'forecaster')}, "
        f"{plural(sum(1 for q in built if q.outcomes), 'outcome')}"
    ]
    return finish(
        imported, files_header("fatebook", [path]), forecasters, [source], built, output
    )


def _question(
    cells: dict[str, str],
    cell,
    where: Location,  # type: ignore[no-untyped-def]
    errors: list[Error],
) -> dict[str, object]:
    """Deadline, outcome and notes of a question, from its first row."""
    info: dict[str, object] = {"notes": cell(cells, "question notes")}
    try:
        info["deadline"] = iso_day(cell(cells, "question resolve by"))
    except ValueError as exc:
        errors.append(Error(where, f"question resolve by: {exc}"))
    resolution = cell(cells, "resolution").upper()
    if resolution:
        if resolution not in RESULTS:
            errors.append(
                Error(
                    where,
                    f"unknown resolution '{resolution}'; expected YES, NO or AMBIGUOUS",
                )
            )
            return info
        try:
            info["known"] = iso_day(cell(cells, "resolved at"))
        except ValueError as exc:
            errors.append(
                Error(where, f"resolved at (the question resolved {resolution}): {exc}")
            )
            return info
        info["result"] = RESULTS[resolution]
    return info
