"""Locate: where a new entry goes in a ledger's text, from the YAML node marks.

The document is composed (whole, or for a big file with most question items
blanked, `root_of`); the nodes give the mapping that gets the entry, the
indentation its siblings use, and the line after which it goes. Nothing here
changes the text: `insert` does.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TYPE_CHECKING

import yaml

from ledger.core.memory import gc_paused

# `is_null` is the loader's own test of an empty value (`~`, `null`, nothing),
# so what an edit treats as an empty list is exactly what the loader does.
from ledger.loader.nodes import compose, is_null
from ledger.loader.slices import question_items
from ledger.record.write import EditError

if TYPE_CHECKING:
    from collections.abc import Sequence

REDUCE_CHARS = 1_000_000
"""Texts at least this long are composed with most question items blanked."""

FIRST_ITEMS = 50
"""Question items kept from the start of the list: where indentation is copied from."""


def lines_of(text: str) -> list[str]:
    r"""The text's lines, each with its line break.

    str.splitlines also breaks at \v, \f and \x1c-\x1e, which YAML refuses
    in a file that loads, so its lines are YAML's lines.
    """
    return text.splitlines(keepends=True)


def line_starts(text: str) -> list[int]:
    """The index where each line starts, and the text's length last."""
    starts = [0]
    for line in lines_of(text):
        starts.append(starts[-1] + len(line))
    return starts


def newline_of(text: str) -> str:
    """The file's line ending, from its first line: CRLF, LF or (old Mac) CR."""
    match = re.search(r"\r\n|\r|\n", text)
    return match.group() if match else "\n"


