"""Record: the edits that commands make to a ledger file, minimal, validated and atomic.

Every write goes through `write`: under an exclusive lock, it reads the file,
refuses if the file already has problems, builds the new text in memory by
inserting only the lines the edit needs, loads and validates the new text, and
only then replaces the file atomically (a temporary file in the same folder,
fsynced, renamed over the original, with the original's permissions). If the
file changed on disk between reading and writing, the edit is rebuilt and
tried again. A crash at any moment leaves the old file or the new one; the
temporary file a killed writer leaves behind (`.ledger-NAME.*.tmp`) is removed
by the next write, under the lock. A symbolic link is followed: the file it
points to is replaced, and the link stays.

Edits are text insertions located from the YAML node marks: every other byte
(comments, blank lines, key order, quoting, line endings, a byte-order mark,
a missing final newline) stays as it was. A new entry copies the indentation
and the block-or-flow style of its siblings; a list with no siblings to copy
takes the indentation of the list around it. Two edits change a line rather
than only insert: an empty list written `[]` or `null` becomes a block list
(that one line loses its `[]`), and an entry added to a flow-style list
(`[{...}]`) goes inside the brackets.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ledger.core.memory import gc_paused
from ledger.core.model import Error, Ledger, Location
from ledger.files.lock import LockTimeout, lock
from ledger.files.write import atomic_write, remove_leftovers

from ledger.load.loader import load_bytes, load_file

# `is_null` is the loader's own test of an empty value (`~`, `null`, nothing),
# so what an edit treats as an empty list is exactly what the loader does.
from ledger.load.nodes import compose, decode, is_null
from ledger.load.slices import question_items
from ledger.validate import validate

Entry = list[tuple[str, Any]]
"""A new record as ordered (key, value) pairs; values are str, list[str] or None."""

RETRIES = 5


class EditError(ValueError):
    """An edit that cannot be made (an unknown id, a missing list); a usage error."""


@dataclass(frozen=True, slots=True)
class Written:
    """What a successful write did: the line where the new entry starts."""

    path: str
    line: int


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+%/-]*")
_PLAIN_BLOCK = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.,+%/()'-]*[A-Za-z0-9.)%]")
_NULL_WORDS = frozenset({"null", "Null", "NULL", "~"})
# Characters json.dumps leaves raw that YAML would refuse (not printable) or
# read as a line break inside double quotes: written as escapes instead.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def scalar(value: str, flow: bool = False) -> str:
    """A YAML scalar for `value`: plain when the loader reads it back as the same
    text, else double-quoted. Flow context (`[a, b]`, `{k: v}`) allows fewer
    plain characters than block context.

    >>> scalar("jerry-tworek"), scalar("New Person"), scalar("a: b"), scalar("null")
    ('jerry-tworek', 'New Person', '"a: b"', '"null"')
    >>> scalar("line\\u2028break")
    '"line\\\\u2028break"'
    """
    if _SURROGATE.search(value):
        raise EditError(f"{value!r} is not valid text (it has a lone surrogate)")
    pattern = _PLAIN if flow else _PLAIN_BLOCK
    if value not in _NULL_WORDS and (
        _PLAIN.fullmatch(value) or pattern.fullmatch(value)
    ):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _value(value: Any, flow: bool = False) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(str(v), True) for v in value) + "]"
    return scalar(str(value), flow)


def _pairs(entry: Entry) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in entry if v is not None and v != [] and v != ()]


def _flow(entry: Entry) -> str:
    """`{k: v, ...}`: the entry as a flow mapping."""
    return "{" + ", ".join(f"{k}: {_value(v, True)}" for k, v in _pairs(entry)) + "}"


def render(entry: Entry, dash: int, key: int, flow: bool, newline: str) -> str:
    """The text of a new list item at dash column `dash`, keys at column `key`."""
    if flow:
        return " " * dash + "- " + _flow(entry) + newline
    lines = []
    for i, (k, v) in enumerate(_pairs(entry)):
        prefix = " " * dash + "-" + " " * (key - dash - 1) if i == 0 else " " * key
        lines.append(f"{prefix}{k}: {_value(v)}")
    return newline.join(lines) + newline


# -- locating insertion points ---------------------------------------------


def _lines(text: str) -> list[str]:
    # str.splitlines also breaks at \v, \f and \x1c-\x1e, which YAML refuses in
    # a file that loads, so its lines are YAML's lines.
    return text.splitlines(keepends=True)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in _lines(text):
        starts.append(starts[-1] + len(line))
    return starts


def _field(node: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return key, value
    return None


def _after(text: str, mark: Any) -> int:
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
    """True for a block scalar with keep chomping (`|+`, `>+`): its trailing
    blank lines are part of its value, so nothing may be inserted above them."""
    if not isinstance(node, yaml.ScalarNode) or node.style not in ("|", ">"):
        return False
    start = node.start_mark.index
    header = text[start : start + 4]
    return "+" in header.split("#")[0].split("\n")[0]


def _end_line(text: str, node: yaml.Node, dash: int) -> int:
    """0-based index of the line after the last content line of `node`.

    Trailing blank lines, and comments indented no deeper than `dash`, belong to
    what follows (the next section), so the new entry goes above them.
    """
    lines = _lines(text)
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


def _newline(text: str) -> str:
    """The file's line ending, from its first line: CRLF, LF or (old Mac) CR."""
    match = re.search(r"\r\n|\r|\n", text)
    return match.group() if match else "\n"


