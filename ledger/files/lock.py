"""Locks: one exclusive lock per ledger, held while a command writes it."""

from __future__ import annotations

import contextlib
import fcntl
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

LOCK_WAIT_NOTICE = 2.0
"""Seconds of waiting for the lock before the caller is told why nothing happens."""

LOCK_TIMEOUT = 60.0
"""Seconds of waiting for the lock before giving up with LockTimeout."""


class LockTimeout(ValueError):
    """Another process held the lock for longer than LOCK_TIMEOUT seconds."""


@contextlib.contextmanager
def lock(path: str, on_wait: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold an exclusive lock on `path` (through `path.lock`) while writing.

    The lock is an flock on `path.lock`, which the kernel releases when its
    holder exits, however it exits; the file itself is never deleted (deleting
    it while held would let a second writer in).

    Args:
        path: the file to lock.
        on_wait: called once with a notice when the lock is still taken after
            LOCK_WAIT_NOTICE seconds.

    Yields:
        Nothing: the lock is held inside the `with` block.

    Raises:
        LockTimeout: the lock stayed taken for LOCK_TIMEOUT seconds.
    """
    lock_path = path + ".lock"
    with open(lock_path, "a") as handle:
        started = time.monotonic()
        noticed = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited > LOCK_WAIT_NOTICE and not noticed:
                    on_wait(
                        "waiting for another ledger command to finish writing "
                        f"{path} (lock {lock_path})"
                    )
                    noticed = True
                if waited > LOCK_TIMEOUT:
                    raise LockTimeout(
                        f"another process has held the lock {lock_path} for "
                        f"{LOCK_TIMEOUT:g} s; wait for the other ledger command "
                        "to finish (or stop it) and try again"
                    ) from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
