"""Load: ledger text → YAML nodes → frozen records, with field-level FILE:LINE errors.

This is the only module that parses YAML or types its scalars. It composes the
text into nodes with PyYAML's C parser (libyaml when available) and never
constructs Python objects from them, so YAML tags are never executed, and it
reads every scalar from its text, so YAML 1.1's typing (`no` → False, `1e-3` →
a string, silently merged duplicate keys) never reaches a record. Aliases are
refused, which also defuses "billion laughs" documents. The keys each record
may have, and those it must have, come from the published JSON Schema
(`schema.json`), so the loader and the schema cannot drift apart.

A record with a broken required field is left out (its id is remembered in
`Ledger.broken`, so references to it raise no second error); every problem is
reported, never raised.
"""

from __future__ import annotations

import glob
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml

from ledger.core import words
from ledger.core.dates import DateError, When, parse_offset, parse_when
from ledger.core.memory import gc_paused
from ledger.core.model import (
    Bound,
    Error,
    Forecast,
    Forecaster,
    Kind,
    Ledger,
    Location,
    Order,
    Outcome,
    Question,
    Result,
    Source,
    Window,
)
from ledger.core.numbers import NUMBER as _NUMBER
from ledger.core.numbers import parse_probability
from ledger.core.words import did_you_mean
from ledger.load import cache as parse_cache

try:  # libyaml's C parser, when PyYAML was built with it
    # The base loader resolves no implicit types (every plain scalar is a str
    # node): the ledger types scalars itself, and skipping YAML's regex-based
    # resolution makes composing about 15% faster.
    _Base: Any = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.BaseLoader


class _Loader(_Base):  # type: ignore[misc,valid-type]
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

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return self._DEFAULT_TAGS[kind]

T = TypeVar("T")

_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_RELATIVE = re.compile(r"\+\d+[a-z]")
_FORECAST_REQUIRED = frozenset({"by", "made", "basis"})
_YES = frozenset({"yes", "true"})
_NO = frozenset({"no", "false"})
# YAML 1.1 booleans that are neither yes/no nor true/false: a ledger refuses them
# rather than guess (`result: on` is far more often a slip than a verdict).
_YAML11_BOOLEANS = {"on": "true", "off": "false", "y": "true", "n": "false"}


class FieldError(ValueError):
    """A bad field value; becomes an `Error` at the value's line."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1


class _Reported(Exception):
    """A field that cannot be read for a reason already reported elsewhere."""


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of the ledger format."""
    # Beside this file, as verbal.py reads tables.json (importlib.resources
    # would cost `ledger check` a few milliseconds of imports).
    text = Path(__file__).parent.parent.joinpath("schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _fields(definition: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(allowed keys in schema order, required keys) of a schema definition."""
    spec = schema() if definition == "ledger" else schema()["definitions"][definition]
    return tuple(spec["properties"]), frozenset(spec.get("required", ()))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1  # type: ignore[no-any-return]


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"'{node.value}'"


def _is_null(node: yaml.Node) -> bool:
    # A plain `~`, `null` or empty value. The base loader tags it str (a safe
    # loader would tag it null); an explicit tag such as `!!python/none` keeps
    # its own, so it is not null here and check_node refuses it.
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style
        and node.value in _NULLS
        and node.tag in (_NULL, _STR)
    )


def _blank(node: yaml.Node) -> bool:
    """A null, or text of nothing but spaces."""
    return _is_null(node) or (
        isinstance(node, yaml.ScalarNode) and not str(node.value).strip()
    )


def _finite(node: yaml.Node, text: str, what: str) -> float:
    """The number written as `text`; refused if too large for a float (1e400)."""
    value = float(text)
    if not math.isfinite(value):
        raise FieldError(node, f"{what} '{text}' is too large a number")
    return value


