"""What every importer shares: slugs, reading input files, writing the ledger text.

An importer reads other tools' files and returns an `Imported`: the text of an
ordinary ledger, a short summary for the user, and every problem with the
input as an `Error(Location(path, line), message)`. Problems are collected,
never raised, so one run reports them all; when there are any, nothing is
written. The CLI (`ledger import ...`) writes the text with `write_ledger`.

The ledger text is generated directly rather than through a YAML emitter: it is
fast on big inputs, deterministic (records sorted by id, forecasts by date),
and every string goes through `record.scalar`, the same quoting the editing
commands use. Forecasts and outcomes are one-line flow mappings
(`- {by: x, made: 2025-10-26, p: 0.3, basis: stated}`) to keep big files
compact. Before anything is written the text is loaded and validated exactly
as `ledger check` would, so an importer can never leave a broken ledger behind.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ledger.core.dates import DateError, When, parse_day, parse_when
from ledger.core.model import Error, Location
from ledger.files.write import atomic_write
from ledger.record.edit import scalar

T = TypeVar("T")

SLUG_MAX = 48
"""Longest slug kept as it is; longer ones are cut and given a hash suffix."""

# -- slugs -------------------------------------------------------------------

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


# -- the records an importer builds ------------------------------------------


@dataclass(slots=True)
class Forecaster:
    id: str
    name: str
    affiliation: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Source:
    id: str
    title: str
    kind: str
    url: str | None = None
    date: str | None = None
    note: str | None = None
    licence: str | None = None
    attribution: str | None = None


@dataclass(slots=True)
class Forecast:
    by: str
    made: str
    p: float
    source: str | None = None


@dataclass(slots=True)
class Outcome:
    result: str
    known: str
    recorded: str
    by: str | None = None


@dataclass(slots=True)
class Question:
    id: str
    title: str
    criteria: str
    deadline: str
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    forecasts: list[Forecast] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass(slots=True)
class Imported:
    """What an importer produced: the ledger text, a summary, or the errors."""

    text: str = ""
    summary: list[str] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)
    questions: int = 0
    forecasts: int = 0
    outcomes: int = 0


# -- YAML text ---------------------------------------------------------------

# Characters a YAML double-quoted scalar cannot hold raw (YAML's printable set
# minus the line breaks that YAML 1.1 readers fold: NEL, LS, PS).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if "\ud800" <= char <= "\udfff":
        return "\\uFFFD"  # a lone surrogate cannot be written as UTF-8 at all
    return f"\\u{ord(char):04X}"


def text(value: str, flow: bool = False) -> str:
    """`value` as a YAML scalar: `record.scalar`, with unprintable characters escaped."""
    out = scalar(value, flow)
    if out.startswith('"'):
        out = _UNPRINTABLE.sub(_escape, out)
    return out


def number(value: float) -> str:
    """A probability or fraction as the shortest text that reads back the same.

    >>> number(0.7), number(1.0), number(1e-05), number(70 / 100)
    ('0.7', '1.0', '1e-05', '0.7')
    """
    return repr(float(value))


def clean(value: object) -> str:
    """Free text from an input file: str, newlines normalised, stripped."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def one_line(value: str) -> str:
    """Whitespace collapsed to single spaces (for titles and names)."""
    return " ".join(value.split())


def _flow(pairs: Sequence[tuple[str, object]]) -> str:
    parts = []
    for key, value in pairs:
        if value is None:
            continue
        shown = (
            number(value) if isinstance(value, float) else text(str(value), flow=True)
        )
        parts.append(f"{key}: {shown}")
    return "{" + ", ".join(parts) + "}"


def _block(lines: list[str], pairs: Sequence[tuple[str, object]], dash: int) -> None:
    """A block mapping as a list item: `- key: value` at column `dash`."""
    first = True
    for key, value in pairs:
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list):
            shown = "[" + ", ".join(text(str(v), flow=True) for v in value) + "]"
        else:
            shown = text(str(value))
        prefix = " " * dash + "- " if first else " " * (dash + 2)
        lines.append(f"{prefix}{key}: {shown}")
        first = False


