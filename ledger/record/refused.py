"""Refused edits: the errors found in an edit's new text, pointed back at the file.

An edit is checked on its new text before anything is written, so what it
finds carries the lines of a text no one sees: an error in a new outcome
would name the line the outcome would have had, which in the file on disk is
often the next question's. `on_disk` moves each error in the edited file back
to the file as it is: a line the edit did not touch keeps its place there,
and an error in a new entry points at the question the entry was added to
(for a new question, forecaster or source, at the line it would follow).

The lines that changed are found by trimming the common start and end of the
two texts and matching what is left (`difflib`); past `MATCH_LINES` lines
(edits spread over a huge file) every changed line counts as new.
"""

from __future__ import annotations

import difflib
import os
import re
from typing import TYPE_CHECKING

from ledger.core.model import Error, Forecaster, Location, Question, Source

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledger.core.model import Ledger

MATCH_LINES = 20_000
"""Changed lines (old and new together) beyond which they are not matched one by one."""

# the line breaks YAML counts (PyYAML's, in YAML 1.1)
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# a line of the same file that a message names ("(line 24)", "first used at line 3")
_LINE = re.compile(r"(?<![\w/.:-])line (\d+)\b")

Opcode = tuple[str, int, int, int, int]


class _Map:
    """Where each line of the new text was in the old one."""

    def __init__(self, old: str, new: str) -> None:
        before, after = _BREAK.split(old), _BREAK.split(new)
        start = 0
        while start < min(len(before), len(after)) and before[start] == after[start]:
            start += 1
        end = 0
        limit = min(len(before), len(after)) - start
        while end < limit and before[-1 - end] == after[-1 - end]:
            end += 1
        middle_old = before[start : len(before) - end]
        middle_new = after[start : len(after) - end]
        self.start, self.new_end = start, len(after) - end
        self.shift = len(after) - len(before)
        self.codes: Sequence[Opcode]
        if len(middle_old) + len(middle_new) > MATCH_LINES:
            self.codes = [("replace", 0, len(middle_old), 0, len(middle_new))]
        else:
            matcher = difflib.SequenceMatcher(None, middle_old, middle_new, False)
            self.codes = matcher.get_opcodes()

    def old_line(self, line: int) -> tuple[int, bool]:
        """(the old line of new `line`, whether it is new).

        A new line gives the old line it follows (at least 1).
        """
        if line <= self.start:
            return line, False
        if line > self.new_end:
            return line - self.shift, False
        at = line - 1 - self.start
        for tag, i1, _, j1, j2 in self.codes:
            if j1 <= at < j2:
                if tag == "equal":
                    return self.start + i1 + (at - j1) + 1, False
                return max(1, self.start + i1), True
        return max(1, line - self.shift), True


def on_disk(
    errors: list[Error],
    edited: str,
    texts: tuple[str, str],
    ledgers: tuple[Ledger, Ledger],
) -> list[Error]:
    """`errors` of the new text, with those of the file `edited` moved to the old.

    Args:
        errors: what checking the new text found.
        edited: the path of the edited file, as the errors name it.
        texts: (the file's text on disk, its new text).
        ledgers: (the ledger as it is, the ledger with the new text).
    """
    real = os.path.realpath(edited)
    lines = _Map(*texts)
    old_questions = {q.id: q.location.line for q in ledgers[0].questions}
    new = ledgers[1]
    records: list[tuple[Forecaster | Source | Question, bool]] = []
    records += [(f, False) for f in new.forecasters]
    records += [(s, False) for s in new.sources]
    records += [(q, True) for q in new.questions]
    named = {record.location.path for record, _ in records}
    paths = {path: os.path.realpath(path) for path in named}
    starts = sorted(
        (record.location.line, record.id, is_question)
        for record, is_question in records
        if paths[record.location.path] == real
    )
    moved = []
    for error in errors:
        where = error.location
        if os.path.realpath(where.path) != real:
            moved.append(error)
            continue

        def back(line: int) -> int:
            old, added = lines.old_line(line)
            return (_owner(line, starts, old_questions, lines) or old) if added else old

        message = _LINE.sub(lambda m: f"line {back(int(m[1]))}", error.message)
        moved.append(Error(Location(where.path, back(where.line)), message))
    return sorted(moved, key=lambda e: e.location)


def _owner(
    line: int,
    starts: Sequence[tuple[int, str, bool]],
    old_questions: dict[str, int],
    lines: _Map,
) -> int | None:
    """The old line of the question a new line belongs to, if it was there before."""
    owner = None
    for start, record_id, is_question in starts:
        if start > line:
            break
        owner = (start, record_id, is_question)
    if owner is None:
        return None
    start, record_id, is_question = owner
    if not is_question or lines.old_line(start)[1]:
        return None  # a new record: the line it follows
    return old_questions.get(record_id)
