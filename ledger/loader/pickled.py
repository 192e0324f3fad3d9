"""Pickled: a parse-cache entry's bytes, which an edit extends instead of rewriting.

An entry holds one file's (ledger, errors): the pickle of its questions, then
one small pickle per edit made since (`patched`: the questions it replaced,
by index, and the lines it added, from which line on), then a trailer with
the rest of the ledger (forecasters, sources, skipped, references,
includes), the errors and that history. Reading it back unpickles the
questions once, moving every `Location` through the edits made after its
piece was written (one step function of the line, `_moved`), and replaces
the edited questions with their new pieces. So a forecast added to a
100,000-question file pickles one question and copies the rest of the entry
as bytes; `cache` writes the entry afresh once it has `cache.COMPACT` edits.

Records are rebuilt by their constructors, not by the generic dataclass
state, and only ledger's own record classes can be named (`_allowed`): even
a correctly signed entry cannot make the unpickler build anything else.
"""

from __future__ import annotations

import bisect
import dataclasses
import io
import operator
import struct
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ledger.core import dates, model
from ledger.core.dates import When
from ledger.core.memory import gc_paused
from ledger.core.model import Error, Ledger, Location, Question

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import BinaryIO

_MAGIC = b"ledger-chunks-1"
_LENGTH = struct.Struct("<Q")
_FAR = 1 << 62

# -- pickling the records fast -------------------------------------------------
#
# A frozen dataclass pickles through its generated __getstate__/__setstate__,
# which look up the fields again for every object; rebuilding each record by
# its constructor instead reads a 165,000-forecast ledger about twice as fast.

_KEYWORD: tuple[type, ...] = (
    model.Forecast, model.Forecaster, model.Source, model.Question, model.Outcome,
)
_POSITIONAL: tuple[type, ...] = (
    model.Result, model.Window, model.Order, When, Error, Ledger,
)
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(field.name for field in dataclasses.fields(cls))
    for cls in _KEYWORD + _POSITIONAL
}
_VALUES = {cls: operator.attrgetter(*names) for cls, names in _FIELDS.items()}


def _maker(cls: type) -> Any:
    """A module-level function taking the fields of keyword-only `cls` in order.

    Pickle names it in each entry: no dict per record, as cls(**dict(...))
    would make.
    """
    names = _FIELDS[cls]
    name = f"_new_{cls.__name__}"
    source = (f"def {name}({', '.join(names)}):\n"
              f"    return cls({', '.join(f'{n}={n}' for n in names)})\n")
    scope: dict[str, Any] = {"cls": cls}
    exec(source, scope)
    function = scope[name]
    function.__module__, function.__qualname__ = __name__, name
    globals()[name] = function
    return function


_MAKERS: dict[type, Any] = {cls: _maker(cls) for cls in _KEYWORD}
_MAKERS.update({cls: cls for cls in _POSITIONAL})


@cache
def _pickler() -> type:
    """The pickler class, made on first use.

    `pickle` is not imported by commands that read only small files, such as
    `ledger check` of a hand-kept ledger.
    """
    import pickle

    class _Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            kind = type(obj)
            if kind is Location:
                return Location, (obj.path, obj.line)
            make = _MAKERS.get(kind)
            if make is None:
                return NotImplemented
            values = _VALUES[kind](obj)
            return make, values if type(values) is tuple else (values,)

    return _Pickler


def _pickled(value: object, out: BinaryIO) -> None:
    import pickle

    _pickler()(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)


@cache
def _allowed() -> frozenset[tuple[str, str]]:
    """The only globals an entry may name: ledger's records, dates and makers."""
    names = {
        (module.__name__, name)
        for module in (model, dates)
        for name, value in vars(module).items()
        if isinstance(value, type) and value.__module__ == module.__name__
    }
    names |= {(__name__, f"_new_{cls.__name__}") for cls in _KEYWORD}
    return frozenset(names | {("datetime", "date")})


def _moved(edits: Sequence[tuple[int, int]]) -> Callable[[str, int], Location]:
    """A `Location` maker that moves a line through `edits`, one after the other.

    Each edit (X, k) moves every line from X on (in the text before it) k
    lines down; composed into one step function of the original line.
    """
    starts: list[int] = []  # where each step after the first starts
    shifts = [0]  # the shift of each step
    for at, added in edits:
        lows, highs = [-_FAR, *starts], [*starts, _FAR]
        # the first original line that ends up at `at` or below (lines only move down)
        first = min(
            max(low, at - shift)
            for low, high, shift in zip(lows, highs, shifts, strict=True)
            if max(low, at - shift) < high
        )
        step = bisect.bisect_right(starts, first)
        if step == 0 or starts[step - 1] != first:
            starts.insert(step, first)
            shifts.insert(step + 1, shifts[step])
            step += 1
        for later in range(step, len(shifts)):
            shifts[later] += added
    if len(shifts) == 1 and not shifts[0]:
        return Location
    find = bisect.bisect_right
    return lambda path, line: Location(path, line + shifts[find(starts, line)])