class _Reader:
    """Walks the composed node tree of one file, collecting records and errors."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[Error] = []
        self.broken: set[tuple[str, str]] = set()
        self.references: list[tuple[str, str, Location]] = []
        # A question's built forecasts' references: dropped if the question is
        # built (validate reads them from the forecasts), kept if it is not.
        self._held: list[tuple[str, str, Location]] | None = None
        self._dates: dict[str, When] = {}  # a big ledger repeats the same few dates
        self._forecast_readers: dict[str, Callable[[yaml.Node, str], Any]] | None = None
        self._location: Location | None = None
        self._slugs: dict[str, str] = {}  # one string object per id

    def refer(
        self, kind: str, id: object, fields: dict[str, yaml.Node], name: str,
        into: list[tuple[str, str, Location]] | None = None,
    ) -> None:
        """Remember a reference to another record, even from a broken record."""
        if isinstance(id, str):
            found = (kind, id, self.location(_line(fields[name])))
            (self.references if into is None else into).append(found)

    def location(self, line: int) -> Location:
        """Location(self.path, line), one object for a run of uses of the same line
        (a one-line forecast's record and its references): a big ledger has
        hundreds of thousands of them, and a Location is immutable."""
        last = self._location
        if last is None or last.line != line:
            last = self._location = Location(self.path, line)
        return last

    # -- errors and generic node checks ------------------------------------

    def error(self, line: int, message: str) -> None:
        self.errors.append(Error(Location(self.path, line), message))

    def guard(self, read: Callable[[], T]) -> T | None:
        """Run one field reader, turning a FieldError into a reported error."""
        try:
            return read()
        except FieldError as exc:
            self.error(exc.line, str(exc))
            return None
        except _Reported:
            return None

    def check_node(self, node: yaml.Node) -> None:
        if node.tag not in _STANDARD_TAGS:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise FieldError(node, f"YAML tag '{tag}' is not allowed in a ledger")

    def mapping(
        self, node: yaml.Node, what: str, definition: str
    ) -> dict[str, yaml.Node] | None:
        """The fields of a mapping node, after key checks; None if unusable."""
        try:
            self.check_node(node)
        except FieldError as exc:
            self.error(exc.line, str(exc))
            return None
        if not isinstance(node, yaml.MappingNode):
            self.error(_line(node), f"{what} must be a mapping of fields, got {_describe(node)}")
            return None
        allowed, required = _fields(definition)
        fields: dict[str, yaml.Node] = {}
        first: dict[str, yaml.Node] = {}  # its line only if it is repeated
        suggested: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(_line(key_node), f"{what} has a key that is not plain text")
                continue
            try:
                self.check_node(key_node)
            except FieldError as exc:
                self.error(exc.line, str(exc))
                continue
            key = key_node.value
            if key in first:
                self.error(
                    _line(key_node),
                    f"duplicate key '{key}' in {what} "
                    f"(first at line {_line(first[key])})",
                )
                continue
            first[key] = key_node
            if key in allowed:
                key = sys.intern(key)  # one string object per field name
            else:
                hint = did_you_mean(key, allowed)
                suggested.update(n for n in allowed if hint.endswith(f"'{n}'?"))
                hint = hint or "; expected one of: " + ", ".join(allowed)
                self.error(_line(key_node), f"unknown field '{key}' in {what}{hint}")
                continue
            fields[key] = value_node
        for name in allowed:
            if name in suggested and name not in fields:
                continue  # the did-you-mean above already says what is missing
            if name in required and (name not in fields or _is_null(fields[name])):
                where = _line(fields[name]) if name in fields else _line(node)
                self.error(where, f"{what} is missing required field '{name}'")
        return fields

    def sequence(self, node: yaml.Node, name: str) -> list[yaml.Node]:
        self.check_node(node)
        if _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise FieldError(node, f"'{name}' must be a list, got {_describe(node)}")
        return list(node.value)

    # -- typed scalars -------------------------------------------------------

    def text(self, node: yaml.Node, name: str) -> str:
        self.check_node(node)
        if not isinstance(node, yaml.ScalarNode):
            raise FieldError(node, f"'{name}' must be text, got {_describe(node)}")
        if _is_null(node):
            raise FieldError(node, f"'{name}' is empty")
        return str(node.value)

    def texts(self, node: yaml.Node, name: str) -> tuple[str, ...]:
        items = self.sequence(node, name)
        for item in items:
            if _blank(item):
                message = f"'{name}' has an empty item; remove it or fill it in"
                raise FieldError(item, message)
        return tuple(self.text(item, name) for item in items)

    def slug(self, node: yaml.Node, name: str) -> str:
        value = self.text(node, name)
        if not _SLUG.fullmatch(value):
            raise FieldError(
                node,
                f"'{name}' must be a slug of lowercase letters, digits and hyphens, "
                f"like 'jerry-tworek', got '{value}'",
            )
        return self._slugs.setdefault(value, value)

    def when(self, node: yaml.Node, name: str) -> When:
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
        value = self.text(node, name)
        try:
            return parse_probability(value)
        except ValueError as exc:
            raise FieldError(node, str(exc)) from None

    def choice(self, node: yaml.Node, name: str, choices: tuple[str, ...]) -> str:
        value = self.text(node, name)
        if value not in choices:
            hint = did_you_mean(value, choices) or (
                "; expected one of: " + ", ".join(choices)
            )
            raise FieldError(node, f"unknown {name} '{value}'{hint}")
        return choices[choices.index(value)]  # the one string object of each choice

    # -- records -------------------------------------------------------------

    def lines(self, fields: dict[str, yaml.Node], node: yaml.Node) -> tuple[str | int, ...]:
        """`Record.lines`: each field below the record's first line, flat with how
        far below it is. A field on the first line is at the record's location,
        so a one-line flow forecast (`- {by: ..., p: ...}`) keeps none."""
        first = node.start_mark.line
        found: list[str | int] = []
        for key, value in fields.items():
            below = value.start_mark.line - first
            if below:
                found += (key, below)
        return tuple(found) if found else ()

    def include_patterns(self, top: dict[str, yaml.Node]) -> tuple[tuple[str, Location], ...]:
        """The `include:` patterns of a file, each with its line."""
        if "include" not in top:
            return ()
        items = self.guard(lambda: self.sequence(top["include"], "include")) or []
        found = []
        for item in items:
            pattern = self.guard(lambda item=item: self.text(item, "include"))
            if pattern is not None:
                found.append((pattern, Location(self.path, _line(item))))
        return tuple(found)

    def records(
        self,
        top: dict[str, yaml.Node],
        name: str,
        build: Callable[[yaml.Node], T | None],
    ) -> tuple[T, ...]:
        """Build every record of the top-level list `name`."""
        if name not in top:
            return ()
        items = self.guard(lambda: self.sequence(top[name], name)) or []
        return tuple(record for item in items if (record := build(item)) is not None)

    def forecaster(self, node: yaml.Node) -> Forecaster | None:
        fields = self.mapping(node, "forecaster", "forecaster")
        if fields is None:
            return None
        values: dict[str, Any] = {}
        readers: dict[str, Callable[[yaml.Node, str], Any]] = {
            "id": self.slug,
            "name": self.text,
            "aliases": self.texts,
            "affiliation": self.text,
            "links": self.texts,
            "note": self.text,
        }
        if not self.read_all(fields, readers, values, {"id", "name"}):
            self.mark_broken("forecaster", values.get("id"))
            return None
        return Forecaster(
            location=Location(self.path, _line(node)), lines=self.lines(fields, node), **values
        )

    def mark_broken(self, kind: str, id: str | None) -> None:
        if id:
            self.broken.add((kind, id))

    def source(self, node: yaml.Node) -> Source | None:
        fields = self.mapping(node, "source", "source")
        if fields is None:
            return None
        kinds = tuple(schema()["definitions"]["source"]["properties"]["kind"]["enum"])
        values: dict[str, Any] = {}
        readers: dict[str, Callable[[yaml.Node, str], Any]] = {
            "id": self.slug,
            "title": self.text,
            "kind": lambda n, name: self.choice(n, name, kinds),
            "url": self.text,
            "date": self.when,
            "note": self.text,
            "licence": self.text,
            "attribution": self.text,
        }
        ok = self.read_all(fields, readers, values, {"id", "title", "kind"})
        if not ok:
            self.mark_broken("source", values.get("id"))
            return None
        return Source(
            location=Location(self.path, _line(node)), lines=self.lines(fields, node), **values
        )

    def read_all(
        self,
        fields: dict[str, yaml.Node],
        readers: dict[str, Callable[[yaml.Node, str], Any]],
        into: dict[str, Any],
        required: set[str],
    ) -> bool:
        """Read every present field into `into`; False if a required one failed."""
        ok = True
        for name, read in readers.items():
            node = fields.get(name)
            if node is None or _is_null(node):
                ok = ok and name not in required
                continue
            if name in required and _blank(node):  # `title: ""` is no title
                self.error(_line(node), f"'{name}' is empty")
                ok = False
                continue
            try:  # self.guard, inlined: this runs for every field of every record
                value = read(node, name)
            except FieldError as exc:
                self.error(exc.line, str(exc))
                value = None
            except _Reported:
                value = None
            if value is None:
                ok = ok and name not in required
            else:
                into[name] = value
        return ok

    def question(self, node: yaml.Node) -> Question | None:
        fields = self.mapping(node, "question", "question")
        if fields is None:
            return None
        values: dict[str, Any] = {}
        readers: dict[str, Callable[[yaml.Node, str], Any]] = {
            "id": self.slug,
            "title": self.text,
            "criteria": self.text,
            "kind": lambda n, name: self.choice(n, name, ("binary", "date", "numeric")),
            "deadline": self.when,
            "tags": self.texts,
            "unit": self.text,
            "condition": self.slug,
            "order": self.order,
            "unscorable": self.text,
            "note": self.text,
        }
        ok = self.read_all(
            fields, readers, values, {"id", "title", "criteria", "kind", "deadline"}
        )
        self.refer("question", values.get("condition"), fields, "condition")
        kind = values.get("kind")
        self._held = []
        forecasts = tuple(
            sorted(
                (
                    f
                    for item in self.guard(
                        lambda: self.sequence(fields["forecasts"], "forecasts")
                    ) or []
                    if (f := self.forecast(item, kind)) is not None
                ),
                key=lambda f: (f.made.earliest, f.made.latest, f.location.line),
            )
        ) if "forecasts" in fields else ()
        outcomes = tuple(
            sorted(
                (
                    o
                    for item in self.guard(
                        lambda: self.sequence(fields["outcomes"], "outcomes")
                    ) or []
                    if (o := self.outcome(item, kind)) is not None
                ),
                key=lambda o: (o.recorded.earliest, o.recorded.latest, o.location.line),
            )
        ) if "outcomes" in fields else ()
        held, self._held = self._held, None
        if not ok:
            self.references += held  # its forecasts are left out with it
            self.mark_broken("question", values.get("id"))
            return None
        return Question(
            location=Location(self.path, _line(node)),
            lines=self.lines(fields, node),
            forecasts=forecasts,
            outcomes=outcomes,
            **values,
        )

    def order(self, node: yaml.Node, name: str) -> Order:
        fields = self.mapping(node, "order", "order")
        if fields is None:
            raise _Reported  # mapping() said why
        ends: dict[str, str | None] = {}
        for end in ("before", "after"):
            if end in fields and not _is_null(fields[end]):
                ends[end] = self.guard(lambda end=end: self.slug(fields[end], end))
                self.refer("question", ends[end], fields, end)
        before, after = ends.get("before"), ends.get("after")
        if before is None or after is None:
            raise _Reported  # missing (mapping() said so) or not a slug (said above)
        return Order(before=before, after=after)

    def forecast(self, node: yaml.Node, kind: Kind | None) -> Forecast | None:
        fields = self.mapping(node, "forecast", "forecast")
        if fields is None:
            return None
        values: dict[str, Any] = {}
        readers = self._forecast_readers
        if readers is None:  # built once: a big ledger has many forecasts
            readers = self._forecast_readers = {
                "by": self.slug,
                "made": self.when,
                "source": self.slug,
                "quote": self.text,
                "p": self.probability,
                "basis": lambda n, name: self.choice(n, name, ("stated", "mapped", "judged")),
                "table": lambda n, name: self.choice(n, name, words.table_names()),
                "words": self.text,
                "note": self.text,
            }
        ok = self.read_all(fields, readers, values, _FORECAST_REQUIRED)
        refers: list[tuple[str, str, Location]] = []
        self.refer("forecaster", values.get("by"), fields, "by", refers)
        self.refer("source", values.get("source"), fields, "source", refers)
        if "window" in fields and not _is_null(fields["window"]):
            made = values.get("made")
            window = self.guard(lambda: self.window(fields["window"], kind, made))
            ok = ok and window is not None
            values["window"] = window
        if "p" in fields and "p" not in values:
            ok = False
        ok = self.claim_fits(node, fields, values, kind) and ok
        ok = self.basis_fits(node, fields, values) and ok
        if not ok or self._held is None:
            self.references += refers  # a forecast left out: the references stay
        else:
            self._held += refers
        if not ok:
            return None
        return Forecast(
            location=self.location(_line(node)), lines=self.lines(fields, node), **values
        )

    def claim_fits(
        self,
        node: yaml.Node,
        fields: dict[str, yaml.Node],
        values: dict[str, Any],
        kind: Kind | None,
    ) -> bool:
        """Binary questions take `p`; date and numeric questions take a window.

        A mapped forecast gets its `p` from the table, so it may leave `p` out;
        when `basis` itself is unreadable that error is the one to report.
        """

        def given(name: str) -> bool:
            return name in fields and not _is_null(fields[name])

        def where(name: str) -> int:
            return _line(fields[name]) if name in fields else _line(node)

        if kind == "binary" and "window" in fields:
            self.error(
                _line(fields["window"]),
                "a binary question's forecast takes 'p', not 'window'",
            )
            return False
        mapped = values.get("basis") == "mapped"
        unread = given("basis") and "basis" not in values  # already reported
        if kind == "binary" and not given("p") and not (mapped or unread):
            self.error(where("p"), "a binary question's forecast needs 'p'")
            return False
        if kind in ("date", "numeric") and not given("window"):
            self.error(
                where("window"),
                f"a {kind} question's forecast needs a 'window' [earliest, latest]",
            )
            return False
        return True

    def basis_fits(
        self, node: yaml.Node, fields: dict[str, yaml.Node], values: dict[str, Any]
    ) -> bool:
        """A mapped probability comes from its table; a judged one says why."""
        basis = values.get("basis")
        if "table" in fields and basis != "mapped":
            self.error(_line(fields["table"]), "'table' is only used with basis: mapped")
            return False
        if basis == "judged" and "note" not in values:
            self.error(
                _line(fields["basis"]),
                "a judged probability needs a 'note' saying why the keeper read it so",
            )
            return False
        if basis != "mapped":
            return True
        missing = [
            name for name in ("table", "words")
            if name not in fields or _is_null(fields[name])
        ]
        if missing:
            self.error(
                _line(fields["basis"]),
                "a mapped probability needs 'table' and 'words' (the speaker's words)",
            )
            return False
        if "table" not in values or "words" not in values:
            return False
        try:
            mapped = words.map_words(values["table"], values["words"])
        except KeyError as exc:
            self.error(_line(fields["words"]), str(exc.args[0]))
            return False
        given = values.get("p")
        if given is not None and abs(given - mapped) > 1e-9:
            self.error(
                _line(fields["p"]),
                f"p '{fields['p'].value}' does not match table '{values['table']}' "
                f"for '{values['words']}' ({mapped:g}); leave p out or write "
                f"{mapped:g}",
            )
            return False
        values["p"] = mapped
        return True

    def window(self, node: yaml.Node, kind: Kind | None, made: When | None) -> Window:
        self.check_node(node)
        if isinstance(node, yaml.SequenceNode):
            if len(node.value) != 2:
                raise FieldError(
                    node, f"'window' must have two ends [earliest, latest], got {len(node.value)}"
                )
            items = list(node.value)
            ends = [None if _is_null(i) else self.text(i, "window") for i in items]
            text = "..".join(end or "" for end in ends)
        elif isinstance(node, yaml.ScalarNode):
            text = str(node.value)
            parts = text.split("..")
            if len(parts) != 2:
                raise FieldError(
                    node,
                    f"malformed window '{text}'; write [earliest, latest] or A..B, "
                    "like +2y..+3y",
                )
            ends = [part.strip() or None for part in parts]
            items = [node, node]
        else:
            raise FieldError(node, f"'window' must be [earliest, latest], got {_describe(node)}")
        start, end = (
            self.bound(item, end, kind, made)
            for item, end in zip(items, ends, strict=True)
        )
        if start is not None and end is not None:
            first = start.earliest if isinstance(start, When) else start
            last = end.latest if isinstance(end, When) else end
            if type(first) is not type(last):
                raise FieldError(node, f"window '{text}' mixes dates and numbers")
            if first > last:  # type: ignore[operator]
                raise FieldError(node, f"window '{text}' ends before it starts")
        return Window(start, end, text)

    def bound(
        self, node: yaml.Node, text: str | None, kind: Kind | None, made: When | None
    ) -> Bound:
        if text is None:
            return None
        if kind != "date" and _NUMBER.fullmatch(text):
            return _finite(node, text, "window end")
        if kind == "numeric":
            raise FieldError(node, f"window end '{text}' of a numeric question must be a number")
        try:
            if not _RELATIVE.fullmatch(text):
                return parse_when(text)
            offset = parse_offset(text)
        except DateError as exc:
            raise FieldError(node, str(exc)) from None
        if made is None:
            raise _Reported  # 'made' is required: its own error is already reported
        try:
            return made.shift(offset)
        except (ValueError, OverflowError):  # past 9999-12-31, datetime's last day
            raise FieldError(
                node, f"window end '{text}' from '{made}' is past the year 9999"
            ) from None

    def outcome(self, node: yaml.Node, kind: Kind | None) -> Outcome | None:
        fields = self.mapping(node, "outcome", "outcome")
        if fields is None:
            return None
        values: dict[str, Any] = {}
        readers: dict[str, Callable[[yaml.Node, str], Any]] = {
            "result": lambda n, name: self.result(n, kind),
            "known": self.when,
            "recorded": self.when,
            "by": self.text,
            "evidence": self.texts,
            "note": self.text,
        }
        if not self.read_all(fields, readers, values, {"result", "known", "recorded"}):
            return None
        return Outcome(
            location=Location(self.path, _line(node)), lines=self.lines(fields, node), **values
        )

    def result(self, node: yaml.Node, kind: Kind | None) -> Result:
        text = self.text(node, "result").strip()
        word = text.lower()
        if word in ("void", "ambiguous"):
            return Result(word, None, word)  # type: ignore[arg-type]
        if word.startswith("provisional:"):
            if kind not in ("binary", None):
                raise FieldError(node, f"a provisional result fits only a binary question, not a {kind} one")
            try:
                return Result("provisional", parse_probability(text.split(":", 1)[1]), text)
            except ValueError as exc:
                raise FieldError(node, f"provisional result: {exc}") from None
        if word in _YAML11_BOOLEANS and kind in ("binary", None):
            raise FieldError(
                node,
                f"result '{text}' is neither yes nor no; write yes or no (YAML 1.1 "
                f"reads '{text}' as {_YAML11_BOOLEANS[word]}, a ledger does not)",
            )
        if kind == "numeric":
            if not _NUMBER.fullmatch(text):
                raise FieldError(
                    node,
                    f"result '{text}' does not fit a numeric question; write a "
                    "number, void or ambiguous",
                )
            return Result("number", _finite(node, text, "result"), text)
        if word in _NO:
            return Result("no", 0.0, "no")
        if kind == "date":
            try:
                return Result("date", parse_when(text), text)
            except DateError as exc:
                if text[:1].isdigit():  # a date, but a bad one: say what is wrong
                    raise FieldError(node, str(exc)) from None
                raise FieldError(
                    node,
                    f"result '{text}' does not fit a date question; write the date "
                    "it happened, like 2026-02-10, 'no' if it did not happen by the "
                    "deadline, void or ambiguous",
                ) from None
        if word in _YES:
            return Result("yes", 1.0, "yes")
        try:
            value = parse_probability(text)
        except ValueError:
            raise FieldError(
                node,
                f"result '{text}' does not fit a binary question; write yes, no, a "
                "fraction in [0, 1], provisional:P, void or ambiguous",
            ) from None
        if value in (0.0, 1.0):
            return Result("yes" if value else "no", value, "yes" if value else "no")
        return Result("fraction", value, text)


def _reader_error_line(text: str, exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1
    return 1


def _yaml_message(exc: yaml.YAMLError) -> str:
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


def decode(data: bytes, path: str) -> tuple[str | None, list[Error]]:
    """UTF-8 text of a ledger file (a leading BOM is dropped), or an error."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        message = (
            f"the file is not UTF-8: byte 0x{bad} at column {column}; "
            "save it as UTF-8"
        )
        return None, [Error(Location(path, line), message)]


