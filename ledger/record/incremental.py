r"""Incremental: an edit checked against the rest of the ledger, not the whole of it.

An edit adds or changes one record: a forecast or outcome changes its
question, `add` adds a question (with its first forecast), `forecaster add`
and `source add` add one of those. The ledger before the edit has just been
checked and found clean, so every problem the edit can make involves that
record. `check` reads only the record's lines of the new text (the item,
given its own lines in an otherwise blank document, so every line is its
own), and checks it against the rest of the ledger with
`validate.validate_part`: its references against the ids declared, its
relations against the other questions, its own forecasts and outcomes as
`validate` checks every question. The result is what `check` of the whole
new text would say (tests/record/test_incremental.py compares them on random
edits, refused ones included).

The edited file's records after the edit moved down by the lines it added;
they are not rebuilt. The file's parse-cache entry gets one piece more
(`loader.cache.patch`: the new question, and from which line how far the
rest moved), so the next command reads the new file warm.

Anything unusual (a line break other than `\n`, an item whose `-` is not on
its own first line, an edit that is not a plain insertion of lines for a new
record, an item that does not read back as the record it was) gives None,
and the caller loads and checks the whole new text.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.core.memory import gc_paused
from ledger.core.model import Error, Ledger, Location, Question
from ledger.loader import cache, load, pickled
from ledger.record.lines import item_start, plain, same
from ledger.record.part import validate_part

if TYPE_CHECKING:
    from collections.abc import Sequence

LISTS = ("questions", "forecasters", "sources")
"""The top-level lists whose records an edit can add or change."""


@dataclass(frozen=True, slots=True)
class Touched:
    """What an edit adds or changes: a record of list `name` (one of LISTS), by id."""

    name: str
    id: str


@dataclass(frozen=True, slots=True)
class Span:
    """Where the record is: its item's text, old and new, and the lines moved.

    `old` and `new` are (start, end) in each text, `line` the old text's line
    where the item starts; lines from `moved[0]` (of the old text) on moved
    `moved[1]` lines down.
    """

    old: tuple[int, int]
    new: tuple[int, int]
    line: int
    moved: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Checked:
    """The new text's errors (as a whole check gives them) and what the edit did."""

    errors: list[Error]
    path: str
    own: Ledger
    part: Ledger
    span: Span
    replaced: tuple[int, int]

    def store(self, old: bytes, new: bytes) -> bool:
        """Store the new file's parse-cache entry from the old one's; False if not."""
        head = _head(self.own, self.part, self.span)
        if head is None:
            return False
        edit = (self.replaced, self.part.questions, self.span.moved, head)
        return cache.patch(old, new, self.path, edit)

    def ledger(self) -> Ledger:
        """The edited file's records at their new lines, for `refused.on_disk`.

        Only the records' own locations are moved (not their forecasts'):
        `on_disk` reads no more.
        """
        own, part, (at, added) = self.own, self.part, self.span.moved
        questions = list(_moved(own.questions, at, added))
        questions[self.replaced[0] : self.replaced[1]] = part.questions
        return dataclasses.replace(
            own,
            questions=tuple(questions),
            forecasters=(*_moved(own.forecasters, at, added), *part.forecasters),
            sources=(*_moved(own.sources, at, added), *part.sources),
        )


def check(
    texts: tuple[str, str], path: str, touched: Touched, whole: Ledger, own: Ledger
) -> Checked | None:
    """The edit of the file `path` from `texts[0]` to `texts[1]`, checked in part.

    `whole` is the ledger before the edit (without errors), `own` the file's
    own records in it (`path` as the ledger read it). None: check the whole.
    """
    old, new = texts
    if touched.name not in LISTS or not (plain(old) and plain(new)):
        return None
    records = getattr(own, touched.name)
    found = [i for i, record in enumerate(records) if record.id == touched.id]
    if found and touched.name == "questions" and len(found) == 1:
        span = _changed(old, new, own.questions, found[0])
        replaced = (found[0], found[0] + 1)
    elif not found and touched.id not in {r.id for r in getattr(whole, touched.name)}:
        span = _added(old, new)
        replaced = (len(own.questions),) * 2
    else:
        return None
    if span is None:
        return None
    read = _read(new, path, touched.name, span.new)
    if read is None or not _is(read[0], touched):
        return None
    part, errors = read
    skipped = tuple(_moved(whole.skipped, *span.moved, path))
    part = dataclasses.replace(part, path=whole.path, skipped=skipped)
    more = validate_part(whole, part)
    if more is None:
        return None
    errors = sorted(errors + more, key=lambda e: e.location)
    return Checked(errors, path, own, part, span, replaced)


