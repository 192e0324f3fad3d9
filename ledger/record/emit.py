r"""Emit: values and records as YAML text, the one writer of ledger YAML.

The editing commands (`insert`) and the importers both write through here, so
a value is quoted the same way wherever it is written: plain when the loader
reads it back as the same text, else double-quoted with JSON's escapes (and
`\uXXXX` for what YAML would refuse or fold). Nothing here reads or writes a
file.

An `Entry` is a new record as ordered (key, value) pairs; a value is text, a
list of texts, None (left out), or anything whose `str` is its ledger text (a
`When`, a `Result`, a float: `str(0.7)` is the shortest text that reads back
the same). `item` lays an entry out as a list item, in block or flow style;
`entry` gives a frozen record's (`core.model`) fields and `ledger_text` writes
a whole new ledger of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ledger.core.model import (
    Forecast,
    Forecaster,
    Order,
    Outcome,
    Quantiles,
    Question,
    Record,
    Resolver,
    Rule,
    Source,
)
from ledger.core.text import exact
from ledger.record.write import EditError

if TYPE_CHECKING:
    from collections.abc import Iterable

Entry = list[tuple[str, Any]]
"""A new record as ordered (key, value) pairs; a None value is left out."""

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+%/-]*")
_PLAIN_BLOCK = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.,+%/()'-]*[A-Za-z0-9.)%]")
_NULL_WORDS = frozenset({"null", "Null", "NULL", "~"})
# Characters json.dumps leaves raw that YAML would refuse (not printable) or
# read as a line break inside double quotes: written as escapes instead.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a comment line cannot hold: YAML's unprintable characters, line breaks
# (YAML 1.1 readers also break at NEL, LS and PS) and lone surrogates.
_NOT_IN_COMMENT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)


def scalar(value: str, flow: bool = False) -> str:
    r"""A YAML scalar for `value`, read back by the loader as the same text.

    Plain when that reads back the same, else double-quoted. Flow context
    (`[a, b]`, `{k: v}`) allows fewer plain characters than block context.

    Args:
        value: the text to write.
        flow: whether the scalar stands inside a flow collection.

    Returns:
        The scalar as it goes in the file.

    Raises:
        EditError: `value` holds a lone surrogate, which UTF-8 cannot encode.

    >>> scalar("jerry-tworek"), scalar("New Person"), scalar("a: b"), scalar("null")
    ('jerry-tworek', 'New Person', '"a: b"', '"null"')
    >>> scalar("line\u2028break")
    '"line\\u2028break"'
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


def value(data: object, flow: bool = False) -> str:
    """A value as YAML: a list, a mapping or the scalar of its `str`.

    A list or tuple is a flow list of scalars, a dict a flow mapping.

    >>> value(["a b", "c"]), value(0.7), value({"before": "a", "after": "b"})
    ('["a b", c]', '0.7', '{before: a, after: b}')
    """
    if isinstance(data, dict):
        return flow_mapping(list(data.items()))
    if isinstance(data, (list, tuple)):
        return "[" + ", ".join(scalar(str(v), True) for v in data) + "]"
    return scalar(str(data), flow)


def _pairs(entry: Entry) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in entry if v is not None and v not in ([], ())]


def flow_mapping(entry: Entry) -> str:
    """`{k: v, ...}`: the entry as a flow mapping.

    >>> flow_mapping([("by", "ann"), ("p", 0.7), ("source", None)])
    '{by: ann, p: 0.7}'
    """
    return "{" + ", ".join(f"{k}: {value(v, True)}" for k, v in _pairs(entry)) + "}"


def item(entry: Entry, dash: int, key: int, flow: bool, newline: str) -> str:
    r"""The text of a new list item: its `-` at column `dash`, its keys at `key`.

    Args:
        entry: the record's (key, value) pairs.
        dash: the column of the item's `-`.
        key: the column of its keys (block style).
        flow: one line `- {k: v, ...}` rather than one line per key.
        newline: the file's line ending, which ends every line written.

    Returns:
        The item's lines.

    >>> item([("id", "ann"), ("name", "Ann")], 2, 4, False, "\n")
    '  - id: ann\n    name: Ann\n'
    """
    if flow:
        return " " * dash + "- " + flow_mapping(entry) + newline
    lines = []
    for i, (k, v) in enumerate(_pairs(entry)):
        prefix = " " * dash + "-" + " " * (key - dash - 1) if i == 0 else " " * key
        lines.append(f"{prefix}{k}: {value(v)}")
    return newline.join(lines) + newline


