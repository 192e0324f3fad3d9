"""Resolvers: a question's `resolver:` mapping, read into a `core.model.Resolver`.

A resolver names where `ledger sync` finds the question's outcome: a market
(`manifold`, `metaculus`, `polymarket`, `kalshi` with its `market` id or slug,
and optionally the `crowd` forecaster who receives its prices), a data series
(`csv` or `json` at a `url`, with a `rule`), or a software release
(`github-release` with a `repo` and optionally a `tag`). Each source takes its
own fields and needs some of them; a field another source takes, or one a
source needs and lacks, is an error at the resolver's line. Checks that need
the question or other records (its kind, the crowd forecaster) are
`validate`'s.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ledger.core.model import MARKETS, SOURCES, Resolver, Rule
from ledger.core.numbers import NUMBER
from ledger.loader.fields import FieldError, FieldReader, Reader, Reported, finite
from ledger.loader.nodes import is_null, line

if TYPE_CHECKING:
    import yaml

OPS = (">=", ">", "<=", "<", "==", "!=")  # the comparisons a rule may make

_SERIES = {"url", "rule"}
FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # source: (fields it needs, fields it may also have); `source` goes with all
    **{market: (frozenset({"market"}), frozenset({"crowd"})) for market in MARKETS},
    "csv": (frozenset({*_SERIES, "column"}), frozenset({"date"})),
    "json": (frozenset({*_SERIES, "path"}), frozenset({"date_path"})),
    "github-release": (frozenset({"repo"}), frozenset({"tag"})),
}

_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_PATH = re.compile(r"\$((\.[A-Za-z_][A-Za-z0-9_-]*)|(\[-?\d+\])|(\[\"[^\"]*\"\]))*")


class ResolverReader(FieldReader):
    """A field reader that also reads a question's resolver."""

    def resolver(self, node: yaml.Node, name: str) -> Resolver:
        """The `resolver:` of a question; every problem is reported at its line."""
        before = len(self.errors)
        fields = self.mapping(node, "resolver", "resolver")
        if fields is None:
            raise Reported  # mapping() said why
        keys_wrong = len(self.errors) > before  # an unknown key: its hint says more
        values: dict[str, Any] = {}
        text = self.text
        readers = {
            "source": lambda n, field: self.choice(n, field, SOURCES),
            "market": text,
            "crowd": self.slug,
            "url": text,
            "column": text,
            "date": text,
            "path": self.json_path,
            "date_path": self.json_path,
            "rule": self.rule,
            "repo": self.repo,
            "tag": text,
        }
        if not self.read_all(fields, readers, values, {"source"}):
            raise Reported
        if len(values) != sum(1 for n in fields.values() if not is_null(n)):
            raise Reported  # a field that did not read was reported
        self.refer("forecaster", values.get("crowd"), fields, "crowd")
        self._fits_source(node, fields, values["source"], keys_wrong)
        return Resolver(
            location=self.location(line(node)), lines=self.lines(fields, node), **values
        )

    def _fits_source(
        self, node: yaml.Node, fields: dict[str, yaml.Node], source: str, quiet: bool
    ) -> None:
        """Refuse fields the source does not take, and report those it lacks."""
        needs, may = FIELDS[source]
        given = {name for name, value in fields.items() if not is_null(value)}
        wrong = sorted(given - needs - may - {"source"})
        for name in wrong:
            self.error(
                line(fields[name]),
                f"a {source} resolver does not take '{name}'; it takes "
                + ", ".join(sorted(needs | may)),
            )
        missing = sorted(needs - given)
        if missing and not quiet:
            names = " and ".join(f"'{name}'" for name in missing)
            self.error(line(node), f"a {source} resolver needs {names}")
        if wrong or missing or quiet:
            raise Reported

    def rule(self, node: yaml.Node, name: str) -> Rule:
        """A rule: `{on: DATE, op: '>=', value: 5.0}` (`on` is optional)."""
        fields = self.mapping(node, "rule", "rule")
        if fields is None:
            raise Reported
        values: dict[str, Any] = {}
        readers: dict[str, Reader] = {
            "on": self.when,
            "op": self.op,
            "value": self.number,
        }
        if not self.read_all(fields, readers, values, {"op", "value"}):
            raise Reported
        if "on" in fields and not is_null(fields["on"]) and "on" not in values:
            raise Reported
        return Rule(**values)

    def op(self, node: yaml.Node, name: str) -> str:
        """A comparison; `=>` and `=<` are read as the slips they are."""
        value = self.text(node, name)
        turned = value[::-1]
        if value not in OPS and turned in OPS:
            raise FieldError(node, f"unknown op '{value}'; did you mean '{turned}'?")
        return self.choice(node, name, OPS)

    def number(self, node: yaml.Node, name: str) -> float:
        """A plain number, such as 5.0 or 480."""
        value = self.text(node, name)
        if not NUMBER.fullmatch(value.strip()):
            raise FieldError(node, f"'{name}' must be a number, got '{value}'")
        return finite(node, value.strip(), f"'{name}'")

    def json_path(self, node: yaml.Node, name: str) -> str:
        """A path into a JSON document: `$.models[-1].horizon_minutes`."""
        return self.shaped(
            node,
            name,
            _PATH,
            "a path like $.models[-1].horizon_minutes (keys after dots, list "
            "indexes in brackets)",
        )

    def repo(self, node: yaml.Node, name: str) -> str:
        """A GitHub repository, OWNER/NAME."""
        return self.shaped(node, name, _REPO, "OWNER/NAME")