_ALIAS_OR_ANCHOR = re.compile(r"[&*][^\s\[\]{},]")


def _aliases(text: str, path: str) -> list[Error]:
    """An error for each line with a YAML alias: refused before anything walks the tree.

    A text with neither `&` nor `*` has no alias, and is skipped at the cost of
    one regex search; otherwise the event stream is scanned, which never expands
    aliases, so a "billion laughs" document is refused in linear time.
    """
    if not _ALIAS_OR_ANCHOR.search(text):
        return []
    message = "YAML aliases (*name) are not allowed in a ledger; write the value out"
    lines = {
        event.start_mark.line + 1
        for event in yaml.parse(text, Loader=_Loader)
        if isinstance(event, yaml.AliasEvent)
    }
    return [Error(Location(path, line), message) for line in sorted(lines)]


def compose(text: str, path: str) -> tuple[yaml.Node | None, list[Error]]:
    """The YAML node tree of `text`, or one syntax error with its line."""
    try:
        aliases = _aliases(text, path)
        if aliases:
            return None, aliases
        return yaml.compose(text, Loader=_Loader), []
    except yaml.YAMLError as exc:
        line = _reader_error_line(text, exc)
        return None, [Error(Location(path, line), _yaml_message(exc))]
    except RecursionError:
        return None, [Error(Location(path, 1), "YAML nesting is too deep")]
    except MemoryError:  # millions of tiny nodes (`[a,a,a,...]`) outgrow the memory
        return None, [Error(Location(path, 1), "the file is too big to load in the available memory")]
    except UnicodeEncodeError as exc:  # a lone surrogate: only from a str, never a file
        line = text.count("\n", 0, exc.start) + 1
        message = "the text is not valid Unicode (a lone surrogate); save it as UTF-8"
        return None, [Error(Location(path, line), message)]


