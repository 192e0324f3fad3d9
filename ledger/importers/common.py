"""Common: what every importer shares: ids, values from cells, the checked result.

An importer reads other tools' files (`read`), builds the frozen records of
`core.model` (Forecaster, Source, Question with its Forecasts and Outcomes)
and returns an `Imported`: the text of an ordinary ledger, a short summary for
the user, and every problem with the input as an `Error(Location(path,
line), message)`. Problems are collected, never raised, so one run reports
them all; when there are any, nothing is written. The CLI (`ledger import ...`)
prints the problems, or writes the text (by the output rules of `files.outputs`) and
prints the summary.

Each record's `location` is where the input says it: the input file and the
line of the row (CSV: the line the row starts on; JSON: the line its item
starts on) it was built from, the first such row when several rows make one
record, and line 1 of the file for what the whole file gives (the source).

The ledger text is written by `record.emit`, the writer the editing commands
use too: deterministic (records sorted by id, forecasts by date), compact
(forecasts and outcomes are one-line flow mappings, `- {by: x, made:
2025-10-26, p: 0.3, basis: stated}`), and fast on big inputs. Before it is
returned, the text is loaded and validated exactly as `ledger check` would,
so an importer can never leave a broken ledger behind.

Importers draw nothing: each takes a `progress` callback (`Progress`) that
the CLI makes a progress bar; the default, `no_progress`, shows nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from ledger.core.dates import DateError, When, parse_day, parse_when
from ledger.core.model import Error, Forecaster, Question, Result, Source
from ledger.files.outputs import IMPORTED
from ledger.loader import cache
from ledger.loader.fields import without_controls
from ledger.loader.load import load_text
from ledger.record.emit import ledger_text
from ledger.validate import validate

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from contextlib import AbstractContextManager

T = TypeVar("T")

SLUG_MAX = 48
"""Longest slug kept as it is; longer ones are cut and given a hash suffix."""

PERCENT_HINT = "pass --percent if the file holds percents"
"""What a probability in (1, 100] in a CSV file suggests (`parse_probability`)."""


class Progress(Protocol):
    """How an importer shows its progress over a long list of items.

    `progress(items, label, length)` returns a context manager that yields
    the items to iterate over; the CLI's draws a progress bar labelled `label`
    as they are consumed (`length` when `items` has no len).
    """

    def __call__(
        self, items: Iterable[T], label: str, length: int | None = None
    ) -> AbstractContextManager[Iterable[T]]:
        """Wrap `items` in whatever shows the progress."""
        ...


@contextlib.contextmanager
def no_progress(
    items: Iterable[T], label: str, length: int | None = None
) -> Iterator[Iterable[T]]:
    """The default `Progress`: the items unchanged, and nothing shown."""
    yield items


@dataclass(slots=True)
class Imported:
    """What an importer produced: the ledger text, a summary, or the errors."""

    text: str = ""
    summary: list[str] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)
    questions: int = 0
    forecasts: int = 0
    outcomes: int = 0


# -- ids ---------------------------------------------------------------------

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def digest(*parts: str, length: int = 8) -> str:
    """A short, stable hex digest of `parts` (the same input always gives the same)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    """A ledger id for `text`: lowercase letters, digits and single hyphens.

    Stable (depends on `text` alone); a slug longer than `limit` keeps its first
    part and ends with a hash of the whole text, so long ids stay unique.

    >>> slugify("SbZAVaBSo6"), slugify("meteofrance_TEMPERATURE_celsius.61996.D")
    ('sbzavabso6', 'meteofrance-temperature-celsius-61996-d')
    >>> slugify("Will it rain in Paris on 2026-07-14, the national holiday, or not?")
    'will-it-rain-in-paris-on-2026-07-14-the-a0d89e3f'
    >>> slugify("???")
    'x-2d86c2a6'
    """
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    if not slug:
        return "x-" + digest(text)
    if len(slug) > limit:
        head = slug[: limit - 9].rstrip("-")
        return f"{head}-{digest(text)}"
    return slug


def unique_ids(wanted: dict[T, str]) -> dict[T, str]:
    """Resolve clashes: keys whose proposed ids collide all get a hash suffix.

    `wanted` maps each record's key (anything with a stable `str`) to its
    proposed id. Ids that no other key wants are kept; every member of a
    clashing group gets `-<hash of its key>`, so the result does not depend on
    the order of the input.

    >>> unique_ids({"Q1": "q1", "q1": "q1", "q2": "q2"})
    {'Q1': 'q1-db5623b4', 'q1': 'q1-e0417928', 'q2': 'q2'}
    """
    groups: dict[str, list[T]] = {}
    for key, slug in wanted.items():
        groups.setdefault(slug, []).append(key)
    result: dict[T, str] = {}
    taken = {slug for slug, keys in groups.items() if len(keys) == 1}
    for slug, keys in groups.items():
        if len(keys) == 1:
            result[keys[0]] = slug
            continue
        for key in keys:
            candidate = f"{slug}-{digest(_key_text(key))}"
            while candidate in taken:  # vanishingly rare: lengthen the hash
                candidate = f"{slug}-{digest(_key_text(key), candidate, length=12)}"
            taken.add(candidate)
            result[key] = candidate
    return result


def _key_text(key: object) -> str:
    if isinstance(key, tuple):
        return "\x1f".join(map(str, key))
    return str(key)


# -- values ------------------------------------------------------------------


