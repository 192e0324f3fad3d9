"""Layout: the two shapes every terminal table and JSON output here shares.

`columns` lines up a header and its rows two spaces apart (the terminal
tables of `score`, `verify` and the rest); `json_text` is the one way JSON is
written out: indented by two, non-ASCII kept as is, ending in a newline, and
never NaN or Infinity (null, flagged in the object's `not_finite`).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Container, Sequence


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
