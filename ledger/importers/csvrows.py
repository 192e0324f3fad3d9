"""CSV rows: the forecasts of a plain CSV file, in the long or the wide layout.

Long: one row per forecast, columns `question`, `forecaster`, `probability`
and optionally `made` and `deadline`. Wide (`--wide`): one row per
forecaster, the first column `forecaster`, an optional `made`, and one column
per question holding that forecaster's probability (an empty cell is no
forecast). See `csvfile` for the whole format. Each row's problems are
collected in `errors`, at the row's line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.core.model import Error, Location
from ledger.core.numbers import parse_probability
from ledger.importers.common import PERCENT_HINT, ledger_date, no_progress, one_line
from ledger.importers.read import columns

if TYPE_CHECKING:
    from ledger.importers.common import Progress
    from ledger.importers.read import Row


@dataclass(slots=True)
class Forecast:
    """A forecast row; `p` or `made` is None when the row has an error there."""

    question: str
    forecaster: str
    p: float | None
    made: str | None
    where: Location


def cell_count(row: Row, header: list[str], path: str) -> Error | None:
    """A row with fewer cells than the header, or extra non-empty cells, is an error."""
    if len(row.values) < len(header):
        missing = ", ".join(f"'{h}'" for h in header[len(row.values) :])
        return Error(
            Location(path, row.line),
            f"the row has {len(row.values)} of {len(header)} columns; "
            f"missing {missing}",
        )
    extra = [v for v in row.values[len(header) :] if v.strip()]
    if extra:
        return Error(
            Location(path, row.line),
            f"the row has {len(row.values)} cells but the header names {len(header)}",
        )
    return None


def dated(
    value: str, option: str | None, what: str, where: Location, errors: list[Error]
) -> str | None:
    """A date from the row, else from the option; an error naming the option if neither.

    Args:
        value: the row's cell (may be empty).
        option: the date given on the command line (`--made` and so on).
        what: the column and option name: made, deadline or known.
        where: the row, for messages.
        errors: where a problem goes.

    Returns:
        The date's text, or None after an error.
    """
    text = value or option
    if not text:
        errors.append(
            Error(where, f"no {what} date: add a '{what}' column or pass --{what} DATE")
        )
        return None
    try:
        return ledger_date(text)
    except ValueError as exc:
        errors.append(Error(where, f"{what}: {exc}"))
        return None


@dataclass(slots=True)
class Reader:
    """Reads the forecast rows of one file; problems go into `errors`.

    `deadlines` gets each question's deadline from a long file's `deadline`
    column, with the row that gave it first.
    """

    path: str
    header: list[str]
    percent: bool
    made: str | None
    errors: list[Error]
    deadlines: dict[str, tuple[str, Location]] = field(default_factory=dict)

    def probability(self, text: str) -> float:
        """A probability cell (`--percent`: a bare number is a percent)."""
        return parse_probability(text, percent=self.percent, percent_hint=PERCENT_HINT)

    def long(self, rows: list[Row], progress: Progress = no_progress) -> list[Forecast]:
        """The forecasts of a long file: one per row."""
        found, problems = columns(
            self.header,
            self.path,
            ["question", "forecaster", "probability"],
            ["made", "deadline"],
        )
        self.errors += problems
        if problems:
            return []
        kept: list[Forecast] = []
        with progress(rows, f"reading {os.path.basename(self.path)}") as items:
            for row in items:
                forecast = self._long_row(row, found)
                if forecast is not None:
                    kept.append(forecast)
        return kept

    def _long_row(self, row: Row, found: dict[str, str]) -> Forecast | None:
        where = Location(self.path, row.line)
        short = cell_count(row, self.header, self.path)
        if short is not None:
            self.errors.append(short)
            return None
        question = one_line(row.cells[found["question"]])
        who = one_line(row.cells[found["forecaster"]])
        if not question:
            self.errors.append(Error(where, "the question is empty"))
        if not who:
            self.errors.append(Error(where, "the forecaster is empty"))
        p: float | None = None
        try:
            p = self.probability(row.cells[found["probability"]])
        except ValueError as exc:
            self.errors.append(Error(where, str(exc)))
        cell = row.cells[found["made"]] if "made" in found else ""
        day = dated(cell, self.made, "made", where, self.errors)
        if "deadline" in found and row.cells[found["deadline"]] and question:
            self._deadline(row.cells[found["deadline"]], question, where)
        return Forecast(question, who, p, day, where) if question and who else None

    def _deadline(self, cell: str, question: str, where: Location) -> None:
        """A question's deadline from a row: the same on every row of the question."""
        try:
            deadline = ledger_date(cell)
        except ValueError as exc:
            self.errors.append(Error(where, f"deadline: {exc}"))
            return
        first = self.deadlines.setdefault(question, (deadline, where))
        if first[0] != deadline:
            self.errors.append(
                Error(
                    where,
                    f"deadline {deadline} differs from {first[0]} given for the "
                    f"same question at line {first[1].line}",
                )
            )

    def _wide_header(self) -> tuple[int | None, dict[int, str]]:
        """The `made` column, if any, and the question of each other column."""
        header, at = self.header, Location(self.path, 1)
        made_column = None
        questions: dict[int, str] = {}
        seen: dict[str, int] = {}
        for i, heading in enumerate(header[1:], start=1):
            name = one_line(heading)
            if name.lower() == "made" and made_column is None:
                made_column = i
            elif not name:
                message = f"column {i + 1} has no question in the header"
                self.errors.append(Error(at, message))
            elif name in seen:
                both = f"{seen[name] + 1} and {i + 1}"
                message = f"question '{name}' heads columns {both}"
                self.errors.append(Error(at, message))
            else:
                seen[name] = i
                questions[i] = name
        if not questions:
            self.errors.append(Error(at, "no question columns after 'forecaster'"))
        return made_column, questions

    def wide(self, rows: list[Row], progress: Progress = no_progress) -> list[Forecast]:
        """The forecasts of a wide file: one per non-empty question cell."""
        if not self.header or self.header[0].strip().lower() != "forecaster":
            first = self.header[0] if self.header else ""
            self.errors.append(
                Error(
                    Location(self.path, 1),
                    f"the first column of a --wide file must be "
                    f"'forecaster', got '{first}'",
                )
            )
            return []
        made_column, questions = self._wide_header()
        kept: list[Forecast] = []
        with progress(rows, f"reading {os.path.basename(self.path)}") as items:
            for row in items:
                kept += self._wide_row(row, made_column, questions)
        return kept

    def _wide_row(
        self, row: Row, made_column: int | None, questions: dict[int, str]
    ) -> list[Forecast]:
        where = Location(self.path, row.line)
        short = cell_count(row, self.header, self.path)
        if short is not None:
            self.errors.append(short)
            return []
        who = one_line(row.values[0])
        if not who:
            self.errors.append(Error(where, "the forecaster is empty"))
            return []
        cell = row.values[made_column].strip() if made_column is not None else ""
        day: str | None = None
        read_day = False
        kept = []
        for i, question in questions.items():
            value = row.values[i].strip()
            if not value:
                continue
            if not read_day:  # once a row, and only for a row with a forecast
                day, read_day = dated(cell, self.made, "made", where, self.errors), True
            p: float | None = None
            try:
                p = self.probability(value)
            except ValueError as exc:
                self.errors.append(Error(where, f"'{question}': {exc}"))
            kept.append(Forecast(question, who, p, day, where))
        return kept
