"""The report folder's manifest: the files `ledger report` wrote there itself.

`OUT/.ledger-report.json` lists, as sorted relative paths, every file a
report wrote into OUT that is still there. A later report replaces those
without --force (they are its own earlier output) and refuses any other file
it would replace (a README.md the folder already held, say), by the output
rules of `ledger.files.outputs`. The list is rewritten after every report:
the files it wrote, and the earlier ones still present, so changing --year or
--format never makes a report's own files foreign. A fresh folder gets the
same bytes for the same ledger and --as-of.
"""

from __future__ import annotations

import json
import os
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ledger.files.outputs import Rules, target
from ledger.files.write import atomic_write

if TYPE_CHECKING:
    from collections.abc import Collection

NAME = ".ledger-report.json"
"""The manifest's name in the report folder."""

_MARK = "made by"
_MAKER = "ledger report"


def _names(data: bytes) -> frozenset[str] | None:
    """The files a manifest's bytes list, or None if they are not a manifest."""
    try:
        found = json.loads(data.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(found, dict) or found.get(_MARK) != _MAKER:
        return None
    files = found.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return frozenset(files)


def read(out: str) -> frozenset[str]:
    """The files the manifest in `out` lists (none if it is missing or not one)."""
    path = os.path.join(out, NAME)
    if not os.path.isfile(path) or os.path.islink(path):
        return frozenset()
    try:
        with open(path, "rb") as handle:
            return _names(handle.read(1 << 24)) or frozenset()
    except OSError:
        return frozenset()


def shown(out: str, relative: str) -> str:
    """The path of `relative` under `out`, as the user named the folder."""
    return os.path.join(out, *PurePosixPath(relative).parts)


def rules(out: str, force: bool, ledger_files: tuple[str, ...]) -> Rules:
    """The output rules for the files of a report into `out`.

    The files the manifest lists, and the manifest itself, are the report's own.
    """
    listed = read(out)
    own = {shown(out, name) for name in listed} | {shown(out, NAME)}

    def is_own(path: str) -> bool:
        if path == shown(out, NAME):
            try:
                with open(path, "rb") as handle:
                    return _names(handle.read(1 << 24)) is not None
            except OSError:
                return False
        return path in own

    return Rules(force=force, ledger_files=ledger_files, own=is_own)


def write(out: str, written: Collection[str], rule: Rules) -> None:
    """List `written` and the earlier listed files still present, in `out`.

    Raises:
        Refused: a manifest path that is not the report's own (without --force).
        OSError: it could not be written.
    """
    kept = {name for name in read(out) if os.path.isfile(shown(out, name))}
    files = sorted(kept | set(written))
    text = json.dumps({_MARK: _MAKER, "files": files}, indent=1) + "\n"
    path = target(shown(out, NAME), rule)
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return
    except OSError:
        pass  # not there yet
    atomic_write(path, data, durable=False)