def _insert_lines(text: str, line: int, block: str) -> str:
    """Insert `block` (whole lines, each ending with a newline) before line `line`.

    At the end of a file that has no final newline, the block goes after a
    newline and loses its own last one: the file still has no final newline,
    and every original byte stays.
    """
    starts = _line_starts(text)
    if line >= len(starts) - 1 and text and not text.endswith(("\n", "\r")):
        newline = _newline(text)
        return text + newline + block[: -len(newline)]
    index = starts[min(line, len(starts) - 1)]
    return text[:index] + block + text[index:]


def _line_of(text: str, index: int) -> int:
    """1-based line of character `index`."""
    return len(_lines(text[:index] + "x"))


def _into_flow_sequence(
    text: str, sequence: yaml.SequenceNode, entry: Entry
) -> tuple[str, int]:
    """Append `entry` inside a flow list: after its last item, or into `[]`."""
    if sequence.value:
        at = sequence.value[-1].end_mark.index  # keeps a trailing comma or comment
        new = text[:at] + ", " + _flow(entry) + text[at:]
    else:
        at = sequence.start_mark.index + 1  # just after `[`
        new = text[:at] + _flow(entry) + text[at:]
    return new, _line_of(new, at)


def _into_flow_mapping(
    text: str, parent: yaml.MappingNode, name: str, entry: Entry
) -> tuple[str, int]:
    """Add `name: [entry]` to a flow mapping (`{id: q, ...}`) that lacks `name`."""
    if parent.value:
        at = parent.value[-1][1].end_mark.index
        addition = f", {name}: [{_flow(entry)}]"
    else:
        at = parent.start_mark.index + 1
        addition = f"{name}: [{_flow(entry)}]"
    new = text[:at] + addition + text[at:]
    return new, _line_of(new, at)


