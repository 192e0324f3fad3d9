"""Load: a ledger file, with every file it includes → one ledger and its errors.

The stages, each in its own module: `nodes` decodes the bytes; a clean file
in the usual YAML is read by `scan` (with `flow`) and built into records by
`direct`, without YAML nodes; anything else (and every file with an error) is
composed into the YAML node tree by `nodes` and read into frozen records with
field-level FILE:LINE errors by `records` (through `fields` and `claims`), a
big ledger's questions a slice at a time (`slices`). Both paths type every
field with the same readers. The parse `cache` keeps each big file's records
under the hash of its bytes.

Here: `load_text` (one text), `load_bytes` (one file's bytes, through the
cache) and `load_file` (a file and, recursively, the files it includes, merged
into one ledger). Every problem is reported, never raised.
"""

from __future__ import annotations

import glob
import os
from typing import TYPE_CHECKING

from ledger.core.memory import gc_paused
from ledger.core.model import Error, Ledger, Location
from ledger.files.read import Unreadable, read_regular
from ledger.loader import cache as parse_cache
from ledger.loader import direct, gradings, slices
from ledger.loader.nodes import compose, decode

# `_read_root` under this module's name: tests/test_fast_paths.py reads the whole
# document through it, to compare with the sliced reading.
from ledger.loader.records import read_root as _read_root

if TYPE_CHECKING:
    from collections.abc import Mapping

STREAM_CHARS = 1_000_000  # texts at least this long are composed a slice at a time

_SLICE_CHARS = 1_000_000  # about how much text each slice holds


def load_text(text: str, path: str) -> tuple[Ledger, list[Error]]:
    """Load a ledger from its text; `path` is used in error locations."""
    with gc_paused():
        return _load_text(text, path)


def _load_text(text: str, path: str) -> tuple[Ledger, list[Error]]:
    built = direct.load(text, path)  # None: not clean, or not the usual YAML
    if built is not None:
        return built
    if len(text) >= STREAM_CHARS:
        streamed = _streamed(text, path)
        if streamed is not None:
            return streamed
    root, errors = compose(text, path)
    if errors:
        return Ledger(path=path), errors
    return _read_root(root, path)


def _streamed(text: str, path: str) -> tuple[Ledger, list[Error]] | None:
    """`_load_text(text, path)` with far less memory, or None where it does not apply.

    Each slice of the questions (see `slices.split`) is read into records and
    dropped. Anything unexpected (a slice that does not compose, or composes
    into anything but its part of the list, or a reader that raises) returns
    None, and the whole document is composed as usual: that path alone decides
    every error.
    """
    try:
        found = slices.split(text, _SLICE_CHARS)
        if found is None:
            return None
        root, questions = found
        return _read_root(root, path, questions)
    except Exception:  # any surprise: compose the whole document instead
        return None


def load_bytes(data: bytes, path: str) -> tuple[Ledger, list[Error]]:
    """One file's records and loader errors from its bytes, through the parse cache.

    The cache is keyed by these bytes, read once, so an entry always matches
    what was hashed even if the file changes meanwhile.
    """
    found = parse_cache.load(data, path)
    if found is not None:
        return found
    text, errors = decode(data, path)
    if text is None:
        return Ledger(path=path, files=(path,)), errors
    ledger, errors = load_text(text, path)
    parse_cache.store(data, path, ledger, errors)
    return ledger, errors


def load_file(
    path: str,
    overrides: Mapping[str, bytes] | None = None,
    keys: list[str] | None = None,
) -> tuple[Ledger, list[Error]]:
    """Load the ledger file at `path`, with every file it includes, into one ledger.

    `path` is as the user typed it, for error messages. `overrides` maps a
    file's real path to bytes (read through the parse cache, as a file's are)
    to use instead of the file's own, so that a write can validate the whole
    ledger before writing. `keys`, when given, receives the parse cache's key
    (`cache.key`) of every file read, in the order read: the bytes loaded, so
    a cache of anything made from the ledger (the frame cache) can be keyed
    by exactly what was loaded.
    """
    ledger, errors = _load_tree(path, dict(overrides or {}), (), {}, keys)
    return gradings.attach(ledger), errors


