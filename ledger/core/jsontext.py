"""JSON text: its data or the problem that stops it, and where its parts are.

One copy of the JSON reading every input file shares (the importers' files, a
keeper's conventions): a syntax error at its line and column, and the two ways
Python's `json` fails outside `JSONDecodeError` (an integer of more digits than
`int()` reads, nesting deeper than the recursion limit) as errors too, never a
traceback. The caller has already read and decoded the file. Where an item
of a top-level array or a key starts, to put a message about it at its line.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from ledger.core.model import Error, Location


def parse_json_text(text: str, path: str) -> tuple[Any, list[Error]]:
    """(the data, []) or (None, [the error at its line]).

    >>> parse_json_text('{"a": [1, 2]}', "x.json")
    ({'a': [1, 2]}, [])
    >>> [str(e) for e in parse_json_text('{"a": [1, 2', "x.json")[1]]
    ["x.json:1: invalid JSON: Expecting ',' delimiter (column 12)"]
    """
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        message = f"invalid JSON: {exc.msg} (column {exc.colno})"
        return None, [Error(Location(path, exc.lineno), message)]
    except ValueError:  # an integer of more digits than int() reads (4,300)
        limit = sys.get_int_max_str_digits()
        digits = re.search(rf'(?<![\w".])\d{{{limit + 1},}}', text)
        line = text.count("\n", 0, digits.start()) + 1 if digits else 1
        message = "invalid JSON: a number has too many digits"
        return None, [Error(Location(path, line), message)]
    except RecursionError:
        return None, [Error(Location(path, 1), "invalid JSON: nesting is too deep")]


_WS = re.compile(r"[ \t\n\r]*")


def _skip(content: str, at: int) -> int:
    """The index of the first character at or after `at` that is not JSON space."""
    match = _WS.match(content, at)
    return match.end() if match else at


def _past_value(content: str, at: int, decoder: json.JSONDecoder) -> int:
    """Past the JSON value at `at`, the space after it, and a comma if one follows."""
    _, at = decoder.raw_decode(content, at)
    at = _skip(content, at)
    return _skip(content, at + 1) if content[at] == "," else at


def item_starts(content: str, key: str) -> list[int]:
    r"""The index in `content` where each item of the top-level array `key` starts.

    Used only to place error messages, so it gives up quietly (returning what
    it found so far) on anything unexpected.

    >>> item_starts('{"rows": [1, {"a": 2}]}', "rows")
    [10, 13]
    """
    decoder = json.JSONDecoder()
    starts: list[int] = []
    try:
        i = _skip(content, 0)
        if content[i] != "{":
            return starts
        i = _skip(content, i + 1)
        while content[i] != "}":
            name, i = decoder.raw_decode(content, i)
            i = _skip(content, _skip(content, i) + 1)  # past ':'
            if name == key and content[i] == "[":
                i = _skip(content, i + 1)
                while content[i] != "]":
                    starts.append(i)
                    i = _past_value(content, i, decoder)
                return starts
            i = _past_value(content, i, decoder)
    except (ValueError, IndexError):
        pass
    return starts


def item_lines(content: str, key: str) -> list[int]:
    r"""The 1-based line where each item of the top-level array `key` starts.

    >>> item_lines('{"a": 1,\n "rows": [\n  {"id": 1},\n  {"id": 2}]}', "rows")
    [3, 4]
    """
    lines: list[int] = []
    line, at = 1, 0
    for start in item_starts(content, key):
        line += content.count("\n", at, start)
        at = start
        lines.append(line)
    return lines


def key_line(content: str, key: str) -> int:
    """The line of the first `"key":` in a JSON text, or 1."""
    at = content.find(json.dumps(key))
    return 1 if at < 0 else content.count("\n", 0, at) + 1
