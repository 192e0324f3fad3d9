"""Records: a composed ledger document → frozen records, with every field error.

`read_root` builds each forecaster, source and question, with the question's
forecasts and outcome history. A record with a broken required field is left
out (its id is kept in `Ledger.broken`, so references to it raise no second
error); every problem is reported, never raised.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from ledger.core import words
from ledger.core.model import (
    GRADINGS,
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
    Skipped,
    Source,
)
from ledger.core.rules import made_key, recorded_key
from ledger.loader import gradings
from ledger.loader.claims import ClaimReader
from ledger.loader.fields import (
    Reader,
    Reported,
    schema,
)
from ledger.loader.nodes import describe, is_null, line
from ledger.loader.resolver import ResolverReader
from ledger.loader.results import read_result

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

T = TypeVar("T")
R = TypeVar("R", Forecast, Outcome)
D = TypeVar("D", Forecaster, Source, Skipped)

_FORECAST_REQUIRED = frozenset({"by", "made", "basis"})
_QUESTION_REQUIRED = frozenset({"id", "title", "criteria", "kind", "deadline"})
_SKIPPED_REQUIRED = frozenset({"quote", "source", "reason"})
_OUTCOME_REQUIRED = frozenset({"result", "known", "recorded"})
# The fields each record is left out without (reported as missing or empty).
REQUIRED = {
    "forecaster": frozenset({"id", "name"}),
    "source": frozenset({"id", "title", "kind"}),
    "skipped": _SKIPPED_REQUIRED,
    "question": _QUESTION_REQUIRED,
    "forecast": _FORECAST_REQUIRED,
    "outcome": _OUTCOME_REQUIRED,
}
_KINDS, _BASES = ("binary", "date", "numeric"), ("stated", "mapped", "judged")
_ASSESS = ("by-deadline", "at-deadline")


def read_root(
    root: yaml.Node | None, path: str, questions: Iterator[yaml.Node] | None = None
) -> tuple[Ledger, list[Error]]:
    """Read the composed document of the file at `path` into its records.

    `questions`, when given, yields the items of the top-level `questions` list
    (see `slices.split`) in place of its node's.
    """
    if root is None or is_null(root):
        message = "the ledger is empty; expected a mapping with a 'questions' list"
        return Ledger(path=path), [Error(Location(path, 1), message)]
    reader = RecordReader(path)
    if not isinstance(root, yaml.MappingNode):
        message = (
            "the top level must be a mapping with 'forecasters', 'sources' and "
            f"'questions', got {describe(root)}"
        )
        return Ledger(path=path), [Error(Location(path, line(root)), message)]
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
            skipped=reader.records(top, "skipped", reader.skipped),
            gradings=reader.records(top, "gradings", partial(gradings.read, reader)),
            broken=frozenset(reader.broken),
            references=tuple(reader.references),
            includes=reader.include_patterns(top),
            files=(path,),
        )
    return ledger, reader.errors


class RecordReader(ClaimReader, ResolverReader):
    """Walks the composed node tree of one file, collecting records and errors."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.broken: set[tuple[str, str]] = set()
        # A question's built forecasts' references: dropped if the question is
        # built (validate reads them from the forecasts), kept if it is not.
        self._held: list[tuple[str, str, Location]] | None = None
        self._readers: dict[str, dict[str, Reader]] = {}

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

    def include_patterns(
        self, top: dict[str, yaml.Node]
    ) -> tuple[tuple[str, Location], ...]:
        """The `include:` patterns of a file, each with its line."""
        if "include" not in top:
            return ()
        items = self.guard(lambda: self.sequence(top["include"], "include")) or []
        found = []
        for item in items:
            pattern = self.guard(partial(self.text, item, "include"))
            if pattern is not None:
                found.append((pattern, Location(self.path, line(item))))
        return tuple(found)

    def mark_broken(self, kind: str, id: str | None) -> None:
        """Remember the id of a record left out, so references to it stay quiet."""
        if id:
            self.broken.add((kind, id))

    def readers(self, record: str) -> dict[str, Reader]:
        """The field readers of a forecaster, source, question, forecast or skip.

        In schema order; made once per file (a big ledger has many records).
        """
        found = self._readers.get(record)
        if found is not None:
            return found
        text, texts, slug, when = self.text, self.texts, self.slug, self.when
        if record == "forecaster":
            found = {"id": slug, "name": text, "aliases": texts,
                     "affiliation": text, "links": texts, "note": text}
        elif record == "source":
            source = schema()["definitions"]["source"]
            kinds = tuple(source["properties"]["kind"]["enum"])
            found = {"id": slug, "title": text,
                     "kind": lambda n, name: self.choice(n, name, kinds),
                     "url": text, "date": when, "note": text, "licence": text,
                     "attribution": text}
        elif record == "skipped":
            found = {"quote": text, "source": slug, "reason": text, "by": slug}
        elif record == "question":
            found = {"id": slug, "title": text, "criteria": text,
                     "kind": lambda n, name: self.choice(n, name, _KINDS),
                     "deadline": when, "tags": texts, "unit": text, "condition": slug,
                     "order": self.order, "resolver": self.resolver,
                     "unscorable": text, "note": text,
                     "assess": lambda n, name: self.choice(n, name, _ASSESS),
                     "written": when, "judges": self.slugs,
                     "grading": lambda n, name: self.choice(n, name, GRADINGS)}
        else:
            found = {"by": slug, "made": when, "source": slug, "quote": text,
                     "p": self.probability,
                     "basis": lambda n, name: self.choice(n, name, _BASES),
                     "table": lambda n, name: self.choice(n, name, words.table_names()),
                     "words": text, "note": text, "entered": when}
        self._readers[record] = found
        return found

    def forecaster(self, node: yaml.Node) -> Forecaster | None:
        """A forecaster, or None if it cannot be built."""
        return self.declared(node, "forecaster", Forecaster)

    def source(self, node: yaml.Node) -> Source | None:
        """A source, or None if it cannot be built."""
        return self.declared(node, "source", Source)

    def declared(
        self, node: yaml.Node, record: str, cls: type[D], what: str | None = None
    ) -> D | None:
        """A forecaster, source or skipped entry, or None if it cannot be built.

        A record left out has its id marked broken. `what` names the record in
        messages (default: `record`). A skipped entry's `source` and `by` are
        references, read even when the entry is left out.
        """
        fields = self.mapping(node, what or record, record)
        if fields is None:
            return None
        values: dict[str, Any] = {}
        ok = self.read_all(fields, self.readers(record), values, REQUIRED[record])
        if record == "skipped":
            self.refer("source", values.get("source"), fields, "source")
            self.refer("forecaster", values.get("by"), fields, "by")
        if not ok:
            self.mark_broken(record, values.get("id"))
            return None
        return cls(
            location=Location(self.path, line(node)),
            lines=self.lines(fields, node),
            **values,
        )

    def skipped(self, node: yaml.Node) -> Skipped | None:
        """A `skipped:` entry (a claim considered and not scored), or None."""
        return self.declared(node, "skipped", Skipped, what="skipped entry")

    def question(self, node: yaml.Node) -> Question | None:
        """A question with its forecasts and outcomes, or None if it cannot be built."""
        fields = self.mapping(node, "question", "question")
        if fields is None:
            return None
        values: dict[str, Any] = {}
        ok = self.read_all(fields, self.readers("question"), values, _QUESTION_REQUIRED)
        self.refer("question", values.get("condition"), fields, "condition")
        kind = values.get("kind")
        self._held = []
        forecasts = self.history(fields, "forecasts", kind, self.forecast, made_key)
        outcomes = self.history(fields, "outcomes", kind, self.outcome, recorded_key)
        held, self._held = self._held, None
        if not ok:
            self.references += held  # its forecasts are left out with it
            self.mark_broken("question", values.get("id"))
            return None
        return Question(
            location=Location(self.path, line(node)),
            lines=self.lines(fields, node),
            forecasts=forecasts,
            outcomes=outcomes,
            **values,
        )

    def history(
        self,
        fields: dict[str, yaml.Node],
        name: str,
        kind: Kind | None,
        build: Callable[[yaml.Node, Kind | None], R | None],
        key: Callable[[R], Any],
    ) -> tuple[R, ...]:
        """A question's forecasts or outcomes, built and sorted by `key`."""
        if name not in fields:
            return ()
        items = self.guard(lambda: self.sequence(fields[name], name)) or []
        built = (record for item in items if (record := build(item, kind)) is not None)
        return tuple(sorted(built, key=key))

    def order(self, node: yaml.Node, name: str) -> Order:
        """An order relation between two date questions."""
        fields = self.mapping(node, "order", "order")
        if fields is None:
            raise Reported  # mapping() said why
        ends: dict[str, str | None] = {}
        for end in ("before", "after"):
            if end in fields and not is_null(fields[end]):
                ends[end] = self.guard(partial(self.slug, fields[end], end))
                self.refer("question", ends[end], fields, end)
        before, after = ends.get("before"), ends.get("after")
        if before is None or after is None:
            raise Reported  # missing (mapping() said so) or not a slug (said above)
        return Order(before=before, after=after)

    def forecast(self, node: yaml.Node, kind: Kind | None) -> Forecast | None:
        """A forecast, or None if it cannot be built."""
        fields = self.mapping(node, "forecast", "forecast")
        if fields is None:
            return None
        values: dict[str, Any] = {}
        ok = self.read_all(fields, self.readers("forecast"), values, _FORECAST_REQUIRED)
        refers: list[tuple[str, str, Location]] = []
        self.refer("forecaster", values.get("by"), fields, "by", refers)
        self.refer("source", values.get("source"), fields, "source", refers)
        if given(fields, "window"):
            made = values.get("made")
            window = self.guard(lambda: self.window(fields["window"], kind, made))
            ok = ok and window is not None
            values["window"] = window
        if given(fields, "quantiles") and kind != "binary":
            made = values.get("made")
            found = self.guard(lambda: self.quantiles(fields["quantiles"], kind, made))
            ok = ok and found is not None
            values["quantiles"] = found
        if "p" in fields and "p" not in values:
            ok = False
        ok = self.claim_fits(node, fields, values, kind) and ok
        if "quantiles" in fields and "window" not in fields:
            ok = self.quantile_basis_fits(fields, values) and ok
        else:
            ok = self.basis_fits(fields, values) and ok
        if not ok or self._held is None:
            self.references += refers  # a forecast left out: the references stay
        else:
            self._held += refers
        if not ok:
            return None
        return Forecast(
            location=self.location(line(node)), lines=self.lines(fields, node), **values
        )

    def outcome(self, node: yaml.Node, kind: Kind | None) -> Outcome | None:
        """An outcome, or None if it cannot be built."""
        fields = self.mapping(node, "outcome", "outcome")
        if fields is None:
            return None
        values: dict[str, Any] = {}
        readers = self.outcome_readers(kind)
        if not self.read_all(fields, readers, values, _OUTCOME_REQUIRED):
            return None
        return Outcome(
            location=Location(self.path, line(node)),
            lines=self.lines(fields, node),
            **values,
        )

    def outcome_readers(self, kind: Kind | None) -> dict[str, Reader]:
        """The field readers of an outcome of a question of this kind."""
        return {
            "result": lambda n, name: self.result(n, kind),
            "known": self.when,
            "recorded": self.when,
            "by": self.text,
            "evidence": self.texts,
            "note": self.text,
        }

    def result(self, node: yaml.Node, kind: Kind | None) -> Result:
        """What an outcome says happened, read to fit the question's kind."""
        return read_result(node, self.text(node, "result").strip(), kind)


def given(fields: dict[str, yaml.Node], name: str) -> bool:
    """Whether field `name` is written with a value (not left empty)."""
    return name in fields and not is_null(fields[name])
