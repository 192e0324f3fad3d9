"""Insert: a new entry's lines, placed in a ledger's text from the YAML node marks.

Edits are text insertions: every other byte (comments, blank lines, key
order, quoting, line endings, a byte-order mark, a missing final newline)
stays as it was. A new entry copies the indentation and the block-or-flow
style of its siblings; a list with no siblings to copy takes the indentation
of the list around it. Two edits change a line rather than only insert: an
empty list written `[]` or `null` becomes a block list (that one line loses
its `[]`), and an entry added to a flow-style list (`[{...}]`) goes inside the
brackets. `locate` finds the nodes and the lines; `emit` writes the entry.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Concatenate, ParamSpec

import yaml

from ledger.record.emit import Entry, flow_mapping, item
from ledger.record.locate import (
    blank_before,
    block_columns,
    dash_column,
    end_line,
    field,
    first_items_have,
    indent_of,
    is_empty,
    line_starts,
    newline_of,
    question_node,
    root_of,
    whole,
)
from ledger.record.write import EditError

if TYPE_CHECKING:
    from collections.abc import Callable

P = ParamSpec("P")

Inserted = tuple[str, int]
"""The new text, and the 1-based line where the new entry starts."""


def _insert_lines(text: str, line: int, block: str) -> str:
    """Insert `block` (whole lines, each ending with a newline) before line `line`.

    At the end of a file that has no final newline, the block goes after a
    newline and loses its own last one: the file still has no final newline,
    and every original byte stays.
    """
    starts = line_starts(text)
    if line >= len(starts) - 1 and text and not text.endswith(("\n", "\r")):
        newline = newline_of(text)
        return text + newline + block[: -len(newline)]
    index = starts[min(line, len(starts) - 1)]
    return text[:index] + block + text[index:]


def _line_of(text: str, index: int) -> int:
    """1-based line of character `index`."""
    return len((text[:index] + "x").splitlines())


def _into_flow_sequence(
    text: str, sequence: yaml.SequenceNode, entry: Entry
) -> Inserted:
    """Append `entry` inside a flow list: after its last item, or into `[]`."""
    if sequence.value:
        at = sequence.value[-1].end_mark.index  # keeps a trailing comma or comment
        new = text[:at] + ", " + flow_mapping(entry) + text[at:]
    else:
        at = sequence.start_mark.index + 1  # just after `[`
        new = text[:at] + flow_mapping(entry) + text[at:]
    return new, _line_of(new, at)


def _into_flow_mapping(
    text: str, parent: yaml.MappingNode, name: str, entry: Entry
) -> Inserted:
    """Add `name: [entry]` to a flow mapping (`{id: q, ...}`) that lacks `name`."""
    if parent.value:
        at = parent.value[-1][1].end_mark.index
        addition = f", {name}: [{flow_mapping(entry)}]"
    else:
        at = parent.start_mark.index + 1
        addition = f"{name}: [{flow_mapping(entry)}]"
    new = text[:at] + addition + text[at:]
    return new, _line_of(new, at)


def _into_flow(
    text: str, parent: yaml.MappingNode, name: str, entry: Entry
) -> Inserted:
    """Append `entry` to the list `name` of a flow mapping (`{id: q, ...}`)."""
    pair = field(parent, name)
    if pair is None:
        return _into_flow_mapping(text, parent, name, entry)
    value = pair[1]
    if isinstance(value, yaml.SequenceNode):
        return _into_flow_sequence(text, value, entry)
    if not is_empty(value):
        raise EditError(f"'{name}' is not a list; fix the file by hand first")
    start, end = value.start_mark.index, value.end_mark.index
    space = " " if text[start - 1 : start] == ":" else ""
    replacement = space + "[" + flow_mapping(entry) + "]"
    new = text[:start] + replacement + text[end:]
    return new, _line_of(new, start)


def _into_new_block(
    text: str,
    parent: yaml.MappingNode,
    name: str,
    entry: Entry,
    indent_hint: tuple[int, int] | None,
) -> Inserted:
    """Start the block list `name` of `parent` with `entry`.

    The list is missing, empty (`name:`) or written `[]` or `null`.
    """
    newline = newline_of(text)
    key_column = parent.value[0][0].start_mark.column if parent.value else 0
    dash, key = (key_column + offset for offset in indent_hint or (2, 4))
    lines = item(entry, dash, key, False, newline)
    pair = field(parent, name)
    if pair is None:
        line = end_line(text, parent, key_column - 1)
        block = " " * key_column + f"{name}:" + newline + lines
        return _insert_lines(text, line, block), line + 2
    key_node, value = pair
    if value.start_mark.index == value.end_mark.index:  # `name:` with nothing
        line = key_node.start_mark.line + 1
        return _insert_lines(text, line, lines), line + 1
    # `name: []` or `name: null`: drop the value, keep a comment after it
    start, end = value.start_mark.index, value.end_mark.index
    head = text[:start].rstrip(" ")
    eol = text.find("\n", end)
    eol = len(text) if eol < 0 else eol + 1
    rest = text[end:eol].rstrip("\r\n")
    new = head + rest + newline + lines + text[eol:]
    if eol == len(text) and not text.endswith(("\n", "\r")):
        new = new[: -len(newline)]  # the file had no final newline: keep it so
    return new, key_node.start_mark.line + 2


def _after_last_item(text: str, sequence: yaml.SequenceNode, entry: Entry) -> Inserted:
    """Append `entry` to a block list, in the style of its last item."""
    last = sequence.value[-1]
    dash = dash_column(text, last)
    flow = isinstance(last, yaml.MappingNode) and bool(last.flow_style)
    key = (
        last.start_mark.column
        if isinstance(last, yaml.MappingNode) and not flow
        else dash + 2
    )
    line = end_line(text, last, dash)
    lines = item(entry, dash, key, flow, newline_of(text))
    if blank_before(text, last):
        return _insert_lines(text, line, newline_of(text) + lines), line + 2
    return _insert_lines(text, line, lines), line + 1


def append_item(
    text: str,
    parent: yaml.MappingNode,
    name: str,
    entry: Entry,
    indent_hint: tuple[int, int] | None = None,
) -> Inserted:
    """Append `entry` to the list under key `name` of mapping `parent`.

    Creates the key when it is missing, and turns an empty list (`[]`, `null`
    or nothing) into a block list.

    Args:
        text: the whole text `parent` was composed from.
        parent: the mapping that holds (or will hold) the list.
        name: the list's key.
        entry: the new item.
        indent_hint: the (dash, key) columns, counted from the column of
            `parent`'s keys, for a list that has no item to copy them from.

    Returns:
        The new text and the 1-based line of the new entry.

    Raises:
        EditError: `name` holds something other than a list.
    """
    if parent.flow_style:
        return _into_flow(text, parent, name, entry)
    pair = field(parent, name)
    if pair is None or is_empty(pair[1]):
        return _into_new_block(text, parent, name, entry, indent_hint)
    sequence = pair[1]
    if not isinstance(sequence, yaml.SequenceNode):
        raise EditError(f"'{name}' is not a list; fix the file by hand first")
    if sequence.flow_style:
        return _into_flow_sequence(text, sequence, entry)
    return _after_last_item(text, sequence, entry)


# -- the edits -------------------------------------------------------------


def _lf(
    edit: Callable[Concatenate[str, P], Inserted],
) -> Callable[Concatenate[str, P], Inserted]:
    """Run `edit` on a file with old-Mac line endings (CR alone) as if they were LF.

    Marks and columns are found from LF; swapping every CR for LF and back keeps
    every character index, and new values never hold a raw CR or LF (`scalar`
    escapes them).
    """

    @functools.wraps(edit)
    def wrapper(text: str, /, *args: P.args, **kwargs: P.kwargs) -> Inserted:
        if "\r" not in text or "\n" in text:
            return edit(text, *args, **kwargs)
        new, line = edit(text.replace("\r", "\n"), *args, **kwargs)
        return new.replace("\n", "\r"), line

    return wrapper


@_lf
def add_to_question(
    text: str, path: str, question: str, name: str, entry: Entry, line: int = 0
) -> Inserted:
    """Append a forecast or an outcome (`name`) to a question's list.

    Args:
        text: the ledger file's text.
        path: its path, for messages.
        question: the question's id.
        name: `forecasts` or `outcomes`.
        entry: the new forecast or outcome.
        line: the question's line if known, which lets a big file be composed
            in part (`locate.root_of`).

    Returns:
        The new text and the 1-based line of the new entry.

    Raises:
        EditError: no such question, or a file that does not load.
    """
    root = root_of(text, path, (line,) if line else ())
    try:
        node: yaml.MappingNode | None = question_node(root, question)
    except EditError:
        node = None
    if node is None or not first_items_have(root, name):
        root = whole(text, path)
        node = question_node(root, question)
    return append_item(text, node, name, entry, indent_of(root, name, text))


@_lf
def add_top(text: str, path: str, name: str, entry: Entry) -> Inserted:
    """Append a forecaster, source or question to a top-level list.

    A new list takes the indentation of the first top-level list that has
    items.
    """
    root = root_of(text, path)
    hint = None
    for wanted in (name, "questions", "forecasters", "sources"):
        hint = block_columns(text, root, wanted)
        if hint is not None:
            break
    return append_item(text, root, name, entry, hint)
