"""Direct: a clean ledger's records, built straight from its scanned text.

The fast path of `load`. `scan` reads the text into plain values with their
lines (no YAML nodes), and each record is built here as `records` builds it
from nodes: every field is typed by `RecordReader`'s own reader for it (given
a node made for the occasion), the claim checks are `ClaimReader`'s, the
required fields are `records.REQUIRED` and the schema's, forecasts and
outcomes are sorted by the rules' keys. No rule is written twice.

It only ever builds a clean file. At the first sign of anything `records`
would report (an unknown, missing, duplicate or empty field, a value its
reader refuses, a claim that does not fit) or of text `scan` does not read,
`build` raises `Unsupported`, `load` returns None, and the caller composes
the text and reads it with `records`, which alone reports every error. So
the two paths give the same records (tests/loader/test_direct.py compares
them on every case of the error catalogue and on random ledgers).

A big ledger repeats the same few texts (dates, ids, probabilities, choices,
tag lists): each reader's value for a plain text, or a list of plain texts,
is kept per field and reused, so most fields cost one dict lookup. The
readers involved depend on nothing but the text (`result` also on the
question's kind, which keys its own table).
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


def load(text: str, path: str) -> tuple[Ledger, list[Error]] | None:
    """The records of a clean ledger text, or None: compose it and read it instead.

    None for any text `scan` does not read, any file with an error, and any
    surprise along the way.
    """
    try:
        return build(text, path)
    except Exception:  # Unsupported, or anything unforeseen: the full path decides
        return None


def build(text: str, path: str) -> tuple[Ledger, list[Error]]:
    """`load`, raising `Unsupported` (or any other surprise) instead of returning None."""
    try:
        return _Builder(path).ledger(text)
    except (FieldError, Reported):  # a reader refused a value: the loader reports it
        raise Unsupported from None


class _Builder(RecordReader):
    """Builds one file's records from `scan`'s values with `RecordReader`'s readers."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._tables: dict[object, dict[str, tuple[Reader, dict[object, Any]]]] = {}
        self._marks: dict[int, yaml.Mark] = {}
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
                found += (self.top(key, value.at(i), v) for i, v in enumerate(value.items))
            else:
                raise Unsupported  # not a list: `records` reports it (or reads a null)
        if self.errors or not required <= built.keys():
            raise Unsupported
        return Ledger(
            path=self.path,
            forecasters=tuple(built.get("forecasters", ())),
            sources=tuple(built.get("sources", ())),
            questions=tuple(built.get("questions", ())),
            broken=frozenset(),
            references=tuple(self.references),
            includes=tuple(built.get("include", ())),
            files=(self.path,),
        ), []

    def top(self, key: str, line: int, item: scan.Value) -> Any:
        """An item of the top-level list `key`, which starts on `line`."""
        if key == "questions":
            return self.question(line, item)
        if key == "forecasters":
            return self.declared(item, "forecaster", Forecaster)
        if key == "sources":
            return self.declared(item, "source", Source)
        return self.include(line, item)

    # -- records -----------------------------------------------------------------

    def declared(self, item: scan.Value, record: str, cls: type[Any]) -> Any:
        """A forecaster or source."""
        fields = self.fields(item, record)
        values = self.read(item, record)  # type: ignore[arg-type]
        return cls(
            location=Location(self.path, item.line + 1),  # type: ignore[union-attr]
            lines=self.lines_of(item),  # type: ignore[arg-type]
            **values,
        )

    def question(self, line: int, item: scan.Value) -> Question:
        """A question with its forecasts and outcomes."""
        fields = self.fields(item, "question")
        assert isinstance(item, Map)  # noqa: S101  (fields() made sure)
        values = self.read(item, "question")
        if "condition" in fields:
            node = self.node(fields["condition"], item.at("condition"))
            self.refer("question", values.get("condition"), {"condition": node}, "condition")
        kind: Kind | None = values.get("kind")
        forecasts = self.history(item, "forecasts", made_key, kind)
        outcomes = self.history(item, "outcomes", recorded_key, kind)
        if self.errors:
            raise Unsupported  # a reader of a nested value reported a problem
        return Question(
            location=Location(self.path, line + 1),
            lines=self.lines_of(item),
            forecasts=forecasts,
            outcomes=outcomes,
            **values,
        )

    def history(
        self, item: Map, name: str, key: Any, kind: Kind | None
    ) -> tuple[Any, ...]:
        """A question's forecasts or outcomes, built and sorted by `key`."""
        listed = item.fields.get(name)
        if listed is None:
            return ()
        if not isinstance(listed, Seq):
            raise Unsupported  # null, or not a list: `records` reads or reports it
        build = self.forecast if name == "forecasts" else self.outcome
        built = [build(entry, kind) for entry in listed.items]
        return tuple(sorted(built, key=key))

    def forecast(self, item: scan.Value, kind: Kind | None) -> Forecast:
        """A forecast, its claim checked as `records` checks it."""
        fields = self.fields(item, "forecast")
        assert isinstance(item, Map)  # noqa: S101
        values = self.read(item, "forecast")
        if "window" in fields:
            node = self.node(fields["window"], item.at("window"))
            values["window"] = self.window(node, kind, values.get("made"))
        present = dict.fromkeys(fields, _PRESENT)
        fits = self.claim_fits(_PRESENT, present, values, kind)
        if not (self.basis_fits(present, values) and fits):
            raise Unsupported
        return Forecast(
            location=self.location(item.line + 1), lines=self.lines_of(item), **values
        )

    def outcome(self, item: scan.Value, kind: Kind | None) -> Outcome:
        """An outcome."""
        fields = self.fields(item, "outcome")
        assert isinstance(item, Map)  # noqa: S101
        values = self.read(item, ("outcome", kind))
        return Outcome(
            location=Location(self.path, item.line + 1),
            lines=self.lines_of(item),
            **values,
        )

    def include(self, line: int, item: scan.Value) -> tuple[str, Location]:
        """One `include:` pattern with its line."""
        return self.text(self.node(item, line), "include"), Location(self.path, line + 1)

    # -- fields ------------------------------------------------------------------

    def fields(self, item: scan.Value, record: str) -> dict[str, scan.Value]:
        """The fields of a record's mapping, if they are all known and all required there."""
        if not isinstance(item, Map):
            raise Unsupported  # `records` says what it is instead
        allowed, required = self._allowed[record]
        fields = item.fields
        if not (fields.keys() <= allowed and required <= fields.keys()):
            raise Unsupported  # an unknown field, or a missing one
        return fields

    def read(self, item: Map, table: str | tuple[str, Kind | None]) -> dict[str, Any]:
        """Each field of `item` its record's readers read, typed.

        `table` names the record ("forecast") or, for an outcome, the record
        and the question's kind; each reader keeps what it made of each
        plain text (or list of plain texts) in its memo.
        """
        readers = self._tables.get(table)
        if readers is None:
            found = (
                self.outcome_readers(table[1]) if isinstance(table, tuple)
                else self.readers(table)
            )
            readers = self._tables[table] = {
                name: (read, {}) for name, read in found.items()
            }
        values: dict[str, Any] = {}
        for name, value in item.fields.items():
            reader = readers.get(name)
            if reader is None:
                continue  # a list `history` reads, or `window`
            kind = type(value)
            if kind is str:
                known = reader[1].get(value)
                if known is None:
                    known = reader[1][value] = self.typed(reader[0], name, value, item.at(name))
                values[name] = known
            elif kind is Seq and all(type(v) is str for v in value.items):  # type: ignore[union-attr]
                words = tuple(value.items)  # type: ignore[union-attr]
                known = reader[1].get(words)
                if known is None:
                    known = reader[1][words] = self.typed(reader[0], name, value, item.at(name))
                values[name] = known
            else:
                values[name] = self.typed(reader[0], name, value, item.at(name))
        return values

    def typed(self, read: Reader, name: str, value: scan.Value, line: int) -> Any:
        """What `read` makes of `value`, given as a node at `line`."""
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
        mark = self._marks.get(line)
        if mark is None:
            mark = self._marks[line] = yaml.Mark(self.path, 0, line, 0, None, None)
        if type(value) is str:
            return yaml.ScalarNode(STR, value, mark, mark)
        if isinstance(value, tuple):
            return yaml.ScalarNode(STR, value[1], mark, mark, style=value[0])
        if isinstance(value, Seq):
            items = [self.node(v, value.at(i)) for i, v in enumerate(value.items)]
            return yaml.SequenceNode(SEQ, items, mark, mark, flow_style=value.lines is None)
        assert isinstance(value, Map)  # noqa: S101
        pairs = [
            (yaml.ScalarNode(STR, k, mark, mark), self.node(v, value.at(k)))
            for k, v in value.fields.items()
        ]
        return yaml.MappingNode(MAP, pairs, mark, mark, flow_style=value.lines is None)


_PRESENT = yaml.ScalarNode(STR, "present", yaml.Mark("", 0, 0, 0, None, None), None)
"""A present, non-null field's node, for the claim checks (which ask only that)."""


