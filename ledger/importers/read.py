"""Read: the input files of the importers, with the line of everything in them.

UTF-8 text (a BOM dropped), JSON (a syntax error at its line; the lines of
its parts are found by `ledger.core.jsontext` when a message needs them) and CSV
(each row with the physical line it starts on, so a quoted cell spanning
several lines does not shift the rows after it). A problem is returned as an
`Error(Location(path, line), message)`, never raised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.core.jsontext import parse_json_text
from ledger.core.model import Error, Location
from ledger.importers.common import one_line

if TYPE_CHECKING:
    from collections.abc import Sequence


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
    """Parse a JSON file: (the data, the text, []) or (None, the text, errors).

    A syntax error is reported at its line.
    """
    content, errors = read_text(path)
    if content is None:
        return None, "", errors
    data, errors = parse_json_text(content, path)
    return data, content, errors


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
        message = "the file is empty; expected a header row"
        return [], [], [Error(Location(path, 1), message)]
    return header, rows, []


def _twice(keys: list[str], wanted: set[str]) -> tuple[int, int] | None:
    """The 0-based places of the first wanted key that `keys` holds twice."""
    first: dict[str, int] = {}
    for at, key in enumerate(keys):
        if key in wanted and key in first:
            return first[key], at
        first.setdefault(key, at)
    return None


def columns(
    header: list[str],
    path: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: dict[str, str] | None = None,
) -> tuple[dict[str, str], list[Error]]:
    """Match wanted column names to the header, ignoring case and spacing.

    Args:
        header: the file's header row.
        path: the file, for messages.
        required: the names that must be there.
        optional: the names that may be there.
        aliases: other names for a wanted one: {other name: wanted name}.

    Returns:
        {wanted name: header name}, and an error at line 1 (the header) for
        missing required columns, or a wanted one named twice.
    """
    aliases = aliases or {}
    keys = [one_line(h).lower() for h in header]
    twice = _twice(keys, {n.lower() for n in [*required, *optional, *aliases]})
    if twice is not None:  # the last of two would silently win
        one, other = twice
        message = (
            f"column {other + 1} '{header[other]}' repeats column {one + 1} "
            f"('{header[one]}'); name each column once"
        )
        return {}, [Error(Location(path, 1), message)]
    found: dict[str, str] = {}
    by_name = {one_line(h).lower(): h for h in header}
    for name in [*required, *optional]:
        for candidate in [name, *[a for a, n in aliases.items() if n == name]]:
            if candidate.lower() in by_name:
                found[name] = by_name[candidate.lower()]
                break
    missing = [n for n in required if n not in found]
    if not missing:
        return found, []
    names = ", ".join(f"'{n}'" for n in missing)
    have = ", ".join(f"'{h}'" for h in header)
    message = (
        f"missing column{'s' if len(missing) > 1 else ''} "
        f"{names}; the header has {have}"
    )
    return found, [Error(Location(path, 1), message)]
