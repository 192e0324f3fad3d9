"""Outputs: a new file a command creates (an imported ledger), never one by mistake.

A command that makes a new ledger refuses to replace an existing file unless
told to (`--force`), and writes the new one atomically, so a reader never
sees half of it.
"""

from __future__ import annotations

import os

from ledger.core.model import Error, Location
from ledger.files.write import atomic_write


def refuse_overwrite(output: str, force: bool) -> Error | None:
    """An error at `output` when it exists and `force` (--force) was not given."""
    if os.path.exists(output) and not force:
        return Error(
            Location(output, 1),
            "already exists; pass --force to overwrite it (nothing was written)",
        )
    return None


def write_ledger(output: str, text: str) -> None:
    """Write a new ledger's text atomically (a same-folder temporary file, renamed)."""
    atomic_write(output, text.encode("utf-8"))