def field(node: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes of field `name` of a mapping, or None."""
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return key, value
    return None


def is_empty(node: yaml.Node) -> bool:
    """Whether a list's value is empty: `~`, `null`, nothing, or a flow `[]`."""
    return is_null(node) or (
        isinstance(node, yaml.SequenceNode) and not node.value and node.flow_style
    )


def _after(text: str, mark: yaml.Mark) -> int:
    """0-based index of the first line after the content that ends at `mark`."""
    before = text[text.rfind("\n", 0, mark.index) + 1 : mark.index]
    return int(mark.line) if not before.strip() else int(mark.line) + 1


def _last_leaf(node: yaml.Node) -> yaml.Node:
    while (
        isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
        and node.value
        and not node.flow_style
    ):
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def _keeps_trailing_lines(text: str, node: yaml.Node) -> bool:
    """Whether `node` is a block scalar with keep chomping (`|+`, `>+`).

    Its trailing blank lines are part of its value, so nothing may be
    inserted above them.
    """
    if not isinstance(node, yaml.ScalarNode) or node.style not in ("|", ">"):
        return False
    start = node.start_mark.index
    header = text[start : start + 4]
    return "+" in header.split("#")[0].split("\n")[0]


def end_line(text: str, node: yaml.Node, dash: int) -> int:
    """0-based index of the line after the last content line of `node`.

    Trailing blank lines, and comments indented no deeper than `dash`, belong to
    what follows (the next section), so the new entry goes above them.
    """
    lines = lines_of(text)
    line = _after(text, node.end_mark)
    leaf = _last_leaf(node)
    floor = _after(text, leaf.end_mark) if _keeps_trailing_lines(text, leaf) else 0
    while line > floor:
        previous = lines[line - 1] if line - 1 < len(lines) else ""
        stripped = previous.strip()
        indent = len(previous) - len(previous.lstrip(" "))
        if stripped == "" or (stripped.startswith("#") and indent <= dash):
            line -= 1
            continue
        break
    return line


def dash_column(text: str, item: yaml.Node) -> int:
    """Column of the `-` that starts a block list item.

    That is the first character of the item's line, or of the nearest line
    above it that is not blank or a comment (`-` alone on its line, or
    `- # a comment`, then the item).
    """
    lines = lines_of(text)
    line = item.start_mark.line
    head = lines[line][: item.start_mark.column] if line < len(lines) else ""
    while not head.strip() and line > 0:
        line -= 1
        head = lines[line]
        if head.lstrip().startswith("#"):
            head = ""
    return len(head) - len(head.lstrip(" "))


def blank_before(text: str, item: yaml.Node) -> bool:
    """Whether the list's items are separated by blank lines (so the new one is too)."""
    lines = lines_of(text)
    line = item.start_mark.line
    return line > 0 and lines[line - 1].strip() == ""


# -- the document, whole or in part -----------------------------------------


def _blanked(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _reduced(
    text: str, found: tuple[int, int, int, list[int]], lines: Sequence[int]
) -> str:
    """`text` with the question items `root_of` does not need blanked."""
    _, _, end, starts = found
    bounds = [*starts, end]
    keep = set(range(min(FIRST_ITEMS, len(starts)))) | {len(starts) - 1}
    if lines:  # the 0-based line each item starts on, to find the items holding `lines`
        first = [text.count("\n", 0, starts[0])]
        for before, at in itertools.pairwise(starts):
            first.append(first[-1] + text.count("\n", before, at))
        for line in lines:  # the item, and the next one: where the item's nodes end
            index = max(bisect.bisect_right(first, line - 1) - 1, 0)
            keep |= {index, min(index + 1, len(starts) - 1)}
    parts, last = [], 0
    for number in sorted(keep):
        gap = text[bounds[last] : bounds[number]] if number > last else ""
        parts += [_blanked(gap), text[bounds[number] : bounds[number + 1]]]
        last = number + 1
    tail = _blanked(text[bounds[last] : end])
    return text[: bounds[0]] + "".join(parts) + tail + text[end:]


def root_of(text: str, path: str, lines: Sequence[int] = ()) -> yaml.MappingNode:
    """The composed document, to find where an entry goes.

    A big file's node tree takes about 35 times its text (over 3 GB for 90 MB),
    and an edit needs few of its nodes: the first FIRST_ITEMS questions (the
    indentation to copy), the last one (where a new question goes) and those
    on `lines` (the question that gets a forecast or outcome), each with the
    item after it (a node ends where the next content starts, and the edit
    finds the end of the question's list from there). So in a text of at
    least REDUCE_CHARS characters the other question items are blanked, every
    character but line breaks made a space: the nodes kept have the same
    marks (index, line, column) as in the whole text, and blank lines hold no
    node. Where the text does not qualify (see loader.question_items) the
    whole text is composed.
    """
    found = question_items(text) if len(text) >= REDUCE_CHARS else None
    if found is not None:
        text = _reduced(text, found, lines)
    return whole(text, path)


def whole(text: str, path: str) -> yaml.MappingNode:
    """`text` composed (all of it: also when a part does not tell enough)."""
    with gc_paused():  # many nodes in a big file: see loader.gc_paused
        root, errors = compose(text, path)
    if errors or not isinstance(root, yaml.MappingNode):
        raise EditError(f"{path}: cannot edit a file that does not load")
    return root


def _questions(root: yaml.MappingNode) -> list[yaml.Node]:
    pair = field(root, "questions")
    if pair is not None and isinstance(pair[1], yaml.SequenceNode):
        return list(pair[1].value)
    return []


def first_items_have(root: yaml.MappingNode, name: str) -> bool:
    """Whether one of the first FIRST_ITEMS questions has a `name` list.

    If so, the indentation `indent_of` copies is the one the whole text
    would give.
    """
    return any(
        isinstance(item, yaml.MappingNode) and field(item, name) is not None
        for item in _questions(root)[:FIRST_ITEMS]
    )


def question_node(root: yaml.MappingNode, question: str) -> yaml.MappingNode:
    """The mapping of question `question`; EditError if there is none."""
    for item in _questions(root):
        if isinstance(item, yaml.MappingNode):
            id_pair = field(item, "id")
            if id_pair is not None and id_pair[1].value == question:
                return item
    raise EditError(f"unknown question '{question}'")


def block_columns(
    text: str, parent: yaml.MappingNode, name: str
) -> tuple[int, int] | None:
    """(dash, key) columns of the first item of the block list `parent[name]`.

    Counted from the column of `parent`'s keys; None unless that list is a
    block list whose first item is a block mapping.
    """
    pair = field(parent, name) if parent.value and not parent.flow_style else None
    node = pair[1] if pair else None
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        first = node.value[0]
        if isinstance(first, yaml.MappingNode) and not first.flow_style:
            origin = parent.value[0][0].start_mark.column
            return dash_column(text, first) - origin, first.start_mark.column - origin
    return None


def indent_of(root: yaml.MappingNode, name: str, text: str) -> tuple[int, int] | None:
    """The indentation to copy for a new `name:` list inside a question.

    That of existing `name:` lists inside questions; failing that, of the
    other per-question list (forecasts, outcomes); failing that, of the
    questions list itself, one level deeper.
    """
    pair = field(root, "questions")
    if pair is None or not isinstance(pair[1], yaml.SequenceNode):
        return None
    for wanted in (name, *({"forecasts", "outcomes"} - {name})):
        for item in pair[1].value:
            if isinstance(item, yaml.MappingNode):
                columns = block_columns(text, item, wanted)
                if columns is not None:
                    return columns
    return block_columns(text, root, "questions")
