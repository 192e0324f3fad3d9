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
from typing import TYPE_CHECKING, Any, TypeAlias

import yaml

from ledger.core import model
from ledger.core.model import Error, Forecast, Kind, Ledger, Location
from ledger.core.rules import made_key, recorded_key
from ledger.loader import flow, scan
from ledger.loader.fields import FieldError, Reported, keys
from ledger.loader.flow import Map, Pairs, Seq, Unsupported
from ledger.loader.nodes import MAP, SEQ, STR, blank
from ledger.loader.records import REQUIRED, RecordReader

if TYPE_CHECKING:
    from ledger.loader.fields import Reader

_MEMO = 1 << 14
"""Values each reader keeps at most: a field whose texts all differ (a title,
a quote) stops being kept once it has this many."""

Table: TypeAlias = "str | tuple[str, Kind | None]"
"""Whose readers: a record's ("forecast"), or an outcome's and its question's kind."""

Memos = dict[str, dict[object, Any]]
"""What each reader of a record made of each value it read, by field."""


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


def _entries(listed: object) -> list[scan.Value]:
    """The items of a question's list of forecasts or outcomes (none if absent)."""
    if listed is None:
        return []
    if type(listed) is not Seq:
        raise Unsupported  # null, or not a list: `records` reads or reports it
    return listed.items


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
        self._readers: dict[Table, dict[str, Reader]] = {}
        self._memos: dict[Table, Memos] = {}
        self._pairs: dict[Table, dict[str, tuple[str, Any]]] = {}
        # The nodes `scratch` reuses: a scalar, and a list of two.
        self._scalar = yaml.ScalarNode(STR, "", _mark(path, 0), _mark(path, 0))
        ends = [yaml.ScalarNode(STR, "", _mark(path, 0), _mark(path, 0)) for _ in "ab"]
        mark = _mark(path, 0)
        self._listed = yaml.SequenceNode(SEQ, ends, mark, mark, flow_style=True)
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
            skipped=tuple(built.get("skipped", ())),
            broken=frozenset(),
            references=tuple(reader.references),
            includes=tuple(built.get("include", ())),
            files=(self.path,),
        ), []

    def top(self, key: str, line: int, item: scan.Value) -> Any:
        """An item of the top-level list `key`, which starts on `line`."""
        if key == "questions":
            return self.question(item)
        if key in ("forecasters", "sources"):
            record = key[:-1]
            at, values, lines = self.record(item, record, record)
            cls = model.Forecaster if record == "forecaster" else model.Source
            return cls(location=Location(self.path, at + 1), lines=lines, **values)
        if key == "skipped":  # a few entries: read by `records` from their node
            entry = self.reader.skipped(self.node(item, line))
            if entry is None:
                raise Unsupported
            return entry
        pattern = self.reader.text(self.node(item, line), "include")
        return pattern, Location(self.path, line + 1)

    # -- records -----------------------------------------------------------------

    def question(self, item: scan.Value) -> model.Question:
        """A question with its forecasts and outcomes."""
        reader = self.reader
        line, values, lines = self.record(item, "question", "question")
        listed = values.pop("forecasts", None), values.pop("outcomes", None)
        if "condition" in values:
            at = item.at("condition") if type(item) is Map else line
            node = self.node(item.fields["condition"] if type(item) is Map else "", at)
            condition = values.get("condition")
            reader.refer("question", condition, {"condition": node}, "condition")
        kind: Kind | None = values.get("kind")
        forecasts = [self.forecast(f, kind) for f in _entries(listed[0])]
        outcomes = [self.outcome(o, kind) for o in _entries(listed[1])]
        if reader.errors:
            raise Unsupported  # a reader of a list or mapping reported a problem
        return model.Question(
            location=Location(self.path, line + 1),
            lines=lines,
            forecasts=tuple(sorted(forecasts, key=made_key)),
            outcomes=tuple(sorted(outcomes, key=recorded_key)),
            **values,
        )

    def forecast(self, item: scan.Value, kind: Kind | None) -> Forecast:
        """A forecast, its claim checked as `records` checks it."""
        reader = self.reader
        line, values, lines = self.record(item, "forecast", "forecast")
        present: dict[str, yaml.Node] = dict.fromkeys(values, _PRESENT)
        window = values.pop("window", None)
        if window is not None:
            node = self.scratch(window, line)
            values["window"] = reader.window(node, kind, values.get("made"))
        quantiles = values.pop("quantiles", None)
        if quantiles is not None:
            at = item.at("quantiles") if type(item) is Map else line
            try:  # the mapping read whole, as `records` reads it
                node = self.node(quantiles, at)
                found = reader.quantiles(node, kind, values.get("made"))
            except (FieldError, Reported):
                raise Unsupported from None
            values["quantiles"] = found
        fits = reader.claim_fits(_PRESENT, present, values, kind)
        if "quantiles" in present and "window" not in present:
            basis = reader.quantile_basis_fits(present, values)
        else:
            basis = reader.basis_fits(present, values)
        if not (basis and fits) or reader.errors:
            raise Unsupported
        return Forecast(location=reader.location(line + 1), lines=lines, **values)

    def outcome(self, item: scan.Value, kind: Kind | None) -> model.Outcome:
        """An outcome."""
        line, values, lines = self.record(item, "outcome", ("outcome", kind))
        location = Location(self.path, line + 1)
        return model.Outcome(location=location, lines=lines, **values)

    # -- fields ------------------------------------------------------------------

    def record(
        self, item: scan.Value, record: str, table: Table
    ) -> tuple[int, dict[str, Any], tuple[str | int, ...]]:
        """(line, values, `Record.lines`) of a record of kind `record`.

        Its fields must all be known and the required ones there. A value is
        typed by its reader; one read apart (a window, a question's lists)
        is left as `scan` gave it.
        """
        if type(item) is Pairs:
            values = self.paired(item, record, table)
            if values is not None:
                return item.line, values, ()
            item = flow.unpaired(item)
        if type(item) is not Map:
            raise Unsupported  # `records` says what it is instead
        allowed, required = self._allowed[record]
        fields = item.fields
        if not (fields.keys() <= allowed and required <= fields.keys()):
            raise Unsupported  # an unknown field, or a missing one
        return item.line, self.read(item, table), self.lines_of(item)

    def paired(
        self, item: Pairs, record: str, table: Table
    ) -> dict[str, Any] | None:
        """`record`'s values of a one-line mapping's pairs (None: read it whole)."""
        memo = self._pairs.get(table)
        if memo is None:
            memo = self._pairs[table] = {}
        values: dict[str, Any] = {}
        for text in item.pairs:
            found = memo.get(text)
            if found is None:
                found = self.pair(text, record, table, item.line)
                if found is None:
                    return None
                if len(memo) < _MEMO and '"' not in text:  # a quote: never again
                    memo[text] = found
            values[found[0]] = found[1]
        required = self._allowed[record][1]
        if len(values) != len(item.pairs) or not required <= values.keys():
            raise Unsupported  # a repeated field, or a missing one
        return values

    def pair(
        self, text: str, record: str, table: Table, line: int
    ) -> tuple[str, Any] | None:
        """(field, value) of one `key: value` text of a record (None: not a pair)."""
        found = flow.pair(text)
        if found is None:
            return None
        name, value = found
        if name not in self._allowed[record][0]:
            raise Unsupported  # an unknown field
        read = self.readers(table).get(name)
        return name, value if read is None else self.typed(read, name, value, line)

    def read(self, item: Map, table: Table) -> dict[str, Any]:
        """The values of a block mapping's fields (see `record`)."""
        readers = self.readers(table)
        memos = self._memos[table]
        values: dict[str, Any] = {}
        for name, value in item.fields.items():
            read = readers.get(name)
            if read is None:
                values[name] = value  # read apart
                continue
            memo = memos[name]
            # The key is the text, (style, text), or a list's items after `Seq`;
            # a mapping is never kept (it is keyed by its identity).
            key = (Seq, *value.items) if type(value) is Seq else value
            known = memo.get(key)
            if known is None:
                known = self.typed(read, name, value, item.at(name))
                if type(value) is not Map and len(memo) < _MEMO:
                    memo[key] = known
            values[name] = known
        return values

    def readers(self, table: Table) -> dict[str, Reader]:
        """A record's readers (and, the first time, an empty memo for each)."""
        found = self._readers.get(table)
        if found is None:
            reader = self.reader
            found = self._readers[table] = (
                reader.outcome_readers(table[1]) if isinstance(table, tuple)
                else reader.readers(table)
            )
            self._memos[table] = {name: {} for name in found}
        return found

    def scratch(self, value: scan.Value, line: int) -> yaml.Node:
        """`node(value, line)`, reusing the same nodes for a scalar or a list of two.

        A reader keeps no node, so one set serves every value (a big ledger
        has a window or a text to read for every forecast).
        """
        if type(value) is str or type(value) is tuple:
            scalar = self._scalar
            scalar.start_mark.line = line
            if type(value) is str:
                scalar.value, scalar.style = value, None
            else:
                scalar.style, scalar.value = value  # type: ignore[str-unpack]
            return scalar
        if type(value) is Seq and value.lines is None and len(value.items) == 2:
            listed = self._listed
            for node, item in zip(listed.value, value.items, strict=True):
                if type(item) is not str:
                    return self.node(value, line)
                node.value = item
                node.start_mark.line = line
            listed.start_mark.line = line
            return listed
        return self.node(value, line)

    def typed(self, read: Reader, name: str, value: scan.Value, line: int) -> Any:
        """What `read` makes of `value`, given as a node at `line` (see `scratch`)."""
        node = self.scratch(value, line)
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
        if type(value) is Pairs:
            value = flow.unpaired(value)
        if type(value) is Seq:
            items = [self.node(v, value.at(i)) for i, v in enumerate(value.items)]
            inline = value.lines is None
            return yaml.SequenceNode(SEQ, items, mark, mark, flow_style=inline)
        assert type(value) is Map
        pairs = [
            (yaml.ScalarNode(STR, key, mark, mark), self.node(v, value.at(key)))
            for key, v in value.fields.items()
        ]
        return yaml.MappingNode(MAP, pairs, mark, mark, flow_style=value.lines is None)
