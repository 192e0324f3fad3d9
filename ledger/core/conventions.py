"""Conventions: how vague and approximate time expressions become windows.

The keeper's readings of words that name no exact date ("within decades", "in
our lifetime", "about 3 years") are data, not code: they ship in
`conventions.json` beside `tables.json`, the README lists them, and a keeper
who reads them differently passes a file of the same shape. Each vague `Span`
names its phrases and a window whose ends are horizons from the forecast's
`made` date (`+30y`), ledger dates (`2050`) or None (open); `slack` is the one
convention for a single approximate horizon, applied to every such claim.
Nothing here reads a file the user named: the command line reads it and hands
the text to `read_conventions`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from ledger.core.dates import DateError, When, parse_offset, parse_when
from ledger.core.jsontext import item_starts, parse_json_text
from ledger.core.model import Error, Location

UNITS = ("decade", "year", "month", "week", "day")
"""The units a horizon may count in, each with its own slack."""

End = relativedelta | When | None
"""A window end: a horizon from `made`, a ledger date, or an open end."""


@dataclass(frozen=True, slots=True, eq=False)
class Span:
    """A vague time expression and the window the keeper reads it as."""

    phrases: tuple[str, ...]
    start: End
    end: End
    text: tuple[str | None, str | None]  # the two ends as written in the file
    rule: str


@dataclass(frozen=True, slots=True)
class Conventions:
    """The conventions in force, and the file they came from."""

    path: str
    slack: dict[str, relativedelta]
    slack_text: dict[str, str]
    spans: tuple[Span, ...]
    approximate_rule: str

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every phrase of every span (lowercased, single spaces), sorted."""
        return _phrases(self.spans)

    def span(self, phrase: str) -> Span | None:
        """The span that lists `phrase` (any case, any spacing), if any."""
        key = " ".join(phrase.lower().split())
        for span in self.spans:
            if key in span.phrases:
                return span
        return None


class _Problem(ValueError):
    """A bad value in a conventions file, with the keys to find its line by."""

    def __init__(self, message: str, *near: str) -> None:
        super().__init__(message)
        self.near = near  # keys, each looked for after the one before it


@cache
def _phrases(spans: tuple[Span, ...]) -> tuple[str, ...]:
    return tuple(sorted({phrase for span in spans for phrase in span.phrases}))


def shipped() -> Conventions:
    """The conventions shipped with ledger (`ledger/core/conventions.json`)."""
    return _shipped()


@cache
def _shipped() -> Conventions:
    path = Path(__file__).with_name("conventions.json")
    found, errors = read_conventions(path.read_text("utf-8"), str(path))
    if found is None:  # the shipped file is tested; this would be a packaging bug
        raise RuntimeError("; ".join(str(e) for e in errors))
    return found


def read_conventions(text: str, path: str) -> tuple[Conventions | None, list[Error]]:
    """Conventions from the text of a JSON file, or every problem as PATH:LINE.

    >>> found, errors = read_conventions('{"spans": []}', "c.json")
    >>> [str(e) for e in errors]
    ["c.json:1: 'approximate' is missing: give its 'slack' for each unit"]
    """
    data, errors = parse_json_text(text, path)
    if errors:
        return None, errors

    def problem(exc: _Problem, start: int = 0, stop: int | None = None) -> None:
        line = _line_of(text, exc.near, start, stop)
        errors.append(Error(Location(path, line), str(exc)))

    if not isinstance(data, dict):
        return None, [Error(Location(path, 1), "the file must hold a JSON object")]
    slack: dict[str, relativedelta] = {}
    slack_text: dict[str, str] = {}
    rule = ""
    try:
        slack_text, rule = _approximate(data)
        for unit, value in slack_text.items():
            slack[unit] = _slack(unit, value)
    except _Problem as exc:
        problem(exc)
    spans = []
    starts = item_starts(text, "spans")
    for i, item in enumerate(_list(data, "spans", errors, path, text)):
        try:
            spans.append(_span(item, i))
        except _Problem as exc:  # at its key within the span, else the span's start
            start = starts[i] if i < len(starts) else 0
            stop = starts[i + 1] if i + 1 < len(starts) else None
            problem(exc, start, stop)
    if errors:  # in file order, wherever each section is
        return None, sorted(errors, key=lambda error: error.location.line)
    return Conventions(path, slack, slack_text, tuple(spans), rule), []


