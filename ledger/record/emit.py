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
`ledger_text` writes a whole new ledger from frozen records (`core.model`).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ledger.record.write import EditError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledger.core.model import Forecast, Forecaster, Outcome, Question, Source

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


def forecaster_entry(forecaster: Forecaster) -> Entry:
    """A forecaster's fields, in the order a new ledger writes them."""
    f = forecaster
    return [
        ("id", f.id),
        ("name", f.name),
        ("aliases", f.aliases),
        ("affiliation", f.affiliation),
        ("links", f.links),
        ("note", f.note),
    ]


def source_entry(source: Source) -> Entry:
    """A source's fields, in the order a new ledger writes them."""
    s = source
    return [
        ("id", s.id),
        ("title", s.title),
        ("kind", s.kind),
        ("url", s.url),
        ("date", s.date),
        ("licence", s.licence),
        ("attribution", s.attribution),
        ("note", s.note),
    ]


def question_entry(question: Question) -> Entry:
    """A question's own fields (not its forecasts and outcomes), in file order."""
    q = question
    order = q.order and {"before": q.order.before, "after": q.order.after}
    return [
        ("id", q.id),
        ("title", q.title),
        ("criteria", q.criteria),
        ("kind", q.kind),
        ("deadline", q.deadline),
        ("tags", q.tags),
        ("unit", q.unit),
        ("condition", q.condition),
        ("order", order),
        ("unscorable", q.unscorable),
        ("note", q.note),
    ]


def forecast_entry(forecast: Forecast) -> Entry:
    """A forecast's fields, in the order a new ledger writes them."""
    f = forecast
    return [
        ("by", f.by),
        ("made", f.made),
        ("p", f.p),
        ("basis", f.basis),
        ("source", f.source),
        ("window", f.window),
        ("quote", f.quote),
        ("table", f.table),
        ("words", f.words),
        ("note", f.note),
    ]


def outcome_entry(outcome: Outcome) -> Entry:
    """An outcome's fields, in the order a new ledger writes them."""
    o = outcome
    return [
        ("result", o.result),
        ("known", o.known),
        ("recorded", o.recorded),
        ("by", o.by),
        ("evidence", o.evidence),
        ("note", o.note),
    ]


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
        ("forecasters", [forecaster_entry(f) for f in forecasters]),
        ("sources", [source_entry(s) for s in sources]),
    ):
        lines.append(f"{name}:" + ("\n" if entries else " []\n"))
        lines += [item(entry, 2, 4, False, "\n") for entry in entries]
    ordered = list(questions)
    lines.append("questions:" + ("\n" if ordered else " []\n"))
    for q in ordered:
        lines.append(item(question_entry(q), 2, 4, False, "\n"))
        if q.forecasts:
            lines.append("    forecasts:\n")
            lines += [item(forecast_entry(f), 6, 8, True, "\n") for f in q.forecasts]
        if q.outcomes:
            lines.append("    outcomes:\n")
            lines += [item(outcome_entry(o), 6, 8, True, "\n") for o in q.outcomes]
    return "".join(lines)