def comment(text: str) -> str:
    r"""`text` as one comment line: whitespace collapsed, unprintables as `?`.

    >>> comment("Imported\nfrom a.json")
    '# Imported from a.json'
    """
    return "# " + " ".join(_NOT_IN_COMMENT.sub("?", text).split())


# -- records -----------------------------------------------------------------


FIELDS: dict[type[Record], tuple[str, ...]] = {
    Forecaster: ("id", "name", "aliases", "affiliation", "links", "note"),
    Source: ("id", "title", "kind", "url", "date", "licence", "attribution", "note"),
    Question: (
        "id", "title", "criteria", "kind", "deadline", "tags", "unit", "condition",
        "order", "unscorable", "note", "assess", "written", "resolver",
    ),
    Forecast: (
        "by", "made", "p", "basis", "source", "window", "quantiles", "quote", "table",
        "words", "note", "entered",
    ),
    Outcome: ("result", "known", "recorded", "by", "evidence", "note"),
}
"""The fields of each record a new ledger writes, in order (a question's
forecasts and outcomes are lists of their own)."""


def entry(record: Record) -> Entry:
    """A record's fields as an entry, in the order a new ledger writes them.

    >>> from ledger.core.model import Location
    >>> entry(Forecaster(location=Location("x.yaml", 1), id="ann", name="Ann"))[:3]
    [('id', 'ann'), ('name', 'Ann'), ('aliases', ())]
    """
    pairs: Entry = []
    for name in FIELDS[type(record)]:
        pairs.append((name, _plain(getattr(record, name))))
    return pairs


def _plain(data: object) -> object:
    """A record's field as the values `value` writes.

    A nested record becomes a mapping; a default that need not be written, None.
    """
    if isinstance(data, Order):
        return {"before": data.before, "after": data.after}
    if isinstance(data, Quantiles):
        return {exact(level): (exact(v) if isinstance(v, float) else str(v))
                for level, v in zip(data.levels, data.values, strict=True)}
    if isinstance(data, (Resolver, Rule)):
        names = [f.name for f in fields(data) if f.name not in ("location", "lines")]
        found = {name: _plain(getattr(data, name)) for name in names}
        return {k: (exact(v) if isinstance(v, float) else v)
                for k, v in found.items() if v is not None}
    if data == "by-deadline":  # a question's default `assess`
        return None
    return data


def ledger_text(
    header: str,
    forecasters: Iterable[Forecaster],
    sources: Iterable[Source],
    questions: Iterable[Question],
) -> str:
    """A whole new ledger: a header comment, then the three lists, in the order given.

    Forecasters, sources and questions are block mappings (`- id: ...` at
    column 2); forecasts and outcomes one-line flow mappings, which keeps big
    files compact. An empty list is written `[]`.
    """
    lines = [comment(header) + "\n"]
    for name, entries in (
        ("forecasters", [entry(f) for f in forecasters]),
        ("sources", [entry(s) for s in sources]),
    ):
        lines.append(f"{name}:" + ("\n" if entries else " []\n"))
        lines += [item(entry, 2, 4, False, "\n") for entry in entries]
    ordered = list(questions)
    lines.append("questions:" + ("\n" if ordered else " []\n"))
    for q in ordered:
        lines.append(item(entry(q), 2, 4, False, "\n"))
        if q.forecasts:
            lines.append("    forecasts:\n")
            lines += [item(entry(f), 6, 8, True, "\n") for f in q.forecasts]
        if q.outcomes:
            lines.append("    outcomes:\n")
            lines += [item(entry(o), 6, 8, True, "\n") for o in q.outcomes]
    return "".join(lines)
