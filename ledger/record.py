"""Record: the edits that commands make to a ledger file, minimal, validated and atomic.

Every write goes through `write`: under an exclusive lock, it reads the file,
refuses if the file already has problems, builds the new text in memory by
inserting only the lines the edit needs, loads and validates the new text, and
only then replaces the file atomically (a temporary file in the same folder,
fsynced, renamed over the original, with the original's permissions). If the
file changed on disk between reading and writing, the edit is rebuilt and
tried again. A crash at any moment leaves the old file or the new one.

Edits are text insertions located from the YAML node marks: every other byte
(comments, blank lines, key order, quoting, line endings) stays as it was. A
new entry copies the indentation and the block-or-flow style of its siblings.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ledger.load import compose, decode, load_text
from ledger.model import Error, Ledger, Location
from ledger.validate import validate

Entry = list[tuple[str, Any]]
"""A new record as ordered (key, value) pairs; values are str, list[str] or None."""

LOCK_WAIT_NOTICE = 2.0
LOCK_TIMEOUT = 60.0
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


def scalar(value: str, flow: bool = False) -> str:
    """A YAML scalar for `value`: plain when the loader reads it back as the same
    text, else double-quoted. Flow context (`[a, b]`, `{k: v}`) allows fewer
    plain characters than block context.

    >>> scalar("jerry-tworek"), scalar("New Person"), scalar("a: b"), scalar("null")
    ('jerry-tworek', 'New Person', '"a: b"', '"null"')
    """
    pattern = _PLAIN if flow else _PLAIN_BLOCK
    if value not in _NULL_WORDS and (_PLAIN.fullmatch(value) or pattern.fullmatch(value)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _value(value: Any, flow: bool = False) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(str(v), True) for v in value) + "]"
    return scalar(str(value), flow)


def render(entry: Entry, dash: int, key: int, flow: bool, newline: str) -> str:
    """The text of a new list item at dash column `dash`, keys at column `key`."""
    pairs = [(k, v) for k, v in entry if v is not None and v != [] and v != ()]
    if flow:
        body = ", ".join(f"{k}: {_value(v, True)}" for k, v in pairs)
        return " " * dash + "- {" + body + "}" + newline
    lines = []
    for i, (k, v) in enumerate(pairs):
        prefix = " " * dash + "-" + " " * (key - dash - 1) if i == 0 else " " * key
        lines.append(f"{prefix}{k}: {_value(v)}")
    return newline.join(lines) + newline


# -- locating insertion points ---------------------------------------------


def _lines(text: str) -> list[str]:
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


def _end_line(text: str, node: yaml.Node, dash: int) -> int:
    """0-based index of the line after the last content line of `node`."""
    lines = _lines(text)
    end = node.end_mark
    before = text[text.rfind("\n", 0, end.index) + 1 : end.index]
    line = end.line if not before.strip() else end.line + 1
    while line > 0:
        previous = lines[line - 1] if line - 1 < len(lines) else ""
        stripped = previous.strip()
        indent = len(previous) - len(previous.lstrip(" "))
        if stripped == "" or (stripped.startswith("#") and indent <= dash):
            line -= 1
            continue
        break
    return line


def _newline(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _insert_lines(text: str, line: int, block: str) -> str:
    starts = _line_starts(text)
    if line >= len(starts) - 1 and text and not text.endswith(("\n", "\r")):
        return text + _newline(text) + block
    index = starts[min(line, len(starts) - 1)]
    return text[:index] + block + text[index:]


def append_item(
    text: str,
    parent: yaml.MappingNode,
    name: str,
    entry: Entry,
    indent_hint: tuple[int, int] | None = None,
) -> tuple[str, int]:
    """Append `entry` to the list under key `name` of mapping `parent`.

    Returns the new text and the 1-based line of the new entry. Creates the key
    when it is missing, and turns an empty flow list (`[]`) into a block list.
    """
    newline = _newline(text)
    pair = _field(parent, name)
    key_column = parent.value[0][0].start_mark.column if parent.value else 0
    if pair is None or (isinstance(pair[1], yaml.SequenceNode) and not pair[1].value):
        dash, key = indent_hint or (key_column + 2, key_column + 4)
        item = render(entry, dash, key, False, newline)
        if pair is None:
            line = _end_line(text, parent, key_column - 1)
            block = " " * key_column + f"{name}:" + newline + item
            return _insert_lines(text, line, block), line + 2
        key_node, value = pair
        if value.start_mark.index == value.end_mark.index:  # `name:` with nothing
            line = key_node.start_mark.line + 1
            return _insert_lines(text, line, item), line + 1
        start, end = value.start_mark.index, value.end_mark.index
        head = text[:start].rstrip(" ")
        eol = text.find("\n", end)
        eol = len(text) if eol < 0 else eol + 1
        rest = text[end:eol].rstrip("\r\n")
        new = head + rest + newline + item + text[eol:]
        return new, key_node.start_mark.line + 2
    sequence = pair[1]
    if not isinstance(sequence, yaml.SequenceNode):
        raise EditError(f"'{name}' is not a list; fix the file by hand first")
    if sequence.flow_style:
        close = sequence.end_mark.index - 1
        body = ", ".join(f"{k}: {_value(v, True)}" for k, v in entry if v not in (None, [], ()))
        new = text[:close] + ", {" + body + "}" + text[close:]
        return new, sequence.end_mark.line + 1
    last = sequence.value[-1]
    dash = _dash_column(text, last)
    flow = isinstance(last, yaml.MappingNode) and bool(last.flow_style)
    key = last.start_mark.column if isinstance(last, yaml.MappingNode) else dash + 2
    line = _end_line(text, last, dash)
    item = render(entry, dash, key, flow, newline)
    if _blank_before(text, last) and not flow:
        item = newline + item
        return _insert_lines(text, line, item), line + 2
    return _insert_lines(text, line, item), line + 1


def _dash_column(text: str, item: yaml.Node) -> int:
    """Column of the `-` that starts a block list item."""
    index = text.rfind("-", 0, item.start_mark.index)
    return index - (text.rfind("\n", 0, index) + 1)


def _blank_before(text: str, item: yaml.Node) -> bool:
    """True when the list's items are separated by blank lines (so the new one is too)."""
    lines = _lines(text)
    line = item.start_mark.line
    return line > 0 and lines[line - 1].strip() == ""