def render(
    header: str,
    forecasters: Iterable[Forecaster],
    sources: Iterable[Source],
    questions: Iterable[Question],
) -> str:
    """The whole ledger text: a header comment, then the three lists, sorted."""
    lines = ["# " + one_line(_UNPRINTABLE.sub("?", header))]
    people = sorted(forecasters, key=lambda f: f.id)
    lines.append("forecasters:" + ("" if people else " []"))
    for f in people:
        _block(
            lines,
            [
                ("id", f.id),
                ("name", f.name),
                ("affiliation", f.affiliation),
                ("note", f.note),
            ],
            2,
        )
    documents = sorted(sources, key=lambda s: s.id)
    lines.append("sources:" + ("" if documents else " []"))
    for s in documents:
        _block(
            lines,
            [
                ("id", s.id),
                ("title", s.title),
                ("kind", s.kind),
                ("url", s.url),
                ("date", s.date),
                ("licence", s.licence),
                ("attribution", s.attribution),
                ("note", s.note),
            ],
            2,
        )
    ordered = sorted(questions, key=lambda q: q.id)
    lines.append("questions:" + ("" if ordered else " []"))
    for q in ordered:
        _block(
            lines,
            [
                ("id", q.id),
                ("title", q.title),
                ("criteria", q.criteria),
                ("kind", "binary"),
                ("deadline", q.deadline),
                ("tags", q.tags),
                ("note", q.note),
            ],
            2,
        )
        if q.forecasts:
            lines.append("    forecasts:")
            for f in sorted(q.forecasts, key=lambda f: (f.made, f.by)):
                pairs = [
                    ("by", f.by),
                    ("made", f.made),
                    ("p", float(f.p)),
                    ("basis", "stated"),
                    ("source", f.source),
                ]
                lines.append("      - " + _flow(pairs))
        if q.outcomes:
            lines.append("    outcomes:")
            for o in sorted(q.outcomes, key=lambda o: (o.recorded, o.known)):
                pairs = [
                    ("result", o.result),
                    ("known", o.known),
                    ("recorded", o.recorded),
                    ("by", o.by),
                ]
                lines.append("      - " + _flow(pairs))
    return "\n".join(lines) + "\n"


def finish(
    imported: Imported,
    header: str,
    forecasters: Iterable[Forecaster],
    sources: Iterable[Source],
    questions: list[Question],
    output: str,
) -> Imported:
    """Render the ledger into `imported` and check it as `ledger check` would.

    A problem found here is a bug in the importer, not in the input; it is
    reported against the output path, and nothing is written.
    """
    from ledger.load import cache
    from ledger.load.loader import load_text
    from ledger.validate import validate

    imported.text = render(header, forecasters, sources, questions)
    imported.questions = len(questions)
    imported.forecasts = sum(len(q.forecasts) for q in questions)
    imported.outcomes = sum(len(q.outcomes) for q in questions)
    if sys.stderr.isatty():
        print(
            f"checking the ledger ({imported.forecasts:,} forecasts) ...",
            file=sys.stderr,
        )
    ledger, errors = load_text(imported.text, output)
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


# -- writing -----------------------------------------------------------------


def refuse_overwrite(output: str, force: bool) -> Error | None:
    """An error when `output` exists and --force was not given."""
    if os.path.exists(output) and not force:
        return Error(
            Location(output, 1),
            "already exists; pass --force to overwrite it (nothing was written)",
        )
    return None


def write_ledger(output: str, data: str) -> None:
    """Write the ledger text atomically (a same-folder temporary file, renamed)."""
    atomic_write(output, data.encode("utf-8"))


# -- progress ----------------------------------------------------------------


@contextlib.contextmanager
def progress(
    items: Iterable[T], label: str, length: int | None = None
) -> Iterator[Iterable[T]]:
    """A progress bar over `items` on a terminal (stderr); the plain items otherwise."""
    if not sys.stderr.isatty():
        yield items
        return
    import click

    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield bar


