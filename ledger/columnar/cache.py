"""The frame cache: the tidy frame of an unchanged ledger, read back instead of built.

Building the frame of 100,000 questions takes seconds; reading it back from
Parquet a fraction of that. `score`, `compare`, `calibration`, `report` and
`export` ask here (through `cli.frames`) before they build it.

- **Key** (`Key`): the parse cache's key (`loader.cache.key`: the bytes, the
  path as read and the loader's code) of every file of the ledger, in the
  order they were read, the as-of day, whether provisional outcomes are
  scored, and a fingerprint of the code that makes the frame (`frame.py`,
  `core/`, this package, the pandas, numpy and pyarrow versions). Any change
  to the ledger, an included file, the options or that code misses. Only the
  plain view is cached (not `--as-recorded`, whose frame also depends on git).
- **What**: the frame as Parquet (`arrow.forecasts`, read back exactly by
  `arrow.frame`), and the export's three files as written (`blob`), so an
  export of an unchanged ledger copies them; only for ledgers of at least
  `loader.cache.MIN_BYTES` (smaller ones build their frame faster than
  pyarrow imports). An entry is stored only for a ledger without errors, so
  finding one also says that the ledger checks: `export` and `score` of a
  one-file ledger then skip loading it.
- **Where**: `frames/` in the parse cache's folder (`LEDGER_CACHE=off` turns
  both off), under the rules of `files.private`: used only when the folder
  (and the parse cache's folder above it) is the current user's alone, every
  entry signed with the folder's key and read only if the signature matches.
  Parquet holds data, never code. At most `KEEP` entries and `BUDGET` bytes,
  the least recently used removed first.
- **Without pyarrow** there is no frame cache: every lookup misses and
  nothing is stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ledger.columnar import arrow
from ledger.files import private
from ledger.loader import cache as parse_cache

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

KEEP = 32
"""Entries kept; the least recently used beyond this are removed."""

BUDGET = 512 << 20
"""Bytes the entries may take together (a 100,000-question frame is about 6 MB)."""

_FORMAT = b"ledger-frames-1"
_CODE = ("frame.py", "core/*.py", "core/*.json", "columnar/*.py")
_SUFFIX = ".parquet"
_FOLDER = "frames"


@dataclass(frozen=True, slots=True)
class Key:
    """What a cached frame depends on besides the code.

    Attributes:
        files: the parse cache's key of each file of the ledger, in load order.
        size: the bytes of those files together.
    """

    files: tuple[str, ...]
    size: int


@cache
def fingerprint() -> bytes:
    """The code and versions a cached frame depends on."""
    from importlib import metadata

    digest = hashlib.sha256(_FORMAT + parse_cache.fingerprint())
    digest.update(arrow.require().__version__.encode() + b"\0")
    for name in ("pandas", "numpy"):  # without importing them
        digest.update(metadata.version(name).encode() + b"\0")
    parse_cache.hash_code(digest, _CODE)
    return digest.digest()


def _name(key: Key, *parts: str) -> str:
    """The entry name for `key` and `parts` (the table, the day, the options)."""
    digest = hashlib.sha256(fingerprint())
    for part in (*key.files, *parts):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest() + _SUFFIX


def _frame_parts(as_of: dt.date, provisional: bool) -> tuple[str, ...]:
    return ("forecasts", as_of.isoformat(), "provisional" if provisional else "")


def _folder(create: bool) -> private.Folder | None:
    """The frames folder, checked and open, or None.

    None: the cache is off, the folder missing or refused, or no pyarrow.
    """
    root = parse_cache.directory()
    if root is None or not arrow.available():
        return None
    parent = private.open_folder(root, create)
    if not isinstance(parent, private.Folder):
        return None  # refused (the parse cache says why) or missing
    private.close(parent)
    found = private.open_folder(root / _FOLDER, create)
    return found if isinstance(found, private.Folder) else None


def _usable(key: Key) -> bool:
    return key.size >= parse_cache.MIN_BYTES


def blob(key: Key, *parts: str) -> bytes | None:
    """The bytes stored for the ledger `key` and `parts`, or None."""
    if not _usable(key):
        return None
    folder = _folder(create=False)
    if folder is None:
        return None
    try:
        found = private.read(folder, _name(key, *parts))
        return None if found is None else bytes(found)
    finally:
        private.close(folder)


def store_blob(key: Key, data: bytes, *parts: str) -> None:
    """Keep `data` for the ledger `key` and `parts`; never fails."""
    if not _usable(key):
        return
    folder = _folder(create=True)
    if folder is None:
        return
    try:
        private.write(folder, _name(key, *parts), lambda out: out.write(data))
        _evict(folder)
    except OSError:  # a cache that cannot be written is only a slower run
        return
    finally:
        private.close(folder)


def forecasts(key: Key, as_of: dt.date, provisional: bool) -> Any:
    """The cached frame's Arrow table (`arrow.forecasts`), or None."""
    found = blob(key, *_frame_parts(as_of, provisional))
    if found is None:
        return None
    try:
        return arrow.read(found)
    except Exception:  # signed but unreadable (another pyarrow?): a miss
        return None


def frame(key: Key, as_of: dt.date, provisional: bool) -> pd.DataFrame | None:
    """The cached frame of the ledger `key` as of `as_of`, or None."""
    table = forecasts(key, as_of, provisional)
    return None if table is None else arrow.frame(table)


def store_frame(
    key: Key, as_of: dt.date, provisional: bool, data: pd.DataFrame
) -> None:
    """Keep the frame `data` of the ledger `key` as of `as_of`; never fails."""
    if _usable(key) and arrow.available():
        table = arrow.forecasts(data)
        store_blob(key, arrow.parquet(table), *_frame_parts(as_of, provisional))


def _evict(folder: private.Folder) -> None:
    """Remove the least recently used entries beyond KEEP or BUDGET."""
    entries = []
    with os.scandir(folder.path) as found:
        for entry in found:
            if entry.name.endswith(_SUFFIX) or entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    status = entry.stat(follow_symlinks=False)
                    entries.append((status.st_mtime, status.st_size, entry.name))
    entries.sort(reverse=True)
    total = 0
    for number, (_, size, name) in enumerate(entries):
        total += size
        if number and (number >= KEEP or total > BUDGET):
            private.remove(folder, name)