def clean(value: object) -> str:
    """Free text from an input file: str, newlines normalised, stripped."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def one_line(value: str) -> str:
    """Whitespace and control characters collapsed to single spaces (titles, names)."""
    return " ".join(without_controls(value).split())


def number(value: float) -> str:
    """A probability or fraction as the shortest text that reads back the same.

    >>> number(0.7), number(1.0), number(1e-05), number(70 / 100)
    ('0.7', '1.0', '1e-05', '0.7')
    """
    return repr(float(value))


def iso_day(value: object) -> str:
    """The day of an ISO date or date-time.

    Such as "2025-10-16T00:00:00+00:00" or "2024-03-05 14:07:9". Raises
    ValueError with a message for the user.
    """
    shown = str(value).strip() if value is not None else ""
    match = re.match(r"(\d{4}-\d{2}-\d{2})(?:$|[T ])", shown)
    if not match:
        raise ValueError(f"expected a date such as 2025-10-26, got '{shown}'")
    try:
        parse_day(match.group(1))
    except DateError as exc:
        raise ValueError(str(exc)) from None
    return match.group(1)


@functools.lru_cache(maxsize=4096)
def when(text: str) -> When:
    """`dates.parse_when`, memoised.

    An import repeats the same few dates over and over, and a `When` is
    immutable. Errors are raised anew each time.
    """
    return parse_when(text)


def ledger_date(value: str) -> str:
    """A date in any ledger form (2026-02-10, 2026-02, 2026, A..B), checked."""
    try:
        when(value)
    except DateError as exc:
        raise ValueError(str(exc)) from None
    return value.strip()


def binary_result(value: float) -> Result:
    """The outcome of a binary question resolved to `value`: yes, no or a fraction."""
    if value == 1.0:
        return Result("yes", 1.0, "yes")
    if value == 0.0:
        return Result("no", 0.0, "no")
    return Result("fraction", value, number(value))


def word_result(word: str) -> Result:
    """The outcome written as `word`: yes, no, void or ambiguous."""
    if word in ("yes", "no"):
        return binary_result(1.0 if word == "yes" else 0.0)
    if word == "void":
        return Result("void", None, "void")
    return Result("ambiguous", None, "ambiguous")


def provisional(value: float) -> Result:
    """An open market's latest probability, as a provisional outcome."""
    return Result("provisional", value, f"provisional:{number(value)}")


def in_order(errors: Iterable[Error]) -> list[Error]:
    """Errors sorted by file, line and message, as they are reported."""
    return sorted(errors, key=lambda e: (e.location, e.message))


def files_header(kind: str, paths: Iterable[str]) -> str:
    """The first line of an imported ledger."""
    names = ", ".join(os.path.basename(p) for p in paths)
    return f"{IMPORTED}{kind} from {names}; do not edit by hand"


# -- the result --------------------------------------------------------------


def _affiliation(text: str | None) -> str | None:
    """An affiliation without control characters; none if nothing else is left."""
    cleaned = None if text is None else without_controls(text)
    return cleaned if cleaned and cleaned.strip() else None


def render(
    header: str,
    forecasters: Iterable[Forecaster],
    sources: Iterable[Source],
    questions: Iterable[Question],
) -> str:
    """The whole ledger text (`emit.ledger_text`), every list sorted.

    Forecasters, sources and questions by id; each question's forecasts by
    (made, by) and its outcomes by (recorded, known), as written.
    """
    ordered = [
        dataclasses.replace(
            q,
            title=without_controls(q.title),
            tags=tuple(without_controls(tag) for tag in q.tags),
            forecasts=tuple(sorted(q.forecasts, key=lambda f: (f.made.text, f.by))),
            outcomes=tuple(
                sorted(q.outcomes, key=lambda o: (o.recorded.text, o.known.text))
            ),
        )
        for q in sorted(questions, key=lambda q: q.id)
    ]
    people = [
        dataclasses.replace(
            f,
            name=without_controls(f.name),
            aliases=tuple(without_controls(alias) for alias in f.aliases),
            affiliation=_affiliation(f.affiliation),
        )
        for f in sorted(forecasters, key=lambda f: f.id)
    ]
    documents = [
        dataclasses.replace(s, title=without_controls(s.title))
        for s in sorted(sources, key=lambda s: s.id)
    ]
    return ledger_text(header, people, documents, ordered)


def finish(
    imported: Imported,
    header: str,
    forecasters: Iterable[Forecaster],
    sources: Iterable[Source],
    questions: Sequence[Question],
    output: str,
    progress: Progress = no_progress,
) -> Imported:
    """Write the ledger text into `imported` and check it as `ledger check` would.

    Args:
        imported: the summary so far; gets the text and the counts.
        header: the ledger's first line (a comment).
        forecasters: the forecasters, in any order.
        sources: the sources, in any order.
        questions: the questions, in any order.
        output: the path the ledger will be written to.
        progress: shows the check (`checking the ledger (N forecasts)`).

    Returns:
        `imported`. A problem found here is a bug in the importer, not in
        the input; it is reported against the output path, and there is no
        text to write.
    """
    imported.text = render(header, forecasters, sources, questions)
    imported.questions = len(questions)
    imported.forecasts = sum(len(q.forecasts) for q in questions)
    imported.outcomes = sum(len(q.outcomes) for q in questions)
    label = f"checking the ledger ({imported.forecasts:,} forecasts)"
    with progress([imported.text], label) as texts:
        loaded = [load_text(text, output) for text in texts]
    ledger, errors = loaded[0]
    errors = errors or validate(ledger)
    if not errors:  # what `ledger check OUT.yaml` will find: keep it for next time
        cache.store(imported.text.encode("utf-8"), output, ledger, [])
    if errors:
        imported.errors = [
            Error(
                e.location,
                f"(not written) the imported ledger would not pass "
                f"ledger check: {e.message}",
            )
            for e in in_order(errors)
        ]
    return imported
