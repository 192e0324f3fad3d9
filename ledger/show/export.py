"""The way out: the tidy frame (`ledger.frame`) as CSV or JSON for other tools.

One row per forecast, the columns of `ledger.frame.SCHEMA` in that order.
Dates are ISO days (`2026-02-10`); a missing value (NaN, NaT) is an empty
cell in CSV and `null` in JSON, and so is an infinite one in JSON, which has
no infinity (an open window's width, `result_high` when only a lower bound is
known; CSV writes `inf`); booleans are `true`/`false`; a question's tags, and
a forecast's quantile levels, values and `quantile_below`, are lists in JSON
and, in CSV, a cell holding a JSON array (`["a;b","c"]`, so that a tag with a
`;` stays one tag). CSV cells are made safe for spreadsheets by
`ledger.show.csvtext`.

`csv_chunks` and `json_chunks` give the same text as `to_csv` and `to_json`
in pieces of `CHUNK` rows, so `ledger export` writes a big frame as it goes
instead of holding all its text.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from ledger.show.csvtext import frame_text
from ledger.show.layout import json_indented, json_text

if TYPE_CHECKING:
    from collections.abc import Iterator

CHUNK = 10_000
"""Rows per piece of `csv_chunks` and `json_chunks`."""


def _dates(data: pd.DataFrame) -> list[str]:
    return [
        name
        for name in data.columns
        if pd.api.types.is_datetime64_any_dtype(data[name])
    ]


def _bools(data: pd.DataFrame) -> list[str]:
    return [name for name in data.columns if pd.api.types.is_bool_dtype(data[name])]


def _day(value: Any) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(data: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as plain JSON-ready dicts (see the module docstring)."""
    dates, bools = set(_dates(data)), set(_bools(data))
    out = []
    for row in data.to_dict("records"):
        item: dict[str, Any] = {}
        for name in data.columns:
            value = row[name]
            if name in dates:
                item[name] = _day(value)
            elif isinstance(value, (tuple, list)):
                item[name] = [_plain(v) for v in value]
            elif name in bools:
                item[name] = bool(value)
            else:
                item[name] = _plain(value)
        out.append(item)
    return out


def to_json(data: pd.DataFrame) -> str:
    """The frame as a JSON array of objects, one per forecast."""
    return json_text(records(data))


def json_chunks(data: pd.DataFrame) -> Iterator[str]:
    """`to_json(data)`, in pieces."""
    if data.empty:
        yield json_text([])
        return
    yield "["
    for start in range(0, len(data), CHUNK):
        items = records(data.iloc[start : start + CHUNK])
        text = ",".join("\n  " + json_indented(item, 1) for item in items)
        yield text if start == 0 else "," + text
    yield "\n]\n"


def csv_chunks(data: pd.DataFrame) -> Iterator[str]:
    """`to_csv(data)`, in pieces."""
    for start in range(0, max(len(data), 1), CHUNK):
        part = to_csv(data.iloc[start : start + CHUNK])
        yield part if start == 0 else part.split("\n", 1)[1]


def to_csv(data: pd.DataFrame) -> str:
    """The frame as CSV with a header row."""
    table = data.copy()
    for name in _dates(data):
        table[name] = [_day(v) for v in table[name]]
    for name in _bools(data):
        table[name] = ["true" if v else "false" for v in table[name]]
    return frame_text(table)
