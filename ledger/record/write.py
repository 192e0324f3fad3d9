"""Write: every edit of a ledger file, validated, locked and atomic.

Every write goes through `write`: under an exclusive lock (`files.lock`) on
the ledger's root file (the file named with -f: one lock for every file of a
split ledger, so two writers of different files cannot both add the same id),
it refuses a read-only or hard-linked file, reads the file, refuses if the
file already has problems, builds the new text
in memory (the edit, usually `insert.add_top` or `insert.add_to_question`,
in a `window` of a big file), checks the new text (in part, when the edit
says which record it touches: `incremental`, with exactly the whole check's
result; else loaded and validated whole), and only then replaces the file atomically
(`files.write.atomic_write`: a temporary file in the same folder, fsynced,
renamed over the original, with the original's permissions). If the file
changed on disk between reading and writing, the edit is rebuilt and tried
again. A crash at any moment leaves the old file or the new one; the
temporary file a killed writer leaves behind (`.ledger-NAME.*.tmp`) is
removed by the next write, under the lock. A symbolic link is followed: the
file it points to is replaced, and the link stays. A refused edit's errors
point at the file as it is (`refused.on_disk`), not at the new text. After
a write checked in part, the file's parse-cache entry is patched
(`incremental.Checked.store`), so the next command reads it warm.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.core.model import Error, Ledger, Location
from ledger.files.lock import LockTimeout, lock
from ledger.files.write import atomic_write, hard_linked, read_only, remove_leftovers
from ledger.loader.load import load_bytes, load_file
from ledger.loader.nodes import decode
from ledger.record import incremental
from ledger.record.refused import on_disk
from ledger.record.today import check_today
from ledger.validate import validate

if TYPE_CHECKING:
    import datetime as dt

    from ledger.record.incremental import Checked, Touched

RETRIES = 5
"""How many times an edit is rebuilt on a file that changes while it is written."""

_BOM = b"\xef\xbb\xbf"

Edit = Callable[[str, Ledger], tuple[str, int]]
"""An edit: (the file's text, its ledger) → (the new text, the new entry's line)."""


class EditError(ValueError):
    """An edit that cannot be made (an unknown id, a missing list); a usage error."""


@dataclass(frozen=True, slots=True)
class Written:
    """What a successful write did: the line where the new entry starts."""

    path: str
    line: int


def _checked(data: bytes, path: str, root: str | None) -> tuple[Ledger, list[Error]]:
    """Load and validate the whole ledger, with `data` as the bytes of file `path`.

    `root` is the ledger's main file when `path` is one of the files it
    includes; the edited file is then checked together with all the others.
    `data` is read through the parse cache, and its load kept there: the bytes
    on disk were usually loaded by the last command, and the new bytes will be
    loaded by the next one.
    """
    if root is None:
        ledger, errors = load_bytes(data, path)
    else:
        ledger, errors = load_file(root, {os.path.realpath(path): data})
    errors = errors + validate(ledger)
    return ledger, sorted(errors, key=lambda e: e.location)


def _added_after(
    old: Ledger, new: Ledger, today: dt.date | None
) -> list[Error]:
    """What the edit adds that was made or known after `today` (none without it).

    `new` holds the edited records (the whole ledger, or only the part an
    edit checked); they are compared with the same questions before the
    edit, message by message and counting repeats, so an entry dated like
    one already there is still found.
    """
    if today is None:
        return []
    ids = {question.id for question in new.questions}
    before = Counter(
        error.message
        for error in check_today((q for q in old.questions if q.id in ids), today)
    )
    added = []
    for error in check_today(new.questions, today):
        if before[error.message]:
            before[error.message] -= 1
        else:
            added.append(error)
    return added


def write(
    path: str,
    edit: Edit,
    on_wait: Callable[[str], None] = lambda _: None,
    root: str | None = None,
    today: dt.date | None = None,
    touched: Touched | None = None,
) -> tuple[Written | None, list[Error]]:
    """Apply `edit` to the file at `path`: validate first, write nothing on error.

    A lock held too long, or a file that cannot be read or written, is an
    error too, at line 1.

    Args:
        path: the file to edit.
        edit: `edit(text, ledger)` returns the new text and the line of the new
            entry; it may raise EditError.
        on_wait: called with a notice when another command holds the lock.
        root: the ledger's main file, when it includes others: the whole
            ledger (every included file, with the edited text for `path`) is
            checked before and after the edit. Without it, `path` is the whole
            ledger.
        today: the real date (the caller reads the clock): the edited ledger
            may hold nothing made or known after it.
        touched: the one record the edit adds or changes, if it says so: the
            new text is then checked in part (`incremental.check`) where it can
            be, and the file's parse-cache entry patched after the write.

    Returns:
        (what was written, []) or (None, errors).
    """
    target = os.path.realpath(path)  # a symlink stays a symlink
    held = os.path.realpath(root) if root is not None else target
    try:
        # the root's lock, for any file of the ledger; the file's own as well, for
        # a writer that takes it as a ledger of its own (-f FILE)
        with lock(held, on_wait), (
            lock(target, on_wait) if target != held else contextlib.nullcontext()
        ):
            remove_leftovers(target)
            return _write_locked(path, target, edit, (root, today), touched)
    except LockTimeout as exc:
        return None, [Error(Location(path, 1), str(exc))]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename and exc.filename != path else ""
        return None, [
            Error(Location(path, 1), f"cannot write the file: {reason}{where}")
        ]


def _write_locked(
    path: str,
    target: str,
    edit: Edit,
    whole: tuple[str | None, dt.date | None],
    touched: Touched | None,
) -> tuple[Written | None, list[Error]]:
    root, today = whole  # the ledger's main file, and the real date
    problem = read_only(target, path) or hard_linked(target)
    if problem is not None:
        return None, [Error(Location(path, 1), problem)]
    for _ in range(RETRIES):
        with open(target, "rb") as handle:
            data = handle.read()
        text, errors = decode(data, path)
        if text is None:
            return None, errors
        ledger, errors = _checked(data, path, root)
        if errors:
            return None, errors
        new_text, line = edit(text, ledger)
        bom = _BOM if data.startswith(_BOM) else b""
        new_data = bom + new_text.encode("utf-8")
        part = _in_part(data, (text, new_text), target, touched, ledger)
        if part is None:
            new_ledger, errors = _checked(new_data, path, root)
            errors += _added_after(ledger, new_ledger, today)
        else:
            errors = part.errors + _added_after(ledger, part.part, today)
        if not _unchanged(target, data):
            continue  # changed on disk since we read it: rebuild (and recheck) the edit
        if errors:
            if part is not None:
                new_ledger = part.ledger()
            return None, on_disk(errors, path, (text, new_text), (ledger, new_ledger))
        del text, new_text  # a big file's texts are not held while it is written
        atomic_write(target, new_data)
        if part is not None:
            part.store(data, new_data)
        return Written(path, line), []
    message = f"{path} kept changing while the edit was being written; try again"
    return None, [Error(Location(path, 1), message)]


def _in_part(
    data: bytes,
    texts: tuple[str, str],
    target: str,
    touched: Touched | None,
    ledger: Ledger,
) -> Checked | None:
    """The edit checked in part (`incremental.check`), or None: check the whole."""
    if touched is None:
        return None
    read = [name for name in ledger.files if os.path.realpath(name) == target]
    if len(read) != 1:
        return None
    own = ledger if len(ledger.files) == 1 else load_bytes(data, read[0])[0]
    return incremental.check(texts, read[0], touched, ledger, own)


def _unchanged(path: str, data: bytes) -> bool:
    """Whether the file at `path` still holds `data` (read a block at a time)."""
    view, at = memoryview(data), 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            if view[at : at + len(block)] != block:
                return False
            at += len(block)
    return at == len(data)
