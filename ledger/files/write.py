"""Writes: the one atomic replacement of a file, used by every command that writes.

A temporary file in the same folder, fsynced (unless the output can be made
again), given the original's permissions, renamed over it: a reader sees the
old file or the new one, never a part.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import tempfile
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from collections.abc import Callable


def _temporary_prefix(path: str) -> str:
    return f".ledger-{os.path.basename(path)}."


def remove_leftovers(path: str) -> None:
    """Delete temporary files that killed writers of `path` left behind.

    Call only under `lock(path)`: every live writer of `path` holds that lock
    while its temporary file exists, so any other one is a leftover.
    """
    folder = os.path.dirname(os.path.abspath(path))
    # prefix, mkstemp's random letters, .tmp: not `.ledger-NAME.x.XXXX.tmp`,
    # which belongs to another ledger, NAME.x, and to another lock
    ours = re.compile(re.escape(_temporary_prefix(path)) + r"\w+\.tmp")
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if ours.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))


def atomic_write(path: str, data: bytes, durable: bool = True) -> None:
    """Replace `path` with `data`, atomically.

    A same-folder temporary file, fsynced, given the original's permissions
    (and owner, where allowed), renamed over it.

    Args:
        path: the file to replace (or create).
        data: its new bytes.
        durable: `False` skips the two fsyncs: the rename is still atomic (a
            reader sees the old file or the new one, never a part), but a
            power cut may lose the new bytes. For output that can be made
            again, such as a report, whose thousand files took 10 s of fsyncs
            at 100,000 questions.
    """
    atomic_stream(path, lambda out: out.write(data), durable)


def atomic_stream(
    path: str,
    write: Callable[[BinaryIO], object],
    durable: bool = True,
    mode: int = 0o644,
) -> None:
    """`atomic_write`, with `write` writing the new bytes into the temporary file.

    They are written as they are made, so no copy of them all is held in
    memory. `mode` is the permissions of a new file; a replaced one keeps its own.
    """
    folder = os.path.dirname(os.path.abspath(path))
    old = os.stat(path) if os.path.exists(path) else None
    handle, temporary = tempfile.mkstemp(
        dir=folder, prefix=_temporary_prefix(path), suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        if old is not None and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(temporary, old.st_uid, old.st_gid)
        os.chmod(temporary, old.st_mode & 0o7777 if old is not None else mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if not durable:
        return
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def make_folder(path: str) -> None:
    """Create the folder `path` and its missing parents; one already there is fine."""
    os.makedirs(path, exist_ok=True)


def read_only(path: str, shown: str | None = None) -> str | None:
    """Why the existing file at `path` must not be replaced as read-only, if it is.

    Replacing a file (a new one renamed over it) needs only the folder's
    permission, so a 0444 file would be replaced without a word: its access is
    checked here first. A file no one may write (no write bit at all) is
    read-only even for root, who `os.access` says may write anything.
    `shown` is the path as the user named it, for the remedy.
    """
    mode = os.stat(path).st_mode
    if mode & 0o222 and os.access(path, os.W_OK):
        return None
    return (
        f"the file is read-only (mode {mode & 0o7777:04o}); make it writable "
        f"(chmod u+w {shlex.quote(shown or path)}) to change it"
    )


def hard_linked(path: str) -> str | None:
    """Why the ledger file at `path` must not be replaced, if it has hard links.

    An atomic write replaces the file with a new one, which would cut this name
    off from the file's other names: they would keep the old text. ledger
    refuses instead of editing in place, which could leave a half-written file.
    """
    links = os.stat(path).st_nlink
    if links <= 1:
        return None
    return (
        f"the file has {links} hard links, and an atomic write would leave the "
        "other names with the old text; keep one name (a symbolic link may stand "
        "for the others) and try again"
    )