def load_text(text: str, path: str) -> tuple[Ledger, list[Error]]:
    """Load a ledger from its text; `path` is used in error locations."""
    with gc_paused():
        return _load_text(text, path)


def _load_text(text: str, path: str) -> tuple[Ledger, list[Error]]:
    if len(text) >= STREAM_CHARS:
        streamed = _streamed(text, path)
        if streamed is not None:
            return streamed
    root, errors = compose(text, path)
    if errors:
        return Ledger(path=path), errors
    return _read_root(root, path)


def _read_root(
    root: yaml.Node | None, path: str, questions: Iterator[yaml.Node] | None = None
) -> tuple[Ledger, list[Error]]:
    """Read the composed document; `questions`, when given, yields the items of
    the top-level `questions` list (see `_streamed`) in place of its node's."""
    if root is None or _is_null(root):
        message = "the ledger is empty; expected a mapping with a 'questions' list"
        return Ledger(path=path), [Error(Location(path, 1), message)]
    reader = _Reader(path)
    if not isinstance(root, yaml.MappingNode):
        message = (
            "the top level must be a mapping with 'forecasters', 'sources' and "
            f"'questions', got {_describe(root)}"
        )
        return Ledger(path=path), [Error(Location(path, _line(root)), message)]
    top = reader.mapping(root, "the ledger", "ledger")
    ledger = Ledger(path=path)
    if top is not None:
        ledger = Ledger(
            path=path,
            forecasters=reader.records(top, "forecasters", reader.forecaster),
            sources=reader.records(top, "sources", reader.source),
            questions=reader.records(top, "questions", reader.question)
            if questions is None or "questions" not in top
            else tuple(q for i in questions if (q := reader.question(i)) is not None),
            broken=frozenset(reader.broken),
            references=tuple(reader.references),
            includes=reader.include_patterns(top),
            files=(path,),
        )
    return ledger, reader.errors




