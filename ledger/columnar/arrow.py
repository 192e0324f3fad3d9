"""The frame and the ledger as Arrow tables: the Parquet export and the frame cache.

`forecasts` turns the frame (`ledger.frame`) into an Arrow table with one
column per `SCHEMA` column, in that order, and `frame` turns it back into
exactly the same frame (the frame cache relies on it; tested). The types:
`str` and `category` columns are strings (nulls where missing), bools are
bools, the `datetime64[s]` columns (whole days) are `date32`, floats are
doubles with null where the frame has NaN (an infinite width stays
infinite), `line` is int64; `tags` is `list<string>`, `quantile_levels` and
`quantile_below` are `list<double>` (null elements where a level is
undetermined), and `quantile_values` is `list<string>`: a date question's
values as written, a numeric question's as the shortest text that reads back
as the same number.

`questions` and `outcomes` are the ledger's questions and every outcome entry
(with the day it was known and the day it was recorded, so that a reader can
apply an as-of date of their own). `parquet` writes a table as Parquet bytes
that depend only on the table: zstd, no timestamps, no pandas metadata.

pyarrow is an optional dependency (`pip install 'prediction-ledger[parquet]'`):
`require` imports it, or raises `Missing` with that remedy. pandas (and the
frame's module) are imported only by what converts a frame, so an export
whose files are all cached (`columnar.cache`) imports neither.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ledger.core.dates import When
    from ledger.core.model import Ledger

INSTALL = "pip install 'prediction-ledger[parquet]'"
"""How to install pyarrow, the optional dependency of the Parquet export."""

METADATA_KEY = b"ledger.export"
"""The key of the one metadata entry of every file written: which table it is."""

SORT = ("question", "forecaster", "made", "line")
"""The order of forecasts.parquet's rows (ties keep the frame's order)."""

_LISTS = ("tags", "quantile_levels", "quantile_values", "quantile_below")


class Missing(ImportError):
    """pyarrow is not installed; the message names the extra that installs it."""


@cache
def require() -> Any:
    """The `pyarrow` module (with `pyarrow.parquet` loaded).

    Raises:
        Missing: pyarrow cannot be imported.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute
        import pyarrow.parquet
    except ImportError:
        raise Missing(
            f"writing Parquet needs pyarrow, which is not installed: {INSTALL}"
        ) from None
    assert pyarrow.parquet is not None and pyarrow.compute is not None
    return pa


def available() -> bool:
    """Whether pyarrow can be imported."""
    try:
        require()
    except Missing:
        return False
    return True


@cache
def forecast_schema() -> Any:
    """The Arrow schema of `forecasts` (see the module docstring)."""
    from ledger.frame import SCHEMA

    pa = require()
    strings = pa.list_(pa.string())
    numbers = pa.list_(pa.float64())
    lists = {"tags": strings, "quantile_levels": numbers,
             "quantile_values": strings, "quantile_below": numbers}
    kinds = {"bool": pa.bool_(), "float64": pa.float64(), "int64": pa.int64(),
             "datetime64[s]": pa.date32()}
    fields = []
    for name, kind in SCHEMA.items():
        arrow = lists.get(name) or kinds.get(str(kind), pa.string())
        fields.append(pa.field(name, arrow))
    return pa.schema(fields)


def _values(items: pd.Series) -> list[Any]:
    """A numeric question's quantile values as text (a date question's already are)."""
    return [
        [v if isinstance(v, str) else repr(float(v)) for v in value]
        for value in items
    ]


def _column(data: pd.DataFrame, name: str, kind: Any) -> Any:
    """The Arrow array of the frame column `name`, of Arrow type `kind`."""
    import pandas as pd

    pa = require()
    series = data[name]
    if kind == pa.date32():
        days = series.to_numpy().astype("datetime64[D]")
        return pa.array(days, type=kind, from_pandas=True)
    if name == "quantile_values":
        return pa.array(_values(series), type=kind)
    if name in _LISTS:
        return pa.array(series.tolist(), type=kind, from_pandas=True)
    if isinstance(series.dtype, pd.CategoricalDtype):
        return pa.array(series.astype(object).to_numpy(), type=kind, from_pandas=True)
    return pa.array(series.to_numpy(), type=kind, from_pandas=True)


