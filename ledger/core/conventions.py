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
    """A bad value in a conventions file, with the text to find its line by."""

    def __init__(self, message: str, near: str, nth: int = 0) -> None:
        super().__init__(message)
        self.near = near
        self.nth = nth  # the line of the nth appearance (from 0) of `near`


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
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (column {exc.colno})"
        return None, [Error(Location(path, exc.lineno), message)]
    errors: list[Error] = []

    def problem(exc: _Problem) -> None:
        line = _line_of(text, exc.near, exc.nth)
        errors.append(Error(Location(path, line), str(exc)))

    if not isinstance(data, dict):
        return None, [Error(Location(path, 1), "the file must hold a JSON object")]
    slack: dict[str, relativedelta] = {}
    slack_text: dict[str, str] = {}
    rule = ""
    try:
        slack_text, rule = _approximate(data)
        for unit, value in slack_text.items():
            slack[unit] = _offset(value, f'"{unit}"')
    except _Problem as exc:
        problem(exc)
    spans = []
    for i, item in enumerate(_list(data, "spans", errors, path, text)):
        try:
            spans.append(_span(item, i))
        except _Problem as exc:  # at the span's own "phrases" or "window"
            problem(_Problem(str(exc), exc.near, i))
    if errors:
        return None, errors
    return Conventions(path, slack, slack_text, tuple(spans), rule), []


def _approximate(data: dict[str, Any]) -> tuple[dict[str, str], str]:
    """The `approximate` section's slack per unit (as written) and its rule."""
    section = data.get("approximate")
    if not isinstance(section, dict) or not isinstance(section.get("slack"), dict):
        raise _Problem(
            "'approximate' is missing: give its 'slack' for each unit", '"approximate"'
        )
    slack = section["slack"]
    missing = [unit for unit in UNITS if unit not in slack]
    unknown = [unit for unit in slack if unit not in UNITS]
    if missing or unknown:
        raise _Problem(
            "'slack' must give exactly these units: " + ", ".join(UNITS), '"slack"'
        )
    for unit, value in slack.items():
        if not isinstance(value, str):
            raise _Problem(f"slack of '{unit}' must be text like +6m", f'"{unit}"')
    return dict(slack), str(section.get("rule", ""))


def _list(
    data: dict[str, Any], name: str, errors: list[Error], path: str, text: str
) -> list[Any]:
    """The list `data[name]`; an error (and no items) when it is not a list."""
    value = data.get(name)
    if isinstance(value, list):
        return value
    message = f"'{name}' must be a list of {{phrases, window, rule}} objects"
    errors.append(Error(Location(path, _line_of(text, f'"{name}"')), message))
    return []


def _span(item: object, i: int) -> Span:
    """One vague span, checked."""
    near = f"span {i + 1}"
    if not isinstance(item, dict):
        raise _Problem(f"{near} must be an object with phrases, window and rule", "{")
    phrases = item.get("phrases")
    if (
        not isinstance(phrases, list)
        or not phrases
        or not all(isinstance(p, str) and p.strip() for p in phrases)
    ):
        message = f"{near} needs 'phrases': a list of non-empty texts"
        raise _Problem(message, '"phrases"')
    window = item.get("window")
    if not isinstance(window, list) or len(window) != 2:
        raise _Problem(f"{near}: 'window' must be [start, end]", '"phrases"')
    ends = [_end(value, '"window"', near) for value in window]
    if ends[0] is None:
        message = f"{near}: a window needs a start (an end may be null)"
        raise _Problem(message, '"window"')
    return Span(
        phrases=tuple(" ".join(p.lower().split()) for p in phrases),
        start=ends[0],
        end=ends[1],
        text=(window[0], window[1]),
        rule=str(item.get("rule", "")),
    )


def _end(value: object, near: str, span: str) -> End:
    """A window end: `+Ny` (from made), a ledger date, or null."""
    if value is None:
        return None
    if not isinstance(value, str):
        message = f"{span}: window end {value!r} must be text like +30y or 2050"
        raise _Problem(message, near)
    try:
        return _offset(value, near) if value.startswith("+") else parse_when(value)
    except (DateError, _Problem) as exc:
        raise _Problem(f"{span}: window end: {exc}", near) from None


def _offset(value: str, near: str) -> relativedelta:
    try:
        return parse_offset(value)
    except DateError as exc:
        raise _Problem(str(exc), near) from None


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    """The 1-based line of the `nth` appearance (from 0) of `needle` (else 1)."""
    at = -1
    for _ in range(nth + 1):
        at = text.find(needle, at + 1)
        if at < 0:
            return 1
    return text.count("\n", 0, at) + 1
