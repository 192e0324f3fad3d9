"""A parse cache: each loaded file's records, stored under the hash of its bytes.

Reading a big ledger file costs seconds (100,000 questions: about 20 s of YAML
composing and record building), while reading its records back from a pickle
takes a few. `loader.load_bytes` asks here first for every file `load_file`
reads (the root file and every file it includes) and keeps what it loaded for next time;
validation across files then runs on the whole ledger, every time. So a
ledger split into many files (`include: ledger.d/*.yaml`, the merge-friendly
layout) reloads only the files that changed since the last command.

- **Key**: sha256 of the file's bytes, the path as read (it is part of every
  error location), and a fingerprint of the code that loads (the package
  version, the Python and PyYAML versions, and the text of the modules and
  data files involved), so any change to either misses.
- **Where**: `$XDG_CACHE_HOME/ledger`, else `~/.cache/ledger`.
  `LEDGER_CACHE=off` turns the cache off.
- **What**: only files of at least `MIN_BYTES` (smaller ones load faster
  than the cache pays back); at most `KEEP` entries and `BUDGET` bytes, the
  least recently used removed first.
- **Safety** (`files.private`): the folder is read only if it is the
  current user's and no one else may write it (created with mode 0700);
  otherwise the cache is not used, and `refusal()` says why, for the command
  line to warn. Each entry is signed (HMAC-SHA256 under a key kept in the
  folder, mode 0600), and read only if the signature matches, so a planted
  entry is never unpickled; the unpickler also accepts only ledger's own
  record classes (`pickled._Records`), so even a signed entry cannot name anything
  else. Entries are written atomically, and an entry that cannot be read
  (truncated, corrupt, unsigned, from another version) is ignored and
  removed: the file is then loaded as if there were no cache.

`ledger import` primes the cache (`store`), since it loads the ledger it
writes anyway, so the first command after an import is fast. A write
(`record.write`) stores the edited file's entry from the old one (`patch`,
`pickled.patched`), so the command after it is warm too; an entry read is
kept in memory for the rest of the process (`load`).

The entry's bytes and their pickling are `pickled`'s.
"""

from __future__ import annotations

import contextlib
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ledger.core.version import version
from ledger.loader import pickled

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from ledger.core.model import Error, Ledger, Question
    from ledger.files import private

MIN_BYTES = 256 * 1024
"""Smaller files are not cached: they load in a few hundredths of a second."""

KEEP = 256
"""Entries kept (one per file); the least recently used beyond this are removed."""

BUDGET = 1 << 30
"""Bytes the entries may take together (1 GiB: a 100,000-question file's entry
is 140 MB); the least recently used beyond it are removed, never the newest."""

_FORMAT = b"ledger-cache-4"
_CODE = ("core/*.py", "core/*.json", "loader/*.py", "schema.json")
"""The code and data cached records depend on, as globs below the package folder."""
_SUFFIX = ".pickle"
_OFF = ("off", "0", "no", "false")
# What a killed writer leaves: `files.write`'s temporary file for an entry.
_LEFTOVER = ".ledger-*" + _SUFFIX + ".*.tmp"


@cache
def fingerprint() -> bytes:
    """What the cached records depend on besides the file: versions and code."""
    import hashlib
    import platform

    digest = hashlib.sha256(_FORMAT)
    for part in (version(), platform.python_version(), yaml.__version__):
        digest.update(part.encode() + b"\0")
    hash_code(digest, _CODE)
    return digest.digest()


def hash_code(digest: Any, patterns: Iterable[str]) -> None:
    """Feed `digest` the name and bytes of each ledger/ file `patterns` match."""
    package = Path(__file__).parent.parent
    for pattern in patterns:
        for file in sorted(package.glob(pattern)):
            name = file.relative_to(package).as_posix()
            digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")


def directory() -> Path | None:
    """The cache folder, or None when the cache is off (`LEDGER_CACHE=off`)."""
    if os.environ.get("LEDGER_CACHE", "").strip().lower() in _OFF:
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "ledger"