def _approximate(data: dict[str, Any]) -> tuple[dict[str, str], str]:
    """The `approximate` section's slack per unit (as written) and its rule."""
    section = data.get("approximate")
    if section is None:
        raise _Problem(
            "'approximate' is missing: give its 'slack' for each unit", "approximate"
        )
    if not isinstance(section, dict):
        message = "'approximate' must be an object with its 'slack' for each unit"
        raise _Problem(message, "approximate")
    slack = section.get("slack")
    units = ", ".join(UNITS)
    if not isinstance(slack, dict):
        message = "'approximate' needs 'slack': a horizon like +6m for each unit: "
        raise _Problem(message + units, "approximate", "slack")
    missing = [f"no '{unit}'" for unit in UNITS if unit not in slack]
    unknown = [f"'{unit}' is not a unit" for unit in slack if unit not in UNITS]
    if missing or unknown:
        wrong = "; ".join(missing + unknown)
        message = f"'slack' must give exactly these units: {units} ({wrong})"
        raise _Problem(message, "approximate", "slack")
    for unit, value in slack.items():
        if not isinstance(value, str):
            message = f"slack of '{unit}' must be text like +6m"
            raise _Problem(message, "approximate", "slack", unit)
    return dict(slack), str(section.get("rule", ""))


def _list(
    data: dict[str, Any], name: str, errors: list[Error], path: str, text: str
) -> list[Any]:
    """The list `data[name]`; an error (and no items) when it is not a list."""
    value = data.get(name)
    if isinstance(value, list):
        return value
    message = f"'{name}' must be a list of {{phrases, window, rule}} objects"
    errors.append(Error(Location(path, _line_of(text, (name,))), message))
    return []


def _span(item: object, i: int) -> Span:
    """One vague span, checked."""
    near = f"span {i + 1}"
    if not isinstance(item, dict):
        raise _Problem(f"{near} must be an object with phrases, window and rule")
    phrases = item.get("phrases")
    if (
        not isinstance(phrases, list)
        or not phrases
        or not all(isinstance(p, str) and p.strip() for p in phrases)
    ):
        message = f"{near} needs 'phrases': a list of non-empty texts"
        raise _Problem(message, "phrases")
    window = item.get("window")
    if not isinstance(window, list) or len(window) != 2:
        raise _Problem(f"{near}: 'window' must be [start, end]", "window")
    ends = [_end(value, near) for value in window]
    if ends[0] is None:
        message = f"{near}: a window needs a start (an end may be null)"
        raise _Problem(message, "window")
    return Span(
        phrases=tuple(" ".join(p.lower().split()) for p in phrases),
        start=ends[0],
        end=ends[1],
        text=(window[0], window[1]),
        rule=str(item.get("rule", "")),
    )


def _end(value: object, span: str) -> End:
    """A window end: `+Ny` (from made), a ledger date, or null."""
    if value is None:
        return None
    if not isinstance(value, str):
        shown = json.dumps(value)
        message = f"{span}: window end {shown} must be text like +30y or 2050"
        raise _Problem(message, "window")
    try:
        return parse_offset(value) if value.startswith("+") else parse_when(value)
    except DateError as exc:
        raise _Problem(f"{span}: window end: {exc}", "window") from None


def _slack(unit: str, value: str) -> relativedelta:
    """The slack of `unit`: a horizon like +6m."""
    try:
        return parse_offset(value)
    except DateError as exc:
        message = f"slack of '{unit}': {exc}"
        raise _Problem(message, "approximate", "slack", unit) from None


def _line_of(
    text: str, near: tuple[str, ...], start: int = 0, stop: int | None = None
) -> int:
    """The 1-based line of the keys `near` in `text[start:stop]`.

    Each key is looked for after the one before; the line is that of the last
    one found (of `start` if none is).
    """
    at = start
    for key in near:
        found = text.find(json.dumps(key), at, len(text) if stop is None else stop)
        if found < 0:
            break
        at = found
    return text.count("\n", 0, at) + 1
