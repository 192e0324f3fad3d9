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
  record classes (`_Records`), so even a signed entry cannot name anything
  else. Entries are written atomically, and an entry that cannot be read
  (truncated, corrupt, unsigned, from another version) is ignored and
  removed: the file is then loaded as if there were no cache.

`ledger import` primes the cache (`store`), since it loads the ledger it
writes anyway, so the first command after an import is fast.
"""

from __future__ import annotations

import contextlib
import dataclasses
import operator
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ledger.core import dates, model
from ledger.core.dates import When
from ledger.core.memory import gc_paused
from ledger.core.model import Error, Ledger, Location
from ledger.core.version import version

if TYPE_CHECKING:
    from typing import BinaryIO

    from ledger.files import private

MIN_BYTES = 256 * 1024
"""Smaller files are not cached: they load in a few hundredths of a second."""

KEEP = 256
"""Entries kept (one per file); the least recently used beyond this are removed."""

BUDGET = 1 << 30
"""Bytes the entries may take together (1 GiB: a 100,000-question file's entry
is 140 MB); the least recently used beyond it are removed, never the newest."""

_FORMAT = b"ledger-cache-3"
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
    package = Path(__file__).parent.parent
    for pattern in _CODE:
        for file in sorted(package.glob(pattern)):
            name = file.relative_to(package).as_posix()
            digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.digest()


def directory() -> Path | None:
    """The cache folder, or None when the cache is off (`LEDGER_CACHE=off`)."""
    if os.environ.get("LEDGER_CACHE", "").strip().lower() in _OFF:
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "ledger"


def key(data: bytes, path: str) -> str:
    """The entry name for these bytes read through `path`."""
    import hashlib

    digest = hashlib.sha256(fingerprint())
    digest.update(path.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(data)
    return digest.hexdigest()




# -- pickling the records fast -------------------------------------------------
#
# A frozen dataclass pickles through its generated __getstate__/__setstate__,
# which look up the fields again for every object; rebuilding each record by
# its constructor instead reads a 165,000-forecast ledger about twice as fast.

_KEYWORD: tuple[type, ...] = (
    model.Forecast, model.Forecaster, model.Source, model.Question, model.Outcome,
)
_POSITIONAL: tuple[type, ...] = (
    model.Result, model.Window, model.Order, When, Error, Ledger,
)
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(field.name for field in dataclasses.fields(cls))
    for cls in _KEYWORD + _POSITIONAL
}
_VALUES = {cls: operator.attrgetter(*names) for cls, names in _FIELDS.items()}


def _maker(cls: type) -> Any:
    """A module-level function taking the fields of keyword-only `cls` in order.

    Pickle names it in each entry: no dict per record, as cls(**dict(...))
    would make.
    """
    names = _FIELDS[cls]
    name = f"_new_{cls.__name__}"
    source = (f"def {name}({', '.join(names)}):\n"
              f"    return cls({', '.join(f'{n}={n}' for n in names)})\n")
    scope: dict[str, Any] = {"cls": cls}
    exec(source, scope)
    function = scope[name]
    function.__module__, function.__qualname__ = __name__, name
    globals()[name] = function
    return function


_MAKERS: dict[type, Any] = {cls: _maker(cls) for cls in _KEYWORD}
_MAKERS.update({cls: cls for cls in _POSITIONAL})


@cache
def _pickler() -> type:
    """The pickler class, made on first use.

    `pickle` is not imported by commands that read only small files, such as
    `ledger check` of a hand-kept ledger.
    """
    import pickle

    class _Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            kind = type(obj)
            if kind is Location:
                return Location, (obj.path, obj.line)
            make = _MAKERS.get(kind)
            if make is None:
                return NotImplemented
            values = _VALUES[kind](obj)
            return make, values if type(values) is tuple else (values,)

    return _Pickler


def _dump(entry: tuple[Ledger, list[Error]], out: BinaryIO) -> None:
    """Pickle `entry` into `out` as it goes.

    A big ledger's entry is 140 MB: no copy of it is held in memory.
    """
    import pickle

    with gc_paused():
        _pickler()(out, protocol=pickle.HIGHEST_PROTOCOL).dump(entry)


@cache
def _allowed() -> frozenset[tuple[str, str]]:
    """The only globals an entry may name: ledger's records, dates and makers."""
    names = {
        (module.__name__, name)
        for module in (model, dates)
        for name, value in vars(module).items()
        if isinstance(value, type) and value.__module__ == module.__name__
    }
    names |= {(__name__, f"_new_{cls.__name__}") for cls in _KEYWORD}
    return frozenset(names | {("datetime", "date")})


@cache
def _unpickler() -> type:
    """The unpickler class, made on first use: it finds only `_allowed` globals."""
    import pickle

    class _Records(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) not in _allowed():
                raise pickle.UnpicklingError(f"{module}.{name} is not a record")
            return super().find_class(module, name)

    return _Records


def _loads(blob: bytes | memoryview) -> tuple[Ledger, list[Error]]:
    """The (ledger, errors) pickled in `blob`; raises if it is not an entry."""
    import io

    with gc_paused():
        ledger, errors = _unpickler()(io.BytesIO(blob)).load()
    if not isinstance(ledger, Ledger) or not isinstance(errors, list):
        raise TypeError("not a cache entry")
    return ledger, errors


# -- the cache ------------------------------------------------------------------


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
    """The cached (ledger, errors) of these bytes read through `path`, if any."""
    if len(data) < MIN_BYTES:
        return None
    folder = _folder(create=False)
    if folder is None:
        return None
    from ledger.files import private

    name = entry_name(data, path)
    blob = private.read(folder, name)
    if blob is None:
        return None
    try:
        return _loads(blob)
    except Exception:  # any unreadable entry is a miss
        private.remove(folder, name)
        return None


def store(data: bytes, path: str, ledger: Ledger, errors: list[Error]) -> None:
    """Keep (ledger, errors) for these bytes read through `path`; never fails."""
    if len(data) < MIN_BYTES:
        return
    import pickle

    folder = _folder(create=True)
    if folder is None:
        return
    from ledger.files import private

    try:
        name = entry_name(data, path)
        private.write(folder, name, lambda out: _dump((ledger, errors), out))
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
