"""Fields: the generic readers that type a node's text into a field's value.

Each reader takes a node and the field's name and returns a value or raises
`FieldError`, which becomes an `Error` at the node's line. Every scalar is read
from its own text, so YAML 1.1's typing (`no` → False, `1e-3` → a string,
silently merged duplicate keys) never reaches a record. The keys each record
may have, and those it must have, come from the published JSON Schema
(`schema.json`), so the loader and the schema cannot drift apart.
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from ledger.core.dates import DateError, When, parse_when
from ledger.core.model import Error, Location
from ledger.core.numbers import foreign_digit, parse_probability
from ledger.core.words import did_you_mean
from ledger.loader.nodes import blank, describe, is_null, line

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

T = TypeVar("T")
# A field reader: (the value's node, the field's name) → the value.
Reader = Callable[[yaml.Node, str], Any]

_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
# Text fields that may run over several lines (a folded `>-` is one line anyway);
# every other text (a title, a name, a tag, a URL) is one line.
PARAGRAPHS = frozenset(
    {"note", "criteria", "unscorable", "reason", "quote", "words", "licence",
     "attribution"}
)
# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators:
# refused in one-line text (a paragraph keeps whatever it was given).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Shown by name; any other as its code point.
_CONTROL_NAMES = {"\t": "tab", "\n": "line break", "\r": "carriage return"}
# Characters that show nothing, beyond whitespace and format characters (Cf).
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


class FieldError(ValueError):
    """A bad field value; becomes an `Error` at the value's line."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.line = line(node)


class Reported(Exception):
    """A field that cannot be read for a reason already reported elsewhere."""


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of the ledger format."""
    # Beside the package, as core/words.py reads tables.json (importlib.resources
    # would cost `ledger check` a few milliseconds of imports).
    text = Path(__file__).parent.parent.joinpath("schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _fields(definition: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(allowed keys in schema order, required keys) of a schema definition."""
    spec = schema() if definition == "ledger" else schema()["definitions"][definition]
    return tuple(spec["properties"]), frozenset(spec.get("required", ()))


