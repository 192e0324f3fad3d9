r"""Lines: where a line, or a list item, starts in a text whose only break is `\n`.

A write that knows the lines of the records it edits (from the ledger it has
just checked) finds them in a big text by counting line breaks, a megabyte
at a time, instead of composing the document (`window`, `incremental`).
"""

from __future__ import annotations

_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # YAML's line breaks besides \n
_BLOCK = 1 << 20


def plain(text: str) -> bool:
    r"""Whether `text` breaks lines only with `\n` (so its lines are `str.split`'s)."""
    return not any(other in text for other in _BREAKS)


def line_index(text: str, line: int) -> int:
    """Where 1-based `line` of a plain text starts (its length, past the end)."""
    at, left = 0, line - 1
    while left:
        block = text.count("\n", at, at + _BLOCK)
        if block >= left or at + _BLOCK >= len(text):
            break
        left -= block
        at += _BLOCK
    for _ in range(left):
        found = text.find("\n", at)
        if found < 0:
            return len(text)
        at = found + 1
    return at


def item_start(text: str, line: int) -> int | None:
    """Where the block list item whose mapping starts on `line` starts.

    None unless its `-` is on that line.
    """
    at = line_index(text, line)
    end = text.find("\n", at)
    head = text[at : len(text) if end < 0 else end]
    return at if head.lstrip(" ").startswith("- ") else None


def same(first: str, second: str, at: tuple[int, int], length: int) -> bool:
    """Whether `length` characters of `first` at `at[0]` equal `second`'s at `at[1]`.

    Compared a block at a time: no copy of a big text's part is made.
    """
    one, two = at
    if one + length > len(first) or two + length > len(second):
        return False
    for start in range(0, length, _BLOCK):
        size = min(_BLOCK, length - start)
        here, there = one + start, two + start
        if first[here : here + size] != second[there : there + size]:
            return False
    return True
