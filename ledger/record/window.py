r"""Window: a big file edited in a small part of its text.

`insert.add_to_question` composes the document to find where an entry goes;
for a big file even the reduced document (`locate.root_of`) takes a second
per 10,000 questions, mostly to find the items and blank the others. A write
that knows the lines of the file's questions (from the ledger it has just
checked) needs none of that: the window is the text before the first
`locate.FIRST_ITEMS` question items (the header, and the items whose
indentation a new list copies), followed by the edited item and the one after
it (where the item's nodes end); for a new question the last item and all
that follows it, for a new forecaster or source the text before the first
item. The edit is made there, by the same `locate` and `insert` functions,
and its lines are put back between the untouched parts of the text.
Anything unexpected (a line break other than `\n`, an item whose `-` is not
on its first line, no first item with the list to copy, a change outside the
window's head and tail) gives None, and the caller edits the whole text.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ledger.record import insert
from ledger.record.lines import item_start, plain
from ledger.record.locate import FIRST_ITEMS, first_items_have, whole
from ledger.record.write import EditError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ledger.core.model import Ledger
    from ledger.record.emit import Entry
    from ledger.record.insert import Inserted


def in_window(
    text: str,
    path: str,
    items: tuple[Sequence[int], int],
    change: Callable[[str], Inserted],
    needs: tuple[str, ...] = (),
) -> Inserted | None:
    """`change(text)`, made on the window of question item `index` of `text`.

    `items` holds the lines of the file's question items in order and the
    index of the one the window is around. The change must fall in the
    window's head (before the first question items' gap: a forecaster or a
    source) or in its tail (the item and what follows it, up to the second
    item after it); `needs` names the per-question lists whose indentation
    the change may copy, which must then be found in the first items. None
    where the window does not apply.
    """
    lines, index = items
    starts = [item_start(text, line) for line in _needed(lines, index)]
    if None in starts or not plain(text):
        return None
    first, start, *after = (s for s in starts if s is not None)
    stop = after[1] if len(after) > 1 else len(text)
    head, tail = text[:first], text[start:stop]
    small = head + tail
    try:
        if first < start and needs:
            root = whole(small, path)
            if not all(first_items_have(root, name) for name in needs):
                return None  # the indentation to copy may be further down the file
        new, line = change(small)
    except EditError:
        return None
    kept = text[after[0] : stop] if stop < len(text) else ""
    if new.startswith(head) and new.endswith(kept):
        gap = text.count("\n", first, start)
        shown = line + gap if line > head.count("\n") else line
        return text[:start] + new[first:] + text[stop:], shown
    if tail and new.endswith(tail) and line <= head.count("\n"):
        return new[: len(new) - len(tail)] + text[first:], line
    return None


def window_of(ledger: Ledger, path: str, question: str | int) -> tuple[list[int], int]:
    """The lines of the question items of file `path`, and the index of `question`.

    `question` is an id, or an index (0: the first, -1: the last); ([], 0)
    when the file has no question.
    """
    real = os.path.realpath(path)
    named = {q.location.path for q in ledger.questions}
    mine = {name for name in named if os.path.realpath(name) == real}
    own = [q for q in ledger.questions if q.location.path in mine]
    ids = [q.id for q in own]
    if not own:
        return [], 0
    index = question % len(own) if isinstance(question, int) else ids.index(question)
    return [q.location.line for q in own], index


def edit_of(
    text: str,
    ledger: Ledger,
    where: tuple[str, str | int],
    change: Callable[[str], Inserted],
    needs: tuple[str, ...] = (),
) -> Inserted:
    """`change(text)`, in a window where one applies (`in_window`), else on the text.

    `where` is (the file `text` is, the question the change is at, as
    `window_of` takes it: -1 for a new question, after the last; 0 for a
    forecaster or a source).
    """
    path, question = where
    lines, index = window_of(ledger, path, question)
    found = in_window(text, path, (lines, index), change, needs) if lines else None
    return change(text) if found is None else found


def add_to_question_of(
    text: str, ledger: Ledger, question: str, edit: tuple[str, Entry]
) -> Inserted:
    """Append an entry to `question`'s list in `text`, its file in `ledger`."""
    known = next(q for q in ledger.questions if q.id == question)
    path, line = known.location.path, known.location.line
    name, entry = edit

    def change(small: str) -> Inserted:
        if small is text:
            return insert.add_to_question(text, path, question, name, entry, line)
        return insert.add_to_question(small, path, question, name, entry)

    return edit_of(text, ledger, (path, question), change, (name,))


def _needed(lines: Sequence[int], index: int) -> list[int]:
    """The lines of the items the window needs.

    Where its gap starts, the edited item, and the next two (where it ends).
    """
    return [lines[min(FIRST_ITEMS, index)], *lines[index : index + 3]]