def _load_one(
    path: str, overrides: Mapping[str, bytes], where: Location, keys: list[str] | None
) -> tuple[Ledger, list[Error]]:
    """One file's records and errors, from its bytes in `overrides` or on disk.

    A file that cannot be read (`read_regular`: a FIFO, a device, a symbolic
    link loop, more than 2 GiB) is an error at `where`: its include line, or
    the first line of the root file. `keys` is `load_file`'s.
    """
    given = overrides.get(os.path.realpath(path))
    if given is None:
        try:
            given = read_regular(path)
        except Unreadable as exc:
            return Ledger(path=path, files=(path,)), [Error(where, str(exc))]
    if keys is not None:
        keys.append(parse_cache.key(given, path))
    return load_bytes(given, path)


def _load_tree(
    path: str,
    overrides: Mapping[str, bytes],
    stack: tuple[tuple[str, str], ...],
    seen: dict[str, Location],
    keys: list[str] | None,
    where: Location | None = None,
) -> tuple[Ledger, list[Error]]:
    """Load `path` and, recursively, what it includes.

    `stack` holds the (path as written, real path) of the files that include
    this one; `seen` the real path of every file included so far, with the
    include that brought it in (a file included twice is read once); `keys`
    is `load_file`'s; `where` is the include that names it (None for the root
    file).
    """
    ledger, errors = _load_one(path, overrides, where or Location(path, 1), keys)
    parts, here = [ledger], (path, os.path.realpath(path))
    for pattern, at in ledger.includes:
        matches = sorted(glob.glob(os.path.join(os.path.dirname(path), pattern)))
        if not matches:
            errors.append(Error(at, _no_match(pattern)))
        for match in matches:
            chain = (*stack, here)
            problem = _not_includable(pattern, match, chain)
            if problem is None:
                problem = _included_before(match, seen, at)
            if problem is not None:
                errors.append(Error(at, problem))
                continue
            child, child_errors = _load_tree(match, overrides, chain, seen, keys, at)
            parts.append(child)
            errors += child_errors
    return (ledger if len(parts) == 1 else _merge(parts)), errors


def _no_match(pattern: str) -> str:
    """The message for an include that names no file."""
    if glob.has_magic(pattern):
        return f"include '{pattern}' matches no file"
    return f"included file '{pattern}' does not exist"


def _not_includable(
    pattern: str, match: str, chain: tuple[tuple[str, str], ...]
) -> str | None:
    """Why the file `match` cannot be included by the last of `chain`, if so."""
    if os.path.realpath(match) in {real for _, real in chain}:
        names = " → ".join(name for name, _ in chain)
        return f"include '{pattern}' makes a cycle: {names} → {match}"
    if os.path.isdir(match):
        return f"include '{pattern}' names a folder, '{match}'"
    return None


def _included_before(
    match: str, seen: dict[str, Location], where: Location
) -> str | None:
    """Why `match` is not read again, if an include earlier brought it in."""
    real = os.path.realpath(match)
    first = seen.get(real)
    if first is None:
        seen[real] = where
        return None
    return f"'{match}' is already included at {first}; include each file once"


def _merge(parts: list[Ledger]) -> Ledger:
    """One ledger from a root file and those it includes; ids share one namespace."""
    root = parts[0]
    return Ledger(
        path=root.path,
        forecasters=tuple(f for part in parts for f in part.forecasters),
        sources=tuple(s for part in parts for s in part.sources),
        questions=tuple(q for part in parts for q in part.questions),
        skipped=tuple(s for part in parts for s in part.skipped),
        gradings=tuple(g for part in parts for g in part.gradings),
        broken=frozenset().union(*(part.broken for part in parts)),
        references=tuple(r for part in parts for r in part.references),
        includes=root.includes,
        files=tuple(f for part in parts for f in part.files),
    )

