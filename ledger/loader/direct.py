"""Direct: a clean ledger's records, built straight from its scanned text.

The fast path of `load`. `scan` reads the text into plain values with their
lines (no YAML nodes), and each record is built here as `records` builds it
from nodes, by a `RecordReader`: every field is typed by its own reader
(given a node made for the occasion), a forecast's claim is checked by
`claim_fits` and `basis_fits`, the required fields are `records.REQUIRED`
and the schema's, forecasts and outcomes are sorted by the rules' keys. No
rule is written twice.

It only ever builds a clean file. At the first sign of anything `records`
would report (an unknown, missing, duplicate or empty field, a value its
reader refuses, a claim that does not fit) or of text `scan` does not read,
`build` raises `Unsupported`, `load` returns None, and the caller composes
the text and reads it with `records`, which alone reports every error. The
two paths give the same records: tests/loader/test_direct.py compares them on
every case of the error catalogue, on random ledgers and on random edits.

A big ledger repeats the same few texts (dates, ids, probabilities, choices,
tag lists): each reader's value for a text, or a list of texts, is kept per
field and reused, so most fields cost one dict lookup. The readers depend on
nothing but the text (`result` also on the question's kind, which keys a
table of its own) and keep no node.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import yaml

from ledger.core.model import (
    Error,
    Forecast,
    Forecaster,
    Kind,
    Ledger,
    Location,
    Outcome,
    Question,
    Source,
)
from ledger.core.rules import made_key, recorded_key
from ledger.loader import scan
from ledger.loader.fields import FieldError, Reported, keys
from ledger.loader.nodes import MAP, SEQ, STR, blank
from ledger.loader.records import REQUIRED, RecordReader
from ledger.loader.scan import Map, Seq, Unsupported

if TYPE_CHECKING:
    from ledger.loader.fields import Reader

_MEMO = 1 << 14
"""Values each reader keeps at most: a field whose texts all differ (a title,
a quote) stops being kept once it has this many."""

Table = dict[str, tuple["Reader", dict[object, Any]]]
"""A record's readers by field, each with what it made of the texts it read."""


def load(text: str, path: str) -> tuple[Ledger, list[Error]] | None:
    """The records of a clean ledger text, or None: compose it and read it instead.

    None for any text `scan` does not read, any file with an error, and any
    surprise along the way.
    """
    try:
        return build(text, path)
    except Exception:  # Unsupported, or anything unforeseen: the nodes decide
        return None


def build(text: str, path: str) -> tuple[Ledger, list[Error]]:
    """`load`, raising `Unsupported` (or another surprise) instead of returning None."""
    try:
        return _Builder(path).ledger(text)
    except (FieldError, Reported):  # a reader refused a value: the loader reports it
        raise Unsupported from None


def _mark(path: str, line: int) -> yaml.Mark:
    """A mark at `line` (only its line is ever read)."""
    return yaml.Mark(path, 0, line, 0, None, 0)


_PRESENT = yaml.ScalarNode(STR, "present", _mark("", 0), _mark("", 0))
"""A present, non-null field's node, for the claim checks (which ask only that)."""


