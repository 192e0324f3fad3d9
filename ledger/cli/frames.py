"""The tidy frame for a command, through the frame cache (`columnar.cache`).

`ledger_and_frame` loads and checks the ledger (exit 1 on errors) and reads
its frame from the cache, or builds and stores it. `frame_only` is for a
command that needs nothing but the frame: a one-file ledger whose frame is
cached is not even loaded (an entry exists only for a ledger that checked,
and the key is the parse cache's key of the file's bytes, so the same bytes
give the same ledger). `loaded` gives a ledger with its cache key, for a
command that asks the cache for other tables (`export`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ledger.cli.errors import checked

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from ledger.columnar.cache import Key
    from ledger.core.model import Ledger


def quick_key(file: str) -> Key:
    """The cache key of `file` alone, as if it were the whole ledger.

    An entry stored under it was stored for a one-file ledger of exactly
    these bytes (a ledger of more files has a longer key).
    """
    from ledger.columnar.cache import Key
    from ledger.loader.cache import key

    with open(file, "rb") as handle:
        data = handle.read()
    return Key((key(data, file),), len(data))


def loaded(file: str) -> tuple[Ledger, Key]:
    """The checked ledger at `file` (exit 1 on errors) and its cache key."""
    from ledger.columnar.cache import Key

    keys: list[str] = []
    ledger = checked(file, keys)
    size = 0
    for path in ledger.files or (file,):
        size += os.path.getsize(path)
    return ledger, Key(tuple(keys), size)


def frame_of(
    ledger: Ledger, key: Key, as_of: dt.date, provisional: bool
) -> pd.DataFrame:
    """The frame of `ledger` (whose cache key is `key`): cached, or built and stored."""
    from ledger.columnar import cache
    from ledger.frame import frame as make_frame

    found = cache.frame(key, as_of, provisional)
    if found is not None:
        return found
    data = make_frame(ledger, as_of, provisional=provisional)
    cache.store_frame(key, as_of, provisional, data)
    return data


def ledger_and_frame(
    file: str, as_of: dt.date, provisional: bool
) -> tuple[Ledger, pd.DataFrame]:
    """The checked ledger at `file` and its frame as of `as_of`."""
    ledger, key = loaded(file)
    return ledger, frame_of(ledger, key, as_of, provisional)


def frame_only(file: str, as_of: dt.date, provisional: bool) -> pd.DataFrame:
    """The frame of the ledger at `file` as of `as_of`, loading it only if need be."""
    from ledger.columnar import cache

    found = cache.frame(quick_key(file), as_of, provisional)
    if found is not None:
        return found
    ledger, key = loaded(file)
    return frame_of(ledger, key, as_of, provisional)