def forecasts(data: pd.DataFrame) -> Any:
    """The frame `data` as an Arrow table, rows in the frame's order."""
    pa = require()
    schema = forecast_schema()
    arrays = [_column(data, field.name, field.type) for field in schema]
    return marked(pa.Table.from_arrays(arrays, schema=schema), "forecasts")


def sorted_forecasts(table: Any) -> Any:
    """`forecasts`' table with its rows in the order `SORT` (a stable sort)."""
    return table.sort_by([(name, "ascending") for name in SORT])


def _tags(column: Any) -> Any:
    """The `tags` column as tuples, one shared tuple per distinct list.

    Joined, dictionary-encoded and split again: a big ledger has a few
    thousand distinct lists of tags among hundreds of thousands of rows.
    """
    pc = require().compute
    encoded = pc.binary_join(column, "\x1f").combine_chunks().dictionary_encode()
    distinct = [tuple(text.split("\x1f")) if text else ()
                for text in encoded.dictionary.to_pylist()]
    return _objects(distinct)[encoded.indices.to_numpy(zero_copy_only=False)]


def _lists(column: Any, kinds: Any, numbers: bool = True) -> Any:
    """A quantile list column as tuples (most are empty; NaN where null).

    With `numbers` false the values are text: a numeric question's (`kinds`)
    read back as floats.
    """
    import numpy as np

    pc = require().compute
    out = _objects([()] * len(column))
    rows = np.flatnonzero(pc.list_value_length(column).to_numpy(zero_copy_only=False))
    values = column.take(rows).to_pylist()
    for row, items in zip(rows.tolist(), values, strict=True):
        if numbers:
            out[row] = tuple(math.nan if v is None else v for v in items)
        elif kinds[row] == "numeric":
            out[row] = tuple(float(v) for v in items)
        else:
            out[row] = tuple(items)
    return out


def frame(table: Any) -> pd.DataFrame:
    """The tidy frame that `forecasts` made `table` from, exactly."""
    import pandas as pd

    from ledger.frame import SCHEMA

    pa = require()
    schema = forecast_schema()
    data: dict[str, Any] = {}
    for field in schema:
        name, column = field.name, table[field.name]
        if name in _LISTS:
            continue
        if field.type == pa.date32():
            days = column.to_numpy(zero_copy_only=False)
            data[name] = days.astype("datetime64[s]")
        elif field.type == pa.string():  # object arrays, None where missing
            data[name] = column.to_numpy(zero_copy_only=False)
        else:
            data[name] = column.to_pandas().to_numpy()
    kinds = data["kind"]
    data["tags"] = _tags(table["tags"])
    for name in ("quantile_levels", "quantile_below"):
        data[name] = _lists(table[name], kinds)
    data["quantile_values"] = _lists(table["quantile_values"], kinds, numbers=False)
    return pd.DataFrame(data, columns=list(SCHEMA)).astype(SCHEMA)


def _objects(items: list[tuple[Any, ...]]) -> Any:
    """A column of tuples (never a 2-D array)."""
    import numpy as np

    column = np.empty(len(items), dtype=object)
    column[:] = items
    return column


def _day(when: When | None, latest: bool = True) -> dt.date | None:
    """A `When`'s latest (or earliest) day, or None."""
    if when is None:
        return None
    return when.latest if latest else when.earliest


