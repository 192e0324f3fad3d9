r"""Flow: one-line flow mappings and lists, and quoted scalars, read from their text.

`scan`'s readers for what a ledger writes on one line: `{by: ann, p: 70%}`,
`[a, "b c"]` (also as a value inside such a mapping), `"quoted"` and
`'quoted'`. A plain scalar here is kept to a safe subset of what YAML allows
(no `#`, `?`, flow indicator or quote; `:` only inside a word, as in
`topic:ai`); a double-quoted one to the escapes JSON writes (`\"`, `\\`,
`\n`, `\t`, `\r`, `\b`, `\f`, `\uXXXX`). Anything else raises
`Unsupported`, and the text is composed by PyYAML instead.

Most lines a big ledger holds are one-line flow mappings of plain scalars,
perhaps with one double-quoted `quote`: those are split with string methods;
the others go through the regular expressions below.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import repeat
from typing import Union, cast

Value = Union[str, tuple[str, str], "Map", "Seq", "Pairs"]


class Unsupported(Exception):
    """Text outside the subset `scan` reads; the caller composes it with PyYAML."""


class Map:
    """A mapping: its fields in order, and the line each value starts on."""

    __slots__ = ("fields", "line", "lines")

    def __init__(
        self, line: int, fields: dict[str, Value], lines: dict[str, int] | None
    ) -> None:
        self.line = line
        self.fields = fields
        self.lines = lines  # None: every value starts on `line` (a flow mapping)

    def at(self, key: str) -> int:
        """The line the value of `key` starts on."""
        return self.line if self.lines is None else self.lines[key]


class Pairs:
    """A one-line flow mapping not split yet: its `key: value` texts, in order.

    Most lines of a big ledger are such mappings of the same few pairs
    (`by: ann`, `p: 70%`): a reader keeps what it made of each pair's text,
    and `pair` splits and checks one only the first time it is read. `mapping`
    gives the mapping the usual way, for whatever `pair` does not read.
    """

    __slots__ = ("line", "pairs", "text")

    def __init__(self, line: int, text: str, pairs: list[str]) -> None:
        self.line = line
        self.text = text  # the whole `{...}`
        self.pairs = pairs


class Seq:
    """A list: its items, and the line each one starts on."""

    __slots__ = ("items", "line", "lines")

    def __init__(self, line: int, items: list[Value], lines: list[int] | None) -> None:
        self.line = line
        self.items = items
        self.lines = lines  # None: every item starts on `line` (a flow list)

    def at(self, index: int) -> int:
        """The line item `index` starts on."""
        return self.line if self.lines is None else self.lines[index]


# What a plain scalar may not start with (an indicator; `-` is fine before a non-space).
NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
# In a flow collection split by string methods: characters sent to the regular
# expressions wherever they are, and where a value would start with an
# indicator or a space, or end with a space or a colon.
_ODD = re.compile(r"[#?\[\]{}]")
_VALUE_START = re.compile(r": [-?:,\[\]{}#&*!|>'\"%@` ]")
_ITEM_START = re.compile(r", [-?:,\[\]{}#&*!|>'\"%@` ]")
# (Spaces only: a tab is never in a scanned text, and YAML's other spaces,
# such as U+00A0, are a plain scalar's characters.)
_PLAIN = (
    r"(?:[^ \"'\[\]{},#&*!|>%@`?:\-]|-(?=[0-9.]))"
    r"(?:[^ \[\]{},#?:]|:(?=[^ \[\]{},?])| +(?=[^ \[\]{},#?:]))*"
)
_QUOTED = r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'"""
_ITEM = rf"(?:{_QUOTED}|{_PLAIN})"
_LIST = rf"\[ *(?:{_ITEM}(?: *, *{_ITEM})*)? *\]"
_INNER = rf"\{{ *{_PLAIN}: +{_PLAIN}(?: *, *{_PLAIN}: +{_PLAIN})* *\}}"  # `quantiles`
_PAIR = rf" *[a-z][a-z_]*: +(?:{_ITEM}|{_LIST}|{_INNER}) *"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """(a flow mapping, a flow list, its pairs, a list's items, one `Pairs` text).

    Compiled on first use: a file of the usual shapes never needs them, and
    compiling them costs `ledger check` of a small file milliseconds.
    """
    return (
        re.compile(rf"\{{(?:{_PAIR}(?:,{_PAIR})*| *)\}}"),
        re.compile(_LIST),
        re.compile(
            rf" *([a-z][a-z_]*): +(?:({_QUOTED})|({_LIST})|({_INNER})|({_PLAIN}))"
        ),
        re.compile(rf"({_QUOTED})|({_PLAIN})"),
        re.compile(rf'([a-z][a-z_]*): (?:"([^"\\]*)"|({_PLAIN}))'),
    )

