"""Layout: the two shapes every terminal table and JSON output here shares.

`columns` lines up a header and its rows two spaces apart (the terminal
tables of `score`, `verify` and the rest); `json_text` is the one way JSON is
written out: indented by two, non-ASCII kept as is, ending in a newline, and
never NaN or Infinity (null, flagged in the object's `not_finite`).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Sequence


def columns(
    header: Sequence[str], body: Sequence[Sequence[str]], right: Container[int] = ()
) -> list[str]:
    """Columns two spaces apart, left-aligned but those numbered in `right`.

    Each line has its trailing spaces removed.

    >>> columns(["name", "n"], [["alice", "12"], ["bob", "3"]], right={1})
    ['name    n', 'alice  12', 'bob     3']
    """
    rows = [header, *body]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return [
        "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


_STRING = json.encoder.encode_basestring  # libjson's C function, when present
_FALLBACK = json.JSONEncoder(indent=2, ensure_ascii=False)


def _float(value: float) -> str:
    """A float as json writes it; NaN and the infinities, which JSON lacks, as null.

    (A caller that must say what was there passes its value through `finite`
    first, which flags it in the object's `not_finite`.)
    """
    if not math.isfinite(value):
        return "null"
    return float.__repr__(value)


_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _STRING,
    int: int.__repr__,
    float: _float,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _: "null",
}


def _item(value: object, level: int) -> str:
    """`json_indented(value, level)`, a scalar without the recursive call."""
    scalar = _SCALARS.get(type(value))
    return scalar(value) if scalar is not None else json_indented(value, level)


def json_indented(value: object, level: int = 0) -> str:
    r"""`value` as `json_text` lays it out (without the final newline), `level` deep.

    The same text as json's encoder with `indent=2`, made by joining strings
    instead of json's generators, which take most of the time of a big
    listing; anything but str keys and plain JSON values is left to json.

    >>> json_indented({"a": [1, 2.5, None], "b": {}})
    '{\n  "a": [\n    1,\n    2.5,\n    null\n  ],\n  "b": {}\n}'
    """
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    inner = "\n" + "  " * (level + 1)
    close = "\n" + "  " * level
    if type(value) is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        body = ("," + inner).join(
            _STRING(key) + ": " + _item(item, level + 1) for key, item in value.items()
        )
        return "{" + inner + body + close + "}"
    if type(value) is list or type(value) is tuple:
        if not value:
            return "[]"
        body = ("," + inner).join(_item(item, level + 1) for item in value)
        return "[" + inner + body + close + "]"
    return _FALLBACK.encode(value).replace("\n", close)


def json_text(value: object) -> str:
    """`value` as JSON text: indented by two, non-ASCII kept, a final newline.

    >>> print(json_text({"p": 0.7, "who": "Zoë"}), end="")
    {
      "p": 0.7,
      "who": "Zoë"
    }
    """
    text = json.dumps(finite(value), indent=2, ensure_ascii=False, allow_nan=False)
    return text + "\n"


def finite(value: object) -> object:
    """`value` with every NaN or infinity, which JSON has no word for, as None.

    An object that held one says so in a `not_finite` member, naming each such
    member and what it was (a score whose inputs overflowed, an open window's
    width):

    >>> finite({"wis": float("inf"), "p": 0.5, "ci": [float("nan"), 1.0]})
    {'wis': None, 'p': 0.5, 'ci': [None, 1.0], 'not_finite': {'wis': 'Infinity'}}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    if isinstance(value, dict):
        flagged = {
            key: _word(item) for key, item in value.items()
            if isinstance(item, float) and not math.isfinite(item)
        }
        out = {key: finite(item) for key, item in value.items()}
        if flagged:
            out["not_finite"] = flagged
        return out
    return value


def _word(value: float) -> str:
    """A non-finite float as JavaScript writes it."""
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"
