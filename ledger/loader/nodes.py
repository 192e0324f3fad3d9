"""Nodes: a ledger's bytes → its YAML node tree, and what a node is.

This is the only module that parses YAML. It composes the text into nodes with
PyYAML's C parser (libyaml when available) and never constructs Python objects
from them, so YAML tags are never executed, and every scalar stays the text it
was written as: the readers in `fields` type each one themselves. Aliases are
refused before the tree is built, which also defuses "billion laughs"
documents. Every problem comes back as an `Error` with its line, never raised.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

import yaml

from ledger.core.model import Error, Location

if TYPE_CHECKING:
    _Base = yaml.BaseLoader
else:  # libyaml's C parser, when PyYAML was built with it
    # The base loader resolves no implicit types (every plain scalar is a str
    # node): the ledger types scalars itself, and skipping YAML's regex-based
    # resolution makes composing about 15% faster.
    _Base = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class _Loader(_Base):
    """The base loader, with its tag resolution done by one dict lookup.

    BaseResolver has no implicit and no path resolvers, so its `resolve`
    always returns the default tag of the node's kind; this returns the same
    tag without the generic checks, which run once per node.
    """

    _DEFAULT_TAGS: ClassVar[dict[type, str]] = {
        yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
        yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
        yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    }

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        """The default tag of a node of type `kind`."""
        return self._DEFAULT_TAGS[kind]


STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_NULL = "tag:yaml.org,2002:null"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

# A YAML anchor or alias: a text without one has none to refuse.
ALIAS_OR_ANCHOR = re.compile(r"[&*][^\s\[\]{},]")
# Where a YAML tag may start (`!!str`, `!units`): a text without one has none.
TAG = re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)


def line(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    at: int = node.start_mark.line  # the stubs type a mark as possibly None
    return at + 1


def describe(node: yaml.Node) -> str:
    """What a node is, for a message: a mapping, a list or its quoted text."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"'{node.value}'"


def is_null(node: yaml.Node) -> bool:
    """A plain `~`, `null` or empty value: the ledger's one test of an empty value.

    The base loader tags it str (a safe loader would tag it null); an explicit
    tag such as `!!python/none` keeps its own, so it is not null here and the
    readers refuse it.
    """
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style
        and node.value in _NULLS
        and node.tag in (_NULL, STR)
    )


def blank(node: yaml.Node) -> bool:
    """A null, or text of nothing but spaces."""
    return is_null(node) or (
        isinstance(node, yaml.ScalarNode) and not str(node.value).strip()
    )


def tree(text: str) -> yaml.Node | None:
    """The node tree of `text` as the ledger composes it; YAML errors raise."""
    return yaml.compose(text, Loader=_Loader)


_BOMS = (  # longest first: UTF-32LE's mark starts like UTF-16LE's
    (b"\xff\xfe\x00\x00", 32, "little"),
    (b"\x00\x00\xfe\xff", 32, "big"),
    (b"\xff\xfe", 16, "little"),
    (b"\xfe\xff", 16, "big"),
)
_ZEROS = {  # where the zero bytes of ASCII text fall, in each group of four bytes
    (1, 2, 3): (32, "little"),
    (0, 1, 2): (32, "big"),
    (1, 3): (16, "little"),
    (0, 2): (16, "big"),
}


def encoding_of(data: bytes) -> str | None:
    """The wide encoding `data` looks like (UTF-16 or UTF-32), if it looks like one.

    By its byte order mark, or else by where the zero bytes fall in the first
    few hundred bytes: mostly-ASCII text in UTF-16 has every other byte zero,
    in UTF-32 three bytes of every four.
    """
    for mark, bits, order in _BOMS:
        if data.startswith(mark):
            return f"UTF-{bits} ({order}-endian) text"
    head = data[:512]
    head = head[: len(head) - len(head) % 4]
    if not head or head.count(0) * 3 < len(head):
        return None
    zeros = tuple(at for at in range(4) if all(b == 0 for b in head[at::4]))
    found = _ZEROS.get(zeros)
    if found is None:
        return None
    bits, order = found
    return f"UTF-{bits} ({order}-endian) text without a byte order mark"


def decode(data: bytes, path: str) -> tuple[str | None, list[Error]]:
    """UTF-8 text of a ledger file (a leading BOM is dropped), or an error."""
    wide = encoding_of(data)
    if wide is not None:
        message = f"the file looks like {wide}; save it as UTF-8"
        return None, [Error(Location(path, 1), message)]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        at = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        message = (
            f"the file is not UTF-8: byte 0x{bad} at column {column}; "
            "save it as UTF-8"
        )
        return None, [Error(Location(path, at), message)]


def compose(text: str, path: str) -> tuple[yaml.Node | None, list[Error]]:
    """The YAML node tree of `text`, or one syntax error with its line."""
    try:
        refused = _refused(text, path)
        if refused:
            return None, refused
        return tree(text), []
    except yaml.YAMLError as exc:
        at = _error_line(text, exc)
        message = _tab_indented(text, at) or _yaml_message(exc)
        return None, [Error(Location(path, at), message)]
    except RecursionError:
        return None, [Error(Location(path, 1), "YAML nesting is too deep")]
    except MemoryError:  # millions of tiny nodes (`[a,a,a,...]`) outgrow the memory
        message = "the file is too big to load in the available memory"
        return None, [Error(Location(path, 1), message)]
    except UnicodeEncodeError as exc:  # a lone surrogate: only from a str, never a file
        at = text.count("\n", 0, exc.start) + 1
        message = "the text is not valid Unicode (a lone surrogate); save it as UTF-8"
        return None, [Error(Location(path, at), message)]


def _refused(text: str, path: str) -> list[Error]:
    """An error for each YAML alias and tag: refused before anything walks the tree.

    A text with neither `&`, `*` nor `!` where YAML reads them is skipped at the
    cost of two regex searches; otherwise the event stream is scanned, which
    never expands aliases, so a "billion laughs" document is refused in linear
    time. Every explicit tag is refused, `!!str` too: a composed node cannot
    tell `!!str text` from `text`, but the event that makes it can.
    """
    if not (ALIAS_OR_ANCHOR.search(text) or TAG.search(text)):
        return []
    alias = "YAML aliases (*name) are not allowed in a ledger; write the value out"
    found: dict[tuple[int, str], None] = {}
    for event in yaml.parse(text, Loader=_Loader):
        if event.start_mark is None:
            continue
        at = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            found[at, alias] = None
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            found[at, f"YAML tag '{shown}' is not allowed in a ledger"] = None
    return [Error(Location(path, at), message) for at, message in sorted(found)]


def _error_line(text: str, exc: yaml.YAMLError) -> int:
    """The 1-based line a YAML error points at (1 when it points nowhere)."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1
    return 1


def _tab_indented(text: str, at: int) -> str | None:
    """The message for a YAML error at line `at` whose indentation has a tab."""
    lines = text.split("\n", at)
    if len(lines) < at:
        return None
    here = lines[at - 1]
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" not in indent:
        return None
    column = indent.index("\t") + 1
    return (
        f"tabs are not allowed for indentation (a tab at column {column}); indent "
        "with spaces"
    )


def _yaml_message(exc: yaml.YAMLError) -> str:
    """A YAML error's message: its problem and context, on one line."""
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem is None:
        return f"YAML syntax error: {exc}".splitlines()[0]
    if str(problem).startswith("but found another document"):
        return (
            "a ledger is one YAML document, but a second one starts here; remove "
            "this '---' or move what follows into the first document"
        )
    if context:
        return f"YAML syntax error: {problem} ({context})"
    return f"YAML syntax error: {problem}"