_DOUBLE = re.compile(r'"(?:[^"\\]|\\.)*"')
_SINGLE = re.compile(r"'(?:[^']|'')*'")
_END = re.compile(r" *(?: #.*)?")  # what may follow a value on its line
_ESCAPE = re.compile(r"\\(?:([\\\"ntrbf])|u([0-9A-Fa-f]{4}))|\\")
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def plain_first(text: str) -> bool:
    """Whether `text` may start a plain scalar (or key) as the subset reads one."""
    first = text[0]
    return first not in NOT_FIRST or (first == "-" and text[1:2] not in ("", " "))


def mapping(text: str, line: int) -> Map | Pairs:
    """The one-line flow mapping `{...}` that `text` starts with, alone on its line.

    A mapping of `key: value` pairs without a list comes as `Pairs`.
    """
    if text[-1] == "}" and len(text) > 2:
        inner = text[1:-1]
        if "[" not in inner and "{" not in inner:
            pairs = inner.split(", ")
            if inner.count(",") == len(pairs) - 1:
                return Pairs(line, text, pairs)
        fields = _holes(inner, line)
        if fields is not None:
            return Map(line, fields, None)
    return regular(text, line)


def pair(text: str) -> tuple[str, Value] | None:
    """(key, value) of one `key: value` of `Pairs`, or None if it is not that.

    The value is a plain scalar or a double-quoted one without escapes.
    """
    match = _patterns()[4].fullmatch(text)
    if match is None:
        return None
    key, quoted_text, plain = match.groups()
    return key, ('"', quoted_text) if quoted_text is not None else plain


def unpaired(item: Pairs) -> Map:
    """The mapping of `Pairs` that `pair` does not read (a quote holding `, `)."""
    fields = _holes(item.text[1:-1], item.line)
    if fields is None:
        return regular(item.text, item.line)
    return Map(item.line, fields, None)


def regular(text: str, line: int) -> Map:
    """`mapping` by regular expressions alone: any one-line flow mapping it reads."""
    pattern, _, pairs_pattern, *_ = _patterns()
    match = pattern.match(text)
    if match is None or not _END.fullmatch(text, match.end()):
        raise Unsupported
    fields: dict[str, Value] = {}
    pairs = pairs_pattern.findall(text, 1, match.end() - 1)
    for key, quoted_text, listed_text, inner, plain in pairs:
        if key in fields:
            raise Unsupported  # a duplicate key: the loader reports it
        if inner:
            nested = _split(inner[1:-1].strip(" "))
            if nested is None:
                raise Unsupported
            fields[key] = Map(line, nested, None)
        elif listed_text:
            fields[key] = listed(listed_text, line)
        else:
            fields[key] = _scalar(quoted_text, plain)
    return Map(line, fields, None)


def _split(inner: str) -> dict[str, Value] | None:
    """`k: v, k: v` of plain scalars split by string methods; None if it is not that."""
    if (
        _ODD.search(inner) or _VALUE_START.search(inner) or " ," in inner
        or ":," in inner or inner[-1] in " :"
    ):
        return None
    pairs = inner.split(", ")
    try:
        fields = cast("dict[str, Value]", dict(map(str.split, pairs, repeat(": "))))
    except ValueError:  # a pair without ": ", or with two
        return None
    if len(fields) != len(pairs) or inner.count(",") != len(pairs) - 1:
        return None  # a duplicate key, or a comma without a space after it
    return fields


