"""Outputs: every file a command writes besides the ledger it edits, by one rule set.

`report --out`, `due --ics`, `import -o` and `sync --save-responses` (and any
later `-o`) ask `target` where to write each file (or call `write_output`),
and `folder` for a folder they write into. The rules, in order:

- the path is not empty or blank (`--out "$UNSET"` never means "here");
- it is a regular file or nothing yet: a folder, a device, a FIFO or a socket
  is refused (`/dev/null` stays a device);
- a symbolic link is refused unless `force` (--force), and then written
  through: the file it names is replaced and the link stays, as ledger's own
  writes do; that file must pass every rule below;
- it is not a file of the loaded ledger (`Rules.ledger_files`), nor any file
  whose text starts like a ledger (an earlier import's own output aside,
  which `import --force` replaces: `Rules.ledger_output`);
- an existing file is replaced only with `force`, or when the command wrote
  it itself (`Rules.own`: a report folder's manifest, a calendar's PRODID, a
  saved response's mark);
- a read-only file is refused, even with `force`.

A refusal raises `Refused`, which the command line turns into a usage error
(exit 2) naming the option. Nothing is written before every check passes.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.files.read import kind_of
from ledger.files.write import atomic_write, make_folder, read_only

if TYPE_CHECKING:
    from collections.abc import Callable

HEAD_BYTES = 8192
"""How much of an existing file is read to tell whether it holds a ledger."""

IMPORTED = "Imported by ledger import "
"""How an imported ledger's first line (a comment) starts (`importers.common`)."""

_TOP_KEY = re.compile(r"(?:forecasters|sources|questions|include)[ \t]*:(?:[ \t]|$)")


class Refused(ValueError):
    """A path an output must not be written to; the message says why."""


@dataclass(frozen=True, slots=True)
class Rules:
    """How one command's output may be written.

    Attributes:
        force: --force was given: replace an existing file, write through a
            symbolic link.
        ledger_files: the files of the ledger the command loaded (the root
            first): never written.
        own: whether the existing file at a path (as given) is this command's
            own earlier output, which it replaces without --force.
        ledger_output: the output is itself a ledger (`import -o`): an earlier
            import's output may be replaced with --force.
        forceable: the command has a --force to suggest (`sync
            --save-responses` has none).
    """

    force: bool = False
    ledger_files: tuple[str, ...] = ()
    own: Callable[[str], bool] | None = None
    ledger_output: bool = False
    forceable: bool = True


def head(path: str, size: int = HEAD_BYTES) -> bytes:
    """The first `size` bytes of the regular file at `path` (b"" if unreadable)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def looks_like_ledger(data: bytes) -> bool:
    """Whether text starting with `data` starts like a ledger.

    Its first line that is not blank, a comment, a directive or a document
    marker is a top-level `forecasters:`, `sources:`, `questions:` or
    `include:`, or a flow mapping that names one of them.
    """
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%", "---")):
            continue
        if stripped.startswith("{"):
            return any(_TOP_KEY.match(part.strip()) for part in stripped[1:].split(","))
        return _TOP_KEY.match(line) is not None
    return False


def _imported(data: bytes) -> bool:
    """Whether a file starting with `data` is an import's own output."""
    first = data.decode("utf-8", "replace").removeprefix("\ufeff").split("\n", 1)[0]
    return first.startswith("# " + IMPORTED)


def target(path: str, rules: Rules) -> str:
    """The file to write for the output `path`: itself, or the file its link names.

    Raises:
        Refused: the rules (see the module) forbid writing it.
    """
    if not path.strip():
        raise Refused("the path is empty; name the file to write")
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return path  # a new file (a missing folder fails when it is written)
    except OSError as exc:
        raise Refused(f"cannot use '{path}': {exc.strerror}") from None
    real = path
    if stat.S_ISLNK(found.st_mode):
        if not rules.force:
            remedy = "pass --force to write through it" if rules.forceable else (
                "not written through"
            )
            raise Refused(
                f"'{path}' is a symbolic link (to '{os.readlink(path)}'); {remedy}"
            )
        real = os.path.realpath(path)
        try:
            found = os.stat(real)
        except FileNotFoundError:
            return real  # a dangling link: the file it names is created
        except OSError as exc:
            raise Refused(
                f"cannot follow the symbolic link '{path}': {exc.strerror}"
            ) from None
    _check_existing(path, real, found.st_mode, rules)
    return real


def _check_existing(path: str, real: str, mode: int, rules: Rules) -> None:
    """Refuse to replace the existing file `real` (named `path`) unless allowed."""
    kind = kind_of(mode)
    if kind is not None:
        raise Refused(
            f"'{path}' is {kind}, not a regular file; ledger writes only regular files"
        )
    ledger_files = {os.path.realpath(file) for file in rules.ledger_files}
    if os.path.realpath(real) in ledger_files:
        root = rules.ledger_files[0]
        raise Refused(f"'{path}' is a file of the ledger {root}; name another file")
    start = head(real)
    if looks_like_ledger(start) and not (rules.ledger_output and _imported(start)):
        raise Refused(f"'{path}' holds a ledger; name another file")
    if not rules.force and not (rules.own is not None and rules.own(path)):
        if rules.forceable:
            raise Refused(f"'{path}' already exists; pass --force to replace it")
        raise Refused(
            f"'{path}' already exists and ledger did not write it; not replaced"
        )
    problem = read_only(real, path)
    if problem is not None:
        raise Refused(f"'{path}': {problem}")


def write_output(path: str, data: bytes, rules: Rules, durable: bool = True) -> None:
    """Write `data` to the output `path` atomically, once the rules allow it.

    Raises:
        Refused: the rules forbid it (nothing is written).
        OSError: the file could not be written (its folder is missing, say).
    """
    atomic_write(target(path, rules), data, durable)


def folder(path: str) -> None:
    """Make sure the output folder `path` exists, creating it (and its parents).

    Raises:
        Refused: the path is blank, or the folder cannot be created (saying why).
    """
    if not path.strip():
        raise Refused("the path is empty; name the folder to write into")
    if os.path.isdir(path):
        return
    if os.path.lexists(path):
        raise Refused(f"'{path}' is not a folder")
    try:
        make_folder(path)
    except OSError as exc:
        raise Refused(f"cannot create the folder '{path}': {exc.strerror}") from None