def append_item(
    text: str,
    parent: yaml.MappingNode,
    name: str,
    entry: Entry,
    indent_hint: tuple[int, int] | None = None,
) -> tuple[str, int]:
    """Append `entry` to the list under key `name` of mapping `parent`.

    Returns the new text and the 1-based line of the new entry. Creates the key
    when it is missing, and turns an empty list (`[]`, `null` or nothing) into a
    block list. `indent_hint` is the (dash, key) columns, counted from the
    column of `parent`'s keys, for a list that has no item to copy them from.
    """
    newline = _newline(text)
    pair = _field(parent, name)
    if parent.flow_style:
        if pair is None:
            return _into_flow_mapping(text, parent, name, entry)
        value = pair[1]
        if isinstance(value, yaml.SequenceNode):
            return _into_flow_sequence(text, value, entry)
        if is_null(value):
            start, end = value.start_mark.index, value.end_mark.index
            space = " " if text[start - 1 : start] == ":" else ""
            replacement = space + "[" + _flow(entry) + "]"
            new = text[:start] + replacement + text[end:]
            return new, _line_of(new, start)
        raise EditError(f"'{name}' is not a list; fix the file by hand first")
    key_column = parent.value[0][0].start_mark.column if parent.value else 0
    empty = pair is not None and (
        is_null(pair[1])
        or (
            isinstance(pair[1], yaml.SequenceNode)
            and not pair[1].value
            and pair[1].flow_style
        )
    )
    if pair is None or empty:
        dash, key = (key_column + offset for offset in indent_hint or (2, 4))
        item = render(entry, dash, key, False, newline)
        if pair is None:
            line = _end_line(text, parent, key_column - 1)
            block = " " * key_column + f"{name}:" + newline + item
            return _insert_lines(text, line, block), line + 2
        key_node, value = pair
        if value.start_mark.index == value.end_mark.index:  # `name:` with nothing
            line = key_node.start_mark.line + 1
            return _insert_lines(text, line, item), line + 1
        # `name: []` or `name: null`: drop the value, keep a comment after it
        start, end = value.start_mark.index, value.end_mark.index
        head = text[:start].rstrip(" ")
        eol = text.find("\n", end)
        eol = len(text) if eol < 0 else eol + 1
        rest = text[end:eol].rstrip("\r\n")
        new = head + rest + newline + item + text[eol:]
        if eol == len(text) and not text.endswith(("\n", "\r")):
            new = new[: -len(newline)]  # the file had no final newline: keep it so
        return new, key_node.start_mark.line + 2
    sequence = pair[1]
    if not isinstance(sequence, yaml.SequenceNode):
        raise EditError(f"'{name}' is not a list; fix the file by hand first")
    if sequence.flow_style:
        return _into_flow_sequence(text, sequence, entry)
    last = sequence.value[-1]
    dash = _dash_column(text, last)
    flow = isinstance(last, yaml.MappingNode) and bool(last.flow_style)
    key = (
        last.start_mark.column
        if isinstance(last, yaml.MappingNode) and not flow
        else dash + 2
    )
    line = _end_line(text, last, dash)
    item = render(entry, dash, key, flow, newline)
    if _blank_before(text, last):
        item = newline + item
        return _insert_lines(text, line, item), line + 2
    return _insert_lines(text, line, item), line + 1


def _dash_column(text: str, item: yaml.Node) -> int:
    """Column of the `-` that starts a block list item: the first character of
    the item's line, or of the nearest line above it that is not blank or a
    comment (`-` alone on its line, or `- # a comment`, then the item)."""
    lines = _lines(text)
    line = item.start_mark.line
    head = lines[line][: item.start_mark.column] if line < len(lines) else ""
    while not head.strip() and line > 0:
        line -= 1
        head = lines[line]
        if head.lstrip().startswith("#"):
            head = ""
    return len(head) - len(head.lstrip(" "))


def _blank_before(text: str, item: yaml.Node) -> bool:
    """True when the list's items are separated by blank lines (so the new one is too)."""
    lines = _lines(text)
    line = item.start_mark.line
    return line > 0 and lines[line - 1].strip() == ""


# -- the edits -------------------------------------------------------------


REDUCE_CHARS = 1_000_000
"""Texts at least this long are composed with most question items blanked (`_root`)."""

FIRST_ITEMS = 50
"""Question items kept from the start of the list: where indentation is copied from."""


