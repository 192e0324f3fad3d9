r"""Slices: a big ledger's top-level `questions` list, composed a slice at a time.

A big ledger's node tree takes about 35 times its text (a 90 MB ledger: over
3 GB), nearly all of it the questions. `split` composes the document with the
top-level `questions` list left empty, then that list a slice of items at a
time, each slice as a document of its own: `questions:` on its own line, then
the slice, both padded with blank lines to their place, so every node has the
line, column, indentation and nesting it has in the whole document.

It applies only to a plain block list under a plain `questions:` line, in a
text with no anchor or alias and no line break but `\n`; each slice starts on
a line holding an item's `-` at the list's indentation (`question_items`, which
`record` also uses to compose only some items of a big file). Anything
unexpected raises, and the caller composes the whole document instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

from ledger.loader.nodes import ALIAS_OR_ANCHOR, MAP, SEQ, STR, TAG, tree

if TYPE_CHECKING:
    from collections.abc import Iterator

_QUESTIONS_LINE = re.compile(r"questions:(?:\x20+(?:#[^\n]*)?)?\n")
_CONTENT_LINE = re.compile(r"^\x20*[^\x20#\n]", re.MULTILINE)
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")  # libyaml's other line breaks


class NotASliceError(Exception):
    """A slice that composed into something other than its part of the list."""


def split(
    text: str, size: int
) -> tuple[yaml.MappingNode, Iterator[yaml.Node]] | None:
    """The document without its `questions`, and those composed a slice at a time.

    The document comes with its `questions` list left empty, and that list's
    items in slices of about `size` characters; None where it does not apply.
    The first slice is composed here; the others as the items are read, and
    any of them may raise `NotASliceError` or a YAML error then.
    """
    plan = _slices(text, size)
    if plan is None:
        return None
    at, start, end, cuts = plan
    blanks = "\n" * text.count("\n", start, end)
    root = tree(text[:start] + blanks + text[end:])
    if not isinstance(root, yaml.MappingNode):
        return None
    pairs = root.value
    found = [
        i for i, (key, _) in enumerate(pairs)
        if isinstance(key, yaml.ScalarNode) and key.value == "questions"
    ]
    if root.tag != MAP or len(found) != 1:
        return None
    key, value = pairs[found[0]]
    if not (_plain_at(key, at) and _plain_at(value, at) and value.value == ""):
        return None
    items = _items(text, at, start, end, cuts)
    first = next(items)
    empty = yaml.SequenceNode(SEQ, [], first.start_mark, first.end_mark)
    pairs[found[0]] = (key, empty)
    rest = (item for node in items for item in node.value)
    return root, _chain(iter(first.value), rest)


def question_items(text: str) -> tuple[int, int, int, list[int]] | None:
    r"""Where the top-level `questions` list and each of its items start.

    (0-based line of `questions:`, start and end of its list's lines, and where
    each of its items starts), for a plain top-level block list of questions
    in a text with no anchor or alias and no line break but `\n`; else None.
    Composing only some items (with the others blanked) then gives nodes at
    the same places as the whole text's.
    """
    if ALIAS_OR_ANCHOR.search(text) or TAG.search(text) or _OTHER_BREAKS.search(text):
        return None
    heads = [0] if text.startswith("questions:") else []
    at = text.find("\nquestions:")
    while at >= 0 and len(heads) < 2:
        heads.append(at + 1)
        at = text.find("\nquestions:", at + 1)
    if len(heads) != 1 or not _QUESTIONS_LINE.match(text, heads[0]):
        return None
    start = text.index("\n", heads[0]) + 1
    first = _CONTENT_LINE.search(text, start)
    if first is None:
        return None
    indent = first.end() - 1 - first.start()
    dash = first.start() + indent
    if text[dash : dash + 2] not in ("- ", "-\n"):
        return None
    end = _list_end(text, start, indent)
    item = re.compile("^" + " " * indent + r"-(?:\x20|\n)", re.MULTILINE)
    starts = [match.start() for match in item.finditer(text, start, end)]
    if not starts or starts[0] != first.start():
        return None
    return text.count("\n", 0, heads[0]), start, end, starts


def _list_end(text: str, start: int, indent: int) -> int:
    """Where a block list starting at `start`, its dashes `indent` spaces in, ends."""
    if indent:  # the list ends at the first line with text in column 0
        stop = re.compile(r"^[^\x20#\n]", re.MULTILINE)
    else:  # an indentless list: at the first line in column 0 that is not an item
        stop = re.compile(r"^(?:[^\x20#\n-]|-[^\x20\n])", re.MULTILINE)
    after = stop.search(text, start)
    return len(text) if after is None else after.start()


def _slices(text: str, size: int) -> tuple[int, int, int, list[list[int]]] | None:
    """Where the `questions` list is, and where each slice of it starts.

    (0-based line of `questions:`, start and end of its list's lines, and where
    each slice starts with how many items it holds), or None when the text
    does not qualify.
    """
    found = question_items(text)
    if found is None:
        return None
    at, start, end, starts = found
    cuts: list[list[int]] = []  # [where a slice starts, how many items it has]
    for begin in starts:
        if not cuts or begin - cuts[-1][0] >= size:
            cuts.append([begin, 0])
        cuts[-1][1] += 1
    return at, start, end, cuts


def _items(
    text: str, at: int, start: int, end: int, cuts: list[list[int]]
) -> Iterator[yaml.SequenceNode]:
    """The list's slices, each composed in place: its `questions` sequence node."""
    lines = at + 1 + text.count("\n", start, cuts[0][0])
    stops = [*(cut[0] for cut in cuts[1:]), end]
    for (begin, count), stop in zip(cuts, stops, strict=True):
        part = text[begin:stop]
        padding = "\n" * at + "questions:\n" + "\n" * (lines - at - 1)
        root = tree(padding + part)
        if root is None:
            raise NotASliceError  # nothing composed where the list should be
        (key, value), = root.value
        if not (
            root.tag == MAP
            and _plain_at(key, at)
            and isinstance(value, yaml.SequenceNode)
            and value.tag == SEQ
            and len(value.value) == count
        ):
            raise NotASliceError  # not the part of the list it should be
        yield value
        lines += part.count("\n")


def _chain(*parts: Iterator[yaml.Node]) -> Iterator[yaml.Node]:
    for part in parts:
        yield from part


def _plain_at(node: yaml.Node, at: int) -> bool:
    """A plain scalar with the default tag on line `at` (0-based)."""
    return (
        isinstance(node, yaml.ScalarNode) and node.tag == STR and not node.style
        and node.start_mark.line == at
    )
