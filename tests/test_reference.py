"""The README's command reference is the --help text of every command, verbatim.

`pytest tests/test_reference.py --update-golden` rewrites the README section
from the commands' help; otherwise any difference fails, so the two cannot drift.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.testing import CliRunner

from ledger.cli import main

if TYPE_CHECKING:
    import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- reference: generated from --help by tests/test_reference.py -->"
END = "<!-- end of reference -->"


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        assert command is not None
        if isinstance(command, click.Group):
            found += commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def reference() -> str:
    parts = [START, ""]
    for path in commands():
        result = CliRunner().invoke(main, [*path, "--help"], prog_name="ledger", terminal_width=80)
        assert result.exit_code == 0, path
        title = " ".join(("ledger", *path))
        parts += [f"### `{title}`", "", "```text", result.output.rstrip(), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def test_readme_reference_matches_help(request: pytest.FixtureRequest) -> None:
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text, "README lacks the reference markers"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    expected = reference()
    if request.config.getoption("--update-golden"):
        README.write_text(pattern.sub(lambda _: expected, text), encoding="utf-8")
    current = pattern.search(README.read_text(encoding="utf-8"))
    assert current is not None
    assert current.group(0) == expected, "README reference differs from --help; run with --update-golden"