def _holes(inner: str, line: int) -> dict[str, Value] | None:
    """`_split` of a mapping with quoted values, one-line lists or mappings in it.

    The values cut out are double-quoted scalars without escapes, and one-line
    lists or mappings (a forecast's `quantiles`) of plain scalars.

    Each such value is cut out, a hole left in its place (a control
    character, never in a scanned text), the rest split, and the value put
    back where its hole is.
    """
    cut: list[str] = []
    holes: list[tuple[str, str, Value]] = []
    start = 0
    while len(holes) < 8:  # more than a ledger's mapping holds: the regular expressions
        found_at = [i for c in '"[{' if (i := inner.find(c, start)) >= 0]
        at = min(found_at, default=-1)
        if at < 0:
            cut.append(inner[start:])
            return _filled(_split("".join(cut)), holes)
        found = _hole(inner, at, line)
        if found is None:
            return None
        end, value = found
        begin = inner.rfind(", ", 0, at)
        hole = chr(len(holes))
        holes.append((inner[begin + 2 if begin >= 0 else 0 : at - 2], hole, value))
        cut += (inner[start:at], hole)
        start = end + 1
    return None


def _filled(
    fields: dict[str, Value] | None, holes: list[tuple[str, str, Value]]
) -> dict[str, Value] | None:
    """`fields` with each (key, hole, value) of `holes` put back, if each is a value."""
    if fields is None:
        return None
    for key, hole, value in holes:
        if fields.get(key) != hole:
            return None  # the hole was inside a value, not a whole value
        fields[key] = value
    return fields


def _hole(inner: str, at: int, line: int) -> tuple[int, Value] | None:
    """(where it ends, the value) of the quoted scalar or list at `at` in `inner`.

    None unless it is a whole value, `"..."` without escapes, or `[...]` or
    `{...}` of plain scalars.
    """
    close = {'"': '"', "[": "]", "{": "}"}[inner[at]]
    end = inner.find(close, at + 1)
    if end < 0 or inner[at - 2 : at] != ": " or not (
        end + 1 == len(inner) or inner.startswith(", ", end + 1)
    ):
        return None
    text = inner[at + 1 : end]
    if close == '"':
        return None if "\\" in text else (end, ('"', text))
    if '"' in text or "'" in text or "[" in text or "{" in text:
        return None
    if close == "}":
        fields = _split(text) if text.strip(" ") else None
        return None if fields is None else (end, Map(line, fields, None))
    return end, listed(inner[at : end + 1], line)


def listed(text: str, line: int) -> Seq:
    """The one-line flow list `[...]` that `text` starts with, alone on its line."""
    if text[-1] == "]":
        inner = text[1:-1]
        if not inner.strip(" "):
            return Seq(line, [], None)
        if not (
            _ODD.search(inner) or _ITEM_START.search(inner) or not plain_first(inner)
            or inner[0] == " " or inner[-1] in " :" or ": " in inner or " ," in inner
            or ":," in inner
        ):
            items = cast("list[Value]", inner.split(", "))
            if inner.count(",") == len(items) - 1:
                return Seq(line, items, None)
    _, pattern, _, items_pattern, _ = _patterns()
    match = pattern.match(text)
    if match is None or not _END.fullmatch(text, match.end()):
        raise Unsupported
    found = items_pattern.findall(text, 1, match.end() - 1)
    return Seq(line, [_scalar(*groups) for groups in found], None)


def quoted(text: str) -> tuple[str, str]:
    """The quoted scalar that `text` starts with, alone on its line."""
    match = (_DOUBLE if text[0] == '"' else _SINGLE).match(text)
    if match is None or not _END.fullmatch(text, match.end()):
        raise Unsupported  # not closed on this line, or followed by something
    return _unquote(match.group())


def _scalar(quoted_text: str, plain: str) -> str | tuple[str, str]:
    """A scalar in a flow collection, from the groups of a pair's or an item's match."""
    return _unquote(quoted_text) if quoted_text else plain


def _unquote(text: str) -> tuple[str, str]:
    """(style, text) of a quoted scalar written as `text`, quotes included."""
    inner = text[1:-1]
    if text[0] == "'":
        return "'", inner.replace("''", "'")
    if "\\" in inner:
        inner = _ESCAPE.sub(_escape, inner)
    return '"', inner


def _escape(match: re.Match[str]) -> str:
    """The character a double-quoted scalar's escape stands for."""
    simple, code = match.group(1), match.group(2)
    if simple is not None:
        return _ESCAPES[simple]
    if code is None or 0xD800 <= int(code, 16) <= 0xDFFF:
        raise Unsupported  # an escape JSON does not write, or a surrogate
    return chr(int(code, 16))