@cache
def _unpickler() -> type:
    """The unpickler class, made on first use: it finds only `_allowed` globals."""
    import pickle

    class _Records(pickle.Unpickler):
        location: Callable[[str, int], Location] = Location

        def find_class(self, module: str, name: str) -> Any:
            if (module, name) not in _allowed():
                raise pickle.UnpicklingError(f"{module}.{name} is not a record")
            if (module, name) == (Location.__module__, "Location"):
                return self.location
            return super().find_class(module, name)

    return _Records


def _unpickled(data: memoryview, edits: Sequence[tuple[int, int]] = ()) -> Any:
    """The value pickled in `data`, its lines moved through `edits`."""
    reader = _unpickler()(io.BytesIO(data))
    reader.location = _moved(edits)
    return reader.load()


def moved(value: Any, edits: Sequence[tuple[int, int]]) -> Any:
    """A copy of `value` (records) with every `Location` moved through `edits`."""
    out = io.BytesIO()
    _pickled(value, out)
    return _unpickled(out.getbuffer(), edits)


# -- entries -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One file's (ledger, errors) as read from an entry, and the entry's parts.

    `pieces` are the pickles of questions: the file's, then one per edit
    since; `ops` the (start, stop) of the questions each edit replaced with
    its piece; `edits` the (line, lines added) of each edit.
    """

    ledger: Ledger
    errors: list[Error]
    pieces: tuple[memoryview, ...]
    ops: tuple[tuple[int, int], ...]
    edits: tuple[tuple[int, int], ...]


Trailer = tuple[Ledger, list[Error], list[int], list[tuple[int, int]],
                list[tuple[int, int]]]


def _write(
    head: Ledger, errors: list[Error], pieces: Sequence[bytes | memoryview],
    history: tuple[list[tuple[int, int]], list[tuple[int, int]]], out: BinaryIO,
) -> None:
    """Write the pieces, then the trailer that describes them."""
    for piece in pieces:
        out.write(piece)
    trailer = io.BytesIO()
    sizes = [len(piece) for piece in pieces]
    value: Trailer = (dataclasses.replace(head, questions=()), errors, sizes, *history)
    _pickled(value, trailer)
    out.write(trailer.getbuffer())
    out.write(_LENGTH.pack(len(trailer.getbuffer())) + _MAGIC)


def _piece(questions: Sequence[Question]) -> memoryview:
    out = io.BytesIO()
    _pickled(tuple(questions), out)
    return out.getbuffer()


def dump(ledger: Ledger, errors: list[Error], out: BinaryIO) -> Entry:
    """Write the entry of (ledger, errors) into `out`; the entry as `loads` reads it."""
    with gc_paused():
        piece = _piece(ledger.questions)
        _write(ledger, errors, [piece], ([], []), out)
    return Entry(ledger, errors, (piece,), (), ())


def loads(blob: memoryview) -> Entry:
    """The entry in `blob`; raises if it is not one."""
    if bytes(blob[-len(_MAGIC) :]) != _MAGIC:
        raise TypeError("not a cache entry")
    end = len(blob) - len(_MAGIC) - _LENGTH.size
    (size,) = _LENGTH.unpack(blob[end : end + _LENGTH.size])
    with gc_paused():
        head, errors, sizes, ops, edits = _unpickled(blob[end - size : end])
        if not isinstance(head, Ledger) or not isinstance(errors, list):
            raise TypeError("not a cache entry")
        if len(sizes) != len(ops) + 1 or len(ops) != len(edits):
            raise TypeError("not a cache entry")
        pieces, at = [], 0
        for length in sizes:
            pieces.append(blob[at : at + length])
            at += length
        if at != end - size:
            raise TypeError("not a cache entry")
        questions = list(_unpickled(pieces[0], edits))
        for version, (start, stop) in enumerate(ops, 1):
            questions[start:stop] = _unpickled(pieces[version], edits[version:])
    ledger = dataclasses.replace(head, questions=tuple(questions))
    return Entry(ledger, errors, tuple(pieces), tuple(ops), tuple(edits))


def patched(
    entry: Entry,
    replaced: tuple[int, int],
    questions: Sequence[Question],
    moved: tuple[int, int],
    head: Ledger,
    out: BinaryIO,
) -> None:
    """Write the entry of an edited file: `entry` with one edit more.

    The new file's questions are the old ones with the range `replaced` (of
    indices) replaced by `questions`; every line from `moved[0]` on (in the
    old text) moved `moved[1]` lines down; `head` holds its other records,
    and it has no errors. Every earlier piece keeps its bytes.
    """
    with gc_paused():
        pieces = [*entry.pieces, _piece(questions)]
        history = [*entry.ops, replaced], [*entry.edits, moved]
        _write(head, [], pieces, history, out)