# -- big ledgers: the questions composed a slice at a time ---------------------------

STREAM_CHARS = 1_000_000  # texts at least this long are composed a slice at a time

_SLICE_CHARS = 1_000_000
_QUESTIONS_LINE = re.compile(r"questions:(?:\x20+(?:#[^\n]*)?)?\n")
_CONTENT_LINE = re.compile(r"^\x20*[^\x20#\n]", re.MULTILINE)
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")  # libyaml's other line breaks


def _streamed(text: str, path: str) -> tuple[Ledger, list[Error]] | None:
    """`_load_text(text, path)` with far less memory, or None where it does not apply.

    A big ledger's node tree takes about 35 times its text (a 90 MB ledger:
    over 3 GB), nearly all of it the questions. Here the document is composed
    with the top-level `questions` list left empty, then that list a slice of
    items at a time, each slice as a document of its own: `questions:` on its
    own line, then the slice, both padded with blank lines to their place, so
    every node has the line, column, indentation and nesting it has in the
    whole document. Each slice is read into records and dropped.

    It applies only to a plain block list under a plain `questions:` line, in
    a text with no anchor or alias and no line break but `\n`; each slice
    starts on a line holding an item's `-` at the list's indentation. Anything
    unexpected (a slice that does not compose, or composes into anything but
    that list, or a reader that raises) returns None, and the whole document
    is composed as usual: that path alone decides every error.
    """
    try:
        plan = _slices(text)
        if plan is None:
            return None
        line, start, end, cuts = plan
        blanks = "\n" * text.count("\n", start, end)
        root = yaml.compose(text[:start] + blanks + text[end:], Loader=_Loader)
        pairs = root.value if isinstance(root, yaml.MappingNode) else []
        found = [
            i for i, (key, _) in enumerate(pairs)
            if isinstance(key, yaml.ScalarNode) and key.value == "questions"
        ]
        if root.tag != _MAP or len(found) != 1:
            return None
        key, value = pairs[found[0]]
        if not (_plain_at(key, line) and _plain_at(value, line) and value.value == ""):
            return None
        items = _items(text, line, start, end, cuts)
        first = next(items)
        empty = yaml.SequenceNode(_SEQ, [], first.start_mark, first.end_mark)
        pairs[found[0]] = (key, empty)
        rest = (item for node in items for item in node.value)
        return _read_root(root, path, _chain(iter(first.value), rest))
    except Exception:  # any surprise: compose the whole document instead
        return None


