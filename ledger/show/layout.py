"""Layout: the two shapes every terminal table and JSON output here shares.

`columns` lines up a header and its rows two spaces apart (the terminal
tables of `score`, `verify` and the rest); `json_text` is the one way JSON is
written out: indented by two, non-ASCII kept as is, ending in a newline.
"""

from __future__ import annotations

import json
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
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