# -- the edits -------------------------------------------------------------


def _root(text: str, path: str) -> yaml.MappingNode:
    root, errors = compose(text, path)
    if errors or not isinstance(root, yaml.MappingNode):
        raise EditError(f"{path}: cannot edit a file that does not load")
    return root


def _question_node(root: yaml.MappingNode, question: str) -> yaml.MappingNode:
    pair = _field(root, "questions")
    if pair is not None and isinstance(pair[1], yaml.SequenceNode):
        for item in pair[1].value:
            if isinstance(item, yaml.MappingNode):
                id_pair = _field(item, "id")
                if id_pair is not None and id_pair[1].value == question:
                    return item
    raise EditError(f"unknown question '{question}'")


def _indent_of(root: yaml.MappingNode, name: str, text: str) -> tuple[int, int] | None:
    """Indentation of existing `name:` lists inside questions, to copy for a new one."""
    pair = _field(root, "questions")
    if pair is None or not isinstance(pair[1], yaml.SequenceNode):
        return None
    for item in pair[1].value:
        if isinstance(item, yaml.MappingNode):
            inner = _field(item, name)
            if inner and isinstance(inner[1], yaml.SequenceNode) and inner[1].value and not inner[1].flow_style:
                first = inner[1].value[0]
                key = first.start_mark.column if isinstance(first, yaml.MappingNode) else 0
                return _dash_column(text, first), key
    return None


def add_to_question(text: str, path: str, question: str, name: str, entry: Entry) -> tuple[str, int]:
    """Append a forecast or an outcome (`name`) to a question's list."""
    root = _root(text, path)
    node = _question_node(root, question)
    return append_item(text, node, name, entry, _indent_of(root, name, text))


def add_top(text: str, path: str, name: str, entry: Entry) -> tuple[str, int]:
    """Append a forecaster, source or question to a top-level list."""
    return append_item(text, _root(text, path), name, entry, (2, 4))


# -- writing ---------------------------------------------------------------


@contextlib.contextmanager
def lock(path: str, on_wait: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold an exclusive lock on `path` (through `path.lock`) while writing."""
    import fcntl

    lock_path = path + ".lock"
    with open(lock_path, "a") as handle:
        started = time.monotonic()
        noticed = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited > LOCK_WAIT_NOTICE and not noticed:
                    on_wait(f"waiting for another ledger command to finish writing {path} (lock {lock_path})")
                    noticed = True
                if waited > LOCK_TIMEOUT:
                    raise EditError(
                        f"{lock_path} has been held for {LOCK_TIMEOUT:.0f} s; if no other "
                        "ledger command is running, delete it and try again"
                    ) from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def atomic_write(path: str, data: bytes) -> None:
    """Replace `path` with `data`: a same-folder temporary file, fsynced, renamed."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".ledger-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _checked(text: str, path: str) -> tuple[Ledger, list[Error]]:
    ledger, errors = load_text(text, path)
    errors = errors + validate(ledger)
    return ledger, sorted(errors, key=lambda e: e.location)


def write(
    path: str,
    edit: Callable[[str, Ledger], tuple[str, int]],
    on_wait: Callable[[str], None] = lambda _: None,
) -> tuple[Written | None, list[Error]]:
    """Apply `edit` to the file at `path`: validate first, write nothing on error.

    `edit(text, ledger)` returns the new text and the line of the new entry; it
    may raise EditError. Returns (what was written, []) or (None, errors).
    """
    with lock(path, on_wait):
        for _ in range(RETRIES):
            with open(path, "rb") as handle:
                data = handle.read()
            bom = data.startswith(b"\xef\xbb\xbf")
            text, errors = decode(data, path)
            if text is None:
                return None, errors
            ledger, errors = _checked(text, path)
            if errors:
                return None, errors
            new_text, line = edit(text, ledger)
            _, errors = _checked(new_text, path)
            if errors:
                return None, errors
            new_data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
            if _digest(path) != hashlib.sha256(data).hexdigest():
                continue  # changed on disk since we read it: rebuild the edit
            atomic_write(path, new_data)
            return Written(path, line), []
    message = f"{path} kept changing while the edit was being written; try again"
    return None, [Error(Location(path, 1), message)]


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()

