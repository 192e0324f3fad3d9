"""The importers' progress bar, drawn by the command line (ledger.cli.imports)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ledger.cli.imports import progress_bar

if TYPE_CHECKING:
    import pytest


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [1, 2, 3]
    with progress_bar(items, "reading") as seen:
        assert seen is items  # tests' stderr is not a terminal: no bar at all

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with progress_bar(items, "reading", length=3) as bar:
        assert list(bar) == items
    assert "reading" in terminal.getvalue()