def _root(text: str, path: str, lines: Sequence[int] = ()) -> yaml.MappingNode:
    """The composed document, to find where an entry goes.

    A big file's node tree takes about 35 times its text (over 3 GB for 90 MB),
    and an edit needs few of its nodes: the first FIRST_ITEMS questions (the
    indentation to copy), the last one (where a new question goes) and those
    on `lines` (the question that gets a forecast or outcome), each with the
    item after it (a node ends where the next content starts, and the edit
    finds the end of the question's list from there). So the other question
    items are blanked, every character but line breaks made a space: the
    nodes kept have the same marks (index, line, column) as in the whole text,
    and blank lines hold no node. Where the text does not qualify (see
    loader.question_items) the whole text is composed.
    """
    found = question_items(text) if len(text) >= REDUCE_CHARS else None
    if found is not None:
        _, _, end, starts = found
        bounds = [*starts, end]
        keep = set(range(min(FIRST_ITEMS, len(starts)))) | {len(starts) - 1}
        if lines:  # the 0-based line each item starts on, to find the items holding `lines`
            first = [text.count("\n", 0, starts[0])]
            for before, at in zip(starts, starts[1:]):
                first.append(first[-1] + text.count("\n", before, at))
            for line in lines:  # the item, and the next one: where the item's nodes end
                item = max(bisect.bisect_right(first, line - 1) - 1, 0)
                keep |= {item, min(item + 1, len(starts) - 1)}
        parts, last = [], 0
        for number in sorted(keep):
            gap = text[bounds[last]:bounds[number]] if number > last else ""
            parts += [re.sub(r"[^\n]", " ", gap), text[bounds[number]:bounds[number + 1]]]
            last = number + 1
        text = text[:bounds[0]] + "".join(parts) + re.sub(r"[^\n]", " ", text[bounds[last]:end]) + text[end:]
    return _whole(text, path)


def _first_items_have(root: yaml.MappingNode, name: str) -> bool:
    """Whether one of the first FIRST_ITEMS questions has a `name` list (so the
    indentation `_indent_of` copies is the one the whole text would give)."""
    pair = _field(root, "questions")
    items = pair[1].value[:FIRST_ITEMS] if pair and isinstance(pair[1], yaml.SequenceNode) else []
    return any(isinstance(item, yaml.MappingNode) and _field(item, name) is not None
               for item in items)


def _question_node(root: yaml.MappingNode, question: str) -> yaml.MappingNode:
    pair = _field(root, "questions")
    if pair is not None and isinstance(pair[1], yaml.SequenceNode):
        for item in pair[1].value:
            if isinstance(item, yaml.MappingNode):
                id_pair = _field(item, "id")
                if id_pair is not None and id_pair[1].value == question:
                    return item
    raise EditError(f"unknown question '{question}'")


def _block_columns(
    text: str, parent: yaml.MappingNode, name: str
) -> tuple[int, int] | None:
    """(dash, key) columns of the first item of the block list of mappings
    `parent[name]`, counted from the column of `parent`'s keys."""
    pair = _field(parent, name) if parent.value and not parent.flow_style else None
    node = pair[1] if pair else None
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        first = node.value[0]
        if isinstance(first, yaml.MappingNode) and not first.flow_style:
            origin = parent.value[0][0].start_mark.column
            return _dash_column(text, first) - origin, first.start_mark.column - origin
    return None


def _indent_of(root: yaml.MappingNode, name: str, text: str) -> tuple[int, int] | None:
    """Indentation of existing `name:` lists inside questions, to copy for a new
    one; failing that, of the other per-question list (forecasts, outcomes);
    failing that, of the questions list itself, one level deeper."""
    pair = _field(root, "questions")
    if pair is None or not isinstance(pair[1], yaml.SequenceNode):
        return None
    for wanted in (name, *({"forecasts", "outcomes"} - {name})):
        for item in pair[1].value:
            if isinstance(item, yaml.MappingNode):
                columns = _block_columns(text, item, wanted)
                if columns is not None:
                    return columns
    return _block_columns(text, root, "questions")


def _lf(edit: Callable[..., tuple[str, int]]) -> Callable[..., tuple[str, int]]:
    """Run `edit` on a file with old-Mac line endings (CR alone) as if they were LF.

    Marks and columns are found from LF; swapping every CR for LF and back keeps
    every character index, and new values never hold a raw CR or LF (`scalar`
    escapes them).
    """

    @functools.wraps(edit)
    def wrapper(text: str, *args: Any) -> tuple[str, int]:
        if "\r" not in text or "\n" in text:
            return edit(text, *args)
        new, line = edit(text.replace("\r", "\n"), *args)
        return new.replace("\n", "\r"), line

    return wrapper