class _Builder:
    """Builds one file's records from `scan`'s values with a `RecordReader`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.reader = RecordReader(path)
        self._tables: dict[str | tuple[str, Kind | None], Table] = {}
        self._scalar = yaml.ScalarNode(STR, "", _mark(path, 0), _mark(path, 0))
        self._allowed = {
            record: (frozenset(keys(record)[0]), keys(record)[1] | required)
            for record, required in REQUIRED.items()
        }

    def ledger(self, text: str) -> tuple[Ledger, list[Error]]:
        """The ledger of `text`, which must be clean and within `scan`'s subset."""
        allowed, required = keys("ledger")
        built: dict[str, list[Any]] = {}
        for key, line, value, item in scan.document(text):
            found = built.get(key)
            if found is None:
                if key not in allowed:
                    raise Unsupported  # an unknown top-level key
                found = built[key] = []
            if item:
                found.append(self.top(key, line, value))
            elif isinstance(value, Seq):
                items = enumerate(value.items)
                found += (self.top(key, value.at(i), v) for i, v in items)
            else:
                raise Unsupported  # not a list: `records` reports it (or reads a null)
        reader = self.reader
        if reader.errors or not required <= built.keys():
            raise Unsupported
        return Ledger(
            path=self.path,
            forecasters=tuple(built.get("forecasters", ())),
            sources=tuple(built.get("sources", ())),
            questions=tuple(built.get("questions", ())),
            broken=frozenset(),
            references=tuple(reader.references),
            includes=tuple(built.get("include", ())),
            files=(self.path,),
        ), []

    def top(self, key: str, line: int, item: scan.Value) -> Any:
        """An item of the top-level list `key`, which starts on `line`."""
        if key == "questions":
            return self.question(line, self.fields(item, "question"))
        if key == "forecasters":
            return self.declared(self.fields(item, "forecaster"), "forecaster")
        if key == "sources":
            return self.declared(self.fields(item, "source"), "source")
        pattern = self.reader.text(self.node(item, line), "include")
        return pattern, Location(self.path, line + 1)

    # -- records -----------------------------------------------------------------

    def declared(self, item: Map, record: str) -> Forecaster | Source:
        """A forecaster or source."""
        cls = Forecaster if record == "forecaster" else Source
        return cls(
            location=Location(self.path, item.line + 1),
            lines=self.lines_of(item),
            **self.read(item, record),
        )

    def question(self, line: int, item: Map) -> Question:
        """A question with its forecasts and outcomes."""
        reader = self.reader
        values = self.read(item, "question")
        if "condition" in item.fields:
            node = self.node(item.fields["condition"], item.at("condition"))
            condition = values.get("condition")
            reader.refer("question", condition, {"condition": node}, "condition")
        kind: Kind | None = values.get("kind")
        forecasts = [self.forecast(f, kind) for f in self.entries(item, "forecasts")]
        outcomes = [self.outcome(o, kind) for o in self.entries(item, "outcomes")]
        if reader.errors:
            raise Unsupported  # a reader of a list or mapping reported a problem
        return Question(
            location=Location(self.path, line + 1),
            lines=self.lines_of(item),
            forecasts=tuple(sorted(forecasts, key=made_key)),
            outcomes=tuple(sorted(outcomes, key=recorded_key)),
            **values,
        )

    def entries(self, item: Map, name: str) -> list[scan.Value]:
        """The items of a question's list `name` (none if it has none)."""
        listed = item.fields.get(name)
        if listed is None:
            return []
        if type(listed) is not Seq:
            raise Unsupported  # null, or not a list: `records` reads or reports it
        return listed.items

    def forecast(self, item: scan.Value, kind: Kind | None) -> Forecast:
        """A forecast, its claim checked as `records` checks it."""
        item = self.fields(item, "forecast")
        reader = self.reader
        values = self.read(item, "forecast")
        fields = item.fields
        if "window" in fields:
            node = self.node(fields["window"], item.at("window"))
            values["window"] = reader.window(node, kind, values.get("made"))
        present: dict[str, yaml.Node] = dict.fromkeys(fields, _PRESENT)
        fits = reader.claim_fits(_PRESENT, present, values, kind)
        if not (reader.basis_fits(present, values) and fits):
            raise Unsupported
        lines = () if item.lines is None else self.lines_of(item)  # flow: ()
        return Forecast(location=reader.location(item.line + 1), lines=lines, **values)

    def outcome(self, item: scan.Value, kind: Kind | None) -> Outcome:
        """An outcome."""
        item = self.fields(item, "outcome")
        return Outcome(
            location=Location(self.path, item.line + 1),
            lines=self.lines_of(item),
            **self.read(item, ("outcome", kind)),
        )

    # -- fields ------------------------------------------------------------------

    def fields(self, item: scan.Value, record: str) -> Map:
        """`item`, a mapping whose fields are all known and all required there."""
        if type(item) is not Map:
            raise Unsupported  # `records` says what it is instead
        allowed, required = self._allowed[record]
        fields = item.fields
        if not (fields.keys() <= allowed and required <= fields.keys()):
            raise Unsupported  # an unknown field, or a missing one
        return item

    def read(self, item: Map, table: str | tuple[str, Kind | None]) -> dict[str, Any]:
        """Each field of `item` its record's readers read, typed.

        `table` names the record ("forecast") or, for an outcome, the record
        and the question's kind.
        """
        readers = self._tables.get(table) or self.table(table)
        values: dict[str, Any] = {}
        for name, value in item.fields.items():
            reader = readers.get(name)
            if reader is None:
                continue  # a list of records, or a window: read apart
            kind = type(value)
            if kind is str or kind is Seq:
                # A list's key is its items: texts, (style, text) pairs, and
                # anything else by identity (which never matches again).
                key = value if kind is str else tuple(value.items)  # type: ignore[union-attr]
                known = reader[1].get(key)
                if known is None:
                    known = self.typed(reader[0], name, value, item.at(name))
                    if len(reader[1]) < _MEMO:
                        reader[1][key] = known
                values[name] = known
            else:
                values[name] = self.typed(reader[0], name, value, item.at(name))
        return values

    def table(self, table: str | tuple[str, Kind | None]) -> Table:
        """The readers of a record, each with an empty memo."""
        reader = self.reader
        found = (
            reader.outcome_readers(table[1]) if isinstance(table, tuple)
            else reader.readers(table)
        )
        made = self._tables[table] = {name: (read, {}) for name, read in found.items()}
        return made

    def typed(self, read: Reader, name: str, value: scan.Value, line: int) -> Any:
        """What `read` makes of `value`, given as a node at `line`.

        A scalar is given as one node used again for each (a reader keeps no
        node), a list or mapping as the nodes PyYAML would compose.
        """
        node: yaml.Node
        if type(value) is str or type(value) is tuple:
            scalar = node = self._scalar
            scalar.start_mark.line = line
            if type(value) is str:
                scalar.value, scalar.style = value, None
            else:
                scalar.style, scalar.value = value  # type: ignore[str-unpack]
        else:
            node = self.node(value, line)
        if blank(node):
            raise Unsupported  # `records` reads an empty value apart, or reports it
        return read(node, name)

    def lines_of(self, item: Map) -> tuple[str | int, ...]:
        """`Record.lines` of a record, as `FieldReader.lines` gives it."""
        lines = item.lines
        if lines is None:
            return ()
        first = item.line
        found: list[str | int] = []
        for key, at in lines.items():
            if at != first:
                found += (sys.intern(key), at - first)
        return tuple(found) if found else ()

    def node(self, value: scan.Value, line: int) -> yaml.Node:
        """The node PyYAML would compose for `value`, starting on `line`."""
        mark = _mark(self.path, line)
        if type(value) is str:
            return yaml.ScalarNode(STR, value, mark, mark)
        if type(value) is tuple:
            return yaml.ScalarNode(STR, value[1], mark, mark, style=value[0])
        if type(value) is Seq:
            items = [self.node(v, value.at(i)) for i, v in enumerate(value.items)]
            flow = value.lines is None
            return yaml.SequenceNode(SEQ, items, mark, mark, flow_style=flow)
        assert type(value) is Map
        pairs = [
            (yaml.ScalarNode(STR, key, mark, mark), self.node(v, value.at(key)))
            for key, v in value.fields.items()
        ]
        return yaml.MappingNode(MAP, pairs, mark, mark, flow_style=value.lines is None)