def keys(definition: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(allowed keys in schema order, required keys) of a schema definition."""
    return _fields(definition)


def finite(node: yaml.Node, text: str, what: str) -> float:
    """The number written as `text`; refused if too large for a float (1e400)."""
    value = float(text)
    if not math.isfinite(value):
        raise FieldError(node, f"{what} '{text}' is too large a number")
    return value


def ascii_digits(node: yaml.Node, text: str, what: str) -> None:
    """Refuse a number written with digits other than 0-9 (a fullwidth １, a ٥)."""
    foreign = foreign_digit(text)
    if foreign is not None:
        raise FieldError(node, f"malformed {what}: {foreign}")


def check_node(node: yaml.Node) -> None:
    """Refuse a node with a YAML tag other than the standard ones."""
    if node.tag not in _STANDARD_TAGS:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise FieldError(node, f"YAML tag '{tag}' is not allowed in a ledger")


def _invisible(char: str) -> bool:
    """A character that shows nothing: whitespace, a format character, a filler."""
    return char.isspace() or char in _FILLERS or unicodedata.category(char) == "Cf"


def text_problem(value: str, name: str) -> str | None:
    """What is wrong with the text of field `name`, if anything.

    Nothing but invisible characters (a tab and a zero-width space make no
    title), or a control character: a carriage return that `ledger list`
    would print raw, or a line break in a one-line field.
    """
    if value.isascii():
        empty = value.isspace()
    else:
        empty = all(_invisible(char) for char in value)
    if empty:
        shown = ", ".join(sorted({f"U+{ord(char):04X}" for char in value}))
        return f"'{name}' is empty: it has only invisible characters ({shown})"
    # a block scalar (`title: >`) ends with a line break: that one is fine
    found = None if name in PARAGRAPHS else _CONTROL.search(value.rstrip("\n"))
    if found is None:
        return None
    char = found.group()
    what = _CONTROL_NAMES.get(char, "control character")
    at = found.start() + 1
    return f"'{name}' has a {what} (U+{ord(char):04X}) at character {at}; remove it"


def without_controls(text: str) -> str:
    """`text` with each control character and line separator made a space.

    For the importers: another tool's title may hold a line break, which a
    ledger's one-line fields refuse.
    """
    return _CONTROL.sub(" ", text)


class FieldReader:
    """Reads the fields of one file's records, collecting every error."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[Error] = []
        self.references: list[tuple[str, str, Location]] = []
        self._dates: dict[str, When] = {}  # a big ledger repeats the same few dates
        self._location: Location | None = None
        self._slugs: dict[str, str] = {}  # one string object per id

    def location(self, at: int) -> Location:
        """Location(self.path, at), one object for a run of uses of the same line.

        A one-line forecast's record and its references share it: a big ledger
        has hundreds of thousands of them, and a Location is immutable.
        """
        last = self._location
        if last is None or last.line != at:
            last = self._location = Location(self.path, at)
        return last

    def refer(
        self, kind: str, id: object, fields: dict[str, yaml.Node], name: str,
        into: list[tuple[str, str, Location]] | None = None,
    ) -> None:
        """Remember a reference to another record, even from a broken record."""
        if isinstance(id, str):
            found = (kind, id, self.location(line(fields[name])))
            (self.references if into is None else into).append(found)

    def error(self, at: int, message: str) -> None:
        """Report a problem at line `at`."""
        self.errors.append(Error(Location(self.path, at), message))

    def guard(self, read: Callable[[], T]) -> T | None:
        """Run one field reader, turning a FieldError into a reported error."""
        try:
            return read()
        except FieldError as exc:
            self.error(exc.line, str(exc))
            return None
        except Reported:
            return None

    def lines(
        self, fields: dict[str, yaml.Node], node: yaml.Node
    ) -> tuple[str | int, ...]:
        """`Record.lines`: each field below the record's first line, with how far.

        Flat: `("criteria", 2, "kind", 4)`. A field on the first line is at the
        record's location, so a one-line flow forecast (`- {by: ..., p: ...}`)
        keeps none.
        """
        first = node.start_mark.line
        found: list[str | int] = []
        for key, value in fields.items():
            below = value.start_mark.line - first
            if below:
                found += (key, below)
        return tuple(found) if found else ()

    # -- containers ----------------------------------------------------------

    def mapping(
        self, node: yaml.Node, what: str, definition: str
    ) -> dict[str, yaml.Node] | None:
        """The fields of a mapping node, after key checks; None if unusable."""
        try:
            check_node(node)
        except FieldError as exc:
            self.error(exc.line, str(exc))
            return None
        if not isinstance(node, yaml.MappingNode):
            message = f"{what} must be a mapping of fields, got {describe(node)}"
            self.error(line(node), message)
            return None
        allowed = _fields(definition)[0]
        fields: dict[str, yaml.Node] = {}
        first: dict[str, yaml.Node] = {}  # its line only if it is repeated
        suggested: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(line(key_node), f"{what} has a key that is not plain text")
                continue
            try:
                check_node(key_node)
            except FieldError as exc:
                self.error(exc.line, str(exc))
                continue
            key = key_node.value
            if key in first:
                self.error(
                    line(key_node),
                    f"duplicate key '{key}' in {what} "
                    f"(first at line {line(first[key])})",
                )
                continue
            first[key] = key_node
            if key in allowed:
                key = sys.intern(key)  # one string object per field name
            else:
                hint = did_you_mean(key, allowed)
                suggested.update(n for n in allowed if hint.endswith(f"'{n}'?"))
                hint = hint or "; expected one of: " + ", ".join(allowed)
                self.error(line(key_node), f"unknown field '{key}' in {what}{hint}")
                continue
            fields[key] = value_node
        self._missing(node, what, fields, definition, suggested)
        return fields

    def _missing(
        self,
        node: yaml.Node,
        what: str,
        fields: dict[str, yaml.Node],
        definition: str,
        suggested: set[str],
    ) -> None:
        """Report each required field that is missing or empty."""
        allowed, required = _fields(definition)
        for name in allowed:
            if name in suggested and name not in fields:
                continue  # the did-you-mean already says what is missing
            if name in required and (name not in fields or is_null(fields[name])):
                where = line(fields[name]) if name in fields else line(node)
                self.error(where, f"{what} is missing required field '{name}'")

    def sequence(self, node: yaml.Node, name: str) -> list[yaml.Node]:
        """The items of a list (none for an empty value)."""
        check_node(node)
        if is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise FieldError(node, f"'{name}' must be a list, got {describe(node)}")
        return list(node.value)

    def read_all(
        self,
        fields: dict[str, yaml.Node],
        readers: dict[str, Reader],
        into: dict[str, Any],
        required: AbstractSet[str],
    ) -> bool:
        """Read every present field into `into`; False if a required one failed."""
        ok = True
        for name, read in readers.items():
            node = fields.get(name)
            if node is None or is_null(node):
                ok = ok and name not in required
                continue
            if name in required and blank(node):  # `title: ""` is no title
                self.error(line(node), f"'{name}' is empty")
                ok = False
                continue
            try:  # self.guard, inlined: this runs for every field of every record
                value = read(node, name)
            except FieldError as exc:
                self.error(exc.line, str(exc))
                value = None
            except Reported:
                value = None
            if value is None:
                ok = ok and name not in required
            else:
                into[name] = value
        return ok

    # -- typed scalars -------------------------------------------------------

    def text(self, node: yaml.Node, name: str) -> str:
        """A non-empty text."""
        check_node(node)
        if not isinstance(node, yaml.ScalarNode):
            raise FieldError(node, f"'{name}' must be text, got {describe(node)}")
        if is_null(node):
            raise FieldError(node, f"'{name}' is empty")
        value = str(node.value)
        problem = text_problem(value, name)
        if problem is not None:
            raise FieldError(node, problem)
        return value

    def texts(self, node: yaml.Node, name: str) -> tuple[str, ...]:
        """A list of non-empty texts."""
        items = self.sequence(node, name)
        for item in items:
            if blank(item):
                message = f"'{name}' has an empty item; remove it or fill it in"
                raise FieldError(item, message)
        return tuple(self.text(item, name) for item in items)

    def slugs(self, node: yaml.Node, name: str) -> tuple[str, ...]:
        """A list of ids (see `slug`)."""
        return tuple(self.slug(item, name) for item in self.sequence(node, name))

    def slug(self, node: yaml.Node, name: str) -> str:
        """An id: lowercase letters, digits and hyphens."""
        value = self.shaped(
            node, name, _SLUG,
            "a slug of lowercase letters, digits and hyphens, like 'jerry-tworek'",
        )
        return self._slugs.setdefault(value, value)

    def shaped(
        self, node: yaml.Node, name: str, pattern: re.Pattern[str], expected: str
    ) -> str:
        """A text that `pattern` matches whole; else "'name' must be EXPECTED"."""
        value = self.text(node, name)
        if not pattern.fullmatch(value):
            raise FieldError(node, f"'{name}' must be {expected}, got '{value}'")
        return value

    def when(self, node: yaml.Node, name: str) -> When:
        """A date in any of the ledger's forms."""
        value = self.text(node, name)
        known = self._dates.get(value)
        if known is not None:
            return known  # When is immutable, so one object can serve every use
        try:
            known = self._dates[value] = parse_when(value)
        except DateError as exc:
            raise FieldError(node, str(exc)) from None
        return known

    def probability(self, node: yaml.Node, name: str = "p") -> float:
        """A probability: a decimal in [0, 1] or a percent."""
        value = self.text(node, name)
        try:
            return parse_probability(value)
        except ValueError as exc:
            raise FieldError(node, str(exc)) from None

    def choice(self, node: yaml.Node, name: str, choices: tuple[str, ...]) -> str:
        """One of `choices`, as the one string object of that choice."""
        value = self.text(node, name)
        if value not in choices:
            hint = did_you_mean(value, choices) or (
                "; expected one of: " + ", ".join(choices)
            )
            raise FieldError(node, f"unknown {name} '{value}'{hint}")
        return choices[choices.index(value)]