def _changed(
    old: str, new: str, questions: Sequence[Question], index: int
) -> Span | None:
    """Where question `index` is, if the edit changed nothing else."""
    start = item_start(old, questions[index].location.line)
    if start is None:
        return None
    if index + 1 < len(questions):
        end = item_start(old, questions[index + 1].location.line)
    else:
        end = _list_end(old, start)
    if end is None:
        return None
    grown = len(new) - len(old)
    after = (end, end + grown)
    if end + grown < start or not (
        same(old, new, (0, 0), start) and same(old, new, after, len(old) - end)
    ):
        return None
    read = _read(old, questions[index].location.path, "questions", (start, end))
    if read is None or read[1] or read[0].questions != (questions[index],):
        return None  # the item is not where the records say: read the whole text
    added = new.count("\n", start, end + grown) - old.count("\n", start, end)
    line = old.count("\n", 0, start) + 1
    at = line + old.count("\n", start, end)
    return Span((start, end), (start, end + grown), line, (at, added))


def _list_end(text: str, start: int) -> int:
    """Where the list item at `start` ends: the next line no deeper than its `-`."""
    line_end = text.find("\n", start)
    if line_end < 0:
        return len(text)
    dash = len(text[start:line_end]) - len(text[start:line_end].lstrip(" "))
    shallow = re.compile(f"^ {{0,{dash}}}[^ \\n#]", re.MULTILINE)
    found = shallow.search(text, line_end + 1)
    return len(text) if found is None else found.start()


def _added(old: str, new: str) -> Span | None:
    """Where the lines a new record's edit inserted are, if it only inserted lines."""
    grown = len(new) - len(old)
    common = 0
    limit = min(len(old), len(new))
    step = 1 << 16
    while common < limit and same(old, new, (common,) * 2, min(step, limit - common)):
        common += step
    while common < limit and old[common] == new[common]:
        common += 1
    start = old.rfind("\n", 0, common) + 1
    block = new[start : start + grown]
    if grown <= 0 or not block.endswith("\n"):
        return None
    if not same(old, new, (start, start + grown), len(old) - start):
        return None
    if any(line[:1] not in ("", " ", "-", "#") for line in block.split("\n")):
        return None  # a new top-level key: the list was missing
    at = old.count("\n", 0, start) + 1
    return Span((start, start), (start, start + grown), at, (at, block.count("\n")))


def _read(
    text: str, path: str, name: str, span: tuple[int, int]
) -> tuple[Ledger, list[Error]] | None:
    """The records of the item at `span` of `text`, alone in a document of `name`.

    The document is `name:` and the item, and its records are then moved to
    the item's lines in `text`. An item with errors is read again with every
    line before it blank but the one above it, `name:`, so that its errors
    too have the lines (also those they name) that they have in `text`.
    """
    start, end = span
    line = text.count("\n", 0, start)
    if line < 1:
        return None
    item = text[start:end]
    with gc_paused():
        ledger, errors = load.load_text(f"{name}:\n" + item, path)
        if not errors:
            return pickled.moved(ledger, [(1, line - 1)]), errors
        return load.load_text("\n" * (line - 1) + f"{name}:\n" + item, path)


def _is(part: Ledger, touched: Touched) -> bool:
    """Whether `part` holds the touched record (or could not build it), and no other."""
    records = getattr(part, touched.name)
    others = sum(len(getattr(part, name)) for name in (*LISTS, "skipped"))
    if others != len(records) or len(records) > 1:
        return False
    return not records or records[0].id == touched.id


def _moved(records: Sequence[Any], at: int, added: int, path: str | None = None) -> Any:
    """`records`, those from line `at` on (in `path`, if given) `added` lines down.

    Only a record's own location moves; a record may also be a tuple ending
    with its location (a reference, an include).
    """
    for record in records:
        where: Location = record[-1] if type(record) is tuple else record.location
        if where.line < at or not added or (path is not None and where.path != path):
            yield record
            continue
        moved = Location(where.path, where.line + added)
        if type(record) is tuple:
            yield (*record[:-1], moved)
        else:
            yield dataclasses.replace(record, location=moved)


def _head(own: Ledger, part: Ledger, span: Span) -> Ledger | None:
    """The edited file's records but its questions, at their new lines.

    None where the references of the edited item cannot be put in their place.
    """
    at, added = span.moved
    inside = [
        i for i, (_, _, where) in enumerate(own.references)
        if span.line <= where.line < at
    ]
    references = list(_moved(own.references, at, added))
    if inside:
        if inside != list(range(inside[0], inside[-1] + 1)):
            return None
        references[inside[0] : inside[-1] + 1] = part.references
    elif part.references:
        return None
    return dataclasses.replace(
        own,
        questions=(),
        forecasters=(*_moved(own.forecasters, at, added), *part.forecasters),
        sources=(*_moved(own.sources, at, added), *part.sources),
        skipped=tuple(_moved(own.skipped, at, added)),
        references=tuple(references),
        includes=tuple(_moved(own.includes, at, added)),
        broken=frozenset(),
    )
