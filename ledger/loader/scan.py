r"""Scan: the YAML a ledger is written in, read line by line without composing nodes.

Composing a big ledger with PyYAML builds a node and a mark for every scalar
before any record exists. `document` reads the subset of YAML that the
ledger's own writers and hand-kept ledgers use straight into plain values,
with the line each starts on, for `direct` to build records from:

- block mappings with plain keys (`key: value`) and block lists (`- item`,
  also indentless under a key), in one document;
- one-line flow mappings and lists (`{by: ann, p: 70%}`, `[a, "b c"]`, and a
  list inside such a mapping), read by `flow`;
- plain scalars, one-line quoted ones, and `>`, `>-`, `|`, `|-` block scalars
  without blank or (folded) more indented lines inside;
- blank lines and comments.

Anything else raises `Unsupported`, and the caller composes the text with
PyYAML instead, whose loader alone reports every error: tags, anchors,
aliases, `? ` keys, empty values, tabs, line breaks other than `\n`, control
characters, multi-line plain or quoted scalars, a second document, or a
plain scalar YAML would end early are never read here.

A scalar keeps its text: a plain one is a `str`, any other (style, text)
with PyYAML's style (`"`, `'`, `>` or `|`). A value is a scalar, a `Map` or
a `Seq` (both in `flow`); lines count from 0, as PyYAML's marks do, and are
those of the nodes PyYAML would compose.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ledger.loader.flow import NOT_FIRST as _NOT_FIRST
from ledger.loader.flow import Map, Seq, Unsupported, Value, plain_first
from ledger.loader.flow import listed as flow_list
from ledger.loader.flow import mapping as flow_mapping
from ledger.loader.flow import quoted as flow_quoted

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Event", "Map", "Seq", "Unsupported", "Value", "document"]

# Characters outside the subset anywhere in the text: tabs, line breaks other
# than \n, control characters, a BOM or other non-characters, lone surrogates.
# (A document marker or directive starts a line at column 0, which is read as
# a key or ends a block scalar: either way it is not read.)
_FOREIGN = (
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)
_CONTROLS = [chr(code) for code in (*range(10), *range(11, 32), 127)]
_BLOCK_HEADERS = {
    ">-": (">", True), ">": (">", False), "|-": ("|", True), "|": ("|", False),
}

Event = tuple[str, int, Value, bool]
"""A top-level (key, line, value, whether the value is one item of the key's list)."""


def document(text: str) -> Iterator[Event]:
    """The top-level keys of a ledger's text, in order, with their values.

    A key whose value is a block list comes once per item, as each item ends,
    so a big file's questions are never all held here; any other value comes
    whole. Raises `Unsupported`, at once or along the way, for text outside
    the subset.
    """
    if _foreign(text):
        raise Unsupported
    scanner = _Scanner()
    events = scanner.events
    run = ""  # the start of the lines of a run of one-line flow mappings in a list
    for number, line in enumerate(_lines(text)):
        if run and line.startswith(run) and line[-1] == "}":
            scanner.item_of_run(line[len(run) - 1 :], number)
            continue
        if scanner.block is not None and scanner.block_line(line):
            continue
        rest = line.lstrip(" ")
        if not rest or rest[0] == "#":
            continue
        scanner.run = ""
        scanner.content(rest, len(line) - len(rest), number)
        run = scanner.run
        if events:
            yield from events
            events.clear()
    scanner.close(text.endswith("\n"))
    yield from events


def _foreign(text: str) -> bool:
    """Whether `text` holds a character outside the subset (see `_FOREIGN`)."""
    if text.isascii():  # one pass of memchr per control character: far quicker
        return any(control in text for control in _CONTROLS)
    return re.search(_FOREIGN, text) is not None  # compiled on first use, by `re`


def _lines(text: str, size: int = 1 << 20) -> Iterator[str]:
    """The lines of `text`, split a megabyte at a time (never all held at once)."""
    start = 0
    while True:
        stop = text.find("\n", start + size)
        if stop < 0:
            yield from text[start:].split("\n")
            return
        yield from text[start:stop].split("\n")
        start = stop + 1


def _is_dash(rest: str) -> bool:
    """A line's text starting with a block list's `-`."""
    return rest[0] == "-" and rest[1:2] in ("", " ")


class _Block:
    """A block scalar being read: where it goes, and its lines so far."""

    __slots__ = (
        "blank", "content", "fold", "indent", "key", "owner", "parent", "strip",
    )

    def __init__(self, owner: Map, key: str, parent: int, header: str) -> None:
        found = _BLOCK_HEADERS.get(header)
        if found is None:
            raise Unsupported  # an indentation or keep indicator, or a comment
        self.owner, self.key, self.parent = owner, key, parent
        self.fold, self.strip = found[0] == ">", found[1]
        self.content: list[str] = []
        self.indent = -1
        self.blank = False


class _Scanner:
    """The state between lines: the open block collections, what a key awaits."""

    def __init__(self) -> None:
        # The open block collections, innermost last: (column of their keys or
        # dashes, the collection, the top-level key whose list it is or "").
        self.stack: list[tuple[int, Map | Seq, str]] = []
        self.pending: tuple[Map, str, int] | None = None  # (mapping, key, column)
        self.block: _Block | None = None
        self.root: Map | None = None
        self.item: Event | None = None  # the top-level item read last
        self.events: list[Event] = []
        # After a `- {...}` item of a list that is not top-level: how the next
        # item starts if it is another, which `item_of_run` reads.
        self.run = ""

    def content(self, rest: str, column: int, number: int) -> None:
        """Read a content line: `rest` is its text from `column` on."""
        if self.pending is not None:
            self.opened(rest, column, number)
            return
        stack = self.stack
        if not stack:
            if self.root is not None or column:
                raise Unsupported  # not one mapping at column 0
            self.root = Map(number, {}, {})
            stack.append((0, self.root, ""))
        while stack[-1][0] > column:
            self.pop()
        top, collection, _ = stack[-1]
        if top != column:
            raise Unsupported  # indented past its collection: a continued value
        if type(collection) is Map:
            self.key(collection, rest, column, number)
        elif _is_dash(rest):
            self.dash(rest, column, number)
        elif type(stack[-2][1]) is Map and stack[-2][0] == column:
            self.pop()  # an indentless list has ended; its mapping goes on
            self.key(stack[-1][1], rest, column, number)  # type: ignore[arg-type]
        else:
            raise Unsupported  # a list goes on with something else

    def key(self, owner: Map, rest: str, column: int, number: int) -> None:
        """A `key: value` line of the mapping `owner`, its key at `column`."""
        key, colon, value = rest.partition(":")
        if not colon or (value and value[0] != " ") or rest[0] in _NOT_FIRST:
            raise Unsupported  # not a plain key (no ledger key starts with `-`)
        if key in owner.fields:
            raise Unsupported  # a duplicate key: the loader reports it
        value = value.strip(" ")
        if not value or value[0] == "#":
            self.pending = (owner, key, column)
            return
        owner.lines[key] = number  # type: ignore[index]  # a block mapping's
        first = value[0]
        if first in ">|":
            if owner is self.root:
                raise Unsupported  # a top-level scalar: not a ledger's
            self.block = _Block(owner, key, column, value)
            owner.fields[key] = ""  # until the block scalar ends
            return
        found = owner.fields[key] = _inline(value, first, number)
        if owner is self.root:
            self.events.append((key, number, found, False))

    def dash(self, rest: str, column: int, number: int) -> None:
        """A `- item` line of the list at the top of the stack, its `-` at `column`."""
        _, seq, key = self.stack[-1]
        value = rest[2:]
        if value[:1] == " ":
            value = value.lstrip(" ")
        if not value or value[0] == "#" or _is_dash(value):
            raise Unsupported  # the item starts on a later line, or is a list
        first = value[0]
        item: Value
        if first == "{":
            item = flow_mapping(value, number)
            if not key:
                self.run = " " * column + rest[: len(rest) - len(value) + 1]
        else:
            _, colon, after = value.partition(":")
            if colon and (not after or after[0] == " ") and plain_first(value):
                item = Map(number, {}, {})
                at = column + len(rest) - len(value)
                self.stack.append((at, item, ""))
                self.key(item, value, at, number)
            elif first in ">|":
                raise Unsupported  # a block scalar as an item
            else:
                item = _inline(value, first, number)
        if key:
            self.flush()
            self.item = (key, number, item, True)
        else:
            seq.items.append(item)  # type: ignore[union-attr]
            seq.lines.append(number)  # type: ignore[union-attr]

    def item_of_run(self, value: str, number: int) -> None:
        """Another `- {...}` item of the list whose last item was one (see `run`)."""
        seq = self.stack[-1][1]
        seq.items.append(flow_mapping(value, number))  # type: ignore[union-attr]
        seq.lines.append(number)  # type: ignore[union-attr]

    def opened(self, rest: str, column: int, number: int) -> None:
        """The first line of the value of a key that had none on its own line."""
        owner, key, parent = self.pending  # type: ignore[misc]
        self.pending = None
        dash = _is_dash(rest)
        if not (column > parent or (column == parent and dash)):
            raise Unsupported  # an empty value
        owner.lines[key] = number  # type: ignore[index]
        value: Map | Seq
        if dash:
            value = owner.fields[key] = Seq(number, [], [])
            self.stack.append((column, value, key if owner is self.root else ""))
            self.dash(rest, column, number)
            return
        if owner is self.root:
            raise Unsupported  # a top-level mapping: not a ledger's
        value = owner.fields[key] = Map(number, {}, {})
        self.stack.append((column, value, ""))
        self.key(value, rest, column, number)

    def pop(self) -> None:
        """Close the innermost collection."""
        if self.stack.pop()[2]:
            self.flush()

    def flush(self) -> None:
        """Hand out the top-level item read last, which has ended."""
        if self.item is not None:
            self.events.append(self.item)
            self.item = None

    def block_line(self, line: str) -> bool:
        """Read a line of the open block scalar; False if the scalar ended before it."""
        block = self.block
        assert block is not None
        rest = line.lstrip(" ")
        if not rest:
            if line:
                raise Unsupported  # a line of spaces: YAML's rules are subtle
            block.blank = True
            return True
        at = len(line) - len(rest)
        if block.indent < 0:
            if at <= block.parent:
                raise Unsupported  # an empty block scalar
            block.indent = at
        elif at < block.indent:
            self.end_block()
            return False
        if block.blank or (at > block.indent and block.fold):
            raise Unsupported  # a blank or more indented line inside
        block.content.append(line[block.indent :])
        return True

    def end_block(self, broken: bool = True) -> None:
        """Keep the block scalar that has ended as its key's value.

        `broken`: whether its last line ends with a line break, which a `>` or
        `|` scalar keeps (it does not at the end of a text without one).
        """
        block = self.block
        assert block is not None
        self.block = None
        if not block.content:
            raise Unsupported  # an empty block scalar
        text = (" " if block.fold else "\n").join(block.content)
        style = ">" if block.fold else "|"
        kept = "" if block.strip or not broken else "\n"
        block.owner.fields[block.key] = (style, text + kept)

    def close(self, broken: bool) -> None:
        """The end of the text (`broken`: after a line break): close what is open."""
        if self.block is not None:
            self.end_block(broken)
        if self.pending is not None or self.root is None:
            raise Unsupported  # an empty value at the end, or no mapping at all
        while self.stack:
            self.pop()


def _inline(value: str, first: str, number: int) -> Value:
    """A value written on its key's or its `-`'s line, other than a block scalar."""
    if first == "{":
        return flow_mapping(value, number)
    if first == "[":
        return flow_list(value, number)
    if first in "\"'":
        return flow_quoted(value)
    if not plain_first(value):
        raise Unsupported  # an indicator: a tag, an anchor, an alias, ...
    comment = value.find(" #")
    if comment >= 0:
        value = value[:comment].rstrip(" ")
    if ": " in value or value[-1] == ":":
        raise Unsupported  # a mapping inside a plain scalar: YAML refuses it
    return value