# -- reading input files -----------------------------------------------------


def read_text(path: str) -> tuple[str | None, list[Error]]:
    """The UTF-8 text of `path` (a BOM is dropped), or an error at the bad byte."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return None, [
            Error(Location(path, 1), f"cannot read the file: {exc.strerror or exc}")
        ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        message = f"the file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8"
        return None, [Error(Location(path, line), message)]


def read_json(path: str) -> tuple[Any, str, list[Error]]:
    """Parse a JSON file; a syntax error is reported at its line."""
    content, errors = read_text(path)
    if content is None:
        return None, "", errors
    try:
        return json.loads(content), content, []
    except json.JSONDecodeError as exc:
        return (
            None,
            content,
            [Error(Location(path, exc.lineno), f"invalid JSON: {exc.msg}")],
        )
    except ValueError:  # an integer of more digits than int() reads (4,300)
        limit = sys.get_int_max_str_digits()
        digits = re.search(rf'(?<![\w".])\d{{{limit + 1},}}', content)
        line = content.count("\n", 0, digits.start()) + 1 if digits else 1
        return (
            None,
            content,
            [Error(Location(path, line), "invalid JSON: a number has too many digits")],
        )
    except RecursionError:
        return (
            None,
            content,
            [Error(Location(path, 1), "invalid JSON: nesting is too deep")],
        )


_WS = re.compile(r"[ \t\n\r]*")


def item_lines(content: str, key: str) -> list[int]:
    """The 1-based line where each item of the top-level array `key` starts.

    Used only to place error messages, so it gives up quietly (returning what
    it found so far) on anything unexpected.

    >>> item_lines('{"a": 1,\\n "rows": [\\n  {"id": 1},\\n  {"id": 2}]}', "rows")
    [3, 4]
    """
    decoder = json.JSONDecoder()
    lines: list[int] = []
    try:
        i = _WS.match(content, 0).end()  # type: ignore[union-attr]
        if content[i] != "{":
            return lines
        i = _WS.match(content, i + 1).end()  # type: ignore[union-attr]
        while content[i] != "}":
            name, i = decoder.raw_decode(content, i)
            i = _WS.match(content, i).end()  # type: ignore[union-attr]
            i = _WS.match(content, i + 1).end()  # type: ignore[union-attr]  # past ':'
            if name == key and content[i] == "[":
                i = _WS.match(content, i + 1).end()  # type: ignore[union-attr]
                line, at = 1, 0
                while content[i] != "]":
                    line += content.count("\n", at, i)
                    at = i
                    lines.append(line)
                    _, i = decoder.raw_decode(content, i)
                    i = _WS.match(content, i).end()  # type: ignore[union-attr]
                    if content[i] == ",":
                        i = _WS.match(content, i + 1).end()  # type: ignore[union-attr]
                return lines
            _, i = decoder.raw_decode(content, i)
            i = _WS.match(content, i).end()  # type: ignore[union-attr]
            if content[i] == ",":
                i = _WS.match(content, i + 1).end()  # type: ignore[union-attr]
    except (ValueError, IndexError):
        pass
    return lines


def key_line(content: str, key: str) -> int:
    """The line of the first `"key":` in a JSON text, or 1."""
    at = content.find(json.dumps(key))
    return 1 if at < 0 else content.count("\n", 0, at) + 1


@dataclass(slots=True)
class Row:
    """One CSV row: its physical line (header = 1) and its cells by column name."""

    line: int
    cells: dict[str, str]
    values: list[str]


def read_csv(path: str) -> tuple[list[str], list[Row], list[Error]]:
    """The header (names stripped) and the rows of a CSV file, blank lines skipped.

    `Row.line` is the physical line on which the row starts, so a quoted cell
    spanning several lines does not shift the rows after it.
    """
    content, errors = read_text(path)
    if content is None:
        return [], [], errors
    reader = csv.reader(io.StringIO(content, newline=""))
    header: list[str] = []
    rows: list[Row] = []
    start = 1
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                start = reader.line_num + 1
                continue
            if not header:
                header = [v.strip() for v in values]
            else:
                cells = {
                    name: (values[i].strip() if i < len(values) else "")
                    for i, name in enumerate(header)
                }
                rows.append(Row(start, cells, values))
            start = reader.line_num + 1
    except csv.Error as exc:
        return header, rows, [Error(Location(path, start), f"malformed CSV: {exc}")]
    if not header:
        return (
            [],
            [],
            [Error(Location(path, 1), "the file is empty; expected a header row")],
        )
    return header, rows, []


def columns(
    header: list[str],
    path: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: dict[str, str] | None = None,
) -> tuple[dict[str, str], list[Error]]:
    """Match wanted column names to the header, ignoring case and spacing.

    Returns {wanted name: header name}; a missing required column is an error
    at line 1 (the header).
    """
    aliases = aliases or {}
    found: dict[str, str] = {}
    by_name = {one_line(h).lower(): h for h in header}
    for name in [*required, *optional]:
        for candidate in [name, *[a for a, n in aliases.items() if n == name]]:
            if candidate.lower() in by_name:
                found[name] = by_name[candidate.lower()]
                break
    missing = [n for n in required if n not in found]
    errors = []
    if missing:
        names = ", ".join(f"'{n}'" for n in missing)
        have = ", ".join(f"'{h}'" for h in header)
        errors.append(
            Error(
                Location(path, 1),
                f"missing column{'s' if len(missing) > 1 else ''} "
                f"{names}; the header has {have}",
            )
        )
    return found, errors


# -- values ------------------------------------------------------------------


def probability(value: object, percent: bool = False, hint: bool = False) -> float:
    """A probability from a number or text: 0.7, "0.7", "70%" (or 70 with `percent`).

    Raises ValueError with a message for the user; with `hint`, a value in
    (1, 100] suggests --percent.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected a probability, got {json.dumps(value)}")
    if isinstance(value, (int, float)):
        shown = json.dumps(value)
        try:
            p = float(value)
        except OverflowError:  # an integer beyond any float (10**400): out of range
            p = math.inf
        if percent:
            p = p / 100
    else:
        shown = str(value).strip()
        if not shown:
            raise ValueError("the probability is empty")
        try:
            if shown.endswith("%"):
                p = float(shown[:-1]) / 100
            else:
                p = float(shown) / (100 if percent else 1)
        except ValueError:
            raise ValueError(
                f"expected a probability such as 0.7 or 70%, got '{shown}'"
            ) from None
    if not math.isfinite(p) or not 0.0 <= p <= 1.0:
        advice = ""
        if hint and not percent and not shown.endswith("%") and 1 < p <= 100:
            advice = " (pass --percent if the file holds percents)"
        scale = "0 and 100" if percent else "0 and 1"
        raise ValueError(f"probability must be between {scale}, got {shown}{advice}")
    return round(p, 12)


def iso_day(value: object) -> str:
    """The day of an ISO date or date-time ("2025-10-16T00:00:00+00:00", "2024-03-05 14:07:9").

    Raises ValueError with a message for the user.
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
    """`dates.parse_when`, memoised: an import repeats the same few dates over and
    over, and a `When` is immutable. Errors are raised anew each time."""
    return parse_when(text)


def ledger_date(value: str) -> str:
    """A date in any ledger form (2026-02-10, 2026-02, 2026, A..B), checked."""
    try:
        when(value)
    except DateError as exc:
        raise ValueError(str(exc)) from None
    return value.strip()


def in_order(errors: Iterable[Error]) -> list[Error]:
    """Errors sorted by file, line and message, as they are reported."""
    return sorted(errors, key=lambda e: (e.location, e.message))


def files_header(kind: str, paths: Iterable[str]) -> str:
    """The first line of an imported ledger."""
    names = ", ".join(os.path.basename(p) for p in paths)
    return f"Imported by ledger import {kind} from {names}; do not edit by hand"
