"""Rows: what is read from ForecastBench's files, and where each thing was.

The question set's items (`Item`), the forecast sets' kept rows (`Row`,
gathered with who's who in `Forecasts`), the resolution set's rows
(`Resolution`), and the `Counts` the summary reports. `read` makes them,
`build` turns them into the ledger's records.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ledger.core.jsontext import item_lines
from ledger.core.model import Error, Location

Key = tuple[str, str]
"""A question's (source, id)."""

Who = tuple[str, str]
"""A forecaster: ("user", user_id), ("model", model) or ("crowd", source)."""


class Locator:
    """Lines of the items of one JSON array, computed when first needed."""

    def __init__(self, path: str, content: str, key: str) -> None:
        self.path, self.content, self.key = path, content, key
        self._lines: list[int] | None = None

    def at(self, index: int) -> Location:
        """Where item `index` starts (line 1 if it cannot be found)."""
        if self._lines is None:
            self._lines = item_lines(self.content, self.key)
        line = self._lines[index] if index < len(self._lines) else 1
        return Location(self.path, line)

    def error(self, index: int, message: str) -> Error:
        """A problem with item `index`, named `key[index]` in the message."""
        return Error(self.at(index), f"{self.key}[{index}]: {message}")


@dataclass(slots=True)
class Item:
    """A question of the question set: a market, or a dataset question's horizons."""

    source: str
    id: str
    record: dict[str, Any]
    market: bool
    horizons: set[str]
    location: Location


@dataclass(slots=True)
class Row:
    """One forecast row kept from a forecast set."""

    key: Key
    horizon: str | None
    who: Who
    made: str
    p: float
    location: Location


@dataclass(slots=True)
class Resolution:
    """One row of the resolution set, on a question of the question set."""

    key: Key
    day: str
    resolved: bool
    value: float
    order: int
    location: Location


@dataclass(slots=True)
class Counts:
    """For the summary: what was dropped, notes on the files, and what was built.

    `built` counts the questions, forecasts and outcomes made of each kind
    (`build`): market, dataset, horizons, crowd, rows, decided, provisional,
    unresolved, resolved_horizons.
    """

    combinations: set[str] = field(default_factory=set)
    combination_rows: int = 0
    unknown_forecasts: int = 0
    unknown_resolutions: int = 0
    duplicates: int = 0
    imputed: int = 0
    late: int = 0
    no_crowd: int = 0
    set_notes: list[str] = field(default_factory=list)
    built: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class Forecasts:
    """The kept rows of the forecast sets, and who's who.

    `people` maps each forecaster to (affiliation, where first seen).
    """

    rows: list[Row] = field(default_factory=list)
    people: dict[Who, tuple[str, Location]] = field(default_factory=dict)


def json_text(value: object) -> str:
    """A JSON value as the text a probability parser reads: a string as it is.

    >>> json_text(0.25), json_text("70%"), json_text(None)
    ('0.25', '70%', 'null')
    """
    return value if isinstance(value, str) else json.dumps(value)
