"""Every CSV ledger writes: cells safe to open in a spreadsheet, lists that round-trip.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula
(`=cmd|' /C calc'!A0`), and some also one that starts with a tab or a
carriage return. Following OWASP's rule for CSV injection, such a text cell is
written with a `'` in front (`'=evil()`), which the spreadsheet shows as text;
a number (`-0.25`, `+3`, `1e-5`, written as a number or as its text) is left
alone. A list (a question's tags, a forecast's quantile levels) is one cell
holding a JSON array (`["a;b","c"]`), so that a tag holding `;` or `,` reads
back as one tag.

`cell` is the rule for one value, `rows_text` writes rows of cells,
`frame_text` a pandas frame (its numbers formatted by pandas as before, its
text cells and column names by `cell`). Every CSV writer in `show/` goes
through these.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import pandas as pd

RISKY = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def cell(value: Any) -> Any:
    """`value` as it is written in a CSV cell: text made safe, lists as JSON.

    >>> cell("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> cell("-0.25"), cell(-0.25), cell("plain")
    ('-0.25', -0.25, 'plain')
    >>> cell(("a;b", "+x"))
    '["a;b","+x"]'
    """
    if isinstance(value, (list, tuple)):
        items = [_json_item(item) for item in value]
        return json.dumps(items, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str) and value.startswith(RISKY) and not _NUMBER.fullmatch(
        value
    ):
        return "'" + value
    return value


def _json_item(value: Any) -> Any:
    """A list item as JSON holds it: numpy scalars as numbers, dates as text."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def rows_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header and rows as CSV text, every cell through `cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def dicts_text(header: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows given as dicts (keys not in `header` are left out; missing ones empty)."""
    return rows_text(header, ([row.get(name, "") for name in header] for row in rows))


def frame_text(table: pd.DataFrame, na_rep: str = "") -> str:
    """A frame as CSV with a header row, text cells and names through `cell`."""
    safe = table.copy()
    for name in table.columns:
        if table[name].dtype.kind not in "biufcmM":  # text, categories, lists
            safe[name] = [cell(value) for value in table[name]]
    safe.columns = [cell(str(name)) for name in table.columns]
    return str(safe.to_csv(index=False, lineterminator="\n", na_rep=na_rep))
