"""Reading a ledger file: only a regular file, and at most `LIMIT` bytes of it.

A FIFO would block the reader forever, a device such as `/dev/zero` would be
read until memory ran out, and a symbolic link to itself cannot be opened:
`read_regular` opens without blocking, looks at what it opened (not at the
name, which could change in between) and raises `Unreadable` with a message
that says which, instead of hanging or raising an OSError.
"""

from __future__ import annotations

import os
import stat

LIMIT = 2 * 1024**3
"""The largest ledger file read: 2 GiB (the 91 MB benchmark ledger is far below)."""

LIMIT_TEXT = "2 GiB"


class Unreadable(Exception):
    """A file that is not read, and why (the message names the path)."""


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular one is, or None for a regular file."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    )
    for test, kind in kinds:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_regular(path: str, limit: int = LIMIT) -> bytes:
    """The bytes of the regular file at `path`.

    Raises:
        Unreadable: it cannot be opened (missing, a symbolic link loop, no
            permission), it is not a regular file, or it holds more than `limit`
            bytes.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise Unreadable(f"cannot read '{path}': {exc.strerror}") from None
    try:
        found = os.fstat(handle)
        kind = kind_of(found.st_mode)
        if kind is not None:
            raise Unreadable(f"'{path}' is {kind}, not a file ledger can read")
        if found.st_size > limit:
            raise Unreadable(_too_big(path, limit))
        return _read_all(handle, found.st_size, path, limit)
    except OSError as exc:
        raise Unreadable(f"cannot read '{path}': {exc.strerror}") from None
    finally:
        os.close(handle)


def _read_all(handle: int, size: int, path: str, limit: int) -> bytes:
    """Every byte from `handle`, `size` expected, refusing more than `limit`.

    Read in one piece of the size expected, then until the end (a file that
    grows while read), never asking for a buffer of `limit` bytes at once.
    """
    parts = [os.read(handle, size + 1)] if size else []
    total = sum(map(len, parts))
    while chunk := os.read(handle, 1 << 20):
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            raise Unreadable(_too_big(path, limit))
    return b"".join(parts)


def _too_big(path: str, limit: int) -> str:
    most = LIMIT_TEXT if limit == LIMIT else f"{limit} bytes"
    return f"'{path}' is larger than {most}, the most ledger reads from one file"