class _NotASlice(Exception):
    """A slice that composed into something other than its part of the list."""


_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


def _chain(*parts: Iterator[yaml.Node]) -> Iterator[yaml.Node]:
    for part in parts:
        yield from part


def _plain_at(node: yaml.Node, line: int) -> bool:
    """A plain scalar with the default tag on `line` (0-based)."""
    return (
        isinstance(node, yaml.ScalarNode) and node.tag == _STR and not node.style
        and node.start_mark.line == line
    )


def question_items(text: str) -> tuple[int, int, int, list[int]] | None:
    """(0-based line of `questions:`, start and end of its list's lines, and
    where each of its items starts), for a plain top-level block list of
    questions in a text with no anchor or alias and no line break but `\n`;
    else None. Composing only some items (with the others blanked, see
    record._root) then gives nodes at the same places as the whole text's."""
    if _ALIAS_OR_ANCHOR.search(text) or _OTHER_BREAKS.search(text):
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
    if indent:  # the list ends at the first line with text in column 0
        stop = re.compile(r"^[^\x20#\n]", re.MULTILINE)
    else:  # an indentless list: at the first line in column 0 that is not an item
        stop = re.compile(r"^(?:[^\x20#\n-]|-[^\x20\n])", re.MULTILINE)
    after = stop.search(text, start)
    end = len(text) if after is None else after.start()
    item = re.compile("^" + " " * indent + r"-(?:\x20|\n)", re.MULTILINE)
    starts = [match.start() for match in item.finditer(text, start, end)]
    if not starts or starts[0] != first.start():
        return None
    return text.count("\n", 0, heads[0]), start, end, starts


