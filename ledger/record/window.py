r"""Window: a question of a big file edited in a small part of its text.

`insert.add_to_question` composes the document to find where an entry goes;
for a big file even the reduced document (`locate.root_of`) takes a second
per 10,000 questions, mostly to find the items and blank the others. A write
that knows the lines of the file's questions (from the ledger it has just
checked) needs none of that: the window is the text before the first
`locate.FIRST_ITEMS` question items (the header, and the items whose
indentation a new list copies), followed by the edited item and the one after
it (where the item's nodes end). The edit is made there, by the same
`locate` and `insert` functions, and its lines are put back between the
untouched parts of the text. Anything unexpected (a line break other than
`\n`, an item whose `-` is not on its first line, no first item with the list
to copy) gives None, and the caller edits the whole text as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.record import insert
from ledger.record.insert import Inserted, append_item
from ledger.record.lines import item_start, plain
from ledger.record.locate import (
    FIRST_ITEMS,
    first_items_have,
    indent_of,
    question_node,
    whole,
)
from ledger.record.write import EditError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledger.core.model import Ledger
    from ledger.record.emit import Entry

def add_to_question(
    text: str,
    path: str,
    question: str,
    edit: tuple[str, Entry],
    items: tuple[Sequence[int], int],
) -> Inserted | None:
    """`insert.add_to_question(text, path, question, *edit)` made in a window.

    `items` holds the lines of the file's question items in order and the
    index of `question`'s. None where the window does not apply.
    """
    lines, index = items
    if not plain(text):
        return None
    starts = [item_start(text, line) for line in _needed(lines, index)]
    if None in starts:
        return None
    first, start, *after = (s for s in starts if s is not None)
    stop = after[1] if len(after) > 1 else len(text)
    small = text[:first] + text[start:stop]
    name, entry = edit
    try:
        root = whole(small, path)
        node = question_node(root, question)
    except EditError:
        return None
    if not first_items_have(root, name):
        return None  # the indentation to copy may be further down the file
    new, line = append_item(small, node, name, entry, indent_of(root, name, small))
    if not new.startswith(small[:first]):
        return None
    gap = text.count("\n", first, start)
    shown = line + gap if line > small.count("\n", 0, first) else line
    return text[:start] + new[first:] + text[stop:], shown


def add_to_question_of(
    text: str, ledger: Ledger, question: str, edit: tuple[str, Entry]
) -> Inserted:
    """Append an entry to `question`'s list in `text`, its file in `ledger`.

    In a window where one applies (`add_to_question`), else as
    `insert.add_to_question` makes it.
    """
    known = next(q for q in ledger.questions if q.id == question)
    path = known.location.path
    lines = [q.location.line for q in ledger.questions if q.location.path == path]
    ids = [q.id for q in ledger.questions if q.location.path == path]
    found = add_to_question(text, path, question, edit, (lines, ids.index(question)))
    if found is not None:
        return found
    name, entry = edit
    line = known.location.line
    return insert.add_to_question(text, path, question, name, entry, line)


def _needed(lines: Sequence[int], index: int) -> list[int]:
    """The lines of the items the window needs.

    Where its gap starts, the edited item, and the next two (where it ends).
    """
    return [lines[min(FIRST_ITEMS, index)], *lines[index : index + 3]]