@_lf
def add_to_question(
    text: str, path: str, question: str, name: str, entry: Entry, line: int = 0
) -> tuple[str, int]:
    """Append a forecast or an outcome (`name`) to a question's list; `line`, the
    question's line if known, lets a big file be composed in part (`_root`)."""
    root = _root(text, path, (line,) if line else ())
    try:
        node = _question_node(root, question)
    except EditError:
        node = None
    if node is None or not _first_items_have(root, name):
        root = _whole(text, path)
        node = _question_node(root, question)
    return append_item(text, node, name, entry, _indent_of(root, name, text))


def _whole(text: str, path: str) -> yaml.MappingNode:
    """`text` composed (all of it: also when a part does not tell enough)."""
    with gc_paused():  # many nodes in a big file: see loader.gc_paused
        root, errors = compose(text, path)
    if errors or not isinstance(root, yaml.MappingNode):
        raise EditError(f"{path}: cannot edit a file that does not load")
    return root


@_lf
def add_top(text: str, path: str, name: str, entry: Entry) -> tuple[str, int]:
    """Append a forecaster, source or question to a top-level list (a new list
    takes the indentation of the first top-level list that has items)."""
    root = _root(text, path)
    hint = None
    for wanted in (name, "questions", "forecasters", "sources"):
        hint = _block_columns(text, root, wanted)
        if hint is not None:
            break
    return append_item(text, root, name, entry, hint)


# -- writing ---------------------------------------------------------------


def _checked(data: bytes, path: str, root: str | None) -> tuple[Ledger, list[Error]]:
    """Load and validate the whole ledger, with `data` as the bytes of file `path`.

    `root` is the ledger's main file when `path` is one of the files it
    includes; the edited file is then checked together with all the others.
    `data` is read through the parse cache, and its load kept there: the bytes
    on disk were usually loaded by the last command, and the new bytes will be
    loaded by the next one.
    """
    if root is None:
        ledger, errors = load_bytes(data, path)
    else:
        ledger, errors = load_file(root, {os.path.realpath(path): data})
    errors = errors + validate(ledger)
    return ledger, sorted(errors, key=lambda e: e.location)


def write(
    path: str,
    edit: Callable[[str, Ledger], tuple[str, int]],
    on_wait: Callable[[str], None] = lambda _: None,
    root: str | None = None,
) -> tuple[Written | None, list[Error]]:
    """Apply `edit` to the file at `path`: validate first, write nothing on error.

    `root` is the ledger's main file, when it includes others: the whole
    ledger (every included file, with the edited text for `path`) is checked
    before and after the edit. Without it, `path` is the whole ledger.

    `edit(text, ledger)` returns the new text and the line of the new entry; it
    may raise EditError. Returns (what was written, []) or (None, errors); a
    lock held too long, or a file that cannot be read or written, is an error
    too, at line 1.
    """
    target = os.path.realpath(path)  # a symlink stays a symlink
    try:
        with lock(target, on_wait):
            remove_leftovers(target)
            return _write_locked(path, target, edit, root)
    except LockTimeout as exc:
        return None, [Error(Location(path, 1), str(exc))]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename and exc.filename != path else ""
        return None, [
            Error(Location(path, 1), f"cannot write the file: {reason}{where}")
        ]


def _write_locked(
    path: str,
    target: str,
    edit: Callable[[str, Ledger], tuple[str, int]],
    root: str | None,
) -> tuple[Written | None, list[Error]]:
    for _ in range(RETRIES):
        with open(target, "rb") as handle:
            data = handle.read()
        bom = data.startswith(b"\xef\xbb\xbf")
        text, errors = decode(data, path)
        if text is None:
            return None, errors
        ledger, errors = _checked(data, path, root)
        if errors:
            return None, errors
        new_text, line = edit(text, ledger)
        new_data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
        _, errors = _checked(new_data, path, root)
        if _digest(target) != hashlib.sha256(data).hexdigest():
            continue  # changed on disk since we read it: rebuild (and recheck) the edit
        if errors:
            return None, errors
        atomic_write(target, new_data)
        return Written(path, line), []
    message = f"{path} kept changing while the edit was being written; try again"
    return None, [Error(Location(path, 1), message)]


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()
