"""A private folder: a cache only its owner can write, and entries signed with its key.

What a cache reads back must be what this user's ledger wrote, never a file
someone else planted. `open_folder` gives the folder only if it is owned by
the current user and not writable by group or others (else the reason it is
refused, for the command line to print as a warning); it is opened once, and
every entry is read and written relative to that open folder, so it cannot
be swapped for another one between the check and the read. The folder holds
a key of 32 random bytes (`key`, mode 0600, made on first use); each entry
starts with a version line and the HMAC-SHA256 of its name and contents
under that key, and `read` returns the contents only when the MAC matches.
An entry that does not (planted, damaged, from another version) is a miss,
and is removed.

The parse cache (`ledger.loader.cache`) keeps its entries here, and any later
cache should too: it names the folder (`open_folder`) and an entry
(`read`, `write`); the rules are here once.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from ledger.files.write import atomic_stream

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

VERSION = b"ledger-private-1\n"
"""The first bytes of every entry: the format's version."""

KEY_NAME = "key"
"""The key's file name in the folder."""

KEY_BYTES = 32
_MAC_BYTES = hashlib.sha256().digest_size
_HEADER = len(VERSION) + _MAC_BYTES


@dataclass(frozen=True, slots=True)
class Folder:
    """A private folder, checked and open: its path, its descriptor and its key."""

    path: Path
    fd: int
    key: bytes


def _unsafe(found: os.stat_result, what: str) -> str | None:
    """Why a folder or key with this status is not private, if it is not."""
    if found.st_uid != os.geteuid():
        return f"{what} is owned by another user (uid {found.st_uid})"
    if found.st_mode & 0o022:
        return f"{what} is writable by others (mode {stat.S_IMODE(found.st_mode):04o})"
    return None


def open_folder(
    path: Path, create: bool = False, shown: str | None = None
) -> Folder | str | None:
    """The private folder at `path`, or why it is refused, or None if it is missing.

    With `create`, a missing folder is made (mode 0700, and its parents) and
    its key with it. A folder that is not the current user's, or that group or
    others may write, is refused (a str saying why, with the remedy, naming
    the folder `shown`, default `path`); so is a key others may read or write.
    """
    name = shown or str(path)
    if create:
        with contextlib.suppress(OSError):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"the cache folder {name} cannot be opened: {exc.strerror}"
    try:
        problem = _unsafe(os.fstat(fd), f"the cache folder {name}")
        if problem is not None:
            os.close(fd)
            return f"{problem}; make it yours alone (chmod 700 {name}) or remove it"
        key = _key(fd, name, create)
    except OSError as exc:
        os.close(fd)
        return f"the cache folder {name} cannot be used: {exc.strerror}"
    if isinstance(key, str) or key is None:
        os.close(fd)
        return key
    return Folder(path, fd, key)


def _key(fd: int, folder: str, create: bool) -> bytes | str | None:
    """The folder's key (made if missing and `create`), or why it is refused.

    `folder` names the folder in messages.
    """
    shown = f"{folder}/{KEY_NAME}"
    flags = os.O_RDONLY | os.O_NOFOLLOW
    try:
        handle = os.open(KEY_NAME, flags, dir_fd=fd)
    except FileNotFoundError:
        if not create:
            return None
        return _new_key(fd)
    try:
        found = os.fstat(handle)
        problem = _unsafe(found, f"the cache key {shown}")
        if problem is None and found.st_mode & 0o044:
            problem = f"the cache key {shown} is readable by others"
        if problem is not None:
            return f"{problem}; remove it (a new one is made)"
        key = os.read(handle, KEY_BYTES + 1)
    finally:
        os.close(handle)
    if len(key) != KEY_BYTES:
        damaged = f"the cache key {shown} is damaged"
        return f"{damaged}; remove it (a new one is made)"
    return key


def _new_key(fd: int) -> bytes | None:
    """Make the folder's key (only if no other process made it first)."""
    key = os.urandom(KEY_BYTES)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        handle = os.open(KEY_NAME, flags, 0o600, dir_fd=fd)
    except FileExistsError:  # another process made it meanwhile: read that one
        handle = os.open(KEY_NAME, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
        try:
            key = os.read(handle, KEY_BYTES + 1)
        finally:
            os.close(handle)
        return key if len(key) == KEY_BYTES else None
    try:
        os.write(handle, key)
        os.fsync(handle)
    finally:
        os.close(handle)
    return key


def _mac(key: bytes, name: str) -> hmac.HMAC:
    """The MAC of an entry, begun with its name (an entry cannot be moved)."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    mac.update(name.encode("utf-8") + b"\0")
    return mac


def read(folder: Folder, name: str) -> memoryview | None:
    """The contents of the entry `name`, if it is there and its MAC matches.

    An entry that is there but does not match is removed.
    """
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder.fd)
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as entry:
            if not stat.S_ISREG(os.fstat(entry.fileno()).st_mode):
                return None
            blob = entry.read()
    except OSError:
        return None
    view = memoryview(blob)
    mac = _mac(folder.key, name)
    mac.update(view[_HEADER:])
    if not (
        blob.startswith(VERSION)
        and hmac.compare_digest(mac.digest(), view[len(VERSION) : _HEADER])
    ):
        remove(folder, name)
        return None
    with contextlib.suppress(OSError):
        os.utime(name, dir_fd=folder.fd)  # recently used
    return view[_HEADER:]


def write(folder: Folder, name: str, contents: Callable[[BinaryIO], object]) -> None:
    """Write the entry `name`: `contents(out)` writes its bytes, signed as they go.

    Atomic (`files.write.atomic_stream`), without fsync: a cache can be made
    again.
    """
    mac = _mac(folder.key, name)

    class _Signing:
        """A file that signs what is written to it."""

        def __init__(self, out: BinaryIO) -> None:
            self.out = out

        def write(self, data: bytes) -> int:
            mac.update(data)
            return self.out.write(data)

    def signed(out: BinaryIO) -> None:
        out.write(VERSION + bytes(_MAC_BYTES))
        contents(_Signing(out))  # type: ignore[arg-type]
        out.seek(len(VERSION))
        out.write(mac.digest())
        out.seek(0, os.SEEK_END)

    atomic_stream(str(folder.path / name), signed, False, 0o600)


def remove(folder: Folder, name: str) -> None:
    """Remove the entry `name`, if it is there."""
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=folder.fd)


def close(folder: Folder) -> None:
    """Close the folder's descriptor."""
    with contextlib.suppress(OSError):
        os.close(folder.fd)