def questions(ledger: Ledger) -> Any:
    """The ledger's questions, one row each, sorted by id."""
    pa = require()
    rows = sorted(ledger.questions, key=lambda q: (q.id, q.location))
    columns: dict[str, tuple[Any, list[Any]]] = {
        "id": (pa.string(), [q.id for q in rows]),
        "title": (pa.string(), [q.title for q in rows]),
        "criteria": (pa.string(), [q.criteria for q in rows]),
        "kind": (pa.string(), [q.kind for q in rows]),
        "deadline": (pa.date32(), [q.deadline.latest for q in rows]),
        "deadline_earliest": (pa.date32(), [q.deadline.earliest for q in rows]),
        "deadline_text": (pa.string(), [str(q.deadline) for q in rows]),
        "tags": (pa.list_(pa.string()), [list(q.tags) for q in rows]),
        "unit": (pa.string(), [q.unit for q in rows]),
        "assess": (pa.string(), [q.assess for q in rows]),
        "condition": (pa.string(), [q.condition for q in rows]),
        "order_before": (pa.string(), [q.order and q.order.before for q in rows]),
        "order_after": (pa.string(), [q.order and q.order.after for q in rows]),
        "unscorable": (pa.string(), [q.unscorable for q in rows]),
        "written": (pa.date32(), [_day(q.written) for q in rows]),
        "resolver": (pa.string(), [q.resolver and q.resolver.source for q in rows]),
        "forecasts": (pa.int64(), [len(q.forecasts) for q in rows]),
        "outcomes": (pa.int64(), [len(q.outcomes) for q in rows]),
        "path": (pa.string(), [q.location.path for q in rows]),
        "line": (pa.int64(), [q.location.line for q in rows]),
    }
    return _table(columns, "questions")


def outcomes(ledger: Ledger) -> Any:
    """Every outcome entry of every question, sorted by question, recorded, line."""
    pa = require()
    rows = sorted(
        ((q.id, o) for q in ledger.questions for o in q.outcomes),
        key=lambda pair: (pair[0], pair[1].recorded.latest, pair[1].location),
    )
    entries = [o for _, o in rows]
    values = [o.result.value for o in entries]
    columns: dict[str, tuple[Any, list[Any]]] = {
        "question": (pa.string(), [q for q, _ in rows]),
        "result": (pa.string(), [o.result.kind for o in entries]),
        "text": (pa.string(), [str(o.result) for o in entries]),
        "value": (pa.float64(), [v if isinstance(v, float) else None for v in values]),
        "value_earliest": (pa.date32(), [_when(v, latest=False) for v in values]),
        "value_latest": (pa.date32(), [_when(v) for v in values]),
        "known": (pa.date32(), [o.known.latest for o in entries]),
        "known_earliest": (pa.date32(), [o.known.earliest for o in entries]),
        "recorded": (pa.date32(), [o.recorded.latest for o in entries]),
        "recorded_earliest": (pa.date32(), [o.recorded.earliest for o in entries]),
        "by": (pa.string(), [o.by for o in entries]),
        "evidence": (pa.list_(pa.string()), [list(o.evidence) for o in entries]),
        "note": (pa.string(), [o.note for o in entries]),
        "path": (pa.string(), [o.location.path for o in entries]),
        "line": (pa.int64(), [o.location.line for o in entries]),
    }
    return _table(columns, "outcomes")


def _when(value: object, latest: bool = True) -> dt.date | None:
    """A date result's latest (or earliest) day; None for any other result."""
    earliest = getattr(value, "earliest", None)
    if not isinstance(earliest, dt.date):
        return None
    return _day(value, latest)  # type: ignore[arg-type]


def _table(columns: dict[str, tuple[Any, list[Any]]], name: str) -> Any:
    """An Arrow table of `columns` (name: (type, values)), marked as table `name`."""
    pa = require()
    arrays = [pa.array(values, type=kind) for kind, values in columns.values()]
    return marked(pa.Table.from_arrays(arrays, names=list(columns)), name)


def marked(table: Any, name: str) -> Any:
    """`table` with the metadata that says it is ledger's table `name`."""
    return table.replace_schema_metadata({METADATA_KEY: name.encode()})


def parquet(table: Any) -> bytes:
    """`table` as Parquet bytes, which depend only on the table (and pyarrow)."""
    pa = require()
    sink = pa.BufferOutputStream()
    pa.parquet.write_table(
        table, sink, compression="zstd", store_schema=True,
        write_statistics=True, row_group_size=1 << 20,
    )
    return bytes(sink.getvalue().to_pybytes())


def read(data: bytes | memoryview) -> Any:
    """The Arrow table in Parquet `data`."""
    pa = require()
    return pa.parquet.read_table(pa.py_buffer(data))


def written_by_ledger(path: str) -> bool:
    """Whether the file at `path` is a Parquet file this export wrote."""
    try:
        pa = require()
        metadata = pa.parquet.read_schema(path).metadata or {}
    except Exception:  # not Parquet, unreadable, or no pyarrow: not ours
        return False
    return METADATA_KEY in metadata