def key(data: bytes, path: str) -> str:
    """The entry name for these bytes read through `path`.

    The last few are kept (with the bytes, so that no other object can take
    their id): a write hashes the same 91 MB several times otherwise.
    """
    import hashlib

    found = _keys.get((id(data), path))
    if found is not None and found[0] is data:
        return found[1]
    digest = hashlib.sha256(fingerprint())
    digest.update(path.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(data)
    _keys[id(data), path] = (data, digest.hexdigest())
    while len(_keys) > RECENT * 2:
        del _keys[next(iter(_keys))]
    return _keys[id(data), path][1]


_keys: dict[tuple[int, str], tuple[bytes, str]] = {}


# -- the cache ------------------------------------------------------------------


COMPACT = 32
"""Edits an entry keeps as pieces of their own (`patch`) before it is written afresh."""

RECENT = 2
"""Entries kept in memory after they are read (see `load`)."""

_recent: dict[str, pickled.Entry] = {}
_folders: dict[Path, private.Folder] = {}
_refused: list[str] = []


def _folder(create: bool) -> private.Folder | None:
    """The cache folder, open and checked (made if missing and `create`).

    None when the cache is off, the folder is missing (and not `create`), or
    it is refused; a refusal is kept for `refusal()`. (`private` is imported
    here, not for a small file's command, which never reads the cache.)
    """
    from ledger.files import private

    path = directory()
    if path is None:
        return None
    if path in _folders:
        return _folders[path]
    found = private.open_folder(path, create, _shown(path))
    if isinstance(found, str):
        if found not in _refused:
            _refused.append(found)
        return None
    if found is not None:
        _folders[path] = found
    return found


def _shown(path: Path) -> str:
    """`path` as a message shows it: `~/...` below the home folder."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):  # elsewhere, or no home folder
        return str(path)


def refusal() -> str | None:
    """Why the cache folder was refused since the last call, if it was.

    The command line prints it as a warning when a command ends: the cache
    itself never prints.
    """
    found = _refused[0] if _refused else None
    _refused.clear()
    return found


def entry_name(data: bytes, path: str) -> str:
    """The name of the entry for these bytes read through `path`."""
    return key(data, path) + _SUFFIX


def load(data: bytes, path: str) -> tuple[Ledger, list[Error]] | None:
    """The cached (ledger, errors) of these bytes read through `path`, if any.

    An entry read is kept in memory for the rest of the process (the last
    `RECENT`), so a command that loads the same bytes twice (a write checks
    the ledger, then checks it again under its lock) reads the entry once,
    and an edit can reuse its chunks (`patch`).
    """
    if len(data) < MIN_BYTES:
        return None
    name = entry_name(data, path)
    found = _recent.get(name)
    if found is None:
        found = _read(name)
    if found is None:
        return None
    return found.ledger, list(found.errors)


def _read(name: str) -> pickled.Entry | None:
    """The entry `name` from the folder, kept in `_recent`; None if missing or bad."""
    folder = _folder(create=False)
    if folder is None:
        return None
    from ledger.files import private

    blob = private.read(folder, name)
    if blob is None:
        return None
    try:
        found = pickled.loads(blob)
    except Exception:  # any unreadable entry is a miss
        private.remove(folder, name)
        return None
    if len(found.edits) >= COMPACT:  # written afresh: the next read is one piece
        with contextlib.suppress(OSError, RecursionError):
            private.write(folder, name, lambda out: pickled.dump(
                found.ledger, found.errors, out))
    _keep(name, found)
    return found


def forget() -> None:
    """Forget the entries and keys kept in memory (the CLI, as each command ends)."""
    _recent.clear()
    _keys.clear()


def _keep(name: str, entry: pickled.Entry) -> None:
    _recent[name] = entry
    while len(_recent) > RECENT:
        del _recent[next(iter(_recent))]


def _loads(blob: memoryview) -> tuple[Ledger, list[Error]]:
    """The (ledger, errors) in `blob`; raises if it is not an entry."""
    found = pickled.loads(blob)
    return found.ledger, found.errors


def store(data: bytes, path: str, ledger: Ledger, errors: list[Error]) -> None:
    """Keep (ledger, errors) for these bytes read through `path`; never fails.

    The entry is kept in memory too, as if it had been read (`load`, `patch`).
    """
    if len(data) < MIN_BYTES:
        return
    import pickle

    folder = _folder(create=True)
    if folder is None:
        return
    from ledger.files import private

    try:
        name = entry_name(data, path)
        written: list[pickled.Entry] = []
        private.write(
            folder, name, lambda out: written.append(pickled.dump(ledger, errors, out))
        )
        _keep(name, written[0])
        _evict(folder.path)
    except (OSError, pickle.PicklingError, RecursionError):
        return  # a cache that cannot be written is only a slower run


def _evict(folder: Path) -> None:
    """Remove the least recently used entries beyond KEEP or BUDGET."""
    entries = []
    for entry in [*folder.glob("*" + _SUFFIX), *folder.glob(_LEFTOVER)]:
        with contextlib.suppress(OSError):
            found = entry.stat()
            entries.append((found.st_mtime, found.st_size, entry))
    entries.sort(key=lambda item: item[0], reverse=True)
    total = 0
    for number, (_, size, entry) in enumerate(entries):
        total += size
        if number and (number >= KEEP or total > BUDGET):
            with contextlib.suppress(OSError):
                entry.unlink()


def patch(
    old: bytes,
    new: bytes,
    path: str,
    edit: tuple[tuple[int, int], Sequence[Question], tuple[int, int], Ledger],
) -> bool:
    """Store the entry of `new`, the bytes of `old` edited, from the entry of `old`.

    `edit` is (the range of old questions replaced, the new questions, (the
    first old line moved, by how many lines), the file's other records): see
    `pickled.patched`. False when there is nothing to patch (no entry of
    `old` read by this process) or the entry cannot be written; never raises.
    """
    import pickle

    entry = _recent.get(entry_name(old, path))
    if len(new) < MIN_BYTES or entry is None:
        return False
    folder = _folder(create=True)
    if folder is None:
        return False
    from ledger.files import private

    found = entry
    try:
        private.write(
            folder, entry_name(new, path),
            lambda out: pickled.patched(found, *edit, out),
        )
        _evict(folder.path)
    except (OSError, pickle.PicklingError, RecursionError):
        return False
    return True