def _slices(text: str) -> tuple[int, int, int, list[list[int]]] | None:
    """(0-based line of `questions:`, start and end of its list's lines, and
    where each slice starts with how many item lines it holds), or None when
    the text does not qualify."""
    found = question_items(text)
    if found is None:
        return None
    line, start, end, starts = found
    cuts: list[list[int]] = []  # [where a slice starts, how many items it has]
    for at in starts:
        if not cuts or at - cuts[-1][0] >= _SLICE_CHARS:
            cuts.append([at, 0])
        cuts[-1][1] += 1
    return line, start, end, cuts


def _items(
    text: str, line: int, start: int, end: int, cuts: list[list[int]]
) -> Iterator[yaml.SequenceNode]:
    """The list's slices, each composed in place: its `questions` sequence node."""
    lines = line + 1 + text.count("\n", start, cuts[0][0])
    stops = [*(cut[0] for cut in cuts[1:]), end]
    for (begin, count), stop in zip(cuts, stops, strict=True):
        part = text[begin:stop]
        padding = "\n" * line + "questions:\n" + "\n" * (lines - line - 1)
        root = yaml.compose(padding + part, Loader=_Loader)
        (key, value), = root.value
        if not (
            root.tag == _MAP
            and _plain_at(key, line)
            and isinstance(value, yaml.SequenceNode)
            and value.tag == _SEQ
            and len(value.value) == count
        ):
            raise _NotASlice  # not the part of the list it should be
        yield value
        lines += part.count("\n")


def load_file(
    path: str, overrides: Mapping[str, bytes] | None = None
) -> tuple[Ledger, list[Error]]:
    """Load the ledger file at `path` (as the user typed it, for error messages),
    with every file it includes, into one ledger.

    `overrides` maps a file's real path to bytes (read through the parse
    cache, as a file's are) to use instead of the file's own, so that a write can
    validate the whole ledger before writing.
    """
    return _load_tree(path, dict(overrides or {}), ())


def _load_one(path: str, overrides: Mapping[str, bytes]) -> tuple[Ledger, list[Error]]:
    """One file's records and errors, from its bytes in `overrides` or on disk."""
    given = overrides.get(os.path.realpath(path))
    if given is None:
        with open(path, "rb") as handle:
            given = handle.read()
    return load_bytes(given, path)


def load_bytes(data: bytes, path: str) -> tuple[Ledger, list[Error]]:
    """One file's records and loader errors from its bytes, through the parse cache.

    The cache is keyed by these bytes, read once, so an entry always matches
    what was hashed even if the file changes meanwhile.
    """
    found = parse_cache.load(data, path)
    if found is not None:
        return found
    text, errors = decode(data, path)
    if text is None:
        return Ledger(path=path, files=(path,)), errors
    ledger, errors = load_text(text, path)
    parse_cache.store(data, path, ledger, errors)
    return ledger, errors


def _load_tree(
    path: str, overrides: Mapping[str, bytes], stack: tuple[tuple[str, str], ...]
) -> tuple[Ledger, list[Error]]:
    """Load `path` and, recursively, what it includes; `stack` holds the
    (path as written, real path) of the files that include this one."""
    ledger, errors = _load_one(path, overrides)
    parts, here = [ledger], (path, os.path.realpath(path))
    for pattern, where in ledger.includes:
        matches = sorted(glob.glob(os.path.join(os.path.dirname(path), pattern)))
        if not matches:
            wildcard = glob.has_magic(pattern)
            message = (f"include '{pattern}' matches no file" if wildcard
                       else f"included file '{pattern}' does not exist")
            errors.append(Error(where, message))
        for match in matches:
            chain = (*stack, here)
            if os.path.realpath(match) in {real for _, real in chain}:
                names = " → ".join(name for name, _ in chain)
                message = f"include '{pattern}' makes a cycle: {names} → {match}"
                errors.append(Error(where, message))
                continue
            if os.path.isdir(match):
                errors.append(Error(where, f"include '{pattern}' names a folder, '{match}'"))
                continue
            child, child_errors = _load_tree(match, overrides, chain)
            parts.append(child)
            errors += child_errors
    return (ledger if len(parts) == 1 else _merge(parts)), errors


def _merge(parts: list[Ledger]) -> Ledger:
    """One ledger from a root file and the files it includes; ids share one namespace."""
    root = parts[0]
    return Ledger(
        path=root.path,
        forecasters=tuple(f for part in parts for f in part.forecasters),
        sources=tuple(s for part in parts for s in part.sources),
        questions=tuple(q for part in parts for q in part.questions),
        broken=frozenset().union(*(part.broken for part in parts)),
        references=tuple(r for part in parts for r in part.references),
        includes=root.includes,
        files=tuple(f for part in parts for f in part.files),
    )
